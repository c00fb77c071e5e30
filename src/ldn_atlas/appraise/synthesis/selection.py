"""Choosing the studies of a synthesis: human studies from their primary record, grouped by condition x
outcome domain; the controlled ones; and, for a comparative synthesis, one outcome per randomized trial
with every other design excluded with its reason."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ldn_atlas.appraise.levels import evidence_level
from ldn_atlas.appraise.synthesis.describe import single_arm_responders
from ldn_atlas.appraise.synthesis.results import Exclusion
from ldn_atlas.model.classify import DesignCategory, design_category, outcome_domain
from ldn_atlas.model.evidence import Outcome, Study

#: One outcome of one study: the study, the outcome's index in it, and the outcome.
Item = tuple[Study, int, Outcome]
#: A condition x outcome: the condition's key and the outcome domain's id.
GroupKey = tuple[str, str]


def is_primary_human(study: Study) -> bool:
    """A human study recorded from its own (primary) record: not an article's retelling of another study,
    and not a study whose very design is unverified (e.g. a case an article mentions that no source identifies)."""
    return study.species == "human" and study.primary_source is None and study.verification_of("design") != "unverified"


def condition_key(study: Study) -> tuple[str, str, str | None]:
    """The condition of a study as (key, label, code): its vocabulary entry when there is one, else its label."""
    try:
        from ldn_atlas.vocabulary import load_vocabulary

        vocab = load_vocabulary()
        entry = (vocab.by_code(study.condition.code) if study.condition.code else None) or vocab.lookup(
            study.condition.label
        )
    except Exception:  # the vocabulary is optional here: fall back to the record's label
        entry = None
    if entry is not None:
        key = entry.maps_to or entry.id
        return key, entry.label if not entry.maps_to else study.condition.label, entry.code
    return study.condition.label.lower(), study.condition.label, study.condition.code


def group_by_condition_outcome(
    studies: Sequence[Study],
) -> tuple[dict[GroupKey, list[Item]], dict[GroupKey, tuple[str, str | None, str]]]:
    """The outcomes of the primary human studies by condition x outcome domain, and for each group its
    condition label, condition code and domain label."""
    groups: dict[GroupKey, list[Item]] = defaultdict(list)
    meta: dict[GroupKey, tuple[str, str | None, str]] = {}
    for s in studies:
        if not is_primary_human(s):
            continue
        ckey, clabel, ccode = condition_key(s)
        for i, o in enumerate(s.outcomes):
            dom = outcome_domain(o)
            groups[(ckey, dom.id)].append((s, i, o))
            meta[(ckey, dom.id)] = (clabel, ccode, dom.label)
    return groups, meta


def has_controlled(items: Sequence[Item]) -> bool:
    """Whether any of the studies is controlled (randomized or not)."""
    return any(
        design_category(s) in (DesignCategory.RANDOMISED_CONTROLLED, DesignCategory.NON_RANDOMISED_CONTROLLED)
        for s, _i, _o in items
    )


def choose_trials(items: Sequence[Item]) -> tuple[list[Item], list[Exclusion]]:
    """The randomized trials of a condition x outcome, one outcome each (the first recorded: the primary
    outcome), and every study of another design excluded with its reason."""
    chosen: list[Item] = []
    excluded: list[Exclusion] = []
    seen: set[str] = set()
    for s, i, o in items:
        cat = design_category(s)
        if cat != DesignCategory.RANDOMISED_CONTROLLED:
            if s.id not in seen:
                excluded.append(
                    Exclusion(
                        s.id,
                        s.label,
                        f"{cat.label} (OCEBM level {evidence_level(s).level}): not pooled with randomized trials"
                        + single_arm_responders(s, i, o),
                    )
                )
                seen.add(s.id)
            continue
        if s.id in seen:
            continue  # one outcome per study per domain: the first recorded (the primary outcome)
        seen.add(s.id)
        chosen.append((s, i, o))
    return chosen, excluded
