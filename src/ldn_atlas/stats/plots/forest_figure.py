"""``forest_plot``: a forest plot from numbers (study effects and variances, optionally a pooled row).

The stages: the rows (:mod:`.forest_rows`: checks, order, intervals, scales), the layout
(:mod:`.forest_layout`: sizes, rows, x axis), the drawing (:mod:`.forest_draw`) and writing the file
(:mod:`.output`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import blended_transform_factory

from ldn_atlas.stats.plots.forest_draw import (
    draw_axis,
    draw_fitted,
    draw_header,
    draw_pooled,
    draw_reference,
    draw_studies,
    draw_study_texts,
)
from ldn_atlas.stats.plots.forest_layout import forest_layout, x_axis
from ldn_atlas.stats.plots.forest_rows import forest_rows
from ldn_atlas.stats.plots.output import RC, save
from ldn_atlas.stats.plots.values import Transform


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
    r = forest_rows(
        yi, vi, slab=slab, estimate=estimate, ci_lb=ci_lb, ci_ub=ci_ub, pi_lb=pi_lb, pi_ub=pi_ub,
        weights=weights, level=level, transf=transf, atransf=atransf, refline=refline,
        fitted=fitted, fitted_lb=fitted_lb, fitted_ub=fitted_ub, order=order,
    )
    lay = forest_layout(r, mlab=mlab, header=header, title=title, showweights=showweights, digits=digits)
    fig = Figure(figsize=(lay.fig_w, lay.fig_h))
    FigureCanvasAgg(fig)
    with mpl.rc_context(RC):
        ax = fig.add_axes(lay.axes_rect)
        ax.set_ylim(lay.y_bot, lay.y_top)
        ticks, limits = x_axis(r, atransf)
        draw_axis(ax, ticks, limits, atransf, digits, xlab)
        draw_reference(ax, r, lay)
        xlim = ax.get_xlim()
        draw_studies(ax, r, lay, xlim)
        draw_fitted(ax, r, lay)
        tf_left = blended_transform_factory(fig.transFigure, ax.transData)
        draw_study_texts(ax, tf_left, r, lay, digits, showweights)
        draw_header(ax, tf_left, r, lay, header, showweights)
        draw_pooled(ax, tf_left, r, lay, xlim, mlab, showweights)
        if title:
            fig.suptitle(title, x=0.5, y=1.0 - 0.12 / lay.fig_h, va="top", fontsize=10)
    return save(fig, path)
