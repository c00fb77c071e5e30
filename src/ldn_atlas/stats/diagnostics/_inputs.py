"""The data a diagnostic works on: ``yi``/``vi`` from a fitted model, or given as arrays (metafor's rules)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ldn_atlas.errors import DataWarning
from ldn_atlas.stats.diagnostics._base import FloatArray


def _as_1d(name: str, values: Any) -> FloatArray:
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: must be numeric ({exc})") from None
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ValueError(f"{name}: must be one-dimensional, got shape {arr.shape}")
    return arr


def _is_fit(x: Any) -> bool:
    return hasattr(x, "yi") and hasattr(x, "vi") and not isinstance(x, np.ndarray)


def _fit_data(fit: Any, what: str) -> tuple[FloatArray, FloatArray]:
    """The ``yi``/``vi`` a fitted model used (rows with NaN already dropped)."""
    yi = np.asarray(fit.yi, dtype=np.float64)
    vi = np.asarray(fit.vi, dtype=np.float64)
    if yi.ndim != 1 or vi.ndim != 1:
        raise ValueError(
            f"{what}: the fitted result holds {yi.shape[0] if yi.ndim > 1 else 1} batched analyses; "
            "apply it to one analysis at a time (e.g. fit[i])"
        )
    keep = np.isfinite(yi) & np.isfinite(vi)
    return yi[keep], vi[keep]


def _yi_vi(
    what: str,
    x: Any,
    vi: Any,
    sei: Any,
    *,
    need_vi: bool = True,
) -> tuple[FloatArray, FloatArray]:
    """Resolve ``(x, vi, sei)`` as metafor does: a fitted model, or ``yi`` with ``vi`` or ``sei``."""
    if _is_fit(x):
        if vi is not None or sei is not None:
            warnings.warn(
                f"{what}: arguments 'vi' and 'sei' are ignored when the first argument is a fitted model",
                DataWarning,
                stacklevel=3,
            )
        return _fit_data(x, what)
    yi = _as_1d("yi", x)
    if vi is None and sei is not None:
        se = _as_1d("sei", sei)
        vi_arr = se**2
        vname = "sei"
    elif vi is not None:
        vi_arr = _as_1d("vi", vi)
        vname = "vi"
    elif need_vi:
        raise ValueError(f"{what}: must specify 'vi' or 'sei'")
    else:
        vi_arr = np.zeros_like(yi)
        vname = "vi"
    if vi_arr.shape != yi.shape:
        raise ValueError(f"{what}: 'yi' has length {yi.size} but '{vname}' has length {vi_arr.size}")
    bad = np.isnan(yi) | np.isnan(vi_arr)
    if bad.any():
        n_bad = int(bad.sum())
        warnings.warn(
            f"{what}: Studies with NAs omitted from test ({n_bad} stud{'y' if n_bad == 1 else 'ies'}).",
            DataWarning,
            stacklevel=3,
        )
        yi, vi_arr = yi[~bad], vi_arr[~bad]
    if yi.size == 0:
        raise ValueError(f"{what}: 'yi' has no non-missing values")
    if not np.all(np.isfinite(yi)):
        raise ValueError(f"{what}: 'yi' must be finite")
    if need_vi and np.any(~np.isfinite(vi_arr) | (vi_arr <= 0)):
        raise ValueError(f"{what}: '{vname}' must be positive and finite")
    return yi, vi_arr
