"""What every measure family of :func:`~ldn_atlas.stats.escalc` shares: its settings, its output and NA masks.

A family (2x2 tables, two-group means, ...) is a function ``(measure, arrays, settings) -> FamilyOutput``:
``arrays`` are the checked inputs by argument name, :class:`Settings` the zero-cell and variance options.

Each family returns ``(yi, vi, ni_u, yi_na, vi_na)``: the masks mark values that are missing because
an input they depend on is missing (R's NA). metafor keeps such a missing value apart from a
value that cannot be *computed* (R's NaN, e.g. 0/0): a NaN sets both yi and vi to NA, a
missing input only the outputs that depend on it (e.g. MD with a missing mean keeps vi).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
FamilyOutput = tuple[FloatArray, FloatArray, FloatArray, NDArray[np.bool_], NDArray[np.bool_]]


@dataclass(frozen=True)
class Settings:
    """The options of one :func:`~ldn_atlas.stats.escalc` call that a measure family may use.

    ``k`` studies; zero-cell correction ``add`` applied per ``to``; ``drop00`` for double-zero
    tables; ``vt`` the variance type of each study.
    """

    k: int
    add: float
    to: str
    drop00: bool
    vt: NDArray[np.str_]


def na_mask(*arrays: FloatArray) -> NDArray[np.bool_]:
    """True where any of ``arrays`` is NaN (a missing input)."""
    mask = np.zeros(arrays[0].shape, dtype=bool)
    for a in arrays:
        mask |= np.isnan(a)
    return mask


def wmean(x: FloatArray, w: FloatArray) -> float:
    """Weighted mean of ``x`` over the entries where neither ``x`` nor ``w`` is NaN."""
    ok = ~(np.isnan(x) | np.isnan(w))
    if not ok.any():
        return float("nan")
    return float(np.sum(x[ok] * w[ok]) / np.sum(w[ok]))
