"""How crossover trials enter a synthesis: the within-person SMD with an assumed within-person
correlation ``r`` (Elbourne 2002; Cochrane Handbook 23.2.7), and the sensitivity sweep over ``r``.

A crossover trial's SMD is the within-person difference over the mean of the period SDs; its
variance (Becker) depends on ``r``, which trials rarely report, so a base case (``R_BASE``) is
assumed and the pooled result is recomputed for each ``r`` of ``R_SWEEP``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ldn_atlas.appraise.levels import analysed_n
from ldn_atlas.appraise.synthesis.describe import arm_means_text
from ldn_atlas.appraise.synthesis.fit import Z95, pool
from ldn_atlas.appraise.synthesis.reading import baseline, oriented_means, sd_of
from ldn_atlas.appraise.synthesis.results import ContinuousEffect, SensitivityRow
from ldn_atlas.model.evidence import Measure, Outcome, Study

#: Within-person correlations of the crossover sensitivity sweep.
R_SWEEP: tuple[float, ...] = (0.0, 0.25, 0.5, 0.75, 0.9)
R_BASE = 0.5


def crossover_smd(x1: float, sd1: float, x2: float, sd2: float, n: int, r: float) -> tuple[float, float]:
    """Hedges-corrected crossover SMD and variance through :func:`ldn_atlas.stats.clinical.crossover`."""
    from ldn_atlas.stats.clinical import crossover
    from ldn_atlas.stats.effect_sizes import hedges_correction

    eff = crossover(x1, sd1, x2, sd2, n, r, measure="SMD", variance="becker")
    j = float(np.asarray(hedges_correction(n - 1)).reshape(-1)[0])
    return float(eff.yi) * j, float(eff.vi) * j * j


def crossover_effect(
    study: Study, outcome: Outcome, m1: Measure, m2: Measure, level: str, r: float
) -> ContinuousEffect | str:
    """A crossover trial's SMD from its LDN and control period means (a reason string when none can be formed).

    The number analysed is the arms' n, else the study's; SDs come from SDs, SEs or CIs.
    """
    notes: list[str] = []
    n = m1.n or m2.n or analysed_n(study)
    if n is None:
        return "crossover without a number analysed"
    sd1, sd2 = sd_of(m1, n, notes, "LDN"), sd_of(m2, n, notes, "control")
    if sd1 is None or sd2 is None:
        return "no SD, SE or CI for the arm means"
    x1, x2 = oriented_means(m1, m2, outcome, notes)
    yi, vi = crossover_smd(x1, sd1, x2, sd2, n, r)
    notes.append(
        f"crossover: SMD = within-person difference / mean of the period SDs "
        f"({(sd1 + sd2) / 2:.2f}), Becker variance with an assumed within-person correlation "
        f"r = {r:g} and Hedges' small-sample correction on n - 1 df (Elbourne 2002; sensitivity "
        "sweep below)"
    )
    return ContinuousEffect(
        yi,
        vi,
        n,
        arm_means_text(m1, m2),
        "crossover RCT",
        notes,
        level,
        (sd1 + sd2) / 2,
        m1.unit,
        {"x1": x1, "x2": x2, "sd1": sd1, "sd2": sd2, "n": float(n)},
        baseline(outcome),
    )


def crossover_sensitivity(used: Sequence[ContinuousEffect], r: float, r_sweep: Sequence[float]) -> list[SensitivityRow]:
    """The pooled SMD for each within-person correlation of the sweep, then the parallel trials alone."""
    out: list[SensitivityRow] = []
    for rr in sorted(set(r_sweep) | {r}):
        ys, vs = [], []
        for u in used:
            if u.crossover:
                c = u.crossover
                y, v = crossover_smd(c["x1"], c["sd1"], c["x2"], c["sd2"], int(c["n"]), rr)
                ys.append(y)
                vs.append(v)
            else:
                ys.append(u.yi)
                vs.append(u.vi)
        f2, _ = pool(ys, vs)
        out.append(SensitivityRow(f"within-person r = {rr:g}", rr, float(f2.b), float(f2.ci_lb), float(f2.ci_ub)))
    par = [u for u in used if not u.crossover]
    if par:
        if len(par) >= 2:
            f3, _ = pool([u.yi for u in par], [u.vi for u in par])
            out.append(SensitivityRow("parallel trials only", None, float(f3.b), float(f3.ci_lb), float(f3.ci_ub)))
        else:
            u = par[0]
            h = Z95 * math.sqrt(u.vi)
            out.append(SensitivityRow("parallel trial only", None, u.yi, u.yi - h, u.yi + h))
    return out


#: The note of a synthesis that pools crossover with parallel trials.
MIXED_DESIGNS_NOTE = (
    "Design difference handled explicitly: parallel trials give Hedges' g from the "
    "between-group difference; crossover trials give g = within-person difference / "
    "within-condition SD, whose variance depends on the within-person correlation r "
    "(not reported, assumed). Both are on the same SD scale, so they are pooled; "
    "the sweep over r shows how much the result depends on the assumption."
)
