"""Direction of a change: improved, worsened, no difference or unclear, from the change word and what changed.

A reduction of something bad (pain, fatigue) or an increase of something good (quality of life)
is an improvement; the lexicons below say which names are which.
"""

from __future__ import annotations

import re

from ldn_atlas.extract.patterns import rx

_DOWN = (
    "reduc",
    "decreas",
    "declin",
    "lower",
    "less",
    "fewer",
    "suppress",
    "inhibit",
    "diminish",
    "fall",
    "fell",
    "drop",
    "reliev",
    "alleviat",
    "attenuat",
    "postpon",
    "delay",
    "prevent",
    "ameliorat",
    "quit",
    "cessation",
)
_UP = ("increas", "elevat", "rise", "rose", "higher", "more", "greater", "enhanc", "gain")
_BETTER = ("improv", "restor", "normali", "revert", "benefit", "advantage", "better", "remission", "relief")
_WORSE = ("worsen", "deteriorat", "worse", "aggravat", "exacerbat")
_BAD = (
    "pain",
    "spastic",
    "fatigue",
    "tired",
    "stress",
    "severity",
    "symptom",
    "weakness",
    "inflammat",
    "cytokine",
    "depress",
    "anxiety",
    "disabilit",
    "relapse",
    "progression",
    "dysfunction",
    "defect",
    "insomnia",
    "nausea",
    "ketamine",
    "opioid use",
    "analgesic",
    "walking support",
    "walking aid",
    "disease activity",
    "mortality",
    "death",
    "exacerbation",
    "attacks",
    "lesion",
    "itch",
    "pruritus",
    "swelling",
    "edema",
    "stiffness",
    "hospitali",
    "discrepancy",
    "side effect",
    "adverse",
    "sleep disturbance",
    "migraine",
    "headache",
    "tender",
    "flare",
    "failure",
    "infection",
    "bleeding",
    "risk",
    "proliferation",
)
_GOOD = (
    "quality of life",
    "mental health",
    "function",
    "well-being",
    "wellbeing",
    "remission",
    "sleep quality",
    "mobility",
    "survival",
    "response",
    "health",
    "energy",
    "mood",
    "vitality",
    "opioid growth factor",
    "endorphin",
    "control",
)
_COMPARATIVE = rx(
    "comparative",
    r"\b(?:was|were|is|are)\s(?:\w{2,15}ly\s)?(?P<cmp>lower|higher|reduced|greater|smaller|larger|better|worse|"
    r"shorter|longer|increased|decreased|improved)\s(?:with|in|among|for|after|on)\s(?:the\s)?(?P<arm>[\w-]{1,30})",
)


def _polarity(name: str) -> str | None:
    low = name.lower()
    if any(w in low for w in _GOOD) and not any(w in low for w in ("dysfunction",)):
        return "good"
    if any(w in low for w in _BAD):
        return "bad"
    return None


def direction_of(change: str, name: str, negated: bool = False) -> str:
    """``improved``/``worsened``/``no-difference``/``unclear`` from a change word and what changed.

    >>> direction_of("reduction", "spasticity"), direction_of("increase", "quality of life")
    ('improved', 'improved')
    >>> direction_of("decreased", "mental health"), direction_of("elevated", "beta levels")
    ('worsened', 'unclear')
    """
    if negated:
        return "no-difference"
    c = change.lower()
    if any(c.startswith(w) for w in _WORSE):
        return "worsened"
    if any(c.startswith(w) for w in _BETTER):
        return "improved"
    pol = _polarity(name)
    down = any(c.startswith(w) for w in _DOWN)
    up = any(c.startswith(w) for w in _UP)
    if pol is None or not (up or down):
        return "unclear"
    if (down and pol == "bad") or (up and pol == "good"):
        return "improved"
    return "worsened"


def comparative_direction(lead: str, name: str) -> str | None:
    """Direction of "X was lower with <arm> than with <other arm>" for the first arm (None if unclear)."""
    m = _COMPARATIVE.search(lead)
    if not m:
        return None
    d = direction_of(m.group("cmp"), name)
    if re.match(r"placebo|control|usual|standard|sham", m.group("arm"), re.IGNORECASE):
        d = {"improved": "worsened", "worsened": "improved"}.get(d, d)
    return d
