"""The protocol section of a ClinicalTrials.gov v2 record: identification, condition, design, arms,
interventions, eligibility and the registered outcomes, each read onto its Study field.

Each stage appends the values it reads to the record's rendering, in the order the
reader has always rendered them, and notes the span of each field it fills.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ldn_atlas.model import Condition, Intervention, Outcome, Population, Span
from ldn_atlas.sources.ctgov_record import RecordText, get, to_int

_MASKING = {
    "NONE": "open-label",
    "SINGLE": "single-blind",
    "DOUBLE": "double-blind",
    "TRIPLE": "double-blind",
    "QUADRUPLE": "double-blind",
}
_MODEL = {"CROSSOVER": "crossover", "PARALLEL": "parallel"}
_COMPARATOR_ARMS = {"PLACEBO_COMPARATOR", "ACTIVE_COMPARATOR", "SHAM_COMPARATOR", "NO_INTERVENTION"}
_DOSE = re.compile(r"(?<![\w.])(\d{1,4}(?:\.\d{1,3})?)\s?(mg|milligrams?|µg|mcg|micrograms?)\b", re.IGNORECASE)
_DURATION = re.compile(r"(?<![\w.])(\d{1,4}(?:\.\d{1,2})?)\s?(day|week|month|year)s?\b", re.IGNORECASE)
_UNIT_DAYS = {"day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25}


def read_identification(r: RecordText, ident: dict[str, Any], proto: dict[str, Any], nct: str) -> Any:
    """Render title, NCT number, status and summary; note the label. Returns the official (or brief) title."""
    title = ident.get("officialTitle") or ident.get("briefTitle")
    r.note("label", r.add("Title", ident.get("briefTitle") or title))
    r.add("NCT", nct)
    r.add("Status", get(proto, "statusModule", "overallStatus"))
    r.add("Summary", get(proto, "descriptionModule", "briefSummary"))
    return title


def read_condition(r: RecordText, proto: dict[str, Any]) -> Condition:
    """The first registered condition, as registered (the extract stage maps it onto the vocabulary)."""
    conditions = get(proto, "conditionsModule", "conditions", default=[]) or []
    cond_span = r.add("Conditions", "; ".join(str(c) for c in conditions))
    condition = Condition(label=str(conditions[0]) if conditions else "unspecified")
    if conditions and cond_span is not None:
        # the label as registered; the extract stage maps it onto the condition vocabulary
        r.note("condition", r.span(cond_span.start, cond_span.start + len(str(conditions[0]))))
    return condition


@dataclass
class DesignTags:
    """Design tags in the order found, the span each came from, and the intervention model."""

    tags: list[str] = field(default_factory=list)
    spans: dict[str, Span | None] = field(default_factory=dict)
    model: Any = None
    model_span: Span | None = None

    def tag(self, name: str, span: Span | None) -> None:
        """Add a tag once, keeping the span of its first occurrence."""
        if name not in self.spans:
            self.tags.append(name)
            self.spans[name] = span


def read_design(r: RecordText, proto: dict[str, Any]) -> DesignTags:
    """Design tags from allocation, intervention model, masking, time perspective and the number of sites."""
    design_mod = get(proto, "designModule", default={}) or {}
    info = design_mod.get("designInfo", {}) or {}
    design = DesignTags()
    study_type = design_mod.get("studyType")
    r.add("Study type", study_type)
    alloc = info.get("allocation")
    span = r.add("Allocation", alloc)
    if alloc == "RANDOMIZED":
        design.tag("randomized", span)
    design.model = info.get("interventionModel")
    design.model_span = r.add("Intervention model", design.model)
    if design.model in _MODEL:
        design.tag(_MODEL[design.model], design.model_span)
    masking = get(info, "maskingInfo", "masking")
    span = r.add("Masking", masking)
    if masking in _MASKING:
        design.tag(_MASKING[masking], span)
    if study_type == "OBSERVATIONAL":
        perspective = info.get("timePerspective") or design_mod.get("timePerspective")
        design.tag("observational", r.add("Study type", "observational"))
        span = r.add("Time perspective", perspective)
        if perspective in ("RETROSPECTIVE", "PROSPECTIVE"):
            design.tag(perspective.lower(), span)
    phases = design_mod.get("phases") or []
    r.add("Phases", ", ".join(phases))
    locations = get(proto, "contactsLocationsModule", "locations", default=[]) or []
    if len(locations) > 1:
        design.tag("multicentre", r.add("Locations", f"{len(locations)} sites"))
    return design


def read_arms(r: RecordText, proto: dict[str, Any], design: DesignTags) -> tuple[str | None, bool | None]:
    """The comparator and whether the study is controlled, from the arm groups.

    Also tags a placebo-controlled design, then notes the design tags and the comparator.
    """
    arms = get(proto, "armsInterventionsModule", "armGroups", default=[]) or []
    arm_types = []
    comparator: str | None = None
    comparator_span: Span | None = None
    for arm in arms:
        arm_type = arm.get("type")
        arm_types.append(arm_type)
        span = r.add(f"Arm ({arm_type or 'unspecified'})", arm.get("label"))
        if arm_type == "PLACEBO_COMPARATOR" and comparator is None:
            comparator, comparator_span = "placebo", span
        elif arm_type in ("ACTIVE_COMPARATOR", "SHAM_COMPARATOR") and comparator is None:
            comparator, comparator_span = str(arm.get("label")), span
        elif arm_type == "NO_INTERVENTION" and comparator is None:
            comparator, comparator_span = "none", span
    if "PLACEBO_COMPARATOR" in arm_types:
        design.tag("placebo-controlled", comparator_span)
    if comparator is None and len(arms) == 1:
        comparator = "none"
        comparator_span = design.model_span if design.model == "SINGLE_GROUP" else None
    for k, name in enumerate(design.tags):
        r.note(f"design[{k}]", design.spans.get(name))
    if comparator is not None:
        r.note("comparator", comparator_span)
    controlled = None
    if arms:
        controlled = len(arms) > 1 and any(t in _COMPARATOR_ARMS for t in arm_types)
    return comparator, controlled


def read_interventions(r: RecordText, proto: dict[str, Any], comparator: str | None) -> list[Intervention]:
    """The registered interventions with their doses in mg, leaving out the placebo of a placebo comparator."""
    interventions: list[Intervention] = []
    for item in get(proto, "armsInterventionsModule", "interventions", default=[]) or []:
        name = str(item.get("name") or "").strip()
        if not name or (comparator == "placebo" and "placebo" in name.lower()):
            continue
        desc = str(item.get("description") or "")
        k = len(interventions)
        r.note(f"interventions[{k}].name", r.add(f"Intervention ({item.get('type') or 'unspecified'})", name))
        dspan = r.add("Intervention description", desc)
        dose_mg, dose_text = _dose(r, k, name, desc, dspan)
        interventions.append(Intervention(name=name, dose_mg=dose_mg, dose_text=dose_text))
    return interventions


def _dose(r: RecordText, k: int, name: str, desc: str, dspan: Span | None) -> tuple[float | None, str | None]:
    """The first dose in an intervention's name or description, in mg, and its text (noted when in the description)."""
    dose = _DOSE.search(f"{name} {desc}")
    if not dose:
        return None, None
    value = float(dose.group(1))
    unit = dose.group(2).lower()
    dose_mg = value / 1000 if unit in ("µg", "mcg", "microgram", "micrograms") else value
    dose_text = dose.group(0)
    if dspan is not None and dose.start() >= len(name) + 1:
        off = dose.start() - len(name) - 1
        r.note(f"interventions[{k}].dose_mg", r.span(dspan.start + off, dspan.start + off + len(dose_text)))
    return dose_mg, dose_text


def read_population(r: RecordText, proto: dict[str, Any]) -> Population:
    """Sex, ages and enrolment (actual or anticipated) from eligibility and enrolment info."""
    elig = get(proto, "eligibilityModule", default={}) or {}
    design_mod = get(proto, "designModule", default={}) or {}
    sex = {"FEMALE": "female", "MALE": "male"}.get(str(elig.get("sex")))
    sex_span = r.add("Sex", elig.get("sex"))
    if sex:
        r.note("population.sex", sex_span)
    ages = " to ".join(str(a) for a in (elig.get("minimumAge"), elig.get("maximumAge")) if a)
    age_span = r.add("Ages", ages)
    enrol = get(design_mod, "enrollmentInfo", default={}) or {}
    n = to_int(enrol.get("count"))
    en_span = r.add(f"Enrollment ({enrol.get('type') or 'unspecified'})", enrol.get("count"))
    population = Population(
        n=n,
        n_enrolled=n if enrol.get("type") == "ACTUAL" else None,
        sex=sex,
        age=ages or None,
    )
    if n is not None:
        r.note("population.n", en_span)
        if enrol.get("type") == "ACTUAL":
            r.note("population.n_enrolled", en_span)
    if ages:
        r.note("population.age", age_span)
    return population


def read_protocol_outcomes(r: RecordText, proto: dict[str, Any]) -> tuple[list[Outcome], dict[str, int], float | None]:
    """The registered primary and secondary outcomes, their index by lower-cased title, and the duration in days.

    The duration is the first duration in a primary outcome's time frame.
    """
    outcomes: list[Outcome] = []
    by_title: dict[str, int] = {}
    duration: float | None = None
    for kind in ("primaryOutcomes", "secondaryOutcomes"):
        for item in get(proto, "outcomesModule", kind, default=[]) or []:
            name = str(item.get("measure") or "").strip()
            if not name:
                continue
            k = len(outcomes)
            label = "Primary outcome" if kind == "primaryOutcomes" else "Secondary outcome"
            r.note(f"outcomes[{k}].name", r.add(label, name))
            tf_span = r.add("Time frame", item.get("timeFrame"))
            if kind == "primaryOutcomes" and duration is None and item.get("timeFrame"):
                m = _DURATION.search(str(item["timeFrame"]))
                if m and tf_span is not None:
                    duration = round(float(m.group(1)) * _UNIT_DAYS[m.group(2).lower()], 2)
                    r.note("duration_days", r.span(tf_span.start + m.start(), tf_span.start + m.end()))
            by_title[name.lower()] = k
            outcomes.append(Outcome(name=name))
    return outcomes, by_title, duration
