"""AUD101-AUD106: language stronger than the design behind a claim allows, and caveats the design supports.

References: the Oxford 2011 Levels of Evidence (OCEBM); Sumner et al., BMJ 2014;349:g7015 (causal
language and extrapolation from animals as markers of exaggeration); Boutron & Ravaud, PNAS 2018 ("spin").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ldn_atlas.appraise.audit.outcomes import primary_confirms
from ldn_atlas.appraise.audit.rules.base import ClaimContext, Finding, Reason, rule
from ldn_atlas.appraise.audit.rules.notes import number_notes, tail_notes
from ldn_atlas.appraise.audit.wording import ANIMAL, CAVEAT, GENERIC_PRESENT, PROOF, STRONG
from ldn_atlas.model.classify import DesignCategory, outcome_domain
from ldn_atlas.model.evidence import Study

_HUMAN_GENERALISATION = re.compile(
    r"\b(human|humans|patients?|people|multiple sclerosis|\bMS\b|autoimmune "
    r"states?|disease|pathophysiology|therap\w*|clinical)\b"
)
#: A statement placed in people rather than in a model.
_IN_PATIENTS = re.compile(r"\b(patients?|people|persons?|humans?|sufferers|in (?:the )?(?:body|brain|gut))\b", re.I)
_CAUSAL_CO = re.compile(
    r"\b(in combination with|combined with|along with|together with|concurrent|concomitant|"
    r"adjunct|plus|surgery|surgical|operation|operated|standard (?:pain )?"
    r"(?:management|treatment|therapy))\b",
    re.I,
)


def modest_effect(primaries: Sequence[Study], text: str) -> list[str]:
    """Reasons a linked trial's effect is modest: p between 0.01 and 0.05, or unchanged related outcomes."""
    dom = outcome_domain(text).id
    out = []
    for s in primaries:
        n = s.population.n_analyzed or s.population.n
        if n is not None and n < 30:
            out.append(f"{s.label} analysed {n} participants: too few to show a large effect precisely")
        for o in s.outcomes:
            if outcome_domain(o).id != dom:
                continue
            if o.direction == "improved" and o.p is not None and 0.01 <= o.p <= 0.05:
                vals = ", ".join(f"{m.value:+g}{' ' + m.unit if m.unit else ''}" for m in o.measures[:1])
                out.append(
                    f"{s.label}: {o.name} {vals} (p = {o.p:g}) is a modest effect near the significance threshold"
                )
            if o.direction == "no-difference":
                out.append(f"{s.label}: no difference in {o.name}")
    return out


def extrapolates(text: str) -> bool:
    """True when a sentence carries a finding over to patients or humans."""
    return bool(
        re.search(
            r"\b(pathophysiology of (?:multiple sclerosis|MS)|in humans|patients|autoimmune states?|"
            r"can benefit)\b",
            text,
            re.I,
        )
    )


@rule(
    "AUD101",
    "nonhuman-presented-as-human",
    verdicts=("overstated",),
    fires_on=["In mice with EAE, LDN proved that it repairs myelin in patients with multiple sclerosis."],
    passes=["In mice with EAE, LDN reduced the severity of the disease."],
)
def nonhuman_presented_as_human(ctx: ClaimContext) -> Finding | None:
    """Animal or in-vitro work presented as proof, or as established knowledge about patients.

    Animal and laboratory findings are mechanism-based reasoning (OCEBM level 5), not evidence that a
    treatment works in people; extrapolating them to humans is a marker of exaggeration (Sumner 2014).
    """
    text, strength = ctx.text, ctx.strength
    if not ctx.nonhuman or not (
        strength in ("proof", "strong")
        or (
            ctx.kind == "mechanism"
            and _HUMAN_GENERALISATION.search(text)
            and not ANIMAL.search(text.split(",")[0])
            and strength != "hedged"
            and extrapolates(text)
        )
    ):
        return None
    which = "in-vitro" if "in-vitro" in ctx.species else "animal"
    reason = (
        f"{which} work is presented as "
        + ("proof" if strength == "proof" else "established knowledge about patients")
        + f"; {which} findings are mechanism-based "
        "reasoning (OCEBM level 5), not evidence that LDN works in people"
    )
    return Finding("AUD101", "overstated", (*ctx.base, Reason("AUD101", reason), *number_notes(ctx)))


@rule(
    "AUD102",
    "mechanism-in-patients-unmeasured",
    verdicts=("overstated",),
    fires_on=["LDN calms overactive microglia in the brain of patients with fibromyalgia."],
    passes=["LDN may calm overactive microglia in the brain of patients with fibromyalgia."],
)
def mechanism_in_patients_unmeasured(ctx: ClaimContext) -> Finding | None:
    """A mechanism stated as established in patients when no linked human study measured it.

    Mechanistic reasoning is OCEBM level 5: it is not evidence of what a drug does in people.
    """
    text = ctx.text
    if not (
        ctx.kind == "mechanism"
        and ctx.strength != "hedged"
        and not ctx.described
        and GENERIC_PRESENT.search(text)
        and _IN_PATIENTS.search(text)
        and not CAVEAT.search(text)
        and not primary_confirms([s for s in ctx.records if s.species == "human"], text)
    ):
        return None
    return Finding(
        "AUD102",
        "overstated",
        (
            *ctx.base,
            Reason(
                "AUD102",
                "a mechanism stated as established in patients, but no linked human study measured it: "
                "mechanistic reasoning (OCEBM level 5) is not evidence of what LDN does in people",
            ),
        ),
    )


@rule(
    "AUD103",
    "proof-language",
    verdicts=("overstated",),
    fires_on=["In the 2013 randomized trial of LDN in fibromyalgia, the results proved that LDN reduces pain."],
    passes=["In the 2013 randomized trial of LDN in fibromyalgia, pain was reduced."],
)
def proof_language(ctx: ClaimContext) -> Finding | None:
    """Words of proof ("proved", "demonstrated", "established") about a linked study's result.

    No single trial proves an effect, and an association seen during treatment without a randomized
    control cannot prove a mechanism or an effect (OCEBM 2011).  For a general claim the GRADE certainty
    of the condition's syntheses is shown as well.
    """
    if not (ctx.strength == "proof" and ctx.records):
        return None
    reasons: list[Reason] = []
    if ctx.certainty and not ctx.described:
        grade_txt = "; ".join(f"{label}: {c.replace('-', ' ')}" for label, c in ctx.certainty[:3])
        reasons.append(
            Reason(
                "AUD103", f"a general claim about LDN in this condition; GRADE certainty of its syntheses: {grade_txt}"
            )
        )
    word = PROOF.search(ctx.text).group(0)  # type: ignore[union-attr]
    if ctx.uncontrolled or ctx.weakest == DesignCategory.NON_RANDOMISED_CONTROLLED:
        reasons.append(
            Reason(
                "AUD103",
                f"'{word}' where the weakest linked study has no randomized control: "
                "an association observed during treatment cannot prove a mechanism or an effect",
            )
        )
    else:
        reasons.append(Reason("AUD103", f"'{word}': no single trial proves an effect"))
    return Finding("AUD103", "overstated", (*ctx.base, *reasons, *tail_notes(ctx)))


@rule(
    "AUD104",
    "causal-claim-from-case-reports",
    verdicts=("overstated",),
    fires_on=["In a case report of complex regional pain syndrome, LDN combined with surgery led to remission."],
    passes=["In a case report of complex regional pain syndrome, the patient's pain eased on LDN."],
)
def causal_claim_from_case_reports(ctx: ClaimContext) -> Finding | None:
    """A causal or strong claim from uncontrolled case reports, or from cases with co-interventions or surgery.

    Improvement in a case report or case series cannot be attributed to LDN, least of all when other
    treatments were given at the same time (Boutron & Ravaud 2018 on spin).
    """
    text = ctx.text
    if not (ctx.case_level and ctx.is_result and (ctx.strength == "strong" or _CAUSAL_CO.search(text))):
        return None
    bits = []
    if _CAUSAL_CO.search(text):
        bits.append(f"co-interventions ('{_CAUSAL_CO.search(text).group(0)}')")  # type: ignore[union-attr]
    if STRONG.search(text):
        bits.append(f"'{STRONG.search(text).group(0)}'")  # type: ignore[union-attr]
    reason = (
        "a causal or strong claim from uncontrolled case reports with "
        + " and ".join(bits)
        + ": improvement cannot be attributed to LDN"
    )
    return Finding("AUD104", "overstated", (*ctx.base, Reason("AUD104", reason), *tail_notes(ctx)))


@rule(
    "AUD105",
    "strong-language-beyond-design",
    verdicts=("overstated",),
    fires_on=["LDN dramatically improved pain in women with fibromyalgia in a small pilot study."],
    passes=["LDN improved pain in women with fibromyalgia in a small pilot study."],
)
def strong_language_beyond_design(ctx: ClaimContext) -> Finding | None:
    """Intensifiers ("considerable", "dramatic", "significantly") stronger than the evidence.

    Overstated when the weakest linked study has no randomized control, or the linked trial's effect is
    modest (p between 0.01 and 0.05, fewer than 30 analysed, or related outcomes unchanged).
    """
    if not (ctx.strength == "strong" and ctx.records and ctx.is_result):
        return None
    modest = modest_effect(ctx.primaries, ctx.text)
    if not (ctx.uncontrolled or ctx.weakest == DesignCategory.NON_RANDOMISED_CONTROLLED or modest):
        return None
    reason = (
        f"'{STRONG.search(ctx.text).group(0)}' is stronger than the evidence: "  # type: ignore[union-attr]
        + ("; ".join(modest) if modest else "the design has no randomized control")
    )
    return Finding("AUD105", "overstated", (*ctx.base, Reason("AUD105", reason), *tail_notes(ctx)))


@rule(
    "AUD106",
    "caveat",
    verdicts=("supported",),
    fires_on=["Further research is needed before LDN can be recommended for fibromyalgia."],
    passes=["LDN is a treatment for Crohn's disease."],
)
def caveat(ctx: ClaimContext) -> Finding | None:
    """A caveat or a call for research ("further research is needed", "should be interpreted with caution").

    Such a sentence claims no result, and it agrees with the design of the evidence: supported.
    """
    if ctx.is_result or not CAVEAT.search(ctx.text):
        return None
    return Finding(
        "AUD106",
        "supported",
        (
            *ctx.base,
            Reason("AUD106", "a caveat or call for research, consistent with the design of the evidence"),
        ),
    )


RULES = (
    nonhuman_presented_as_human,
    mechanism_in_patients_unmeasured,
    proof_language,
    causal_claim_from_case_reports,
    strong_language_beyond_design,
    caveat,
)
