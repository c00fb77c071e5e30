"""Text primitives for evidence inference: sentences with spans, tokens, stems, abbreviations.

Everything here is linear in the length of the input: the regular expressions have no nested
quantifiers over overlapping classes, so pathological inputs (a megabyte of digits and hyphens)
cannot trigger catastrophic backtracking.

The sentence splitter knows trial-report prose: it does not split at decimals (``p < 0.05``,
``P = .03``), at abbreviations (``vs.``, ``et al.``, ``e.g.``, ``Fig.``), at initials, or inside
brackets, and it treats the section headers of structured abstracts (``ABSTRACT.RESULTS:``,
``TITLE:``, inline ``Results.``) as section markers, not sentences.

References
----------
.. [1] Porter, M. F. (1980). An algorithm for suffix stripping. *Program*, 14(3), 130-137.
   (The stemmer below is a light suffix stripper in the same spirit, not a full Porter stemmer.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "STOPWORDS",
    "AbstractDoc",
    "Sentence",
    "char_ngrams",
    "content_stems",
    "parse_abstract",
    "section_kind",
    "split_sentences",
    "stem",
    "tokenize",
    "words",
]

SECTION_KINDS = ("title", "background", "methods", "results", "conclusions", "other")

# Header lines of the Evidence Inference abstract files and of PubMed structured abstracts.
_HEADER_LINE = re.compile(r"[ \t]*(?:TITLE|ABSTRACT(?:\.[^\n:]{0,80})?)[ \t]*:+[ \t]*(?=\n|$)")
# Inline headers at the start of a paragraph: "Results." / "RESULTS:" / "Conclusions -".
_INLINE_HEADER = re.compile(
    r"(?:background|objectives?|aims?|purpose|introduction|context|methods?|design|setting|"
    r"participants|patients and methods|materials? and methods|interventions?|main outcome measures?|"
    r"measurements|results?|findings|conclusions?|interpretation|discussion|trial registration)"
    r"[ \t]*[.:\-–—][ \t]+",
    re.IGNORECASE,
)

def words(text: str) -> list[str]:
    """The whitespace-separated words of ``text`` (for word lists written as one string)."""
    return text.split()


_ABBREVIATIONS = frozenset(
    words("""
    vs v al e.g i.e eg ie etc fig figs tab no nos approx ca cf dr mr mrs ms prof st resp
    incl min max mo wk wks yr yrs hr hrs sec inc ltd co corp dept univ jan feb mar apr jun jul aug
    sep sept oct nov dec ref refs vol suppl ed eds sd se iu u.s b.i.d t.i.d q.i.d p.o i.v i.m s.c
    """)
)

# Candidate sentence boundary: terminal punctuation, optional closing quotes/brackets, whitespace.
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*\s+")
_NEXT_START = re.compile(r"[\"'“‘(\[]*[A-Z0-9]")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]{0,11})$")

_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:['’-][A-Za-z0-9]+)*|\d+(?:\.\d+)?")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of an abstract: its text, character span and section.

    Attributes
    ----------
    text
        The sentence text, exactly ``abstract[start:end]``.
    start, end
        Character offsets into the abstract.
    section
        One of ``title``, ``background``, ``methods``, ``results``, ``conclusions``, ``other``.
    index
        Position of the sentence in the abstract (0-based).
    """

    text: str
    start: int
    end: int
    section: str
    index: int

    def __str__(self) -> str:
        return self.text


def section_kind(header: str) -> str:
    """Map a section header (``RESULTS``, ``Materials and methods`` ...) to a coarse kind."""
    h = header.upper()
    if "TITLE" in h:
        return "title"
    if "RESULT" in h or "FINDING" in h:
        return "results"
    if "CONCLU" in h or "INTERPRET" in h or "DISCUSS" in h or "MEAN" in h or "IMPLICATION" in h:
        return "conclusions"
    if any(k in h for k in ("METHOD", "DESIGN", "SETTING", "PARTICIPANT", "INTERVENTION", "MEASURE",
                             "PATIENT", "SUBJECT", "STATISTIC", "MATERIAL", "PROCEDURE")):
        return "methods"
    if any(k in h for k in ("BACKGROUND", "OBJECTIVE", "INTRO", "PURPOSE", "AIM", "CONTEXT", "RATIONALE",
                             "WHY", "HYPOTHES")):
        return "background"
    return "other"


def _is_boundary(text: str, pos: int, end: int) -> bool:
    """Whether the punctuation at ``text[pos]`` (boundary match ending at ``end``) ends a sentence."""
    if end >= len(text):
        return True
    if not _NEXT_START.match(text, end):
        return False
    if text[pos] != ".":
        return True
    m = _WORD_BEFORE.search(text, max(0, pos - 12), pos)
    if m is None:
        return True
    word = m.group(1)
    low = word.lower()
    if low in _ABBREVIATIONS or low.rstrip(".") in _ABBREVIATIONS:
        return False
    # Initials ("J. Smith") and single letters ("Fig. 2 A. The"): no split after one capital letter.
    if len(word) == 1 and word.isupper():
        return False
    return "." not in word or not word.replace(".", "").isalpha() or len(word.replace(".", "")) > 3


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into sentence spans ``(s, e)`` (whitespace trimmed).

    Parameters
    ----------
    text
        The whole document (offsets are into it).
    start, end
        The region to split; defaults to the whole text.

    Returns
    -------
    list of (int, int)
        Character spans of the sentences, in order, never empty.
    """
    if end is None:
        end = len(text)
    spans: list[tuple[int, int]] = []
    cur = start
    depth_limit = 400  # a bracket left open cannot swallow more than this many characters
    for m in _BOUNDARY.finditer(text, start, end):
        pos = m.start()
        if not _is_boundary(text, pos, m.end()):
            continue
        # Do not split inside an open bracket of moderate length: "(p = 0.03. See Table 2)".
        seg = text[cur:pos]
        if seg.count("(") > seg.count(")") and m.end() - cur < depth_limit and m.end() < end:
            continue
        spans.append((cur, m.end()))
        cur = m.end()
    if cur < end:
        spans.append((cur, end))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


@dataclass(frozen=True, slots=True)
class AbstractDoc:
    """A parsed abstract: the text and its sentences."""

    text: str
    sentences: tuple[Sentence, ...]


def parse_abstract(text: str) -> AbstractDoc:
    """Split an abstract into sections and sentences with character spans.

    Header lines (``TITLE:``, ``ABSTRACT.RESULTS:``) set the section of what follows; an
    inline header at the start of a paragraph (``Results.``) does too and is left out of the
    sentence. Paragraph breaks (blank lines or single newlines) always end a sentence.

    Parameters
    ----------
    text
        The abstract.

    Returns
    -------
    AbstractDoc
    """
    sentences: list[Sentence] = []
    section = "other"
    pos = 0
    n = len(text)
    title_done = False
    while pos < n:
        nl = text.find("\n", pos)
        line_end = n if nl < 0 else nl
        hm = _HEADER_LINE.match(text, pos, line_end)
        if hm is not None and hm.end() == line_end:
            header = text[pos:line_end].strip().rstrip(":")
            section = section_kind(header.split(".", 1)[1] if "." in header else header)
            title_done = False
        else:
            s = pos
            while s < line_end and text[s] in " \t":
                s += 1
            if s >= line_end:
                # A blank line ends the title: an unstructured abstract follows it.
                if section == "title" and title_done:
                    section = "other"
                pos = line_end + 1
                continue
            if section == "title":
                title_done = True
            im = _INLINE_HEADER.match(text, s, line_end)
            line_section = section
            if im is not None:
                line_section = section_kind(im.group(0))
                section = line_section
                s = im.end()
            for a, b in split_sentences(text, s, line_end):
                sentences.append(Sentence(text[a:b], a, b, line_section, len(sentences)))
        pos = line_end + 1
    return AbstractDoc(text, tuple(sentences))


STOPWORDS = frozenset(
    words("""
    a an the of in on at to for from by with without and or but nor as is are was were be been being
    this that these those it its their there than then which who whom whose what when where while
    into onto over under between among during after before within per each both either any all
    not no vs versus compared comparison group groups patient patients subject subjects participant
    participants study trial treatment treated therapy receiving received who had has have having
    s also use using used effect effects level levels rate rates score scores total mean change
    changes value values time
    """)
)

_SUFFIXES = (
    ("ational", "ate"), ("ization", "ize"), ("fulness", "ful"), ("ousness", "ous"), ("iveness", "ive"),
    ("ations", "ate"), ("ation", "ate"), ("ements", ""), ("ement", ""), ("ments", ""), ("ment", ""),
    ("ities", ""), ("ity", ""), ("ness", ""), ("ingly", ""), ("ings", ""), ("ing", ""), ("edly", ""),
    ("ies", "y"), ("ied", "y"), ("ed", ""), ("es", ""), ("ly", ""), ("s", ""),
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix-stripping stemmer (lower-cases; keeps stems of at least three letters)."""
    w = word.lower()
    if len(w) <= 3 or not w.isalpha():
        return w
    for suf, rep in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) + len(rep) >= 3:
            if suf == "s" and w.endswith(("ss", "us", "is")):
                return w
            w = w[: len(w) - len(suf)] + rep
            break
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]
    return w


def tokenize(text: str) -> list[str]:
    """Word and number tokens, in order (case kept)."""
    return _TOKEN.findall(text)


def content_stems(text: str) -> list[str]:
    """Stems of the content words of ``text`` (stop words and bare numbers dropped)."""
    out = []
    for t in _TOKEN.findall(text):
        low = t.lower()
        if low in STOPWORDS or (t[0].isdigit()):
            continue
        if len(low) == 1:
            continue
        out.append(stem(low))
        if "-" in low:
            # "QoR-15", "hs-CRP": the parts match on their own too.
            out.extend(stem(part) for part in low.split("-") if len(part) > 1 and not part.isdigit()
                       and part not in STOPWORDS)
    return out


def char_ngrams(text: str, n: int = 4) -> set[str]:
    """Character ``n``-grams of the lower-cased, word-padded text (letters and digits only)."""
    norm = " " + re.sub(r"[^a-z0-9]+", " ", text.lower()).strip() + " "
    if len(norm) <= n:
        return {norm}
    return {norm[i : i + n] for i in range(len(norm) - n + 1)}
