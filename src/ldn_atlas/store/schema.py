"""The relational schema of the store (SQLAlchemy 2 typed declarative mapping).

Every record of the evidence model is kept whole, as its JSON document
(``document``; JSONB on PostgreSQL, JSON text on SQLite), beside a few columns
copied out of it for filtering and ordering.  The document is the truth; the
columns are indexes into it and are rewritten with it.  ``content_sha256`` is
the SHA-256 of the document's canonical JSON, so an upsert of an unchanged
record is recognised and writes nothing.

The tables:

``meta``
    key/value facts about the store, among them ``schema_version``.
``sources``
    :class:`~ldn_atlas.model.Source` records.
``studies``
    :class:`~ldn_atlas.model.Study` records.
``study_design``
    one row per (study, design tag), for filtering by design.
``identifiers``
    one row per (scheme, value, study): ``pmid``, ``nct``, ``doi``, ``pmcid``
    and other registry identifiers of a study's citation.
``claims``, ``appraisals``
    :class:`~ldn_atlas.model.Claim` and :class:`~ldn_atlas.model.Appraisal`.
``overrides``
    a reviewer's override of one judgement of an appraisal: who, when, why.

Alembic migrations in :mod:`ldn_atlas.store.migrations` create exactly this
schema; a test compares the migrated database with this metadata.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

#: JSON document column: JSONB on PostgreSQL, JSON (text) elsewhere.
Document = JSON().with_variant(JSONB(), "postgresql")

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a naming convention, so constraint names are stable across backends."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Meta(Base):
    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SourceRow(Base):
    __tablename__ = "sources"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    text_sha256: Mapped[str | None] = mapped_column(String(64))
    content_sha256: Mapped[str] = mapped_column(String(64))
    document: Mapped[dict[str, Any]] = mapped_column(Document)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StudyRow(Base):
    __tablename__ = "studies"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    label: Mapped[str] = mapped_column(Text)
    condition_label: Mapped[str] = mapped_column(String(200), index=True)
    condition_code: Mapped[str | None] = mapped_column(String(32), index=True)
    species: Mapped[str] = mapped_column(String(16), index=True)
    n: Mapped[int | None] = mapped_column(Integer)
    year: Mapped[int | None] = mapped_column(Integer)
    duration_days: Mapped[float | None] = mapped_column(Float)
    source_id: Mapped[str | None] = mapped_column(String(200))
    primary_source: Mapped[str | None] = mapped_column(String(200))
    content_sha256: Mapped[str] = mapped_column(String(64))
    document: Mapped[dict[str, Any]] = mapped_column(Document)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    design: Mapped[list[StudyDesignRow]] = relationship(
        back_populates="study", cascade="all, delete-orphan", passive_deletes=True
    )
    identifiers: Mapped[list[IdentifierRow]] = relationship(
        back_populates="study", cascade="all, delete-orphan", passive_deletes=True
    )


class StudyDesignRow(Base):
    __tablename__ = "study_design"

    study_id: Mapped[str] = mapped_column(
        String(200), ForeignKey("studies.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)

    study: Mapped[StudyRow] = relationship(back_populates="design")


class IdentifierRow(Base):
    __tablename__ = "identifiers"

    scheme: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), primary_key=True)
    study_id: Mapped[str] = mapped_column(
        String(200), ForeignKey("studies.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    study: Mapped[StudyRow] = relationship(back_populates="identifiers")


class ClaimRow(Base):
    __tablename__ = "claims"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    source_id: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    verdict: Mapped[str] = mapped_column(String(32), index=True)
    content_sha256: Mapped[str] = mapped_column(String(64))
    document: Mapped[dict[str, Any]] = mapped_column(Document)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AppraisalRow(Base):
    __tablename__ = "appraisals"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    subject: Mapped[str] = mapped_column(String(200), index=True)
    outcome: Mapped[str] = mapped_column(Text)
    certainty: Mapped[str] = mapped_column(String(16))
    content_sha256: Mapped[str] = mapped_column(String(64))
    document: Mapped[dict[str, Any]] = mapped_column(Document)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OverrideRow(Base):
    __tablename__ = "overrides"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    appraisal_id: Mapped[str] = mapped_column(String(200))
    target: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_overrides_appraisal_id_target", "appraisal_id", "target"),)


__all__ = [
    "AppraisalRow",
    "Base",
    "ClaimRow",
    "IdentifierRow",
    "Meta",
    "OverrideRow",
    "SourceRow",
    "StudyDesignRow",
    "StudyRow",
]
