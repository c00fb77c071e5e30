"""Where an atlas synthesis and a published review of the same condition x outcome agree or differ.

A review enters a condition x outcome like any record (its condition, its outcome's domain) but is never
pooled: :func:`~ldn_atlas.appraise.synthesis.selection.choose_trials` excludes it. Here each of its pooled
estimates (an outcome measure with a 95% CI) is set beside the atlas's pooled estimate of that condition x
outcome. The comparison is of conclusions, not of numbers: the review may pool other trials, on another
scale (a mean difference in points beside the atlas's SMD), so they *agree* when both intervals favour LDN,
both favour control, or both include no effect, and *differ* otherwise. When either side has no pooled
interval there is nothing to compare.

References
----------
.. [1] Cochrane Handbook for Systematic Reviews of Interventions, version 6.4, chapter 15.3
   (interpreting a confidence interval: effect, no effect, or uncertain).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from ldn_atlas.appraise.synthesis.results import Conclusion, ReviewComparison, Synthesis, num
from ldn_atlas.model.evidence import Measure, Outcome, Study

#: Measures whose "no effect" is 0 (differences of means or of scores, standardised or not).
DIFFERENCE_KINDS = frozenset({"smd", "md", "mean-difference", "difference", "g", "hedges-g", "d", "cohen-d"})
#: Measures whose "no effect" is 1.
RATIO_KINDS = frozenset({"rr", "or", "risk-ratio", "odds-ratio", "hr", "hazard-ratio"})

def conclusion(kind: str, lb: float, ub: float, better: Literal["lower", "higher"]) -> Conclusion | None:
    """What a 95% CI says, given the measure's null and the outcome's direction of benefit.

    >>> conclusion("smd", -0.9, -0.2, "lower"), conclusion("RR", 1.2, 3.0, "higher"), conclusion("md", -1, 0.5, "lower")
    ('favours LDN', 'favours LDN', 'no clear effect')
    """
    key = kind.lower()
    null = 1.0 if key in RATIO_KINDS else 0.0 if key in DIFFERENCE_KINDS else None
    if null is None:
        return None
    if lb <= null <= ub:
        return "no clear effect"
    lower_side = ub < null
    return "favours LDN" if lower_side == (better == "lower") else "favours control"


def _pooled(outcome: Outcome) -> Measure | None:
    """The outcome's pooled estimate: a measure with a 95% CI on a scale with a known null."""
    for m in outcome.measures:
        if m.ci_lb is not None and m.ci_ub is not None and m.kind.lower() in DIFFERENCE_KINDS | RATIO_KINDS:
            return m
    return None


def _atlas_conclusion(syn: Synthesis) -> Conclusion | None:
    if syn.estimate is None or syn.ci_lb is None or syn.ci_ub is None:
        return None
    return conclusion(syn.measure, syn.ci_lb, syn.ci_ub, syn.better)


def _judge(review: Conclusion | None, atlas: Conclusion | None, syn: Synthesis) -> tuple[str, str]:
    if review is None:
        return "not-comparable", "the review's estimate has no interval on a scale with a known null"
    if atlas is None:
        return "not-comparable", "the atlas has no pooled estimate for this condition and outcome"
    atlas_text = f"the atlas's {syn.measure} {num(syn.estimate)} ({num(syn.ci_lb)} to {num(syn.ci_ub)})"
    if review == atlas:
        return "agree", f"both conclude: {review} ({atlas_text})"
    return "differ", f"the review: {review}; {atlas_text}: {atlas}"


def compare_reviews(syn: Synthesis, reviews: Sequence[tuple[Study, Outcome]]) -> tuple[ReviewComparison, ...]:
    """Each review outcome of the synthesis' condition x outcome beside the synthesis' own estimate."""
    out: list[ReviewComparison] = []
    atlas = _atlas_conclusion(syn)
    for study, outcome in reviews:
        m = _pooled(outcome)
        review = None
        estimate = "no pooled estimate"
        if m is not None and m.ci_lb is not None and m.ci_ub is not None:
            review = conclusion(m.kind, m.ci_lb, m.ci_ub, syn.better)
            estimate = f"{m.kind} {num(m.value)} ({num(m.ci_lb)} to {num(m.ci_ub)})"
        agreement, reason = _judge(review, atlas, syn)
        path = f"outcomes[{study.outcomes.index(outcome)}]"
        out.append(ReviewComparison(
            review=study.id, label=study.label, outcome=outcome.name, estimate_text=estimate,
            review_conclusion=review, atlas_conclusion=atlas, agreement=agreement,  # type: ignore[arg-type]
            reason=reason, verification=study.verification_of(path) or "unverified",
        ))
    return tuple(out)
