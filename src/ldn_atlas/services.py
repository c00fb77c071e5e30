"""Services: what the CLI and the web app call.

A service opens the store, loads the embedded evidence base when the store is
empty, and hands records to the later stages (statistics, appraisal,
rendering).  The CLI and the web routers stay thin: they parse, call one of
these functions, and render.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ldn_atlas.model import Source, Study
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
    studies: Sequence[Study] | None = None,
    sources: Sequence[Source] | None = None,
) -> AtlasView:
    """The atlas view of everything in the store (``studies``/``sources``: already read from it)."""
    studies = list(store.iter_studies()) if studies is None else list(studies)
    sources = store.list_sources() if sources is None else list(sources)
    if texts is None:
        texts = source_texts(sources)
    return build_atlas(studies, sources, texts=texts, syntheses=list(syntheses), audits=list(audits))


def build_report(store: Store, out_dir: Path, *, audit_sources: bool = True) -> tuple[AtlasView, WrittenReport]:
    """Build the static report of the store into ``out_dir``.

    The report holds the evidence matrix, a page per condition (with its
    summary-of-findings table), per study and per synthesis (with its forest
    plot), and, for each article source whose text is available locally (the
    article the evidence base starts from, read from ``../shared``), the audit
    of its claims against the store's own studies and sources (not the embedded
    base, so a store with more or corrected studies is audited against them).
    """
    studies = list(store.iter_studies())
    sources = store.list_sources()
    texts = source_texts(sources)
    syntheses = syntheses_from_store(store, studies=studies)
    audits = []
    if audit_sources:
        from ldn_atlas.appraise.audit import audit_source
        from ldn_atlas.sources import text_source

        for source in sources:
            if source.kind == "article" and source.id in texts:
                normalised = text_source(texts[source.id], source_id=source.id, title=source.title)
                audits.append(audit_source(normalised, raw_text=texts[source.id], studies=studies, sources=sources))
    atlas = atlas_from_store(store, texts=texts, syntheses=syntheses.syntheses, audits=audits,
                             studies=studies, sources=sources)
    return atlas, write_report(atlas, out_dir)


def syntheses_from_store(store: Store, *, studies: Sequence[Study] | None = None) -> Any:
    """Every synthesis of the store's studies (appraisal stage), reviewer overrides applied.

    ``studies``: the store's studies when the caller has already read them.
    """
    from ldn_atlas.appraise.synthesis import synthesise

    return synthesise(list(store.iter_studies()) if studies is None else list(studies), overrides=store)


UPLOAD_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".xml")


def source_from_upload(filename: str, data: bytes, *, source_id: str = "upload") -> Source:
    """A :class:`Source` from uploaded bytes (text, HTML or PubMed XML), read in memory, never stored.

    Raises
    ------
    InputError
        Empty, binary or malformed content, or an unsupported file type.
    """
    import io

    from ldn_atlas.errors import InputError
    from ldn_atlas.sources import html_to_text, iter_pubmed, text_source
    from ldn_atlas.sources.text import decode_bytes, looks_binary

    suffix = Path(filename).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise InputError(f"unsupported file type {suffix or '(none)'!r}; upload .txt, .html or .xml",
                         location=filename)
    if not data.strip():
        raise InputError("the file is empty", location=filename)
    if suffix == ".xml":
        for source in iter_pubmed(io.BytesIO(data), location=filename):
            return source
        raise InputError("no PubmedArticle record in the XML", location=filename)
    if looks_binary(data):
        raise InputError("this looks like a binary file, not text", location=filename)
    text = decode_bytes(data, filename)
    if suffix in (".html", ".htm"):
        body, title, _ = html_to_text(text, location=filename)
        return text_source(body, source_id=source_id, title=title)
    return text_source(text, source_id=source_id)


def audit_text(text: str, *, source_id: str = "pasted-text", studies: Sequence[Study] | None = None,
               sources: Sequence[Source] | None = None) -> Any:
    """Audit pasted text against ``studies``/``sources`` (default: the embedded evidence base); nothing is stored."""
    from ldn_atlas.appraise.audit import audit_source
    from ldn_atlas.sources import text_source

    source = text_source(text, source_id=source_id)
    return audit_source(source, raw_text=text, studies=studies, sources=sources)


def audit_upload(filename: str, data: bytes, *, studies: Sequence[Study] | None = None,
                 sources: Sequence[Source] | None = None) -> Any:
    """Audit an uploaded file (text, HTML or PubMed XML) like :func:`audit_text`; nothing is stored."""
    from ldn_atlas.appraise.audit import audit_source

    source = source_from_upload(filename, data)
    raw = data.decode("utf-8", errors="replace") if Path(filename).suffix.lower() in (".txt", ".md", ".text") else None
    return audit_source(source, raw_text=raw, studies=studies, sources=sources)
