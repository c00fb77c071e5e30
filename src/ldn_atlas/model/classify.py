"""Classifications computed from a study record: design category and outcome domain.

These are pure functions of the evidence model, shared by every later stage
(the report's evidence matrix, the appraisal's groupings, the web filters), so
they live beside the model rather than in any one stage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache
from importlib import resources

import yaml

from ldn_atlas.model.evidence import Outcome, Study


class DesignCategory(IntEnum):
    """Design categories, ordered from the weakest to the strongest design for efficacy."""

    IN_VITRO = 0
    ANIMAL = 1
    CASE_REPORT = 2
    CASE_SERIES = 3
    OBSERVATIONAL = 4
    UNCONTROLLED_TRIAL = 5
    NON_RANDOMISED_CONTROLLED = 6
    RANDOMISED_CONTROLLED = 7
    SYSTEMATIC_REVIEW = 8

    @property
    def label(self) -> str:
        return _CATEGORY_LABELS[self]


_CATEGORY_LABELS = {
    DesignCategory.IN_VITRO: "in vitro",
    DesignCategory.ANIMAL: "animal",
    DesignCategory.CASE_REPORT: "case report",
    DesignCategory.CASE_SERIES: "case series",
    DesignCategory.OBSERVATIONAL: "observational",
    DesignCategory.UNCONTROLLED_TRIAL: "uncontrolled trial",
    DesignCategory.NON_RANDOMISED_CONTROLLED: "non-randomised controlled",
    DesignCategory.RANDOMISED_CONTROLLED: "RCT",
    DesignCategory.SYSTEMATIC_REVIEW: "systematic review",
}


def design_category(study: Study) -> DesignCategory:
    """The design category of a study, from its species and design tags.

    A study is an RCT only when it is tagged ``randomized`` and has a control
    (``controlled`` true, a comparator other than ``none``, or a
    placebo-controlled tag).  Animal and in-vitro work rank below any human
    design, whatever their internal design.
    """
    tags = set(study.design)
    if study.species == "in-vitro" or "in-vitro" in tags:
        return DesignCategory.IN_VITRO
    if study.species == "animal" or "animal" in tags:
        return DesignCategory.ANIMAL
    if "systematic-review" in tags:
        return DesignCategory.SYSTEMATIC_REVIEW
    controlled = bool(
        study.controlled
        or "placebo-controlled" in tags
        or (study.comparator not in (None, "none") and study.controlled is not False)
    )
    if "randomized" in tags and controlled:
        return DesignCategory.RANDOMISED_CONTROLLED
    if controlled:
        return DesignCategory.NON_RANDOMISED_CONTROLLED
    if "case-report" in tags:
        return DesignCategory.CASE_REPORT
    if "case-series" in tags:
        return DesignCategory.CASE_SERIES
    if tags & {"retrospective", "observational"}:
        return DesignCategory.OBSERVATIONAL
    return DesignCategory.UNCONTROLLED_TRIAL


@dataclass(frozen=True)
class OutcomeDomain:
    id: str
    label: str
    surrogate: bool
    patterns: tuple[re.Pattern[str], ...]


@lru_cache(maxsize=1)
def outcome_domains() -> tuple[OutcomeDomain, ...]:
    """The outcome domains of ``data/outcome_domains.yaml``, in matching order."""
    text = resources.files("ldn_atlas.data").joinpath("outcome_domains.yaml").read_text(encoding="utf-8")
    return tuple(
        OutcomeDomain(
            id=row["id"],
            label=row["label"],
            surrogate=bool(row.get("surrogate", False)),
            patterns=tuple(re.compile(p) for p in row["patterns"]),
        )
        for row in yaml.safe_load(text)
    )


def outcome_domain(outcome: Outcome | str) -> OutcomeDomain:
    """The first domain whose pattern matches the outcome's name and instrument."""
    text = (f"{outcome.name} {outcome.instrument or ''}" if isinstance(outcome, Outcome) else outcome).lower()
    for domain in outcome_domains():
        if any(p.search(text) for p in domain.patterns):
            return domain
    return outcome_domains()[-1]


def study_domains(study: Study) -> list[OutcomeDomain]:
    """Distinct outcome domains a study reports, in vocabulary order (adverse events count as safety)."""
    found = {outcome_domain(o).id for o in study.outcomes}
    if study.adverse_events:
        found.add("safety")
    return [d for d in outcome_domains() if d.id in found]


ArmRole = str  # "ldn", "control", "difference", "all" or "other"

_ARM_DIFFERENCE = re.compile(r"^(difference|diff|between|contrast)\b|\bvs\.?\b|\bversus\b", re.I)
_ARM_LDN = re.compile(r"\b(ldn|naltrexone|treatment|active|drug|intervention)\b", re.I)
_ARM_CONTROL = re.compile(r"\b(placebo|control|sham|usual care|comparator)\b", re.I)
_ARM_ALL = re.compile(r"^(all|overall|total|cohort|single|pre-post|patients)$", re.I)


def arm_role(arm: str) -> ArmRole:
    """What a measure's ``arm`` label stands for: ``ldn``, ``control``, ``difference``, ``all`` or ``other``.

    >>> [arm_role(a) for a in ("ldn", "Placebo", "difference", "LDN vs placebo", "all")]
    ['ldn', 'control', 'difference', 'difference', 'all']
    """
    text = arm.strip()
    if _ARM_DIFFERENCE.search(text):
        return "difference"
    if _ARM_CONTROL.search(text):
        return "control"
    if _ARM_LDN.search(text):
        return "ldn"
    if _ARM_ALL.match(text):
        return "all"
    return "other"


#: Outcome domains whose scores are better when lower (pain, fatigue, disease activity indices...).
LOWER_IS_BETTER_DOMAINS: frozenset[str] = frozenset(
    {"pain", "symptom-severity", "fatigue", "disease-activity", "spasticity", "disability", "safety"}
)
#: Outcomes that count good events (remission, response, healing): higher is better whatever their domain.
_GOOD_EVENT = re.compile(r"\b(remission|respon(?:se|ses|der|ders)|heal(?:ing|ed)|recover\w*)\b", re.I)


def lower_is_better(outcome: Outcome | str) -> bool:
    """Whether a lower value of the outcome is the better one.

    Decided by the outcome's domain, except that a count or rate of good events
    (remission, response, healing, recovery) is better when higher even in a
    lower-is-better domain such as disease activity.

    >>> lower_is_better("CDAI score"), lower_is_better("clinical remission (CDAI < 150)")
    (True, False)
    """
    text = f"{outcome.name} {outcome.instrument or ''}" if isinstance(outcome, Outcome) else outcome
    if counts_good_events(text):
        return False
    return outcome_domain(outcome).id in LOWER_IS_BETTER_DOMAINS


def counts_good_events(text: str) -> bool:
    """Whether an outcome's words name good events (remission, response, healing, recovery)."""
    return _GOOD_EVENT.search(text) is not None
