"""Statistics engine: metafor's interface in Python.

Two steps, with metafor's vocabulary::

    from ldn_atlas.stats import escalc, rma, transf
    es = escalc("RR", ai=..., bi=..., ci=..., di=...)
    fit = rma(es, method="REML", test="z")          # or rma(es.yi, es.vi, ...)
    fit.b, fit.se, fit.ci_lb, fit.ci_ub, fit.tau2, fit.i2, fit.qe, fit.qep
    fit.predict(transf=transf.exp), fit.confint(), fit.summary()

``rma`` also fits ``m`` analyses at once from ``(m, k)`` arrays (NaN-padded), returning arrays.

Modules: :mod:`.rma` (the public ``rma``), :mod:`.fitting` (the engine: inputs, design, tau^2,
inference; returns a frozen fit record), :mod:`.estimators` (one class per tau^2 estimator),
:mod:`.results` (the frozen result types and their methods), :mod:`.effect_sizes` (``escalc``, one
module per measure family), :mod:`.transf`, :mod:`.mantel_haenszel` (``rma_mh``, ``rma_peto``),
:mod:`.clinical`, :mod:`.diagnostics` (functions that take a fit) and :mod:`.plots` (drawing only).
"""

from __future__ import annotations

import importlib
from typing import Any

from ldn_atlas.stats.estimators import ESTIMATORS, Control, Estimator, register
from ldn_atlas.stats.exceptions import ConvergenceWarning, DataWarning, StatisticalWarning
from ldn_atlas.stats.results import ConfintResult, Interval, Prediction, RMAResult
from ldn_atlas.stats.rma import rma

# Names provided by the sibling modules, imported on first use (keeps ``import ldn_atlas.stats``
# light and independent of optional pieces).
_LAZY: dict[str, tuple[str, str | None]] = {
    "escalc": ("ldn_atlas.stats.effect_sizes", "escalc"),
    "transf": ("ldn_atlas.stats.transf", None),
    "rma_mh": ("ldn_atlas.stats.mantel_haenszel", "rma_mh"),
    "rma_peto": ("ldn_atlas.stats.mantel_haenszel", "rma_peto"),
    "fsn": ("ldn_atlas.stats.diagnostics", "fsn"),
    "ranktest": ("ldn_atlas.stats.diagnostics", "ranktest"),
    "regtest": ("ldn_atlas.stats.diagnostics", "regtest"),
    "trimfill": ("ldn_atlas.stats.diagnostics", "trimfill"),
    "leave1out": ("ldn_atlas.stats.diagnostics", "leave1out"),
    "influence": ("ldn_atlas.stats.diagnostics", "influence"),
    "forest": ("ldn_atlas.stats.plots", "forest"),
    "funnel": ("ldn_atlas.stats.plots", "funnel"),
}

__all__ = [
    "ESTIMATORS",
    "ConfintResult",
    "Control",
    "ConvergenceWarning",
    "DataWarning",
    "Estimator",
    "Interval",
    "Prediction",
    "RMAResult",
    "StatisticalWarning",
    "register",
    "rma",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module_name, attr = _LAZY[name]
        module = importlib.import_module(module_name)
        value = module if attr is None else getattr(module, attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'ldn_atlas.stats' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
