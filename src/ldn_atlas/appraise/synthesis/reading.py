"""Reading a study's numbers for a synthesis: which arm is LDN and which control, how verified a number
is, SDs recovered from SEs and CIs, the orientation of a score, baseline scores, arm sizes and the
design label of a row."""

from __future__ import annotations

import math
import re
from typing import Literal

from scipy import stats as sps

from ldn_atlas.model.classify import LOWER_IS_BETTER_DOMAINS, DesignCategory, design_category
from ldn_atlas.model.evidence import Measure, Outcome, Study

#: Domains where a lower score is better (pain, fatigue...); the others are higher-is-better.
LOWER_BETTER = LOWER_IS_BETTER_DOMAINS
ARM_LDN = re.compile(r"\b(ldn|naltrexone|treatment|active|drug|intervention)\b", re.I)
ARM_PLACEBO = re.compile(r"\b(placebo|control|sham)\b", re.I)
DIFF_ARM = re.compile(r"^(difference|diff|between|ldn[- ]?vs?[- ]?placebo|contrast)", re.I)


def better_for(domain: str) -> Literal["lower", "higher"]:
    """Whether a lower or a higher score is better in an outcome domain."""
    return "lower" if domain in LOWER_BETTER else "higher"


def verification(study: Study, path: str) -> str:
    """How a number of the study was verified (``unverified`` when not recorded)."""
    return study.verification_of(path) or "unverified"


def is_ldn(arm: str) -> bool:
    """An arm label naming LDN (or the active treatment) and not a control."""
    return bool(ARM_LDN.search(arm)) and not ARM_PLACEBO.search(arm)


def is_placebo(arm: str) -> bool:
    """An arm label naming a placebo, sham or control."""
    return bool(ARM_PLACEBO.search(arm))


def sd_of(m: Measure, n: int | None, notes: list[str], who: str) -> float | None:
    """An SD from a measure: its SD, its SE times sqrt(n), or its 95% CI (t with n-1 df)."""
    if m.sd is not None:
        return m.sd
    if n is None or n < 2:
        return None
    if m.se is not None:
        notes.append(f"{who}: SD = SE x sqrt(n) = {m.se:g} x sqrt({n})")
        return m.se * math.sqrt(n)
    if m.ci_lb is not None and m.ci_ub is not None:
        t = float(sps.t.ppf(0.975, n - 1))
        sd = math.sqrt(n) * abs(m.ci_ub - m.ci_lb) / (2 * t)
        notes.append(
            f"{who}: the dispersion is a 95% CI ({m.ci_lb:g} to {m.ci_ub:g}), not an SD; "
            f"SD = sqrt({n}) x width / (2 x t(0.975, {n - 1}) = {t:.3f}) = {sd:.2f}"
        )
        return sd
    return None


def orientation(m: Measure, outcome: Outcome) -> int:
    """+1 when a larger value means more of the outcome (a score), -1 for a 'reduction' or 'improvement'."""
    text = f"{m.kind} {m.unit or ''} {outcome.name}".lower()
    return -1 if re.search(r"reduction|improvement|decrease|relief", text) else 1


def baseline(outcome: Outcome) -> float | None:
    """Mean baseline score over the arms that report one (for percent-of-baseline MCIDs)."""
    vals = [
        m.value
        for m in outcome.measures
        if m.kind.lower() == "baseline" or (m.timepoint or "").lower().startswith("baseline")
    ]
    return sum(vals) / len(vals) if vals else None


def has_dispersion(m: Measure) -> bool:
    """A measure with an SD, an SE or a 95% CI."""
    return m.sd is not None or m.se is not None or (m.ci_lb is not None and m.ci_ub is not None)


def arm_sizes(study: Study, oi: int, outcome: Outcome) -> tuple[int, int, str] | None:
    """LDN and control arm sizes: from the outcome's measures, its responder denominators, or arm subgroups."""
    n1 = next((m.n for m in outcome.measures if m.n and is_ldn(m.arm)), None)
    n2 = next((m.n for m in outcome.measures if m.n and is_placebo(m.arm)), None)
    if n1 and n2:
        return n1, n2, "arm sizes of the outcome"
    n1 = next((r.n for r in outcome.responders if r.n and r.arm and is_ldn(r.arm)), None)
    n2 = next((r.n for r in outcome.responders if r.n and r.arm and is_placebo(r.arm)), None)
    if n1 and n2:
        return n1, n2, "analysed per arm (responder denominators)"
    groups = study.population.subgroups
    n1 = next((g.count for g in groups if g.count and is_ldn(g.label)), None)
    n2 = next((g.count for g in groups if g.count and is_placebo(g.label)), None)
    if n1 and n2:
        return n1, n2, "randomised per arm"
    return None


def design_label(study: Study) -> str:
    """The design of a study as a row shows it (parallel or crossover RCT, else its category)."""
    cat = design_category(study)
    if cat == DesignCategory.RANDOMISED_CONTROLLED:
        return "crossover RCT" if "crossover" in study.design else "parallel RCT"
    return cat.label


def oriented_means(m1: Measure, m2: Measure, outcome: Outcome, notes: list[str]) -> tuple[float, float]:
    """The LDN and control means on the scale of a change in the score: sign-flipped, with a note, when
    they are a reduction or an improvement (positive = better)."""
    sign = orientation(m1, outcome)
    if sign < 0:
        notes.append(
            f"values are a {m1.kind} (positive = improvement); sign flipped so that the SMD is on the "
            "scale of a change in the score"
        )
    return sign * m1.value, sign * m2.value
