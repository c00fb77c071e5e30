"""Alembic migrations, run programmatically (users need no ``alembic.ini``).

The migration scripts ship inside the package, in
``ldn_atlas/store/migrations/versions``.  :func:`upgrade` brings a database to
the newest revision; :func:`ldn_atlas.store.open_store` calls it whenever it
opens a store that is behind, and ``ldn-atlas db init`` calls it explicitly.

Developers add a revision with::

    python -m ldn_atlas.store.migrate revision -m "add a column"

which autogenerates the difference between the newest revision and
:mod:`ldn_atlas.store.schema` against a scratch SQLite database.
"""

from __future__ import annotations

import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, text

from ldn_atlas.errors import StoreError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_LOCK_KEY = 0x1D_A71A5  # advisory lock id of ldn-atlas migrations (PostgreSQL)


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration pointing at the packaged scripts, optionally bound to a connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision of the packaged migration scripts."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships a revision
        raise StoreError(f"no migration scripts found in {MIGRATIONS_DIR}")
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision a database is at, ``None`` for a database without the store's tables."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the database behind ``engine`` to the newest revision, in one transaction.

    Returns
    -------
    (before, after)
        The revision before (``None`` for a new store) and after the upgrade.

    Raises
    ------
    StoreError
        When the database is at a revision this version of LDN Atlas does not
        know (it was written by a newer version), or the migration fails.
    """
    head = head_revision()
    script = ScriptDirectory.from_config(alembic_config())
    with engine.connect() as connection:
        if current_revision(connection) == head:  # the common case: a plain read, no lock
            return head, head
    with engine.connect() as connection, connection.execution_options(ldn_atlas_write=True).begin():
        # One migrator at a time: on SQLite the write flag makes the transaction
        # BEGIN IMMEDIATE (see engine.create_store_engine); on PostgreSQL a
        # transaction-scoped advisory lock serialises concurrent openers.
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        before = current_revision(connection)
        if before == head:
            return before, head
        if before is not None:
            try:
                script.get_revision(before)
            except Exception:
                raise StoreError(
                    f"the store is at schema revision {before!r}, which this version of ldn-atlas "
                    f"does not know (newest: {head!r}); upgrade ldn-atlas"
                ) from None
        try:
            command.upgrade(alembic_config(connection), "head")
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"migrating the store from {before!r} to {head!r} failed: {exc}") from exc
    return before, head


def _revision(message: str) -> None:  # pragma: no cover - developer tool
    engine = create_engine("sqlite://")
    upgrade(engine)
    with engine.begin() as connection:
        command.revision(alembic_config(connection), message=message, autogenerate=True)


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - developer tool
    """``python -m ldn_atlas.store.migrate revision -m MESSAGE``: autogenerate a new revision."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m ldn_atlas.store.migrate")
    sub = parser.add_subparsers(dest="command", required=True)
    rev = sub.add_parser("revision", help="autogenerate a revision from ldn_atlas.store.schema")
    rev.add_argument("-m", "--message", required=True)
    sub.add_parser("heads", help="print the newest revision")
    args = parser.parse_args(argv)
    if args.command == "revision":
        _revision(args.message)
    else:
        print(head_revision())
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
