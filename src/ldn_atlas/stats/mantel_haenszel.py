"""Pooled methods for 2x2 tables and person-time data: Mantel-Haenszel and Peto (metafor 3.8).

:func:`rma_mh` pools log odds ratios, log risk ratios, risk differences, log incidence rate
ratios or incidence rate differences with the Mantel-Haenszel method; :func:`rma_peto` pools
log odds ratios with Peto's one-step method. Both reproduce metafor 3.8-1's ``rma.mh`` and
``rma.peto``:

* ``add``, ``to`` and ``drop00`` are pairs: element 1 is passed to :func:`~ldn_atlas.stats.escalc`
  for the per-study ``yi``/``vi`` (used only for the heterogeneity statistics ``QE``, ``I2``,
  ``H2``; defaults 1/2 added to tables with a zero, double-zero tables dropped), element 2
  adjusts the tables for the pooled estimate (default: no adjustment, double-zero tables kept).
* Variances: Robins, Breslow & Greenland (1986) for the MH log odds ratio; Greenland & Robins
  (1985) for the log risk ratio; Sato, Greenland & Robins (1989) for the risk difference;
  Rothman, Greenland & Lash (2008, ch. 15) for the rate measures.
* Tests: the Cochran-Mantel-Haenszel test (``MH``, denominator ``N - 1``, and Cochran's
  version ``CO`` with ``N``, continuity corrected when ``correct=True``), the Breslow-Day
  test (``BD``) and Tarone's corrected version (``TA``) for odds ratios; the MH test for
  incidence rate ratios.

References
----------
.. [1] Mantel, N., & Haenszel, W. (1959). Statistical aspects of the analysis of data from
   retrospective studies of disease. Journal of the National Cancer Institute, 22(4), 719-748.
.. [2] Robins, J., Breslow, N., & Greenland, S. (1986). Estimators of the Mantel-Haenszel
   variance consistent in both sparse data and large-strata limiting models. Biometrics,
   42(2), 311-323.
.. [3] Greenland, S., & Robins, J. M. (1985). Estimation of a common effect parameter from
   sparse follow-up data. Biometrics, 41(1), 55-68.
.. [4] Sato, T., Greenland, S., & Robins, J. M. (1989). On the variance estimator for the
   Mantel-Haenszel risk difference. Biometrics, 45(4), 1323-1324.
.. [5] Breslow, N. E., & Day, N. E. (1980). Statistical methods in cancer research. Vol. I:
   The analysis of case-control studies. Lyon: IARC.
.. [6] Tarone, R. E. (1985). On heterogeneity tests based on efficient scores. Biometrika,
   72(1), 91-95.
.. [7] Yusuf, S., Peto, R., Lewis, J., Collins, R., & Sleight, P. (1985). Beta blockade during
   and after myocardial infarction: An overview of the randomized trials. Progress in
   Cardiovascular Diseases, 27(5), 335-371.
.. [8] Rothman, K. J., Greenland, S., & Lash, T. L. (2008). Modern epidemiology (3rd ed.).
   Philadelphia: Lippincott Williams & Wilkins.
.. [9] Viechtbauer, W. (2010). Conducting meta-analyses in R with the metafor package.
   Journal of Statistical Software, 36(3), 1-48.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from ldn_atlas.errors import DataWarning
from ldn_atlas.stats.effect_sizes.compute import escalc
from ldn_atlas.stats.effect_sizes.corrections import add_to as _add_to
from ldn_atlas.stats.effect_sizes.inputs import columns as _columns
from ldn_atlas.stats.effect_sizes.inputs import gather as _gather
from ldn_atlas.stats.results import Prediction

__all__ = ["MHResult", "rma_mh", "rma_peto"]

FloatArray = NDArray[np.float64]
_MH_MEASURES = ("OR", "RR", "RD", "IRR", "IRD")
_TO_VALUES = ("all", "only0", "if0all", "none")
_LOG_SCALE = frozenset({"OR", "RR", "IRR", "PETO"})


# --------------------------------------------------------------------------------------------
# result types
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# shared plumbing
# --------------------------------------------------------------------------------------------


def _pair(name: str, value: Any, second: Any) -> tuple[Any, Any]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence | np.ndarray):
        return value, second
    items = list(value)
    if len(items) == 1:
        return items[0], second
    if len(items) != 2:
        raise ValueError(f"'{name}' must be one value or two (for escalc and for the pooled estimate)")
    return items[0], items[1]


def _settings(
    add: Any, to: Any, drop00: Any
) -> tuple[tuple[float, float], tuple[str, str], tuple[bool, bool]]:
    a1, a2 = _pair("add", add, 0.0)
    t1, t2 = _pair("to", to, "none")
    d1, d2 = _pair("drop00", drop00, False)
    for t in (t1, t2):
        if t not in _TO_VALUES:
            raise ValueError(f"unknown 'to' {t!r}; use one of {', '.join(_TO_VALUES)}")
    adds = (float(a1), float(a2))
    if any(not math.isfinite(a) or a < 0 for a in adds):
        raise ValueError(f"'add' must be non-negative numbers, got {add!r}")
    return adds, (str(t1), str(t2)), (bool(d1), bool(d2))


def _crit(level: float) -> float:
    if not 0 < level < 100:
        raise ValueError(f"level must be between 0 and 100 (percent), got {level!r}")
    return float(stats.norm.isf((1 - level / 100) / 2))


def _labels(slab: Sequence[Any] | None, k: int, fn: str) -> tuple[str, ...]:
    if slab is None:
        return tuple(f"Study {i + 1}" for i in range(k))
    labels = tuple(str(s) for s in (slab.tolist() if hasattr(slab, "tolist") else slab))
    if len(labels) != k:
        raise ValueError(f"{fn}: 'slab' has {len(labels)} labels for {k} studies")
    return labels


def _tables(fn: str, ai: Any, bi: Any, ci: Any, di: Any, n1i: Any,
            n2i: Any) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    arrays, _k = _gather(fn, {"ai": ai, "bi": bi, "ci": ci, "di": di, "n1i": n1i, "n2i": n2i})
    for name in ("ai", "ci"):
        if name not in arrays:
            raise ValueError(f"{fn} needs ai, bi, ci, di (or ai, ci, n1i, n2i); missing: {name}")
    if "bi" not in arrays and "n1i" not in arrays:
        raise ValueError(f"{fn} needs bi or n1i; neither given")
    if "di" not in arrays and "n2i" not in arrays:
        raise ValueError(f"{fn} needs di or n2i; neither given")
    a, c = arrays["ai"], arrays["ci"]
    b = arrays["bi"] if "bi" in arrays else arrays["n1i"] - a
    d = arrays["di"] if "di" in arrays else arrays["n2i"] - c
    return a, b, c, d


def _heterogeneity(yi: FloatArray, vi: FloatArray, b: float) -> tuple[float, float, float, float, int]:
    ok = ~(np.isnan(yi) | np.isnan(vi))
    y, v = yi[ok], vi[ok]
    k_yi = int(ok.sum())
    if k_yi <= 1:
        return 0.0, 1.0, 0.0, 1.0, k_yi
    qe = float(np.sum((y - b) ** 2 / v))
    if math.isnan(qe):
        return math.nan, math.nan, math.nan, math.nan, k_yi
    qe = max(0.0, qe)
    return qe, float(stats.chi2.sf(qe, k_yi - 1)), _i2(qe, k_yi), qe / (k_yi - 1), k_yi


def _i2(qe: float, k_yi: int) -> float:
    if qe == 0:
        return 0.0
    return max(0.0, 100 * (qe - (k_yi - 1)) / qe)


def _s(x: Any) -> np.float64:
    """A sum as a numpy scalar: division by zero then gives Inf/NaN (as in R), not an exception."""
    return np.float64(np.sum(x))


def _log(x: float) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.log(np.float64(x)))


def _sqrt(x: float) -> float:
    """``sqrt`` that gives NaN for negative (rounding) arguments, as R does."""
    return math.sqrt(x) if x >= 0 else math.nan  # NaN fails the test too


def _wald(b: float, se: float, crit: float) -> tuple[float, float, float, float]:
    if math.isnan(b) or math.isnan(se):
        return math.nan, math.nan, math.nan, math.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        z = float(np.float64(b) / np.float64(se))  # se = 0: +-Inf or NaN, as in R
    return z, float(2 * stats.norm.sf(abs(z))), b - crit * se, b + crit * se


def _drop_na(fn: str, cells: list[FloatArray]) -> tuple[list[FloatArray], NDArray[np.bool_]]:
    has_na = np.zeros(cells[0].shape, dtype=bool)
    for c in cells:
        has_na |= np.isnan(c)
    if has_na.any():
        warnings.warn(f"{fn}: tables with NAs omitted from model fitting", DataWarning, stacklevel=3)
    keep = ~has_na
    if not keep.any():
        raise ValueError(f"{fn}: no complete tables left (k = 0)")
    return [c[keep] for c in cells], keep


def _warn_yi_na(fn: str, yi: FloatArray, vi: FloatArray) -> None:
    if np.any(np.isnan(yi) | np.isnan(vi)):
        warnings.warn(f"{fn}: some per-study yi/vi values are NA (excluded from the heterogeneity test)",
                      DataWarning, stacklevel=3)


# --------------------------------------------------------------------------------------------
# rma_mh
# --------------------------------------------------------------------------------------------


def rma_mh(
    measure: str = "OR",
    *,
    ai: ArrayLike | None = None,
    bi: ArrayLike | None = None,
    ci: ArrayLike | None = None,
    di: ArrayLike | None = None,
    n1i: ArrayLike | None = None,
    n2i: ArrayLike | None = None,
    x1i: ArrayLike | None = None,
    x2i: ArrayLike | None = None,
    t1i: ArrayLike | None = None,
    t2i: ArrayLike | None = None,
    add: float | Sequence[float] = (0.5, 0.0),
    to: str | Sequence[str] = ("only0", "none"),
    drop00: bool | Sequence[bool] = (True, False),
    correct: bool = True,
    level: float = 95.0,
    slab: Sequence[Any] | str | None = None,
    data: Any = None,
) -> MHResult:
    """Mantel-Haenszel equal-effects meta-analysis (metafor 3.8 ``rma.mh``).

    Parameters
    ----------
    measure : {"OR", "RR", "RD", "IRR", "IRD"}
        Log odds ratio, log risk ratio, risk difference, log incidence rate ratio or
        incidence rate difference.
    ai, bi, ci, di, n1i, n2i : array_like, optional
        2x2 tables (``OR``, ``RR``, ``RD``): events/non-events per group, or ``n1i``/``n2i``
        instead of ``bi``/``di``.
    x1i, x2i, t1i, t2i : array_like, optional
        Events and person-time per group (``IRR``, ``IRD``).
    add, to, drop00 : pair
        First element for the per-study ``yi``/``vi`` (heterogeneity only), second for the
        tables of the pooled estimate. A single value sets the first element (the second
        keeps its default 0 / ``"none"`` / ``False``), as in metafor.
    correct : bool
        Continuity correction of the CMH / MH test.
    level : float
        Confidence level in percent.
    slab : sequence, optional
        Study labels.
    data : mapping or pandas.DataFrame, optional
        Lets data arguments and ``slab`` be column names (metafor's ``data=``).

    Returns
    -------
    MHResult

    Raises
    ------
    ValueError
        Unknown measure or ``to``; missing or mismatched inputs; no complete table.

    References
    ----------
    .. [1] Mantel, N., & Haenszel, W. (1959). Journal of the National Cancer Institute, 22(4),
       719-748.
    .. [2] Robins, J., Breslow, N., & Greenland, S. (1986). Biometrics, 42(2), 311-323.
    .. [3] Sato, T., Greenland, S., & Robins, J. M. (1989). Biometrics, 45(4), 1323-1324.
    .. [4] Breslow, N. E., & Day, N. E. (1980). Statistical methods in cancer research, Vol. I.
    .. [5] Tarone, R. E. (1985). Biometrika, 72(1), 91-95.

    Examples
    --------
    >>> fit = rma_mh("OR", ai=[4, 6, 3], n1i=[123, 306, 231], ci=[11, 29, 11], n2i=[139, 303, 220])
    >>> round(float(fit.b), 4), fit.k
    (-1.4135, 3)
    """
    fn = "rma_mh"
    if not isinstance(measure, str) or measure.upper() not in _MH_MEASURES:
        raise ValueError(f"{fn}: measure must be one of {', '.join(_MH_MEASURES)}, got {measure!r}")
    measure = measure.upper()
    adds, tos, drops = _settings(add, to, drop00)
    crit = _crit(level)
    cols = _columns(fn, {"ai": ai, "bi": bi, "ci": ci, "di": di, "n1i": n1i, "n2i": n2i, "x1i": x1i,
                         "x2i": x2i, "t1i": t1i, "t2i": t2i, "slab": slab}, data)
    ai, bi, ci, di, n1i, n2i = (cols[n] for n in ("ai", "bi", "ci", "di", "n1i", "n2i"))
    x1i, x2i, t1i, t2i, slab = (cols[n] for n in ("x1i", "x2i", "t1i", "t2i", "slab"))

    if measure in ("OR", "RR", "RD"):
        for name, v in (("x1i", x1i), ("x2i", x2i), ("t1i", t1i), ("t2i", t2i)):
            if v is not None:
                raise ValueError(f"{fn}: '{name}' is for IRR/IRD; measure {measure} uses ai, bi, ci, di")
        a, b, c, d = _tables(fn, ai, bi, ci, di, n1i, n2i)
        k_all = a.size
        es = escalc(measure, ai=a, bi=b, ci=c, di=d, add=adds[0], to=tos[0], drop00=drops[0])
        if drops[1]:
            id00 = ((a == 0) & (c == 0)) | ((b == 0) & (d == 0))
            a, b, c, d = (np.where(id00, np.nan, x) for x in (a, b, c, d))
        (a, b, c, d), keep = _drop_na(fn, [a, b, c, d])
        _warn_yi_na(fn, es.yi, es.vi)
        a, b, c, d = _add_to([a, b, c, d], adds[1], tos[1])
        result = _mh_2x2(measure, a, b, c, d, correct=correct, crit=crit)
    else:
        for name, v in (("ai", ai), ("bi", bi), ("ci", ci), ("di", di), ("n1i", n1i), ("n2i", n2i)):
            if v is not None:
                raise ValueError(
                    f"{fn}: '{name}' is for 2x2 tables; measure {measure} uses x1i, x2i, t1i, t2i"
                )
        arrays, _k = _gather(fn, {"x1i": x1i, "x2i": x2i, "t1i": t1i, "t2i": t2i})
        missing = [n for n in ("x1i", "x2i", "t1i", "t2i") if n not in arrays]
        if missing:
            raise ValueError(
                f"{fn}(measure={measure!r}) needs x1i, x2i, t1i, t2i; missing: {', '.join(missing)}"
            )
        x1, x2, t1, t2 = (arrays[n] for n in ("x1i", "x2i", "t1i", "t2i"))
        k_all = x1.size
        es = escalc(measure, x1i=x1, x2i=x2, t1i=t1, t2i=t2, add=adds[0], to=tos[0], drop00=drops[0])
        if drops[1]:
            id00 = (x1 == 0) & (x2 == 0)
            x1, x2 = (np.where(id00, np.nan, x) for x in (x1, x2))
        (x1, x2, t1, t2), keep = _drop_na(fn, [x1, x2, t1, t2])
        _warn_yi_na(fn, es.yi, es.vi)
        x1, x2 = _add_to([x1, x2], adds[1], tos[1])
        result = _mh_rates(measure, x1, x2, t1, t2, correct=correct, crit=crit)

    est, se, zval, pval, lb, ub, extra, w = result
    qe, qep, i2, h2, k_yi = _heterogeneity(es.yi, es.vi, est)
    weights_raw = np.full(k_all, np.nan)
    weights_raw[keep] = w
    return MHResult(
        method="MH", measure=measure, b=est, se=se, zval=zval, pval=pval, ci_lb=lb, ci_ub=ub,
        qe=qe, qep=qep, i2=i2, h2=h2, k=int(keep.sum()), k_yi=k_yi, k_all=k_all, level=float(level),
        yi=es.yi, vi=es.vi, weights_raw=weights_raw, slab=_labels(slab, k_all, fn), correct=bool(correct),
        add=adds, to=tos, drop00=drops, **extra,
    )


_Fit = tuple[float, float, float, float, float, float, dict[str, Any], FloatArray]


def _mh_2x2(measure: str, ai: FloatArray, bi: FloatArray, ci: FloatArray, di: FloatArray, *,
            correct: bool, crit: float) -> _Fit:
    n1 = ai + bi
    n2 = ci + di
    N = n1 + n2
    extra: dict[str, Any] = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "OR":
            P = ai / N + di / N
            Q = bi / N + ci / N
            Ri = (ai / N) * di
            Si = (bi / N) * ci
            R = _s(Ri)
            S = _s(Si)
            if R == 0 or S == 0:
                est = se = math.nan
                psi = math.nan
            else:
                psi = R / S
                est = _log(psi)
                se = _sqrt(0.5 * (_s(P * Ri) / R**2 + _s(P * Si + Q * Ri) / (R * S)
                                      + _s(Q * Si) / S**2))
            xt = ai + ci
            yt = bi + di
            cc = 0.5 if correct else 0.0
            if _s(xt) == 0 or _s(yt) == 0:
                extra.update(mh=None, mhp=None, co=None, cop=None)
            else:
                num = (abs(_s(ai - (n1 / N) * xt)) - cc) ** 2
                co = num / _s(n1 / N * (n2 / N) * (xt * (yt / N)))
                mh = num / _s(n1 / N * (n2 / N) * (xt * (yt / (N - 1))))
                extra.update(co=co, cop=float(stats.chi2.sf(co, 1)), mh=mh, mhp=float(stats.chi2.sf(mh, 1)))
            extra.update(_breslow_day(ai, n1, n2, N, xt, yt, psi))
            w = (bi / N) * ci
        elif measure == "RR":
            R = _s(ai * (n2 / N))
            S = _s(ci * (n1 / N))
            if _s(ai) == 0 or _s(ci) == 0:
                est = se = math.nan
            else:
                est = _log(R / S)
                se = _sqrt(_s(n1 / N * (n2 / N) * (ai + ci) - (ai / N) * ci) / (R * S))
            w = (ci / N) * n1
        else:  # RD
            den = _s(n1 * (n2 / N))
            est = _s(ai * (n2 / N) - ci * (n1 / N)) / den
            var = (est * _s(ci * (n1 / N) ** 2 - ai * (n2 / N) ** 2 + (n1 / N) * (n2 / N) * (n2 - n1) / 2)
                   + _s(ai * (n2 - ci) / N + ci * (n1 - ai) / N) / 2) / den**2
            se = _sqrt(var)
            w = (n1 / N) * n2
    zval, pval, lb, ub = _wald(est, se, crit)
    return est, se, zval, pval, lb, ub, extra, np.asarray(w, dtype=float)


def _breslow_day(ai: FloatArray, n1: FloatArray, n2: FloatArray, N: FloatArray, xt: FloatArray,
                 yt: FloatArray, psi: float) -> dict[str, Any]:
    """Breslow-Day test and Tarone's correction at the MH common odds ratio ``psi``."""
    if math.isnan(psi):
        return {"bd": None, "bdp": None, "ta": None, "tap": None, "k_pos": 0}
    with np.errstate(divide="ignore", invalid="ignore"):
        if psi == 1:
            n11 = (n1 / N) * xt
        else:
            A = psi * (n1 + xt) + (n2 - xt)
            B = np.sqrt(A**2 - 4 * n1 * xt * psi * (psi - 1))
            n11 = (A - B) / (2 * (psi - 1))
        pos = (n11 > 0) & (xt > 0) & (yt > 0)
        k_pos = int(pos.sum())
        e11 = n11[pos]
        e12 = n1[pos] - e11
        e21 = xt[pos] - e11
        e22 = e11 - n1[pos] - xt[pos] + N[pos]
        v = 1 / (1 / e11 + 1 / e12 + 1 / e21 + 1 / e22)
        dev = ai[pos] - e11
        bd = max(0.0, _s(dev**2 / v))
        ta = max(0.0, bd - _s(dev) ** 2 / _s(v)) if k_pos else 0.0
    if k_pos > 1:
        return {"bd": bd, "bdp": float(stats.chi2.sf(bd, k_pos - 1)), "ta": ta,
                "tap": float(stats.chi2.sf(ta, k_pos - 1)), "k_pos": k_pos}
    return {"bd": bd, "bdp": None, "ta": ta, "tap": None, "k_pos": k_pos}


def _mh_rates(measure: str, x1: FloatArray, x2: FloatArray, t1: FloatArray, t2: FloatArray, *,
              correct: bool, crit: float) -> _Fit:
    T = t1 + t2
    extra: dict[str, Any] = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "IRR":
            R = _s(x1 * (t2 / T))
            S = _s(x2 * (t1 / T))
            if _s(x1) == 0 or _s(x2) == 0:
                est = se = math.nan
            else:
                est = _log(R / S)
                se = _sqrt(_s(t1 / T * (t2 / T) * (x1 + x2)) / (R * S))
            xt = x1 + x2
            if _s(xt) == 0:
                extra.update(mh=None, mhp=None)
            else:
                cc = 0.5 if correct else 0.0
                mh = (abs(_s(x1 - xt * (t1 / T))) - cc) ** 2 / _s(xt * (t1 / T) * (t2 / T))
                extra.update(mh=mh, mhp=float(stats.chi2.sf(mh, 1)))
            w = (x2 / T) * t1
        else:  # IRD
            den = _s(t1 / T * t2)
            est = _s((x1 * t2 - x2 * t1) / T) / den
            se = _sqrt(_s((t1 / T * t2) ** 2 * (x1 / t1**2 + x2 / t2**2))) / den
            w = (t1 / T) * t2
    zval, pval, lb, ub = _wald(est, se, crit)
    return est, se, zval, pval, lb, ub, extra, np.asarray(w, dtype=float)


# --------------------------------------------------------------------------------------------
# rma_peto
# --------------------------------------------------------------------------------------------


def rma_peto(
    *,
    ai: ArrayLike | None = None,
    bi: ArrayLike | None = None,
    ci: ArrayLike | None = None,
    di: ArrayLike | None = None,
    n1i: ArrayLike | None = None,
    n2i: ArrayLike | None = None,
    add: float | Sequence[float] = (0.5, 0.0),
    to: str | Sequence[str] = ("only0", "none"),
    drop00: bool | Sequence[bool] = (True, False),
    level: float = 95.0,
    slab: Sequence[Any] | str | None = None,
    data: Any = None,
) -> MHResult:
    """Peto's one-step pooled log odds ratio (metafor 3.8 ``rma.peto``).

    ``b = sum(O - E) / sum(V)``, ``se = 1 / sqrt(sum(V))`` with ``O = ai``,
    ``E = (ai + ci) n1 / N`` and the hypergeometric variance
    ``V = (ai + ci)(bi + di) n1 n2 / (N^2 (N - 1))``. Heterogeneity is Peto's
    ``Q = sum((O - E)^2 / V) - sum(O - E)^2 / sum(V)`` on ``k_yi - 1`` df.

    Parameters
    ----------
    ai, bi, ci, di, n1i, n2i : array_like
        2x2 tables (``n1i``/``n2i`` may replace ``bi``/``di``).
    add, to, drop00 : pair
        As in :func:`rma_mh`: element 1 for the per-study Peto ``yi``/``vi``, element 2 for
        the tables of the pooled estimate.
    level : float
        Confidence level in percent.
    slab : sequence, optional
        Study labels.
    data : mapping or pandas.DataFrame, optional
        Lets data arguments and ``slab`` be column names (metafor's ``data=``).

    Returns
    -------
    MHResult
        With ``method="Peto"``, ``measure="PETO"``.

    Raises
    ------
    ValueError
        Missing or mismatched inputs, or one outcome never occurring in any table (Peto's
        method is then undefined).

    References
    ----------
    .. [1] Yusuf, S., Peto, R., Lewis, J., Collins, R., & Sleight, P. (1985). Beta blockade
       during and after myocardial infarction. Progress in Cardiovascular Diseases, 27(5),
       335-371.
    """
    fn = "rma_peto"
    adds, tos, drops = _settings(add, to, drop00)
    crit = _crit(level)
    cols = _columns(fn, {"ai": ai, "bi": bi, "ci": ci, "di": di, "n1i": n1i, "n2i": n2i, "slab": slab}, data)
    a, b, c, d = _tables(fn, cols["ai"], cols["bi"], cols["ci"], cols["di"], cols["n1i"], cols["n2i"])
    slab = cols["slab"]
    k_all = a.size
    es = escalc("PETO", ai=a, bi=b, ci=c, di=d, add=adds[0], to=tos[0], drop00=drops[0])
    if drops[1]:
        id00 = ((a == 0) & (c == 0)) | ((b == 0) & (d == 0))
        a, b, c, d = (np.where(id00, np.nan, x) for x in (a, b, c, d))
    (a, b, c, d), keep = _drop_na(fn, [a, b, c, d])
    _warn_yi_na(fn, es.yi, es.vi)
    k_yi = int(np.sum(~(np.isnan(es.yi) | np.isnan(es.vi))))
    a, b, c, d = _add_to([a, b, c, d], adds[1], tos[1])
    n1 = a + b
    n2 = c + d
    N = n1 + n2
    xt = a + c
    yt = b + d
    with np.errstate(divide="ignore", invalid="ignore"):
        E = xt * n1 / N
        V = xt * yt * (n1 / N) * (n2 / N) / (N - 1)
    sum_v = float(np.nansum(V))
    if sum_v == 0:
        raise ValueError(
            f"{fn}: one of the two outcomes never occurred in any table; Peto's method cannot be used"
        )
    est = float(np.sum(a - E)) / sum_v
    se = _sqrt(1 / sum_v)
    zval, pval, lb, ub = _wald(est, se, crit)
    k_pos = int(np.sum(V > 0))
    Vn = np.where(V == 0, np.nan, V)
    qe = max(0.0, float(np.nansum((a - E) ** 2 / Vn)) - float(np.sum(a - E)) ** 2 / float(np.nansum(Vn)))
    if k_pos > 1:
        qep = float(stats.chi2.sf(qe, k_yi - 1)) if k_yi > 1 else math.nan
        i2 = _i2(qe, k_yi)
        h2 = qe / (k_yi - 1) if k_yi > 1 else math.nan
    else:
        qep, i2, h2 = 1.0, 0.0, 1.0
    weights_raw = np.full(k_all, np.nan)
    weights_raw[keep] = V
    return MHResult(
        method="Peto", measure="PETO", b=est, se=se, zval=zval, pval=pval, ci_lb=lb, ci_ub=ub,
        qe=qe, qep=qep, i2=i2, h2=h2, k=int(keep.sum()), k_yi=k_yi, k_all=k_all, level=float(level),
        yi=es.yi, vi=es.vi, weights_raw=weights_raw, slab=_labels(slab, k_all, fn), k_pos=k_pos,
        add=adds, to=tos, drop00=drops,
    )
