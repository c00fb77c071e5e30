"""The MCID registry (``data/mcid.yaml``) and the classification of effects against an MCID.

References
----------
.. [1] Jaeschke R, Singer J, Guyatt GH. Measurement of health status: ascertaining the
   minimal clinically important difference. Control Clin Trials 1989;10:407-15.
.. [2] Guyatt GH et al. GRADE guidelines 6: imprecision. J Clin Epidemiol 2011;64:1283-93
   (the MID as the threshold of an important effect).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import ValidationError

from ldn_atlas.appraise.registry_files import registry_text
from ldn_atlas.errors import InputError
from ldn_atlas.model.evidence import Citation, Verification

McidKind = Literal["absolute", "percent", "responder", "sd"]
McidVerdictCode = Literal[
    "exceeds-mcid", "may-exceed-mcid", "below-mcid-uncertain", "below-mcid", "favours-control", "no-mcid"
]
_KINDS = {"absolute", "percent", "responder", "sd"}
_DIRECTIONS = {"lower-is-better", "higher-is-better", "either"}
_VERIFICATION = {"primary", "secondary"}


@dataclass(frozen=True)
class McidEntry:
    """One threshold of the registry, with its citation and verification level."""

    id: str
    instrument: str
    aliases: tuple[str, ...]
    population: str
    conditions: tuple[str, ...]
    threshold: float
    unit: str
    kind: McidKind
    direction: str
    level: str
    citation: Citation
    verification: Verification
    seen_in: tuple[str, ...] = ()
    note: str | None = None

    @property
    def cite(self) -> str:
        """A short citation, e.g. ``Dworkin RH et al. 2008, J Pain``."""
        c = self.citation
        first = c.authors[0] if c.authors else (c.journal or "")
        etal = " et al." if len(c.authors) > 1 else ""
        year = f" {c.year}" if c.year else ""
        journal = f", {c.journal}" if c.journal and c.authors else ""
        return f"{first}{etal}{year}{journal}".strip()

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["citation"] = self.citation.model_dump(mode="json", exclude_defaults=True)
        out["aliases"] = list(self.aliases)
        out["conditions"] = list(self.conditions)
        out["seen_in"] = list(self.seen_in)
        return out


def _entry(raw: Any, where: str) -> McidEntry:
    if not isinstance(raw, dict):
        raise InputError("each MCID entry must be a mapping", location=where)
    eid = raw.get("id", "?")
    loc = f"{where}: entry {eid}"
    for key in (
        "id",
        "instrument",
        "aliases",
        "population",
        "threshold",
        "unit",
        "kind",
        "direction",
        "level",
        "citation",
        "verification",
    ):
        if key not in raw:
            raise InputError("missing field", location=loc, field=key)
    if raw["kind"] not in _KINDS:
        raise InputError(f"kind {raw['kind']!r} not one of {sorted(_KINDS)}", location=loc, field="kind")
    if raw["direction"] not in _DIRECTIONS:
        raise InputError(
            f"direction {raw['direction']!r} not one of {sorted(_DIRECTIONS)}",
            location=loc,
            field="direction",
        )
    if raw["verification"] not in _VERIFICATION:
        raise InputError(
            "verification must be primary or secondary (unverified thresholds are not recorded)",
            location=loc,
            field="verification",
        )
    try:
        threshold = float(raw["threshold"])
    except (TypeError, ValueError):
        raise InputError(f"threshold {raw['threshold']!r} is not a number", location=loc, field="threshold") from None
    if threshold <= 0:
        raise InputError("threshold must be positive", location=loc, field="threshold")
    try:
        citation = Citation.model_validate(raw["citation"])
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InputError(
            first["msg"], location=loc, field="citation." + ".".join(str(p) for p in first["loc"])
        ) from None
    if not raw.get("seen_in"):
        raise InputError("every threshold needs the address it was seen at", location=loc, field="seen_in")
    return McidEntry(
        id=str(raw["id"]),
        instrument=str(raw["instrument"]),
        aliases=tuple(str(a).lower() for a in raw["aliases"]),
        population=str(raw["population"]),
        conditions=tuple(str(c) for c in raw.get("conditions") or ()),
        threshold=threshold,
        unit=str(raw["unit"]),
        kind=raw["kind"],
        direction=str(raw["direction"]),
        level=str(raw["level"]),
        citation=citation,
        verification=raw["verification"],
        seen_in=tuple(raw["seen_in"]),
        note=raw.get("note"),
    )


@dataclass(frozen=True)
class McidRegistry:
    """The loaded registry: entries plus the instruments searched for and not recorded."""

    entries: tuple[McidEntry, ...]
    not_recorded: tuple[dict[str, str], ...] = ()

    def get(self, entry_id: str) -> McidEntry:
        for e in self.entries:
            if e.id == entry_id:
                return e
        raise KeyError(entry_id)

    def find(
        self,
        outcome: str,
        condition: str | None = None,
        *,
        level: str | None = None,
        kinds: Sequence[str] | None = None,
    ) -> list[McidEntry]:
        """Entries whose alias names the outcome, best match first.

        Parameters
        ----------
        outcome : str
            Outcome name and instrument, e.g. ``"Pain intensity NRS 0-10"``.
        condition : str, optional
            Condition label or ICD-10-CM code; entries derived in the same condition rank first.
        level, kinds
            Keep only entries of this level (``minimal``, ``moderate``...) and kinds.
        """
        text = outcome.lower()
        scored: list[tuple[int, int, McidEntry]] = []
        for e in self.entries:
            if level is not None and e.level != level:
                continue
            if kinds is not None and e.kind not in kinds:
                continue
            best = max(
                (len(a) for a in e.aliases if re.search(rf"(?<![a-z0-9]){re.escape(a)}(?![a-z0-9])", text)),
                default=0,
            )
            if not best:
                continue
            same = 0
            if condition:
                cond = condition.lower()
                same = int(any(c.lower() in cond or cond.startswith(c.lower()) for c in e.conditions))
            scored.append((same, best, e))
        scored.sort(key=lambda t: (-t[0], -t[1]))
        return [e for _, _, e in scored]

    def to_dict(self) -> dict[str, Any]:
        return {"entries": [e.to_dict() for e in self.entries], "not_recorded": list(self.not_recorded)}


def load_mcid_registry(path: str | Path | None = None) -> McidRegistry:
    """Load and validate the MCID registry (default: the package's ``data/mcid.yaml``)."""
    if path is None:
        return _default_registry()
    return _parse(*registry_text(path, "mcid.yaml", "MCID registry"))


@lru_cache(maxsize=1)
def _default_registry() -> McidRegistry:
    return _parse(*registry_text(None, "mcid.yaml", "MCID registry"))


def _parse(text: str, where: str) -> McidRegistry:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        loc = f"{where}:{mark.line + 1}" if mark is not None else where
        raise InputError(f"invalid YAML ({getattr(exc, 'problem', exc)})", location=loc) from None
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise InputError("the registry must be a mapping with a list 'entries'", location=where)
    entries = tuple(_entry(raw, where) for raw in data["entries"])
    ids = [e.id for e in entries]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise InputError(f"duplicate entry ids {dupes}", location=where)
    return McidRegistry(entries=entries, not_recorded=tuple(data.get("not_recorded") or ()))


@dataclass(frozen=True)
class McidVerdict:
    """How an effect compares with its MCID, with a sentence a person can read."""

    verdict: McidVerdictCode
    text: str
    mcid: float | None = None
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def classify_against_mcid(
    estimate: float,
    ci_lb: float,
    ci_ub: float,
    mcid: float | None,
    *,
    better: Literal["lower", "higher"],
    unit: str = "",
    source: str | None = None,
    null: float = 0.0,
) -> McidVerdict:
    """Classify a difference (and its CI) against a minimal important difference.

    Parameters
    ----------
    estimate, ci_lb, ci_ub : float
        The effect (treatment minus control) and its confidence limits.
    mcid : float or None
        The MCID as a positive magnitude on the same scale; ``None`` gives ``no-mcid``.
    better : {"lower", "higher"}
        Which direction of the difference favours treatment.
    null : float
        The value of no effect (0 for differences).

    Returns
    -------
    McidVerdict
        ``exceeds-mcid`` (the whole CI beyond the MCID), ``may-exceed-mcid`` (estimate
        beyond it, CI not), ``below-mcid-uncertain`` (estimate short of it, CI reaching
        it), ``below-mcid`` (the whole CI short of it), ``favours-control`` (the estimate
        favours the control and the CI does not reach an important benefit), or
        ``no-mcid``.
    """
    sign = -1.0 if better == "lower" else 1.0
    b = sign * (estimate - null)
    lo, hi = sorted((sign * (ci_lb - null), sign * (ci_ub - null)))
    u = f" {unit}" if unit else ""
    if mcid is None:
        return McidVerdict("no-mcid", "no MCID recorded for this outcome", None, source)
    if mcid <= 0:
        raise InputError(f"MCID must be positive, got {mcid}", field="mcid")
    if lo >= mcid:
        return McidVerdict(
            "exceeds-mcid",
            f"the whole CI lies beyond the MCID of {mcid:.3g}{u}: an important benefit",
            mcid,
            source,
        )
    if b >= mcid:
        return McidVerdict(
            "may-exceed-mcid",
            f"the estimate exceeds the MCID of {mcid:.3g}{u} but the CI includes smaller, unimportant effects",
            mcid,
            source,
        )
    if b < 0 and hi < mcid:
        return McidVerdict(
            "favours-control",
            f"the estimate favours the control and the CI excludes a benefit as large as the MCID of {mcid:.3g}{u}",
            mcid,
            source,
        )
    if hi >= mcid:
        return McidVerdict(
            "below-mcid-uncertain",
            f"the estimate is smaller than the MCID of {mcid:.3g}{u} but the CI includes an important benefit",
            mcid,
            source,
        )
    return McidVerdict(
        "below-mcid",
        f"the whole CI lies below the MCID of {mcid:.3g}{u}: any benefit is smaller than minimally important",
        mcid,
        source,
    )


def percent_mcid_to_points(entry: McidEntry, baseline: float) -> float:
    """A percent-of-baseline MCID in the instrument's points, for a given baseline score."""
    if entry.kind not in ("percent", "responder") or "%" not in entry.unit:
        raise InputError(f"MCID {entry.id} is not a percentage", field="kind")
    if baseline <= 0:
        raise InputError(f"baseline must be positive, got {baseline}", field="baseline")
    return entry.threshold / 100.0 * baseline


__all__ = [
    "McidEntry",
    "McidRegistry",
    "McidVerdict",
    "classify_against_mcid",
    "load_mcid_registry",
    "percent_mcid_to_points",
]
