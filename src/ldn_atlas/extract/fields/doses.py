"""Interventions: the drug (low-dose naltrexone, or the drug named next to a dose), its dose in mg and schedule."""

from __future__ import annotations

import re

from ldn_atlas.extract.fields.context import ReadContext
from ldn_atlas.extract.fields.cues import _LDN
from ldn_atlas.extract.patterns import DOSE_GATED, parse_number, rx
from ldn_atlas.model import Intervention

_SCHEDULE = rx(
    "schedule",
    r"\b(?:once|twice) (?:daily|a day|weekly)\b|\b(?:daily|nightly|at bedtime|at night|"
    r"every (?:night|day|morning|evening))\b",
)

#: a stated dose: mg (None for a dose per kg), its words, schedule, start, end, sentence text
_Dose = tuple[float | None, str, str | None, int, int, str]


def read_interventions(c: ReadContext, duration: float | None) -> list[Intervention]:
    """The study's intervention (at most one) with name, dose and duration, and their spans."""
    name = None
    name_span = None
    for sent, text in c.iter():
        m = _LDN.search(text)
        if m:
            low = m.group(0).lower()
            name = "low-dose naltrexone" if low != "naltrexone" else "naltrexone"
            name_span = (sent.start + m.start(), sent.start + m.end())
            break
    doses = _doses(c)
    if name is None and not doses:
        return []
    if name is None:
        return _other_drug(c, doses[0])
    iv = Intervention(name=name, duration_days=duration)
    assert name_span is not None
    c.mark("interventions[0].name", *name_span)
    if doses:
        # the dose nearest to an LDN mention
        dose_mg, dtext, sched, s, e, _ = min(doses, key=lambda d: abs(d[3] - name_span[0]))
        iv = iv.model_copy(update={"dose_mg": dose_mg, "dose_text": dtext, "schedule": sched})
        c.mark("interventions[0].dose_mg", s, e)
    if duration is not None and "duration_days" in c.prov:
        c.prov["interventions[0].duration_days"] = list(c.prov["duration_days"])
    return [iv]


def _doses(c: ReadContext) -> list[_Dose]:
    """Every dose of the study's sentences, in mg (µg converted; a dose per kg has none unless capped)."""
    doses = []
    for sent, text in c.iter():
        for m in DOSE_GATED.finditer(text):
            value = parse_number(m.group("num"))
            if value is None:
                continue
            unit = m.group("unit").lower()
            if "/kg" in unit and not m.group("max"):
                dose_mg = None
            elif m.group("max"):
                dose_mg = float(m.group("max")) / (1000 if m.group("maxunit") != "mg" else 1)
            elif unit.startswith(("µ", "μ", "mc", "micro")):
                dose_mg = value / 1000
            else:
                dose_mg = value
            sm = _SCHEDULE.search(text[m.end() : m.end() + 40])
            doses.append(
                (
                    dose_mg,
                    m.group(0),
                    sm.group(0) if sm else None,
                    sent.start + m.start(),
                    sent.start + m.end(),
                    text,
                )
            )
    return doses


def _other_drug(c: ReadContext, dose: _Dose) -> list[Intervention]:
    """A non-LDN dose: name the drug from the words around it (none if they name no drug)."""
    dose_mg, dtext, sched, s, e, text = dose
    rel = s - next(x.start for x, _ in c.iter() if x.start <= s < x.end)
    before = re.search(r"([A-Za-z][\w-]{2,30})\s\(?$", text[max(0, rel - 35) : rel])
    after = re.match(r"\s(?:of\s)?([A-Za-z][\w-]{2,30})", text[rel + len(dtext) : rel + len(dtext) + 35])
    drug = (before.group(1) if before else None) or (after.group(1) if after else None)
    if not drug or drug.lower() in ("of", "with", "and", "or", "the", "daily", "dose", "doses"):
        return []
    iv = Intervention(name=drug, dose_mg=dose_mg, dose_text=dtext, schedule=sched)
    c.mark("interventions[0].name", s, e)
    c.mark("interventions[0].dose_mg", s, e)
    return [iv]
