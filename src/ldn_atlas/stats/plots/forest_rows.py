"""The numbers of a forest plot: which studies, in which order, with which intervals, on which scale.

:func:`forest_rows` checks the inputs of :func:`~ldn_atlas.stats.plots.forest_plot` and returns
:class:`ForestRows`: the values drawn (``transf`` applied) and the values written in the text
columns (``atransf`` applied on top), ready to be laid out and drawn.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats as sps

from ldn_atlas.stats.plots.values import FloatArray, Transform, apply, as_array, level_pct


@dataclass(frozen=True)
class ForestRows:
    """The study rows (in plot order, top to bottom) and the pooled row of a forest plot.

    ``yd, lod, hid`` are the drawn estimates and CI bounds, ``yt, lot, hit`` the written ones;
    ``poold``/``poolt`` the pooled estimate with its CI (drawn/written), ``pintd`` the prediction
    interval; ``w`` the weights sizing the squares, ``wpct`` in percent; ``ref`` the reference line.
    """

    labels: list[str]
    w: FloatArray
    wpct: FloatArray
    yd: FloatArray
    lod: FloatArray
    hid: FloatArray
    yt: FloatArray
    lot: FloatArray
    hit: FloatArray
    poold: FloatArray
    pintd: FloatArray
    poolt: FloatArray
    fit_arrs: list[FloatArray] | None
    has_pool: bool
    has_pi: bool
    ref: float | None
    level: float

    @property
    def k(self) -> int:
        """Number of study rows drawn."""
        return len(self.labels)


def forest_rows(
    yi: Any,
    vi: Any,
    *,
    slab: Sequence[str] | None,
    estimate: float | None,
    ci_lb: float | None,
    ci_ub: float | None,
    pi_lb: float | None,
    pi_ub: float | None,
    weights: Any,
    level: float,
    transf: Transform | None,
    atransf: Transform | None,
    refline: float | bool | None,
    fitted: Any,
    fitted_lb: Any,
    fitted_ub: Any,
    order: str | Sequence[int] | None,
) -> ForestRows:
    """Check the inputs of a forest plot and compute its rows (arguments as in ``forest_plot``)."""
    if transf is not None and atransf is not None:
        raise ValueError("forest: give 'transf' or 'atransf', not both")
    y_all, v_all, labels_all, w_all = _study_inputs(yi, vi, slab, weights)
    keep = np.isfinite(y_all) & np.isfinite(v_all) & (v_all >= 0)
    if not keep.any():
        raise ValueError("forest: no study has a finite 'yi' and 'vi'")
    level = level_pct("forest", level)
    idx = _row_order(order, keep, y_all, v_all)
    y = y_all[idx]
    v = v_all[idx]
    w = np.where(np.isfinite(w_all[idx]), w_all[idx], 0.0)
    labels = [labels_all[i] for i in idx]
    k = int(y.size)
    fit_arrs = _fitted_rows((fitted, fitted_lb, fitted_ub), y_all, idx, transf)
    crit = float(sps.norm.isf((1.0 - level / 100.0) / 2.0))
    lo = y - crit * np.sqrt(v)
    hi = y + crit * np.sqrt(v)
    wpct = 100.0 * w / w.sum() if w.sum() > 0 else np.full(k, np.nan)

    has_pool = estimate is not None and ci_lb is not None and ci_ub is not None
    has_pi = has_pool and pi_lb is not None and pi_ub is not None
    pool = np.array([estimate, ci_lb, ci_ub] if has_pool else [np.nan] * 3, dtype=np.float64)
    pint = np.array([pi_lb, pi_ub] if has_pi else [np.nan] * 2, dtype=np.float64)
    yd, lod, hid, poold, pintd, yt, lot, hit, poolt = _drawn_and_written(transf, atransf, y, lo, hi, pool, pint)
    return ForestRows(
        labels=labels, w=w, wpct=wpct, yd=yd, lod=lod, hid=hid, yt=yt, lot=lot, hit=hit, poold=poold,
        pintd=pintd, poolt=poolt, fit_arrs=fit_arrs, has_pool=has_pool, has_pi=has_pi,
        ref=_reference(refline, transf), level=level,
    )


def _study_inputs(
    yi: Any, vi: Any, slab: Sequence[str] | None, weights: Any
) -> tuple[FloatArray, FloatArray, list[str], FloatArray]:
    """Effects, variances, labels and weights of every study (default weights ``1/vi``), checked."""
    y_all = as_array("yi", yi)
    v_all = as_array("vi", vi)
    if y_all.shape != v_all.shape:
        raise ValueError(f"forest: 'yi' has length {y_all.size} but 'vi' has length {v_all.size}")
    labels_all = [f"Study {i + 1}" for i in range(y_all.size)] if slab is None else [str(s) for s in slab]
    if len(labels_all) != y_all.size:
        raise ValueError(f"forest: 'slab' has length {len(labels_all)} but 'yi' has length {y_all.size}")
    if weights is None:
        with np.errstate(divide="ignore"):
            w_all = 1.0 / v_all
    else:
        w_all = as_array("weights", weights)
        if w_all.shape != y_all.shape:
            raise ValueError(f"forest: 'weights' has length {w_all.size} but 'yi' has length {y_all.size}")
    return y_all, v_all, labels_all, w_all


def _row_order(
    order: str | Sequence[int] | None, keep: Any, y_all: FloatArray, v_all: FloatArray
) -> Any:
    """Indices of the studies drawn, top to bottom: as given, by effect, by precision or a permutation."""
    idx = np.flatnonzero(keep)
    if order is not None:
        if isinstance(order, str):
            if order == "obs":
                idx = idx[np.argsort(y_all[idx], kind="stable")]
            elif order == "prec":
                idx = idx[np.lexsort((y_all[idx], v_all[idx]))]
            else:
                raise ValueError(f"forest: order must be 'obs', 'prec' or a sequence of indices, got {order!r}")
        else:
            perm = np.asarray(order, dtype=np.intp)
            if sorted(perm.tolist()) != list(range(y_all.size)):
                raise ValueError(f"forest: order must be a permutation of 0..{y_all.size - 1}")
            idx = perm[keep[perm]]
    return idx


def _fitted_rows(
    given: tuple[Any, Any, Any], y_all: FloatArray, idx: Any, transf: Transform | None
) -> list[FloatArray] | None:
    """The meta-regression's fitted values and bounds in plot order (drawn scale), or ``None``."""
    fitted = given[0]
    fit_arrs: list[FloatArray] | None = None
    if fitted is not None:
        fit_arrs = []
        for name, arr in zip(("fitted", "fitted_lb", "fitted_ub"), given, strict=True):
            if arr is None:
                raise ValueError("forest: give 'fitted', 'fitted_lb' and 'fitted_ub' together")
            a = as_array(name, arr)
            if a.shape != y_all.shape:
                raise ValueError(f"forest: '{name}' has length {a.size} but 'yi' has length {y_all.size}")
            fit_arrs.append(apply(transf, a[idx]))
    return fit_arrs


def _drawn_and_written(
    transf: Transform | None, atransf: Transform | None, y: FloatArray, lo: FloatArray, hi: FloatArray,
    pool: FloatArray, pint: FloatArray,
) -> tuple[FloatArray, ...]:
    """Values drawn (``transf`` applied) and written in the text columns (``atransf`` applied to those)."""
    yd, lod, hid = (apply(transf, a) for a in (y, lo, hi))
    poold, pintd = apply(transf, pool), apply(transf, pint)
    lod, hid = np.minimum(lod, hid), np.maximum(lod, hid)
    poold = np.array([poold[0], min(poold[1], poold[2]), max(poold[1], poold[2])])
    pintd = np.sort(pintd)
    text_tf = atransf
    yt, lot, hit = (apply(text_tf, a) for a in (yd, lod, hid))
    poolt = apply(text_tf, poold)
    lot, hit = np.minimum(lot, hit), np.maximum(lot, hit)
    poolt = np.array([poolt[0], min(poolt[1], poolt[2]), max(poolt[1], poolt[2])])
    return yd, lod, hid, poold, pintd, yt, lot, hit, poolt


def _reference(refline: float | bool | None, transf: Transform | None) -> float | None:
    """Where the reference line goes: no effect (``transf(0)``) for ``True``, a given value, or nowhere."""
    if refline is True:
        ref: float | None = float(apply(transf, 0.0)) if transf is not None else 0.0
        if ref is not None and not math.isfinite(ref):
            ref = None
    elif refline is False or refline is None:
        ref = None
    else:
        ref = float(refline)
    return ref
