"""The numbers a plot is given: checked float arrays, transformations and confidence levels."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
Transform = Callable[[Any], Any]


def as_array(name: str, values: Any) -> FloatArray:
    """``values`` as a one-dimensional float array; a ValueError naming ``name`` otherwise."""
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: must be numeric ({exc})") from None
    if arr.ndim != 1:
        raise ValueError(f"{name}: must be one-dimensional, got shape {arr.shape}")
    return arr


def apply(transf: Transform | None, x: Any) -> Any:
    """``transf(x)`` as a float array, or ``x`` unchanged without a transformation."""
    if transf is None:
        return x
    out = transf(np.asarray(x, dtype=np.float64))
    return np.asarray(out, dtype=np.float64)


def level_pct(what: str, level: float) -> float:
    """A confidence level in percent; proportions (0.95) are accepted as metafor does."""
    lv = float(level)
    if 0.0 < lv < 1.0:
        lv *= 100.0
    if not (0.0 < lv < 100.0):
        raise ValueError(f"{what}: level must lie in (0, 100) percent (or (0, 1)), got {level!r}")
    return lv
