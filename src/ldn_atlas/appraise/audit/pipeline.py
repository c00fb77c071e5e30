"""The audit of one source: sentences to claims, links, checks and verdicts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ldn_atlas.appraise.audit.certainty import certainty_context, claim_certainty
from ldn_atlas.appraise.audit.claims import (
    CONCLUSION_HEAD,
    RESULTS_HEAD,
    abstract_parts,
    claim_kind,
    claim_numbers,
    claim_strength,
    results_text,
    sentences,
)
from ldn_atlas.appraise.audit.linking import (
    ANAPHORA,
    BACKREF,
    WEAK_LINK_FIELDS,
    Described,
    condition_key,
    curated_for,
    described_studies,
    document_topic,
    fallback_links,
    field_verification,
    names_condition,
    names_other_condition,
    resolve,
)
from ldn_atlas.appraise.audit.outcomes import primary_confirms
from ldn_atlas.appraise.audit.result import AuditResult, LinkedStudy
from ldn_atlas.appraise.audit.rules.general import STUDIED, evidence_base_claim, studied_in_base
from ldn_atlas.appraise.audit.rules.inference import inference_check, source_texts
from ldn_atlas.appraise.audit.rules.temporal import TEMPORAL, temporal_check
from ldn_atlas.appraise.audit.verdict import dedupe, judge
from ldn_atlas.appraise.audit.wording import CAVEAT
from ldn_atlas.appraise.levels import evidence_level
from ldn_atlas.errors import InputError
from ldn_atlas.model.classify import (
    design_category,
)
from ldn_atlas.model.evidence import Claim, Source, Span, Study


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
    if not source.text:
        raise InputError("the source has no text to audit", location=source.id)
    if studies is None or sources is None:
        from ldn_atlas.store.evidence_files import load_evidence, load_sources

        studies = load_evidence() if studies is None else studies
        sources = load_sources() if sources is None else sources
    by_id = {s.id: s for s in studies}
    curated = curated_for(source, raw_text, sources)
    described = described_studies(source, curated, raw_text, studies)
    text = source.text
    claims: list[Claim] = []
    links: dict[str, tuple[LinkedStudy, ...]] = {}
    prev_para = -1
    prev_links: list[Described] = []
    fb_para = -1
    fb_prev: list[Study] = []
    syn_cache: dict[str, Any] = {}
    para_links: dict[int, list[Described]] = {}
    section: str | None = None
    heading_re = re.compile(r"^[^\n.!?]{3,80}\??$", re.M)
    headings = [(m.start(), m.group(0)) for m in heading_re.finditer(text)]
    doc_topic = document_topic(text) if not described else None
    # a trial abstract audited on its own: its conclusion is read against its results
    parts = abstract_parts(text)
    if (
        parts is not None
        and source.kind not in ("abstract", "pubmed")
        and not (RESULTS_HEAD.search(text[: parts[0]]) and CONCLUSION_HEAD.search(text))
    ):
        parts = None  # an article with a concluding phrase is not a trial abstract
    for n, sent in enumerate(sentences(text), start=1):
        section = next((h for pos, h in reversed(headings) if pos < sent.start), None)
        here = [
            d
            for d in described
            if any(a < sent.end and b > sent.start for a, b, path in d.spans if path not in WEAK_LINK_FIELDS)
        ]
        if not here and sent.paragraph == prev_para:
            here = prev_links
        elif not here and ANAPHORA.match(sent.text):
            here = list(para_links.get(prev_para, []))  # "Such conclusions": everything the last paragraph reported
        prev_para, prev_links = sent.paragraph, here
        para_links.setdefault(sent.paragraph, [])
        para_links[sent.paragraph].extend(d for d in here if d not in para_links[sent.paragraph])
        primaries: list[Study] = []
        for d in here:
            p = resolve(d.study, by_id)
            if p is not None and p not in primaries:
                primaries.append(p)
        if not here and not described:
            primaries = fallback_links(sent.text, section or doc_topic, studies)
            if (
                sent.paragraph == fb_para
                and fb_prev
                and BACKREF.search(sent.text)
                and not names_condition(sent.text)
                and len(primaries) != 1
                and (not primaries or set(map(id, fb_prev)) & set(map(id, primaries)))
            ):
                primaries = list(fb_prev)  # "In that trial, ...": the study the previous sentence named
            if not primaries and sent.paragraph == fb_para and not names_other_condition(sent.text, fb_prev):
                primaries = list(fb_prev)
            fb_para, fb_prev = sent.paragraph, list(primaries)
        own = [d.study for d in here]
        linked = []
        for d in here:
            p = resolve(d.study, by_id)
            rec = p or d.study
            linked.append(
                LinkedStudy(
                    d.study.id,
                    p.id if p else None,
                    rec.label,
                    design_category(rec).label,
                    evidence_level(rec).level,
                    rec.species,
                )
            )
        for p in primaries:
            if not any(x.primary == p.id for x in linked):
                linked.append(
                    LinkedStudy(None, p.id, p.label, design_category(p).label, evidence_level(p).level, p.species)
                )
        species = {x.species for x in linked}
        kind = claim_kind(sent.text, species)
        strength = claim_strength(sent.text)
        confirmed, unconfirmed = field_verification(here, sent.start, sent.end)
        nums = claim_numbers(sent.text)
        cert = claim_certainty(sent.text, primaries, studies, syn_cache) if primaries and not own else []
        verdict, reasons = judge(
            sent.text, kind, strength, linked, primaries, own, confirmed, unconfirmed, nums, certainty=cert
        )
        for d in here:
            if d.study.primary_source and resolve(d.study, by_id) is None:
                reasons.append(
                    f"primary record {d.study.primary_source} is not in the evidence base; checked "
                    "against the article's own record and its verification levels"
                )
            elif not d.study.primary_source:
                reasons.append(f"{d.study.label}: no primary record identified")
        if verdict == "not-checkable" and not linked and STUDIED.search(sent.text):
            studied = studied_in_base(sent.text, studies)
            if studied:
                verdict, reasons = "supported", [studied]
        if verdict == "not-checkable" and any(x.species != "human" for x in linked):
            models = {condition_key(p) for p in primaries} | {condition_key(d.study) for d in here}
            same_model = [
                s
                for s in studies
                if s.species != "human"
                and s.primary_source is None
                and s not in primaries
                and condition_key(s) in models
            ]
            seen = primary_confirms(same_model, sent.text)
            if seen:
                for s in same_model:
                    if any(x.startswith(f"{s.label}:") for x in seen):
                        linked.append(
                            LinkedStudy(
                                None, s.id, s.label, design_category(s).label, evidence_level(s).level, s.species
                            )
                        )
                verdict = "supported-indirect"
                reasons = [
                    *reasons,
                    f"another primary record in the same animal model reports it ({'; '.join(seen)}): "
                    "indirect evidence for patients",
                ]
        if not described:
            about_base = evidence_base_claim(sent.text, section or doc_topic, studies)
            if about_base is not None:
                verdict, reasons = about_base
        if primaries and TEMPORAL.search(sent.text):
            reasons.extend(temporal_check(sent.text, primaries, studies))
        if verdict == "supported" and CAVEAT.search(sent.text) and not linked:
            reasons.extend(certainty_context(sent.text, studies, syn_cache))
        texts = [
            (
                f"{st.label}'s source {src.id}",
                results_text(src.text or ""),
                st.comparator if st.comparator not in (None, "none") else "placebo",
            )
            for st, src in source_texts(primaries, sources, source.id)
        ]
        if parts is not None and parts[0] <= sent.start < parts[2]:
            texts.insert(0, ("this abstract's results", text[: parts[0]], "placebo"))
        inferred = inference_check(sent.text, kind, strength, verdict, primaries, texts)
        if inferred is not None:
            if inferred[0] != verdict:  # the earlier reasons argued for the old verdict: keep only the links
                reasons = [r for r in reasons if r.startswith("linked to")]
            verdict, reasons = inferred[0], [*reasons, *inferred[1]]
        cid = f"{source.id}#c{n}"
        ids = [x.primary or x.described for x in linked if (x.primary or x.described)]
        claims.append(
            Claim(
                id=cid,
                text=sent.text,
                span=Span(source=source.id, start=sent.start, end=sent.end),
                kind=kind,
                strength=strength,
                studies=list(dict.fromkeys(i for i in ids if i)),
                verdict=verdict,
                reasons=dedupe(reasons),
            )
        )
        links[cid] = tuple(linked)
    return AuditResult(source=source, claims=tuple(claims), links=links, matched_curated=curated is not None)


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
