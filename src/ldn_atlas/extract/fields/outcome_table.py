"""The outcomes and adverse events of one study while it is read, and the records they become.

Readers add outcome mentions with :meth:`OutcomeTable.add` (a second mention of the same name joins
the first, filling its direction and significance if still open); numbers, responders and
statistics are appended to an outcome's ``measures``/``responders``/``p``.  :meth:`OutcomeTable.records`
turns them into :class:`~ldn_atlas.model.Outcome` and :class:`~ldn_atlas.model.AdverseEvent` records and
marks their spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ldn_atlas.extract.fields.context import ReadContext
from ldn_atlas.model import AdverseEvent, Outcome


@dataclass
class OutcomeTable:
    """The outcome mentions (dicts with name, direction, significant, spans, measures, ...) and adverse events."""

    outs: list[dict[str, Any]] = field(default_factory=list)
    aes: list[tuple[AdverseEvent, int, int]] = field(default_factory=list)
    used_pct: set[int] = field(default_factory=set)

    def add(
        self, name: str, direction: str | None, significant: bool | None, s: int, e: int, **extra: Any
    ) -> dict[str, Any]:
        """The outcome named ``name`` (case-insensitive), added or joined, with the span ``s``-``e``."""
        key = name.lower()
        for o in self.outs:
            if o["name"].lower() == key:
                if o["direction"] in (None, "unclear") and direction not in (None, "unclear"):
                    o["direction"] = direction
                if o["significant"] is None and significant is not None:
                    o["significant"] = significant
                o["spans"].append((s, e))
                return o
        o = {
            "name": name,
            "direction": direction,
            "significant": significant,
            "spans": [(s, e)],
            "measures": [],
            "responders": [],
            "p": None,
            "p_text": None,
            "ci": [],
            "surrogate": False,
        }
        o.update(extra)
        self.outs.append(o)
        return o

    def records(self, c: ReadContext) -> tuple[list[Outcome], list[AdverseEvent]]:
        """The outcome and adverse-event records; the outcome's own name spans first, then its values'."""
        outcomes: list[Outcome] = []
        for k, o in enumerate(self.outs):
            for s, e in o["spans"]:
                c.mark(f"outcomes[{k}]", s, e)
            measures = []
            for j, (meas, s, e) in enumerate(o["measures"]):
                measures.append(meas)
                c.mark(f"outcomes[{k}].measures[{j}].value", s, e)
            responders = []
            for j, (r, s, e) in enumerate(o["responders"]):
                responders.append(r)
                c.mark(f"outcomes[{k}].responders[{j}]", s, e)
            if o.get("p_span"):
                c.mark(f"outcomes[{k}].p", *o["p_span"])
            outcomes.append(
                Outcome(
                    name=o["name"][:200],
                    direction=o["direction"],
                    significant=o["significant"],
                    p=o["p"],
                    p_text=o["p_text"],
                    measures=measures,
                    responders=responders,
                    surrogate=_surrogate(o["name"]),
                )
            )
        adverse = []
        for j, (event, s, e) in enumerate(self.aes):
            adverse.append(event)
            c.mark(f"adverse_events[{j}]", s, e)
        return outcomes, adverse


def _surrogate(name: str) -> bool:
    """The outcome is a laboratory or biomarker measure (levels, cytokines, cell counts, ...)."""
    return bool(
        re.search(
            r"\b(?:levels?|cytokines?|concentrations?|cells?|counts?|expression|"
            r"biomarkers?|serum|plasma)\b",
            name,
            re.I,
        )
    )
