"""Reading the inputs of the Mantel-Haenszel and Peto methods: the paired settings, tables and labels."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import stats

from ldn_atlas.stats.effect_sizes.inputs import gather
from ldn_atlas.stats.mantel_haenszel.result import FloatArray

#: the measures :func:`~ldn_atlas.stats.rma_mh` pools.
MH_MEASURES = ("OR", "RR", "RD", "IRR", "IRD")
TO_VALUES = ("all", "only0", "if0all", "none")


def pair(name: str, value: Any, second: Any) -> tuple[Any, Any]:
    """``value`` as (for escalc, for the pooled estimate): one value sets the first, ``second`` is the default."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence | np.ndarray):
        return value, second
    items = list(value)
    if len(items) == 1:
        return items[0], second
    if len(items) != 2:
        raise ValueError(f"'{name}' must be one value or two (for escalc and for the pooled estimate)")
    return items[0], items[1]


def settings(
    add: Any, to: Any, drop00: Any
) -> tuple[tuple[float, float], tuple[str, str], tuple[bool, bool]]:
    """The checked pairs ``add``, ``to`` and ``drop00``."""
    a1, a2 = pair("add", add, 0.0)
    t1, t2 = pair("to", to, "none")
    d1, d2 = pair("drop00", drop00, False)
    for t in (t1, t2):
        if t not in TO_VALUES:
            raise ValueError(f"unknown 'to' {t!r}; use one of {', '.join(TO_VALUES)}")
    adds = (float(a1), float(a2))
    if any(not math.isfinite(a) or a < 0 for a in adds):
        raise ValueError(f"'add' must be non-negative numbers, got {add!r}")
    return adds, (str(t1), str(t2)), (bool(d1), bool(d2))


def crit_value(level: float) -> float:
    """The two-sided normal critical value of ``level`` (percent)."""
    if not 0 < level < 100:
        raise ValueError(f"level must be between 0 and 100 (percent), got {level!r}")
    return float(stats.norm.isf((1 - level / 100) / 2))


def labels(slab: Sequence[Any] | None, k: int, fn: str) -> tuple[str, ...]:
    """Study labels as strings (``Study i`` without ``slab``)."""
    if slab is None:
        return tuple(f"Study {i + 1}" for i in range(k))
    labels = tuple(str(s) for s in (slab.tolist() if hasattr(slab, "tolist") else slab))
    if len(labels) != k:
        raise ValueError(f"{fn}: 'slab' has {len(labels)} labels for {k} studies")
    return labels


def tables(fn: str, ai: Any, bi: Any, ci: Any, di: Any, n1i: Any,
            n2i: Any) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """The four cells of each 2x2 table (``bi``/``di`` from ``n1i``/``n2i`` when not given)."""
    arrays, _k = gather(fn, {"ai": ai, "bi": bi, "ci": ci, "di": di, "n1i": n1i, "n2i": n2i})
    for name in ("ai", "ci"):
        if name not in arrays:
            raise ValueError(f"{fn} needs ai, bi, ci, di (or ai, ci, n1i, n2i); missing: {name}")
    if "bi" not in arrays and "n1i" not in arrays:
        raise ValueError(f"{fn} needs bi or n1i; neither given")
    if "di" not in arrays and "n2i" not in arrays:
        raise ValueError(f"{fn} needs di or n2i; neither given")
    a, c = arrays["ai"], arrays["ci"]
    b = arrays["bi"] if "bi" in arrays else arrays["n1i"] - a
    d = arrays["di"] if "di" in arrays else arrays["n2i"] - c
    return a, b, c, d


def table_inputs(fn: str, measure: str, cols: dict[str, Any]) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """The 2x2 tables of ``OR``, ``RR`` or ``RD`` (rate arguments are refused)."""
    for name in ("x1i", "x2i", "t1i", "t2i"):
        if cols[name] is not None:
            raise ValueError(f"{fn}: '{name}' is for IRR/IRD; measure {measure} uses ai, bi, ci, di")
    return tables(fn, *(cols[n] for n in ("ai", "bi", "ci", "di", "n1i", "n2i")))


def rate_inputs(fn: str, measure: str, cols: dict[str, Any]) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Events and person-times ``x1i, x2i, t1i, t2i`` of ``IRR`` or ``IRD`` (2x2 arguments are refused)."""
    for name in ("ai", "bi", "ci", "di", "n1i", "n2i"):
        if cols[name] is not None:
            raise ValueError(
                f"{fn}: '{name}' is for 2x2 tables; measure {measure} uses x1i, x2i, t1i, t2i"
            )
    arrays, _k = gather(fn, {"x1i": cols["x1i"], "x2i": cols["x2i"], "t1i": cols["t1i"], "t2i": cols["t2i"]})
    missing = [n for n in ("x1i", "x2i", "t1i", "t2i") if n not in arrays]
    if missing:
        raise ValueError(
            f"{fn}(measure={measure!r}) needs x1i, x2i, t1i, t2i; missing: {', '.join(missing)}"
        )
    x1, x2, t1, t2 = (arrays[n] for n in ("x1i", "x2i", "t1i", "t2i"))
    return x1, x2, t1, t2
