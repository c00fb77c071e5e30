"""Correlation coefficients: raw (COR) and Fisher's r-to-z (ZCOR)."""

from __future__ import annotations

import warnings

import numpy as np

from ldn_atlas.errors import DataWarning
from ldn_atlas.stats.effect_sizes.family import FamilyOutput, FloatArray, Settings, na_mask, wmean
from ldn_atlas.stats.effect_sizes.inputs import check, require

#: the measures of this family.
CODES = frozenset({"COR", "ZCOR"})


def correlation(measure: str, a: dict[str, FloatArray], settings: Settings) -> FamilyOutput:
    """COR and ZCOR from correlations ``ri`` and sample sizes ``ni``."""
    vt = settings.vt
    require(measure, a, "ri", "ni")
    ri, ni = a["ri"], a["ni"]
    check(np.abs(ri) > 1, "escalc: one or more correlations (ri) are > 1 or < -1")
    check(ni <= 0, "escalc: one or more sample sizes (ni) are <= 0")
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "COR":
            yi = ri.copy()
            mnw = wmean(yi, ni)
            vi = np.where(vt == "AV", (1 - mnw**2) ** 2 / (ni - 1), (1 - yi**2) ** 2 / (ni - 1))
        else:  # ZCOR
            yi = np.arctanh(ri)
            vi = 1 / (ni - 3)
    if np.any(ni <= 3):
        warnings.warn("escalc: cannot estimate the sampling variance when ni <= 3 (set to NaN)",
                      DataWarning, stacklevel=3)
    vi = np.where(ni <= 3, np.nan, vi)
    vi_na = (ni <= 3) | (na_mask(ni) if measure == "ZCOR" else np.where(vt == "AV", na_mask(ni), na_mask(ri, ni)))
    return yi, vi, ni, na_mask(ri), vi_na
