"""AUD7xx: temporal facts ('the most recent trial') against the evidence base."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ldn_atlas.appraise.audit.linking import condition_key
from ldn_atlas.appraise.audit.rules.base import note
from ldn_atlas.model.evidence import Study

TEMPORAL = re.compile(r"\b(most recent|latest|newest|first|opening|earliest)\b", re.I)


def temporal_check(text: str, primaries: Sequence[Study], studies: Sequence[Study]) -> list[str]:
    """'The most recent / first study of X': compare the linked study's year with the base's other human studies."""
    years = [p.citation.year for p in primaries if p.citation and p.citation.year]
    if not years:
        return []
    keys = {condition_key(p) for p in primaries}
    others = [
        s
        for s in studies
        if s.species == "human"
        and s.primary_source is None
        and s not in primaries
        and s.citation
        and s.citation.year
        and condition_key(s) in keys
    ]
    recent = bool(re.search(r"most recent|latest|newest", text, re.I))
    if recent:
        later = sorted(
            (s for s in others if s.citation and s.citation.year and s.citation.year > max(years)),
            key=lambda s: s.citation.year if s.citation and s.citation.year else 0,
        )
        if later:
            listed = ", ".join(f"{s.label.split(':')[0]} ({s.citation.year if s.citation else ''})" for s in later[:4])
            return [
                f"not the most recent study today: the evidence base has later ones ({listed}); the statement "
                "may have been true when the article was written"
            ]
        return [f"the linked study ({max(years)}) is the most recent of its condition in the evidence base"]
    earlier = [s for s in others if s.citation and s.citation.year and s.citation.year < min(years)]
    if earlier:
        listed = ", ".join(f"{s.label.split(':')[0]} ({s.citation.year if s.citation else ''})" for s in earlier[:4])
        return [f"earlier studies of the condition exist in the evidence base ({listed})"]
    return [f"the linked study ({min(years)}) is the earliest of its condition in the evidence base"]


MOST_RECENT_OR_FIRST = note(
    "AUD701",
    "most-recent-or-first",
    """"The most recent / the first study of X": the linked study's year against the base's other human studies.

    A note, not a verdict: a study that was the latest when the article was written may not be today, so the
    later (or earlier) studies of the condition in the evidence base are listed.
    """,
    fires_on=["The most recent randomized trial of LDN in fibromyalgia enrolled 99 adults."],
    passes=["A randomized trial of LDN in fibromyalgia enrolled 99 adults."],
)

RULES = (MOST_RECENT_OR_FIRST,)
