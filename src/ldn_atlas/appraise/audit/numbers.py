"""A claim's numbers against the linked records: matched, unconfirmed, in conflict, and notes on them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ldn_atlas.appraise.audit.claims import Numbers
from ldn_atlas.appraise.audit.facts import NON_OUTCOMES, Facts, close, study_facts
from ldn_atlas.appraise.audit.outcomes import shares_word, stems
from ldn_atlas.model.evidence import Study


@dataclass
class NumberCheck:
    """A claim's numbers against the records: matched, unconfirmed, in conflict, and notes on them."""

    matched: list[str] = field(default_factory=list)
    unconfirmed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: result figures (percentages, counts that are not the sample size) found in / missing from the records
    results_matched: int = 0
    results_unconfirmed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Figure:
    """One number of a claim being checked, with the facts of the linked primary records of its kind."""

    kind: str  # counts, percents, durations or doses
    value: float
    more: bool  # "more than 40 patients"
    shown: str
    result: bool  # a result figure rather than a sample size, dose or duration
    prim: list[tuple[float, str, str]]  # (value, what, verification) of the primary/secondary records


def _shown(kind: str, value: float) -> str:
    return f"{value:g}" + (
        "%"
        if kind == "percents"
        else " mg"
        if kind == "doses"
        else ""
        if kind != "durations"
        else (f" days ({value / 7:g} weeks)" if value % 7 == 0 else f" days ({value / 30.44:.1f} months)")
    )


def _identified(nums: Numbers, pf: list[Facts], ambiguous: bool) -> tuple[list[Facts], bool]:
    """Among several candidates, the one a duration, dose or percentage only it has identifies (if any)."""
    if not (ambiguous and len(pf) > 1):
        return pf, ambiguous

    def _has(f: Facts) -> bool:
        return any(
            close(v, x, kind) and ver != "unverified"
            for kind, vals in (("durations", nums.durations), ("doses", nums.doses), ("percents", nums.percents))
            for v in vals
            for x, _, ver in getattr(f, kind)
        )

    named = [f for f in pf if _has(f)]
    return (named, False) if len(named) == 1 else (pf, ambiguous)


def _figures(nums: Numbers, pf: list[Facts]) -> list[_Figure]:
    out = []
    for kind, values in (
        ("counts", [(v, more) for v, more in nums.counts]),
        ("percents", [(v, False) for v in nums.percents]),
        ("durations", [(v, False) for v in nums.durations]),
        ("doses", [(v, False) for v in nums.doses]),
    ):
        for value, more in values:
            # a result figure: a percentage, or a count of more than one person that is not the sample size,
            # where the linked records count outcomes at all ("one patient" names a case, not a figure)
            result = kind == "percents" or (
                kind == "counts"
                and value not in nums.sample_sizes
                and value > 1
                and any(what not in NON_OUTCOMES for facts in pf for _, what, _ in facts.counts)
            )
            prim = [
                (v, what, ver)
                for facts in pf
                for (v, what, ver) in getattr(facts, kind)
                if ver in ("primary", "secondary")
            ]
            out.append(_Figure(kind, value, more, _shown(kind, value), result, prim))
    return out


def _in_primary(out: NumberCheck, f: _Figure, pf: list[Facts], text: str | None, ambiguous: bool) -> bool:
    """Record a figure a primary record holds (or gives to another outcome); False when none holds it."""
    kind, value, shown = f.kind, f.value, f.shown
    hit = [(v, what, ver) for (v, what, ver) in f.prim if (close(value, v, kind) or (f.more and v > value))]
    if hit and kind == "percents" and text is not None and not ambiguous:
        swapped = _other_outcome_figure(value, hit, f.prim, text)
        if swapped:
            out.conflicts.append(swapped)
            return True
    if not hit:
        return False
    _, what, ver = hit[0]
    entry = f"{shown} ({what}, {ver} record)"
    if entry not in out.matched:
        out.matched.append(entry)
    if f.result and "threshold" not in what:
        out.results_matched += 1
    if kind == "percents" and text is not None and not shares_word(what, text):
        out.notes.append(
            f"the primary record gives {shown} for '{what}'; the article attaches it to "
            "different words, so check that it describes the same outcome"
        )
    if kind == "counts":
        for facts in pf:
            en = [x for x in facts.counts if x[1] == "enrolled" and x[2] != "unverified"]
            an = [x for x in facts.counts if x[1] == "analysed" and x[2] != "unverified"]
            if en and an and close(value, an[0][0], kind) and en[0][0] != an[0][0]:
                out.notes.append(
                    f"{shown.split()[0]} is the number analysed; {en[0][0]:g} were "
                    f"enrolled ({1 - an[0][0] / en[0][0]:.0%} attrition) [primary]"
                )
    return True


def _in_own_records(out: NumberCheck, f: _Figure, own: list[tuple[float, str, str]]) -> bool:
    """Record a figure the article's own records give (unconfirmed, or confirmed there); False otherwise."""
    if own and all(ver == "unverified" for _, _, ver in own) and not f.prim:
        out.unconfirmed.append(f"{f.shown} ({own[0][1]}): not confirmed in any primary record")
        if f.result:
            out.results_unconfirmed.append(out.unconfirmed[-1])
        return True
    if own and any(ver in ("primary", "secondary") for _, _, ver in own):
        _, what, ver = next(x for x in own if x[2] in ("primary", "secondary"))
        out.matched.append(f"{f.shown} ({what}, confirmed against the {ver} record)")
        if f.result:
            out.results_matched += 1
        return True
    return False


def _not_found(
    out: NumberCheck,
    f: _Figure,
    nums: Numbers,
    own: list[tuple[float, str, str]],
    pf: list[Facts],
    text: str | None,
    ambiguous: bool,
) -> None:
    """A figure no record holds: a conflict when it is a sample size or dose, else unconfirmed."""
    kind, value, shown, prim = f.kind, f.value, f.shown, f.prim
    same_kind = [x for x in prim if (kind == "doses" or x[1] in ("participants", "enrolled", "analysed"))]
    sample_size = kind == "doses" or value in nums.sample_sizes
    if same_kind and sample_size and not f.more:
        known = ", ".join(f"{v:g} ({what})" for v, what, _ in same_kind[:4])
        if ambiguous:
            out.unconfirmed.append(
                f"{shown}: matches none of the candidate studies ({known}); it may be a study the "
                "evidence base does not hold"
            )
        else:
            out.conflicts.append(f"the article says {shown}; the primary record gives {known}")
        return
    if own:
        out.unconfirmed.append(f"{shown} ({own[0][1]}): not confirmed in any primary record")
    elif pf:
        out.unconfirmed.append(f"{shown}: not in the linked primary record(s)")
    else:
        out.unconfirmed.append(f"{shown}: no primary record to check it against")
    if f.result:
        out.results_unconfirmed.append(out.unconfirmed[-1])
        if kind == "percents" and text is not None and not own:
            near = [
                f"{v:.3g}% ({what})"
                for v, what, _ in prim
                if "threshold" not in what and shares_word(what, text) and what not in NON_OUTCOMES
            ]
            if near:
                out.notes.append(f"for the outcome named, the record gives {', '.join(near[:4])}")


def check_numbers(
    nums: Numbers,
    primaries: Sequence[Study],
    described: Sequence[Study],
    text: str | None = None,
    *,
    ambiguous: bool = False,
) -> NumberCheck:
    """Compare a claim's numbers with the primary records (and what the article's own records confirm).

    ``ambiguous`` says the claim was linked to several candidate studies by condition and design
    alone: a sample size or dose that matches none of them then points to a study the base may
    not hold, and is reported as unconfirmed rather than as a conflict.
    """
    out = NumberCheck()
    pf, ambiguous = _identified(nums, [study_facts(s) for s in primaries], ambiguous)
    df = [study_facts(s) for s in described]
    sum_n = sum(s.population.n or 0 for s in described) if len(described) > 1 else None
    for f in _figures(nums, pf):
        if _in_primary(out, f, pf, text, ambiguous):
            continue
        if f.kind == "counts" and sum_n and close(f.value, float(sum_n), f.kind):
            out.matched.append(f"{f.shown} (participants of the linked reports together)")
            continue
        own = [(v, what, ver) for facts in df for (v, what, ver) in getattr(facts, f.kind) if close(f.value, v, f.kind)]
        if not _in_own_records(out, f, own):
            _not_found(out, f, nums, own, pf, text, ambiguous)
    return out


def _other_outcome_figure(
    value: float, hit: Sequence[tuple[float, str, str]], prim: Sequence[tuple[float, str, str]], text: str
) -> str | None:
    """A percentage the record gives for one outcome, attached by the claim to another outcome it also reports.

    "Remission was reached by 78%" where 78% is the record's response rate and remission was 33%:
    the claim's words name the other outcome better than the one the figure belongs to, and the
    record gives that outcome a different figure.  Only outcomes named in the claim count.
    """
    words = stems(text)

    def named(what: str) -> set[str]:
        return stems(what) & words

    hit_best = max(len(named(w)) for _, w, _ in hit)
    better = [
        (v, w)
        for v, w, _ in prim
        if "threshold" not in w
        and w not in NON_OUTCOMES
        and len(named(w)) > hit_best
        and not close(value, v, "percents")
        and not any(w == hw for _, hw, _ in hit)
    ]
    if not better:
        return None
    v, w = better[0]
    return (
        f"the article gives {value:g}% for what the record calls '{w}' ({v:g}%); {value:g}% is the record's "
        f"figure for '{hit[0][1]}'"
    )
