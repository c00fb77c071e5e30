"""Drawing a forest plot onto matplotlib axes: the axis, the study rows, the text columns, the pooled row.

Each function draws one part from the rows (:class:`~.forest_rows.ForestRows`) and the layout
(:class:`~.forest_layout.ForestLayout`) and computes nothing statistical. They are called in the order
of :func:`~.forest_figure.forest_plot`, which is also the order of the artists in a written SVG.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon
from matplotlib.ticker import FixedLocator, FuncFormatter
from matplotlib.transforms import Transform as MplTransform

from ldn_atlas.stats.plots.axis import fmt, tick_label
from ldn_atlas.stats.plots.forest_layout import ForestLayout
from ldn_atlas.stats.plots.forest_rows import ForestRows
from ldn_atlas.stats.plots.values import FloatArray, Transform, apply

#: half height of the end bars of an interval, in rows.
CAP = 0.12
XLim = tuple[float, float]


def draw_axis(
    ax: Axes, ticks: FloatArray, limits: XLim, atransf: Transform | None, digits: int, xlab: str | None
) -> None:
    """The x axis alone (no y axis, no frame): ticks labelled on the ``atransf`` scale when given."""
    ax.set_xlim(*limits)
    ax.xaxis.set_major_locator(FixedLocator(list(ticks)))
    if atransf is not None:
        ax.xaxis.set_major_formatter(FuncFormatter(lambda t, _pos: tick_label(float(apply(atransf, t)), digits)))
    else:
        ax.xaxis.set_major_formatter(FuncFormatter(lambda t, _pos: fmt(float(t), digits)))
    ax.set_xlabel(xlab if xlab is not None else "Observed Outcome")
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_bounds(ticks[0], ticks[-1])
    ax.set_yticks([])
    ax.patch.set_visible(False)


def draw_reference(ax: Axes, r: ForestRows, lay: ForestLayout) -> None:
    """The dashed line of no effect, and the separator above the pooled row (metafor draws one at row 0)."""
    if r.ref is not None:
        ref_top = r.k + 0.6
        ax.add_line(
            Line2D(
                [r.ref, r.ref],
                [lay.y_bot, ref_top],
                color="black",
                linestyle=(0, (4, 3)),
                linewidth=0.8,
                gid="reference-line",
            )
        )
    if r.has_pool:
        ax.axhline(0.0, color="black", linewidth=0.8)


def draw_studies(ax: Axes, r: ForestRows, lay: ForestLayout, xlim: XLim) -> None:
    """Each study's interval (clipped to the axis, end bars inside it) and its square, sized by weight."""
    w = r.w
    # squares sized by weight (metafor: psize rescaled linearly into [0.5, 1.5])
    rng = float(w.max() - w.min())
    psize = np.ones(r.k) if rng <= math.sqrt(np.finfo(float).eps) else 0.5 + (w - w.min()) / rng
    base_ms = 6.0
    xmin_ax, xmax_ax = xlim
    lod, hid = r.lod, r.hid
    for i in range(r.k):
        row = lay.rows[i]
        ci_a, ci_b = max(float(lod[i]), xmin_ax), min(float(hid[i]), xmax_ax)
        ci_line = Line2D([ci_a, ci_b], [row, row], color="black", linewidth=0.9, gid=f"study-ci-{i + 1}")
        ax.add_line(ci_line)
        for xe in (lod[i], hid[i]):
            if xmin_ax <= xe <= xmax_ax:
                ax.add_line(Line2D([xe, xe], [row - CAP, row + CAP], color="black", linewidth=0.9))
        sq = Line2D(
            [r.yd[i]],
            [row],
            marker="s",
            markersize=base_ms * psize[i],
            color="black",
            linestyle="none",
            gid=f"study-row-{i + 1}",
        )
        ax.add_line(sq)


def draw_fitted(ax: Axes, r: ForestRows, lay: ForestLayout) -> None:
    """A meta-regression's fitted value of each study with its CI, as a grey diamond on the study's row."""
    if r.fit_arrs is None:
        return
    rows = lay.rows
    f_est, f_lo, f_hi = r.fit_arrs
    for i in range(r.k):
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


def draw_study_texts(
    ax: Axes, tf_left: MplTransform, r: ForestRows, lay: ForestLayout, digits: int, showweights: bool
) -> None:
    """The text columns of the study rows: label, "estimate [CI]" and weight in percent."""
    rows = lay.rows
    for i in range(r.k):
        ax.text(
            lay.x_label,
            rows[i],
            r.labels[i],
            transform=tf_left,
            ha="left",
            va="center",
            gid=f"study-label-{i + 1}",
        )
        ax.text(
            lay.x_annot,
            rows[i],
            lay.annot_texts[i],
            transform=tf_left,
            ha="right",
            va="center",
            gid=f"study-annot-{i + 1}",
        )
        if showweights:
            ax.text(
                lay.x_weight,
                rows[i],
                f"{r.wpct[i]:.{max(digits - 1, 1)}f}%",
                transform=tf_left,
                ha="right",
                va="center",
                gid=f"study-weight-{i + 1}",
            )


def draw_header(
    ax: Axes, tf_left: MplTransform, r: ForestRows, lay: ForestLayout, header: Any, showweights: bool
) -> None:
    """The bold column headers ("Study", "Estimate [95% CI]", "Weight") above the first study."""
    if not header:
        return
    left_h, right_h = ("Study", f"Estimate [{r.level:g}% CI]") if header is True else header
    hrow = r.k + 1.0
    ax.text(lay.x_label, hrow, left_h, transform=tf_left, ha="left", va="center", fontweight="bold")
    ax.text(lay.x_annot, hrow, right_h, transform=tf_left, ha="right", va="center", fontweight="bold")
    if showweights:
        ax.text(lay.x_weight, hrow, "Weight", transform=tf_left, ha="right", va="center", fontweight="bold")


def draw_pooled(
    ax: Axes, tf_left: MplTransform, r: ForestRows, lay: ForestLayout, xlim: XLim, mlab: str, showweights: bool
) -> None:
    """The pooled row: prediction interval, diamond, label, "estimate [CI]" and 100% weight."""
    if not r.has_pool:
        return
    pool_row, pintd, poold = lay.pool_row, r.pintd, r.poold
    xmin_ax, xmax_ax = xlim
    if r.has_pi and np.all(np.isfinite(pintd)):
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
                ax.add_line(Line2D([xe, xe], [pool_row - CAP, pool_row + CAP], color="0.5", linewidth=1.0))
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
    ax.text(lay.x_label, pool_row, mlab, transform=tf_left, ha="left", va="center", gid="pooled-label")
    ax.text(
        lay.x_annot,
        pool_row,
        lay.annot_texts[-1],
        transform=tf_left,
        ha="right",
        va="center",
        gid="pooled-annot",
    )
    if showweights:
        ax.text(lay.x_weight, pool_row, "100.0%", transform=tf_left, ha="right", va="center")
