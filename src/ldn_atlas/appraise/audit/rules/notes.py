"""The notes verdicts carry besides their own reasons, each under its rule's code (AUD002, AUD203, AUD205, AUD206)."""

from __future__ import annotations

from ldn_atlas.appraise.audit.rules.base import ClaimContext, Reason, reasons_of


def unconfirmed_fields(ctx: ClaimContext) -> list[Reason]:
    """AUD002: the fields of the article's record no primary record confirms."""
    if not ctx.unconfirmed:
        return []
    return [Reason("AUD002", f"not confirmed in any primary record: {', '.join(ctx.unconfirmed)}")]


def number_notes(ctx: ClaimContext) -> list[Reason]:
    """AUD205: the notes on the claim's numbers."""
    return reasons_of("AUD205", ctx.nc.notes)


def unconfirmed_numbers(ctx: ClaimContext) -> list[Reason]:
    """AUD206: numbers of the claim no primary record confirms."""
    return reasons_of("AUD206", ctx.nc.unconfirmed)


def matched_numbers(ctx: ClaimContext) -> list[Reason]:
    """AUD203: the numbers a linked record confirms."""
    return [Reason("AUD203", f"numbers match: {', '.join(ctx.nc.matched)}")] if ctx.nc.matched else []


def tail_notes(ctx: ClaimContext) -> list[Reason]:
    """The notes most verdicts end with: unconfirmed fields (AUD002), then the notes on numbers (AUD205)."""
    return [*unconfirmed_fields(ctx), *number_notes(ctx)]
