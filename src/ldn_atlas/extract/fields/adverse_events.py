"""Adverse events: the side effects reported with a percentage ("12% reported insomnia") or a count.

A percentage of people free of an event ("77% experienced no side effects") is a safety outcome
without direction, not an event that occurred.
"""

from __future__ import annotations

import re

from ldn_atlas.extract.fields.outcome_table import OutcomeTable
from ldn_atlas.extract.patterns import rx
from ldn_atlas.extract.segment import Sentence
from ldn_atlas.model import AdverseEvent, Measure

_AE_TERMS = (
    r"insomnia|sleep disturbances?|sleep problems|vivid dreams|nightmares|abnormal dreams|headaches?|"
    r"nausea|vomiting|dizziness|diarrh(?:o)?ea|constipation|rash|pruritus|itching|anxiety|irritability|"
    r"agitation|dry mouth|abdominal pain|gastrointestinal (?:upset|symptoms|side effects)|"
    r"hallucinations|palpitations|tachycardia|fatigue|drowsiness|somnolence|"
    r"(?:mild |serious |any )?(?:side effects|adverse (?:events|effects|reactions))"
)
_AE_AFTER_PCT = rx(
    "ae_after_percent",
    r"^\s?(?:of\s(?:the\s)?(?:subjects|patients|participants|people|persons|respondents|users|cases)\s)?"
    r"(?:also\s)?(?:reported|complained of(?: having)?|experienced|had|developed|noted|described|"
    r"suffered(?: from)?|"
    r"presented with)\s(?P<neg>no |any )?(?P<ae>" + _AE_TERMS + r")\b",
)
_AE_BEFORE_PCT = rx(
    "ae_before_percent",
    r"(?P<ae>" + _AE_TERMS + r")\s(?:was |were )?(?:reported |observed |seen |occurred )?(?:in|by)\s$",
)


def percent_adverse_event(
    t: OutcomeTable, sent: Sentence, m: re.Match[str], before: str, after: str, n: int | None
) -> bool:
    """Record the adverse event the percentage ``m`` counts, if it counts one (True: it did)."""
    value = float(m.group("num"))
    ps, pe = sent.start + m.start(), sent.start + m.end()
    ae = _AE_AFTER_PCT.match(after)
    if ae:
        if ae.group("neg") and ae.group("neg").strip() == "no":
            # a tally of participants free of an adverse event: a safety outcome without
            # direction ("77% experienced no side effects"), not an event that occurred
            o = t.add(f"no {ae.group('ae').lower()}", None, None, ps, sent.start + m.end() + ae.end())
            o["measures"].append((Measure(arm="all", kind="percent", value=value, n=n), ps, pe))
        else:
            t.aes.append(
                (
                    AdverseEvent(name=ae.group("ae").lower(), percent=value, n=n),
                    ps,
                    sent.start + m.end() + ae.end(),
                )
            )
        t.used_pct.add(ps)
        return True
    ae2 = _AE_BEFORE_PCT.search(before)
    if ae2:
        t.aes.append(
            (
                AdverseEvent(name=ae2.group("ae").lower(), percent=value, n=n),
                sent.start + m.start() - len(before) + ae2.start(),
                pe,
            )
        )
        t.used_pct.add(ps)
        return True
    return False


def count_adverse_event(t: OutcomeTable, rest: str, count: int, n: int | None, start: int, end: int) -> bool:
    """Record the adverse event a count of people reported ("three patients reported headache"), if any."""
    ae_term = re.search(_AE_TERMS, rest, re.IGNORECASE)
    if ae_term and not re.match(r"\s(?:no|any)\b", rest):
        event = AdverseEvent(name=ae_term.group(0).lower(), count=count, n=n)
        t.aes.append((event, start, end))
        return True
    return False
