"""The design matrix of :func:`ldn_atlas.stats.rma`: redundant moderators, and the batch the estimators fit.

After :mod:`.inputs` has marked the missing studies, a single meta-regression drops the
moderators that are linear combinations of earlier ones (as metafor does, with R's ``lm``
tolerance); then the studies used, the design matrix (intercept first) and the variances
become one :class:`~ldn_atlas.stats._core.Batch`, zero-filled where a study is missing.
"""

from __future__ import annotations

import warnings
from dataclasses import replace

import numpy as np

from ldn_atlas.stats._core import Batch, FloatArray
from ldn_atlas.stats.exceptions import StatisticalWarning
from ldn_atlas.stats.fitting.inputs import WARN_STACKLEVEL, StudyData

__all__ = ["build_batch", "drop_redundant"]


def drop_redundant(data: StudyData, valid: np.ndarray, messages: dict[int, list[str]]) -> StudyData:
    """A single fit without the moderators that are linear combinations of earlier ones (metafor's note)."""
    Xm = data.mods
    if Xm is None or data.batched:
        return data
    # metafor drops predictors that are linear combinations of earlier ones (lm's pivoting)
    keep = _independent_columns(_design(data.y, Xm)[0][valid[0]])
    if keep.all():
        return data
    msg = "Redundant predictors dropped from the model."
    warnings.warn(msg, StatisticalWarning, stacklevel=WARN_STACKLEVEL)
    messages.setdefault(0, []).append(msg)
    names = [n for n, kp in zip(data.names, keep, strict=True) if kp]
    return replace(data, names=names, mods=Xm[..., keep[1:]] if keep[1:].any() else None, p=len(names))


def build_batch(data: StudyData, valid: np.ndarray, k: np.ndarray) -> tuple[Batch, np.ndarray, FloatArray | None]:
    """The studies used as a :class:`Batch`, the full design matrix ``(m, k, p)`` and the user weights.

    Raises when the moderators are collinear (or constant) in an analysis.
    """
    y2, v2, Xm, w2, p = data.y, data.v, data.mods, data.weights, data.p
    m = y2.shape[0]
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
            where = "" if not data.batched else f" (analysis {i})"
            raise ValueError(f"mods: the moderators are collinear or constant{where} (rank {ranks[i]} < {p})")
    wu = None if w2 is None else np.where(valid, w2, 0.0)
    return batch, X, wu


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


def _design(
    y2: np.ndarray, X: np.ndarray | None
) -> np.ndarray:
    m, k = y2.shape
    if X is None:
        return np.ones((m, k, 1))
    if X.ndim == 2:
        X = np.broadcast_to(X, (m, *X.shape))
    return np.concatenate([np.ones((m, k, 1)), X], axis=2)
