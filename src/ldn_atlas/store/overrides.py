"""Reviewers' overrides of appraisal judgements: recorded with who, when and why, kept as an audit trail."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select

from ldn_atlas.errors import InputError
from ldn_atlas.model import Override
from ldn_atlas.store.base import StoreBase
from ldn_atlas.store.records import StoredOverride
from ldn_atlas.store.rows import utc
from ldn_atlas.store.schema import OverrideRow


class StoreOverrides(StoreBase):
    """Adding and listing overrides; the newest override of a judgement is the one in force."""

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
        when = utc(at) if at is not None else datetime.now(UTC)
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
                override=Override(by=row["by"], at=utc(row["at"]), reason=row["reason"], value=row["value"]),
            )
            for row in rows
        ]

    def latest_override(self, appraisal_id: str, target: str) -> StoredOverride | None:
        """The override in force for one judgement: the newest one, or ``None``."""
        items = self.list_overrides(appraisal_id, target)
        return items[-1] if items else None
