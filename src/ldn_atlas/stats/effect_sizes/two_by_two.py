"""Two-group binary outcomes from 2x2 tables: risk ratio, odds ratio, risk difference, Peto, arcsine."""

from __future__ import annotations

import numpy as np

from ldn_atlas.stats.effect_sizes.corrections import add_to
from ldn_atlas.stats.effect_sizes.family import FamilyOutput, FloatArray, Settings, na_mask, wmean
from ldn_atlas.stats.effect_sizes.inputs import check, require

#: the measures of this family.
CODES = frozenset({"RR", "OR", "RD", "PETO", "AS"})


def two_by_two(measure: str, a: dict[str, FloatArray], settings: Settings) -> FamilyOutput:
    """RR, OR, RD, PETO and AS from 2x2 tables (``ai, bi, ci, di`` or ``ai, ci, n1i, n2i``)."""
    add, to, drop00, vt = settings.add, settings.to, settings.drop00, settings.vt
    if "ai" not in a or "ci" not in a:
        require(measure, a, "ai", "ci")
    ai, ci = a["ai"], a["ci"]
    for cell, n, arm in (("bi", "n1i", "ai"), ("di", "n2i", "ci")):
        if cell not in a and n not in a:
            raise ValueError(f"escalc(measure={measure!r}) needs {cell} or {n} (with {arm}); neither given")
    bi = a.get("bi")
    di = a.get("di")
    n1 = a.get("n1i")
    n2 = a.get("n2i")
    if bi is not None and n1 is not None:
        check(np.abs(n1 - (ai + bi)) > 0, "escalc: one or more 'n1i' values are not equal to 'ai + bi'")
    if di is not None and n2 is not None:
        check(np.abs(n2 - (ci + di)) > 0, "escalc: one or more 'n2i' values are not equal to 'ci + di'")
    if bi is None:
        bi = n1 - ai  # type: ignore[operator]
    elif n1 is not None:
        bi = np.where(np.isnan(bi), n1 - ai, bi)
    if di is None:
        di = n2 - ci  # type: ignore[operator]
    elif n2 is not None:
        di = np.where(np.isnan(di), n2 - ci, di)
    check((ai < 0) | (bi < 0) | (ci < 0) | (di < 0),
           "escalc: one or more counts (ai, bi, ci, di) are negative "
           "(is an event count larger than its group size?)")
    ni_u = ai + bi + ci + di
    if drop00:
        id00 = ((ai == 0) & (ci == 0)) | ((bi == 0) & (di == 0))
        ai, bi, ci, di = (np.where(id00, np.nan, x) for x in (ai, bi, ci, di))
    ai, bi, ci, di = add_to([ai, bi, ci, di], add, to)
    n1i = ai + bi
    n2i = ci + di
    ni = n1i + n2i
    with np.errstate(divide="ignore", invalid="ignore"):
        p1 = ai / n1i
        p2 = ci / n2i
        if measure == "RR":
            yi = np.log(p1) - np.log(p2)
            vi = 1 / ai - 1 / n1i + 1 / ci - 1 / n2i
        elif measure == "OR":
            yi = np.log(p1 / (1 - p1)) - np.log(p2 / (1 - p2))
            vi = 1 / ai + 1 / bi + 1 / ci + 1 / di
        elif measure == "RD":
            yi = p1 - p2
            mp1 = wmean(p1, n1i)
            mp2 = wmean(p2, n2i)
            vi = np.select(
                [vt == "UB", vt == "LS", vt == "AV"],
                [p1 * (1 - p1) / (n1i - 1) + p2 * (1 - p2) / (n2i - 1),
                 p1 * (1 - p1) / n1i + p2 * (1 - p2) / n2i,
                 mp1 * (1 - mp1) / n1i + mp2 * (1 - mp2) / n2i],
                np.nan,
            )
        elif measure == "PETO":
            xt = ai + ci
            yt = bi + di
            ei = xt * n1i / ni
            var = xt * yt * (n1i / ni) * (n2i / ni) / (ni - 1)
            yi = (ai - ei) / var
            vi = 1 / var
        else:  # AS
            yi = np.arcsin(np.sqrt(p1)) - np.arcsin(np.sqrt(p2))
            vi = 1 / (4 * n1i) + 1 / (4 * n2i)
    na = na_mask(ai, bi, ci, di)
    return yi, vi, ni_u, na, na
