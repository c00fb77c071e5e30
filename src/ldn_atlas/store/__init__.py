"""The evidence store: SQLAlchemy 2 over SQLite (default) or PostgreSQL, with Alembic migrations.

The public API is the repository (:func:`open_store`, :class:`Store`) and the
loading service (:func:`load_into`, :func:`ensure_loaded`); the CLI,
the report and the web layer call these and never write SQL.
"""

from ldn_atlas.store.repository import (
    ConditionSummary,
    Store,
    StoredOverride,
    UpsertCounts,
    UpsertResult,
    content_sha256,
    open_store,
)
from ldn_atlas.store.service import (
    LoadResult,
    embedded_base_path,
    ensure_loaded,
    load_into,
    read_evidence,
    validate_and_load,
)
from ldn_atlas.store.url import default_store_path, resolve_url

__all__ = [
    "ConditionSummary",
    "LoadResult",
    "Store",
    "StoredOverride",
    "UpsertCounts",
    "UpsertResult",
    "content_sha256",
    "default_store_path",
    "embedded_base_path",
    "ensure_loaded",
    "load_into",
    "open_store",
    "read_evidence",
    "resolve_url",
    "validate_and_load",
]
