"""What the repository hands back besides evidence records: write counts, condition summaries, overrides."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ldn_atlas.model import Override


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
