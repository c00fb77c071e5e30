"""Cue words several field readers share: people nouns, negation, other studies, LDN and placebo."""

from __future__ import annotations

import re

from ldn_atlas.extract.patterns import gate, rx

_POP_NOUN = (
    r"patients?|subjects?|participants?|women|woman|men|man|persons?|people|individuals?|volunteers?|adults?|"
    r"children|sufferers?|cases|mice|rats|animals|females|males|girls|boys|infants|outpatients|inpatients|"
    r"veterans|smokers|patient|adolescents|residents|pregnancies|couples|eyes"
)
_NEG_BEFORE = rx(
    "negation_before",
    r"(?:\b(?:no|not|without|never|nor|lack of|absence of|neither)\b ?|\bnon-)"
    r"(?:[\w-]{1,25}[ ,]{1,2}){0,3}$",
)
_OTHER_STUDIES = rx(
    "other_studies",
    r"\b(?:previous|prior|earlier|past|other) (?:stud|trial|report|work)|"
    r"\bha(?:ve|s) (?:been )?(?:shown|reported|suggested|demonstrated)\b",
)
_LDN = rx("ldn_mention", r"\b(?:low[- ]dose naltrexone|LDN|naltrexone)\b")
_PLACEBO = rx("placebo", r"\bplacebo\b")
_OTHER_STUDIES = gate(
    _OTHER_STUDIES, "previous", "prior", "earlier", "past", "other", "shown", "reported", "suggested", "demonstrated"
)
_LDN = gate(_LDN, "ldn", "naltrexone")
_PLACEBO = gate(_PLACEBO, "placebo")


def negated(text: str, start: int) -> bool:
    """A negation word ("no", "not", "without", ...) stands in the clause before ``start``."""
    clause = re.split(r"[,;:()]", text[max(0, start - 60) : start])[-1]
    return bool(_NEG_BEFORE.search(clause))
