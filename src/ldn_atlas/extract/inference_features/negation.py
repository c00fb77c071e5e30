"""Negation and trend cues: a null result between the arms, changes within the arms, trends, and
significance words that are or are not negated (in the sentence, the outcome window and its clause)."""

from __future__ import annotations

from ldn_atlas.extract.inference_features.clause import Clause
from ldn_atlas.extract.inference_features.lexicon import (
    _BETWEEN_NS,
    _BETWEEN_SIG,
    _BETWEEN_WORDS,
    _NEG_CUES,
    _SIG_CUE,
    _SIG_NEGATED,
    _TREND,
    _WITHIN,
)
from ldn_atlas.extract.inference_features.sentence import SentenceView


def between_within_features(view: SentenceView, clause_: Clause) -> dict[str, float]:
    """A null verdict between the arms (in or after the outcome's clause), a significant one, and
    changes within the arms (``fell in both groups``) with or without a between-arm comparison."""
    f: dict[str, float] = {}
    text, clause_start, clause_end, clause = view.text, clause_.start, clause_.end, clause_.text
    between_ns = [m.start() for m in _BETWEEN_NS.finditer(text)]
    f["between_ns"] = float(bool(between_ns))
    # "X fell significantly in both groups, but did not differ between the groups": a change
    # within the arms in the outcome's clause, then a null between-arm verdict.
    f["c_between_ns"] = float(any(clause_start <= b < clause_end for b in between_ns))
    f["between_ns_after"] = float(any(b >= clause_end for b in between_ns))
    w_first = _WITHIN.search(text)
    f["within_then_between_ns"] = float(w_first is not None and any(
        b >= clause_start and (b > w_first.start() or _WITHIN.search(clause) is not None) for b in between_ns))
    f["between_sig"] = float(_BETWEEN_SIG.search(text) is not None)
    f["within_group"] = float(_WITHIN.search(text) is not None)
    # A change within the arms ("fell significantly in both groups", "versus baseline") with no
    # between-arm comparison in the sentence is not an effect of the intervention.
    between_words = _BETWEEN_WORDS.search(text) is not None
    f["within_only"] = float(f["within_group"] > 0 and not between_words and f["between_sig"] == 0)
    return f


def trend_features(view: SentenceView, clause_: Clause) -> dict[str, float]:
    """A difference short of significance (``a trend``, ``borderline``) in the clause and in the window."""
    f: dict[str, float] = {}
    clause, window = clause_.text, view.window
    f["trend_c"] = float(_TREND.search(clause) is not None)
    f["trend_w"] = float(_TREND.search(window) is not None)
    return f


def cue_features(view: SentenceView, clause_: Clause) -> dict[str, float]:
    """Significance words, negated significance words and negation cues in the sentence (``s_``),
    the outcome window (``w_``) and the outcome's clause (``c_``)."""
    f: dict[str, float] = {}
    text, window, clause = view.text, view.window, clause_.text
    for name, seg in (("s", text), ("w", window), ("c", clause)):
        sig = len(_SIG_CUE.findall(seg))
        neg_sig = len(_SIG_NEGATED.findall(seg))
        neg = len(_NEG_CUES.findall(seg))
        f[f"{name}_sig_pos"] = float(sig - neg_sig > 0)
        f[f"{name}_sig_neg"] = float(neg_sig > 0)
        f[f"{name}_neg_cue"] = min(neg, 3) / 3.0
    return f
