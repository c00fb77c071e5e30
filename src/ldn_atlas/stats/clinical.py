"""Clinical quantities beyond metafor: crossover/paired effects, NNT/NNH, responder proportions.

Three things the atlas needs that metafor does not provide directly:

* **Crossover and paired trials from summary data** (:func:`crossover`,
  :func:`correlation_sweep`): the within-person mean difference or standardized mean
  difference from the period means and SDs, with an assumed within-person correlation ``r``
  (Elbourne et al. 2002; Cochrane Handbook ch. 23), and a sensitivity sweep over ``r``.
  :func:`correlation_from_sd_diff`, :func:`sd_diff_from_t` and :func:`sd_diff_from_p` recover
  the information a paired analysis reports.
* **Number needed to treat** (:func:`nnt`, :func:`nnt_from_counts`, :func:`nnt_from_fit`):
  ``1 / RD`` labelled as benefit (NNTB) or harm (NNTH), with confidence limits that are the
  reciprocals of the risk difference's limits. When that interval includes 0 the NNT interval
  is the two-part set "NNTB a to infinity to NNTH b" (Altman 1998).
* **Responder proportions** (:func:`responder_proportion`, :func:`count_responders`): the share
  of participants improving by at least X %, with the exact Clopper-Pearson and the Wilson
  score intervals.

References
----------
.. [1] Elbourne, D. R., Altman, D. G., Higgins, J. P. T., Curtin, F., Worthington, H. V., &
   Vail, A. (2002). Meta-analyses involving cross-over trials: methodological issues.
   International Journal of Epidemiology, 31(1), 140-149. https://doi.org/10.1093/ije/31.1.140
.. [2] Higgins, J. P. T., Eldridge, S., & Li, T. (2019). Chapter 23: Including variants on
   randomized trials. In Cochrane Handbook for Systematic Reviews of Interventions (version 6).
   Cochrane. Section 23.2 (crossover trials).
.. [3] Altman, D. G. (1998). Confidence intervals for the number needed to treat. BMJ,
   317(7168), 1309-1312. https://doi.org/10.1136/bmj.317.7168.1309
.. [4] Clopper, C. J., & Pearson, E. S. (1934). The use of confidence or fiducial limits
   illustrated in the case of the binomial. Biometrika, 26(4), 404-413.
.. [5] Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
   inference. Journal of the American Statistical Association, 22(158), 209-212.
.. [6] Newcombe, R. G. (1998). Interval estimation for the difference between independent
   proportions: comparison of eleven methods. Statistics in Medicine, 17(8), 873-890.
.. [7] Becker, B. J. (1988). Synthesizing standardized mean-change measures. British Journal
   of Mathematical and Statistical Psychology, 41(2), 257-278.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "CorrelationSweep",
    "CrossoverEffect",
    "NNTResult",
    "ResponderProportion",
    "correlation_from_sd_diff",
    "correlation_sweep",
    "count_responders",
    "crossover",
    "nnt",
    "nnt_from_counts",
    "nnt_from_fit",
    "responder_proportion",
    "sd_diff_from_p",
    "sd_diff_from_t",
]

FloatArray = NDArray[np.float64]
Measure = Literal["MD", "SMD"]
SmdVariance = Literal["handbook", "becker"]


def _crit(level: float) -> float:
    if not 0 < level < 100:
        raise ValueError(f"level must be between 0 and 100 (percent), got {level!r}")
    return float(stats.norm.isf((1 - level / 100) / 2))


def _arr(name: str, value: ArrayLike) -> FloatArray:
    try:
        a = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"'{name}' must be numeric, got {value!r}") from None
    if a.ndim > 1:
        raise ValueError(f"'{name}' must be a number or one-dimensional, got shape {a.shape}")
    return a


def _plain(x: Any) -> Any:
    a = np.asarray(x, dtype=float)
    if a.ndim == 0:
        v = float(a)
        return None if math.isnan(v) else v
    return [None if math.isnan(v) else float(v) for v in a]


# --------------------------------------------------------------------------------------------
# crossover / paired designs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CrossoverEffect:
    """A within-person effect from a crossover (or paired) trial's summary data.

    Attributes
    ----------
    measure : {"MD", "SMD"}
    yi, vi, sei, ci_lb, ci_ub : float or numpy.ndarray
        Effect (treatment minus control), its variance, SE and Wald CI (scalars for scalar input).
    r : float or numpy.ndarray
        The within-person correlation used.
    sd_diff : float or numpy.ndarray
        SD of the within-person differences, ``sqrt(sd1^2 + sd2^2 - 2 r sd1 sd2)``.
    sd_standardizer : float or numpy.ndarray or None
        For SMD, the SD the difference is divided by (the mean of the two period SDs).
    n : float or numpy.ndarray
        Participants (each contributes to both periods).
    variance : str
        ``"paired"`` for MD; ``"handbook"`` or ``"becker"`` for SMD.
    level : float
    """

    measure: str
    yi: Any
    vi: Any
    sei: Any
    ci_lb: Any
    ci_ub: Any
    r: Any
    sd_diff: Any
    sd_standardizer: Any
    n: Any
    variance: str
    level: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (``None`` for NaN)."""
        out: dict[str, Any] = {"measure": self.measure, "variance": self.variance, "level": self.level}
        for name in ("yi", "vi", "sei", "ci_lb", "ci_ub", "r", "sd_diff", "sd_standardizer", "n"):
            value = getattr(self, name)
            out[name] = None if value is None else _plain(value)
        return out


def crossover(
    m1: ArrayLike,
    sd1: ArrayLike,
    m2: ArrayLike,
    sd2: ArrayLike,
    n: ArrayLike,
    r: ArrayLike,
    *,
    measure: Measure = "MD",
    variance: SmdVariance = "handbook",
    level: float = 95.0,
) -> CrossoverEffect:
    """Within-person MD or SMD of a crossover trial from the means and SDs of each period.

    A crossover trial reported like a parallel trial (mean and SD under each treatment) hides
    the within-person correlation ``r`` that a paired analysis uses. With an assumed ``r``
    (Elbourne et al. 2002; Cochrane Handbook section 23.2.7):

    * ``MD = m1 - m2``, ``SD_diff = sqrt(sd1^2 + sd2^2 - 2 r sd1 sd2)``,
      ``SE(MD) = SD_diff / sqrt(n)``;
    * ``SMD = MD / ((sd1 + sd2) / 2)`` and, with ``variance="handbook"``,
      ``SE(SMD) = sqrt(1/n + SMD^2 / (2n)) sqrt(2 (1 - r))`` (Handbook); with
      ``variance="becker"``, ``Var(SMD) = 2 (1 - r)/n + SMD^2 / (2n)`` (Becker 1988, the
      large-sample variance of a standardized mean change; metafor's ``SMCR`` form). The
      Handbook form is known to understate the variance when ``r`` and the SMD are large.

    ``r = 0`` reproduces the (wrong) analysis of a crossover trial as if it were parallel with
    ``n`` per group for the MD; sweep ``r`` with :func:`correlation_sweep` when it is unknown.

    Parameters
    ----------
    m1, sd1 : array_like
        Mean and SD under the experimental treatment (period data pooled over sequences).
    m2, sd2 : array_like
        Mean and SD under the control treatment.
    n : array_like
        Number of participants with both periods.
    r : array_like
        Within-person correlation between the two measurements, in [-1, 1].
    measure : {"MD", "SMD"}
    variance : {"handbook", "becker"}
        SMD variance formula (ignored for MD).
    level : float
        Confidence level in percent.

    Returns
    -------
    CrossoverEffect

    Raises
    ------
    ValueError
        Negative SDs, ``n < 2``, ``r`` outside [-1, 1], unknown ``measure``/``variance``, or
        inputs of different lengths.

    References
    ----------
    .. [1] Elbourne, D. R., et al. (2002). International Journal of Epidemiology, 31(1), 140-149.
    .. [2] Higgins, J. P. T., Eldridge, S., & Li, T. (2019). Cochrane Handbook, chapter 23.
    .. [3] Becker, B. J. (1988). British Journal of Mathematical and Statistical Psychology,
       41(2), 257-278.

    Examples
    --------
    The Cochrane Handbook's worked example (version 5.1, section 16.4.6.4):

    >>> md = crossover(7.0, 2.38, 6.5, 2.21, 10, 0.68)
    >>> round(md.yi, 3), round(md.sei, 3)
    (0.5, 0.583)
    >>> smd = crossover(7.0, 2.38, 6.5, 2.21, 10, 0.68, measure="SMD")
    >>> round(smd.yi, 3), round(smd.sei, 3)
    (0.218, 0.256)
    """
    names = ("m1", "sd1", "m2", "sd2", "n", "r")
    arrays = [_arr(nm, v) for nm, v in zip(names, (m1, sd1, m2, sd2, n, r), strict=True)]
    return _crossover(arrays, measure, variance, level)


def _crossover(arrays: list[FloatArray], measure: str, variance: str, level: float) -> CrossoverEffect:
    """:func:`crossover` on validated arrays of any (broadcastable) shape."""
    if measure not in ("MD", "SMD"):
        raise ValueError(f"crossover: measure must be 'MD' or 'SMD', got {measure!r}")
    if variance not in ("handbook", "becker"):
        raise ValueError(f"crossover: variance must be 'handbook' or 'becker', got {variance!r}")
    crit = _crit(level)
    names = ("m1", "sd1", "m2", "sd2", "n", "r")
    try:
        b_m1, b_sd1, b_m2, b_sd2, b_n, b_r = np.broadcast_arrays(*arrays)
    except ValueError:
        shapes = ", ".join(f"{nm}={a.shape}" for nm, a in zip(names, arrays, strict=True))
        raise ValueError(f"crossover: inputs differ in length ({shapes})") from None
    if np.any((b_sd1 < 0) | (b_sd2 < 0)):
        raise ValueError("crossover: standard deviations 'sd1'/'sd2' must be non-negative")
    if np.any(b_n < 2):
        raise ValueError("crossover: 'n' must be at least 2")
    if np.any(np.abs(b_r) > 1):
        raise ValueError("crossover: correlation 'r' must lie in [-1, 1]")
    md = b_m1 - b_m2
    with np.errstate(invalid="ignore", divide="ignore"):
        sd_diff = np.sqrt(np.maximum(b_sd1**2 + b_sd2**2 - 2 * b_r * b_sd1 * b_sd2, 0.0))
        if measure == "MD":
            yi = md
            vi = sd_diff**2 / b_n
            sdz: Any = None
            kind = "paired"
        else:
            sdz = (b_sd1 + b_sd2) / 2
            yi = md / sdz
            if variance == "handbook":
                vi = (1 / b_n + yi**2 / (2 * b_n)) * 2 * (1 - b_r)
            else:
                vi = 2 * (1 - b_r) / b_n + yi**2 / (2 * b_n)
            kind = variance
        sei = np.sqrt(vi)

    def out(x: Any) -> Any:
        if x is None:
            return None
        a = np.asarray(x, dtype=float)
        return float(a) if a.ndim == 0 else a

    return CrossoverEffect(
        measure=measure, yi=out(yi), vi=out(vi), sei=out(sei), ci_lb=out(yi - crit * sei),
        ci_ub=out(yi + crit * sei), r=out(b_r), sd_diff=out(sd_diff), sd_standardizer=out(sdz),
        n=out(b_n), variance=kind, level=float(level),
    )


@dataclass(frozen=True)
class CorrelationSweep:
    """A crossover effect recomputed over a grid of within-person correlations.

    Arrays are indexed by the grid ``r``; for several studies they have shape ``(len(r), k)``.
    """

    measure: str
    r: FloatArray
    yi: FloatArray
    vi: FloatArray
    sei: FloatArray
    ci_lb: FloatArray
    ci_ub: FloatArray
    variance: str
    level: float

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"measure": self.measure, "variance": self.variance, "level": self.level}
        for name in ("r", "yi", "vi", "sei", "ci_lb", "ci_ub"):
            values = np.asarray(getattr(self, name), dtype=float)
            obj = values.astype(object)
            obj[np.isnan(values)] = None
            out[name] = obj.tolist()
        return out

    def to_frame(self) -> pd.DataFrame:
        """One row per ``r`` (single study) with yi, vi, sei, ci_lb, ci_ub (needs pandas)."""
        import pandas as pd

        if self.yi.ndim != 1:
            raise ValueError("to_frame() is for a single study; index the arrays for several")
        return pd.DataFrame({"r": self.r, "yi": self.yi, "vi": self.vi, "sei": self.sei,
                             "ci_lb": self.ci_lb, "ci_ub": self.ci_ub})

    def significant(self) -> NDArray[np.bool_]:
        """Whether the CI excludes 0 at each ``r``: where the conclusion depends on the assumption."""
        return np.asarray((self.ci_lb > 0) | (self.ci_ub < 0))


def correlation_sweep(
    m1: ArrayLike,
    sd1: ArrayLike,
    m2: ArrayLike,
    sd2: ArrayLike,
    n: ArrayLike,
    r: ArrayLike | None = None,
    *,
    measure: Measure = "MD",
    variance: SmdVariance = "handbook",
    level: float = 95.0,
) -> CorrelationSweep:
    """Sensitivity analysis of a crossover effect over assumed within-person correlations.

    Parameters
    ----------
    m1, sd1, m2, sd2, n : array_like
        As in :func:`crossover` (one study as scalars, or ``k`` studies as arrays).
    r : array_like, optional
        Correlations to try (default ``0, 0.1, ..., 0.9``, the range Elbourne et al. (2002)
        suggest examining when no paired data are available).
    measure, variance, level
        As in :func:`crossover`.

    Returns
    -------
    CorrelationSweep
        ``yi``, ``vi``, ``sei``, ``ci_lb``, ``ci_ub`` per ``r`` (rows) and study (columns).

    References
    ----------
    .. [1] Elbourne, D. R., et al. (2002). International Journal of Epidemiology, 31(1), 140-149.
    """
    grid = np.round(np.arange(0.0, 1.0, 0.1), 10) if r is None else _arr("r", r).reshape(-1)
    if grid.size == 0:
        raise ValueError("correlation_sweep: 'r' is empty")
    study = [_arr(nm, v) for nm, v in zip(("m1", "sd1", "m2", "sd2", "n"), (m1, sd1, m2, sd2, n), strict=True)]
    try:
        shape = np.broadcast_shapes(*(a.shape for a in study))
    except ValueError:
        raise ValueError("correlation_sweep: study inputs differ in length") from None
    col = (slice(None),) + (None,) * len(shape)
    s_m1, s_sd1, s_m2, s_sd2, s_n = (np.broadcast_to(a, shape)[None, ...] for a in study)
    eff = _crossover([s_m1, s_sd1, s_m2, s_sd2, s_n, grid[col]], measure, variance, level)

    def two_d(x: Any) -> FloatArray:
        a = np.asarray(x, dtype=float)
        return np.broadcast_to(a, (grid.size, *shape)).copy()

    return CorrelationSweep(
        measure=measure, r=grid, yi=two_d(eff.yi), vi=two_d(eff.vi), sei=two_d(eff.sei),
        ci_lb=two_d(eff.ci_lb), ci_ub=two_d(eff.ci_ub), variance=eff.variance, level=float(level),
    )


def correlation_from_sd_diff(sd1: ArrayLike, sd2: ArrayLike, sd_diff: ArrayLike) -> Any:
    """Within-person correlation implied by the SD of the paired differences.

    ``r = (sd1^2 + sd2^2 - sd_diff^2) / (2 sd1 sd2)`` (Cochrane Handbook section 23.2.7.3);
    values outside [-1, 1] (inconsistent reporting) are returned as computed so that they can be
    flagged.

    References
    ----------
    .. [1] Higgins, J. P. T., Eldridge, S., & Li, T. (2019). Cochrane Handbook, chapter 23.
    """
    a, b, d = _arr("sd1", sd1), _arr("sd2", sd2), _arr("sd_diff", sd_diff)
    if np.any((a <= 0) | (b <= 0) | (d < 0)):
        raise ValueError("correlation_from_sd_diff: SDs must be positive")
    out = (a**2 + b**2 - d**2) / (2 * a * b)
    return float(out) if np.ndim(out) == 0 else out


def sd_diff_from_t(md: ArrayLike, t: ArrayLike, n: ArrayLike) -> Any:
    """SD of the paired differences from a paired t statistic: ``|MD| sqrt(n) / |t|``.

    References
    ----------
    .. [1] Higgins, J. P. T., Eldridge, S., & Li, T. (2019). Cochrane Handbook, chapter 23.
    """
    m, tt, nn = _arr("md", md), _arr("t", t), _arr("n", n)
    if np.any(tt == 0):
        raise ValueError("sd_diff_from_t: 't' must be non-zero")
    if np.any(nn < 2):
        raise ValueError("sd_diff_from_t: 'n' must be at least 2")
    out = np.abs(m) * np.sqrt(nn) / np.abs(tt)
    return float(out) if np.ndim(out) == 0 else out


def sd_diff_from_p(md: ArrayLike, p: ArrayLike, n: ArrayLike) -> Any:
    """SD of the paired differences from the two-sided p-value of a paired t test (``n - 1`` df).

    ``t = F^{-1}_{t, n-1}(1 - p/2)``, then :func:`sd_diff_from_t`.
    """
    pp, nn = _arr("p", p), _arr("n", n)
    if np.any((pp <= 0) | (pp >= 1)):
        raise ValueError("sd_diff_from_p: 'p' must be in (0, 1)")
    if np.any(nn < 2):
        raise ValueError("sd_diff_from_p: 'n' must be at least 2")
    t = stats.t.isf(pp / 2, nn - 1)
    return sd_diff_from_t(md, t, nn)


# --------------------------------------------------------------------------------------------
# number needed to treat
# --------------------------------------------------------------------------------------------


def _fmt_n(x: float, digits: int) -> str:
    return "∞" if math.isinf(x) else f"{x:.{digits}f}"


@dataclass(frozen=True)
class NNTResult:
    """Number needed to treat with its confidence interval (Altman 1998).

    Attributes
    ----------
    rd, rd_ci_lb, rd_ci_ub : float
        Risk difference (experimental minus control) and its CI, as given.
    desirable : bool
        Whether the event is a good outcome (e.g. response) rather than a bad one.
    benefit, benefit_ci_lb, benefit_ci_ub : float
        The same on the benefit scale (``rd`` for a desirable event, ``-rd`` otherwise).
    direction : {"benefit", "harm", "none"}
        Which way the point estimate goes.
    nnt : float
        ``1 / |rd|`` (``inf`` when ``rd = 0``), labelled by :attr:`label`.
    label : {"NNTB", "NNTH", "NNT"}
    spans_zero : bool
        The RD's CI includes 0: the NNT interval passes through infinity.
    nntb_limit, nnth_limit : float or None
        The finite NNTB and NNTH ends of the interval (``None`` if that side is absent).
    nntb_upper, nnth_upper : float or None
        When the interval lies on one side only, its other end (may be ``inf``).
    level : float
    """

    rd: float
    rd_ci_lb: float
    rd_ci_ub: float
    desirable: bool
    benefit: float
    benefit_ci_lb: float
    benefit_ci_ub: float
    direction: str
    nnt: float
    label: str
    spans_zero: bool
    level: float

    @property
    def nntb_limit(self) -> float | None:
        """Smallest NNTB in the interval (from the largest benefit), ``None`` if no benefit is in it."""
        return 1 / self.benefit_ci_ub if self.benefit_ci_ub > 0 else None

    @property
    def nnth_limit(self) -> float | None:
        """Smallest NNTH in the interval (from the largest harm), ``None`` if no harm is in it."""
        return 1 / -self.benefit_ci_lb if self.benefit_ci_lb < 0 else None

    def interval_text(self, digits: int = 1) -> str:
        """The confidence interval in words, e.g. ``"NNTB 4.5 to ∞ to NNTH 21.9"``."""
        lb, ub = self.benefit_ci_lb, self.benefit_ci_ub
        if lb > 0:  # wholly benefit
            return f"NNTB {_fmt_n(1 / ub, digits)} to {_fmt_n(1 / lb, digits)}"
        if ub < 0:  # wholly harm
            return f"NNTH {_fmt_n(1 / -lb, digits)} to {_fmt_n(1 / -ub, digits)}"
        if ub > 0 and lb < 0:  # the two-part interval through infinity
            return f"NNTB {_fmt_n(1 / ub, digits)} to ∞ to NNTH {_fmt_n(1 / -lb, digits)}"
        if ub > 0:  # lb == 0
            return f"NNTB {_fmt_n(1 / ub, digits)} to ∞"
        if lb < 0:  # ub == 0
            return f"NNTH {_fmt_n(1 / -lb, digits)} to ∞"
        return "∞"  # the CI is [0, 0]

    def text(self, digits: int = 1) -> str:
        """E.g. ``"NNTB 10.0 (95% CI NNTB 5.2 to ∞ to NNTH 40.1)"``."""
        point = "∞ (no difference)" if math.isinf(self.nnt) else f"{self.label} {self.nnt:.{digits}f}"
        return f"{point} ({self.level:g}% CI {self.interval_text(digits)})"

    def describe(self, digits: int = 1) -> str:
        """A sentence for a reader."""
        if math.isinf(self.nnt):
            head = "No difference in risk between the groups"
        elif self.direction == "benefit":
            head = f"On average {self.nnt:.{digits}f} people need to be treated for one more to benefit"
        else:
            head = f"On average one more person is harmed for every {self.nnt:.{digits}f} treated"
        tail = (
            "; the confidence interval includes no effect, so benefit and harm are both compatible "
            "with the data" if self.spans_zero else ""
        )
        return f"{head} ({self.level:g}% CI {self.interval_text(digits)}){tail}."

    def __str__(self) -> str:
        return self.text()

    def to_dict(self) -> dict[str, Any]:
        def f(x: float | None) -> Any:
            if x is None:
                return None
            return "inf" if math.isinf(x) else x

        return {
            "rd": self.rd, "rd_ci_lb": self.rd_ci_lb, "rd_ci_ub": self.rd_ci_ub, "desirable": self.desirable,
            "direction": self.direction, "label": self.label, "nnt": f(self.nnt),
            "spans_zero": self.spans_zero, "nntb_limit": f(self.nntb_limit), "nnth_limit": f(self.nnth_limit),
            "level": self.level, "text": self.text(),
        }


def nnt(rd: float, ci_lb: float, ci_ub: float, *, desirable: bool = False, level: float = 95.0) -> NNTResult:
    """Number needed to treat from a risk difference and its confidence interval (Altman 1998).

    ``rd`` is the risk of the event in the experimental group minus that in the control group.
    For an undesirable event (death, relapse, an adverse event; ``desirable=False``) a negative
    ``rd`` is a benefit; for a desirable one (response, remission) a positive ``rd`` is.

    The NNT is ``1 / |rd|``, called NNTB (benefit) or NNTH (harm). Its confidence limits are the
    reciprocals of the RD's limits. If the RD's interval contains 0, the NNT's interval contains
    infinity and consists of two parts, written "NNTB a to ∞ to NNTH b" (``a = 1 / largest
    benefit``, ``b = 1 / largest harm``).

    Parameters
    ----------
    rd, ci_lb, ci_ub : float
        Risk difference (a proportion, not percent) and its confidence limits.
    desirable : bool
        Whether the event is a good outcome.
    level : float
        Confidence level of the given interval, in percent (for the text).

    Returns
    -------
    NNTResult

    Raises
    ------
    ValueError
        Non-finite values, values outside [-1, 1], or ``ci_lb <= rd <= ci_ub`` violated.

    References
    ----------
    .. [1] Altman, D. G. (1998). Confidence intervals for the number needed to treat. BMJ,
       317(7168), 1309-1312.

    Examples
    --------
    >>> print(nnt(-0.10, -0.20, 0.05))
    NNTB 10.0 (95% CI NNTB 5.0 to ∞ to NNTH 20.0)
    """
    vals = {"rd": rd, "ci_lb": ci_lb, "ci_ub": ci_ub}
    for name, v in vals.items():
        try:
            fv = float(v)
        except (TypeError, ValueError):
            raise ValueError(f"nnt: '{name}' must be a number, got {v!r}") from None
        if not math.isfinite(fv) or abs(fv) > 1:
            raise ValueError(f"nnt: '{name}' must be a risk difference in [-1, 1], got {v!r}")
    rd, ci_lb, ci_ub = float(rd), float(ci_lb), float(ci_ub)
    if not ci_lb <= rd <= ci_ub:
        raise ValueError(f"nnt: need ci_lb <= rd <= ci_ub, got {ci_lb} <= {rd} <= {ci_ub}")
    if not 0 < level < 100:
        raise ValueError(f"nnt: level must be between 0 and 100 (percent), got {level!r}")
    sign = 1.0 if desirable else -1.0
    b = sign * rd
    blo, bhi = sorted((sign * ci_lb, sign * ci_ub))
    if b > 0:
        direction, label = "benefit", "NNTB"
    elif b < 0:
        direction, label = "harm", "NNTH"
    else:
        direction, label = "none", "NNT"
    value = math.inf if b == 0 else 1 / abs(b)
    return NNTResult(
        rd=rd, rd_ci_lb=ci_lb, rd_ci_ub=ci_ub, desirable=bool(desirable), benefit=b + 0.0,
        benefit_ci_lb=blo + 0.0, benefit_ci_ub=bhi + 0.0, direction=direction, nnt=value, label=label,
        spans_zero=blo < 0 < bhi, level=float(level),
    )


def _wilson(x: FloatArray, n: FloatArray, z: float) -> tuple[FloatArray, FloatArray]:
    p = x / n
    denom = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    return centre - half, centre + half


def nnt_from_counts(
    ai: float,
    n1i: float,
    ci: float,
    n2i: float,
    *,
    desirable: bool = False,
    level: float = 95.0,
    method: Literal["wald", "newcombe"] = "wald",
) -> NNTResult:
    """NNT from event counts in two groups (experimental ``ai / n1i``, control ``ci / n2i``).

    The risk difference's CI is the Wald interval (``method="wald"``, the variance metafor's
    ``escalc("RD")`` uses) or Newcombe's hybrid score interval (``"newcombe"``, method 10 of
    Newcombe 1998, which behaves better with few events).

    References
    ----------
    .. [1] Altman, D. G. (1998). BMJ, 317(7168), 1309-1312.
    .. [2] Newcombe, R. G. (1998). Statistics in Medicine, 17(8), 873-890.
    """
    x1, m1, x2, m2 = (float(v) for v in (ai, n1i, ci, n2i))
    if min(m1, m2) <= 0 or min(x1, x2) < 0 or x1 > m1 or x2 > m2:
        raise ValueError(f"nnt_from_counts: need 0 <= ai <= n1i and 0 <= ci <= n2i with n > 0, got "
                         f"ai={ai}, n1i={n1i}, ci={ci}, n2i={n2i}")
    z = _crit(level)
    p1, p2 = x1 / m1, x2 / m2
    rd = p1 - p2
    if method == "wald":
        se = math.sqrt(p1 * (1 - p1) / m1 + p2 * (1 - p2) / m2)
        lb, ub = rd - z * se, rd + z * se
    elif method == "newcombe":
        l1, u1 = (float(v) for v in _wilson(np.array(x1), np.array(m1), z))
        l2, u2 = (float(v) for v in _wilson(np.array(x2), np.array(m2), z))
        lb = rd - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
        ub = rd + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    else:
        raise ValueError(f"nnt_from_counts: method must be 'wald' or 'newcombe', got {method!r}")
    return nnt(rd, max(lb, -1.0), min(ub, 1.0), desirable=desirable, level=level)


def nnt_from_fit(fit: Any, *, desirable: bool = False) -> NNTResult:
    """NNT from a pooled risk difference (an ``rma_mh(measure="RD")`` or ``rma`` fit of RD values).

    Uses ``fit.b``, ``fit.ci_lb``, ``fit.ci_ub`` (and ``fit.level`` when present). A fit whose
    ``measure`` attribute is not ``"RD"`` is refused: an NNT needs an absolute difference.
    """
    measure = getattr(fit, "measure", "RD")
    if measure not in ("RD", None):
        raise ValueError(f"nnt_from_fit: the fit's measure is {measure!r}; an NNT needs a risk difference (RD)")
    try:
        b, lb, ub = (float(np.asarray(getattr(fit, n)).reshape(-1)[0]) for n in ("b", "ci_lb", "ci_ub"))
    except AttributeError as exc:
        raise ValueError(f"nnt_from_fit: the fit lacks {exc.name!r}") from None
    return nnt(b, lb, ub, desirable=desirable, level=float(getattr(fit, "level", 95.0)))


# --------------------------------------------------------------------------------------------
# responder proportions
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponderProportion:
    """Proportion of responders with exact (Clopper-Pearson) and Wilson score intervals.

    Attributes
    ----------
    count, n : int
    proportion : float
    cp_lb, cp_ub : float
        Clopper-Pearson ("exact") limits.
    wilson_lb, wilson_ub : float
        Wilson score limits (no continuity correction).
    threshold_percent : float or None
        The improvement that defines a responder (e.g. 30 for "at least 30 % less pain").
    level : float
    """

    count: int
    n: int
    proportion: float
    cp_lb: float
    cp_ub: float
    wilson_lb: float
    wilson_ub: float
    threshold_percent: float | None
    level: float

    def text(self, digits: int = 0) -> str:
        """E.g. ``"12/20 (60%) improved by at least 30%; 95% CI 36% to 81% (Clopper-Pearson)"``."""
        pct = lambda v: f"{100 * v:.{digits}f}%"  # noqa: E731
        what = (f"improved by at least {self.threshold_percent:g}%" if self.threshold_percent is not None
                else "responded")
        return (f"{self.count}/{self.n} ({pct(self.proportion)}) {what}; {self.level:g}% CI "
                f"{pct(self.cp_lb)} to {pct(self.cp_ub)} (Clopper-Pearson), "
                f"{pct(self.wilson_lb)} to {pct(self.wilson_ub)} (Wilson)")

    def __str__(self) -> str:
        return self.text()

    def to_dict(self) -> dict[str, Any]:
        return {
            "count": self.count, "n": self.n, "proportion": self.proportion, "cp_lb": self.cp_lb,
            "cp_ub": self.cp_ub, "wilson_lb": self.wilson_lb, "wilson_ub": self.wilson_ub,
            "threshold_percent": self.threshold_percent, "level": self.level, "text": self.text(),
        }


def _count(name: str, v: Any) -> int:
    try:
        f = float(v)
    except (TypeError, ValueError):
        raise ValueError(f"responder_proportion: '{name}' must be a whole number, got {v!r}") from None
    if not math.isfinite(f) or f != int(f):
        raise ValueError(f"responder_proportion: '{name}' must be a whole number, got {v!r}")
    return int(f)


def responder_proportion(
    count: int, n: int, *, threshold_percent: float | None = None, level: float = 95.0
) -> ResponderProportion:
    """Proportion of participants who responded (e.g. improved by at least X %), with CIs.

    The Clopper-Pearson interval inverts two one-sided binomial tests (limits are beta
    quantiles: ``Beta(a/2; x, n-x+1)`` and ``Beta(1-a/2; x+1, n-x)``, 0 and 1 at the edges);
    the Wilson interval inverts the score test. Both come from :meth:`scipy.stats.binomtest`.

    Parameters
    ----------
    count : int
        Responders.
    n : int
        Participants assessed (the denominator).
    threshold_percent : float, optional
        The improvement defining a responder, kept for reporting.
    level : float
        Confidence level in percent.

    Returns
    -------
    ResponderProportion

    Raises
    ------
    ValueError
        ``count`` or ``n`` not whole numbers, ``n < 1``, or ``count`` outside ``0..n``.

    References
    ----------
    .. [1] Clopper, C. J., & Pearson, E. S. (1934). Biometrika, 26(4), 404-413.
    .. [2] Wilson, E. B. (1927). Journal of the American Statistical Association, 22(158), 209-212.

    Examples
    --------
    >>> r = responder_proportion(6, 10, threshold_percent=30)
    >>> round(r.cp_lb, 4), round(r.cp_ub, 4)
    (0.2624, 0.8784)
    """
    x, m = _count("count", count), _count("n", n)
    if m < 1:
        raise ValueError(f"responder_proportion: 'n' must be at least 1, got {n!r}")
    if not 0 <= x <= m:
        raise ValueError(f"responder_proportion: 'count' must be between 0 and n={m}, got {count!r}")
    if not 0 < level < 100:
        raise ValueError(f"responder_proportion: level must be between 0 and 100 (percent), got {level!r}")
    test = stats.binomtest(x, m)
    cp = test.proportion_ci(confidence_level=level / 100, method="exact")
    wi = test.proportion_ci(confidence_level=level / 100, method="wilson")
    return ResponderProportion(
        count=x, n=m, proportion=x / m, cp_lb=float(cp.low), cp_ub=float(cp.high),
        wilson_lb=float(wi.low), wilson_ub=float(wi.high),
        threshold_percent=None if threshold_percent is None else float(threshold_percent), level=float(level),
    )


def count_responders(
    baseline: Sequence[float] | ArrayLike,
    followup: Sequence[float] | ArrayLike,
    threshold_percent: float,
    *,
    lower_is_better: bool = True,
) -> tuple[int, int]:
    """Count participants whose score improved by at least ``threshold_percent`` % of baseline.

    Improvement is ``(baseline - followup) / baseline`` (``lower_is_better``, e.g. pain) or
    ``(followup - baseline) / baseline``. Pairs with a missing value or a zero baseline (no
    percentage change defined) are left out of both counts.

    Returns
    -------
    (count, n)
        Responders and participants with a defined change; feed them to
        :func:`responder_proportion`.
    """
    b = _arr("baseline", baseline).reshape(-1)
    f = _arr("followup", followup).reshape(-1)
    if b.shape != f.shape:
        raise ValueError(f"count_responders: baseline ({b.size}) and followup ({f.size}) differ in length")
    thr = float(threshold_percent)
    if not math.isfinite(thr):
        raise ValueError("count_responders: 'threshold_percent' must be a finite number")
    ok = ~(np.isnan(b) | np.isnan(f)) & (b != 0)
    change = (b[ok] - f[ok]) / np.abs(b[ok]) if lower_is_better else (f[ok] - b[ok]) / np.abs(b[ok])
    # a tiny tolerance so that exactly X % counts despite binary rounding (e.g. 10 -> 7 is 30 %)
    return int(np.sum(100 * change >= thr - 1e-9)), int(ok.sum())
