"""Risk ratios of counted outcomes (responders, adverse events per arm): one row per trial from its 2x2
counts, and their random-effects pool on the log scale."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from scipy import stats as sps

from ldn_atlas.appraise.synthesis.fit import pool
from ldn_atlas.appraise.synthesis.reading import design_label
from ldn_atlas.appraise.synthesis.results import StudyRow


@dataclass(frozen=True)
class PooledRatio:
    """A random-effects pooled risk ratio (REML, Knapp-Hartung), back on the ratio scale, with the
    model's prediction (``prediction.pi_lb``, ``prediction.pi_ub``, on the log scale)."""

    estimate: float
    ci_lb: float
    ci_ub: float
    pval: float
    tau2: float
    i2: float
    prediction: Any


def pool_risk_ratios(es: Any) -> PooledRatio:
    """Pool the log risk ratios of ``escalc("RR", ...)`` and exponentiate the estimate and its intervals."""
    fit, pred = pool(list(es.yi), list(es.vi))
    return PooledRatio(
        math.exp(fit.b),
        math.exp(fit.ci_lb),
        math.exp(fit.ci_ub),
        float(fit.pval),
        float(fit.tau2),
        float(fit.i2),
        pred,
    )


def risk_ratio_rows(
    rows_in: Sequence[tuple[Any, ...]],
    ai: Sequence[int],
    n1: Sequence[int],
    ci: Sequence[int],
    n2: Sequence[int],
    *,
    raw: Callable[[tuple[Any, ...]], str],
    verification: Callable[[tuple[Any, ...]], str | None] = lambda x: None,
) -> tuple[Any, list[StudyRow]]:
    """Per-study risk ratios (LDN vs control) from 2x2 counts, as study rows on the ratio scale.

    Each row holds the risk ratio and its Wald 95% limits (exponentiated), and the
    sampling variance on the log scale, where pooling happens.  ``rows_in`` items
    start with the study; ``raw`` and ``verification`` describe each item.
    """
    from ldn_atlas.stats import escalc

    es = escalc("RR", ai=list(ai), n1i=list(n1), ci=list(ci), n2i=list(n2))
    z = float(sps.norm.ppf(0.975))
    rows: list[StudyRow] = []
    for idx, x in enumerate(rows_in):
        y, v = float(es.yi[idx]), float(es.vi[idx])
        h = z * math.sqrt(v)
        rows.append(
            StudyRow(
                x[0].id,
                x[0].label,
                design_label(x[0]),
                n1[idx] + n2[idx],
                math.exp(y),
                v,
                math.exp(y - h),
                math.exp(y + h),
                raw=raw(x),
                verification=verification(x),
            )
        )
    return es, rows
