"""Forest and funnel plots laid out like metafor's ``forest.rma`` and ``funnel.rma``.

Both plots are drawn with matplotlib on an Agg canvas (no pyplot, no global
state) and written as SVG, PNG or PDF, chosen by the file suffix.  SVG text is
kept as text (``svg.fonttype = "none"``) and the main artists carry stable ids
(matplotlib ``gid``), so a written SVG can be checked and styled:

=========================  ===================================================
id                         artist
=========================  ===================================================
``study-row-{i}``          the square of study *i* (1-based, in plot order)
``study-ci-{i}``           its confidence interval
``study-label-{i}``        its label (left column)
``study-annot-{i}``        its "estimate [ci.lb, ci.ub]" text (right column)
``study-weight-{i}``       its weight in percent
``pooled-diamond``         the pooled estimate and its confidence interval
``prediction-interval``    the prediction interval (random-effects models)
``pooled-label``           "RE Model" / "EE Model"
``pooled-annot``           the pooled "estimate [ci.lb, ci.ub]" text
``reference-line``         the vertical line of no effect
``funnel-point-{i}``       an observed study in a funnel plot
``funnel-filled-{i}``      a study imputed by trim and fill (drawn hollow)
``funnel-region``          the pseudo-confidence region
``funnel-estimate``        the vertical line at the pooled estimate
=========================  ===================================================

References
----------
.. [1] Viechtbauer, W. (2010). Conducting meta-analyses in R with the metafor
   package. Journal of Statistical Software, 36(3), 1-48.
.. [2] Lewis, S., & Clarke, M. (2001). Forest plots: trying to see the wood and
   the trees. BMJ, 322(7300), 1479-1480.
.. [3] Sterne, J. A. C., & Egger, M. (2001). Funnel plots for detecting bias in
   meta-analysis: Guidelines on choice of axis. Journal of Clinical
   Epidemiology, 54(10), 1046-1055.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
import numpy.typing as npt
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon
from matplotlib.ticker import FixedLocator, FuncFormatter
from matplotlib.transforms import blended_transform_factory
from scipy import stats as sps

__all__ = ["forest", "forest_plot", "funnel", "funnel_plot"]

FloatArray = npt.NDArray[np.float64]
Transform = Callable[[Any], Any]

_SUFFIXES = {".svg": "svg", ".png": "png", ".pdf": "pdf"}
_RC: dict[Any, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "ldn-atlas",
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "pdf.fonttype": 42,
}


# --------------------------------------------------------------------------- helpers


def _arr(name: str, values: Any) -> FloatArray:
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: must be numeric ({exc})") from None
    if arr.ndim != 1:
        raise ValueError(f"{name}: must be one-dimensional, got shape {arr.shape}")
    return arr


def _check_path(path: str | Path) -> tuple[Path, str]:
    p = Path(path)
    fmt = _SUFFIXES.get(p.suffix.lower())
    if fmt is None:
        raise ValueError(f"path: suffix must be one of .svg, .png, .pdf, got {p.name!r}")
    return p, fmt


def _save(fig: Figure, path: str | Path | None) -> Path | Figure:
    if path is None:
        return fig
    p, fmt = _check_path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    metadata: dict[str, Any] = {"Date": None} if fmt in ("svg", "pdf") else {}
    with mpl.rc_context(_RC):
        fig.savefig(p, format=fmt, metadata=metadata, dpi=150)
    return p


def _apply(transf: Transform | None, x: Any) -> Any:
    if transf is None:
        return x
    out = transf(np.asarray(x, dtype=np.float64))
    return np.asarray(out, dtype=np.float64)


def _level_pct(what: str, level: float) -> float:
    """A confidence level in percent; proportions (0.95) are accepted as metafor does."""
    lv = float(level)
    if 0.0 < lv < 1.0:
        lv *= 100.0
    if not (0.0 < lv < 100.0):
        raise ValueError(f"{what}: level must lie in (0, 100) percent (or (0, 1)), got {level!r}")
    return lv


def _fmt(x: float, digits: int) -> str:
    if not math.isfinite(x):
        return "NA"
    s = f"{x:.{digits}f}"
    if s.startswith("-") and float(s) == 0.0:
        s = s[1:]
    return s


def _annot(est: float, lb: float, ub: float, digits: int) -> str:
    return f"{_fmt(est, digits)} [{_fmt(lb, digits)}, {_fmt(ub, digits)}]"


def _nice_ticks(lo: float, hi: float, n: int = 5) -> FloatArray:
    """Round axis positions covering ``[lo, hi]`` (R's ``pretty`` in spirit)."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return np.array([0.0])
    if hi <= lo:
        hi = lo + 1.0
    raw = (hi - lo) / max(n - 1, 1)
    mag = 10.0 ** math.floor(math.log10(raw))
    step = min((c * mag for c in (1.0, 2.0, 2.5, 5.0, 10.0) if c * mag >= raw), default=10 * mag)
    start = math.floor(lo / step + 1e-9) * step
    stop = math.ceil(hi / step - 1e-9) * step
    ticks = np.arange(start, stop + step / 2, step)
    ticks[np.abs(ticks) < step * 1e-9] = 0.0
    return ticks


def _is_exp(f: Transform | None) -> bool:
    if f is None:
        return False
    try:
        probe = np.asarray(f(np.array([0.0, math.log(2.0), -1.0])), dtype=np.float64)
    except Exception:
        return False
    return bool(np.allclose(probe, [1.0, 2.0, math.exp(-1.0)], rtol=1e-12, atol=0.0))


def _axis_ticks(lo: float, hi: float, atransf: Transform | None) -> FloatArray:
    """Tick positions on the model scale; for an exp axis, logs of round ratios (0.1, 0.2, 0.5, 1, 2, ...)."""
    if not _is_exp(atransf):
        return _nice_ticks(lo, hi, 5)
    e_lo = math.floor(lo / math.log(10.0)) - 1
    e_hi = math.ceil(hi / math.log(10.0)) + 1
    for mantissas in ((1.0, 2.0, 5.0), (1.0,)):
        cands = np.log(np.array(sorted(m * 10.0**e for e in range(e_lo, e_hi + 1) for m in mantissas)))
        i_lo = int(np.searchsorted(cands, lo + 1e-12, side="right")) - 1
        i_hi = int(np.searchsorted(cands, hi - 1e-12, side="left"))
        ticks = cands[max(i_lo, 0) : i_hi + 1]
        if ticks.size <= 8:
            return ticks
    step = math.ceil(ticks.size / 7)
    zero = int(np.argmin(np.abs(ticks)))
    return ticks[zero % step :: step]


def _tick_label(value: float, digits: int) -> str:
    s = _fmt(value, max(digits, 0))
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


# --------------------------------------------------------------------------- forest


def forest_plot(
    yi: Any,
    vi: Any,
    path: str | Path | None = None,
    *,
    slab: Sequence[str] | None = None,
    estimate: float | None = None,
    ci_lb: float | None = None,
    ci_ub: float | None = None,
    pi_lb: float | None = None,
    pi_ub: float | None = None,
    weights: Any = None,
    level: float = 95.0,
    mlab: str = "RE Model",
    transf: Transform | None = None,
    atransf: Transform | None = None,
    refline: float | bool | None = True,
    xlab: str | None = None,
    header: tuple[str, str] | bool = True,
    digits: int = 2,
    showweights: bool = True,
    title: str | None = None,
    fitted: Any = None,
    fitted_lb: Any = None,
    fitted_ub: Any = None,
    order: str | Sequence[int] | None = None,
) -> Path | Figure:
    """Draw a forest plot from study data and (optionally) a pooled estimate.

    Parameters
    ----------
    yi, vi : array_like
        Observed effect sizes and sampling variances (rows with NaN are skipped).
    path : str or Path, optional
        Output file (``.svg``, ``.png`` or ``.pdf``).  Without it the
        :class:`matplotlib.figure.Figure` is returned.
    slab : sequence of str, optional
        Study labels (default ``"Study 1"``, ...).
    estimate, ci_lb, ci_ub : float, optional
        The pooled estimate and its confidence interval (the diamond).  Omit to
        draw the studies only.
    pi_lb, pi_ub : float, optional
        Prediction interval, drawn as a dotted line with end bars through the
        diamond's row (as metafor's ``addpred=TRUE``).
    weights : array_like, optional
        Study weights (any scale); they size the squares and, in percent, fill
        the weight column.  Default ``1/vi``.
    level : float
        Confidence level of the study intervals, in percent.
    mlab : str
        Label of the pooled row.
    transf : callable, optional
        Transform the values themselves (e.g. ``np.exp``); the axis is then on
        the transformed scale.
    atransf : callable, optional
        Keep the model scale for drawing but label the axis (and the text
        columns) on the transformed scale (metafor's ``atransf``), so that
        intervals stay symmetric; e.g. ``np.exp`` for log ratios.
    refline : float, bool or None
        Reference line.  ``True`` puts it at the value of no effect (0 on the
        model scale, i.e. ``transf(0)`` when ``transf`` is given, e.g. 1 for
        ``np.exp``); a number puts it there; ``False``/``None`` omits it.
    xlab : str, optional
        Axis label (default "Observed Outcome").
    header : bool or (str, str)
        Column headers ("Study", "Estimate [95% CI]").
    digits : int
        Decimals of the text columns and axis labels.
    showweights : bool
        Show the weight column.
    title : str, optional
    fitted, fitted_lb, fitted_ub : array_like, optional
        Fitted values of a meta-regression with their confidence bounds, one per
        study; drawn as grey diamonds on the study rows (metafor's ``addfit``).
    order : {"obs", "prec"} or sequence of int, optional
        Row order (top to bottom): by observed effect, by precision (most precise
        first), or the given permutation of the study indices.  Default: as given.

    Returns
    -------
    Path or Figure
        The written path, or the figure when ``path`` is None.
    """
    if transf is not None and atransf is not None:
        raise ValueError("forest: give 'transf' or 'atransf', not both")
    y_all = _arr("yi", yi)
    v_all = _arr("vi", vi)
    if y_all.shape != v_all.shape:
        raise ValueError(f"forest: 'yi' has length {y_all.size} but 'vi' has length {v_all.size}")
    labels_all = [f"Study {i + 1}" for i in range(y_all.size)] if slab is None else [str(s) for s in slab]
    if len(labels_all) != y_all.size:
        raise ValueError(f"forest: 'slab' has length {len(labels_all)} but 'yi' has length {y_all.size}")
    if weights is None:
        with np.errstate(divide="ignore"):
            w_all = 1.0 / v_all
    else:
        w_all = _arr("weights", weights)
        if w_all.shape != y_all.shape:
            raise ValueError(f"forest: 'weights' has length {w_all.size} but 'yi' has length {y_all.size}")
    keep = np.isfinite(y_all) & np.isfinite(v_all) & (v_all >= 0)
    if not keep.any():
        raise ValueError("forest: no study has a finite 'yi' and 'vi'")
    level = _level_pct("forest", level)
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
    y = y_all[idx]
    v = v_all[idx]
    w = np.where(np.isfinite(w_all[idx]), w_all[idx], 0.0)
    labels = [labels_all[i] for i in idx]
    k = int(y.size)
    fit_arrs: list[FloatArray] | None = None
    if fitted is not None:
        fit_arrs = []
        for name, arr in (("fitted", fitted), ("fitted_lb", fitted_lb), ("fitted_ub", fitted_ub)):
            if arr is None:
                raise ValueError("forest: give 'fitted', 'fitted_lb' and 'fitted_ub' together")
            a = _arr(name, arr)
            if a.shape != y_all.shape:
                raise ValueError(f"forest: '{name}' has length {a.size} but 'yi' has length {y_all.size}")
            fit_arrs.append(_apply(transf, a[idx]))
    crit = float(sps.norm.isf((1.0 - level / 100.0) / 2.0))
    lo = y - crit * np.sqrt(v)
    hi = y + crit * np.sqrt(v)
    wpct = 100.0 * w / w.sum() if w.sum() > 0 else np.full(k, np.nan)

    has_pool = estimate is not None and ci_lb is not None and ci_ub is not None
    has_pi = has_pool and pi_lb is not None and pi_ub is not None
    pool = np.array([estimate, ci_lb, ci_ub] if has_pool else [np.nan] * 3, dtype=np.float64)
    pint = np.array([pi_lb, pi_ub] if has_pi else [np.nan] * 2, dtype=np.float64)

    # values drawn (possibly transformed) and values written in the text columns
    yd, lod, hid = (_apply(transf, a) for a in (y, lo, hi))
    poold, pintd = _apply(transf, pool), _apply(transf, pint)
    lod, hid = np.minimum(lod, hid), np.maximum(lod, hid)
    poold = np.array([poold[0], min(poold[1], poold[2]), max(poold[1], poold[2])])
    pintd = np.sort(pintd)
    text_tf = atransf
    yt, lot, hit = (_apply(text_tf, a) for a in (yd, lod, hid))
    poolt = _apply(text_tf, poold)
    lot, hit = np.minimum(lot, hit), np.maximum(lot, hit)
    poolt = np.array([poolt[0], min(poolt[1], poolt[2]), max(poolt[1], poolt[2])])

    if refline is True:
        ref: float | None = float(_apply(transf, 0.0)) if transf is not None else 0.0
        if ref is not None and not math.isfinite(ref):
            ref = None
    elif refline is False or refline is None:
        ref = None
    else:
        ref = float(refline)

    # layout (inches): label column | plot | annotation | weight
    row_h = 0.26
    n_rows = k + (2 if has_pool else 0) + (1 if header else 0)
    fig_h = row_h * n_rows + 1.1 + (0.3 if title else 0.0)
    annot_texts = [_annot(a, b, c, digits) for a, b, c in zip(yt, lot, hit, strict=True)]
    if has_pool:
        annot_texts.append(_annot(poolt[0], poolt[1], poolt[2], digits))
    char_w = 0.075
    label_w = max(0.9, char_w * max(len(s) for s in [*labels, mlab, "Study"])) + 0.2
    annot_w = max(1.6, char_w * max(len(s) for s in annot_texts)) + 0.25
    weight_w = 0.75 if showweights else 0.0
    plot_w = 3.2
    fig_w = label_w + plot_w + annot_w + weight_w + 0.3
    fig = Figure(figsize=(fig_w, fig_h))
    FigureCanvasAgg(fig)
    with mpl.rc_context(_RC):
        bottom = 0.75 / fig_h
        top = 1.0 - (0.3 + (0.3 if title else 0.0)) / fig_h
        ax = fig.add_axes((label_w / fig_w, bottom, plot_w / fig_w, top - bottom))
        rows = np.arange(k, 0, -1, dtype=np.float64)  # study 1 at the top
        pool_row = -1.0
        y_top = k + (1.5 if header else 1.0)
        y_bot = pool_row - 1.0 if has_pool else 0.0
        ax.set_ylim(y_bot, y_top)

        # x range
        finite = np.concatenate([lod, hid, poold if has_pool else [], pintd if has_pi else [], *(fit_arrs or [])])
        finite = finite[np.isfinite(finite)]
        if ref is not None:
            finite = np.append(finite, ref)
        xmin, xmax = float(finite.min()), float(finite.max())
        if xmax - xmin <= 0:
            xmin, xmax = xmin - 1.0, xmax + 1.0
        ticks = _axis_ticks(xmin, xmax, atransf)
        pad = 0.02 * (ticks[-1] - ticks[0])
        ax.set_xlim(min(ticks[0], xmin) - pad, max(ticks[-1], xmax) + pad)
        ax.xaxis.set_major_locator(FixedLocator(list(ticks)))
        if atransf is not None:
            ax.xaxis.set_major_formatter(FuncFormatter(lambda t, _pos: _tick_label(float(_apply(atransf, t)), digits)))
        else:
            ax.xaxis.set_major_formatter(FuncFormatter(lambda t, _pos: _fmt(float(t), digits)))
        ax.set_xlabel(xlab if xlab is not None else "Observed Outcome")
        for side in ("left", "right", "top"):
            ax.spines[side].set_visible(False)
        ax.spines["bottom"].set_bounds(ticks[0], ticks[-1])
        ax.set_yticks([])
        ax.patch.set_visible(False)

        if ref is not None:
            ref_top = k + 0.6
            ax.add_line(
                Line2D(
                    [ref, ref],
                    [y_bot, ref_top],
                    color="black",
                    linestyle=(0, (4, 3)),
                    linewidth=0.8,
                    gid="reference-line",
                )
            )
        # horizontal separator above the pooled row (metafor draws one at row 0)
        if has_pool:
            ax.axhline(0.0, color="black", linewidth=0.8)

        # squares sized by weight (metafor: psize rescaled linearly into [0.5, 1.5])
        rng = float(w.max() - w.min())
        psize = np.ones(k) if rng <= math.sqrt(np.finfo(float).eps) else 0.5 + (w - w.min()) / rng
        base_ms = 6.0
        cap = 0.12
        xmin_ax, xmax_ax = ax.get_xlim()
        for i in range(k):
            r = rows[i]
            ci_a, ci_b = max(float(lod[i]), xmin_ax), min(float(hid[i]), xmax_ax)
            ci_line = Line2D([ci_a, ci_b], [r, r], color="black", linewidth=0.9, gid=f"study-ci-{i + 1}")
            ax.add_line(ci_line)
            for xe in (lod[i], hid[i]):
                if xmin_ax <= xe <= xmax_ax:
                    ax.add_line(Line2D([xe, xe], [r - cap, r + cap], color="black", linewidth=0.9))
            sq = Line2D(
                [yd[i]],
                [r],
                marker="s",
                markersize=base_ms * psize[i],
                color="black",
                linestyle="none",
                gid=f"study-row-{i + 1}",
            )
            ax.add_line(sq)

        if fit_arrs is not None:
            f_est, f_lo, f_hi = fit_arrs
            for i in range(k):
                if not (math.isfinite(f_est[i]) and math.isfinite(f_lo[i]) and math.isfinite(f_hi[i])):
                    continue
                lo_i, hi_i = min(f_lo[i], f_hi[i]), max(f_lo[i], f_hi[i])
                ax.add_patch(
                    Polygon(
                        [
                            (lo_i, rows[i]),
                            (f_est[i], rows[i] + 0.25),
                            (hi_i, rows[i]),
                            (f_est[i], rows[i] - 0.25),
                        ],
                        closed=True,
                        facecolor="0.6",
                        edgecolor="0.6",
                        linewidth=0.5,
                        zorder=1.5,
                        gid=f"fitted-{i + 1}",
                    )
                )

        tf_left = blended_transform_factory(fig.transFigure, ax.transData)
        x_label = 0.15 / fig_w
        x_annot = (label_w + plot_w + annot_w) / fig_w
        x_weight = (label_w + plot_w + annot_w + weight_w) / fig_w
        for i in range(k):
            ax.text(
                x_label,
                rows[i],
                labels[i],
                transform=tf_left,
                ha="left",
                va="center",
                gid=f"study-label-{i + 1}",
            )
            ax.text(
                x_annot,
                rows[i],
                annot_texts[i],
                transform=tf_left,
                ha="right",
                va="center",
                gid=f"study-annot-{i + 1}",
            )
            if showweights:
                ax.text(
                    x_weight,
                    rows[i],
                    f"{wpct[i]:.{max(digits - 1, 1)}f}%",
                    transform=tf_left,
                    ha="right",
                    va="center",
                    gid=f"study-weight-{i + 1}",
                )
        if header:
            left_h, right_h = (
                ("Study", f"Estimate [{level:g}% CI]") if header is True else header  # type: ignore[misc]
            )
            hrow = k + 1.0
            ax.text(x_label, hrow, left_h, transform=tf_left, ha="left", va="center", fontweight="bold")
            ax.text(x_annot, hrow, right_h, transform=tf_left, ha="right", va="center", fontweight="bold")
            if showweights:
                ax.text(x_weight, hrow, "Weight", transform=tf_left, ha="right", va="center", fontweight="bold")

        if has_pool:
            if has_pi and np.all(np.isfinite(pintd)):
                pa, pb = max(pintd[0], xmin_ax), min(pintd[1], xmax_ax)
                ax.add_line(
                    Line2D(
                        [pa, pb],
                        [pool_row, pool_row],
                        color="0.5",
                        linestyle=":",
                        linewidth=1.2,
                        gid="prediction-interval",
                    )
                )
                for xe in pintd:
                    if xmin_ax <= xe <= xmax_ax:
                        ax.add_line(Line2D([xe, xe], [pool_row - cap, pool_row + cap], color="0.5", linewidth=1.0))
            half_h = 0.32
            diamond = Polygon(
                [
                    (poold[1], pool_row),
                    (poold[0], pool_row + half_h),
                    (poold[2], pool_row),
                    (poold[0], pool_row - half_h),
                ],
                closed=True,
                facecolor="black",
                edgecolor="black",
                linewidth=0.8,
                gid="pooled-diamond",
            )
            ax.add_patch(diamond)
            ax.text(x_label, pool_row, mlab, transform=tf_left, ha="left", va="center", gid="pooled-label")
            ax.text(
                x_annot,
                pool_row,
                annot_texts[-1],
                transform=tf_left,
                ha="right",
                va="center",
                gid="pooled-annot",
            )
            if showweights:
                ax.text(x_weight, pool_row, "100.0%", transform=tf_left, ha="right", va="center")
        if title:
            fig.suptitle(title, x=0.5, y=1.0 - 0.12 / fig_h, va="top", fontsize=10)
    return _save(fig, path)


def _fit_plot_data(fit: Any, what: str) -> dict[str, Any]:
    """Pull what the plots need from a fitted result (duck-typed)."""
    yi = np.asarray(fit.yi, dtype=np.float64)
    vi = np.asarray(fit.vi, dtype=np.float64)
    if yi.ndim != 1:
        raise ValueError(f"{what}: the fitted result holds batched analyses; plot one analysis at a time")
    p = int(getattr(fit, "p", 1) or 1)
    method = str(getattr(fit, "method", "REML"))
    tau2 = float(np.asarray(getattr(fit, "tau2", 0.0) or 0.0).reshape(-1)[0]) if p == 1 else 0.0
    level = _level_pct(what, float(getattr(fit, "level", 95.0) or 95.0))
    slab = getattr(fit, "slab", None)
    out: dict[str, Any] = {
        "yi": yi,
        "vi": vi,
        "p": p,
        "method": method,
        "tau2": tau2,
        "level": level,
        "slab": None if slab is None else [str(s) for s in slab],
    }
    return out


def _is_ee(method: str) -> bool:
    return method.upper() in ("EE", "FE", "CE")


def forest(
    fit: Any,
    path: str | Path | None = None,
    *,
    slab: Sequence[str] | None = None,
    addpred: bool = True,
    transf: Transform | None = None,
    atransf: Transform | None = None,
    refline: float | bool | None = True,
    xlab: str | None = None,
    mlab: str | None = None,
    digits: int = 2,
    showweights: bool = True,
    header: tuple[str, str] | bool = True,
    title: str | None = None,
    order: str | Sequence[int] | None = None,
) -> Path | Figure:
    """Forest plot of a fitted model, laid out like metafor's ``forest.rma``.

    Study labels on the left; squares sized by model weight with their
    confidence intervals; the "estimate [ci.lb, ci.ub]" and weight columns on
    the right; the pooled diamond and, for random-effects models, the
    prediction interval as a dotted line with end bars (``addpred``).

    Parameters
    ----------
    fit : fitted result
        From :func:`ldn_atlas.stats.rma` (one analysis; for a meta-regression the
        fitted values are drawn as grey diamonds and there is no pooled row), or a
        :class:`~ldn_atlas.stats.diagnostics.TrimfillResult` (observed and filled studies).
    path : str or Path, optional
        ``.svg``, ``.png`` or ``.pdf``; without it the figure is returned.
    slab : sequence of str, optional
        Study labels (default: the fit's labels, else "Study i").
    addpred : bool
        Draw the prediction interval (random-effects models only).
    transf, atransf, refline, xlab, digits, showweights, header, title, order
        As in :func:`forest_plot`.
    mlab : str, optional
        Label of the pooled row (default "RE Model" or "EE Model").

    Returns
    -------
    Path or Figure
    """
    model = getattr(fit, "model", None) if hasattr(fit, "k0") else None
    src = model if model is not None else fit
    d = _fit_plot_data(src, "forest")
    labels = slab if slab is not None else d["slab"]
    if labels is not None and len(labels) != d["yi"].size:
        labels = None
    model_w = getattr(src, "weights", None)
    if d["p"] != 1:
        # meta-regression: the fitted value of each study with its CI (metafor's addfit polygons)
        fitted = src.predict()
        return forest_plot(
            d["yi"],
            d["vi"],
            path,
            slab=labels,
            weights=model_w,
            level=d["level"],
            transf=transf,
            atransf=atransf,
            refline=refline,
            xlab=xlab,
            header=header,
            digits=digits,
            showweights=showweights,
            title=title,
            fitted=fitted.pred,
            fitted_lb=fitted.ci_lb,
            fitted_ub=fitted.ci_ub,
            order=order,
        )
    pred = src.predict()
    b = float(np.asarray(pred.pred).reshape(-1)[0])
    lb = float(np.asarray(pred.ci_lb).reshape(-1)[0])
    ub = float(np.asarray(pred.ci_ub).reshape(-1)[0])
    ee = _is_ee(d["method"])
    pi_lb = pi_ub = None
    if addpred and not ee:
        pl, pu = getattr(pred, "pi_lb", None), getattr(pred, "pi_ub", None)
        if pl is not None and pu is not None:
            pi_lb = float(np.asarray(pl).reshape(-1)[0])
            pi_ub = float(np.asarray(pu).reshape(-1)[0])
    if model_w is not None and np.shape(model_w) == d["yi"].shape:
        w = np.asarray(model_w, dtype=np.float64)
    else:
        with np.errstate(divide="ignore"):
            w = 1.0 / (d["vi"] + (0.0 if ee else d["tau2"]))
    if labels is None and model is not None:
        n_f = int(getattr(fit, "k0", 0))
        n_o = d["yi"].size - n_f
        labels = [f"Study {i + 1}" for i in range(n_o)] + [f"Filled {i + 1}" for i in range(n_f)]
    return forest_plot(
        d["yi"],
        d["vi"],
        path,
        slab=labels,
        estimate=b,
        ci_lb=lb,
        ci_ub=ub,
        pi_lb=pi_lb,
        pi_ub=pi_ub,
        weights=w,
        level=d["level"],
        mlab=mlab if mlab is not None else ("EE Model" if ee else "RE Model"),
        transf=transf,
        atransf=atransf,
        refline=refline,
        xlab=xlab,
        header=header,
        digits=digits,
        showweights=showweights,
        title=title,
        order=order,
    )


# --------------------------------------------------------------------------- funnel


def funnel_plot(
    yi: Any,
    vi: Any,
    path: str | Path | None = None,
    *,
    estimate: float,
    filled_yi: Any = None,
    filled_vi: Any = None,
    level: float = 95.0,
    atransf: Transform | None = None,
    refline: float | None = None,
    xlab: str | None = None,
    title: str | None = None,
    digits: int = 2,
) -> Path | Figure:
    """Funnel plot: effect sizes against their standard errors (inverted axis).

    Parameters
    ----------
    yi, vi : array_like
        Observed effect sizes and sampling variances.
    path : str or Path, optional
        ``.svg``, ``.png`` or ``.pdf``; without it the figure is returned.
    estimate : float
        Centre of the funnel (the pooled estimate).
    filled_yi, filled_vi : array_like, optional
        Studies imputed by trim and fill, drawn as hollow circles.
    level : float
        Level of the pseudo-confidence region ``estimate ± z sqrt(vi)``, in percent.
    atransf : callable, optional
        Label the x axis on a transformed scale (e.g. ``np.exp``).
    refline : float, optional
        Centre of the region (default ``estimate``).
    xlab, title : str, optional
    digits : int
        Decimals of the x-axis labels.

    Returns
    -------
    Path or Figure

    Notes
    -----
    As in metafor's ``funnel.rma``, the region is shaded white on a light grey
    background, the y axis runs from 0 (top) to the largest standard error, and
    the pseudo-confidence limits are dotted.
    """
    y_all = _arr("yi", yi)
    v_all = _arr("vi", vi)
    if y_all.shape != v_all.shape:
        raise ValueError(f"funnel: 'yi' has length {y_all.size} but 'vi' has length {v_all.size}")
    keep = np.isfinite(y_all) & np.isfinite(v_all) & (v_all >= 0)
    if not keep.any():
        raise ValueError("funnel: no study has a finite 'yi' and 'vi'")
    y, se = y_all[keep], np.sqrt(v_all[keep])
    if filled_yi is not None:
        fy = _arr("filled_yi", filled_yi)
        fv = _arr("filled_vi", filled_vi if filled_vi is not None else [])
        if fy.shape != fv.shape:
            raise ValueError(f"funnel: 'filled_yi' has length {fy.size} but 'filled_vi' has length {fv.size}")
        fse = np.sqrt(fv)
    else:
        fy = fse = np.zeros(0)
    if not math.isfinite(float(estimate)):
        raise ValueError("funnel: 'estimate' must be finite")
    centre = float(estimate) if refline is None else float(refline)
    level = _level_pct("funnel", level)
    crit = float(sps.norm.isf((1.0 - level / 100.0) / 2.0))
    se_max = float(max(se.max(), fse.max() if fse.size else 0.0))
    if se_max <= 0:
        se_max = 1.0
    fig = Figure(figsize=(5.5, 4.5))
    FigureCanvasAgg(fig)
    with mpl.rc_context(_RC):
        ax = fig.add_subplot(1, 1, 1)
        xs = np.concatenate([y, fy, [centre - crit * se_max, centre + crit * se_max]])
        lo_x, hi_x = float(xs.min()), float(xs.max())
        span = hi_x - lo_x if hi_x > lo_x else 1.0
        ax.set_xlim(lo_x - 0.05 * span, hi_x + 0.05 * span)
        ax.set_ylim(se_max, 0.0)  # inverted: precise studies on top
        ax.set_facecolor("0.83")
        region = Polygon(
            [(centre - crit * se_max, se_max), (centre, 0.0), (centre + crit * se_max, se_max)],
            closed=True,
            facecolor="white",
            edgecolor="none",
            zorder=0.5,
            gid="funnel-region",
        )
        ax.add_patch(region)
        for sgn in (-1.0, 1.0):
            ax.add_line(
                Line2D(
                    [centre, centre + sgn * crit * se_max],
                    [0.0, se_max],
                    color="black",
                    linestyle=":",
                    linewidth=0.9,
                    zorder=1,
                )
            )
        ax.add_line(
            Line2D([centre, centre], [0.0, se_max], color="black", linewidth=0.9, zorder=1, gid="funnel-estimate")
        )
        for i in range(y.size):
            ax.add_line(
                Line2D(
                    [y[i]],
                    [se[i]],
                    marker="o",
                    markersize=5.5,
                    color="black",
                    linestyle="none",
                    zorder=3,
                    clip_on=False,
                    gid=f"funnel-point-{i + 1}",
                )
            )
        for j in range(fy.size):
            ax.add_line(
                Line2D(
                    [fy[j]],
                    [fse[j]],
                    marker="o",
                    markersize=5.5,
                    markerfacecolor="white",
                    markeredgecolor="black",
                    linestyle="none",
                    zorder=3,
                    clip_on=False,
                    gid=f"funnel-filled-{j + 1}",
                )
            )
        ax.set_ylabel("Standard Error")
        ax.set_xlabel(xlab if xlab is not None else "Observed Outcome")
        if atransf is not None:
            ax.xaxis.set_major_locator(FixedLocator(list(_axis_ticks(*ax.get_xlim(), atransf))))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda t, _pos: _tick_label(float(_apply(atransf, t)), digits)))
        if title:
            ax.set_title(title)
        fig.tight_layout()
    return _save(fig, path)


def funnel(
    fit: Any,
    path: str | Path | None = None,
    *,
    level: float | None = None,
    atransf: Transform | None = None,
    xlab: str | None = None,
    title: str | None = None,
    digits: int = 2,
) -> Path | Figure:
    """Funnel plot of a fitted model, or of a trim-and-fill result with the filled studies hollow.

    Parameters
    ----------
    fit : fitted result or TrimfillResult
        A fitted intercept-only model (the funnel is centred on its estimate),
        or the result of :func:`ldn_atlas.stats.diagnostics.trimfill` (centred
        on the estimate from the filled data; imputed studies drawn hollow).
    path : str or Path, optional
        ``.svg``, ``.png`` or ``.pdf``; without it the figure is returned.
    level : float, optional
        Level of the pseudo-confidence region in percent (default: the fit's level).
    atransf, xlab, title, digits
        As in :func:`funnel_plot`.

    Returns
    -------
    Path or Figure
    """
    if hasattr(fit, "k0") and hasattr(fit, "filled_yi"):
        obs_y = np.asarray(fit.yi, dtype=np.float64)
        obs_v = np.asarray(fit.vi, dtype=np.float64)
        est = float(np.asarray(fit.b).reshape(-1)[0])
        lev = level if level is not None else 95.0
        return funnel_plot(
            obs_y,
            obs_v,
            path,
            estimate=est,
            filled_yi=fit.filled_yi,
            filled_vi=fit.filled_vi,
            level=lev,
            atransf=atransf,
            xlab=xlab,
            title=title,
            digits=digits,
        )
    d = _fit_plot_data(fit, "funnel")
    if d["p"] != 1:
        raise ValueError("funnel: only intercept-only models are supported (the fit has moderators)")
    est = float(np.asarray(fit.b).reshape(-1)[0])
    return funnel_plot(
        d["yi"],
        d["vi"],
        path,
        estimate=est,
        level=level if level is not None else d["level"],
        atransf=atransf,
        xlab=xlab,
        title=title,
        digits=digits,
    )
