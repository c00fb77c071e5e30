"""The audit of one source: sentences to claims, their links, the deciding rule, then the revisions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ldn_atlas.appraise.audit.certainty import claim_certainty
from ldn_atlas.appraise.audit.claims import (
    CONCLUSION_HEAD,
    RESULTS_HEAD,
    ProseSentence,
    abstract_parts,
    claim_kind,
    claim_numbers,
    claim_strength,
    results_text,
    sentences,
)
from ldn_atlas.appraise.audit.linking import (
    Described,
    SentenceLinker,
    curated_for,
    described_studies,
    document_topic,
    field_verification,
)
from ldn_atlas.appraise.audit.result import AuditResult, LinkedStudy
from ldn_atlas.appraise.audit.revisions import Judged, Sentence, revise
from ldn_atlas.appraise.audit.rules.base import claim_context
from ldn_atlas.appraise.audit.rules.inference import source_texts
from ldn_atlas.appraise.audit.verdict import decide, dedupe
from ldn_atlas.errors import InputError
from ldn_atlas.model.evidence import Claim, Source, Span, Study


@dataclass
class _Document:
    """One source being audited, with the evidence base and what is read once for all its sentences."""

    source: Source
    text: str
    studies: Sequence[Study]
    sources: Sequence[Source]
    by_id: dict[str, Study]
    curated: Source | None
    described: list[Described]
    headings: list[tuple[int, str]]
    topic: str | None
    #: (end of results, start and end of conclusion) when the source is a trial abstract read on its own
    parts: tuple[int, int, int] | None
    cache: dict[str, Any] = field(default_factory=dict)

    def section(self, start: int) -> str | None:
        """The heading the sentence at ``start`` falls under, else the article's topic."""
        return next((h for pos, h in reversed(self.headings) if pos < start), None) or self.topic


_HEADING = re.compile(r"^[^\n.!?]{3,80}\??$", re.M)


def _document(
    source: Source, raw_text: str | None, studies: Sequence[Study] | None, sources: Sequence[Source] | None
) -> _Document:
    """The source with the evidence base (the embedded one by default), its records and its structure."""
    if not source.text:
        raise InputError("the source has no text to audit", location=source.id)
    if studies is None or sources is None:
        from ldn_atlas.store.evidence_files import load_evidence, load_sources

        studies = load_evidence() if studies is None else studies
        sources = load_sources() if sources is None else sources
    # a registered trial without results says nothing for or against a claim: it is not evidence
    studies = [s for s in studies if not s.registered_only]
    text = source.text
    curated = curated_for(source, raw_text, sources)
    described = described_studies(source, curated, raw_text, studies)
    # a trial abstract audited on its own: its conclusion is read against its results
    parts = abstract_parts(text)
    if (
        parts is not None
        and source.kind not in ("abstract", "pubmed")
        and not (RESULTS_HEAD.search(text[: parts[0]]) and CONCLUSION_HEAD.search(text))
    ):
        parts = None  # an article with a concluding phrase is not a trial abstract
    return _Document(
        source,
        text,
        studies,
        sources,
        {s.id: s for s in studies},
        curated,
        described,
        [(m.start(), m.group(0)) for m in _HEADING.finditer(text)],
        document_topic(text) if not described else None,
        parts,
    )


def _source_texts(doc: _Document, primaries: Sequence[Study], start: int) -> list[tuple[str, str, str]]:
    """(label, text, comparator) of the source texts evidence inference reads for a sentence."""
    texts = [
        (
            f"{st.label}'s source {src.id}",
            results_text(src.text or ""),
            st.comparator if st.comparator not in (None, "none") else "placebo",
        )
        for st, src in source_texts(primaries, doc.sources, doc.source.id)
    ]
    if doc.parts is not None and doc.parts[0] <= start < doc.parts[2]:
        texts.insert(0, ("this abstract's results", doc.text[: doc.parts[0]], "placebo"))
    return texts


def _claim(
    doc: _Document, linker: SentenceLinker, n: int, sent: ProseSentence
) -> tuple[Claim, tuple[LinkedStudy, ...]]:
    """One sentence audited: its links, its claim's features, the deciding rule, then the revisions."""
    section = doc.section(sent.start)
    links = linker.link(sent.text, sent.start, sent.end, sent.paragraph, section)
    own = [d.study for d in links.here]
    kind = claim_kind(sent.text, {x.species for x in links.linked})
    strength = claim_strength(sent.text)
    confirmed, unconfirmed = field_verification(links.here, sent.start, sent.end)
    cert = claim_certainty(sent.text, links.primaries, doc.studies, doc.cache) if links.primaries and not own else []
    found = decide(claim_context(
        sent.text, kind, strength, links.linked, links.primaries, own, confirmed, unconfirmed,
        claim_numbers(sent.text), cert,
    ))
    judged = revise(
        Judged(found.rule, found.verdict, list(found.reasons)),
        Sentence(sent.text, kind, strength, links, section),
        studies=doc.studies,
        by_id=doc.by_id,
        article_has_records=bool(doc.described),
        texts=_source_texts(doc, links.primaries, sent.start),
        cache=doc.cache,
    )
    reasons = dedupe(judged.reasons)
    ids = [x.primary or x.described for x in links.linked if (x.primary or x.described)]
    claim = Claim(
        id=f"{doc.source.id}#c{n}",
        text=sent.text,
        span=Span(source=doc.source.id, start=sent.start, end=sent.end),
        kind=kind,
        strength=strength,
        studies=list(dict.fromkeys(i for i in ids if i)),
        verdict=judged.verdict,
        reasons=[r.text for r in reasons],
        rule=judged.rule,
        findings=[{"rule": r.rule, "reason": r.text} for r in reasons],
    )
    return claim, tuple(links.linked)


def audit_source(
    source: Source,
    *,
    raw_text: str | None = None,
    studies: Sequence[Study] | None = None,
    sources: Sequence[Source] | None = None,
) -> AuditResult:
    """Audit the claims of a source against the evidence base.

    Parameters
    ----------
    source : Source
        The document, with its normalised ``text`` (spans point into it).
    raw_text : str, optional
        The file's text before normalisation; used to recognise a source the evidence
        base has curated records of (by SHA-256) and to map their spans.
    studies, sources : optional
        The evidence base (default: the embedded one).

    Returns
    -------
    AuditResult
        ``to_dict()`` gives ``{"source": Source, "claims": [Claim, ...]}`` plus the links.
    """
    doc = _document(source, raw_text, studies, sources)
    linker = SentenceLinker(doc.described, doc.studies, doc.by_id)
    claims: list[Claim] = []
    links: dict[str, tuple[LinkedStudy, ...]] = {}
    for n, sent in enumerate(sentences(doc.text), start=1):
        claim, linked = _claim(doc, linker, n, sent)
        claims.append(claim)
        links[claim.id] = linked
    return AuditResult(source=source, claims=tuple(claims), links=links, matched_curated=doc.curated is not None)


def audit_file(
    path: str | Path, *, studies: Sequence[Study] | None = None, sources: Sequence[Source] | None = None
) -> AuditResult:
    """Read a file with :func:`ldn_atlas.sources.read_source` and audit its claims."""
    from ldn_atlas.sources import read_source

    p = Path(path)
    source = read_source(p)
    raw: str | None
    try:
        raw = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raw = None
    return audit_source(source, raw_text=raw, studies=studies, sources=sources)
