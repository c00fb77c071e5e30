"""GRADE certainty for a body of evidence on one outcome, computed domain by domain.

The engine takes an :class:`EvidenceBody` (the studies, their weights, the pooled or
per-study effects, the MCID on the effect's scale) and returns the model's
:class:`~ldn_atlas.model.Appraisal`: a start level, one :class:`DomainRating` per GRADE
domain with the reasons behind it, the resulting certainty and a written rationale.

Every rule is a small function of its inputs so that each can be tested on its own:

========================  =====================================================================
domain                    rule (levels moved)
========================  =====================================================================
start                     high when every study is a randomized controlled trial, else low
risk of bias              studies with serious design signals (open label, no control for an
                          RCT body, non-random order, retrospective, crossover without washout,
                          attrition > 20 %) carrying > 50 % of the weight: -1; studies with two
                          or more serious signals carrying > 50 %: -2.  Signals that are the
                          reason an observational body already starts low are not counted again;
                          small N is imprecision, not bias.
inconsistency             k >= 2: I² >= 50 % with the prediction interval (k >= 3, tau² > 0) or
                          the study estimates spanning the null: -1; I² >= 75 % with estimates
                          on both sides of the null and at least one significant: -2.
                          Narrative bodies: a significant benefit in one study and a null or
                          opposite result in another: -1.
imprecision               -1 when the CI crosses the null, the CI crosses the MCID, or the total
                          N is below the optimal information size (OIS); -2 when the CI spans
                          both appreciable benefit and appreciable harm, or a CI problem comes
                          with N below half the OIS.
indirectness              animal or in-vitro evidence: -2; a surrogate outcome (e.g. cytokines),
                          a mismatched population or an outcome measured differently from the
                          question: -1 (-2 when two such problems).
publication bias          k >= 10: Egger-type regression test p < 0.10: -1; k < 10: not
                          assessable (no change, said so).
large effect              observational bodies without serious risk of bias: ratio >= 2 (or
                          <= 0.5) with the CI excluding 1: +1; >= 5 (<= 0.2): +2.
========================  =====================================================================

A reviewer may override any domain (or the final certainty) with an
:class:`~ldn_atlas.model.Override`; the computed value and the override are both kept.

References
----------
.. [1] Guyatt GH et al. GRADE guidelines: 1-9. J Clin Epidemiol 2011;64:383-1293; in
   particular 4 (risk of bias, 64:407-15), 5 (publication bias, 64:1277-82),
   6 (imprecision, 64:1283-93), 7 (inconsistency, 64:1294-302), 8 (indirectness,
   64:1303-10), 9 (rating up, 64:1311-6).
.. [2] Schünemann H, Brożek J, Guyatt G, Oxman A (eds). GRADE Handbook, 2013.
.. [3] Egger M et al. Bias in meta-analysis detected by a simple, graphical test.
   BMJ 1997;315:629-34.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from scipy import stats as sps

from ldn_atlas.appraise.levels import risk_of_bias
from ldn_atlas.errors import InputError
from ldn_atlas.model.classify import DesignCategory, design_category
from ldn_atlas.model.evidence import Appraisal, Certainty, DomainRating, Override, Study

CERTAINTIES: tuple[Certainty, ...] = ("very-low", "low", "moderate", "high")
CERTAINTY_LABELS: dict[str, str] = {
    "high": "High",
    "moderate": "Moderate",
    "low": "Low",
    "very-low": "Very low",
}
DOMAINS = ("risk-of-bias", "inconsistency", "indirectness", "imprecision", "publication-bias", "large-effect")

#: GRADE's default thresholds of appreciable benefit and harm for ratio measures (RRR/RRI 25 %).
RATIO_APPRECIABLE = 0.25
#: GRADE's rule-of-thumb OIS for continuous outcomes when no MCID is known (Guyatt 2011, GRADE 6).
CONTINUOUS_OIS_RULE = 400
I2_SUBSTANTIAL = 50.0
I2_CONSIDERABLE = 75.0
PUBBIAS_MIN_K = 10
PUBBIAS_ALPHA = 0.10
#: Signals that explain why a non-randomized body already starts low (not counted again).
_START_LOW_SIGNALS = {"no-control", "non-random-order"}
#: Signals that belong to imprecision, not risk of bias.
_NOT_BIAS_SIGNALS = {"small-n"}

Scale = Literal["difference", "ratio", "proportion"]
Better = Literal["lower", "higher"]


def certainty_label(certainty: str) -> str:
    """``"very-low"`` -> ``"Very low"``, as GRADE prints it."""
    return CERTAINTY_LABELS[certainty]


@dataclass(frozen=True)
class Effect:
    """An effect estimate with its confidence (and prediction) interval, on its natural scale.

    Ratio measures are given exponentiated (an RR of 0.8, not log 0.8).  ``better`` says
    which direction is a benefit for the patient (``lower`` for pain, ``higher`` for QoL
    measured so that higher is better, ``lower`` for an RR of a harmful event).
    """

    measure: str
    estimate: float
    ci_lb: float
    ci_ub: float
    scale: Scale = "difference"
    better: Better = "lower"
    pi_lb: float | None = None
    pi_ub: float | None = None
    i2: float | None = None
    tau2: float | None = None
    k: int = 1
    regtest_p: float | None = None

    @property
    def null(self) -> float:
        return 1.0 if self.scale == "ratio" else 0.0

    def benefit(self, x: float) -> float:
        """Signed distance of ``x`` from the null in the benefit direction (log scale for ratios)."""
        d = math.log(x) if self.scale == "ratio" else x - self.null
        return -d if self.better == "lower" else d


@dataclass(frozen=True)
class StudyEffect:
    """One study's estimate for a narrative body (or one row of a pooled one)."""

    study: str
    estimate: float | None = None
    ci_lb: float | None = None
    ci_ub: float | None = None
    significant: bool | None = None
    direction: str | None = None  # improved, worsened, no-difference, mixed, unclear


@dataclass(frozen=True)
class EvidenceBody:
    """What GRADE needs to know about the evidence for one outcome.

    Parameters
    ----------
    subject, outcome
        Ids used for the appraisal's id (``subject:outcome``).
    studies
        The studies in the body.
    weights
        Relative weights of the studies (pooled weights, or their N); default N.
    effect
        The pooled effect, or ``None`` for a narrative synthesis.
    study_effects
        Per-study estimates or directions (used by inconsistency in narrative bodies).
    total_n
        Participants in the body (default: the sum of analysed N).
    mcid
        The minimal important difference on the effect's scale, as a positive magnitude
        (for ratio measures: the relative change, e.g. 0.25).
    control_risk
        Control-group risk for a binary outcome (for the OIS).
    surrogate, population_mismatch, outcome_mismatch
        Indirectness inputs: a surrogate outcome; reasons the studied population differs
        from the question's; reasons the measured outcome differs from the question's.
    """

    subject: str
    outcome: str
    studies: Sequence[Study]
    weights: Sequence[float] | None = None
    effect: Effect | None = None
    study_effects: Sequence[StudyEffect] = ()
    total_n: int | None = None
    mcid: float | None = None
    mcid_source: str | None = None
    control_risk: float | None = None
    surrogate: bool = False
    population_mismatch: Sequence[str] = ()
    outcome_mismatch: Sequence[str] = ()

    @property
    def appraisal_id(self) -> str:
        """``subject:outcome``, or the subject alone when it already names the outcome (a synthesis id)."""
        if self.subject == self.outcome or self.subject.endswith(f":{self.outcome}"):
            return self.subject
        return f"{self.subject}:{self.outcome}"

    def n(self) -> int | None:
        if self.total_n is not None:
            return self.total_n
        counts = [_n(s) for s in self.studies]
        known = [c for c in counts if c is not None]
        return sum(known) if known else None


def _n(study: Study) -> int | None:
    pop = study.population
    return pop.n_analyzed if pop.n_analyzed is not None else pop.n


def _weights(body: EvidenceBody) -> list[float]:
    if body.weights is not None:
        if len(body.weights) != len(body.studies):
            raise InputError(
                f"{body.appraisal_id}: {len(body.weights)} weights for {len(body.studies)} studies",
                field="weights",
            )
        w = [max(float(x), 0.0) for x in body.weights]
    else:
        w = [float(_n(s) or 1) for s in body.studies]
    total = sum(w) or 1.0
    return [x / total for x in w]


# -- start --------------------------------------------------------------------------------------------


def start_level(studies: Sequence[Study]) -> tuple[Certainty, str]:
    """High when every study is a randomized controlled trial (or a review of them), else low."""
    if not studies:
        raise InputError("a GRADE appraisal needs at least one study", field="studies")
    cats = [design_category(s) for s in studies]
    rct = {DesignCategory.RANDOMISED_CONTROLLED, DesignCategory.SYSTEMATIC_REVIEW}
    if all(c in rct for c in cats):
        return "high", "randomized controlled trials start at high certainty"
    kinds = sorted({c.label for c in cats if c not in rct})
    return "low", f"non-randomized evidence ({', '.join(kinds)}) starts at low certainty"


# -- domains ------------------------------------------------------------------------------------------


def rate_risk_of_bias(studies: Sequence[Study], weights: Sequence[float], start: Certainty) -> DomainRating:
    """Risk of bias from the design signals of :func:`~ldn_atlas.appraise.levels.risk_of_bias`.

    A study counts as serious when it has one serious signal and very serious with two
    or more.  The body is rated down once when serious studies carry more than half of
    the weight, twice when very serious ones do.  For a body that starts low, the
    signals that made it start low (no control, non-random order) are not counted again.
    """
    skip = set(_NOT_BIAS_SIGNALS)
    if start == "low":
        skip |= _START_LOW_SIGNALS
    serious_w = very_w = 0.0
    reasons: list[str] = []
    for study, w in zip(studies, weights, strict=True):
        rob = risk_of_bias(study)
        counted = [s for s in rob.serious if s.code not in skip]
        if counted:
            serious_w += w
            reasons.append(f"{study.label}: " + "; ".join(s.detail for s in counted))
        if len(counted) >= 2:
            very_w += w
    change = -2 if very_w > 0.5 else -1 if serious_w > 0.5 else 0
    if change == 0:
        if reasons:
            reasons.append(
                f"studies with serious limitations carry {serious_w:.0%} of the weight (not most): not rated down"
            )
        else:
            reasons.append("no serious design limitation recorded in the studies")
    else:
        share = very_w if change == -2 else serious_w
        reasons.append(
            f"studies with {'several ' if change == -2 else ''}serious limitations carry {share:.0%} of the weight"
        )
    return DomainRating(domain="risk-of-bias", change=change, reasons=reasons)


def _spans_null(effect: Effect, lo: float | None, hi: float | None) -> bool:
    if lo is None or hi is None:
        return False
    return effect.benefit(lo) * effect.benefit(hi) <= 0 if effect.scale != "proportion" else False


def rate_inconsistency(effect: Effect | None, study_effects: Sequence[StudyEffect] = ()) -> DomainRating:
    """Inconsistency from I², the prediction interval and the direction of the study results.

    The prediction interval is used only with k >= 3 and tau² > 0 (with k = 2 the
    Knapp-Hartung interval has one degree of freedom and says nothing about
    heterogeneity).
    """
    if effect is not None and effect.k >= 2:
        i2 = effect.i2 or 0.0
        ests = [se.estimate for se in study_effects if se.estimate is not None]
        sides = (
            {math.copysign(1.0, effect.benefit(x)) for x in ests if effect.benefit(x) != 0}
            if effect.scale != "proportion"
            else set()
        )
        both_sides = len(sides) == 2
        sig = [se for se in study_effects if se.significant]
        pi_null = (
            effect.k >= 3
            and (effect.tau2 or 0) > 0
            and effect.pi_lb is not None
            and _spans_null(effect, effect.pi_lb, effect.pi_ub)
            and not _spans_null(effect, effect.ci_lb, effect.ci_ub)
        )
        reasons = [f"I² = {i2:.0f}% over k = {effect.k} studies"]
        if effect.pi_lb is not None and effect.k >= 3:
            reasons.append(f"95% prediction interval {effect.pi_lb:.2f} to {effect.pi_ub:.2f}")
        if i2 >= I2_CONSIDERABLE and both_sides and sig:
            reasons.append("considerable heterogeneity with study estimates on both sides of the null")
            return DomainRating(domain="inconsistency", change=-2, reasons=reasons)
        if i2 >= I2_SUBSTANTIAL and (pi_null or both_sides):
            reasons.append(
                "substantial heterogeneity: "
                + (
                    "the prediction interval includes the null although the CI does not"
                    if pi_null
                    else "study estimates lie on both sides of the null"
                )
            )
            return DomainRating(domain="inconsistency", change=-1, reasons=reasons)
        if pi_null:
            reasons.append("the prediction interval includes the null although the CI does not")
            return DomainRating(domain="inconsistency", change=-1, reasons=reasons)
        reasons.append("no important inconsistency" + (" (I² below 50%)" if i2 < I2_SUBSTANTIAL else ""))
        return DomainRating(domain="inconsistency", change=0, reasons=reasons)
    if len(study_effects) >= 2:
        benefit = [se for se in study_effects if se.direction == "improved" and se.significant is not False]
        other = [se for se in study_effects if se.direction in ("no-difference", "worsened")]
        if benefit and other:
            return DomainRating(
                domain="inconsistency",
                change=-1,
                reasons=[
                    "results disagree: "
                    + ", ".join(se.study for se in benefit)
                    + " found a benefit, "
                    + ", ".join(se.study for se in other)
                    + " found none"
                ],
            )
        return DomainRating(domain="inconsistency", change=0, reasons=["the studies' results point the same way"])
    return DomainRating(
        domain="inconsistency",
        change=0,
        reasons=["one study: inconsistency cannot be assessed (not rated down)"],
    )


def optimal_information_size(
    *,
    mcid_sd: float | None = None,
    control_risk: float | None = None,
    rrr: float = RATIO_APPRECIABLE,
    alpha: float = 0.05,
    power: float = 0.8,
) -> int:
    """Total sample size a single adequately powered trial would need (GRADE's OIS).

    Continuous outcomes: ``4 (z_{1-a/2} + z_{power})^2 / d^2`` for a standardized
    difference ``d`` (``mcid_sd``); without one, GRADE's rule of thumb of 400.
    Binary outcomes: the two-proportion formula for the control risk and a relative
    risk reduction ``rrr`` (default 25 %).

    References
    ----------
    .. [1] Guyatt GH et al. GRADE guidelines 6: imprecision. J Clin Epidemiol 2011;64:1283-93.
    """
    z = sps.norm.ppf(1 - alpha / 2) + sps.norm.ppf(power)
    if control_risk is not None:
        if not 0 < control_risk < 1:
            raise InputError(f"control risk must be in (0, 1), got {control_risk}", field="control_risk")
        p1, p2 = control_risk, control_risk * (1 - rrr)
        per_group = z**2 * (p1 * (1 - p1) + p2 * (1 - p2)) / (p1 - p2) ** 2
        return math.ceil(2 * per_group)
    if mcid_sd is not None:
        if mcid_sd <= 0:
            raise InputError(f"MCID in SD units must be positive, got {mcid_sd}", field="mcid")
        return math.ceil(4 * z**2 / mcid_sd**2)
    return CONTINUOUS_OIS_RULE


def rate_imprecision(
    effect: Effect | None,
    total_n: int | None,
    *,
    mcid: float | None = None,
    control_risk: float | None = None,
    ois: int | None = None,
) -> DomainRating:
    """Imprecision from the CI against the null and the MCID, and the optimal information size.

    ``mcid`` is a positive magnitude on the effect's scale (for ratios a relative change;
    without one GRADE's 25 % is used).  For a single-arm proportion the CI is judged by
    its width (over 20 percentage points: -1; over 40: -2).
    """
    reasons: list[str] = []
    if effect is not None and effect.scale == "proportion":
        width = abs(effect.ci_ub - effect.ci_lb)
        reasons.append(f"95% CI {effect.ci_lb:.1%} to {effect.ci_ub:.1%} (width {width:.0%})")
        change = -2 if width > 0.40 else -1 if width > 0.20 else 0
        if total_n is not None:
            reasons.append(f"{total_n} participants")
        if change == 0:
            reasons.append("the rate is estimated precisely enough")
        return DomainRating(domain="imprecision", change=change, reasons=reasons)
    if ois is None:
        mcid_sd = mcid if (effect is not None and effect.measure.upper() in ("SMD", "SMDH", "SMCC", "SMCR")) else None
        ois = optimal_information_size(mcid_sd=mcid_sd, control_risk=control_risk)
    below_ois = total_n is not None and total_n < ois
    very_small = total_n is not None and total_n < ois / 2
    problems = 0
    if effect is None:
        reasons.append("no pooled estimate with a confidence interval")
        problems += 1
    else:
        lo_b, hi_b = sorted((effect.benefit(effect.ci_lb), effect.benefit(effect.ci_ub)))
        thr: float | None
        thr = math.log(1 + (mcid if mcid is not None else RATIO_APPRECIABLE)) if effect.scale == "ratio" else mcid
        if thr is not None and lo_b <= -thr and hi_b >= thr:
            reasons.append(
                f"the 95% CI ({effect.ci_lb:.2f} to {effect.ci_ub:.2f}) includes both an important "
                "benefit and an important harm"
            )
            return DomainRating(domain="imprecision", change=-2, reasons=reasons)
        if lo_b <= 0 <= hi_b:
            reasons.append(f"the 95% CI ({effect.ci_lb:.2f} to {effect.ci_ub:.2f}) includes no effect")
            problems += 1
        elif thr is not None and lo_b < thr <= hi_b:
            reasons.append(
                f"the 95% CI ({effect.ci_lb:.2f} to {effect.ci_ub:.2f}) crosses the MCID ({thr:.2f}): "
                "the effect may or may not be important"
            )
            problems += 1
        elif thr is None:
            reasons.append("no MCID recorded for this outcome: judged against the null only")
    if total_n is None:
        reasons.append("number of participants unknown")
    elif below_ois:
        reasons.append(f"{total_n} participants, below the optimal information size of {ois}")
    else:
        reasons.append(f"{total_n} participants meet the optimal information size of {ois}")
    if problems and very_small:
        change = -2
    elif problems or below_ois:
        change = -1
    else:
        change = 0
    if change == 0:
        reasons.append("precise enough")
    return DomainRating(domain="imprecision", change=change, reasons=reasons)


def rate_indirectness(
    studies: Sequence[Study],
    *,
    surrogate: bool = False,
    population_mismatch: Sequence[str] = (),
    outcome_mismatch: Sequence[str] = (),
) -> DomainRating:
    """Indirectness: animal or in-vitro evidence (-2).

    A surrogate outcome, a mismatched population or a mismatched outcome: -1 each, at most -2.
    """
    nonhuman = [s for s in studies if s.species != "human"]
    if nonhuman:
        kinds = sorted({s.model or s.species for s in nonhuman})
        return DomainRating(
            domain="indirectness",
            change=-2,
            reasons=[
                f"evidence from {', '.join(kinds)}: a mechanism in a model is very indirect evidence for patients"
            ],
        )
    problems: list[str] = []
    if surrogate:
        problems.append("surrogate outcome (a biomarker, not how patients feel, function or survive)")
    problems.extend(f"population: {r}" for r in population_mismatch)
    problems.extend(f"outcome: {r}" for r in outcome_mismatch)
    if not problems:
        return DomainRating(
            domain="indirectness",
            change=0,
            reasons=["human studies of the condition measuring a patient-important outcome"],
        )
    return DomainRating(domain="indirectness", change=-min(2, len(problems)), reasons=problems)


def rate_publication_bias(effect: Effect | None) -> DomainRating:
    """Small-study test when k >= 10 (p < 0.10: -1); otherwise not assessable and not rated down."""
    if effect is None or effect.k < PUBBIAS_MIN_K:
        k = 0 if effect is None else effect.k
        return DomainRating(
            domain="publication-bias",
            change=0,
            reasons=[
                f"k = {k} < {PUBBIAS_MIN_K}: a small-study test is not informative; not rated down, "
                "but publication bias cannot be excluded"
            ],
        )
    if effect.regtest_p is None:
        return DomainRating(
            domain="publication-bias",
            change=0,
            reasons=[f"k = {effect.k} but no small-study test result supplied"],
        )
    if effect.regtest_p < PUBBIAS_ALPHA:
        return DomainRating(
            domain="publication-bias",
            change=-1,
            reasons=[f"regression test for funnel-plot asymmetry p = {effect.regtest_p:.3f} (< {PUBBIAS_ALPHA})"],
        )
    return DomainRating(
        domain="publication-bias",
        change=0,
        reasons=[
            f"regression test for funnel-plot asymmetry p = {effect.regtest_p:.3f}: no small-study effect detected"
        ],
    )


def rate_large_effect(effect: Effect | None, start: Certainty, rob_change: int) -> DomainRating:
    """Rate up observational evidence for a large ratio effect (GRADE 9), without serious risk of bias."""
    if start != "low" or rob_change < 0 or effect is None or effect.scale != "ratio":
        return DomainRating(domain="large-effect", change=0, reasons=["not applicable"])
    lo, hi = sorted((effect.ci_lb, effect.ci_ub))
    if lo <= 1 <= hi:
        return DomainRating(domain="large-effect", change=0, reasons=["CI includes no effect"])
    far = min(abs(math.log(lo)), abs(math.log(hi)))
    if far >= math.log(5):
        return DomainRating(domain="large-effect", change=2, reasons=["very large effect (ratio beyond 5 or 1/5)"])
    if abs(math.log(effect.estimate)) >= math.log(2) and far > 0:
        return DomainRating(domain="large-effect", change=1, reasons=["large effect (ratio beyond 2 or 1/2)"])
    return DomainRating(domain="large-effect", change=0, reasons=["effect not large enough to rate up"])


# -- overrides and the whole appraisal ----------------------------------------------------------------


def _parse_change(target: str, override: Override) -> int:
    try:
        value = int(str(override.value).strip())
    except ValueError:
        raise InputError(
            f"override of {target} by {override.by}: value {override.value!r} is not an integer between -2 and 2",
            field="value",
        ) from None
    if not -2 <= value <= 2:
        raise InputError(f"override of {target}: value {value} outside -2..2", field="value")
    return value


def apply_override(rating: DomainRating, override: Override | None) -> DomainRating:
    """The rating with a reviewer's override applied; the computed change stays in the reasons."""
    if override is None:
        return rating
    new = _parse_change(rating.domain, override)
    reasons = [
        *rating.reasons,
        f"reviewer override by {override.by} at {override.at.isoformat()}: {override.reason} "
        f"(computed {rating.change:+d}, now {new:+d})",
    ]
    return DomainRating(domain=rating.domain, change=new, reasons=reasons, override=override)


def overrides_from_store(repository: object, appraisal_id: str) -> dict[str, Override]:
    """The overrides in force for one appraisal, read through the store's override API.

    ``repository`` is a :class:`ldn_atlas.store.repository.Repository` (anything with
    ``list_overrides(appraisal_id)`` returning items with ``target`` and ``override``).
    The newest override of each target wins.
    """
    items = repository.list_overrides(appraisal_id)  # type: ignore[attr-defined]
    out: dict[str, Override] = {}
    for item in items:
        out[item.target] = item.override
    return out


def grade(body: EvidenceBody, overrides: Mapping[str, Override] | None = None) -> Appraisal:
    """GRADE certainty of a body of evidence for one outcome.

    Parameters
    ----------
    body : EvidenceBody
        The studies, weights, effect and indirectness inputs.
    overrides : mapping of str to Override, optional
        Reviewer overrides keyed by domain (``risk-of-bias``, ``inconsistency``,
        ``indirectness``, ``imprecision``, ``publication-bias``, ``large-effect``; the
        value is the new change, e.g. ``"-1"``) or by ``certainty`` (the value is a
        certainty, e.g. ``"low"``).

    Returns
    -------
    Appraisal
        ``start``, ``certainty`` (``high``, ``moderate``, ``low``, ``very-low``), one
        :class:`DomainRating` per domain and a written ``rationale``.

    References
    ----------
    .. [1] Guyatt GH et al. GRADE guidelines. J Clin Epidemiol 2011;64.
    """
    overrides = dict(overrides or {})
    _check_targets(overrides)
    start, start_reason = start_level(body.studies)
    ratings = rate_domains(body, start, overrides)
    idx = CERTAINTIES.index(start) + sum(r.change for r in ratings)
    computed: Certainty = CERTAINTIES[max(0, min(3, idx))]
    certainty = computed
    parts = [f"Start: {certainty_label(start)} ({start_reason})."]
    parts += [_domain_sentence(r) for r in ratings if r.change or r.override is not None]
    final = overrides.get("certainty")
    if final is not None:
        certainty = _overridden_certainty(final)
        parts.append(
            f"Reviewer override of the certainty by {final.by} at {final.at.isoformat()}: "
            f"{final.reason} (computed {certainty_label(computed)})."
        )
    not_rated = [
        r.domain.replace("-", " ")
        for r in ratings
        if r.change == 0 and r.override is None and r.domain != "large-effect"
    ]
    if not_rated:
        parts.append("Not rated down for " + ", ".join(not_rated) + ".")
    parts.append(f"Certainty: {certainty_label(certainty)}.")
    return Appraisal(
        id=body.appraisal_id,
        subject=body.subject,
        outcome=body.outcome,
        start=start,
        certainty=certainty,
        domains=ratings,
        rationale=" ".join(parts),
    )


def _check_targets(overrides: Mapping[str, Override]) -> None:
    """Raise :class:`InputError` for an override of anything but a GRADE domain or the certainty."""
    unknown = set(overrides) - set(DOMAINS) - {"certainty"}
    if unknown:
        raise InputError(
            f"unknown override target(s) {sorted(unknown)}; expected one of {[*DOMAINS, 'certainty']}",
            field="overrides",
        )


def rate_domains(body: EvidenceBody, start: Certainty, overrides: Mapping[str, Override]) -> list[DomainRating]:
    """The six GRADE domains of a body of evidence, in order, each with its reviewer override in force.

    Parameters
    ----------
    body : EvidenceBody
        The studies, weights, effect and indirectness inputs.
    start : str
        The starting certainty (large effects rate up only bodies that were not rated down for bias).
    overrides : mapping of str to Override
        Reviewer overrides keyed by domain.

    Returns
    -------
    list of DomainRating
        Risk of bias, inconsistency, indirectness, imprecision, publication bias, large effect.
    """
    weights = _weights(body)
    rob = apply_override(rate_risk_of_bias(body.studies, weights, start), overrides.get("risk-of-bias"))
    return [
        rob,
        apply_override(rate_inconsistency(body.effect, body.study_effects), overrides.get("inconsistency")),
        apply_override(
            rate_indirectness(
                body.studies,
                surrogate=body.surrogate,
                population_mismatch=body.population_mismatch,
                outcome_mismatch=body.outcome_mismatch,
            ),
            overrides.get("indirectness"),
        ),
        apply_override(
            rate_imprecision(body.effect, body.n(), mcid=body.mcid, control_risk=body.control_risk),
            overrides.get("imprecision"),
        ),
        apply_override(rate_publication_bias(body.effect), overrides.get("publication-bias")),
        apply_override(rate_large_effect(body.effect, start, rob.change), overrides.get("large-effect")),
    ]


def _domain_sentence(r: DomainRating) -> str:
    """``Imprecision: rated down 1 level (reasons).``: one domain's sentence of the rationale."""
    verb = "rated down" if r.change < 0 else "rated up" if r.change > 0 else "not changed"
    steps = abs(r.change)
    level_word = "level" if steps == 1 else "levels"
    return (
        f"{r.domain.replace('-', ' ').capitalize()}: {verb}"
        + (f" {steps} {level_word}" if steps else "")
        + f" ({'; '.join(r.reasons)})."
    )


def _overridden_certainty(final: Override) -> Certainty:
    """The certainty a reviewer's override sets (:class:`InputError` when it is not a certainty)."""
    value = str(final.value).strip().lower().replace(" ", "-")
    if value not in CERTAINTIES:
        raise InputError(
            f"override of certainty by {final.by}: {final.value!r} is not one of {CERTAINTIES}",
            field="value",
        )
    return value


__all__ = [
    "CERTAINTIES",
    "CERTAINTY_LABELS",
    "DOMAINS",
    "Effect",
    "EvidenceBody",
    "StudyEffect",
    "apply_override",
    "certainty_label",
    "grade",
    "optimal_information_size",
    "overrides_from_store",
    "rate_imprecision",
    "rate_inconsistency",
    "rate_indirectness",
    "rate_large_effect",
    "rate_publication_bias",
    "rate_risk_of_bias",
    "start_level",
]
