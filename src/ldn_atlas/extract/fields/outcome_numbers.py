"""Numbers bound to outcomes and arms, the second stage of the outcome reader.

Percentages bound to what they count ("40% reported less pain", "a 30% reduction in fatigue"),
counts of people who reported the opposite, and arm-level values ("2.3% and 32.5% on placebo
and LDN, respectively").  Percentages of adverse events go to :mod:`.adverse_events`.
"""

from __future__ import annotations

import re
from typing import Any

from ldn_atlas.extract.fields.adverse_events import count_adverse_event, percent_adverse_event
from ldn_atlas.extract.fields.context import ReadContext
from ldn_atlas.extract.fields.cues import _LDN, _PLACEBO, _POP_NOUN
from ldn_atlas.extract.fields.direction import direction_of
from ldn_atlas.extract.fields.names import clean_name
from ldn_atlas.extract.fields.outcome_table import OutcomeTable
from ldn_atlas.extract.fields.responders import _THRESHOLD
from ldn_atlas.extract.patterns import NUM_START, NUMBER, PERCENT, PERCENT_GATED, gate, parse_number, rx
from ldn_atlas.extract.segment import Sentence
from ldn_atlas.model import Measure

_OUTCOME_AFTER_PCT = rx(
    "outcome_after_percent",
    r"^\s?(?:of\s(?:the\s)?(?:subjects|patients|participants|people|persons|respondents|cases)\s)?"
    r"(?:reported|experienced|showed|had|noted|confirmed|achieved|described|perceived)\s(?:an?\s)?"
    r"(?P<verb>less|fewer|lower|reduced|more|greater|higher|increased|improved|improvement|reduction|decrease|"
    r"increase|better|worse|worsening|no)\s(?:in\s|of\s)?(?P<obj>[^,.;:()]{2,60})",
)
_PCT_CHANGE_AFTER = rx(
    "percent_change_after",
    r"^\s(?P<chg>reduction|decrease|improvement|increase|decline|change|drop|rise)\s(?:in|of)\s"
    r"(?P<obj>[^,.;:()]{2,60})",
)
_RESPECTIVELY = rx(
    "respectively",
    r"\b(?:on|in|for|with|among|receiving|after)\s(?:the\s)?(?P<a1>[\w-]{1,30}(?:\s[\w-]{1,30}){0,2}?)\s"
    r"(?:and|or|vs\.?|versus)\s(?:the\s)?(?P<a2>[\w-]{1,30}(?:\s[\w-]{1,30}){0,2}?)(?:\s(?:groups?|arms?))?,?\s"
    r"respectively\b",
)
_COUNT_REPORT = rx(
    "count_report",
    rf"{NUM_START}(?P<num>{NUMBER})\s(?:[\w-]{{1,20}}\s){{0,2}}?(?:{_POP_NOUN})\s(?:also\s|only\s)?"
    r"(?P<verb>reported|mentioned|complained(?: of)?|experienced|had|developed|showed|noted|described)\b"
    r"(?P<rest>[^.;]{0,80})",
)
_OPPOSITE = rx("opposite", r"\b(?:oppositely|the opposite|otherwise|the reverse|worse|worsening)\b")
_RESPECTIVELY = gate(_RESPECTIVELY, "respectively")


def percent_values(c: ReadContext, t: OutcomeTable, sent: Sentence, text: str, n: int | None) -> None:
    """Bind each percentage of the sentence to the adverse event or outcome it counts.

    Skipped: intervals ("95% CI"), responder thresholds ("more than 50%") and the study's subgroups.
    """
    for m in PERCENT_GATED.finditer(text):
        value = float(m.group("num"))
        ps, pe = sent.start + m.start(), sent.start + m.end()
        after = text[m.end() : m.end() + 90]
        before = text[max(0, m.start() - 60) : m.start()]
        if re.match(r"\s?(?:CI|confidence)", after) or (value > 100 and "%" in m.group(0)):
            continue
        if re.search(r"(?:more than|greater than|at least|over|≥|>=|>)\s?(?:a\s)?$", before):
            continue  # a responder threshold
        if re.match(
            r"\s?(?:had|with|were|was|having|presented with|(?:were |was )?diagnosed with)\s", after
        ) and any(p.start <= ps and pe <= p.end for k, v in c.prov.items() if "subgroups" in k for p in v):
            continue
        if percent_adverse_event(t, sent, m, before, after, n):
            continue
        _percent_outcome(t, sent, text, m, after, n)


def _percent_outcome(t: OutcomeTable, sent: Sentence, text: str, m: re.Match[str], after: str, n: int | None) -> None:
    """A percentage of people with an outcome ("40% reported less pain") or a percent change of one."""
    value = float(m.group("num"))
    ps, pe = sent.start + m.start(), sent.start + m.end()
    om = _OUTCOME_AFTER_PCT.match(after)
    if om:
        name = clean_name(om.group("obj"))
        if name:
            verb = om.group("verb").lower()
            pct_dir = direction_of(verb, name) if verb != "no" else None
            o = t.add(name, pct_dir, None, ps, sent.start + m.end() + om.end())
            o["measures"].append((Measure(arm="all", kind="percent", value=value, n=n), ps, pe))
            t.used_pct.add(ps)
            return
    cm = _PCT_CHANGE_AFTER.match(after)
    if cm:
        name = clean_name(cm.group("obj"))
        if name:
            o = t.add(
                name,
                direction_of(cm.group("chg"), name),
                None,
                ps,
                sent.start + m.end() + cm.end(),
            )
            o["measures"].append(
                (Measure(arm=arm_in(text) or "all", kind="percent-change", value=value), ps, pe)
            )
            t.used_pct.add(ps)


def count_values(
    t: OutcomeTable, sent: Sentence, text: str, found: list[dict[str, Any]], n: int | None
) -> None:
    """Counts bound to what they count: "three patients reported headache", "four mentioned it oppositely"."""
    if not _THRESHOLD.search(text):
        for m in _COUNT_REPORT.finditer(text):
            count_value = parse_number(m.group("num"))
            if count_value is None or count_value != int(count_value):
                continue
            rest = m.group("rest")
            c_start, c_end = sent.start + m.start(), sent.start + m.end()
            if count_adverse_event(t, rest, int(count_value), n, c_start, c_end):
                continue
            if _OPPOSITE.search(rest) and t.outs:
                prior = found[-1] if found else t.outs[-1]
                prior["measures"].append(
                    (Measure(arm="all", kind="count-opposite", value=count_value, n=n), c_start, c_end)
                )
                prior["spans"].append((c_start, c_end))


def arm_values(t: OutcomeTable, sent: Sentence, text: str) -> None:
    """Arm-level values: "2.3% and 32.5% on placebo and LDN, respectively" (a reduction also sets direction)."""
    for m in _RESPECTIVELY.finditer(text):
        vals = [v for v in PERCENT.finditer(text[: m.start()])]
        if len(vals) < 2:
            continue
        v1, v2 = vals[-2], vals[-1]
        head = re.match(r"^(?P<s>.{3,80}?)\s(?:was|were)\b", text)
        name = clean_name(head.group("s")) if head else "outcome"
        kind = (
            "percent-change"
            if re.search(r"reduction|change|improvement|decrease|increase", name, re.I)
            else "percent"
        )
        o = t.add(name, None, None, sent.start + v1.start(), sent.start + m.end())
        for v, arm in ((v1, m.group("a1")), (v2, m.group("a2"))):
            o["measures"].append(
                (
                    Measure(arm=arm_key(arm), kind=kind, value=float(v.group("num"))),
                    sent.start + v.start(),
                    sent.start + v.end(),
                )
            )
            t.used_pct.add(sent.start + v.start())
        a = next((x for x in o["measures"] if x[0].arm == "ldn"), None)
        b = next((x for x in o["measures"] if x[0].arm == "placebo"), None)
        if a and b and kind == "percent-change" and re.search(r"reduction|decrease", name, re.I):
            o["direction"] = "improved" if a[0].value > b[0].value else "worsened"


def arm_key(text: str) -> str:
    """The arm a name stands for: ``placebo``, ``ldn`` or the name itself (lower case, 60 characters)."""
    low = text.lower().strip()
    if "placebo" in low:
        return "placebo"
    if re.search(r"\bldn\b|naltrexone", low):
        return "ldn"
    return low[:60]


def arm_in(text: str) -> str | None:
    """``ldn`` when the text names LDN and no placebo, else None."""
    if _LDN.search(text) and not _PLACEBO.search(text):
        return "ldn"
    return None
