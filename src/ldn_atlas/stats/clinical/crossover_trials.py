"""Crossover and paired trials from summary data: the within-person MD or SMD with an assumed correlation ``r``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from ldn_atlas.stats.clinical.values import FloatArray, Measure, SmdVariance, as_array, crit_value, plain

if TYPE_CHECKING:  # pragma: no cover
    pass


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
            out[name] = None if value is None else plain(value)
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
    arrays = [as_array(nm, v) for nm, v in zip(names, (m1, sd1, m2, sd2, n, r), strict=True)]
    return crossover_arrays(arrays, measure, variance, level)


def crossover_arrays(arrays: list[FloatArray], measure: str, variance: str, level: float) -> CrossoverEffect:
    """:func:`crossover` on validated arrays of any (broadcastable) shape."""
    if measure not in ("MD", "SMD"):
        raise ValueError(f"crossover: measure must be 'MD' or 'SMD', got {measure!r}")
    if variance not in ("handbook", "becker"):
        raise ValueError(f"crossover: variance must be 'handbook' or 'becker', got {variance!r}")
    crit = crit_value(level)
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
