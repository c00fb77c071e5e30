"""Shared fixtures.

Tests that read ``../shared`` (the article, the metafor oracle, Evidence
Inference data) take the ``shared_dir`` fixture: it skips cleanly when the folder
is absent, so a fresh clone passes.  CI sets ``LDN_ATLAS_REQUIRE_SHARED=1``,
which turns that skip into a failure, so the shared tests cannot silently stop
running there.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

# CI runs the property tests on a fixed seed (HYPOTHESIS_PROFILE=ci in .ci/run), so a landing
# never depends on luck; local runs keep exploring new examples, and what they find is pinned
# with @example.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("HYPOTHESIS_PROFILE"):
    hypothesis_settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = Path(os.environ.get("LDN_ATLAS_SHARED", REPO_ROOT.parent / "shared"))


def shared_path(*parts: str) -> Path:
    """Path under ``../shared``; skips the calling test (or fails on CI) when it is absent."""
    path = SHARED_DIR.joinpath(*parts)
    if not path.exists():
        if os.environ.get("LDN_ATLAS_REQUIRE_SHARED") == "1":
            pytest.fail(f"{path} is missing but LDN_ATLAS_REQUIRE_SHARED=1")
        pytest.skip(f"{path} not present (../shared is absent)")
    return path


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return shared_path()


@pytest.fixture(scope="session")
def article_path() -> Path:
    return shared_path("corpus", "000_8ba770466c0a1f04.txt")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Any]:
    """A throwaway PostgreSQL server for the session (see tests/store_support.py).

    Skips when PostgreSQL is unavailable; fails instead when LDN_ATLAS_REQUIRE_POSTGRES=1.
    """
    from tests.store_support import PostgresUnavailableError, start_postgres

    try:
        server = start_postgres()
    except PostgresUnavailableError as exc:
        if os.environ.get("LDN_ATLAS_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required (LDN_ATLAS_REQUIRE_POSTGRES=1) but unavailable: {exc}")
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh, empty store on each backend: a SQLite file, and a new PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "atlas.db")
        return
    yield request.getfixturevalue("postgres_server").fresh_database()
