"""Case-deletion outlier and influence diagnostics (metafor's ``influence.rma.uni``)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats as sps

from ldn_atlas.stats.diagnostics._base import FloatArray, _ResultMixin, _table
from ldn_atlas.stats.diagnostics._refit import _is_ee, _single_fit
from ldn_atlas.stats.diagnostics.deletion import _delete_each, _Deleted


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
    full = _full_fit(fit, vi, X)
    weight = 100.0 * full.w / np.sum(full.w)

    d = _delete_each(fit)
    delpred = np.einsum("ip,ip->i", X, d.b)
    vdelpred = np.einsum("ip,ipq,iq->i", X, d.vb, X)
    dffits, dfbs, cook_d, cov_r = _deletion_measures(full, d, delpred)
    resid = yi - delpred
    resid[np.abs(resid) < 100 * np.finfo(float).eps] = 0.0
    seresid = np.sqrt(vi * d.s2w + vdelpred + d.tau2 * d.s2w)
    with np.errstate(divide="ignore", invalid="ignore"):
        rstudent = resid / seresid
    slab = getattr(fit, "slab", None)
    return InfluenceResult(
        rstudent=rstudent,
        dffits=dffits,
        cook_d=cook_d,
        cov_r=cov_r,
        tau2_del=d.tau2,
        qe_del=d.qe,
        hat=full.hat,
        weight=weight,
        dfbs=dfbs,
        coef_names=tuple(getattr(fit, "coef_names", ("intrcpt",))),
        is_influential=_influential(dffits, cook_d, full.hat, dfbs, k, p),
        slab=tuple(slab) if slab is not None else tuple(str(i + 1) for i in range(k)),
    )


@dataclass(frozen=True)
class _FullFit:
    """The fit to all studies, as the case-deletion measures use it.

    ``A`` are the weights of the hat matrix ``H = X xax_inv X' A`` with ``xax_inv = (X' A X)^-1``
    (the user weights, or ``1/(vi + tau2)``), ``w`` the model's weights, ``svb`` and ``det_vb``
    the inverse and the determinant of the coefficients' covariance.
    """

    X: FloatArray
    vi: FloatArray
    b: FloatArray
    pred: FloatArray
    svb: np.ndarray
    det_vb: float
    user_weighted: bool
    A: FloatArray
    w: FloatArray
    xax_inv: np.ndarray
    H: FloatArray
    hat: FloatArray


def _full_fit(fit: Any, vi: FloatArray, X: FloatArray) -> _FullFit:
    p = X.shape[1]
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
    return _FullFit(X, vi, b, pred_full, svb, det_vb, uw is not None, A, w_full, stXAX, H, hat)


def _deletion_measures(
    full: _FullFit, d: _Deleted, delpred: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """DFFITS, DFBETAS, Cook's distances and covariance ratios of each deletion (NaN where its refit failed)."""
    X, vi, b, A, H, stXAX, hat = full.X, full.vi, full.b, full.A, full.H, full.xax_inv, full.hat
    k, p = X.shape
    dffits = np.full(k, np.nan)
    dfbs = np.full((k, p), np.nan)
    cook_d = np.full(k, np.nan)
    cov_r = np.full(k, np.nan)
    for i in range(k):
        if not np.all(np.isfinite(d.b[i])):
            continue
        t2d = float(d.tau2[i])
        s2w = float(d.s2w[i])
        if not full.user_weighted:
            dffits[i] = (full.pred[i] - delpred[i]) / math.sqrt(s2w * hat[i] * (t2d + vi[i]))
            vb_del = np.linalg.inv(X.T @ (X * (1.0 / (vi + t2d))[:, None]))
        else:
            var_i = float(np.sum(H[i] ** 2 * (t2d + vi)))  # (H diag(tau2_del + v) H')_ii
            dffits[i] = (full.pred[i] - delpred[i]) / math.sqrt(s2w * var_i)
            M = stXAX @ (X * A[:, None]).T
            vb_del = M @ ((vi + t2d)[:, None] * M.T)
        dfb = b - d.b[i]
        dfbs[i] = dfb / np.sqrt(s2w * np.diag(vb_del))
        cook_d[i] = float(dfb @ full.svb @ dfb)
        cov_r[i] = float(np.linalg.det(d.vb[i])) / full.det_vb
    return dffits, dfbs, cook_d, cov_r


def _influential(
    dffits: FloatArray, cook_d: FloatArray, hat: FloatArray, dfbs: FloatArray, k: int, p: int
) -> npt.NDArray[np.bool_]:
    """metafor's ``*`` flag: large DFFITS, Cook's distance, leverage or any DFBETAS."""
    with np.errstate(invalid="ignore"):
        flags = (
            (np.abs(dffits) > 3.0 * math.sqrt(p / (k - p)) if k > p else np.zeros(k, dtype=bool))
            | (sps.chi2.cdf(cook_d, df=p) > 0.5)
            | (hat > 3.0 * p / k)
            | np.any(np.abs(dfbs) > 1.0, axis=1)
        )
    return np.asarray(flags, dtype=bool)
