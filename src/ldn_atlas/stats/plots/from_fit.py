"""Plots of fitted results: what :func:`forest` and :func:`funnel` take from a fit, handed to the renderers.

A fit is read duck-typed (``yi``, ``vi``, ``p``, ``method``, ``tau2``, ``level``, ``slab``,
``weights``, ``predict()``; a trim-and-fill result by its ``k0``), so this module depends on no result
class, and the result classes can call it without an import circle. The drawing is
:func:`~.forest_figure.forest_plot` and :func:`~.funnel_figure.funnel_plot`, which take plain numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ldn_atlas.stats.plots.forest_figure import forest_plot
from ldn_atlas.stats.plots.funnel_figure import funnel_plot
from ldn_atlas.stats.plots.values import Transform, level_pct


def _fit_plot_data(fit: Any, what: str) -> dict[str, Any]:
    """Pull what the plots need from a fitted result (duck-typed)."""
    yi = np.asarray(fit.yi, dtype=np.float64)
    vi = np.asarray(fit.vi, dtype=np.float64)
    if yi.ndim != 1:
        raise ValueError(f"{what}: the fitted result holds batched analyses; plot one analysis at a time")
    p = int(getattr(fit, "p", 1) or 1)
    method = str(getattr(fit, "method", "REML"))
    tau2 = float(np.asarray(getattr(fit, "tau2", 0.0) or 0.0).reshape(-1)[0]) if p == 1 else 0.0
    level = level_pct(what, float(getattr(fit, "level", 95.0) or 95.0))
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
    style: dict[str, Any] = {
        "transf": transf, "atransf": atransf, "refline": refline, "xlab": xlab, "header": header,
        "digits": digits, "showweights": showweights, "title": title, "order": order,
    }
    if d["p"] != 1:
        # meta-regression: the fitted value of each study with its CI (metafor's addfit polygons)
        fitted = src.predict()
        return forest_plot(
            d["yi"], d["vi"], path, slab=labels, weights=model_w, level=d["level"],
            fitted=fitted.pred, fitted_lb=fitted.ci_lb, fitted_ub=fitted.ci_ub, **style,
        )
    ee = _is_ee(d["method"])
    pooled = _pooled_row(src, addpred, ee=ee)
    w = _study_weights(model_w, d, ee=ee)
    if labels is None and model is not None:
        labels = _trimfill_labels(fit, d["yi"].size)
    return forest_plot(
        d["yi"], d["vi"], path, slab=labels, weights=w, level=d["level"],
        mlab=mlab if mlab is not None else ("EE Model" if ee else "RE Model"), **pooled, **style,
    )


def _pooled_row(src: Any, addpred: bool, *, ee: bool) -> dict[str, Any]:
    """The pooled estimate with its CI, and the prediction interval for random-effects models."""
    pred = src.predict()
    b = float(np.asarray(pred.pred).reshape(-1)[0])
    lb = float(np.asarray(pred.ci_lb).reshape(-1)[0])
    ub = float(np.asarray(pred.ci_ub).reshape(-1)[0])
    pi_lb = pi_ub = None
    if addpred and not ee:
        pl, pu = getattr(pred, "pi_lb", None), getattr(pred, "pi_ub", None)
        if pl is not None and pu is not None:
            pi_lb = float(np.asarray(pl).reshape(-1)[0])
            pi_ub = float(np.asarray(pu).reshape(-1)[0])
    return {"estimate": b, "ci_lb": lb, "ci_ub": ub, "pi_lb": pi_lb, "pi_ub": pi_ub}


def _study_weights(model_w: Any, d: dict[str, Any], *, ee: bool) -> Any:
    """The model's weights when it has one per study, else ``1 / (vi + tau2)`` (``1 / vi`` for EE)."""
    if model_w is not None and np.shape(model_w) == d["yi"].shape:
        w = np.asarray(model_w, dtype=np.float64)
    else:
        with np.errstate(divide="ignore"):
            w = 1.0 / (d["vi"] + (0.0 if ee else d["tau2"]))
    return w


def _trimfill_labels(fit: Any, k: int) -> list[str]:
    """Labels of a trim-and-fill result without labels: the observed studies, then the filled ones."""
    n_f = int(getattr(fit, "k0", 0))
    n_o = k - n_f
    return [f"Study {i + 1}" for i in range(n_o)] + [f"Filled {i + 1}" for i in range(n_f)]


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
