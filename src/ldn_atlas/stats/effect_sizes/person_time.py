"""Two-group event rates from counts and person-time: rate ratio, rate difference, square-root difference."""

from __future__ import annotations

import numpy as np

from ldn_atlas.stats.effect_sizes.corrections import add_to
from ldn_atlas.stats.effect_sizes.family import FamilyOutput, FloatArray, Settings, na_mask
from ldn_atlas.stats.effect_sizes.inputs import check, require

#: the measures of this family.
CODES = frozenset({"IRR", "IRD", "IRSD"})


def person_time(measure: str, a: dict[str, FloatArray], settings: Settings) -> FamilyOutput:
    """IRR, IRD and IRSD from the events and person-times of two groups (``x1i, x2i, t1i, t2i``)."""
    add, to, drop00 = settings.add, settings.to, settings.drop00
    require(measure, a, "x1i", "x2i", "t1i", "t2i")
    x1, x2, t1, t2 = a["x1i"], a["x2i"], a["t1i"], a["t2i"]
    check((x1 < 0) | (x2 < 0), "escalc: one or more counts (x1i, x2i) are negative")
    check((t1 <= 0) | (t2 <= 0), "escalc: one or more person-times (t1i, t2i) are <= 0")
    ni_u = t1 + t2
    if drop00:
        id00 = (x1 == 0) & (x2 == 0)
        x1, x2 = (np.where(id00, np.nan, x) for x in (x1, x2))
    x1, x2 = add_to([x1, x2], add, to)
    with np.errstate(divide="ignore", invalid="ignore"):
        r1 = x1 / t1
        r2 = x2 / t2
        if measure == "IRR":
            yi = np.log(r1) - np.log(r2)
            vi = 1 / x1 + 1 / x2
        elif measure == "IRD":
            yi = r1 - r2
            vi = r1 / t1 + r2 / t2
        else:  # IRSD
            yi = np.sqrt(r1) - np.sqrt(r2)
            vi = 1 / (4 * t1) + 1 / (4 * t2)
    yi_na = na_mask(x1, x2, t1, t2)
    vi_na = {"IRR": na_mask(x1, x2), "IRD": yi_na, "IRSD": na_mask(t1, t2)}[measure]
    return yi, vi, ni_u, yi_na, vi_na
