"""Regular expressions and number words shared by the extractor, in one registry.

Every pattern the readers and the extractor apply to free text is compiled
through :func:`rx`, which records it in :data:`REGISTRY`; a property-based test
runs each one over pathological input (a megabyte of digits and hyphens, long
runs of one character) and requires it to finish in under two seconds.  The
patterns therefore avoid nested unbounded quantifiers: every repetition that
can meet a long run of the same characters is bounded (``{1,12}``), and number
matches are anchored with look-behinds so a run of digits is tried from its
start only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, cast

REGISTRY: dict[str, re.Pattern[str]] = {}


def rx(name: str, pattern: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """Compile ``pattern`` and register it under ``name`` (names are unique)."""
    compiled = re.compile(pattern, flags)
    if name in REGISTRY and REGISTRY[name].pattern != pattern:
        raise ValueError(f"pattern name {name!r} registered twice")
    REGISTRY[name] = compiled
    return compiled


UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1000}
SPECIAL = {
    "a dozen": 12,
    "dozen": 12,
    "a single": 1,
    "single": 1,
    "both": 2,
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "couple": 2,
    "a pair of": 2,
}
APPROXIMATE_WORDS = ("couple", "few", "several", "about", "approximately", "around", "roughly", "some")

_UNIT_ALT = "|".join(sorted(UNITS, key=len, reverse=True))
_TENS_ALT = "|".join(TENS)
#: A number written in words: "seventeen", "forty-two", "three hundred and twenty".
WORD_NUMBER = (
    rf"(?:(?:{_TENS_ALT})(?:[- ](?:{_UNIT_ALT}))?|(?:{_UNIT_ALT}))"
    rf"(?: hundred(?: and)?(?: (?:(?:{_TENS_ALT})(?:[- ](?:{_UNIT_ALT}))?|(?:{_UNIT_ALT})))?)?"
)
#: A number in digits: "1,277", "4.5", "804".
DIGIT_NUMBER = r"(?<![\w.,])(?:\d{1,3}(?:,\d{3}){1,4}|\d{1,9}(?:\.\d{1,6})?)(?![\d,]\d)"
NUMBER = rf"(?:{DIGIT_NUMBER}|\b{WORD_NUMBER}\b)"
#: a fast filter in front of a leading number: a word start whose first character can begin a number
NUM_START = r"(?<![\w.,])(?=[\dzotfsenh])"

_WORD_NUMBER_FULL = rx("word_number_full", rf"^{WORD_NUMBER}$")


def parse_number(text: str) -> float | None:
    """The value of a number written in digits or words.

    >>> parse_number("1,277"), parse_number("seventeen"), parse_number("forty-two")
    (1277.0, 17.0, 42.0)
    >>> parse_number("three hundred and twenty"), parse_number("a couple of"), parse_number("many")
    (320.0, 2.0, None)
    """
    t = text.strip().lower()
    if not t:
        return None
    if t in SPECIAL:
        return float(SPECIAL[t])
    digits = t.replace(",", "")
    try:
        return float(digits)
    except ValueError:
        pass
    if not _WORD_NUMBER_FULL.match(t):
        return None
    total = 0
    current = 0
    for word in re.split(r"[- ]", t):
        if word == "and" or not word:
            continue
        if word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word in SCALES:
            current = max(current, 1) * SCALES[word]
            if SCALES[word] >= 1000:
                total += current
                current = 0
        else:
            return None
    return float(total + current)


# --- durations -------------------------------------------------------------------------------
DAYS_PER = {"day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25}

#: "six months", "seventeen-week", "8 weeks", "a couple of weeks", "couple weeks", "804 days".
DURATION = rx(
    "duration",
    r"(?<![\w.,])(?=[\dzotfsenhmluacr])"
    rf"(?P<qual>\b(?:more than|over|less than|under|about|approximately|around|at least|nearly|almost|"
    rf"up to) )?"
    rf"(?P<num>{DIGIT_NUMBER}|\b{WORD_NUMBER}\b|\b(?:a )?couple(?: of)?\b|\ba few\b|\bseveral\b|\ba\b|"
    rf"\bone\b)"
    rf"(?:[- ](?P<to>(?:to|-) ?(?:{DIGIT_NUMBER}|{WORD_NUMBER})))?"
    rf"[- ]?(?P<unit>day|week|month|year)s?\b(?P<long>[- ]long\b)?",
)

# --- percentages, p-values, confidence intervals ----------------------------------------------
PERCENT = rx("percent", rf"(?=\d)(?P<num>{DIGIT_NUMBER})\s?(?:%|per ?cent\b)")
P_VALUE = rx(
    "p_value",
    r"(?<![A-Za-z])(?:p|p-value|p value)\s?(?P<op>[<>=≤≥]|&lt;|&gt;|<=|>=)\s?(?P<val>0?\.\d{1,8}|"
    r"[01](?:\.\d{1,8})?"
    r"(?:\s?[x×]\s?10\s?[-−]\s?\d{1,3})?)",
)
CI = rx(
    "ci",
    r"(?P<level>\d{2}(?:\.\d)?)\s?%\s?(?:CI|confidence interval)(?:\s?\[CI\])?[,:;]?\s?(?:of|was|=)?\s?"
    r"(?P<lo>[-−]?\d{1,9}(?:\.\d{1,6})?)\s?(?:to|-|–|,)\s?(?P<hi>[-−]?\d{1,9}(?:\.\d{1,6})?)",
)
EFFECT = rx(
    "effect_estimate",
    r"\b(?P<kind>odds ratio|hazard ratio|risk ratio|relative risk|rate ratio|incidence rate ratio|"
    r"mean difference|risk difference|standardi[sz]ed mean difference|difference|OR|HR|RR|MD|SMD)"
    r"(?: [a-z]{1,12}){0,2}?[,:=]?\s?(?:was |of )?\(?(?P<val>[-−]?\d{1,9}(?:\.\d{1,6})?)",
)

# --- dose ---------------------------------------------------------------------------------------
DOSE = rx(
    "dose",
    rf"{NUM_START}(?P<num>{DIGIT_NUMBER}|\b{WORD_NUMBER}\b)\s?(?P<unit>mg/kg|mg|milligrams?|µg/kg|mcg/kg|µg|μg|mcg|micrograms?)\b"
    r"(?P<tail>(?:/(?:day|d)\b| (?:per day|daily|a day|once daily|at night|at bedtime|nightly))?)"
    r"(?:,? (?:to a |up to a |with a |and a )?(?:maximum|max\.?|up to)(?: of| dose of)? "
    rf"(?P<max>{DIGIT_NUMBER}) ?(?P<maxunit>mg|µg|mcg)\b)?",
)


class Gated:
    """A compiled pattern behind a cheap literal pre-check.

    Python's ``re`` tries a pattern at every position; most sentences contain none of the
    words a pattern needs.  ``Gated`` first checks that the text holds one of ``keys`` and only
    then runs the pattern (a substring test in C per key).  The keys must be necessary for a
    match, so gating never changes a result;
    ``tests/test_extract_regex.py`` checks this on random and real text.
    """

    __slots__ = ("keys", "pattern")

    def __init__(self, pattern: re.Pattern[str], keys: tuple[str, ...]) -> None:
        self.pattern = pattern
        self.keys = keys

    def _open(self, text: str) -> bool:
        low = _LOWER.get(text)
        if low is None:
            low = text.lower()
            if len(text) <= 4000:  # sentences, not whole documents
                if len(_LOWER) > 1024:
                    _LOWER.clear()
                _LOWER[text] = low
        return any(map(low.__contains__, self.keys))

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text) if self._open(text) else None

    def match(self, text: str) -> re.Match[str] | None:
        return self.pattern.match(text) if self._open(text) else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text) if self._open(text) else iter(())

    def findall(self, text: str) -> list[Any]:
        return self.pattern.findall(text) if self._open(text) else []


GATES: dict[str, Gated] = {}
_LOWER: dict[str, str] = {}  # lower-cased texts: the gates of one sentence share one lower()


def gate(pattern: re.Pattern[str], *keys: str) -> re.Pattern[str]:
    """Put ``pattern`` (registered with :func:`rx`) behind the literal keys (lower case).

    The result offers the ``search``/``match``/``finditer``/``findall`` methods of the pattern,
    which is all the extractor uses, and is typed as the pattern it stands in for.
    """
    name = next(n for n, p in REGISTRY.items() if p is pattern)
    g = Gated(pattern, tuple(k.lower() for k in keys))
    GATES[name] = g
    return cast("re.Pattern[str]", g)


DURATION_GATED = gate(DURATION, "day", "week", "month", "year")
PERCENT_GATED = gate(PERCENT, "%", "cent", "percent")
P_VALUE_GATED = gate(P_VALUE, "p<", "p>", "p=", "p≤", "p≥", "p&", "p <", "p >", "p =", "p ≤", "p ≥", "p &",
                     "p-value", "p value")
CI_GATED = gate(CI, "ci", "confidence")
EFFECT_GATED = gate(EFFECT, "ratio", "difference", "or", "hr", "rr", "md", "smd")
DOSE_GATED = gate(DOSE, "mg", "µg", "μg", "mcg", "microgram", "milligram")
