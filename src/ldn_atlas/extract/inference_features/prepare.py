"""Preparing an abstract (sentences, token data, IDF, abbreviations, arm labels) and a prompt (stems, arm words)."""

from __future__ import annotations

import math
import re
from functools import lru_cache
from itertools import pairwise

from ldn_atlas.extract.inference_features.arms import _ARM_STOP, _NEGATED_ARM, group_labels
from ldn_atlas.extract.inference_features.intervals import _CI
from ldn_atlas.extract.inference_features.lexicon import (
    _BAD,
    _BEFORE_TREATMENT,
    _DOWN,
    _GOOD,
    _NEG_CUES,
    _SIG_CUE,
    _UP,
)
from ldn_atlas.extract.inference_features.prepared import PreparedAbstract, PreparedPrompt, SentenceInfo
from ldn_atlas.extract.inference_features.pvalues import _P_NS, _P_VALUE
from ldn_atlas.extract.inference_features.tokens import _NUMBER, _WORD, _decimal_points, _stems_of, _unescaped
from ldn_atlas.extract.inference_text import STOPWORDS, Sentence, char_ngrams, parse_abstract, stem

_ABBR_DEF = re.compile(r"\(([A-Za-z][A-Za-z0-9\-/]{1,11})[);,]")


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
