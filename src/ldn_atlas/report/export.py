"""Exports that other tools read: metafor/escalc-ready CSV, JSON, and FHIR R5 Evidence resources.

The CSV has one row per study x outcome x comparison, with metafor's argument
names as columns, so that in R::

    dat <- read.csv("ldn-atlas.csv")
    es  <- escalc("SMD", m1i=m1i, sd1i=sd1i, n1i=n1i, m2i=m2i, sd2i=sd2i, n2i=n2i,
                  data=subset(dat, data_type == "continuous"))

works directly (``data_type`` says which escalc arguments a row fills:
``continuous`` m/sd/n of the LDN and the control arm, ``dichotomous``
ai/bi/ci/di, ``proportion`` xi/ni, ``contrast`` a reported between-arm
difference with its CI, ``single-arm`` a value reported for one arm only,
``percentages`` a percentage per arm without the counts escalc needs).  Every row
carries the verification level of its numbers and the study's identifiers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from ldn_atlas import __version__
from ldn_atlas.model import Measure, Outcome, Study
from ldn_atlas.model.classify import arm_role, design_category

EXPORT_FORMATS = ("csv", "json", "fhir")

CSV_COLUMNS = (
    "study", "label", "year", "pmid", "doi", "nct", "condition", "condition_code", "design", "design_category",
    "species", "outcome", "instrument", "timepoint", "data_type", "measure_kind", "unit",
    "m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i", "ai", "bi", "ci", "di", "xi", "ni",
    "estimate", "ci_lb", "ci_ub", "p", "threshold_percent", "verification", "primary_source",
)


def _level(study: Study, path: str) -> str:
    return study.verification_of(path) or ("text-span" if any(k.startswith(path) for k in study.provenance)
                                           else "unverified")


def _weakest(*levels: str) -> str:
    order = ["unverified", "text-span", "secondary", "primary"]
    return min(levels, key=lambda lvl: order.index(lvl) if lvl in order else 0)


def _base(study: Study) -> dict[str, Any]:
    c = study.citation
    return {
        "study": study.id, "label": study.label, "year": c.year if c else None, "pmid": c.pmid if c else None,
        "doi": c.doi if c else None, "nct": c.nct if c else None, "condition": study.condition.label,
        "condition_code": study.condition.code, "design": ";".join(study.design),
        "design_category": design_category(study).label, "species": study.species,
        "primary_source": study.primary_source,
    }


def _measure_key(m: Measure) -> tuple[str, str | None, str | None]:
    return (m.kind, m.timepoint, m.unit)


def _outcome_rows(study: Study, index: int, outcome: Outcome) -> Iterator[dict[str, Any]]:
    base = {**_base(study), "outcome": outcome.name, "instrument": outcome.instrument, "p": outcome.p}
    path = f"outcomes[{index}]"
    ldn: dict[tuple[str, str | None, str | None], tuple[int, Measure]] = {}
    control: dict[tuple[str, str | None, str | None], tuple[int, Measure]] = {}
    for j, m in enumerate(outcome.measures):
        role = arm_role(m.arm)
        mpath = f"{path}.measures[{j}]"
        if role == "ldn":
            ldn[_measure_key(m)] = (j, m)
        elif role == "control":
            control[_measure_key(m)] = (j, m)
        elif role == "difference":
            yield {**base, "timepoint": m.timepoint, "data_type": "contrast", "measure_kind": m.kind,
                   "unit": m.unit, "estimate": m.value, "ci_lb": m.ci_lb, "ci_ub": m.ci_ub,
                   "verification": _level(study, mpath)}
        else:
            yield {**base, "timepoint": m.timepoint, "data_type": "single-arm", "measure_kind": m.kind,
                   "unit": m.unit, "m1i": m.value, "sd1i": m.sd, "n1i": m.n, "ci_lb": m.ci_lb, "ci_ub": m.ci_ub,
                   "verification": _level(study, mpath)}
    for key, (j, m1) in ldn.items():
        pair = control.pop(key, None)
        if pair is None and m1.kind not in ("percent", "proportion"):
            yield {**base, "timepoint": m1.timepoint, "data_type": "single-arm", "measure_kind": m1.kind,
                   "unit": m1.unit, "m1i": m1.value, "sd1i": m1.sd, "n1i": m1.n, "ci_lb": m1.ci_lb,
                   "ci_ub": m1.ci_ub, "verification": _level(study, f"{path}.measures[{j}]")}
            continue
        if pair is None:
            xi = round(m1.value * m1.n / 100) if m1.n and m1.kind == "percent" else None
            yield {**base, "timepoint": m1.timepoint, "data_type": "proportion", "measure_kind": m1.kind,
                   "unit": m1.unit, "estimate": m1.value, "xi": xi, "ni": m1.n,
                   "verification": _level(study, f"{path}.measures[{j}]")}
            continue
        two_arm_type = "percentages" if m1.kind in ("percent", "proportion") else "continuous"
        row = {**base, "timepoint": m1.timepoint, "data_type": two_arm_type, "measure_kind": m1.kind,
               "unit": m1.unit, "m1i": m1.value, "sd1i": m1.sd, "n1i": m1.n}
        levels = [_level(study, f"{path}.measures[{j}]")]
        if pair is not None:
            jj, m2 = pair
            row.update({"m2i": m2.value, "sd2i": m2.sd, "n2i": m2.n})
            levels.append(_level(study, f"{path}.measures[{jj}]"))
        yield {**row, "verification": _weakest(*levels)}
    for _key, (jj, m2) in control.items():
        yield {**base, "timepoint": m2.timepoint, "data_type": "single-arm", "measure_kind": m2.kind,
               "unit": m2.unit, "m2i": m2.value, "sd2i": m2.sd, "n2i": m2.n,
               "verification": _level(study, f"{path}.measures[{jj}]")}
    by_threshold: dict[float | None, dict[str, tuple[int, Any]]] = {}
    for j, r in enumerate(outcome.responders):
        by_threshold.setdefault(r.threshold_percent, {})[arm_role(r.arm or "all")] = (j, r)
    for threshold, arms in by_threshold.items():
        a, c = arms.get("ldn"), arms.get("control")
        if a and c and a[1].count is not None and c[1].count is not None and a[1].n and c[1].n:
            yield {**base, "data_type": "dichotomous", "measure_kind": "responders", "threshold_percent": threshold,
                   "ai": a[1].count, "bi": a[1].n - a[1].count, "ci": c[1].count, "di": c[1].n - c[1].count,
                   "n1i": a[1].n, "n2i": c[1].n,
                   "verification": _weakest(_level(study, f"{path}.responders[{a[0]}]"),
                                            _level(study, f"{path}.responders[{c[0]}]"))}
        else:
            for role, (j, r) in arms.items():
                if r.count is not None and r.n:
                    yield {**base, "data_type": "proportion", "measure_kind": f"responders ({role})",
                           "threshold_percent": threshold, "xi": r.count, "ni": r.n,
                           "verification": _level(study, f"{path}.responders[{j}]")}


def csv_rows(studies: Sequence[Study]) -> Iterator[dict[str, Any]]:
    """The rows of the CSV export (dicts keyed by :data:`CSV_COLUMNS`)."""
    for study in studies:
        for i, outcome in enumerate(study.outcomes):
            yield from _outcome_rows(study, i, outcome)
        for i, event in enumerate(study.adverse_events):
            count, n = event.count, event.n or study.population.n
            if count is None and event.percent is not None and n:
                count = round(event.percent * n / 100)
            yield {**_base(study), "outcome": f"adverse event: {event.name}", "data_type": "proportion",
                   "measure_kind": "adverse-event" + (f" ({event.arm})" if event.arm else ""),
                   "xi": count, "ni": n, "estimate": event.percent, "unit": "%" if event.percent is not None else None,
                   "verification": _level(study, f"adverse_events[{i}]")}


def to_csv(studies: Sequence[Study]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in csv_rows(studies):
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return buffer.getvalue()


def to_json(studies: Sequence[Study]) -> str:
    return json.dumps({"generator": f"ldn-atlas {__version__}",
                       "studies": [s.model_dump(mode="json", exclude_none=True) for s in studies]},
                      indent=2, ensure_ascii=False)


def _concept(text: str, code: str | None = None, system: str | None = None) -> dict[str, Any]:
    concept: dict[str, Any] = {"text": text}
    if code and system:
        concept["coding"] = [{"system": system, "code": code, "display": text}]
    return concept


_STAT_TYPES = {  # HL7 statistic-type codes (terminology.hl7.org CodeSystem statistic-type)
    "mean": ("C53319", "Mean"), "median": ("C28007", "Median"), "change": ("0000457", "Mean change"),
    "difference": ("0000457", "Mean difference"), "percent": ("C25463", "Count"),
}
_STAT_SYSTEM = "http://terminology.hl7.org/CodeSystem/statistic-type"


def _fhir_statistic(m: Measure, level: str) -> dict[str, Any]:
    code = _STAT_TYPES.get(m.kind)
    stat: dict[str, Any] = {
        "description": f"{m.kind} ({m.arm}{', ' + m.timepoint if m.timepoint else ''})",
        "statisticType": _concept(code[1] if code else m.kind, code[0] if code else None,
                                  _STAT_SYSTEM if code else None),
        "quantity": {"value": m.value, **({"unit": m.unit} if m.unit else {})},
        "note": [{"text": f"verification: {level}"}],
    }
    if m.n is not None:
        stat["sampleSize"] = {"numberOfParticipants": m.n}
    if m.ci_lb is not None and m.ci_ub is not None:
        stat["attributeEstimate"] = [{
            "type": _concept("Confidence interval", "C53324", "http://terminology.hl7.org/CodeSystem/attribute-estimate-type"),
            "level": 0.95, "range": {"low": {"value": m.ci_lb}, "high": {"value": m.ci_ub}}}]
    elif m.sd is not None:
        stat["attributeEstimate"] = [{
            "type": _concept("Standard deviation", "C53322", "http://terminology.hl7.org/CodeSystem/attribute-estimate-type"),
            "quantity": {"value": m.sd}}]
    return stat


def to_fhir_bundle(studies: Sequence[Study]) -> dict[str, Any]:
    """A FHIR R5 ``Bundle`` (type collection) of ``Evidence`` resources, one per study x outcome.

    Each resource is validated with ``fhir.resources`` (R5) before it is added.
    """
    from fhir.resources.bundle import Bundle
    from fhir.resources.evidence import Evidence

    entries = []
    for study in studies:
        c = study.citation
        identifiers = []
        for system, value in (("https://pubmed.ncbi.nlm.nih.gov", c.pmid if c else None),
                              ("https://doi.org", c.doi if c else None),
                              ("https://clinicaltrials.gov", c.nct if c else None)):
            if value:
                identifiers.append({"system": system, "value": value})
        for i, outcome in enumerate(study.outcomes):
            statistics = [_fhir_statistic(m, _level(study, f"outcomes[{i}].measures[{j}]"))
                          for j, m in enumerate(outcome.measures)]
            resource: dict[str, Any] = {
                "resourceType": "Evidence",
                "id": f"{study.id}-o{i}".replace("#", "-").replace("_", "-")[:64],
                "status": "active",
                "title": f"{study.label}: {outcome.name}",
                "description": f"{study.label} ({design_category(study).label}); outcome {outcome.name}"
                + (f", direction {outcome.direction}" if outcome.direction else ""),
                "studyDesign": [_concept(tag) for tag in study.design] or None,
                "variableDefinition": [
                    {"variableRole": _concept("population", "population",
                                              "http://terminology.hl7.org/CodeSystem/variable-role"),
                     "description": study.condition.label
                     + (f" (ICD-10-CM {study.condition.code})" if study.condition.code else "")},
                    {"variableRole": _concept("exposure", "exposure",
                                              "http://terminology.hl7.org/CodeSystem/variable-role"),
                     "description": "; ".join(iv.dose_text or iv.name for iv in study.interventions)
                     or "low-dose naltrexone"},
                    {"variableRole": _concept("measuredVariable", "measuredVariable",
                                              "http://terminology.hl7.org/CodeSystem/variable-role"),
                     "description": outcome.name + (f" ({outcome.instrument})" if outcome.instrument else "")},
                ],
                "identifier": identifiers or None,
                "statistic": statistics or None,
                "note": [{"text": n} for n in study.notes] or None,
            }
            resource = {k: v for k, v in resource.items() if v is not None}
            Evidence.model_validate(resource)
            entries.append({"fullUrl": f"urn:ldn-atlas:evidence:{resource['id']}", "resource": resource})
    bundle = {"resourceType": "Bundle", "type": "collection",
              "timestamp": datetime.now(UTC).isoformat(timespec="seconds"), "entry": entries}
    Bundle.model_validate(bundle)
    return bundle


def export_studies(studies: Sequence[Study], fmt: str) -> tuple[str, str]:
    """The export in ``fmt`` (``csv``, ``json``, ``fhir``) and its media type."""
    if fmt == "csv":
        return to_csv(studies), "text/csv; charset=utf-8"
    if fmt == "json":
        return to_json(studies), "application/json"
    if fmt == "fhir":
        return json.dumps(to_fhir_bundle(studies), indent=2, ensure_ascii=False), "application/fhir+json"
    raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
