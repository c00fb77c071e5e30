"""Small-study tests for funnel plot asymmetry, as in metafor.

Begg and Mazumdar's rank correlation test (``ranktest``) and the Egger-type regression
tests (``regtest``).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from scipy import stats as sps

from ldn_atlas.stats.diagnostics._base import FloatArray, _fmt, _fmt_p, _ResultMixin
from ldn_atlas.stats.diagnostics._inputs import _as_1d, _yi_vi
from ldn_atlas.stats.diagnostics._refit import _alpha_of, _is_ee, _rma, _single_fit
from ldn_atlas.stats.exceptions import StatisticalWarning


class RankTestTiesWarning(StatisticalWarning):
    """Kendall's tau had ties, so the exact p-value was replaced by the normal approximation."""


# --------------------------------------------------------------------------- ranktest


@dataclass(frozen=True)
class RankTestResult(_ResultMixin):
    """Begg and Mazumdar's rank correlation test (metafor's ``ranktest`` object).

    Attributes
    ----------
    tau : float
        Kendall's tau (tau-b) between the standardised deviates and the variances.
    pval : float
        Two-sided p-value: exact without ties, normal approximation with ties.
    exact : bool
        Whether ``pval`` is exact.
    k : int
    """

    tau: float
    pval: float
    exact: bool
    k: int

    def summary(self, digits: int = 4) -> str:
        """Text laid out like metafor's ``print.ranktest``."""
        return "\n".join(
            [
                "",
                "Rank Correlation Test for Funnel Plot Asymmetry",
                "",
                f"Kendall's tau = {_fmt(self.tau, digits)}, p = {_fmt_p(self.pval, digits)}",
                "",
            ]
        )


def ranktest(x: Any, vi: Any = None, *, sei: Any = None, exact: bool = True) -> RankTestResult:
    """Begg and Mazumdar's rank correlation test for funnel plot asymmetry.

    Parameters
    ----------
    x : fitted result or array_like
        A fitted model (its ``yi``/``vi`` are used; the estimator does not
        matter) or observed effect sizes ``yi``.
    vi, sei : array_like, optional
        Sampling variances or standard errors when ``x`` is ``yi``.
    exact : bool
        Compute the exact p-value when there are no ties (as R's
        ``cor.test(method="kendall", exact=TRUE)``).  With ties the normal
        approximation without continuity correction is used and a
        :class:`RankTestTiesWarning` is issued.

    Returns
    -------
    RankTestResult

    Notes
    -----
    With ``w = 1/vi``, ``theta`` the fixed-effects estimate and
    ``v* = vi - 1/sum(w)``, the test is Kendall's tau between
    ``(yi - theta)/sqrt(v*)`` and ``vi``.

    References
    ----------
    .. [1] Begg, C. B., & Mazumdar, M. (1994). Operating characteristics of a rank
       correlation test for publication bias. Biometrics, 50(4), 1088-1101.
    """
    yi, v = _yi_vi("ranktest", x, vi, sei)
    k = int(yi.size)
    if k < 2:
        raise ValueError(f"ranktest: needs at least 2 studies, got {k}")
    w = 1.0 / v
    theta = float(np.sum(w * yi) / np.sum(w))
    vstar = v - 1.0 / float(np.sum(w))
    with np.errstate(divide="ignore", invalid="ignore"):
        ystar = (yi - theta) / np.sqrt(vstar)
    ties = np.unique(ystar).size < k or np.unique(v).size < k
    use_exact = bool(exact) and not ties
    if exact and ties:
        warnings.warn(
            "ranktest: Cannot compute exact p-value with ties (normal approximation used).",
            RankTestTiesWarning,
            stacklevel=2,
        )
    res = sps.kendalltau(ystar, v, method="exact" if use_exact else "asymptotic")
    return RankTestResult(tau=float(res.statistic), pval=float(res.pvalue), exact=use_exact, k=k)


# --------------------------------------------------------------------------- regtest


@dataclass(frozen=True)
class RegtestFit(_ResultMixin):
    """The regression model behind :func:`regtest` (metafor's ``fit`` element)."""

    coef_names: tuple[str, ...]
    estimate: FloatArray
    se: FloatArray
    zval: FloatArray
    pval: FloatArray
    tau2: float
    dfs: int | None


@dataclass(frozen=True)
class RegtestResult(_ResultMixin):
    """Regression test for funnel plot asymmetry (metafor's ``regtest`` object).

    Attributes
    ----------
    model : {"rma", "lm"}
    predictor : str
    zval, pval : float
        Test statistic of the predictor's coefficient (*t* for ``lm`` and for knha
        models) and its two-sided p-value.
    dfs : int or None
        Degrees of freedom of the t test (None for z tests).
    est, ci_lb, ci_ub : float
        The "limit estimate" (the intercept, i.e. the effect expected for a study
        with infinite precision) and its confidence interval; NaN when the
        predictor does not go to 0 with precision (``ni``, ``sqrtni``) or the
        model has moderators.
    fit : RegtestFit
        Coefficients of the regression.
    method : str
        Estimator of the fitted model.
    """

    model: str
    predictor: str
    zval: float
    pval: float
    dfs: int | None
    est: float
    ci_lb: float
    ci_ub: float
    fit: RegtestFit
    method: str = "REML"

    def summary(self, digits: int = 4) -> str:
        """Text laid out like metafor's ``print.regtest``."""
        if self.model == "lm":
            model = "weighted regression with multiplicative dispersion"
        else:
            kind = "fixed-effects" if _is_ee(self.method) else "mixed-effects"
            model = f"{kind} meta-regression model"
        pred = {
            "sei": "standard error",
            "vi": "sampling variance",
            "ni": "sample size",
            "ninv": "inverse of the sample size",
            "sqrtni": "square root sample size",
            "sqrtninv": "inverse of the square root sample size",
        }[self.predictor]
        stat = "z" if self.dfs is None else "t"
        df = "" if self.dfs is None else f", df = {self.dfs}"
        lines = [
            "",
            "Regression Test for Funnel Plot Asymmetry",
            "",
            f"Model:     {model}",
            f"Predictor: {pred}",
            "",
            f"Test for Funnel Plot Asymmetry: {stat} = {_fmt(self.zval, digits)}{df}, p = {_fmt_p(self.pval, digits)}",
        ]
        if not math.isnan(self.est):
            lines.append(
                f"Limit Estimate (as {self.predictor} -> 0):   b = {_fmt(self.est, digits)} "
                f"(CI: {_fmt(self.ci_lb, digits)}, {_fmt(self.ci_ub, digits)})"
            )
        lines.append("")
        return "\n".join(lines)


_PREDICTORS = ("sei", "vi", "ni", "ninv", "sqrtni", "sqrtninv")


def regtest(
    fit: Any,
    model: Literal["rma", "lm"] = "rma",
    predictor: Literal["sei", "vi", "ni", "ninv", "sqrtni", "sqrtninv"] = "sei",
    *,
    ni: Any = None,
) -> RegtestResult:
    """Regression test for funnel plot asymmetry (Egger's test and its variants).

    Parameters
    ----------
    fit : RMAResult
        A fitted model (one analysis).  Moderators in the model are kept.
    model : {"rma", "lm"}
        ``"rma"``: the fitted model (same estimator, test and level) with the
        predictor added as a moderator.  ``"lm"``: weighted least squares with
        weights ``1/vi`` and a multiplicative dispersion (Egger et al. 1997),
        tested with t on ``k - p - 1`` df.
    predictor : {"sei", "vi", "ni", "ninv", "sqrtni", "sqrtninv"}
        Standard error (Egger), variance, sample size, its inverse, its square
        root, or the inverse square root.
    ni : array_like, optional
        Sample sizes for the ``n``-based predictors (length ``k`` of the studies
        used, or of all studies given to ``rma`` including those it dropped).

    Returns
    -------
    RegtestResult

    Raises
    ------
    ValueError
        Unknown model or predictor, no sample sizes for an ``n`` predictor, or a
        design matrix that is not of full rank once the predictor is added.

    References
    ----------
    .. [1] Egger, M., Davey Smith, G., Schneider, M., & Minder, C. (1997). Bias in
       meta-analysis detected by a simple, graphical test. BMJ, 315(7109), 629-634.
    .. [2] Sterne, J. A. C., & Egger, M. (2005). Regression methods to detect
       publication and other bias in meta-analysis. In H. R. Rothstein, A. J.
       Sutton, & M. Borenstein (Eds.), Publication bias in meta-analysis (pp.
       99-110). Wiley.
    """
    fit = _single_fit(fit, "regtest")
    if model not in ("rma", "lm"):
        raise ValueError(f"regtest: model must be 'rma' or 'lm', got {model!r}")
    if predictor not in _PREDICTORS:
        raise ValueError(f"regtest: predictor must be one of {', '.join(_PREDICTORS)}, got {predictor!r}")
    yi = np.asarray(fit.yi, dtype=np.float64)
    vi = np.asarray(fit.vi, dtype=np.float64)
    X = np.asarray(fit.X, dtype=np.float64).reshape(yi.size, -1)
    k, p = X.shape
    names = list(getattr(fit, "coef_names", ["intrcpt"]))
    Xr = np.column_stack([X, _predictor_column(fit, predictor, ni, vi, k)])
    if np.linalg.matrix_rank(Xr) < p + 1:
        raise ValueError(
            "regtest: the model matrix is not of full rank after adding the predictor; cannot fit the model"
        )
    names_r = (*names, predictor)
    limit = predictor in ("sei", "vi", "ninv", "sqrtninv") and p == 1
    alpha = _alpha_of(fit)
    if model == "rma":
        rfit, (est, lb, ub) = _meta_regression_test(fit, yi, vi, Xr, names_r, limit)
    else:
        rfit, (est, lb, ub) = _weighted_regression_test(yi, vi, Xr, names_r, limit, alpha)
    dfs = rfit.dfs
    return RegtestResult(
        model=model,
        predictor=predictor,
        zval=float(rfit.zval[p]),
        pval=float(rfit.pval[p]),
        dfs=None if dfs is None else int(dfs),
        est=est,
        ci_lb=lb,
        ci_ub=ub,
        fit=rfit,
        method=str(fit.method),
    )


def _predictor_column(fit: Any, predictor: str, ni: Any, vi: FloatArray, k: int) -> FloatArray:
    """The values of ``predictor`` for the ``k`` studies of ``fit`` (sample sizes from ``ni`` or the fit)."""
    if predictor in ("ni", "ninv", "sqrtni", "sqrtninv"):
        n_arr = ni if ni is not None else getattr(fit, "ni", None)
        if n_arr is None:
            raise ValueError(f"regtest: predictor {predictor!r} needs sample sizes; pass ni=")
        n = _as_1d("ni", n_arr)
        not_na = getattr(fit, "not_na", None)
        if n.size != k and not_na is not None and n.size == np.size(not_na):
            n = n[np.asarray(not_na, dtype=bool)]
        if n.size != k:
            raise ValueError(f"regtest: 'ni' has length {n.size} but the model has {k} studies")
        if np.any(~np.isfinite(n) | (n <= 0)):
            raise ValueError("regtest: 'ni' must be positive and finite")
        col: FloatArray = {"ni": n, "ninv": 1.0 / n, "sqrtni": np.sqrt(n), "sqrtninv": 1.0 / np.sqrt(n)}[predictor]
    else:
        col = np.sqrt(vi) if predictor == "sei" else vi.copy()
    return col


def _meta_regression_test(
    fit: Any, yi: FloatArray, vi: FloatArray, Xr: FloatArray, names_r: tuple[str, ...], limit: bool
) -> tuple[RegtestFit, tuple[float, float, float]]:
    """``model="rma"``: refit the model with the predictor as a moderator; the fit and the limit estimate."""
    nan = float("nan")
    try:
        res = _rma(fit, yi, vi, mods=Xr[:, 1:], weights=getattr(fit, "user_weights", None))
    except ValueError as exc:
        raise ValueError(f"regtest: cannot fit the model with the predictor ({exc})") from None
    b = np.asarray(res.b, dtype=np.float64)
    se = np.asarray(res.se, dtype=np.float64)
    zv = np.asarray(res.zval, dtype=np.float64)
    pv = np.asarray(res.pval, dtype=np.float64)
    dfs = res.dfs
    cil = np.asarray(res.ci_lb, dtype=np.float64)
    ciu = np.asarray(res.ci_ub, dtype=np.float64)
    rfit = RegtestFit(names_r, b, se, zv, pv, float(res.tau2), dfs)
    est, lb, ub = (float(b[0]), float(cil[0]), float(ciu[0])) if limit else (nan, nan, nan)
    return rfit, (est, lb, ub)


def _weighted_regression_test(
    yi: FloatArray, vi: FloatArray, Xr: FloatArray, names_r: tuple[str, ...], limit: bool, alpha: float
) -> tuple[RegtestFit, tuple[float, float, float]]:
    """``model="lm"``: weighted least squares with multiplicative dispersion; the fit and the limit estimate."""
    nan = float("nan")
    k, p1 = Xr.shape
    p = p1 - 1
    w = 1.0 / vi
    dfs = k - (p + 1)
    Xw = Xr * w[:, None]
    A = np.linalg.inv(Xr.T @ Xw)
    b = A @ (Xw.T @ yi)
    e = yi - Xr @ b
    # a saturated fit (k = p + 1) has no residual df: R's lm() gives NaN SEs, tests and CIs
    sigma2 = float(np.sum(w * e * e)) / dfs if dfs > 0 else nan
    se = np.sqrt(np.diag(A) * sigma2)
    with np.errstate(divide="ignore", invalid="ignore"):
        zv = b / se
    pv = 2.0 * sps.t.sf(np.abs(zv), dfs) if dfs > 0 else np.full(p + 1, nan)
    rfit = RegtestFit(tuple("X" + n for n in names_r), b, se, zv, pv, nan, dfs)
    crit = float(sps.t.isf(alpha / 2.0, dfs)) if dfs > 0 else nan
    est, lb, ub = (
        (float(b[0]), float(b[0] - crit * se[0]), float(b[0] + crit * se[0]))
        if limit
        else (
            nan,
            nan,
            nan,
        )
    )
    return rfit, (est, lb, ub)
