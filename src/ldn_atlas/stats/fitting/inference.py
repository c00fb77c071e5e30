"""Everything that follows from tau^2 in :func:`ldn_atlas.stats.rma`: the inference stage of the fit.

For ``m`` analyses at once, with metafor 3.8's conventions: the coefficients and their
covariance (user weights: sandwich form; ``knha``: Knapp-Hartung factor), Wald/t tests and
CIs, the omnibus test of the moderators, Cochran's Q with I^2 and H^2, the log-likelihoods, and
the pseudo-R^2 of a meta-regression.

References
----------
Knapp, G., & Hartung, J. (2003). Improved tests for a random effects meta-regression with a
single covariate. *Statistics in Medicine*, 22(17), 2693-2710. https://doi.org/10.1002/sim.1482

Higgins, J. P. T., & Thompson, S. G. (2002). Quantifying heterogeneity in a meta-analysis.
*Statistics in Medicine*, 21(11), 1539-1558. https://doi.org/10.1002/sim.1186
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import special
from scipy import stats as sps

from ldn_atlas.stats._core import Batch, FloatArray, fe_fit, logdet, re_fit, rss, trace_p, wls, xtwx
from ldn_atlas.stats.estimators import Control

__all__ = ["inference", "pseudo_r2"]


def inference(
    batch: Batch,
    tau2: FloatArray,
    *,
    test: str,
    alpha: float,
    equal_effects: bool,
    user_weights: FloatArray | None,
) -> dict[str, Any]:
    """Everything that follows from tau^2: coefficients, tests, CIs, Q, I^2, H^2, log-likelihoods."""
    w, b, vb, rss_f, model_w, slog = _coefficients(batch, tau2, test=test, user_weights=user_weights)
    tests = _wald_tests(batch, b, vb, test=test, alpha=alpha)
    omnibus = _omnibus_test(batch, b, vb, tests["pval"], test=test)
    heterogeneity = _heterogeneity(batch, tau2, equal_effects=equal_effects)
    ll_ml, ll_reml = _log_likelihoods(batch, w, slog, rss_f)
    return {
        "b": b, "vb": vb, **tests, **omnibus, **heterogeneity, "ll_ml": ll_ml, "ll_reml": ll_reml,
        "weights": model_w,
    }


def _coefficients(
    batch: Batch, tau2: FloatArray, *, test: str, user_weights: FloatArray | None
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """``(w, b, vb, rss, model weights, sum log(v + tau2))`` at ``tau2``.

    ``w`` are the random-effects weights; with user weights ``b`` is their weighted estimate
    and ``vb`` its sandwich covariance; with ``knha`` ``vb`` is scaled by the Knapp-Hartung factor.
    """
    p = batch.p
    k = batch.k
    w, fit, slog = re_fit(batch, tau2)
    if user_weights is None:
        b, vb = fit.b, fit.A
        rss_f = rss(fit, w)
        model_w = w
    else:
        a = user_weights
        afit = wls(batch, a)
        b = afit.b
        XA = batch.X * a[:, :, None]
        M = XA * (1.0 / w.clip(min=1e-300))[:, :, None] * batch.mask[:, :, None]
        meat = np.einsum("mkp,mkq->mpq", M, XA)
        vb = afit.A @ meat @ afit.A
        e = (batch.y - np.einsum("mkp,mp->mk", batch.X, b)) * batch.mask
        rss_f = (w * e * e).sum(axis=1)
        model_w = a
    if test == "knha":
        rss_knha = rss(fit, w)
        with np.errstate(divide="ignore", invalid="ignore"):
            s2w = np.where(rss_knha <= np.finfo(float).eps, 0.0, rss_knha / (k - p))
        vb = vb * s2w[:, None, None]
    return w, b, vb, rss_f, model_w, slog


def _wald_tests(batch: Batch, b: FloatArray, vb: FloatArray, *, test: str, alpha: float) -> dict[str, Any]:
    """Standard errors, z (or t) statistics, p-values, critical values, df and CI bounds of the coefficients."""
    m, p = batch.m, batch.p
    k = batch.k
    se = np.sqrt(np.einsum("mpp->mp", vb))
    with np.errstate(divide="ignore", invalid="ignore"):
        zval = b / se
    # scipy.special directly (what scipy.stats' sf/isf call, without their per-call overhead)
    if test in ("knha", "t"):
        dfs = k - p
        pval = 2 * special.stdtr(dfs[:, None], -np.abs(zval))
        crit = special.stdtrit(dfs, 1 - alpha / 2)
    else:
        dfs = np.full(m, np.nan)
        pval = 2 * special.ndtr(-np.abs(zval))
        crit = np.full(m, sps.norm.isf(alpha / 2))
    ci_lb = b - crit[:, None] * se
    ci_ub = b + crit[:, None] * se
    return {"se": se, "zval": zval, "pval": pval, "ci_lb": ci_lb, "ci_ub": ci_ub, "crit": crit, "dfs": dfs}


def _omnibus_test(batch: Batch, b: FloatArray, vb: FloatArray, pval: FloatArray, *, test: str) -> dict[str, Any]:
    """The omnibus test of the moderators (all coefficients but the intercept; the intercept if p == 1).

    NA where the covariance block is singular, as metafor's failing ``chol()`` gives.
    """
    m, p = batch.m, batch.p
    k = batch.k
    with np.errstate(invalid="ignore", divide="ignore"):
        if p == 1:
            v0 = vb[:, 0, 0]
            qm = np.where(v0 > 0, b[:, 0] ** 2 / v0, np.nan)
            qm_df1 = 1
        else:
            btt = np.arange(1, p)
            bb = b[:, btt]
            vbb = vb[:, btt][:, :, btt]
            qm_df1 = len(btt)
            try:
                qm = np.einsum("mp,mpq,mq->m", bb, np.linalg.inv(vbb), bb)
            except np.linalg.LinAlgError:
                qm = np.full(m, np.nan)
                for i in range(m):
                    try:
                        qm[i] = bb[i] @ np.linalg.solve(vbb[i], bb[i])
                    except np.linalg.LinAlgError:
                        qm[i] = np.nan
    if test in ("knha", "t"):
        qm = qm / qm_df1
        qm_df = (float(qm_df1), k - p)
        # one coefficient: F(1, df) of t^2 is the two-sided t p-value (cheaper to evaluate)
        qmp = np.where(np.isnan(qm), np.nan, pval[:, 0]) if p == 1 else special.fdtrc(qm_df1, k - p, qm)
    else:
        qm_df = (float(qm_df1), np.full(m, np.nan))
        qmp = np.where(np.isnan(qm), np.nan, pval[:, 0]) if p == 1 else special.chdtrc(qm_df1, qm)
    return {"qm": qm, "qmp": qmp, "qm_df": qm_df}


def _heterogeneity(batch: Batch, tau2: FloatArray, *, equal_effects: bool) -> dict[str, Any]:
    """Cochran's Q with weights 1/vi and its p-value, the "typical" variance ``vt = (k-p)/tr(P)``, I^2, H^2."""
    p = batch.p
    k = batch.k
    wf, ffit = fe_fit(batch)
    qe = np.maximum(0.0, rss(ffit, wf))
    df = k - p
    with np.errstate(invalid="ignore", divide="ignore"):
        qep = np.where(df > 0, special.chdtrc(np.maximum(df, 1), qe), 1.0)
        vt = np.where(df > 0, df / trace_p(batch, ffit, wf), 0.0)
        if equal_effects:
            i2 = np.where(df > 0, np.maximum(0.0, 100 * (qe - df) / qe), 0.0)
            h2 = np.where(df > 0, qe / df, 1.0)
        else:
            i2 = np.where(df > 0, 100 * tau2 / (vt + tau2), 0.0)
            h2 = np.where(df > 0, tau2 / vt + 1, 1.0)
    qe = np.where(df > 0, qe, 0.0)
    return {"qe": qe, "qep": qep, "vt": vt, "i2": i2, "h2": h2}


def _log_likelihoods(
    batch: Batch, w: FloatArray, slog: FloatArray, rss_f: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """The ML and REML log-likelihoods (REML including ``+ 1/2 log|X'X|``), metafor's ``fit.stats``."""
    p = batch.p
    k = batch.k
    ll_ml = -0.5 * k * np.log(2 * np.pi) - 0.5 * slog - 0.5 * rss_f
    logdet_xtx = np.log(k) if p == 1 else logdet(xtwx(batch, batch.mask))
    ll_reml = (-0.5 * (k - p) * np.log(2 * np.pi) + 0.5 * logdet_xtx - 0.5 * slog
               - 0.5 * logdet(xtwx(batch, w)) - 0.5 * rss_f)
    return ll_ml, ll_reml


def pseudo_r2(batch: Batch, tau2: FloatArray, estimator: Any, ctl: Control,
              user_weights: FloatArray | None) -> FloatArray:
    """metafor's pseudo-R^2 (percent): ``(tau2_RE - tau2) / tau2_RE`` from the intercept-only fit.

    For equal-effects models: the adjusted R^2 of the weighted regression (weights ``1/vi``).
    """
    if estimator.equal_effects:
        w = batch.mask / batch.v if user_weights is None else user_weights
        fit = wls(batch, w)
        ybar = (w * batch.y).sum(axis=1) / w.sum(axis=1)
        fitted = (batch.y - fit.e) * batch.mask
        mss = (w * (fitted - ybar[:, None]) ** 2 * batch.mask).sum(axis=1)
        rss_ = (w * fit.e**2).sum(axis=1)
        r2 = mss / (mss + rss_)
        n, rdf = batch.k, batch.k - batch.p
        adj = 1 - (1 - r2) * ((n - 1) / rdf)
        yy = np.where(batch.mask > 0, batch.y, np.nan)
        const = np.nanvar(yy, axis=1) == 0
        return np.where(const, 0.0, np.maximum(0.0, 100 * adj))
    int_only = Batch(batch.y, batch.v, batch.mask, batch.mask[:, :, None].copy(), batch.k, 1, batch.full)
    tau2_re = estimator.estimate(int_only, ctl).tau2
    with np.errstate(invalid="ignore", divide="ignore"):
        r2 = np.where(tau2_re == 0, 0.0, np.maximum(0.0, 100 * (tau2_re - tau2) / tau2_re))
    return r2
