"""Significance, the last stage of the outcome reader: significance words, p-values and confidence intervals.

A sentence's p-values and intervals belong to its last outcome mention (or to the outcome its clause
names); a p-value decides the outcome's significance when no words did, and an interval after an
effect measure ("OR 2.1, 95% CI 1.2 to 3.5") becomes a difference measure of that outcome.
"""

from __future__ import annotations

import re
from typing import Any

from ldn_atlas.extract.fields.direction import comparative_direction
from ldn_atlas.extract.fields.names import name_from_clause
from ldn_atlas.extract.fields.outcome_table import OutcomeTable
from ldn_atlas.extract.patterns import CI_GATED, EFFECT_GATED, P_VALUE_GATED, gate, rx
from ldn_atlas.extract.segment import Sentence
from ldn_atlas.model import Measure

_SIGNIF = rx(
    "significance",
    r"\b(?:statistically (?:significant|notable)|significant(?:ly)?|"
    r"statistically)\b",
)
_NOT_SIGNIF = rx(
    "not_significance",
    r"\b(?:no|not|non-?)\s?(?:statistically\s)?significant(?:ly)?\b|"
    r"\bno analytical\b|\bnon-?significant\b",
)
_SIGNIF = gate(_SIGNIF, "signific", "statistic")
_NOT_SIGNIF = gate(_NOT_SIGNIF, "signific", "analytical", "no")


def significant_sentence(text: str) -> bool:
    """The sentence calls something significant and nothing not significant."""
    return bool(_SIGNIF.search(text)) and not _NOT_SIGNIF.search(text)


def bind_statistics(t: OutcomeTable, sent: Sentence, text: str, found: list[dict[str, Any]]) -> None:
    """Bind the sentence's p-values and confidence intervals to its last outcome (or the one its clause names)."""
    ps_ = list(P_VALUE_GATED.finditer(text))
    cis = list(CI_GATED.finditer(text))
    effs = list(EFFECT_GATED.finditer(text)) if (ps_ or cis) else []
    if ps_ or cis:
        target = found[-1] if found else None
        if target is None:
            stats = [x.start() for x in (*ps_, *cis, *effs)]
            lead = text[: min(stats)]
            if "(" in lead:
                lead = lead[: lead.rindex("(")]
            topic = name_from_clause(lead)
            if topic:
                target = t.add(topic, comparative_direction(lead, topic), None, sent.start, sent.end)
        if target is not None:
            _bind_p_values(target, sent, ps_)
            _bind_intervals(target, sent, cis, effs)


def _bind_p_values(target: dict[str, Any], sent: Sentence, ps_: list[re.Match[str]]) -> None:
    """The first readable p-value is the outcome's; it sets significance when nothing else did."""
    for m in ps_:
        val = p_value(m.group("val"))
        if val is None or target["p"] is not None:
            continue
        target["p"] = val
        target["p_text"] = m.group(0)
        op = m.group("op")
        target["p_span"] = (sent.start + m.start(), sent.start + m.end())
        if target["significant"] is None:
            if (op in ("<", "≤", "<=", "&lt;") and val <= 0.05) or (op in ("=",) and val < 0.05):
                target["significant"] = True
            elif op in ("=", ">", "≥", ">=", "&gt;") and val >= 0.05:
                target["significant"] = False


def _bind_intervals(
    target: dict[str, Any], sent: Sentence, cis: list[re.Match[str]], effs: list[re.Match[str]]
) -> None:
    """Each interval after an effect measure becomes a difference measure (each effect used once)."""
    for m in cis:
        lo = _to_float(m.group("lo"))
        hi = _to_float(m.group("hi"))
        eff = next((x for x in reversed(effs) if x.end() <= m.start()), None)
        if eff is not None and lo is not None and hi is not None:
            val = _to_float(eff.group("val"))
            if val is None:
                continue
            kind = eff.group("kind").lower().replace(" ", "-")
            target["measures"].append(
                (
                    Measure(arm="difference", kind=kind, value=val, ci_lb=lo, ci_ub=hi),
                    sent.start + eff.start(),
                    sent.start + m.end(),
                )
            )
            effs = [x for x in effs if x is not eff]


def _to_float(text: str) -> float | None:
    try:
        return float(text.replace("−", "-"))
    except ValueError:
        return None


def p_value(text: str) -> float | None:
    """The p-value written ``text`` ("0.03", "2 x 10-4"); None if unreadable or outside [0, 1]."""
    t = text.replace(" ", "").replace("×", "x")
    m = re.match(r"^([01]?\.?\d*)x10[-−](\d{1,3})$", t)
    if m:
        try:
            return float(m.group(1)) * 10 ** (-int(m.group(2)))
        except ValueError:
            return None
    try:
        v = float(t)
    except ValueError:
        return None
    return v if 0 <= v <= 1 else None
