"""Figures of the report: forest plots of syntheses, drawn with the statistics engine's plotting code."""

from __future__ import annotations

from typing import Any


def synthesis_forest_figure(synthesis: Any) -> Any:
    """A forest plot (matplotlib Figure) of one synthesis's study rows and pooled result, or ``None``.

    The plot shows exactly the synthesis's numbers (no refit): study estimates
    with 95% CIs, the pooled diamond and the prediction interval.  Ratios are
    drawn on the log scale with labels in ratio units; proportions pooled on
    the logit scale are drawn back-transformed.
    """
    import math

    from ldn_atlas.stats import transf
    from ldn_atlas.stats.plots import forest_plot

    rows = [r for r in synthesis.rows if r.yi is not None and r.vi is not None and r.vi > 0]
    if not rows:
        return None

    def real(x: float | None) -> float | None:
        return None if x is None or (isinstance(x, float) and math.isnan(x)) else x

    # Study rows and pooled values are on the reporting scale (RR, proportion); their variances are on
    # the analysis scale (log RR, logit). Draw on the analysis scale and label in reporting units.
    forward: dict[str, Any] = {"RR": math.log, "OR": math.log, "IRR": math.log, "ROM": math.log,
                               "PLO": lambda p: math.log(p / (1 - p))}
    to_analysis = forward.get(synthesis.measure)

    def scale(x: float | None) -> float | None:
        x = real(x)
        if x is None or to_analysis is None:
            return x
        try:
            return float(to_analysis(x))
        except (ValueError, ZeroDivisionError):
            return None

    plotted = [(r, scale(r.yi)) for r in rows]
    plotted = [(r, y) for r, y in plotted if y is not None]
    if not plotted:
        return None
    ratio = synthesis.measure in ("RR", "OR", "IRR", "ROM")
    model_weights = [r.weight for r, _ in plotted]
    return forest_plot(
        [y for _, y in plotted], [r.vi for r, _ in plotted], None,
        slab=[r.label for r, _ in plotted],
        weights=model_weights if all(w is not None for w in model_weights) else None,
        estimate=scale(synthesis.estimate), ci_lb=scale(synthesis.ci_lb), ci_ub=scale(synthesis.ci_ub),
        pi_lb=scale(synthesis.pi_lb), pi_ub=scale(synthesis.pi_ub),
        mlab=f"{synthesis.method} model ({synthesis.test})" if synthesis.k >= 2 else "single study",
        transf=transf.ilogit if synthesis.measure == "PLO" else None,
        atransf=transf.exp if ratio else None,
        xlab=f"{synthesis.measure} ({synthesis.outcome_label})",
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
