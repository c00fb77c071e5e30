"""Claims to studies: the records of the article, their primary records, or studies matched by content."""

from __future__ import annotations

import difflib
import hashlib
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from ldn_atlas.appraise.audit.claims import Numbers, body_end, claim_numbers
from ldn_atlas.appraise.audit.facts import close, study_facts
from ldn_atlas.appraise.audit.outcomes import shares_word
from ldn_atlas.appraise.audit.result import LinkedStudy
from ldn_atlas.appraise.audit.wording import (
    ANIMAL,
    DESIGN_WORDS,
    GENERIC_EFFICACY,
    GENERIC_PRESENT,
    INVITRO,
    SAFETY,
    TREATMENT,
)
from ldn_atlas.appraise.levels import evidence_level
from ldn_atlas.model.classify import design_category, outcome_domain
from ldn_atlas.model.evidence import Source, Study


def _offset_map(raw: str, norm: str) -> list[tuple[int, int, int]]:
    """Blocks (raw_start, norm_start, length) of text shared by the raw and normalised versions."""
    sm = difflib.SequenceMatcher(None, raw, norm, autojunk=False)
    return [(a, b, n) for a, b, n in sm.get_matching_blocks() if n]


def _map_offset(blocks: list[tuple[int, int, int]], starts: list[int], pos: int) -> int:
    i = bisect_right(starts, pos) - 1
    if i < 0:
        return 0
    a, b, n = blocks[i]
    return b + min(pos - a, n)


def curated_for(source: Source, raw_text: str | None, sources: Sequence[Source]) -> Source | None:
    """The curated source of the evidence base whose SHA-256 is this text's (raw or normalised), if any."""
    digests = {source.sha256}
    if raw_text is not None:
        digests.add(hashlib.sha256(raw_text.encode("utf-8")).hexdigest())
    for s in sources:
        if s.sha256 and s.sha256 in digests:
            return s
    return None


@dataclass
class Described:
    """A study the article describes, with its provenance spans mapped into the normalised text."""

    study: Study
    spans: list[tuple[int, int, str]]  # normalised start, end, field path


def described_studies(
    source: Source, curated: Source | None, raw_text: str | None, studies: Sequence[Study]
) -> list[Described]:
    """The records of the curated source, each with its spans in the audited text."""
    if curated is None:
        return []
    text = source.text or ""
    blocks: list[tuple[int, int, int]] = []
    starts: list[int] = []
    if raw_text is not None and raw_text != text:
        blocks = _offset_map(raw_text, text)
        starts = [a for a, _, _ in blocks]
    out = []
    for s in studies:
        if s.source != curated.id:
            continue
        spans = []
        for path, items in s.provenance.items():
            for sp in items:
                if sp.source != curated.id:
                    continue
                a, b = sp.start, sp.end
                if blocks:
                    a, b = _map_offset(blocks, starts, a), _map_offset(blocks, starts, b)
                spans.append((a, b, path))
        out.append(Described(s, spans))
    return out


#: Provenance fields too generic to link a sentence to a study on their own.
WEAK_LINK_FIELDS = {"condition", "species", "population.sex", "comparator", "interventions[0].name"}


def resolve(study: Study, by_id: dict[str, Study]) -> Study | None:
    """The primary record of a study the article describes, when the base holds it."""
    return by_id.get(study.primary_source) if study.primary_source else None


def fallback_links(sentence: str, section: str | None, studies: Sequence[Study]) -> list[Study]:
    """Primary records matched by condition, species, design words, outcome and counts.

    Used for sources the evidence base does not know.  An outcome counts only in a sentence
    about treatment, so a sentence describing the disease is not linked to trials of it.
    """
    try:
        from ldn_atlas.vocabulary import load_vocabulary

        vocab = load_vocabulary()
        conds = {e.maps_to or e.id for e, _, _ in vocab.mentions(sentence)}
        if not conds and section:
            conds = {e.maps_to or e.id for e, _, _ in vocab.mentions(section)}
    except Exception:  # pragma: no cover - the vocabulary ships with the package
        return []
    if not conds:
        if SAFETY.search(sentence) and GENERIC_PRESENT.search(sentence):
            # "LDN is well tolerated": a claim about the drug in general, so every human study reporting harms
            return [s for s in studies if s.primary_source is None and s.species == "human" and s.adverse_events]
        return []
    nums = claim_numbers(sentence)
    tags = {t for t, pat in DESIGN_WORDS.items() if pat.search(sentence)}
    species = "animal" if ANIMAL.search(sentence) else "in-vitro" if INVITRO.search(sentence) else "human"
    dom = outcome_domain(sentence).id
    treatment = dom != "other" and bool(TREATMENT.search(sentence))
    generic = bool(GENERIC_EFFICACY.search(sentence) and TREATMENT.search(sentence)) and not (tags or nums.counts)
    scored = []
    for s in studies:
        if s.primary_source is not None:
            continue
        entry = vocab.by_code(s.condition.code) if s.condition.code else vocab.lookup(s.condition.label)
        key = (entry.maps_to or entry.id) if entry else None
        if key not in conds or s.species != species:
            continue
        score = len(tags & set(s.design))
        if treatment and (
            any(
                outcome_domain(o).id == dom and shares_word(re.sub(r"\(.*?\)", "", o.name), sentence)
                for o in s.outcomes
            )
            or (dom == "safety" and bool(s.adverse_events))
        ):
            score += 1  # the same outcome, in a sentence about treatment
        if generic:
            score += 1  # "LDN works for X": every study of X
        counts = {c for c, _ in nums.counts}
        if counts & {float(x) for x in (s.population.n, s.population.n_enrolled, s.population.n_analyzed) if x}:
            score += 3
        score += _figure_matches(nums, s)
        if species != "human" and TREATMENT.search(sentence):
            score += 1  # "in mice, LDN ...": the animal studies of the condition
        if score:
            scored.append((score, s))
    scored.sort(key=lambda t: -t[0])
    best = [s for sc, s in scored if sc == scored[0][0]] if scored else []
    return narrow_by_year(sentence, best)


def _figure_matches(nums: Numbers, study: Study) -> int:
    """How strongly a sentence's result figures, durations and doses point to one study (verified values only).

    A result percentage (not a responder threshold) counts 2, a duration or a dose 1.
    """
    facts = study_facts(study)
    score = 0
    for kind, values, weight in (
        ("percents", nums.percents, 2),
        ("durations", nums.durations, 1),
        ("doses", nums.doses, 1),
    ):
        for v in values:
            if any(
                close(v, x, kind) and ver != "unverified" and "threshold" not in what
                for x, what, ver in getattr(facts, kind)
            ):
                score += weight
    return score


#: Years a sentence names ("a 2024 Danish trial").
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")


def narrow_by_year(text: str, candidates: list[Study]) -> list[Study]:
    """Candidates published in a year the sentence names, when some are (else all of them)."""
    years = {int(y) for y in _YEAR.findall(text)}
    if not years or len(candidates) < 2:
        return candidates
    hit = [s for s in candidates if s.citation and s.citation.year in years]
    return hit or candidates


def field_verification(described: Sequence[Described], start: int, end: int) -> tuple[list[str], list[str]]:
    """Fields of the article's records whose spans fall in the sentence: (confirmed, unconfirmed) paths."""
    confirmed: list[str] = []
    unconfirmed: list[str] = []
    for d in described:
        for a, b, path in d.spans:
            if a < end and b > start:
                if path in ("species", "condition", "controlled", "comparator") or path.startswith(
                    "interventions[0].name"
                ):
                    continue
                marked = d.study.verification_of(path)
                if marked is None:
                    continue
                ver = marked
                name = _field_label(d.study, path)
                (unconfirmed if ver == "unverified" else confirmed).append(f"{name} [{ver}]")
    return sorted(set(confirmed)), sorted(set(unconfirmed))


def _field_label(study: Study, path: str) -> str:
    m = re.match(r"outcomes\[(\d+)\]", path)
    if m and int(m.group(1)) < len(study.outcomes):
        return study.outcomes[int(m.group(1))].name
    m = re.match(r"population\.subgroups\[(\d+)\]", path)
    if m and int(m.group(1)) < len(study.population.subgroups):
        return f"subgroup '{study.population.subgroups[int(m.group(1))].label}'"
    plain = {
        "duration_days": "treatment duration",
        "interventions[0].duration_days": "treatment duration",
        "population.n": "sample size",
        "population.n_enrolled": "number enrolled",
        "population.n_analyzed": "number analysed",
        "design": "design",
        "periods": "study periods",
        "interventions[0].dose_mg": "dose",
    }
    if path in plain:
        return plain[path]
    m = re.match(r"adverse_events\[(\d+)\]", path)
    if m and int(m.group(1)) < len(study.adverse_events):
        return study.adverse_events[int(m.group(1))].name
    return path


#: A sentence that points back to the study the previous sentence described.
BACKREF = re.compile(
    r"\b(?:that|this|the same|the)\s+(?:\w+\s+)?(?:trial|study|pilot|review|report|cohort|analysis)\b|"
    r"^(?:It|They)\s+(?:found|showed|reported|also)\b|\b(?:one|both|neither|each) of (?:them|the(?:se|m)?)\b|"
    r"\balso\b",
    re.I,
)


def names_condition(text: str) -> bool:
    """True when the sentence names a condition of the vocabulary."""
    try:
        from ldn_atlas.vocabulary import load_vocabulary

        return bool(load_vocabulary().mentions(text))
    except Exception:  # pragma: no cover
        return False


def document_topic(text: str) -> str | None:
    """The label of the condition an article is mostly about (over half its condition mentions), if any.

    Used as the section of last resort when neither a sentence nor its heading names a condition.
    """
    try:
        from ldn_atlas.vocabulary import load_vocabulary

        vocab = load_vocabulary()
        mentions = vocab.mentions(text[: body_end(text)])
    except Exception:  # pragma: no cover
        return None
    counts: dict[str, int] = {}
    labels: dict[str, str] = {}
    for e, _, _ in mentions:
        key = e.maps_to or e.id
        counts[key] = counts.get(key, 0) + 1
        labels.setdefault(key, e.label)
    if not counts:
        return None
    key, n = max(counts.items(), key=lambda kv: kv[1])
    if n * 2 <= sum(counts.values()):
        return None
    return labels[key]


def names_other_condition(text: str, studies: Sequence[Study]) -> bool:
    """True when the sentence names a condition none of the studies is about."""
    try:
        from ldn_atlas.vocabulary import load_vocabulary

        vocab = load_vocabulary()
        named = {e.maps_to or e.id for e, _, _ in vocab.mentions(text)}
    except Exception:  # pragma: no cover
        return False
    if not named:
        return False
    keys = set()
    for s in studies:
        e = vocab.by_code(s.condition.code) if s.condition.code else vocab.lookup(s.condition.label)
        if e is not None:
            keys.add(e.maps_to or e.id)
    return not (named & keys)


#: A sentence that refers back to what the previous one reported ("Such conclusions ...", "These findings ...").
ANAPHORA = re.compile(
    r"(?:such|these|those|this|that)\s+(?:\w+\s+)?(?:conclusions?|findings?|results?|data|"
    r"observations?|evidence|studies|experiments)\b",
    re.I,
)


def condition_key(study: Study) -> str | None:
    """The vocabulary key of a study's condition (a subtype maps to its parent), if known."""
    try:
        from ldn_atlas.vocabulary import load_vocabulary

        vocab = load_vocabulary()
    except Exception:  # pragma: no cover
        return None
    e = vocab.by_code(study.condition.code) if study.condition.code else vocab.lookup(study.condition.label)
    return (e.maps_to or e.id) if e is not None else None


def _overlaps(d: Described, start: int, end: int) -> bool:
    return any(a < end and b > start for a, b, path in d.spans if path not in WEAK_LINK_FIELDS)


@dataclass
class SentenceLinker:
    """Links the sentences of one source, in order, to the studies they are about.

    A sentence is linked to the article's records whose provenance spans fall in it; without such a
    span it inherits the previous sentence's studies in its paragraph, or (after "Such findings ...")
    everything the previous paragraph reported.  In a source the base does not know, sentences are
    linked by content (:func:`fallback_links`), a back-reference keeping the previous sentence's study.
    """

    described: Sequence[Described]
    studies: Sequence[Study]
    by_id: dict[str, Study]
    prev_para: int = -1
    prev_links: list[Described] = field(default_factory=list)
    fb_para: int = -1
    fb_prev: list[Study] = field(default_factory=list)
    para_links: dict[int, list[Described]] = field(default_factory=dict)

    def link(self, text: str, start: int, end: int, paragraph: int, section: str | None) -> LinkedSentence:
        """The records the sentence describes (``here``) and the primary records it is checked against."""
        here = self._described_here(text, start, end, paragraph)
        primaries: list[Study] = []
        for d in here:
            p = resolve(d.study, self.by_id)
            if p is not None and p not in primaries:
                primaries.append(p)
        if not here and not self.described:
            primaries = self._by_content(text, paragraph, section)
        return LinkedSentence(here, primaries, linked_studies(here, primaries, self.by_id))

    def _described_here(self, text: str, start: int, end: int, paragraph: int) -> list[Described]:
        here = [d for d in self.described if _overlaps(d, start, end)]
        if not here and paragraph == self.prev_para:
            here = self.prev_links
        elif not here and ANAPHORA.match(text):
            here = list(self.para_links.get(self.prev_para, []))  # "Such conclusions": the last paragraph's records
        self.prev_para, self.prev_links = paragraph, here
        seen = self.para_links.setdefault(paragraph, [])
        seen.extend(d for d in here if d not in seen)
        return here

    def _by_content(self, text: str, paragraph: int, section: str | None) -> list[Study]:
        primaries = fallback_links(text, section, self.studies)
        fb_prev = self.fb_prev
        if (
            paragraph == self.fb_para
            and fb_prev
            and BACKREF.search(text)
            and not names_condition(text)
            and len(primaries) != 1
            and (not primaries or set(map(id, fb_prev)) & set(map(id, primaries)))
        ):
            primaries = list(fb_prev)  # "In that trial, ...": the study the previous sentence named
        if not primaries and paragraph == self.fb_para and not names_other_condition(text, fb_prev):
            primaries = list(fb_prev)
        self.fb_para, self.fb_prev = paragraph, list(primaries)
        return primaries


@dataclass
class LinkedSentence:
    """What a sentence is linked to: the article's records in it, their primary records, and both as links."""

    here: list[Described]
    primaries: list[Study]
    linked: list[LinkedStudy]


def linked_studies(here: Sequence[Described], primaries: Sequence[Study], by_id: dict[str, Study]) -> list[LinkedStudy]:
    """The links of a sentence: each described study with its primary record, then the other primary records."""
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
    return linked
