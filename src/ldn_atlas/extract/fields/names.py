"""Outcome and comparator names: trimming the words around a name, lists of names, a clause's subject."""

from __future__ import annotations

import re

from ldn_atlas.extract.patterns import rx

_OBJ_CUT = rx(
    "object_cut",
    r"\s(?:was|were|is|are|has|have|had|that|which|who|after|with|following|compared|than|when|while|"
    r"in comparison|at|from|during|among|between|versus|vs\.?|for|by|on|as|to|but|because|although|"
    r"in (?:these|the|those|all|both|three|two|\d)|"
    r"of (?:these|the|those|their)\b(?! (?:disease|illness|condition|symptoms|pain)\b)|"
    r"of (?:[\w-]{1,20} ){0,2}(?:patients|subjects|participants|women|men|people|mice|rats)|"
    r"of (?:LDN|treatment)|"
    r"in patients|in subjects|in (?:the )?(?:ldn|placebo|treatment|control))\b",
)
_LEADING = rx(
    "leading_words",
    r"^(?:the|a|an|their|his|her|its|overall|observed|mean|total|any|some|"
    r"these|those|and|or|but|both|[\w-]{1,20}'s?)\s",
)
_TOPIC = re.compile(
    r"^(?:with respect to|with regard to|regarding|in terms of|for|as for)\s(?P<name>[^,;]{3,90}),", re.IGNORECASE
)
_EFFECT_WORDS = re.compile(
    r"^(?:the\s)?(?:odds|hazard|risk|rate|incidence rate)\sratio$|^(?:the\s)?(?:mean\s)?difference$"
    r"|^(?:the\s)?relative risk$",
    re.IGNORECASE,
)


def clean_name(obj: str) -> str:
    """The name in ``obj`` without the clause after it and the articles or possessives before it."""
    obj = obj.strip()
    m = _OBJ_CUT.search(" " + obj)
    if m:
        obj = (" " + obj)[: m.start()].strip()
    obj = re.sub(r"\s+(?:and|or|in|of|the|a|an)$", "", obj.strip())
    for _ in range(3):
        new = _LEADING.sub("", obj)
        if new == obj:
            break
        obj = new
    return obj.strip(" -")


def split_list(name: str) -> list[str]:
    """The items of a listed name ("pain, fatigue and sleep"), or ``[name]``."""
    if "," not in name:
        return [name]
    parts = [p.strip() for p in re.split(r",\s?(?:and\s|or\s)?|\s(?:and|or)\s(?=[^,]*$)", name) if p.strip()]
    out = []
    for p in parts:
        p = clean_name(p)
        if p and len(p) >= 3:
            out.append(p)
    return out or [name]


def effect_words(name: str) -> bool:
    """``name`` is the name of an effect measure ("odds ratio", "mean difference"), not of an outcome."""
    return bool(_EFFECT_WORDS.match(name))


def name_from_clause(text: str) -> str | None:
    """The outcome a statistic belongs to: a fronted topic ("With respect to X, ...") or a clause subject.

    Clauses are tried from the one nearest the statistic back to the start of the sentence.
    """
    clauses = re.split(r"[;:]|\(", text) if text else []
    for clause in reversed(clauses):
        topic = _TOPIC.match(clause.strip())
        if topic:
            name = topic.group("name").strip()
            for _ in range(3):
                name = _LEADING.sub("", name)
            if name and re.search(r"[a-z]{4}", name, re.IGNORECASE):
                return name
            continue
        part = re.sub(r"\b(?:was|were|is|are|had|has|have)\b.*$", "", clause)
        part = re.split(r",\s(?=[a-z]{2,}\s)", part)[-1].strip(" ,(")
        name = clean_name(" ".join(part.split()[-8:]))
        if (
            name
            and re.search(r"[a-z]{4}", name, re.IGNORECASE)
            and not re.fullmatch(r"[\d.,% ]+", name)
            and not _EFFECT_WORDS.match(name)
        ):
            return name
    return None
