"""Paired (pre/post) designs: mean change, standardized mean change and log ratios for dependent samples."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ldn_atlas.stats.effect_sizes.corrections import hedges_correction
from ldn_atlas.stats.effect_sizes.family import FamilyOutput, FloatArray, Settings, na_mask
from ldn_atlas.stats.effect_sizes.inputs import check, require

#: the measures of this family.
CODES = frozenset({"MC", "SMCC", "SMCR", "ROMC", "SMCRH", "CVRC", "VRC"})


def paired(measure: str, a: dict[str, FloatArray], settings: Settings) -> FamilyOutput:
    """MC, SMCC, SMCR, SMCRH, ROMC, CVRC and VRC from the two time points of one group (with ``ri``)."""
    vt = settings.vt
    if measure == "SMCR":
        require(measure, a, "m1i", "m2i", "sd1i", "ni", "ri")
    elif measure == "VRC":
        require(measure, a, "sd1i", "sd2i", "ni", "ri")
    else:
        require(measure, a, "m1i", "m2i", "sd1i", "sd2i", "ni", "ri")
    s1, ni, ri = (a[n] for n in ("sd1i", "ni", "ri"))
    m1 = a.get("m1i", np.full(ni.shape, np.nan))
    m2 = a.get("m2i", np.full(ni.shape, np.nan))
    s2 = a.get("sd2i", np.full(ni.shape, np.nan))
    if measure == "SMCR":
        check(s1 < 0, "escalc: one or more standard deviations (sd1i) are negative")
    else:
        check((s1 < 0) | (s2 < 0), "escalc: one or more standard deviations (sd1i, sd2i) are negative")
    check(np.abs(ri) > 1, "escalc: one or more correlations (ri) are > 1 or < -1")
    check(ni <= 0, "escalc: one or more sample sizes (ni) are <= 0")
    mi = ni - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "MC":
            yi = m1 - m2
            vi = (s1**2 + s2**2 - 2 * ri * s1 * s2) / ni
        elif measure == "SMCC":
            cm = hedges_correction(mi)
            sdd = np.sqrt(s1**2 + s2**2 - 2 * ri * s1 * s2)
            d = (m1 - m2) / sdd
            yi = cm * d
            vi = np.where(vt == "LS2", cm**2 * (1 / ni + d**2 / (2 * ni)), 1 / ni + yi**2 / (2 * ni))
        elif measure == "SMCR":
            cm = hedges_correction(mi)
            d = (m1 - m2) / s1
            yi = cm * d
            vi = np.where(vt == "LS2", cm**2 * (2 * (1 - ri) / ni + d**2 / (2 * ni)),
                          2 * (1 - ri) / ni + yi**2 / (2 * ni))
        elif measure == "SMCRH":
            cm = hedges_correction(mi)
            var_d = s1**2 + s2**2 - 2 * ri * s1 * s2
            yi = cm * (m1 - m2) / s1
            vi = cm**2 * (var_d / (s1**2 * (ni - 1)) + yi**2 / (2 * (ni - 1)))
        elif measure == "CVRC":
            yi = np.log(s1 / m1) - np.log(s2 / m2)
            vi = ((1 - ri**2) / (ni - 1)
                  + (m1**2 * s2**2 + m2**2 * s1**2 - 2 * m1 * m2 * ri * s1 * s2) / (m1**2 * m2**2 * ni))
        elif measure == "VRC":
            yi = np.log(s1 / s2)
            vi = (1 - ri**2) / (ni - 1)
        else:  # ROMC
            yi = np.log(m1 / m2)
            vi = (s1**2 / (ni * m1**2) + s2**2 / (ni * m2**2) - 2 * ri * s1 * s2 / (m1 * m2 * ni))
    yi_na, vi_na = _missing(measure, m1, m2, s1, s2, ri, ni)
    return yi, vi, ni.copy(), yi_na, vi_na


def _missing(
    measure: str, m1: FloatArray, m2: FloatArray, s1: FloatArray, s2: FloatArray, ri: FloatArray, ni: FloatArray
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Which ``yi`` and ``vi`` are missing because an input they depend on is."""
    mi = ni - 1
    if measure == "MC":
        yi_na, vi_na = na_mask(m1, m2), na_mask(s1, s2, ri, ni)
    elif measure == "SMCC":
        yi_na = na_mask(m1, m2, s1, s2, ri, ni) | (mi <= 1)
        vi_na = yi_na
    elif measure == "SMCR":
        yi_na = na_mask(m1, m2, s1, ni) | (mi <= 1)
        vi_na = yi_na | na_mask(ri)
    elif measure == "SMCRH":
        yi_na = na_mask(m1, m2, s1, ni) | (mi <= 1)
        vi_na = yi_na | na_mask(s2, ri)
    elif measure == "CVRC":
        yi_na, vi_na = na_mask(m1, m2, s1, s2), na_mask(m1, m2, s1, s2, ri, ni)
    elif measure == "VRC":
        yi_na, vi_na = na_mask(s1, s2), na_mask(ri, ni)
    else:  # ROMC
        yi_na, vi_na = na_mask(m1, m2), na_mask(m1, m2, s1, s2, ri, ni)
    return yi_na, vi_na
