"""ClinicalTrials.gov API v2 study records: structured fields mapped straight onto a Study.

A v2 study is JSON with a ``protocolSection`` (identification, status, design,
arms and interventions, outcomes, eligibility, conditions) and, when results are
posted, a ``resultsSection`` (baseline, outcome measures with analyses, adverse
events).  No language processing happens here: each Study field comes from one
record field.  So that every field can still point at "the words it came from",
the reader renders the record as short ``Key: value`` lines (the Source text) and
the mapping records a span into that rendering for each field it fills.

The stages live next door: :mod:`~ldn_atlas.sources.ctgov_record` (the rendering
and its spans), :mod:`~ldn_atlas.sources.ctgov_protocol` (identification, design,
arms, interventions, eligibility, registered outcomes) and
:mod:`~ldn_atlas.sources.ctgov_results` (outcome measurements, analyses, adverse
events); this module reads files and assembles the Source and the Study.

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
from pathlib import Path
from typing import Any

from ldn_atlas.errors import InputError
from ldn_atlas.model import Citation, Source, Span, Study
from ldn_atlas.sources.ctgov_protocol import (
    read_arms,
    read_condition,
    read_design,
    read_identification,
    read_interventions,
    read_population,
    read_protocol_outcomes,
)
from ldn_atlas.sources.ctgov_record import RecordText, get
from ldn_atlas.sources.ctgov_results import parse_p, read_adverse_events, read_outcome_results
from ldn_atlas.sources.text import DEFAULT_MAX_BYTES, decode_bytes, read_bytes, sha256_text

__all__ = ["is_ctgov_record", "iter_ctgov_records", "parse_p", "read_ctgov", "study_from_ctgov"]


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
    r = RecordText(sid)
    title = read_identification(r, ident, proto, nct)
    condition = read_condition(r, proto)
    design = read_design(r, proto)
    comparator, controlled = read_arms(r, proto, design)
    interventions = read_interventions(r, proto, comparator)
    population = read_population(r, proto)
    outcomes, by_title, duration = read_protocol_outcomes(r, proto)
    results = record.get("resultsSection") or {}
    read_outcome_results(r, results, outcomes, by_title)
    adverse = read_adverse_events(r, results)

    source = _source(record, r, title, nct, has_results=bool(record.get("hasResults") or results))
    study = Study(
        id=f"{sid}#s1",
        label=str(ident.get("briefTitle") or nct)[:200],
        citation=source.citation,
        source=sid,
        species="human",
        condition=condition,
        design=design.tags,
        controlled=controlled,
        population=population,
        interventions=interventions,
        comparator=comparator,
        duration_days=duration,
        outcomes=outcomes,
        adverse_events=adverse,
        provenance=_checked_provenance(r),
        verification={"*": "primary"},
        references=[source.url] if source.url else [],
    )
    # the mapped study travels with its source, so extraction stays a pure function of a Source
    source.metadata["study"] = study.model_dump(mode="json")
    return source, study


def _source(record: dict[str, Any], r: RecordText, title: Any, nct: str, *, has_results: bool) -> Source:
    """The Source of a record: its rendered text, its registry page and its citation (year from the start date)."""
    proto = record["protocolSection"]
    ident = proto["identificationModule"]
    text = r.text
    status = get(proto, "statusModule", "startDateStruct", "date")
    year = None
    if isinstance(status, str) and re.match(r"\d{4}", status):
        year = int(status[:4])
    citation = Citation(
        title=title, nct=nct if re.fullmatch(r"NCT\d{8}", nct) else None, year=year, authors=[], journal=None
    )
    return Source(
        id=r.source_id,
        kind="ctgov",
        title=ident.get("briefTitle") or title,
        url=f"https://clinicaltrials.gov/study/{nct}",
        citation=citation,
        sha256=sha256_text(text),
        text=text,
        metadata={"nct": nct, "has_results": has_results, "format": "ctgov-v2"},
    )


def _checked_provenance(r: RecordText) -> dict[str, list[Span]]:
    """The noted provenance, after checking that every span points inside the rendered text."""
    prov = r.provenance
    if prov.get("label") is None:
        prov.pop("label", None)
    text = r.text
    # every span must point inside the rendered text
    for spans in prov.values():
        for s in spans:
            assert 0 <= s.start <= s.end <= len(text)
    return prov


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
