"""What every diagnostic result shares: ``to_dict()`` of plain values, and metafor's text layout."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import fields
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def _plain(value: Any) -> Any:
    """Convert numpy values to JSON-friendly Python values (NaN becomes ``None``)."""
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "to_dict") and callable(value.to_dict):
        return value.to_dict()
    return value


class _ResultMixin:
    """``to_dict()`` for the frozen result dataclasses of the diagnostics."""

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a dict of plain Python values (arrays as lists, NaN as ``None``)."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]


def _fmt_p(p: float, digits: int = 4) -> str:
    """metafor's ``.pval``: ``<.0001`` below ``10^-digits``, else ``p`` with ``digits`` decimals."""
    if p is None or math.isnan(p):
        return "NA"
    if p < 10.0 ** (-digits):
        return "<." + "0" * (digits - 1) + "1"
    return f"{p:.{digits}f}"


def _fmt(x: float, digits: int = 4) -> str:
    if x is None or math.isnan(x):
        return "NA"
    return f"{x:.{digits}f}"


def _table(columns: Mapping[str, Any], rows: Sequence[str], digits: int) -> str:
    """A right-aligned text table (metafor's ``print.list.rma`` layout)."""
    cells = {
        name: [v if isinstance(v, str) else _fmt(float(v), digits) for v in values] for name, values in columns.items()
    }
    width0 = max([len(r) for r in rows] + [0])
    widths = {name: max(len(name), *(len(c) for c in col)) for name, col in cells.items()}
    head = " " * width0 + "".join(f" {name:>{widths[name]}}" for name in cells)
    lines = [head]
    for i, row in enumerate(rows):
        lines.append(f"{row:<{width0}}" + "".join(f" {cells[n][i]:>{widths[n]}}" for n in cells))
    return "\n".join(lines)
