"""The store's connection: opening (and migrating) a database, guarded connections, records read back.

:class:`StoreBase` holds what every part of the repository relies on; the
writes, overrides and queries of :class:`~ldn_atlas.store.repository.Store` are
mixins over it, each in its own module.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from types import TracebackType
from typing import Any, Self, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import Engine, select
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from ldn_atlas.errors import StoreError
from ldn_atlas.store import migrate
from ldn_atlas.store.conditions import ConditionTerm, load_vocabulary
from ldn_atlas.store.engine import Guard, begin_write, create_store_engine, first_line
from ldn_atlas.store.schema import Meta
from ldn_atlas.store.url import display_url, resolve_url

BATCH_SIZE = 500

R = TypeVar("R", bound=BaseModel)


class StoreBase:
    """A connection to one store: its URL, engine and schema revision (see :class:`~ldn_atlas.store.Store`)."""

    def __init__(
        self,
        url_or_path: str | URL | None = None,
        *,
        migrate: bool = True,
        vocabulary: Sequence[ConditionTerm] | None = None,
    ) -> None:
        self.url: URL = resolve_url(url_or_path)
        self.display = display_url(self.url)
        self.engine: Engine = create_store_engine(self.url)
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
            raise StoreError(f"cannot open the store at {self.display}: {first_line(exc)}") from exc
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
        return Guard(self.display, self.engine.connect())

    def _write(self) -> Any:
        return Guard(self.display, begin_write(self.engine))

    # -- meta ----------------------------------------------------------------------------------------

    def schema_version(self) -> str:
        """The store's schema version (``meta.schema_version``)."""
        with self._read() as conn:
            value = conn.scalar(select(Meta.value).where(Meta.key == "schema_version"))
        if value is None:  # pragma: no cover - the initial migration writes it
            raise StoreError(f"the store at {self.display} has no schema_version")
        return str(value)

    @property
    def vocabulary(self) -> Sequence[ConditionTerm]:
        """The condition terms ``condition=`` filters match by synonym (loaded on first use)."""
        if self._vocabulary is None:
            self._vocabulary = load_vocabulary()
        return self._vocabulary

    def _record(self, model: type[R], document: Any) -> R:
        if isinstance(document, str):  # a driver that hands JSON back as text
            document = json.loads(document)
        try:
            return model.model_validate(document)
        except ValidationError as exc:
            ident = document.get("id") if isinstance(document, dict) else None
            raise StoreError(
                f"the store at {self.display} holds an invalid {model.__name__} {ident!r}: "
                f"{first_line(exc)}; reload it with `ldn-atlas db load`"
            ) from exc
