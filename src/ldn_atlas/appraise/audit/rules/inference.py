"""AUD510: the direction of an efficacy claim against evidence inference on source text."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ldn_atlas.appraise.audit.outcomes import named_outcomes, shares_word
from ldn_atlas.appraise.audit.rules.base import Example, revision
from ldn_atlas.appraise.audit.wording import EFFICACY, NULL, RESULT
from ldn_atlas.model.classify import LOWER_IS_BETTER_DOMAINS, counts_good_events, outcome_domain
from ldn_atlas.model.evidence import ClaimKind, ClaimStrength, Source, Study, Verdict

_AT_BASELINE = re.compile(
    r"\b(?:at|the) baseline\b|\bbaseline (?:mean |median )?(?:scores?|values?|characteristics)\b", re.I
)


_INTERVENTION = re.compile(r"\b(low[- ]dose naltrexone|LDN|naltrexone)\b", re.I)


_NULL_EXTRA = re.compile(
    r"\b(insignificant(?:ly)?|non-?significant(?:ly)?|not (?:statistically )?significant(?:ly)?|"
    r"no (?:statistically )?significant|failure to (?:detect|show|find|demonstrate)|similar (?:in|between))\b",
    re.I,
)


_VAGUE_DIRECTION = re.compile(r"\b(not|no|never|neither|nor|without|tend(?:ed|s)? to|trends?)\b", re.I)


_BETTER_WORDS = re.compile(r"\b(reduc\w*|decreas\w*|improv\w*|prevent\w*|fewer|less|lower\w*)\b", re.I)


_METHODS_SENTENCE = re.compile(
    r"\b(investigated|aimed|aim of|objective|was to (?:compare|assess|evaluate|determine)|were randomi[sz]ed|"
    r"randomly (?:assigned|allocated)|primary (?:outcome|end ?point) was)\b",
    re.I,
)


_MIXED = re.compile(r"\b(but|whereas|while|although|however)\b", re.I)


_WORSE = re.compile(r"\b(worsen\w*|deteriorat\w*|aggravat\w*|exacerbat\w*|more (?:severe|pain|fatigue))\b", re.I)


def claimed_direction(text: str) -> str | None:
    """``no-difference``, ``worsened`` or ``improved``: what an efficacy claim says about its outcome.

    ``None`` when it says none of these, or mixes a null with an effect ("did not improve X but improved Y").
    """
    null = NULL.search(text) or _NULL_EXTRA.search(text)
    if null and _MIXED.search(text):
        return None
    if null:
        return "no-difference"
    if _VAGUE_DIRECTION.search(text):
        return None  # a negation the null patterns do not read, or a trend: no direction to compare
    if _WORSE.search(text):
        return None if _BETTER_WORDS.search(text) else "worsened"  # "reduced exacerbations": not a worsening
    if EFFICACY.search(text) and RESULT.search(text):
        return "improved"
    return None


def _claim_outcome(text: str, primaries: Sequence[Study]) -> tuple[str, str] | None:
    """(outcome words for the prompt, outcome domain id) for the outcome a claim names.

    The linked study's outcome sharing most words with the claim when there is one, else the words of the
    claim that matched the outcome domain's vocabulary (``ldn_atlas.model.classify.outcome_domain``).
    """
    dom = outcome_domain(text)
    if dom.id == "other":
        return None
    for s in primaries:
        named = [o for o in named_outcomes(s, text, dom.id) if shares_word(o.name, text)]
        if named:
            return named[0].name, dom.id
    low = text.lower()
    for p in dom.patterns:
        m = p.search(low)
        if m:  # the matched words, widened to whole words
            a = re.search(r"[\w-]*$", text[: m.start()])
            b = re.match(r"[\w-]*", text[m.end() :])
            start = a.start() if a else m.start()
            return text[start : m.end() + (b.end() if b else 0)].strip(), dom.id
    return None


def source_texts(primaries: Sequence[Study], sources: Sequence[Source], own: str) -> list[tuple[Study, Source]]:
    """The linked studies whose source (a PubMed abstract, an article in the base) has readable text."""
    by_id = {s.id: s for s in sources}
    out = []
    for st in primaries:
        src = by_id.get(st.source or "")
        if src is not None and src.text and src.id != own and src.kind != "curated":
            out.append((st, src))
    return out


def inference_check(
    text: str,
    kind: ClaimKind,
    strength: ClaimStrength,
    verdict: Verdict,
    primaries: Sequence[Study],
    texts: Sequence[tuple[str, str, str]],
) -> tuple[Verdict, list[str]] | None:
    """Compare a claim's direction with what evidence inference reads in its sources' text.

    ``texts`` are (label, text, comparator) of the source texts to read.  The prompt is the intervention as
    the claim names it, the comparator, and the outcome the claim names; the inferred label is turned into
    a direction with the outcome domain's polarity (lower-is-better domains of
    :mod:`ldn_atlas.appraise.synthesis`).  A claim of effect the text reports as null is contradicted (a
    hedged one unsupported), opposite directions are contradicted, agreement supports (weakly when the
    inference is not confident).  Only holds-verdicts (supported..., not-checkable) are changed; a claim
    already found overstated or contradicted keeps its verdict and gains the evidence sentence.

    References
    ----------
    .. [1] DeYoung J et al. Evidence Inference 2.0: More Data, Better Models. BioNLP 2020.
    .. [2] Boutron I, Ravaud P. Misrepresentation and distortion of research in biomedical literature.
       PNAS 2018;115:2613-9.
    """
    if kind != "efficacy" or not texts:
        return None
    claimed = claimed_direction(text)
    outcome = _claim_outcome(text, primaries)
    if claimed is None or outcome is None:
        return None
    # Below CONFIDENT_AT an inference that agrees with the claim gives only weak support, and one that
    # disagrees is reported in the reasons without changing the verdict.
    from ldn_atlas.extract.inference import CONFIDENT_AT, infer_effect

    words, dom = outcome
    m = _INTERVENTION.search(text)  # LDN / naltrexone as the claim names it, else as the text does
    lower = dom in LOWER_IS_BETTER_DOMAINS and not counts_good_events(f"{words} {text}")
    holds = verdict in ("supported", "supported-weak", "supported-indirect", "not-checkable")
    agree: list[tuple[bool, str]] = []
    disagree: list[tuple[bool, str, str]] = []
    for label, body, comparator in texts:
        if not shares_word(words, body):
            continue  # the text does not name the outcome: nothing to read
        named = m.group(0) if m else next((x.group(0) for x in [_INTERVENTION.search(body)] if x), "")
        inf = infer_effect(body, named, comparator, words)
        # the label's sign, read through the outcome's polarity (a decrease in pain is an improvement)
        found = "no-difference" if inf.sign == 0 else "improved" if (inf.sign < 0) == lower else "worsened"
        ev = inf.evidence
        cite = (
            f"evidence inference on {label} ({named or 'the intervention'} vs {comparator}, outcome '{words}'): "
            f"'{inf.label}' (confidence {inf.confidence:.2f}; {'lower' if lower else 'higher'} is better), "
            f'evidence [{ev.start}:{ev.end}]: "{ev.text.strip()}"'
        )
        # a weak reading, whatever the label's probability: an evidence sentence that does not name the outcome,
        # a methods sentence, or a comparison at baseline (before treatment)
        confident = (
            inf.confidence >= CONFIDENT_AT
            and shares_word(words, ev.text)
            and ev.section not in ("title", "methods")
            and not _AT_BASELINE.search(ev.text)
            and not _METHODS_SENTENCE.search(ev.text)
        )
        if found == claimed:
            agree.append((confident, cite))
        else:
            disagree.append((confident, found, cite))
    if not agree and not disagree:
        return None
    firm = [d for d in disagree if d[0]]
    cites = [c for _, c in agree] + [c for _, _, c in disagree]
    if firm and holds:  # a confident reading of a source that says otherwise decides
        found = firm[0][1]
        if claimed == "improved" and found == "no-difference":
            if strength == "hedged":
                return "unsupported", ["a hedged claim of effect; the source reports no significant difference", *cites]
            return "contradicted", ["a claim of effect; the source reports no significant difference", *cites]
        return "contradicted", [f"the claim says {claimed}; the source reports {found}", *cites]
    if firm or (disagree and not agree):
        found = (firm or disagree)[0][1]
        how = "reports" if firm else "may report"
        return verdict, [f"the source text {how} otherwise (direction: {found})", *cites]
    confident = any(c for c, _ in agree)
    if verdict == "not-checkable" or (verdict == "supported" and not confident):
        return ("supported" if confident else "supported-weak"), [
            f"the source text reports the same direction{'' if confident else ' (low confidence)'}",
            *cites,
        ]
    return verdict, cites


EVIDENCE_INFERENCE = revision(
    "AUD510",
    "evidence-inference",
    """The direction of an efficacy claim against evidence inference on the text of its sources.

    Where source text is available (a linked study's PubMed abstract read up to its conclusion, or the
    results of the trial abstract being audited), the claim's direction is compared with the direction
    evidence inference reads for the outcome it names, through the outcome's polarity.  A claim of effect
    the text reports as null is contradicted (hedged: unsupported), opposite directions are contradicted,
    agreement supports (weakly when the reading is not confident).  References: DeYoung et al., Evidence
    Inference 2.0, BioNLP 2020; Boutron & Ravaud, PNAS 2018.
    """,
    verdicts=("contradicted", "unsupported", "supported", "supported-weak"),
    fires_on=[
        Example(
            "LDN reduced fatigue in these patients.",
            context="BACKGROUND: We tested LDN in adults with fatigue. RESULTS: Fatigue scores did not differ "
            "between LDN and placebo (p = 0.61). CONCLUSIONS:",
        )
    ],
    passes=["LDN reduced fatigue in these patients."],
)

RULES = (EVIDENCE_INFERENCE,)
