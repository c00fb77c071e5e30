"""Reading the inputs of :func:`~ldn_atlas.stats.escalc` (and of the Mantel-Haenszel functions).

Column names resolved against ``data=``, conversion to float arrays of one common length, and the
checks with messages that name the argument: required inputs, impossible values, variance types.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ldn_atlas.stats.effect_sizes.family import FloatArray
from ldn_atlas.stats.effect_sizes.measures import VTYPES


def as_array(name: str, value: Any, label: str = "escalc") -> FloatArray:
    """A 1-D float array from an array-like (``None`` entries / pandas NA -> NaN)."""
    if hasattr(value, "to_numpy"):
        try:
            arr = value.to_numpy(dtype=float, na_value=np.nan)
        except TypeError:
            arr = value.to_numpy(dtype=float)
    else:
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{label}: '{name}' must be numeric ({exc})") from None
    if arr.ndim > 1:
        raise ValueError(f"{label}: '{name}' must be one-dimensional, got shape {arr.shape}")
    return np.atleast_1d(arr).astype(float)


def columns(label: str, supplied: dict[str, Any], data: Any) -> dict[str, Any]:
    """Replace column names by the columns of ``data`` (metafor's ``data=`` argument)."""
    out = dict(supplied)
    for name, value in supplied.items():
        if isinstance(value, str):
            if data is None:
                raise ValueError(f"{label}: '{name}' is the column name {value!r} but no data= was given")
            try:
                out[name] = data[value]
            except (KeyError, IndexError, TypeError):
                raise ValueError(f"{label}: '{name}' names column {value!r}, which data does not have") from None
    return out


def gather(label: str, supplied: Mapping[str, Any]) -> tuple[dict[str, FloatArray], int]:
    """Convert the supplied inputs and check that they have a common length (scalars broadcast).

    ``label`` names the caller in error messages (e.g. ``"escalc(measure='RR')"``).
    """
    given = {name: v for name, v in supplied.items() if v is not None}
    arrays = {name: as_array(name, v, label) for name, v in given.items()}
    scalars = {name for name, v in given.items() if np.ndim(v) == 0}
    lengths = {name: a.size for name, a in arrays.items() if name not in scalars}
    distinct = sorted(set(lengths.values()))
    if len(distinct) > 1:
        detail = ", ".join(f"{n}={size}" for n, size in lengths.items())
        raise ValueError(f"{label}: inputs differ in length ({detail})")
    k = distinct[0] if distinct else 1
    if k == 0:
        raise ValueError(f"{label}: inputs are empty")
    return {n: (np.repeat(a, k) if n in scalars else a) for n, a in arrays.items()}, k


def require(measure: str, arrays: Mapping[str, FloatArray], *names: str) -> None:
    """Raise a ValueError naming the inputs of ``names`` that ``arrays`` lacks."""
    missing = [n for n in names if n not in arrays]
    if missing:
        raise ValueError(
            f"escalc(measure={measure!r}) needs {', '.join(names)}; missing: {', '.join(missing)}"
        )


def check(cond: NDArray[np.bool_], message: str) -> None:
    """Raise ``message`` with the (1-based) studies where ``cond`` holds, if any."""
    if np.any(cond):
        idx = np.flatnonzero(cond)
        rows = ", ".join(str(i + 1) for i in idx[:5]) + (" ..." if idx.size > 5 else "")
        raise ValueError(f"{message} (study {rows})")


def vtypes(
    measure: str, vtype: str | Sequence[str], k: int
) -> tuple[NDArray[np.str_], str | tuple[str, ...]]:
    """The variance type of each of ``k`` studies, and the value to store; checked against the measure."""
    if isinstance(vtype, str):
        vt = np.full(k, vtype)
        stored: str | tuple[str, ...] = vtype
    else:
        vt = np.asarray(list(vtype), dtype=str)
        if vt.size == 1:
            vt = np.full(k, vt[0])
        if vt.size != k:
            raise ValueError(f"escalc: 'vtype' must be one value or one per study ({k}), got {vt.size}")
        stored = tuple(str(v) for v in vt)
    allowed = VTYPES.get(measure)
    if allowed is not None:
        bad = sorted(set(vt) - set(allowed))
        if bad:
            raise ValueError(
                f"escalc(measure={measure!r}): vtype must be one of {', '.join(allowed)}; "
                f"got {', '.join(bad)}"
            )
    return vt, stored
