"""Argument checking and data preparation for :func:`ldn_atlas.stats.rma`: the first stage of the fit.

``yi``/``vi`` (or an escalc result), moderators (arrays or pandas frames, dummy-coded as R does)
and weights become one :class:`StudyData` of ``(m, k)`` arrays; then the missing studies are
marked (with metafor's note) and the values checked, before :mod:`.design` builds the design.

Warnings are raised with ``stacklevel=WARN_STACKLEVEL``: a stage is called by
:func:`~ldn_atlas.stats.fitting.engine.fit_rma`, which is called by ``rma()``; the warning points
at the line that called ``rma()``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from ldn_atlas.errors import DataWarning
from ldn_atlas.stats._core import FloatArray
from ldn_atlas.stats.estimators import Estimator

__all__ = [
    "NA_MESSAGE",
    "TESTS",
    "WARN_STACKLEVEL",
    "StudyData",
    "alpha_of_level",
    "check_values",
    "mark_missing",
    "prepare_data",
]

TESTS = ("z", "knha", "t")
NA_MESSAGE = "Studies with NAs omitted from model fitting."
#: a stage's warning -> fit_rma -> rma() -> the caller of rma()
WARN_STACKLEVEL = 4


def alpha_of_level(level: float) -> float:
    """metafor's ``.level()``: 95 or 0.95 -> alpha 0.05."""
    lv = float(level)
    if not 0 < lv < 100:
        raise ValueError(f"level: must be in (0, 100) (a percentage) or (0, 1); got {level!r}")
    return (100.0 - lv) / 100.0 if lv > 1 else 1.0 - lv


@dataclass(frozen=True)
class StudyData:
    """The data of ``m`` analyses as ``(m, k)`` arrays (``m = 1`` for a single fit), missing values included.

    ``mods`` are the moderators without the intercept, ``(k, q)`` (shared by all analyses) or
    ``(m, k, q)``; ``names`` the coefficient names (``"intrcpt"`` first); ``p`` the number of
    coefficients.
    """

    y: FloatArray
    v: FloatArray
    mods: np.ndarray | None
    weights: FloatArray | None
    names: list[str]
    batched: bool
    p: int


def prepare_data(yi: Any, vi: Any, mods: Any, weights: Any) -> StudyData:
    """Check the shapes of ``yi``, ``vi``, ``mods`` and ``weights`` and lay them out as ``(m, k)`` arrays."""
    y, v, Xm, w_user, names, batched = _prepare(yi, vi, mods, weights)
    return StudyData(
        y=y if batched else y[None, :],
        v=v if batched else v[None, :],
        mods=Xm,
        weights=None if w_user is None else (w_user if batched else w_user[None, :]),
        names=names,
        batched=batched,
        p=1 if Xm is None else 1 + Xm.shape[-1],
    )


def mark_missing(data: StudyData) -> tuple[np.ndarray, dict[int, list[str]]]:
    """Which studies have all their values (``(m, k)`` bool), and metafor's note for the analyses that lost some.

    Raises when every value is missing or a value is infinite.
    """
    y2, v2, Xm, w2 = data.y, data.v, data.mods, data.weights
    y_nan = np.isnan(y2)
    v_nan = np.isnan(v2)
    raw_missing = y_nan | v_nan
    if Xm is not None:
        x_nan = np.isnan(Xm).any(axis=-1)
        raw_missing = raw_missing | (x_nan if x_nan.ndim == 2 else x_nan[None, :])
    if w2 is not None:
        raw_missing = raw_missing | np.isnan(w2)
    if raw_missing.all():
        raise ValueError("yi: all values are missing (NaN) in yi, vi or mods")
    if np.isinf(y2).any() or np.isinf(v2).any() or (Xm is not None and np.isinf(Xm).any()):
        raise ValueError("yi/vi/mods: infinite values are not allowed")
    valid = ~raw_missing
    messages: dict[int, list[str]] = {}
    if raw_missing.any():
        # a study counts as dropped when it was not an all-NaN padding cell of a ragged row
        partly = raw_missing & ~(y_nan & v_nan)
        if not data.batched:
            warnings.warn(NA_MESSAGE, DataWarning, stacklevel=WARN_STACKLEVEL)
            messages.setdefault(0, []).append(NA_MESSAGE)
        elif partly.any():
            rows = np.flatnonzero(partly.any(axis=1))
            for row in rows:
                messages.setdefault(int(row), []).append(NA_MESSAGE)
            warnings.warn(f"{NA_MESSAGE} ({rows.size} analyses affected)", DataWarning, stacklevel=WARN_STACKLEVEL)
    return valid, messages


def check_values(data: StudyData, valid: np.ndarray, estimator: Estimator, method: str) -> np.ndarray:
    """Check variances and weights of the studies used, and that each analysis has enough of them.

    Returns the number of studies of each analysis (``(m,)`` int).
    """
    v2, w2, p, batched = data.v, data.weights, data.p, data.batched
    bad_v = valid & (v2 <= 0)
    if bad_v.any():
        bi, bj = (int(x) for x in np.argwhere(bad_v)[0])
        where = f"study {bj}" if not batched else f"analysis {bi}, study {bj}"
        raise ValueError(f"vi: sampling variances must be positive; got {v2[bi, bj]!r} at {where}")
    if w2 is not None and np.any(valid & (w2 <= 0)):
        raise ValueError("weights: must be positive")

    k = valid.sum(axis=1)
    if np.any(k == 0):
        i = int(np.flatnonzero(k == 0)[0])
        raise ValueError(f"yi: analysis {i} has no non-missing studies")
    need = 1 if estimator.equal_effects else p + 1
    if np.any(k < need):
        i = int(np.flatnonzero(k < need)[0])
        where = "" if not batched else f" (analysis {i})"
        if estimator.equal_effects:
            raise ValueError(f"yi: {k[i]} studies{where} cannot estimate {p} coefficients")
        raise ValueError(
            f"yi: the {method} heterogeneity estimator needs at least {need} studies for {p} "
            f"coefficient(s); got {k[i]}{where}"
        )
    return k


def _mods_array(mods: Any, shape: tuple[int, ...]) -> tuple[np.ndarray, list[str]]:
    """Moderators as ``(k, q)`` or ``(m, k, q)`` float array plus their names."""
    names: list[str] | None = None
    if hasattr(mods, "columns") and hasattr(mods, "to_numpy"):  # pandas DataFrame
        arr, names = _frame_design(mods)
    elif hasattr(mods, "to_numpy") and hasattr(mods, "name"):  # pandas Series
        names = [str(mods.name) if mods.name is not None else "X1"]
        arr = np.asarray(mods.to_numpy(dtype=float, na_value=np.nan), dtype=float)
    else:
        try:
            arr = np.asarray(mods, dtype=float)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"mods: not numeric ({exc})") from None
    k = shape[-1]
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim == 2 and arr.shape[0] != k:
        raise ValueError(f"mods: has {arr.shape[0]} rows but yi has {k} studies")
    if arr.ndim == 3:
        if len(shape) != 2 or arr.shape[:2] != shape:
            raise ValueError(f"mods: 3-D moderators must have shape (m, k, q) with (m, k) = {shape}; "
                             f"got {arr.shape}")
    elif arr.ndim != 2:
        raise ValueError(f"mods: expected 1-D, 2-D or (m, k, q) array; got {arr.ndim}-D")
    q = arr.shape[-1]
    if names is None:
        names = [f"X{j + 1}" for j in range(q)]
    return arr, names


def _frame_design(frame: Any) -> tuple[np.ndarray, list[str]]:
    """Numeric columns as they are; text/categorical columns dummy-coded like R's treatment contrasts.

    A text or categorical column ``g`` with levels ``a < b < c`` becomes columns ``gb`` and ``gc``
    (R's names for ``mods = ~ g``); boolean columns become 0/1 columns named ``gTRUE``.
    """
    import pandas as pd

    cols: list[np.ndarray] = []
    names: list[str] = []
    for name in frame.columns:
        col = frame[name]
        label = str(name)
        if pd.api.types.is_bool_dtype(col):
            cols.append(col.to_numpy(dtype=float, na_value=np.nan))
            names.append(f"{label}TRUE")
        elif pd.api.types.is_numeric_dtype(col):
            cols.append(col.to_numpy(dtype=float, na_value=np.nan))
            names.append(label)
        else:
            cat = col.astype("category")
            levels = list(cat.cat.categories)
            if not isinstance(col.dtype, pd.CategoricalDtype):
                levels = sorted(levels, key=lambda v: str(v))
            missing = cat.isna().to_numpy()
            for level in levels[1:]:
                dummy = (cat == level).to_numpy(dtype=float)
                dummy[missing] = np.nan
                cols.append(dummy)
                names.append(f"{label}{level}")
    if not cols:
        raise ValueError("mods: the DataFrame has no columns")
    return np.column_stack(cols), names


def _as_float(name: str, values: Any) -> np.ndarray:
    try:
        if hasattr(values, "to_numpy"):  # pandas: pd.NA -> NaN
            return np.asarray(values.to_numpy(dtype=float, na_value=np.nan), dtype=float)
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: not numeric ({exc})") from None
    return arr


def _prepare(
    yi: Any, vi: Any, mods: Any, weights: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None, list[str], bool]:
    if vi is None and hasattr(yi, "yi") and hasattr(yi, "vi"):
        yi, vi = yi.yi, yi.vi
    elif hasattr(yi, "yi") and hasattr(yi, "vi") and not isinstance(yi, np.ndarray):
        yi = yi.yi
    if vi is None:
        raise ValueError("vi: the sampling variances are required (or pass an escalc result as yi)")
    y = _as_float("yi", yi)
    v = _as_float("vi", vi)
    if y.ndim == 0:
        y = y[None]
    if v.ndim == 0:
        v = v[None]
    if y.ndim not in (1, 2):
        raise ValueError(f"yi: expected a 1-D (k,) or 2-D (m, k) array; got {y.ndim}-D")
    if v.shape != y.shape:
        raise ValueError(f"vi: shape {v.shape} does not match yi {y.shape}")
    batched = y.ndim == 2
    names = ["intrcpt"]
    X = None
    if mods is not None:
        X, mod_names = _mods_array(mods, y.shape)
        names += mod_names
    w = None
    if weights is not None:
        w = _as_float("weights", weights)
        if w.shape != y.shape:
            raise ValueError(f"weights: shape {w.shape} does not match yi {y.shape}")
    return y, v, X, w, names, batched
