"""Engineered features for evidence inference: sentence ranking and effect classification.

Two feature maps, both pure functions of the text:

* :func:`ranking_features` scores every sentence of an abstract against a prompt (intervention,
  comparator, outcome): IDF-weighted stem overlap, character 4-gram containment, stem-bigram
  matches, abbreviation expansion (``forced expiratory volume (FEV1)``), relative-to-best scores,
  section and position priors, and the presence of p-values, confidence intervals and
  significance or direction words.
* :func:`label_features` reads one sentence: parsed p-values (``p<0.05``, ``P = .03``,
  ``p=NS``), confidence intervals that include or exclude the null (1 for ratios, 0 for
  differences), significance and negation cues, comparative words resolved against which arm the
  sentence makes the reference (``X was lower in the placebo group than in the LDN group``),
  paired numbers (``5.7 ± 2.4 versus 8.4 ± 3.6``), and hashed-free bag-of-stems features taken
  from a vocabulary learned on the training split.

All regular expressions are linear-time (no nested quantifiers over overlapping classes).

References
----------
.. [1] Lehman, E., DeYoung, J., Barzilay, R., & Wallace, B. C. (2019). Inferring which medical
   treatments work from reports of clinical trials. *NAACL-HLT 2019*, 3705-3717.
.. [2] DeYoung, J., Lehman, E., Nye, B., Marshall, I. J., & Wallace, B. C. (2020). Evidence
   Inference 2.0: More data, better models. *BioNLP 2020*, 123-132.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from ldn_atlas.extract.inference_text import (
    STOPWORDS,
    AbstractDoc,
    Sentence,
    char_ngrams,
    content_stems,
    parse_abstract,
    stem,
    words,
)

__all__ = [
    "LABELS",
    "RANK_FEATURES",
    "PreparedAbstract",
    "PreparedPrompt",
    "label_feature_dict",
    "prepare_abstract",
    "prepare_prompt",
    "ranking_features",
]

LABELS = ("significantly increased", "significantly decreased", "no significant difference")

# ----------------------------------------------------------------------------- lexicons
_UP = frozenset(
    stem(w)
    for w in words("""
    increase increased increases increasing higher high greater more
    elevated elevation raise raised rise rose risen enhanced enhance enhances
    enhancement larger longer prolonged gain gains gained boosted augmented
    accelerated exceeded maximal doubled tripled faster stronger
    """)
)
_DOWN = frozenset(
    stem(w)
    for w in words("""
    decrease decreased decreases decreasing lower low less fewer reduce reduced reduces reducing
    reduction reductions decline declined declines drop dropped fall fell fallen diminished diminish
    attenuated attenuate attenuation suppressed suppression shorter smaller lowered
    lowering prevented prevents inhibited inhibition slower weaker halved cut shortened lessened
    lesser earlier sooner
    """)
)
_GOOD = frozenset(
    stem(w)
    for w in words("""
    improve improved improves improvement improvements improving better superior benefit benefits beneficial
    favour favor favoured favored favourable favorable effective efficacious advantage advantageous
    """)
)
_BAD = frozenset(stem(w) for w in words("worse worsened worsening inferior poorer deteriorated deterioration"))
_BAD_OUTCOME = frozenset(
    stem(w)
    for w in words("""
    pain mortality death deaths died risk incidence adverse side symptom symptoms nausea vomiting complication
    complications infection infections failure loss relapse recurrence fatigue anxiety depression disability
    severity stress inflammation edema oedema swelling bleeding haemorrhage hemorrhage toxicity events error
    errors damage injury dropout withdrawal hospitalization hospitalisation readmission lesion fracture
    exacerbation attack attacks seizure seizures itch pruritus discomfort distress morbidity stay duration
    length delirium agitation insomnia cost costs consumption requirement requirements dyspnea cough
    negative tension anger hostility confusion dependence handicap arrhythmia arrhythmias complaints
    weight bmi glucose cholesterol ldl triglyceride triglycerides hba1c crp pressure
    """)
)
_MODIFIERS = frozenset(stem(w) for w in words("greater more larger higher less smaller lower fewer"))
_NEG_CUES = re.compile(
    r"\b(?:no(?:t)?\s+(?:statistically\s+)?significant(?:ly)?|non-?\s?significant(?:ly)?|insignificant(?:ly)?|"
    r"(?:did|does|do|was|were|is|are)\s+not\s+(?:\w+\s+){0,2}?(?:differ|reach|show|change|affect|alter|"
    r"improve|increase|decrease|reduce|influence|significant|statistically)|"
    r"no\s+(?:\w+\s+){0,2}?(?:difference|differences|effect|effects|change|changes|impact|association|"
    r"improvement|benefit|advantage|reduction|increase)|"
    r"similar|comparable|unchanged|unaffected|failed\s+to|not\s+differ|neither|nor\b|"
    r"did\s+not|n\.?s\.?\b|equivalent|non-?inferior|same)",
    re.IGNORECASE,
)
_BETWEEN_NS = re.compile(
    r"\b(?:no|not|without|nor|similar|comparable)\s+(?:\w+[\s-]+){0,4}?(?:differen\w*|changes?)\s+"
    r"(?:\w+\s+){0,3}?(?:between|among|across|in\s+either)|\b(?:similar|comparable)\s+(?:\w+\s+){0,3}?"
    r"(?:between|among|across|in\s+(?:both|all|the\s+two))|"
    r"(?:between|among)[\s-]+(?:the\s+)?(?:two\s+|three\s+)?(?:\w+\s+)?(?:groups?|arms?|treatments?)\s+"
    r"(?:\w+\s+){0,3}?(?:was|were)\s+not|"
    r"\b(?:inter-?group|between-group)\s+(?:\w+\s+){0,2}?(?:failed|was\s+not|were\s+not|did\s+not)",
    re.IGNORECASE,
)
_BETWEEN_SIG = re.compile(
    r"\bbetween[\s-]+(?:the\s+)?(?:two\s+)?groups?\s+(?:\w+\s+){0,3}?(?:was|were)\s+(?:statistically\s+)?"
    r"significant|\bsignificant(?:ly)?\s+(?:\w+\s+){0,3}?between\s+(?:the\s+)?(?:two\s+)?groups",
    re.IGNORECASE,
)
_WITHIN = re.compile(
    r"\b(?:from\s+(?:the\s+)?(?:baseline|pre|before)|compared\s+(?:with|to)\s+(?:the\s+)?baseline|"
    r"(?:in|for)\s+both\s+(?:the\s+)?(?:groups|arms)|within\s+(?:each|both|the)\s+groups?|"
    r"in\s+all\s+(?:the\s+)?(?:three\s+|four\s+)?groups|vs\.?\s+baseline)",
    re.IGNORECASE,
)
_BEFORE_TREATMENT = re.compile(
    r"\b(?:before|prior\s+to)\s+(?:the\s+)?(?:intervention|treatment|randomi[sz]ation|surgery|therapy)\b|"
    r"\bat\s+(?:study\s+)?(?:entry|enrolment|enrollment|inclusion)\b",
    re.IGNORECASE,
)
_BETWEEN_WORDS = re.compile(
    r"\b(?:than|versus|vs\.?|between|relative\s+to|compared\s+(?:with|to)\s+(?!(?:the\s+)?baseline)|"
    r"in\s+comparison\s+(?:with|to)\s+(?!(?:the\s+)?baseline))",
    re.IGNORECASE,
)
_SIG_CUE = re.compile(r"\bsignifican(?:t|tly|ce)\b", re.IGNORECASE)
# A difference short of significance: "showed a trend (p = 0.07)", "tended to fall", "borderline".
_TREND = re.compile(
    r"\b(?:trend(?:s|ed)?|tend(?:ed|ency|s)?|borderline|marginal(?:ly)?)\b|"
    r"\bapproach(?:ed|ing|es)?\s+(?:statistical\s+)?significance|"
    r"\bfail(?:ed|s)?\s+to\s+(?:reach|achieve|attain|show)|\bdid\s+not\s+(?:quite\s+)?reach",
    re.IGNORECASE,
)
_WITHIN_SIG_KEYS = ("p_sig", "p_all_sig", "p_near_sig", "p_mixed", "c_p_sig", "c_clean_sig", "s_sig_pos",
                    "w_sig_pos", "c_sig_pos", "sig_total", "sig_x_up", "sig_x_down", "sig_x_num_up",
                    "sig_x_num_down", "log_pmin")
_SIG_NEGATED = re.compile(
    r"\b(?:not|no|non-?|in|nor|without|lack\s+of|absence\s+of)\s*(?:statistically\s+|clinically\s+)?"
    r"significan",
    re.IGNORECASE,
)

_P_VALUE = re.compile(
    r"(?<![A-Za-z])[pP]\s{0,2}(?:-?\s{0,2}values?\s{0,2})?(?:[(\[]\w{1,6}[)\]]\s{0,2})?"
    r"(<=|>=|≤|≥|<|>|=|:|less\s+than|greater\s+than|of)\s{0,2}(\d(?:\.\d{1,8})?\s?[x×]\s?10\s?[-−–]\s?\d{1,3}|0?\.\d{1,8}|0/\d{1,8}|1(?:\.0+)?|NS\b)",
)
# Further values of a p-value list: "p = 0.01, 0.20 and 0.03", "P = 0.009 and 0.002".
_P_TAIL = re.compile(r"\s{0,2}(?:,\s{0,2}(?:and\s{1,2})?|and\s{1,2})(?:[pP]\s{0,2}(<=|>=|≤|≥|<|>|=)\s{0,2})?"
                     r"(0?\.\d{1,8}|1\.0+)(?![\d.]|\s?%)")
_RESPECTIVELY = re.compile(r"^[\s)\]]{0,3}[,;]?\s{0,2}(?:all\s{1,2})?respectively", re.IGNORECASE)
_LIST_SEP = re.compile(r",\s{0,2}(?:and\s{1,2}|or\s{1,2})?|\s(?:and|or)\s")
_P_NS = re.compile(r"(?<![A-Za-z])(?:[pP]\s{0,2}=?\s{0,2})?(?:NS|n\.s\.)(?![A-Za-z])")
_CI = re.compile(
    r"(?:\bCI\b|confidence\s+intervals?|credible\s+intervals?)(?:\s{0,3}[(\[]CI[)\]])?"
    # "CI 95% -2.1 to -0.2": the level after the label is not the lower bound.
    r"(?:\s{0,2}9[059](?:\.\d)?\s?%)?[\s:,=\[(]{0,6}"
    # "(95% CI) = 2.17 [1.55-3.05]": the point estimate between the label and the interval.
    r"(?:[)\]]\s{0,2}[:=]?\s{0,2}[\-−–]?\d+(?:\.\d+)?\s{0,3}[(\[]\s{0,2})?"
    r"([\-−–]?\s?\d+(?:\.\d+)?)\s{0,3}%?\s{0,3}(?:to|-|–|—|,|;|−|and)\s{0,3}([\-−–]?\s?\d+(?:\.\d+)?)",
    re.IGNORECASE,
)
_RATIO_WORDS = re.compile(
    r"\b(?:OR|RR|HR|IRR|aOR|aHR|aRR|odds|hazard|ratio|relative\s+risk|risk\s+ratio|rate\s+ratio)\b",
)
_DIFF_WORDS = re.compile(r"\b(?:difference|MD|WMD|SMD|RD|ARR|change|mean\s+diff)\b", re.IGNORECASE)
_MAGNITUDE_DOWN = re.compile(
    r"\b(?:reduc(?:ed|es|ing|tions?)|lower(?:ed)?|decreas(?:ed|es|ing|e)|declined?|fewer|less|shorter|smaller|"
    r"drop(?:ped)?|fell|saving|savings)\b", re.IGNORECASE)
_VERSUS = re.compile(r"\b(?:vs|versus|compared|than)\b")
_HAZARD = re.compile(r"\b(?:[Hh]azard|a?HR)\b")
_SURVIVAL = frozenset(("survival", "surviv", "free", "progression-free", "disease-free", "event-free", "time"))
_GENERIC_CONTROL = frozenset(stem(w) for w in words("placebo control controls sham usual standard conventional"))
_GENERIC_ACTIVE = frozenset(stem(w) for w in words("intervention experimental active"))
_ABBR_DEF = re.compile(r"\(([A-Za-z][A-Za-z0-9\-/]{1,11})[);,]")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:['’-][A-Za-z0-9]+)*|\d+(?:\.\d+)?")
_TOKEN_POS = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:['’-][A-Za-z0-9]+)*|\d+(?:\.\d+)?|[<>=≤≥;]")

SECTIONS = ("title", "background", "methods", "results", "conclusions", "other")

RANK_FEATURES = (
    "out_idf", "out_frac", "out_ngram", "out_bigram", "out_idf_rel", "out_ngram_rel", "out_is_best",
    "out_all", "int_idf", "int_ngram", "cmp_idf", "arm_any", "has_p", "has_ci", "has_sig", "has_neg",
    "has_dir", "has_num", "log_len", *(f"sec_{s}" for s in SECTIONS), "pos", "pos_in_results",
    "out_idf_x_results", "out_idf_x_p", "out_ngram_x_dir", "first_sentence_best", "combo_rel",
    "out_early", "out_compact", "generic_control", "ngram_is_best", "baseline", "between_groups",
    "out_alias", "within_group",
)
_WITHIN_GROUP = re.compile(
    r"\b(?:in\s+(?:both|each|all)\s+(?:the\s+)?(?:\w+\s+)?(?:groups?|arms?)|within[\s-](?:each\s+)?(?:groups?|arms?)|"
    r"intra-?group|from\s+baseline\s+in\s+(?:both|each|all))",
    re.IGNORECASE,
)


# ----------------------------------------------------------------------------- preparation
@dataclass(frozen=True, slots=True)
class SentenceInfo:
    """Per-sentence data that does not depend on the prompt."""

    sentence: Sentence
    stems: tuple[str, ...]
    stem_set: frozenset[str]
    bigrams: frozenset[tuple[str, str]]
    ngrams: frozenset[str]
    has_p: bool
    has_ci: bool
    has_sig: bool
    has_neg: bool
    has_dir: bool
    has_num: bool
    baseline: bool


@dataclass(frozen=True, slots=True)
class PreparedAbstract:
    """A parsed abstract with per-sentence token data, IDF weights and abbreviation map."""

    doc: AbstractDoc
    infos: tuple[SentenceInfo, ...]
    idf: dict[str, float]
    default_idf: float
    abbreviations: dict[str, frozenset[str]]  # abbreviation stem -> long-form stems
    n_results: int
    first_results: int
    # Arm label ("a" for "group A", "2" for "Group 2") -> stems of the words defining it in the
    # abstract ("Group 2 underwent open surgery", "open surgery (group 2)").
    group_defs: dict[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PreparedPrompt:
    """Stems of the prompt's outcome, intervention and comparator (abbreviations expanded)."""

    outcome: tuple[str, ...]
    outcome_bigrams: frozenset[tuple[str, str]]
    outcome_ngrams: frozenset[str]
    intervention: frozenset[str]
    comparator: frozenset[str]
    intervention_ngrams: frozenset[str]
    extra: dict[str, float] = field(default_factory=dict)
    # Stems that name each arm in a sentence (doses, units, schedules and negated comparators
    # such as "no supplementation" left out); empty means "use intervention / comparator".
    arm_intervention: frozenset[str] = frozenset()
    arm_comparator: frozenset[str] = frozenset()
    # Outcome stem -> abbreviations standing for it, and outcome abbreviation -> its long form: a sentence
    # using "LVEF" names "left ventricular ejection fraction (LVEF)" in full.
    outcome_alias: dict[str, frozenset[str]] = field(default_factory=dict)
    outcome_long: dict[str, frozenset[str]] = field(default_factory=dict)


def _stems_of(text: str) -> list[str]:
    return content_stems(text)


def _abbreviation_map(text: str) -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for m in _ABBR_DEF.finditer(text):
        abbr = m.group(1)
        if not any(c.isupper() for c in abbr) or abbr.lower() in STOPWORDS:
            continue
        letters = sum(1 for c in abbr if c.isalpha())
        before = text[max(0, m.start() - 120) : m.start()]
        words = _WORD.findall(before)[-(letters + 3) :]
        if not words:
            continue
        initials = {w[0].lower() for w in words}
        first = abbr[0].lower()
        # Keep the long form from the last word starting with the abbreviation's first letter.
        idx = max((i for i, w in enumerate(words) if w[0].lower() == first), default=-1)
        if idx < 0 or first not in initials:
            continue
        long_form = [stem(w.lower()) for w in words[idx:] if w.lower() not in STOPWORDS]
        if long_form:
            out[stem(abbr.lower())] = frozenset(long_form)
    return out


def _sentence_info(s: Sentence) -> SentenceInfo:
    text = _decimal_points(s.text)
    stems = tuple(_stems_of(text))
    all_stems = [stem(t.lower()) for t in _WORD.findall(text)]
    has_dir = any(t in _UP or t in _DOWN or t in _GOOD or t in _BAD for t in all_stems)
    return SentenceInfo(
        sentence=s,
        stems=stems,
        stem_set=frozenset(stems),
        bigrams=frozenset(pairwise(stems)),
        ngrams=frozenset(char_ngrams(text)),
        has_p=_P_VALUE.search(text) is not None or _P_NS.search(text) is not None,
        has_ci=_CI.search(text) is not None,
        has_sig=_SIG_CUE.search(text) is not None,
        has_neg=_NEG_CUES.search(text) is not None,
        has_dir=has_dir,
        has_num=any(c.isdigit() for c in text),
        baseline="baselin" in stems or _BEFORE_TREATMENT.search(text) is not None,
    )


_GROUP_DEF_AFTER = re.compile(r"\b[Gg]roup\s+([A-Z0-9]{1,2})\b\s{0,2}(?:\(|:|,|received|receiv|underwent|was|were|"
                              r"had|took|treated|given|consist)(?=([^.;()]{0,80}))")
_GROUP_DEF_END = re.compile(r"\b(?:[Gg]roups?|and|while|whereas|vs|versus|compared|than)\b")
_GROUP_DEF_BEFORE = re.compile(r"[(\[]\s{0,2}[Gg]roup\s+([A-Z0-9]{1,2})\s{0,2}[)\],;]")
_DEF_BREAK = re.compile(r"[.;()]")


def _group_definitions(text: str) -> dict[str, frozenset[str]]:
    """Words defining arm labels: "Group 1 received LDN", "placebo (group B)", "Group A (control)"."""
    defs: dict[str, set[str]] = {}
    for m in _GROUP_DEF_AFTER.finditer(text):
        tail = _GROUP_DEF_END.split(m.group(2), maxsplit=1)[0]
        words_ = [t for t in _stems_of(tail)[:8] if t not in _ARM_STOP]
        defs.setdefault(m.group(1).lower(), set()).update(words_)
    for m in _GROUP_DEF_BEFORE.finditer(text):
        # the words just before the bracket, back to the clause's start (at most 60 characters)
        before = _DEF_BREAK.split(text[max(0, m.start() - 60):m.start()])[-1]
        words_ = [t for t in _stems_of(before)[-6:] if t not in _ARM_STOP]
        defs.setdefault(m.group(1).lower(), set()).update(words_)
    return {k: frozenset(v) for k, v in defs.items() if v}


@lru_cache(maxsize=256)
def prepare_abstract(text: str) -> PreparedAbstract:
    """Parse an abstract and precompute what ranking needs (cached per text)."""
    doc = parse_abstract(text)
    infos = tuple(_sentence_info(s) for s in doc.sentences)
    n = max(1, len(infos))
    df: dict[str, int] = {}
    for info in infos:
        for t in info.stem_set:
            df[t] = df.get(t, 0) + 1
    idf = {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}
    results = [i for i, info in enumerate(infos) if info.sentence.section == "results"]
    return PreparedAbstract(
        doc=doc,
        infos=infos,
        idf=idf,
        default_idf=math.log((n + 1) / 0.5),
        abbreviations=_abbreviation_map(text),
        n_results=len(results),
        first_results=results[0] if results else -1,
        group_defs=_group_definitions(text),
    )


def _expand(stems: list[str], abbreviations: dict[str, frozenset[str]]) -> list[str]:
    """Add abbreviations whose long form is covered by ``stems`` and long forms of abbreviations used."""
    present = set(stems)
    extra: list[str] = []
    for abbr, long_form in abbreviations.items():
        if abbr in present:
            extra.extend(w for w in long_form if w not in present)
        elif len(long_form) >= 1 and long_form <= present:
            extra.append(abbr)
    return stems + extra


_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?")
# The Lancet's decimal point, a raised dot ("p=0·22", "95% CI 0·89–1·03"): read as "." (same length).
_RAISED_DECIMAL = re.compile(r"(?<=\d)[·∙⋅](?=\d)")


def _decimal_points(text: str) -> str:
    """``text`` with raised decimal dots between digits written as ``.`` (offsets unchanged)."""
    return _RAISED_DECIMAL.sub(".", text) if "·" in text or "∙" in text or "⋅" in text else text


def _unescaped(text: str) -> str:
    """``text`` with HTML character references decoded, also when escaped twice (``&amp;lt;``)."""
    for _ in range(3):
        if "&" not in text:
            break
        plain = html.unescape(text)
        if plain == text:
            break
        text = plain
    return text


def prepare_prompt(pa: PreparedAbstract, intervention: str, comparator: str, outcome: str) -> PreparedPrompt:
    """Stem the prompt and expand abbreviations with the abstract's definitions.

    Prompt fields copied from web pages may carry HTML character references ("800&nbsp;IU",
    "&lt; 85 mg/dL"); they are decoded first so that "nbsp" or "lt" never become arm or outcome words.
    """
    intervention, comparator, outcome = _unescaped(intervention), _unescaped(comparator), _unescaped(outcome)
    out = _expand(_stems_of(outcome), pa.abbreviations)
    # Deduplicate, keep order.
    out_u = list(dict.fromkeys(out))
    inter = set(_expand(_stems_of(intervention), pa.abbreviations)) | group_labels(intervention)
    comp = set(_expand(_stems_of(comparator), pa.abbreviations)) | group_labels(comparator)
    only_int = frozenset(inter - comp) or frozenset(inter)
    only_cmp = frozenset(comp - inter) or frozenset(comp)
    o_stems = _stems_of(outcome)
    # Arm words for resolving comparisons: no dose units or schedule words ("mg/day" must not make
    # "days" an intervention mention), and a comparator that is the absence of the intervention
    # ("no supplementation", "without tourniquet") names nothing of its own.
    arm_i = {t for t in inter if t not in _ARM_STOP}
    arm_c = set() if _NEGATED_ARM.match(comparator) else {t for t in comp if t not in _ARM_STOP}
    if arm_i and arm_i == arm_c:
        # "1500 mg calcium" vs "500 mg calcium": the arms differ only in their doses.
        num_i = set(_NUMBER.findall(intervention))
        num_c = set(_NUMBER.findall(comparator))
        arm_i, arm_c = (num_i - num_c, num_c - num_i) if num_i - num_c and num_c - num_i else ({"\0none"},) * 2
    arm_int = frozenset(arm_i - arm_c) or frozenset(arm_i) or only_int
    arm_cmp = frozenset(arm_c - arm_i) or (frozenset(arm_c) if arm_c else frozenset({"\0none"}))
    # Arm labels the prompt does not use ("Group 2" for "open surgery"): the arm whose words
    # define the label in the abstract.
    extra_i: set[str] = set()
    extra_c: set[str] = set()
    for label, def_words in pa.group_defs.items():
        key = "grp:" + label
        if key in inter or key in comp:
            continue
        n_i, n_c = len(def_words & arm_int), len(def_words & arm_cmp)
        if n_i > n_c:
            extra_i.add(key)
        elif n_c > n_i:
            extra_c.add(key)
    if extra_i or extra_c:
        arm_int = arm_int | extra_i
        arm_cmp = (arm_cmp - {"\0none"}) | extra_c if extra_c else arm_cmp
    abbreviations = {**pa.abbreviations, **_abbreviation_map(outcome)}
    out_set = set(out_u)
    alias: dict[str, set[str]] = {}
    long: dict[str, frozenset[str]] = {}
    for abbr, long_form in abbreviations.items():
        if abbr in out_set and long_form & out_set:
            long[abbr] = long_form
            for w in long_form & out_set:
                alias.setdefault(w, set()).add(abbr)
    return PreparedPrompt(
        outcome=tuple(out_u),
        outcome_alias={k: frozenset(v) for k, v in alias.items()},
        outcome_long=long,
        outcome_bigrams=frozenset(pairwise(o_stems)),
        outcome_ngrams=frozenset(char_ngrams(outcome)),
        intervention=only_int,
        comparator=only_cmp,
        intervention_ngrams=frozenset(char_ngrams(intervention)),
        arm_intervention=arm_int,
        arm_comparator=arm_cmp,
    )


# ----------------------------------------------------------------------------- ranking
def ranking_features(pa: PreparedAbstract, pp: PreparedPrompt) -> list[list[float]]:
    """One feature row per sentence of the abstract (order of :data:`RANK_FEATURES`)."""
    idf = pa.idf
    d_idf = pa.default_idf
    o_w = [idf.get(t, d_idf) for t in pp.outcome]
    o_tot = sum(o_w) or 1.0
    n_o = len(pp.outcome) or 1
    i_w_tot = sum(idf.get(t, d_idf) for t in pp.intervention) or 1.0
    c_w_tot = sum(idf.get(t, d_idf) for t in pp.comparator) or 1.0
    n_og = len(pp.outcome_ngrams) or 1
    n_ig = len(pp.intervention_ngrams) or 1
    n_ob = len(pp.outcome_bigrams)
    n = len(pa.infos)
    raw: list[tuple[float, float, float, float, float, float, float]] = []
    alias_cov: list[float] = []  # outcome coverage with abbreviations and long forms as the same words
    for info in pa.infos:
        ss = info.stem_set
        oi = sum(w for t, w in zip(pp.outcome, o_w, strict=True) if t in ss) / o_tot
        of = sum(1 for t in pp.outcome if t in ss) / n_o
        og = len(pp.outcome_ngrams & info.ngrams) / n_og
        ob = (len(pp.outcome_bigrams & info.bigrams) / n_ob) if n_ob else 0.0
        ii = sum(idf.get(t, d_idf) for t in pp.intervention if t in ss) / i_w_tot
        ig = len(pp.intervention_ngrams & info.ngrams) / n_ig
        ci = sum(idf.get(t, d_idf) for t in pp.comparator if t in ss) / c_w_tot
        raw.append((oi, of, og, ob, ii, ig, ci))
        alias_cov.append(sum(
            w for t, w in zip(pp.outcome, o_w, strict=True)
            if t in ss or (t in pp.outcome_alias and not pp.outcome_alias[t].isdisjoint(ss))
            or (t in pp.outcome_long and pp.outcome_long[t] <= ss)
        ) / o_tot)
    best_oi = max((r[0] for r in raw), default=0.0) or 1.0
    best_og = max((r[2] for r in raw), default=0.0) or 1.0
    combos = [r[0] + r[2] for r in raw]
    best_combo = max(combos, default=0.0) or 1.0
    first_best = next((i for i, c in enumerate(combos) if c >= best_combo - 1e-9), -1)
    rows: list[list[float]] = []
    for i, (info, r) in enumerate(zip(pa.infos, raw, strict=True)):
        oi, of, og, ob, ii, ig, ci = r
        sec = info.sentence.section
        in_res = sec == "results"
        pos = i / max(1, n - 1)
        pos_res = ((i - pa.first_results) / max(1, pa.n_results - 1)) if in_res and pa.first_results >= 0 else 0.0
        oset = set(pp.outcome)
        hits = [j for j, t in enumerate(info.stems) if t in oset]
        if hits:
            early = 1.0 - hits[0] / max(1, len(info.stems))
            compact = len({info.stems[j] for j in hits}) / (hits[-1] - hits[0] + 1)
        else:
            early = compact = 0.0
        rows.append([
            oi, of, og, ob, oi / best_oi, og / best_og, float(oi >= best_oi - 1e-9),
            float(of >= 0.999), ii, ig, ci, float(ii > 0 or ci > 0),
            float(info.has_p), float(info.has_ci), float(info.has_sig), float(info.has_neg),
            float(info.has_dir), float(info.has_num), math.log1p(len(info.sentence.text)) / 5.0,
            *(float(sec == s) for s in SECTIONS), pos, pos_res,
            oi * in_res, oi * (info.has_p or info.has_ci), og * info.has_dir,
            float(i == first_best), combos[i] / best_combo,
            early, compact, float(any(t in _GENERIC_CONTROL for t in info.stem_set)),
            float(og >= best_og - 1e-9), float(info.baseline),
            float("between" in info.sentence.text.lower() or "both" in info.sentence.text.lower()),
            alias_cov[i], float(_WITHIN_GROUP.search(info.sentence.text) is not None),
        ])
    return rows


# ----------------------------------------------------------------------------- labels
def _parse_p(value: str, op: str) -> tuple[float, int]:
    """Return (p, relation) where relation is -1 for '<', 0 for '=', +1 for '>'."""
    op = op.lower()
    rel = -1 if op in ("<", "<=", "≤") or op.startswith("less") else (1 if op in (">", ">=", "≥") or
                                                                      op.startswith("greater") else 0)
    # "p = 0/03": a slash for the decimal point.
    v = value.strip().replace("/", ".")
    if v.upper() == "NS":
        return 1.0, 1
    m = re.match(r"(\d(?:\.\d+)?)\s?[x×]\s?10\s?[-−–]\s?(\d+)", v)
    if m:
        return float(m.group(1)) * 10.0 ** (-int(m.group(2))), rel
    try:
        return float(v), rel
    except ValueError:
        return 1.0, 0


def _significant(p: float, rel: int) -> bool:
    """Whether a parsed p-value (``rel``: -1 for ``<``, 0 for ``=``, +1 for ``>``) is below 0.05;
    ``p = 0.05`` and ``p < 0.05`` count as significant."""
    return p < 0.05 or (p <= 0.05 and rel <= 0)


_NEGATORS = frozenset(("not", "no", "nor", "without", "neither"))


def _negated_before(toks: Sequence[str], i: int) -> bool:
    """Whether one of the three tokens before ``toks[i]`` negates it ("did not increase", "no reduction")."""
    return any(t.lower() in _NEGATORS for t in toks[max(0, i - 3) : i])


def _num(s: str) -> float:
    return float(s.replace("−", "-").replace("–", "-").replace(" ", ""))


_GROUP_LABEL = re.compile(r"\b[Gg]roups?\s+([A-Z0-9]{1,2})\b|\b([A-Z0-9]{1,2})\s+[Gg]roups?\b")
# An outcome that is itself a duration ("fever clearance time", "length of stay"): "92 hours for
# A and 138 hours for B" reports its values, not time points.
_DURATION_OUTCOME = frozenset(stem(w) for w in words("time times duration stay length latency interval"))
_DURATION_UNITS = frozenset(stem(w) for w in words("day days hour hours minute minutes min"))
_TIME_PREPS = frozenset(("at", "by", "within", "until", "over", "during", "on", "in", "to", "from"))
_TIME_WORDS = frozenset(stem(w) for w in words("week day month year visit set group grade type phase stage hour "
                                               "session cycle dose point trial study wk yr mo postoperative"))


_ARM_STOP = frozenset(stem(w) for w in words(
    "mg g kg ml mcg ug iu mmol day days daily week weeks weekly month months hour hours h min minutes dose doses "
    "dosage oral orally intravenous intravenously iv tablet tablets capsule capsules per twice once times "
    "received receive given administered treatment treated patients group groups plus total"))
_NEGATED_ARM = re.compile(r"\s*(?:no|without|non|absence\s+of|not\s+receiving|did\s+not)\b", re.IGNORECASE)


def _part_in(token: str, stems: frozenset[str]) -> bool:
    """Whether a hyphenated token has a part naming an arm (``placebo-treated``)."""
    if "-" not in token:
        return False
    return any(stem(part.lower()) in stems for part in token.split("-") if len(part) > 2)


def _excepted(toks: Sequence[str], i: int) -> bool:
    """Whether the arm word at ``i`` follows "not" / "except" ("but not losartan")."""
    return any(t.lower() in ("not", "except", "unlike") for t in toks[max(0, i - 2) : i])


def group_labels(text: str) -> set[str]:
    """Arm labels such as ``group A`` / ``B group`` in a prompt, as ``grp:<label>`` tokens."""
    out = set()
    for m in _GROUP_LABEL.finditer(text):
        out.add("grp:" + (m.group(1) or m.group(2)).lower())
    return out


def _arm_stems(toks: Sequence[str], stems_: Sequence[str]) -> list[str]:
    """Stems with ``group A`` / ``A group`` turned into the marker ``grp:a``."""
    out = list(stems_)
    for i, t in enumerate(toks):
        if t.lower() in ("group", "groups", "arm"):
            if i + 1 < len(toks) and len(toks[i + 1]) <= 2 and (toks[i + 1].isupper() or toks[i + 1].isdigit()):
                out[i + 1] = "grp:" + toks[i + 1].lower()
            elif i > 0 and len(toks[i - 1]) <= 2 and (toks[i - 1].isupper() or toks[i - 1].isdigit()):
                out[i - 1] = "grp:" + toks[i - 1].lower()
    return out


_CLAUSE_BREAK = frozenset((";", "whereas", "while", "but", "although", "however", "though", "except"))
_NEG_OPENERS = frozenset(("no", "none", "neither", "nor"))
_ADVERBS = frozenset(("significantly", "statistically", "much", "far", "slightly", "markedly", "substantially"))
_ARM_PREPS = frozenset(("in", "with", "for", "among", "than", "after", "under", "during", "on"))
_MARKERS_WITH_PREP = frozenset(("compared", "comparison", "relative"))
_MARKERS = frozenset(("than", "compared", "comparison", "versus", "vs", "relative"))


def _reference_arm(d_i: int, comp_idx: Sequence[int], arm_int: Sequence[int], arm_cmp: Sequence[int]
                   ) -> int | None:
    """The arm a comparison is made against (+1 intervention, -1 comparator), or None.

    ``X was lower with A than with B`` / ``lower with A compared with B``: the first arm named
    within eight tokens after a marker that follows the direction word; ``Compared with B, A had
    lower X``: the first arm after a marker that precedes it.
    """
    arms = sorted([(a, 1) for a in arm_int] + [(a, -1) for a in arm_cmp])
    after = [c for c in comp_idx if d_i - 2 < c <= d_i + 25]
    before = [c for c in comp_idx if c <= d_i - 2]
    for c in after[:1] + before[-1:]:
        # The arm named right after the marker; when both arms have words there ("than in the
        # Sensor Off arm" for Sensor On vs Sensor Off), the arm with more of its words wins.
        votes = [role for a, role in arms if c < a <= c + 8]
        if votes and c < d_i:
            # "Compared with placebo, low dose LDN reduced X": the arm right after a marker that
            # precedes the direction word is the reference, however many words the subject has.
            return votes[0]
        if votes:
            n_int, n_cmp = votes.count(1), votes.count(-1)
            return votes[0] if n_int == n_cmp else (1 if n_int > n_cmp else -1)
    return None


_DOSE_NOUNS = frozenset(stem(w) for w in words("dose doses dosage dosages amount amounts concentration"))
_DOSE_UNITS = frozenset(("mg", "g", "μg", "µg", "mcg", "iu", "kg", "mg/kg", "ug"))
_CONTRASTS = frozenset(("vs", "versus", "compared", "than", "whereas", "while", "but"))
_SEPARATORS = frozenset(("and", "or", "vs", "versus", "compared", "than", "while", "whereas", ";", "but"))
_PEOPLE = frozenset(stem(w) for w in words("subjects patients participants children women men persons people "
                                           "mothers infants volunteers adults individuals cases"))
_ARM_NOUNS = frozenset(stem(w) for w in words("group groups arm arms condition subjects patients participants "
                                              "children women men mice rats animals sites eyes infants cohort"))


def _generic_arm(toks: Sequence[str], stems_: Sequence[str], i: int) -> bool:
    """Whether a generic word (placebo, control ...) at ``i`` names an arm, not part of an outcome."""
    if stems_[i] != "control":
        return True
    nxt = stems_[i + 1] if i + 1 < len(stems_) else ""
    prev = toks[i - 1].lower() if i > 0 else ""
    return nxt in _ARM_NOUNS or toks[i].lower() == "controls" or prev in ("than", "vs", "versus", "with", "to")


_GROUP_NOUNS = frozenset(("group", "groups", "arm", "arms"))


def _value_direction(
    text: str, toks: Sequence[str], starts: Sequence[int], stems_: Sequence[str], arm_int: Sequence[int],
    arm_cmp: Sequence[int], lo: int, hi: int, skip_spans: Sequence[tuple[int, int]], anchor_min: int = 0,
    duration: bool = False,
) -> tuple[int, str] | None:
    """Sign of (intervention value - comparator value) for the first two values near the outcome.

    Values are numbers in the outcome window that are not p-values, CI bounds, SDs (``± 2.4``),
    counts in brackets after a value (``61.4% (27/44)``) or time points (``week 12``). Each value
    goes to the nearest arm mention; when both go to the same arm, or the sentence says
    ``respectively``, values follow the order in which the arms are first named. Returns
    ``(sign, how)`` with ``how`` ``arms`` (arms were named) or ``order`` (no arm named; the
    intervention is assumed to come first), or None.
    """
    values: list[tuple[int, float]] = []
    depth = skip_depth = 0
    prev_end = starts[lo] if lo < len(starts) else 0
    last_was_value = False
    time_list = False
    span_i = 0
    spans = sorted(skip_spans)
    n_tok = len(toks)
    arm_set = set(arm_int) | set(arm_cmp)
    for i in range(lo, hi):
        gap = text[prev_end : starts[i]]
        for ch in gap:
            if ch in "([":
                depth += 1
                if last_was_value and skip_depth == 0:
                    skip_depth = depth
            elif ch in ")]":
                if depth == skip_depth:
                    skip_depth = 0
                depth = max(0, depth - 1)
        tok = toks[i]
        prev_end = starts[i] + len(tok)
        if not tok[0].isdigit():
            if tok.isalpha() and len(tok) > 2 and tok.lower() not in ("and", "or"):
                last_was_value = False
                time_list = False
            continue
        if skip_depth or i < anchor_min:
            continue
        pos = starts[i]
        while span_i < len(spans) and spans[span_i][1] <= pos:
            span_i += 1
        if span_i < len(spans) and spans[span_i][0] <= pos < spans[span_i][1]:
            continue
        if "±" in gap or "/" in gap[-2:] or "=" in gap[-3:] or "+/-" in gap:
            last_was_value = True
            continue
        nxt = stems_[i + 1] if i + 1 < n_tok else ""
        if "(" in gap or "[" in gap or ":" in gap:
            time_list = False  # "at week 8 (2.9 vs 4.6)": a bracket after a time point holds values
        if i > 0 and i - 1 in arm_set and not any(c in gap for c in "([:"):
            last_was_value = False  # "LDN 3 (-35%)": a dose named with the arm, then its value
            continue
        if i > 1 and ((toks[i - 1].lower() == "than" and stems_[i - 2] in _MODIFIERS)
                      or (toks[i - 1].lower() in ("least", "most") and toks[i - 2].lower() == "at")):
            continue  # "more than 20% lower", "a reduction of at least 25%": a threshold, not a value
        if i > 0 and (toks[i - 1] in ("<", ">", "≤", "≥", "=") or toks[i - 1].lower() == "from"
                      or (toks[i - 1].lower() == "to" and "from" in (t.lower() for t in toks[max(0, i - 9) : i]))):
            continue
        if nxt in _DOSE_UNITS:
            last_was_value = False
            continue
        if (nxt in _PEOPLE and "." not in tok) \
                or (i + 2 < n_tok and stems_[i + 2] in _PEOPLE and "." not in tok and not stems_[i + 1][0].isdigit()):
            continue
        if i > 0 and (stems_[i - 1] in _TIME_WORDS or toks[i - 1].lower() in ("n", "p", "ci", "sd", "se", "pod")):
            time_list = True
            continue
        if time_list:
            continue
        if "." not in tok and nxt in _TIME_WORDS and not (
                duration and nxt in _DURATION_UNITS and toks[i - 1].lower() not in _TIME_PREPS):
            continue
        if nxt in ("ci", "confidence") or (i + 2 < n_tok and stems_[i + 2] in ("ci", "confidence")):
            continue
        try:
            v = float(tok)
        except ValueError:
            continue
        if gap[-1:] in "-−–" and (len(gap) < 2 or not gap[-2].isalnum()):
            v = -v
        values.append((i, v))
        last_was_value = True
        if len(values) >= 6:
            break
    if len(values) < 2:
        return None
    # Arms named far outside the outcome's window belong to another finding.
    arms = sorted([(a, 1) for a in arm_int if lo - 5 <= a < hi + 5]
                  + [(a, -1) for a in arm_cmp if lo - 5 <= a < hi + 5])
    i0, i1 = values[0][0], values[1][0]
    between = {t.lower() for t in toks[i0 + 1 : i1]}
    respectively = "respectively" in text.lower()
    contrast = any(w in between for w in ("vs", "versus", "compared", "than")) or respectively
    if not arms:
        a, b = values[0][1], values[1][1]
        return ((a > b) - (a < b), "order") if a != b and contrast else None
    first_role: dict[int, int] = {}
    for pos_, role in arms:
        first_role.setdefault(role, pos_)
    roles_in_order = [r for r, _ in sorted(first_role.items(), key=lambda x: x[1])]
    if len(roles_in_order) == 1:
        roles_in_order.append(-roles_in_order[0])
    assigned: dict[int, float] = {}
    # "A versus B: 82.3 vs 36.8": both arms named before a pair of values joined by "vs", no arm
    # between the values -- the values follow the order of the arms' last mentions.
    # "the SLED group had fewer days (17.7 vs 20.9)": the arm named before the values in their
    # clause is the subject and takes the first value.
    paired = any(w in between for w in ("vs", "versus")) and not any(i0 < a < i1 for a, _ in arms)
    # Crossing a contrast ("versus", "than") separates arms more than crossing "and".
    seps = [(j, 12 if toks[j].lower() in _CONTRASTS else 4) for j, t in enumerate(toks)
            if t.lower() in _SEPARATORS]

    def cost(arm_pos: int, i: int) -> tuple[int, bool]:
        a, b = min(arm_pos, i), max(arm_pos, i)
        crossing = sum(c for j, c in seps if a < j < b)
        return abs(arm_pos - i) + crossing, arm_pos > i

    clause_lo = max((j for j in range(i0) if toks[j].lower() in _CLAUSE_BREAK), default=-1)
    last_before: dict[int, int] = {}
    for pos_, role in arms:
        if clause_lo < pos_ < i0:
            last_before[role] = pos_
    if paired and not respectively and last_before:
        if len(last_before) == 2:
            first, second = (r for r, _ in sorted(last_before.items(), key=lambda x: x[1]))
        else:
            first = next(iter(last_before))
            second = -first
        assigned = {first: values[0][1], second: values[1][1]}
    elif not respectively:
        for i, v in values:
            nearest = min(arms, key=lambda x: cost(x[0], i))
            assigned.setdefault(nearest[1], v)
    if len(assigned) < 2:
        # "6.2 ± 1.5 in the study group, and 4.1 ± 1.2 in the placebo group": two values joined by
        # "and", each followed by its group, are parallel like a contrast.
        parallel = (("and" in between or ";" in between)
                    and any(toks[k].lower() in _GROUP_NOUNS for k in range(i0 + 1, min(i0 + 7, i1)))
                    and any(toks[k].lower() in _GROUP_NOUNS for k in range(i1 + 1, min(i1 + 7, n_tok))))
        if not contrast and not parallel:
            return None
        # Parallel lists: "A vs. B: 136.1 vs. 131.6" -- the arms named last before the values, in order.
        named_before: dict[int, int] = {}
        for pos_, role in arms:
            if pos_ < values[0][0]:
                named_before[role] = pos_
        if len(named_before) == 2:
            roles_in_order = [r for r, _ in sorted(named_before.items(), key=lambda x: x[1])]
            assigned = {roles_in_order[0]: values[0][1], roles_in_order[1]: values[1][1]}
        elif len(first_role) == 1 and not respectively:
            # One arm named ("25 days in cases vs. 130 days in controls" with only "controls"
            # known): it takes the value nearest to it, the other arm the other value.
            role = next(iter(first_role))
            near = min(values[:2], key=lambda v: min(cost(a, v[0]) for a, _ in arms))
            far = values[1] if near is values[0] else values[0]
            assigned = {role: near[1], -role: far[1]}
        else:
            assigned = {roles_in_order[0]: values[0][1], roles_in_order[1]: values[1][1]}
    vi, vc = assigned[1], assigned[-1]
    if vi == vc:
        return None
    return (1 if vi > vc else -1), "arms"


def label_feature_dict(sentence: str, pp: PreparedPrompt | None, vocab: dict[str, int] | None = None
                       ) -> dict[str, float]:
    """Features of one sentence for the effect classifier (a sparse name -> value map).

    Parameters
    ----------
    sentence
        The evidence sentence.
    pp
        The prepared prompt (for the outcome anchor and the arms), or None.
    vocab
        Optional bag-of-stems vocabulary; when given, ``bow:<stem>`` features are added for
        words of the sentence in it.
    """
    f: dict[str, float] = {"bias": 1.0}
    text = _decimal_points(sentence)
    toks = [m.group(0) for m in _TOKEN_POS.finditer(text)]
    starts = [m.start() for m in _TOKEN_POS.finditer(text)]
    stems_ = [stem(t.lower()) for t in toks]
    n = len(toks)
    # Outcome anchor: the densest run of outcome stems.
    anchor = -1
    if pp is not None and pp.outcome:
        oset = set(pp.outcome)
        hits = [i for i, t in enumerate(stems_) if t in oset]
        if hits:
            # Ties go to the most compact mention ("quit rates in the contemplation stage").
            span = len(oset) + 2
            anchor = max(hits, key=lambda h: (len({stems_[j] for j in hits if h <= j < h + 8}),
                                              len({stems_[j] for j in hits if h <= j < h + span})))
    f["has_anchor"] = float(anchor >= 0)
    lo = max(0, anchor - 10) if anchor >= 0 else 0
    hi = min(n, anchor + 30) if anchor >= 0 else n
    win_start = starts[lo] if lo < n else 0
    win_end = (starts[hi] if hi < n else len(text))
    window = text[win_start:win_end]

    # --- p-values
    ps: list[tuple[float, int, int]] = []
    ps_spans: list[tuple[int, int]] = []
    p_lists: list[tuple[int, int, list[tuple[float, int, int]]]] = []
    for m in _P_VALUE.finditer(text):
        p, rel = _parse_p(m.group(2), m.group(1))
        ps.append((p, rel, m.start()))
        ps_spans.append((m.start(), m.end()))
        # "p = 0.01, 0.20 and 0.03 (respectively)": the bare values after the first one.
        items = [(p, rel, m.start())]
        end = m.end()
        while len(items) < 8:
            tail = _P_TAIL.match(text, end)
            if tail is None:
                break
            items.append((*_parse_p(tail.group(2), tail.group(1) or m.group(1)), tail.start(2)))
            if tail.group(1) is None:  # a value with its own "p =" is matched on its own
                ps.append(items[-1])
            end = tail.end()
        if len(items) > 1:
            p_lists.append((m.start(), end, items))
    for m in _P_NS.finditer(text):
        ps.append((1.0, 1, m.start()))
    sig_p = [p for p, rel, _ in ps if _significant(p, rel)]
    ns_p = [p for p, rel, _ in ps if p > 0.05 or (p >= 0.05 and rel > 0)]
    f["p_any"] = float(bool(ps))
    f["p_sig"] = float(bool(sig_p))
    f["p_ns"] = float(bool(ns_p))
    f["p_all_sig"] = float(bool(ps) and not ns_p)
    f["p_all_ns"] = float(bool(ps) and not sig_p)
    f["p_mixed"] = float(bool(sig_p) and bool(ns_p))
    resp_p: tuple[float, int, int] | None = None
    if anchor >= 0:
        # "A, B and C were lower (p = 0.01, 0.20 and 0.03, respectively)": the p-value in the
        # outcome's position in the list.
        a_pos = starts[anchor]
        for l_start, l_end, items in p_lists:
            if l_start <= a_pos or _RESPECTIVELY.match(text[l_end : l_end + 30]) is None:
                continue
            seg_lo = text.rfind(";", 0, a_pos) + 1
            depth = 0
            cuts = []
            for sm in _LIST_SEP.finditer(text, seg_lo, l_start):
                depth = text.count("(", seg_lo, sm.start()) - text.count(")", seg_lo, sm.start())
                if depth == 0:
                    cuts.append(sm.start())
            n_items = len(cuts) + 1
            item = sum(1 for c in cuts if c < a_pos)
            idx = item - (n_items - len(items))
            if 0 <= idx < len(items):
                resp_p = items[idx]
            break
    f["p_resp"] = float(resp_p is not None)
    if ps:
        anchor_pos = starts[anchor] if anchor >= 0 else 0
        after = [x for x in ps if x[2] >= anchor_pos]
        near = resp_p or min(after or ps, key=lambda x: abs(x[2] - anchor_pos))
        near_sig = _significant(near[0], near[1])
        f["p_near_sig"] = float(near_sig)
        f["p_near_ns"] = float(not near_sig)
        f["log_pmin"] = min(-math.log10(max(min(p for p, _, _ in ps), 1e-12)), 12.0) / 4.0
    # --- confidence intervals
    ci_ex = ci_in = 0
    ci_dir = 0
    prev_ratio = False
    surv_outcome = pp is not None and any(t in _SURVIVAL for t in pp.outcome)
    ci_ms = list(_CI.finditer(text))
    for k_, m in enumerate(ci_ms):
        ps_spans.append((m.start(), m.end()))
        try:
            a, b = _num(m.group(1)), _num(m.group(2))
        except ValueError:
            continue
        lo_, hi_ = min(a, b), max(a, b)
        ctx = text[max(0, m.start() - 80) : m.start()]
        diff_near = _DIFF_WORDS.search(ctx[-30:]) is not None
        # A list of ratios ("HR 0.4 (CI ..) for X and 0.07 (CI ..) for Y"): a later interval
        # without a difference word is a ratio like the first.
        ratio = (_RATIO_WORDS.search(ctx) is not None or prev_ratio) and not diff_near
        prev_ratio = ratio
        null = 1.0 if ratio else 0.0
        if ratio and lo_ < 0:
            null = 0.0
        if lo_ > null or hi_ < null:
            ci_ex += 1
            # "a 17% (95% CI 9-25) reduction", "0.66% lower (95% CI 0.48-0.84)": an unsigned
            # magnitude; the word, not the interval, gives the direction.
            # "68.9 (95% CI 66.4-71.4) in group A vs 72.1 (95% CI 70.4-74.6) in group B": one
            # interval per arm, not a contrast.
            if not ratio and not diff_near and (
                    (k_ > 0 and _VERSUS.search(text[ci_ms[k_ - 1].end() : m.start()]))
                    or (k_ + 1 < len(ci_ms) and _VERSUS.search(text[m.end() : ci_ms[k_ + 1].start()]))):
                continue
            if not ratio and lo_ > 0 and _MAGNITUDE_DOWN.search(
                    text[max(0, m.start() - 45) : min(len(text), m.end() + 45)]):
                continue
            sign_ = 1 if lo_ > null else -1
            # A hazard ratio counts events (death, progression): below 1 means longer survival.
            if ratio and surv_outcome and _HAZARD.search(ctx):
                sign_ = -sign_
            ci_dir += sign_
        else:
            ci_in += 1
    f["ci_excl"] = float(ci_ex > 0)
    f["ci_incl"] = float(ci_in > 0)
    f["ci_only_incl"] = float(ci_in > 0 and ci_ex == 0)
    f["ci_dir"] = float((ci_dir > 0) - (ci_dir < 0))

    # --- the clause that holds the outcome ("X fell (p<0.01), whereas Y did not differ")
    c_lo, c_hi = lo, hi
    if anchor >= 0:
        # A comma before a negated verdict also opens a clause ("X fell (p = 0.002), no
        # difference was found in Y").
        def _neg_opens(i: int) -> bool:
            return (toks[i].lower() in _NEG_OPENERS
                    and text[max(0, starts[i] - 6) : starts[i]].rstrip().endswith(","))

        c_lo = anchor
        while c_lo > 0 and toks[c_lo - 1].lower() not in _CLAUSE_BREAK and not _neg_opens(c_lo):
            c_lo -= 1
        c_hi = anchor + 1
        while c_hi < n and toks[c_hi].lower() not in _CLAUSE_BREAK and not _neg_opens(c_hi):
            c_hi += 1
    clause_start = starts[c_lo] if c_lo < n else 0
    clause_end = starts[c_hi] if c_hi < n else len(text)
    clause = text[clause_start:clause_end]
    c_ps = [resp_p] if resp_p is not None else [x for x in ps if clause_start <= x[2] < clause_end]
    c_sig = [p for p, rel, _ in c_ps if _significant(p, rel)]
    f["c_p_sig"] = float(bool(c_sig))
    f["c_p_ns"] = float(bool(c_ps) and not c_sig)
    f["c_len"] = min(c_hi - c_lo, 60) / 30.0
    f["c_clean_sig"] = float((f.get("c_p_sig", 0.0) > 0 or _SIG_CUE.search(clause) is not None)
                             and _SIG_NEGATED.search(clause) is None and _NEG_CUES.search(clause) is None)
    f["c_clean_ns"] = float(_SIG_CUE.search(clause) is None and f.get("c_p_sig", 0.0) == 0
                            and (_SIG_NEGATED.search(clause) is not None or _NEG_CUES.search(clause) is not None))
    between_ns = [m.start() for m in _BETWEEN_NS.finditer(text)]
    f["between_ns"] = float(bool(between_ns))
    # "X fell significantly in both groups, but did not differ between the groups": a change
    # within the arms in the outcome's clause, then a null between-arm verdict.
    f["c_between_ns"] = float(any(clause_start <= b < clause_end for b in between_ns))
    f["between_ns_after"] = float(any(b >= clause_end for b in between_ns))
    w_first = _WITHIN.search(text)
    f["within_then_between_ns"] = float(w_first is not None and any(
        b >= clause_start and (b > w_first.start() or _WITHIN.search(clause) is not None) for b in between_ns))
    f["between_sig"] = float(_BETWEEN_SIG.search(text) is not None)
    f["within_group"] = float(_WITHIN.search(text) is not None)
    # A change within the arms ("fell significantly in both groups", "versus baseline") with no
    # between-arm comparison in the sentence is not an effect of the intervention.
    between_words = _BETWEEN_WORDS.search(text) is not None
    f["within_only"] = float(f["within_group"] > 0 and not between_words and f["between_sig"] == 0)
    f["trend_c"] = float(_TREND.search(clause) is not None)
    f["trend_w"] = float(_TREND.search(window) is not None)
    # --- significance / negation cues (sentence, window, clause)
    for name, seg in (("s", text), ("w", window), ("c", clause)):
        sig = len(_SIG_CUE.findall(seg))
        neg_sig = len(_SIG_NEGATED.findall(seg))
        neg = len(_NEG_CUES.findall(seg))
        f[f"{name}_sig_pos"] = float(sig - neg_sig > 0)
        f[f"{name}_sig_neg"] = float(neg_sig > 0)
        f[f"{name}_neg_cue"] = min(neg, 3) / 3.0
    # --- direction words and arm resolution
    arm_int: list[int] = []
    arm_cmp: list[int] = []
    if pp is not None:
        astems = _arm_stems(toks, stems_)
        a_int = pp.arm_intervention or pp.intervention
        a_cmp = pp.arm_comparator or pp.comparator
        arm_int = [i for i, t in enumerate(astems) if t in a_int or _part_in(toks[i], a_int)]
        arm_cmp = [i for i, t in enumerate(astems) if (t in a_cmp or _part_in(toks[i], a_cmp))
                   and i not in arm_int]
        # "non-implanted eyes", "without tourniquet", "no ARB": the absence of the intervention.
        negated = [i for i in arm_int if toks[i].lower().startswith(("non-", "non‐"))
                   or (i > 0 and toks[i - 1].lower() in ("no", "non", "without", "not"))]
        if negated:
            arm_int = [i for i in arm_int if i not in negated]
            arm_cmp = sorted(set(arm_cmp) | set(negated))
        oset = set(pp.outcome)
        arm_cmp += [i for i, t in enumerate(stems_) if t in _GENERIC_CONTROL and i not in arm_cmp
                    and t not in pp.intervention and t not in oset and _generic_arm(toks, stems_, i)]
        arm_int += [i for i, t in enumerate(stems_) if t in _GENERIC_ACTIVE and i not in arm_int
                    and t not in pp.comparator]
    # Comparison markers; "compared", "comparison" and "relative" only when they introduce an arm
    # ("compared with placebo", not "a comparison of both groups").
    # "more than 20%" compares with a number, not an arm.
    # "superior to B" names the reference arm like "better than B".
    comp_idx = [i for i, t in enumerate(toks) if (t.lower() in _MARKERS
                and not (t.lower() == "than" and i + 1 < n and toks[i + 1][0].isdigit())
                and (t.lower() not in _MARKERS_WITH_PREP
                     or (i + 1 < n and toks[i + 1].lower() in ("with", "to", "against", "vs", "versus"))))
                or (t.lower() == "to" and i > 0 and toks[i - 1].lower() in ("superior", "inferior", "preferable"))]
    dir_up = dir_down = 0.0
    negated_dir = 0
    dir_positions: list[tuple[int, int]] = []
    eval_positions: list[tuple[int, int]] = []
    # Compound comparatives: "greater reduction" is a decrease, "less improvement" a worse result.
    modifier: dict[int, int] = {}
    skip_mod: set[int] = set()
    for i in range(lo, hi):
        if stems_[i] in _MODIFIERS:
            for j in range(i + 1, min(hi, i + 3)):
                h = stems_[j]
                if (h in _UP or h in _DOWN or h in _GOOD or h in _BAD) and h not in _MODIFIERS:
                    modifier[j] = 1 if stems_[i] in _UP else -1
                    skip_mod.add(i)
                    break
    # Post-posed modifiers: "decreased significantly less in the EMS group", "rose more with A".
    for j in range(lo, hi):
        h = stems_[j]
        if j in modifier or h in _MODIFIERS or not (h in _UP or h in _DOWN or h in _GOOD or h in _BAD):
            continue
        k = j + 1
        while k < hi and k < j + 4 and toks[k].lower() in _ADVERBS:
            k += 1
        if k < hi and stems_[k] in _MODIFIERS and k + 1 < n and toks[k + 1].lower() in _ARM_PREPS:
            modifier[j] = 1 if stems_[k] in _UP else -1
            skip_mod.add(k)
            continue
        # "reduced pain more than placebo": the modifier after the verb's object, before "than".
        for k in range(j + 1, min(hi, j + 6)):
            if toks[k].lower() in _CLAUSE_BREAK or stems_[k] in _UP or stems_[k] in _DOWN:
                if stems_[k] in _MODIFIERS and k + 1 < n and toks[k + 1].lower() == "than" \
                        and not (k + 2 < n and toks[k + 2][0].isdigit()):
                    modifier[j] = 1 if stems_[k] in _UP else -1
                    skip_mod.add(k)
                break
    out_words = set(pp.outcome) if pp is not None else set()
    arm_words = set(arm_int) | set(arm_cmp)
    for i in range(lo, hi):
        if i in skip_mod:
            continue
        # An arm's name ("the high-dose group", "high amounts of jargon" as an arm) is not a direction.
        if i in arm_words or (toks[i].lower() in ("high", "low") and i + 1 < n
                              and stems_[i + 1] in _DOSE_NOUNS):
            continue
        # "more than 20%", "P less than 0.05": a quantity or a threshold, not a comparison of arms.
        if stems_[i] in _MODIFIERS and i + 2 < n and toks[i + 1].lower() == "than" and toks[i + 2][0].isdigit():
            continue
        t = stems_[i]
        m_sign = modifier.get(i, 1)
        if t in out_words and (t in _UP or t in _DOWN or t in _GOOD or t in _BAD):
            # The word names the outcome ("reduction in relapses"): only a modifier gives a direction.
            if i not in modifier:
                continue
            t = "increas"
        sgn = m_sign * (1 if t in _UP else (-1 if t in _DOWN else 0))
        if not sgn:
            if (t in _GOOD or t in _BAD) and not _negated_before(toks, i):
                eval_positions.append((i, m_sign * (1 if t in _GOOD else -1)))
            continue
        # Negated comparative: "did not increase", "no reduction".
        if _negated_before(toks, i):
            negated_dir += 1
            continue
        w = 1.0 / (1.0 + abs(i - anchor) / 6.0) if anchor >= 0 else 0.5
        if sgn > 0:
            dir_up += w
        else:
            dir_down += w
        dir_positions.append((i, sgn))
    if not dir_positions and not eval_positions and anchor >= 0:
        # "a greater decrease for A in distress, fatigue and unmet needs": the direction word may
        # precede a long outcome's window within its clause.
        for i in range(max(0, c_lo), lo):
            t = stems_[i]
            if i in arm_words or t in _MODIFIERS or t in out_words or not (t in _UP or t in _DOWN):
                continue
            if _negated_before(toks, i):
                break
            m_sign = next((1 if stems_[k] in _UP else -1 for k in range(max(0, i - 2), i)
                           if stems_[k] in _MODIFIERS), 1)
            sgn = m_sign * (1 if t in _UP else -1)
            if sgn > 0:
                dir_up += 0.3
            else:
                dir_down += 0.3
            dir_positions.append((i, sgn))
    # Which arm is the subject of the comparison?
    flip = 0.0
    resolved = 0.0
    if dir_positions:
        d_i = min(dir_positions, key=lambda x: abs(x[0] - anchor) if anchor >= 0 else x[0])[0]
        ref = _reference_arm(d_i, comp_idx, arm_int, arm_cmp)
        if ref is not None:
            resolved = 1.0
            flip = float(ref == 1)
        else:
            # "X was lower in the placebo group": the arm named near the direction word is the subject.
            # An arm named as an exception ("A, but not B, reduced X") is not the subject.
            by_dist = sorted([(abs(a - d_i), 1) for a in arm_int if not _excepted(toks, a)]
                             + [(abs(a - d_i), -1) for a in arm_cmp if not _excepted(toks, a)])
            if by_dist and by_dist[0][0] <= 12:
                resolved = 0.5
                flip = float(by_dist[0][1] == -1)
    f["resolved"] = resolved
    if dir_positions:
        d_i = min(dir_positions, key=lambda x: abs(x[0] - anchor) if anchor >= 0 else x[0])[0]
        f[f"dw:{stems_[d_i]}|{int(flip)}"] = 1.0
    # Evaluative words ("improved", "superior", "worse"): their direction depends on the outcome.
    bad_outcome = pp is not None and any(t in _BAD_OUTCOME for t in pp.outcome)
    if not eval_positions and not dir_positions and anchor >= 0:
        # "A was superior to B for the relief of pain and swelling": the word may precede the window.
        for i in range(max(0, c_lo), lo):
            if (stems_[i] in _GOOD or stems_[i] in _BAD) and not _negated_before(toks, i):
                eval_positions.append((i, 1 if stems_[i] in _GOOD else -1))
    if eval_positions:
        e_i, e_s = min(eval_positions, key=lambda x: abs(x[0] - anchor) if anchor >= 0 else x[0])
        ref = _reference_arm(e_i, comp_idx, arm_int, arm_cmp)
        if ref is None:
            by_dist = sorted([(abs(a - e_i), 1) for a in arm_int] + [(abs(a - e_i), -1) for a in arm_cmp])
            ref = -by_dist[0][1] if by_dist and by_dist[0][0] <= 12 else -1
        good = e_s * (-1 if ref == 1 else 1)
        f["good_res"] = float(good > 0) * (not bad_outcome)
        f["bad_res"] = float(good < 0) * (not bad_outcome)
        f["good_res_badout"] = float(good > 0) * bad_outcome
        f["bad_res_badout"] = float(good < 0) * bad_outcome
        # The direction the evaluative word implies, pooled over both outcome polarities.
        f["eval_dir"] = float((good > 0) == (not bad_outcome)) * 2.0 - 1.0 if good else 0.0
    up_r, down_r = (dir_down, dir_up) if flip else (dir_up, dir_down)
    f["dir_up"] = min(dir_up, 2.0)
    f["dir_down"] = min(dir_down, 2.0)
    f["dir_up_res"] = min(up_r, 2.0)
    f["dir_down_res"] = min(down_r, 2.0)
    f["dir_net_res"] = max(-2.0, min(2.0, up_r - down_r))
    f["flip"] = flip
    f["dir_negated"] = float(negated_dir > 0)
    f["int_mentioned"] = float(bool(arm_int))
    f["cmp_mentioned"] = float(bool(arm_cmp))
    # --- values reported for each arm: "61.4% in the budesonide group versus 16.7% with placebo"
    vd = _value_direction(text, toks, starts, stems_, arm_int, arm_cmp, lo, hi, ps_spans, max(anchor, 0),
                          duration=any(o in _DURATION_OUTCOME for o in out_words))
    if vd is not None:
        sign, how = vd
        f[f"num_up_{how}"] = float(sign > 0)
        f[f"num_down_{how}"] = float(sign < 0)
    # Interactions that encode the decision logic for the linear model.
    sig_evidence = f["p_sig"] + f["ci_excl"] + f["w_sig_pos"]
    num_sign = f.get("num_up_arms", 0.0) - f.get("num_down_arms", 0.0)
    f["sig_x_num_up"] = min(sig_evidence, 2.0) * (num_sign > 0)
    f["sig_x_num_down"] = min(sig_evidence, 2.0) * (num_sign < 0)
    f["num_agrees_dir"] = float(num_sign != 0 and (num_sign > 0) == (up_r > down_r) and up_r != down_r)
    f["num_disagrees_dir"] = float(num_sign != 0 and (num_sign > 0) != (up_r > down_r) and up_r != down_r)
    ns_evidence = f["p_all_ns"] + f["ci_only_incl"] + f["w_sig_neg"] + f["w_neg_cue"]
    f["sig_x_up"] = min(sig_evidence, 2.0) * (up_r > down_r)
    f["sig_x_down"] = min(sig_evidence, 2.0) * (down_r > up_r)
    f["ns_total"] = min(ns_evidence, 3.0)
    f["sig_total"] = min(sig_evidence, 3.0)
    f["ci_dir_x_ratio"] = f["ci_dir"]
    # The interval's sign when the sentence has no direction word and no per-arm values.
    f["ci_dir_alone"] = f["ci_dir"] * float(not dir_positions and vd is None and not eval_positions)
    # A significant result with no direction cue at all: trials mostly report benefit, so the
    # outcome's polarity (pain, mortality... vs the rest) is the best remaining guess.
    if sig_evidence and not dir_positions and vd is None and not eval_positions and not f["ci_dir"]:
        f["nodir_sig_badout"] = float(bad_outcome)
        f["nodir_sig_goodout"] = float(not bad_outcome)
    if f["within_then_between_ns"]:
        # The significant p-values and cues belong to the change within each arm, not to the
        # comparison between the arms.
        for key_ in _WITHIN_SIG_KEYS:
            f[key_] = 0.0
    # --- bag of stems (and stem bigrams) around the outcome, from a vocabulary learned on train
    if vocab is not None:
        bstems = stems_
        for i in range(lo, hi):
            t = bstems[i]
            if t[0].isdigit():
                continue
            key = "bow:" + t
            if key in vocab:
                f[key] = 1.0
            if i + 1 < hi:
                key2 = "bow:" + t + "_" + bstems[i + 1]
                if key2 in vocab:
                    f[key2] = 1.0
    return f


class _Everything:
    """A vocabulary that contains every key (to list the candidates)."""

    def __contains__(self, key: object) -> bool:
        return True


def bow_candidates(sentence: str, pp: PreparedPrompt | None) -> list[str]:
    """The ``bow:`` keys :func:`label_feature_dict` could emit for a sentence (to build a vocabulary)."""
    return [k for k in label_feature_dict(sentence, pp, _Everything()) if k.startswith("bow:")]  # type: ignore[arg-type]
