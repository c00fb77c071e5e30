"""One randomized trial's row in a comparative synthesis: its SMD when it can be pooled, else what it
reports in words (a difference with a CI, perhaps derived from its p-value, its p-value and direction)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from scipy import stats as sps

from ldn_atlas.appraise.grade import StudyEffect
from ldn_atlas.appraise.levels import analysed_n
from ldn_atlas.appraise.synthesis.describe import p_text
from ldn_atlas.appraise.synthesis.effects import continuous_effect
from ldn_atlas.appraise.synthesis.fit import Z95
from ldn_atlas.appraise.synthesis.reading import DIFF_ARM, design_label, verification
from ldn_atlas.appraise.synthesis.results import ContinuousEffect, StudyRow
from ldn_atlas.model.evidence import Outcome, Study

#: How the row of a trial not pooled words its direction.
_DIRECTION_WORDS = {
    "improved": "favoured LDN",
    "no-difference": "no difference between groups",
    "worsened": "favoured control",
    "mixed": "mixed results",
    "unclear": "unclear",
}


@dataclass(frozen=True)
class TrialRow:
    """A trial's row, its effect for GRADE, and its SMD (``used``, ``None`` when it cannot be pooled)."""

    study: Study
    row: StudyRow
    effect: StudyEffect
    used: ContinuousEffect | None


def trial_row(study: Study, oi: int, outcome: Outcome, better: str, r: float) -> TrialRow:
    """The row of one randomized trial's outcome: pooled when it has an SMD, described in words otherwise."""
    eff = continuous_effect(study, oi, outcome, better, r)
    if isinstance(eff, ContinuousEffect):
        return _pooled_row(study, outcome, eff)
    return _unpooled_row(study, oi, outcome, eff)


def _pooled_row(s: Study, o: Outcome, eff: ContinuousEffect) -> TrialRow:
    ci = Z95 * math.sqrt(eff.vi)
    row = StudyRow(
        s.id,
        s.label,
        eff.design,
        eff.n,
        eff.yi,
        eff.vi,
        eff.yi - ci,
        eff.yi + ci,
        raw=eff.raw,
        assumptions=tuple(eff.assumptions),
        verification=eff.verification,
        significant=o.significant,
        direction=o.direction,
    )
    return TrialRow(s, row, StudyEffect(s.id, eff.yi, eff.yi - ci, eff.yi + ci, o.significant, o.direction), eff)


def _unpooled_row(s: Study, i: int, o: Outcome, reason: str) -> TrialRow:
    """A trial without an SMD: its difference (CI reported or derived from p), p-value and direction."""
    diff = difference_from_p(s, i, o)
    raw_bits = []
    val: float | None
    lo: float | None
    hi: float | None
    ver: str | None
    if diff is not None:
        val, lo, hi, how, ver = diff
        unit = next((m.unit for m in o.measures if m.unit), None)
        raw_bits.append(
            f"{o.instrument or o.name}: difference {val:+g}{' ' + unit if unit else ''} "
            f"(95% CI {lo:.2f} to {hi:.2f}; {how})"
        )
    else:
        val = lo = hi = None
        ver = None
    if o.p is not None or o.p_text:
        raw_bits.append(p_text(o))
    if o.direction:
        raw_bits.append(_DIRECTION_WORDS.get(o.direction, o.direction))
    row = StudyRow(
        s.id,
        s.label,
        design_label(s),
        analysed_n(s) or s.population.n,
        raw="; ".join(raw_bits) or None,
        assumptions=(f"not poolable: {reason}",),
        verification=ver,
        significant=o.significant,
        direction=o.direction,
        ci_lb=lo,
        ci_ub=hi,
        yi=val,
    )
    return TrialRow(s, row, StudyEffect(s.id, val, lo, hi, o.significant, o.direction), None)


def difference_from_p(study: Study, oi: int, outcome: Outcome) -> tuple[float, float, float, str, str] | None:
    """A between-condition difference with a CI derived from its p-value (Cochrane Handbook 6.3.2)."""
    n = analysed_n(study)
    for j, m in enumerate(outcome.measures):
        if re.search(r"median|iqr|effect-size|cohens|ratio", m.kind.lower()):
            continue
        if DIFF_ARM.search(m.arm) or m.kind.lower() in ("difference", "mean-difference", "md"):
            ver = verification(study, f"outcomes[{oi}].measures[{j}].value")
            if ver == "unverified":
                return None
            if m.ci_lb is not None and m.ci_ub is not None:
                return m.value, m.ci_lb, m.ci_ub, "reported 95% CI", ver
            p = outcome.p
            if p is not None and n and 0 < p < 1:
                df = n - 1 if "crossover" in study.design else max(n - 2, 1)
                se = abs(m.value) / float(sps.t.ppf(1 - p / 2, df))
                t = float(sps.t.ppf(0.975, df))
                return (
                    m.value,
                    m.value - t * se,
                    m.value + t * se,
                    f"95% CI derived from p = {p:g} with t on {df} df",
                    ver,
                )
    return None
