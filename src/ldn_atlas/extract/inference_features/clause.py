"""The clause that holds the outcome (``X fell (p<0.01), whereas Y did not differ``) and its p-values."""

from __future__ import annotations

from dataclasses import dataclass

from ldn_atlas.extract.inference_features.lexicon import _CLAUSE_BREAK, _NEG_CUES, _SIG_CUE, _SIG_NEGATED
from ldn_atlas.extract.inference_features.pvalues import PValue, PValues, _significant
from ldn_atlas.extract.inference_features.sentence import SentenceView

_NEG_OPENERS = frozenset(("no", "none", "neither", "nor"))


@dataclass(frozen=True, slots=True)
class Clause:
    """The outcome's clause: tokens ``lo`` to ``hi``, characters ``start`` to ``end``, and its ``text``.

    Without an outcome anchor, the clause is the outcome window (the whole sentence).
    """

    lo: int
    hi: int
    start: int
    end: int
    text: str


def outcome_clause(view: SentenceView) -> Clause:
    """The clause around the outcome's anchor, bounded by clause breaks and by a comma before a negated verdict."""
    text, toks, starts, n, anchor, lo, hi = view.text, view.toks, view.starts, view.n, view.anchor, view.lo, view.hi
    c_lo, c_hi = lo, hi
    if anchor >= 0:
        # A comma before a negated verdict also opens a clause ("X fell (p = 0.002), no
        # difference was found in Y").
        def _neg_opens(i: int) -> bool:
            return (toks[i].lower() in _NEG_OPENERS
                    and text[max(0, starts[i] - 6) : starts[i]].rstrip().endswith(","))

        c_lo = anchor
        while c_lo > 0 and toks[c_lo - 1].lower() not in _CLAUSE_BREAK and not _neg_opens(c_lo):
            c_lo -= 1
        c_hi = anchor + 1
        while c_hi < n and toks[c_hi].lower() not in _CLAUSE_BREAK and not _neg_opens(c_hi):
            c_hi += 1
    clause_start = starts[c_lo] if c_lo < n else 0
    clause_end = starts[c_hi] if c_hi < n else len(text)
    clause = text[clause_start:clause_end]
    return Clause(c_lo, c_hi, clause_start, clause_end, clause)


def clause_p_features(clause_: Clause, pvalues: PValues, resp_p: PValue | None) -> dict[str, float]:
    """Whether the clause's own p-values are significant, its length, and whether it reads cleanly
    significant or cleanly not significant."""
    f: dict[str, float] = {}
    ps, c_lo, c_hi = pvalues.found, clause_.lo, clause_.hi
    clause_start, clause_end, clause = clause_.start, clause_.end, clause_.text
    c_ps = [resp_p] if resp_p is not None else [x for x in ps if clause_start <= x[2] < clause_end]
    c_sig = [p for p, rel, _ in c_ps if _significant(p, rel)]
    f["c_p_sig"] = float(bool(c_sig))
    f["c_p_ns"] = float(bool(c_ps) and not c_sig)
    f["c_len"] = min(c_hi - c_lo, 60) / 30.0
    f["c_clean_sig"] = float((f.get("c_p_sig", 0.0) > 0 or _SIG_CUE.search(clause) is not None)
                             and _SIG_NEGATED.search(clause) is None and _NEG_CUES.search(clause) is None)
    f["c_clean_ns"] = float(_SIG_CUE.search(clause) is None and f.get("c_p_sig", 0.0) == 0
                            and (_SIG_NEGATED.search(clause) is not None or _NEG_CUES.search(clause) is not None))
    return f
