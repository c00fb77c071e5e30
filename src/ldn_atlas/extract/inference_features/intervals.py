"""Confidence intervals: whether they include or exclude the null (1 for ratios, 0 for differences), and their sign."""

from __future__ import annotations

import re

from ldn_atlas.extract.inference_features.prepared import PreparedPrompt
from ldn_atlas.extract.inference_features.tokens import _num

_CI = re.compile(
    r"(?:\bCI\b|confidence\s+intervals?|credible\s+intervals?)(?:\s{0,3}[(\[]CI[)\]])?"
    # "CI 95% -2.1 to -0.2": the level after the label is not the lower bound.
    r"(?:\s{0,2}9[059](?:\.\d)?\s?%)?[\s:,=\[(]{0,6}"
    # "(95% CI) = 2.17 [1.55-3.05]": the point estimate between the label and the interval.
    r"(?:[)\]]\s{0,2}[:=]?\s{0,2}[\-−–]?\d+(?:\.\d+)?\s{0,3}[(\[]\s{0,2})?"
    r"([\-−–]?\s?\d+(?:\.\d+)?)\s{0,3}%?\s{0,3}(?:to|-|–|—|,|;|−|and)\s{0,3}([\-−–]?\s?\d+(?:\.\d+)?)",
    re.IGNORECASE,
)
_RATIO_WORDS = re.compile(
    r"\b(?:OR|RR|HR|IRR|aOR|aHR|aRR|odds|hazard|ratio|relative\s+risk|risk\s+ratio|rate\s+ratio)\b",
)
_DIFF_WORDS = re.compile(r"\b(?:difference|MD|WMD|SMD|RD|ARR|change|mean\s+diff)\b", re.IGNORECASE)
_MAGNITUDE_DOWN = re.compile(
    r"\b(?:reduc(?:ed|es|ing|tions?)|lower(?:ed)?|decreas(?:ed|es|ing|e)|declined?|fewer|less|shorter|smaller|"
    r"drop(?:ped)?|fell|saving|savings)\b", re.IGNORECASE)
_VERSUS = re.compile(r"\b(?:vs|versus|compared|than)\b")
_HAZARD = re.compile(r"\b(?:[Hh]azard|a?HR)\b")
_SURVIVAL = frozenset(("survival", "surviv", "free", "progression-free", "disease-free", "event-free", "time"))


def interval_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the confidence intervals of ``text`` (their bounds are not arm values)."""
    return [(m.start(), m.end()) for m in _CI.finditer(text)]


def interval_features(text: str, pp: PreparedPrompt | None) -> dict[str, float]:
    """Whether the intervals exclude or include the null, and the sign of those that exclude it."""
    f: dict[str, float] = {}
    ci_ex = ci_in = 0
    ci_dir = 0
    prev_ratio = False
    surv_outcome = pp is not None and any(t in _SURVIVAL for t in pp.outcome)
    ci_ms = list(_CI.finditer(text))
    for k_, m in enumerate(ci_ms):
        try:
            a, b = _num(m.group(1)), _num(m.group(2))
        except ValueError:
            continue
        lo_, hi_ = min(a, b), max(a, b)
        ctx = text[max(0, m.start() - 80) : m.start()]
        diff_near = _DIFF_WORDS.search(ctx[-30:]) is not None
        # A list of ratios ("HR 0.4 (CI ..) for X and 0.07 (CI ..) for Y"): a later interval
        # without a difference word is a ratio like the first.
        ratio = (_RATIO_WORDS.search(ctx) is not None or prev_ratio) and not diff_near
        prev_ratio = ratio
        null = 1.0 if ratio else 0.0
        if ratio and lo_ < 0:
            null = 0.0
        if lo_ > null or hi_ < null:
            ci_ex += 1
            # "a 17% (95% CI 9-25) reduction", "0.66% lower (95% CI 0.48-0.84)": an unsigned
            # magnitude; the word, not the interval, gives the direction.
            # "68.9 (95% CI 66.4-71.4) in group A vs 72.1 (95% CI 70.4-74.6) in group B": one
            # interval per arm, not a contrast.
            if not ratio and not diff_near and (
                    (k_ > 0 and _VERSUS.search(text[ci_ms[k_ - 1].end() : m.start()]))
                    or (k_ + 1 < len(ci_ms) and _VERSUS.search(text[m.end() : ci_ms[k_ + 1].start()]))):
                continue
            if not ratio and lo_ > 0 and _MAGNITUDE_DOWN.search(
                    text[max(0, m.start() - 45) : min(len(text), m.end() + 45)]):
                continue
            sign_ = 1 if lo_ > null else -1
            # A hazard ratio counts events (death, progression): below 1 means longer survival.
            if ratio and surv_outcome and _HAZARD.search(ctx):
                sign_ = -sign_
            ci_dir += sign_
        else:
            ci_in += 1
    f["ci_excl"] = float(ci_ex > 0)
    f["ci_incl"] = float(ci_in > 0)
    f["ci_only_incl"] = float(ci_in > 0 and ci_ex == 0)
    f["ci_dir"] = float((ci_dir > 0) - (ci_dir < 0))
    return f
