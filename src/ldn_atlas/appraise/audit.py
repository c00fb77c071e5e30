"""The claim audit: split an article into claims and weigh each against the evidence base.

Pipeline, one pure function of a :class:`~ldn_atlas.model.Source` and the evidence base:

1. **Claims.**  The body text (before a references / "about the author" section) is split
   into sentences; every sentence of prose is a claim.  Its ``kind`` (classification,
   mechanism, safety, efficacy, background) and ``strength`` (hedged, neutral, strong,
   proof) come from its wording.
2. **Links.**  A claim is linked to the studies the article describes where it says so:
   records of this source in the evidence base (matched by the text's SHA-256) whose
   provenance spans fall in the sentence; a sentence without such a span inherits the
   studies of the previous sentence of its paragraph.  Each described study is resolved
   to its primary record (``primary_source``).  Sources the base does not know are linked
   by condition, species, design and numbers against the primary records directly.
3. **Checks.**  Each claim is checked for
   * a condition placed in the wrong category (vocabulary and ICD-10-CM chapter);
   * language stronger than the linked design allows ("proved" from an uncontrolled or
     animal study; "considerable" for a modest trial effect; "total remission" or a causal
     claim from case reports with co-interventions or surgery);
   * mechanism from animal or in-vitro work presented as human evidence;
   * numbers that differ from the primary record, and facts no primary record confirms (a
     result whose figures the linked records do not contain is not-checkable);
   * the direction of a trial result on the outcome the claim names (a null result stated as
     null is supported; an unqualified effect against a null trial is contradicted, a hedged
     one unsupported; an unqualified effect where the linked trials disagree is overstated);
   * what a systematic review concluded, when the claim cites one;
   * an "improved or stable" category reported as improvement (unsupported);
   * for sources the base does not know: general claims about LDN in a condition ("LDN reduces
     pain in X", "LDN cures X", "works in most patients") against the condition's designs and the
     GRADE certainty of its syntheses (sweeping words, or an unhedged claim with low/very-low
     certainty or no randomized trial, are overstated); general safety claims against the harms
     the records report; mechanisms stated as established in patients with no human record
     (overstated); claims about which designs a condition's evidence consists of; a percentage
     the record gives for another outcome than the one the claim names (contradicted); a null
     randomized result on the outcome named (contradicted before wording is weighed); randomized
     results with fewer than 20 analysed (supported-weak);
   * where source text is available (a linked study whose Source has text, e.g. a PubMed abstract
     read up to its conclusion; or, when the audited document is itself a trial abstract, its
     results for the claims of its conclusion): the direction of an efficacy claim against
     evidence inference (``ldn_atlas.extract.inference.infer_effect``) on that text, with the
     outcome's polarity (lower-is-better domains of :mod:`ldn_atlas.appraise.synthesis`).  A claim
     of effect the text reports as null is contradicted (hedged: unsupported), opposite directions
     are contradicted, agreement supports (weakly below confidence 0.75, or when the evidence sentence does not
     name the outcome, is a methods sentence or compares groups at baseline); the evidence sentence and
     its offsets are given in the reasons.  Without source text nothing changes.
   Sentences of such sources are linked by their own condition, else their heading's, else the
   article's main topic; a year, result figures, doses and durations pick the study among the
   candidates, and a back-reference ("in that trial") keeps the previous sentence's study.
4. **Verdict** (DESIGN.md's list) with reasons a person can read.

The rules read the claim's wording, the linked records' design tags, verification levels
and numbers; nothing is keyed to a particular article.

References
----------
.. [1] OCEBM Levels of Evidence Working Group. The Oxford 2011 Levels of Evidence.
.. [2] Sumner P et al. The association between exaggeration in health related science news
   and academic press releases: retrospective observational study. BMJ 2014;349:g7015
   (causal language and extrapolation from animals to humans as markers of exaggeration).
.. [3] Boutron I, Ravaud P. Misrepresentation and distortion of research in biomedical
   literature. PNAS 2018;115:2613-9 ("spin").
.. [4] Balshem H et al. GRADE guidelines: 3. Rating the quality of evidence. J Clin Epidemiol
   2011;64:401-6.
.. [5] DeYoung J, Lehman E, Nye B, Marshall IJ, Wallace BC. Evidence Inference 2.0: More Data,
   Better Models. BioNLP 2020 (the prompt: intervention, comparator, outcome).
"""

from __future__ import annotations

import difflib
import hashlib
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ldn_atlas.appraise.levels import evidence_level, risk_of_bias
from ldn_atlas.errors import InputError
from ldn_atlas.extract.patterns import DAYS_PER, NUMBER, parse_number
from ldn_atlas.model.classify import (
    LOWER_IS_BETTER_DOMAINS,
    DesignCategory,
    counts_good_events,
    design_category,
    outcome_domain,
)
from ldn_atlas.model.evidence import Claim, ClaimKind, ClaimStrength, Source, Span, Study, Verdict

# -- wording ---------------------------------------------------------------------------------------------

_PROOF = re.compile(
    r"\b(prov(?:e|ed|en|es|ing)|proof|establish(?:ed|es)?|demonstrat(?:ed|es)|conclusive(?:ly)?)\b", re.I
)
_STRONG = re.compile(
    r"\b(considerabl[ey]|dramatic(?:ally)?|substantial(?:ly)?|remarkabl[ey]|marked(?:ly)?|total remission|"
    r"complete remission|full remission|cur(?:e|es|ed|ing)|miracul\w*|miracles?|(?<!statistically )significantly|"
    r"notably improved|greatly|halt(?:s|ed|ing)?|revers(?:e|es|ed|ing)|repair(?:s|ed|ing)?|eradicat\w*|"
    r"switch(?:es|ed)? off)\b",
    re.I,
)
_HEDGE = re.compile(
    r"\b(may|might|suggest\w*|possibl[ey]|preliminary|appear\w*|potential(?:ly)?|"
    r"is needed|are needed|further research|uncertain|limited|(?:is|are) (?:thought|believed|hypothesi[sz]ed) to)\b",
    re.I,
)
_CAVEAT = re.compile(
    r"\b(of particular concern|caution|limitation|confound\w*|further (?:research|studies|"
    r"research-based data)\b.*\bneeded|is needed|are needed|should be interpreted|bias\b|"
    r"(?:has|have) not (?:yet )?been (?:confirmed|established|shown|replicated)|cannot be attributed|"
    r"should be regarded as experimental|remains? (?:uncertain|unclear|unproven))",
    re.I,
)
_RESULT = re.compile(
    r"\b(improv\w*|reduc\w*|decreas\w*|increas\w*|elevat\w*|restor\w*|revert\w*|respond\w*|remission|"
    r"(?<!relapsing-)(?<!relapsing )remitt\w*|"
    r"disappear\w*|resolv\w*|vanish\w*|abolish\w*|"
    r"well[- ]tolerated|tolerat\w*|benefit\w*|advantage\w*|suppress\w*|inhibit\w*|experienced|reported|"
    r"effective(?:ly|ness)?|efficac\w*|works?|help(?:s|ed)?|reports?|(?:less|fewer)(?= (?!than)\w)|"
    r"complained|(?<!study )(?<!article )(?<!the )mentioned(?! above)|observed|revealed|manifested|"
    r"diminish\w*|gained|achiev\w*|quit|declin\w*|drop\w*|fell|rose|lower(?:ed)?|higher|showed|found that|"
    r"cur(?:e|es|ed|ing)|halt(?:s|ed|ing)?|revers(?:e|es|ed|ing)|repair(?:s|ed|ing)?|heal(?:s|ed|ing)?|"
    r"miracle|disease-modifying|reliev\w*|"
    r"no (?:\w+ )?"
    r"(?:variation|difference|effect|change)|did not|side effects)\b",
    re.I,
)
_NULL = re.compile(
    r"\b(no (?:\w+ ){0,2}(?:variation|difference|differences|effect|change|benefit|improvement)|"
    r"(?:did|does|do) not (?:significantly )?(?:differ|improve|change|reduce|lower|decrease|relieve|affect|alter|"
    r"outperform|beat)|no (?:better|more effective) than|"
    r"not (?:significantly )?(?:different|improved|better|superior|more effective)|failed to)\b",
    re.I,
)
#: A general claim of efficacy, about a treatment rather than a study ("LDN works for X").
_GENERIC_EFFICACY = re.compile(
    r"\b(effective(?:ly|ness)?|efficacious|works?|helps?|beneficial|cur(?:e|es|ed|ing)|miracle|"
    r"treatment for|therapy for|halts|reverses|repairs|safe|well[- ]tolerated)\b",
    re.I,
)
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
_MECHANISM = re.compile(
    r"\b(mechanism\w*|endorphin|enkephalin|opioid growth factor|OGF|cytokine\w*|interleukin|\bIL-\d+|TNF|"
    r"signal(?:l)?ing|pathophysiolog\w*|proliferation|B and T cells|T cells?|B cells?|receptor\w*|"
    r"mononuclear|biomarker\w*|serum|plasma|circulating|TLR-?\d|toll-like|microglia\w*|glia\w*|"
    r"neuroinflamm\w*|immune cells?)\b",
    re.I,
)
_SAFETY = re.compile(
    r"\b(well[- ]tolerated|tolerab\w*|tolerated|safety|safe|side effects?|adverse|insomnia|"
    r"vivid dreams?|nausea|headache)\b",
    re.I,
)
_EFFICACY = re.compile(
    r"\b(improv\w*|reduc\w*|decreas\w*|remission|respond\w*|effective\w*|benefit\w*|"
    r"advantage\w*|relie\w*|symptom\w*|quality of life|pain|weakness|fatigue|"
    r"spasticity|walking)\b",
    re.I,
)
_TREATMENT = re.compile(r"\b(LDN|naltrexone|administration|administered|treat\w*|therap\w*|prophyla\w*)\b", re.I)
_ANIMAL = re.compile(r"\b(mice|mouse|murine|rats?|rodents?|animal\w*|EAE|encephalomyelitis)\b", re.I)
_INVITRO = re.compile(
    r"\b(in vitro|in-vitro|cell cultures?|cultured|laborator(?:y|ies) (?:studies|work|experiments?|research))\b", re.I
)
#: Wording that generalises a treatment's effect to everyone, or to a cure: stronger than any LDN trial allows.
_SWEEPING = re.compile(
    r"\b(cur(?:e|es|ed|ing)|miracle|miraculous\w*|all (?:\w+ )?(?:patients|people|sufferers|cases)|"
    r"every (?:\w+ )?(?:patient|person|sufferer|case)|everyone|guarantee\w*|always works|"
    r"(?:most|nearly all|almost all|the (?:vast )?majority of) (?:\w+ )?(?:patients|people|sufferers)|"
    r"first-line|disease-modifying)\b",
    re.I,
)
#: A general statement about the treatment in the present tense ("LDN reduces pain", "LDN is effective for X"),
#: as opposed to a report of what one study found.
_GENERIC_PRESENT = re.compile(
    r"\b(?:LDN|naltrexone)\s+(?:also\s+)?(?:is|are|works?|helps?|reduces|improves|relieves|cures|treats|halts|"
    r"reverses|repairs|heals|stops|prevents|eases|calms|restores|lowers|produces|has emerged|blocks|binds|acts|"
    r"switches|modulates|targets|dampens|inhibits|suppresses|reduces)\b",
    re.I,
)
_DESIGN_WORDS = {
    "randomized": re.compile(r"\brandomi[sz]ed\b", re.I),
    "placebo-controlled": re.compile(r"\bplacebo[- ]controlled\b", re.I),
    "double-blind": re.compile(r"\bdouble[- ](?:blind|masked)\b", re.I),
    "single-blind": re.compile(r"\bsingle[- ]blind\b", re.I),
    "open-label": re.compile(r"\bopen[- ]label\b", re.I),
    "crossover": re.compile(r"\bcross[- ]?over\b", re.I),
    "retrospective": re.compile(r"\bretrospective\b", re.I),
    "multicentre": re.compile(r"\bmulti[- ]?cent(?:er|re)(?:ed|d)?\b", re.I),
    "pilot": re.compile(r"\bpilot\b", re.I),
    "case-report": re.compile(r"\bcase (?:report|study|studies)\b", re.I),
    "systematic-review": re.compile(r"\b(?:systematic review|meta-analy\w+|cochrane review)\b", re.I),
}
_OPPOSITE_TAGS = {
    "double-blind": {"open-label", "single-blind"},
    "single-blind": {"double-blind", "open-label"},
    "open-label": {"double-blind", "single-blind"},
    "randomized": {"case-report", "case-series", "retrospective"},
    "placebo-controlled": {"case-report", "case-series"},
}
#: Category words of a classification claim -> ICD-10 chapters where a condition so described belongs.
_CATEGORY_CHAPTERS: list[tuple[re.Pattern[str], frozenset[int], str]] = [
    (
        re.compile(r"\bsexual\b|\breproductive\b|gyn(?:a)?ecolog|\bgenitourinary\b|\burolog", re.I),
        frozenset({5, 14, 15}),
        "sexual or reproductive health",
    ),
    (
        re.compile(r"\bneurolog|\bnervous system\b|\bneurodegenerative\b|\bdemyelinating\b", re.I),
        frozenset({6}),
        "nervous system",
    ),
    (re.compile(r"\bmusculoskeletal\b|\brheumat|\bconnective tissue\b", re.I), frozenset({13}), "musculoskeletal"),
    (re.compile(r"\bmental\b|\bpsychiatric\b|\bpsychological\b", re.I), frozenset({5}), "mental health"),
    (re.compile(r"\bdigestive\b|\bgastro\w*\b|\bbowel\b", re.I), frozenset({11}), "digestive"),
    (re.compile(r"\bskin\b|\bdermatolog", re.I), frozenset({12}), "skin"),
    (re.compile(r"\binfectious\b|\bviral\b|\bbacterial\b", re.I), frozenset({1, 22}), "infectious"),
    (re.compile(r"\bcancer\b|\btumou?r\b|\boncolog|\bmalignan", re.I), frozenset({2}), "neoplasm"),
    (re.compile(r"\bcardio\w*|\bheart\b", re.I), frozenset({9}), "circulatory"),
    (re.compile(r"\brespiratory\b|\blung\b", re.I), frozenset({10}), "respiratory"),
    (re.compile(r"\bendocrine\b|\bmetabolic\b", re.I), frozenset({4}), "endocrine or metabolic"),
]
_CATEGORY_PHRASE = re.compile(
    r"\b(?:this|that|a|an|the|as a|is a|is an)\s+((?:[\w-]+\s+){0,4}?)(condition|disorder|disease|illness|"
    r"syndrome|problem)\b",
    re.I,
)
_CATEGORY_AFTER = re.compile(r"\b(?:condition|disorder|disease|illness)\s+of\s+the\s+((?:[\w-]+\s+){0,2}[\w-]+)", re.I)
#: ICD-10 chapters that do not settle a condition's body system (symptoms; codes for special purposes).
_UNINFORMATIVE_CHAPTERS = {18, 22}
_BODY_END = re.compile(
    r"^\s*(references?|reference article link|sources|about the (?:creator|author)|"
    r"comments|bibliography)\b",
    re.I | re.M,
)

#: a number in digits or words ("forty", "seventeen", "a couple"), one capture group
_NUM = rf"({NUMBER}|couple)"
_PERSONS = (
    r"(?:patients?|participants?|subjects?|women|men|people|persons?|individuals?|sufferers|cases|children|"
    r"adults|volunteers|(?:female|male) patients)"
)
_RE_COUNT = re.compile(_NUM + r"\s+(?:\w+\s+){0,1}" + _PERSONS + r"\b", re.I)
_SAMPLE_CUE = re.compile(
    r"\b(includ\w*|comprised|enrolled|recruited|assessed|randomi[sz]ed|carried out on|"
    r"conducted (?:on|in)|involving|of|with|in)\s+(?:\w+\s+)?$",
    re.I,
)
_RE_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_RE_DURATION = re.compile(_NUM + r"[\s-]+(day|week|month|year)s?(?:[\s-]+long)?\b", re.I)
_RE_DOSE = re.compile(r"(\d+(?:\.\d+)?)\s*mg\b", re.I)
_DAYS = DAYS_PER


def _number(token: str) -> float:
    value = parse_number(token)
    if value is None:
        raise ValueError(f"not a number: {token!r}")
    return value


# -- results ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkedStudy:
    """A study a claim is linked to: the article's description and its primary record."""

    described: str | None
    primary: str | None
    label: str
    design: str
    level: int
    species: str

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass(frozen=True)
class AuditResult:
    """The audit of one source: its claims with verdicts, and the studies behind each."""

    source: Source
    claims: tuple[Claim, ...]
    links: dict[str, tuple[LinkedStudy, ...]] = field(default_factory=dict)
    matched_curated: bool = False

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.claims:
            out[c.verdict] = out.get(c.verdict, 0) + 1
        return out

    def to_dict(self, *, with_links: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "source": self.source.model_dump(mode="json", exclude_none=True),
            "claims": [c.model_dump(mode="json") for c in self.claims],
        }
        if with_links:
            out["links"] = {k: [x.to_dict() for x in v] for k, v in self.links.items()}
            out["summary"] = self.counts()
        return out


# -- segmentation ----------------------------------------------------------------------------------------

_SENT_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9β])")
_ABBREV = re.compile(r"(?:\b(?:e\.g|i\.e|et al|vs|Dr|Mr|Mrs|Ms|Prof|Fig|No|approx|ca)\.|\b[A-Z]\.)$")


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    text: str
    paragraph: int


def _body_end(text: str) -> int:
    m = _BODY_END.search(text)
    return m.start() if m else len(text)


def sentences(text: str) -> list[_Sentence]:
    """Prose sentences of the body with offsets; headings, bylines and boilerplate are skipped.

    A paragraph is a block between blank lines (or a single line); a sentence must have at
    least three words and end with ``.``, ``!`` or ``?`` (or be a long line of 12+ words).
    """
    end_body = _body_end(text)
    out: list[_Sentence] = []
    para = 0
    for pm in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text[:end_body]):
        block = pm.group(0)
        para += 1
        pieces: list[tuple[int, int]] = []
        cursor = 0
        for m in _SENT_END.finditer(block):
            head = block[cursor : m.start()].rstrip()
            if _ABBREV.search(head):
                continue
            pieces.append((cursor, m.start()))
            cursor = m.end()
        pieces.append((cursor, len(block)))
        for a, b in pieces:
            seg = block[a:b]
            stripped = seg.strip()
            if not stripped:
                continue
            lead = len(seg) - len(seg.lstrip())
            words = len(stripped.split())
            terminal = stripped[-1] in ".!?"
            if words < 3 or not (terminal or words >= 12):
                continue
            s0 = pm.start() + a + lead
            out.append(_Sentence(s0, s0 + len(stripped), stripped, para))
    return out


# -- claim features --------------------------------------------------------------------------------------


def claim_strength(text: str) -> ClaimStrength:
    """``proof`` for proof words, ``strong`` for intensifiers, ``hedged`` for hedges, else ``neutral``."""
    if _PROOF.search(text):
        return "proof"
    if any(not _negated_significance(text, m) for m in _STRONG.finditer(text)):
        return "strong"
    if _HEDGE.search(text):
        return "hedged"
    return "neutral"


def _negated_significance(text: str, m: re.Match[str]) -> bool:
    """'did not improve significantly': a null finding, not an intensifier."""
    return m.group(0).lower() == "significantly" and bool(
        re.search(r"\b(?:not|no|never|nor)\b[^.;]{0,30}$", text[: m.start()], re.I)
    )


def _category_claim(text: str) -> tuple[str, frozenset[int], str] | None:
    for m in [*_CATEGORY_PHRASE.finditer(text), *_CATEGORY_AFTER.finditer(text)]:
        words = m.group(1)
        for pat, chapters, name in _CATEGORY_CHAPTERS:
            if pat.search(words):
                return m.group(0), chapters, name
    return None


def claim_kind(text: str, species: set[str]) -> ClaimKind:
    if _category_claim(text):
        return "classification"
    if _MECHANISM.search(text) or ({"animal", "in-vitro"} & species):
        return "mechanism"
    if _SAFETY.search(text):
        return "safety"
    if (_EFFICACY.search(text) and _RESULT.search(text)) or _NULL.search(text):
        return "efficacy"
    return "background"


@dataclass
class _Numbers:
    counts: list[tuple[float, bool]] = field(default_factory=list)  # (value, "more than")
    percents: list[float] = field(default_factory=list)
    durations: list[float] = field(default_factory=list)  # days
    doses: list[float] = field(default_factory=list)
    sample_sizes: set[float] = field(default_factory=set)

    def empty(self) -> bool:
        return not (self.counts or self.percents or self.durations or self.doses)


def claim_numbers(text: str) -> _Numbers:
    nums = _Numbers()
    for m in _RE_COUNT.finditer(text):
        before = text[max(0, m.start() - 12) : m.start()].lower()
        value = _number(m.group(1))
        nums.counts.append((value, "more than" in before or "over" in before))
        if _SAMPLE_CUE.search(text[max(0, m.start() - 30) : m.start()]):
            nums.sample_sizes.add(value)
    nums.percents = [float(m.group(1)) for m in _RE_PERCENT.finditer(text)]
    for m in _RE_DURATION.finditer(text):
        before = text[max(0, m.start() - 15) : m.start()].lower()
        if re.search(r"(more than|over|for the|following the|after|within)\s*$", before) and "long" not in m.group(0):
            continue  # disease history or follow-up, not the study's length
        if re.search(r"\bhad\b[^.;]{0,50}\bfor\s*$", text[max(0, m.start() - 60) : m.start()], re.I):
            continue  # "had used a cane for six years": the patient's history (past perfect)
        if re.search(
            r"(disease duration|duration of (?:the )?(?:disease|illness)|history)\b", text[: m.start()][-40:], re.I
        ):
            continue
        nums.durations.append(_number(m.group(1)) * _DAYS[m.group(2).lower()])
    nums.doses = [float(m.group(1)) for m in _RE_DOSE.finditer(text)]
    return nums


# -- facts of a study ------------------------------------------------------------------------------------


@dataclass
class _Facts:
    counts: list[tuple[float, str, str]] = field(default_factory=list)  # value, what, verification
    percents: list[tuple[float, str, str]] = field(default_factory=list)
    durations: list[tuple[float, str, str]] = field(default_factory=list)
    doses: list[tuple[float, str, str]] = field(default_factory=list)


def _v(study: Study, path: str) -> str:
    return study.verification_of(path) or "unverified"


def study_facts(study: Study) -> _Facts:
    """Every number of a study record with what it counts and its verification level."""
    f = _Facts()
    pop = study.population
    for name in ("n", "n_enrolled", "n_analyzed"):
        val = getattr(pop, name)
        if val is not None:
            f.counts.append(
                (
                    float(val),
                    {"n": "participants", "n_enrolled": "enrolled", "n_analyzed": "analysed"}[name],
                    _v(study, f"population.{name}"),
                )
            )
    for i, sg in enumerate(pop.subgroups):
        if sg.percent is not None:
            f.percents.append((sg.percent, sg.label, _v(study, f"population.subgroups[{i}].percent")))
        if sg.count is not None:
            f.counts.append((float(sg.count), sg.label, _v(study, f"population.subgroups[{i}].count")))
    for i, o in enumerate(study.outcomes):
        for j, m in enumerate(o.measures):
            ver = _v(study, f"outcomes[{i}].measures[{j}].value")
            unit = (m.unit or "") + " " + m.kind
            if "%" in unit or "percent" in unit:
                f.percents.append((m.value, o.name, ver))
            elif m.kind in ("count", "n"):
                f.counts.append((m.value, o.name, ver))
        for j, r in enumerate(o.responders):
            ver = _v(study, f"outcomes[{i}].responders[{j}].count")
            if r.count is not None:
                f.counts.append((float(r.count), f"{o.name} responders", ver))
                if r.n:
                    f.percents.append((100.0 * r.count / r.n, f"{o.name} responders", ver))
            if r.threshold_percent is not None:
                f.percents.append(
                    (
                        r.threshold_percent,
                        f"{o.name} responder threshold",
                        _v(study, f"outcomes[{i}].responders[{j}].threshold_percent"),
                    )
                )
    for i, ae in enumerate(study.adverse_events):
        if ae.percent is not None:
            f.percents.append((ae.percent, ae.name, _v(study, f"adverse_events[{i}].percent")))
        if ae.count is not None:
            f.counts.append((float(ae.count), ae.name, _v(study, f"adverse_events[{i}].count")))
            if ae.n:
                f.percents.append((100.0 * ae.count / ae.n, ae.name, _v(study, f"adverse_events[{i}].count")))
    if study.duration_days is not None:
        f.durations.append((study.duration_days, "treatment duration", _v(study, "duration_days")))
    total = 0.0
    for i, p in enumerate(study.periods):
        if p.days is not None:
            f.durations.append((p.days, f"{p.kind} period", _v(study, f"periods[{i}].days")))
            total += p.days
    if total:
        f.durations.append((total, "whole study", _v(study, "periods")))
    for i, iv in enumerate(study.interventions):
        if iv.dose_mg is not None:
            f.doses.append((iv.dose_mg, "dose", _v(study, f"interventions[{i}].dose_mg")))
        if iv.duration_days is not None:
            f.durations.append((iv.duration_days, "treatment duration", _v(study, f"interventions[{i}].duration_days")))
    return f


def _close(a: float, b: float, kind: str) -> bool:
    if kind == "durations":
        return abs(a - b) <= max(3.0, 0.1 * b)
    if kind == "percents":
        return abs(a - b) <= 0.6
    return abs(a - b) < 1e-9


@dataclass
class _NumberCheck:
    matched: list[str] = field(default_factory=list)
    unconfirmed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: result figures (percentages, counts that are not the sample size) found in / missing from the records
    results_matched: int = 0
    results_unconfirmed: list[str] = field(default_factory=list)


def _shares_word(what: str, text: str) -> bool:
    """True when the record's label and the claim share a content word (or its stem)."""
    stop = {
        "with",
        "from",
        "that",
        "this",
        "were",
        "reported",
        "patients",
        "self-reported",
        "percent",
        "responders",
        "less",
        "more",
        "than",
        "responder",
        "threshold",
        "overall",
    }
    words = [w for w in re.findall(r"[a-z]{4,}", what.lower()) if w not in stop]
    low = text.lower()
    return not words or any(w[:5] in low for w in words)


def check_numbers(
    nums: _Numbers,
    primaries: Sequence[Study],
    described: Sequence[Study],
    text: str | None = None,
    *,
    ambiguous: bool = False,
) -> _NumberCheck:
    """Compare a claim's numbers with the primary records (and what the article's own records confirm).

    ``ambiguous`` says the claim was linked to several candidate studies by condition and design
    alone: a sample size or dose that matches none of them then points to a study the base may
    not hold, and is reported as unconfirmed rather than as a conflict.
    """
    out = _NumberCheck()
    pf = [study_facts(s) for s in primaries]
    df = [study_facts(s) for s in described]
    if ambiguous and len(pf) > 1:
        # a duration, dose or percentage that only one candidate has identifies the study
        def _has(f: _Facts) -> bool:
            return any(
                _close(v, x, kind) and ver != "unverified"
                for kind, vals in (("durations", nums.durations), ("doses", nums.doses), ("percents", nums.percents))
                for v in vals
                for x, _, ver in getattr(f, kind)
            )

        named = [f for f in pf if _has(f)]
        if len(named) == 1:
            pf, ambiguous = named, False
    sum_n = sum(s.population.n or 0 for s in described) if len(described) > 1 else None
    for kind, values in (
        ("counts", [(v, more) for v, more in nums.counts]),
        ("percents", [(v, False) for v in nums.percents]),
        ("durations", [(v, False) for v in nums.durations]),
        ("doses", [(v, False) for v in nums.doses]),
    ):
        for value, more in values:
            # a result figure: a percentage, or a count of more than one person that is not the sample size,
            # where the linked records count outcomes at all ("one patient" names a case, not a figure)
            result = kind == "percents" or (
                kind == "counts"
                and value not in nums.sample_sizes
                and value > 1
                and any(what not in _NON_OUTCOMES for facts in pf for _, what, _ in facts.counts)
            )
            shown = f"{value:g}" + (
                "%"
                if kind == "percents"
                else " mg"
                if kind == "doses"
                else ""
                if kind != "durations"
                else (f" days ({value / 7:g} weeks)" if value % 7 == 0 else f" days ({value / 30.44:.1f} months)")
            )
            prim = [
                (v, what, ver)
                for facts in pf
                for (v, what, ver) in getattr(facts, kind)
                if ver in ("primary", "secondary")
            ]
            hit = [(v, what, ver) for (v, what, ver) in prim if (_close(value, v, kind) or (more and v > value))]
            if hit and kind == "percents" and text is not None and not ambiguous:
                swapped = _other_outcome_figure(value, hit, prim, text)
                if swapped:
                    out.conflicts.append(swapped)
                    continue
            if hit:
                _, what, ver = hit[0]
                entry = f"{shown} ({what}, {ver} record)"
                if entry not in out.matched:
                    out.matched.append(entry)
                if result and "threshold" not in what:
                    out.results_matched += 1
                if kind == "percents" and text is not None and not _shares_word(what, text):
                    out.notes.append(
                        f"the primary record gives {shown} for '{what}'; the article attaches it to "
                        "different words, so check that it describes the same outcome"
                    )
                if kind == "counts":
                    for facts in pf:
                        en = [x for x in facts.counts if x[1] == "enrolled" and x[2] != "unverified"]
                        an = [x for x in facts.counts if x[1] == "analysed" and x[2] != "unverified"]
                        if en and an and _close(value, an[0][0], kind) and en[0][0] != an[0][0]:
                            out.notes.append(
                                f"{shown.split()[0]} is the number analysed; {en[0][0]:g} were "
                                f"enrolled ({1 - an[0][0] / en[0][0]:.0%} attrition) [primary]"
                            )
                continue
            if kind == "counts" and sum_n and _close(value, float(sum_n), kind):
                out.matched.append(f"{shown} (participants of the linked reports together)")
                continue
            own = [(v, what, ver) for facts in df for (v, what, ver) in getattr(facts, kind) if _close(value, v, kind)]
            if own and all(ver == "unverified" for _, _, ver in own) and not prim:
                out.unconfirmed.append(f"{shown} ({own[0][1]}): not confirmed in any primary record")
                if result:
                    out.results_unconfirmed.append(out.unconfirmed[-1])
                continue
            if own and any(ver in ("primary", "secondary") for _, _, ver in own):
                _, what, ver = next(x for x in own if x[2] in ("primary", "secondary"))
                out.matched.append(f"{shown} ({what}, confirmed against the {ver} record)")
                if result:
                    out.results_matched += 1
                continue
            same_kind = [x for x in prim if (kind == "doses" or x[1] in ("participants", "enrolled", "analysed"))]
            sample_size = kind == "doses" or value in nums.sample_sizes
            if same_kind and sample_size and not more:
                known = ", ".join(f"{v:g} ({what})" for v, what, _ in same_kind[:4])
                if ambiguous:
                    out.unconfirmed.append(
                        f"{shown}: matches none of the candidate studies ({known}); it may be a study the "
                        "evidence base does not hold"
                    )
                else:
                    out.conflicts.append(f"the article says {shown}; the primary record gives {known}")
            else:
                if own:
                    out.unconfirmed.append(f"{shown} ({own[0][1]}): not confirmed in any primary record")
                elif pf:
                    out.unconfirmed.append(f"{shown}: not in the linked primary record(s)")
                else:
                    out.unconfirmed.append(f"{shown}: no primary record to check it against")
                if result:
                    out.results_unconfirmed.append(out.unconfirmed[-1])
                    if kind == "percents" and text is not None and not own:
                        near = [
                            f"{v:.3g}% ({what})"
                            for v, what, _ in prim
                            if "threshold" not in what and _shares_word(what, text) and what not in _NON_OUTCOMES
                        ]
                        if near:
                            out.notes.append(f"for the outcome named, the record gives {', '.join(near[:4])}")
    return out


def _other_outcome_figure(
    value: float, hit: Sequence[tuple[float, str, str]], prim: Sequence[tuple[float, str, str]], text: str
) -> str | None:
    """A percentage the record gives for one outcome, attached by the claim to another outcome it also reports.

    "Remission was reached by 78%" where 78% is the record's response rate and remission was 33%:
    the claim's words name the other outcome better than the one the figure belongs to, and the
    record gives that outcome a different figure.  Only outcomes named in the claim count.
    """
    words = _stems(text)

    def named(what: str) -> set[str]:
        return _stems(what) & words

    hit_best = max(len(named(w)) for _, w, _ in hit)
    better = [
        (v, w)
        for v, w, _ in prim
        if "threshold" not in w
        and w not in _NON_OUTCOMES
        and len(named(w)) > hit_best
        and not _close(value, v, "percents")
        and not any(w == hw for _, hw, _ in hit)
    ]
    if not better:
        return None
    v, w = better[0]
    return (
        f"the article gives {value:g}% for what the record calls '{w}' ({v:g}%); {value:g}% is the record's "
        f"figure for '{hit[0][1]}'"
    )


#: Labels of study facts that are not outcomes (never offered as "the record gives").
_NON_OUTCOMES = {"participants", "enrolled", "analysed"}


# -- linking ---------------------------------------------------------------------------------------------


def _offset_map(raw: str, norm: str) -> list[tuple[int, int, int]]:
    """Blocks (raw_start, norm_start, length) of text shared by the raw and normalised versions."""
    sm = difflib.SequenceMatcher(None, raw, norm, autojunk=False)
    return [(a, b, n) for a, b, n in sm.get_matching_blocks() if n]


def _map_offset(blocks: list[tuple[int, int, int]], starts: list[int], pos: int) -> int:
    i = bisect_right(starts, pos) - 1
    if i < 0:
        return 0
    a, b, n = blocks[i]
    return b + min(pos - a, n)


def _curated_for(source: Source, raw_text: str | None, sources: Sequence[Source]) -> Source | None:
    digests = {source.sha256}
    if raw_text is not None:
        digests.add(hashlib.sha256(raw_text.encode("utf-8")).hexdigest())
    for s in sources:
        if s.sha256 and s.sha256 in digests:
            return s
    return None


@dataclass
class _Described:
    study: Study
    spans: list[tuple[int, int, str]]  # normalised start, end, field path


def _described_studies(
    source: Source, curated: Source | None, raw_text: str | None, studies: Sequence[Study]
) -> list[_Described]:
    if curated is None:
        return []
    text = source.text or ""
    blocks: list[tuple[int, int, int]] = []
    starts: list[int] = []
    if raw_text is not None and raw_text != text:
        blocks = _offset_map(raw_text, text)
        starts = [a for a, _, _ in blocks]
    out = []
    for s in studies:
        if s.source != curated.id:
            continue
        spans = []
        for path, items in s.provenance.items():
            for sp in items:
                if sp.source != curated.id:
                    continue
                a, b = sp.start, sp.end
                if blocks:
                    a, b = _map_offset(blocks, starts, a), _map_offset(blocks, starts, b)
                spans.append((a, b, path))
        out.append(_Described(s, spans))
    return out


#: Provenance fields too generic to link a sentence to a study on their own.
_WEAK_LINK_FIELDS = {"condition", "species", "population.sex", "comparator", "interventions[0].name"}


def _resolve(study: Study, by_id: dict[str, Study]) -> Study | None:
    return by_id.get(study.primary_source) if study.primary_source else None


def _fallback_links(sentence: str, section: str | None, studies: Sequence[Study]) -> list[Study]:
    """Primary records matched by condition, species, design words, outcome and counts.

    Used for sources the evidence base does not know.  An outcome counts only in a sentence
    about treatment, so a sentence describing the disease is not linked to trials of it.
    """
    try:
        from ldn_atlas.vocabulary import load_vocabulary

        vocab = load_vocabulary()
        conds = {e.maps_to or e.id for e, _, _ in vocab.mentions(sentence)}
        if not conds and section:
            conds = {e.maps_to or e.id for e, _, _ in vocab.mentions(section)}
    except Exception:  # pragma: no cover - the vocabulary ships with the package
        return []
    if not conds:
        if _SAFETY.search(sentence) and _GENERIC_PRESENT.search(sentence):
            # "LDN is well tolerated": a claim about the drug in general, so every human study reporting harms
            return [s for s in studies if s.primary_source is None and s.species == "human" and s.adverse_events]
        return []
    nums = claim_numbers(sentence)
    tags = {t for t, pat in _DESIGN_WORDS.items() if pat.search(sentence)}
    species = "animal" if _ANIMAL.search(sentence) else "in-vitro" if _INVITRO.search(sentence) else "human"
    dom = outcome_domain(sentence).id
    treatment = dom != "other" and bool(_TREATMENT.search(sentence))
    generic = bool(_GENERIC_EFFICACY.search(sentence) and _TREATMENT.search(sentence)) and not (tags or nums.counts)
    scored = []
    for s in studies:
        if s.primary_source is not None:
            continue
        entry = vocab.by_code(s.condition.code) if s.condition.code else vocab.lookup(s.condition.label)
        key = (entry.maps_to or entry.id) if entry else None
        if key not in conds or s.species != species:
            continue
        score = len(tags & set(s.design))
        if treatment and (
            any(
                outcome_domain(o).id == dom and _shares_word(re.sub(r"\(.*?\)", "", o.name), sentence)
                for o in s.outcomes
            )
            or (dom == "safety" and bool(s.adverse_events))
        ):
            score += 1  # the same outcome, in a sentence about treatment
        if generic:
            score += 1  # "LDN works for X": every study of X
        counts = {c for c, _ in nums.counts}
        if counts & {float(x) for x in (s.population.n, s.population.n_enrolled, s.population.n_analyzed) if x}:
            score += 3
        score += _figure_matches(nums, s)
        if species != "human" and _TREATMENT.search(sentence):
            score += 1  # "in mice, LDN ...": the animal studies of the condition
        if score:
            scored.append((score, s))
    scored.sort(key=lambda t: -t[0])
    best = [s for sc, s in scored if sc == scored[0][0]] if scored else []
    return _narrow_by_year(sentence, best)


def _figure_matches(nums: _Numbers, study: Study) -> int:
    """How strongly a sentence's result figures, durations and doses point to one study (verified values only).

    A result percentage (not a responder threshold) counts 2, a duration or a dose 1.
    """
    facts = study_facts(study)
    score = 0
    for kind, values, weight in (
        ("percents", nums.percents, 2),
        ("durations", nums.durations, 1),
        ("doses", nums.doses, 1),
    ):
        for v in values:
            if any(
                _close(v, x, kind) and ver != "unverified" and "threshold" not in what
                for x, what, ver in getattr(facts, kind)
            ):
                score += weight
    return score


#: Years a sentence names ("a 2024 Danish trial").
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")


def _narrow_by_year(text: str, candidates: list[Study]) -> list[Study]:
    """Candidates published in a year the sentence names, when some are (else all of them)."""
    years = {int(y) for y in _YEAR.findall(text)}
    if not years or len(candidates) < 2:
        return candidates
    hit = [s for s in candidates if s.citation and s.citation.year in years]
    return hit or candidates


# -- verdicts --------------------------------------------------------------------------------------------


def _classification_verdict(text: str) -> tuple[Verdict, list[str]] | None:
    cat = _category_claim(text)
    if cat is None:
        return None
    phrase, chapters, name = cat
    try:
        from ldn_atlas.vocabulary import load_vocabulary

        vocab = load_vocabulary()
        mentions = vocab.mentions(text)
    except Exception:  # pragma: no cover
        return None
    if not mentions:
        return "not-checkable", [
            f"'{phrase}' places a condition in a category, but no condition of the vocabulary is named"
        ]
    entry = mentions[0][0]
    ch = entry.chapter
    if ch.number in _UNINFORMATIVE_CHAPTERS:
        return "not-checkable", [
            f"{entry.label} is coded {entry.code} in ICD-10 chapter {ch.roman} '{ch.title}', "
            f"which does not settle whether it is a {name} condition"
        ]
    if ch.number in chapters:
        return "supported", [
            f"{entry.label} ({entry.code}) is in ICD-10 chapter {ch.roman} '{ch.title}', consistent with '{phrase}'"
        ]
    return "factual-error", [
        f"the sentence calls {entry.label} a {name} condition ('{phrase}'), but it is coded {entry.code} in "
        f"ICD-10-CM chapter {ch.roman} '{ch.title}' ({entry.category}); a {name} condition would sit in "
        f"chapter(s) {', '.join(str(c) for c in sorted(chapters))}",
    ]


def _field_verification(described: Sequence[_Described], start: int, end: int) -> tuple[list[str], list[str]]:
    """Fields of the article's records whose spans fall in the sentence: (confirmed, unconfirmed) paths."""
    confirmed: list[str] = []
    unconfirmed: list[str] = []
    for d in described:
        for a, b, path in d.spans:
            if a < end and b > start:
                if path in ("species", "condition", "controlled", "comparator") or path.startswith(
                    "interventions[0].name"
                ):
                    continue
                marked = d.study.verification_of(path)
                if marked is None:
                    continue
                ver = marked
                name = _field_label(d.study, path)
                (unconfirmed if ver == "unverified" else confirmed).append(f"{name} [{ver}]")
    return sorted(set(confirmed)), sorted(set(unconfirmed))


def _field_label(study: Study, path: str) -> str:
    m = re.match(r"outcomes\[(\d+)\]", path)
    if m and int(m.group(1)) < len(study.outcomes):
        return study.outcomes[int(m.group(1))].name
    m = re.match(r"population\.subgroups\[(\d+)\]", path)
    if m and int(m.group(1)) < len(study.population.subgroups):
        return f"subgroup '{study.population.subgroups[int(m.group(1))].label}'"
    plain = {
        "duration_days": "treatment duration",
        "interventions[0].duration_days": "treatment duration",
        "population.n": "sample size",
        "population.n_enrolled": "number enrolled",
        "population.n_analyzed": "number analysed",
        "design": "design",
        "periods": "study periods",
        "interventions[0].dose_mg": "dose",
    }
    if path in plain:
        return plain[path]
    m = re.match(r"adverse_events\[(\d+)\]", path)
    if m and int(m.group(1)) < len(study.adverse_events):
        return study.adverse_events[int(m.group(1))].name
    return path


def _primary_direction(primaries: Sequence[Study], text: str) -> tuple[str | None, list[str]]:
    """The direction of the linked trials' outcome in the claim's outcome domain."""
    dom = outcome_domain(text).id
    dirs, notes = [], []
    for s in primaries:
        for o in _named_outcomes(s, text, dom, any_if_other=True):
            if o.direction:
                dirs.append(o.direction)
                p_txt = (o.p_text or "").strip()
                p = (
                    (f", {p_txt}" if p_txt.lower().startswith("p") else f", p {p_txt or '= ' + format(o.p, 'g')}")
                    if (o.p is not None or p_txt)
                    else ""
                )
                notes.append(f"{s.label}: {o.name} {o.direction}{p}")
    if not dirs:
        return None, notes
    if all(d == "no-difference" for d in dirs):
        return "no-difference", notes
    if any(d == "improved" for d in dirs):
        return "improved", notes
    return dirs[0], notes


def _primary_confirms(primaries: Sequence[Study], text: str) -> list[str]:
    """Outcomes of the linked primary records in the claim's outcome domain that are verified there."""
    dom = outcome_domain(text).id
    treated = bool(_TREATMENT.search(text))
    out = []
    for s in primaries:
        for i, o in enumerate(s.outcomes):
            if bool(_TREATMENT.search(o.name)) != treated:
                continue  # a finding under treatment is not confirmed by an untreated one, nor the reverse
            if not _shares_word(re.sub(r"\(.*?\)", "", o.name), text):
                continue  # the same domain, but a different measurement
            if o.direction in ("no-difference", "unclear"):
                continue  # a null or unclear finding confirms no change
            if outcome_domain(o).id == dom and (s.verification_of(f"outcomes[{i}]") or "unverified") != "unverified":
                out.append(f"{s.label}: {o.name}" + (f" ({o.direction})" if o.direction else ""))
    return out


#: An outcome category that pools improvement with no change ("improved or stabilised").
_COMPOSITE = re.compile(
    r"\b(?:improv\w*|better)\s+(?:or|and/or)\s+(?:stabili[sz]\w*|stable|unchanged|maintained|no worse)\b|"
    r"\b(?:stabili[sz]\w*|stable|unchanged|maintained|no worse)\s+(?:or|and/or)\s+(?:improv\w*|better)\b",
    re.I,
)
_IMPROVE = re.compile(r"\b(improv\w*|better|benefit\w*)\b", re.I)
_NO_CHANGE = re.compile(r"\b(stabili[sz]\w*|stable|unchanged|maintain\w*|no worse|did not worsen)\b", re.I)


def _composite_category(primaries: Sequence[Study], text: str) -> list[str]:
    """Records that report the claim's outcome only as "improved or stable" when the claim says "improved".

    A category that pools improvement with no change cannot tell how many improved, so a
    claim of improvement resting on it is not established (a form of spin [3]_).
    """
    if not _IMPROVE.search(text) or _NO_CHANGE.search(text) or _NULL.search(text):
        return []
    dom = outcome_domain(text).id
    out = []
    for s in primaries:
        for i, o in enumerate(s.outcomes):
            if not _COMPOSITE.search(o.name) or outcome_domain(o).id != dom:
                continue
            if not _shares_word(_COMPOSITE.sub(" ", re.sub(r"\(.*?\)", "", o.name)), text):
                continue
            ver = s.verification_of(f"outcomes[{i}]") or "unverified"
            if ver == "unverified":
                continue
            vals = ", ".join(f"{m.value:g}{'%' if m.kind == 'percent' else ''}" for m in o.measures[:2])
            out.append(f"{s.label} reports '{o.name}'" + (f" ({vals})" if vals else "") + f" [{ver}]")
    return out


_OUTCOME_STOP = {"with", "from", "that", "this", "were", "reported", "patients", "self-reported", "overall"}


def _stems(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z]{4,}", re.sub(r"\(.*?\)", " ", text.lower())) if w not in _OUTCOME_STOP}


def _named_outcomes(study: Study, text: str, dom: str, *, any_if_other: bool = False) -> list[Any]:
    """A study's outcomes in the claim's domain; when some share words with the claim, the ones sharing most.

    "Physical quality of life" is then judged against the physical component, not the mental one.
    """
    pool = [o for o in study.outcomes if outcome_domain(o).id == dom or (any_if_other and dom == "other")]
    words = _stems(text)
    scored = [(len(_stems(f"{o.name} {o.instrument or ''}") & words), o) for o in pool]
    best = max((n for n, _ in scored), default=0)
    return [o for n, o in scored if n == best] if best else pool


def _adverse_events_seen(records: Sequence[Study]) -> list[str]:
    """Adverse events the records report as having occurred (named, or with a non-zero count or percent)."""
    out = []
    for s in records:
        for ae in s.adverse_events:
            if (ae.count == 0 or ae.percent == 0) or re.search(r"\bno\b|\bnone\b", ae.name, re.I):
                continue
            amount = f" {ae.percent:g}%" if ae.percent is not None else f" {ae.count}" if ae.count is not None else ""
            out.append(f"{s.label}: {ae.name}{amount}")
    return out


def _review_verdict(reviews: Sequence[Study], text: str, strength: ClaimStrength) -> tuple[Verdict, list[str]] | None:
    """A claim about what a systematic review found, against the review's own conclusion in that outcome.

    The review's direction wins over the trials it pooled: an unqualified claim of effect where
    the review found the evidence uncertain is overstated; a claim against its direction is
    contradicted.
    """
    dom = outcome_domain(text).id
    found = [(s, o) for s in reviews for o in _named_outcomes(s, text, dom, any_if_other=True) if o.direction]
    if not found:
        return None
    dirs = {o.direction for _, o in found}
    said = "; ".join(f"{s.label}: {o.name} {o.direction}" for s, o in found)
    claim_null = bool(_NULL.search(text))
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


def _trials_disagree(rcts: Sequence[Study], text: str) -> list[str]:
    """Per-trial directions in the claim's outcome domain when some trials improved and others found no difference."""
    dom = outcome_domain(text).id
    if dom == "other":
        return []
    improved, null = [], []
    for s in rcts:
        dirs = [o.direction for o in _named_outcomes(s, text, dom) if o.direction]
        if "improved" in dirs:
            improved.append(s.label)
        elif dirs and all(d == "no-difference" for d in dirs):
            null.append(s.label)
    if improved and null:
        return [f"improved: {'; '.join(improved)}", f"no difference: {'; '.join(null)}"]
    return []


def _modest(primaries: Sequence[Study], text: str) -> list[str]:
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


def judge(
    text: str,
    kind: ClaimKind,
    strength: ClaimStrength,
    linked: Sequence[LinkedStudy],
    primaries: Sequence[Study],
    described: Sequence[Study],
    confirmed: Sequence[str],
    unconfirmed: Sequence[str],
    nums: _Numbers,
    *,
    certainty: Sequence[tuple[str, str]] = (),
) -> tuple[Verdict, list[str]]:
    """The verdict and reasons for one claim (see the module docstring for the rules).

    ``certainty`` gives (synthesis label, GRADE certainty) for the condition x outcome the claim is about,
    used to weigh general claims about the treatment ("LDN reduces pain in X").
    """
    cls = _classification_verdict(text) if kind == "classification" else None
    if cls is not None:
        return cls
    reasons: list[str] = []
    records = list(primaries) or list(described)
    cats = [design_category(s) for s in records]
    species = {s.species for s in records}
    if _ANIMAL.search(text):
        species.add("animal")
    if _INVITRO.search(text):
        species.add("in-vitro")
    is_result = bool(_RESULT.search(text))
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
            and not _ANIMAL.search(text.split(",")[0])
            and strength != "hedged"
            and _extrapolates(text)
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
        and _GENERIC_PRESENT.search(text)
        and _IN_PATIENTS.search(text)
        and not _CAVEAT.search(text)
        and not _primary_confirms([s for s in records if s.species == "human"], text)
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
        and not _NULL.search(text)
        and not _CONTRAST.search(text)
        and outcome_domain(text).id != "other"
    ):
        direction, dnotes = _primary_direction(rct_null, text)
        dom_id = outcome_domain(text).id
        named = [o for s in rct_null for o in _named_outcomes(s, text, dom_id)]
        in_domain = [o for s in rct_null for o in s.outcomes if outcome_domain(o).id == dom_id]
        if (
            direction == "no-difference"
            and named
            and all(_shares_word(o.name, text) for o in named)
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
                f"'{_PROOF.search(text).group(0)}' where the weakest linked study has no randomized control: "  # type: ignore[union-attr]
                "an association observed during treatment cannot prove a mechanism or an effect"
            )
        else:
            reasons.append(f"'{_PROOF.search(text).group(0)}': no single trial proves an effect")  # type: ignore[union-attr]
        return "overstated", reasons + _unconf(unconfirmed) + nc.notes
    if case_level and is_result and (strength == "strong" or _CAUSAL_CO.search(text)):
        bits = []
        if _CAUSAL_CO.search(text):
            bits.append(f"co-interventions ('{_CAUSAL_CO.search(text).group(0)}')")  # type: ignore[union-attr]
        if _STRONG.search(text):
            bits.append(f"'{_STRONG.search(text).group(0)}'")  # type: ignore[union-attr]
        reasons.append(
            "a causal or strong claim from uncontrolled case reports with "
            + " and ".join(bits)
            + ": improvement cannot be attributed to LDN"
        )
        return "overstated", reasons + _unconf(unconfirmed) + nc.notes
    if strength == "strong" and records and is_result:
        modest = _modest(primaries, text)
        if uncontrolled or weakest == DesignCategory.NON_RANDOMISED_CONTROLLED or modest:
            reasons.append(
                f"'{_STRONG.search(text).group(0)}' is stronger than the evidence: "  # type: ignore[union-attr]
                + ("; ".join(modest) if modest else "the design has no randomized control")
            )
            return "overstated", reasons + _unconf(unconfirmed) + nc.notes
    # 1b. an absolute claim of safety against records that report adverse events
    if _ABSOLUTE_SAFE.search(text) and not (nums.percents or nums.counts) and records:
        seen = _adverse_events_seen(records)
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
        and _GENERIC_PRESENT.search(text)
        and not _ABSOLUTE_SAFE.search(text)
    ):
        return "supported-weak", [*reasons, *_safety_summary(records)]
    # 2. numbers that differ from the primary record
    if nc.conflicts:
        return "contradicted", reasons + nc.conflicts + nc.notes
    # 2a. what a systematic review concluded
    reviews = [s for s in primaries if "systematic-review" in s.design]
    generic = bool(_GENERIC_EFFICACY.search(text)) and not described and kind != "safety"
    if is_result and reviews and (_DESIGN_WORDS["systematic-review"].search(text) or generic):
        judged = _review_verdict(reviews, text, strength)
        if judged is not None:
            return judged[0], [*reasons, *judged[1], *nc.notes]
    # 3. direction of a trial result
    rct = [s for s in primaries if design_category(s) == DesignCategory.RANDOMISED_CONTROLLED]
    if is_result and len(rct) > 1 and not _NULL.search(text):
        split = _trials_disagree(rct, text)
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
    if is_result and rct and contrast and not _NULL.search(text[: contrast.start()]):
        pos_dir, pos_notes = _primary_direction(rct, text[: contrast.start()])
        neg_dir, neg_notes = _primary_direction(rct, text[contrast.start() :])
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
        direction, dnotes = _primary_direction(rct, text)
        claim_null = bool(_NULL.search(text))
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
    general = _general_claim_verdict(text, kind, strength, records, described, certainty, is_result)
    if general is not None:
        return general[0], [*reasons, *general[1], *nc.notes]
    # 3b. an "improved or stable" category reported as improvement
    if is_result:
        merged = _composite_category(primaries, text)
        if merged:
            return "unsupported", [
                *reasons,
                *merged,
                "the claim reports improvement, but the record's category also counts patients who only "
                "stayed the same; how many improved is not reported",
                *nc.notes,
            ]
    # 4. caveats and calls for research
    if not is_result and _CAVEAT.search(text):
        reasons.append("a caveat or call for research, consistent with the design of the evidence")
        return "supported", reasons
    # 5. nothing confirmable
    if unconfirmed and not confirmed and not nc.matched:
        seen = _primary_confirms(primaries, text)
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
        if _CAVEAT.search(text) and (kind == "background" or strength == "hedged"):
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
        claimed = {t for t, pat in _DESIGN_WORDS.items() if pat.search(text)}
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
            and not _CAVEAT.search(text)
            and not _primary_confirms(primaries, text)
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
        surrogate = kind == "mechanism" and _MECHANISM.search(text)
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
    if sizes and all(n is not None and n < _SMALL_TRIAL for n in sizes):
        return "supported-weak", [
            *reasons,
            f"consistent with the randomized trial, but it analysed fewer than {_SMALL_TRIAL} participants "
            f"({', '.join(str(n) for n in sizes)}): too small to rely on",
            *extra,
        ]
    return "supported", [*reasons, "consistent with the randomized trial", *extra]


#: Below this many participants analysed a randomized trial's result is weak support (OCEBM downgrades
#: for imprecision; the methodologist conventions in tests/data/audit/README.md use N < ~20).
_SMALL_TRIAL = 20


def _safety_summary(records: Sequence[Study]) -> list[str]:
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
    seen = [x for x in _adverse_events_seen(records) if not re.search(r"serious|major", x, re.I)]
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


#: A statement placed in people rather than in a model.
_IN_PATIENTS = re.compile(r"\b(patients?|people|persons?|humans?|sufferers|in (?:the )?(?:body|brain|gut))\b", re.I)
#: "X improved, but not Y": a result with a stated exception.
_CONTRAST = re.compile(r"\b(?:but|while|whereas|although)\s+(?:not|no|none)\b", re.I)
_CERTAINTY_ORDER = {"high": 3, "moderate": 2, "low": 1, "very-low": 0}


def _general_claim_verdict(
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
    if not is_result or _NULL.search(text):
        return None
    sweeping = _SWEEPING.search(text)
    if not (_GENERIC_PRESENT.search(text) or sweeping):
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


def _extrapolates(text: str) -> bool:
    return bool(
        re.search(
            r"\b(pathophysiology of (?:multiple sclerosis|MS)|in humans|patients|autoimmune states?|"
            r"can benefit)\b",
            text,
            re.I,
        )
    )


def _unconf(unconfirmed: Sequence[str]) -> list[str]:
    return [f"not confirmed in any primary record: {', '.join(unconfirmed)}"] if unconfirmed else []


# -- evidence inference against the source's own text -----------------------------------------------------

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
#: Where a trial abstract's conclusion starts: a structured header, else a concluding phrase.
_CONCLUSION_HEAD = re.compile(
    r"(?:^|\n|(?<=[.!?])\s+)\s*(?:[A-Z]+\.)?(CONCLUSIONS?|INTERPRETATION|Conclusions?)\s*[:.]\s*"
)
_CONCLUSION_CUE = re.compile(
    r"(?:^|(?<=[.!?])\s+)(?=(?:In conclusion|To conclude|We conclude|Overall, (?:these|our)|"
    r"(?:These|Our) (?:findings|results|data) (?:suggest|show|indicate|demonstrate|support)))"
)
_NEXT_HEAD = re.compile(r"\n\s*(?:[A-Z]+\.)?[A-Z][A-Za-z ]{2,40}:")
_RESULTS_HEAD = re.compile(r"(?:^|\n|(?<=[.!?])\s+)\s*(?:[A-Z]+\.)?RESULTS?\s*[:.]", re.I)




def _claimed_direction(text: str) -> str | None:
    """``no-difference``, ``worsened`` or ``improved``: what an efficacy claim says about its outcome.

    ``None`` when it says none of these, or mixes a null with an effect ("did not improve X but improved Y").
    """
    null = _NULL.search(text) or _NULL_EXTRA.search(text)
    if null and _MIXED.search(text):
        return None
    if null:
        return "no-difference"
    if _VAGUE_DIRECTION.search(text):
        return None  # a negation the null patterns do not read, or a trend: no direction to compare
    if _WORSE.search(text):
        return None if _BETTER_WORDS.search(text) else "worsened"  # "reduced exacerbations": not a worsening
    if _EFFICACY.search(text) and _RESULT.search(text):
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
        named = [o for o in _named_outcomes(s, text, dom.id) if _shares_word(o.name, text)]
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


def _source_texts(primaries: Sequence[Study], sources: Sequence[Source], own: str) -> list[tuple[Study, Source]]:
    """The linked studies whose source (a PubMed abstract, an article in the base) has readable text."""
    by_id = {s.id: s for s in sources}
    out = []
    for st in primaries:
        src = by_id.get(st.source or "")
        if src is not None and src.text and src.id != own and src.kind != "curated":
            out.append((st, src))
    return out


def abstract_parts(text: str) -> tuple[int, int, int] | None:
    """(end of the results, start and end of the conclusion) when ``text`` reads as a trial abstract.

    A structured abstract has a ``CONCLUSION(S):`` header; an unstructured one a concluding phrase
    ("In conclusion", "These findings suggest") after at least two sentences.  The results are the text
    before the conclusion, which must report something (a ``RESULTS`` header or a result word); the
    conclusion ends at the next section header (trial registration, a summary), else at the end.
    ``None`` when the text does not read as an abstract.
    """
    m = _CONCLUSION_HEAD.search(text)
    start = m.end() if m else None
    head = m.start() if m else None
    if m is None:
        cues = [c for c in _CONCLUSION_CUE.finditer(text) if len(sentences(text[: c.start()])) >= 2]
        if not cues:
            return None
        head = start = cues[-1].start()
    assert head is not None and start is not None
    before = text[:head]
    if not (_RESULTS_HEAD.search(before) or _RESULT.search(before)) or len(sentences(before)) < 2:
        return None
    nxt = _NEXT_HEAD.search(text, start)
    return head, start, nxt.start() if nxt else len(text)


def _results_text(text: str) -> str:
    """A structured abstract up to its conclusion (a spun conclusion must not confirm a claim), else all of it.

    The prefix keeps evidence offsets valid in the full text.
    """
    parts = abstract_parts(text)
    if parts is not None and _RESULTS_HEAD.search(text[: parts[0]]):
        return text[: parts[0]]
    return text


def _inference_check(
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
    claimed = _claimed_direction(text)
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
        if not _shares_word(words, body):
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
            and _shares_word(words, ev.text)
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


# -- the audit -------------------------------------------------------------------------------------------


def audit_source(
    source: Source,
    *,
    raw_text: str | None = None,
    studies: Sequence[Study] | None = None,
    sources: Sequence[Source] | None = None,
) -> AuditResult:
    """Audit the claims of a source against the evidence base.

    Parameters
    ----------
    source : Source
        The document, with its normalised ``text`` (spans point into it).
    raw_text : str, optional
        The file's text before normalisation; used to recognise a source the evidence
        base has curated records of (by SHA-256) and to map their spans.
    studies, sources : optional
        The evidence base (default: the embedded one).

    Returns
    -------
    AuditResult
        ``to_dict()`` gives ``{"source": Source, "claims": [Claim, ...]}`` plus the links.
    """
    if not source.text:
        raise InputError("the source has no text to audit", location=source.id)
    if studies is None or sources is None:
        from ldn_atlas.store.evidence_files import load_evidence, load_sources

        studies = load_evidence() if studies is None else studies
        sources = load_sources() if sources is None else sources
    by_id = {s.id: s for s in studies}
    curated = _curated_for(source, raw_text, sources)
    described = _described_studies(source, curated, raw_text, studies)
    text = source.text
    claims: list[Claim] = []
    links: dict[str, tuple[LinkedStudy, ...]] = {}
    prev_para = -1
    prev_links: list[_Described] = []
    fb_para = -1
    fb_prev: list[Study] = []
    syn_cache: dict[str, Any] = {}
    para_links: dict[int, list[_Described]] = {}
    section: str | None = None
    heading_re = re.compile(r"^[^\n.!?]{3,80}\??$", re.M)
    headings = [(m.start(), m.group(0)) for m in heading_re.finditer(text)]
    doc_topic = _document_topic(text) if not described else None
    # a trial abstract audited on its own: its conclusion is read against its results
    parts = abstract_parts(text)
    if (
        parts is not None
        and source.kind not in ("abstract", "pubmed")
        and not (_RESULTS_HEAD.search(text[: parts[0]]) and _CONCLUSION_HEAD.search(text))
    ):
        parts = None  # an article with a concluding phrase is not a trial abstract
    for n, sent in enumerate(sentences(text), start=1):
        section = next((h for pos, h in reversed(headings) if pos < sent.start), None)
        here = [
            d
            for d in described
            if any(a < sent.end and b > sent.start for a, b, path in d.spans if path not in _WEAK_LINK_FIELDS)
        ]
        if not here and sent.paragraph == prev_para:
            here = prev_links
        elif not here and _ANAPHORA.match(sent.text):
            here = list(para_links.get(prev_para, []))  # "Such conclusions": everything the last paragraph reported
        prev_para, prev_links = sent.paragraph, here
        para_links.setdefault(sent.paragraph, [])
        para_links[sent.paragraph].extend(d for d in here if d not in para_links[sent.paragraph])
        primaries: list[Study] = []
        for d in here:
            p = _resolve(d.study, by_id)
            if p is not None and p not in primaries:
                primaries.append(p)
        if not here and not described:
            primaries = _fallback_links(sent.text, section or doc_topic, studies)
            if (
                sent.paragraph == fb_para
                and fb_prev
                and _BACKREF.search(sent.text)
                and not _names_condition(sent.text)
                and len(primaries) != 1
                and (not primaries or set(map(id, fb_prev)) & set(map(id, primaries)))
            ):
                primaries = list(fb_prev)  # "In that trial, ...": the study the previous sentence named
            if not primaries and sent.paragraph == fb_para and not _names_other_condition(sent.text, fb_prev):
                primaries = list(fb_prev)
            fb_para, fb_prev = sent.paragraph, list(primaries)
        own = [d.study for d in here]
        linked = []
        for d in here:
            p = _resolve(d.study, by_id)
            rec = p or d.study
            linked.append(
                LinkedStudy(
                    d.study.id,
                    p.id if p else None,
                    rec.label,
                    design_category(rec).label,
                    evidence_level(rec).level,
                    rec.species,
                )
            )
        for p in primaries:
            if not any(x.primary == p.id for x in linked):
                linked.append(
                    LinkedStudy(None, p.id, p.label, design_category(p).label, evidence_level(p).level, p.species)
                )
        species = {x.species for x in linked}
        kind = claim_kind(sent.text, species)
        strength = claim_strength(sent.text)
        confirmed, unconfirmed = _field_verification(here, sent.start, sent.end)
        nums = claim_numbers(sent.text)
        cert = _claim_certainty(sent.text, primaries, studies, syn_cache) if primaries and not own else []
        verdict, reasons = judge(
            sent.text, kind, strength, linked, primaries, own, confirmed, unconfirmed, nums, certainty=cert
        )
        for d in here:
            if d.study.primary_source and _resolve(d.study, by_id) is None:
                reasons.append(
                    f"primary record {d.study.primary_source} is not in the evidence base; checked "
                    "against the article's own record and its verification levels"
                )
            elif not d.study.primary_source:
                reasons.append(f"{d.study.label}: no primary record identified")
        if verdict == "not-checkable" and not linked and _STUDIED.search(sent.text):
            studied = _studied_in_base(sent.text, studies)
            if studied:
                verdict, reasons = "supported", [studied]
        if verdict == "not-checkable" and any(x.species != "human" for x in linked):
            models = {_condition_key(p) for p in primaries} | {_condition_key(d.study) for d in here}
            same_model = [
                s
                for s in studies
                if s.species != "human"
                and s.primary_source is None
                and s not in primaries
                and _condition_key(s) in models
            ]
            seen = _primary_confirms(same_model, sent.text)
            if seen:
                for s in same_model:
                    if any(x.startswith(f"{s.label}:") for x in seen):
                        linked.append(
                            LinkedStudy(
                                None, s.id, s.label, design_category(s).label, evidence_level(s).level, s.species
                            )
                        )
                verdict = "supported-indirect"
                reasons = [
                    *reasons,
                    f"another primary record in the same animal model reports it ({'; '.join(seen)}): "
                    "indirect evidence for patients",
                ]
        if not described:
            about_base = _evidence_base_claim(sent.text, section or doc_topic, studies)
            if about_base is not None:
                verdict, reasons = about_base
        if primaries and _TEMPORAL.search(sent.text):
            reasons.extend(_temporal_check(sent.text, primaries, studies))
        if verdict == "supported" and _CAVEAT.search(sent.text) and not linked:
            reasons.extend(_certainty_context(sent.text, studies, syn_cache))
        texts = [
            (
                f"{st.label}'s source {src.id}",
                _results_text(src.text or ""),
                st.comparator if st.comparator not in (None, "none") else "placebo",
            )
            for st, src in _source_texts(primaries, sources, source.id)
        ]
        if parts is not None and parts[0] <= sent.start < parts[2]:
            texts.insert(0, ("this abstract's results", text[: parts[0]], "placebo"))
        inferred = _inference_check(sent.text, kind, strength, verdict, primaries, texts)
        if inferred is not None:
            if inferred[0] != verdict:  # the earlier reasons argued for the old verdict: keep only the links
                reasons = [r for r in reasons if r.startswith("linked to")]
            verdict, reasons = inferred[0], [*reasons, *inferred[1]]
        cid = f"{source.id}#c{n}"
        ids = [x.primary or x.described for x in linked if (x.primary or x.described)]
        claims.append(
            Claim(
                id=cid,
                text=sent.text,
                span=Span(source=source.id, start=sent.start, end=sent.end),
                kind=kind,
                strength=strength,
                studies=list(dict.fromkeys(i for i in ids if i)),
                verdict=verdict,
                reasons=_dedupe(reasons),
            )
        )
        links[cid] = tuple(linked)
    return AuditResult(source=source, claims=tuple(claims), links=links, matched_curated=curated is not None)


#: A sentence that points back to the study the previous sentence described.
_BACKREF = re.compile(
    r"\b(?:that|this|the same|the)\s+(?:\w+\s+)?(?:trial|study|pilot|review|report|cohort|analysis)\b|"
    r"^(?:It|They)\s+(?:found|showed|reported|also)\b|\b(?:one|both|neither|each) of (?:them|the(?:se|m)?)\b|"
    r"\balso\b",
    re.I,
)


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


def _evidence_base_claim(text: str, context: str | None, studies: Sequence[Study]) -> tuple[Verdict, list[str]] | None:
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


def _names_condition(text: str) -> bool:
    try:
        from ldn_atlas.vocabulary import load_vocabulary

        return bool(load_vocabulary().mentions(text))
    except Exception:  # pragma: no cover
        return False


def _document_topic(text: str) -> str | None:
    """The label of the condition an article is mostly about (over half its condition mentions), if any.

    Used as the section of last resort when neither a sentence nor its heading names a condition.
    """
    try:
        from ldn_atlas.vocabulary import load_vocabulary

        vocab = load_vocabulary()
        mentions = vocab.mentions(text[: _body_end(text)])
    except Exception:  # pragma: no cover
        return None
    counts: dict[str, int] = {}
    labels: dict[str, str] = {}
    for e, _, _ in mentions:
        key = e.maps_to or e.id
        counts[key] = counts.get(key, 0) + 1
        labels.setdefault(key, e.label)
    if not counts:
        return None
    key, n = max(counts.items(), key=lambda kv: kv[1])
    if n * 2 <= sum(counts.values()):
        return None
    return labels[key]


def _names_other_condition(text: str, studies: Sequence[Study]) -> bool:
    """True when the sentence names a condition none of the studies is about."""
    try:
        from ldn_atlas.vocabulary import load_vocabulary

        vocab = load_vocabulary()
        named = {e.maps_to or e.id for e, _, _ in vocab.mentions(text)}
    except Exception:  # pragma: no cover
        return False
    if not named:
        return False
    keys = set()
    for s in studies:
        e = vocab.by_code(s.condition.code) if s.condition.code else vocab.lookup(s.condition.label)
        if e is not None:
            keys.add(e.maps_to or e.id)
    return not (named & keys)


#: A sentence that refers back to what the previous one reported ("Such conclusions ...", "These findings ...").
_ANAPHORA = re.compile(
    r"(?:such|these|those|this|that)\s+(?:\w+\s+)?(?:conclusions?|findings?|results?|data|"
    r"observations?|evidence|studies|experiments)\b",
    re.I,
)
_TEMPORAL = re.compile(r"\b(most recent|latest|newest|first|opening|earliest)\b", re.I)


def _condition_key(study: Study) -> str | None:
    try:
        from ldn_atlas.vocabulary import load_vocabulary

        vocab = load_vocabulary()
    except Exception:  # pragma: no cover
        return None
    e = vocab.by_code(study.condition.code) if study.condition.code else vocab.lookup(study.condition.label)
    return (e.maps_to or e.id) if e is not None else None


def _temporal_check(text: str, primaries: Sequence[Study], studies: Sequence[Study]) -> list[str]:
    """'The most recent / first study of X': compare the linked study's year with the base's other human studies."""
    years = [p.citation.year for p in primaries if p.citation and p.citation.year]
    if not years:
        return []
    keys = {_condition_key(p) for p in primaries}
    others = [
        s
        for s in studies
        if s.species == "human"
        and s.primary_source is None
        and s not in primaries
        and s.citation
        and s.citation.year
        and _condition_key(s) in keys
    ]
    recent = bool(re.search(r"most recent|latest|newest", text, re.I))
    if recent:
        later = sorted(
            (s for s in others if s.citation and s.citation.year and s.citation.year > max(years)),
            key=lambda s: s.citation.year if s.citation and s.citation.year else 0,
        )
        if later:
            listed = ", ".join(f"{s.label.split(':')[0]} ({s.citation.year if s.citation else ''})" for s in later[:4])
            return [
                f"not the most recent study today: the evidence base has later ones ({listed}); the statement "
                "may have been true when the article was written"
            ]
        return [f"the linked study ({max(years)}) is the most recent of its condition in the evidence base"]
    earlier = [s for s in others if s.citation and s.citation.year and s.citation.year < min(years)]
    if earlier:
        listed = ", ".join(f"{s.label.split(':')[0]} ({s.citation.year if s.citation else ''})" for s in earlier[:4])
        return [f"earlier studies of the condition exist in the evidence base ({listed})"]
    return [f"the linked study ({min(years)}) is the earliest of its condition in the evidence base"]


_STUDIED = re.compile(r"\b(?:been|was|were|is being)\s+(?:studied|investigated|evaluated|tested|examined)\b", re.I)


def _studied_in_base(text: str, studies: Sequence[Study]) -> str | None:
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


def _certainty_context(text: str, studies: Sequence[Study], cache: dict[str, Any] | None = None) -> list[str]:
    """For a call for research about a condition: the certainty of the syntheses of that condition."""
    try:
        from ldn_atlas.appraise.synthesis import synthesise
        from ldn_atlas.vocabulary import load_vocabulary

        mentions = load_vocabulary().mentions(text)
        if not mentions:
            return []
        entry = mentions[0][0]
        cache = {} if cache is None else cache
        if "report" not in cache:
            cache["report"] = synthesise(studies)
        report = cache["report"]
    except Exception:  # the context is a courtesy: an audit never fails for it
        return []
    out = []
    ordered = sorted(report.syntheses, key=lambda x: (x.kind != "meta-analysis", "responders" in x.id, -len(x.rows)))
    for syn in ordered:
        if (
            syn.condition_code
            and entry.code
            and syn.condition_code.rstrip("-") == entry.code.rstrip("-")
            and syn.appraisal is not None
            and syn.kind in ("meta-analysis", "narrative", "single-study")
        ):
            out.append(
                f"{syn.condition}, {syn.outcome_label.lower()}: {len(syn.rows)} randomized "
                f"{'trial' if len(syn.rows) == 1 else 'trials'}, certainty "
                f"{syn.appraisal.certainty.replace('-', ' ')} (GRADE)"
            )
    return [f"the evidence base agrees that more research is needed: {'; '.join(out[:4])}"] if out else []


def _claim_certainty(
    text: str, primaries: Sequence[Study], studies: Sequence[Study], cache: dict[str, Any]
) -> list[tuple[str, str]]:
    """(synthesis label, GRADE certainty) for the linked records' condition and the claim's outcome domain.

    All syntheses of the condition (bar adverse events and surrogate biomarkers) when the claim
    names no outcome the syntheses cover.
    """
    codes = {(s.condition.code or "").rstrip("-") for s in primaries if s.species == "human" and s.condition.code}
    if not codes:
        return []
    try:
        from ldn_atlas.appraise.synthesis import synthesise

        if "report" not in cache:
            cache["report"] = synthesise(studies)
        report = cache["report"]
    except Exception:  # the certainty is context: an audit never fails for it
        return []
    pool = [
        x
        for x in report.syntheses
        if x.appraisal is not None
        and (x.condition_code or "").rstrip("-") in codes
        and ":adverse" not in x.id
        and "responders" not in x.id
        and x.outcome not in ("biomarkers", "safety")
    ]
    dom = outcome_domain(text).id
    named = [x for x in pool if x.outcome == dom]
    return [(f"{x.condition}, {x.outcome_label.lower()}", x.certainty or "") for x in (named or pool)]


def _dedupe(items: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def audit_file(
    path: str | Path, *, studies: Sequence[Study] | None = None, sources: Sequence[Source] | None = None
) -> AuditResult:
    """Read a file with :func:`ldn_atlas.sources.read_source` and audit its claims."""
    from ldn_atlas.sources import read_source

    p = Path(path)
    source = read_source(p)
    raw: str | None
    try:
        raw = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raw = None
    return audit_source(source, raw_text=raw, studies=studies, sources=sources)


__all__ = [
    "AuditResult",
    "LinkedStudy",
    "abstract_parts",
    "audit_file",
    "audit_source",
    "check_numbers",
    "claim_kind",
    "claim_numbers",
    "claim_strength",
    "judge",
    "render_audit_html",
    "sentences",
    "study_facts",
]


_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Audit: {{ title }}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;line-height:1.45}
table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.4rem;vertical-align:top;text-align:left}
.v{font-weight:600;white-space:nowrap}.supported{color:#1b5e20}.supported-weak,.supported-indirect{color:#33691e}
.overstated{color:#e65100}.unsupported,.contradicted,.factual-error{color:#b71c1c}.not-checkable{color:#555}
small{color:#555}
</style></head><body>
<h1>Claim audit: {{ title }}</h1>
<p><small>Source {{ source.id }}{% if source.sha256 %}, sha256 {{ source.sha256[:12] }}&hellip;{% endif %}.
{{ claims|length }} claims:
{% for k, n in counts.items() %}{{ n }} {{ k }}{% if not loop.last %}, {% endif %}{% endfor %}.</small></p>
<table><thead><tr><th>#</th><th>Claim</th><th>Verdict</th><th>Why</th></tr></thead><tbody>
{% for c in claims %}<tr id="{{ c.id | replace('#', '-') }}"><td>{{ loop.index }}</td>
<td>{{ c.text }}<br><small>{{ c.kind }}, {{ c.strength }}
{%- if c.studies %}; studies: {{ c.studies | join(', ') }}{% endif %}</small></td>
<td class="v {{ c.verdict }}">{{ c.verdict }}</td>
<td><ul>{% for r in c.reasons %}<li>{{ r }}</li>{% endfor %}</ul></td></tr>
{% endfor %}</tbody></table></body></html>
"""


def render_audit_html(result: AuditResult) -> str:
    """A self-contained HTML page of an audit (no external assets)."""
    from jinja2 import Environment

    env = Environment(autoescape=True)
    return env.from_string(_HTML).render(
        title=result.source.title or result.source.id,
        source=result.source,
        claims=result.claims,
        counts=result.counts(),
    )
