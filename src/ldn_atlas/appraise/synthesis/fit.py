"""Fitting the pooling models: random effects (REML, Knapp-Hartung, prediction interval), Egger's test
when there are enough studies, and the Mantel-Haenszel common effect of risk ratios."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from ldn_atlas.appraise.synthesis.results import SensitivityRow

#: 1.96: the normal quantile of a 95% Wald interval.
Z95 = 1.959963984540054


def pool(yi: Sequence[float], vi: Sequence[float], *, method: str = "REML", test: str = "knha") -> tuple[Any, Any]:
    """The fit of a random-effects (or, with ``method="EE"``, common-effect) model and its prediction."""
    from ldn_atlas.stats import rma

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = rma(np.asarray(yi, float), np.asarray(vi, float), method=method, test=test)
    return fit, fit.predict()


def regtest_p(fit: Any, k: int) -> float | None:
    """The p-value of Egger's regression test for small-study effects, from 10 studies on."""
    if k < 10:
        return None
    try:
        return float(fit.regtest().pval)
    except Exception:  # pragma: no cover - regtest is optional for the appraisal
        return None


def mh_sensitivity(ai: list[int], n1: list[int], ci: list[int], n2: list[int]) -> tuple[SensitivityRow, ...]:
    """The Mantel-Haenszel common-effect risk ratio of 2x2 counts, as a sensitivity row."""
    from ldn_atlas.stats import rma_mh

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mh = rma_mh(measure="RR", ai=ai, n1i=n1, ci=ci, n2i=n2)
    b, lo, hi = (float(np.asarray(x).ravel()[0]) for x in (mh.b, mh.ci_lb, mh.ci_ub))
    return (SensitivityRow("Mantel-Haenszel common effect (RR)", None, math.exp(b), math.exp(lo), math.exp(hi)),)
