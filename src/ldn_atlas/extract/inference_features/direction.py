"""Direction words: comparatives (``lower``, ``greater reduction``) and evaluative words (``improved``,
``worse``), which arm is their subject, and the direction they give the effect."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ldn_atlas.extract.inference_features.arms import ArmMentions, _excepted, _reference_arm
from ldn_atlas.extract.inference_features.clause import Clause
from ldn_atlas.extract.inference_features.lexicon import (
    _BAD,
    _BAD_OUTCOME,
    _CLAUSE_BREAK,
    _DOWN,
    _GOOD,
    _MODIFIERS,
    _UP,
)
from ldn_atlas.extract.inference_features.prepared import PreparedPrompt
from ldn_atlas.extract.inference_features.sentence import SentenceView
from ldn_atlas.extract.inference_text import stem, words

_NEGATORS = frozenset(("not", "no", "nor", "without", "neither"))


def _negated_before(toks: Sequence[str], i: int) -> bool:
    """Whether one of the three tokens before ``toks[i]`` negates it ("did not increase", "no reduction")."""
    return any(t.lower() in _NEGATORS for t in toks[max(0, i - 3) : i])


_ADVERBS = frozenset(("significantly", "statistically", "much", "far", "slightly", "markedly", "substantially"))
_ARM_PREPS = frozenset(("in", "with", "for", "among", "than", "after", "under", "during", "on"))
_DOSE_NOUNS = frozenset(stem(w) for w in words("dose doses dosage dosages amount amounts concentration"))


@dataclass
class _Found:
    """Direction words found so far: weighted up and down votes, negated ones, and positions with their signs."""

    up: float = 0.0
    down: float = 0.0
    negated: int = 0
    positions: list[tuple[int, int]] = field(default_factory=list)
    evaluative: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class DirectionReading:
    """What the decision features need from the direction words.

    Attributes
    ----------
    up_resolved, down_resolved
        Weights of increase and decrease words, with the subject arm resolved (the intervention's direction).
    has_direction_word, has_evaluative_word
        Whether a comparative or an evaluative word was found.
    bad_outcome
        Whether the outcome is one where less is better (pain, mortality ...).
    """

    up_resolved: float
    down_resolved: float
    has_direction_word: bool
    has_evaluative_word: bool
    bad_outcome: bool


def _compound_modifiers(view: SentenceView) -> tuple[dict[int, int], set[int]]:
    """Compound comparatives: "greater reduction" is a decrease, "less improvement" a worse result.

    Returns the sign each modified direction word takes and the modifiers' own positions (not read again).
    """
    toks, stems_, n, lo, hi = view.toks, view.stems, view.n, view.lo, view.hi
    modifier: dict[int, int] = {}
    skip_mod: set[int] = set()
    for i in range(lo, hi):
        if stems_[i] in _MODIFIERS:
            for j in range(i + 1, min(hi, i + 3)):
                h = stems_[j]
                if (h in _UP or h in _DOWN or h in _GOOD or h in _BAD) and h not in _MODIFIERS:
                    modifier[j] = 1 if stems_[i] in _UP else -1
                    skip_mod.add(i)
                    break
    # Post-posed modifiers: "decreased significantly less in the EMS group", "rose more with A".
    for j in range(lo, hi):
        h = stems_[j]
        if j in modifier or h in _MODIFIERS or not (h in _UP or h in _DOWN or h in _GOOD or h in _BAD):
            continue
        k = j + 1
        while k < hi and k < j + 4 and toks[k].lower() in _ADVERBS:
            k += 1
        if k < hi and stems_[k] in _MODIFIERS and k + 1 < n and toks[k + 1].lower() in _ARM_PREPS:
            modifier[j] = 1 if stems_[k] in _UP else -1
            skip_mod.add(k)
            continue
        # "reduced pain more than placebo": the modifier after the verb's object, before "than".
        for k in range(j + 1, min(hi, j + 6)):
            if toks[k].lower() in _CLAUSE_BREAK or stems_[k] in _UP or stems_[k] in _DOWN:
                if stems_[k] in _MODIFIERS and k + 1 < n and toks[k + 1].lower() == "than" \
                        and not (k + 2 < n and toks[k + 2][0].isdigit()):
                    modifier[j] = 1 if stems_[k] in _UP else -1
                    skip_mod.add(k)
                break
    return modifier, skip_mod


def _direction_words(view: SentenceView, arm_words: set[int], out_words: set[str], modifier: dict[int, int],
                     skip_mod: set[int]) -> _Found:
    """Direction and evaluative words in the outcome window, weighted by their distance to the outcome."""
    toks, stems_, n, lo, hi, anchor = view.toks, view.stems, view.n, view.lo, view.hi, view.anchor
    dir_up = dir_down = 0.0
    negated_dir = 0
    dir_positions: list[tuple[int, int]] = []
    eval_positions: list[tuple[int, int]] = []
    for i in range(lo, hi):
        if i in skip_mod:
            continue
        # An arm's name ("the high-dose group", "high amounts of jargon" as an arm) is not a direction.
        if i in arm_words or (toks[i].lower() in ("high", "low") and i + 1 < n
                              and stems_[i + 1] in _DOSE_NOUNS):
            continue
        # "more than 20%", "P less than 0.05": a quantity or a threshold, not a comparison of arms.
        if stems_[i] in _MODIFIERS and i + 2 < n and toks[i + 1].lower() == "than" and toks[i + 2][0].isdigit():
            continue
        t = stems_[i]
        m_sign = modifier.get(i, 1)
        if t in out_words and (t in _UP or t in _DOWN or t in _GOOD or t in _BAD):
            # The word names the outcome ("reduction in relapses"): only a modifier gives a direction.
            if i not in modifier:
                continue
            t = "increas"
        sgn = m_sign * (1 if t in _UP else (-1 if t in _DOWN else 0))
        if not sgn:
            if (t in _GOOD or t in _BAD) and not _negated_before(toks, i):
                eval_positions.append((i, m_sign * (1 if t in _GOOD else -1)))
            continue
        # Negated comparative: "did not increase", "no reduction".
        if _negated_before(toks, i):
            negated_dir += 1
            continue
        w = 1.0 / (1.0 + abs(i - anchor) / 6.0) if anchor >= 0 else 0.5
        if sgn > 0:
            dir_up += w
        else:
            dir_down += w
        dir_positions.append((i, sgn))
    return _Found(dir_up, dir_down, negated_dir, dir_positions, eval_positions)


def _direction_words_before(view: SentenceView, c_lo: int, arm_words: set[int], out_words: set[str]
                            ) -> list[tuple[int, int]]:
    """Direction words in the clause before the window: "a greater decrease for A in distress, fatigue
    and unmet needs" (the word may precede a long outcome's window within its clause)."""
    toks, stems_, lo = view.toks, view.stems, view.lo
    dir_positions: list[tuple[int, int]] = []
    for i in range(max(0, c_lo), lo):
        t = stems_[i]
        if i in arm_words or t in _MODIFIERS or t in out_words or not (t in _UP or t in _DOWN):
            continue
        if _negated_before(toks, i):
            break
        m_sign = next((1 if stems_[k] in _UP else -1 for k in range(max(0, i - 2), i)
                       if stems_[k] in _MODIFIERS), 1)
        sgn = m_sign * (1 if t in _UP else -1)
        dir_positions.append((i, sgn))
    return dir_positions


def _nearest(positions: Sequence[tuple[int, int]], anchor: int) -> tuple[int, int]:
    """The position nearest the outcome's anchor (the first one without an anchor)."""
    return min(positions, key=lambda x: abs(x[0] - anchor) if anchor >= 0 else x[0])


def _subject_flip(view: SentenceView, dir_positions: list[tuple[int, int]], comp_idx: Sequence[int],
                  arms: ArmMentions) -> tuple[float, float]:
    """Which arm is the subject of the comparison: (resolved, flip), flip 1 when the comparator is.

    ``resolved`` is 1 when a comparison marker names the reference arm, 0.5 when only a nearby arm does.
    """
    toks, arm_int, arm_cmp = view.toks, arms.intervention, arms.comparator
    flip = 0.0
    resolved = 0.0
    if dir_positions:
        d_i = _nearest(dir_positions, view.anchor)[0]
        ref = _reference_arm(d_i, comp_idx, arm_int, arm_cmp)
        if ref is not None:
            resolved = 1.0
            flip = float(ref == 1)
        else:
            # "X was lower in the placebo group": the arm named near the direction word is the subject.
            # An arm named as an exception ("A, but not B, reduced X") is not the subject.
            by_dist = sorted([(abs(a - d_i), 1) for a in arm_int if not _excepted(toks, a)]
                             + [(abs(a - d_i), -1) for a in arm_cmp if not _excepted(toks, a)])
            if by_dist and by_dist[0][0] <= 12:
                resolved = 0.5
                flip = float(by_dist[0][1] == -1)
    return resolved, flip


def _evaluative_features(e_pos: tuple[int, int], comp_idx: Sequence[int], arms: ArmMentions, bad_outcome: bool
                         ) -> dict[str, float]:
    """Evaluative words ("improved", "superior", "worse"): their direction depends on the outcome."""
    f: dict[str, float] = {}
    arm_int, arm_cmp = arms.intervention, arms.comparator
    e_i, e_s = e_pos
    ref = _reference_arm(e_i, comp_idx, arm_int, arm_cmp)
    if ref is None:
        by_dist = sorted([(abs(a - e_i), 1) for a in arm_int] + [(abs(a - e_i), -1) for a in arm_cmp])
        ref = -by_dist[0][1] if by_dist and by_dist[0][0] <= 12 else -1
    good = e_s * (-1 if ref == 1 else 1)
    f["good_res"] = float(good > 0) * (not bad_outcome)
    f["bad_res"] = float(good < 0) * (not bad_outcome)
    f["good_res_badout"] = float(good > 0) * bad_outcome
    f["bad_res_badout"] = float(good < 0) * bad_outcome
    # The direction the evaluative word implies, pooled over both outcome polarities.
    f["eval_dir"] = float((good > 0) == (not bad_outcome)) * 2.0 - 1.0 if good else 0.0
    return f


def direction_features(view: SentenceView, clause: Clause, pp: PreparedPrompt | None, arms: ArmMentions,
                       comp_idx: Sequence[int]) -> tuple[dict[str, float], DirectionReading]:
    """The direction features and what the decision features need from them."""
    toks, stems_, anchor, lo, c_lo = view.toks, view.stems, view.anchor, view.lo, clause.lo
    modifier, skip_mod = _compound_modifiers(view)
    out_words = set(pp.outcome) if pp is not None else set()
    arm_words = set(arms.intervention) | set(arms.comparator)
    found = _direction_words(view, arm_words, out_words, modifier, skip_mod)
    if not found.positions and not found.evaluative and anchor >= 0:
        for i, sgn in _direction_words_before(view, c_lo, arm_words, out_words):
            if sgn > 0:
                found.up += 0.3
            else:
                found.down += 0.3
            found.positions.append((i, sgn))
    resolved, flip = _subject_flip(view, found.positions, comp_idx, arms)
    f: dict[str, float] = {"resolved": resolved}
    if found.positions:
        d_i = _nearest(found.positions, anchor)[0]
        f[f"dw:{stems_[d_i]}|{int(flip)}"] = 1.0
    eval_positions = found.evaluative
    bad_outcome = pp is not None and any(t in _BAD_OUTCOME for t in pp.outcome)
    if not eval_positions and not found.positions and anchor >= 0:
        # "A was superior to B for the relief of pain and swelling": the word may precede the window.
        for i in range(max(0, c_lo), lo):
            if (stems_[i] in _GOOD or stems_[i] in _BAD) and not _negated_before(toks, i):
                eval_positions.append((i, 1 if stems_[i] in _GOOD else -1))
    if eval_positions:
        f.update(_evaluative_features(_nearest(eval_positions, anchor), comp_idx, arms, bad_outcome))
    dir_up, dir_down = found.up, found.down
    up_r, down_r = (dir_down, dir_up) if flip else (dir_up, dir_down)
    f["dir_up"] = min(dir_up, 2.0)
    f["dir_down"] = min(dir_down, 2.0)
    f["dir_up_res"] = min(up_r, 2.0)
    f["dir_down_res"] = min(down_r, 2.0)
    f["dir_net_res"] = max(-2.0, min(2.0, up_r - down_r))
    f["flip"] = flip
    f["dir_negated"] = float(found.negated > 0)
    return f, DirectionReading(up_r, down_r, bool(found.positions), bool(eval_positions), bad_outcome)
