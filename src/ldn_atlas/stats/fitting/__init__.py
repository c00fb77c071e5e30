"""The fitting engine of :func:`ldn_atlas.stats.rma`, in the order of its stages.

:mod:`.inputs` (argument checking, data as ``(m, k)`` arrays, missing values) ->
:mod:`.design` (redundant moderators, the :class:`~ldn_atlas.stats._core.Batch`) -> the tau^2
estimator (:mod:`ldn_atlas.stats.estimators`) -> :mod:`.inference` (coefficients, tests, Q,
I^2, H^2, log-likelihoods, pseudo-R^2) -> :mod:`.engine` (:func:`fit_rma`, which runs them and
returns a frozen :class:`FitRecord`). :mod:`.tau2_ci` holds the Q-profile CI of tau^2.

The layers of the statistics engine, each importing only from those before it::

    _core (numerics) <- estimators <- fitting (returns a FitRecord)
        <- diagnostics, _summary (take a fitted model; refit it through its own replace())
        <- results (RMAResult wraps a FitRecord; its methods delegate to diagnostics, _summary, plots)
        <- rma (rma() = fit_rma + RMAResult)
"""

from __future__ import annotations

from ldn_atlas.stats.fitting.engine import FitRecord, fit_rma
from ldn_atlas.stats.fitting.tau2_ci import confint_tau2

__all__ = ["FitRecord", "confint_tau2", "fit_rma"]
