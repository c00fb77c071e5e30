"""``funnel_plot``: effect sizes against their standard errors, around a pooled estimate (from numbers).

The stages: the points and the pseudo-confidence region (:func:`_funnel_points`), the region and
its limits (:func:`_draw_region`), the observed and the imputed studies (:func:`_draw_points`).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, NamedTuple

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon
from matplotlib.ticker import FixedLocator, FuncFormatter
from scipy import stats as sps

from ldn_atlas.stats.plots.axis import axis_ticks, tick_label
from ldn_atlas.stats.plots.output import RC, save
from ldn_atlas.stats.plots.values import FloatArray, Transform, apply, as_array, level_pct


class _Funnel(NamedTuple):
    """Observed (``y``, ``se``) and imputed (``fy``, ``fse``) studies, the centre and the region's size."""

    y: FloatArray
    se: FloatArray
    fy: FloatArray
    fse: FloatArray
    centre: float
    crit: float
    se_max: float


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
    f = _funnel_points(yi, vi, estimate, filled_yi, filled_vi, level, refline)
    y, fy, centre, crit, se_max = f.y, f.fy, f.centre, f.crit, f.se_max
    fig = Figure(figsize=(5.5, 4.5))
    FigureCanvasAgg(fig)
    with mpl.rc_context(RC):
        ax = fig.add_subplot(1, 1, 1)
        xs = np.concatenate([y, fy, [centre - crit * se_max, centre + crit * se_max]])
        lo_x, hi_x = float(xs.min()), float(xs.max())
        span = hi_x - lo_x if hi_x > lo_x else 1.0
        ax.set_xlim(lo_x - 0.05 * span, hi_x + 0.05 * span)
        ax.set_ylim(se_max, 0.0)  # inverted: precise studies on top
        ax.set_facecolor("0.83")
        _draw_region(ax, centre, crit, se_max)
        _draw_points(ax, f)
        ax.set_ylabel("Standard Error")
        ax.set_xlabel(xlab if xlab is not None else "Observed Outcome")
        if atransf is not None:
            ax.xaxis.set_major_locator(FixedLocator(list(axis_ticks(*ax.get_xlim(), atransf))))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda t, _pos: tick_label(float(apply(atransf, t)), digits)))
        if title:
            ax.set_title(title)
        fig.tight_layout()
    return save(fig, path)


def _funnel_points(
    yi: Any, vi: Any, estimate: float, filled_yi: Any, filled_vi: Any, level: float, refline: float | None
) -> _Funnel:
    """Check the inputs of a funnel plot: the studies with finite values, the imputed ones, the region."""
    y_all = as_array("yi", yi)
    v_all = as_array("vi", vi)
    if y_all.shape != v_all.shape:
        raise ValueError(f"funnel: 'yi' has length {y_all.size} but 'vi' has length {v_all.size}")
    keep = np.isfinite(y_all) & np.isfinite(v_all) & (v_all >= 0)
    if not keep.any():
        raise ValueError("funnel: no study has a finite 'yi' and 'vi'")
    y, se = y_all[keep], np.sqrt(v_all[keep])
    if filled_yi is not None:
        fy = as_array("filled_yi", filled_yi)
        fv = as_array("filled_vi", filled_vi if filled_vi is not None else [])
        if fy.shape != fv.shape:
            raise ValueError(f"funnel: 'filled_yi' has length {fy.size} but 'filled_vi' has length {fv.size}")
        fse = np.sqrt(fv)
    else:
        fy = fse = np.zeros(0)
    if not math.isfinite(float(estimate)):
        raise ValueError("funnel: 'estimate' must be finite")
    centre = float(estimate) if refline is None else float(refline)
    level = level_pct("funnel", level)
    crit = float(sps.norm.isf((1.0 - level / 100.0) / 2.0))
    se_max = float(max(se.max(), fse.max() if fse.size else 0.0))
    if se_max <= 0:
        se_max = 1.0
    return _Funnel(y, se, fy, fse, centre, crit, se_max)


def _draw_region(ax: Axes, centre: float, crit: float, se_max: float) -> None:
    """The white pseudo-confidence region ``centre ± crit se``, its dotted limits and the centre line."""
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


def _draw_points(ax: Axes, f: _Funnel) -> None:
    """The observed studies as filled circles, those imputed by trim and fill as hollow ones."""
    y, se, fy, fse = f.y, f.se, f.fy, f.fse
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
