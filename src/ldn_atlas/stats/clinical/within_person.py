"""The within-person correlation: a sensitivity sweep over ``r``, and ``r`` or the SD of differences
recovered from what a paired analysis reports (SDs of the differences, t statistics, p-values).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from ldn_atlas.stats.clinical.crossover_trials import crossover_arrays
from ldn_atlas.stats.clinical.values import FloatArray, Measure, SmdVariance, as_array

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


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
    grid = np.round(np.arange(0.0, 1.0, 0.1), 10) if r is None else as_array("r", r).reshape(-1)
    if grid.size == 0:
        raise ValueError("correlation_sweep: 'r' is empty")
    study = [as_array(nm, v) for nm, v in zip(("m1", "sd1", "m2", "sd2", "n"), (m1, sd1, m2, sd2, n), strict=True)]
    try:
        shape = np.broadcast_shapes(*(a.shape for a in study))
    except ValueError:
        raise ValueError("correlation_sweep: study inputs differ in length") from None
    col = (slice(None),) + (None,) * len(shape)
    s_m1, s_sd1, s_m2, s_sd2, s_n = (np.broadcast_to(a, shape)[None, ...] for a in study)
    eff = crossover_arrays([s_m1, s_sd1, s_m2, s_sd2, s_n, grid[col]], measure, variance, level)

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
    a, b, d = as_array("sd1", sd1), as_array("sd2", sd2), as_array("sd_diff", sd_diff)
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
    m, tt, nn = as_array("md", md), as_array("t", t), as_array("n", n)
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
    pp, nn = as_array("p", p), as_array("n", n)
    if np.any((pp <= 0) | (pp >= 1)):
        raise ValueError("sd_diff_from_p: 'p' must be in (0, 1)")
    if np.any(nn < 2):
        raise ValueError("sd_diff_from_p: 'n' must be at least 2")
    t = stats.t.isf(pp / 2, nn - 1)
    return sd_diff_from_t(md, t, nn)
