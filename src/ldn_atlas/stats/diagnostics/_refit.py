"""The fitted model a refitting diagnostic takes, and how it refits it with the same settings.

A diagnostic refits through the fit itself: :func:`_rma` calls the fit's ``replace()``
(:meth:`ldn_atlas.stats.results.RMAResult.replace`, which runs the fitting engine), so a refit
returns the same kind of result, and this package imports neither ``results`` nor ``rma``,
whose ``RMAResult`` methods call the diagnostics.
"""

from __future__ import annotations

import warnings
from typing import Any, Protocol

import numpy as np

_EE_METHODS = frozenset({"EE", "FE", "CE"})


class Refittable(Protocol):
    """A fitted model that refits itself with some settings changed (``RMAResult.replace``)."""

    @property
    def test(self) -> str: ...
    @property
    def level(self) -> float: ...
    def replace(self, **changes: Any) -> Any: ...


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
    fit: Refittable,
    yi: Any,
    vi: Any,
    *,
    mods: Any = None,
    weights: Any = None,
    test: str | None = None,
    level: float | None = None,
) -> Any:
    """Fit ``rma`` with the settings of ``fit`` (method, control; test and level unless given), quietly.

    metafor runs these refits inside ``suppressWarnings()``; so does this helper. The refit is
    ``fit.replace(...)`` with all the data given (no study labels): ``rma(yi, vi, method=fit.method,
    test=..., level=..., mods=mods, weights=weights, control=fit.control)``.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit.replace(
            yi=yi,
            vi=vi,
            test=fit.test if test is None else test,
            level=fit.level if level is None else level,
            mods=mods,
            weights=weights,
            slab=None,
        )


def _alpha_of(fit: Any) -> float:
    lv = float(fit.level)
    return (100.0 - lv) / 100.0 if lv > 1 else 1.0 - lv


def _is_ee(method: str) -> bool:
    return method in _EE_METHODS
