"""AUD4xx: claims of safety against the harms the records report."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ldn_atlas.appraise.audit.outcomes import adverse_events_seen
from ldn_atlas.model.evidence import Study


def safety_summary(records: Sequence[Study]) -> list[str]:
    """What the linked records say about harms, for a general claim of safety."""
    serious = [
        f"{s.label}: {ae.name} {ae.count}"
        for s in records
        for ae in s.adverse_events
        if re.search(r"serious|major", ae.name, re.I) and ae.count
    ]
    none_serious = [
        s.label
        for s in records
        for ae in s.adverse_events
        if re.search(r"serious|major", ae.name, re.I) and (ae.count == 0 or ae.percent == 0)
    ]
    seen = [x for x in adverse_events_seen(records) if not re.search(r"serious|major", x, re.I)]
    n = sum(
        s.population.n or 0
        for s in records
        if s.species == "human" and s.adverse_events and "systematic-review" not in s.design
    )
    out = [
        f"the linked studies ({n} participants in those reporting harms) report mostly minor adverse events"
        + (f" ({'; '.join(seen[:3])})" if seen else "")
        + (f"; no serious adverse events in {', '.join(none_serious[:3])}" if none_serious else "")
    ]
    if serious:
        out.append(f"serious or major adverse events reported: {'; '.join(serious[:3])}")
    out.append("small, short studies cannot exclude rare or long-term harms, so 'safe' holds only as far as they go")
    return out
