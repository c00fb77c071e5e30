"""AUD1xx: the design behind a claim and language stronger than that design allows."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ldn_atlas.model.classify import (
    outcome_domain,
)
from ldn_atlas.model.evidence import Study


def modest_effect(primaries: Sequence[Study], text: str) -> list[str]:
    """Reasons a linked trial's effect is modest: p between 0.01 and 0.05, or unchanged related outcomes."""
    dom = outcome_domain(text).id
    out = []
    for s in primaries:
        n = s.population.n_analyzed or s.population.n
        if n is not None and n < 30:
            out.append(f"{s.label} analysed {n} participants: too few to show a large effect precisely")
        for o in s.outcomes:
            if outcome_domain(o).id != dom:
                continue
            if o.direction == "improved" and o.p is not None and 0.01 <= o.p <= 0.05:
                vals = ", ".join(f"{m.value:+g}{' ' + m.unit if m.unit else ''}" for m in o.measures[:1])
                out.append(
                    f"{s.label}: {o.name} {vals} (p = {o.p:g}) is a modest effect near the significance threshold"
                )
            if o.direction == "no-difference":
                out.append(f"{s.label}: no difference in {o.name}")
    return out


#: Below this many participants analysed a randomized trial's result is weak support (OCEBM downgrades
#: for imprecision; the methodologist conventions in tests/data/audit/README.md use N < ~20).
SMALL_TRIAL = 20


def extrapolates(text: str) -> bool:
    return bool(
        re.search(
            r"\b(pathophysiology of (?:multiple sclerosis|MS)|in humans|patients|autoimmune states?|"
            r"can benefit)\b",
            text,
            re.I,
        )
    )
