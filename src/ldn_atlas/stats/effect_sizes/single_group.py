"""One-group measures: means and their spread, proportions, and incidence rates."""

from __future__ import annotations

import numpy as np

from ldn_atlas.stats.effect_sizes.corrections import add_to, hedges_correction
from ldn_atlas.stats.effect_sizes.family import FamilyOutput, FloatArray, Settings, na_mask, wmean
from ldn_atlas.stats.effect_sizes.inputs import check, require

#: the measures of each family in this module.
MEAN_CODES = frozenset({"MN", "MNLN", "CVLN", "SDLN", "SMN"})
PROPORTION_CODES = frozenset({"PR", "PLN", "PLO", "PAS", "PFT"})
RATE_CODES = frozenset({"IR", "IRLN", "IRS", "IRFT"})


def single_mean(measure: str, a: dict[str, FloatArray], settings: Settings) -> FamilyOutput:
    """MN, MNLN, CVLN, SDLN and SMN from one group's mean ``mi``, SD ``sdi`` and size ``ni``."""
    if measure == "SDLN":
        require(measure, a, "sdi", "ni")
    else:
        require(measure, a, "mi", "sdi", "ni")
    sd, ni = a["sdi"], a["ni"]
    mean = a.get("mi", np.full(ni.shape, np.nan))
    check(sd < 0, "escalc: one or more standard deviations (sdi) are negative")
    check(ni <= 0, "escalc: one or more sample sizes (ni) are <= 0")
    if measure in ("MNLN", "CVLN"):
        check(mean < 0, "escalc: one or more means (mi) are negative")
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "MN":
            yi, vi = mean.copy(), sd**2 / ni
            return yi, vi, ni.copy(), na_mask(mean), na_mask(sd, ni)
        if measure == "MNLN":
            yi, vi = np.log(mean), sd**2 / (ni * mean**2)
            return yi, vi, ni.copy(), na_mask(mean), na_mask(mean, sd, ni)
        if measure == "CVLN":
            yi = np.log(sd / mean) + 1 / (2 * (ni - 1))
            vi = 1 / (2 * (ni - 1)) + sd**2 / (ni * mean**2)
            na = na_mask(mean, sd, ni)
            return yi, vi, ni.copy(), na, na
        if measure == "SDLN":
            yi, vi = np.log(sd) + 1 / (2 * (ni - 1)), 1 / (2 * (ni - 1))
            return yi, vi, ni.copy(), na_mask(sd, ni), na_mask(ni)
        cm = hedges_correction(ni - 1)  # SMN
        yi = cm * mean / sd
        vi = 1 / ni + yi**2 / (2 * ni)
        na = na_mask(mean, sd, ni) | (ni - 1 <= 1)
        return yi, vi, ni.copy(), na, na


def proportion(measure: str, a: dict[str, FloatArray], settings: Settings) -> FamilyOutput:
    """PR, PLN, PLO, PAS and PFT from events ``xi`` and size ``ni`` (or non-events ``mi``)."""
    add, to, vt = settings.add, settings.to, settings.vt
    if "xi" not in a:
        require(measure, a, "xi")
    xi = a["xi"]
    mi = a.get("mi")
    ni = a.get("ni")
    if mi is None and ni is None:
        raise ValueError(f"escalc(measure={measure!r}) needs ni (or mi) with xi; neither given")
    if mi is not None and ni is not None:
        check(np.abs(ni - (xi + mi)) > 0, "escalc: one or more 'ni' values are not equal to 'xi + mi'")
        mi = np.where(np.isnan(mi), ni - xi, mi)
    elif mi is None:
        mi = ni - xi  # type: ignore[operator]
    check((xi < 0) | (mi < 0), "escalc: one or more counts are negative (is xi larger than ni?)")
    ni_u = xi + mi
    check(ni_u <= 0, "escalc: one or more group sizes (ni) are <= 0")
    xi, mi = add_to([xi, mi], add, to)
    n = xi + mi
    with np.errstate(divide="ignore", invalid="ignore"):
        p = xi / n
        mnw = wmean(p, n)
        if measure == "PR":
            yi = p
            vi = np.select([vt == "UB", vt == "LS", vt == "AV"],
                           [p * (1 - p) / (n - 1), p * (1 - p) / n, mnw * (1 - mnw) / n], np.nan)
        elif measure == "PLN":
            yi = np.log(p)
            vi = np.where(vt == "AV", 1 / (mnw * n) - 1 / n, 1 / xi - 1 / n)
        elif measure == "PLO":
            yi = np.log(p / (1 - p))
            vi = np.where(vt == "AV", 1 / (mnw * n) + 1 / ((1 - mnw) * n), 1 / xi + 1 / mi)
        elif measure == "PAS":
            yi = np.arcsin(np.sqrt(p))
            vi = 1 / (4 * n)
        else:  # PFT
            yi = 0.5 * (np.arcsin(np.sqrt(xi / (n + 1))) + np.arcsin(np.sqrt((xi + 1) / (n + 1))))
            vi = 1 / (4 * n + 2)
    na = na_mask(xi, mi)
    return yi, vi, ni_u, na, na


def rate(measure: str, a: dict[str, FloatArray], settings: Settings) -> FamilyOutput:
    """IR, IRLN, IRS and IRFT from events ``xi`` and person-time ``ti``."""
    add, to = settings.add, settings.to
    require(measure, a, "xi", "ti")
    xi, ti = a["xi"], a["ti"]
    check(xi < 0, "escalc: one or more counts (xi) are negative")
    check(ti <= 0, "escalc: one or more person-times (ti) are <= 0")
    (xi,) = add_to([xi], add, to)
    with np.errstate(divide="ignore", invalid="ignore"):
        ir = xi / ti
        if measure == "IR":
            yi, vi = ir, ir / ti
        elif measure == "IRLN":
            yi, vi = np.log(ir), 1 / xi
        elif measure == "IRS":
            yi, vi = np.sqrt(ir), 1 / (4 * ti)
        else:  # IRFT
            yi, vi = 0.5 * (np.sqrt(ir) + np.sqrt(ir + 1 / ti)), 1 / (4 * ti)
    yi_na = na_mask(xi, ti)
    vi_na = {"IR": yi_na, "IRLN": na_mask(xi)}.get(measure, na_mask(ti))
    return yi, vi, ti.copy(), yi_na, vi_na
