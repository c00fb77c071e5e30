"""``rma``: random- and equal-effects meta-analysis and meta-regression (metafor's ``rma.uni``).

The model is ``y_i = x_i' beta + u_i + e_i`` with ``u_i ~ N(0, tau^2)`` and ``e_i ~ N(0, v_i)``.
tau^2 comes from one of the estimators in :mod:`ldn_atlas.stats.estimators`; everything else
is computed here, for ``m`` analyses at once (rows of ``(m, k)`` arrays, NaN-padded), with the
conventions of metafor 3.8-1 (Viechtbauer 2010).

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

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from scipy import special
from scipy import stats as sps

from ldn_atlas.errors import DataWarning
from ldn_atlas.stats._core import (
    Batch,
    FloatArray,
    fe_fit,
    logdet,
    re_fit,
    rss,
    solve_q,
    trace_p,
    weights_re,
    wls,
    xtwx,
)
from ldn_atlas.stats.estimators import Control, get_estimator
from ldn_atlas.stats.exceptions import ConvergenceWarning, StatisticalWarning
from ldn_atlas.stats.results import RMAResult

__all__ = ["rma"]

TESTS = ("z", "knha", "t")
NA_MESSAGE = "Studies with NAs omitted from model fitting."


def _alpha(level: float) -> float:
    """metafor's ``.level()``: 95 or 0.95 -> alpha 0.05."""
    lv = float(level)
    if not 0 < lv < 100:
        raise ValueError(f"level: must be in (0, 100) (a percentage) or (0, 1); got {level!r}")
    return (100.0 - lv) / 100.0 if lv > 1 else 1.0 - lv


def _mods_array(mods: Any, shape: tuple[int, ...]) -> tuple[np.ndarray, list[str]]:
    """Moderators as ``(k, q)`` or ``(m, k, q)`` float array plus their names."""
    names: list[str] | None = None
    if hasattr(mods, "columns") and hasattr(mods, "to_numpy"):  # pandas DataFrame
        arr, names = _frame_design(mods)
    elif hasattr(mods, "to_numpy") and hasattr(mods, "name"):  # pandas Series
        names = [str(mods.name) if mods.name is not None else "X1"]
        arr = np.asarray(mods.to_numpy(dtype=float, na_value=np.nan), dtype=float)
    else:
        try:
            arr = np.asarray(mods, dtype=float)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"mods: not numeric ({exc})") from None
    k = shape[-1]
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim == 2 and arr.shape[0] != k:
        raise ValueError(f"mods: has {arr.shape[0]} rows but yi has {k} studies")
    if arr.ndim == 3:
        if len(shape) != 2 or arr.shape[:2] != shape:
            raise ValueError(f"mods: 3-D moderators must have shape (m, k, q) with (m, k) = {shape}; "
                             f"got {arr.shape}")
    elif arr.ndim != 2:
        raise ValueError(f"mods: expected 1-D, 2-D or (m, k, q) array; got {arr.ndim}-D")
    q = arr.shape[-1]
    if names is None:
        names = [f"X{j + 1}" for j in range(q)]
    return arr, names


def _frame_design(frame: Any) -> tuple[np.ndarray, list[str]]:
    """Numeric columns as they are; text/categorical columns dummy-coded like R's treatment contrasts.

    A text or categorical column ``g`` with levels ``a < b < c`` becomes columns ``gb`` and ``gc``
    (R's names for ``mods = ~ g``); boolean columns become 0/1 columns named ``gTRUE``.
    """
    import pandas as pd

    cols: list[np.ndarray] = []
    names: list[str] = []
    for name in frame.columns:
        col = frame[name]
        label = str(name)
        if pd.api.types.is_bool_dtype(col):
            cols.append(col.to_numpy(dtype=float, na_value=np.nan))
            names.append(f"{label}TRUE")
        elif pd.api.types.is_numeric_dtype(col):
            cols.append(col.to_numpy(dtype=float, na_value=np.nan))
            names.append(label)
        else:
            cat = col.astype("category")
            levels = list(cat.cat.categories)
            if not isinstance(col.dtype, pd.CategoricalDtype):
                levels = sorted(levels, key=lambda v: str(v))
            missing = cat.isna().to_numpy()
            for level in levels[1:]:
                dummy = (cat == level).to_numpy(dtype=float)
                dummy[missing] = np.nan
                cols.append(dummy)
                names.append(f"{label}{level}")
    if not cols:
        raise ValueError("mods: the DataFrame has no columns")
    return np.column_stack(cols), names


def _independent_columns(X: np.ndarray, tol: float = 1e-7) -> np.ndarray:
    """Which columns of ``X`` are not (near) linear combinations of the columns before them.

    Modified Gram-Schmidt in column order with R's ``lm`` tolerance (1e-7 relative to the
    column's norm), which is how metafor decides which moderators are redundant.
    """
    q: list[np.ndarray] = []
    keep = np.zeros(X.shape[1], dtype=bool)
    for j in range(X.shape[1]):
        col = X[:, j].astype(float).copy()
        norm0 = float(np.linalg.norm(col))
        if norm0 == 0.0:
            continue
        for basis in q:
            col -= (basis @ col) * basis
        norm = float(np.linalg.norm(col))
        if norm > tol * norm0:
            q.append(col / norm)
            keep[j] = True
    return keep


def _as_float(name: str, values: Any) -> np.ndarray:
    try:
        if hasattr(values, "to_numpy"):  # pandas: pd.NA -> NaN
            return np.asarray(values.to_numpy(dtype=float, na_value=np.nan), dtype=float)
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: not numeric ({exc})") from None
    return arr


def _prepare(
    yi: Any, vi: Any, mods: Any, weights: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None, list[str], bool]:
    if vi is None and hasattr(yi, "yi") and hasattr(yi, "vi"):
        yi, vi = yi.yi, yi.vi
    elif hasattr(yi, "yi") and hasattr(yi, "vi") and not isinstance(yi, np.ndarray):
        yi = yi.yi
    if vi is None:
        raise ValueError("vi: the sampling variances are required (or pass an escalc result as yi)")
    y = _as_float("yi", yi)
    v = _as_float("vi", vi)
    if y.ndim == 0:
        y = y[None]
    if v.ndim == 0:
        v = v[None]
    if y.ndim not in (1, 2):
        raise ValueError(f"yi: expected a 1-D (k,) or 2-D (m, k) array; got {y.ndim}-D")
    if v.shape != y.shape:
        raise ValueError(f"vi: shape {v.shape} does not match yi {y.shape}")
    batched = y.ndim == 2
    names = ["intrcpt"]
    X = None
    if mods is not None:
        X, mod_names = _mods_array(mods, y.shape)
        names += mod_names
    w = None
    if weights is not None:
        w = _as_float("weights", weights)
        if w.shape != y.shape:
            raise ValueError(f"weights: shape {w.shape} does not match yi {y.shape}")
    return y, v, X, w, names, batched


def _design(
    y2: np.ndarray, X: np.ndarray | None
) -> np.ndarray:
    m, k = y2.shape
    if X is None:
        return np.ones((m, k, 1))
    if X.ndim == 2:
        X = np.broadcast_to(X, (m, *X.shape))
    return np.concatenate([np.ones((m, k, 1)), X], axis=2)


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
    ctl = Control.from_any(control)
    estimator = get_estimator(method)
    if slab is None and vi is None and hasattr(yi, "yi") and getattr(yi, "slab", None) is not None:
        slab = yi.slab
    if test not in TESTS:
        raise ValueError(f"test: must be one of {', '.join(TESTS)}; got {test!r}")
    alpha = _alpha(level)
    y, v, Xm, w_user, names, batched = _prepare(yi, vi, mods, weights)
    y2 = y if batched else y[None, :]
    v2 = v if batched else v[None, :]
    w2 = None if w_user is None else (w_user if batched else w_user[None, :])
    m = y2.shape[0]
    p = 1 if Xm is None else 1 + Xm.shape[-1]

    y_nan = np.isnan(y2)
    v_nan = np.isnan(v2)
    raw_missing = y_nan | v_nan
    if Xm is not None:
        x_nan = np.isnan(Xm).any(axis=-1)
        raw_missing = raw_missing | (x_nan if x_nan.ndim == 2 else x_nan[None, :])
    if w2 is not None:
        raw_missing = raw_missing | np.isnan(w2)
    if raw_missing.all():
        raise ValueError("yi: all values are missing (NaN) in yi, vi or mods")
    if np.isinf(y2).any() or np.isinf(v2).any() or (Xm is not None and np.isinf(Xm).any()):
        raise ValueError("yi/vi/mods: infinite values are not allowed")
    valid = ~raw_missing
    messages: dict[int, list[str]] = {}
    if raw_missing.any():
        # a study counts as dropped when it was not an all-NaN padding cell of a ragged row
        partly = raw_missing & ~(y_nan & v_nan)
        if not batched:
            warnings.warn(NA_MESSAGE, DataWarning, stacklevel=2)
            messages.setdefault(0, []).append(NA_MESSAGE)
        elif partly.any():
            rows = np.flatnonzero(partly.any(axis=1))
            for row in rows:
                messages.setdefault(int(row), []).append(NA_MESSAGE)
            warnings.warn(f"{NA_MESSAGE} ({rows.size} analyses affected)", DataWarning, stacklevel=2)

    if Xm is not None and not batched:
        # metafor drops predictors that are linear combinations of earlier ones (lm's pivoting)
        keep = _independent_columns(_design(y2, Xm)[0][valid[0]])
        if not keep.all():
            msg = "Redundant predictors dropped from the model."
            warnings.warn(msg, StatisticalWarning, stacklevel=2)
            messages.setdefault(0, []).append(msg)
            names = [n for n, kp in zip(names, keep, strict=True) if kp]
            Xm = Xm[..., keep[1:]] if keep[1:].any() else None
            p = len(names)

    bad_v = valid & (v2 <= 0)
    if bad_v.any():
        bi, bj = (int(x) for x in np.argwhere(bad_v)[0])
        where = f"study {bj}" if not batched else f"analysis {bi}, study {bj}"
        raise ValueError(f"vi: sampling variances must be positive; got {v2[bi, bj]!r} at {where}")
    if w2 is not None and np.any(valid & (w2 <= 0)):
        raise ValueError("weights: must be positive")

    k = valid.sum(axis=1)
    if np.any(k == 0):
        i = int(np.flatnonzero(k == 0)[0])
        raise ValueError(f"yi: analysis {i} has no non-missing studies")
    need = 1 if estimator.equal_effects else p + 1
    if np.any(k < need):
        i = int(np.flatnonzero(k < need)[0])
        where = "" if not batched else f" (analysis {i})"
        if estimator.equal_effects:
            raise ValueError(f"yi: {k[i]} studies{where} cannot estimate {p} coefficients")
        raise ValueError(
            f"yi: the {method} heterogeneity estimator needs at least {need} studies for {p} "
            f"coefficient(s); got {k[i]}{where}"
        )

    mask = valid.astype(float)
    full = bool(valid.all())
    if Xm is None:
        X = np.ones((m, y2.shape[1], 1))
        Xc = mask[:, :, None]
    else:
        X = _design(y2, Xm)
        Xc = np.where(valid[:, :, None], X, 0.0)
    batch = Batch(
        y=np.ascontiguousarray(y2) if full else np.where(valid, y2, 0.0),
        v=np.ascontiguousarray(v2) if full else np.where(valid, v2, 1.0),
        mask=mask,
        X=np.ascontiguousarray(Xc),
        k=k.astype(float),
        p=p,
        full=full,
    )
    if p > 1:
        ranks = np.linalg.matrix_rank(batch.X)
        if np.any(ranks < p):
            i = int(np.flatnonzero(ranks < p)[0])
            where = "" if not batched else f" (analysis {i})"
            raise ValueError(f"mods: the moderators are collinear or constant{where} (rank {ranks[i]} < {p})")
    wu = None if w2 is None else np.where(valid, w2, 0.0)

    est = estimator.estimate(batch, ctl)
    for row_i, msgs in est.messages.items():
        messages.setdefault(row_i, []).extend(msgs)
    stats = _inference(batch, est.tau2, test=test, alpha=alpha, equal_effects=estimator.equal_effects,
                       user_weights=wu)
    if estimator.equal_effects and test == "knha":
        msg = f"Knapp & Hartung method is not meant to be used in the context of {method} models."
        warnings.warn(msg, StatisticalWarning, stacklevel=2)
        for row_i in range(m):
            messages.setdefault(row_i, []).append(msg)
    if p > 1:
        stats["r2"] = _r2(batch, est.tau2, estimator, ctl, user_weights=wu)
    else:
        stats["r2"] = np.full(m, np.nan)
    if not est.converged.all():
        n_bad = int((~est.converged).sum())
        warnings.warn(f"{method}: {n_bad} of {m} fits did not converge (see .converged)",
                      ConvergenceWarning, stacklevel=2)
    for msgs in messages.values():
        for text in msgs:
            if "local maximum" in text:
                warnings.warn(text, StatisticalWarning, stacklevel=2)

    return RMAResult._from_arrays(
        stats=stats,
        tau2=est.tau2,
        se_tau2=est.se_tau2,
        converged=est.converged,
        iterations=est.iterations,
        messages=messages,
        batch=batch,
        yi=y2,
        vi=v2,
        X=X,
        valid=valid,
        user_weights=w2,
        batched=batched,
        method=method,
        test=test,
        level=float(level),
        alpha=alpha,
        coef_names=names,
        control=ctl,
        equal_effects=estimator.equal_effects,
        slab=None if slab is None else [str(s) for s in slab],
        mods_given=mods is not None,
    )


def _inference(
    batch: Batch,
    tau2: FloatArray,
    *,
    test: str,
    alpha: float,
    equal_effects: bool,
    user_weights: FloatArray | None,
) -> dict[str, Any]:
    """Everything that follows from tau^2: coefficients, tests, CIs, Q, I^2, H^2, log-likelihoods."""
    m, p = batch.m, batch.p
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

    # omnibus test of the moderators (all coefficients but the intercept; the intercept if p == 1)
    # (NA where the covariance block is singular, as metafor's failing chol() gives)
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

    # heterogeneity: Cochran's Q with weights 1/vi, "typical" variance vt = (k-p)/tr(P)
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

    ll_ml = -0.5 * k * np.log(2 * np.pi) - 0.5 * slog - 0.5 * rss_f
    logdet_xtx = np.log(k) if p == 1 else logdet(xtwx(batch, batch.mask))
    ll_reml = (-0.5 * (k - p) * np.log(2 * np.pi) + 0.5 * logdet_xtx - 0.5 * slog
               - 0.5 * logdet(xtwx(batch, w)) - 0.5 * rss_f)
    return {
        "b": b, "vb": vb, "se": se, "zval": zval, "pval": pval, "ci_lb": ci_lb, "ci_ub": ci_ub,
        "crit": crit, "dfs": dfs, "qm": qm, "qmp": qmp, "qm_df": qm_df, "qe": qe, "qep": qep,
        "vt": vt, "i2": i2, "h2": h2, "ll_ml": ll_ml, "ll_reml": ll_reml, "weights": model_w,
    }


def _r2(batch: Batch, tau2: FloatArray, estimator: Any, ctl: Control,
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
