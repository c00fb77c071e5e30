"""The prepared forms of an abstract and of a prompt: what every feature group reads.

Data only; :mod:`~ldn_atlas.extract.inference_features.prepare` builds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ldn_atlas.extract.inference_text import AbstractDoc, Sentence


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
