"""Paragraphs, sentences and study segmentation.

A review-style article describes several studies in prose.  The segmenter
reads it sentence by sentence and starts a new candidate study when a sentence

* introduces a study with an indefinite or counting noun phrase
  ("a retrospective study", "another case report", "two placebo-controlled
  randomized trials": the last one opens two studies);
* names a study with an ordinal or temporal modifier ("the opening research",
  "the most recent research", "former in vitro experiments", "an earlier
  investigation", "preliminary investigations");
* switches species inside a paragraph that already describes a study
  ("... were also seen in humans with MS" after work in mice);
* or, in a paragraph that has no study yet, reports a treated sample
  ("LDN has notably improved the symptoms ... in three patients").

Other sentences continue the current study of their paragraph.  A paragraph
that opens without a cue continues the previous study only when it refers back
to it ("the trial", "these patients"); otherwise it is background.  Sentences
that only describe the current study ("It was a ten weeks long, single-blind
investigation") do not start a new one.  After "two ... trials, seventeen-week
long and eight-week long", sentences such as "The seventeen-week-long study ..."
are routed to the study with that duration.

An abstract (a PubMed record or a short text) is one study.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ldn_atlas.extract.patterns import DAYS_PER, DURATION_GATED, NUMBER, gate, parse_number, rx

_ABBREV = {
    "e.g",
    "i.e",
    "vs",
    "et al",
    "al",
    "dr",
    "fig",
    "figs",
    "approx",
    "no",
    "nos",
    "st",
    "mr",
    "mrs",
    "jr",
    "inc",
    "ca",
    "cf",
    "etc",
    "min",
    "max",
    "mg",
    "ref",
    "refs",
    "vol",
    "u.s",
    "p",
    "resp",
    "eq",
    "ed",
    "eds",
    "sd",
}
_BOUNDARY = rx("sentence_boundary", r"[.!?][\"')\]]{0,3}(?=\s{1,5}[\"'(\[]{0,2}[A-Z0-9β])", 0)
_LAST_TOKEN = rx("last_token", r"([A-Za-z][A-Za-z.]{0,10})$", 0)

STUDY_NOUN = (
    r"(?:case reports?|case series|case stud(?:y|ies)|stud(?:y|ies)|trials?|investigations?|experiments?|"
    r"research|review|cohort|survey|pilot)(?![\w-])"
)
_STOP_MODS = {
    "the",
    "of",
    "in",
    "on",
    "with",
    "was",
    "were",
    "is",
    "are",
    "that",
    "which",
    "by",
    "for",
    "to",
    "from",
    "at",
    "as",
    "this",
    "these",
    "their",
    "its",
    "has",
    "have",
    "had",
    "be",
    "been",
    "than",
    "after",
    "before",
    "who",
    "whom",
    "it",
    "they",
    "we",
    "our",
}
_INTRO = rx(
    "study_intro",
    r"\b(?P<det>an?|another|one|two|three|four|five|six|several|\d{1,2})\s"
    r"(?P<mods>(?:[\w'-]{1,30},?\s){0,6}?)(?P<noun>" + STUDY_NOUN + ")",
)
_ORDINAL = rx(
    "study_ordinal",
    r"(?<![\w-])(?:(?:the|an?)\s)?(?P<ord>opening|first|initial|second|third|latest|most recent|more recent|"
    r"recent|earlier|former|preliminary|previous|prior|subsequent|later|newer|follow-up)\s"
    r"(?P<mods>(?:[\w'-]{1,30}\s){0,3}?)(?P<noun>" + STUDY_NOUN + ")",
)
_COPULA = rx(
    "study_copula", r"^(?:it|this|that|which|the (?:study|trial|investigation|research))\s(?:was|is)\b"
)
_ANAPHOR = rx(
    "study_anaphor",
    r"\b(?:the|this|that|these|both) (?:(?:[\w-]{1,25} ){0,2})(?:stud(?:y|ies)|trials?|investigation|"
    r"research|"
    r"patients|subjects|participants|women|men|mice|animals|cases?)\b",
)
_SAME = rx(
    "study_same",
    r"\b(?:the )?same (?P<what>group(?: of [\w-]{1,20})?|cohort|patients|population|participants|"
    r"subjects|women|"
    r"(?:[\w-]{1,20} )?model|mice|animals|sample)\b",
)
_SPECIES_MARK = rx(
    "species_marker",
    r"\b(?:in|on|from) (?:the )?(?:(?P<human>humans?|(?:[\w-]{1,20} )?(?:patients|people|subjects|volunteers|"
    r"participants))|(?P<animal>(?:[\w-]{1,30} ){0,2}(?:mice|mouse|rats?|animals|rodents|dogs|rabbits|"
    r"primates))|(?P<vitro>vitro))\b",
)
_SAMPLE = rx(
    "sample_phrase",
    r"(?<![\w.,])(?=[\dzotfsenha])"
    rf"(?:{NUMBER}|\ban?\b) (?:[\w-]{{1,25}} ){{0,2}}(?:patients?|subjects|participants|women|men|"
    rf"persons|people|"
    r"individuals|volunteers|cases|sufferers|mice|rats)\b",
)
_TREATMENT = rx("treatment_word", r"\b(?:LDN|naltrexone|treated|treatment|therapy|administ\w{1,8}|given)\b")
_STUDY_KEYS = ("stud", "trial", "investigation", "experiment", "research", "review", "cohort", "survey", "pilot",
               "case report", "case series")
_INTRO = gate(_INTRO, *_STUDY_KEYS)
_ORDINAL = gate(_ORDINAL, *_STUDY_KEYS)
_TREATMENT = gate(_TREATMENT, "ldn", "naltrexone", "treat", "therapy", "administ", "given")
_AUTHOR = rx(
    "study_author",
    r"\b(?P<name>[A-Z][a-z][A-Za-z'-]{0,30})(?: (?:and|&) [A-Z][A-Za-z'-]{1,30})?,? "
    r"(?:et al\.?|and (?:his |her |their )?(?:colleagues|co-?workers|coworkers|team))",
    0,
)
_ROUTE_ORD = rx("route_ordinal", r"^(?:the )?(?P<ord>first|former|second|latter|last)\b")


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int
    section: str | None = None


@dataclass(slots=True)
class Paragraph:
    start: int
    end: int
    heading: bool


@dataclass(slots=True)
class Segment:
    """One candidate study: its sentences and how it was found."""

    sentences: list[Sentence] = field(default_factory=list)
    cue: tuple[int, int] | None = None
    cue_kind: str = ""
    exclude: list[tuple[int, int]] = field(default_factory=list)
    descriptor_days: float | None = None
    descriptor_span: tuple[int, int] | None = None
    same_as: int | None = None
    same_what: str | None = None
    context: list[Sentence] = field(default_factory=list)
    paragraph: int = 0
    species: str | None = None  # the first explicit species marker of its sentences (cached)
    scanned: int = 0  # sentences already searched for that marker
    author: str | None = None  # "Smith" of "Smith et al." when the text names the study by its authors

    @property
    def start(self) -> int:
        return min(s.start for s in self.sentences)

    @property
    def end(self) -> int:
        return max(s.end for s in self.sentences)


def paragraphs(text: str) -> list[Paragraph]:
    """Blank-line separated blocks; a short line without final punctuation is a heading."""
    out = []
    pos = 0
    for block in text.split("\n\n"):
        start = pos
        end = pos + len(block)
        pos = end + 2
        stripped = block.strip()
        if not stripped:
            continue
        lead = len(block) - len(block.lstrip())
        heading = (
            "\n" not in stripped and len(stripped) <= 100 and not stripped.endswith((".", "?", "!", ":", ";"))
        )
        out.append(Paragraph(start + lead, start + lead + len(stripped), heading))
    return out


def split_sentences(
    text: str, start: int, end: int, paragraph: int = 0, section: str | None = None
) -> list[Sentence]:
    """Sentences of ``text[start:end]`` with absolute offsets (a line break always ends one)."""
    out: list[Sentence] = []
    for line_match in re.finditer(r"[^\n]+", text[start:end]):
        ls = start + line_match.start()
        line = line_match.group(0)
        cursor = 0
        for m in _BOUNDARY.finditer(line):
            token = _LAST_TOKEN.search(line[max(0, m.start() - 12) : m.start()])
            if token and token.group(1).lower().rstrip(".") in _ABBREV:
                continue
            if (
                m.start() > 0
                and line[m.start() - 1].isupper()
                and (m.start() < 2 or line[m.start() - 2] in " .")
            ):
                continue  # an initial: "J. Smith"
            piece_end = m.end()
            _add(out, text, ls + cursor, ls + piece_end, paragraph, section)
            cursor = piece_end
        _add(out, text, ls + cursor, ls + len(line), paragraph, section)
    return out


def _add(out: list[Sentence], text: str, s: int, e: int, paragraph: int, section: str | None) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        out.append(Sentence(s, e, text[s:e], paragraph, section))


def _mods_ok(mods: str) -> bool:
    mods = re.sub(r"\bin (?:vitro|vivo|silico)\b", "", mods, flags=re.IGNORECASE)
    words = [w.strip(",").lower() for w in mods.split()]
    return not any(w in _STOP_MODS for w in words)


def study_cue(sentence: str) -> tuple[int, int, int, str] | None:
    """``(start, end, count, kind)`` of the phrase that introduces a new study, or ``None``.

    >>> study_cue("After some time, a retrospective study assessed 215 patients.")[2:]
    (1, 'intro')
    >>> study_cue("Moreover, two placebo-controlled randomized trials, seventeen-week long and ...")[2:]
    (2, 'intro')
    >>> study_cue("It was a ten weeks long, single-blind investigation.") is None
    True
    """
    if _COPULA.match(sentence.lower()):
        return None
    best: tuple[int, int, int, str] | None = None
    for m in _ORDINAL.finditer(sentence):
        if _mods_ok(m.group("mods")):
            best = (m.start(), m.end(), 1, "ordinal")
            break
    if best is None:
        author = _AUTHOR.search(sentence[:120])
        if author is not None:
            best = (author.start(), author.end(), 1, "author")
    for m in _INTRO.finditer(sentence):
        if not _mods_ok(m.group("mods")):
            continue
        after = sentence[m.end() : m.end() + 30].lower()
        if after.startswith((" mentioned", " above", " described above", " cited")):
            continue
        det = m.group("det").lower()
        count = 1
        noun = m.group("noun").lower()
        plural = noun.endswith(("s", "ies")) and noun not in ("case series", "research")
        if det not in ("a", "an", "another", "one", "several") and plural:
            value = parse_number(det)
            count = int(value) if value and 2 <= value <= 6 else 1
        if best is None or m.start() < best[0] or count > 1:
            best = (m.start(), m.end(), count, "intro")
        break
    return best


def _species_of(sentence: str) -> str | None:
    m = _SPECIES_MARK.search(sentence)
    if not m:
        return None
    if m.group("vitro"):
        return "in-vitro"
    if m.group("animal"):
        return "animal"
    return "human"


def _durations(sentence: Sentence) -> list[tuple[float, int, int]]:
    out = []
    for m in DURATION_GATED.finditer(sentence.text):
        value = parse_number(m.group("num"))
        if value is None:
            continue
        out.append(
            (value * DAYS_PER[m.group("unit").lower()], sentence.start + m.start(), sentence.start + m.end())
        )
    return out


def segment_article(text: str) -> tuple[list[Segment], list[Paragraph], list[Sentence]]:
    """Candidate studies of a review-style text, with its paragraphs and all sentences.

    Each sentence of a paragraph continues a named author's study, opens new studies (a study cue),
    starts an implicit one, joins the paragraph's background, or goes to the current study (or to
    the members of a group opened by one plural cue).
    """
    paras = paragraphs(text)
    all_sentences: list[Sentence] = []
    segments: list[Segment] = []
    group: list[int] = []  # indices of the studies opened by one plural cue
    group_routed: list[int] = []
    for pi, para in enumerate(paras):
        sents = split_sentences(text, para.start, para.end, pi)
        all_sentences.extend(sents)
        if para.heading:
            group = []
            continue
        current: int | None = None
        background: list[Sentence] = []
        for si, sent in enumerate(sents):
            cue = study_cue(sent.text)
            author = _AUTHOR.search(sent.text)
            named = author.group("name") if author else None
            if cue is not None and named is not None:
                same = _same_author(cue, named, segments)
                if same is not None:
                    segments[same].sentences.append(sent)  # "Smith et al. also found ..." continues their study
                    current = same
                    continue
            if cue is not None:
                group = _open_studies(sent, cue, named, pi, background, segments)
                group_routed = []
                current = len(segments) - 1
                continue
            if current is None:
                current = _before_first_study(sent, si, pi, background, segments)
                continue
            current = _add_to_study(sent, current, pi, group, group_routed, segments)
    return segments, paras, all_sentences


def _same_author(cue: tuple[int, int, int, str], named: str, segments: list[Segment]) -> int | None:
    """The study of the author ``named`` that a cued sentence continues, if it continues one."""
    same = next((j for j in range(len(segments) - 1, -1, -1) if segments[j].author == named), None)
    if same is not None and (cue[3] == "author" or (cue[2] == 1 and same == len(segments) - 1)):
        return same
    return None


def _open_studies(
    sent: Sentence,
    cue: tuple[int, int, int, str],
    named: str | None,
    pi: int,
    background: list[Sentence],
    segments: list[Segment],
) -> list[int]:
    """Open the ``count`` studies of a study cue; the indices of the group when it opens several."""
    start, end, count, kind = cue
    group: list[int] = []
    descriptors = _durations(sent) if count > 1 else []
    if count > 1 and len(descriptors) != count:
        descriptors = []
    for k in range(count):
        seg = Segment(
            [sent],
            (sent.start + start, sent.start + end),
            kind,
            paragraph=pi,
            context=list(background),
        )
        if descriptors:
            seg.descriptor_days = descriptors[k][0]
            seg.descriptor_span = (descriptors[k][1], descriptors[k][2])
            seg.exclude = [(d[1], d[2]) for j, d in enumerate(descriptors) if j != k]
        _link_same(seg, sent, segments)
        seg.author = named if count == 1 else None
        segments.append(seg)
        if count > 1:
            group.append(len(segments) - 1)
    return group


def _before_first_study(
    sent: Sentence, si: int, pi: int, background: list[Sentence], segments: list[Segment]
) -> int | None:
    """A sentence before the paragraph's first study: an anaphor, an implicit study, or background (None)."""
    if si == 0 and segments and _ANAPHOR.search(sent.text) and not _SAMPLE.search(sent.text):
        current = len(segments) - 1
        segments[current].sentences.append(sent)
        return current
    if _SAMPLE.search(sent.text) and _TREATMENT.search(sent.text):
        seg = Segment([sent], (sent.start, sent.end), "implicit", paragraph=pi, context=list(background))
        _link_same(seg, sent, segments)
        segments.append(seg)
        return len(segments) - 1
    background.append(sent)
    return None


def _add_to_study(
    sent: Sentence, current: int, pi: int, group: list[int], group_routed: list[int], segments: list[Segment]
) -> int:
    """Add a sentence to the current study, a new one (species switch) or the group's members; the new current."""
    species = _species_of(sent.text)
    cur_species = _segment_species(segments[current])
    if species is not None and cur_species is not None and species != cur_species and not group:
        seg = Segment([sent], (sent.start, sent.end), "species-switch", paragraph=pi)
        _link_same(seg, sent, segments)
        segments.append(seg)
        return len(segments) - 1
    if group and segments[current].paragraph == pi:
        target = _route(sent, [segments[g] for g in group], group_routed)
        if target is None:
            for g in group:
                segments[g].sentences.append(sent)
        else:
            segments[group[target]].sentences.append(sent)
            group_routed.append(target)
        return current
    segments[current].sentences.append(sent)
    return current


def _route(sent: Sentence, members: list[Segment], routed: list[int]) -> int | None:
    low = sent.text.lower()
    for days, _s, _e in _durations(sent):
        for k, seg in enumerate(members):
            if seg.descriptor_days is not None and abs(seg.descriptor_days - days) < 0.5:
                return k
    m = _ROUTE_ORD.match(low)
    if m:
        return 0 if m.group("ord") in ("first", "former") else len(members) - 1
    if low.startswith(("both", "each", "the two", "all")):
        return None
    return routed[-1] if routed else None


def _link_same(seg: Segment, sent: Sentence, segments: list[Segment]) -> None:
    m = _SAME.search(sent.text)
    if not m or not segments:
        return
    what = m.group("what").lower()
    seg.same_what = what
    want = "animal" if ("model" in what or "mice" in what or "animals" in what) else None
    for j in range(len(segments) - 1, -1, -1):
        if want is None or _segment_species(segments[j]) == want:
            seg.same_as = j
            return


def _segment_species(seg: Segment) -> str | None:
    while seg.species is None and seg.scanned < len(seg.sentences):
        seg.species = _species_of(seg.sentences[seg.scanned].text)
        seg.scanned += 1
    return seg.species
