"""Shared fixtures.

Tests that read ``../shared`` (the article, the metafor oracle, Evidence
Inference data) take the ``shared_dir`` fixture: it skips cleanly when the folder
is absent, so a fresh clone passes.  CI sets ``LDN_ATLAS_REQUIRE_SHARED=1``,
which turns that skip into a failure, so the shared tests cannot silently stop
running there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
