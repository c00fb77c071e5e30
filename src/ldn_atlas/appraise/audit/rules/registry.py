"""Every rule of the audit by its code: the one list the verdict, ``--explain``, /methods and the docs read."""

from __future__ import annotations

from ldn_atlas.appraise.audit.rules import (
    classification,
    context,
    design,
    direction,
    drug_facts,
    general,
    inference,
    numbers,
    safety,
    support,
    temporal,
)
from ldn_atlas.appraise.audit.rules.base import FAMILIES, Rule

_MODULES = (
    context,
    design,
    support,
    numbers,
    classification,
    safety,
    direction,
    inference,
    general,
    temporal,
    drug_facts,
)

#: code -> rule, in code order
RULES: dict[str, Rule] = dict(sorted((r.code, r) for m in _MODULES for r in m.RULES))


def get_rule(code: str) -> Rule:
    """The rule of ``code`` (case-insensitive); ``KeyError`` when there is none."""
    return RULES[code.strip().upper()]


def rules_by_family() -> list[tuple[str, list[Rule]]]:
    """(family name, its rules) in code order."""
    return [(name, [r for r in RULES.values() if r.code[3] == digit]) for digit, name in FAMILIES.items()]


__all__ = ["RULES", "get_rule", "rules_by_family"]
