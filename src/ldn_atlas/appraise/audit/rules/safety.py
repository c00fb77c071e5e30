"""AUD4xx: claims of safety against the harms the records report."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ldn_atlas.appraise.audit.outcomes import adverse_events_seen
from ldn_atlas.appraise.audit.rules.base import ClaimContext, Finding, Reason, reasons_of, rule
from ldn_atlas.appraise.audit.wording import GENERIC_PRESENT
from ldn_atlas.model.evidence import Study

#: An absolute claim of safety.
_ABSOLUTE_SAFE = re.compile(
    r"\b(no (?:side[- ]effects?|adverse (?:effects?|events?|reactions?))(?: (?:at all|whatsoever))?|"
    r"without (?:any )?(?:side[- ]effects?|adverse (?:effects?|events?))|"
    r"(?:completely|totally|perfectly|entirely|absolutely|100%) safe|risk[- ]free)\b",
    re.I,
)


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


@rule(
    "AUD401",
    "absolute-safety-against-harms",
    verdicts=("contradicted",),
    fires_on=["LDN has no side effects at all in multiple sclerosis."],
    passes=["LDN is well tolerated in multiple sclerosis."],
)
def absolute_safety_against_harms(ctx: ClaimContext) -> Finding | None:
    """An absolute claim of safety ("no side effects", "completely safe") against records that report harms.

    The linked records report adverse events that occurred, so the absolute claim is contradicted.
    """
    text = ctx.text
    if not (_ABSOLUTE_SAFE.search(text) and not (ctx.nums.percents or ctx.nums.counts) and ctx.records):
        return None
    seen = adverse_events_seen(ctx.records)
    if not seen:
        return None
    return Finding(
        "AUD401",
        "contradicted",
        (
            *ctx.base,
            Reason(
                "AUD401",
                f"an absolute claim of safety ('{_ABSOLUTE_SAFE.search(text).group(0)}'), "  # type: ignore[union-attr]
                f"but the linked records report adverse events: {'; '.join(seen[:4])}",
            ),
        ),
    )


@rule(
    "AUD402",
    "general-safety-claim",
    verdicts=("supported-weak",),
    fires_on=["LDN is well tolerated in multiple sclerosis."],
    passes=["LDN has no side effects at all in multiple sclerosis."],
)
def general_safety_claim(ctx: ClaimContext) -> Finding | None:
    """A general claim of safety ("LDN is well tolerated in X"), not absolute, about the drug rather than a study.

    Weak support: the linked studies report mostly minor harms, but small, short studies cannot exclude
    rare or long-term ones; the harms they report are listed.
    """
    if not (
        ctx.kind == "safety"
        and not ctx.described
        and ctx.records
        and ctx.nums.empty()
        and GENERIC_PRESENT.search(ctx.text)
        and not _ABSOLUTE_SAFE.search(ctx.text)
    ):
        return None
    return Finding("AUD402", "supported-weak", (*ctx.base, *reasons_of("AUD402", safety_summary(ctx.records))))


RULES = (absolute_safety_against_harms, general_safety_claim)
