"""Readers: files and records to :class:`~ldn_atlas.model.Source` objects with normalised text.

=================================  ===================================================
format                             reader
=================================  ===================================================
plain text, Markdown               :func:`read_text`
HTML page                          :func:`read_html` (main text via trafilatura)
PubMed/MEDLINE XML (``.gz`` too)   :func:`iter_pubmed` (streaming)
ClinicalTrials.gov API v2 JSON     :func:`read_ctgov` / :func:`study_from_ctgov`
=================================  ===================================================

:func:`iter_sources` dispatches on the file suffix and, for an unknown suffix, on
the first bytes; :func:`read_source` returns the one document a file holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ldn_atlas.errors import InputError
from ldn_atlas.model import Source
from ldn_atlas.sources.ctgov import is_ctgov_record, read_ctgov, study_from_ctgov
from ldn_atlas.sources.html import html_to_text, read_html
from ldn_atlas.sources.pubmed import iter_pubmed, read_pubmed, record_to_source
from ldn_atlas.sources.text import (
    DEFAULT_MAX_BYTES,
    normalise_text,
    read_text,
    sha256_text,
    text_source,
)

_TEXT = {".txt", ".text", ".md", ".markdown", ".rst"}
_HTML = {".html", ".htm", ".xhtml"}
_XML = {".xml", ".nxml"}


def detect_format(path: str | Path) -> str:
    """``text``, ``html``, ``pubmed`` or ``ctgov`` from the suffix, else from the first bytes.

    Raises
    ------
    InputError
        Missing file.
    """
    p = Path(path)
    suffixes = [s.lower() for s in p.suffixes]
    last = suffixes[-1] if suffixes else ""
    if last == ".gz":
        return "pubmed"
    if last in _TEXT:
        return "text"
    if last in _HTML:
        return "html"
    if last in _XML:
        return "pubmed"
    if last == ".json":
        return "ctgov"
    try:
        with p.open("rb") as fh:
            head = fh.read(2048)
    except FileNotFoundError:
        raise InputError("no such file", location=str(p)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", location=str(p)) from None
    if head[:2] == b"\x1f\x8b":
        return "pubmed"
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith((b"<!doctype html", b"<html")) or b"<body" in probe:
        return "html"
    if probe.startswith(b"<?xml") or probe.startswith(b"<pubmedarticle"):
        return "pubmed"
    if probe.startswith((b"{", b"[")):
        return "ctgov"
    return "text"


def iter_sources(
    path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, fmt: str | None = None
) -> Iterator[Source]:
    """Stream every document of a file as a :class:`Source` (one for text/HTML, many for XML/JSON).

    Raises
    ------
    InputError
        Unreadable, empty, binary, oversize or malformed input (one-line message).
    """
    fmt = fmt or detect_format(path)
    if fmt == "text":
        yield read_text(path, max_bytes=max_bytes)
    elif fmt == "html":
        yield read_html(path, max_bytes=max_bytes)
    elif fmt == "pubmed":
        yield from iter_pubmed(path)
    elif fmt == "ctgov":
        for source, _study in read_ctgov(path, max_bytes=max_bytes):
            yield source
    else:
        raise InputError(f"unknown format {fmt!r}", location=str(path))


def read_source(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, fmt: str | None = None) -> Source:
    """Read the single document a file holds.

    Raises
    ------
    InputError
        As :func:`iter_sources`, or when the file holds more than one record.
    """
    it = iter_sources(path, max_bytes=max_bytes, fmt=fmt)
    first = next(it)
    for _extra in it:
        raise InputError(
            "file holds more than one record; use iter_sources() to stream them", location=str(path)
        )
    return first


__all__ = [
    "DEFAULT_MAX_BYTES",
    "detect_format",
    "html_to_text",
    "is_ctgov_record",
    "iter_pubmed",
    "iter_sources",
    "normalise_text",
    "read_ctgov",
    "read_html",
    "read_pubmed",
    "read_source",
    "read_text",
    "record_to_source",
    "sha256_text",
    "study_from_ctgov",
    "text_source",
]
