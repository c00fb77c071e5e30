"""Records as table rows: canonical JSON and its content hash, the row of each table, citation identifiers.

The content hash (SHA-256 of a record's canonical JSON) is what makes writes
idempotent: a row is rewritten only when its hash differs from the stored one.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from ldn_atlas.model import Appraisal, Claim, Source, Study


def canonical_json(document: Any) -> str:
    """Canonical JSON text of a document: sorted keys, no whitespace, UTF-8 kept."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_sha256(record: BaseModel) -> str:
    """SHA-256 of a record's canonical JSON: equal for records with equal content."""
    return hashlib.sha256(canonical_json(record.model_dump(mode="json")).encode("utf-8")).hexdigest()


def utc(value: datetime) -> datetime:
    """A timezone-aware UTC datetime (SQLite returns naive datetimes; they are stored in UTC)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def study_row(study: Study, now: datetime) -> dict[str, Any]:
    document = study.model_dump(mode="json")
    return {
        "id": study.id,
        "label": study.label,
        "condition_label": study.condition.label,
        "condition_code": study.condition.code,
        "species": study.species,
        "n": study.population.n,
        "year": study.citation.year if study.citation else None,
        "duration_days": study.duration_days,
        "source_id": study.source,
        "primary_source": study.primary_source,
        "content_sha256": hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest(),
        "document": document,
        "updated_at": now,
    }


def source_row(source: Source, now: datetime) -> dict[str, Any]:
    document = source.model_dump(mode="json")
    return {
        "id": source.id,
        "kind": source.kind,
        "title": source.title,
        "url": source.url,
        "text_sha256": source.sha256,
        "content_sha256": hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest(),
        "document": document,
        "updated_at": now,
    }


def claim_row(claim: Claim, now: datetime) -> dict[str, Any]:
    document = claim.model_dump(mode="json")
    return {
        "id": claim.id,
        "source_id": claim.span.source,
        "kind": claim.kind,
        "verdict": claim.verdict,
        "content_sha256": hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest(),
        "document": document,
        "updated_at": now,
    }


def appraisal_row(appraisal: Appraisal, now: datetime) -> dict[str, Any]:
    document = appraisal.model_dump(mode="json")
    return {
        "id": appraisal.id,
        "subject": appraisal.subject,
        "outcome": appraisal.outcome,
        "certainty": appraisal.certainty,
        "content_sha256": hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest(),
        "document": document,
        "updated_at": now,
    }


def study_identifiers(study: Study) -> list[tuple[str, str]]:
    """The (scheme, value) identifiers of a study's citation: pmid, pmcid, nct, doi and others.

    DOIs are case-insensitive and are stored in lower case; other schemes keep their spelling.
    """
    citation = study.citation
    if citation is None:
        return []
    pairs: list[tuple[str, str]] = []
    if citation.pmid:
        pairs.append(("pmid", citation.pmid))
    if citation.pmcid:
        pairs.append(("pmcid", citation.pmcid.upper()))
    if citation.nct:
        pairs.append(("nct", citation.nct.upper()))
    if citation.doi:
        pairs.append(("doi", citation.doi.lower()))
    for scheme, value in citation.other_ids.items():
        pairs.append((scheme.lower(), value))
    return sorted(set(pairs))
