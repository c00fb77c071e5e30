"""AUD110-AUD130: support graded by the design of the linked records.

A description of a study is checked against its record; a result is supported as far as the weakest
design behind it allows (Oxford 2011 Levels of Evidence, OCEBM): indirectly by animal or in-vitro work,
weakly by uncontrolled designs and by small randomized trials, fully by a randomized trial.
"""

from __future__ import annotations

from ldn_atlas.appraise.audit.outcomes import primary_confirms
from ldn_atlas.appraise.audit.rules.base import ClaimContext, Example, Finding, Reason, revision, rule
from ldn_atlas.appraise.audit.rules.notes import matched_numbers, tail_notes
from ldn_atlas.appraise.audit.wording import CAVEAT, DESIGN_WORDS, MECHANISM
from ldn_atlas.appraise.levels import risk_of_bias
from ldn_atlas.model.classify import DesignCategory

_OPPOSITE_TAGS = {
    "double-blind": {"open-label", "single-blind"},
    "single-blind": {"double-blind", "open-label"},
    "open-label": {"double-blind", "single-blind"},
    "randomized": {"case-report", "case-series", "retrospective"},
    "placebo-controlled": {"case-report", "case-series"},
}

#: Below this many participants analysed a randomized trial's result is weak support (OCEBM downgrades
#: for imprecision; the methodologist conventions in tests/data/audit/README.md use N < ~20).
SMALL_TRIAL = 20


def _extra(ctx: ClaimContext) -> list[Reason]:
    """The notes of a supported claim: the numbers that match, unconfirmed fields, notes on numbers."""
    return [*matched_numbers(ctx), *tail_notes(ctx)]


def _claimed_designs(text: str) -> set[str]:
    return {t for t, pat in DESIGN_WORDS.items() if pat.search(text)}


@rule(
    "AUD110",
    "design-words-against-record",
    verdicts=("contradicted",),
    fires_on=[
        Example(
            "The pilot was double-blind and ran at several centres.",
            context="Adults with primary progressive multiple sclerosis took LDN in this pilot.",
            article_record="gironi-2008",
        )
    ],
    passes=[
        Example(
            "The pilot was open-label and ran at several centres.",
            context="Adults with primary progressive multiple sclerosis took LDN in this pilot.",
            article_record="gironi-2008",
        )
    ],
)
def design_words_against_record(ctx: ClaimContext) -> Finding | None:
    """A description of a study whose design words ("double-blind", "randomized") the record contradicts.

    The record's design tags say otherwise (open-label, case series, ...).  When the claim was linked to
    several candidates by condition alone, only a clash with all of them counts.
    """
    if ctx.is_result:
        return None
    records = ctx.records
    clash = [
        (t, o) for t in _claimed_designs(ctx.text) for s in records for o in _OPPOSITE_TAGS.get(t, ()) if o in s.design
    ]
    if clash and not ctx.described and len(records) > 1:
        # candidates linked by condition alone: a clash with one of them is not a contradiction
        clash = [c for c in clash if all(any(o in s.design for o in _OPPOSITE_TAGS.get(c[0], ())) for s in records)]
    if not clash:
        return None
    t, o = clash[0]
    return Finding(
        "AUD110",
        "contradicted",
        (
            *ctx.base,
            Reason("AUD110", f"the article says {t}; the record is {o}"),
            *_extra(ctx),
        ),
    )


@rule(
    "AUD111",
    "description-of-nonhuman-work",
    verdicts=("supported-indirect",),
    fires_on=["In a study of mice with EAE, LDN was given at a low dose."],
    passes=["In mice with EAE, LDN reduced the severity of the disease."],
)
def description_of_nonhuman_work(ctx: ClaimContext) -> Finding | None:
    """A description of animal or in-vitro work (not a result): at most indirect evidence for patients.

    Animal and laboratory studies are mechanism-based reasoning (OCEBM level 5): supported-indirect.
    """
    if ctx.is_result or not ctx.nonhuman:
        return None
    return Finding(
        "AUD111",
        "supported-indirect",
        (
            *ctx.base,
            Reason("AUD111", "refers to animal or in-vitro work: at most indirect evidence for patients"),
            *_extra(ctx),
        ),
    )


@rule(
    "AUD112",
    "nothing-to-confirm",
    verdicts=("not-checkable",),
    fires_on=["LDN is a treatment for Crohn's disease."],
    passes=["A double-blind crossover trial of LDN in fibromyalgia enrolled 58 women."],
)
def nothing_to_confirm(ctx: ClaimContext) -> Finding | None:
    """A sentence linked by content that names no design, number or result a record could confirm.

    It is about a condition the base holds studies of, but says nothing those studies could confirm.
    """
    if ctx.is_result:
        return None
    if not (
        not ctx.described
        and not ctx.nc.matched
        and not ctx.confirmed
        and not _claimed_designs(ctx.text)
        and ctx.nums.empty()
        and not CAVEAT.search(ctx.text)
        and not primary_confirms(ctx.primaries, ctx.text)
    ):
        return None
    return Finding(
        "AUD112",
        "not-checkable",
        (
            *ctx.base,
            Reason("AUD112", "the sentence names no design, number or result that the linked records could confirm"),
            *_extra(ctx),
        ),
    )


@rule(
    "AUD113",
    "description-against-record",
    verdicts=("supported-weak", "supported"),
    fires_on=["A double-blind crossover trial of LDN in fibromyalgia enrolled 58 women."],
    passes=["A double-blind crossover trial of LDN in fibromyalgia enrolled 3 women."],
)
def description_against_record(ctx: ClaimContext) -> Finding | None:
    """A description of a study (its design, size, dose, duration) that the record confirms.

    Supported when it matches; supported-weak when only some of its fields are confirmed.
    """
    if ctx.is_result:
        return None
    shown = [Reason("AUD113", f"confirmed in the record: {', '.join(ctx.confirmed)}")] if ctx.confirmed else []
    if ctx.unconfirmed and ctx.confirmed:
        return Finding(
            "AUD113",
            "supported-weak",
            (
                *ctx.base,
                Reason("AUD113", "partly confirmed"),
                *shown,
                *_extra(ctx),
            ),
        )
    return Finding(
        "AUD113",
        "supported",
        (
            *ctx.base,
            Reason("AUD113", "the description matches the record"),
            *shown,
            *_extra(ctx),
        ),
    )


@rule(
    "AUD120",
    "nonhuman-finding",
    verdicts=("supported-indirect",),
    fires_on=["In mice with EAE, LDN reduced the severity of the disease."],
    passes=["In a study of mice with EAE, LDN was given at a low dose."],
)
def nonhuman_finding(ctx: ClaimContext) -> Finding | None:
    """An animal or in-vitro finding stated as such (in mice, in cultured cells).

    It holds for the model, and is indirect evidence for patients (OCEBM level 5): supported-indirect.
    """
    if not ctx.nonhuman:
        return None
    return Finding(
        "AUD120",
        "supported-indirect",
        (
            *ctx.base,
            Reason("AUD120", "an animal or in-vitro finding stated as such: indirect evidence for patients"),
            *_extra(ctx),
        ),
    )


_WHY = {
    DesignCategory.CASE_REPORT: "a case report",
    DesignCategory.CASE_SERIES: "a case series",
    DesignCategory.OBSERVATIONAL: "an observational study without a control group",
    DesignCategory.UNCONTROLLED_TRIAL: "an uncontrolled trial",
    DesignCategory.NON_RANDOMISED_CONTROLLED: "a non-randomized controlled study",
}


@rule(
    "AUD121",
    "finding-from-weaker-design",
    verdicts=("supported-weak",),
    fires_on=["In an open-label trial of LDN in long COVID, fatigue improved."],
    passes=["In the randomized trial of LDN in adults with Crohn's disease, endoscopic response improved."],
)
def finding_from_weaker_design(ctx: ClaimContext) -> Finding | None:
    """A result reported by a design weaker than a randomized trial (case report ... non-randomized study).

    Such a design cannot show that LDN caused the finding (OCEBM 2011); the serious risk-of-bias signals of
    the records are listed, and a biomarker is named as a surrogate outcome.
    """
    weakest = ctx.weakest
    if weakest is None or weakest >= DesignCategory.RANDOMISED_CONTROLLED:
        return None
    why = _WHY.get(weakest, f"a {weakest.label} study")
    rob = [sig.detail for s in ctx.records for sig in risk_of_bias(s).serious][:3]
    surrogate = ctx.kind == "mechanism" and MECHANISM.search(ctx.text)
    reason = f"the finding is reported by {why}; it cannot show that LDN caused it" + (
        " (and a biomarker is a surrogate outcome)" if surrogate else ""
    )
    return Finding(
        "AUD121",
        "supported-weak",
        (
            *ctx.base,
            Reason("AUD121", reason),
            *(Reason("AUD121", r) for r in rob),
            *_extra(ctx),
        ),
    )


@rule(
    "AUD122",
    "small-randomized-trial",
    verdicts=("supported-weak",),
    fires_on=["In children with Crohn's disease, LDN improved the PCDAI in a small randomized trial."],
    passes=["In the randomized trial of LDN in adults with Crohn's disease, endoscopic response improved."],
)
def small_randomized_trial(ctx: ClaimContext) -> Finding | None:
    """A result from randomized trials that each analysed fewer than 20 participants.

    Too small to rely on: weak support (imprecision; OCEBM downgrades for it).
    """
    sizes = [s.population.n_analyzed or s.population.n for s in ctx.records]
    if not (sizes and all(n is not None and n < SMALL_TRIAL for n in sizes)):
        return None
    return Finding(
        "AUD122",
        "supported-weak",
        (
            *ctx.base,
            Reason(
                "AUD122",
                f"consistent with the randomized trial, but it analysed fewer than {SMALL_TRIAL} "
                f"participants ({', '.join(str(n) for n in sizes)}): too small to rely on",
            ),
            *_extra(ctx),
        ),
    )


@rule(
    "AUD123",
    "consistent-with-randomized-trial",
    verdicts=("supported",),
    fires_on=["In the randomized trial of LDN in adults with Crohn's disease, endoscopic response improved."],
    passes=["In children with Crohn's disease, LDN improved the PCDAI in a small randomized trial."],
)
def consistent_with_randomized_trial(ctx: ClaimContext) -> Finding | None:
    """A result consistent with the linked randomized trial, which no earlier rule questions.

    The last rule of the precedence: a randomized trial of adequate size supports the result (supported).
    """
    return Finding(
        "AUD123",
        "supported",
        (
            *ctx.base,
            Reason("AUD123", "consistent with the randomized trial"),
            *_extra(ctx),
        ),
    )


SAME_ANIMAL_MODEL = revision(
    "AUD130",
    "same-animal-model",
    """A not-checkable animal finding that another primary record of the same animal model reports.

    The other record is linked too, and the claim is indirect evidence for patients (OCEBM level 5).
    """,
    verdicts=("supported-indirect",),
    fires_on=[Example("LDN restored serum opioid growth factor in the mice.", article_record="ludwig-2017-eae")],
    passes=["In mice with EAE, LDN reduced the severity of the disease."],
)

RULES = (
    design_words_against_record,
    description_of_nonhuman_work,
    nothing_to_confirm,
    description_against_record,
    nonhuman_finding,
    finding_from_weaker_design,
    small_randomized_trial,
    consistent_with_randomized_trial,
    SAME_ANIMAL_MODEL,
)
