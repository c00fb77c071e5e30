"""Services: what the CLI and the web app call.

A service opens the store, loads the embedded evidence base when the store is
empty, and hands records to the later stages (statistics, appraisal,
rendering).  The CLI and the web routers stay thin: they parse, call one of
these functions, and render.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ldn_atlas.model import Source
from ldn_atlas.report import AtlasView, WrittenReport, build_atlas, write_report
from ldn_atlas.store import Store

SHARED_ENV = "LDN_ATLAS_SHARED"


def shared_dirs() -> list[Path]:
    """Folders where texts of known sources may be found: ``$LDN_ATLAS_SHARED``, then ``./shared``, ``../shared``."""
    candidates = []
    if os.environ.get(SHARED_ENV):
        candidates.append(Path(os.environ[SHARED_ENV]))
    candidates += [Path.cwd() / "shared", Path.cwd().parent / "shared"]
    return [c for c in candidates if c.is_dir()]


def source_texts(sources: Iterable[Source], search: Iterable[Path] | None = None) -> dict[str, str]:
    """Texts of sources that are available locally, checked against their recorded sha256.

    The embedded base does not ship third-party texts (the article it starts
    from, for one).  A source whose ``metadata.shared_path`` names a file under
    one of the ``search`` folders, and whose SHA-256 matches, is read so that
    pages can quote the words each span points to.  A text whose hash differs
    is ignored: offsets into a different text would point at the wrong words.
    """
    folders = list(search) if search is not None else shared_dirs()
    found: dict[str, str] = {}
    for source in sources:
        if source.text:
            found[source.id] = source.text
            continue
        relative = source.metadata.get("shared_path") if source.metadata else None
        if not isinstance(relative, str):
            continue
        for folder in folders:
            path = folder / relative
            if not path.is_file():
                continue
            text = path.read_text(encoding="utf-8")
            if source.sha256 is None or hashlib.sha256(text.encode("utf-8")).hexdigest() == source.sha256:
                found[source.id] = text
                break
    return found


def atlas_from_store(
    store: Store,
    *,
    texts: Mapping[str, str] | None = None,
    syntheses: Iterable[Any] = (),
    audits: Iterable[Any] = (),
) -> AtlasView:
    """The atlas view of everything in the store."""
    studies = list(store.iter_studies())
    sources = store.list_sources()
    if texts is None:
        texts = source_texts(sources)
    return build_atlas(studies, sources, texts=texts, syntheses=list(syntheses), audits=list(audits))


def build_report(store: Store, out_dir: Path) -> tuple[AtlasView, WrittenReport]:
    """Build the static report of the store into ``out_dir``."""
    atlas = atlas_from_store(store)
    return atlas, write_report(atlas, out_dir)
