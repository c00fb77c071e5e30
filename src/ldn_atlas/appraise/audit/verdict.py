"""One claim's verdict from its findings."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ldn_atlas.appraise.audit.claims import Numbers
from ldn_atlas.appraise.audit.outcomes import (
    adverse_events_seen,
    named_outcomes,
    primary_confirms,
    primary_direction,
    shares_word,
)
from ldn_atlas.appraise.audit.result import LinkedStudy
from ldn_atlas.appraise.audit.rules.classification import classification_verdict
from ldn_atlas.appraise.audit.rules.design import SMALL_TRIAL, extrapolates, modest_effect
from ldn_atlas.appraise.audit.rules.direction import composite_category, review_verdict, trials_disagree
from ldn_atlas.appraise.audit.rules.general import general_claim_verdict
from ldn_atlas.appraise.audit.rules.numbers import check_numbers
from ldn_atlas.appraise.audit.rules.safety import safety_summary
from ldn_atlas.appraise.audit.wording import (
    ANIMAL,
    CAVEAT,
    DESIGN_WORDS,
    GENERIC_EFFICACY,
    GENERIC_PRESENT,
    INVITRO,
    MECHANISM,
    NULL,
    PROOF,
    RESULT,
    STRONG,
)
from ldn_atlas.appraise.levels import risk_of_bias
from ldn_atlas.model.classify import (
    DesignCategory,
    design_category,
    outcome_domain,
)
from ldn_atlas.model.evidence import ClaimKind, ClaimStrength, Study, Verdict

#: An absolute claim of safety.
_ABSOLUTE_SAFE = re.compile(
    r"\b(no (?:side[- ]effects?|adverse (?:effects?|events?|reactions?))(?: (?:at all|whatsoever))?|"
    r"without (?:any )?(?:side[- ]effects?|adverse (?:effects?|events?))|"
    r"(?:completely|totally|perfectly|entirely|absolutely|100%) safe|risk[- ]free)\b",
    re.I,
)


_CAUSAL_CO = re.compile(
    r"\b(in combination with|combined with|along with|together with|concurrent|concomitant|"
    r"adjunct|plus|surgery|surgical|operation|operated|standard (?:pain )?"
    r"(?:management|treatment|therapy))\b",
    re.I,
)


_HUMAN_GENERALISATION = re.compile(
    r"\b(human|humans|patients?|people|multiple sclerosis|\bMS\b|autoimmune "
    r"states?|disease|pathophysiology|therap\w*|clinical)\b"
)


_OPPOSITE_TAGS = {
    "double-blind": {"open-label", "single-blind"},
    "single-blind": {"double-blind", "open-label"},
    "open-label": {"double-blind", "single-blind"},
    "randomized": {"case-report", "case-series", "retrospective"},
    "placebo-controlled": {"case-report", "case-series"},
}


def judge(
    text: str,
    kind: ClaimKind,
    strength: ClaimStrength,
    linked: Sequence[LinkedStudy],
    primaries: Sequence[Study],
    described: Sequence[Study],
    confirmed: Sequence[str],
    unconfirmed: Sequence[str],
    nums: Numbers,
    *,
    certainty: Sequence[tuple[str, str]] = (),
) -> tuple[Verdict, list[str]]:
    """The verdict and reasons for one claim (see the module docstring for the rules).

    ``certainty`` gives (synthesis label, GRADE certainty) for the condition x outcome the claim is about,
    used to weigh general claims about the treatment ("LDN reduces pain in X").
    """
    cls = classification_verdict(text) if kind == "classification" else None
    if cls is not None:
        return cls
    reasons: list[str] = []
    records = list(primaries) or list(described)
    cats = [design_category(s) for s in records]
    species = {s.species for s in records}
    if ANIMAL.search(text):
        species.add("animal")
    if INVITRO.search(text):
        species.add("in-vitro")
    is_result = bool(RESULT.search(text))
    nc = check_numbers(nums, primaries, described, text, ambiguous=not described and len(primaries) > 1)
    weakest = min(cats) if cats else None
    design_txt = ", ".join(sorted({f"{x.label} ({x.design}, OCEBM level {x.level})" for x in linked}))
    if design_txt:
        reasons.append(f"linked to {design_txt}")
    # 1. language stronger than the design allows
    nonhuman = bool({"animal", "in-vitro"} & species)
    if nonhuman and (
        strength in ("proof", "strong")
        or (
            kind == "mechanism"
            and _HUMAN_GENERALISATION.search(text)
            and not ANIMAL.search(text.split(",")[0])
            and strength != "hedged"
            and extrapolates(text)
        )
    ):
        which = "in-vitro" if "in-vitro" in species else "animal"
        reasons.append(
            f"{which} work is presented as "
            + ("proof" if strength == "proof" else "established knowledge about patients")
            + f"; {which} findings are mechanism-based "
            "reasoning (OCEBM level 5), not evidence that LDN works in people"
        )
        return "overstated", reasons + nc.notes
    if (
        kind == "mechanism"
        and strength != "hedged"
        and not described
        and GENERIC_PRESENT.search(text)
        and _IN_PATIENTS.search(text)
        and not CAVEAT.search(text)
        and not primary_confirms([s for s in records if s.species == "human"], text)
    ):
        return "overstated", [
            *reasons,
            "a mechanism stated as established in patients, but no linked human study measured it: mechanistic "
            "reasoning (OCEBM level 5) is not evidence of what LDN does in people",
        ]
    # a result the randomized trials found null on the outcome named: contradicted, whatever the wording's strength
    rct_null = [s for s in primaries if design_category(s) == DesignCategory.RANDOMISED_CONTROLLED]
    if (
        is_result
        and rct_null
        and strength != "hedged"
        and not NULL.search(text)
        and not _CONTRAST.search(text)
        and outcome_domain(text).id != "other"
    ):
        direction, dnotes = primary_direction(rct_null, text)
        dom_id = outcome_domain(text).id
        named = [o for s in rct_null for o in named_outcomes(s, text, dom_id)]
        in_domain = [o for s in rct_null for o in s.outcomes if outcome_domain(o).id == dom_id]
        if (
            direction == "no-difference"
            and named
            and all(shares_word(o.name, text) for o in named)
            and not any(o.direction == "improved" for o in in_domain)  # a widened claim is judged later
        ):
            return "contradicted", [*reasons, "the randomized trial found no difference in the outcome named", *dnotes]
    uncontrolled = weakest is not None and weakest <= DesignCategory.UNCONTROLLED_TRIAL
    case_level = weakest is not None and weakest <= DesignCategory.CASE_SERIES
    if strength == "proof" and records:
        if certainty and not described:
            grade_txt = "; ".join(f"{label}: {c.replace('-', ' ')}" for label, c in certainty[:3])
            reasons.append(
                f"a general claim about LDN in this condition; GRADE certainty of its syntheses: {grade_txt}"
            )
        if uncontrolled or weakest == DesignCategory.NON_RANDOMISED_CONTROLLED:
            reasons.append(
                f"'{PROOF.search(text).group(0)}' where the weakest linked study has no randomized control: "  # type: ignore[union-attr]
                "an association observed during treatment cannot prove a mechanism or an effect"
            )
        else:
            reasons.append(f"'{PROOF.search(text).group(0)}': no single trial proves an effect")  # type: ignore[union-attr]
        return "overstated", reasons + _unconf(unconfirmed) + nc.notes
    if case_level and is_result and (strength == "strong" or _CAUSAL_CO.search(text)):
        bits = []
        if _CAUSAL_CO.search(text):
            bits.append(f"co-interventions ('{_CAUSAL_CO.search(text).group(0)}')")  # type: ignore[union-attr]
        if STRONG.search(text):
            bits.append(f"'{STRONG.search(text).group(0)}'")  # type: ignore[union-attr]
        reasons.append(
            "a causal or strong claim from uncontrolled case reports with "
            + " and ".join(bits)
            + ": improvement cannot be attributed to LDN"
        )
        return "overstated", reasons + _unconf(unconfirmed) + nc.notes
    if strength == "strong" and records and is_result:
        modest = modest_effect(primaries, text)
        if uncontrolled or weakest == DesignCategory.NON_RANDOMISED_CONTROLLED or modest:
            reasons.append(
                f"'{STRONG.search(text).group(0)}' is stronger than the evidence: "  # type: ignore[union-attr]
                + ("; ".join(modest) if modest else "the design has no randomized control")
            )
            return "overstated", reasons + _unconf(unconfirmed) + nc.notes
    # 1b. an absolute claim of safety against records that report adverse events
    if _ABSOLUTE_SAFE.search(text) and not (nums.percents or nums.counts) and records:
        seen = adverse_events_seen(records)
        if seen:
            return (
                "contradicted",
                [
                    *reasons,
                    f"an absolute claim of safety ('{_ABSOLUTE_SAFE.search(text).group(0)}'), but the linked "  # type: ignore[union-attr]
                    f"records report adverse events: {'; '.join(seen[:4])}",
                ],
            )
    # 1c. a general claim of safety ("LDN is safe / well tolerated in X"), not absolute
    if (
        kind == "safety"
        and not described
        and records
        and nums.empty()
        and GENERIC_PRESENT.search(text)
        and not _ABSOLUTE_SAFE.search(text)
    ):
        return "supported-weak", [*reasons, *safety_summary(records)]
    # 2. numbers that differ from the primary record
    if nc.conflicts:
        return "contradicted", reasons + nc.conflicts + nc.notes
    # 2a. what a systematic review concluded
    reviews = [s for s in primaries if "systematic-review" in s.design]
    generic = bool(GENERIC_EFFICACY.search(text)) and not described and kind != "safety"
    if is_result and reviews and (DESIGN_WORDS["systematic-review"].search(text) or generic):
        judged = review_verdict(reviews, text, strength)
        if judged is not None:
            return judged[0], [*reasons, *judged[1], *nc.notes]
    # 3. direction of a trial result
    rct = [s for s in primaries if design_category(s) == DesignCategory.RANDOMISED_CONTROLLED]
    if is_result and len(rct) > 1 and not NULL.search(text):
        split = trials_disagree(rct, text)
        if split:
            if strength == "hedged":
                return "supported-weak", [*reasons, "a hedged claim of effect where the trials disagree", *split]
            return "overstated", [
                *reasons,
                "an unqualified claim of effect, but the randomized trials disagree",
                *split,
                *nc.notes,
            ]
    contrast = _CONTRAST.search(text)
    if is_result and rct and contrast and not NULL.search(text[: contrast.start()]):
        pos_dir, pos_notes = primary_direction(rct, text[: contrast.start()])
        neg_dir, neg_notes = primary_direction(rct, text[contrast.start() :])
        if pos_dir is not None and neg_dir is not None:
            notes = list(dict.fromkeys([*pos_notes, *neg_notes]))
            if pos_dir == "improved" and neg_dir == "no-difference":
                return "supported", [
                    *reasons,
                    "the trial found the contrast stated (an effect on one outcome, none on the other)",
                    *notes,
                    *nc.notes,
                ]
            return "contradicted", [*reasons, "the trial's results do not split as the sentence says", *notes]
    if is_result and rct:
        direction, dnotes = primary_direction(rct, text)
        claim_null = bool(NULL.search(text))
        if direction is not None:
            if claim_null and direction == "no-difference":
                return "supported", [*reasons, "the trial found no difference, as stated", *dnotes, *nc.notes]
            if claim_null and direction == "improved":
                return "contradicted", [*reasons, "the trial found a difference", *dnotes]
            if not claim_null and direction == "no-difference":
                if strength == "hedged":  # "may help": a null trial leaves it unsupported, not disproved
                    return "unsupported", [*reasons, "a hedged claim of effect; the trial found no difference", *dnotes]
                return "contradicted", [*reasons, "the trial found no difference", *dnotes]
    # 3a. a general claim that the treatment works, weighed against the condition's whole evidence
    general = general_claim_verdict(text, kind, strength, records, described, certainty, is_result)
    if general is not None:
        return general[0], [*reasons, *general[1], *nc.notes]
    # 3b. an "improved or stable" category reported as improvement
    if is_result:
        merged = composite_category(primaries, text)
        if merged:
            return "unsupported", [
                *reasons,
                *merged,
                "the claim reports improvement, but the record's category also counts patients who only "
                "stayed the same; how many improved is not reported",
                *nc.notes,
            ]
    # 4. caveats and calls for research
    if not is_result and CAVEAT.search(text):
        reasons.append("a caveat or call for research, consistent with the design of the evidence")
        return "supported", reasons
    # 5. nothing confirmable
    if unconfirmed and not confirmed and not nc.matched:
        seen = primary_confirms(primaries, text)
        if seen and nonhuman:
            return "supported-indirect", [
                *reasons,
                f"the primary record reports it in animals ({'; '.join(seen)}): indirect evidence for patients",
                *_unconf(unconfirmed),
            ]
        return "not-checkable", reasons + _unconf(unconfirmed) + nc.unconfirmed
    if not records:
        if nc.unconfirmed:
            return "not-checkable", [*reasons, *nc.unconfirmed]
        if CAVEAT.search(text) and (kind == "background" or strength == "hedged"):
            return "supported", ["a caveat or call for research"]
        return "not-checkable", ["no study in the evidence base is linked to this sentence"]
    if not primaries and not confirmed and not nonhuman:
        return "not-checkable", [
            *reasons,
            "no primary record of this study was identified, so nothing in the sentence can be checked",
            *_unconf(unconfirmed),
        ]
    # 5b. a result whose figures the linked records do not contain
    if is_result and nc.results_unconfirmed and not nc.results_matched and records:
        return "not-checkable", [
            *reasons,
            "the sentence's figures are not in the linked records, so the result cannot be checked",
            *nc.results_unconfirmed,
            *_unconf(unconfirmed),
            *nc.notes,
        ]
    # 6. support graded by design
    extra = _unconf(unconfirmed) + nc.notes
    if nc.matched:
        extra = [f"numbers match: {', '.join(nc.matched)}", *extra]
    if not is_result:
        # a description of a study: check design words against the record
        claimed = {t for t, pat in DESIGN_WORDS.items() if pat.search(text)}
        clash = [(t, o) for t in claimed for s in records for o in _OPPOSITE_TAGS.get(t, ()) if o in s.design]
        if clash and not described and len(records) > 1:
            # candidates linked by condition alone: a clash with one of them is not a contradiction
            clash = [c for c in clash if all(any(o in s.design for o in _OPPOSITE_TAGS.get(c[0], ())) for s in records)]
        if clash:
            t, o = clash[0]
            return "contradicted", [*reasons, f"the article says {t}; the record is {o}", *extra]
        if nonhuman:
            return "supported-indirect", [
                *reasons,
                "refers to animal or in-vitro work: at most indirect evidence for patients",
                *extra,
            ]
        shown = [f"confirmed in the record: {', '.join(confirmed)}"] if confirmed else []
        if (
            not described
            and not nc.matched
            and not confirmed
            and not claimed
            and nums.empty()
            and not CAVEAT.search(text)
            and not primary_confirms(primaries, text)
        ):
            return "not-checkable", [
                *reasons,
                "the sentence names no design, number or result that the linked records could confirm",
                *extra,
            ]
        if nc.unconfirmed and not nc.matched and not confirmed:
            return "not-checkable", [
                *reasons,
                "the sentence's numbers match none of the linked records",
                *nc.unconfirmed,
                *_unconf(unconfirmed),
            ]
        if unconfirmed and confirmed:
            return "supported-weak", [*reasons, "partly confirmed", *shown, *extra]
        return "supported", [*reasons, "the description matches the record", *shown, *extra]
    if nonhuman:
        return "supported-indirect", [
            *reasons,
            "an animal or in-vitro finding stated as such: indirect evidence for patients",
            *extra,
        ]
    if weakest is not None and weakest < DesignCategory.RANDOMISED_CONTROLLED:
        why = {
            DesignCategory.CASE_REPORT: "a case report",
            DesignCategory.CASE_SERIES: "a case series",
            DesignCategory.OBSERVATIONAL: "an observational study without a control group",
            DesignCategory.UNCONTROLLED_TRIAL: "an uncontrolled trial",
            DesignCategory.NON_RANDOMISED_CONTROLLED: "a non-randomized controlled study",
        }.get(weakest, f"a {weakest.label} study")
        rob = [sig.detail for s in records for sig in risk_of_bias(s).serious][:3]
        surrogate = kind == "mechanism" and MECHANISM.search(text)
        return "supported-weak", [
            *reasons,
            f"the finding is reported by {why}; it cannot show that LDN caused "
            "it" + (" (and a biomarker is a surrogate outcome)" if surrogate else ""),
            *rob,
            *extra,
        ]
    if unconfirmed and not confirmed:
        return "not-checkable", reasons + _unconf(unconfirmed)
    sizes = [s.population.n_analyzed or s.population.n for s in records]
    if sizes and all(n is not None and n < SMALL_TRIAL for n in sizes):
        return "supported-weak", [
            *reasons,
            f"consistent with the randomized trial, but it analysed fewer than {SMALL_TRIAL} participants "
            f"({', '.join(str(n) for n in sizes)}): too small to rely on",
            *extra,
        ]
    return "supported", [*reasons, "consistent with the randomized trial", *extra]


#: A statement placed in people rather than in a model.
_IN_PATIENTS = re.compile(r"\b(patients?|people|persons?|humans?|sufferers|in (?:the )?(?:body|brain|gut))\b", re.I)


#: "X improved, but not Y": a result with a stated exception.
_CONTRAST = re.compile(r"\b(?:but|while|whereas|although)\s+(?:not|no|none)\b", re.I)


def _unconf(unconfirmed: Sequence[str]) -> list[str]:
    return [f"not confirmed in any primary record: {', '.join(unconfirmed)}"] if unconfirmed else []


def dedupe(items: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))
