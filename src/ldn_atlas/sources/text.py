"""Plain text and Markdown: decoding, normalisation and the shared text helpers.

Every reader returns a :class:`~ldn_atlas.model.Source` whose ``text`` is the
*normalised* text, and every span of the extractor points into that text.  The
normalisation is deliberately small and documented so that another tool can
reproduce the offsets:

1. Unicode NFC;
2. line breaks ``\\r\\n`` and ``\\r`` become ``\\n``;
3. curly quotes and primes become ASCII (``’ ‘ ‚ ′`` → ``'``; ``“ ” „ ″`` → ``"``); the
   hyphen, non-breaking hyphen, figure dash and minus sign become ``-`` (en and em dashes stay);
   non-breaking and other Unicode spaces and tabs become a plain space;
   zero-width characters and the byte-order mark are removed;
4. runs of spaces collapse to one space; spaces at the start and end of a line go;
5. three or more line breaks collapse to a blank line (two ``\\n``); the whole
   text is stripped.

``sha256`` is the SHA-256 of the UTF-8 encoding of that normalised text.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import warnings
from pathlib import Path

from ldn_atlas.errors import DecodingWarning, InputError
from ldn_atlas.model import Citation, Source

#: Files larger than this are refused by the text and HTML readers (bytes).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2212": "-",
        "\u00ad": None,
        "\t": " ",
        "\u00a0": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2004": " ",
        "\u2005": " ",
        "\u2006": " ",
        "\u2007": " ",
        "\u2008": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u202f": " ",
        "\u205f": " ",
        "\u3000": " ",
        "\x0b": " ",
        "\x0c": " ",
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
    }
)
_SPACES = re.compile(r" {2,}")
_LINE_EDGES = re.compile(r"^ | $", re.MULTILINE)
_BLANKS = re.compile(r"\n{3,}")


def normalise_text(text: str) -> str:
    """Return the normalised form of ``text`` that all spans point into.

    >>> normalise_text("  The term \u201d CRPS \u201d\\r\\n\\n\\n\\nnext\u00a0\u00a0line ")
    'The term " CRPS "\\n\\nnext line'
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_QUOTES)
    text = _SPACES.sub(" ", text)
    text = _LINE_EDGES.sub("", text)
    text = _BLANKS.sub("\n\n", text)
    return text.strip()


def sha256_text(text: str) -> str:
    """SHA-256 hex digest of the UTF-8 encoding of ``text``."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_ID_BAD = re.compile(r"[^a-z0-9._-]+")


def source_id_for(path: str | Path) -> str:
    """A stable slug for a file: its lower-cased stem with other characters turned into ``-``.

    >>> source_id_for("/x/000_8BA770466c0a1f04.txt")
    '000_8ba770466c0a1f04'
    """
    stem = Path(path).name.split(".")[0].lower()
    slug = _ID_BAD.sub("-", stem).strip("-._")
    return slug or "source"


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not text: a NUL byte, or many control characters, in the first 8 KiB."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    if not head:
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(head) > 0.1


def decode_bytes(data: bytes, location: str) -> str:
    """Decode UTF-8 (a BOM is dropped); invalid bytes are replaced with a :class:`DecodingWarning`."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        warnings.warn(
            DecodingWarning(
                f"{location}: not valid UTF-8 (first bad byte at offset {exc.start}); "
                f"decoded with {bad} replacement character(s)"
            ),
            stacklevel=3,
        )
        return text


def read_bytes(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a whole (small) file with the checks every text reader shares.

    Raises
    ------
    InputError
        Missing, unreadable, empty, too large or binary file.
    """
    p = Path(path)
    location = str(p)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise InputError("no such file", location=location) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", location=location) from None
    if p.is_dir():
        raise InputError("is a directory, not a file", location=location)
    if size > max_bytes:
        raise InputError(
            f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit for a single document "
            "(split it, or raise the limit with --max-mb)",
            location=location,
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", location=location) from None
    if not data.strip():
        raise InputError("empty file", location=location)
    if looks_binary(data):
        raise InputError("binary file, not text", location=location)
    return data


def _first_heading(text: str) -> str | None:
    """The first line of four or more words among the first five lines (else the first line)."""
    lines = [ln.strip().lstrip("#").strip() for ln in text.split("\n", 12)[:12]]
    lines = [ln for ln in lines if ln][:5]
    for line in lines:
        if len(line.split()) >= 4:
            return line[:300]
    return lines[0][:300] if lines else None


_MD_MARKUP = re.compile(r"^#{1,6} |^> |(?<!\w)[*_]{1,3}(?=\w)|(?<=\w)[*_]{1,3}(?!\w)", re.MULTILINE)
_MD_LINK = re.compile(r"\[([^\]\n]{0,500})\]\(([^)\s]{0,2000})\)")


def strip_markdown(text: str) -> str:
    """Remove the light Markdown markup (headings, emphasis, links) so prose reads as prose.

    >>> strip_markdown("## Results\\n**LDN** helped, see [the trial](http://x.org).")
    'Results\\nLDN helped, see the trial.'
    """
    text = _MD_LINK.sub(r"\1", text)
    return _MD_MARKUP.sub("", text)


def looks_like_abstract(text: str) -> bool:
    """Heuristic: a short text of at most three paragraphs, or one with structured-abstract labels."""
    if re.match(r"(?:TITLE:|BACKGROUND:|OBJECTIVES?:|PURPOSE:|INTRODUCTION:|ABSTRACT)", text):
        return True
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return len(text) <= 3500 and len(paragraphs) <= 3


def text_source(
    text: str,
    *,
    source_id: str,
    kind: str | None = None,
    title: str | None = None,
    url: str | None = None,
    citation: Citation | None = None,
    metadata: dict[str, object] | None = None,
) -> Source:
    """Build a :class:`Source` from raw text: normalise, hash, pick the kind."""
    norm = normalise_text(text)
    if not norm:
        raise InputError("no text after normalisation", location=source_id)
    if kind is None:
        kind = "abstract" if looks_like_abstract(norm) else "article"
    return Source(
        id=source_id,
        kind=kind,
        title=title if title is not None else _first_heading(norm),
        url=url,
        citation=citation,
        sha256=sha256_text(norm),
        text=norm,
        metadata=metadata or {},
    )


def read_text(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, kind: str | None = None) -> Source:
    """Read a plain-text or Markdown file into a :class:`Source`.

    Parameters
    ----------
    path
        The file. ``.md``/``.markdown`` files have their light markup removed.
    max_bytes
        Refuse larger files (a single document; large corpora go through the streaming readers).
    kind
        ``article`` or ``abstract``; by default a short text is an abstract, a longer one an article.
    """
    p = Path(path)
    text = decode_bytes(read_bytes(p, max_bytes=max_bytes), str(p))
    if p.suffix.lower() in {".md", ".markdown"}:
        text = strip_markdown(text)
    return text_source(
        text, source_id=source_id_for(p), kind=kind, metadata={"path": str(p), "format": "text"}
    )
