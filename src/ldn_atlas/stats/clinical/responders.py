"""Responder proportions: the share improving by at least a threshold, with Clopper-Pearson and Wilson intervals."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from ldn_atlas.stats.clinical.values import as_array

if TYPE_CHECKING:  # pragma: no cover
    pass


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
    b = as_array("baseline", baseline).reshape(-1)
    f = as_array("followup", followup).reshape(-1)
    if b.shape != f.shape:
        raise ValueError(f"count_responders: baseline ({b.size}) and followup ({f.size}) differ in length")
    thr = float(threshold_percent)
    if not math.isfinite(thr):
        raise ValueError("count_responders: 'threshold_percent' must be a finite number")
    ok = ~(np.isnan(b) | np.isnan(f)) & (b != 0)
    change = (b[ok] - f[ok]) / np.abs(b[ok]) if lower_is_better else (f[ok] - b[ok]) / np.abs(b[ok])
    # a tiny tolerance so that exactly X % counts despite binary rounding (e.g. 10 -> 7 is 30 %)
    return int(np.sum(100 * change >= thr - 1e-9)), int(ok.sum())
