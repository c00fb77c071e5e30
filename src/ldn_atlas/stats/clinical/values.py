"""What the clinical quantities share: critical values, checked arrays and JSON-ready numbers."""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

FloatArray = NDArray[np.float64]
Measure = Literal["MD", "SMD"]
SmdVariance = Literal["handbook", "becker"]


def crit_value(level: float) -> float:
    """The two-sided normal critical value of a confidence ``level`` in percent."""
    if not 0 < level < 100:
        raise ValueError(f"level must be between 0 and 100 (percent), got {level!r}")
    return float(stats.norm.isf((1 - level / 100) / 2))


def as_array(name: str, value: ArrayLike) -> FloatArray:
    """``value`` as a float array of at most one dimension; a ValueError naming ``name`` otherwise."""
    try:
        a = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"'{name}' must be numeric, got {value!r}") from None
    if a.ndim > 1:
        raise ValueError(f"'{name}' must be a number or one-dimensional, got shape {a.shape}")
    return a


def plain(x: Any) -> Any:
    """A number or list of numbers for JSON (``None`` for NaN)."""
    a = np.asarray(x, dtype=float)
    if a.ndim == 0:
        v = float(a)
        return None if math.isnan(v) else v
    return [None if math.isnan(v) else float(v) for v in a]
