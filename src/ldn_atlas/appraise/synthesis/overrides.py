"""Reviewer overrides of GRADE judgements: those in force for a synthesis (from a mapping or read lazily
from a store), and the validation of a new one before it is stored."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from ldn_atlas.appraise.grade import CERTAINTIES, DOMAINS, EvidenceBody, apply_override, overrides_from_store
from ldn_atlas.errors import InputError
from ldn_atlas.model.evidence import DomainRating, Override

#: Overrides per appraisal id, each a mapping from a GRADE domain (or ``certainty``) to the override.
Overrides = Mapping[str, Mapping[str, Override]]


def overrides_for(overrides: Overrides, body: EvidenceBody, synthesis_id: str) -> Mapping[str, Override] | None:
    """The overrides of one appraisal: by its appraisal id, else by the synthesis id."""
    return overrides.get(body.appraisal_id) or overrides.get(synthesis_id)


class StoreOverrides(Mapping[str, Mapping[str, Override]]):
    """Reviewer overrides read lazily from a store (anything with ``list_overrides(appraisal_id)``)."""

    def __init__(self, store: object) -> None:
        self._store = store
        self._cache: dict[str, dict[str, Override]] = {}

    def __getitem__(self, key: str) -> Mapping[str, Override]:
        if key not in self._cache:
            self._cache[key] = overrides_from_store(self._store, key)
        return self._cache[key]

    def get(self, key: str, default: Any = None) -> Any:
        found = self[key]
        return found if found else default

    def __iter__(self) -> Any:
        return iter(self._cache)

    def __len__(self) -> int:
        return 1  # truthy: overrides may exist for any appraisal


def check_override(target: str, value: str, *, by: str, reason: str) -> None:
    """Raise :class:`~ldn_atlas.errors.InputError` unless ``value`` is a valid override of ``target``.

    ``target`` is a GRADE domain (its value a change in levels, ``-2`` to ``2``) or ``certainty`` (its
    value one of the certainties).
    """
    probe = Override(by=by or "?", at=datetime.now(UTC), reason=reason or "?", value=str(value))
    if target == "certainty":
        if str(value).strip().lower() not in CERTAINTIES:
            raise InputError(f"certainty must be one of {', '.join(CERTAINTIES)}, got {value!r}", field="value")
    elif target in DOMAINS:
        apply_override(DomainRating(domain=target, change=0), probe)
    else:
        raise InputError(f"unknown target {target!r}; use certainty or one of {', '.join(DOMAINS)}", field="target")
