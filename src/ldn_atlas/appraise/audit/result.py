"""What an audit returns: the claims of one source with their verdicts, and the studies behind each."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ldn_atlas.model.evidence import Claim, Source


@dataclass(frozen=True)
class LinkedStudy:
    """A study a claim is linked to: the article's description and its primary record."""

    described: str | None
    primary: str | None
    label: str
    design: str
    level: int
    species: str

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass(frozen=True)
class AuditResult:
    """The audit of one source: its claims with verdicts, and the studies behind each."""

    source: Source
    claims: tuple[Claim, ...]
    links: dict[str, tuple[LinkedStudy, ...]] = field(default_factory=dict)
    matched_curated: bool = False

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.claims:
            out[c.verdict] = out.get(c.verdict, 0) + 1
        return out

    def to_dict(self, *, with_links: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "source": self.source.model_dump(mode="json", exclude_none=True),
            "claims": [c.model_dump(mode="json") for c in self.claims],
        }
        if with_links:
            out["links"] = {k: [x.to_dict() for x in v] for k, v in self.links.items()}
            out["summary"] = self.counts()
        return out
