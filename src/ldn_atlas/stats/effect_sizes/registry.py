"""The measure registry: each :func:`~ldn_atlas.stats.escalc` measure code and the family that computes it.

To add a measure: put its code and description in :mod:`.measures` (and its variance types there, if
any), compute it in the family module it belongs to (or a new one with the same signature), and list
the family here.
"""

from __future__ import annotations

from collections.abc import Callable

from ldn_atlas.stats.effect_sizes import correlations, paired, person_time, single_group, two_by_two, two_group_means
from ldn_atlas.stats.effect_sizes.family import FamilyOutput, FloatArray, Settings
from ldn_atlas.stats.effect_sizes.measures import MEASURES

Family = Callable[[str, dict[str, FloatArray], Settings], FamilyOutput]

#: the families, each with the measure codes it computes.
_FAMILIES: tuple[tuple[frozenset[str], Family], ...] = (
    (two_by_two.CODES, two_by_two.two_by_two),
    (person_time.CODES, person_time.person_time),
    (two_group_means.CODES, two_group_means.two_group_means),
    (correlations.CODES, correlations.correlation),
    (single_group.PROPORTION_CODES, single_group.proportion),
    (single_group.RATE_CODES, single_group.rate),
    (single_group.MEAN_CODES, single_group.single_mean),
    (paired.CODES, paired.paired),
)

#: measure code -> the function computing its ``(yi, vi, ni, yi_na, vi_na)``.
FAMILIES: dict[str, Family] = {code: family for codes, family in _FAMILIES for code in codes}

if set(FAMILIES) != set(MEASURES):  # pragma: no cover - a measure listed without a family, or vice versa
    raise ImportError(f"escalc measures without a family: {sorted(set(MEASURES) ^ set(FAMILIES))}")
