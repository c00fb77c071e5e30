"""Reads: counts and the content revision, conditions, filtered and paged study lists, records by id,
studies by identifier (for de-duplication), sources, claims and appraisals.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, false, func, or_, select

from ldn_atlas.errors import InputError, NotFoundError
from ldn_atlas.model import DESIGN_TAGS, Appraisal, Claim, Source, Study
from ldn_atlas.store.base import BATCH_SIZE, StoreBase
from ldn_atlas.store.conditions import condition_matches
from ldn_atlas.store.records import ConditionSummary
from ldn_atlas.store.rows import study_identifiers
from ldn_atlas.store.schema import (
    AppraisalRow,
    ClaimRow,
    IdentifierRow,
    OverrideRow,
    SourceRow,
    StudyDesignRow,
    StudyRow,
)

SPECIES = ("human", "animal", "in-vitro")


class StoreQueries(StoreBase):
    """The read half of the repository: every query, none of which writes."""

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
