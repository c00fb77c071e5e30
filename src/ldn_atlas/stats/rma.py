"""``rma``: random- and equal-effects meta-analysis and meta-regression (metafor's ``rma.uni``).

The model is ``y_i = x_i' beta + u_i + e_i`` with ``u_i ~ N(0, tau^2)`` and ``e_i ~ N(0, v_i)``.
tau^2 comes from one of the estimators in :mod:`ldn_atlas.stats.estimators`; everything else
is computed by the fitting engine (:mod:`ldn_atlas.stats.fitting`), for ``m`` analyses at once
(rows of ``(m, k)`` arrays, NaN-padded), with the conventions of metafor 3.8-1 (Viechtbauer 2010).

``rma()`` is the top of the statistics engine's layers: it runs the engine
(:func:`~ldn_atlas.stats.fitting.engine.fit_rma`, which returns a frozen record of arrays) and
wraps that record in the result class :class:`~ldn_atlas.stats.results.RMAResult`, whose methods
(``predict``, ``confint``, ``leave1out``, ``trimfill``, ``summary``, ``forest``, ...) delegate
to the modules below it. Nothing below imports this module, so there is no import circle.

References
----------
Viechtbauer, W. (2010). Conducting meta-analyses in R with the metafor package. *Journal of
Statistical Software*, 36(3), 1-48. https://doi.org/10.18637/jss.v036.i03

Knapp, G., & Hartung, J. (2003). Improved tests for a random effects meta-regression with a
single covariate. *Statistics in Medicine*, 22(17), 2693-2710. https://doi.org/10.1002/sim.1482

Higgins, J. P. T., & Thompson, S. G. (2002). Quantifying heterogeneity in a meta-analysis.
*Statistics in Medicine*, 21(11), 1539-1558. https://doi.org/10.1002/sim.1186

Viechtbauer, W. (2007). Confidence intervals for the amount of heterogeneity in
meta-analysis. *Statistics in Medicine*, 26(1), 37-52. https://doi.org/10.1002/sim.2514
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ldn_atlas.stats.estimators import Control
from ldn_atlas.stats.fitting.engine import fit_rma
from ldn_atlas.stats.results import RMAResult

__all__ = ["rma"]


def rma(
    yi: Any,
    vi: Any = None,
    *,
    method: str = "REML",
    test: str = "z",
    level: float = 95,
    mods: Any = None,
    weights: Any = None,
    control: Control | Mapping[str, Any] | None = None,
    slab: Sequence[str] | None = None,
) -> RMAResult:
    """Fit an equal-, random- or mixed-effects meta-analysis (metafor's ``rma.uni``).

    Parameters
    ----------
    yi : array_like, shape (k,) or (m, k), or an object with ``yi`` and ``vi`` attributes
        Observed effect sizes. A 2-D array holds ``m`` analyses (NaN-padded when ragged);
        all are fitted in one vectorised call and the result's statistics are arrays of length m.
    vi : array_like, same shape as ``yi``
        Sampling variances (must be positive).
    method : str
        tau^2 estimator: ``"EE"``/``"FE"``, ``"DL"``, ``"HE"``, ``"HS"``, ``"HSk"``, ``"SJ"``,
        ``"ML"``, ``"REML"``, ``"EB"``, ``"PM"`` or ``"PMM"``.
    test : {"z", "knha", "t"}
        ``z``: normal tests; ``knha``: Knapp-Hartung adjusted SEs with t/F tests on ``k - p`` df
        (the factor is not truncated, as in metafor); ``t``: unadjusted SEs with t/F tests.
    level : float
        Confidence level in percent (95) or as a proportion (0.95).
    mods : array_like (k,), (k, q), (m, k, q) or pandas DataFrame, optional
        Moderators *without* the intercept column (one is added, as in metafor).
    weights : array_like, optional
        User weights for the coefficients (metafor's ``weights``); tau^2 estimation is unchanged.
    control : Control or mapping, optional
        Numerical settings (see :class:`~ldn_atlas.stats.estimators.Control`; metafor names
        such as ``tau2.init`` are accepted).
    slab : sequence of str, optional
        Study labels (single analysis), kept for summaries and plots.

    Returns
    -------
    RMAResult
        Frozen result with metafor's output names (``b``, ``se``, ``zval``, ``pval``, ``ci_lb``,
        ``ci_ub``, ``tau2``, ``se_tau2``, ``i2``, ``h2``, ``qe``, ``qep``, ``k``, ``p``, ``dfs``,
        ``qm``, ``qmp``, ``r2``, ...).

    Raises
    ------
    ValueError
        Mismatched shapes, non-positive variances, all values missing, too few studies for the
        estimator, collinear moderators, unknown method or test.

    Examples
    --------
    >>> fit = rma([0.1, 0.3, 0.35, 0.65], [0.01, 0.02, 0.015, 0.03], method="DL")
    >>> round(fit.b, 4), round(fit.tau2, 5)
    (0.3226, 0.02897)
    """
    record = fit_rma(yi, vi, method=method, test=test, level=level, mods=mods, weights=weights,
                     control=control, slab=slab)
    return RMAResult._from_fit(record)
