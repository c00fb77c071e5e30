"""Which outcomes of the linked records a claim names, and what those records report about them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ldn_atlas.appraise.audit.wording import TREATMENT
from ldn_atlas.model.classify import outcome_domain
from ldn_atlas.model.evidence import Study


def shares_word(what: str, text: str) -> bool:
    """True when the record's label and the claim share a content word (or its stem)."""
    stop = {
        "with",
        "from",
        "that",
        "this",
        "were",
        "reported",
        "patients",
        "self-reported",
        "percent",
        "responders",
        "less",
        "more",
        "than",
        "responder",
        "threshold",
        "overall",
    }
    words = [w for w in re.findall(r"[a-z]{4,}", what.lower()) if w not in stop]
    low = text.lower()
    return not words or any(w[:5] in low for w in words)


def primary_direction(primaries: Sequence[Study], text: str) -> tuple[str | None, list[str]]:
    """The direction of the linked trials' outcome in the claim's outcome domain."""
    dom = outcome_domain(text).id
    dirs, notes = [], []
    for s in primaries:
        for o in named_outcomes(s, text, dom, any_if_other=True):
            if o.direction:
                dirs.append(o.direction)
                p_txt = (o.p_text or "").strip()
                p = (
                    (f", {p_txt}" if p_txt.lower().startswith("p") else f", p {p_txt or '= ' + format(o.p, 'g')}")
                    if (o.p is not None or p_txt)
                    else ""
                )
                notes.append(f"{s.label}: {o.name} {o.direction}{p}")
    if not dirs:
        return None, notes
    if all(d == "no-difference" for d in dirs):
        return "no-difference", notes
    if any(d == "improved" for d in dirs):
        return "improved", notes
    return dirs[0], notes


def primary_confirms(primaries: Sequence[Study], text: str) -> list[str]:
    """Outcomes of the linked primary records in the claim's outcome domain that are verified there."""
    dom = outcome_domain(text).id
    treated = bool(TREATMENT.search(text))
    out = []
    for s in primaries:
        for i, o in enumerate(s.outcomes):
            if bool(TREATMENT.search(o.name)) != treated:
                continue  # a finding under treatment is not confirmed by an untreated one, nor the reverse
            if not shares_word(re.sub(r"\(.*?\)", "", o.name), text):
                continue  # the same domain, but a different measurement
            if o.direction in ("no-difference", "unclear"):
                continue  # a null or unclear finding confirms no change
            if outcome_domain(o).id == dom and (s.verification_of(f"outcomes[{i}]") or "unverified") != "unverified":
                out.append(f"{s.label}: {o.name}" + (f" ({o.direction})" if o.direction else ""))
    return out


_OUTCOME_STOP = {"with", "from", "that", "this", "were", "reported", "patients", "self-reported", "overall"}


def stems(text: str) -> set[str]:
    """Five-letter stems of a text's content words (bracketed asides left out)."""
    return {w[:5] for w in re.findall(r"[a-z]{4,}", re.sub(r"\(.*?\)", " ", text.lower())) if w not in _OUTCOME_STOP}


def named_outcomes(study: Study, text: str, dom: str, *, any_if_other: bool = False) -> list[Any]:
    """A study's outcomes in the claim's domain; when some share words with the claim, the ones sharing most.

    "Physical quality of life" is then judged against the physical component, not the mental one.
    """
    pool = [o for o in study.outcomes if outcome_domain(o).id == dom or (any_if_other and dom == "other")]
    words = stems(text)
    scored = [(len(stems(f"{o.name} {o.instrument or ''}") & words), o) for o in pool]
    best = max((n for n, _ in scored), default=0)
    return [o for n, o in scored if n == best] if best else pool


def adverse_events_seen(records: Sequence[Study]) -> list[str]:
    """Adverse events the records report as having occurred (named, or with a non-zero count or percent)."""
    out = []
    for s in records:
        for ae in s.adverse_events:
            if (ae.count == 0 or ae.percent == 0) or re.search(r"\bno\b|\bnone\b", ae.name, re.I):
                continue
            amount = f" {ae.percent:g}%" if ae.percent is not None else f" {ae.count}" if ae.count is not None else ""
            out.append(f"{s.label}: {ae.name}{amount}")
    return out
