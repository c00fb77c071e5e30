"""Matching a user's condition filter (a label, an ICD-10-CM code prefix or a synonym).

The synonyms come from the package's condition vocabulary,
``ldn_atlas/data/conditions.yaml``: a list of entries with a ``label``, an
ICD-10-CM ``code`` and ``synonyms`` (a few other spellings of those keys are
accepted).  When the file is absent, labels and codes still match.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from ldn_atlas.errors import InputError


@dataclass(frozen=True)
class ConditionTerm:
    """One condition of the vocabulary: its label, ICD-10-CM code and synonyms."""

    label: str
    code: str | None = None
    synonyms: tuple[str, ...] = ()
    by_code: bool = True
    """Also select studies by code; off for an animal model coded as the condition it models."""

    def names(self) -> tuple[str, ...]:
        return (self.label, *self.synonyms)


def _norm_code(code: str) -> str:
    return code.strip().upper().rstrip("-").rstrip(".")


def code_matches(query: str, code: str | None) -> bool:
    """Whether a code query matches a study's ICD-10-CM code.

    The query matches when it is a prefix of the code (``G35`` matches
    ``G35``; ``g90`` matches ``G90.5-``), or when the code is a category that
    requires more characters (a trailing ``-``) and the query lies inside it
    (``G90.51`` matches ``G90.5-``).

    Examples
    --------
    >>> code_matches("g90.5", "G90.5-"), code_matches("G90.51", "G90.5-"), code_matches("G35.1", "G35")
    (True, True, False)
    """
    if not code or not query.strip():
        return False
    q, c = _norm_code(query), _norm_code(code)
    if not q or not q[0].isalpha() or not any(ch.isdigit() for ch in q):
        # A code query is a letter followed by digits; "MS" or "CRPS" are names, not code prefixes.
        return False
    if c.startswith(q):
        return True
    return code.strip().endswith("-") and q.startswith(c)


def condition_matches(
    query: str, label: str, code: str | None, vocabulary: Iterable[ConditionTerm] = ()
) -> bool:
    """Whether a study with condition ``(label, code)`` matches a user's condition query.

    The query matches, case-insensitively, the study's label, a code prefix
    (see :func:`code_matches`), or a synonym: a vocabulary entry one of whose
    names equals the query selects studies with that entry's label or any of
    its names as label, or whose code lies under the entry's code.

    Examples
    --------
    >>> crps = ConditionTerm("CRPS type I", "G90.5-", ("reflex sympathetic dystrophy",))
    >>> condition_matches("Reflex Sympathetic Dystrophy", "CRPS", "G90.51", [crps])
    True
    >>> condition_matches("fibromyalgia", "Multiple sclerosis", "G35", [crps])
    False
    """
    q = query.strip().casefold()
    if not q:
        return True
    if label.strip().casefold() == q or code_matches(query, code):
        return True
    for term in vocabulary:
        if q not in {n.strip().casefold() for n in term.names()}:
            continue
        if label.strip().casefold() in {n.strip().casefold() for n in term.names()}:
            return True
        if term.by_code and term.code and code and code_matches(term.code, code):
            return True
    return False


def _entries(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, dict):
        for key in ("conditions", "terms", "vocabulary"):
            if isinstance(data.get(key), list):
                return list(data[key])
        # a mapping keyed by an id: {ms: {label: ..., code: ...}}
        return [dict(v, id=k) if isinstance(v, dict) else {} for k, v in data.items()]
    if isinstance(data, list):
        return list(data)
    return []


def parse_vocabulary(data: Any, origin: str = "conditions.yaml") -> tuple[ConditionTerm, ...]:
    """Condition terms from the parsed YAML of a vocabulary file."""
    terms: list[ConditionTerm] = []
    for index, entry in enumerate(_entries(data)):
        if not isinstance(entry, dict):
            raise InputError(f"entry {index} is not a mapping", location=origin)
        label = entry.get("label") or entry.get("name")
        if not isinstance(label, str) or not label.strip():
            continue
        code = entry.get("codes") or entry.get("code") or entry.get("icd10cm") or entry.get("icd10")
        if isinstance(code, list):
            codes = [str(c) for c in code]
            code = codes[0] if codes else None
        else:
            codes = [str(code)] if code else []
        synonyms = entry.get("synonyms") or entry.get("aliases") or []
        if isinstance(synonyms, str):
            synonyms = [synonyms]
        names = [str(s) for s in synonyms]
        if isinstance(entry.get("id"), str):
            names.append(entry["id"])
        short = entry.get("short") or entry.get("abbreviation")
        if isinstance(short, str):
            names.append(short)
        by_code = not entry.get("maps_to")
        first = str(code) if code else None
        terms.append(ConditionTerm(label=label, code=first, synonyms=tuple(names), by_code=by_code))
        # a term with several codes (CRPS II: G56.4-, G57.7-) matches under each of them
        for extra in codes[1:]:
            terms.append(ConditionTerm(label=label, code=extra, synonyms=tuple(names), by_code=by_code))
    return tuple(terms)


@lru_cache(maxsize=1)
def load_vocabulary() -> Sequence[ConditionTerm]:
    """The package's condition vocabulary (empty when ``data/conditions.yaml`` is absent).

    Read through :mod:`ldn_atlas.vocabulary` (which validates the file); each
    entry gives one term per ICD-10-CM code, its id and synonyms as names.  An
    animal model (an entry that ``maps_to`` a human condition) matches by name
    only, so ``EAE`` selects the EAE studies, not every study coded G35.
    """
    path = resources.files("ldn_atlas") / "data" / "conditions.yaml"
    if not path.is_file():
        return ()
    try:
        from ldn_atlas import vocabulary
    except ImportError:  # pragma: no cover - the vocabulary module ships with the package
        return parse_vocabulary(yaml.safe_load(path.read_text(encoding="utf-8")), origin=str(path))
    terms: list[ConditionTerm] = []
    for entry in vocabulary.load_vocabulary():
        names = (*entry.synonyms, entry.id)
        for code in entry.codes or (None,):
            terms.append(ConditionTerm(entry.label, code, names, by_code=entry.maps_to is None))
    return tuple(terms)


__all__ = ["ConditionTerm", "code_matches", "condition_matches", "load_vocabulary", "parse_vocabulary"]
