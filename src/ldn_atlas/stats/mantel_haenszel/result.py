"""What :func:`~ldn_atlas.stats.rma_mh` and :func:`~ldn_atlas.stats.rma_peto` return: :class:`MHResult`."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from ldn_atlas.stats.results import Prediction

FloatArray = NDArray[np.float64]
_LOG_SCALE = frozenset({"OR", "RR", "IRR", "PETO"})


def _num(x: float | None) -> float | None:
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def _fmt(x: float | None, digits: int = 4) -> str:
    if x is None or math.isnan(x):
        return "NA"
    return f"{x:.{digits}f}"


def _fmt_p(p: float | None, digits: int = 4, *, eq: bool = False) -> str:
    if p is None or math.isnan(p):
        return "NA"
    if p < 10 ** (-digits):
        return "< ." + "0" * (digits - 1) + "1" if eq else "<." + "0" * (digits - 1) + "1"
    text = f"{p:.{digits}f}"
    return f"= {text}" if eq else text


@dataclass(frozen=True)
class MHResult:
    """A Mantel-Haenszel (``method="MH"``) or Peto (``method="Peto"``) fit.

    Attributes use metafor's output names in Python spelling. ``b`` is on the log scale for
    ``OR``, ``RR``, ``IRR`` and Peto, raw for ``RD`` and ``IRD``; ``NaN`` when not estimable
    (e.g. no events in one group across all tables). Test statistics that do not apply to the
    measure, or cannot be computed for the data, are ``None`` (metafor: NA).

    Attributes
    ----------
    b, se, zval, pval, ci_lb, ci_ub : float
        Pooled estimate, its standard error, z statistic, two-sided p-value, CI.
    qe, qep, i2, h2 : float
        Heterogeneity: Cochran's Q from the per-study ``yi``/``vi`` (MH) or Peto's Q, its
        p-value on ``k_yi - 1`` df, I^2 (percent) and H^2.
    k, k_yi, k_pos : int
        Tables used for the pooled estimate; studies with a per-study ``yi``; tables used by
        the Breslow-Day test (MH OR) or with a positive Peto variance (``None`` otherwise).
    mh, mhp, co, cop, bd, bdp, ta, tap : float or None
        CMH test (``N - 1`` denominator) and Cochran's version (``N``) with p-values (``OR``;
        ``mh`` also for ``IRR``), Breslow-Day and Tarone's test (``OR``).
    yi, vi : numpy.ndarray
        Per-study effect sizes and variances for all ``k_all`` input rows (``NaN`` where
        missing or dropped).
    slab : tuple of str
        Study labels (``Study i`` when none were given).
    """

    method: str
    measure: str
    b: float
    se: float
    zval: float
    pval: float
    ci_lb: float
    ci_ub: float
    qe: float
    qep: float
    i2: float
    h2: float
    k: int
    k_yi: int
    k_all: int
    level: float
    yi: FloatArray
    vi: FloatArray
    weights_raw: FloatArray
    slab: tuple[str, ...]
    k_pos: int | None = None
    mh: float | None = None
    mhp: float | None = None
    co: float | None = None
    cop: float | None = None
    bd: float | None = None
    bdp: float | None = None
    ta: float | None = None
    tap: float | None = None
    correct: bool | None = None
    add: tuple[float, float] = (0.5, 0.0)
    to: tuple[str, str] = ("only0", "none")
    drop00: tuple[bool, bool] = (True, False)

    # metafor names for the same values
    @property
    def beta(self) -> float:
        """Alias of :attr:`b`."""
        return self.b

    @property
    def estimate(self) -> float:
        """Alias of :attr:`b` (the oracle's name)."""
        return self.b

    @property
    def tau2(self) -> float:
        """0: an equal-effects model."""
        return 0.0

    @property
    def p(self) -> int:
        return 1

    @property
    def vb(self) -> float:
        """Variance of the estimate (``se**2``)."""
        return self.se**2

    def weights(self) -> FloatArray:
        """Weights in percent per input row (``NaN`` for tables not used; metafor ``weights``)."""
        w = self.weights_raw
        total = np.nansum(w)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.asarray(100 * w / total, dtype=float)

    def predict(
        self,
        transf: Callable[..., Any] | str | None = None,
        targs: Mapping[str, Any] | None = None,
        *,
        level: float | None = None,
    ) -> Prediction:
        """The pooled estimate with its CI, optionally back-transformed (e.g. ``transf.exp``).

        ``transf`` is called as ``transf(x)`` or, with ``targs``, ``transf(x, targs=targs)``;
        a metafor name such as ``"exp"`` is accepted too. As for equal-effects models in
        :mod:`ldn_atlas.stats.results`, ``pi_lb``/``pi_ub`` are NaN (no prediction interval),
        and ``se`` is NaN after a transformation (as in metafor).
        """
        from ldn_atlas.stats import transf as _transf

        lvl = self.level if level is None else float(level)
        crit = stats.norm.isf((1 - lvl / 100) / 2)
        pred, lb, ub = self.b, self.b - crit * self.se, self.b + crit * self.se
        f = _transf.resolve(transf)
        if f is None:
            return Prediction(pred=pred, se=self.se, ci_lb=lb, ci_ub=ub, pi_lb=math.nan, pi_ub=math.nan)

        def g(x: float) -> float:
            return float(np.asarray(f(x) if targs is None else f(x, targs=targs), dtype=float))

        pred, lb, ub = g(pred), g(lb), g(ub)
        lb, ub = min(lb, ub), max(lb, ub)
        return Prediction(pred=pred, se=math.nan, ci_lb=lb, ci_ub=ub, pi_lb=math.nan, pi_ub=math.nan)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict of every statistic (``None`` for NA)."""
        out: dict[str, Any] = {"method": self.method, "measure": self.measure, "level": self.level}
        for name in ("b", "se", "zval", "pval", "ci_lb", "ci_ub", "qe", "qep", "i2", "h2", "mh", "mhp",
                     "co", "cop", "bd", "bdp", "ta", "tap"):
            out[name] = _num(getattr(self, name))
        out.update(k=self.k, k_yi=self.k_yi, k_pos=self.k_pos, k_all=self.k_all, tau2=0.0,
                   correct=self.correct, add=list(self.add), to=list(self.to), drop00=list(self.drop00),
                   slab=list(self.slab),
                   yi=[_num(v) for v in self.yi], vi=[_num(v) for v in self.vi],
                   weights=[_num(v) for v in self.weights()])
        return out

    def summary(self, digits: int = 4) -> str:
        """Text laid out like metafor's ``print.rma.mh`` / ``print.rma.peto``."""
        d = digits
        title = f"Equal-Effects Model (k = {self.k})"
        lines = [title, ""]
        lines.append(f"I^2 (total heterogeneity / total variability):  {_fmt(self.i2, 2)}%")
        lines.append(f"H^2 (total variability / sampling variability): {_fmt(self.h2, 2)}")
        lines.append("")
        lines.append("Test for Heterogeneity:")
        df = max(self.k_yi - 1, 0)
        lines.append(f"Q(df = {df}) = {_fmt(self.qe, d)}, p-val {_fmt_p(self.qep, d, eq=True)}")
        lines.append("")
        header = f"{'estimate':>10}{'se':>10}{'zval':>10}{'pval':>10}{'ci.lb':>10}{'ci.ub':>10}"
        row = (f"{_fmt(self.b, d):>10}{_fmt(self.se, d):>10}{_fmt(self.zval, d):>10}"
               f"{_fmt_p(self.pval, d):>10}{_fmt(self.ci_lb, d):>10}{_fmt(self.ci_ub, d):>10}")
        if self.measure in _LOG_SCALE:
            scale = "OR" if self.measure == "PETO" else self.measure
            lines += ["Model Results (log scale):", "", header, row, ""]
            lines += [f"Model Results ({scale} scale):", "",
                      f"{'estimate':>10}{'ci.lb':>10}{'ci.ub':>10}",
                      f"{_fmt(math.exp(self.b), d):>10}{_fmt(math.exp(self.ci_lb), d):>10}"
                      f"{_fmt(math.exp(self.ci_ub), d):>10}"]
            if self.method == "MH" and self.measure == "OR":
                lines.append("")
                if self.mh is None:
                    lines.append("Cochran-Mantel-Haenszel Test:    test value not computable for these data")
                else:
                    lines.append(f"Cochran-Mantel-Haenszel Test:    CMH = {_fmt(self.mh, d)}, df = 1, "
                                 f"p-val {_fmt_p(self.mhp, d, eq=True)}")
                if self.ta is None:
                    lines.append("Tarone's Test for Heterogeneity: test value not computable for these data")
                else:
                    lines.append(f"Tarone's Test for Heterogeneity: X^2 = {_fmt(self.ta, d)}, "
                                 f"df = {(self.k_pos or 0) - 1}, p-val {_fmt_p(self.tap, d, eq=True)}")
            if self.method == "MH" and self.measure == "IRR":
                lines.append("")
                if self.mh is None:
                    lines.append("Mantel-Haenszel Test: test value not computable for these data")
                else:
                    lines.append(f"Mantel-Haenszel Test: MH = {_fmt(self.mh, d)}, df = 1, "
                                 f"p-val {_fmt_p(self.mhp, d, eq=True)}")
        else:
            lines += ["Model Results:", "", header, row]
        return "\n".join(lines) + "\n"

    def __str__(self) -> str:
        return self.summary()

    def forest(self, path: str | Path | None = None, **kwargs: Any) -> Any:
        """Forest plot of the per-study ``yi`` with the pooled diamond and the MH/Peto weights.

        Keyword arguments go to :func:`ldn_atlas.stats.plots.forest_plot` (``atransf``, ``digits``...).
        """
        from ldn_atlas.stats.plots import forest_plot

        kwargs.setdefault("mlab", "MH Model" if self.method == "MH" else "Peto Model")
        if self.measure in _LOG_SCALE:
            kwargs.setdefault("atransf", np.exp)
        return forest_plot(self.yi, self.vi, path, slab=list(self.slab), estimate=self.b,
                           ci_lb=self.ci_lb, ci_ub=self.ci_ub, weights=np.nan_to_num(self.weights_raw),
                           level=self.level, **kwargs)
