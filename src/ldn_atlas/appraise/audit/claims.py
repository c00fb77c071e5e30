"""Sentences to claims: the body's prose sentences, each with its kind, strength and numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ldn_atlas.appraise.audit.wording import EFFICACY, MECHANISM, NULL, PROOF, RESULT, SAFETY, STRONG
from ldn_atlas.extract.patterns import DAYS_PER, NUMBER, parse_number
from ldn_atlas.model.evidence import ClaimKind, ClaimStrength

_HEDGE = re.compile(
    r"\b(may|might|suggest\w*|possibl[ey]|preliminary|appear\w*|potential(?:ly)?|"
    r"is needed|are needed|further research|uncertain|limited|(?:is|are) (?:thought|believed|hypothesi[sz]ed) to)\b",
    re.I,
)


#: Category words of a classification claim -> ICD-10 chapters where a condition so described belongs.
_CATEGORY_CHAPTERS: list[tuple[re.Pattern[str], frozenset[int], str]] = [
    (
        re.compile(r"\bsexual\b|\breproductive\b|gyn(?:a)?ecolog|\bgenitourinary\b|\burolog", re.I),
        frozenset({5, 14, 15}),
        "sexual or reproductive health",
    ),
    (
        re.compile(r"\bneurolog|\bnervous system\b|\bneurodegenerative\b|\bdemyelinating\b", re.I),
        frozenset({6}),
        "nervous system",
    ),
    (re.compile(r"\bmusculoskeletal\b|\brheumat|\bconnective tissue\b", re.I), frozenset({13}), "musculoskeletal"),
    (re.compile(r"\bmental\b|\bpsychiatric\b|\bpsychological\b", re.I), frozenset({5}), "mental health"),
    (re.compile(r"\bdigestive\b|\bgastro\w*\b|\bbowel\b", re.I), frozenset({11}), "digestive"),
    (re.compile(r"\bskin\b|\bdermatolog", re.I), frozenset({12}), "skin"),
    (re.compile(r"\binfectious\b|\bviral\b|\bbacterial\b", re.I), frozenset({1, 22}), "infectious"),
    (re.compile(r"\bcancer\b|\btumou?r\b|\boncolog|\bmalignan", re.I), frozenset({2}), "neoplasm"),
    (re.compile(r"\bcardio\w*|\bheart\b", re.I), frozenset({9}), "circulatory"),
    (re.compile(r"\brespiratory\b|\blung\b", re.I), frozenset({10}), "respiratory"),
    (re.compile(r"\bendocrine\b|\bmetabolic\b", re.I), frozenset({4}), "endocrine or metabolic"),
]


_CATEGORY_PHRASE = re.compile(
    r"\b(?:this|that|a|an|the|as a|is a|is an)\s+((?:[\w-]+\s+){0,4}?)(condition|disorder|disease|illness|"
    r"syndrome|problem)\b",
    re.I,
)


_CATEGORY_AFTER = re.compile(r"\b(?:condition|disorder|disease|illness)\s+of\s+the\s+((?:[\w-]+\s+){0,2}[\w-]+)", re.I)


_BODY_END = re.compile(
    r"^\s*(references?|reference article link|sources|about the (?:creator|author)|"
    r"comments|bibliography)\b",
    re.I | re.M,
)


#: a number in digits or words ("forty", "seventeen", "a couple"), one capture group
_NUM = rf"({NUMBER}|couple)"


_PERSONS = (
    r"(?:patients?|participants?|subjects?|women|men|people|persons?|individuals?|sufferers|cases|children|"
    r"adults|volunteers|(?:female|male) patients)"
)


_RE_COUNT = re.compile(_NUM + r"\s+(?:\w+\s+){0,1}" + _PERSONS + r"\b", re.I)


_SAMPLE_CUE = re.compile(
    r"\b(includ\w*|comprised|enrolled|recruited|assessed|randomi[sz]ed|carried out on|"
    r"conducted (?:on|in)|involving|of|with|in)\s+(?:\w+\s+)?$",
    re.I,
)


_RE_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")


_RE_DURATION = re.compile(_NUM + r"[\s-]+(day|week|month|year)s?(?:[\s-]+long)?\b", re.I)


_RE_DOSE = re.compile(r"(\d+(?:\.\d+)?)\s*mg\b", re.I)


_DAYS = DAYS_PER


def _number(token: str) -> float:
    value = parse_number(token)
    if value is None:
        raise ValueError(f"not a number: {token!r}")
    return value


_SENT_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9β])")


_ABBREV = re.compile(r"(?:\b(?:e\.g|i\.e|et al|vs|Dr|Mr|Mrs|Ms|Prof|Fig|No|approx|ca)\.|\b[A-Z]\.)$")


@dataclass(frozen=True)
class ProseSentence:
    """A prose sentence of the body: its offsets, text and paragraph number."""

    start: int
    end: int
    text: str
    paragraph: int


def body_end(text: str) -> int:
    """Where the body ends: at a references / about-the-author heading, else the end of the text."""
    m = _BODY_END.search(text)
    return m.start() if m else len(text)


def sentences(text: str) -> list[ProseSentence]:
    """Prose sentences of the body with offsets; headings, bylines and boilerplate are skipped.

    A paragraph is a block between blank lines (or a single line); a sentence must have at
    least three words and end with ``.``, ``!`` or ``?`` (or be a long line of 12+ words).
    """
    end_body = body_end(text)
    out: list[ProseSentence] = []
    para = 0
    for pm in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text[:end_body]):
        block = pm.group(0)
        para += 1
        pieces: list[tuple[int, int]] = []
        cursor = 0
        for m in _SENT_END.finditer(block):
            head = block[cursor : m.start()].rstrip()
            if _ABBREV.search(head):
                continue
            pieces.append((cursor, m.start()))
            cursor = m.end()
        pieces.append((cursor, len(block)))
        for a, b in pieces:
            seg = block[a:b]
            stripped = seg.strip()
            if not stripped:
                continue
            lead = len(seg) - len(seg.lstrip())
            words = len(stripped.split())
            terminal = stripped[-1] in ".!?"
            if words < 3 or not (terminal or words >= 12):
                continue
            s0 = pm.start() + a + lead
            out.append(ProseSentence(s0, s0 + len(stripped), stripped, para))
    return out


def claim_strength(text: str) -> ClaimStrength:
    """``proof`` for proof words, ``strong`` for intensifiers, ``hedged`` for hedges, else ``neutral``."""
    if PROOF.search(text):
        return "proof"
    if any(not _negated_significance(text, m) for m in STRONG.finditer(text)):
        return "strong"
    if _HEDGE.search(text):
        return "hedged"
    return "neutral"


def _negated_significance(text: str, m: re.Match[str]) -> bool:
    """'did not improve significantly': a null finding, not an intensifier."""
    return m.group(0).lower() == "significantly" and bool(
        re.search(r"\b(?:not|no|never|nor)\b[^.;]{0,30}$", text[: m.start()], re.I)
    )


def category_claim(text: str) -> tuple[str, frozenset[int], str] | None:
    """(phrase, ICD-10 chapters, category name) when the sentence places a condition in a category."""
    for m in [*_CATEGORY_PHRASE.finditer(text), *_CATEGORY_AFTER.finditer(text)]:
        words = m.group(1)
        for pat, chapters, name in _CATEGORY_CHAPTERS:
            if pat.search(words):
                return m.group(0), chapters, name
    return None


def claim_kind(text: str, species: set[str]) -> ClaimKind:
    """``classification``, ``mechanism``, ``safety``, ``efficacy`` or ``background``, from the wording."""
    if category_claim(text):
        return "classification"
    if MECHANISM.search(text) or ({"animal", "in-vitro"} & species):
        return "mechanism"
    if SAFETY.search(text):
        return "safety"
    if (EFFICACY.search(text) and RESULT.search(text)) or NULL.search(text):
        return "efficacy"
    return "background"


@dataclass
class Numbers:
    """The numbers a claim states: counts (with "more than"), percentages, durations in days, doses."""

    counts: list[tuple[float, bool]] = field(default_factory=list)  # (value, "more than")
    percents: list[float] = field(default_factory=list)
    durations: list[float] = field(default_factory=list)  # days
    doses: list[float] = field(default_factory=list)
    sample_sizes: set[float] = field(default_factory=set)

    def empty(self) -> bool:
        return not (self.counts or self.percents or self.durations or self.doses)


def claim_numbers(text: str) -> Numbers:
    """Counts, percentages, durations (the study's, not a disease history) and doses of a sentence."""
    nums = Numbers()
    for m in _RE_COUNT.finditer(text):
        before = text[max(0, m.start() - 12) : m.start()].lower()
        value = _number(m.group(1))
        nums.counts.append((value, "more than" in before or "over" in before))
        if _SAMPLE_CUE.search(text[max(0, m.start() - 30) : m.start()]):
            nums.sample_sizes.add(value)
    nums.percents = [float(m.group(1)) for m in _RE_PERCENT.finditer(text)]
    for m in _RE_DURATION.finditer(text):
        before = text[max(0, m.start() - 15) : m.start()].lower()
        if re.search(r"(more than|over|for the|following the|after|within)\s*$", before) and "long" not in m.group(0):
            continue  # disease history or follow-up, not the study's length
        if re.search(r"\bhad\b[^.;]{0,50}\bfor\s*$", text[max(0, m.start() - 60) : m.start()], re.I):
            continue  # "had used a cane for six years": the patient's history (past perfect)
        if re.search(
            r"(disease duration|duration of (?:the )?(?:disease|illness)|history)\b", text[: m.start()][-40:], re.I
        ):
            continue
        nums.durations.append(_number(m.group(1)) * _DAYS[m.group(2).lower()])
    nums.doses = [float(m.group(1)) for m in _RE_DOSE.finditer(text)]
    return nums


#: Where a trial abstract's conclusion starts: a structured header, else a concluding phrase.
CONCLUSION_HEAD = re.compile(
    r"(?:^|\n|(?<=[.!?])\s+)\s*(?:[A-Z]+\.)?(CONCLUSIONS?|INTERPRETATION|Conclusions?)\s*[:.]\s*"
)


_CONCLUSION_CUE = re.compile(
    r"(?:^|(?<=[.!?])\s+)(?=(?:In conclusion|To conclude|We conclude|Overall, (?:these|our)|"
    r"(?:These|Our) (?:findings|results|data) (?:suggest|show|indicate|demonstrate|support)))"
)


_NEXT_HEAD = re.compile(r"\n\s*(?:[A-Z]+\.)?[A-Z][A-Za-z ]{2,40}:")


RESULTS_HEAD = re.compile(r"(?:^|\n|(?<=[.!?])\s+)\s*(?:[A-Z]+\.)?RESULTS?\s*[:.]", re.I)


def abstract_parts(text: str) -> tuple[int, int, int] | None:
    """(end of the results, start and end of the conclusion) when ``text`` reads as a trial abstract.

    A structured abstract has a ``CONCLUSION(S):`` header; an unstructured one a concluding phrase
    ("In conclusion", "These findings suggest") after at least two sentences.  The results are the text
    before the conclusion, which must report something (a ``RESULTS`` header or a result word); the
    conclusion ends at the next section header (trial registration, a summary), else at the end.
    ``None`` when the text does not read as an abstract.
    """
    m = CONCLUSION_HEAD.search(text)
    start = m.end() if m else None
    head = m.start() if m else None
    if m is None:
        cues = [c for c in _CONCLUSION_CUE.finditer(text) if len(sentences(text[: c.start()])) >= 2]
        if not cues:
            return None
        head = start = cues[-1].start()
    assert head is not None and start is not None
    before = text[:head]
    if not (RESULTS_HEAD.search(before) or RESULT.search(before)) or len(sentences(before)) < 2:
        return None
    nxt = _NEXT_HEAD.search(text, start)
    return head, start, nxt.start() if nxt else len(text)


def results_text(text: str) -> str:
    """A structured abstract up to its conclusion (a spun conclusion must not confirm a claim), else all of it.

    The prefix keeps evidence offsets valid in the full text.
    """
    parts = abstract_parts(text)
    if parts is not None and RESULTS_HEAD.search(text[: parts[0]]):
        return text[: parts[0]]
    return text
