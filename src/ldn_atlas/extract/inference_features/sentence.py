"""A sentence as the label features read it: tokens, their offsets and stems, the outcome anchor and window."""

from __future__ import annotations

from dataclasses import dataclass

from ldn_atlas.extract.inference_features.prepared import PreparedPrompt
from ldn_atlas.extract.inference_features.tokens import _TOKEN_POS, _decimal_points
from ldn_atlas.extract.inference_text import stem


@dataclass(frozen=True, slots=True)
class SentenceView:
    """One sentence, tokenised, with the outcome's anchor token and the window around it.

    Attributes
    ----------
    text
        The sentence with raised decimal dots read as ``.``.
    toks, starts, stems
        Tokens, their character offsets and their stems.
    anchor
        Token index of the outcome's densest mention, -1 when the outcome is not named.
    lo, hi
        The outcome window: tokens ``lo`` to ``hi`` (10 before the anchor to 30 after it; the
        whole sentence without an anchor).
    window
        The text of the outcome window.
    """

    text: str
    toks: list[str]
    starts: list[int]
    stems: list[str]
    anchor: int
    lo: int
    hi: int
    window: str

    @property
    def n(self) -> int:
        """Number of tokens."""
        return len(self.toks)


def _outcome_anchor(stems_: list[str], pp: PreparedPrompt | None) -> int:
    """Outcome anchor: the densest run of outcome stems (-1 when the sentence does not name the outcome)."""
    anchor = -1
    if pp is not None and pp.outcome:
        oset = set(pp.outcome)
        hits = [i for i, t in enumerate(stems_) if t in oset]
        if hits:
            # Ties go to the most compact mention ("quit rates in the contemplation stage").
            span = len(oset) + 2
            anchor = max(hits, key=lambda h: (len({stems_[j] for j in hits if h <= j < h + 8}),
                                              len({stems_[j] for j in hits if h <= j < h + span})))
    return anchor


def read_sentence(sentence: str, pp: PreparedPrompt | None) -> SentenceView:
    """Tokenise ``sentence`` and find the outcome's anchor and window."""
    text = _decimal_points(sentence)
    toks = [m.group(0) for m in _TOKEN_POS.finditer(text)]
    starts = [m.start() for m in _TOKEN_POS.finditer(text)]
    stems_ = [stem(t.lower()) for t in toks]
    n = len(toks)
    anchor = _outcome_anchor(stems_, pp)
    lo = max(0, anchor - 10) if anchor >= 0 else 0
    hi = min(n, anchor + 30) if anchor >= 0 else n
    win_start = starts[lo] if lo < n else 0
    win_end = (starts[hi] if hi < n else len(text))
    window = text[win_start:win_end]
    return SentenceView(text, toks, starts, stems_, anchor, lo, hi, window)


def anchor_features(view: SentenceView) -> dict[str, float]:
    """Whether the sentence names the outcome."""
    return {"has_anchor": float(view.anchor >= 0)}
