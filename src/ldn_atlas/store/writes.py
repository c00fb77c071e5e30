"""Writes: idempotent upserts of studies (with their design tags and identifiers), sources, claims and
appraisals, in batches with the backend's native ``INSERT ... ON CONFLICT DO UPDATE``; deleting studies.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from ldn_atlas.errors import InputError, StoreError
from ldn_atlas.model import Appraisal, Claim, Source, Study
from ldn_atlas.store.base import BATCH_SIZE, StoreBase
from ldn_atlas.store.records import UpsertCounts, UpsertResult
from ldn_atlas.store.rows import appraisal_row, claim_row, source_row, study_identifiers, study_row
from ldn_atlas.store.schema import (
    AppraisalRow,
    Base,
    ClaimRow,
    IdentifierRow,
    SourceRow,
    StudyDesignRow,
    StudyRow,
)


def _batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _check_unique(records: Sequence[Any], what: str) -> None:
    seen: set[str] = set()
    for record in records:
        if record.id in seen:
            raise InputError(f"duplicate {what} id {record.id!r}")
        seen.add(record.id)


class StoreWrites(StoreBase):
    """The write half of the repository: upserts and deletes, each call one transaction."""

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
                conn, SourceRow, [source_row(s, now) for s in source_list], batch_size
            )
            rows = [study_row(s, now) for s in study_list]
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
            return self._upsert(conn, SourceRow, [source_row(s, now) for s in source_list], batch_size)

    def upsert_claims(self, claims: Iterable[Claim], *, batch_size: int = BATCH_SIZE) -> UpsertCounts:
        """Insert or update audited claims in one transaction (unchanged ones are not written)."""
        claim_list = list(claims)
        _check_unique(claim_list, "claim")
        now = datetime.now(UTC)
        with self._write() as conn:
            return self._upsert(conn, ClaimRow, [claim_row(c, now) for c in claim_list], batch_size)

    def upsert_appraisals(
        self, appraisals: Iterable[Appraisal], *, batch_size: int = BATCH_SIZE
    ) -> UpsertCounts:
        """Insert or update appraisals in one transaction (unchanged ones are not written)."""
        items = list(appraisals)
        _check_unique(items, "appraisal")
        now = datetime.now(UTC)
        with self._write() as conn:
            return self._upsert(conn, AppraisalRow, [appraisal_row(a, now) for a in items], batch_size)

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
