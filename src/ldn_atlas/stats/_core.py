"""Batched linear algebra shared by every estimator and by the inference code.

All functions work on ``m`` analyses at once. An analysis is a row of the ``(m, k)`` arrays;
studies that are missing (ragged analyses, rows with NaN) have ``mask == 0``, ``y == 0``,
``v == 1`` and an all-zero design row, so that they drop out of every weighted sum exactly.

Notation follows metafor (Viechtbauer 2010): ``W = diag(w)``, ``A = (X'WX)^-1``,
``P = W - W X A X' W``, ``Y'PY`` the weighted residual sum of squares, ``tr(P)``, ``tr(PP)``.
The ``p x p`` identities below avoid forming the ``k x k`` matrix ``P``::

    Y'PY   = sum w e^2,   Y'PPY = sum w^2 e^2          (e = y - X b, b the WLS estimate)
    tr(P)  = sum w - sum w^2 / sum w                      (intercept only)
    tr(PP) = sum w^2 - 2 sum w^3 / sum w + (sum w^2 / sum w)^2
    with moderators both come from P = W^1/2 (I - QQ') W^1/2, Q an orthonormal basis of W^1/2 X
    (a QR decomposition: no cancellation when X'WX is ill-conditioned)

References
----------
Viechtbauer, W. (2010). Conducting meta-analyses in R with the metafor package.
*Journal of Statistical Software*, 36(3), 1-48. https://doi.org/10.18637/jss.v036.i03
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class Batch:
    """``m`` analyses of up to ``k`` studies with ``p`` coefficients (intercept first)."""

    y: FloatArray  # (m, k), 0 where missing
    v: FloatArray  # (m, k), 1 where missing
    mask: FloatArray  # (m, k), 1.0 used / 0.0 missing
    X: FloatArray  # (m, k, p), rows of zeros where missing
    k: FloatArray  # (m,) studies used (float for arithmetic)
    p: int
    full: bool = False  # no missing studies at all (lets hot loops skip the mask)
    cache: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    @property
    def m(self) -> int:
        return int(self.y.shape[0])

    @property
    def intercept_only(self) -> bool:
        return self.p == 1

    def subset(self, rows: NDArray[np.intp] | BoolArray) -> Batch:
        return Batch(self.y[rows], self.v[rows], self.mask[rows], self.X[rows], self.k[rows], self.p,
                     self.full)


@dataclass(frozen=True)
class WLS:
    """A weighted least-squares fit of every analysis with weights ``w``."""

    b: FloatArray  # (m, p)
    A: FloatArray  # (m, p, p) = (X'WX)^-1
    e: FloatArray  # (m, k) residuals y - X b (0 where missing)
    sw: FloatArray  # (m,) sum of weights


def wls(batch: Batch, w: FloatArray) -> WLS:
    """Weighted least squares ``b = (X'WX)^-1 X'W y`` for every analysis (``w`` zero where missing)."""
    y = batch.y
    if batch.p == 1:
        sw = w.sum(axis=1)
        b = np.einsum("ij,ij->i", w, y) / sw
        e = y - b[:, None]
        if not batch.full:
            e *= batch.mask
        return WLS(b[:, None], (1.0 / sw)[:, None, None], e, sw)
    X = batch.X
    Xw = X * w[:, :, None]
    XWX = np.einsum("mkp,mkq->mpq", Xw, X)
    A = np.linalg.inv(XWX)
    XWy = np.einsum("mkp,mk->mp", Xw, y)
    b = np.einsum("mpq,mq->mp", A, XWy)
    e = (y - np.einsum("mkp,mp->mk", X, b)) * batch.mask
    return WLS(b, A, e, w.sum(axis=1))


def fe_fit(batch: Batch) -> tuple[FloatArray, WLS]:
    """Weights ``1/vi`` and the equal-effects WLS fit (computed once per batch and cached)."""
    hit = batch.cache.get("fe")
    if hit is None:
        w = 1.0 / batch.v if batch.full else batch.mask / batch.v
        hit = (w, wls(batch, w))
        batch.cache["fe"] = hit
    return hit  # type: ignore[return-value]


def re_fit(batch: Batch, tau2: FloatArray) -> tuple[FloatArray, WLS, FloatArray]:
    """Weights ``1/(vi + tau2)``, the WLS fit and ``sum log(vi + tau2)`` at the final tau^2.

    Cached per batch for the last ``tau2`` asked for (the estimators' SE and ``ll0check`` and the
    shared inference code all need them); ``tau2 == 0`` everywhere reuses :func:`fe_fit`.
    """
    hit = batch.cache.get("re")
    if hit is not None and np.array_equal(hit[0], tau2):  # type: ignore[index]
        return hit[1], hit[2], hit[3]  # type: ignore[index]
    if not np.any(tau2):
        w, fit = fe_fit(batch)
    else:
        w = weights_re(batch, tau2)
        fit = wls(batch, w)
    logs = np.log(batch.v + tau2[:, None])
    slog = logs.sum(axis=1) if batch.full else np.einsum("ij,ij->i", logs, batch.mask)
    batch.cache["re"] = (tau2.copy(), w, fit, slog)
    return w, fit, slog


def rss(fit: WLS, w: FloatArray) -> FloatArray:
    """``Y'PY = sum w e^2``."""
    return np.einsum("ij,ij->i", w * fit.e, fit.e)


def ypp(fit: WLS, w: FloatArray) -> FloatArray:
    """``Y'PPY = sum w^2 e^2``."""
    we = w * fit.e
    return np.einsum("ij,ij->i", we, we)


def _xtwx(batch: Batch, w: FloatArray) -> FloatArray:
    return np.einsum("mkp,mk,mkq->mpq", batch.X, w, batch.X)


def trace_p(batch: Batch, fit: WLS, w: FloatArray) -> FloatArray:
    """``tr(P)``."""
    if batch.p == 1:
        return fit.sw - (w * w).sum(axis=1) / fit.sw
    # tr(P) = sum w_i (1 - h_ii), with the leverages h_ii of the orthonormal basis of W^1/2 X: no
    # cancellation when X'WX is ill-conditioned (e.g. an uncentred moderator such as a year)
    Q = _wx_basis(batch, w)
    return np.einsum("mk,mk->m", w, 1.0 - np.einsum("mkp,mkp->mk", Q, Q))


def trace_pp(batch: Batch, fit: WLS, w: FloatArray) -> FloatArray:
    """``tr(PP) = sum(P * P)`` (P is symmetric)."""
    w2 = w * w
    s2 = w2.sum(axis=1)
    if batch.p == 1:
        s3 = (w2 * w).sum(axis=1)
        sw = fit.sw
        return s2 - 2.0 * s3 / sw + (s2 / sw) ** 2
    # P = W^1/2 (I - QQ') W^1/2 with Q an orthonormal basis of W^1/2 X, summed entrywise; the
    # expansion s2 - 2 tr(A X'W^3 X) + tr((A X'W^2 X)^2) loses digits by cancellation when X'WX is
    # ill-conditioned (2e-6 relative in DL's se.tau2 with year as moderator, dat.egger2001)
    Q = _wx_basis(batch, w)
    sw = np.sqrt(w)
    P = -np.einsum("mkp,mlp->mkl", Q, Q)
    idx = np.arange(w.shape[1])
    P[:, idx, idx] += 1.0
    P *= sw[:, :, None] * sw[:, None, :]
    return np.einsum("mkl,mkl->m", P, P)


def _wx_basis(batch: Batch, w: FloatArray) -> FloatArray:
    """An orthonormal basis ``Q`` (m, k, p) of the columns of ``W^1/2 X`` (rows of missing studies are 0)."""
    Q, _ = np.linalg.qr(batch.X * np.sqrt(w)[:, :, None])
    return np.asarray(Q, dtype=float)


def p_matrix(batch: Batch, a: FloatArray) -> FloatArray:
    """The explicit ``(m, k, k)`` matrix ``P = A - A X (X'AX)^-1 X' A`` for weights ``a``.

    Only used by the closed-form estimators' standard errors (HE, SJ), where metafor needs
    traces of products with ``V``.
    """
    X = batch.X
    Xa = X * a[:, :, None]
    inv = np.linalg.inv(np.einsum("mkp,mkq->mpq", Xa, X))
    H = np.einsum("mkp,mpq,mlq->mkl", Xa, inv, Xa)
    P = -H
    idx = np.arange(a.shape[1])
    P[:, idx, idx] += a
    return P


def logdet(M: FloatArray) -> FloatArray:
    """``log|M|`` for a stack of positive-definite matrices."""
    if M.shape[-1] == 1:
        return np.log(M[:, 0, 0])
    _sign, ld = np.linalg.slogdet(M)
    return np.asarray(ld, dtype=float)


def xtwx(batch: Batch, w: FloatArray) -> FloatArray:
    """``X'WX`` for every analysis."""
    if batch.p == 1:
        return w.sum(axis=1)[:, None, None]
    return _xtwx(batch, w)


def weights_re(batch: Batch, tau2: FloatArray) -> FloatArray:
    """``w = 1/(v + tau2)`` (0 where missing)."""
    if batch.full:
        return 1.0 / (batch.v + tau2[:, None])
    return batch.mask / (batch.v + tau2[:, None])


def q_and_slope(batch: Batch, tau2: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The generalised Q statistic ``Q(tau2) = Y'P(tau2)Y`` and its derivative ``-Y'PPY``."""
    w = weights_re(batch, tau2)
    fit = wls(batch, w)
    return rss(fit, w), -ypp(fit, w)


def upu(batch: Batch, fit: WLS, w: FloatArray, u: FloatArray) -> FloatArray:
    """``u'Pu = sum w u^2 - (X'Wu)' A (X'Wu)`` for vectors ``u`` (one per analysis)."""
    wu = w * u
    if batch.p == 1:
        s = wu.sum(axis=1)
        return (wu * u).sum(axis=1) - s * s / fit.sw
    xwu = np.einsum("mkp,mk->mp", batch.X, wu)
    return (wu * u).sum(axis=1) - np.einsum("mp,mpq,mq->m", xwu, fit.A, xwu)


Fn = Callable[[Batch, FloatArray, NDArray[np.intp]], tuple[FloatArray, FloatArray]]


def bracketed_newton(
    batch: Batch,
    fn: Fn,
    lo: FloatArray,
    hi: FloatArray,
    *,
    tol: float,
    maxiter: int,
    start: FloatArray | None = None,
) -> tuple[FloatArray, BoolArray]:
    """Root of ``f`` on ``[lo, hi]`` for every analysis, where ``f(lo) > 0 >= f(hi)``.

    ``fn(sub, x, rows)`` returns ``(f(x), f'(x))`` for the analyses ``rows`` (``sub`` is that
    subset). A safeguarded Newton iteration: a Newton step
    that leaves the current bracket is replaced by bisection, so it cannot diverge; each
    analysis stops when its step or its bracket is below ``tol + 4 eps |x|`` (or ``f == 0``).

    Returns the roots and a per-analysis convergence flag.
    """
    lo = lo.astype(float).copy()
    hi = hi.astype(float).copy()
    x = 0.5 * (lo + hi) if start is None else np.clip(start, lo, hi)
    m = x.shape[0]
    done = np.zeros(m, dtype=bool)
    active = np.arange(m)
    eps4 = 4.0 * np.finfo(float).eps
    for _ in range(maxiter):
        if active.size == 0:
            break
        sub = batch.subset(active)
        xa = x[active]
        f, df = fn(sub, xa, active)
        la, ha = lo[active], hi[active]
        la = np.where(f > 0, xa, la)
        ha = np.where(f <= 0, xa, ha)
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = xa - f / df
        inside = np.isfinite(newton) & (newton > la) & (newton < ha)
        xn = np.where(inside, newton, 0.5 * (la + ha))
        small = (np.abs(xn - xa) <= tol + eps4 * np.abs(xa)) | (ha - la <= tol + eps4 * np.abs(ha)) | (f == 0)
        xn = np.where(f == 0, xa, xn)
        lo[active], hi[active], x[active] = la, ha, xn
        done[active[small]] = True
        active = active[~small]
    return x, done


def solve_q(
    batch: Batch,
    target: FloatArray,
    lo: FloatArray,
    hi: FloatArray,
    *,
    tol: float,
    maxiter: int,
    start: FloatArray | None = None,
) -> tuple[FloatArray, BoolArray]:
    """Solve ``Q(tau2) = target`` on ``[lo, hi]`` (``Q`` decreases in tau2; ``dQ/dtau2 = -Y'PPY``).

    Callers guarantee ``Q(lo) >= target >= Q(hi)``; see :func:`bracketed_newton`.
    """
    tgt = np.asarray(target, dtype=float)

    def fn(sub: Batch, x: FloatArray, rows: NDArray[np.intp]) -> tuple[FloatArray, FloatArray]:
        q, dq = q_and_slope(sub, x)
        return q - tgt[rows], dq

    return bracketed_newton(batch, fn, lo, hi, tol=tol, maxiter=maxiter, start=start)


def mad_batched(y: FloatArray, mask: FloatArray) -> FloatArray:
    """Vectorised :func:`mad` (NaN-aware median over the used values)."""
    yy = np.where(mask > 0, y, np.nan)
    med = np.nanmedian(yy, axis=1)
    return 1.4826 * np.nanmedian(np.abs(yy - med[:, None]), axis=1)
