"""Initial schema: meta, sources, studies, study_design, identifiers, claims, appraisals, overrides.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA_VERSION = "1"


def _document() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    meta = _create_meta()
    _create_sources()
    _create_studies()
    _create_study_design_and_identifiers()
    _create_claims_and_appraisals()
    _create_overrides()
    op.bulk_insert(meta, [{"key": "schema_version", "value": SCHEMA_VERSION}])


def _create_meta() -> sa.Table:
    meta = op.create_table(
        "meta",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_meta"),
    )
    return meta


def _create_sources() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("text_sha256", sa.String(64), nullable=True),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("document", _document(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sources"),
    )


def _create_studies() -> None:
    op.create_table(
        "studies",
        sa.Column("id", sa.String(200), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("condition_label", sa.String(200), nullable=False),
        sa.Column("condition_code", sa.String(32), nullable=True),
        sa.Column("species", sa.String(16), nullable=False),
        sa.Column("n", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("duration_days", sa.Float(), nullable=True),
        sa.Column("source_id", sa.String(200), nullable=True),
        sa.Column("primary_source", sa.String(200), nullable=True),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("document", _document(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_studies"),
    )
    op.create_index("ix_studies_condition_label", "studies", ["condition_label"])
    op.create_index("ix_studies_condition_code", "studies", ["condition_code"])
    op.create_index("ix_studies_species", "studies", ["species"])


def _create_study_design_and_identifiers() -> None:
    op.create_table(
        "study_design",
        sa.Column("study_id", sa.String(200), nullable=False),
        sa.Column("tag", sa.String(32), nullable=False),
        sa.ForeignKeyConstraint(
            ["study_id"], ["studies.id"], name="fk_study_design_study_id_studies", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("study_id", "tag", name="pk_study_design"),
    )
    op.create_index("ix_study_design_tag", "study_design", ["tag"])
    op.create_table(
        "identifiers",
        sa.Column("scheme", sa.String(32), nullable=False),
        sa.Column("value", sa.String(200), nullable=False),
        sa.Column("study_id", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(
            ["study_id"], ["studies.id"], name="fk_identifiers_study_id_studies", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("scheme", "value", "study_id", name="pk_identifiers"),
    )
    op.create_index("ix_identifiers_study_id", "identifiers", ["study_id"])


def _create_claims_and_appraisals() -> None:
    op.create_table(
        "claims",
        sa.Column("id", sa.String(200), nullable=False),
        sa.Column("source_id", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("verdict", sa.String(32), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("document", _document(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_claims"),
    )
    op.create_index("ix_claims_source_id", "claims", ["source_id"])
    op.create_index("ix_claims_verdict", "claims", ["verdict"])
    op.create_table(
        "appraisals",
        sa.Column("id", sa.String(200), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("certainty", sa.String(16), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("document", _document(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_appraisals"),
    )
    op.create_index("ix_appraisals_subject", "appraisals", ["subject"])


def _create_overrides() -> None:
    op.create_table(
        "overrides",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("appraisal_id", sa.String(200), nullable=False),
        sa.Column("target", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_overrides"),
    )
    op.create_index("ix_overrides_appraisal_id_target", "overrides", ["appraisal_id", "target"])


def downgrade() -> None:
    for table in (
        "overrides",
        "appraisals",
        "claims",
        "identifiers",
        "study_design",
        "studies",
        "sources",
        "meta",
    ):
        op.drop_table(table)
