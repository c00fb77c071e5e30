"""Small linear models for evidence inference, fitted with numpy and ``scipy.optimize``.

* A conditional logit (softmax over the sentences of one abstract) ranks sentences: the
  likelihood of a prompt is the probability mass the model puts on its gold sentences [1]_.
* A multinomial logistic regression with an L2 penalty classifies the effect [2]_.

Both are fitted by L-BFGS on the exact penalised log-likelihood and its gradient.

References
----------
.. [1] McFadden, D. (1974). Conditional logit analysis of qualitative choice behavior. In
   P. Zarembka (Ed.), *Frontiers in Econometrics* (pp. 105-142). Academic Press.
.. [2] Hastie, T., Tibshirani, R., & Friedman, J. (2009). *The Elements of Statistical Learning*
   (2nd ed.), section 4.4. Springer.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize
from scipy.special import logsumexp

__all__ = ["fit_conditional_logit", "fit_multinomial", "softmax"]

FloatArray = NDArray[np.float64]


def softmax(z: FloatArray, axis: int = -1) -> FloatArray:
    """Numerically stable softmax."""
    z = z - z.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=axis, keepdims=True), dtype=np.float64)


def fit_conditional_logit(
    groups: Sequence[tuple[FloatArray, NDArray[np.bool_]]], l2: float = 1.0, maxiter: int = 500
) -> FloatArray:
    """Fit a conditional logit over groups of candidates with (possibly several) positives.

    Parameters
    ----------
    groups
        ``(X, positive)`` pairs: ``X`` is ``(n_i, d)``, ``positive`` a boolean mask of length
        ``n_i`` with at least one True.
    l2
        Ridge penalty ``l2 / 2 * ||w||^2``.
    maxiter
        L-BFGS iteration limit.

    Returns
    -------
    numpy.ndarray
        The weight vector ``(d,)``.
    """
    groups = [(X, pos) for X, pos in groups if pos.any() and len(X) > 0]
    if not groups:
        raise ValueError("no group has a positive candidate")
    d = groups[0][0].shape[1]
    X_all = np.vstack([X for X, _ in groups])
    pos_all = np.concatenate([pos for _, pos in groups])
    bounds = np.cumsum([0] + [len(X) for X, _ in groups])
    seg = np.repeat(np.arange(len(groups)), np.diff(bounds))

    def objective(w: FloatArray) -> tuple[float, FloatArray]:
        s = X_all @ w
        m = np.full(len(groups), -np.inf)
        np.maximum.at(m, seg, s)
        e = np.exp(s - m[seg])
        z_all = np.bincount(seg, weights=e, minlength=len(groups))
        z_pos = np.bincount(seg, weights=e * pos_all, minlength=len(groups))
        nll = float(np.sum(np.log(z_all) - np.log(z_pos)))
        p_all = e / z_all[seg]
        p_pos = np.where(pos_all, e / np.maximum(z_pos[seg], 1e-300), 0.0)
        grad = X_all.T @ (p_all - p_pos)
        return nll + 0.5 * l2 * float(w @ w), grad + l2 * w

    res = minimize(objective, np.zeros(d), jac=True, method="L-BFGS-B", options={"maxiter": maxiter})
    return np.asarray(res.x, dtype=np.float64)


def fit_multinomial(
    X: FloatArray, y: NDArray[np.int64], n_classes: int, l2: float = 1.0,
    sample_weight: FloatArray | None = None, maxiter: int = 1000,
) -> FloatArray:
    """Fit an L2-penalised multinomial logistic regression.

    Parameters
    ----------
    X
        ``(n, d)`` design matrix (include a bias column; it is penalised like the rest).
    y
        Class indices in ``[0, n_classes)``.
    n_classes
        Number of classes.
    l2
        Ridge penalty ``l2 / 2 * ||W||_F^2``.
    sample_weight
        Optional non-negative weights per row.
    maxiter
        L-BFGS iteration limit.

    Returns
    -------
    numpy.ndarray
        ``(d, n_classes)`` weights.
    """
    n, d = X.shape
    Y = np.zeros((n, n_classes))
    Y[np.arange(n), y] = 1.0
    sw = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)

    def objective(wf: FloatArray) -> tuple[float, FloatArray]:
        W = wf.reshape(d, n_classes)
        Z = X @ W
        lse = logsumexp(Z, axis=1)
        nll = float(np.sum(sw * (lse - np.sum(Z * Y, axis=1))))
        P = np.exp(Z - lse[:, None])
        G = X.T @ ((P - Y) * sw[:, None])
        return nll + 0.5 * l2 * float(wf @ wf), (G + l2 * W).ravel()

    res = minimize(objective, np.zeros(d * n_classes), jac=True, method="L-BFGS-B",
                   options={"maxiter": maxiter})
    return np.asarray(res.x, dtype=np.float64).reshape(d, n_classes)
