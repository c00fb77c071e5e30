"""Diagnostics of a fitted meta-analysis: publication bias, sensitivity and influence.

Every function follows metafor 3.8 (Viechtbauer 2010) in what it computes and in
its conventions, and returns one frozen result with ``to_dict()``:

=================  ==========================================================
function           metafor
=================  ==========================================================
:func:`fsn`        ``fsn()`` — fail-safe N (Rosenthal, Orwin, Rosenberg)
:func:`ranktest`   ``ranktest()`` — Begg and Mazumdar's rank correlation test
:func:`regtest`    ``regtest()`` — Egger's regression test and its variants
:func:`trimfill`   ``trimfill()`` — Duval and Tweedie's trim and fill
:func:`leave1out`  ``leave1out()`` — leave-one-out sensitivity analysis
:func:`influence`  ``influence()`` — case-deletion diagnostics
=================  ==========================================================

The functions that refit the model (:func:`regtest`, :func:`trimfill`,
:func:`leave1out`, :func:`influence`) take the fitted result of
:func:`ldn_atlas.stats.rma` as their first argument and refit it with the same
estimator and settings.  :func:`fsn` and :func:`ranktest` also accept plain
``yi``/``vi`` arrays.

References
----------
.. [1] Viechtbauer, W. (2010). Conducting meta-analyses in R with the metafor
   package. Journal of Statistical Software, 36(3), 1-48.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from scipy import stats as sps

from ldn_atlas.errors import DataWarning
from ldn_atlas.stats.exceptions import StatisticalWarning

__all__ = [
    "FsnResult",
    "InfluenceResult",
    "LeaveOneOutResult",
    "RankTestResult",
    "RankTestTiesWarning",
    "RegtestFit",
    "RegtestResult",
    "TrimfillResult",
    "fsn",
    "influence",
    "leave1out",
    "ranktest",
    "regtest",
    "trimfill",
]

FloatArray = npt.NDArray[np.float64]


class RankTestTiesWarning(StatisticalWarning):
    """Kendall's tau had ties, so the exact p-value was replaced by the normal approximation."""


# --------------------------------------------------------------------------- helpers


def _plain(value: Any) -> Any:
    """Convert numpy values to JSON-friendly Python values (NaN becomes ``None``)."""
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "to_dict") and callable(value.to_dict):
        return value.to_dict()
    return value


class _ResultMixin:
    """``to_dict()`` for the frozen result dataclasses of this module."""

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a dict of plain Python values (arrays as lists, NaN as ``None``)."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]


def _as_1d(name: str, values: Any) -> FloatArray:
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: must be numeric ({exc})") from None
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ValueError(f"{name}: must be one-dimensional, got shape {arr.shape}")
    return arr


def _is_fit(x: Any) -> bool:
    return hasattr(x, "yi") and hasattr(x, "vi") and not isinstance(x, np.ndarray)


def _fit_data(fit: Any, what: str) -> tuple[FloatArray, FloatArray]:
    """The ``yi``/``vi`` a fitted model used (rows with NaN already dropped)."""
    yi = np.asarray(fit.yi, dtype=np.float64)
    vi = np.asarray(fit.vi, dtype=np.float64)
    if yi.ndim != 1 or vi.ndim != 1:
        raise ValueError(
            f"{what}: the fitted result holds {yi.shape[0] if yi.ndim > 1 else 1} batched analyses; "
            "apply it to one analysis at a time (e.g. fit[i])"
        )
    keep = np.isfinite(yi) & np.isfinite(vi)
    return yi[keep], vi[keep]


def _yi_vi(
    what: str,
    x: Any,
    vi: Any,
    sei: Any,
    *,
    need_vi: bool = True,
) -> tuple[FloatArray, FloatArray]:
    """Resolve ``(x, vi, sei)`` as metafor does: a fitted model, or ``yi`` with ``vi`` or ``sei``."""
    if _is_fit(x):
        if vi is not None or sei is not None:
            warnings.warn(
                f"{what}: arguments 'vi' and 'sei' are ignored when the first argument is a fitted model",
                DataWarning,
                stacklevel=3,
            )
        return _fit_data(x, what)
    yi = _as_1d("yi", x)
    if vi is None and sei is not None:
        se = _as_1d("sei", sei)
        vi_arr = se**2
        vname = "sei"
    elif vi is not None:
        vi_arr = _as_1d("vi", vi)
        vname = "vi"
    elif need_vi:
        raise ValueError(f"{what}: must specify 'vi' or 'sei'")
    else:
        vi_arr = np.zeros_like(yi)
        vname = "vi"
    if vi_arr.shape != yi.shape:
        raise ValueError(f"{what}: 'yi' has length {yi.size} but '{vname}' has length {vi_arr.size}")
    bad = np.isnan(yi) | np.isnan(vi_arr)
    if bad.any():
        n_bad = int(bad.sum())
        warnings.warn(
            f"{what}: Studies with NAs omitted from test ({n_bad} stud{'y' if n_bad == 1 else 'ies'}).",
            DataWarning,
            stacklevel=3,
        )
        yi, vi_arr = yi[~bad], vi_arr[~bad]
    if yi.size == 0:
        raise ValueError(f"{what}: 'yi' has no non-missing values")
    if not np.all(np.isfinite(yi)):
        raise ValueError(f"{what}: 'yi' must be finite")
    if need_vi and np.any(~np.isfinite(vi_arr) | (vi_arr <= 0)):
        raise ValueError(f"{what}: '{vname}' must be positive and finite")
    return yi, vi_arr


def _round_count(value: float) -> int | float:
    """metafor's rounding of fail-safe numbers: ceiling unless already (numerically) whole."""
    if math.isinf(value):
        return value
    if abs(value - round(value)) >= math.sqrt(np.finfo(float).eps):
        return math.ceil(value)
    return round(value)


def _fmt_p(p: float, digits: int = 4) -> str:
    """metafor's ``.pval``: ``<.0001`` below ``10^-digits``, else ``p`` with ``digits`` decimals."""
    if p is None or math.isnan(p):
        return "NA"
    if p < 10.0 ** (-digits):
        return "<." + "0" * (digits - 1) + "1"
    return f"{p:.{digits}f}"


def _fmt(x: float, digits: int = 4) -> str:
    if x is None or math.isnan(x):
        return "NA"
    return f"{x:.{digits}f}"


def _table(columns: Mapping[str, Any], rows: Sequence[str], digits: int) -> str:
    """A right-aligned text table (metafor's ``print.list.rma`` layout)."""
    cells = {
        name: [v if isinstance(v, str) else _fmt(float(v), digits) for v in values] for name, values in columns.items()
    }
    width0 = max([len(r) for r in rows] + [0])
    widths = {name: max(len(name), *(len(c) for c in col)) for name, col in cells.items()}
    head = " " * width0 + "".join(f" {name:>{widths[name]}}" for name in cells)
    lines = [head]
    for i, row in enumerate(rows):
        lines.append(f"{row:<{width0}}" + "".join(f" {cells[n][i]:>{widths[n]}}" for n in cells))
    return "\n".join(lines)


# --------------------------------------------------------------------------- fsn


@dataclass(frozen=True)
class FsnResult(_ResultMixin):
    """Fail-safe N (metafor's ``fsn`` object).

    Attributes
    ----------
    type : {"Rosenthal", "Orwin", "Rosenberg"}
    fsnum : int or float
        The fail-safe N (an int, or ``inf`` for Orwin with target 0).
    alpha : float
    pval : float
        Rosenthal: one-sided p of Stouffer's combined z; Rosenberg: two-sided p of
        the fixed-effects z; NaN for Orwin.
    meanes : float
        Orwin: unweighted mean; Rosenberg: inverse-variance weighted mean; NaN for Rosenthal.
    target : float
        Orwin only (NaN otherwise).
    k : int
        Number of studies used.
    """

    type: str
    fsnum: int | float
    alpha: float
    pval: float
    meanes: float
    target: float
    k: int

    def summary(self, digits: int = 4) -> str:
        """Text laid out like metafor's ``print.fsn``."""
        lines = ["", f"Fail-safe N Calculation Using the {self.type} Approach", ""]
        if self.type == "Rosenthal":
            lines += [
                f"Observed Significance Level: {_fmt_p(self.pval, digits)}",
                f"Target Significance Level:   {self.alpha:g}",
            ]
        elif self.type == "Orwin":
            lines += [
                f"Average Effect Size: {_fmt(self.meanes, digits)}",
                f"Target Effect Size:  {_fmt(self.target, digits)}",
            ]
        else:
            lines += [
                f"Average Effect Size:         {_fmt(self.meanes, digits)}",
                f"Observed Significance Level: {_fmt_p(self.pval, digits)}",
                f"Target Significance Level:   {self.alpha:g}",
            ]
        lines += ["", f"Fail-safe N: {self.fsnum}", ""]
        return "\n".join(lines)


def fsn(
    yi: Any,
    vi: Any = None,
    *,
    sei: Any = None,
    type: Literal["Rosenthal", "Orwin", "Rosenberg"] = "Rosenthal",
    alpha: float = 0.05,
    target: float | None = None,
) -> FsnResult:
    """Fail-safe N: how many null studies would overturn the result.

    Parameters
    ----------
    yi : array_like or fitted result
        Observed effect sizes, or a fitted model (its ``yi``/``vi`` are used).
    vi : array_like, optional
        Sampling variances (or give ``sei``).  Not needed for ``type="Orwin"``.
    sei : array_like, optional
        Standard errors, used when ``vi`` is not given.
    type : {"Rosenthal", "Orwin", "Rosenberg"}
        Rosenthal's file-drawer number with Stouffer's method; Orwin's number of
        studies with mean effect 0 that bring the unweighted mean down to
        ``target``; Rosenberg's weighted (fixed-effects) number.
    alpha : float
        One-sided (Rosenthal) or two-sided (Rosenberg) significance level.
    target : float, optional
        Orwin's target mean (default: half the observed mean).

    Returns
    -------
    FsnResult

    Notes
    -----
    Rosenthal: ``z_avg = |sum(yi/sqrt(vi))| / sqrt(k)``,
    ``N = k (z_avg / z_{1-alpha})^2 - k``.  Orwin: ``N = k (mean - target) / target``.
    Rosenberg: ``N = k ((sum(w y) / z_{1-alpha/2})^2 - sum(w)) / sum(w)``, ``w = 1/vi``.
    Each N is truncated at 0 and rounded up, as metafor 3.8 does.

    References
    ----------
    .. [1] Rosenthal, R. (1979). The "file drawer problem" and tolerance for null
       results. Psychological Bulletin, 86(3), 638-641.
    .. [2] Orwin, R. G. (1983). A fail-safe N for effect size in meta-analysis.
       Journal of Educational Statistics, 8(2), 157-159.
    .. [3] Rosenberg, M. S. (2005). The file-drawer problem revisited: A general
       weighted method for calculating fail-safe numbers in meta-analysis.
       Evolution, 59(2), 464-468.
    """
    if type not in ("Rosenthal", "Orwin", "Rosenberg"):
        raise ValueError(f"fsn: type must be 'Rosenthal', 'Orwin' or 'Rosenberg', got {type!r}")
    if not (0.0 < alpha < 1.0):
        raise ValueError(f"fsn: alpha must lie in (0, 1), got {alpha!r}")
    if type == "Orwin":  # unweighted: the variances play no part (metafor sets them to 0)
        y, v = _yi_vi("fsn", yi, None, None, need_vi=False)
    else:
        y, v = _yi_vi("fsn", yi, vi, sei)
    k = int(y.size)
    nan = float("nan")
    meanes = pval = tgt = nan
    if type == "Rosenthal":
        z_avg = abs(float(np.sum(y / np.sqrt(v)))) / math.sqrt(k)
        pval = float(sps.norm.sf(z_avg))
        fs = max(0.0, k * (z_avg / float(sps.norm.isf(alpha))) ** 2 - k)
    elif type == "Orwin":
        meanes = float(np.mean(y))
        tgt = meanes / 2.0 if target is None else float(target)
        if tgt == 0.0:
            fs = math.inf
        else:
            if np.sign(tgt) != np.sign(meanes):
                tgt = -tgt
            fs = max(0.0, k * (meanes - tgt) / tgt)
    else:  # Rosenberg
        w = 1.0 / v
        sw = float(np.sum(w))
        swy = float(np.sum(w * y))
        meanes = swy / sw
        zval = meanes / math.sqrt(1.0 / sw)
        pval = float(2.0 * sps.norm.sf(abs(zval)))
        w_p = (swy / float(sps.norm.isf(alpha / 2.0))) ** 2 - sw
        fs = max(0.0, k * w_p / sw)
    return FsnResult(
        type=type,
        fsnum=_round_count(fs),
        alpha=float(alpha),
        pval=pval,
        meanes=meanes,
        target=tgt,
        k=k,
    )


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


# --------------------------------------------------------------------------- refitting helpers

_EE_METHODS = frozenset({"EE", "FE", "CE"})


def _single_fit(fit: Any, what: str) -> Any:
    """Check that ``fit`` is one fitted rma model (not batched) and return it."""
    if not (hasattr(fit, "yi") and hasattr(fit, "vi") and hasattr(fit, "method") and hasattr(fit, "X")):
        raise ValueError(f"{what}: expects a fitted model from stats.rma(), got {type(fit).__name__}")
    if getattr(fit, "batched", False) or np.ndim(fit.yi) != 1:
        raise ValueError(
            f"{what}: the fitted result holds {np.shape(fit.yi)[0]} batched analyses; "
            f"apply {what} to one analysis at a time (fit[i].{what}())"
        )
    return fit


def _rma(
    fit: Any,
    yi: Any,
    vi: Any,
    *,
    mods: Any = None,
    weights: Any = None,
    test: str | None = None,
    level: float | None = None,
) -> Any:
    """Fit ``rma`` with the settings of ``fit`` (method, control; test and level unless given), quietly.

    metafor runs these refits inside ``suppressWarnings()``; so does this helper.
    """
    from ldn_atlas.stats.rma import rma

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return rma(
            yi,
            vi,
            method=fit.method,
            test=fit.test if test is None else test,
            level=fit.level if level is None else level,
            mods=mods,
            weights=weights,
            control=fit.control,
        )


def _alpha_of(fit: Any) -> float:
    lv = float(fit.level)
    return (100.0 - lv) / 100.0 if lv > 1 else 1.0 - lv


def _is_ee(method: str) -> bool:
    return method in _EE_METHODS


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
        col = {"ni": n, "ninv": 1.0 / n, "sqrtni": np.sqrt(n), "sqrtninv": 1.0 / np.sqrt(n)}[predictor]
    else:
        col = np.sqrt(vi) if predictor == "sei" else vi.copy()
    Xr = np.column_stack([X, col])
    if np.linalg.matrix_rank(Xr) < p + 1:
        raise ValueError(
            "regtest: the model matrix is not of full rank after adding the predictor; cannot fit the model"
        )
    names_r = (*names, predictor)
    limit = predictor in ("sei", "vi", "ninv", "sqrtninv") and p == 1
    alpha = _alpha_of(fit)
    nan = float("nan")
    if model == "rma":
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
    else:
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
    return RegtestResult(
        model=model,
        predictor=predictor,
        zval=float(zv[p]),
        pval=float(pv[p]),
        dfs=None if dfs is None else int(dfs),
        est=est,
        ci_lb=lb,
        ci_ub=ub,
        fit=rfit,
        method=str(fit.method),
    )


# --------------------------------------------------------------------------- trimfill


@dataclass(frozen=True)
class TrimfillResult(_ResultMixin):
    """Trim and fill (metafor's ``rma.uni.trimfill`` object).

    Attributes
    ----------
    k0 : int
        Estimated number of missing studies.
    side : {"left", "right"}
        Side of the funnel on which studies were imputed.
    se_k0 : float
        Standard error of ``k0``.
    p_k0 : float
        R0 only: p-value of the test that no studies are missing (NaN for L0 and Q0).
    estimator : {"L0", "R0", "Q0"}
    model : RMAResult
        The model fitted to the observed plus imputed studies (the original fit
        when ``k0 = 0``).
    filled_yi, filled_vi : ndarray
        The imputed studies.
    yi, vi : ndarray
        The observed studies.
    iterations : int

    ``b``, ``se``, ``zval``, ``pval``, ``ci_lb``, ``ci_ub``, ``tau2``, ``qe``,
    ``qep``, ``i2``, ``h2`` and ``k`` are those of ``model``.
    """

    k0: int
    side: str
    se_k0: float
    p_k0: float
    estimator: str
    model: Any
    filled_yi: FloatArray
    filled_vi: FloatArray
    yi: FloatArray
    vi: FloatArray
    iterations: int

    @property
    def b(self) -> float:
        return float(self.model.b)

    @property
    def estimate(self) -> float:
        return float(self.model.b)

    @property
    def se(self) -> float:
        return float(self.model.se)

    @property
    def zval(self) -> float:
        return float(self.model.zval)

    @property
    def pval(self) -> float:
        return float(self.model.pval)

    @property
    def ci_lb(self) -> float:
        return float(self.model.ci_lb)

    @property
    def ci_ub(self) -> float:
        return float(self.model.ci_ub)

    @property
    def tau2(self) -> float:
        return float(self.model.tau2)

    @property
    def qe(self) -> float:
        return float(self.model.qe)

    @property
    def qep(self) -> float:
        return float(self.model.qep)

    @property
    def i2(self) -> float:
        return float(self.model.i2)

    @property
    def h2(self) -> float:
        return float(self.model.h2)

    @property
    def k(self) -> int:
        return int(self.model.k)

    @property
    def fill(self) -> npt.NDArray[np.bool_]:
        """Per study of ``model``: True for an imputed study."""
        return np.concatenate([np.zeros(self.yi.size, dtype=bool), np.ones(self.k0, dtype=bool)])

    def summary(self, digits: int = 4) -> str:
        """Text laid out like metafor's ``print.rma.uni.trimfill``: k0, then the model on the filled data."""
        head = [
            "",
            f"Estimated number of missing studies on the {self.side} side: {self.k0} (SE = {_fmt(self.se_k0, digits)})",
        ]
        if self.estimator == "R0":
            head.append(
                f"Test of H0: no missing studies on the {self.side} side:     p-val = {_fmt_p(self.p_k0, digits)}"
            )
        body = self.model.summary(digits) if hasattr(self.model, "summary") else ""
        return "\n".join(head) + "\n" + body

    def funnel(self, path: Any = None, **kwargs: Any) -> Any:
        """Funnel plot with the imputed studies drawn hollow (:func:`ldn_atlas.stats.plots.funnel`)."""
        from ldn_atlas.stats import plots

        return plots.funnel(self, path, **kwargs)

    def forest(self, path: Any = None, **kwargs: Any) -> Any:
        """Forest plot of the observed and imputed studies (:func:`ldn_atlas.stats.plots.forest`)."""
        from ldn_atlas.stats import plots

        return plots.forest(self, path, **kwargs)


def _r_rank_first(x: FloatArray) -> FloatArray:
    """R's ``rank(x, ties.method="first")``: ranks 1..n, ties in order of appearance."""
    order = np.argsort(x, kind="stable")
    ranks = np.empty(x.size, dtype=np.float64)
    ranks[order] = np.arange(1, x.size + 1, dtype=np.float64)
    return ranks


def trimfill(
    fit: Any,
    estimator: Literal["L0", "R0", "Q0"] = "L0",
    side: Literal["left", "right"] | None = None,
    *,
    maxiter: int = 100,
) -> TrimfillResult:
    """Duval and Tweedie's trim and fill method.

    Parameters
    ----------
    fit : RMAResult
        A fitted intercept-only model (one analysis).
    estimator : {"L0", "R0", "Q0"}
        Estimator of the number of missing studies (Duval & Tweedie's L0 and R0;
        Q0 as in metafor).
    side : {"left", "right"}, optional
        Side on which studies are missing.  By default chosen as metafor does:
        the sign of the slope in a regression of ``yi`` on ``sqrt(vi)`` with the
        fit's estimator (negative slope: studies missing on the right).
    maxiter : int
        Maximum number of trim-and-fill iterations.

    Returns
    -------
    TrimfillResult

    Notes
    -----
    As in metafor 3.8, the iterations fit the truncated data with the fit's
    estimator, and the final model (observed plus imputed studies) is fitted
    with the fit's estimator, a z test and a 95% level.  When ``k0 = 0`` the
    original fit is returned as ``model``.

    References
    ----------
    .. [1] Duval, S., & Tweedie, R. (2000). Trim and fill: A simple
       funnel-plot-based method of testing and adjusting for publication bias in
       meta-analysis. Biometrics, 56(2), 455-463.
    .. [2] Duval, S., & Tweedie, R. (2000). A nonparametric "trim and fill"
       method of accounting for publication bias in meta-analysis. Journal of the
       American Statistical Association, 95(449), 89-98.
    """
    fit = _single_fit(fit, "trimfill")
    if estimator not in ("L0", "R0", "Q0"):
        raise ValueError(f"trimfill: estimator must be 'L0', 'R0' or 'Q0', got {estimator!r}")
    if side is not None and side not in ("left", "right"):
        raise ValueError(f"trimfill: side must be 'left', 'right' or None, got {side!r}")
    if int(fit.p) != 1:
        raise ValueError("trimfill: only applicable to models without moderators")
    yi0 = np.asarray(fit.yi, dtype=np.float64)
    vi0 = np.asarray(fit.vi, dtype=np.float64)
    uw = getattr(fit, "user_weights", None)
    wi0 = None if uw is None else np.asarray(uw, dtype=np.float64)
    k = int(yi0.size)
    if k == 1:
        raise ValueError("trimfill: stopped because k = 1")

    if side is None:
        try:
            slope_fit = _rma(fit, yi0, vi0, mods=np.sqrt(vi0), weights=wi0, test="z", level=95.0)
        except ValueError as exc:
            raise ValueError(
                f"trimfill: cannot choose the side from the regression of yi on sqrt(vi) ({exc}); pass side="
            ) from None
        slope = float(np.asarray(slope_fit.b)[1])
        if not math.isfinite(slope):
            raise ValueError("trimfill: could not determine the side (slope of yi on sqrt(vi) is not finite)")
        side = "right" if slope < 0 else "left"

    yi = -yi0 if side == "right" else yi0.copy()
    ix = np.argsort(yi, kind="stable")
    yi, vi = yi[ix], vi0[ix]
    wi = None if wi0 is None else wi0[ix]

    k0_sav, k0, iteration = -1, 0, 0
    se_k0 = float("nan")
    beta = float("nan")
    while k0 != k0_sav:
        k0_sav = k0
        iteration += 1
        if iteration > maxiter:
            raise ValueError(f"trimfill: the algorithm did not converge in {maxiter} iterations")
        n_t = k - k0
        if n_t == 1:  # metafor fits one study with tau2 = 0: the estimate is that study
            beta = float(yi[0])
        else:
            try:
                res = _rma(fit, yi[:n_t], vi[:n_t], weights=None if wi is None else wi[:n_t], test="z", level=95.0)
            except ValueError as exc:
                raise ValueError(f"trimfill: cannot fit the {n_t} studies left after trimming {k0} ({exc})") from None
            beta = float(res.b)
        yi_c = yi - beta
        yi_c_r = _r_rank_first(np.abs(yi_c))
        yi_c_r_s = np.sign(yi_c) * yi_c_r
        if estimator == "R0":
            neg = yi_c_r_s[yi_c_r_s < 0]
            if neg.size == 0:
                raise ValueError("trimfill: R0 is undefined when no study lies below the truncated estimate")
            k0_raw = (k - float(np.max(-neg))) - 1.0
            se_k0 = math.sqrt(2.0 * max(0.0, k0_raw) + 2.0)
        else:
            sr = float(np.sum(yi_c_r_s[yi_c_r_s > 0]))
            if estimator == "L0":
                k0_raw = (4.0 * sr - k * (k + 1)) / (2.0 * k - 1.0)
            else:  # Q0
                disc = 2.0 * k**2 - 4.0 * sr + 0.25
                k0_raw = k - 0.5 - math.sqrt(disc) if disc >= 0 else float("nan")
            var_sr = (
                k * (k + 1) * (2 * k + 1)
                + 10 * k0_raw**3
                + 27 * k0_raw**2
                + 17 * k0_raw
                - 18 * k * k0_raw**2
                - 18 * k * k0_raw
                + 6 * k**2 * k0_raw
            ) / 24.0
            if estimator == "L0":
                se_k0 = 4.0 * math.sqrt(var_sr) / (2.0 * k - 1.0) if var_sr >= 0 else float("nan")
            else:
                den = (k - 0.5) ** 2 - k0_raw * (2.0 * k - k0_raw - 1.0)
                se_k0 = 2.0 * math.sqrt(var_sr) / math.sqrt(den) if var_sr >= 0 and den > 0 else float("nan")
        if math.isnan(k0_raw):
            raise ValueError(f"trimfill: the {estimator} estimate of the number of missing studies is undefined")
        k0 = int(max(0.0, float(np.round(k0_raw))))
        se_k0 = max(0.0, se_k0) if math.isfinite(se_k0) else se_k0
        if k0 >= k:
            raise ValueError(f"trimfill: estimated {k0} missing studies for k = {k}; cannot trim all studies")

    if k0 > 0:
        # mirror the k0 most extreme studies around the truncated estimate (on the original scale)
        tail = yi[k - k0 :]
        mirrored = 2.0 * beta - tail
        filled_yi = -mirrored if side == "right" else mirrored
        filled_vi = vi[k - k0 :].copy()
        w_fill = None if wi is None else np.concatenate([wi0, wi[k - k0 :]])
        model = _rma(
            fit,
            np.concatenate([yi0, filled_yi]),
            np.concatenate([vi0, filled_vi]),
            weights=w_fill,
            test="z",
            level=95.0,
        )
    else:
        filled_yi = np.zeros(0)
        filled_vi = np.zeros(0)
        model = fit
    p_k0 = 0.5 ** (k0 + 1) if estimator == "R0" else float("nan")
    return TrimfillResult(
        k0=k0,
        side=side,
        se_k0=float(se_k0),
        p_k0=float(p_k0),
        estimator=estimator,
        model=model,
        filled_yi=filled_yi,
        filled_vi=filled_vi,
        yi=yi0.copy(),
        vi=vi0.copy(),
        iterations=iteration,
    )


# --------------------------------------------------------------------------- leave-one-out refits


@dataclass(frozen=True)
class _Deleted:
    """The model refitted without each study in turn (NaN where the refit failed)."""

    b: FloatArray  # (k, p)
    vb: FloatArray  # (k, p, p)
    se: FloatArray  # (k, p)
    zval: FloatArray
    pval: FloatArray
    ci_lb: FloatArray
    ci_ub: FloatArray
    tau2: FloatArray  # (k,)
    qe: FloatArray
    qep: FloatArray
    i2: FloatArray
    h2: FloatArray
    s2w: FloatArray  # Knapp-Hartung factor of each refit (1 without knha)


def _k1_values(fit: Any, y: float, v: float) -> dict[str, Any]:
    """metafor's fit of one study (intercept only): tau2 = 0, z test, Q = 0, I2 = 0, H2 = 1.

    (User weights do not matter with one study: the estimate is that study, its variance ``v``.)
    """
    alpha = _alpha_of(fit)
    se = math.sqrt(v)
    z = y / se
    crit = float(sps.norm.isf(alpha / 2.0))
    return {
        "b": np.array([y]),
        "vb": np.array([[v]]),
        "se": np.array([se]),
        "zval": np.array([z]),
        "pval": np.array([2.0 * sps.norm.sf(abs(z))]),
        "ci_lb": np.array([y - crit * se]),
        "ci_ub": np.array([y + crit * se]),
        "tau2": 0.0,
        "qe": 0.0,
        "qep": 1.0,
        "i2": 0.0,
        "h2": 1.0,
        "s2w": 1.0,
    }


def _knha_s2w(yi: FloatArray, vi: FloatArray, X: FloatArray, tau2: float) -> float:
    """Knapp-Hartung factor ``sum w e^2 / (k - p)`` at ``tau2`` (0 when the RSS vanishes, as metafor)."""
    w = 1.0 / (vi + tau2)
    Xw = X * w[:, None]
    b = np.linalg.solve(X.T @ Xw, Xw.T @ yi)
    e = yi - X @ b
    rss = float(np.sum(w * e * e))
    dfr = yi.size - X.shape[1]
    if dfr <= 0 or rss <= np.finfo(float).eps:
        return 0.0
    return rss / dfr


def _values_of(res: Any, p: int) -> dict[str, Any]:
    return {
        "b": np.atleast_1d(np.asarray(res.b, dtype=np.float64)),
        "vb": np.asarray(res.vb, dtype=np.float64).reshape(p, p),
        "se": np.atleast_1d(np.asarray(res.se, dtype=np.float64)),
        "zval": np.atleast_1d(np.asarray(res.zval, dtype=np.float64)),
        "pval": np.atleast_1d(np.asarray(res.pval, dtype=np.float64)),
        "ci_lb": np.atleast_1d(np.asarray(res.ci_lb, dtype=np.float64)),
        "ci_ub": np.atleast_1d(np.asarray(res.ci_ub, dtype=np.float64)),
        "tau2": float(res.tau2),
        "qe": float(res.qe),
        "qep": float(res.qep),
        "i2": float(res.i2),
        "h2": float(res.h2),
    }


def _delete_each(fit: Any) -> _Deleted:
    """Refit ``fit`` k times, each time without one study: one batched ``rma`` call when possible."""
    yi = np.asarray(fit.yi, dtype=np.float64)
    vi = np.asarray(fit.vi, dtype=np.float64)
    X = np.asarray(fit.X, dtype=np.float64).reshape(yi.size, -1)
    k, p = X.shape
    uw = getattr(fit, "user_weights", None)
    wu = None if uw is None else np.asarray(uw, dtype=np.float64)
    out = {
        name: np.full(shape, np.nan)
        for name, shape in (
            ("b", (k, p)),
            ("vb", (k, p, p)),
            ("se", (k, p)),
            ("zval", (k, p)),
            ("pval", (k, p)),
            ("ci_lb", (k, p)),
            ("ci_ub", (k, p)),
            ("tau2", (k,)),
            ("qe", (k,)),
            ("qep", (k,)),
            ("i2", (k,)),
            ("h2", (k,)),
            ("s2w", (k,)),
        )
    }
    diag = np.eye(k, dtype=bool)
    mods = X[:, 1:] if p > 1 else None

    def store(i: int, vals: Mapping[str, Any]) -> None:
        for name, val in vals.items():
            out[name][i] = val

    def s2w_of(i: int, tau2: float) -> float:
        if fit.test != "knha":
            return 1.0
        keep = ~diag[i]
        return _knha_s2w(yi[keep], vi[keep], X[keep], tau2)

    batched_ok = False
    if k - 1 >= (p if _is_ee(fit.method) else p + 1) and k - 1 >= 1 and not (p == 1 and k - 1 == 1):
        Y = np.where(diag, np.nan, yi[None, :])
        V = np.broadcast_to(vi, (k, k)).copy()
        W = None if wu is None else np.where(diag, np.nan, wu[None, :])
        try:
            res = _rma(fit, Y, V, mods=mods, weights=W)
        except (ValueError, np.linalg.LinAlgError):
            res = None
        if res is not None:
            batched_ok = True
            conv = np.asarray(res.converged, dtype=bool)
            b = np.asarray(res.b, dtype=np.float64).reshape(k, p)
            for i in range(k):
                if not conv[i]:
                    continue  # metafor: a refit that fails gives NA
                vals = {
                    "b": b[i],
                    "vb": np.asarray(res.vb, dtype=np.float64)[i],
                    "se": np.asarray(res.se, dtype=np.float64).reshape(k, p)[i],
                    "zval": np.asarray(res.zval, dtype=np.float64).reshape(k, p)[i],
                    "pval": np.asarray(res.pval, dtype=np.float64).reshape(k, p)[i],
                    "ci_lb": np.asarray(res.ci_lb, dtype=np.float64).reshape(k, p)[i],
                    "ci_ub": np.asarray(res.ci_ub, dtype=np.float64).reshape(k, p)[i],
                    "tau2": float(res.tau2[i]),
                    "qe": float(res.qe[i]),
                    "qep": float(res.qep[i]),
                    "i2": float(res.i2[i]),
                    "h2": float(res.h2[i]),
                }
                vals["s2w"] = s2w_of(i, vals["tau2"])
                store(i, vals)
    if not batched_ok:
        for i in range(k):
            keep = ~diag[i]
            if p == 1 and k - 1 == 1:
                j = int(np.flatnonzero(keep)[0])
                store(i, _k1_values(fit, float(yi[j]), float(vi[j])))
                continue
            try:
                r = _rma(
                    fit,
                    yi[keep],
                    vi[keep],
                    mods=None if mods is None else mods[keep],
                    weights=None if wu is None else wu[keep],
                )
            except (ValueError, np.linalg.LinAlgError):
                continue
            if not bool(np.all(r.converged)) or r.p != p:
                # metafor skips a deletion whose refit dropped redundant moderators (coef.na)
                continue
            vals = _values_of(r, p)
            vals["s2w"] = s2w_of(i, vals["tau2"])
            store(i, vals)
    return _Deleted(**out)


# --------------------------------------------------------------------------- leave1out


@dataclass(frozen=True)
class LeaveOneOutResult(_ResultMixin):
    """Leave-one-out estimates (metafor's ``leave1out`` object): entry *i* omits study *i*.

    ``zval`` holds *t* statistics for knha models.  ``tau2`` is 0 for
    equal-effects models.  NaN marks a refit that failed.
    """

    estimate: FloatArray
    se: FloatArray
    zval: FloatArray
    pval: FloatArray
    ci_lb: FloatArray
    ci_ub: FloatArray
    q: FloatArray
    qp: FloatArray
    tau2: FloatArray
    i2: FloatArray
    h2: FloatArray
    slab: tuple[str, ...]

    @property
    def b(self) -> FloatArray:
        """Alias of ``estimate``."""
        return self.estimate

    @property
    def tval(self) -> FloatArray:
        """Alias of ``zval`` (metafor's name for knha/t models)."""
        return self.zval

    def summary(self, digits: int = 4) -> str:
        """A table laid out like metafor's ``print`` of ``leave1out``."""
        cols = {
            "estimate": self.estimate, "se": self.se, "zval": self.zval,
            "pval": [_fmt_p(p, digits) for p in self.pval], "ci.lb": self.ci_lb, "ci.ub": self.ci_ub,
            "Q": self.q, "Qp": [_fmt_p(p, digits) for p in self.qp], "tau2": self.tau2, "I2": self.i2,
            "H2": self.h2,
        }  # fmt: skip
        return _table(cols, list(self.slab), digits)


def leave1out(fit: Any) -> LeaveOneOutResult:
    """Leave-one-out sensitivity analysis: the model refitted without each study in turn.

    Parameters
    ----------
    fit : RMAResult
        A fitted intercept-only model (one analysis).  Every refit uses its
        estimator, test, level, weights and control; the k refits are done in one
        vectorised ``rma`` call.

    Returns
    -------
    LeaveOneOutResult

    References
    ----------
    .. [1] Viechtbauer, W., & Cheung, M. W.-L. (2010). Outlier and influence
       diagnostics for meta-analysis. Research Synthesis Methods, 1(2), 112-125.
    """
    fit = _single_fit(fit, "leave1out")
    if int(fit.p) != 1:
        raise ValueError("leave1out: only applicable to models without moderators")
    k = int(np.size(fit.yi))
    if k == 1:
        raise ValueError("leave1out: stopped because k = 1")
    d = _delete_each(fit)
    lb, ub = d.ci_lb[:, 0], d.ci_ub[:, 0]
    slab = getattr(fit, "slab", None)
    return LeaveOneOutResult(
        estimate=d.b[:, 0],
        se=d.se[:, 0],
        zval=d.zval[:, 0],
        pval=d.pval[:, 0],
        ci_lb=np.fmin(lb, ub),
        ci_ub=np.fmax(lb, ub),
        q=d.qe,
        qp=d.qep,
        tau2=d.tau2,
        i2=d.i2,
        h2=d.h2,
        slab=tuple(slab) if slab is not None else tuple(str(i + 1) for i in range(k)),
    )


# --------------------------------------------------------------------------- influence


@dataclass(frozen=True)
class InfluenceResult(_ResultMixin):
    """Case-deletion diagnostics (metafor's ``infl.rma.uni`` object).

    Attributes
    ----------
    rstudent : ndarray
        Externally studentised residuals.
    dffits : ndarray
        Change in the fitted value (DFFITS).
    cook_d : ndarray
        Cook's distances.
    cov_r : ndarray
        Covariance ratios ``det(vb_(-i)) / det(vb)``.
    tau2_del, qe_del : ndarray
        tau^2 and Q of each leave-one-out fit.
    hat : ndarray
        Leverages (proportions).
    weight : ndarray
        Weights in percent.
    dfbs : ndarray, shape (k, p)
        DFBETAS of each coefficient (columns ordered as ``coef_names``).
    coef_names : tuple of str
    is_influential : ndarray of bool
        metafor's ``*`` flag.
    slab : tuple of str
    """

    rstudent: FloatArray
    dffits: FloatArray
    cook_d: FloatArray
    cov_r: FloatArray
    tau2_del: FloatArray
    qe_del: FloatArray
    hat: FloatArray
    weight: FloatArray
    dfbs: FloatArray
    coef_names: tuple[str, ...]
    is_influential: npt.NDArray[np.bool_]
    slab: tuple[str, ...]

    def summary(self, digits: int = 4) -> str:
        """A table laid out like metafor's ``print.infl.rma.uni`` (``*`` marks influential studies)."""
        cols: dict[str, Any] = {
            "rstudent": self.rstudent, "dffits": self.dffits, "cook.d": self.cook_d, "cov.r": self.cov_r,
            "tau2.del": self.tau2_del, "QE.del": self.qe_del, "hat": self.hat, "weight": self.weight,
        }  # fmt: skip
        for j, name in enumerate(self.coef_names):
            cols[f"dfbs.{name}" if len(self.coef_names) > 1 else "dfbs"] = self.dfbs[:, j]
        cols["inf"] = ["*" if flag else "" for flag in self.is_influential]
        return _table(cols, list(self.slab), digits)

    def dfbs_of(self, name: str) -> FloatArray:
        """DFBETAS of the coefficient called ``name`` (e.g. ``"intrcpt"``)."""
        try:
            j = self.coef_names.index(name)
        except ValueError:
            have = ", ".join(self.coef_names)
            raise ValueError(f"dfbs_of: no coefficient {name!r} (have {have})") from None
        return self.dfbs[:, j]


def influence(fit: Any) -> InfluenceResult:
    """Outlier and influence diagnostics by deleting each study in turn.

    Parameters
    ----------
    fit : RMAResult
        A fitted model (one analysis; moderators allowed).  The refits use its
        estimator, test, level, weights and control.

    Returns
    -------
    InfluenceResult

    Notes
    -----
    As metafor 3.8 (Viechtbauer & Cheung 2010): with ``s2w`` the Knapp-Hartung
    factor of the refit (1 for z tests),

    * ``rstudent_i = (y_i - x_i b_(-i)) / sqrt(s2w v_i + x_i V_(-i) x_i' + s2w tau2_(-i))``;
    * ``dffits_i = (x_i b - x_i b_(-i)) / sqrt(s2w h_i (tau2_(-i) + v_i))``;
    * ``cook_d_i = (b - b_(-i))' V^-1 (b - b_(-i))`` over all coefficients;
    * ``cov_r_i = det V_(-i) / det V``;
    * ``dfbs_i = (b - b_(-i)) / sqrt(s2w diag((X' W_(-i) X)^-1))`` with ``W_(-i)``
      the full-data weights at ``tau2_(-i)``.

    A study is flagged influential when ``|dffits| > 3 sqrt(p/(k-p))``, or
    ``pchisq(cook_d, p) > 0.5``, or ``hat > 3p/k``, or any ``|dfbs| > 1``.

    References
    ----------
    .. [1] Viechtbauer, W., & Cheung, M. W.-L. (2010). Outlier and influence
       diagnostics for meta-analysis. Research Synthesis Methods, 1(2), 112-125.
    .. [2] Belsley, D. A., Kuh, E., & Welsch, R. E. (1980). Regression diagnostics.
       Wiley.
    """
    fit = _single_fit(fit, "influence")
    yi = np.asarray(fit.yi, dtype=np.float64)
    vi = np.asarray(fit.vi, dtype=np.float64)
    X = np.asarray(fit.X, dtype=np.float64).reshape(yi.size, -1)
    k, p = X.shape
    if k == 1:
        raise ValueError("influence: stopped because k = 1")
    b = np.atleast_1d(np.asarray(fit.b, dtype=np.float64))
    vb = np.asarray(fit.vb, dtype=np.float64).reshape(p, p)
    tau2 = 0.0 if _is_ee(fit.method) else float(fit.tau2)
    uw = getattr(fit, "user_weights", None)
    pred_full = X @ b
    svb = np.linalg.inv(vb)
    det_vb = float(np.linalg.det(vb))

    if uw is None:
        w_full = 1.0 / (vi + tau2)
        A = w_full
    else:
        A = np.asarray(uw, dtype=np.float64)
        w_full = A
    stXAX = np.linalg.inv(X.T @ (X * A[:, None]))
    H = X @ stXAX @ (X * A[:, None]).T
    hat = np.diag(H).copy()
    weight = 100.0 * w_full / np.sum(w_full)

    d = _delete_each(fit)
    delpred = np.einsum("ip,ip->i", X, d.b)
    vdelpred = np.einsum("ip,ipq,iq->i", X, d.vb, X)
    dffits = np.full(k, np.nan)
    dfbs = np.full((k, p), np.nan)
    cook_d = np.full(k, np.nan)
    cov_r = np.full(k, np.nan)
    for i in range(k):
        if not np.all(np.isfinite(d.b[i])):
            continue
        t2d = float(d.tau2[i])
        s2w = float(d.s2w[i])
        if uw is None:
            dffits[i] = (pred_full[i] - delpred[i]) / math.sqrt(s2w * hat[i] * (t2d + vi[i]))
            vb_del = np.linalg.inv(X.T @ (X * (1.0 / (vi + t2d))[:, None]))
        else:
            var_i = float(np.sum(H[i] ** 2 * (t2d + vi)))  # (H diag(tau2_del + v) H')_ii
            dffits[i] = (pred_full[i] - delpred[i]) / math.sqrt(s2w * var_i)
            M = stXAX @ (X * A[:, None]).T
            vb_del = M @ ((vi + t2d)[:, None] * M.T)
        dfb = b - d.b[i]
        dfbs[i] = dfb / np.sqrt(s2w * np.diag(vb_del))
        cook_d[i] = float(dfb @ svb @ dfb)
        cov_r[i] = float(np.linalg.det(d.vb[i])) / det_vb
    resid = yi - delpred
    resid[np.abs(resid) < 100 * np.finfo(float).eps] = 0.0
    seresid = np.sqrt(vi * d.s2w + vdelpred + d.tau2 * d.s2w)
    with np.errstate(divide="ignore", invalid="ignore"):
        rstudent = resid / seresid
    with np.errstate(invalid="ignore"):
        flags = (
            (np.abs(dffits) > 3.0 * math.sqrt(p / (k - p)) if k > p else np.zeros(k, dtype=bool))
            | (sps.chi2.cdf(cook_d, df=p) > 0.5)
            | (hat > 3.0 * p / k)
            | np.any(np.abs(dfbs) > 1.0, axis=1)
        )
    slab = getattr(fit, "slab", None)
    return InfluenceResult(
        rstudent=rstudent,
        dffits=dffits,
        cook_d=cook_d,
        cov_r=cov_r,
        tau2_del=d.tau2,
        qe_del=d.qe,
        hat=hat,
        weight=weight,
        dfbs=dfbs,
        coef_names=tuple(getattr(fit, "coef_names", ("intrcpt",))),
        is_influential=np.asarray(flags, dtype=bool),
        slab=tuple(slab) if slab is not None else tuple(str(i + 1) for i in range(k)),
    )
