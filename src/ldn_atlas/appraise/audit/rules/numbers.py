"""AUD2xx: the numbers of a claim against the primary records.

The comparison itself (which figure matches which record) is :func:`ldn_atlas.appraise.audit.numbers.check_numbers`;
these rules turn its outcome into verdicts and notes.
"""

from __future__ import annotations

from ldn_atlas.appraise.audit.rules.base import ClaimContext, Finding, Reason, note, reasons_of, rule
from ldn_atlas.appraise.audit.rules.notes import number_notes, unconfirmed_fields, unconfirmed_numbers

NUMBERS_MATCH = note(
    "AUD203",
    "numbers-match",
    """The claim's numbers that a linked record confirms ("numbers match: ...").

    Each figure is named with the record's label for it and the verification level of the record.
    """,
    fires_on=["A double-blind crossover trial of LDN in fibromyalgia enrolled 58 women."],
    passes=["A double-blind crossover trial of LDN in fibromyalgia enrolled 3 women."],
)

NUMBER_NOTES = note(
    "AUD205",
    "number-notes",
    """Notes on a claim's numbers: attrition, a figure attached to different words, the record's figures.

    "12 is the number analysed; 15 were enrolled" (attrition), "the primary record gives 40% for 'X'; the
    article attaches it to different words", "for the outcome named, the record gives ...".
    """,
    fires_on=["The crossover trial of LDN in multiple sclerosis analysed 60 patients."],
    passes=["A double-blind crossover trial of LDN in fibromyalgia enrolled 58 women."],
)

UNCONFIRMED_NUMBERS = note(
    "AUD206",
    "number-not-confirmed",
    """A number of the claim that no primary record confirms, and why ("not in the linked primary record(s)").

    A figure the article's own record gives but no primary record holds, a figure the linked records do
    not contain, or a figure with no record to check it against.
    """,
    fires_on=["Researchers reported that 93% of the women with fibromyalgia slept better on LDN."],
    passes=["A double-blind crossover trial of LDN in fibromyalgia enrolled 58 women."],
)


@rule(
    "AUD201",
    "number-conflict",
    verdicts=("contradicted",),
    fires_on=["The open-label pilot of LDN in primary progressive multiple sclerosis enrolled 25 patients."],
    passes=["The open-label pilot of LDN in primary progressive multiple sclerosis enrolled 40 patients."],
)
def number_conflict(ctx: ClaimContext) -> Finding | None:
    """A sample size, dose or percentage that differs from the primary record.

    The article says one figure where the primary record gives another for the same thing (or gives
    the figure to another outcome than the one the claim names): contradicted.
    """
    if not ctx.nc.conflicts:
        return None
    return Finding("AUD201", "contradicted", (*ctx.base, *reasons_of("AUD201", ctx.nc.conflicts), *number_notes(ctx)))


@rule(
    "AUD202",
    "result-figures-not-in-records",
    verdicts=("not-checkable",),
    fires_on=[
        "In the open-label pilot of LDN in primary progressive multiple sclerosis, 93% of patients reported "
        "less spasticity."
    ],
    passes=["Researchers reported that 93% of the women with fibromyalgia slept better on LDN."],
)
def result_figures_not_in_records(ctx: ClaimContext) -> Finding | None:
    """A result whose figures (percentages, counts of patients) none of the linked records contain.

    The result cannot be checked against the records it is linked to (not-checkable).
    """
    nc = ctx.nc
    if not (ctx.is_result and nc.results_unconfirmed and not nc.results_matched and ctx.records):
        return None
    return Finding(
        "AUD202",
        "not-checkable",
        (
            *ctx.base,
            Reason("AUD202", "the sentence's figures are not in the linked records, so the result cannot be checked"),
            *reasons_of("AUD206", nc.results_unconfirmed),
            *unconfirmed_fields(ctx),
            *number_notes(ctx),
        ),
    )


@rule(
    "AUD204",
    "numbers-match-no-record",
    verdicts=("not-checkable",),
    fires_on=["A double-blind crossover trial of LDN in fibromyalgia enrolled 3 women."],
    passes=["A double-blind crossover trial of LDN in fibromyalgia enrolled 58 women."],
)
def numbers_match_no_record(ctx: ClaimContext) -> Finding | None:
    """A description of a study whose numbers match none of the linked records.

    The study described may not be the one linked, or the article's figures are wrong: not-checkable.
    """
    if ctx.is_result or not (ctx.nc.unconfirmed and not ctx.nc.matched and not ctx.confirmed):
        return None
    return Finding(
        "AUD204",
        "not-checkable",
        (
            *ctx.base,
            Reason("AUD204", "the sentence's numbers match none of the linked records"),
            *unconfirmed_numbers(ctx),
            *unconfirmed_fields(ctx),
        ),
    )


RULES = (
    number_conflict,
    result_figures_not_in_records,
    NUMBERS_MATCH,
    numbers_match_no_record,
    NUMBER_NOTES,
    UNCONFIRMED_NUMBERS,
)
