"""PubMed/MEDLINE XML (``PubmedArticleSet``): a streaming reader.

The reader walks the file with :func:`lxml.etree.iterparse`, builds one
:class:`~ldn_atlas.model.Source` per ``PubmedArticle`` and clears each element
(and its already-processed siblings) as soon as it is read, so memory stays
bounded however many records a file holds (an annual baseline file holds
30,000).  ``.gz`` files are decompressed on the fly.

The source text is the title, a blank line, then one paragraph per abstract
section, prefixed with its label (``METHODS: ...``) when it has one.  Section
offsets into that text are kept in ``metadata["sections"]``.

References
----------
.. [1] National Library of Medicine. PubMed XML element descriptions and
   attributes (PubMed DTD ``pubmed_190101`` and later).
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Container, Iterator
from pathlib import Path
from typing import IO, Any

from lxml import etree

from ldn_atlas.errors import InputError
from ldn_atlas.model import Citation, Source
from ldn_atlas.sources.text import normalise_text, sha256_text

_WS = re.compile(r"\s+")


def _clean(text: str | None) -> str:
    return " ".join(text.split()) if text else ""


def _all_text(elem: Any) -> str:
    return _clean("".join(elem.itertext())) if elem is not None else ""


def _open(path: Path) -> IO[bytes]:
    if path.suffix == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _year(article: Any) -> int | None:
    for xpath in (
        "MedlineCitation/Article/Journal/JournalIssue/PubDate/Year",
        "MedlineCitation/Article/ArticleDate/Year",
        "PubmedData/History/PubMedPubDate[@PubStatus='pubmed']/Year",
    ):
        value = article.findtext(xpath)
        if value and value.strip().isdigit():
            return int(value.strip())
    medline = article.findtext("MedlineCitation/Article/Journal/JournalIssue/PubDate/MedlineDate")
    if medline:
        m = re.search(r"\b(1[89]\d\d|20\d\d)\b", medline)
        if m:
            return int(m.group(1))
    return None


def _authors(article: Any) -> list[str]:
    names = []
    for author in article.iterfind("MedlineCitation/Article/AuthorList/Author"):
        last = _clean(author.findtext("LastName"))
        initials = _clean(author.findtext("Initials"))
        collective = _clean(author.findtext("CollectiveName"))
        if last:
            names.append(f"{last} {initials}".strip())
        elif collective:
            names.append(collective)
    return names


def _doi(article: Any) -> str | None:
    for xpath in (
        "MedlineCitation/Article/ELocationID[@EIdType='doi']",
        "PubmedData/ArticleIdList/ArticleId[@IdType='doi']",
    ):
        value = _clean(article.findtext(xpath))
        if value.startswith("10."):
            return value
    return None


def record_to_source(article: Any) -> Source | None:
    """Turn one parsed ``PubmedArticle`` element into a :class:`Source` (``None`` without a PMID)."""
    pmid = _clean(article.findtext("MedlineCitation/PMID"))
    if not pmid.isdigit():
        return None
    art = article.find("MedlineCitation/Article")
    title = _all_text(art.find("ArticleTitle")) if art is not None else ""
    if not title and art is not None:
        title = _all_text(art.find("VernacularTitle"))
    parts: list[str] = [title] if title else []
    sections: list[dict[str, object]] = []
    pos = len(title)
    for node in article.iterfind("MedlineCitation/Article/Abstract/AbstractText"):
        body = normalise_text(_all_text(node))
        if not body:
            continue
        label = _clean(node.get("Label")) or None
        para = f"{label}: {body}" if label else body
        start = pos + (2 if parts else 0)
        parts.append(para)
        pos = start + len(para)
        sections.append(
            {
                "label": label,
                "category": node.get("NlmCategory"),
                "start": start,
                "end": pos,
                "body_start": start + (len(label) + 2 if label else 0),
            }
        )
    text = normalise_text("\n\n".join(parts))
    if text != "\n\n".join(parts):  # normalisation changed offsets: recompute them by search
        sections = _relocate(text, sections, parts)
    journal = _clean(article.findtext("MedlineCitation/Article/Journal/Title")) or None
    pmc = _clean(article.findtext("PubmedData/ArticleIdList/ArticleId[@IdType='pmc']")) or None
    nct = None
    for acc in article.iterfind(
        "MedlineCitation/Article/DataBankList/DataBank/AccessionNumberList/AccessionNumber"
    ):
        value = _clean(acc.text)
        if re.fullmatch(r"NCT\d{8}", value):
            nct = value
            break
    citation = Citation(
        authors=_authors(article),
        year=_year(article),
        journal=journal,
        title=title or None,
        volume=_clean(article.findtext("MedlineCitation/Article/Journal/JournalIssue/Volume")) or None,
        pages=_clean(article.findtext("MedlineCitation/Article/Pagination/MedlinePgn")) or None,
        pmid=pmid,
        doi=_doi(article),
        pmcid=pmc,
        nct=nct,
    )
    mesh = [
        _clean(d.text) for d in article.iterfind("MedlineCitation/MeshHeadingList/MeshHeading/DescriptorName")
    ]
    ptypes = [
        _clean(p.text)
        for p in article.iterfind("MedlineCitation/Article/PublicationTypeList/PublicationType")
    ]
    keywords = [_all_text(k) for k in article.iterfind("MedlineCitation/KeywordList/Keyword")]
    return Source(
        id=f"pmid-{pmid}",
        kind="pubmed",
        title=title or None,
        url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/",
        citation=citation,
        sha256=sha256_text(text),
        text=text,
        metadata={
            "sections": sections,
            "mesh": [m for m in mesh if m],
            "publication_types": [p for p in ptypes if p],
            "keywords": [k for k in keywords if k],
            "language": _clean(article.findtext("MedlineCitation/Article/Language")) or None,
            "has_abstract": bool(sections),
        },
    )


def _relocate(text: str, sections: list[dict[str, object]], parts: list[str]) -> list[dict[str, object]]:
    out = []
    cursor = 0
    for sec, para in zip(sections, parts[len(parts) - len(sections) :], strict=True):
        norm = normalise_text(para)
        start = text.find(norm, cursor)
        if start < 0:
            continue
        label = sec["label"]
        out.append(
            {
                **sec,
                "start": start,
                "end": start + len(norm),
                "body_start": start + (len(str(label)) + 2 if label else 0),
            }
        )
        cursor = start + len(norm)
    return out


def iter_pubmed(
    source: str | Path | IO[bytes],
    *,
    location: str | None = None,
    pmids: Container[str] | None = None,
) -> Iterator[Source]:
    """Stream the ``PubmedArticle`` records of a PubMed XML file (plain or ``.gz``).

    Memory is bounded: each record's element tree is freed once its Source is built.
    ``pmids``, when given, keeps only those records (the others are skipped before any
    work is done on them).

    Raises
    ------
    InputError
        The file is missing, empty or not well-formed XML (after the records that
        preceded the error have been yielded), or holds no ``PubmedArticle``.
    """
    own = False
    if isinstance(source, str | Path):
        path = Path(source)
        location = location or str(path)
        if not path.exists():
            raise InputError("no such file", location=location)
        if path.stat().st_size == 0:
            raise InputError("empty file", location=location)
        stream: IO[bytes] = _open(path)
        own = True
    else:
        stream = source
        location = location or getattr(source, "name", "<stream>")
    count = 0
    try:
        context = etree.iterparse(
            stream,
            events=("end",),
            tag=("PubmedArticle", "PubmedArticleSet", "MedlineCitationSet"),
            resolve_entities=False,
            no_network=True,
            huge_tree=False,
            load_dtd=False,
        )
        try:
            for _event, elem in context:
                if elem.tag != "PubmedArticle":
                    continue
                if pmids is not None and (elem.findtext("MedlineCitation/PMID") or "").strip() not in pmids:
                    src = None
                else:
                    src = record_to_source(elem)
                elem.clear(keep_tail=False)
                parent = elem.getparent()
                if parent is not None:
                    while elem.getprevious() is not None:
                        del parent[0]
                if src is not None:
                    count += 1
                    yield src
        except etree.XMLSyntaxError as exc:
            line = exc.lineno if getattr(exc, "lineno", None) else "?"
            msg = str(exc.msg if hasattr(exc, "msg") else exc).split("\n")[0]
            raise InputError(
                f"malformed XML at line {line} after {count} record(s): {msg}", location=str(location)
            ) from None
        except (OSError, EOFError) as exc:
            raise InputError(f"cannot read XML: {exc}", location=str(location)) from None
    finally:
        if own:
            stream.close()
    if count == 0 and pmids is None:
        raise InputError("no PubmedArticle records found", location=str(location))


def read_pubmed(path: str | Path) -> list[Source]:
    """All records of a (small) PubMed XML file as a list; use :func:`iter_pubmed` for large files."""
    return list(iter_pubmed(path))
