"""The x axis and the numbers written on a plot: round tick positions and number formats."""

from __future__ import annotations

import math

import numpy as np

from ldn_atlas.stats.plots.values import FloatArray, Transform


def fmt(x: float, digits: int) -> str:
    """``x`` with ``digits`` decimals (``NA`` when not finite, no negative zero)."""
    if not math.isfinite(x):
        return "NA"
    s = f"{x:.{digits}f}"
    if s.startswith("-") and float(s) == 0.0:
        s = s[1:]
    return s


def annot(est: float, lb: float, ub: float, digits: int) -> str:
    """The text ``est [lb, ub]``."""
    return f"{fmt(est, digits)} [{fmt(lb, digits)}, {fmt(ub, digits)}]"


def nice_ticks(lo: float, hi: float, n: int = 5) -> FloatArray:
    """Round axis positions covering ``[lo, hi]`` (R's ``pretty`` in spirit)."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return np.array([0.0])
    if hi <= lo:
        hi = lo + 1.0
    raw = (hi - lo) / max(n - 1, 1)
    mag = 10.0 ** math.floor(math.log10(raw))
    step = min((c * mag for c in (1.0, 2.0, 2.5, 5.0, 10.0) if c * mag >= raw), default=10 * mag)
    start = math.floor(lo / step + 1e-9) * step
    stop = math.ceil(hi / step - 1e-9) * step
    ticks = np.arange(start, stop + step / 2, step)
    ticks[np.abs(ticks) < step * 1e-9] = 0.0
    return ticks


def is_exp(f: Transform | None) -> bool:
    """Whether ``f`` is the exponential (an axis labelled in ratios)."""
    if f is None:
        return False
    try:
        probe = np.asarray(f(np.array([0.0, math.log(2.0), -1.0])), dtype=np.float64)
    except Exception:
        return False
    return bool(np.allclose(probe, [1.0, 2.0, math.exp(-1.0)], rtol=1e-12, atol=0.0))


def axis_ticks(lo: float, hi: float, atransf: Transform | None) -> FloatArray:
    """Tick positions on the model scale; for an exp axis, logs of round ratios (0.1, 0.2, 0.5, 1, 2, ...)."""
    if not is_exp(atransf):
        return nice_ticks(lo, hi, 5)
    e_lo = math.floor(lo / math.log(10.0)) - 1
    e_hi = math.ceil(hi / math.log(10.0)) + 1
    for mantissas in ((1.0, 2.0, 5.0), (1.0,)):
        cands = np.log(np.array(sorted(m * 10.0**e for e in range(e_lo, e_hi + 1) for m in mantissas)))
        i_lo = int(np.searchsorted(cands, lo + 1e-12, side="right")) - 1
        i_hi = int(np.searchsorted(cands, hi - 1e-12, side="left"))
        ticks = cands[max(i_lo, 0) : i_hi + 1]
        if ticks.size <= 8:
            return ticks
    step = math.ceil(ticks.size / 7)
    zero = int(np.argmin(np.abs(ticks)))
    return ticks[zero % step :: step]


def tick_label(value: float, digits: int) -> str:
    """A tick label: ``value`` with at most ``digits`` decimals, trailing zeros dropped."""
    s = fmt(value, max(digits, 0))
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s

