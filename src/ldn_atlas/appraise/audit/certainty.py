"""The GRADE certainty of the syntheses of a claim's condition (context for general claims)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ldn_atlas.model.classify import outcome_domain
from ldn_atlas.model.evidence import Study


def certainty_context(text: str, studies: Sequence[Study], cache: dict[str, Any] | None = None) -> list[str]:
    """For a call for research about a condition: the certainty of the syntheses of that condition."""
    try:
        from ldn_atlas.appraise.synthesis import synthesise
        from ldn_atlas.vocabulary import load_vocabulary

        mentions = load_vocabulary().mentions(text)
        if not mentions:
            return []
        entry = mentions[0][0]
        cache = {} if cache is None else cache
        if "report" not in cache:
            cache["report"] = synthesise(studies)
        report = cache["report"]
    except Exception:  # the context is a courtesy: an audit never fails for it
        return []
    out = []
    ordered = sorted(report.syntheses, key=lambda x: (x.kind != "meta-analysis", "responders" in x.id, -len(x.rows)))
    for syn in ordered:
        if (
            syn.condition_code
            and entry.code
            and syn.condition_code.rstrip("-") == entry.code.rstrip("-")
            and syn.appraisal is not None
            and syn.kind in ("meta-analysis", "narrative", "single-study")
        ):
            out.append(
                f"{syn.condition}, {syn.outcome_label.lower()}: {len(syn.rows)} randomized "
                f"{'trial' if len(syn.rows) == 1 else 'trials'}, certainty "
                f"{syn.appraisal.certainty.replace('-', ' ')} (GRADE)"
            )
    return [f"the evidence base agrees that more research is needed: {'; '.join(out[:4])}"] if out else []


def claim_certainty(
    text: str, primaries: Sequence[Study], studies: Sequence[Study], cache: dict[str, Any]
) -> list[tuple[str, str]]:
    """(synthesis label, GRADE certainty) for the linked records' condition and the claim's outcome domain.

    All syntheses of the condition (bar adverse events and surrogate biomarkers) when the claim
    names no outcome the syntheses cover.
    """
    codes = {(s.condition.code or "").rstrip("-") for s in primaries if s.species == "human" and s.condition.code}
    if not codes:
        return []
    try:
        from ldn_atlas.appraise.synthesis import synthesise

        if "report" not in cache:
            cache["report"] = synthesise(studies)
        report = cache["report"]
    except Exception:  # the certainty is context: an audit never fails for it
        return []
    pool = [
        x
        for x in report.syntheses
        if x.appraisal is not None
        and (x.condition_code or "").rstrip("-") in codes
        and ":adverse" not in x.id
        and "responders" not in x.id
        and x.outcome not in ("biomarkers", "safety")
    ]
    dom = outcome_domain(text).id
    named = [x for x in pool if x.outcome == dom]
    return [(f"{x.condition}, {x.outcome_label.lower()}", x.certainty or "") for x in (named or pool)]
