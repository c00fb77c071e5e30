"""The condition studied: the most often named condition of the study, its context or its parent study."""

from __future__ import annotations

from ldn_atlas.extract.conditions import ConditionMention, find_conditions
from ldn_atlas.extract.fields.context import ReadContext
from ldn_atlas.model import Condition


def read_condition(c: ReadContext) -> Condition:
    """The study's condition (``unspecified`` when none is named), with the spans of up to three mentions."""
    mentions: list[ConditionMention] = []
    for sent, text in c.iter():
        mentions.extend(find_conditions(text, sent.start))
    if not mentions:
        for sent in c.context:
            mentions.extend(find_conditions(sent.text, sent.start))
    if not mentions and c.inherited is not None and c.inherited.condition.label != "unspecified":
        spans = c.inherited.provenance.get("condition", [])
        for s in spans:
            c.mark("condition", s.start, s.end)
        return c.inherited.condition
    if not mentions:
        mentions = list(c.fallback_conditions)
    if not mentions:
        return Condition(label="unspecified")
    counts: dict[str, int] = {}
    for m in mentions:
        counts[m.label] = counts.get(m.label, 0) + 1
    best = max(counts, key=lambda lab: (counts[lab], -next(i for i, m in enumerate(mentions) if m.label == lab)))
    chosen = [m for m in mentions if m.label == best]
    for m in chosen[:3]:
        c.mark("condition", m.start, m.end)
    return Condition(label=chosen[0].label, code=chosen[0].code)
