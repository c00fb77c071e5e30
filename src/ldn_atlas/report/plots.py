"""Figures of the report: forest plots of syntheses, drawn with the statistics engine's plotting code."""

from __future__ import annotations

from typing import Any


def synthesis_forest_figure(synthesis: Any) -> Any:
    """A forest plot (matplotlib Figure) of one synthesis's study rows and pooled result, or ``None``.

    The plot shows exactly the synthesis's numbers (no refit): study estimates
    with 95% CIs on the analysis scale, the pooled diamond and the prediction
    interval.  Proportions pooled on the logit scale are drawn back-transformed.
    """
    import math

    from ldn_atlas.stats import transf
    from ldn_atlas.stats.plots import forest_plot

    rows = [r for r in synthesis.rows if r.yi is not None and r.vi is not None and r.vi > 0]
    if not rows:
        return None

    def real(x: float | None) -> float | None:
        return None if x is None or (isinstance(x, float) and math.isnan(x)) else x

    back = transf.ilogit if synthesis.measure == "PLO" else None
    return forest_plot(
        [r.yi for r in rows], [r.vi for r in rows], None,
        slab=[r.label for r in rows],
        estimate=real(synthesis.estimate), ci_lb=real(synthesis.ci_lb), ci_ub=real(synthesis.ci_ub),
        pi_lb=real(synthesis.pi_lb), pi_ub=real(synthesis.pi_ub),
        mlab=f"{synthesis.method} model ({synthesis.test})" if synthesis.k >= 2 else "single study",
        transf=back, xlab=f"{synthesis.measure} ({synthesis.outcome_label})",
        title=f"{synthesis.condition}: {synthesis.outcome_label}",
    )


def synthesis_forest_svg(synthesis: Any) -> bytes | None:
    """The forest plot of a synthesis as SVG bytes (``None`` when there is nothing to draw)."""
    import io

    import matplotlib.pyplot as plt

    figure = synthesis_forest_figure(synthesis)
    if figure is None:
        return None
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg")
    plt.close(figure)
    return buffer.getvalue()
