"""What :func:`~ldn_atlas.stats.escalc` returns: :class:`EffectSizes` and its per-study :class:`EffectSizesSummary`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from ldn_atlas.stats.effect_sizes.family import FloatArray
from ldn_atlas.stats.effect_sizes.measures import MEASURES

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def _frozen(a: FloatArray) -> FloatArray:
    a = np.array(a, dtype=float, copy=True)
    a.setflags(write=False)
    return a


def _json_list(a: FloatArray) -> list[float | None]:
    return [None if not np.isfinite(v) else float(v) for v in a]


@dataclass(frozen=True)
class EffectSizesSummary:
    """Per-study inference for :class:`EffectSizes` (metafor ``summary.escalc``).

    ``yi``, ``ci_lb`` and ``ci_ub`` are on the transformed scale when a ``transf`` was given;
    ``sei``, ``zi`` and ``pval`` are always on the scale of the measure (test of ``yi = 0``).
    """

    measure: str
    yi: FloatArray
    sei: FloatArray
    zi: FloatArray
    pval: FloatArray
    ci_lb: FloatArray
    ci_ub: FloatArray
    level: float
    transformed: bool
    slab: tuple[str, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (``None`` where a value is missing)."""
        return {
            "measure": self.measure,
            "level": self.level,
            "transformed": self.transformed,
            "slab": list(self.slab) if self.slab is not None else None,
            "yi": _json_list(self.yi),
            "sei": _json_list(self.sei),
            "zi": _json_list(self.zi),
            "pval": _json_list(self.pval),
            "ci_lb": _json_list(self.ci_lb),
            "ci_ub": _json_list(self.ci_ub),
        }

    def to_frame(self) -> pd.DataFrame:
        """A :class:`pandas.DataFrame` with one row per study (needs pandas)."""
        pd = _pandas()
        index = list(self.slab) if self.slab is not None else None
        return pd.DataFrame(
            {"yi": self.yi, "sei": self.sei, "zi": self.zi, "pval": self.pval,
             "ci_lb": self.ci_lb, "ci_ub": self.ci_ub},
            index=index,
        )


@dataclass(frozen=True)
class EffectSizes:
    """Observed effect sizes ``yi`` with sampling variances ``vi`` (one per study).

    Attributes
    ----------
    measure : str
        The metafor measure code (e.g. ``"RR"``).
    yi, vi : numpy.ndarray
        Effect sizes and sampling variances, ``NaN`` where they cannot be computed.
    slab : tuple of str or None
        Study labels, when given.
    ni : numpy.ndarray or None
        Unadjusted total sample size per study (metafor's ``attr(yi, "ni")``; person-time
        for rates), used e.g. by :func:`ldn_atlas.stats.transf.ipft_hm`.
    add, to, drop00, vtype
        The settings used.
    """

    measure: str
    yi: FloatArray
    vi: FloatArray
    slab: tuple[str, ...] | None = None
    ni: FloatArray | None = None
    add: float = 0.5
    to: str = "only0"
    drop00: bool = False
    vtype: str | tuple[str, ...] = "LS"
    description: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "yi", _frozen(self.yi))
        object.__setattr__(self, "vi", _frozen(self.vi))
        if self.ni is not None:
            object.__setattr__(self, "ni", _frozen(self.ni))
        if self.yi.shape != self.vi.shape:
            raise ValueError(f"yi and vi differ in length ({self.yi.size} vs {self.vi.size})")
        if not self.description:
            object.__setattr__(self, "description", MEASURES.get(self.measure, self.measure))

    @property
    def k(self) -> int:
        """Number of studies (rows), including those with ``NaN``."""
        return int(self.yi.size)

    def __len__(self) -> int:
        return self.k

    @property
    def sei(self) -> FloatArray:
        """Standard errors ``sqrt(vi)``."""
        return np.sqrt(self.vi)

    @property
    def labels(self) -> tuple[str, ...]:
        """``slab`` when given, else ``Study 1`` ... ``Study k``."""
        if self.slab is not None:
            return self.slab
        return tuple(f"Study {i + 1}" for i in range(self.k))

    def summary(
        self,
        transf: Callable[..., ArrayLike] | None = None,
        *,
        targs: Mapping[str, Any] | None = None,
        level: float = 95.0,
    ) -> EffectSizesSummary:
        """Per-study z-tests and Wald confidence intervals (metafor ``summary.escalc``).

        Parameters
        ----------
        transf : callable, optional
            Back-transformation applied to ``yi`` and the CI bounds (e.g.
            :func:`ldn_atlas.stats.transf.exp`); called as ``transf(x)`` or, with ``targs``,
            ``transf(x, targs=targs)``. Bounds are re-ordered if the function decreases.
        targs : mapping, optional
            Extra arguments for ``transf``.
        level : float
            Confidence level in percent (default 95).
        """
        if not 0 < level < 100:
            raise ValueError(f"level must be between 0 and 100 (percent), got {level!r}")
        crit = stats.norm.isf((1 - level / 100) / 2)
        sei = self.sei
        with np.errstate(divide="ignore", invalid="ignore"):
            zi = self.yi / sei
        pval = 2 * stats.norm.sf(np.abs(zi))
        lb = self.yi - crit * sei
        ub = self.yi + crit * sei
        yi = self.yi
        if transf is not None:
            def f(x: FloatArray) -> FloatArray:
                out = transf(x) if targs is None else transf(x, targs=targs)
                return np.asarray(out, dtype=float)

            yi, lb, ub = f(yi), f(lb), f(ub)
            lb, ub = np.fmin(lb, ub), np.fmax(lb, ub)
        return EffectSizesSummary(
            measure=self.measure, yi=_frozen(yi), sei=_frozen(sei), zi=_frozen(zi),
            pval=_frozen(pval), ci_lb=_frozen(lb), ci_ub=_frozen(ub), level=float(level),
            transformed=transf is not None, slab=self.slab,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (``None`` where a value is missing)."""
        return {
            "measure": self.measure,
            "description": self.description,
            "slab": list(self.slab) if self.slab is not None else None,
            "yi": _json_list(self.yi),
            "vi": _json_list(self.vi),
            "ni": _json_list(self.ni) if self.ni is not None else None,
            "add": self.add,
            "to": self.to,
            "drop00": self.drop00,
            "vtype": list(self.vtype) if isinstance(self.vtype, tuple) else self.vtype,
        }

    def to_frame(self) -> pd.DataFrame:
        """A :class:`pandas.DataFrame` with columns ``yi``, ``vi`` (index: ``slab``; needs pandas)."""
        pd = _pandas()
        index = list(self.slab) if self.slab is not None else None
        return pd.DataFrame({"yi": self.yi, "vi": self.vi}, index=index)


def _pandas() -> Any:
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - pandas is installed in the test extra
        raise ImportError("to_frame() needs pandas (pip install pandas)") from exc
    return pd

