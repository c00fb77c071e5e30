"""HTML pages: the main text only, via trafilatura.

trafilatura (Barbaresi 2021) finds the article body and drops navigation,
headers, footers, share buttons and comment widgets.  A few boilerplate lines
that survive it on blog platforms ("Like", "Sign in to comment", "Share") are
dropped afterwards when they stand alone on a line.

References
----------
.. [1] Barbaresi, A. (2021). Trafilatura: A Web Scraping Library and Command-Line
   Tool for Text Discovery and Extraction. Proceedings of ACL-IJCNLP 2021: System
   Demonstrations, 122-131.
"""

from __future__ import annotations

import re
from pathlib import Path

from ldn_atlas.errors import InputError
from ldn_atlas.model import Source
from ldn_atlas.sources.text import DEFAULT_MAX_BYTES, decode_bytes, read_bytes, source_id_for, text_source

_BOILERPLATE_LINE = re.compile(
    r"^(?:like|liked|share|tweet|reply|follow|subscribe|sign in(?: to comment)?|log in(?: to comment)?|"
    r"sign up|comments?|leave a comment|add a comment|be the first to (?:comment|respond)[^\n]{0,60}|"
    r"\d{1,6} (?:likes?|comments?|shares?)|read more|advertisement|skip to (?:main )?content)\.?$",
    re.IGNORECASE | re.MULTILINE,
)


def html_to_text(html: str, *, location: str = "<html>") -> tuple[str, str | None, str | None]:
    """Return ``(main_text, title, url)`` of an HTML page.

    Raises
    ------
    InputError
        When no main text can be found.
    """
    import trafilatura

    try:
        text = trafilatura.extract(
            html,
            output_format="txt",
            include_comments=False,
            include_tables=True,
            include_links=False,
            include_images=False,
            favor_precision=True,
            deduplicate=False,
        )
        meta = trafilatura.extract_metadata(html)
    except Exception as exc:  # trafilatura raises assorted errors on broken markup
        raise InputError(f"cannot parse HTML ({type(exc).__name__}: {exc})", location=location) from None
    if not text or not text.strip():
        raise InputError("no main text found in the HTML page", location=location)
    text = _BOILERPLATE_LINE.sub("", text)
    text = "\n\n".join(line for line in text.split("\n") if line.strip())  # one paragraph per line
    if len(text.split()) < 4:  # a lone link or button label is not an article
        raise InputError("no main text found in the HTML page", location=location)
    title = getattr(meta, "title", None) if meta is not None else None
    url = getattr(meta, "url", None) if meta is not None else None
    return text, title, url


def read_html(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, kind: str | None = None) -> Source:
    """Read an HTML file into a :class:`Source` holding its main text only."""
    p = Path(path)
    html = decode_bytes(read_bytes(p, max_bytes=max_bytes), str(p))
    text, title, url = html_to_text(html, location=str(p))
    if title and not text.lstrip().startswith(title):
        text = f"{title}\n\n{text}"
    return text_source(
        text,
        source_id=source_id_for(p),
        kind=kind,
        title=title,
        url=url,
        metadata={"path": str(p), "format": "html"},
    )
