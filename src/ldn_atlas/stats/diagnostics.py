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
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from scipy import stats as sps

from ldn_atlas.errors import DataWarning
from ldn_atlas.stats.exceptions import StatisticalWarning

__all__ = [
    "FsnResult",
    "RankTestResult",
    "RankTestTiesWarning",
    "fsn",
    "ranktest",
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
        warnings.warn(
            f"{what}: {int(bad.sum())} stud{'y' if bad.sum() == 1 else 'ies'} with NaN omitted",
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
    y, v = _yi_vi("fsn", yi, vi, sei, need_vi=type != "Orwin")
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
            "ranktest: cannot compute exact p-value with ties; using the normal approximation",
            RankTestTiesWarning,
            stacklevel=2,
        )
    res = sps.kendalltau(ystar, v, method="exact" if use_exact else "asymptotic")
    return RankTestResult(tau=float(res.statistic), pval=float(res.pvalue), exact=use_exact, k=k)
