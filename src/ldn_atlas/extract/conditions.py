"""Condition recognition against the project's condition vocabulary.

The vocabulary (``ldn_atlas/data/conditions.yaml``, curated with the embedded
evidence base) lists each condition with its label, ICD-10-CM code and synonyms.
This module reads it, builds one case-insensitive alternation of the long names
and one case-sensitive alternation of the abbreviations (``MS``, ``CRPS``,
``RSD``), and reports every mention with its span and canonical label.

Until that file exists a minimal built-in list of the conditions the seed
article covers is used, so extraction works on a bare checkout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ldn_atlas.extract.patterns import rx


@dataclass(frozen=True, slots=True)
class ConditionEntry:
    label: str
    code: str | None
    synonyms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ConditionMention:
    label: str
    code: str | None
    start: int
    end: int
    text: str


_FALLBACK: tuple[ConditionEntry, ...] = (
    ConditionEntry(
        "multiple sclerosis",
        "G35",
        (
            "multiple sclerosis",
            "MS",
            "relapsing-remitting multiple sclerosis",
            "primary progressive multiple sclerosis",
            "secondary progressive multiple sclerosis",
        ),
    ),
    ConditionEntry("fibromyalgia", "M79.7", ("fibromyalgia", "fibromyalgia syndrome", "FM", "FMS")),
    ConditionEntry(
        "complex regional pain syndrome",
        "G90.5",
        ("complex regional pain syndrome", "CRPS", "reflex sympathetic dystrophy", "RSD", "causalgia"),
    ),
)


def _entries_from_yaml(data: Any) -> list[ConditionEntry]:
    items = data.get("conditions", data) if isinstance(data, dict) else data
    if isinstance(items, dict):  # {slug: {...}}
        items = [{"id": k, **v} if isinstance(v, dict) else {"label": k} for k, v in items.items()]
    out = []
    for item in items or []:
        if not isinstance(item, dict):
            continue
        label = item.get("label") or item.get("name") or item.get("id")
        if not label:
            continue
        code = item.get("code") or item.get("icd10cm") or item.get("icd10")
        syns = [str(label)]
        for key in ("synonyms", "aliases", "abbreviations", "terms"):
            value = item.get(key) or []
            syns.extend(str(v) for v in (value if isinstance(value, list) else [value]))
        out.append(ConditionEntry(str(label), str(code) if code else None, tuple(dict.fromkeys(syns))))
    return out


@lru_cache(maxsize=1)
def vocabulary() -> tuple[ConditionEntry, ...]:
    """The condition entries: the packaged vocabulary when present, else the built-in minimum."""
    try:
        import yaml

        ref = resources.files("ldn_atlas.data").joinpath("conditions.yaml")
        if ref.is_file():
            entries = _entries_from_yaml(yaml.safe_load(ref.read_text(encoding="utf-8")))
            if entries:
                return tuple(entries)
    except (ModuleNotFoundError, OSError, ValueError):  # pragma: no cover - broken install
        pass
    return _FALLBACK


def _is_abbreviation(term: str) -> bool:
    return len(term) <= 6 and term.upper() == term and any(c.isalpha() for c in term)


@lru_cache(maxsize=1)
def _matchers() -> tuple[re.Pattern[str] | None, re.Pattern[str] | None, dict[str, ConditionEntry]]:
    index: dict[str, ConditionEntry] = {}
    names: list[str] = []
    abbrevs: list[str] = []
    for entry in vocabulary():
        for term in entry.synonyms:
            term = term.strip()
            if not term:
                continue
            if _is_abbreviation(term):
                index.setdefault(term, entry)
                abbrevs.append(term)
            else:
                index.setdefault(term.lower(), entry)
                names.append(term)

    def alt(terms: list[str]) -> str:
        return "|".join(
            re.escape(t).replace(r"\ ", r"[\s-]") for t in sorted(set(terms), key=len, reverse=True)
        )

    long_rx = rx("condition_names", rf"(?<![\w-])(?:{alt(names)})(?![\w])") if names else None
    abbr_rx = rx("condition_abbrevs", rf"(?<![\w-])(?:{alt(abbrevs)})(?![\w])", 0) if abbrevs else None
    return long_rx, abbr_rx, index


@lru_cache(maxsize=1)
def _project_vocabulary() -> Any:
    """The project's :class:`ldn_atlas.vocabulary.Vocabulary`, or ``None`` on a checkout without it."""
    try:
        from ldn_atlas.vocabulary import load_vocabulary
    except ImportError:  # pragma: no cover - the vocabulary module ships with the package
        return None
    try:
        return load_vocabulary()
    except Exception:  # pragma: no cover - a broken vocabulary file must not stop extraction
        return None


def find_conditions(text: str, offset: int = 0) -> list[ConditionMention]:
    """Every condition mention in ``text`` (spans shifted by ``offset``), in text order.

    Uses :meth:`ldn_atlas.vocabulary.Vocabulary.mentions` (long names case-insensitively,
    acronyms only in capitals); an animal model (EAE) is reported as the human condition it
    models, since the model itself is recorded in ``Study.model``.
    """
    vocab = _project_vocabulary()
    if vocab is not None:
        out = []
        for entry, start, end in vocab.mentions(text):
            human = vocab.resolve(entry.id)
            out.append(
                ConditionMention(human.label, human.code, offset + start, offset + end, text[start:end])
            )
        return out
    long_rx, abbr_rx, index = _matchers()
    found: list[ConditionMention] = []
    taken: list[tuple[int, int]] = []
    for pattern, key in ((long_rx, str.lower), (abbr_rx, str)):
        if pattern is None:
            continue
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            norm = re.sub(r"[\s-]+", " ", m.group(0))
            entry = index.get(key(norm)) or index.get(key(m.group(0)))
            if entry is None:
                continue
            taken.append((m.start(), m.end()))
            found.append(
                ConditionMention(entry.label, entry.code, offset + m.start(), offset + m.end(), m.group(0))
            )
    found.sort(key=lambda c: c.start)
    return found


def lookup_condition(term: str) -> tuple[str, str | None] | None:
    """The canonical ``(label, code)`` of a condition name or synonym, or ``None``.

    >>> lookup_condition("RSD")[0].lower().startswith("complex regional pain syndrome")
    True
    """
    vocab = _project_vocabulary()
    if vocab is not None:
        entry = vocab.lookup(term)
        if entry is not None:
            human = vocab.resolve(entry.id)
            return human.label, human.code
    hits = find_conditions(term)
    if hits:
        return hits[0].label, hits[0].code
    return None
