"""Pooling the trials of a comparative synthesis: a random-effects meta-analysis of their SMDs when two or
more can be pooled (with its sensitivity analyses), else a single-study estimate or a narrative synthesis."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np

from ldn_atlas.appraise.grade import Effect, StudyEffect
from ldn_atlas.appraise.synthesis.crossover import MIXED_DESIGNS_NOTE, crossover_sensitivity
from ldn_atlas.appraise.synthesis.fit import Z95, pool, regtest_p
from ldn_atlas.appraise.synthesis.results import (
    ContinuousEffect,
    Exclusion,
    SensitivityRow,
    StudyRow,
    SynthesisKind,
)
from ldn_atlas.appraise.synthesis.trials import TrialRow
from ldn_atlas.model.evidence import Study


@dataclass
class PooledTrials:
    """What pooling made of the trials: the kind of synthesis, the rows and studies it rests on, the
    estimate (``None`` when nothing is pooled), the trials left out, notes and sensitivity analyses."""

    kind: SynthesisKind
    k: int
    rows: list[StudyRow]
    studies: list[Study]
    study_effects: list[StudyEffect]
    measure: str = "SMD"
    effect: Effect | None = None
    estimate: float | None = None
    ci_lb: float | None = None
    ci_ub: float | None = None
    pi_lb: float | None = None
    pi_ub: float | None = None
    pval: float | None = None
    tau2: float | None = None
    i2: float | None = None
    excluded: list[Exclusion] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sensitivity: list[SensitivityRow] = field(default_factory=list)

    @property
    def participants(self) -> int | None:
        return sum((r.n or 0) for r in self.rows) or None


def pool_trials(
    trials: Sequence[TrialRow], better: Literal["lower", "higher"], r: float, r_sweep: Sequence[float]
) -> PooledTrials:
    """Pool the trials that have an SMD: a meta-analysis from two, one study's SMD, or a narrative synthesis."""
    used = [t.used for t in trials if t.used is not None]
    if len(used) >= 2:
        return meta_analysis(trials, used, better, r, r_sweep)
    kind: SynthesisKind = "single-study" if len(trials) == 1 else "narrative"
    pooled = PooledTrials(
        kind, len(used), [t.row for t in trials], [t.study for t in trials], [t.effect for t in trials]
    )
    if used:
        _one_poolable(pooled, used[0], better)
    else:
        _none_poolable(pooled, better)
    return pooled


def meta_analysis(
    trials: Sequence[TrialRow],
    used: list[ContinuousEffect],
    better: Literal["lower", "higher"],
    r: float,
    r_sweep: Sequence[float],
) -> PooledTrials:
    """REML random-effects meta-analysis with Knapp-Hartung CI and prediction interval; trials without an
    SMD are excluded with their reason."""
    k = len(used)
    excluded = [_not_pooled(t.row) for t in trials if t.row.vi is None]
    kept = [t for t in trials if t.row.vi is not None]
    fit, pred = pool([u.yi for u in used], [u.vi for u in used])
    w = np.asarray(fit.weights, dtype=float)
    w = w / w.sum()
    wi = iter(w)
    rows = [
        replace(t.row, weight=float(next(wi)) * 100) if t.row.yi is not None and t.row.vi is not None else t.row
        for t in kept
    ]
    pooled = PooledTrials(
        "meta-analysis",
        k,
        rows,
        [t.study for t in kept],
        [t.effect for t in kept],
        excluded=excluded,
        estimate=float(fit.b),
        ci_lb=float(fit.ci_lb),
        ci_ub=float(fit.ci_ub),
        pi_lb=float(pred.pi_lb),
        pi_ub=float(pred.pi_ub),
        pval=float(fit.pval),
        tau2=float(fit.tau2),
        i2=float(fit.i2),
    )
    pooled.effect = Effect(
        "SMD",
        float(fit.b),
        float(fit.ci_lb),
        float(fit.ci_ub),
        better=better,
        pi_lb=pooled.pi_lb,
        pi_ub=pooled.pi_ub,
        i2=pooled.i2,
        tau2=pooled.tau2,
        k=k,
        regtest_p=regtest_p(fit, k),
    )
    pooled.sensitivity.extend(_model_sensitivity(fit, used, rows))
    if {"crossover RCT", "parallel RCT"} <= {row.design for row in rows}:
        pooled.notes.append(MIXED_DESIGNS_NOTE)
    if k == 2:
        pooled.notes.append(
            "k = 2: the Knapp-Hartung interval has 1 degree of freedom, so the CI and the "
            "prediction interval are very wide; heterogeneity cannot be estimated reliably."
        )
    if any(u.crossover for u in used):
        pooled.sensitivity.extend(crossover_sensitivity(used, r, r_sweep))
    return pooled


def _not_pooled(row: StudyRow) -> Exclusion:
    return Exclusion(
        row.study,
        row.label,
        "randomized trial not pooled: "
        + "; ".join(a.removeprefix("not poolable: ") for a in row.assumptions)
        + (f" ({row.raw})" if row.raw else ""),
    )


def _model_sensitivity(fit: Any, used: list[ContinuousEffect], rows: list[StudyRow]) -> list[SensitivityRow]:
    """The common-effect model, and from three trials on, the estimate without each trial in turn."""
    fe, _ = pool([u.yi for u in used], [u.vi for u in used], method="EE", test="z")
    out = [SensitivityRow("common-effect model, z test", None, float(fe.b), float(fe.ci_lb), float(fe.ci_ub))]
    if len(used) >= 3:
        l1o = fit.leave1out()
        for idx, row in enumerate(rows):
            out.append(
                SensitivityRow(
                    f"without {row.label}",
                    None,
                    float(np.asarray(l1o.estimate)[idx]),
                    float(np.asarray(l1o.ci_lb)[idx]),
                    float(np.asarray(l1o.ci_ub)[idx]),
                )
            )
    return out


def _one_poolable(pooled: PooledTrials, u: ContinuousEffect, better: Literal["lower", "higher"]) -> None:
    """One trial with an SMD: its estimate when it is the only trial, else a narrative synthesis."""
    h = Z95 * math.sqrt(u.vi)
    if pooled.kind == "single-study":
        pooled.estimate, pooled.ci_lb, pooled.ci_ub = u.yi, u.yi - h, u.yi + h
        pooled.effect = Effect("SMD", u.yi, u.yi - h, u.yi + h, better=better, k=1)
    else:
        pooled.notes.append(
            "Only one of the trials gives numbers that can be pooled; the others are described "
            "narratively. No pooled estimate."
        )


def _none_poolable(pooled: PooledTrials, better: Literal["lower", "higher"]) -> None:
    """No trial with an SMD: narrative, or one trial's reported mean difference."""
    pooled.measure = "narrative"
    with_ci = [r for r in pooled.rows if r.ci_lb is not None and r.ci_ub is not None and r.yi is not None]
    if len(pooled.studies) > 1:
        pooled.notes.append(
            "No trial reports arm-level means with dispersions for this outcome, so nothing can be "
            "pooled: narrative synthesis. Numbers are not imputed."
        )
    if pooled.kind == "single-study" and with_ci:
        r0 = with_ci[0]
        pooled.measure = "MD"
        assert r0.yi is not None and r0.ci_lb is not None and r0.ci_ub is not None
        pooled.estimate, pooled.ci_lb, pooled.ci_ub = r0.yi, r0.ci_lb, r0.ci_ub
        pooled.effect = Effect("MD", r0.yi, r0.ci_lb, r0.ci_ub, better=better, k=1)
