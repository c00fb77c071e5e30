"""The pooled estimators: Mantel-Haenszel for 2x2 tables and for person-time, and Peto's one-step method.

Each returns ``(b, se, zval, pval, ci_lb, ci_ub, extra, weights)``: the estimate, its Wald test and CI,
the measure's extra tests (CMH, Breslow-Day, Tarone, MH for rates) and the raw weights per table.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy import stats

from ldn_atlas.stats.mantel_haenszel.result import FloatArray

#: what a pooled estimator returns: b, se, zval, pval, ci_lb, ci_ub, extra tests, raw weights.
Fit = tuple[float, float, float, float, float, float, dict[str, Any], FloatArray]


def _s(x: Any) -> np.float64:
    """A sum as a numpy scalar: division by zero then gives Inf/NaN (as in R), not an exception."""
    return np.float64(np.sum(x))


def _log(x: float) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.log(np.float64(x)))


def _sqrt(x: float) -> float:
    """``sqrt`` that gives NaN for negative (rounding) arguments, as R does."""
    return math.sqrt(x) if x >= 0 else math.nan  # NaN fails the test too


def wald(b: float, se: float, crit: float) -> tuple[float, float, float, float]:
    """z, two-sided p and the Wald CI of ``b`` (all NaN when ``b`` or ``se`` is)."""
    if math.isnan(b) or math.isnan(se):
        return math.nan, math.nan, math.nan, math.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        z = float(np.float64(b) / np.float64(se))  # se = 0: +-Inf or NaN, as in R
    return z, float(2 * stats.norm.sf(abs(z))), b - crit * se, b + crit * se


def mh_2x2(measure: str, ai: FloatArray, bi: FloatArray, ci: FloatArray, di: FloatArray, *,
            correct: bool, crit: float) -> Fit:
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
            extra.update(breslow_day(ai, n1, n2, N, xt, yt, psi))
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
    zval, pval, lb, ub = wald(est, se, crit)
    return est, se, zval, pval, lb, ub, extra, np.asarray(w, dtype=float)


def breslow_day(ai: FloatArray, n1: FloatArray, n2: FloatArray, N: FloatArray, xt: FloatArray,
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


def mh_rates(measure: str, x1: FloatArray, x2: FloatArray, t1: FloatArray, t2: FloatArray, *,
              correct: bool, crit: float) -> Fit:
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
    zval, pval, lb, ub = wald(est, se, crit)
    return est, se, zval, pval, lb, ub, extra, np.asarray(w, dtype=float)


def peto_parts(
    ai: FloatArray, bi: FloatArray, ci: FloatArray, di: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Expected events ``E = (ai + ci) n1 / N`` and hypergeometric variances ``V`` of each table."""
    n1 = ai + bi
    n2 = ci + di
    N = n1 + n2
    xt = ai + ci
    yt = bi + di
    with np.errstate(divide="ignore", invalid="ignore"):
        E = xt * n1 / N
        V = xt * yt * (n1 / N) * (n2 / N) / (N - 1)
    return E, V


def peto(fn: str, ai: FloatArray, E: FloatArray, V: FloatArray, *, crit: float) -> Fit:
    """Peto's one-step log odds ratio ``sum(O - E) / sum(V)`` with ``se = 1 / sqrt(sum(V))``."""
    sum_v = float(np.nansum(V))
    if sum_v == 0:
        raise ValueError(
            f"{fn}: one of the two outcomes never occurred in any table; Peto's method cannot be used"
        )
    est = float(np.sum(ai - E)) / sum_v
    se = _sqrt(1 / sum_v)
    zval, pval, lb, ub = wald(est, se, crit)
    return est, se, zval, pval, lb, ub, {}, V
