"""Fail-safe N (metafor's ``fsn``): Rosenthal, Orwin and Rosenberg."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from scipy import stats as sps

from ldn_atlas.stats.diagnostics._base import _fmt, _fmt_p, _ResultMixin
from ldn_atlas.stats.diagnostics._inputs import _yi_vi


def _round_count(value: float) -> int | float:
    """metafor's rounding of fail-safe numbers: ceiling unless already (numerically) whole."""
    if math.isinf(value):
        return value
    if abs(value - round(value)) >= math.sqrt(np.finfo(float).eps):
        return math.ceil(value)
    return round(value)


@dataclass(frozen=True)
class FsnResult(_ResultMixin):
    """Fail-safe N (metafor's ``fsn`` object).

    Attributes
    ----------
    type : {"Rosenthal", "Orwin", "Rosenberg"}
    fsnum : int or float
        The fail-safe N (an int, or ``inf`` for Orwin with target 0).
    alpha : float
    pval : float
        Rosenthal: one-sided p of Stouffer's combined z; Rosenberg: two-sided p of
        the fixed-effects z; NaN for Orwin.
    meanes : float
        Orwin: unweighted mean; Rosenberg: inverse-variance weighted mean; NaN for Rosenthal.
    target : float
        Orwin only (NaN otherwise).
    k : int
        Number of studies used.
    """

    type: str
    fsnum: int | float
    alpha: float
    pval: float
    meanes: float
    target: float
    k: int

    def summary(self, digits: int = 4) -> str:
        """Text laid out like metafor's ``print.fsn``."""
        lines = ["", f"Fail-safe N Calculation Using the {self.type} Approach", ""]
        if self.type == "Rosenthal":
            lines += [
                f"Observed Significance Level: {_fmt_p(self.pval, digits)}",
                f"Target Significance Level:   {self.alpha:g}",
            ]
        elif self.type == "Orwin":
            lines += [
                f"Average Effect Size: {_fmt(self.meanes, digits)}",
                f"Target Effect Size:  {_fmt(self.target, digits)}",
            ]
        else:
            lines += [
                f"Average Effect Size:         {_fmt(self.meanes, digits)}",
                f"Observed Significance Level: {_fmt_p(self.pval, digits)}",
                f"Target Significance Level:   {self.alpha:g}",
            ]
        lines += ["", f"Fail-safe N: {self.fsnum}", ""]
        return "\n".join(lines)


def fsn(
    yi: Any,
    vi: Any = None,
    *,
    sei: Any = None,
    type: Literal["Rosenthal", "Orwin", "Rosenberg"] = "Rosenthal",
    alpha: float = 0.05,
    target: float | None = None,
) -> FsnResult:
    """Fail-safe N: how many null studies would overturn the result.

    Parameters
    ----------
    yi : array_like or fitted result
        Observed effect sizes, or a fitted model (its ``yi``/``vi`` are used).
    vi : array_like, optional
        Sampling variances (or give ``sei``).  Not needed for ``type="Orwin"``.
    sei : array_like, optional
        Standard errors, used when ``vi`` is not given.
    type : {"Rosenthal", "Orwin", "Rosenberg"}
        Rosenthal's file-drawer number with Stouffer's method; Orwin's number of
        studies with mean effect 0 that bring the unweighted mean down to
        ``target``; Rosenberg's weighted (fixed-effects) number.
    alpha : float
        One-sided (Rosenthal) or two-sided (Rosenberg) significance level.
    target : float, optional
        Orwin's target mean (default: half the observed mean).

    Returns
    -------
    FsnResult

    Notes
    -----
    Rosenthal: ``z_avg = |sum(yi/sqrt(vi))| / sqrt(k)``,
    ``N = k (z_avg / z_{1-alpha})^2 - k``.  Orwin: ``N = k (mean - target) / target``.
    Rosenberg: ``N = k ((sum(w y) / z_{1-alpha/2})^2 - sum(w)) / sum(w)``, ``w = 1/vi``.
    Each N is truncated at 0 and rounded up, as metafor 3.8 does.

    References
    ----------
    .. [1] Rosenthal, R. (1979). The "file drawer problem" and tolerance for null
       results. Psychological Bulletin, 86(3), 638-641.
    .. [2] Orwin, R. G. (1983). A fail-safe N for effect size in meta-analysis.
       Journal of Educational Statistics, 8(2), 157-159.
    .. [3] Rosenberg, M. S. (2005). The file-drawer problem revisited: A general
       weighted method for calculating fail-safe numbers in meta-analysis.
       Evolution, 59(2), 464-468.
    """
    if type not in ("Rosenthal", "Orwin", "Rosenberg"):
        raise ValueError(f"fsn: type must be 'Rosenthal', 'Orwin' or 'Rosenberg', got {type!r}")
    if not (0.0 < alpha < 1.0):
        raise ValueError(f"fsn: alpha must lie in (0, 1), got {alpha!r}")
    if type == "Orwin":  # unweighted: the variances play no part (metafor sets them to 0)
        y, v = _yi_vi("fsn", yi, None, None, need_vi=False)
    else:
        y, v = _yi_vi("fsn", yi, vi, sei)
    k = int(y.size)
    nan = float("nan")
    meanes = pval = tgt = nan
    if type == "Rosenthal":
        z_avg = abs(float(np.sum(y / np.sqrt(v)))) / math.sqrt(k)
        pval = float(sps.norm.sf(z_avg))
        fs = max(0.0, k * (z_avg / float(sps.norm.isf(alpha))) ** 2 - k)
    elif type == "Orwin":
        meanes = float(np.mean(y))
        tgt = meanes / 2.0 if target is None else float(target)
        if tgt == 0.0:
            fs = math.inf
        else:
            if np.sign(tgt) != np.sign(meanes):
                tgt = -tgt
            fs = max(0.0, k * (meanes - tgt) / tgt)
    else:  # Rosenberg
        w = 1.0 / v
        sw = float(np.sum(w))
        swy = float(np.sum(w * y))
        meanes = swy / sw
        zval = meanes / math.sqrt(1.0 / sw)
        pval = float(2.0 * sps.norm.sf(abs(zval)))
        w_p = (swy / float(sps.norm.isf(alpha / 2.0))) ** 2 - sw
        fs = max(0.0, k * w_p / sw)
    return FsnResult(
        type=type,
        fsnum=_round_count(fs),
        alpha=float(alpha),
        pval=pval,
        meanes=meanes,
        target=tgt,
        k=k,
    )
