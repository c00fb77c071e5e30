"""Evidence levels (Oxford CEBM 2011) and risk-of-bias signals read from a study's design.

Both are pure functions of a :class:`~ldn_atlas.model.Study`.  They read only what the
record states (design tags, species, control, periods, counts); nothing is inferred from
free text, so a missing tag gives a missing signal, never an invented one.

References
----------
.. [1] OCEBM Levels of Evidence Working Group. "The Oxford 2011 Levels of Evidence".
   Oxford Centre for Evidence-Based Medicine, 2011.
.. [2] Sterne JAC et al. "RoB 2: a revised tool for assessing risk of bias in randomised
   trials". BMJ 2019;366:l4898.
.. [3] Higgins JPT et al. (eds). Cochrane Handbook for Systematic Reviews of Interventions,
   version 6.3, chapter 23 (crossover trials: carry-over and washout), 2022.
"""

from __future__ import annotations

from collections.abc import Callable, Set
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from ldn_atlas.model.classify import DesignCategory, design_category
from ldn_atlas.model.evidence import Study

Severity = Literal["some", "serious"]
RobJudgement = Literal["low", "some-concerns", "high", "not-applicable"]

#: Analysed participants below which a study is flagged as small (serious below the second).
SMALL_N: int = 50
VERY_SMALL_N: int = 20
#: Attrition (1 - analysed/enrolled) above which a study is flagged (serious above the second).
ATTRITION_SOME: float = 0.10
ATTRITION_SERIOUS: float = 0.20

_LEVEL_LABELS = {
    1: "Systematic review of randomized trials",
    2: "Randomized trial",
    3: "Non-randomized controlled study",
    4: "Case series, case report, uncontrolled or historically controlled study",
    5: "Mechanism-based reasoning (animal or in-vitro work)",
}


@dataclass(frozen=True)
class EvidenceLevel:
    """An OCEBM 2011 level for the treatment-benefit question ("Does this intervention help?").

    Attributes
    ----------
    level : int
        1 (strongest) to 5.
    label : str
        The level's description in the OCEBM table.
    basis : str
        Which design facts gave the level.
    grade_down : list of str
        Reasons OCEBM allows the level to be graded down (study quality, imprecision);
        reported, not applied, so the level stays a pure function of the design.
    """

    level: int
    label: str
    basis: str
    grade_down: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["grade_down"] = list(self.grade_down)
        return out


@dataclass(frozen=True)
class RobSignal:
    """One risk-of-bias signal read from a study's design.

    ``code`` is stable (``no-control``, ``open-label``, ``single-blind``,
    ``non-random-order``, ``retrospective``, ``small-n``, ``crossover-no-washout``,
    ``attrition``); ``severity`` is ``some`` or ``serious``.
    """

    code: str
    severity: Severity
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class RiskOfBias:
    """All signals of one study and an overall judgement (RoB 2 vocabulary)."""

    study: str
    judgement: RobJudgement
    signals: tuple[RobSignal, ...] = field(default_factory=tuple)

    @property
    def serious(self) -> tuple[RobSignal, ...]:
        return tuple(s for s in self.signals if s.severity == "serious")

    def to_dict(self) -> dict[str, Any]:
        return {
            "study": self.study,
            "judgement": self.judgement,
            "signals": [s.to_dict() for s in self.signals],
        }


def analysed_n(study: Study) -> int | None:
    """The number analysed when known, else the best single count ``population.n``."""
    pop = study.population
    return pop.n_analyzed if pop.n_analyzed is not None else pop.n


def is_controlled(study: Study) -> bool:
    """True when the study compares LDN with a control (placebo period or arm, or another treatment)."""
    return design_category(study) in (
        DesignCategory.RANDOMISED_CONTROLLED,
        DesignCategory.NON_RANDOMISED_CONTROLLED,
        DesignCategory.SYSTEMATIC_REVIEW,
    )


def reviews_only_nonrandomised(study: Study) -> bool:
    """A systematic review whose record says it includes no randomized trial (``included_designs``)."""
    return "systematic-review" in study.design and bool(study.included_designs) and (
        "randomized" not in study.included_designs
    )


def evidence_level(study: Study) -> EvidenceLevel:
    """The OCEBM 2011 level of a study for the question "does this intervention help?".

    Parameters
    ----------
    study : Study
        The study record; only ``species``, ``design``, ``controlled`` and
        ``comparator`` are read (through :func:`ldn_atlas.model.classify.design_category`).

    Returns
    -------
    EvidenceLevel
        Level 1 for a systematic review (of randomized trials, or of designs its record does not
        state; a review of non-randomised studies only ranks as those studies, and at best 3),
        2 for a randomized controlled trial, 3 for a
        non-randomized controlled study (including a fixed-order placebo crossover), 4 for
        case reports, case series, uncontrolled trials and retrospective uncontrolled
        cohorts, 5 for animal and in-vitro work (mechanism-based reasoning).

    References
    ----------
    .. [1] OCEBM Levels of Evidence Working Group. The Oxford 2011 Levels of Evidence.
    """
    cat = design_category(study)
    if cat == DesignCategory.SYSTEMATIC_REVIEW and reviews_only_nonrandomised(study):
        inner = evidence_level(study.model_copy(update={"design": study.included_designs, "included_designs": []}))
        level = inner.level
        designs = ", ".join(study.included_designs)
        basis = f"a systematic review of {designs} studies only: no higher than what it includes"
    elif cat == DesignCategory.SYSTEMATIC_REVIEW:
        level, basis = 1, "tagged systematic-review"
    elif cat == DesignCategory.RANDOMISED_CONTROLLED:
        level, basis = 2, "randomized with a control"
    elif cat == DesignCategory.NON_RANDOMISED_CONTROLLED:
        level, basis = 3, "controlled but not randomized"
    elif cat in (DesignCategory.ANIMAL, DesignCategory.IN_VITRO):
        level, basis = 5, f"{cat.label} work: mechanism-based reasoning for a human question"
    else:
        level, basis = 4, f"{cat.label}: no concurrent control group"
    grade_down = tuple(s.detail for s in risk_of_bias(study).signals if s.severity == "serious") if level < 5 else ()
    return EvidenceLevel(level=level, label=_LEVEL_LABELS[level], basis=basis, grade_down=grade_down)


def risk_of_bias(study: Study) -> RiskOfBias:
    """Risk-of-bias signals read from a study's design, with an overall judgement.

    The signals are: no control group; open label (serious) or single blind (some
    concerns); a non-random order of treatments; a retrospective design; a small N
    (``< SMALL_N`` analysed, serious ``< VERY_SMALL_N``); a crossover without a washout
    period (only when periods are recorded); attrition where enrolled and analysed
    counts are both known (``> ATTRITION_SOME``, serious ``> ATTRITION_SERIOUS``).

    The judgement is ``high`` with any serious signal, ``some-concerns`` with any other
    signal and ``low`` otherwise.  Animal and in-vitro work get no human risk-of-bias
    signals and the judgement ``not-applicable`` (their problem is indirectness, rated
    in GRADE).

    References
    ----------
    .. [1] Sterne JAC et al. RoB 2. BMJ 2019;366:l4898.
    .. [2] Cochrane Handbook v6.3, section 23.2 (carry-over in crossover trials).
    """
    cat = design_category(study)
    if cat in (DesignCategory.ANIMAL, DesignCategory.IN_VITRO):
        return RiskOfBias(study=study.id, judgement="not-applicable", signals=())
    tags = set(study.design)
    signals = [s for signal in ROB_SIGNALS if (s := signal(study, tags, cat)) is not None]
    return RiskOfBias(study=study.id, judgement=_judgement(signals), signals=tuple(signals))


def _judgement(signals: list[RobSignal]) -> RobJudgement:
    """``high`` with any serious signal, ``some-concerns`` with any other signal, ``low`` without."""
    if any(s.severity == "serious" for s in signals):
        return "high"
    if signals:
        return "some-concerns"
    return "low"


def no_control_signal(study: Study, tags: Set[str], cat: DesignCategory) -> RobSignal | None:
    """No control group (any design but a controlled trial or a systematic review): serious."""
    if cat in (
        DesignCategory.RANDOMISED_CONTROLLED,
        DesignCategory.NON_RANDOMISED_CONTROLLED,
        DesignCategory.SYSTEMATIC_REVIEW,
    ):
        return None
    return RobSignal(
        "no-control",
        "serious",
        f"no control group ({cat.label}): change cannot be separated from natural "
        "history, regression to the mean and placebo response",
    )


def blinding_signal(study: Study, tags: Set[str], cat: DesignCategory) -> RobSignal | None:
    """Open label (serious), or single blind without double blind (some concerns)."""
    if "open-label" in tags:
        return RobSignal("open-label", "serious", "open label: participants and investigators knew the treatment")
    if "single-blind" in tags and "double-blind" not in tags:
        return RobSignal("single-blind", "some", "single blind: investigators knew the treatment")
    return None


def allocation_signal(study: Study, tags: Set[str], cat: DesignCategory) -> RobSignal | None:
    """A crossover in a fixed order, or a controlled study that is not randomized: serious."""
    if "crossover" in tags and "randomized" not in tags:
        return RobSignal(
            "non-random-order",
            "serious",
            "crossover in a fixed, non-random order: treatment is confounded with time",
        )
    if cat == DesignCategory.NON_RANDOMISED_CONTROLLED and "randomized" not in tags:
        return RobSignal("non-random-order", "serious", "controlled but not randomized: allocation may be confounded")
    return None


def retrospective_signal(study: Study, tags: Set[str], cat: DesignCategory) -> RobSignal | None:
    """A retrospective design: serious."""
    if "retrospective" not in tags:
        return None
    return RobSignal(
        "retrospective",
        "serious",
        "retrospective: data not collected for the question (selection and recall bias)",
    )


def small_n_signal(study: Study, tags: Set[str], cat: DesignCategory) -> RobSignal | None:
    """Fewer than ``SMALL_N`` analysed (serious under ``VERY_SMALL_N``); not for systematic reviews."""
    n = analysed_n(study)
    if n is None or n >= SMALL_N or cat == DesignCategory.SYSTEMATIC_REVIEW:
        return None
    sev: Severity = "serious" if n < VERY_SMALL_N else "some"
    return RobSignal("small-n", sev, f"small sample: {n} analysed (< {SMALL_N})")


def washout_signal(study: Study, tags: Set[str], cat: DesignCategory) -> RobSignal | None:
    """A crossover whose recorded periods have no washout: serious (carry-over)."""
    if "crossover" in tags and study.periods and not any(p.kind == "washout" for p in study.periods):
        return RobSignal(
            "crossover-no-washout",
            "serious",
            "crossover without a washout period: carry-over cannot be excluded",
        )
    return None


def attrition_signal(study: Study, tags: Set[str], cat: DesignCategory) -> RobSignal | None:
    """Attrition above ``ATTRITION_SOME`` (serious above ``ATTRITION_SERIOUS``) where enrolled and analysed
    counts are both known."""
    pop = study.population
    if not (pop.n_enrolled and pop.n_analyzed is not None and pop.n_analyzed <= pop.n_enrolled):
        return None
    lost = 1.0 - pop.n_analyzed / pop.n_enrolled
    if lost <= ATTRITION_SOME:
        return None
    sev: Severity = "serious" if lost > ATTRITION_SERIOUS else "some"
    return RobSignal(
        "attrition",
        sev,
        f"attrition {lost:.0%} ({pop.n_enrolled} enrolled, {pop.n_analyzed} analysed)",
    )


#: The risk-of-bias signals in the order a judgement lists them; each gives a signal or ``None``.
ROB_SIGNALS: tuple[Callable[[Study, Set[str], DesignCategory], RobSignal | None], ...] = (
    no_control_signal,
    blinding_signal,
    allocation_signal,
    retrospective_signal,
    small_n_signal,
    washout_signal,
    attrition_signal,
)

__all__ = [
    "ATTRITION_SERIOUS",
    "ATTRITION_SOME",
    "SMALL_N",
    "VERY_SMALL_N",
    "EvidenceLevel",
    "RiskOfBias",
    "RobSignal",
    "analysed_n",
    "evidence_level",
    "is_controlled",
    "reviews_only_nonrandomised",
    "risk_of_bias",
]
