"""Engines and connections: SQLite and PostgreSQL engines, write transactions, one-line database errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import StaticPool

from ldn_atlas.errors import StoreError


@contextmanager
def begin_write(engine: Engine) -> Iterator[Connection]:
    """A write transaction.  On SQLite it starts with ``BEGIN IMMEDIATE``, taking the write
    lock up front, so concurrent writers wait for each other (busy timeout) instead of
    failing when a read lock cannot be upgraded."""
    with engine.connect() as conn:
        conn = conn.execution_options(ldn_atlas_write=True)
        with conn.begin():
            yield conn


class Guard:
    """Wraps a connection context so database errors surface as one-line StoreErrors."""

    def __init__(self, display: str, context: Any) -> None:
        self._display = display
        self._context = context

    def __enter__(self) -> Connection:
        try:
            return self._context.__enter__()
        except SQLAlchemyError as exc:
            raise StoreError(
                f"cannot connect to the store at {self._display}: {first_line(exc)}"
            ) from exc

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            self._context.__exit__(exc_type, exc, tb)
        except SQLAlchemyError as err:
            raise StoreError(f"the store at {self._display} failed: {first_line(err)}") from err
        if isinstance(exc, SQLAlchemyError):
            raise StoreError(f"the store at {self._display} failed: {first_line(exc)}") from exc


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def create_store_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        database = url.database
        if database and database != ":memory:" and not database.startswith("file:"):
            from pathlib import Path

            try:
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the directory of the store {database}: {exc}") from exc
            engine = create_engine(url, connect_args={"timeout": 30})
        else:
            engine = create_engine(url, connect_args={"check_same_thread": False}, poolclass=StaticPool)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            # Let SQLAlchemy, not the sqlite3 module, delimit transactions, so a
            # transaction covers reads, DDL and writes alike (SQLAlchemy docs,
            # "Serializable isolation / Savepoints / Transactional DDL").
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Connection) -> None:
            write = connection.get_execution_options().get("ldn_atlas_write", False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True)
