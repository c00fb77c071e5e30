"""The working state of one study being read: its sentences, masked texts and provenance spans.

Every field reader takes a :class:`ReadContext`, reads the sentences it offers
(:meth:`ReadContext.iter`) and records the character span behind each value with
:meth:`ReadContext.mark` under the value's field path.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ldn_atlas.extract.conditions import ConditionMention
from ldn_atlas.extract.segment import Segment, Sentence
from ldn_atlas.model import Span, Study

MAX_SENTENCE = 5000  # longer "sentences" are not prose (tables, dumps): skipped by the fine-grained rules
_NON_RESULT_SECTIONS = ("BACKGROUND", "INTRODUCTION", "CONTEXT", "RATIONALE", "OBJECTIVE", "OBJECTIVES", "AIM",
                        "AIMS", "PURPOSE", "TITLE")


@dataclass
class ReadContext:
    """Working state while one study is read.

    ``source``/``text`` are the document, ``sentences`` the study's segment and ``masked`` their texts
    with the other studies' descriptors blanked; ``prov`` collects the spans of every value read.
    ``seg``, ``context``, ``fallback_conditions``, ``inherited`` and ``single`` are what the readers
    may consult beyond the sentences (see :func:`ldn_atlas.extract.fields.read_study`).
    """

    source: str
    text: str
    sentences: list[Sentence]
    masked: list[str]
    seg: Segment
    context: list[Sentence]
    fallback_conditions: list[ConditionMention]
    inherited: Study | None
    single: bool
    prov: dict[str, list[Span]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seen: set[tuple[str, int, int]] = field(default_factory=set)
    _items: list[tuple[Sentence, str]] | None = None

    def mark(self, path: str, start: int, end: int) -> None:
        """Record the span ``start``-``end`` of the source as the words behind field ``path``."""
        if end < start:
            start, end = end, start
        key = (path, start, end)
        if key in self.seen:
            return
        self.seen.add(key)
        self.prov.setdefault(path, []).append(Span(source=self.source, start=start, end=end))

    def iter(self) -> list[tuple[Sentence, str]]:
        """The (sentence, masked text) pairs the rules read (prose-length sentences only)."""
        if self._items is None:
            self._items = [(s, m) for s, m in zip(self.sentences, self.masked, strict=True) if len(m) <= MAX_SENTENCE]
        return self._items


def new_context(
    source_id: str,
    text: str,
    seg: Segment,
    *,
    context: list[Sentence],
    fallback_conditions: list[ConditionMention],
    inherited: Study | None,
    single: bool,
) -> ReadContext:
    """The :class:`ReadContext` of segment ``seg`` of ``text`` (its sentences masked by ``seg.exclude``)."""
    masked = [mask_sentence(s, seg.exclude) for s in seg.sentences]
    return ReadContext(
        source=source_id,
        text=text,
        sentences=seg.sentences,
        masked=masked,
        seg=seg,
        context=context,
        fallback_conditions=fallback_conditions,
        inherited=inherited,
        single=single,
    )


def mask_sentence(sentence: Sentence, exclude: list[tuple[int, int]]) -> str:
    """The sentence's text with the characters inside ``exclude`` spans blanked."""
    text = sentence.text
    for s, e in exclude:
        if s < sentence.end and sentence.start < e:
            a = max(s, sentence.start) - sentence.start
            b = min(e, sentence.end) - sentence.start
            text = text[:a] + " " * (b - a) + text[b:]
    return text


def non_result_section(sent: Sentence) -> bool:
    """The sentence stands under a heading that reports no results (background, aims, title)."""
    return bool(sent.section) and str(sent.section).upper().rstrip(":") in _NON_RESULT_SECTIONS


def background_section(sent: Sentence) -> bool:
    """The sentence stands under a background heading."""
    return bool(sent.section) and str(sent.section).upper() in ("BACKGROUND", "INTRODUCTION", "CONTEXT", "RATIONALE")
