"""Durations and periods: the treatment length in days, and the phases of a study told in periods.

Lengths are normalised to days (weeks x 7, months x 30.44, years x 365.25; see
:data:`ldn_atlas.extract.patterns.DAYS_PER`).  The words around a length say what it measures:
the treatment, the study, a placebo/washout/run-in/baseline/follow-up period, or something else
(disease duration, age, a time point), which is skipped.
"""

from __future__ import annotations

import re

from ldn_atlas.extract.fields.context import ReadContext
from ldn_atlas.extract.patterns import APPROXIMATE_WORDS, DAYS_PER, DURATION_GATED, gate, parse_number, rx
from ldn_atlas.model import Period

_DUR_SKIP_PRE = rx(
    "dur_skip_pre",
    r"(?:disease duration|duration of (?:the )?(?:disease|illness|symptoms|condition|"
    r"pain)|suffer\w{0,4}|histor\w{1,3}|diagnos\w{1,6}|living with|aged?|age of|"
    r"old|born|ago|onset)\b[^.;]{0,60}$",
)
_DUR_SKIP_POST = rx(
    "dur_skip_post",
    r"^[- ]?(?:of age|old|ago|earlier|before|prior|of (?:unsuccessful|prior|"
    r"previous|failed|ineffective|other|standard|conventional|disease|illness|"
    r"symptoms))\b",
)
_DUR_TIMEPOINT_PRE = rx(
    "dur_timepoint",
    r"\b(?:within|after|at|by|following|until|since|to)(?: the| a)?"
    r"(?: (?:initial|first))?\s?$",
)
_DUR_FOR_PRE = rx(
    "dur_for",
    r"\b(?:for|over|during|lasting|lasted|period of|course of|duration of|"
    r"(?:mean|median|average) (?:of|period of|duration of)?)(?: (?:a|an|the|about|"
    r"approximately|up to|at least|more than|over|nearly|almost))?\s?$",
)
_ADMIN = rx(
    "admin_cue",
    r"\b(?:given|administ\w{1,8}|received|receiving|treated|took|taking|dosed|prescribed|"
    r"used|using|on LDN|LDN therapy|LDN treatment|therapy was|treatment was)\b",
)
_STUDY_AFTER = rx(
    "dur_study_after",
    r"^[- ]?(?:long\b|-long\b)?,?\s?(?:[\w-]{1,25},?\s){0,3}?(?:stud(?:y|ies)|"
    r"trials?|investigation|research|experiment)\b",
)
_PERIOD_WORD = rx(
    "period_word",
    r"^[- ]?(?:long\s)?(?:-long\s)?(?:of\s|on\s)?(?:the\s)?(?:single-blind\s|"
    r"double-blind\s|open-label\s)?(?P<w>placebo|washout|wash-out|run-in|baseline|"
    r"follow-up|treatment|LDN|naltrexone|therapy)\b",
)
_PERIOD_WORD_PRE = rx(
    "period_word_pre",
    r"\b(?P<w>placebo|washout|wash-out|run-in|baseline|follow-up)"
    r"(?:\s(?:period|phase))?(?:\s(?:of|lasting|for))?\s$",
)
_BASELINE = rx("baseline_word", r"\bbaseline\b|\brun-in\b")
_ADMIN = gate(
    _ADMIN,
    "given",
    "administ",
    "receiv",
    "treated",
    "took",
    "taking",
    "dosed",
    "prescribed",
    "used",
    "using",
    "ldn",
    "therapy was",
    "treatment was",
)
_BASELINE = gate(_BASELINE, "baseline", "run-in")

#: a stated length: days, start, end, approximate
_Length = tuple[float, int, int, bool]


def read_durations(c: ReadContext) -> tuple[float | None, list[Period], bool]:
    """The duration in days (treatment length, else study length), the periods, and whether it is approximate."""
    treatment: list[_Length] = []
    length: list[_Length] = []
    periods: list[tuple[Period, int, int]] = []
    if c.seg.descriptor_days is not None and c.seg.descriptor_span is not None:
        length.append((c.seg.descriptor_days, *c.seg.descriptor_span, False))
    for sent, text in c.iter():
        for m in DURATION_GATED.finditer(text):
            raw = m.group("num").lower()
            value = parse_number(raw)
            if value is None:
                if raw.strip() in ("a few", "several"):
                    continue
                continue
            days = round(value * DAYS_PER[m.group("unit").lower()], 2)
            approx = bool(m.group("qual")) or any(w in raw for w in APPROXIMATE_WORDS)
            pre = text[max(0, m.start("num") - 70) : m.start("num")]
            post = text[m.end() : m.end() + 70]
            s, e = sent.start + m.start(), sent.start + m.end()
            if _DUR_SKIP_POST.search(post) or _DUR_SKIP_PRE.search(pre[-60:]):
                continue
            word = _period_word(text, m, pre, post)
            if word in ("placebo", "washout", "run-in", "baseline", "follow-up"):
                periods.append((Period(kind=word, days=days, approximate=approx), s, e))
                continue
            if word == "treatment" or (
                _DUR_FOR_PRE.search(pre)
                and _ADMIN.search(text)
                and not m.group("long")
                and not _STUDY_AFTER.match(post)
            ):
                if _DUR_TIMEPOINT_PRE.search(pre):
                    continue
                treatment.append((days, s, e, approx))
                continue
            if _DUR_TIMEPOINT_PRE.search(pre):
                continue
            if m.group("long") or _STUDY_AFTER.match(post) or _DUR_FOR_PRE.search(pre):
                length.append((days, s, e, approx))
    return _chosen(c, treatment, length, periods)


def _period_word(text: str, m: re.Match[str], pre: str, post: str) -> str | None:
    """The period a length belongs to ("12 weeks of placebo", "a washout of 2 weeks"), or ``treatment``."""
    pw = _PERIOD_WORD.match(post) if not m.group("long") else None
    pre_w = _PERIOD_WORD_PRE.search(pre)
    word = (pw.group("w").lower() if pw else None) or (pre_w.group("w").lower() if pre_w else None)
    if word in ("ldn", "naltrexone", "therapy"):
        word = "treatment"
    if word is None and _BASELINE.search(text) and re.search(r"\b(?:initial|first)\s?$", pre):
        word = "baseline"
    if word == "wash-out":
        word = "washout"
    return word


def _chosen(
    c: ReadContext, treatment: list[_Length], length: list[_Length], periods: list[tuple[Period, int, int]]
) -> tuple[float | None, list[Period], bool]:
    """The first treatment length (else study length) as the duration; the periods with their spans."""
    chosen = treatment[0] if treatment else (length[0] if length else None)
    out_periods = [p for p, _, _ in periods]
    for k, (_p, s, e) in enumerate(periods):
        c.mark(f"periods[{k}]", s, e)
    # Periods describe a study told in phases (placebo, washout, baseline, run-in, follow-up
    # around the treatment); a single stated treatment length is ``duration_days`` only.
    if treatment and out_periods:
        k = len(out_periods)
        out_periods.append(Period(kind="treatment", days=treatment[0][0], approximate=treatment[0][3]))
        c.mark(f"periods[{k}]", treatment[0][1], treatment[0][2])
    if chosen is None:
        return None, out_periods, False
    c.mark("duration_days", chosen[1], chosen[2])
    return chosen[0], out_periods, chosen[3]
