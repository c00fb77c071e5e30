"""The evidence model: what LDN Atlas knows, as validated pydantic v2 records.

The JSON field names are a contract (see ``DESIGN.md`` in the shared folder);
other tools and checks read them.  Every record forbids unknown fields, so a
typo in an evidence YAML file is an error, not a silently ignored key.

Provenance has two forms:

* a field that came from text carries :class:`Span` objects in
  ``Study.provenance`` keyed by the field's path (``"population.n"``,
  ``"outcomes[0].measures[1].value"``);
* a field that came from a citation carries a verification level in
  ``Study.verification`` keyed the same way (``primary``: seen in the primary
  record; ``secondary``: seen only in a secondary source; ``unverified``).
  A level given for a path covers everything below it, so ``"outcomes[0]"``
  marks every number of the first outcome.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

SourceKind = Literal["article", "abstract", "pubmed", "ctgov", "curated"]
Verification = Literal["primary", "secondary", "unverified"]
Species = Literal["human", "animal", "in-vitro"]
DesignTag = Literal[
    "randomized",
    "placebo-controlled",
    "double-blind",
    "single-blind",
    "open-label",
    "crossover",
    "parallel",
    "multicentre",
    "pilot",
    "retrospective",
    "prospective",
    "observational",
    "case-report",
    "case-series",
    "animal",
    "in-vitro",
    "systematic-review",
]
DESIGN_TAGS: tuple[str, ...] = DesignTag.__args__  # type: ignore[attr-defined]
PeriodKind = Literal["baseline", "run-in", "placebo", "treatment", "washout", "follow-up"]
Direction = Literal["improved", "worsened", "no-difference", "mixed", "unclear"]
ClaimKind = Literal["efficacy", "safety", "mechanism", "classification", "background"]
ClaimStrength = Literal["hedged", "neutral", "strong", "proof"]
Verdict = Literal[
    "supported",
    "supported-weak",
    "supported-indirect",
    "overstated",
    "unsupported",
    "contradicted",
    "factual-error",
    "not-checkable",
]
Certainty = Literal["high", "moderate", "low", "very-low"]

VERIFICATION_RANK: dict[str, int] = {"primary": 2, "secondary": 1, "unverified": 0}


class Record(BaseModel):
    """Base class: unknown fields are rejected, assignments are validated."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Citation(Record):
    """A bibliographic reference and its identifiers."""

    authors: list[str] = Field(default_factory=list)
    year: int | None = None
    journal: str | None = None
    title: str | None = None
    volume: str | None = None
    pages: str | None = None
    pmid: str | None = None
    doi: str | None = None
    pmcid: str | None = None
    nct: str | None = None
    other_ids: dict[str, str] = Field(
        default_factory=dict, description="Other registry identifiers, e.g. {'eudract': '2019-000702-30'}."
    )

    @field_validator("pmid")
    @classmethod
    def _pmid_digits(cls, value: str | None) -> str | None:
        if value is not None and not value.isdigit():
            raise ValueError(f"PMID must be digits, got {value!r}")
        return value

    @field_validator("nct")
    @classmethod
    def _nct_format(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"NCT\d{8}", value):
            raise ValueError(f"NCT number must look like NCT01234567, got {value!r}")
        return value

    @field_validator("doi")
    @classmethod
    def _doi_format(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("10."):
            raise ValueError(f"DOI must start with '10.', got {value!r}")
        return value


class Source(Record):
    """One document: an article, an abstract, a PubMed or ClinicalTrials.gov record."""

    id: str
    kind: SourceKind
    title: str | None = None
    url: str | None = None
    citation: Citation | None = None
    sha256: str | None = Field(default=None, description="SHA-256 of the normalised text.")
    retrieved: date | datetime | None = None
    text: str | None = Field(default=None, description="Normalised text that spans point into.")
    metadata: dict[str, object] = Field(default_factory=dict)


class Span(Record):
    """Character offsets ``[start, end)`` into a source's normalised text."""

    source: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, value: int, info: object) -> int:
        start = getattr(info, "data", {}).get("start")
        if start is not None and value < start:
            raise ValueError(f"span end {value} is before its start {start}")
        return value


class Condition(Record):
    label: str
    code: str | None = Field(default=None, description="ICD-10-CM code, e.g. G35.")


class Subgroup(Record):
    label: str
    percent: float | None = Field(default=None, ge=0, le=100)
    count: int | None = Field(default=None, ge=0)


class Population(Record):
    n: int | None = Field(default=None, ge=0, description="Best single count: what the text calls the sample.")
    n_enrolled: int | None = Field(default=None, ge=0)
    n_analyzed: int | None = Field(default=None, ge=0)
    sex: Literal["female", "male", "mixed"] | None = None
    age: str | None = None
    subgroups: list[Subgroup] = Field(default_factory=list)


class Intervention(Record):
    name: str
    dose_mg: float | None = Field(default=None, ge=0)
    dose_text: str | None = None
    schedule: str | None = None
    duration_days: float | None = Field(default=None, ge=0)


class Period(Record):
    kind: PeriodKind
    days: float | None = Field(default=None, ge=0)
    approximate: bool = False


class Measure(Record):
    """One reported number for an outcome: a mean, a change, a percentage, a difference."""

    arm: str = Field(description="'ldn', 'placebo', 'difference', 'all', or an arm label.")
    kind: str = Field(description="e.g. mean, change, percent-change, sd, median, difference, percent, count.")
    value: float
    sd: float | None = Field(default=None, ge=0)
    se: float | None = Field(default=None, ge=0)
    ci_lb: float | None = None
    ci_ub: float | None = None
    n: int | None = Field(default=None, ge=0)
    unit: str | None = None
    timepoint: str | None = None


class Responders(Record):
    threshold_percent: float | None = None
    count: int | None = Field(default=None, ge=0)
    n: int | None = Field(default=None, ge=0)
    arm: str | None = None


class Outcome(Record):
    name: str
    instrument: str | None = None
    direction: Direction | None = None
    significant: bool | None = None
    p: float | None = Field(default=None, ge=0, le=1)
    p_text: str | None = Field(default=None, description="The p-value as written, e.g. 'P<0.01'.")
    surrogate: bool = Field(default=False, description="A surrogate/biomarker outcome (e.g. cytokines).")
    measures: list[Measure] = Field(default_factory=list)
    responders: list[Responders] = Field(default_factory=list)


class AdverseEvent(Record):
    name: str
    percent: float | None = Field(default=None, ge=0, le=100)
    count: int | None = Field(default=None, ge=0)
    n: int | None = Field(default=None, ge=0)
    arm: str | None = None


RegistrationStatus = Literal[
    "not-yet-recruiting",
    "recruiting",
    "enrolling-by-invitation",
    "active-not-recruiting",
    "completed",
    "suspended",
    "terminated",
    "withdrawn",
    "unknown",
]


class Registration(Record):
    """A trial's entry in a registry, as the registry states it (ClinicalTrials.gov's overall status, lower-case)."""

    registry: str = Field(description="e.g. ClinicalTrials.gov, ISRCTN, EU CTR, ANZCTR, CTRI, IRCT.")
    id: str = Field(description="The registry's identifier, e.g. NCT04604704.")
    status: RegistrationStatus
    results_posted: bool | None = Field(default=None, description="Whether the registry shows posted results.")
    enrolment_target: int | None = Field(default=None, ge=0, description="Planned (or actual) enrolment it gives.")
    start: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    completion: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    last_update: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")


class Study(Record):
    """One study: a trial, a cohort, a case report, an animal or in-vitro experiment."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._#-]*$")
    label: str
    citation: Citation | None = None
    source: str | None = Field(default=None, description="Id of the source the study was read from.")
    primary_source: str | None = Field(
        default=None, description="For a study described in a secondary source: the id of its primary study record."
    )
    species: Species
    model: str | None = None
    condition: Condition
    design: list[DesignTag] = Field(default_factory=list)
    controlled: bool | None = None
    included_designs: list[DesignTag] = Field(
        default_factory=list,
        description="For a systematic review: the designs of the studies it includes, as its record states them "
        "(e.g. ['randomized'] for a review of randomized trials); empty when the record does not say.",
    )
    population: Population = Field(default_factory=Population)
    interventions: list[Intervention] = Field(default_factory=list)
    comparator: str | None = None
    periods: list[Period] = Field(default_factory=list)
    duration_days: float | None = Field(default=None, ge=0)
    outcomes: list[Outcome] = Field(default_factory=list)
    adverse_events: list[AdverseEvent] = Field(default_factory=list)
    provenance: dict[str, list[Span]] = Field(default_factory=dict)
    verification: dict[str, Verification] = Field(default_factory=dict)
    references: list[str] = Field(default_factory=list, description="URLs of the records the facts were seen in.")
    notes: list[str] = Field(default_factory=list)
    registration: Registration | None = Field(
        default=None, description="The trial's registry entry; with no outcomes, the study is a registered entry."
    )

    @property
    def registered_only(self) -> bool:
        """A registered trial whose results the base does not hold (no outcomes recorded): shown, never pooled."""
        return self.registration is not None and not self.outcomes

    def verification_of(self, path: str) -> Verification | None:
        """The verification level of a field path, inherited from its closest marked parent.

        >>> s = Study(id="x", label="x", species="human", condition=Condition(label="MS"),
        ...           verification={"outcomes[0]": "secondary"})
        >>> s.verification_of("outcomes[0].measures[2].value")
        'secondary'
        """
        probe = path
        while probe:
            if probe in self.verification:
                return self.verification[probe]
            cut = max(probe.rfind("."), probe.rfind("["))
            probe = probe[:cut] if cut > 0 else ""
        return self.verification.get("*")


class Override(Record):
    """A reviewer's override of a computed judgement, with who, when and why."""

    by: str
    at: datetime
    reason: str
    value: str


class DomainRating(Record):
    """One GRADE domain: how many levels it moves certainty, and why."""

    domain: Literal[
        "risk-of-bias", "inconsistency", "indirectness", "imprecision", "publication-bias",
        "large-effect", "dose-response", "plausible-confounding",
    ]
    change: int = Field(ge=-2, le=2, description="Levels: negative downgrades, positive upgrades.")
    reasons: list[str] = Field(default_factory=list)
    override: Override | None = None


class Appraisal(Record):
    """GRADE certainty for one outcome (of one synthesis or one study), with its rationale."""

    id: str
    subject: str = Field(description="Id of the synthesis or study appraised.")
    outcome: str
    start: Certainty
    certainty: Certainty
    domains: list[DomainRating] = Field(default_factory=list)
    rationale: str = ""


class Claim(Record):
    """One checkable statement of an article, with the audit's verdict."""

    id: str
    text: str
    span: Span
    kind: ClaimKind
    strength: ClaimStrength
    studies: list[str] = Field(default_factory=list)
    verdict: Verdict
    reasons: list[str] = Field(default_factory=list)
    rule: str | None = Field(default=None, description="Code of the audit rule that decided the verdict (AUD101).")
    findings: list[dict[str, str]] = Field(
        default_factory=list,
        description='One per reason, in the same order: {"rule": code, "reason": the reason\'s text}.',
    )


__all__ = [
    "DESIGN_TAGS",
    "VERIFICATION_RANK",
    "AdverseEvent",
    "Appraisal",
    "Certainty",
    "Citation",
    "Claim",
    "ClaimKind",
    "ClaimStrength",
    "Condition",
    "DesignTag",
    "Direction",
    "DomainRating",
    "Intervention",
    "Measure",
    "Outcome",
    "Override",
    "Period",
    "PeriodKind",
    "Population",
    "Record",
    "Registration",
    "RegistrationStatus",
    "Responders",
    "Source",
    "SourceKind",
    "Span",
    "Species",
    "Study",
    "Subgroup",
    "Verdict",
    "Verification",
]
