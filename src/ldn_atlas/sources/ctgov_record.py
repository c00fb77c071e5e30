"""A ClinicalTrials.gov v2 record rendered as ``Key: value`` lines, with the span each Study field came from.

The reader maps record fields straight onto a Study; so that each field can still
point at "the words it came from", every value it reads is appended to a short
text rendering (the Source text) and the field's path is noted with the span of
that value.  Also here: the tolerant lookups and number coercions the stages share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ldn_atlas.model import Span


@dataclass
class RecordText:
    """Accumulates ``Key: value`` lines, the span of each value, and the provenance of Study fields."""

    source_id: str
    lines: list[str] = field(default_factory=list)
    pos: int = 0
    provenance: dict[str, list[Span]] = field(default_factory=dict)

    def add(self, key: str, value: object) -> Span | None:
        """Append ``key: value`` (whitespace collapsed) and return the value's span; nothing for an empty value."""
        if value is None or value == "" or value == []:
            return None
        text = re.sub(r"\s+", " ", str(value)).strip()
        line = f"{key}: {text}"
        start = self.pos + len(key) + 2
        self.lines.append(line)
        self.pos += len(line) + 1
        return Span(source=self.source_id, start=start, end=start + len(text))

    def note(self, path: str, span: Span | None) -> None:
        """Record ``span`` as (one of) the words the Study field at ``path`` came from."""
        if span is not None:
            self.provenance.setdefault(path, []).append(span)

    def span(self, start: int, end: int) -> Span:
        """A span of the rendered text."""
        return Span(source=self.source_id, start=start, end=end)

    @property
    def text(self) -> str:
        """The rendering so far, one line per value."""
        return "\n".join(self.lines)


def get(obj: Any, *keys: str, default: Any = None) -> Any:
    """``obj[k1][k2]...``, or ``default`` when a level is missing, ``None`` or not a dict."""
    for key in keys:
        if not isinstance(obj, dict):
            return default
        obj = obj.get(key)
        if obj is None:
            return default
    return obj


def to_float(value: object) -> float | None:
    """A number written with or without thousands separators; ``None`` otherwise."""
    try:
        return float(str(value).replace(",", ""))
    except (TypeError, ValueError):
        return None


def to_int(value: object) -> int | None:
    """A non-negative whole number; ``None`` otherwise."""
    f = to_float(value)
    return int(f) if f is not None and f >= 0 and f == int(f) else None


def arm_key(title: str) -> str:
    """The arm a group title names: ``placebo``, ``ldn``, or the title itself (at most 80 characters)."""
    low = title.lower()
    if "placebo" in low:
        return "placebo"
    if "naltrexone" in low or re.search(r"\bldn\b", low):
        return "ldn"
    return title.strip()[:80] or "arm"
