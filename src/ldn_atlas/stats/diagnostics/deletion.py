"""The model refitted without each study in turn: the refits behind ``leave1out`` and ``influence``."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats as sps

from ldn_atlas.stats.diagnostics._base import FloatArray
from ldn_atlas.stats.diagnostics._refit import _alpha_of, _is_ee, _rma


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
    out = _nan_values(k, p)
    batched_ok = False
    if k - 1 >= (p if _is_ee(fit.method) else p + 1) and k - 1 >= 1 and not (p == 1 and k - 1 == 1):
        batched_ok = _refit_batched(fit, yi, vi, X, wu, out)
    if not batched_ok:
        _refit_one_by_one(fit, yi, vi, X, wu, out)
    return _Deleted(**out)


def _nan_values(k: int, p: int) -> dict[str, FloatArray]:
    """The fields of :class:`_Deleted` for ``k`` deletions of a ``p``-coefficient model, all NaN."""
    return {
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


def _store(out: dict[str, FloatArray], i: int, vals: Mapping[str, Any]) -> None:
    for name, val in vals.items():
        out[name][i] = val


def _s2w_of(fit: Any, yi: FloatArray, vi: FloatArray, X: FloatArray, keep: Any, tau2: float) -> float:
    """The Knapp-Hartung factor of the refit on the studies ``keep`` (1 unless the test is knha)."""
    if fit.test != "knha":
        return 1.0
    return _knha_s2w(yi[keep], vi[keep], X[keep], tau2)


def _refit_batched(
    fit: Any, yi: FloatArray, vi: FloatArray, X: FloatArray, wu: FloatArray | None, out: dict[str, FloatArray]
) -> bool:
    """All k deletions in one batched refit (row i without study i), stored in ``out``; False if it failed."""
    k, p = X.shape
    diag = np.eye(k, dtype=bool)
    mods = X[:, 1:] if p > 1 else None
    Y = np.where(diag, np.nan, yi[None, :])
    V = np.broadcast_to(vi, (k, k)).copy()
    W = None if wu is None else np.where(diag, np.nan, wu[None, :])
    try:
        res = _rma(fit, Y, V, mods=mods, weights=W)
    except (ValueError, np.linalg.LinAlgError):
        return False
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
        vals["s2w"] = _s2w_of(fit, yi, vi, X, ~diag[i], vals["tau2"])
        _store(out, i, vals)
    return True


def _refit_one_by_one(
    fit: Any, yi: FloatArray, vi: FloatArray, X: FloatArray, wu: FloatArray | None, out: dict[str, FloatArray]
) -> None:
    """Each deletion refitted on its own, stored in ``out`` (NaN left where a refit fails)."""
    k, p = X.shape
    diag = np.eye(k, dtype=bool)
    mods = X[:, 1:] if p > 1 else None
    for i in range(k):
        keep = ~diag[i]
        if p == 1 and k - 1 == 1:
            j = int(np.flatnonzero(keep)[0])
            _store(out, i, _k1_values(fit, float(yi[j]), float(vi[j])))
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
        vals["s2w"] = _s2w_of(fit, yi, vi, X, keep, vals["tau2"])
        _store(out, i, vals)
