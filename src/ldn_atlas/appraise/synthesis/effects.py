"""One trial's continuous effect (an SMD): find the LDN and control arm means, then hand them to the
reader of the trial's design (:mod:`.parallel` or :mod:`.crossover`), or fall back on the reported
between-group difference."""

from __future__ import annotations

from ldn_atlas.appraise.synthesis.crossover import crossover_effect
from ldn_atlas.appraise.synthesis.parallel import parallel_effect, smd_from_difference
from ldn_atlas.appraise.synthesis.reading import has_dispersion, is_ldn, is_placebo, verification
from ldn_atlas.appraise.synthesis.results import ContinuousEffect
from ldn_atlas.model.evidence import Measure, Outcome, Study

#: Measure kinds that are not an arm's mean.
_NOT_A_MEAN = ("sd", "median", "iqr", "count", "p", "baseline")


def arm_means(outcome: Outcome) -> dict[str, tuple[int, Measure]]:
    """The first follow-up mean of the LDN arm (``"ldn"``) and of the control arm (``"placebo"``), with its index."""
    arms: dict[str, tuple[int, Measure]] = {}
    for j, m in enumerate(outcome.measures):
        if m.kind.lower() in _NOT_A_MEAN or (m.timepoint or "").lower().startswith("baseline"):
            continue
        role = "ldn" if is_ldn(m.arm) else "placebo" if is_placebo(m.arm) else None
        if role and role not in arms:
            arms[role] = (j, m)
    return arms


def continuous_effect(study: Study, oi: int, outcome: Outcome, better: str, r: float) -> ContinuousEffect | str:
    """The study's SMD (LDN minus control, oriented so that negative favours LDN when lower is better).

    Returns a reason string when no SMD can be formed.
    """
    arms = arm_means(outcome)
    if (
        "ldn" not in arms
        or "placebo" not in arms
        or not has_dispersion(arms["ldn"][1])
        or not has_dispersion(arms["placebo"][1])
    ):
        via = smd_from_difference(study, oi, outcome, arms)
        if via is not None:
            return via
    if "ldn" not in arms or "placebo" not in arms:
        kinds = {m.kind.lower() for m in outcome.measures}
        if kinds & {"median", "iqr"}:
            return "reports medians and IQRs only: not converted to means for pooling"
        return "no arm-level mean with a dispersion for LDN and control"
    (j1, m1), (j2, m2) = arms["ldn"], arms["placebo"]
    ver = [verification(study, f"outcomes[{oi}].measures[{j}].value") for j in (j1, j2)]
    if "unverified" in ver:
        return "arm-level numbers are unverified: never pooled"
    level = "secondary" if "secondary" in ver else "primary"
    if "crossover" in study.design:
        return crossover_effect(study, outcome, m1, m2, level, r)
    return parallel_effect(outcome, m1, m2, level)
