"""Sample size: the study's n, and the numbers enrolled and analysed.

Every count of people ("24 patients", "a 12-patient cohort", "n = 30", "10 men and 14 women") is a
candidate, scored by the words around it (a recruitment verb before it, "were randomized" after it,
the first sentence of the body); the best candidate is the sample size.
"""

from __future__ import annotations

import re

from ldn_atlas.extract.fields.context import ReadContext
from ldn_atlas.extract.fields.cues import _POP_NOUN
from ldn_atlas.extract.patterns import NUM_START, NUMBER, gate, parse_number, rx
from ldn_atlas.extract.segment import Sentence
from ldn_atlas.model import Population

#: a modifier between a count and its noun: not a function word, unit or number word
_MOD_TOKEN = (
    r"(?!(?:of|to|in|with|the|for|from|at|by|on|per|than|days?|weeks?|months?|years?|hours?|mg|"
    r"groups?|times|doses?|were|was|had|who)\b)(?!(?:and|or)\s(?:\d|(?:one|two|three|four|five|six|seven|eight|"
    r"nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)\b))[\w'-]{1,25}"
)
_N_PHRASE = rx(
    "sample_size",
    rf"{NUM_START}(?P<num>{NUMBER})\s(?P<mods>(?:{_MOD_TOKEN}\s){{0,3}}?)(?P<noun>{_POP_NOUN})\b",
)
#: the word before a sample size (read from the few characters before the number)
_N_PRE = rx(
    "sample_size_pre",
    r"\b(a total of|total of|including|included|includes|include|enrolled|enrolling|enroll|recruited|"
    r"recruiting|comprised|comprising|comprises|involving|involved|assessed|studied|randomi[sz]ed|evaluated|"
    r"examined|analy[sz]ed|followed|surveyed|assigned|allocated|of|in|on|with|among|from|were|all)\s$",
)
_N_SUM = rx(
    "sample_size_sum",
    rf"{NUM_START}(?P<a>{NUMBER})\s(?:{_MOD_TOKEN}\s){{1,3}}?(?:and|plus)\s(?P<b>{NUMBER})\s(?:{_MOD_TOKEN}\s){{0,3}}?"
    rf"(?P<noun>{_POP_NOUN})\b",
)
_N_HYPHEN = rx("sample_size_hyphen", rf"(?P<num>{NUMBER})-(?P<noun>patient|subject|participant|person|woman|women)\b")
_N_EQUALS = rx("sample_size_equals", r"(?<![\w])[nN]\s?=\s?(?P<num>\d{1,3}(?:,\d{3}){1,2}|\d{1,7})\b", 0)
_N_SUFFIX = rx(
    "sample_size_suffix",
    r"^\s?(?:were |was |had |have )?(?:randomi[sz]ed|randomly|enrolled|included|"
    r"recruited|underwent randomi[sz]ation|participated|took part|completed|"
    r"were analy[sz]ed|entered)",
)
_N_SUBSET_PRE = rx(
    "sample_subset_pre",
    r"\b(?:just|only|first|last|remaining|other|another|additional|further|"
    r"these|those|the|both|each|of)\s$",
)
_N_SUBSET_POST = rx(
    "sample_subset_post",
    r"^\s?(?:[\w-]{1,20}\s)?(?:responded|reported|mentioned|complained|"
    r"experienced|achieved|showed|died|withdrew|dropped|discontinued|"
    r"developed|required|needed|did not|were excluded|was excluded)\b",
)
_N_ARM_POST = rx(
    "sample_arm_post",
    r"^\s?(?:(?:were|was)\s)?(?:[\w-]{1,20}\s){0,2}?(?:(?:in|to|into|on|received|receiving|per)\s(?:the\s|each\s)?"
    r"(?:[\w-]{1,30}\s){0,3}?(?:group|arm|cohort)\b|(?:in\s)?each\s(?:group|arm)\b)",
)
_N_ANALYZED = rx(
    "sample_analyzed",
    r"\b(?:final analysis|full analysis|analy[sz]ed|analysis of the data|"
    r"completed the (?:study|trial)|were evaluable|per protocol)\b",
)
_N_ENROLLED = rx("sample_enrolled", r"\b(?:enrolled|randomi[sz]ed|randomi[sz]ation|recruited)\b")
_ONE_PATIENT = rx(
    "one_patient",
    r"\b(?:a|one|an?\s\d{1,3}[- ]year[- ]old)\s(?:[\w-]{1,20}\s){0,2}?"
    r"(?P<noun>patient|woman|man|girl|boy|female|male|child|lady|gentleman)\b",
)
#: words that must occur in a text before the sample-size patterns are worth running
_PERSON_KEYS = (
    "patient",
    "subject",
    "participant",
    "wom",
    "men",
    "man",
    "person",
    "people",
    "individual",
    "volunteer",
    "adult",
    "children",
    "sufferer",
    "case",
    "mice",
    "rat",
    "animal",
    "female",
    "male",
    "girl",
    "boy",
    "infant",
    "veteran",
    "smoker",
    "adolescent",
    "resident",
    "pregnanc",
    "couple",
    "eye",
)
_N_PHRASE = gate(_N_PHRASE, *_PERSON_KEYS)
_N_SUM = gate(_N_SUM, *_PERSON_KEYS)
_N_HYPHEN = gate(_N_HYPHEN, "-patient", "-subject", "-participant", "-person", "-wom")
_N_EQUALS = gate(_N_EQUALS, "=")
_ONE_PATIENT = gate(
    _ONE_PATIENT, "patient", "man", "woman", "girl", "boy", "male", "female", "child", "lady", "gentleman"
)

#: recruitment words before a count that make it the sample ("a total of 40 patients", "enrolled 30 women")
_RECRUITED_PRE = (
    "a total of",
    "total of",
    "including",
    "included",
    "includes",
    "include",
    "enrolled",
    "assigned",
    "allocated",
    "enrolling",
    "enroll",
    "recruited",
    "recruiting",
    "comprised",
    "comprising",
    "comprises",
    "involving",
    "involved",
    "assessed",
    "studied",
    "randomized",
    "randomised",
    "evaluated",
    "examined",
    "surveyed",
    "followed",
)

#: a candidate sample size: score, value, start, end, noun, modifiers, sentence text
_Cand = tuple[float, int, int, int, str, str, str]


def read_sample_size(c: ReadContext, species: str, pop: Population) -> None:
    """Set ``pop.n``, ``pop.n_enrolled`` and ``pop.n_analyzed`` (with spans) from the counts of people."""
    cands = _candidates(c, species)
    if cands:
        _choose(c, cands, pop)
    else:
        for sent, text in c.iter()[:2]:
            one = _ONE_PATIENT.search(text)
            if one and species == "human" and re.search(r"\bcase\b", " ".join(t for _, t in c.iter()), re.I):
                pop.n = 1
                c.mark("population.n", sent.start + one.start(), sent.start + one.end())
                break


def _candidates(c: ReadContext, species: str) -> list[_Cand]:
    """Every scored count of people in the study's sentences outside its background."""
    body = [k for k, (sent, _t) in enumerate(c.iter()) if (sent.section or "").upper() != "TITLE"]
    first_body = body[0] if body else 0
    cands: list[_Cand] = []
    for si, (sent, text) in enumerate(c.iter()):
        if sent.section and sent.section.upper() in ("BACKGROUND", "INTRODUCTION", "CONTEXT"):
            continue
        cands.extend(_phrase_candidates(sent, text, si == first_body, species))
        cands.extend(_hyphen_candidates(sent, text, si == first_body))
        cands.extend(_equals_candidates(sent, text))
    for si, (sent, text) in enumerate(c.iter()):
        if sent.section and sent.section.upper() in ("BACKGROUND", "INTRODUCTION", "CONTEXT"):
            continue
        cands.extend(_sum_candidates(sent, text, si == first_body))
    return cands


def _phrase_candidates(sent: Sentence, text: str, first: bool, species: str) -> list[_Cand]:
    """Counts with a people noun: "24 patients", "a total of 40 women"."""
    cands: list[_Cand] = []
    for m in _N_PHRASE.finditer(text):
        value = parse_number(m.group("num"))
        if value is None or value != int(value) or value < 1 or value > 10_000_000:
            continue
        scored = _phrase_score(text, m)
        if scored is None:
            continue
        score, pre = scored
        if first:
            score += 0.5
        if (
            not pre
            and re.match(r"^(?:\W{0,3}|(?:in all|overall|in total),\s)$", text[: m.start()][-20:], re.I)
            and m.start() <= 20
        ):
            score = max(score, 2.5)  # the sentence's subject: "Seventy four cases ... were divided"
        noun = m.group("noun").lower()
        if species == "animal" and noun not in ("mice", "rats", "animals"):
            score -= 1
        cands.append(
            (
                score,
                int(value),
                sent.start + m.start("num"),
                sent.start + m.end(),
                noun,
                m.group("mods") or "",
                text,
            )
        )
    return cands


def _phrase_score(text: str, m: re.Match[str]) -> tuple[float, str] | None:
    """The score of one people count from the words around it, and the word before it (None: not a sample)."""
    if text[max(0, m.start() - 1) : m.start()] in ("-",) or text[m.end("num") : m.end("num") + 1] == "%":
        return None
    window = text[max(0, m.start() - 30) : m.start()]
    pm = _N_PRE.search(window)
    pre = pm.group(1).lower() if pm else ""
    pre_start = m.start() - (len(window) - pm.start()) if pm else m.start()
    before = text[max(0, m.start() - 25) : m.start("num")]
    after = text[m.end() : m.end() + 60]
    if _N_SUBSET_PRE.search(before) and not pre:
        return None
    if re.search(r"\b(?:aged?|age of|years? old)\s?$", before, re.IGNORECASE):
        return None
    score = 1.0
    if pre in _RECRUITED_PRE:
        score = 3.0
    elif pre in ("in", "on", "among", "of", "with"):
        score = 2.0
    if _N_SUFFIX.search(after):
        score = max(score, 3.0)
    if _N_SUBSET_POST.search(after) and score < 3:
        return None
    if re.match(r"[- ](?:months?|years?|days?|weeks?)\b", after):
        return None  # person-time: "18,035 woman months"
    if re.search(
        r"\b(?:group|arm|cohort)\s(?:consisted\sof|of|comprised)\s$",
        text[max(0, m.start("num") - 30) : m.start("num")],
        re.IGNORECASE,
    ):
        return None  # one arm's size
    if _N_ARM_POST.search(after) and score < 3:
        return None
    if pre == "of" and re.search(
        r"\d\s?%?\s?$|\b(?:one|two|three|four|five|six|seven|eight|nine|ten)\s?$",
        text[max(0, pre_start - 12) : pre_start],
        re.IGNORECASE,
    ):
        score = 2.0  # "six of the ten patients": ten is the sample
    return score, pre


def _hyphen_candidates(sent: Sentence, text: str, first: bool) -> list[_Cand]:
    """Counts hyphenated to their noun: "a 12-patient cohort"."""
    cands: list[_Cand] = []
    for m in _N_HYPHEN.finditer(text):
        value = parse_number(m.group("num"))
        if value:
            cands.append(
                (
                    3.5 if first else 3.0,
                    int(value),
                    sent.start + m.start(),
                    sent.start + m.end(),
                    m.group("noun").lower(),
                    "",
                    text,
                )
            )
    return cands


def _equals_candidates(sent: Sentence, text: str) -> list[_Cand]:
    """A single "n = 30" of a sentence (several are arm sizes), not one after a group's name."""
    cands: list[_Cand] = []
    equals = list(_N_EQUALS.finditer(text))
    if len(equals) > 1:
        equals = []  # several "n = " in one sentence are arm sizes
    for m in equals:
        before = text[max(0, m.start() - 40) : m.start()]
        if re.search(r"\b(?:group|arm)\b[^,;]{0,20}$", before, re.IGNORECASE):
            continue
        value = parse_number(m.group("num"))
        if value is not None:
            cands.append((1.5, int(value), sent.start + m.start(), sent.start + m.end(), "", "", text))
    return cands


def _sum_candidates(sent: Sentence, text: str, first: bool) -> list[_Cand]:
    """Sums of two counts: "10 men and 14 women" is a sample of 24."""
    cands: list[_Cand] = []
    for m in _N_SUM.finditer(text):
        a, b = parse_number(m.group("a")), parse_number(m.group("b"))
        if a is None or b is None:
            continue
        pre = text[max(0, m.start() - 14) : m.start()].lower()
        score = 2.5 if re.search(r"\b(?:in|of|on|among|included|enrolled|involving)\s$", pre) else 1.5
        cands.append(
            (
                score + (0.5 if first else 0),
                int(a + b),
                sent.start + m.start(),
                sent.start + m.end(),
                m.group("noun").lower(),
                "",
                text,
            )
        )
    return cands


def _choose(c: ReadContext, cands: list[_Cand], pop: Population) -> None:
    """The best candidate is n; the first with an analysis or recruitment word near it, n analysed/enrolled."""
    top = max(x[0] for x in cands)
    # a count with a recruitment cue wins; with bare counts only, the sample is the largest
    key = (lambda x: (x[0], -x[2])) if top >= 2 else (lambda x: (x[1], -x[2]))
    best = max(cands, key=key)
    pop.n = best[1]
    c.mark("population.n", best[2], best[3])
    for cand in cands:
        ctx_after = c.text[cand[3] : cand[3] + 60]
        ctx_before = c.text[max(0, cand[2] - 40) : cand[2]]
        if _N_ANALYZED.search(ctx_after) and pop.n_analyzed is None:
            pop.n_analyzed = cand[1]
            c.mark("population.n_analyzed", cand[2], cand[3])
        if (_N_ENROLLED.search(ctx_after[:40]) or _N_ENROLLED.search(ctx_before)) and pop.n_enrolled is None:
            pop.n_enrolled = cand[1]
            c.mark("population.n_enrolled", cand[2], cand[3])
    if pop.n_enrolled is not None and pop.n != pop.n_enrolled and best[0] < 3.5:
        pop.n = pop.n_enrolled
        c.prov["population.n"] = list(c.prov["population.n_enrolled"])
