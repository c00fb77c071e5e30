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

:class:`Store` is assembled from one mixin per concern: the connection
(:mod:`~ldn_atlas.store.base`), writes (:mod:`~ldn_atlas.store.writes`),
overrides (:mod:`~ldn_atlas.store.overrides`) and queries
(:mod:`~ldn_atlas.store.queries`); rows and hashes are in
:mod:`~ldn_atlas.store.rows`, the returned types in :mod:`~ldn_atlas.store.records`,
engines in :mod:`~ldn_atlas.store.engine`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import URL

from ldn_atlas.model import Appraisal, Claim, Source, Study
from ldn_atlas.store.base import BATCH_SIZE as BATCH_SIZE
from ldn_atlas.store.conditions import ConditionTerm
from ldn_atlas.store.overrides import StoreOverrides
from ldn_atlas.store.queries import SPECIES as SPECIES
from ldn_atlas.store.queries import StoreQueries
from ldn_atlas.store.records import ConditionSummary, StoredOverride, UpsertCounts, UpsertResult
from ldn_atlas.store.rows import canonical_json, content_sha256, study_identifiers
from ldn_atlas.store.schema import AppraisalRow, ClaimRow, Meta, SourceRow, StudyRow
from ldn_atlas.store.writes import StoreWrites

EXPORT_FORMAT = "ldn-atlas-store"


class Store(StoreWrites, StoreOverrides, StoreQueries):
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
