"""Heterogeneity of the Mantel-Haenszel and Peto fits: Cochran's Q from the per-study effects, I^2, H^2."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from ldn_atlas.stats.mantel_haenszel.result import FloatArray


def heterogeneity(yi: FloatArray, vi: FloatArray, b: float) -> tuple[float, float, float, float, int]:
    """``(QE, its p-value, I^2, H^2, k_yi)`` of the per-study ``yi``/``vi`` around the pooled ``b``."""
    ok = ~(np.isnan(yi) | np.isnan(vi))
    y, v = yi[ok], vi[ok]
    k_yi = int(ok.sum())
    if k_yi <= 1:
        return 0.0, 1.0, 0.0, 1.0, k_yi
    qe = float(np.sum((y - b) ** 2 / v))
    if math.isnan(qe):
        return math.nan, math.nan, math.nan, math.nan, k_yi
    qe = max(0.0, qe)
    return qe, float(stats.chi2.sf(qe, k_yi - 1)), i_squared(qe, k_yi), qe / (k_yi - 1), k_yi


def i_squared(qe: float, k_yi: int) -> float:
    """I^2 in percent from ``QE`` on ``k_yi - 1`` df (0 when Q is)."""
    if qe == 0:
        return 0.0
    return max(0.0, 100 * (qe - (k_yi - 1)) / qe)


def peto_heterogeneity(
    ai: FloatArray, E: FloatArray, V: FloatArray, k_yi: int
) -> tuple[float, float, float, float, int]:
    """Peto's ``Q = sum((O - E)^2 / V) - sum(O - E)^2 / sum(V)``: ``(Q, p, I^2, H^2, k_pos)``."""
    k_pos = int(np.sum(V > 0))
    Vn = np.where(V == 0, np.nan, V)
    qe = max(0.0, float(np.nansum((ai - E) ** 2 / Vn)) - float(np.sum(ai - E)) ** 2 / float(np.nansum(Vn)))
    if k_pos > 1:
        qep = float(stats.chi2.sf(qe, k_yi - 1)) if k_yi > 1 else math.nan
        i2 = i_squared(qe, k_yi)
        h2 = qe / (k_yi - 1) if k_yi > 1 else math.nan
    else:
        qep, i2, h2 = 1.0, 0.0, 1.0
    return qe, qep, i2, h2, k_pos
