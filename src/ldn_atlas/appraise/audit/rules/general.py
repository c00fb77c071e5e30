"""AUD6xx: general claims about LDN in a condition against the condition's whole evidence.

References: Balshem H et al. GRADE guidelines: 3. Rating the quality of evidence. J Clin Epidemiol
2011;64:401-6 (low certainty: the true effect may be substantially different).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ldn_atlas.appraise.audit.rules.base import ClaimContext, Finding, note, reasons_of, revision, rule
from ldn_atlas.appraise.audit.rules.notes import number_notes
from ldn_atlas.appraise.audit.wording import GENERIC_PRESENT, NULL
from ldn_atlas.model.classify import DesignCategory, design_category
from ldn_atlas.model.evidence import ClaimKind, ClaimStrength, Study, Verdict

#: Wording that generalises a treatment's effect to everyone, or to a cure: stronger than any LDN trial allows.
_SWEEPING = re.compile(
    r"\b(cur(?:e|es|ed|ing)|miracle|miraculous\w*|all (?:\w+ )?(?:patients|people|sufferers|cases)|"
    r"every (?:\w+ )?(?:patient|person|sufferer|case)|everyone|guarantee\w*|always works|"
    r"(?:most|nearly all|almost all|the (?:vast )?majority of) (?:\w+ )?(?:patients|people|sufferers)|"
    r"first-line|disease-modifying)\b",
    re.I,
)


_CERTAINTY_ORDER = {"high": 3, "moderate": 2, "low": 1, "very-low": 0}


def general_claim_verdict(
    text: str,
    kind: ClaimKind,
    strength: ClaimStrength,
    records: Sequence[Study],
    described: Sequence[Study],
    certainty: Sequence[tuple[str, str]],
    is_result: bool,
) -> tuple[Verdict, list[str]] | None:
    """A general, unhedged claim that the treatment works ("LDN reduces pain in X", "LDN cures X").

    Such a claim is about the whole evidence for the condition, not one study, so it is weighed
    against the GRADE certainty of the condition's syntheses and the designs behind it: a claim
    of cure or of benefit for everyone ("all patients", "miracle") is overstated unless the
    certainty is high; an unqualified claim of benefit is overstated when the certainty is low or
    very low, or when no randomized trial supports it (GRADE: low certainty means the true effect
    may be substantially different [4]_).
    """
    if described or not records or kind in ("safety", "classification") or strength == "hedged":
        return None
    if not is_result or NULL.search(text):
        return None
    sweeping = _SWEEPING.search(text)
    if not (GENERIC_PRESENT.search(text) or sweeping):
        return None
    best = max((_CERTAINTY_ORDER.get(c, 0) for _, c in certainty), default=None)
    rcts = [s for s in records if design_category(s) >= DesignCategory.RANDOMISED_CONTROLLED]
    shown = "; ".join(f"{label}: {c.replace('-', ' ')}" for label, c in certainty[:3])
    ctx = f" (GRADE certainty of the syntheses: {shown})" if shown else ""
    if sweeping and (best is None or best < 3):
        return "overstated", [
            f"'{sweeping.group(0)}' claims more than any study of this condition shows{ctx}; "
            f"{len(rcts)} randomized {'trial' if len(rcts) == 1 else 'trials'} among {len(records)} linked "
            f"{'study' if len(records) == 1 else 'studies'}"
        ]
    if not rcts:
        return "overstated", [
            "a general claim that LDN works, but no randomized controlled trial of it is linked: uncontrolled "
            "studies cannot separate an effect of LDN from natural history, placebo response and regression "
            f"to the mean{ctx}"
        ]
    if best is not None and best <= 1:
        return "overstated", [f"an unqualified general claim of effect, but the evidence is of low certainty{ctx}"]
    return None


#: A sentence about what kind of evidence exists for a condition ("the evidence consists of case reports").
_EVIDENCE_KIND = re.compile(
    r"\b(?:evidence|research|literature|data|studies)\b[^.;]{0,40}?\b(?:consists? of|comes? (?:\w+ )?from|"
    r"(?:is|are) limited to|(?:is|are) based on|rests? on|(?:is|are) (?:mostly|largely|mainly|only))\b|"
    r"\bthere (?:are|is|have been|has been) (?:still )?no\b",
    re.I,
)


#: Design phrases -> the design categories they name.
_DESIGN_PHRASES: list[tuple[re.Pattern[str], frozenset[DesignCategory], str]] = [
    (
        re.compile(r"\bcase (?:reports?|series|stud(?:y|ies))\b|\banecdot\w*", re.I),
        frozenset({DesignCategory.CASE_REPORT, DesignCategory.CASE_SERIES}),
        "case reports or series",
    ),
    (
        re.compile(
            r"\b(?:randomi[sz]ed|placebo[- ]controlled|controlled) (?:clinical )?(?:trials?|studies)\b|\bRCTs?\b"
        ),
        frozenset({DesignCategory.RANDOMISED_CONTROLLED, DesignCategory.NON_RANDOMISED_CONTROLLED}),
        "controlled trials",
    ),
    (
        re.compile(r"\b(?:observational|retrospective|chart reviews?|surveys?)\b", re.I),
        frozenset({DesignCategory.OBSERVATIONAL}),
        "observational studies",
    ),
    (
        re.compile(r"\b(?:open[- ]label|uncontrolled|single[- ]arm|pre[- ]post)\b", re.I),
        frozenset({DesignCategory.UNCONTROLLED_TRIAL}),
        "uncontrolled trials",
    ),
]


_ABSENCE = re.compile(r"\b(?:rather than|instead of|not|no|without|lack of|absence of|nor)\s+(?:\w+\s+){0,2}$", re.I)


def evidence_base_claim(text: str, context: str | None, studies: Sequence[Study]) -> tuple[Verdict, list[str]] | None:
    """A claim about which designs the evidence for a condition comes from, checked against the evidence base.

    "The evidence for LDN in X consists of case reports rather than controlled trials": the
    designs said to be present must be among the base's human studies of X, those said to be
    absent must not be.
    """
    if not _EVIDENCE_KIND.search(text):
        return None
    said: list[tuple[str, frozenset[DesignCategory], bool]] = []
    for pat, cats, name in _DESIGN_PHRASES:
        for m in pat.finditer(text):
            absent = bool(_ABSENCE.search(text[: m.start()])) or bool(
                re.search(
                    r"\bthere (?:are|is|have been|has been) (?:still )?no\s+(?:\w+\s+){0,3}$", text[: m.start()], re.I
                )
            )
            said.append((name, cats, not absent))
            break
    if not said:
        return None
    try:
        from ldn_atlas.vocabulary import load_vocabulary

        vocab = load_vocabulary()
        mentions = vocab.mentions(text) or (vocab.mentions(context) if context else [])
    except Exception:  # pragma: no cover
        return None
    if not mentions:
        return None
    key = mentions[0][0].maps_to or mentions[0][0].id
    label = mentions[0][0].label
    found = [
        s
        for s in studies
        if s.species == "human"
        and s.primary_source is None
        and (e := (vocab.by_code(s.condition.code) if s.condition.code else vocab.lookup(s.condition.label)))
        is not None
        and (e.maps_to or e.id) == key
    ]
    if not found:
        return None
    cats = frozenset(design_category(s) for s in found)
    listed = ", ".join(sorted({f"{design_category(s).label}" for s in found}))
    wrong = [
        (
            f"the sentence says the evidence includes {name}; the base has none"
            if present
            else f"the sentence says there are no {name}; the base has {sum(design_category(s) in dc for s in found)}"
        )
        for name, dc, present in said
        if bool(dc & cats) != present
    ]
    noun = "study" if len(found) == 1 else "studies"
    base = f"the evidence base's {len(found)} human {noun} of LDN in {label} are: {listed}"
    if wrong:
        return "contradicted", [base, *wrong]
    return "supported", [f"{base}, as the sentence says"]


STUDIED = re.compile(r"\b(?:been|was|were|is being)\s+(?:studied|investigated|evaluated|tested|examined)\b", re.I)


def studied_in_base(text: str, studies: Sequence[Study]) -> str | None:
    """'LDN has been studied in X': how many human studies of X the evidence base holds."""
    try:
        from ldn_atlas.vocabulary import load_vocabulary

        vocab = load_vocabulary()
        mentions = vocab.mentions(text)
    except Exception:  # pragma: no cover
        return None
    if not mentions:
        return None
    entry = mentions[0][0]
    found = []
    for s in studies:
        e = vocab.by_code(s.condition.code) if s.condition.code else vocab.lookup(s.condition.label)
        if e is not None and (e.maps_to or e.id) == entry.id and s.primary_source is None:
            found.append(s)
    if not found:
        return None
    rcts = sum(design_category(s) == DesignCategory.RANDOMISED_CONTROLLED for s in found)
    return f"the evidence base holds {len(found)} studies of LDN in {entry.label.lower()} ({rcts} randomized)"


@rule(
    "AUD601",
    "general-claim-against-certainty",
    verdicts=("overstated",),
    fires_on=["LDN relieves fatigue in long COVID."],
    passes=["LDN may relieve fatigue in long COVID."],
)
def general_claim_against_certainty(ctx: ClaimContext) -> Finding | None:
    """A general, unhedged claim that LDN works in a condition, against the condition's whole evidence.

    Sweeping words ("cures", "all patients", "miracle") are overstated unless the GRADE certainty is
    high; an unqualified claim of benefit is overstated when no randomized trial is linked or the
    certainty is low or very low (GRADE: the true effect may be substantially different).
    """
    general = general_claim_verdict(
        ctx.text, ctx.kind, ctx.strength, ctx.records, ctx.described, ctx.certainty, ctx.is_result
    )
    if general is None:
        return None
    return Finding("AUD601", general[0], (*ctx.base, *reasons_of("AUD601", general[1]), *number_notes(ctx)))


STUDIED_IN_BASE = revision(
    "AUD602",
    "studied-in-base",
    """"LDN has been studied in X": how many human studies of X the evidence base holds.

    Applied to an unlinked sentence that was not checkable: when the base holds studies of the condition
    named, the statement is supported and the count of studies (and randomized ones) is given.
    """,
    verdicts=("supported",),
    fires_on=["LDN has been studied in Crohn's disease."],
    passes=["LDN has been studied in the treatment of baldness."],
)

EVIDENCE_BASE_DESIGNS = revision(
    "AUD603",
    "evidence-base-designs",
    """A claim about which designs the evidence for a condition consists of, against the evidence base.

    "The evidence consists of case reports rather than controlled trials": the designs said to be present
    must be among the base's human studies of the condition, those said to be absent must not be.
    """,
    verdicts=("supported", "contradicted"),
    fires_on=["The evidence for LDN in Crohn's disease consists of case reports and no controlled trials."],
    passes=["The evidence for LDN in fibromyalgia consists only of case reports rather than randomized trials."],
)

CERTAINTY_CONTEXT = note(
    "AUD604",
    "research-needed-certainty",
    """For a supported call for research about a condition: the GRADE certainty of that condition's syntheses.

    A note: "the evidence base agrees that more research is needed", with the number of randomized trials
    and the certainty of each synthesis.
    """,
    fires_on=["Further research is needed before LDN can be recommended for fibromyalgia."],
    passes=["Further research is needed before LDN can be recommended."],
)

RULES = (general_claim_against_certainty, STUDIED_IN_BASE, EVIDENCE_BASE_DESIGNS, CERTAINTY_CONTEXT)
