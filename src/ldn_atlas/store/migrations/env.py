"""Alembic environment of the LDN Atlas store.

Run programmatically by :func:`ldn_atlas.store.migrate.upgrade`: the caller
puts an open SQLAlchemy connection in ``config.attributes["connection"]``, so
users need no ``alembic.ini``.  Developers can create a new revision with::

    python -m ldn_atlas.store.migrate revision -m "what changes"
"""

from __future__ import annotations

from alembic import context

from ldn_atlas.store.schema import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached if someone runs plain `alembic`
    raise RuntimeError("run migrations through ldn_atlas.store.migrate, which passes a connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
