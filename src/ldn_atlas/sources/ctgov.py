"""ClinicalTrials.gov API v2 study records: structured fields mapped straight onto a Study.

A v2 study is JSON with a ``protocolSection`` (identification, status, design,
arms and interventions, outcomes, eligibility, conditions) and, when results are
posted, a ``resultsSection`` (baseline, outcome measures with analyses, adverse
events).  No language processing happens here: each Study field comes from one
record field.  So that every field can still point at "the words it came from",
the reader renders the record as short ``Key: value`` lines (the Source text) and
the mapping records a span into that rendering for each field it fills.

A file may hold one study object or an API listing ``{"studies": [...]}``.

References
----------
.. [1] U.S. National Library of Medicine. ClinicalTrials.gov API v2, study data
   structure. https://clinicaltrials.gov/data-api/about-api/study-data-structure
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ldn_atlas.errors import InputError
from ldn_atlas.model import (
    AdverseEvent,
    Citation,
    Condition,
    Intervention,
    Measure,
    Outcome,
    Population,
    Source,
    Span,
    Study,
)
from ldn_atlas.sources.text import DEFAULT_MAX_BYTES, decode_bytes, read_bytes, sha256_text

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
# applied to stripped text, with a bounded run of blanks between the relation and the number: no two
# unbounded runs of spaces can trade characters, so a failed search over a long run of spaces stays linear
_P = re.compile(r"^([<>=≤≥]{0,2})[ \t]{0,8}(0?\.\d{1,8}|1(?:\.0{1,8})?|0)$")


def is_ctgov_record(obj: object) -> bool:
    """True for a v2 study object (has ``protocolSection.identificationModule.nctId``)."""
    if not isinstance(obj, dict):
        return False
    ident = (
        obj.get("protocolSection", {}).get("identificationModule", {})
        if isinstance(obj.get("protocolSection"), dict)
        else {}
    )
    return isinstance(ident, dict) and isinstance(ident.get("nctId"), str)


@dataclass
class _Render:
    """Accumulates ``Key: value`` lines and the span of each value."""

    source_id: str
    lines: list[str] = field(default_factory=list)
    pos: int = 0

    def add(self, key: str, value: object) -> Span | None:
        if value is None or value == "" or value == []:
            return None
        text = re.sub(r"\s+", " ", str(value)).strip()
        line = f"{key}: {text}"
        start = self.pos + len(key) + 2
        self.lines.append(line)
        self.pos += len(line) + 1
        return Span(source=self.source_id, start=start, end=start + len(text))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _get(obj: Any, *keys: str, default: Any = None) -> Any:
    for key in keys:
        if not isinstance(obj, dict):
            return default
        obj = obj.get(key)
        if obj is None:
            return default
    return obj


def _float(value: object) -> float | None:
    try:
        return float(str(value).replace(",", ""))
    except (TypeError, ValueError):
        return None


def _int(value: object) -> int | None:
    f = _float(value)
    return int(f) if f is not None and f >= 0 and f == int(f) else None


def _arm_key(title: str) -> str:
    low = title.lower()
    if "placebo" in low:
        return "placebo"
    if "naltrexone" in low or re.search(r"\bldn\b", low):
        return "ldn"
    return title.strip()[:80] or "arm"


def parse_p(text: str | None) -> float | None:
    """A p-value written as ``0.03``, ``<0.001`` or ``= .04``; ``None`` otherwise."""
    if not text:
        return None
    m = _P.match(text.strip())
    if not m:
        return None
    value = float(m.group(2))
    return value if 0 <= value <= 1 else None


def study_from_ctgov(record: dict[str, Any], source_id: str | None = None) -> tuple[Source, Study]:
    """Map one ClinicalTrials.gov v2 study record to a :class:`Source` and a :class:`Study`.

    Raises
    ------
    InputError
        When ``record`` is not a v2 study object.
    """
    if not is_ctgov_record(record):
        raise InputError("not a ClinicalTrials.gov v2 study record (no protocolSection.identificationModule.nctId)")
    proto = record["protocolSection"]
    ident = proto["identificationModule"]
    nct = str(ident["nctId"]).strip()
    sid = source_id or nct.lower()
    r = _Render(sid)
    prov: dict[str, list[Span]] = {}

    def note(path: str, span: Span | None) -> None:
        if span is not None:
            prov.setdefault(path, []).append(span)

    title = ident.get("officialTitle") or ident.get("briefTitle")
    note("label", r.add("Title", ident.get("briefTitle") or title))
    r.add("NCT", nct)
    r.add("Status", _get(proto, "statusModule", "overallStatus"))
    r.add("Summary", _get(proto, "descriptionModule", "briefSummary"))

    # condition
    conditions = _get(proto, "conditionsModule", "conditions", default=[]) or []
    cond_span = r.add("Conditions", "; ".join(str(c) for c in conditions))
    condition = Condition(label=str(conditions[0]) if conditions else "unspecified")
    if conditions and cond_span is not None:
        # the label as registered; the extract stage maps it onto the condition vocabulary
        note(
            "condition",
            Span(source=sid, start=cond_span.start, end=cond_span.start + len(str(conditions[0]))),
        )

    # design
    design_mod = _get(proto, "designModule", default={}) or {}
    info = design_mod.get("designInfo", {}) or {}
    tags: list[str] = []
    tag_spans: dict[str, Span | None] = {}

    def tag(name: str, span: Span | None) -> None:
        if name not in tag_spans:
            tags.append(name)
            tag_spans[name] = span

    study_type = design_mod.get("studyType")
    r.add("Study type", study_type)
    alloc = info.get("allocation")
    span = r.add("Allocation", alloc)
    if alloc == "RANDOMIZED":
        tag("randomized", span)
    model = info.get("interventionModel")
    model_span = r.add("Intervention model", model)
    if model in _MODEL:
        tag(_MODEL[model], model_span)
    masking = _get(info, "maskingInfo", "masking")
    span = r.add("Masking", masking)
    if masking in _MASKING:
        tag(_MASKING[masking], span)
    if study_type == "OBSERVATIONAL":
        perspective = info.get("timePerspective") or design_mod.get("timePerspective")
        tag("observational", r.add("Study type", "observational"))
        span = r.add("Time perspective", perspective)
        if perspective in ("RETROSPECTIVE", "PROSPECTIVE"):
            tag(perspective.lower(), span)
    phases = design_mod.get("phases") or []
    r.add("Phases", ", ".join(phases))
    locations = _get(proto, "contactsLocationsModule", "locations", default=[]) or []
    if len(locations) > 1:
        tag("multicentre", r.add("Locations", f"{len(locations)} sites"))

    # arms and interventions
    arms = _get(proto, "armsInterventionsModule", "armGroups", default=[]) or []
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
        tag("placebo-controlled", comparator_span)
    if comparator is None and len(arms) == 1:
        comparator = "none"
        comparator_span = model_span if model == "SINGLE_GROUP" else None
    for k, name in enumerate(tags):
        note(f"design[{k}]", tag_spans.get(name))
    if comparator is not None:
        note("comparator", comparator_span)
    controlled = None
    if arms:
        controlled = len(arms) > 1 and any(t in _COMPARATOR_ARMS for t in arm_types)

    interventions: list[Intervention] = []
    for item in _get(proto, "armsInterventionsModule", "interventions", default=[]) or []:
        name = str(item.get("name") or "").strip()
        if not name or (comparator == "placebo" and "placebo" in name.lower()):
            continue
        desc = str(item.get("description") or "")
        k = len(interventions)
        note(f"interventions[{k}].name", r.add(f"Intervention ({item.get('type') or 'unspecified'})", name))
        dspan = r.add("Intervention description", desc)
        dose = _DOSE.search(f"{name} {desc}")
        dose_mg = None
        dose_text = None
        if dose:
            value = float(dose.group(1))
            unit = dose.group(2).lower()
            dose_mg = value / 1000 if unit in ("µg", "mcg", "microgram", "micrograms") else value
            dose_text = dose.group(0)
            if dspan is not None and dose.start() >= len(name) + 1:
                off = dose.start() - len(name) - 1
                note(
                    f"interventions[{k}].dose_mg",
                    Span(source=sid, start=dspan.start + off, end=dspan.start + off + len(dose_text)),
                )
        interventions.append(Intervention(name=name, dose_mg=dose_mg, dose_text=dose_text))

    # eligibility and enrollment
    elig = _get(proto, "eligibilityModule", default={}) or {}
    sex = {"FEMALE": "female", "MALE": "male"}.get(str(elig.get("sex")))
    sex_span = r.add("Sex", elig.get("sex"))
    if sex:
        note("population.sex", sex_span)
    ages = " to ".join(str(a) for a in (elig.get("minimumAge"), elig.get("maximumAge")) if a)
    age_span = r.add("Ages", ages)
    enrol = _get(design_mod, "enrollmentInfo", default={}) or {}
    n = _int(enrol.get("count"))
    en_span = r.add(f"Enrollment ({enrol.get('type') or 'unspecified'})", enrol.get("count"))
    population = Population(
        n=n,
        n_enrolled=n if enrol.get("type") == "ACTUAL" else None,
        sex=sex,
        age=ages or None,
    )
    if n is not None:
        note("population.n", en_span)
        if enrol.get("type") == "ACTUAL":
            note("population.n_enrolled", en_span)
    if ages:
        note("population.age", age_span)

    # outcomes (protocol) and results
    outcomes: list[Outcome] = []
    by_title: dict[str, int] = {}
    duration: float | None = None
    for kind in ("primaryOutcomes", "secondaryOutcomes"):
        for item in _get(proto, "outcomesModule", kind, default=[]) or []:
            name = str(item.get("measure") or "").strip()
            if not name:
                continue
            k = len(outcomes)
            label = "Primary outcome" if kind == "primaryOutcomes" else "Secondary outcome"
            note(f"outcomes[{k}].name", r.add(label, name))
            tf_span = r.add("Time frame", item.get("timeFrame"))
            if kind == "primaryOutcomes" and duration is None and item.get("timeFrame"):
                m = _DURATION.search(str(item["timeFrame"]))
                if m and tf_span is not None:
                    duration = round(float(m.group(1)) * _UNIT_DAYS[m.group(2).lower()], 2)
                    note(
                        "duration_days",
                        Span(source=sid, start=tf_span.start + m.start(), end=tf_span.start + m.end()),
                    )
            by_title[name.lower()] = k
            outcomes.append(Outcome(name=name))

    results = record.get("resultsSection") or {}
    for om in _get(results, "outcomeMeasuresModule", "outcomeMeasures", default=[]) or []:
        name = str(om.get("title") or "").strip()
        if not name:
            continue
        known = by_title.get(name.lower())
        if known is None:
            known = len(outcomes)
            outcomes.append(Outcome(name=name))
            by_title[name.lower()] = known
        k = known
        groups = {g.get("id"): str(g.get("title") or g.get("id")) for g in om.get("groups", []) or []}
        denoms: dict[str, int | None] = {}
        for d in om.get("denoms", []) or []:
            for c in d.get("counts", []) or []:
                denoms[c.get("groupId")] = _int(c.get("value"))
        param = str(om.get("paramType") or "").lower().replace("_", "-") or "value"
        dispersion = str(om.get("dispersionType") or "")
        unit = om.get("unitOfMeasure")
        measures: list[Measure] = []
        for cls in om.get("classes", []) or []:
            for cat in cls.get("categories", []) or []:
                for meas in cat.get("measurements", []) or []:
                    mval = _float(meas.get("value"))
                    if mval is None:
                        continue
                    gid = meas.get("groupId")
                    spread = _float(meas.get("spread"))
                    measure = Measure(
                        arm=_arm_key(groups.get(gid, str(gid))),
                        kind=param,
                        value=mval,
                        sd=spread
                        if spread is not None and spread >= 0 and "STANDARD_DEVIATION" in dispersion
                        else None,
                        se=spread if spread is not None and spread >= 0 and "STANDARD_ERROR" in dispersion else None,
                        ci_lb=_float(meas.get("lowerLimit")),
                        ci_ub=_float(meas.get("upperLimit")),
                        n=denoms.get(gid),
                        unit=str(unit) if unit else None,
                        timepoint=om.get("timeFrame"),
                    )
                    j = len(measures)
                    note(
                        f"outcomes[{k}].measures[{j}].value",
                        r.add(f"Result [{name[:60]}] {groups.get(gid, gid)}", meas.get("value")),
                    )
                    measures.append(measure)
        p_value = None
        p_text = None
        for analysis in om.get("analyses", []) or []:
            est = _float(analysis.get("paramValue"))
            if est is not None:
                j = len(measures)
                kind = str(analysis.get("paramType") or "difference").lower()
                note(
                    f"outcomes[{k}].measures[{j}].value",
                    r.add(f"Analysis [{name[:60]}] {kind}", analysis.get("paramValue")),
                )
                measures.append(
                    Measure(
                        arm="difference",
                        kind=kind,
                        value=est,
                        ci_lb=_float(analysis.get("ciLowerLimit")),
                        ci_ub=_float(analysis.get("ciUpperLimit")),
                    )
                )
            if p_value is None:
                p_text = analysis.get("pValue")
                p_value = parse_p(p_text)
                if p_value is not None:
                    note(f"outcomes[{k}].p", r.add(f"P value [{name[:60]}]", p_text))
        outcomes[k] = outcomes[k].model_copy(
            update={
                "measures": measures,
                "p": p_value,
                "p_text": p_text if p_value is not None else None,
                "significant": (p_value < 0.05) if p_value is not None else None,
            }
        )

    adverse: list[AdverseEvent] = []
    ae_mod = results.get("adverseEventsModule") or {}
    ae_groups = {g.get("id"): str(g.get("title") or g.get("id")) for g in ae_mod.get("eventGroups", []) or []}
    for kind in ("seriousEvents", "otherEvents"):
        for event in ae_mod.get(kind, []) or []:
            term = str(event.get("term") or "").strip()
            for stat in event.get("stats", []) or []:
                count = _int(stat.get("numAffected"))
                at_risk = _int(stat.get("numAtRisk"))
                if not term or count is None:
                    continue
                arm = _arm_key(ae_groups.get(stat.get("groupId"), str(stat.get("groupId"))))
                j = len(adverse)
                note(f"adverse_events[{j}].count", r.add(f"Adverse event [{arm}] {term}", f"{count}/{at_risk}"))
                percent = round(100 * count / at_risk, 2) if at_risk else None
                adverse.append(AdverseEvent(name=term, count=count, n=at_risk, percent=percent, arm=arm))

    text = r.text
    status = _get(proto, "statusModule", "startDateStruct", "date")
    year = None
    if isinstance(status, str) and re.match(r"\d{4}", status):
        year = int(status[:4])
    citation = Citation(
        title=title, nct=nct if re.fullmatch(r"NCT\d{8}", nct) else None, year=year, authors=[], journal=None
    )
    source = Source(
        id=sid,
        kind="ctgov",
        title=ident.get("briefTitle") or title,
        url=f"https://clinicaltrials.gov/study/{nct}",
        citation=citation,
        sha256=sha256_text(text),
        text=text,
        metadata={"nct": nct, "has_results": bool(record.get("hasResults") or results), "format": "ctgov-v2"},
    )
    if prov.get("label") is None:
        prov.pop("label", None)
    # every span must point inside the rendered text
    for spans in prov.values():
        for s in spans:
            assert 0 <= s.start <= s.end <= len(text)
    study = Study(
        id=f"{sid}#s1",
        label=str(ident.get("briefTitle") or nct)[:200],
        citation=citation,
        source=sid,
        species="human",
        condition=condition,
        design=tags,
        controlled=controlled,
        population=population,
        interventions=interventions,
        comparator=comparator,
        duration_days=duration,
        outcomes=outcomes,
        adverse_events=adverse,
        provenance=prov,
        verification={"*": "primary"},
        references=[source.url] if source.url else [],
    )
    # the mapped study travels with its source, so extraction stays a pure function of a Source
    source.metadata["study"] = study.model_dump(mode="json")
    return source, study


def iter_ctgov_records(obj: object, location: str) -> Iterator[dict[str, Any]]:
    """The study objects in parsed JSON: one study, a list of studies, or ``{"studies": [...]}``."""
    if is_ctgov_record(obj):
        yield obj  # type: ignore[misc]
        return
    items = obj.get("studies") if isinstance(obj, dict) else obj
    if isinstance(items, list) and items and all(is_ctgov_record(x) for x in items):
        yield from items
        return
    raise InputError(
        "JSON is not a ClinicalTrials.gov v2 study record (expected protocolSection.identificationModule.nctId)",
        location=location,
    )


def read_ctgov(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[tuple[Source, Study]]:
    """Read a ClinicalTrials.gov v2 JSON file (one study or a listing) into (Source, Study) pairs."""
    p = Path(path)
    text = decode_bytes(read_bytes(p, max_bytes=max_bytes), str(p))
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", location=str(p)) from None
    return [study_from_ctgov(rec) for rec in iter_ctgov_records(obj, str(p))]
