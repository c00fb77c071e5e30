"""Q-profile confidence intervals of tau^2 (Viechtbauer 2007), behind ``RMAResult.confint()``.

References
----------
Viechtbauer, W. (2007). Confidence intervals for the amount of heterogeneity in
meta-analysis. *Statistics in Medicine*, 26(1), 37-52. https://doi.org/10.1002/sim.2514
"""

from __future__ import annotations

import numpy as np
from scipy import stats as sps

from ldn_atlas.stats._core import Batch, FloatArray, rss, solve_q, weights_re, wls
from ldn_atlas.stats.estimators import Control

__all__ = ["confint_tau2"]


def confint_tau2(
    batch: Batch, alpha: float, ctl: Control, tau2: FloatArray, tau2_max: float | None = None
) -> tuple[FloatArray, FloatArray, np.ndarray, np.ndarray]:
    """Q-profile CI bounds of tau^2 (Viechtbauer 2007) for every analysis.

    The lower bound solves ``Q(tau2) = chi2_{1-alpha/2, k-p}``, the upper ``Q(tau2) = chi2_{alpha/2, k-p}``;
    a bound is 0 when ``Q(0)`` is already below its critical value. As in metafor, bounds are searched
    in ``[0, max(100, 10 tau2)]`` and a bound beyond that limit is reported as the limit (flagged in
    the returned ``capped`` array). ``tau2_max=inf`` widens the interval until the bounds are found;
    a number sets the limit.

    Returns ``(lb, ub, converged, capped)``.
    """
    df = batch.k - batch.p
    crit_l = sps.chi2.isf(alpha / 2, df)  # for the lower bound
    crit_u = sps.chi2.ppf(alpha / 2, df)  # for the upper bound
    m = batch.m
    zero = np.zeros(m)
    w0 = weights_re(batch, zero)
    q0 = rss(wls(batch, w0), w0)
    widen = tau2_max is not None and np.isinf(tau2_max)
    hi = np.maximum(100.0, 10.0 * tau2) if tau2_max is None or widen else np.full(m, float(tau2_max))
    wh = weights_re(batch, hi)
    qh = rss(wls(batch, wh), wh)
    if widen:
        for _ in range(60):
            low = qh > crit_u
            if not low.any():
                break
            hi = np.where(low, hi * 10, hi)
            wh = weights_re(batch, hi)
            qh = rss(wls(batch, wh), wh)
    lb = np.zeros(m)
    ub = np.zeros(m)
    ok = np.ones(m, dtype=bool)
    capped = np.zeros(m, dtype=bool)
    for bound, crit in ((lb, crit_l), (ub, crit_u)):
        above = qh > crit  # the bound lies beyond the search limit: report the limit (metafor)
        bound[above] = hi[above]
        capped |= above
        need = (q0 > crit) & ~above
        if need.any():
            sub = batch.subset(need)
            start = np.clip(tau2[need], 0, hi[need])
            root, conv = solve_q(sub, crit[need], np.zeros(sub.m), hi[need], tol=ctl.tol,
                                 maxiter=ctl.maxiter, start=start)
            bound[need] = root
            ok[need] &= conv
    return lb, ub, ok, capped
