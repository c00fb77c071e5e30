"""The tables of a Mantel-Haenszel or Peto fit, prepared: per-study effects for the heterogeneity test,
double-zero tables and tables with missing cells dropped, zero cells adjusted for the pooled estimate.

Element 1 of the ``add``/``to``/``drop00`` pairs goes to :func:`~ldn_atlas.stats.escalc` for the per-study
``yi``/``vi``; element 2 adjusts the tables of the pooled estimate (metafor 3.8's ``rma.mh``/``rma.peto``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ldn_atlas.errors import DataWarning
from ldn_atlas.stats.effect_sizes.compute import escalc
from ldn_atlas.stats.effect_sizes.corrections import add_to
from ldn_atlas.stats.effect_sizes.result import EffectSizes
from ldn_atlas.stats.mantel_haenszel.result import FloatArray

Pairs = tuple[tuple[float, float], tuple[str, str], tuple[bool, bool]]


@dataclass(frozen=True)
class Prepared:
    """The cells used for the pooled estimate, which input rows they are, and the per-study effects."""

    cells: list[FloatArray]
    keep: NDArray[np.bool_]
    es: EffectSizes
    k_all: int

    def per_row(self, w: FloatArray) -> FloatArray:
        """Values of the tables used (e.g. weights), placed on all ``k_all`` input rows (NaN elsewhere)."""
        out = np.full(self.k_all, np.nan)
        out[self.keep] = w
        return out


def prepare_tables(fn: str, measure: str, cells: tuple[FloatArray, ...], pairs: Pairs) -> Prepared:
    """2x2 tables ``ai, bi, ci, di``: per-study ``measure`` effects, then the tables for pooling."""
    adds, tos, drops = pairs
    a, b, c, d = cells
    k_all = a.size
    es = escalc(measure, ai=a, bi=b, ci=c, di=d, add=adds[0], to=tos[0], drop00=drops[0])
    if drops[1]:
        id00 = ((a == 0) & (c == 0)) | ((b == 0) & (d == 0))
        a, b, c, d = (np.where(id00, np.nan, x) for x in (a, b, c, d))
    (a, b, c, d), keep = drop_na(fn, [a, b, c, d])
    warn_yi_na(fn, es.yi, es.vi)
    a, b, c, d = add_to([a, b, c, d], adds[1], tos[1])
    return Prepared([a, b, c, d], keep, es, k_all)


def prepare_rates(fn: str, measure: str, cells: tuple[FloatArray, ...], pairs: Pairs) -> Prepared:
    """Events and person-times ``x1, x2, t1, t2``: per-study ``measure`` effects, then the data for pooling."""
    adds, tos, drops = pairs
    x1, x2, t1, t2 = cells
    k_all = x1.size
    es = escalc(measure, x1i=x1, x2i=x2, t1i=t1, t2i=t2, add=adds[0], to=tos[0], drop00=drops[0])
    if drops[1]:
        id00 = (x1 == 0) & (x2 == 0)
        x1, x2 = (np.where(id00, np.nan, x) for x in (x1, x2))
    (x1, x2, t1, t2), keep = drop_na(fn, [x1, x2, t1, t2])
    warn_yi_na(fn, es.yi, es.vi)
    x1, x2 = add_to([x1, x2], adds[1], tos[1])
    return Prepared([x1, x2, t1, t2], keep, es, k_all)


def drop_na(fn: str, cells: list[FloatArray]) -> tuple[list[FloatArray], NDArray[np.bool_]]:
    """The cells without the tables that have a missing cell (with a warning), and which rows are kept."""
    has_na = np.zeros(cells[0].shape, dtype=bool)
    for c in cells:
        has_na |= np.isnan(c)
    if has_na.any():
        warnings.warn(f"{fn}: tables with NAs omitted from model fitting", DataWarning, stacklevel=4)
    keep = ~has_na
    if not keep.any():
        raise ValueError(f"{fn}: no complete tables left (k = 0)")
    return [c[keep] for c in cells], keep


def warn_yi_na(fn: str, yi: FloatArray, vi: FloatArray) -> None:
    """Warn when some per-study effects are missing (they leave the heterogeneity test)."""
    if np.any(np.isnan(yi) | np.isnan(vi)):
        warnings.warn(f"{fn}: some per-study yi/vi values are NA (excluded from the heterogeneity test)",
                      DataWarning, stacklevel=4)
