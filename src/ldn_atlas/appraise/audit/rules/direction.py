"""AUD501-AUD506: the direction of a result against what the linked trials and reviews found.

References: Boutron & Ravaud, PNAS 2018 ("spin": a null result reported as a benefit, a composite
category reported as improvement).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ldn_atlas.appraise.audit.outcomes import named_outcomes, primary_direction, shares_word
from ldn_atlas.appraise.audit.rules.base import ClaimContext, Finding, Reason, reasons_of, rule
from ldn_atlas.appraise.audit.rules.notes import number_notes
from ldn_atlas.appraise.audit.wording import DESIGN_WORDS, GENERIC_EFFICACY, NULL
from ldn_atlas.appraise.levels import reviews_only_nonrandomised
from ldn_atlas.model.classify import DesignCategory, design_category, outcome_domain
from ldn_atlas.model.evidence import ClaimStrength, Study, Verdict

#: "X improved, but not Y": a result with a stated exception.
CONTRAST = re.compile(r"\b(?:but|while|whereas|although)\s+(?:not|no|none)\b", re.I)
#: An outcome category that pools improvement with no change ("improved or stabilised").
_COMPOSITE = re.compile(
    r"\b(?:improv\w*|better)\s+(?:or|and/or)\s+(?:stabili[sz]\w*|stable|unchanged|maintained|no worse)\b|"
    r"\b(?:stabili[sz]\w*|stable|unchanged|maintained|no worse)\s+(?:or|and/or)\s+(?:improv\w*|better)\b",
    re.I,
)


_IMPROVE = re.compile(r"\b(improv\w*|better|benefit\w*)\b", re.I)


_NO_CHANGE = re.compile(r"\b(stabili[sz]\w*|stable|unchanged|maintain\w*|no worse|did not worsen)\b", re.I)


def composite_category(primaries: Sequence[Study], text: str) -> list[str]:
    """Records that report the claim's outcome only as "improved or stable" when the claim says "improved".

    A category that pools improvement with no change cannot tell how many improved, so a
    claim of improvement resting on it is not established (a form of spin [3]_).
    """
    if not _IMPROVE.search(text) or _NO_CHANGE.search(text) or NULL.search(text):
        return []
    dom = outcome_domain(text).id
    out = []
    for s in primaries:
        for i, o in enumerate(s.outcomes):
            if not _COMPOSITE.search(o.name) or outcome_domain(o).id != dom:
                continue
            if not shares_word(_COMPOSITE.sub(" ", re.sub(r"\(.*?\)", "", o.name)), text):
                continue
            ver = s.verification_of(f"outcomes[{i}]") or "unverified"
            if ver == "unverified":
                continue
            vals = ", ".join(f"{m.value:g}{'%' if m.kind == 'percent' else ''}" for m in o.measures[:2])
            out.append(f"{s.label} reports '{o.name}'" + (f" ({vals})" if vals else "") + f" [{ver}]")
    return out


def review_verdict(reviews: Sequence[Study], text: str, strength: ClaimStrength) -> tuple[Verdict, list[str]] | None:
    """A claim about what a systematic review found, against the review's own conclusion in that outcome.

    The review's direction wins over the trials it pooled: an unqualified claim of effect where
    the review found the evidence uncertain is overstated; a claim against its direction is
    contradicted.
    """
    dom = outcome_domain(text).id
    found = [(s, o) for s in reviews for o in named_outcomes(s, text, dom, any_if_other=True) if o.direction]
    if not found:
        return None
    dirs = {o.direction for _, o in found}
    said = "; ".join(f"{s.label}: {o.name} {o.direction}" for s, o in found)
    claim_null = bool(NULL.search(text))
    if claim_null:
        if "improved" in dirs:
            return "contradicted", [f"the review reports a benefit ({said})"]
        if dirs == {"no-difference"}:
            return "supported", [f"the review found no difference, as stated ({said})"]
        return "supported-weak", [f"the review found the evidence uncertain ({said})"]
    if dirs == {"no-difference"}:
        verdict: Verdict = "unsupported" if strength == "hedged" else "contradicted"
        return verdict, [f"the review found no difference ({said})"]
    if "improved" in dirs and dirs <= {"improved"}:
        return "supported", [f"the review reports a benefit ({said})"]
    if strength == "hedged":
        return "supported", [f"a hedged claim, as uncertain as the review ({said})"]
    return "overstated", [f"an unqualified claim of effect; the review does not find a clear benefit ({said})"]


def trials_disagree(rcts: Sequence[Study], text: str) -> list[str]:
    """Per-trial directions in the claim's outcome domain when some trials improved and others found no difference."""
    dom = outcome_domain(text).id
    if dom == "other":
        return []
    improved, null = [], []
    for s in rcts:
        dirs = [o.direction for o in named_outcomes(s, text, dom) if o.direction]
        if "improved" in dirs:
            improved.append(s.label)
        elif dirs and all(d == "no-difference" for d in dirs):
            null.append(s.label)
    if improved and null:
        return [f"improved: {'; '.join(improved)}", f"no difference: {'; '.join(null)}"]
    return []


def _rcts(ctx: ClaimContext) -> list[Study]:
    return [s for s in ctx.primaries if design_category(s) == DesignCategory.RANDOMISED_CONTROLLED]


@rule(
    "AUD501",
    "null-trial-on-named-outcome",
    verdicts=("contradicted",),
    fires_on=["In a 2019 randomized trial of 99 adults with fibromyalgia, LDN reduced pain intensity."],
    passes=["In a 2019 randomized trial of 99 adults with fibromyalgia, LDN did not reduce pain intensity."],
)
def null_trial_on_named_outcome(ctx: ClaimContext) -> Finding | None:
    """A result the linked randomized trials found null on the very outcome the claim names.

    Contradicted whatever the strength of the wording (unless hedged); a claim widened to an outcome of
    the same domain that did improve is left to the later rules.
    """
    text, rct_null = ctx.text, _rcts(ctx)
    if not (
        ctx.is_result
        and rct_null
        and ctx.strength != "hedged"
        and not NULL.search(text)
        and not CONTRAST.search(text)
        and outcome_domain(text).id != "other"
    ):
        return None
    direction, dnotes = primary_direction(rct_null, text)
    dom_id = outcome_domain(text).id
    named = [o for s in rct_null for o in named_outcomes(s, text, dom_id)]
    in_domain = [o for s in rct_null for o in s.outcomes if outcome_domain(o).id == dom_id]
    if not (
        direction == "no-difference"
        and named
        and all(shares_word(o.name, text) for o in named)
        and not any(o.direction == "improved" for o in in_domain)  # a widened claim is judged later
    ):
        return None
    return Finding(
        "AUD501",
        "contradicted",
        (
            *ctx.base,
            Reason("AUD501", "the randomized trial found no difference in the outcome named"),
            *reasons_of("AUD501", dnotes),
        ),
    )


@rule(
    "AUD502",
    "review-conclusion",
    verdicts=("contradicted", "supported", "supported-weak", "unsupported", "overstated"),
    fires_on=["A Cochrane systematic review found that LDN induces remission in Crohn's disease."],
    passes=["In the randomized trial of LDN in adults with Crohn's disease, endoscopic response improved."],
)
def review_conclusion(ctx: ClaimContext) -> Finding | None:
    """A claim about what a systematic review found, against the review's own direction in that outcome.

    The review's conclusion wins over the trials it pooled: a claim against its direction is
    contradicted, an unqualified claim where the review found the evidence uncertain is overstated. A review
    whose record says it includes no randomized trial (``included_designs``) weighs only claims that cite a
    review: its pooled pre-post changes are no answer to "does LDN work?" (OCEBM 2011: a review ranks no
    higher than the studies it includes).
    """
    cites_review = bool(DESIGN_WORDS["systematic-review"].search(ctx.text))
    # a review of non-randomised studies only weighs a claim that cites it, never a general claim of effect
    reviews = [s for s in ctx.primaries if "systematic-review" in s.design
               and (cites_review or not reviews_only_nonrandomised(s))]
    generic = bool(GENERIC_EFFICACY.search(ctx.text)) and not ctx.described and ctx.kind != "safety"
    if not (ctx.is_result and reviews and (DESIGN_WORDS["systematic-review"].search(ctx.text) or generic)):
        return None
    judged = review_verdict(reviews, ctx.text, ctx.strength)
    if judged is None:
        return None
    return Finding("AUD502", judged[0], (*ctx.base, *reasons_of("AUD502", judged[1]), *number_notes(ctx)))


@rule(
    "AUD503",
    "trials-disagree",
    verdicts=("supported-weak", "overstated"),
    fires_on=["LDN improves pain in fibromyalgia."],
    passes=["LDN did not improve quality of life in multiple sclerosis."],
)
def trials_disagree_rule(ctx: ClaimContext) -> Finding | None:
    """A claim of effect where the linked randomized trials disagree (some improved, some found no difference).

    Unqualified, it is overstated; hedged, it is weak support.
    """
    rct = _rcts(ctx)
    if not (ctx.is_result and len(rct) > 1 and not NULL.search(ctx.text)):
        return None
    split = trials_disagree(rct, ctx.text)
    if not split:
        return None
    if ctx.strength == "hedged":
        return Finding(
            "AUD503",
            "supported-weak",
            (
                *ctx.base,
                *reasons_of("AUD503", ["a hedged claim of effect where the trials disagree", *split]),
            ),
        )
    return Finding(
        "AUD503",
        "overstated",
        (
            *ctx.base,
            *reasons_of("AUD503", ["an unqualified claim of effect, but the randomized trials disagree", *split]),
            *number_notes(ctx),
        ),
    )


@rule(
    "AUD504",
    "contrast-clause",
    verdicts=("supported", "contradicted"),
    fires_on=["In the 2024 randomized trial of LDN in fibromyalgia, memory improved but not pain intensity."],
    passes=["In the 2024 randomized trial of LDN in fibromyalgia, memory improved."],
)
def contrast_clause(ctx: ClaimContext) -> Finding | None:
    """A result with a stated exception ("X improved, but not Y") against the trial's outcomes.

    Supported when the trial improved the first and found no difference in the second; otherwise the
    trial's results do not split as the sentence says (contradicted).
    """
    text, rct = ctx.text, _rcts(ctx)
    contrast = CONTRAST.search(text)
    if not (ctx.is_result and rct and contrast and not NULL.search(text[: contrast.start()])):
        return None
    pos_dir, pos_notes = primary_direction(rct, text[: contrast.start()])
    neg_dir, neg_notes = primary_direction(rct, text[contrast.start() :])
    if pos_dir is None or neg_dir is None:
        return None
    notes = list(dict.fromkeys([*pos_notes, *neg_notes]))
    if pos_dir == "improved" and neg_dir == "no-difference":
        return Finding(
            "AUD504",
            "supported",
            (
                *ctx.base,
                *reasons_of(
                    "AUD504",
                    ["the trial found the contrast stated (an effect on one outcome, none on the other)", *notes],
                ),
                *number_notes(ctx),
            ),
        )
    return Finding(
        "AUD504",
        "contradicted",
        (
            *ctx.base,
            *reasons_of("AUD504", ["the trial's results do not split as the sentence says", *notes]),
        ),
    )


@rule(
    "AUD505",
    "trial-direction",
    verdicts=("supported", "contradicted", "unsupported"),
    fires_on=["LDN did not improve quality of life in multiple sclerosis."],
    passes=["LDN improves pain in fibromyalgia."],
)
def trial_direction(ctx: ClaimContext) -> Finding | None:
    """The direction a claim states (an effect, or none) against the linked randomized trials' outcome.

    A null stated as null is supported; a claimed null where the trial found a difference, or an effect
    where it found none, is contradicted (a hedged claim of effect is only unsupported).
    """
    rct = _rcts(ctx)
    if not (ctx.is_result and rct):
        return None
    direction, dnotes = primary_direction(rct, ctx.text)
    claim_null = bool(NULL.search(ctx.text))
    notes = reasons_of("AUD505", dnotes)
    if direction is None:
        return None
    if claim_null and direction == "no-difference":
        return Finding(
            "AUD505",
            "supported",
            (
                *ctx.base,
                Reason("AUD505", "the trial found no difference, as stated"),
                *notes,
                *number_notes(ctx),
            ),
        )
    if claim_null and direction == "improved":
        return Finding("AUD505", "contradicted", (*ctx.base, Reason("AUD505", "the trial found a difference"), *notes))
    if not claim_null and direction == "no-difference":
        if ctx.strength == "hedged":  # "may help": a null trial leaves it unsupported, not disproved
            return Finding(
                "AUD505",
                "unsupported",
                (
                    *ctx.base,
                    Reason("AUD505", "a hedged claim of effect; the trial found no difference"),
                    *notes,
                ),
            )
        return Finding(
            "AUD505",
            "contradicted",
            (
                *ctx.base,
                Reason("AUD505", "the trial found no difference"),
                *notes,
            ),
        )
    return None


@rule(
    "AUD506",
    "improved-or-stable",
    verdicts=("unsupported",),
    fires_on=["In the retrospective chart review of LDN in multiple sclerosis, patients' quality of life improved."],
    passes=["In the retrospective chart review of LDN in multiple sclerosis, patients reported less fatigue."],
)
def improved_or_stable(ctx: ClaimContext) -> Finding | None:
    """Improvement claimed where the record reports only an "improved or stable" category.

    A category that pools improvement with no change cannot tell how many improved, so the claim of
    improvement is not established (a form of spin, Boutron & Ravaud 2018).
    """
    if not ctx.is_result:
        return None
    merged = composite_category(ctx.primaries, ctx.text)
    if not merged:
        return None
    return Finding(
        "AUD506",
        "unsupported",
        (
            *ctx.base,
            *reasons_of(
                "AUD506",
                [
                    *merged,
                    "the claim reports improvement, but the record's category also counts "
                    "patients who only stayed the same; how many improved is not reported",
                ],
            ),
            *number_notes(ctx),
        ),
    )


RULES = (
    null_trial_on_named_outcome,
    review_conclusion,
    trials_disagree_rule,
    contrast_clause,
    trial_direction,
    improved_or_stable,
)
