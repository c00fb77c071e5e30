"""The geometry of a forest plot: figure size, columns, rows and the x axis, from its rows alone.

Columns, left to right, in inches: study labels | plot | "estimate [CI]" | weight. One row per study
(study 1 at the top), a header row above them and the pooled row below a separator.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ldn_atlas.stats.plots.axis import annot, axis_ticks
from ldn_atlas.stats.plots.forest_rows import ForestRows
from ldn_atlas.stats.plots.values import FloatArray, Transform


@dataclass(frozen=True)
class ForestLayout:
    """Where everything of a forest plot goes.

    Widths and heights in inches; ``bottom``/``top`` and the text column positions ``x_label``,
    ``x_annot``, ``x_weight`` as fractions of the figure; ``rows``, ``pool_row`` and the y limits
    in data units; ``annot_texts`` the "estimate [CI]" texts of the studies (and the pooled row).
    """

    fig_w: float
    fig_h: float
    label_w: float
    plot_w: float
    annot_w: float
    weight_w: float
    bottom: float
    top: float
    annot_texts: list[str]
    rows: FloatArray
    pool_row: float
    y_top: float
    y_bot: float
    x_label: float
    x_annot: float
    x_weight: float

    @property
    def axes_rect(self) -> tuple[float, float, float, float]:
        """The plot column as ``(left, bottom, width, height)`` in figure fractions."""
        return (self.label_w / self.fig_w, self.bottom, self.plot_w / self.fig_w, self.top - self.bottom)


def forest_layout(
    r: ForestRows, *, mlab: str, header: tuple[str, str] | bool, title: str | None, showweights: bool, digits: int
) -> ForestLayout:
    """Lay out a forest plot: column widths from the longest texts, one row height per row."""
    k, has_pool = r.k, r.has_pool
    row_h = 0.26
    n_rows = k + (2 if has_pool else 0) + (1 if header else 0)
    fig_h = row_h * n_rows + 1.1 + (0.3 if title else 0.0)
    annot_texts = [annot(a, b, c, digits) for a, b, c in zip(r.yt, r.lot, r.hit, strict=True)]
    if has_pool:
        annot_texts.append(annot(r.poolt[0], r.poolt[1], r.poolt[2], digits))
    char_w = 0.075
    label_w = max(0.9, char_w * max(len(s) for s in [*r.labels, mlab, "Study"])) + 0.2
    annot_w = max(1.6, char_w * max(len(s) for s in annot_texts)) + 0.25
    weight_w = 0.75 if showweights else 0.0
    plot_w = 3.2
    fig_w = label_w + plot_w + annot_w + weight_w + 0.3
    pool_row = -1.0
    return ForestLayout(
        fig_w=fig_w, fig_h=fig_h, label_w=label_w, plot_w=plot_w, annot_w=annot_w, weight_w=weight_w,
        bottom=0.75 / fig_h, top=1.0 - (0.3 + (0.3 if title else 0.0)) / fig_h, annot_texts=annot_texts,
        rows=np.arange(k, 0, -1, dtype=np.float64),  # study 1 at the top
        pool_row=pool_row, y_top=k + (1.5 if header else 1.0), y_bot=pool_row - 1.0 if has_pool else 0.0,
        x_label=0.15 / fig_w, x_annot=(label_w + plot_w + annot_w) / fig_w,
        x_weight=(label_w + plot_w + annot_w + weight_w) / fig_w,
    )


def x_axis(r: ForestRows, atransf: Transform | None) -> tuple[FloatArray, tuple[float, float]]:
    """Tick positions and x limits covering every interval drawn and the reference line."""
    has_pool, has_pi = r.has_pool, r.has_pi
    finite = np.concatenate(
        [r.lod, r.hid, r.poold if has_pool else [], r.pintd if has_pi else [], *(r.fit_arrs or [])]
    )
    finite = finite[np.isfinite(finite)]
    if r.ref is not None:
        finite = np.append(finite, r.ref)
    xmin, xmax = float(finite.min()), float(finite.max())
    if xmax - xmin <= 0:
        xmin, xmax = xmin - 1.0, xmax + 1.0
    ticks = axis_ticks(xmin, xmax, atransf)
    pad = 0.02 * (ticks[-1] - ticks[0])
    return ticks, (min(ticks[0], xmin) - pad, max(ticks[-1], xmax) + pad)
