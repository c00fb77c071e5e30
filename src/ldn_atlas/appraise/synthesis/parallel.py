"""How parallel trials enter a synthesis: Hedges' g from the LDN and control arm means, or, when the arms
have no dispersion, from the reported between-group difference and its CI (Cochrane Handbook 6.5.2.3)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from scipy import stats as sps

from ldn_atlas.appraise.synthesis.describe import arm_means_text
from ldn_atlas.appraise.synthesis.reading import (
    DIFF_ARM,
    arm_sizes,
    baseline,
    oriented_means,
    sd_of,
    verification,
)
from ldn_atlas.appraise.synthesis.results import ContinuousEffect
from ldn_atlas.model.evidence import Measure, Outcome, Study


def parallel_effect(outcome: Outcome, m1: Measure, m2: Measure, level: str) -> ContinuousEffect | str:
    """A parallel trial's Hedges' g from its LDN and control arm means (a reason string when none can be formed)."""
    from ldn_atlas.stats import escalc

    notes: list[str] = []
    n1, n2 = m1.n, m2.n
    if n1 is None or n2 is None:
        return "arm sizes not recorded"
    sd1, sd2 = sd_of(m1, n1, notes, "LDN"), sd_of(m2, n2, notes, "control")
    if sd1 is None or sd2 is None:
        return "no SD, SE or CI for the arm means"
    x1, x2 = oriented_means(m1, m2, outcome, notes)
    sdp = math.sqrt((sd1**2 + sd2**2) / 2)
    es = escalc("SMD", m1i=[x1], m2i=[x2], sd1i=[sd1], sd2i=[sd2], n1i=[m1.n], n2i=[m2.n])
    return ContinuousEffect(
        float(es.yi[0]),
        float(es.vi[0]),
        (m1.n or 0) + (m2.n or 0),
        arm_means_text(m1, m2),
        "parallel RCT",
        notes,
        level,
        sdp,
        m1.unit,
        None,
        baseline(outcome),
    )


def smd_from_difference(
    study: Study, oi: int, outcome: Outcome, arms: Mapping[str, tuple[int, Measure]]
) -> ContinuousEffect | None:
    """Hedges' g from a parallel trial's mean difference and its CI (Cochrane Handbook 6.5.2.3).

    The pooled SD is ``SE(MD) / sqrt(1/n1 + 1/n2)`` with ``SE(MD)`` from the CI and t on
    ``n1 + n2 - 2`` df.  Crossover differences need the within-person SD and are not handled here.
    """
    from ldn_atlas.stats import escalc

    if "crossover" in study.design:
        return None
    sizes = arm_sizes(study, oi, outcome)
    if sizes is None:
        return None
    n1, n2, how_n = sizes
    for j, m in enumerate(outcome.measures):
        if re.search(r"median|iqr|effect-size|cohens|ratio", m.kind.lower()):
            continue
        if not (DIFF_ARM.search(m.arm) or "difference" in m.kind.lower()):
            continue
        if m.ci_lb is None or m.ci_ub is None:
            continue
        paths = [f"outcomes[{oi}].measures[{j}].{f}" for f in ("value", "ci_lb", "ci_ub")]
        ver = [verification(study, x) for x in paths]
        if "unverified" in ver:
            return None
        df = n1 + n2 - 2
        se = abs(m.ci_ub - m.ci_lb) / (2 * float(sps.t.ppf(0.975, df)))
        sd = se / math.sqrt(1 / n1 + 1 / n2)
        notes = [
            f"no arm-level dispersion: SD recovered from the {m.kind} {m.value:g} (95% CI {m.ci_lb:g} to "
            f"{m.ci_ub:g}) as SE/sqrt(1/n1 + 1/n2) = {sd:.2f}, with n = {n1} and {n2} ({how_n})"
        ]
        sign = 1.0
        if "ldn" in arms and "placebo" in arms:
            arm_diff = arms["ldn"][1].value - arms["placebo"][1].value
            if arm_diff * m.value < 0:
                sign = -1.0
                notes.append(
                    "the reported difference is control minus LDN (its sign disagrees with the arm means); sign flipped"
                )
        if "adjusted" in m.kind.lower():
            notes.append("the difference is covariate-adjusted; its SD is treated as the outcome's SD")
        md = sign * m.value
        es = escalc("SMD", m1i=[md], m2i=[0.0], sd1i=[sd], sd2i=[sd], n1i=[n1], n2i=[n2])
        unit = next((x.unit for x in outcome.measures if x.unit), None)
        raw = (
            f"difference {md:+g}{' ' + unit if unit else ''} (95% CI {sign * m.ci_lb:g} to {sign * m.ci_ub:g}"
            f"{', ' + m.timepoint if m.timepoint else ''})"
        )
        level = "secondary" if "secondary" in ver else "primary"
        return ContinuousEffect(
            float(es.yi[0]),
            float(es.vi[0]),
            n1 + n2,
            raw,
            "parallel RCT",
            notes,
            level,
            sd,
            unit,
            None,
            baseline(outcome),
        )
    return None
