"""Writing a figure: the matplotlib settings of every plot and the file format chosen by the suffix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib as mpl
from matplotlib.figure import Figure

SUFFIXES = {".svg": "svg", ".png": "png", ".pdf": "pdf"}
#: matplotlib settings used while drawing and saving (SVG text kept as text, stable ids).
RC: dict[Any, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "ldn-atlas",
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "pdf.fonttype": 42,
}


def check_path(path: str | Path) -> tuple[Path, str]:
    """``path`` and its format (``svg``, ``png`` or ``pdf``, from the suffix)."""
    p = Path(path)
    fmt = SUFFIXES.get(p.suffix.lower())
    if fmt is None:
        raise ValueError(f"path: suffix must be one of .svg, .png, .pdf, got {p.name!r}")
    return p, fmt


def save(fig: Figure, path: str | Path | None) -> Path | Figure:
    """Write ``fig`` to ``path`` and return the path; without a path return the figure."""
    if path is None:
        return fig
    p, fmt = check_path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    metadata: dict[str, Any] = {"Date": None} if fmt in ("svg", "pdf") else {}
    with mpl.rc_context(RC):
        fig.savefig(p, format=fmt, metadata=metadata, dpi=150)
    return p
