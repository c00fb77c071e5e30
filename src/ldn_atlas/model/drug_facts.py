"""A fact about naltrexone or low-dose naltrexone (``data/drug_facts.yaml``), as a validated pydantic record.

A drug fact is a plain statement (an approval, a dose, a half-life, a contraindication, an adverse effect in
an LDN trial) with the structured values a check needs, the citation it rests on, the addresses it was read
at and its verification level (``primary``: read on the label itself, or on a trial's own primary record for
the trial's figures; ``secondary``: read only on a secondary page; ``unverified``: seen nowhere).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from ldn_atlas.model.evidence import Citation, Record, Verification

DrugFactTopic = Literal[
    "class-mechanism",
    "approval",
    "dose",
    "formulation",
    "pharmacokinetics",
    "abuse-dependence",
    "interaction",
    "contraindication",
    "hepatic",
    "adverse-effects-low-dose",
]
DRUG_FACT_TOPICS: tuple[str, ...] = DrugFactTopic.__args__  # type: ignore[attr-defined]

#: the values a fact of each topic must give at least one of
_TOPIC_NEEDS: dict[str, tuple[str, ...]] = {
    "class-mechanism": ("drug_class", "receptors", "precipitates_withdrawal"),
    "approval": ("year", "indications"),
    "dose": ("standard_mg", "standard_range_mg", "low_dose_range_mg", "typical_low_dose_mg"),
    "formulation": ("strengths_mg", "injectable_mg", "approved_product"),
    "pharmacokinetics": ("half_life_hours", "metabolite_half_life_hours", "blockade_hours"),
    "abuse-dependence": ("abuse_potential",),
    "interaction": ("opioid_free_days", "overdose_risk_after_stopping"),
    "contraindication": ("contraindicated_with", "contraindicated_in"),
    "hepatic": ("boxed_warning", "liver_injury"),
    "adverse-effects-low-dose": ("study",),
}

Range = tuple[float, float]


class DrugFactValues(Record):
    """The structured values of a drug fact; only those of its topic are given."""

    # class and mechanism
    drug_class: str | None = None
    agonist_activity: bool | None = None
    receptors: list[Literal["mu", "kappa", "delta"]] | None = None
    precipitates_withdrawal: bool | None = None
    # approval
    agency: str | None = None
    brand: str | None = None
    indication: str | None = None
    indications: list[str] | None = None
    year: int | None = None
    year_alternatives: list[int] = Field(default_factory=list)
    formulation: str | None = None
    # dose and formulation (mg a day unless named otherwise)
    standard_mg: float | None = None
    starting_mg: float | None = None
    strengths_mg: list[float] | None = None
    standard_range_mg: Range | None = None
    low_dose_range_mg: Range | None = None
    typical_low_dose_mg: float | None = None
    injectable_mg: float | None = None
    interval_weeks: float | None = None
    approved_product: bool | None = None
    compounded: bool | None = None
    studies: list[str] = Field(default_factory=list)
    # pharmacokinetics
    half_life_hours: float | None = None
    active_metabolite: str | None = None
    metabolite_half_life_hours: float | None = None
    blockade_hours: dict[str, float] | None = None
    # abuse and dependence
    abuse_potential: bool | None = None
    dependence: bool | None = None
    scheduled: bool | None = None
    # interactions and contraindications
    contraindicated_with: list[str] | None = None
    contraindicated_in: list[str] | None = None
    opioid_free_days: Range | None = None
    overdose_risk_after_stopping: bool | None = None
    # hepatic
    boxed_warning: Literal["present", "removed"] | None = None
    change_year: int | None = None
    until_year: int | None = None
    margin_fold: float | None = None
    liver_injury: str | None = None
    # adverse effects in a trial of the evidence base
    effects: list[str] | None = None
    not_different: list[str] = Field(default_factory=list)
    study: str | None = None
    count: int | None = None
    n: int | None = None
    serious_events: int | None = None

    @field_validator("year", "change_year", "until_year")
    @classmethod
    def _plausible_year(cls, value: int | None) -> int | None:
        if value is not None and not 1950 <= value <= 2030:
            raise ValueError(f"year {value} is not plausible")
        return value

    @field_validator("year_alternatives")
    @classmethod
    def _plausible_years(cls, value: list[int]) -> list[int]:
        for y in value:
            cls._plausible_year(y)
        return value

    @field_validator(
        "standard_mg",
        "starting_mg",
        "typical_low_dose_mg",
        "injectable_mg",
        "interval_weeks",
        "half_life_hours",
        "metabolite_half_life_hours",
        "margin_fold",
    )
    @classmethod
    def _positive(cls, value: float | None) -> float | None:
        if value is not None and value <= 0:
            raise ValueError(f"must be positive, got {value}")
        return value

    @field_validator("standard_range_mg", "low_dose_range_mg", "opioid_free_days")
    @classmethod
    def _range(cls, value: Range | None) -> Range | None:
        if value is not None and not 0 < value[0] <= value[1]:
            raise ValueError(f"a range must be positive and ordered (low, high), got {list(value)}")
        return value

    @model_validator(mode="after")
    def _counts(self) -> DrugFactValues:
        if self.count is not None and (self.n is None or not 0 <= self.count <= self.n):
            raise ValueError(f"count {self.count} needs an n it does not exceed (n={self.n})")
        if self.year is not None and not self.agency:
            raise ValueError("an approval year needs its agency")
        return self


class DrugFact(Record):
    """One fact about naltrexone or LDN, with the values a check reads, its citation and its verification."""

    id: str
    topic: DrugFactTopic
    statement: str
    values: DrugFactValues
    citation: Citation
    seen_in: list[str]
    verification: Verification
    note: str | None = None

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value):
            raise ValueError(f"id must be a lower-case slug, got {value!r}")
        return value

    @field_validator("seen_in")
    @classmethod
    def _addresses(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("every fact needs the address it was read at")
        bad = [u for u in value if not re.match(r"https?://\S+$", u)]
        if bad:
            raise ValueError(f"not a web address: {bad[0]!r}")
        return value

    @model_validator(mode="after")
    def _topic_values(self) -> DrugFact:
        if not (self.citation.title or self.citation.authors):
            raise ValueError("the citation needs a title or authors")
        needs = _TOPIC_NEEDS[self.topic]
        if all(getattr(self.values, k) in (None, []) for k in needs):
            raise ValueError(f"a {self.topic} fact needs one of the values {list(needs)}")
        return self

    @property
    def cite(self) -> str:
        """A short citation: first author et al. year, journal, else the title and its source."""
        c = self.citation
        if c.authors:
            etal = " et al." if len(c.authors) > 1 else ""
            return f"{c.authors[0]}{etal} {c.year or ''}, {c.journal or ''}".replace(" ,", ",").strip(", ")
        return f"{c.journal}: {c.title}" if c.journal else str(c.title)


__all__ = ["DRUG_FACT_TOPICS", "DrugFact", "DrugFactTopic", "DrugFactValues"]
