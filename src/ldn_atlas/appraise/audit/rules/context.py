"""AUD0xx: context and linking notes, and the verdicts of claims with nothing in the records to check."""

from __future__ import annotations

from ldn_atlas.appraise.audit.outcomes import primary_confirms
from ldn_atlas.appraise.audit.rules.base import ClaimContext, Example, Finding, Reason, note, rule
from ldn_atlas.appraise.audit.rules.notes import unconfirmed_fields, unconfirmed_numbers
from ldn_atlas.appraise.audit.wording import CAVEAT

LINKED = note(
    "AUD001",
    "linked-studies",
    """The studies a claim is linked to, with their design and OCEBM level.

    Every verdict about a linked claim starts from this note, so a reader sees which records were
    weighed.  The level is the Oxford 2011 Levels of Evidence (OCEBM) level of the record's design.
    """,
    fires_on=["In a randomized, placebo-controlled trial of LDN in fibromyalgia, pain scores improved."],
    passes=["The weather in the valley was mild for most of that spring."],
)

UNCONFIRMED_FIELDS = note(
    "AUD002",
    "fields-not-confirmed",
    """Fields of the article's own record that no primary record confirms ("not confirmed in any primary record").

    An article the evidence base has curated is read field by field; a field the curators marked
    unverified is named, so a reader knows which parts of the sentence rest on the article alone.
    """,
    fires_on=[Example("Twelve adults with fibromyalgia took LDN for eight weeks in this pilot.", article_record="")],
    passes=["Twelve adults with fibromyalgia took LDN for eight weeks in this pilot."],
)

PRIMARY_MISSING = note(
    "AUD003",
    "primary-record-missing",
    """The article's record names a primary record the evidence base does not hold.

    The claim is then checked against the article's own record and its verification levels only.
    """,
    fires_on=[
        Example(
            "Twelve adults with fibromyalgia took LDN for eight weeks in this pilot.",
            article_record="no-such-primary-record",
        )
    ],
    passes=[Example("Twelve adults with fibromyalgia took LDN for eight weeks in this pilot.", article_record="")],
)

NO_PRIMARY_IDENTIFIED = note(
    "AUD004",
    "no-primary-identified",
    """The article describes a study for which no primary record was identified.

    Nothing the article says about that study can be confirmed against a primary publication.
    """,
    fires_on=[Example("Twelve adults with fibromyalgia took LDN for eight weeks in this pilot.", article_record="")],
    passes=[
        Example(
            "Twelve adults with fibromyalgia took LDN for eight weeks in this pilot.",
            article_record="no-such-primary-record",
        )
    ],
)


@rule(
    "AUD005",
    "nothing-confirmable",
    verdicts=("supported-indirect", "not-checkable"),
    fires_on=[Example("Twelve adults with fibromyalgia took LDN for eight weeks in this pilot.", article_record="")],
    passes=[
        Example(
            "The pilot was open-label and ran at several centres.",
            context="Adults with primary progressive multiple sclerosis took LDN in this pilot.",
            article_record="gironi-2008",
        )
    ],
)
def nothing_confirmable(ctx: ClaimContext) -> Finding | None:
    """A sentence whose fields are all unconfirmed and whose numbers match no record.

    Nothing in it can be checked (not-checkable); when the claim is about animal or in-vitro work
    and a primary record reports the finding, it is indirect evidence for patients
    (supported-indirect, OCEBM level 5).
    """
    if not (ctx.unconfirmed and not ctx.confirmed and not ctx.nc.matched):
        return None
    seen = primary_confirms(ctx.primaries, ctx.text)
    if seen and ctx.nonhuman:
        return Finding(
            "AUD005",
            "supported-indirect",
            (
                *ctx.base,
                Reason(
                    "AUD005",
                    f"the primary record reports it in animals ({'; '.join(seen)}): indirect evidence for patients",
                ),
                *unconfirmed_fields(ctx),
            ),
        )
    return Finding("AUD005", "not-checkable", (*ctx.base, *unconfirmed_fields(ctx), *unconfirmed_numbers(ctx)))


@rule(
    "AUD006",
    "no-linked-study",
    verdicts=("not-checkable", "supported"),
    fires_on=["Many people first hear about the treatment from a friend or a forum."],
    passes=["In a randomized, placebo-controlled trial of LDN in fibromyalgia, pain scores improved."],
)
def no_linked_study(ctx: ClaimContext) -> Finding | None:
    """A sentence no study of the evidence base is linked to.

    Its numbers cannot be checked (not-checkable); a caveat or call for research in background or
    hedged wording needs no study to hold (supported).
    """
    if ctx.records:
        return None
    if ctx.nc.unconfirmed:
        return Finding("AUD006", "not-checkable", (*ctx.base, *unconfirmed_numbers(ctx)))
    if CAVEAT.search(ctx.text) and (ctx.kind == "background" or ctx.strength == "hedged"):
        return Finding("AUD006", "supported", (Reason("AUD006", "a caveat or call for research"),))
    return Finding(
        "AUD006", "not-checkable", (Reason("AUD006", "no study in the evidence base is linked to this sentence"),)
    )


@rule(
    "AUD007",
    "no-primary-record",
    verdicts=("not-checkable",),
    fires_on=[
        Example(
            "The nurses who ran it also kept a diary of sleep.",
            context="Twelve adults with fibromyalgia took LDN for eight weeks in this pilot.",
            article_record="",
        )
    ],
    passes=[
        Example(
            "The nurses who ran it also kept a diary of sleep.",
            context="Adults with primary progressive multiple sclerosis took LDN in this pilot.",
            article_record="gironi-2008",
        )
    ],
)
def no_primary_record(ctx: ClaimContext) -> Finding | None:
    """A study the article describes, with no primary record identified and nothing confirmed.

    Nothing in the sentence can be checked against a primary publication.
    """
    if ctx.primaries or ctx.confirmed or ctx.nonhuman:
        return None
    return Finding(
        "AUD007",
        "not-checkable",
        (
            *ctx.base,
            Reason(
                "AUD007", "no primary record of this study was identified, so nothing in the sentence can be checked"
            ),
            *unconfirmed_fields(ctx),
        ),
    )


@rule(
    "AUD008",
    "result-not-confirmed",
    verdicts=("not-checkable",),
    fires_on=[
        Example("In this pilot, 31 women with fibromyalgia reported less pain on LDN.", article_record="younger-2013")
    ],
    passes=["In this pilot, 31 women with fibromyalgia reported less pain on LDN."],
)
def result_not_confirmed(ctx: ClaimContext) -> Finding | None:
    """A result from a randomized trial whose fields the primary records leave unconfirmed.

    Without a confirmed field the result cannot be checked (not-checkable).
    """
    if not (ctx.unconfirmed and not ctx.confirmed):
        return None
    return Finding("AUD008", "not-checkable", (*ctx.base, *unconfirmed_fields(ctx)))


RULES = (
    LINKED,
    UNCONFIRMED_FIELDS,
    PRIMARY_MISSING,
    NO_PRIMARY_IDENTIFIED,
    nothing_confirmable,
    no_linked_study,
    no_primary_record,
    result_not_confirmed,
)
