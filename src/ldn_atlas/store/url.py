"""Where the store lives: the default SQLite file and the parsing of ``--db`` values."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from ldn_atlas.errors import StoreError

SUPPORTED_BACKENDS = ("sqlite", "postgresql")


def default_store_path() -> Path:
    """The default SQLite file: ``$XDG_DATA_HOME/ldn-atlas/atlas.db`` (``~/.local/share/...``).

    Examples
    --------
    >>> default_store_path().name
    'atlas.db'
    """
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "ldn-atlas" / "atlas.db"


def resolve_url(url_or_path: str | os.PathLike[str] | URL | None) -> URL:
    """Turn a ``--db`` value into a SQLAlchemy URL.

    Parameters
    ----------
    url_or_path
        ``None`` (the default SQLite file), a filesystem path (a SQLite file),
        ``:memory:``, or a SQLAlchemy URL such as ``sqlite:///atlas.db`` or
        ``postgresql+psycopg://user@host/db``.  A plain ``postgresql://`` or
        ``postgres://`` URL uses psycopg 3.

    Returns
    -------
    sqlalchemy.engine.URL

    Raises
    ------
    StoreError
        When the URL cannot be parsed or names a backend other than SQLite or PostgreSQL.

    Examples
    --------
    >>> resolve_url("postgresql://atlas@localhost/atlas").drivername
    'postgresql+psycopg'
    >>> resolve_url("/tmp/x.db").render_as_string()
    'sqlite:////tmp/x.db'
    """
    if url_or_path is None:
        url_or_path = default_store_path()
    if isinstance(url_or_path, URL):
        url = url_or_path
    else:
        text = os.fspath(url_or_path)
        if text == ":memory:":
            return make_url("sqlite://")
        if "://" not in text:
            return URL.create("sqlite", database=str(Path(text).expanduser().resolve()))
        if text.startswith("postgres://"):
            text = "postgresql://" + text[len("postgres://") :]
        try:
            url = make_url(text)
        except ArgumentError as exc:
            raise StoreError(f"cannot parse store URL {text!r}: {exc}") from None
    if url.get_backend_name() not in SUPPORTED_BACKENDS:
        raise StoreError(
            f"unsupported store backend {url.get_backend_name()!r} in {url.render_as_string()!r}; "
            "use a SQLite path or a postgresql+psycopg:// URL"
        )
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url


def display_url(url: URL) -> str:
    """The URL as a user should see it: a SQLite file as its path, passwords hidden."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)
