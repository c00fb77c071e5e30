"""Values reported for each arm (``61.4% in the budesonide group versus 16.7% with placebo``) and the
direction they give: the numbers near the outcome that are values, bound to the arms, then compared.

:func:`_value_direction` runs the stages: :func:`_reported_values` reads the values (not p-values,
interval bounds, SDs, counts, doses, thresholds or time points), :func:`_values_by_arm` binds them to
the arms (:func:`_bind_named_arms`, else :func:`_bind_in_order`), and the sign of the difference is the
direction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ldn_atlas.extract.inference_features.arms import ArmMentions
from ldn_atlas.extract.inference_features.lexicon import _CLAUSE_BREAK, _MODIFIERS
from ldn_atlas.extract.inference_features.prepared import PreparedPrompt
from ldn_atlas.extract.inference_features.sentence import SentenceView
from ldn_atlas.extract.inference_text import stem, words

# An outcome that is itself a duration ("fever clearance time", "length of stay"): "92 hours for
# A and 138 hours for B" reports its values, not time points.
_DURATION_OUTCOME = frozenset(stem(w) for w in words("time times duration stay length latency interval"))
_DURATION_UNITS = frozenset(stem(w) for w in words("day days hour hours minute minutes min"))
_TIME_PREPS = frozenset(("at", "by", "within", "until", "over", "during", "on", "in", "to", "from"))
_TIME_WORDS = frozenset(stem(w) for w in words("week day month year visit set group grade type phase stage hour "
                                               "session cycle dose point trial study wk yr mo postoperative"))
_DOSE_UNITS = frozenset(("mg", "g", "μg", "µg", "mcg", "iu", "kg", "mg/kg", "ug"))
_CONTRASTS = frozenset(("vs", "versus", "compared", "than", "whereas", "while", "but"))
_SEPARATORS = frozenset(("and", "or", "vs", "versus", "compared", "than", "while", "whereas", ";", "but"))
_PEOPLE = frozenset(stem(w) for w in words("subjects patients participants children women men persons people "
                                           "mothers infants volunteers adults individuals cases"))
_GROUP_NOUNS = frozenset(("group", "groups", "arm", "arms"))


@dataclass
class _Scan:
    """State of the left-to-right scan for values: bracket depth, the bracket after a value being
    skipped (``61.4% (27/44)``), whether the last number was a value, and a list of time points."""

    prev_end: int
    spans: list[tuple[int, int]] = field(default_factory=list)
    depth: int = 0
    skip_depth: int = 0
    last_was_value: bool = False
    time_list: bool = False
    span_i: int = 0

    def read_gap(self, gap: str) -> None:
        """Follow the brackets in the text between two tokens."""
        for ch in gap:
            if ch in "([":
                self.depth += 1
                if self.last_was_value and self.skip_depth == 0:
                    self.skip_depth = self.depth
            elif ch in ")]":
                if self.depth == self.skip_depth:
                    self.skip_depth = 0
                self.depth = max(0, self.depth - 1)

    def in_skipped_span(self, pos: int) -> bool:
        """Whether character ``pos`` is inside a p-value or a confidence interval (positions only grow)."""
        spans = self.spans
        while self.span_i < len(spans) and spans[self.span_i][1] <= pos:
            self.span_i += 1
        return self.span_i < len(spans) and spans[self.span_i][0] <= pos < spans[self.span_i][1]


def _value_at(toks: Sequence[str], stems_: Sequence[str], arm_set: set[int], i: int, gap: str, scan: _Scan,
              duration: bool) -> float | None:
    """The value of the number ``toks[i]``, or None when it is an SD, a dose, a threshold, a count of
    people, a time point or a CI level (updates the scan's flags as it goes)."""
    tok = toks[i]
    n_tok = len(toks)
    if "±" in gap or "/" in gap[-2:] or "=" in gap[-3:] or "+/-" in gap:
        scan.last_was_value = True
        return None
    nxt = stems_[i + 1] if i + 1 < n_tok else ""
    if "(" in gap or "[" in gap or ":" in gap:
        scan.time_list = False  # "at week 8 (2.9 vs 4.6)": a bracket after a time point holds values
    if i > 0 and i - 1 in arm_set and not any(c in gap for c in "([:"):
        scan.last_was_value = False  # "LDN 3 (-35%)": a dose named with the arm, then its value
        return None
    if i > 1 and ((toks[i - 1].lower() == "than" and stems_[i - 2] in _MODIFIERS)
                  or (toks[i - 1].lower() in ("least", "most") and toks[i - 2].lower() == "at")):
        return None  # "more than 20% lower", "a reduction of at least 25%": a threshold, not a value
    if i > 0 and (toks[i - 1] in ("<", ">", "≤", "≥", "=") or toks[i - 1].lower() == "from"
                  or (toks[i - 1].lower() == "to" and "from" in (t.lower() for t in toks[max(0, i - 9) : i]))):
        return None
    if nxt in _DOSE_UNITS:
        scan.last_was_value = False
        return None
    if (nxt in _PEOPLE and "." not in tok) \
            or (i + 2 < n_tok and stems_[i + 2] in _PEOPLE and "." not in tok and not stems_[i + 1][0].isdigit()):
        return None
    if i > 0 and (stems_[i - 1] in _TIME_WORDS or toks[i - 1].lower() in ("n", "p", "ci", "sd", "se", "pod")):
        scan.time_list = True
        return None
    if scan.time_list:
        return None
    if "." not in tok and nxt in _TIME_WORDS and not (
            duration and nxt in _DURATION_UNITS and toks[i - 1].lower() not in _TIME_PREPS):
        return None
    if nxt in ("ci", "confidence") or (i + 2 < n_tok and stems_[i + 2] in ("ci", "confidence")):
        return None
    try:
        v = float(tok)
    except ValueError:
        return None
    if gap[-1:] in "-−–" and (len(gap) < 2 or not gap[-2].isalnum()):
        v = -v
    return v


def _reported_values(text: str, toks: Sequence[str], starts: Sequence[int], stems_: Sequence[str],
                     arm_set: set[int], lo: int, hi: int, skip_spans: Sequence[tuple[int, int]], anchor_min: int,
                     duration: bool) -> list[tuple[int, float]]:
    """The first values (at most six) of the outcome window, as (token index, value)."""
    values: list[tuple[int, float]] = []
    scan = _Scan(prev_end=starts[lo] if lo < len(starts) else 0, spans=sorted(skip_spans))
    for i in range(lo, hi):
        gap = text[scan.prev_end : starts[i]]
        scan.read_gap(gap)
        tok = toks[i]
        scan.prev_end = starts[i] + len(tok)
        if not tok[0].isdigit():
            if tok.isalpha() and len(tok) > 2 and tok.lower() not in ("and", "or"):
                scan.last_was_value = False
                scan.time_list = False
            continue
        if scan.skip_depth or i < anchor_min or scan.in_skipped_span(starts[i]):
            continue
        v = _value_at(toks, stems_, arm_set, i, gap, scan, duration)
        if v is None:
            continue
        values.append((i, v))
        scan.last_was_value = True
        if len(values) >= 6:
            break
    return values


def _separators(toks: Sequence[str]) -> list[tuple[int, int]]:
    """Words that separate arms, with their cost: crossing a contrast ("versus", "than") separates
    arms more than crossing "and"."""
    return [(j, 12 if toks[j].lower() in _CONTRASTS else 4) for j, t in enumerate(toks)
            if t.lower() in _SEPARATORS]


def _cost(arm_pos: int, i: int, seps: Sequence[tuple[int, int]]) -> tuple[int, bool]:
    """How far the arm mention at ``arm_pos`` is from the value at ``i`` (separators crossed count extra)."""
    a, b = min(arm_pos, i), max(arm_pos, i)
    crossing = sum(c for j, c in seps if a < j < b)
    return abs(arm_pos - i) + crossing, arm_pos > i


def _bind_named_arms(values: list[tuple[int, float]], arms: list[tuple[int, int]], toks: Sequence[str],
                     between: set[str], respectively: bool, seps: Sequence[tuple[int, int]]) -> dict[int, float]:
    """Values bound to the arms named around them: arm role (+1 intervention, -1 comparator) -> value.

    "A versus B: 82.3 vs 36.8": both arms named before a pair of values joined by "vs", no arm between
    the values -- the values follow the order of the arms' last mentions. "the SLED group had fewer days
    (17.7 vs 20.9)": the arm named before the values in their clause is the subject and takes the first
    value. Otherwise each value goes to the nearest arm.
    """
    i0, i1 = values[0][0], values[1][0]
    assigned: dict[int, float] = {}
    paired = any(w in between for w in ("vs", "versus")) and not any(i0 < a < i1 for a, _ in arms)
    clause_lo = max((j for j in range(i0) if toks[j].lower() in _CLAUSE_BREAK), default=-1)
    last_before: dict[int, int] = {}
    for pos_, role in arms:
        if clause_lo < pos_ < i0:
            last_before[role] = pos_
    if paired and not respectively and last_before:
        if len(last_before) == 2:
            first, second = (r for r, _ in sorted(last_before.items(), key=lambda x: x[1]))
        else:
            first = next(iter(last_before))
            second = -first
        assigned = {first: values[0][1], second: values[1][1]}
    elif not respectively:
        for i, v in values:
            nearest = min(arms, key=lambda x: _cost(x[0], i, seps))
            assigned.setdefault(nearest[1], v)
    return assigned


def _bind_in_order(values: list[tuple[int, float]], arms: list[tuple[int, int]], toks: Sequence[str],
                   between: set[str], respectively: bool, contrast: bool, seps: Sequence[tuple[int, int]]
                   ) -> dict[int, float] | None:
    """Values of a contrast or a parallel list bound to the arms in the order they are named, or None."""
    i0, i1 = values[0][0], values[1][0]
    n_tok = len(toks)
    first_role: dict[int, int] = {}
    for pos_, role in arms:
        first_role.setdefault(role, pos_)
    roles_in_order = [r for r, _ in sorted(first_role.items(), key=lambda x: x[1])]
    if len(roles_in_order) == 1:
        roles_in_order.append(-roles_in_order[0])
    # "6.2 ± 1.5 in the study group, and 4.1 ± 1.2 in the placebo group": two values joined by
    # "and", each followed by its group, are parallel like a contrast.
    parallel = (("and" in between or ";" in between)
                and any(toks[k].lower() in _GROUP_NOUNS for k in range(i0 + 1, min(i0 + 7, i1)))
                and any(toks[k].lower() in _GROUP_NOUNS for k in range(i1 + 1, min(i1 + 7, n_tok))))
    if not contrast and not parallel:
        return None
    # Parallel lists: "A vs. B: 136.1 vs. 131.6" -- the arms named last before the values, in order.
    named_before: dict[int, int] = {}
    for pos_, role in arms:
        if pos_ < values[0][0]:
            named_before[role] = pos_
    if len(named_before) == 2:
        roles_in_order = [r for r, _ in sorted(named_before.items(), key=lambda x: x[1])]
        assigned = {roles_in_order[0]: values[0][1], roles_in_order[1]: values[1][1]}
    elif len(first_role) == 1 and not respectively:
        # One arm named ("25 days in cases vs. 130 days in controls" with only "controls"
        # known): it takes the value nearest to it, the other arm the other value.
        role = next(iter(first_role))
        near = min(values[:2], key=lambda v: min(_cost(a, v[0], seps) for a, _ in arms))
        far = values[1] if near is values[0] else values[0]
        assigned = {role: near[1], -role: far[1]}
    else:
        assigned = {roles_in_order[0]: values[0][1], roles_in_order[1]: values[1][1]}
    return assigned


def _values_by_arm(values: list[tuple[int, float]], arms: list[tuple[int, int]], toks: Sequence[str],
                   between: set[str], respectively: bool, contrast: bool) -> dict[int, float] | None:
    """Arm role -> value: by the arms named around the values, else by the order the arms are named."""
    seps = _separators(toks)
    assigned = _bind_named_arms(values, arms, toks, between, respectively, seps)
    if len(assigned) < 2:
        return _bind_in_order(values, arms, toks, between, respectively, contrast, seps)
    return assigned


def _value_direction(
    text: str, toks: Sequence[str], starts: Sequence[int], stems_: Sequence[str], arm_int: Sequence[int],
    arm_cmp: Sequence[int], lo: int, hi: int, skip_spans: Sequence[tuple[int, int]], anchor_min: int = 0,
    duration: bool = False,
) -> tuple[int, str] | None:
    """Sign of (intervention value - comparator value) for the first two values near the outcome.

    Values are numbers in the outcome window that are not p-values, CI bounds, SDs (``± 2.4``),
    counts in brackets after a value (``61.4% (27/44)``) or time points (``week 12``). Each value
    goes to the nearest arm mention; when both go to the same arm, or the sentence says
    ``respectively``, values follow the order in which the arms are first named. Returns
    ``(sign, how)`` with ``how`` ``arms`` (arms were named) or ``order`` (no arm named; the
    intervention is assumed to come first), or None.
    """
    values = _reported_values(text, toks, starts, stems_, set(arm_int) | set(arm_cmp), lo, hi, skip_spans,
                              anchor_min, duration)
    if len(values) < 2:
        return None
    # Arms named far outside the outcome's window belong to another finding.
    arms = sorted([(a, 1) for a in arm_int if lo - 5 <= a < hi + 5]
                  + [(a, -1) for a in arm_cmp if lo - 5 <= a < hi + 5])
    i0, i1 = values[0][0], values[1][0]
    between = {t.lower() for t in toks[i0 + 1 : i1]}
    respectively = "respectively" in text.lower()
    contrast = any(w in between for w in ("vs", "versus", "compared", "than")) or respectively
    if not arms:
        a, b = values[0][1], values[1][1]
        return ((a > b) - (a < b), "order") if a != b and contrast else None
    assigned = _values_by_arm(values, arms, toks, between, respectively, contrast)
    if assigned is None:
        return None
    vi, vc = assigned[1], assigned[-1]
    if vi == vc:
        return None
    return (1 if vi > vc else -1), "arms"


def value_features(view: SentenceView, arms: ArmMentions, skip_spans: Sequence[tuple[int, int]],
                   pp: PreparedPrompt | None) -> tuple[dict[str, float], tuple[int, str] | None]:
    """``num_up_<how>`` / ``num_down_<how>`` from the arms' values, and the value direction itself."""
    out_words = set(pp.outcome) if pp is not None else set()
    vd = _value_direction(view.text, view.toks, view.starts, view.stems, arms.intervention, arms.comparator,
                          view.lo, view.hi, skip_spans, max(view.anchor, 0),
                          duration=any(o in _DURATION_OUTCOME for o in out_words))
    f: dict[str, float] = {}
    if vd is not None:
        sign, how = vd
        f[f"num_up_{how}"] = float(sign > 0)
        f[f"num_down_{how}"] = float(sign < 0)
    return f, vd
