"""Extraction entry points: a :class:`Source` in, candidate :class:`Study` records out.

Extraction is a pure function of a Source (no global state beyond compiled
patterns and the condition vocabulary, loaded once per process), so it maps
over a stream of PubMed records on one core or many.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ldn_atlas.errors import InputError
from ldn_atlas.extract.conditions import ConditionMention, find_conditions, lookup_condition
from ldn_atlas.extract.fields import read_study, study_label
from ldn_atlas.extract.patterns import NUMBER, parse_number, rx
from ldn_atlas.extract.segment import (
    Paragraph,
    Segment,
    Sentence,
    paragraphs,
    segment_article,
    split_sentences,
)
from ldn_atlas.model import Condition, Source, Span, Study


def _abstract_sentences(source: Source) -> list[Sentence]:
    text = source.text or ""
    sections = source.metadata.get("sections") if isinstance(source.metadata, dict) else None
    if isinstance(sections, list) and sections:
        out: list[Sentence] = []
        first = int(sections[0]["start"])
        if first > 0:  # the title
            out.extend(split_sentences(text, 0, first, 0, "TITLE"))
        for i, sec in enumerate(sections):
            start = int(sec.get("body_start", sec["start"]))
            end = int(sec["end"])
            out.extend(split_sentences(text, start, end, i + 1, sec.get("label") or None))
        return out
    out = []
    for i, para in enumerate(paragraphs(text)):
        label = None
        block = text[para.start : para.end]
        head = block.split(":", 1)[0]
        start = para.start
        if ":" in block[:40] and head.replace(" ", "").replace(".", "").isalpha() and head.upper() == head:
            label = head.replace("ABSTRACT.", "").strip()
            start = para.start + len(head) + 1
        out.extend(split_sentences(text, start, para.end, i, label))
    return out


def _fallback_conditions(text: str, seg: Segment, paras_sentences: list[Sentence]) -> list[ConditionMention]:
    """Condition mentions of the nearest text before the segment that names one (then the title)."""
    by_para: dict[int, list[Sentence]] = {}
    for s in paras_sentences:
        by_para.setdefault(s.paragraph, []).append(s)
    seg_start = seg.start
    for p in range(seg.paragraph, -1, -1):
        found: list[ConditionMention] = []
        for s in by_para.get(p, []):
            if s.start >= seg_start and p == seg.paragraph:
                continue
            found.extend(find_conditions(s.text, s.start))
        if found:
            return found
    return []


_INFERENCE_BROKEN: list[str] = []  # the reason evidence inference is unavailable in this process, if it is


def _polarity_direction(label: str, name: str, current: str | None) -> str | None:
    """Direction from an evidence-inference label and the outcome's polarity (good or bad when higher)."""
    from ldn_atlas.extract.fields import direction_of

    if label == "no significant difference":
        return "no-difference"
    guess = direction_of("increase" if label == "significantly increased" else "decrease", name)
    if guess != "unclear":
        return guess
    return current if current not in (None, "no-difference") else "unclear"


_RESULT_LABELS = ("RESULT", "FINDING", "CONCLUSION", "INTERPRETATION", "OUTCOME", "DISCUSSION")


def _in_results(offset: int, sections: list[object]) -> bool:
    """True when ``offset`` lies in a results-like section (or in an unlabelled abstract)."""
    for sec in sections:
        if isinstance(sec, dict) and int(sec.get("start", 0)) <= offset < int(sec.get("end", 0)):
            label = str(sec.get("label") or sec.get("category") or "").upper()
            return not label or any(word in label for word in _RESULT_LABELS)
    return False


def apply_inference(source: Source, study: Study, *, min_confidence: float = 0.5) -> Study:
    """Set ``direction``/``significant`` of an abstract's outcomes with evidence inference.

    For each outcome whose significance the rules did not settle (no p-value, no explicit
    "significant"/"no difference" wording), :func:`ldn_atlas.extract.infer_effect` is asked whether
    the intervention, against the comparator, significantly increased, decreased or did not change
    it.  An outcome the rules found significant but whose direction they could not read ("X was
    superior to Y for Z (P=0.046)") is asked too, and gets only a direction, and only when the answer
    is a significant change too: the rules' significance is never overruled.  Answers below
    ``min_confidence`` are ignored; a study with no named intervention, or whose intervention and
    comparator are the same words, is not asked (the question would be meaningless).  Each use is
    recorded in ``study.notes``.  When the inference module is missing or cannot load its weights,
    the study is returned as is.
    """
    if _INFERENCE_BROKEN or not study.outcomes or not source.text:
        return study
    try:
        from ldn_atlas.extract.inference import infer_effect
    except ImportError as exc:  # pragma: no cover - the module ships with the package
        _INFERENCE_BROKEN.append(str(exc))
        return study
    intervention = study.interventions[0].name if study.interventions else ""
    comparator = study.comparator if study.comparator not in (None, "none") else ""
    if not intervention.strip() or intervention.strip().lower() == comparator.strip().lower():
        return study  # a direction against no named intervention, or against itself, means nothing
    outcomes = list(study.outcomes)
    notes = list(study.notes)
    provenance = {path: list(spans) for path, spans in study.provenance.items()}  # the input stays as it was
    changed = False
    sections = source.metadata.get("sections") if isinstance(source.metadata, dict) else None
    for k, o in enumerate(outcomes):
        direction_only = o.significant is True and o.direction in (None, "unclear")
        if (o.significant is not None and not direction_only) or len(o.name) < 3:
            continue
        spans = study.provenance.get(f"outcomes[{k}]", [])
        if isinstance(sections, list) and spans and not _in_results(spans[0].start, sections):
            continue  # only results are asked about
        try:
            r = infer_effect(source.text, intervention, comparator or "control", o.name)
        except Exception as exc:  # the model is optional: any failure leaves the rules' answer
            _INFERENCE_BROKEN.append(f"{type(exc).__name__}: {exc}")
            break
        if r.confidence < min_confidence:
            continue
        significant = r.label != "no significant difference"
        direction = _polarity_direction(r.label, o.name, o.direction)
        evidence = Span(source=source.id, start=r.evidence.start, end=r.evidence.end)
        if direction_only:
            if not significant or direction in (None, "unclear", o.direction):
                continue
            outcomes[k] = o.model_copy(update={"direction": direction})
            notes.append(f"outcomes[{k}]: direction from evidence inference ({r.label}, confidence "
                         f"{r.confidence:.2f}); significance from the reported statistics")
            provenance.setdefault(f"outcomes[{k}].direction", []).append(evidence)
            changed = True
            continue
        outcomes[k] = o.model_copy(update={"significant": significant, "direction": direction})
        notes.append(
            f"outcomes[{k}]: direction and significance from evidence inference "
            f"({r.label}, confidence {r.confidence:.2f})"
        )
        provenance.setdefault(f"outcomes[{k}].significant", []).append(evidence)
        changed = True
    if not changed:
        return study
    return study.model_copy(update={"outcomes": outcomes, "notes": notes, "provenance": provenance})


def extract_studies(source: Source, *, infer: bool = True) -> list[Study]:
    """Candidate studies of one Source, each field with spans into ``source.text``.

    An article gives one study per study it describes; an abstract, PubMed record
    or short text gives one; a ClinicalTrials.gov record gives its mapped study
    (with the condition mapped onto the vocabulary).

    Raises
    ------
    InputError
        A source without text.

    ``infer`` lets evidence inference (:func:`apply_inference`) settle the direction and
    significance of an abstract's outcomes that the rules leave open.
    """
    if source.kind == "ctgov" and isinstance(source.metadata.get("study"), dict):
        study = Study.model_validate(source.metadata["study"])
        hit = lookup_condition(study.condition.label)
        if hit is not None:
            study = study.model_copy(update={"condition": Condition(label=hit[0], code=hit[1])})
        return [study]
    text = source.text
    if not text:
        raise InputError("source has no text to extract from", location=source.id)
    if source.kind in ("abstract", "pubmed"):
        sents = _abstract_sentences(source)
        if not sents:
            return []
        seg = Segment(sentences=sents, cue=(sents[0].start, sents[0].end), cue_kind="abstract")
        study = read_study(
            source.id,
            text,
            seg,
            1,
            context=[],
            fallback_conditions=[],
            single=True,
            citation=source.citation,
            verification="primary" if source.kind == "pubmed" else "unverified",
        )
        return [apply_inference(source, study) if infer else study]
    segments, paras, all_sents = segment_article(text)
    studies: list[Study] = []
    title_conditions = find_conditions(source.title or "", 0) if source.title and text.startswith(source.title) else []
    for k, seg in enumerate(segments, start=1):
        inherited = studies[seg.same_as] if seg.same_as is not None and seg.same_as < len(studies) else None
        fallback = _fallback_conditions(text, seg, all_sents) or title_conditions
        studies.append(
            read_study(
                source.id,
                text,
                seg,
                k,
                context=seg.context,
                fallback_conditions=fallback,
                inherited=inherited,
            )
        )
    return split_summary_counts(studies, segments, paras)


#: "the first two cases", "the first 12 patients", "the first two of them": the part of a count
#: that the sentences go on to describe.
_FIRST_K = rx(
    "first_k_of_count",
    rf"\bthe\s(?:first|initial)\s(?P<num>{NUMBER})\s(?:of\s(?:them|these|those)\b|"
    r"(?:[\w-]{1,20}\s)?(?:cases?|patients?|subjects?|participants?|individuals|persons|people|"
    r"women|men|children|reports?)\b)",
)


def split_summary_counts(studies: list[Study], segments: list[Segment], paras: list[Paragraph]) -> list[Study]:
    """Give each study the part of a shared summary count that it describes.

    A review may count several reports together ("LDN improved the symptoms of three
    patients") and then describe them apart: "the first two cases ..." in one study, "another
    case report ..." in the next.  When a study's n is such a count M, its own sentences after
    the count describe "the first k" (k < M), and the next studies of the same section (no
    heading between) have sample sizes that add up to exactly M - k, the count is split: the
    study's n becomes k, with the words "the first k ..." as its span and a note.  Without that
    arithmetic closure the count is left alone ("of the 40 patients, the first 20 received ..."
    describes an arm, not a different study).
    """
    out = list(studies)
    headings = [p.start for p in paras if p.heading]
    for i, (study, seg) in enumerate(zip(out, segments, strict=True)):
        total = study.population.n
        n_spans = study.provenance.get("population.n", [])
        if total is None or total < 2 or not n_spans:
            continue
        hit = None
        for sent in seg.sentences:
            if sent.end <= n_spans[0].end:
                continue
            for m in _FIRST_K.finditer(sent.text):
                k = parse_number(m.group("num"))
                if k is not None and k == int(k) and 1 <= k < total and sent.start + m.start() >= n_spans[0].end:
                    hit = (int(k), sent.start + m.start(), sent.start + m.end())
                    break
            if hit:
                break
        if hit is None:
            continue
        k, start, end = hit
        rest, parts = total - k, []
        for later, lseg in zip(out[i + 1 : i + 4], segments[i + 1 : i + 4], strict=False):
            if any(seg.end <= h < lseg.start for h in headings) or later.population.n is None:
                break
            parts.append(later.population.n)
            if sum(parts) >= rest:
                break
        if not parts or sum(parts) != rest:
            continue
        prov = dict(study.provenance)
        prov["population.n"] = [Span(source=n_spans[0].source, start=start, end=end)]
        design = list(study.design)
        if k == 1 and "case-series" in design:
            design[design.index("case-series")] = "case-report"
        population = study.population.model_copy(update={"n": k})
        note = (
            f"n = {k}: the text's count of {total} also covers the next "
            f"{'study' if len(parts) == 1 else f'{len(parts)} studies'} (n = {' + '.join(map(str, parts))})"
        )
        out[i] = study.model_copy(
            update={
                "population": population,
                "design": design,
                "provenance": prov,
                "label": study_label(study.species, study.model, [str(d) for d in design], study.condition, k, seg),
                "notes": [*study.notes, note],
            }
        )
    return out


def extract_all(sources: Iterable[Source]) -> Iterator[tuple[Source, list[Study]]]:
    """Stream ``(source, studies)`` pairs."""
    for source in sources:
        yield source, extract_studies(source)


def extract_file(path: str | Path, *, max_bytes: int | None = None) -> Iterator[tuple[Source, list[Study]]]:
    """Read a file with :func:`ldn_atlas.sources.iter_sources` and extract each of its documents."""
    from ldn_atlas.sources import DEFAULT_MAX_BYTES, iter_sources

    yield from extract_all(iter_sources(path, max_bytes=max_bytes or DEFAULT_MAX_BYTES))
