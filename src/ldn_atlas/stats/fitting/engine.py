"""The fitting engine behind :func:`ldn_atlas.stats.rma`: data in, the fitted model as a frozen record out.

:func:`fit_rma` runs the stages of a fit, for ``m`` analyses at once: the arguments and data
(:mod:`.inputs`), the design (:mod:`.design`), the tau^2 estimate (an estimator of
:mod:`ldn_atlas.stats.estimators`), and what follows from tau^2 (:mod:`.inference`). It returns
a :class:`FitRecord` of plain arrays; :class:`ldn_atlas.stats.results.RMAResult` wraps it.

Why a record and not the result: the result class offers diagnostics and refits as methods, so
it sits above everything it delegates to; the engine sits below it and knows nothing of it.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ldn_atlas.stats._core import Batch, FloatArray
from ldn_atlas.stats.estimators import Control, Estimator, Tau2Estimate, get_estimator
from ldn_atlas.stats.exceptions import ConvergenceWarning, StatisticalWarning
from ldn_atlas.stats.fitting.design import build_batch, drop_redundant
from ldn_atlas.stats.fitting.inference import inference, pseudo_r2
from ldn_atlas.stats.fitting.inputs import (
    TESTS,
    WARN_STACKLEVEL,
    alpha_of_level,
    check_values,
    mark_missing,
    prepare_data,
)

__all__ = ["FitRecord", "fit_rma"]


@dataclass(frozen=True)
class FitRecord:
    """A fitted model as ``(m, ...)`` arrays (``m = 1`` for a single fit), with its data and settings.

    ``stats`` holds what :func:`~ldn_atlas.stats.fitting.inference.inference` computed (and
    ``r2``); ``yi``, ``vi``, ``X`` and ``user_weights`` are the data as given (NaN where
    missing), ``valid`` marks the studies used, ``messages`` the notes per analysis.
    """

    stats: dict[str, Any]
    tau2: FloatArray
    se_tau2: FloatArray
    converged: np.ndarray
    iterations: np.ndarray
    messages: dict[int, list[str]]
    batch: Batch
    yi: FloatArray
    vi: FloatArray
    X: np.ndarray
    valid: np.ndarray
    user_weights: FloatArray | None
    batched: bool
    method: str
    test: str
    level: float
    alpha: float
    coef_names: list[str]
    control: Control
    equal_effects: bool
    slab: list[str] | None
    mods_given: bool


def fit_rma(
    yi: Any,
    vi: Any = None,
    *,
    method: str = "REML",
    test: str = "z",
    level: float = 95,
    mods: Any = None,
    weights: Any = None,
    control: Control | Mapping[str, Any] | None = None,
    slab: Sequence[str] | None = None,
) -> FitRecord:
    """Fit the model of :func:`ldn_atlas.stats.rma` (same arguments) and return it as a :class:`FitRecord`.

    Call it from ``rma()`` or a function like it: its warnings point at the line that called that function.
    """
    ctl = Control.from_any(control)
    estimator = get_estimator(method)
    if slab is None and vi is None and hasattr(yi, "yi") and getattr(yi, "slab", None) is not None:
        slab = yi.slab
    if test not in TESTS:
        raise ValueError(f"test: must be one of {', '.join(TESTS)}; got {test!r}")
    alpha = alpha_of_level(level)
    data = prepare_data(yi, vi, mods, weights)
    valid, messages = mark_missing(data)
    data = drop_redundant(data, valid, messages)
    k = check_values(data, valid, estimator, method)
    batch, X, wu = build_batch(data, valid, k)

    est = _estimate_tau2(estimator, batch, ctl, messages)
    stats = inference(batch, est.tau2, test=test, alpha=alpha, equal_effects=estimator.equal_effects,
                      user_weights=wu)
    _note_knha_in_equal_effects(estimator, method, test, batch.m, messages)
    if data.p > 1:
        stats["r2"] = pseudo_r2(batch, est.tau2, estimator, ctl, user_weights=wu)
    else:
        stats["r2"] = np.full(batch.m, np.nan)
    _warn_convergence(est, method, batch.m, messages)

    return FitRecord(
        stats=stats,
        tau2=est.tau2,
        se_tau2=est.se_tau2,
        converged=est.converged,
        iterations=est.iterations,
        messages=messages,
        batch=batch,
        yi=data.y,
        vi=data.v,
        X=X,
        valid=valid,
        user_weights=data.weights,
        batched=data.batched,
        method=method,
        test=test,
        level=float(level),
        alpha=alpha,
        coef_names=data.names,
        control=ctl,
        equal_effects=estimator.equal_effects,
        slab=None if slab is None else [str(s) for s in slab],
        mods_given=mods is not None,
    )


def _estimate_tau2(estimator: Estimator, batch: Batch, ctl: Control, messages: dict[int, list[str]]) -> Tau2Estimate:
    """The estimator's tau^2 for every analysis; its notes are added to ``messages``."""
    est = estimator.estimate(batch, ctl)
    for row_i, msgs in est.messages.items():
        messages.setdefault(row_i, []).extend(msgs)
    return est


def _note_knha_in_equal_effects(
    estimator: Estimator, method: str, test: str, m: int, messages: dict[int, list[str]]
) -> None:
    """metafor's warning that Knapp-Hartung is not meant for equal-effects models (noted for every analysis)."""
    if estimator.equal_effects and test == "knha":
        msg = f"Knapp & Hartung method is not meant to be used in the context of {method} models."
        warnings.warn(msg, StatisticalWarning, stacklevel=WARN_STACKLEVEL)
        for row_i in range(m):
            messages.setdefault(row_i, []).append(msg)


def _warn_convergence(est: Tau2Estimate, method: str, m: int, messages: dict[int, list[str]]) -> None:
    """Warn about fits that did not converge, and repeat the estimator's notes of a local maximum."""
    if not est.converged.all():
        n_bad = int((~est.converged).sum())
        warnings.warn(f"{method}: {n_bad} of {m} fits did not converge (see .converged)",
                      ConvergenceWarning, stacklevel=WARN_STACKLEVEL)
    for msgs in messages.values():
        for text in msgs:
            if "local maximum" in text:
                warnings.warn(text, StatisticalWarning, stacklevel=WARN_STACKLEVEL)
