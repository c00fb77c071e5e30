"""The drug-facts registry (``data/drug_facts.yaml``): what is known about naltrexone and LDN, with citations.

The audit's drug-fact rules (AUD8xx) judge a sentence about an approval, a dose, a half-life or abuse
potential against these facts.  Each fact is a :class:`~ldn_atlas.model.drug_facts.DrugFact`; a bad file
is an :class:`~ldn_atlas.errors.InputError` naming the file, the fact and the field, in one line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ldn_atlas.appraise.registry_files import registry_text
from ldn_atlas.errors import InputError
from ldn_atlas.model.drug_facts import DrugFact


@dataclass(frozen=True)
class DrugFactRegistry:
    """The loaded facts, in file order."""

    facts: tuple[DrugFact, ...]

    def __iter__(self) -> Iterator[DrugFact]:
        return iter(self.facts)

    def __len__(self) -> int:
        return len(self.facts)

    def get(self, fact_id: str) -> DrugFact:
        for f in self.facts:
            if f.id == fact_id:
                return f
        raise KeyError(fact_id)

    def topic(self, topic: str) -> list[DrugFact]:
        """The facts of one topic (``approval``, ``dose``...)."""
        return [f for f in self.facts if f.topic == topic]

    def with_value(self, name: str) -> list[DrugFact]:
        """The facts that give the value ``name`` (e.g. ``standard_mg``), verified ones first."""
        rank = {"primary": 0, "secondary": 1, "unverified": 2}
        found = [f for f in self.facts if getattr(f.values, name) not in (None, [])]
        return sorted(found, key=lambda f: rank[f.verification])

    def to_dict(self) -> dict[str, Any]:
        return {"facts": [f.model_dump(mode="json", exclude_none=True) for f in self.facts]}


def _fact(raw: Any, where: str, index: int) -> DrugFact:
    if not isinstance(raw, dict):
        raise InputError("each drug fact must be a mapping", location=f"{where}: fact #{index + 1}")
    loc = f"{where}: fact {raw.get('id', f'#{index + 1}')}"
    try:
        return DrugFact.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or None
        msg = str(first["msg"]).removeprefix("Value error, ")
        raise InputError(msg, location=loc, field=field) from None


def _parse(text: str, where: str) -> DrugFactRegistry:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        loc = f"{where}:{mark.line + 1}" if mark is not None else where
        raise InputError(f"invalid YAML ({getattr(exc, 'problem', exc)})", location=loc) from None
    if not isinstance(data, dict) or not isinstance(data.get("facts"), list):
        raise InputError("the registry must be a mapping with a list 'facts'", location=where)
    facts = tuple(_fact(raw, where, i) for i, raw in enumerate(data["facts"]))
    ids = [f.id for f in facts]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise InputError(f"duplicate fact ids {dupes}", location=where)
    return DrugFactRegistry(facts)


@lru_cache(maxsize=1)
def _default_registry() -> DrugFactRegistry:
    return _parse(*registry_text(None, "drug_facts.yaml", "drug-facts registry"))


def load_drug_facts(path: str | Path | None = None) -> DrugFactRegistry:
    """Load and validate the drug-facts registry (default: the package's ``data/drug_facts.yaml``)."""
    if path is None:
        return _default_registry()
    return _parse(*registry_text(path, "drug_facts.yaml", "drug-facts registry"))


__all__ = ["DrugFactRegistry", "load_drug_facts"]
