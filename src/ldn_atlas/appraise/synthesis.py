"""Syntheses of the evidence base: one per condition x outcome, pooled where the rules allow.

Rules (issue 5):

* only human studies with a primary record are used (records of a study as an article
  describes it, ``primary_source`` set, are represented by their primary study);
* a comparative synthesis pools randomized controlled trials only; non-randomized and
  single-arm studies are listed as excluded with the reason;
* numbers marked ``unverified`` are never pooled; ``secondary`` numbers are pooled and
  flagged;
* continuous outcomes are pooled as standardized mean differences (Hedges' g) so that
  parallel and crossover trials, and different instruments, share one scale; a crossover
  trial's SMD uses the within-condition SD and an assumed within-person correlation ``r``
  (base case 0.5), with a sensitivity sweep over ``r``;
* a dispersion recorded as a 95% confidence interval is turned into an SD with
  ``SD = sqrt(n) * (upper - lower) / (2 t_{0.975, n-1})`` and the assumption recorded;
* responder outcomes (at least X% improvement) are pooled as risk ratios when two or more
  trials share the threshold, with NNT from the pooled risk difference;
* single-arm adverse-event proportions are pooled as logit proportions (PLO);
* defaults: REML, Knapp-Hartung, 95% prediction interval;
* a condition x outcome with controlled studies but fewer than two poolable ones is a
  single-study or narrative synthesis, and its summary-of-findings row says so.

References
----------
.. [1] Higgins JPT et al. (eds). Cochrane Handbook for Systematic Reviews of Interventions,
   v6.3, 2022: 6.5.2.3 (SDs from confidence intervals), 6.3.2 (SEs from p-values),
   23.2.7 (crossover trials in meta-analysis).
.. [2] Elbourne DR et al. Meta-analyses involving cross-over trials: methodological issues.
   Int J Epidemiol 2002;31:140-9.
.. [3] Hartung J, Knapp G. On tests of the overall treatment effect in meta-analysis with
   normally distributed responses. Stat Med 2001;20:1771-82.
.. [4] Riley RD, Higgins JPT, Deeks JJ. Interpretation of random effects meta-analyses.
   BMJ 2011;342:d549 (prediction intervals).
"""

from __future__ import annotations

import math
import re
import warnings
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

import numpy as np
from scipy import stats as sps

from ldn_atlas.appraise.grade import Effect, EvidenceBody, StudyEffect, certainty_label, grade
from ldn_atlas.appraise.levels import analysed_n, evidence_level
from ldn_atlas.appraise.mcid import McidRegistry, McidVerdict, classify_against_mcid, load_mcid_registry
from ldn_atlas.model.classify import LOWER_IS_BETTER_DOMAINS, DesignCategory, design_category, outcome_domain
from ldn_atlas.model.evidence import Appraisal, Measure, Outcome, Override, Study

SynthesisKind = Literal["meta-analysis", "single-study", "narrative", "proportion"]
#: Within-person correlations of the crossover sensitivity sweep.
R_SWEEP: tuple[float, ...] = (0.0, 0.25, 0.5, 0.75, 0.9)
R_BASE = 0.5
#: Domains where a lower score is better (pain, fatigue...); the others are higher-is-better.
_LOWER_BETTER = LOWER_IS_BETTER_DOMAINS
_ARM_LDN = re.compile(r"\b(ldn|naltrexone|treatment|active|drug|intervention)\b", re.I)
_ARM_PLACEBO = re.compile(r"\b(placebo|control|sham)\b", re.I)
_DIFF_ARM = re.compile(r"^(difference|diff|between|ldn[- ]?vs?[- ]?placebo|contrast)", re.I)


# -- result types ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StudyRow:
    """One study's contribution to a synthesis, on the synthesis scale, with its assumptions."""

    study: str
    label: str
    design: str
    n: int | None
    yi: float | None = None
    vi: float | None = None
    ci_lb: float | None = None
    ci_ub: float | None = None
    weight: float | None = None
    raw: str | None = None
    assumptions: tuple[str, ...] = ()
    verification: str | None = None
    significant: bool | None = None
    direction: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["assumptions"] = list(self.assumptions)
        return out


@dataclass(frozen=True)
class Exclusion:
    study: str
    label: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SensitivityRow:
    label: str
    r: float | None
    estimate: float
    ci_lb: float
    ci_ub: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SofRow:
    """One row of a summary-of-findings table (GRADE)."""

    condition: str
    condition_code: str | None
    outcome: str
    studies: str
    participants: int | None
    effect: str
    absolute: str
    certainty: str
    certainty_label: str
    mcid_verdict: str
    rationale: str
    synthesis: str
    kind: SynthesisKind
    study_ids: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["study_ids"] = list(self.study_ids)
        return out


@dataclass(frozen=True)
class Synthesis:
    """A synthesis of one condition x outcome: the studies, the pooled result, GRADE and the MCID verdict."""

    id: str
    condition: str
    condition_code: str | None
    outcome: str
    outcome_label: str
    kind: SynthesisKind
    measure: str
    better: Literal["lower", "higher"]
    rows: tuple[StudyRow, ...]
    excluded: tuple[Exclusion, ...] = ()
    method: str = "REML"
    test: str = "knha"
    estimate: float | None = None
    ci_lb: float | None = None
    ci_ub: float | None = None
    pi_lb: float | None = None
    pi_ub: float | None = None
    pval: float | None = None
    tau2: float | None = None
    i2: float | None = None
    k: int = 0
    sensitivity: tuple[SensitivityRow, ...] = ()
    notes: tuple[str, ...] = ()
    absolute: str = ""
    appraisal: Appraisal | None = None
    mcid: McidVerdict | None = None
    participants: int | None = None
    nnt: dict[str, Any] | None = None

    @property
    def certainty(self) -> str | None:
        return self.appraisal.certainty if self.appraisal else None

    @property
    def k_pooled(self) -> int:
        """Studies in the pooled estimate (0 for a narrative synthesis)."""
        return self.k if self.kind in ("meta-analysis", "proportion") else (1 if self.estimate is not None else 0)

    @property
    def effect_text(self) -> str:
        """The effect as the summary-of-findings table shows it."""
        return self.sof().effect

    @property
    def absolute_text(self) -> str:
        return self.absolute

    @property
    def mcid_text(self) -> str:
        return self.mcid.text if self.mcid else "no MCID recorded"

    @property
    def rationale(self) -> str:
        return self.appraisal.rationale if self.appraisal else ""

    def _pooled_text(self) -> str:
        if self.estimate is None or self.ci_lb is None or self.ci_ub is None:
            return "not pooled"
        if self.measure == "PLO":
            return f"{self.estimate:.1%} (95% CI {self.ci_lb:.1%} to {self.ci_ub:.1%})"
        text = f"{self.measure} {_num(self.estimate)} (95% CI {_num(self.ci_lb)} to {_num(self.ci_ub)})"
        if self.pi_lb is not None and self.k >= 2 and not math.isnan(self.pi_lb):
            text += f"; 95% PI {_num(self.pi_lb)} to {_num(self.pi_ub)}"
        return text

    def sof(self) -> SofRow:
        designs: dict[str, int] = defaultdict(int)
        for row in self.rows:
            designs[row.design] += 1
        kinds = ", ".join(f"{n} {d}" for d, n in sorted(designs.items()))
        nstud = len(self.rows)
        studies = f"{nstud} {'study' if nstud == 1 else 'studies'} ({kinds})" if nstud else "none"
        if self.kind == "narrative":
            effect = "Not pooled (narrative synthesis): " + "; ".join(
                f"{r.label}: {r.raw or 'no usable numbers'}" for r in self.rows
            )
        elif self.kind == "single-study":
            r0 = self.rows[0]
            if self.estimate is None:
                effect = f"One study ({r0.label}): {r0.raw or 'no usable numbers'}; no effect size reported"
            else:
                effect = f"{self._pooled_text()} from one study ({r0.label})"
        else:
            effect = self._pooled_text()
            mh = [x for x in self.sensitivity if x.label.startswith("Mantel-Haenszel")]
            if mh and self.k == 2:
                effect += (
                    f"; Mantel-Haenszel common effect RR {_num(mh[0].estimate)} ({_num(mh[0].ci_lb)} to "
                    f"{_num(mh[0].ci_ub)})"
                )
        a = self.appraisal
        return SofRow(
            condition=self.condition,
            condition_code=self.condition_code,
            outcome=self.outcome_label,
            studies=studies,
            participants=self.participants,
            effect=effect,
            absolute=self.absolute or "-",
            certainty=a.certainty if a else "not-assessed",
            certainty_label=certainty_label(a.certainty) if a else "Not assessed",
            mcid_verdict=self.mcid.text if self.mcid else "no MCID recorded",
            rationale=a.rationale if a else "",
            synthesis=self.id,
            kind=self.kind,
            study_ids=tuple(r.study for r in self.rows),
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "condition": self.condition,
            "condition_code": self.condition_code,
            "outcome": self.outcome,
            "outcome_label": self.outcome_label,
            "kind": self.kind,
            "measure": self.measure,
            "better": self.better,
            "method": self.method,
            "test": self.test,
            "estimate": self.estimate,
            "ci_lb": self.ci_lb,
            "ci_ub": self.ci_ub,
            "pi_lb": _nan_none(self.pi_lb),
            "pi_ub": _nan_none(self.pi_ub),
            "pval": self.pval,
            "tau2": self.tau2,
            "i2": self.i2,
            "k": self.k,
            "participants": self.participants,
            "k_pooled": self.k_pooled,
            "effect": self.effect_text,
            "absolute": self.absolute,
            "rows": [r.to_dict() for r in self.rows],
            "excluded": [e.to_dict() for e in self.excluded],
            "sensitivity": [s.to_dict() for s in self.sensitivity],
            "notes": list(self.notes),
            "appraisal": self.appraisal.model_dump(mode="json") if self.appraisal else None,
            "mcid": self.mcid.to_dict() if self.mcid else None,
            "nnt": self.nnt,
            "sof": self.sof().to_dict(),
        }
        return out


@dataclass(frozen=True)
class SynthesisReport:
    """All syntheses of an evidence base, with summary-of-findings rows grouped by condition."""

    syntheses: tuple[Synthesis, ...]
    excluded_studies: tuple[Exclusion, ...] = ()
    assumptions: tuple[str, ...] = field(default_factory=tuple)

    def sof_by_condition(self) -> dict[str, list[SofRow]]:
        out: dict[str, list[SofRow]] = defaultdict(list)
        for s in self.syntheses:
            out[s.condition].append(s.sof())
        return dict(out)

    def get(self, synthesis_id: str) -> Synthesis:
        for s in self.syntheses:
            if s.id == synthesis_id:
                return s
        raise KeyError(synthesis_id)

    def find(self, condition: str, outcome: str) -> list[Synthesis]:
        c, o = condition.lower(), outcome.lower()
        return [
            s
            for s in self.syntheses
            if (c in s.condition.lower() or (s.condition_code or "").lower().startswith(c))
            and (o == s.outcome or o in s.outcome_label.lower())
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "syntheses": [s.to_dict() for s in self.syntheses],
            "sof": {c: [r.to_dict() for r in rows] for c, rows in self.sof_by_condition().items()},
            "excluded_studies": [e.to_dict() for e in self.excluded_studies],
            "assumptions": list(self.assumptions),
        }


def _p_text(outcome: Outcome) -> str:
    """The p-value as the record writes it ("P<0.01"), else ``p = value``; never "p p=..."."""
    if outcome.p_text:
        text = outcome.p_text.strip()
        return text if text[:1].lower() == "p" else f"p {text}"
    return f"p = {outcome.p:g}" if outcome.p is not None else ""


def _num(x: float | None) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "NA"
    return f"{x:.2f}"


def _nan_none(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else x


# -- reading numbers from a study ---------------------------------------------------------------------


def _verification(study: Study, path: str) -> str:
    return study.verification_of(path) or "unverified"


def _is_ldn(arm: str) -> bool:
    return bool(_ARM_LDN.search(arm)) and not _ARM_PLACEBO.search(arm)


def _is_placebo(arm: str) -> bool:
    return bool(_ARM_PLACEBO.search(arm))


def _sd_of(m: Measure, n: int | None, notes: list[str], who: str) -> float | None:
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


def _orientation(m: Measure, outcome: Outcome) -> int:
    """+1 when a larger value means more of the outcome (a score), -1 for a 'reduction' or 'improvement'."""
    text = f"{m.kind} {m.unit or ''} {outcome.name}".lower()
    return -1 if re.search(r"reduction|improvement|decrease|relief", text) else 1


@dataclass
class _Continuous:
    yi: float
    vi: float
    n: int | None
    raw: str
    design: str
    assumptions: list[str]
    verification: str
    sd_pooled: float | None
    unit: str | None
    crossover: dict[str, float] | None = None
    baseline: float | None = None


def _baseline(outcome: Outcome) -> float | None:
    """Mean baseline score over the arms that report one (for percent-of-baseline MCIDs)."""
    vals = [
        m.value
        for m in outcome.measures
        if m.kind.lower() == "baseline" or (m.timepoint or "").lower().startswith("baseline")
    ]
    return sum(vals) / len(vals) if vals else None


def _continuous_effect(study: Study, oi: int, outcome: Outcome, better: str, r: float) -> _Continuous | str:
    """The study's SMD (LDN minus control, oriented so that negative favours LDN when lower is better).

    Returns a reason string when no SMD can be formed.
    """
    from ldn_atlas.stats import escalc

    arms: dict[str, tuple[int, Measure]] = {}
    for j, m in enumerate(outcome.measures):
        if m.kind.lower() in ("sd", "median", "iqr", "count", "p", "baseline") or (
            m.timepoint or ""
        ).lower().startswith("baseline"):
            continue
        role = "ldn" if _is_ldn(m.arm) else "placebo" if _is_placebo(m.arm) else None
        if role and role not in arms:
            arms[role] = (j, m)
    if (
        "ldn" not in arms
        or "placebo" not in arms
        or not _has_dispersion(arms["ldn"][1])
        or not _has_dispersion(arms["placebo"][1])
    ):
        via = _smd_from_difference(study, oi, outcome, arms)
        if via is not None:
            return via
    if "ldn" not in arms or "placebo" not in arms:
        kinds = {m.kind.lower() for m in outcome.measures}
        if kinds & {"median", "iqr"}:
            return "reports medians and IQRs only: not converted to means for pooling"
        return "no arm-level mean with a dispersion for LDN and control"
    (j1, m1), (j2, m2) = arms["ldn"], arms["placebo"]
    ver = [_verification(study, f"outcomes[{oi}].measures[{j}].value") for j in (j1, j2)]
    if "unverified" in ver:
        return "arm-level numbers are unverified: never pooled"
    notes: list[str] = []
    crossover = "crossover" in study.design
    n_total = analysed_n(study)
    if crossover:
        n = m1.n or m2.n or n_total
        if n is None:
            return "crossover without a number analysed"
        sd1, sd2 = _sd_of(m1, n, notes, "LDN"), _sd_of(m2, n, notes, "control")
    else:
        n1, n2 = m1.n, m2.n
        if n1 is None or n2 is None:
            return "arm sizes not recorded"
        sd1, sd2 = _sd_of(m1, n1, notes, "LDN"), _sd_of(m2, n2, notes, "control")
    if sd1 is None or sd2 is None:
        return "no SD, SE or CI for the arm means"
    sign = _orientation(m1, outcome)
    if sign < 0:
        notes.append(
            f"values are a {m1.kind} (positive = improvement); sign flipped so that the SMD is on the "
            "scale of a change in the score"
        )
    x1, x2 = sign * m1.value, sign * m2.value
    unit = m1.unit
    raw = (
        f"LDN {m1.value:g} vs control {m2.value:g}{' ' + unit if unit else ''} ({m1.kind}"
        f"{', ' + m1.timepoint if m1.timepoint else ''})"
    )
    sdp = math.sqrt((sd1**2 + sd2**2) / 2)
    verification = "secondary" if "secondary" in ver else "primary"
    if crossover:
        assert n is not None
        yi, vi = _crossover_smd(x1, sd1, x2, sd2, n, r)
        notes.append(
            f"crossover: SMD = within-person difference / mean of the period SDs "
            f"({(sd1 + sd2) / 2:.2f}), Becker variance with an assumed within-person correlation "
            f"r = {r:g} and Hedges' small-sample correction on n - 1 df (Elbourne 2002; sensitivity "
            "sweep below)"
        )
        return _Continuous(
            yi,
            vi,
            n,
            raw,
            "crossover RCT",
            notes,
            verification,
            (sd1 + sd2) / 2,
            unit,
            {"x1": x1, "x2": x2, "sd1": sd1, "sd2": sd2, "n": float(n)},
            _baseline(outcome),
        )
    es = escalc("SMD", m1i=[x1], m2i=[x2], sd1i=[sd1], sd2i=[sd2], n1i=[m1.n], n2i=[m2.n])
    return _Continuous(
        float(es.yi[0]),
        float(es.vi[0]),
        (m1.n or 0) + (m2.n or 0),
        raw,
        "parallel RCT",
        notes,
        verification,
        sdp,
        unit,
        None,
        _baseline(outcome),
    )


def _crossover_smd(x1: float, sd1: float, x2: float, sd2: float, n: int, r: float) -> tuple[float, float]:
    """Hedges-corrected crossover SMD and variance through :func:`ldn_atlas.stats.clinical.crossover`."""
    from ldn_atlas.stats.clinical import crossover
    from ldn_atlas.stats.effect_sizes import hedges_correction

    eff = crossover(x1, sd1, x2, sd2, n, r, measure="SMD", variance="becker")
    j = float(np.asarray(hedges_correction(n - 1)).reshape(-1)[0])
    return float(eff.yi) * j, float(eff.vi) * j * j


def _has_dispersion(m: Measure) -> bool:
    return m.sd is not None or m.se is not None or (m.ci_lb is not None and m.ci_ub is not None)


def _arm_sizes(study: Study, oi: int, outcome: Outcome) -> tuple[int, int, str] | None:
    """LDN and control arm sizes: from the outcome's measures, its responder denominators, or arm subgroups."""
    n1 = next((m.n for m in outcome.measures if m.n and _is_ldn(m.arm)), None)
    n2 = next((m.n for m in outcome.measures if m.n and _is_placebo(m.arm)), None)
    if n1 and n2:
        return n1, n2, "arm sizes of the outcome"
    n1 = next((r.n for r in outcome.responders if r.n and r.arm and _is_ldn(r.arm)), None)
    n2 = next((r.n for r in outcome.responders if r.n and r.arm and _is_placebo(r.arm)), None)
    if n1 and n2:
        return n1, n2, "analysed per arm (responder denominators)"
    groups = study.population.subgroups
    n1 = next((g.count for g in groups if g.count and _is_ldn(g.label)), None)
    n2 = next((g.count for g in groups if g.count and _is_placebo(g.label)), None)
    if n1 and n2:
        return n1, n2, "randomised per arm"
    return None


def _smd_from_difference(
    study: Study, oi: int, outcome: Outcome, arms: Mapping[str, tuple[int, Measure]]
) -> _Continuous | None:
    """Hedges' g from a parallel trial's mean difference and its CI (Cochrane Handbook 6.5.2.3).

    The pooled SD is ``SE(MD) / sqrt(1/n1 + 1/n2)`` with ``SE(MD)`` from the CI and t on
    ``n1 + n2 - 2`` df.  Crossover differences need the within-person SD and are not handled here.
    """
    from ldn_atlas.stats import escalc

    if "crossover" in study.design:
        return None
    sizes = _arm_sizes(study, oi, outcome)
    if sizes is None:
        return None
    n1, n2, how_n = sizes
    for j, m in enumerate(outcome.measures):
        if re.search(r"median|iqr|effect-size|cohens|ratio", m.kind.lower()):
            continue
        if not (_DIFF_ARM.search(m.arm) or "difference" in m.kind.lower()):
            continue
        if m.ci_lb is None or m.ci_ub is None:
            continue
        paths = [f"outcomes[{oi}].measures[{j}].{f}" for f in ("value", "ci_lb", "ci_ub")]
        ver = [_verification(study, x) for x in paths]
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
        verification = "secondary" if "secondary" in ver else "primary"
        return _Continuous(
            float(es.yi[0]),
            float(es.vi[0]),
            n1 + n2,
            raw,
            "parallel RCT",
            notes,
            verification,
            sd,
            unit,
            None,
            _baseline(outcome),
        )
    return None


def _difference_from_p(study: Study, oi: int, outcome: Outcome) -> tuple[float, float, float, str, str] | None:
    """A between-condition difference with a CI derived from its p-value (Cochrane Handbook 6.3.2)."""
    n = analysed_n(study)
    for j, m in enumerate(outcome.measures):
        if re.search(r"median|iqr|effect-size|cohens|ratio", m.kind.lower()):
            continue
        if _DIFF_ARM.search(m.arm) or m.kind.lower() in ("difference", "mean-difference", "md"):
            ver = _verification(study, f"outcomes[{oi}].measures[{j}].value")
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


# -- grouping -----------------------------------------------------------------------------------------


def _condition_key(study: Study) -> tuple[str, str, str | None]:
    try:
        from ldn_atlas.vocabulary import load_vocabulary

        vocab = load_vocabulary()
        entry = (vocab.by_code(study.condition.code) if study.condition.code else None) or vocab.lookup(
            study.condition.label
        )
    except Exception:  # the vocabulary is optional here: fall back to the record's label
        entry = None
    if entry is not None:
        key = entry.maps_to or entry.id
        return key, entry.label if not entry.maps_to else study.condition.label, entry.code
    return study.condition.label.lower(), study.condition.label, study.condition.code


def _risk_ratio_rows(
    rows_in: Sequence[tuple[Any, ...]],
    ai: Sequence[int],
    n1: Sequence[int],
    ci: Sequence[int],
    n2: Sequence[int],
    *,
    raw: Callable[[tuple[Any, ...]], str],
    verification: Callable[[tuple[Any, ...]], str | None] = lambda x: None,
) -> tuple[Any, list[StudyRow]]:
    """Per-study risk ratios (LDN vs control) from 2x2 counts, as study rows on the ratio scale.

    Each row holds the risk ratio and its Wald 95% limits (exponentiated), and the
    sampling variance on the log scale, where pooling happens.  ``rows_in`` items
    start with the study; ``raw`` and ``verification`` describe each item.
    """
    from ldn_atlas.stats import escalc

    es = escalc("RR", ai=list(ai), n1i=list(n1), ci=list(ci), n2i=list(n2))
    z = float(sps.norm.ppf(0.975))
    rows: list[StudyRow] = []
    for idx, x in enumerate(rows_in):
        y, v = float(es.yi[idx]), float(es.vi[idx])
        h = z * math.sqrt(v)
        rows.append(
            StudyRow(
                x[0].id, x[0].label, _design_label(x[0]), n1[idx] + n2[idx],
                math.exp(y), v, math.exp(y - h), math.exp(y + h),
                raw=raw(x), verification=verification(x),
            )
        )
    return es, rows


def _design_label(study: Study) -> str:
    cat = design_category(study)
    if cat == DesignCategory.RANDOMISED_CONTROLLED:
        return "crossover RCT" if "crossover" in study.design else "parallel RCT"
    return cat.label


def _is_primary_human(study: Study) -> bool:
    """A human study recorded from its own (primary) record: not an article's retelling of another study,
    and not a study whose very design is unverified (e.g. a case an article mentions that no source identifies)."""
    return study.species == "human" and study.primary_source is None and study.verification_of("design") != "unverified"


# -- the syntheses ------------------------------------------------------------------------------------


def synthesise(
    studies: Sequence[Study] | None = None,
    *,
    registry: McidRegistry | None = None,
    overrides: Mapping[str, Mapping[str, Override]] | Any | None = None,
    r: float = R_BASE,
    r_sweep: Sequence[float] = R_SWEEP,
) -> SynthesisReport:
    """Synthesise every condition x outcome of an evidence base.

    Parameters
    ----------
    studies : sequence of Study, optional
        The evidence base (default: the embedded one, via
        :func:`ldn_atlas.store.evidence_files.load_evidence`).
    registry : McidRegistry, optional
        MCIDs (default: the package registry).
    overrides : mapping or store, optional
        Reviewer overrides per appraisal id (``"<synthesis id>:<outcome>"`` or the synthesis id), each a
        mapping from a GRADE domain (or ``certainty``) to an :class:`~ldn_atlas.model.Override`; or a store
        (anything with ``list_overrides(appraisal_id)``, e.g. :class:`ldn_atlas.store.Store`), whose newest
        override per domain is applied.
    r : float
        Base-case within-person correlation for crossover trials.
    r_sweep : sequence of float
        Correlations of the sensitivity analysis.

    Returns
    -------
    SynthesisReport
        Syntheses (comparative continuous, responder and single-arm proportion), each with
        its GRADE appraisal and summary-of-findings row.
    """
    if studies is None:
        from ldn_atlas.store.evidence_files import load_evidence

        studies = load_evidence()
    registry = registry or load_mcid_registry()
    if overrides is not None and hasattr(overrides, "list_overrides"):
        overrides = _StoreOverrides(overrides)
    overrides = overrides or {}
    out: list[Synthesis] = []
    excluded_all: list[Exclusion] = []
    groups: dict[tuple[str, str], list[tuple[Study, int, Outcome]]] = defaultdict(list)
    meta: dict[tuple[str, str], tuple[str, str | None, str]] = {}
    for s in studies:
        if not _is_primary_human(s):
            continue
        ckey, clabel, ccode = _condition_key(s)
        for i, o in enumerate(s.outcomes):
            dom = outcome_domain(o)
            groups[(ckey, dom.id)].append((s, i, o))
            meta[(ckey, dom.id)] = (clabel, ccode, dom.label)
    for key in sorted(groups):
        items = groups[key]
        clabel, ccode, dlabel = meta[key]
        controlled = [
            (s, i, o)
            for s, i, o in items
            if design_category(s) in (DesignCategory.RANDOMISED_CONTROLLED, DesignCategory.NON_RANDOMISED_CONTROLLED)
        ]
        if not controlled:
            out.append(_uncontrolled(key, clabel, ccode, dlabel, items, overrides))
            continue
        syn = _comparative(key, clabel, ccode, dlabel, items, registry, overrides, r, r_sweep)
        if syn is not None:
            out.append(syn)
        resp = _responders(key, clabel, ccode, dlabel, items, overrides)
        out.extend(resp)
    out.extend(_proportions(studies, overrides, excluded_all))
    out.extend(_adverse_comparative(studies, overrides))
    assumptions = (
        f"Crossover trials: within-person correlation r = {r:g} in the base case; sensitivity over "
        f"{', '.join(f'{x:g}' for x in r_sweep)}.",
        "Dispersions given as 95% CIs are converted to SDs with t quantiles on n - 1 df.",
        "SMDs are Hedges' g, LDN minus control, oriented so that the sign matches the outcome's direction of benefit.",
        "Pooling: REML tau², Knapp-Hartung CI and 95% prediction interval (t on k - 1 df).",
    )
    return SynthesisReport(syntheses=tuple(out), excluded_studies=tuple(excluded_all), assumptions=assumptions)


def record_override(store: Any, synthesis_id: str, target: str, value: str, *, by: str, reason: str) -> Appraisal:
    """Validate and store a reviewer's override of one GRADE judgement, then recompute the synthesis.

    Parameters
    ----------
    store
        A store with ``add_override`` and ``list_overrides`` (:class:`ldn_atlas.store.Store`).
    synthesis_id
        Id of a synthesis of the store's studies, e.g. ``fibromyalgia:pain``.
    target
        A GRADE domain (``risk-of-bias``, ``inconsistency``, ``indirectness``, ``imprecision``,
        ``publication-bias``, ``large-effect``) or ``certainty``.
    value
        The change in levels for a domain (``-2`` to ``2``) or a certainty for ``certainty``.
    by, reason
        Who and why (the store adds when).

    Returns
    -------
    Appraisal
        The synthesis' appraisal with the override in force.

    Raises
    ------
    InputError
        An unknown target or a value out of range (nothing is stored).
    KeyError
        No synthesis with that id.
    """
    from datetime import UTC, datetime

    from ldn_atlas.appraise.grade import CERTAINTIES, DOMAINS, apply_override
    from ldn_atlas.errors import InputError
    from ldn_atlas.model.evidence import DomainRating

    studies = list(store.iter_studies())
    report = synthesise(studies, overrides=store)
    syn = report.get(synthesis_id)
    probe = Override(by=by or "?", at=datetime.now(UTC), reason=reason or "?", value=str(value))
    if target == "certainty":
        if str(value).strip().lower() not in CERTAINTIES:
            raise InputError(f"certainty must be one of {', '.join(CERTAINTIES)}, got {value!r}", field="value")
    elif target in DOMAINS:
        apply_override(DomainRating(domain=target, change=0), probe)
    else:
        raise InputError(f"unknown target {target!r}; use certainty or one of {', '.join(DOMAINS)}", field="target")
    store.add_override(syn.id, target, str(value).strip().lower(), by=by, reason=reason)
    updated = synthesise(studies, overrides=store).get(synthesis_id).appraisal
    assert updated is not None
    return updated


class _StoreOverrides(Mapping[str, Mapping[str, Override]]):
    """Reviewer overrides read lazily from a store (anything with ``list_overrides(appraisal_id)``)."""

    def __init__(self, store: object) -> None:
        self._store = store
        self._cache: dict[str, dict[str, Override]] = {}

    def __getitem__(self, key: str) -> Mapping[str, Override]:
        if key not in self._cache:
            from ldn_atlas.appraise.grade import overrides_from_store

            self._cache[key] = overrides_from_store(self._store, key)
        return self._cache[key]

    def get(self, key: str, default: Any = None) -> Any:
        found = self[key]
        return found if found else default

    def __iter__(self) -> Any:
        return iter(self._cache)

    def __len__(self) -> int:
        return 1  # truthy: overrides may exist for any appraisal


def _comparative(
    key: tuple[str, str],
    clabel: str,
    ccode: str | None,
    dlabel: str,
    items: list[tuple[Study, int, Outcome]],
    registry: McidRegistry,
    overrides: Mapping[str, Mapping[str, Override]],
    r: float,
    r_sweep: Sequence[float],
) -> Synthesis | None:
    ckey, dom = key
    better: Literal["lower", "higher"] = "lower" if dom in _LOWER_BETTER else "higher"
    sid = f"{ckey}:{dom}"
    rows: list[StudyRow] = []
    excluded: list[Exclusion] = []
    body_studies: list[Study] = []
    used: list[_Continuous] = []
    seen: set[str] = set()
    narrative_effects: list[StudyEffect] = []
    outcome_names: set[str] = set()
    for s, i, o in items:
        cat = design_category(s)
        if cat != DesignCategory.RANDOMISED_CONTROLLED:
            if s.id not in seen:
                excluded.append(
                    Exclusion(
                        s.id,
                        s.label,
                        f"{cat.label} (OCEBM level {evidence_level(s).level}): not pooled with randomized trials"
                        + _single_arm_responders(s, i, o),
                    )
                )
                seen.add(s.id)
            continue
        if s.id in seen:
            continue  # one outcome per study per domain: the first recorded (the primary outcome)
        seen.add(s.id)
        body_studies.append(s)
        outcome_names.add(o.name)
        eff = _continuous_effect(s, i, o, better, r)
        if isinstance(eff, _Continuous):
            used.append(eff)
            ci = 1.959963984540054 * math.sqrt(eff.vi)
            rows.append(
                StudyRow(
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
            )
            narrative_effects.append(StudyEffect(s.id, eff.yi, eff.yi - ci, eff.yi + ci, o.significant, o.direction))
            continue
        diff = _difference_from_p(s, i, o)
        raw_bits = []
        if diff is not None:
            val, lo, hi, how, ver = diff
            unit = next((m.unit for m in o.measures if m.unit), None)
            raw_bits.append(
                f"{o.instrument or o.name}: difference {val:+g}{' ' + unit if unit else ''} "
                f"(95% CI {lo:.2f} to {hi:.2f}; {how})"
            )
        else:
            val = lo = hi = None  # type: ignore[assignment]
            ver = None
        if o.p is not None or o.p_text:
            raw_bits.append(_p_text(o))
        if o.direction:
            raw_bits.append(
                {
                    "improved": "favoured LDN",
                    "no-difference": "no difference between groups",
                    "worsened": "favoured control",
                    "mixed": "mixed results",
                    "unclear": "unclear",
                }.get(o.direction, o.direction)
            )
        rows.append(
            StudyRow(
                s.id,
                s.label,
                _design_label(s),
                analysed_n(s) or s.population.n,
                raw="; ".join(raw_bits) or None,
                assumptions=(f"not poolable: {eff}",),
                verification=ver,
                significant=o.significant,
                direction=o.direction,
                ci_lb=lo,
                ci_ub=hi,
                yi=val,
            )
        )
        narrative_effects.append(StudyEffect(s.id, val, lo, hi, o.significant, o.direction))
    if not body_studies:
        return None
    if dom == "other":
        dlabel = f"Other outcomes ({', '.join(sorted(outcome_names))})"
    k = len(used)
    participants = sum((r.n or 0) for r in rows) or None
    notes: list[str] = []
    sensitivity: list[SensitivityRow] = []
    estimate = ci_lb = ci_ub = pi_lb = pi_ub = pval = tau2 = i2 = None
    effect: Effect | None = None
    measure = "SMD"
    absolute = ""
    mcid_verdict: McidVerdict | None = None
    designs = {r.design for r in rows}
    if k >= 2:
        kind: SynthesisKind = "meta-analysis"
        for row in rows:
            if row.vi is None:
                excluded.append(
                    Exclusion(
                        row.study,
                        row.label,
                        "randomized trial not pooled: "
                        + "; ".join(a.removeprefix("not poolable: ") for a in row.assumptions)
                        + (f" ({row.raw})" if row.raw else ""),
                    )
                )
        pooled_ids = {r.study for r in rows if r.vi is not None}
        rows = [r for r in rows if r.vi is not None]
        body_studies = [b for b in body_studies if b.id in pooled_ids]
        narrative_effects = [e for e in narrative_effects if e.study in pooled_ids]
        participants = sum((r.n or 0) for r in rows) or None
        fit, pred = _pool([u.yi for u in used], [u.vi for u in used])
        estimate, ci_lb, ci_ub = float(fit.b), float(fit.ci_lb), float(fit.ci_ub)
        pi_lb, pi_ub = float(pred.pi_lb), float(pred.pi_ub)
        pval, tau2, i2 = float(fit.pval), float(fit.tau2), float(fit.i2)
        w = np.asarray(fit.weights, dtype=float)
        w = w / w.sum()
        wi = iter(w)
        rows = [replace(r, weight=float(next(wi)) * 100) if r.yi is not None and r.vi is not None else r for r in rows]
        effect = Effect(
            "SMD",
            estimate,
            ci_lb,
            ci_ub,
            better=better,
            pi_lb=pi_lb,
            pi_ub=pi_ub,
            i2=i2,
            tau2=tau2,
            k=k,
            regtest_p=_regtest_p(fit, k),
        )
        fe, _ = _pool([u.yi for u in used], [u.vi for u in used], method="EE", test="z")
        sensitivity.append(
            SensitivityRow("common-effect model, z test", None, float(fe.b), float(fe.ci_lb), float(fe.ci_ub))
        )
        if k >= 3:
            l1o = fit.leave1out()
            for idx, row in enumerate(rows):
                sensitivity.append(
                    SensitivityRow(
                        f"without {row.label}",
                        None,
                        float(np.asarray(l1o.estimate)[idx]),
                        float(np.asarray(l1o.ci_lb)[idx]),
                        float(np.asarray(l1o.ci_ub)[idx]),
                    )
                )
        designs = {r.design for r in rows}
        if "crossover RCT" in designs and "parallel RCT" in designs:
            notes.append(
                "Design difference handled explicitly: parallel trials give Hedges' g from the "
                "between-group difference; crossover trials give g = within-person difference / "
                "within-condition SD, whose variance depends on the within-person correlation r "
                "(not reported, assumed). Both are on the same SD scale, so they are pooled; "
                "the sweep over r shows how much the result depends on the assumption."
            )
        if k == 2:
            notes.append(
                "k = 2: the Knapp-Hartung interval has 1 degree of freedom, so the CI and the "
                "prediction interval are very wide; heterogeneity cannot be estimated reliably."
            )
        if any(u.crossover for u in used):
            for rr in sorted(set(r_sweep) | {r}):
                ys, vs = [], []
                for u in used:
                    if u.crossover:
                        c = u.crossover
                        y, v = _crossover_smd(c["x1"], c["sd1"], c["x2"], c["sd2"], int(c["n"]), rr)
                        ys.append(y)
                        vs.append(v)
                    else:
                        ys.append(u.yi)
                        vs.append(u.vi)
                f2, _ = _pool(ys, vs)
                sensitivity.append(
                    SensitivityRow(f"within-person r = {rr:g}", rr, float(f2.b), float(f2.ci_lb), float(f2.ci_ub))
                )
            par = [u for u in used if not u.crossover]
            if par:
                if len(par) >= 2:
                    f3, _ = _pool([u.yi for u in par], [u.vi for u in par])
                    sensitivity.append(
                        SensitivityRow("parallel trials only", None, float(f3.b), float(f3.ci_lb), float(f3.ci_ub))
                    )
                else:
                    u = par[0]
                    h = 1.959963984540054 * math.sqrt(u.vi)
                    sensitivity.append(SensitivityRow("parallel trial only", None, u.yi, u.yi - h, u.yi + h))
    elif k == 1:
        kind = "single-study" if len(body_studies) == 1 else "narrative"
        u = used[0]
        h = 1.959963984540054 * math.sqrt(u.vi)
        if kind == "single-study":
            estimate, ci_lb, ci_ub = u.yi, u.yi - h, u.yi + h
            effect = Effect("SMD", u.yi, u.yi - h, u.yi + h, better=better, k=1)
        else:
            notes.append(
                "Only one of the trials gives numbers that can be pooled; the others are described "
                "narratively. No pooled estimate."
            )
    else:
        kind = "single-study" if len(body_studies) == 1 else "narrative"
        measure = "narrative"
        with_ci = [r for r in rows if r.ci_lb is not None and r.ci_ub is not None and r.yi is not None]
        if len(body_studies) > 1:
            notes.append(
                "No trial reports arm-level means with dispersions for this outcome, so nothing can be "
                "pooled: narrative synthesis. Numbers are not imputed."
            )
        if kind == "single-study" and with_ci:
            r0 = with_ci[0]
            measure = "MD"
            assert r0.yi is not None and r0.ci_lb is not None and r0.ci_ub is not None
            estimate, ci_lb, ci_ub = r0.yi, r0.ci_lb, r0.ci_ub
            effect = Effect("MD", r0.yi, r0.ci_lb, r0.ci_ub, better=better, k=1)
    # MCID
    names = (
        " ".join(sorted(outcome_names)) + " " + " ".join((o.instrument or "") for s, _, o in items if s in body_studies)
    )
    mcid_value, mcid_src, abs_text, mcid_verdict = _mcid_for(
        registry, names, ckey, better, measure, estimate, ci_lb, ci_ub, used, rows, kind
    )
    absolute = abs_text
    if kind == "narrative" and mcid_verdict is None:
        for row in rows:
            if row.yi is not None and row.ci_lb is not None and row.ci_ub is not None:
                e = registry.find(names, ckey, level="minimal", kinds=["absolute"])
                if e:
                    mcid_verdict = classify_against_mcid(
                        row.yi, row.ci_lb, row.ci_ub, e[0].threshold, better=better, unit=e[0].unit, source=e[0].cite
                    )
                    mcid_verdict = replace(
                        mcid_verdict,
                        text=f"{row.label}: {mcid_verdict.text} "
                        f"({e[0].instrument}, {e[0].cite}, {e[0].verification}; derived in "
                        f"{e[0].population})",
                    )
                    mcid_value = e[0].threshold
                break
    surrogate = any(o.surrogate for s, _, o in items if s in body_studies) or dom == "biomarkers"
    body = EvidenceBody(
        subject=sid,
        outcome=dom,
        studies=body_studies,
        weights=[(r.weight or 0) for r in rows]
        if (k >= 2 and len(rows) == len(body_studies) and all(r.weight for r in rows))
        else None,
        effect=effect,
        study_effects=narrative_effects,
        total_n=participants,
        mcid=mcid_value
        if effect is not None and effect.measure == "SMD"
        else (mcid_value if effect is not None else None),
        mcid_source=mcid_src,
        surrogate=surrogate,
    )
    appraisal = grade(body, overrides.get(body.appraisal_id) or overrides.get(sid))
    return Synthesis(
        id=sid,
        condition=clabel,
        condition_code=ccode,
        outcome=dom,
        outcome_label=dlabel,
        kind=kind,
        measure=measure,
        better=better,
        rows=tuple(rows),
        excluded=tuple(excluded),
        estimate=estimate,
        ci_lb=ci_lb,
        ci_ub=ci_ub,
        pi_lb=pi_lb,
        pi_ub=pi_ub,
        pval=pval,
        tau2=tau2,
        i2=i2,
        k=k if kind == "meta-analysis" else len(rows),
        sensitivity=tuple(sensitivity),
        notes=tuple(notes),
        absolute=absolute,
        appraisal=appraisal,
        mcid=mcid_verdict,
        participants=participants,
    )


def _single_arm_responders(study: Study, oi: int, outcome: Outcome) -> str:
    """``; responders ...`` with exact CIs for responder counts of one arm (LDN) of a study not pooled."""
    bits = []
    for j, rsp in enumerate(outcome.responders):
        if rsp.count is None or not rsp.n or (rsp.arm and not _is_ldn(rsp.arm)):
            continue
        if _verification(study, f"outcomes[{oi}].responders[{j}].count") == "unverified":
            continue
        thr = f" with >= {rsp.threshold_percent:g}% improvement" if rsp.threshold_percent else ""
        bits.append(f"responders on LDN{thr}: {_resp(rsp.count, rsp.n, rsp.threshold_percent or 0)}")
    return ("; " + "; ".join(bits)) if bits else ""


def _uncontrolled(
    key: tuple[str, str],
    clabel: str,
    ccode: str | None,
    dlabel: str,
    items: list[tuple[Study, int, Outcome]],
    overrides: Mapping[str, Mapping[str, Override]],
) -> Synthesis:
    """A narrative row for a condition x outcome with only uncontrolled human evidence (GRADE starts low)."""
    ckey, dom = key
    sid = f"{ckey}:{dom}"
    rows: list[StudyRow] = []
    studies: list[Study] = []
    effects: list[StudyEffect] = []
    for s, _i, o in items:
        if s in studies:
            continue
        studies.append(s)
        cat = design_category(s)
        words = {
            "improved": "improvement reported",
            "no-difference": "no change reported",
            "worsened": "worsening reported",
            "mixed": "mixed results",
            "unclear": "unclear",
        }
        raw = f"{o.name}: {words.get(o.direction or '', 'no direction recorded')}"
        if o.p is not None or o.p_text:
            raw += f" ({_p_text(o)}, before-after)"
        for j, rsp in enumerate(o.responders):
            if (
                rsp.count is not None
                and rsp.n
                and _verification(s, f"outcomes[{_i}].responders[{j}].count") != "unverified"
            ):
                thr = f" with >= {rsp.threshold_percent:g}% improvement" if rsp.threshold_percent else ""
                raw += f"; responders{thr}: {_resp(rsp.count, rsp.n, rsp.threshold_percent or 0)}"
        rows.append(
            StudyRow(
                s.id,
                s.label,
                cat.label,
                analysed_n(s),
                raw=raw,
                assumptions=(f"{cat.label}, OCEBM level {evidence_level(s).level}: no control group",),
                direction=o.direction,
                significant=o.significant,
            )
        )
        effects.append(StudyEffect(s.id, direction=o.direction, significant=o.significant))
    participants = sum((r.n or 0) for r in rows) or None
    better: Literal["lower", "higher"] = "lower" if dom in _LOWER_BETTER else "higher"
    surrogate = dom == "biomarkers" or any(o.surrogate for _, _, o in items)
    body = EvidenceBody(
        subject=sid, outcome=dom, studies=studies, study_effects=effects, total_n=participants, surrogate=surrogate
    )
    appraisal = grade(body, overrides.get(body.appraisal_id) or overrides.get(sid))
    return Synthesis(
        id=sid,
        condition=clabel,
        condition_code=ccode,
        outcome=dom,
        outcome_label=dlabel,
        kind="narrative",
        measure="narrative",
        better=better,
        rows=tuple(rows),
        k=len(rows),
        appraisal=appraisal,
        participants=participants,
        notes=(
            "Only uncontrolled studies (case reports, case series, before-after or retrospective designs): "
            "changes cannot be attributed to LDN, so nothing is pooled.",
        ),
    )


def _pool(yi: Sequence[float], vi: Sequence[float], *, method: str = "REML", test: str = "knha") -> tuple[Any, Any]:
    from ldn_atlas.stats import rma

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = rma(np.asarray(yi, float), np.asarray(vi, float), method=method, test=test)
    return fit, fit.predict()


def _regtest_p(fit: Any, k: int) -> float | None:
    if k < 10:
        return None
    try:
        return float(fit.regtest().pval)
    except Exception:  # pragma: no cover - regtest is optional for the appraisal
        return None


def _mcid_for(
    registry: McidRegistry,
    names: str,
    ckey: str,
    better: str,
    measure: str,
    estimate: float | None,
    ci_lb: float | None,
    ci_ub: float | None,
    used: list[_Continuous],
    rows: list[StudyRow],
    kind: str,
) -> tuple[float | None, str | None, str, McidVerdict | None]:
    """The MCID on the synthesis scale, the absolute effect text and the MCID verdict."""
    if estimate is None or ci_lb is None or ci_ub is None:
        return None, None, "", None
    if measure == "SMD":
        # back-transform to the instrument of the largest study that has an SD in natural units
        ref = max((u for u in used if u.sd_pooled), key=lambda u: u.n or 0, default=None)
        entries = registry.find(names, ckey, level="minimal")
        entry = next((e for e in entries if e.kind in ("absolute", "percent")), None)
        absolute = ""
        if ref is not None and ref.sd_pooled:
            sd = ref.sd_pooled
            unit = ref.unit or "points"
            absolute = (
                f"about {_num(estimate * sd)} {unit} (95% CI {_num(ci_lb * sd)} to {_num(ci_ub * sd)}) on "
                f"the scale of the largest trial (SD {sd:.2f})"
            )
        if entry is not None and ref is not None and ref.sd_pooled:
            if entry.kind == "percent":
                base = ref.baseline
                if base is None:
                    return (
                        None,
                        None,
                        absolute,
                        McidVerdict(
                            "no-mcid", f"{entry.instrument}: a percent MCID needs a baseline score, none recorded"
                        ),
                    )
                mcid_pts = entry.threshold / 100 * base
                how = f"{entry.threshold:g}% of a baseline of {base:g} = {mcid_pts:.2f} points"
            else:
                mcid_pts = entry.threshold
                how = f"{entry.threshold:g} {entry.unit}"
            mcid_sd = mcid_pts / ref.sd_pooled
            v = classify_against_mcid(estimate, ci_lb, ci_ub, mcid_sd, better=better, unit="SD")  # type: ignore[arg-type]
            text = (
                f"{v.text} (MCID: {entry.level} important change on {entry.instrument}, {how}, i.e. "
                f"{mcid_sd:.2f} SD; {entry.cite}, verification {entry.verification}; a per-patient "
                "threshold used as the threshold of an important group difference)"
            )
            return mcid_sd, entry.id, absolute, replace(v, text=text, source=entry.cite)
        fb = next((e for e in registry.entries if e.kind == "sd"), None)
        if fb is not None:
            v = classify_against_mcid(estimate, ci_lb, ci_ub, fb.threshold, better=better, unit="SD")  # type: ignore[arg-type]
            return (
                fb.threshold,
                fb.id,
                absolute,
                replace(
                    v,
                    text=f"{v.text} (no instrument MCID recorded; distribution-based {fb.threshold:g} SD, "
                    f"{fb.cite}, verification {fb.verification})",
                    source=fb.cite,
                ),
            )
        return None, None, absolute, None
    entries = [e for e in registry.find(names, ckey, level="minimal") if e.kind == "absolute"]
    if entries:
        e = entries[0]
        v = classify_against_mcid(estimate, ci_lb, ci_ub, e.threshold, better=better, unit=e.unit)  # type: ignore[arg-type]
        return (
            e.threshold,
            e.id,
            "",
            replace(
                v,
                text=f"{v.text} ({e.instrument}, {e.cite}, verification {e.verification}; derived in {e.population})",
                source=e.cite,
            ),
        )
    return None, None, "", None


# -- responders -----------------------------------------------------------------------------------------


def _responders(
    key: tuple[str, str],
    clabel: str,
    ccode: str | None,
    dlabel: str,
    items: list[tuple[Study, int, Outcome]],
    overrides: Mapping[str, Mapping[str, Override]],
) -> list[Synthesis]:
    """Risk-ratio syntheses of responder outcomes that share a threshold (RCTs, verified counts)."""

    ckey, dom = key
    by_thr: dict[float, list[tuple[Study, int, int, int, int, str]]] = defaultdict(list)
    excluded: dict[float, list[Exclusion]] = defaultdict(list)
    for s, i, o in items:
        if design_category(s) != DesignCategory.RANDOMISED_CONTROLLED or "crossover" in s.design:
            continue
        ldn = plc = None
        ver = []
        for j, rsp in enumerate(o.responders):
            if rsp.count is None or rsp.n is None or rsp.threshold_percent is None or rsp.arm is None:
                continue
            ver.append(_verification(s, f"outcomes[{i}].responders[{j}].count"))
            if _is_ldn(rsp.arm):
                ldn = rsp
            elif _is_placebo(rsp.arm):
                plc = rsp
            if ldn is not None and plc is not None and ldn.threshold_percent == plc.threshold_percent:
                assert ldn.count is not None and ldn.n is not None and plc.count is not None and plc.n is not None
                thr = float(ldn.threshold_percent or 0)
                if "unverified" in ver:
                    excluded[thr].append(Exclusion(s.id, s.label, "responder counts unverified"))
                elif all(x[0].id != s.id for x in by_thr[thr]):
                    by_thr[thr].append(
                        (s, ldn.count, ldn.n, plc.count, plc.n, "secondary" if "secondary" in ver else "primary")
                    )
                ldn = plc = None
                ver = []
    out: list[Synthesis] = []
    for thr, rows_in in sorted(by_thr.items()):
        sid = f"{ckey}:{dom}:responders-{thr:g}"
        ai = [x[1] for x in rows_in]
        n1 = [x[2] for x in rows_in]
        ci_ = [x[3] for x in rows_in]
        n2 = [x[4] for x in rows_in]
        def describe(x: tuple[Any, ...], threshold: float = thr) -> str:
            return f"LDN {_resp(x[1], x[2], threshold)} vs control {_resp(x[3], x[4], threshold)}"

        es, rows = _risk_ratio_rows(rows_in, ai, n1, ci_, n2, raw=describe, verification=lambda x: x[5])
        k = len(rows)
        control_risk = sum(ci_) / sum(n2)
        notes = [f"Responders: at least {thr:g}% improvement. Risk ratio LDN vs control (higher = more responders)."]
        est: float | None
        lo: float | None
        hi: float | None
        pi_lb: float | None
        pi_ub: float | None
        pval: float | None
        tau2: float | None
        i2: float | None
        if k >= 2:
            fit, pred = _pool(list(es.yi), list(es.vi))
            est, lo, hi = math.exp(fit.b), math.exp(fit.ci_lb), math.exp(fit.ci_ub)
            pi_lb, pi_ub = math.exp(pred.pi_lb), math.exp(pred.pi_ub)
            pval, tau2, i2 = float(fit.pval), float(fit.tau2), float(fit.i2)
            kind: SynthesisKind = "meta-analysis"
            sens = _mh_sensitivity(ai, n1, ci_, n2)
            if k == 2:
                notes.append(
                    "k = 2: the Knapp-Hartung interval has 1 degree of freedom and is very wide; the "
                    "Mantel-Haenszel common-effect estimate is shown as a sensitivity analysis."
                )
        else:
            est, lo, hi = rows[0].yi, rows[0].ci_lb, rows[0].ci_ub
            sens = ()
            pi_lb = pi_ub = pval = tau2 = i2 = None
            kind = "single-study"
        assert est is not None and lo is not None and hi is not None
        effect = Effect(
            "RR", est, lo, hi, scale="ratio", better="higher", pi_lb=pi_lb, pi_ub=pi_ub, i2=i2, tau2=tau2, k=k
        )
        absolute, nnt = _absolute_binary(control_risk, est, lo, hi, ai, n1, ci_, n2)
        body = EvidenceBody(
            subject=sid,
            outcome=f"{dom}-responders",
            studies=[x[0] for x in rows_in],
            effect=effect,
            total_n=sum(n1) + sum(n2),
            control_risk=control_risk,
            study_effects=[StudyEffect(r.study, r.yi, r.ci_lb, r.ci_ub) for r in rows],
        )
        appraisal = grade(body, overrides.get(body.appraisal_id) or overrides.get(sid))
        lab = f"{dlabel}: responders (>= {thr:g}% improvement)"
        out.append(
            Synthesis(
                id=sid,
                condition=clabel,
                condition_code=ccode,
                outcome=f"{dom}-responders-{thr:g}",
                outcome_label=lab,
                kind=kind,
                measure="RR",
                better="higher",
                rows=tuple(rows),
                excluded=tuple(excluded[thr]),
                estimate=est,
                ci_lb=lo,
                ci_ub=hi,
                pi_lb=pi_lb,
                pi_ub=pi_ub,
                pval=pval,
                tau2=tau2,
                i2=i2,
                k=k,
                notes=tuple(notes),
                absolute=absolute,
                appraisal=appraisal,
                sensitivity=sens,
                mcid=McidVerdict(
                    "no-mcid",
                    "responder outcome: the threshold itself is the per-patient importance "
                    "criterion; judge the absolute difference and NNT",
                ),
                participants=sum(n1) + sum(n2),
                nnt=nnt,
            )
        )
    return out


def _resp(count: int, n: int, thr: float) -> str:
    """``20/49 (41%, exact 95% CI 27% to 56%)`` through :func:`ldn_atlas.stats.clinical.responder_proportion`."""
    from ldn_atlas.stats.clinical import responder_proportion

    rp = responder_proportion(count, n, threshold_percent=thr)
    return f"{count}/{n} ({count / n:.0%}, Clopper-Pearson 95% CI {rp.cp_lb:.0%} to {rp.cp_ub:.0%})"


def _mh_sensitivity(ai: list[int], n1: list[int], ci: list[int], n2: list[int]) -> tuple[SensitivityRow, ...]:
    from ldn_atlas.stats import rma_mh

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mh = rma_mh(measure="RR", ai=ai, n1i=n1, ci=ci, n2i=n2)
    b, lo, hi = (float(np.asarray(x).ravel()[0]) for x in (mh.b, mh.ci_lb, mh.ci_ub))
    return (SensitivityRow("Mantel-Haenszel common effect (RR)", None, math.exp(b), math.exp(lo), math.exp(hi)),)


def _absolute_binary(
    cr: float, rr: float, lo: float, hi: float, a: Sequence[int], n1: Sequence[int], c: Sequence[int], n2: Sequence[int]
) -> tuple[str, dict[str, Any] | None]:
    per = 1000

    def pk(x: float) -> int:
        return round(min(1.0, max(0.0, x)) * per)

    text = (
        f"{pk(cr)} per 1000 on control; {pk(cr * rr)} per 1000 on LDN "
        f"(95% CI {pk(cr * lo)} to {pk(cr * hi)}, from the pooled RR applied to the control risk)"
    )
    nnt = _nnt(a, n1, c, n2)
    text += f"; {nnt['text']} ({nnt['method']})"
    return text, nnt


def _nnt(ai: Sequence[int], n1: Sequence[int], ci: Sequence[int], n2: Sequence[int]) -> dict[str, Any]:
    """NNT (Altman 1998, two-part interval when the RD's CI spans 0) for a desirable outcome (response).

    One trial: from its counts (Newcombe's hybrid score interval for the RD).  Several: from the
    Mantel-Haenszel pooled risk difference.
    """
    from ldn_atlas.stats import rma_mh
    from ldn_atlas.stats.clinical import nnt_from_counts, nnt_from_fit

    if len(ai) == 1:
        res = nnt_from_counts(ai[0], n1[0], ci[0], n2[0], desirable=True, method="newcombe")
        how = "risk difference of the trial, Newcombe hybrid score interval"
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = rma_mh(measure="RD", ai=list(ai), n1i=list(n1), ci=list(ci), n2i=list(n2))
        res = nnt_from_fit(fit, desirable=True)
        how = "Mantel-Haenszel pooled risk difference"
    out = res.to_dict()
    out["method"] = how
    out["describe"] = res.describe()
    return out


# -- single-arm proportions -----------------------------------------------------------------------------

_AE_SYNONYMS = {
    "insomnia": ("insomnia", "sleep disturbance", "sleep disturbances", "trouble sleeping"),
    "vivid dreams": ("vivid dream", "vivid dreams", "vivid dreaming", "nightmare"),
    "nausea": ("nausea",),
    "headache": ("headache",),
    "diarrhoea": ("diarrhoea", "diarrhea"),
}


def _ae_key(name: str) -> str | None:
    n = name.lower()
    for key, syns in _AE_SYNONYMS.items():
        if any(s in n for s in syns):
            return key
    return None


def _proportions(
    studies: Sequence[Study],
    overrides: Mapping[str, Mapping[str, Override]],
    report_exclusions: list[Exclusion] | None = None,
) -> list[Synthesis]:
    """Pool single-arm adverse-event proportions (logit, REML) across uncontrolled human studies.

    Adverse events that cannot be pooled are added to ``report_exclusions`` with the reason.
    """
    from ldn_atlas.stats import escalc

    groups: dict[str, list[tuple[Study, int, int, str, str]]] = defaultdict(list)
    excluded: dict[str, list[Exclusion]] = defaultdict(list)
    for s in studies:
        if not _is_primary_human(s):
            continue
        single_arm = design_category(s) not in (
            DesignCategory.RANDOMISED_CONTROLLED,
            DesignCategory.NON_RANDOMISED_CONTROLLED,
        )
        for j, ae in enumerate(s.adverse_events):
            key = _ae_key(ae.name)
            if key is None:
                continue
            if not single_arm:
                excluded[key].append(Exclusion(s.id, s.label, "controlled study: not pooled with single-arm rates"))
                continue
            ver = (
                _verification(s, f"adverse_events[{j}].count")
                if ae.count is not None
                else _verification(s, f"adverse_events[{j}].percent")
            )
            if ver == "unverified":
                excluded[key].append(Exclusion(s.id, s.label, f"{ae.name}: number unverified, never pooled"))
                continue
            n = ae.n or analysed_n(s)
            count = ae.count
            how = "count"
            if count is None and ae.percent is not None and n:
                count = round(ae.percent / 100 * n)
                how = f"count derived from {ae.percent:g}% of {n}"
            if count is None or not n:
                excluded[key].append(Exclusion(s.id, s.label, f"{ae.name}: no count and denominator"))
                continue
            groups[key].append((s, count, n, ver, how))
    out: list[Synthesis] = []
    for key, rows_in in sorted(groups.items()):
        if len(rows_in) < 2:
            for s, _c, _n, _v, _h in rows_in:
                excluded[key].append(Exclusion(s.id, s.label, "only one single-arm study reports it: not pooled"))
            continue
        es = escalc("PLO", xi=[x[1] for x in rows_in], ni=[x[2] for x in rows_in])
        fit, pred = _pool(list(es.yi), list(es.vi))

        def expit(x: float) -> float:
            return 1 / (1 + math.exp(-x))

        rows = []
        for idx, (s, c, n, ver, how) in enumerate(rows_in):
            y, v = float(es.yi[idx]), float(es.vi[idx])
            h = 1.959963984540054 * math.sqrt(v)
            rows.append(
                StudyRow(
                    s.id,
                    s.label,
                    design_category(s).label,
                    n,
                    c / n,
                    v,
                    expit(y - h),
                    expit(y + h),
                    raw=f"{c}/{n} ({how})",
                    verification=ver,
                )
            )
        est, lo, hi = expit(float(fit.b)), expit(float(fit.ci_lb)), expit(float(fit.ci_ub))
        effect = Effect("PLO", est, lo, hi, scale="proportion", k=len(rows), i2=float(fit.i2), tau2=float(fit.tau2))
        sid = f"ldn:safety:{key.replace(' ', '-')}"
        body = EvidenceBody(
            subject=sid,
            outcome=f"adverse event: {key}",
            studies=[x[0] for x in rows_in],
            effect=effect,
            total_n=sum(x[2] for x in rows_in),
        )
        appraisal = grade(body, overrides.get(body.appraisal_id) or overrides.get(sid))
        out.append(
            Synthesis(
                id=sid,
                condition="LDN-treated patients (any condition)",
                condition_code=None,
                outcome=f"adverse-{key.replace(' ', '-')}",
                outcome_label=f"Adverse event: {key} (single-arm rate)",
                kind="proportion",
                measure="PLO",
                better="lower",
                rows=tuple(rows),
                excluded=tuple(excluded[key]),
                estimate=est,
                ci_lb=lo,
                ci_ub=hi,
                pi_lb=expit(float(pred.pi_lb)),
                pi_ub=expit(float(pred.pi_ub)),
                tau2=float(fit.tau2),
                i2=float(fit.i2),
                k=len(rows),
                notes=(
                    "Single-arm proportions pooled on the logit scale (REML, Knapp-Hartung); no comparison with "
                    "placebo, so the rate is not attributable to LDN.",
                ),
                absolute=f"{round(est * 1000)} per 1000 treated (95% CI {round(lo * 1000)} to {round(hi * 1000)})",
                appraisal=appraisal,
                participants=sum(x[2] for x in rows_in),
            )
        )
    if report_exclusions is not None:
        pooled = {syn.id for syn in out}
        for key, items in sorted(excluded.items()):
            if f"ldn:safety:{key.replace(' ', '-')}" not in pooled:
                report_exclusions.extend(replace(e, reason=f"adverse event '{key}': {e.reason}") for e in items)
    return out


def _adverse_comparative(studies: Sequence[Study], overrides: Mapping[str, Mapping[str, Override]]) -> list[Synthesis]:
    """Risk ratios and NNH for adverse events counted per arm in randomized trials (pooled when k >= 2)."""

    groups: dict[tuple[str, str], list[tuple[Study, int, int, int, int]]] = defaultdict(list)
    meta: dict[tuple[str, str], tuple[str, str | None]] = {}
    for s in studies:
        if not _is_primary_human(s) or design_category(s) != DesignCategory.RANDOMISED_CONTROLLED:
            continue
        ldn: dict[str, tuple[int, int, str]] = {}
        plc: dict[str, tuple[int, int, str]] = {}
        for j, ae in enumerate(s.adverse_events):
            if ae.count is None or ae.n is None or ae.arm is None:
                continue
            ver = _verification(s, f"adverse_events[{j}].count")
            if ver == "unverified":
                continue
            name = ae.name.strip().lower()
            if _is_ldn(ae.arm):
                ldn[name] = (ae.count, ae.n, ver)
            elif _is_placebo(ae.arm):
                plc[name] = (ae.count, ae.n, ver)
        ckey, clabel, ccode = _condition_key(s)
        for name in sorted(set(ldn) & set(plc)):
            groups[(ckey, name)].append((s, ldn[name][0], ldn[name][1], plc[name][0], plc[name][1]))
            meta[(ckey, name)] = (clabel, ccode)
    out: list[Synthesis] = []
    for (ckey, name), rows_in in sorted(groups.items()):
        clabel, ccode = meta[(ckey, name)]
        ai = [x[1] for x in rows_in]
        n1 = [x[2] for x in rows_in]
        ci_ = [x[3] for x in rows_in]
        n2 = [x[4] for x in rows_in]
        es, rows = _risk_ratio_rows(
            rows_in, ai, n1, ci_, n2, raw=lambda x: f"LDN {x[1]}/{x[2]} vs control {x[3]}/{x[4]}"
        )
        k = len(rows)
        i2: float | None
        tau2: float | None
        if k >= 2:
            fit, _pred = _pool(list(es.yi), list(es.vi))
            est, lo, hi = math.exp(fit.b), math.exp(fit.ci_lb), math.exp(fit.ci_ub)
            kind: SynthesisKind = "meta-analysis"
            i2, tau2 = float(fit.i2), float(fit.tau2)
        else:
            est, lo, hi = rows[0].yi or 1.0, rows[0].ci_lb or 1.0, rows[0].ci_ub or 1.0
            kind = "single-study"
            i2 = tau2 = None
        cr = sum(ci_) / sum(n2)
        from ldn_atlas.stats import rma_mh
        from ldn_atlas.stats.clinical import nnt_from_counts, nnt_from_fit

        if k == 1:
            nn = nnt_from_counts(ai[0], n1[0], ci_[0], n2[0], desirable=False, method="newcombe")
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                nn = nnt_from_fit(rma_mh(measure="RD", ai=ai, n1i=n1, ci=ci_, n2i=n2), desirable=False)
        nnt = {**nn.to_dict(), "describe": nn.describe()}

        def pk(x: float) -> int:
            return round(min(1.0, max(0.0, x)) * 1000)

        effect = Effect("RR", est, lo, hi, scale="ratio", better="lower", k=k, i2=i2, tau2=tau2)
        sid = f"{ckey}:adverse:{re.sub(r'[^a-z0-9]+', '-', name).strip('-')}"
        body = EvidenceBody(
            subject=sid,
            outcome="safety",
            studies=[x[0] for x in rows_in],
            effect=effect,
            total_n=sum(n1) + sum(n2),
            control_risk=cr if 0 < cr < 1 else None,
        )
        appraisal = grade(body, overrides.get(body.appraisal_id) or overrides.get(sid))
        out.append(
            Synthesis(
                id=sid,
                condition=clabel,
                condition_code=ccode,
                outcome=f"adverse-{name}",
                outcome_label=f"Adverse events: {name}",
                kind=kind,
                measure="RR",
                better="lower",
                rows=tuple(rows),
                estimate=est,
                ci_lb=lo,
                ci_ub=hi,
                k=k,
                i2=i2,
                tau2=tau2,
                appraisal=appraisal,
                participants=sum(n1) + sum(n2),
                nnt=nnt,
                absolute=(
                    f"{pk(cr)} per 1000 on control; {pk(cr * est)} per 1000 on LDN (95% CI {pk(cr * lo)} to "
                    f"{pk(cr * hi)}); {nn.text()}"
                ),
                notes=("An undesirable event: NNTH is the number treated for one more person to have it.",),
                mcid=McidVerdict("no-mcid", "adverse events: judged by the absolute difference and NNTH"),
            )
        )
    return out


__all__ = [
    "R_BASE",
    "R_SWEEP",
    "Exclusion",
    "SensitivityRow",
    "SofRow",
    "StudyRow",
    "Synthesis",
    "SynthesisReport",
    "record_override",
    "synthesise",
]
