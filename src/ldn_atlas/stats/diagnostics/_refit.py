"""The fitted model a refitting diagnostic takes, and how it refits it with the same settings."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

_EE_METHODS = frozenset({"EE", "FE", "CE"})


def _single_fit(fit: Any, what: str) -> Any:
    """Check that ``fit`` is one fitted rma model (not batched) and return it."""
    if not (hasattr(fit, "yi") and hasattr(fit, "vi") and hasattr(fit, "method") and hasattr(fit, "X")):
        raise ValueError(f"{what}: expects a fitted model from stats.rma(), got {type(fit).__name__}")
    if getattr(fit, "batched", False) or np.ndim(fit.yi) != 1:
        raise ValueError(
            f"{what}: the fitted result holds {np.shape(fit.yi)[0]} batched analyses; "
            f"apply {what} to one analysis at a time (fit[i].{what}())"
        )
    return fit


def _rma(
    fit: Any,
    yi: Any,
    vi: Any,
    *,
    mods: Any = None,
    weights: Any = None,
    test: str | None = None,
    level: float | None = None,
) -> Any:
    """Fit ``rma`` with the settings of ``fit`` (method, control; test and level unless given), quietly.

    metafor runs these refits inside ``suppressWarnings()``; so does this helper.
    """
    from ldn_atlas.stats.rma import rma

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return rma(
            yi,
            vi,
            method=fit.method,
            test=fit.test if test is None else test,
            level=fit.level if level is None else level,
            mods=mods,
            weights=weights,
            control=fit.control,
        )


def _alpha_of(fit: Any) -> float:
    lv = float(fit.level)
    return (100.0 - lv) / 100.0 if lv > 1 else 1.0 - lv


def _is_ee(method: str) -> bool:
    return method in _EE_METHODS
