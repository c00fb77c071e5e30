"""The store's repository API: what the CLI, the report and the web layer call.

Nothing outside :mod:`ldn_atlas.store` writes SQL.  Open a store with
:func:`open_store` (a context manager), then read and write records of the
evidence model::

    with open_store("atlas.db") as store:
        result = store.upsert_studies(studies, sources=sources)
        items, total = store.list_studies(condition="fibromyalgia", design="crossover")
        study = store.get_study("younger-2013")

Writes are idempotent upserts keyed by record id and the SHA-256 of the
record's canonical JSON: a record whose content is unchanged is not written,
so loading the same evidence base twice changes nothing (not even a
timestamp).  Each call that writes runs in one transaction, in batches, with
the backend's native upsert (``INSERT ... ON CONFLICT DO UPDATE ... WHERE the
hash differs``), so concurrent loaders of the same records cannot collide.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    and_,
    create_engine,
    delete,
    event,
    false,
    func,
    insert,
    or_,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import StaticPool

from ldn_atlas.errors import InputError, NotFoundError, StoreError
from ldn_atlas.model import DESIGN_TAGS, Appraisal, Claim, Override, Source, Study
from ldn_atlas.store import migrate
from ldn_atlas.store.conditions import ConditionTerm, condition_matches, load_vocabulary
from ldn_atlas.store.schema import (
    AppraisalRow,
    Base,
    ClaimRow,
    IdentifierRow,
    Meta,
    OverrideRow,
    SourceRow,
    StudyDesignRow,
    StudyRow,
)
from ldn_atlas.store.url import display_url, resolve_url

SPECIES = ("human", "animal", "in-vitro")
BATCH_SIZE = 500
EXPORT_FORMAT = "ldn-atlas-store"

R = TypeVar("R", bound=BaseModel)


def canonical_json(document: Any) -> str:
    """Canonical JSON text of a document: sorted keys, no whitespace, UTF-8 kept."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_sha256(record: BaseModel) -> str:
    """SHA-256 of a record's canonical JSON: equal for records with equal content."""
    return hashlib.sha256(canonical_json(record.model_dump(mode="json")).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class UpsertCounts:
    """Ids written by one upsert, by what happened to them."""

    inserted: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return len(self.inserted) + len(self.updated) + len(self.unchanged)

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated)


@dataclass(frozen=True)
class UpsertResult:
    """What :meth:`Store.upsert_studies` did to the studies and to the sources."""

    studies: UpsertCounts = field(default_factory=UpsertCounts)
    sources: UpsertCounts = field(default_factory=UpsertCounts)
    removed: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return self.studies.changed or self.sources.changed or bool(self.removed)


@dataclass(frozen=True)
class ConditionSummary:
    """One condition of the store and how many studies it has."""

    label: str
    code: str | None
    count: int


@dataclass(frozen=True)
class StoredOverride:
    """A reviewer's override of one judgement of an appraisal, as stored.

    ``target`` names what is overridden: ``certainty`` or a GRADE domain such
    as ``risk-of-bias``; ``override`` holds who, when, why and the new value.
    """

    id: int
    appraisal_id: str
    target: str
    override: Override

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "appraisal_id": self.appraisal_id,
            "target": self.target,
            **self.override.model_dump(mode="json"),
        }


def _utc(value: datetime) -> datetime:
    """A timezone-aware UTC datetime (SQLite returns naive datetimes; they are stored in UTC)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _check_unique(records: Sequence[Any], what: str) -> None:
    seen: set[str] = set()
    for record in records:
        if record.id in seen:
            raise InputError(f"duplicate {what} id {record.id!r}")
        seen.add(record.id)


def _study_row(study: Study, now: datetime) -> dict[str, Any]:
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


def _source_row(source: Source, now: datetime) -> dict[str, Any]:
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


def _claim_row(claim: Claim, now: datetime) -> dict[str, Any]:
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


def _appraisal_row(appraisal: Appraisal, now: datetime) -> dict[str, Any]:
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


class Store:
    """A connection to one LDN Atlas store (SQLite or PostgreSQL).

    Use :func:`open_store` rather than the constructor.  A store is a context
    manager; leaving the ``with`` block disposes of its connections.

    Parameters
    ----------
    url_or_path
        A SQLite path, ``:memory:`` or a SQLAlchemy URL; ``None`` for the default file.
    migrate
        Bring the schema to the newest revision when it is behind (default).
        With ``False`` a store that is behind raises :class:`~ldn_atlas.errors.StoreError`.
    vocabulary
        Condition terms used to match ``condition=`` filters by synonym; by
        default the package's condition vocabulary.
    """

    def __init__(
        self,
        url_or_path: str | URL | None = None,
        *,
        migrate: bool = True,
        vocabulary: Sequence[ConditionTerm] | None = None,
    ) -> None:
        self.url: URL = resolve_url(url_or_path)
        self.display = display_url(self.url)
        self.engine: Engine = _create_engine(self.url)
        self._vocabulary = vocabulary
        try:
            self.revision = self._prepare(migrate)
        except BaseException:
            self.engine.dispose()
            raise

    # -- lifecycle ---------------------------------------------------------------------------------

    def _prepare(self, do_migrate: bool) -> str:
        head = migrate.head_revision()
        try:
            if do_migrate:
                migrate.upgrade(self.engine)
                return head
            with self.engine.connect() as connection:
                current = migrate.current_revision(connection)
        except StoreError:
            raise
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open the store at {self.display}: {_first_line(exc)}") from exc
        if current != head:
            raise StoreError(
                f"the store at {self.display} is at schema revision {current!r}, not {head!r}; "
                "run `ldn-atlas db init` to migrate it"
            )
        return head

    def close(self) -> None:
        """Release the store's connections."""
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.display!r})"

    def _read(self) -> Any:
        return _Guard(self, self.engine.connect())

    def _write(self) -> Any:
        return _Guard(self, _begin_write(self.engine))

    # -- meta ----------------------------------------------------------------------------------------

    def schema_version(self) -> str:
        """The store's schema version (``meta.schema_version``)."""
        with self._read() as conn:
            value = conn.scalar(select(Meta.value).where(Meta.key == "schema_version"))
        if value is None:  # pragma: no cover - the initial migration writes it
            raise StoreError(f"the store at {self.display} has no schema_version")
        return str(value)

    # -- writes --------------------------------------------------------------------------------------

    def upsert_studies(
        self,
        studies: Iterable[Study],
        *,
        sources: Iterable[Source] = (),
        prune: bool = False,
        batch_size: int = BATCH_SIZE,
    ) -> UpsertResult:
        """Insert or update studies (and their sources) in one transaction.

        Parameters
        ----------
        studies, sources
            Validated records.  Ids must be unique within each argument.
        prune
            Also delete the studies of the store that are not among ``studies``
            (to make the store mirror an evidence base exactly).
        batch_size
            Rows per statement.

        Returns
        -------
        UpsertResult
            The ids inserted, updated and unchanged.  Unchanged records
            (same content hash) are not written at all.

        Raises
        ------
        InputError
            Duplicate ids.
        StoreError
            The database refused the write; nothing was written.
        """
        study_list = list(studies)
        source_list = list(sources)
        _check_unique(study_list, "study")
        _check_unique(source_list, "source")
        now = datetime.now(UTC)
        with self._write() as conn:
            source_counts = self._upsert(
                conn, SourceRow, [_source_row(s, now) for s in source_list], batch_size
            )
            rows = [_study_row(s, now) for s in study_list]
            study_counts = self._upsert(conn, StudyRow, rows, batch_size)
            rewritten = set(study_counts.inserted) | set(study_counts.updated)
            by_id = {s.id: s for s in study_list if s.id in rewritten}
            for batch in _batches(sorted(by_id), batch_size):
                conn.execute(delete(StudyDesignRow).where(StudyDesignRow.study_id.in_(batch)))
                conn.execute(delete(IdentifierRow).where(IdentifierRow.study_id.in_(batch)))
                design = [
                    {"study_id": sid, "tag": tag} for sid in batch for tag in sorted(set(by_id[sid].design))
                ]
                identifiers = [
                    {"scheme": scheme, "value": value, "study_id": sid}
                    for sid in batch
                    for scheme, value in study_identifiers(by_id[sid])
                ]
                if design:
                    conn.execute(insert(StudyDesignRow), design)
                if identifiers:
                    conn.execute(insert(IdentifierRow), identifiers)
            removed: tuple[str, ...] = ()
            if prune:
                keep = {s.id for s in study_list}
                stale = sorted(set(conn.scalars(select(StudyRow.id))) - keep)
                for batch in _batches(stale, batch_size):
                    conn.execute(delete(StudyDesignRow).where(StudyDesignRow.study_id.in_(batch)))
                    conn.execute(delete(IdentifierRow).where(IdentifierRow.study_id.in_(batch)))
                    conn.execute(delete(StudyRow).where(StudyRow.id.in_(batch)))
                removed = tuple(stale)
        return UpsertResult(studies=study_counts, sources=source_counts, removed=removed)

    def upsert_sources(self, sources: Iterable[Source], *, batch_size: int = BATCH_SIZE) -> UpsertCounts:
        """Insert or update sources in one transaction (unchanged ones are not written)."""
        source_list = list(sources)
        _check_unique(source_list, "source")
        now = datetime.now(UTC)
        with self._write() as conn:
            return self._upsert(conn, SourceRow, [_source_row(s, now) for s in source_list], batch_size)

    def upsert_claims(self, claims: Iterable[Claim], *, batch_size: int = BATCH_SIZE) -> UpsertCounts:
        """Insert or update audited claims in one transaction (unchanged ones are not written)."""
        claim_list = list(claims)
        _check_unique(claim_list, "claim")
        now = datetime.now(UTC)
        with self._write() as conn:
            return self._upsert(conn, ClaimRow, [_claim_row(c, now) for c in claim_list], batch_size)

    def upsert_appraisals(
        self, appraisals: Iterable[Appraisal], *, batch_size: int = BATCH_SIZE
    ) -> UpsertCounts:
        """Insert or update appraisals in one transaction (unchanged ones are not written)."""
        items = list(appraisals)
        _check_unique(items, "appraisal")
        now = datetime.now(UTC)
        with self._write() as conn:
            return self._upsert(conn, AppraisalRow, [_appraisal_row(a, now) for a in items], batch_size)

    def _upsert(
        self, conn: Connection, table: type[Base], rows: list[dict[str, Any]], batch_size: int
    ) -> UpsertCounts:
        cls: Any = table
        inserted: list[str] = []
        updated: list[str] = []
        unchanged: list[str] = []
        for batch in _batches(rows, batch_size):
            ids = [row["id"] for row in batch]
            existing: dict[str, str] = {
                key: sha
                for key, sha in conn.execute(select(cls.id, cls.content_sha256).where(cls.id.in_(ids)))
            }
            write = [row for row in batch if existing.get(row["id"]) != row["content_sha256"]]
            # The statement reports the rows it really wrote: a concurrent writer may have
            # stored the same content between the SELECT above and this INSERT.
            written: set[str] = set()
            if write:
                written = set(conn.scalars(self._upsert_statement(cls), write))
            for row in batch:
                key = row["id"]
                if key not in written:
                    unchanged.append(key)
                elif key in existing:
                    updated.append(key)
                else:
                    inserted.append(key)
        return UpsertCounts(tuple(inserted), tuple(updated), tuple(unchanged))

    def _upsert_statement(self, cls: Any) -> Any:
        dialect = self.engine.dialect.name
        stmt: Any
        if dialect == "postgresql":
            stmt = postgresql.insert(cls)
        elif dialect == "sqlite":
            stmt = sqlite.insert(cls)
        else:  # pragma: no cover - resolve_url admits only these two
            raise StoreError(f"no upsert for backend {dialect!r}")
        columns = [c.name for c in cls.__table__.columns if c.name != "id"]
        return stmt.on_conflict_do_update(
            index_elements=["id"],
            set_={name: stmt.excluded[name] for name in columns},
            where=cls.content_sha256 != stmt.excluded.content_sha256,
        ).returning(cls.id)

    def delete_studies(self, ids: Iterable[str]) -> int:
        """Delete studies by id in one transaction; returns how many existed."""
        id_list = sorted(set(ids))
        count = 0
        with self._write() as conn:
            for batch in _batches(id_list, BATCH_SIZE):
                conn.execute(delete(StudyDesignRow).where(StudyDesignRow.study_id.in_(batch)))
                conn.execute(delete(IdentifierRow).where(IdentifierRow.study_id.in_(batch)))
                count += conn.execute(delete(StudyRow).where(StudyRow.id.in_(batch))).rowcount or 0
        return count

    # -- overrides -----------------------------------------------------------------------------------

    def add_override(
        self,
        appraisal_id: str,
        target: str,
        value: str,
        *,
        by: str,
        reason: str,
        at: datetime | None = None,
    ) -> StoredOverride:
        """Record a reviewer's override of one judgement of an appraisal.

        Parameters
        ----------
        appraisal_id
            The appraisal overridden (it need not be stored: appraisals may be computed on the fly).
        target
            What is overridden: ``certainty`` or a GRADE domain, e.g. ``risk-of-bias``.
        value
            The reviewer's value, e.g. ``low`` or ``-1``.
        by, reason
            Who overrides and why; both required and non-empty.
        at
            When (default: now, UTC).

        Returns
        -------
        StoredOverride
            The override with its id.  Earlier overrides are kept: the history
            is the audit trail, and :meth:`latest_override` gives the one in force.
        """
        for name, text in (
            ("appraisal_id", appraisal_id),
            ("target", target),
            ("by", by),
            ("reason", reason),
        ):
            if not text or not text.strip():
                raise InputError(f"an override needs a non-empty {name}")
        when = _utc(at) if at is not None else datetime.now(UTC)
        override = Override(by=by.strip(), at=when, reason=reason.strip(), value=str(value))
        with self._write() as conn:
            new_id = conn.execute(
                insert(OverrideRow).returning(OverrideRow.id),
                {
                    "appraisal_id": appraisal_id,
                    "target": target,
                    "value": override.value,
                    "by": override.by,
                    "at": when,
                    "reason": override.reason,
                },
            ).scalar_one()
        return StoredOverride(id=int(new_id), appraisal_id=appraisal_id, target=target, override=override)

    def list_overrides(
        self, appraisal_id: str | None = None, target: str | None = None
    ) -> list[StoredOverride]:
        """Overrides, oldest first, optionally of one appraisal and one target."""
        query = select(OverrideRow.__table__).order_by(OverrideRow.at, OverrideRow.id)
        if appraisal_id is not None:
            query = query.where(OverrideRow.appraisal_id == appraisal_id)
        if target is not None:
            query = query.where(OverrideRow.target == target)
        with self._read() as conn:
            rows = conn.execute(query).mappings().all()
        return [
            StoredOverride(
                id=row["id"],
                appraisal_id=row["appraisal_id"],
                target=row["target"],
                override=Override(by=row["by"], at=_utc(row["at"]), reason=row["reason"], value=row["value"]),
            )
            for row in rows
        ]

    def latest_override(self, appraisal_id: str, target: str) -> StoredOverride | None:
        """The override in force for one judgement: the newest one, or ``None``."""
        items = self.list_overrides(appraisal_id, target)
        return items[-1] if items else None

    # -- reads ---------------------------------------------------------------------------------------

    @property
    def vocabulary(self) -> Sequence[ConditionTerm]:
        if self._vocabulary is None:
            self._vocabulary = load_vocabulary()
        return self._vocabulary

    def count(self) -> int:
        """Number of studies in the store."""
        with self._read() as conn:
            return int(conn.scalar(select(func.count()).select_from(StudyRow)) or 0)

    def content_revision(self) -> str:
        """A fingerprint of the store's contents, changed by every committed write.

        Row counts and the newest ``updated_at`` of studies, sources, claims and appraisals, and the
        count and newest id of overrides, read in one transaction: an insert or an update moves a
        timestamp, a delete moves a count. Readers that keep results computed from the store (the web
        server's snapshot) compare it to decide when to recompute.
        """
        parts: list[Any] = []
        with self._read() as conn:
            for row in (StudyRow, SourceRow, ClaimRow, AppraisalRow):
                n, newest = conn.execute(select(func.count(), func.max(row.updated_at))).one()
                parts += [int(n or 0), newest.isoformat() if newest is not None else "-"]
            n, newest_id = conn.execute(select(func.count(), func.max(OverrideRow.id))).one()
            parts += [int(n or 0), int(newest_id or 0)]
        return ":".join(str(x) for x in parts)

    def is_empty(self) -> bool:
        """True when the store holds no study."""
        with self._read() as conn:
            return conn.scalar(select(StudyRow.id).limit(1)) is None

    def conditions(self) -> list[ConditionSummary]:
        """The conditions of the stored studies with their study counts, by label."""
        query = (
            select(StudyRow.condition_label, StudyRow.condition_code, func.count())
            .group_by(StudyRow.condition_label, StudyRow.condition_code)
            .order_by(StudyRow.condition_label, StudyRow.condition_code)
        )
        with self._read() as conn:
            return [ConditionSummary(label, code, int(n)) for label, code, n in conn.execute(query)]

    def _condition_clause(self, conn: Connection, condition: str) -> ColumnElement[bool]:
        pairs = conn.execute(select(StudyRow.condition_label, StudyRow.condition_code).distinct()).all()
        matched = [
            (label, code)
            for label, code in pairs
            if condition_matches(condition, label, code, self.vocabulary)
        ]
        if not matched:
            return false()
        return or_(
            *[
                and_(
                    StudyRow.condition_label == label,
                    StudyRow.condition_code.is_(None) if code is None else StudyRow.condition_code == code,
                )
                for label, code in matched
            ]
        )

    def _filtered(
        self,
        conn: Connection,
        query: Select[Any],
        condition: str | None,
        design: str | Sequence[str] | None,
        species: str | None,
    ) -> Select[Any]:
        if condition is not None and condition.strip():
            query = query.where(self._condition_clause(conn, condition))
        tags = [design] if isinstance(design, str) else list(design or [])
        for tag in tags:
            tag = tag.strip().lower()
            if tag not in DESIGN_TAGS:
                raise InputError(f"unknown design tag {tag!r}; known tags: {', '.join(DESIGN_TAGS)}")
            query = query.where(
                StudyRow.id.in_(select(StudyDesignRow.study_id).where(StudyDesignRow.tag == tag))
            )
        if species is not None:
            value = species.strip().lower()
            if value not in SPECIES:
                raise InputError(f"unknown species {species!r}; known: {', '.join(SPECIES)}")
            query = query.where(StudyRow.species == value)
        return query

    def list_studies(
        self,
        condition: str | None = None,
        design: str | Sequence[str] | None = None,
        species: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> tuple[list[Study], int]:
        """Studies matching the filters, ordered by condition, year and id, and their total count.

        Parameters
        ----------
        condition
            Matches a study whose condition label or a synonym of it equals the
            text (case-insensitive), or whose ICD-10-CM code starts with it
            (``G35``, ``g90.5``).
        design
            A design tag, or several that must all be present.
        species
            ``human``, ``animal`` or ``in-vitro``.
        limit, offset
            A page of the result; ``total`` counts every match.

        Returns
        -------
        (items, total)

        Raises
        ------
        InputError
            Unknown design tag or species, negative limit or offset.
        """
        if offset < 0 or (limit is not None and limit < 0):
            raise InputError("limit and offset must not be negative")
        with self._read() as conn:
            base = self._filtered(conn, select(StudyRow.id), condition, design, species)
            total = int(conn.scalar(select(func.count()).select_from(base.subquery())) or 0)
            query = self._filtered(conn, select(StudyRow.document), condition, design, species).order_by(
                func.lower(StudyRow.condition_label), StudyRow.year.is_(None), StudyRow.year, StudyRow.id
            )
            if offset:
                query = query.offset(offset)
            if limit is not None:
                query = query.limit(limit)
            documents = list(conn.scalars(query))
        return [self._record(Study, doc) for doc in documents], total

    def iter_studies(self) -> Iterator[Study]:
        """Every study, by id (streamed in batches)."""
        with self._read() as conn:
            result = conn.execution_options(yield_per=BATCH_SIZE).scalars(
                select(StudyRow.document).order_by(StudyRow.id)
            )
            for document in result:
                yield self._record(Study, document)

    def get_study(self, study_id: str) -> Study:
        """One study by id.

        Raises
        ------
        NotFoundError
            No study has that id; the message suggests close ids.
        """
        with self._read() as conn:
            document = conn.scalar(select(StudyRow.document).where(StudyRow.id == study_id))
            if document is None:
                ids = list(conn.scalars(select(StudyRow.id)))
        if document is None:
            close = difflib.get_close_matches(study_id, ids, n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise NotFoundError(f"no study with id {study_id!r} in the store at {self.display}{hint}")
        return self._record(Study, document)

    def study_ids(self) -> list[str]:
        """Every study id, sorted."""
        with self._read() as conn:
            return list(conn.scalars(select(StudyRow.id).order_by(StudyRow.id)))

    def studies_by_identifier(self, scheme: str, value: str) -> list[str]:
        """Ids of the studies whose citation carries an identifier (``pmid``, ``nct``, ``doi``, ...)."""
        scheme = scheme.lower()
        value = value.lower() if scheme == "doi" else value.upper() if scheme in ("nct", "pmcid") else value
        query = (
            select(IdentifierRow.study_id)
            .where(IdentifierRow.scheme == scheme, IdentifierRow.value == value)
            .order_by(IdentifierRow.study_id)
        )
        with self._read() as conn:
            return list(conn.scalars(query))

    def matching_studies(self, study: Study) -> dict[str, list[tuple[str, str]]]:
        """Stored studies (other than ``study`` itself) that share an identifier with it.

        For de-duplication at ingest: a trial read from PubMed and from
        ClinicalTrials.gov gets two ids but shares a PMID, NCT or DOI.  Sharing
        is not identity (one paper can report a human and an animal study), so
        the store reports matches rather than merging them.

        Returns
        -------
        dict
            Study id -> the ``(scheme, value)`` identifiers it shares, by id.
        """
        pairs = study_identifiers(study)
        if not pairs:
            return {}
        query = (
            select(IdentifierRow.study_id, IdentifierRow.scheme, IdentifierRow.value)
            .where(or_(*[and_(IdentifierRow.scheme == k, IdentifierRow.value == v) for k, v in pairs]))
            .where(IdentifierRow.study_id != study.id)
            .order_by(IdentifierRow.study_id, IdentifierRow.scheme)
        )
        found: dict[str, list[tuple[str, str]]] = {}
        with self._read() as conn:
            for study_id, scheme, value in conn.execute(query):
                found.setdefault(study_id, []).append((scheme, value))
        return found

    def get_source(self, source_id: str) -> Source:
        """One source by id (:class:`~ldn_atlas.errors.NotFoundError` when absent)."""
        with self._read() as conn:
            document = conn.scalar(select(SourceRow.document).where(SourceRow.id == source_id))
        if document is None:
            raise NotFoundError(f"no source with id {source_id!r} in the store at {self.display}")
        return self._record(Source, document)

    def list_sources(self) -> list[Source]:
        """Every source, by id."""
        with self._read() as conn:
            docs = list(conn.scalars(select(SourceRow.document).order_by(SourceRow.id)))
        return [self._record(Source, d) for d in docs]

    def list_claims(self, source_id: str | None = None) -> list[Claim]:
        """Audited claims, by id, optionally of one source."""
        query = select(ClaimRow.document).order_by(ClaimRow.id)
        if source_id is not None:
            query = query.where(ClaimRow.source_id == source_id)
        with self._read() as conn:
            docs = list(conn.scalars(query))
        return [self._record(Claim, d) for d in docs]

    def list_appraisals(self, subject: str | None = None) -> list[Appraisal]:
        """Appraisals, by id, optionally of one subject (a study or synthesis id)."""
        query = select(AppraisalRow.document).order_by(AppraisalRow.id)
        if subject is not None:
            query = query.where(AppraisalRow.subject == subject)
        with self._read() as conn:
            docs = list(conn.scalars(query))
        return [self._record(Appraisal, d) for d in docs]

    def get_appraisal(self, appraisal_id: str) -> Appraisal:
        """One appraisal by id (:class:`~ldn_atlas.errors.NotFoundError` when absent)."""
        with self._read() as conn:
            document = conn.scalar(select(AppraisalRow.document).where(AppraisalRow.id == appraisal_id))
        if document is None:
            raise NotFoundError(f"no appraisal with id {appraisal_id!r} in the store at {self.display}")
        return self._record(Appraisal, document)

    def export(self) -> dict[str, Any]:
        """Everything in the store as one JSON-ready document, in a stable order.

        The result has ``format``, ``schema_version``, ``sources``, ``studies``,
        ``claims``, ``appraisals`` and ``overrides``; each record is the
        model's JSON form, so ``studies`` can be validated back into
        :class:`~ldn_atlas.model.Study` objects.  Two stores with the same
        content export the same document (no timestamps of the export itself).
        """
        with self._read() as conn:
            version = conn.scalar(select(Meta.value).where(Meta.key == "schema_version"))
            docs = {
                name: [
                    self._record(model, d).model_dump(mode="json")
                    for d in conn.scalars(select(cls.document).order_by(cls.id))
                ]
                for name, cls, model in (
                    ("sources", SourceRow, Source),
                    ("studies", StudyRow, Study),
                    ("claims", ClaimRow, Claim),
                    ("appraisals", AppraisalRow, Appraisal),
                )
            }
        return {
            "format": EXPORT_FORMAT,
            "schema_version": version,
            **docs,
            "overrides": [o.to_dict() for o in self.list_overrides()],
        }

    def _record(self, model: type[R], document: Any) -> R:
        if isinstance(document, str):  # a driver that hands JSON back as text
            document = json.loads(document)
        try:
            return model.model_validate(document)
        except ValidationError as exc:
            ident = document.get("id") if isinstance(document, dict) else None
            raise StoreError(
                f"the store at {self.display} holds an invalid {model.__name__} {ident!r}: "
                f"{_first_line(exc)}; reload it with `ldn-atlas db load`"
            ) from exc


@contextmanager
def _begin_write(engine: Engine) -> Iterator[Connection]:
    """A write transaction.  On SQLite it starts with ``BEGIN IMMEDIATE``, taking the write
    lock up front, so concurrent writers wait for each other (busy timeout) instead of
    failing when a read lock cannot be upgraded."""
    with engine.connect() as conn:
        conn = conn.execution_options(ldn_atlas_write=True)
        with conn.begin():
            yield conn


class _Guard:
    """Wraps a connection context so database errors surface as one-line StoreErrors."""

    def __init__(self, store: Store, context: Any) -> None:
        self._store = store
        self._context = context

    def __enter__(self) -> Connection:
        try:
            return self._context.__enter__()
        except SQLAlchemyError as exc:
            raise StoreError(
                f"cannot connect to the store at {self._store.display}: {_first_line(exc)}"
            ) from exc

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            self._context.__exit__(exc_type, exc, tb)
        except SQLAlchemyError as err:
            raise StoreError(f"the store at {self._store.display} failed: {_first_line(err)}") from err
        if isinstance(exc, SQLAlchemyError):
            raise StoreError(f"the store at {self._store.display} failed: {_first_line(exc)}") from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _create_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        database = url.database
        if database and database != ":memory:" and not database.startswith("file:"):
            from pathlib import Path

            try:
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the directory of the store {database}: {exc}") from exc
            engine = create_engine(url, connect_args={"timeout": 30})
        else:
            engine = create_engine(url, connect_args={"check_same_thread": False}, poolclass=StaticPool)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            # Let SQLAlchemy, not the sqlite3 module, delimit transactions, so a
            # transaction covers reads, DDL and writes alike (SQLAlchemy docs,
            # "Serializable isolation / Savepoints / Transactional DDL").
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Connection) -> None:
            write = connection.get_execution_options().get("ldn_atlas_write", False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True)


def open_store(
    url_or_path: str | URL | None = None,
    *,
    migrate: bool = True,
    vocabulary: Sequence[ConditionTerm] | None = None,
) -> Store:
    """Open (creating and migrating when needed) the store at a path or URL.

    Parameters
    ----------
    url_or_path
        A SQLite path, ``:memory:``, or a SQLAlchemy URL (``postgresql+psycopg://...``);
        ``None`` opens the default per-user file (see :func:`~ldn_atlas.store.url.default_store_path`).
    migrate
        Apply pending migrations (default).
    vocabulary
        Condition terms for synonym matching (default: the package's vocabulary).

    Returns
    -------
    Store
        Use it as a context manager.

    Raises
    ------
    StoreError
        The store cannot be reached, created or migrated.

    Examples
    --------
    >>> with open_store(":memory:") as store:
    ...     store.count()
    0
    """
    return Store(url_or_path, migrate=migrate, vocabulary=vocabulary)


#: Alias: the repository is the store.
Repository = Store

__all__ = [
    "ConditionSummary",
    "Repository",
    "Store",
    "StoredOverride",
    "UpsertCounts",
    "UpsertResult",
    "canonical_json",
    "content_sha256",
    "open_store",
    "study_identifiers",
]
