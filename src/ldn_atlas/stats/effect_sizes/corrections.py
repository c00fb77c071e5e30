"""Corrections applied to effect sizes: Hedges' small-sample bias correction and metafor's zero-cell ``add``."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from ldn_atlas.stats.effect_sizes.family import FloatArray


def hedges_correction(m: ArrayLike) -> FloatArray:
    """Exact small-sample bias correction ``J(m)`` of Hedges (1981).

    ``J(m) = Gamma(m/2) / (sqrt(m/2) Gamma((m-1)/2))``, computed on the log scale
    (``gammaln``) so that it does not overflow; ``NaN`` for ``m <= 1``.

    Parameters
    ----------
    m : array_like
        Degrees of freedom (``n1 + n2 - 2`` for two groups, ``n - 1`` for one).

    References
    ----------
    .. [1] Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size and
       related estimators. Journal of Educational Statistics, 6(2), 107-128.
    """
    m = np.asarray(m, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.exp(special.gammaln(m / 2) - np.log(np.sqrt(m / 2)) - special.gammaln((m - 1) / 2))
    return np.where(m > 1, out, np.nan)



def add_to(cells: list[FloatArray], add: float, to: str) -> list[FloatArray]:
    """metafor's zero-cell adjustment: add ``add`` to all ``cells`` per ``to``."""
    if to == "none" or add == 0:
        return [c.copy() for c in cells]
    if to == "all":
        return [c + add for c in cells]
    id0 = np.zeros(cells[0].shape, dtype=bool)
    for c in cells:
        id0 |= c == 0  # NaN compares False, as metafor's id0[is.na(id0)] <- FALSE
    if to == "only0":
        return [c + add * id0 for c in cells]
    # if0all
    if id0.any():
        return [c + add for c in cells]
    return [c.copy() for c in cells]

