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

Where things live
-----------------
The renderers take plain numbers: :mod:`.forest_figure` (``forest_plot``), built from
:mod:`.forest_rows` (the numbers of each row), :mod:`.forest_layout` (sizes, rows, x axis) and
:mod:`.forest_draw` (the artists), and :mod:`.funnel_figure` (``funnel_plot``). :mod:`.from_fit`
(``forest``, ``funnel``) reads a fitted result and calls them. Shared: :mod:`.values` (checked
arrays, transformations, levels), :mod:`.axis` (ticks and number formats) and :mod:`.output`
(matplotlib settings, writing files).
"""

from __future__ import annotations

from ldn_atlas.stats.plots.forest_figure import forest_plot
from ldn_atlas.stats.plots.from_fit import forest, funnel
from ldn_atlas.stats.plots.funnel_figure import funnel_plot

__all__ = ["forest", "forest_plot", "funnel", "funnel_plot"]
