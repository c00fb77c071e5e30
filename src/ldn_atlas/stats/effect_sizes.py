"""Effect sizes and their sampling variances: :func:`escalc`, metafor's interface in Python.

``escalc(measure, ...)`` computes one observed effect ``yi`` and its sampling variance ``vi``
per study from summary data, with metafor 3.8's measure codes, argument names and
conventions (zero-cell corrections ``add``/``to``/``drop00``, variance types ``vtype``,
``NaN`` where an input is missing or an outcome cannot be computed).

Measures
--------
=============  ==============================================================  ====================
group          measures                                                        inputs
=============  ==============================================================  ====================
2x2 tables     ``RR`` (log risk ratio), ``OR`` (log odds ratio), ``RD``        ``ai, bi, ci, di``
               (risk difference), ``PETO`` (Peto log odds ratio), ``AS``       (or ``ai, ci, n1i,
               (arcsine square-root risk difference)                           n2i``)
person-time    ``IRR`` (log incidence rate ratio), ``IRD`` (rate difference),  ``x1i, x2i, t1i,
(two groups)   ``IRSD`` (square-root rate difference)                          t2i``
means/SDs      ``MD``, ``SMD`` (Hedges' g, exact correction), ``SMDH``         ``m1i, m2i, sd1i,
(two groups)   (heteroscedastic SMD), ``ROM`` (log ratio of means)             sd2i, n1i, n2i``
correlations   ``COR`` (raw), ``ZCOR`` (Fisher's r-to-z)                        ``ri, ni``
proportions    ``PR``, ``PLN`` (log), ``PLO`` (logit), ``PAS`` (arcsine),      ``xi, ni`` (or
               ``PFT`` (Freeman-Tukey double arcsine)                          ``xi, mi``)
rates          ``IR``, ``IRLN`` (log), ``IRS`` (square root), ``IRFT``         ``xi, ti``
               (Freeman-Tukey)
paired         ``MC`` (raw mean change), ``SMCC`` (change-score                ``m1i, m2i, sd1i,
(pre/post)     standardisation), ``SMCR`` (raw-score standardisation),         sd2i, ni, ri``
               ``SMCRH`` (heteroscedastic), ``ROMC``, ``CVRC``, ``VRC``
               (log ratios of means, CVs, SDs for dependent samples)
variability    ``VR`` (log SD ratio), ``CVR`` (log CV ratio)                   ``m1i, m2i, sd1i,
(two groups)                                                                   sd2i, n1i, n2i``
one group      ``MN`` (mean), ``MNLN`` (log mean), ``CVLN`` (log CV),          ``mi, sdi, ni``
               ``SDLN`` (log SD), ``SMN`` (standardized mean)
=============  ==============================================================  ====================

Conventions (metafor 3.8-1 defaults)
------------------------------------
* ``add=0.5`` is added to *every* cell of a 2x2 table (or to ``xi`` and ``ni - xi`` of a
  proportion, to the counts of a rate) that has a zero cell (``to="only0"``); ``to="all"``
  adds to every study, ``"if0all"`` to every study when any study has a zero, ``"none"``
  never. ``add`` defaults to 0 for ``AS``, ``PAS``, ``PFT``, ``IRS``, ``IRFT`` and ``IRSD``.
* ``drop00=True`` sets tables with no events (or only events) in both groups to ``NaN``.
* ``SMD`` is Hedges' g with the exact correction
  ``J(m) = exp(lgamma(m/2) - log(sqrt(m/2)) - lgamma((m-1)/2))``, ``m = n1 + n2 - 2``.
* Infinite or ``NaN`` outcomes and negative variances become ``NaN`` (metafor: NA), with a
  :class:`~ldn_atlas.errors.DataWarning` for infinite values.

References
----------
.. [1] Viechtbauer, W. (2010). Conducting meta-analyses in R with the metafor package.
   Journal of Statistical Software, 36(3), 1-48. https://doi.org/10.18637/jss.v036.i03
.. [2] Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size and
   related estimators. Journal of Educational Statistics, 6(2), 107-128.
.. [3] Bonett, D. G. (2009). Meta-analytic interval estimation for standardized and
   unstandardized mean differences. Psychological Methods, 14(3), 225-238.
.. [4] Becker, B. J. (1988). Synthesizing standardized mean-change measures. British Journal
   of Mathematical and Statistical Psychology, 41(2), 257-278.
.. [5] Morris, S. B. (2008). Estimating effect sizes from pretest-posttest-control group
   designs. Organizational Research Methods, 11(2), 364-386.
.. [6] Hedges, L. V., Gurevitch, J., & Curtis, P. S. (1999). The meta-analysis of response
   ratios in experimental ecology. Ecology, 80(4), 1150-1156.
.. [7] Freeman, M. F., & Tukey, J. W. (1950). Transformations related to the angular and the
   square root. Annals of Mathematical Statistics, 21(4), 607-611.
.. [8] Yusuf, S., Peto, R., Lewis, J., Collins, R., & Sleight, P. (1985). Beta blockade during
   and after myocardial infarction. Progress in Cardiovascular Diseases, 27(5), 335-371.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special, stats

from ldn_atlas.errors import DataWarning

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "MEASURES",
    "EffectSizes",
    "EffectSizesSummary",
    "escalc",
    "hedges_correction",
]

FloatArray = NDArray[np.float64]

#: measure code -> short description (the measures :func:`escalc` computes).
MEASURES: dict[str, str] = {
    "RR": "log risk ratio",
    "OR": "log odds ratio",
    "RD": "risk difference",
    "PETO": "log odds ratio (Peto's method)",
    "AS": "arcsine square-root transformed risk difference",
    "IRR": "log incidence rate ratio",
    "IRD": "incidence rate difference",
    "IRSD": "square-root transformed incidence rate difference",
    "MD": "raw mean difference",
    "SMD": "standardized mean difference (Hedges' g)",
    "SMDH": "standardized mean difference with heteroscedastic population variances",
    "ROM": "log transformed ratio of means",
    "COR": "raw correlation coefficient",
    "ZCOR": "r-to-z transformed correlation coefficient",
    "PR": "raw proportion",
    "PLN": "log transformed proportion",
    "PLO": "logit transformed proportion",
    "PAS": "arcsine square-root transformed proportion",
    "PFT": "Freeman-Tukey double arcsine transformed proportion",
    "IR": "raw incidence rate",
    "IRLN": "log transformed incidence rate",
    "IRS": "square-root transformed incidence rate",
    "IRFT": "Freeman-Tukey transformed incidence rate",
    "MC": "raw mean change",
    "SMCC": "standardized mean change using change score standardization",
    "SMCR": "standardized mean change using raw score standardization",
    "ROMC": "log transformed ratio of means (dependent samples)",
    "SMCRH": "standardized mean change using raw score standardization, heteroscedastic variances",
    "CVRC": "log transformed coefficient of variation ratio (dependent samples)",
    "VRC": "log transformed variability ratio (dependent samples)",
    "VR": "log transformed variability ratio",
    "CVR": "log transformed coefficient of variation ratio",
    "MN": "raw mean",
    "MNLN": "log transformed mean",
    "CVLN": "log transformed coefficient of variation",
    "SDLN": "log transformed standard deviation",
    "SMN": "single-group standardized mean",
}

_TWO_BY_TWO = frozenset({"RR", "OR", "RD", "PETO", "AS"})
_PERSON_TIME = frozenset({"IRR", "IRD", "IRSD"})
_TWO_GROUP_MEANS = frozenset({"MD", "SMD", "SMDH", "ROM", "VR", "CVR"})
_SINGLE_MEANS = frozenset({"MN", "MNLN", "CVLN", "SDLN", "SMN"})
_CORRELATIONS = frozenset({"COR", "ZCOR"})
_PROPORTIONS = frozenset({"PR", "PLN", "PLO", "PAS", "PFT"})
_RATES = frozenset({"IR", "IRLN", "IRS", "IRFT"})
_PAIRED = frozenset({"MC", "SMCC", "SMCR", "ROMC", "SMCRH", "CVRC", "VRC"})
#: measures whose default ``add`` is 0 (metafor: no adjustment unless ``add`` is given).
_ADD_ZERO = frozenset({"AS", "PAS", "PFT", "IRS", "IRFT", "IRSD"})
_TO_VALUES = ("all", "only0", "if0all", "none")
#: vtype values each measure accepts (measures not listed ignore vtype, as in metafor).
_VTYPES: dict[str, tuple[str, ...]] = {
    "RD": ("UB", "LS", "AV"),
    "PR": ("UB", "LS", "AV"),
    "PLN": ("LS", "AV"),
    "PLO": ("LS", "AV"),
    "MD": ("UB", "LS", "HO"),
    "SMD": ("UB", "LS", "LS2", "AV"),
    "SMDH": ("LS", "LS2"),
    "ROM": ("LS", "HO", "AV", "AVHO"),
    "COR": ("LS", "AV"),
    "SMCC": ("LS", "LS2"),
    "SMCR": ("LS", "LS2"),
}


# --------------------------------------------------------------------------------------------
# result types
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def hedges_correction(m: ArrayLike) -> FloatArray:
    """Exact small-sample bias correction ``J(m)`` of Hedges (1981).

    ``J(m) = Gamma(m/2) / (sqrt(m/2) Gamma((m-1)/2))``, computed on the log scale
    (``gammaln``) so that it does not overflow; ``NaN`` for ``m <= 1``.

    Parameters
    ----------
    m : array_like
        Degrees of freedom (``n1 + n2 - 2`` for two groups, ``n - 1`` for one).

    References
    ----------
    .. [1] Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size and
       related estimators. Journal of Educational Statistics, 6(2), 107-128.
    """
    m = np.asarray(m, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.exp(special.gammaln(m / 2) - np.log(np.sqrt(m / 2)) - special.gammaln((m - 1) / 2))
    return np.where(m > 1, out, np.nan)


def _as_array(name: str, value: Any, label: str = "escalc") -> FloatArray:
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


def _columns(label: str, supplied: dict[str, Any], data: Any) -> dict[str, Any]:
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


def _gather(label: str, supplied: Mapping[str, Any]) -> tuple[dict[str, FloatArray], int]:
    """Convert the supplied inputs and check that they have a common length (scalars broadcast).

    ``label`` names the caller in error messages (e.g. ``"escalc(measure='RR')"``).
    """
    given = {name: v for name, v in supplied.items() if v is not None}
    arrays = {name: _as_array(name, v, label) for name, v in given.items()}
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


def _require(measure: str, arrays: Mapping[str, FloatArray], *names: str) -> None:
    missing = [n for n in names if n not in arrays]
    if missing:
        raise ValueError(
            f"escalc(measure={measure!r}) needs {', '.join(names)}; missing: {', '.join(missing)}"
        )


def _check(cond: NDArray[np.bool_], message: str) -> None:
    if np.any(cond):
        idx = np.flatnonzero(cond)
        rows = ", ".join(str(i + 1) for i in idx[:5]) + (" ..." if idx.size > 5 else "")
        raise ValueError(f"{message} (study {rows})")


def _vtypes(
    measure: str, vtype: str | Sequence[str], k: int
) -> tuple[NDArray[np.str_], str | tuple[str, ...]]:
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
    allowed = _VTYPES.get(measure)
    if allowed is not None:
        bad = sorted(set(vt) - set(allowed))
        if bad:
            raise ValueError(
                f"escalc(measure={measure!r}): vtype must be one of {', '.join(allowed)}; "
                f"got {', '.join(bad)}"
            )
    return vt, stored


def _wmean(x: FloatArray, w: FloatArray) -> float:
    ok = ~(np.isnan(x) | np.isnan(w))
    if not ok.any():
        return float("nan")
    return float(np.sum(x[ok] * w[ok]) / np.sum(w[ok]))


def _add_to(cells: list[FloatArray], add: float, to: str) -> list[FloatArray]:
    """metafor's zero-cell adjustment: add ``add`` to all ``cells`` per ``to``."""
    if to == "none" or add == 0:
        return [c.copy() for c in cells]
    if to == "all":
        return [c + add for c in cells]
    id0 = np.zeros(cells[0].shape, dtype=bool)
    for c in cells:
        id0 |= c == 0  # NaN compares False, as metafor's id0[is.na(id0)] <- FALSE
    if to == "only0":
        return [c + add * id0 for c in cells]
    # if0all
    if id0.any():
        return [c + add for c in cells]
    return [c.copy() for c in cells]


# --------------------------------------------------------------------------------------------
# the measure groups
#
# Each returns ``(yi, vi, ni_u, yi_na, vi_na)``: the masks mark values that are missing because
# an input they depend on is missing (R's NA). metafor keeps such a missing value apart from a
# value that cannot be *computed* (R's NaN, e.g. 0/0): a NaN sets both yi and vi to NA, a
# missing input only the outputs that depend on it (e.g. MD with a missing mean keeps vi).
# --------------------------------------------------------------------------------------------

_Out = tuple[FloatArray, FloatArray, FloatArray, NDArray[np.bool_], NDArray[np.bool_]]


def _na(*arrays: FloatArray) -> NDArray[np.bool_]:
    mask = np.zeros(arrays[0].shape, dtype=bool)
    for a in arrays:
        mask |= np.isnan(a)
    return mask



def _two_by_two(measure: str, a: dict[str, FloatArray], add: float, to: str, drop00: bool,
                vt: NDArray[np.str_]) -> _Out:
    if "ai" not in a or "ci" not in a:
        _require(measure, a, "ai", "ci")
    ai, ci = a["ai"], a["ci"]
    for cell, n, arm in (("bi", "n1i", "ai"), ("di", "n2i", "ci")):
        if cell not in a and n not in a:
            raise ValueError(f"escalc(measure={measure!r}) needs {cell} or {n} (with {arm}); neither given")
    bi = a.get("bi")
    di = a.get("di")
    n1 = a.get("n1i")
    n2 = a.get("n2i")
    if bi is not None and n1 is not None:
        _check(np.abs(n1 - (ai + bi)) > 0, "escalc: one or more 'n1i' values are not equal to 'ai + bi'")
    if di is not None and n2 is not None:
        _check(np.abs(n2 - (ci + di)) > 0, "escalc: one or more 'n2i' values are not equal to 'ci + di'")
    if bi is None:
        bi = n1 - ai  # type: ignore[operator]
    elif n1 is not None:
        bi = np.where(np.isnan(bi), n1 - ai, bi)
    if di is None:
        di = n2 - ci  # type: ignore[operator]
    elif n2 is not None:
        di = np.where(np.isnan(di), n2 - ci, di)
    _check((ai < 0) | (bi < 0) | (ci < 0) | (di < 0),
           "escalc: one or more counts (ai, bi, ci, di) are negative "
           "(is an event count larger than its group size?)")
    ni_u = ai + bi + ci + di
    if drop00:
        id00 = ((ai == 0) & (ci == 0)) | ((bi == 0) & (di == 0))
        ai, bi, ci, di = (np.where(id00, np.nan, x) for x in (ai, bi, ci, di))
    ai, bi, ci, di = _add_to([ai, bi, ci, di], add, to)
    n1i = ai + bi
    n2i = ci + di
    ni = n1i + n2i
    with np.errstate(divide="ignore", invalid="ignore"):
        p1 = ai / n1i
        p2 = ci / n2i
        if measure == "RR":
            yi = np.log(p1) - np.log(p2)
            vi = 1 / ai - 1 / n1i + 1 / ci - 1 / n2i
        elif measure == "OR":
            yi = np.log(p1 / (1 - p1)) - np.log(p2 / (1 - p2))
            vi = 1 / ai + 1 / bi + 1 / ci + 1 / di
        elif measure == "RD":
            yi = p1 - p2
            mp1 = _wmean(p1, n1i)
            mp2 = _wmean(p2, n2i)
            vi = np.select(
                [vt == "UB", vt == "LS", vt == "AV"],
                [p1 * (1 - p1) / (n1i - 1) + p2 * (1 - p2) / (n2i - 1),
                 p1 * (1 - p1) / n1i + p2 * (1 - p2) / n2i,
                 mp1 * (1 - mp1) / n1i + mp2 * (1 - mp2) / n2i],
                np.nan,
            )
        elif measure == "PETO":
            xt = ai + ci
            yt = bi + di
            ei = xt * n1i / ni
            var = xt * yt * (n1i / ni) * (n2i / ni) / (ni - 1)
            yi = (ai - ei) / var
            vi = 1 / var
        else:  # AS
            yi = np.arcsin(np.sqrt(p1)) - np.arcsin(np.sqrt(p2))
            vi = 1 / (4 * n1i) + 1 / (4 * n2i)
    na = _na(ai, bi, ci, di)
    return yi, vi, ni_u, na, na


def _person_time(measure: str, a: dict[str, FloatArray], add: float, to: str,
                 drop00: bool) -> _Out:
    _require(measure, a, "x1i", "x2i", "t1i", "t2i")
    x1, x2, t1, t2 = a["x1i"], a["x2i"], a["t1i"], a["t2i"]
    _check((x1 < 0) | (x2 < 0), "escalc: one or more counts (x1i, x2i) are negative")
    _check((t1 <= 0) | (t2 <= 0), "escalc: one or more person-times (t1i, t2i) are <= 0")
    ni_u = t1 + t2
    if drop00:
        id00 = (x1 == 0) & (x2 == 0)
        x1, x2 = (np.where(id00, np.nan, x) for x in (x1, x2))
    x1, x2 = _add_to([x1, x2], add, to)
    with np.errstate(divide="ignore", invalid="ignore"):
        r1 = x1 / t1
        r2 = x2 / t2
        if measure == "IRR":
            yi = np.log(r1) - np.log(r2)
            vi = 1 / x1 + 1 / x2
        elif measure == "IRD":
            yi = r1 - r2
            vi = r1 / t1 + r2 / t2
        else:  # IRSD
            yi = np.sqrt(r1) - np.sqrt(r2)
            vi = 1 / (4 * t1) + 1 / (4 * t2)
    yi_na = _na(x1, x2, t1, t2)
    vi_na = {"IRR": _na(x1, x2), "IRD": yi_na, "IRSD": _na(t1, t2)}[measure]
    return yi, vi, ni_u, yi_na, vi_na


def _two_group_means(measure: str, a: dict[str, FloatArray], k: int,
                     vt: NDArray[np.str_]) -> _Out:
    if measure == "SMD" and ("di" in a or "ti" in a):
        _require(measure, a, "n1i", "n2i")
        n1, n2 = a["n1i"], a["n2i"]
        d = a.get("di", np.full(k, np.nan)).copy()
        if "ti" in a:
            d = np.where(np.isnan(d), a["ti"] * np.sqrt(1 / n1 + 1 / n2), d)
        have = ~np.isnan(d)
        m1 = np.where(have, d, a.get("m1i", np.full(k, np.nan)))
        m2 = np.where(have, 0.0, a.get("m2i", np.full(k, np.nan)))
        s1 = np.where(have, 1.0, a.get("sd1i", np.full(k, np.nan)))
        s2 = np.where(have, 1.0, a.get("sd2i", np.full(k, np.nan)))
    elif measure == "VR":
        _require(measure, a, "sd1i", "sd2i", "n1i", "n2i")
        s1, s2, n1, n2 = (a[n] for n in ("sd1i", "sd2i", "n1i", "n2i"))
        m1 = a.get("m1i", np.full(k, np.nan))
        m2 = a.get("m2i", np.full(k, np.nan))
    else:
        _require(measure, a, "m1i", "m2i", "sd1i", "sd2i", "n1i", "n2i")
        m1, m2, s1, s2, n1, n2 = (a[n] for n in ("m1i", "m2i", "sd1i", "sd2i", "n1i", "n2i"))
    _check((s1 < 0) | (s2 < 0), "escalc: one or more standard deviations (sd1i, sd2i) are negative")
    _check((n1 <= 0) | (n2 <= 0), "escalc: one or more group sizes (n1i, n2i) are <= 0")
    ni = n1 + n2
    mi = ni - 2
    with np.errstate(divide="ignore", invalid="ignore"):
        sdp = np.sqrt(((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / mi)
        d = (m1 - m2) / sdp
        if measure == "MD":
            yi = m1 - m2
            vi = np.where(vt == "HO", sdp**2 * (1 / n1 + 1 / n2), s1**2 / n1 + s2**2 / n2)
        elif measure == "SMD":
            cm = hedges_correction(mi)
            yi = cm * d
            mnw = _wmean(yi, ni)
            vi = np.select(
                [vt == "UB", vt == "LS", vt == "AV", vt == "LS2"],
                [1 / n1 + 1 / n2 + (1 - (mi - 2) / (mi * cm**2)) * yi**2,
                 1 / n1 + 1 / n2 + yi**2 / (2 * ni),
                 1 / n1 + 1 / n2 + mnw**2 / (2 * ni),
                 cm**2 * (1 / n1 + 1 / n2 + d**2 / (2 * ni))],
                np.nan,
            )
        elif measure == "SMDH":
            cm = hedges_correction(mi)
            si = np.sqrt((s1**2 + s2**2) / 2)
            yi = cm * (m1 - m2) / si
            ls = cm**2 * (
                yi**2 * (s1**4 / (n1 - 1) + s2**4 / (n2 - 1)) / (2 * (s1**2 + s2**2) ** 2)
                + (s1**2 / (n1 - 1) + s2**2 / (n2 - 1)) / ((s1**2 + s2**2) / 2)
            )
            ls2 = (yi**2 * s1**2 / (2 * n1 * (s1**2 + s2**2) ** 2)
                   + yi**2 * s2**2 / (2 * n2 * (s1**2 + s2**2) ** 2)
                   + 2 * s1**2 / (n1 * (s1**2 + s2**2)) + 2 * s2**2 / (n2 * (s1**2 + s2**2)))
            vi = np.where(vt == "LS2", ls2, ls)
        elif measure == "VR":
            yi = np.log(s1 / s2) + 1 / (2 * (n1 - 1)) - 1 / (2 * (n2 - 1))
            vi = 1 / (2 * (n1 - 1)) + 1 / (2 * (n2 - 1))
        elif measure == "CVR":
            yi = np.log(s1 / m1) + 1 / (2 * (n1 - 1)) - np.log(s2 / m2) - 1 / (2 * (n2 - 1))
            vi = 1 / (2 * (n1 - 1)) + s1**2 / (n1 * m1**2) + 1 / (2 * (n2 - 1)) + s2**2 / (n2 * m2**2)
        else:  # ROM
            yi = np.log(m1 / m2)
            cv1 = s1 / m1
            cv2 = s2 / m2
            mn1 = _wmean(cv1, n1)
            mn2 = _wmean(cv2, n2)
            ok = ~(np.isnan(n1) | np.isnan(n2) | np.isnan(cv1) | np.isnan(cv2))
            mnw = (float(np.sum(n1[ok] * cv1[ok]) + np.sum(n2[ok] * cv2[ok])) / float(np.sum(ni[ok]))
                   if ok.any() else np.nan)
            vi = np.select(
                [vt == "LS", vt == "HO", vt == "AV", vt == "AVHO"],
                [s1**2 / (n1 * m1**2) + s2**2 / (n2 * m2**2),
                 sdp**2 / (n1 * m1**2) + sdp**2 / (n2 * m2**2),
                 mn1**2 / n1 + mn2**2 / n2,
                 mnw**2 * (1 / n1 + 1 / n2)],
                np.nan,
            )
    all_na = _na(m1, m2, s1, s2, n1, n2) | (mi <= 1)
    if measure == "MD":
        return yi, vi, ni, _na(m1, m2), _na(s1, s2, n1, n2)
    if measure == "SMD":
        return yi, vi, ni, all_na, np.where(vt == "AV", _na(n1, n2), all_na)
    if measure == "SMDH":
        return yi, vi, ni, all_na, all_na
    if measure == "VR":
        return yi, vi, ni, _na(s1, s2, n1, n2), _na(n1, n2)
    if measure == "CVR":
        na = _na(m1, m2, s1, s2, n1, n2)
        return yi, vi, ni, na, na
    rom_vi = np.where((vt == "AV") | (vt == "AVHO"), _na(n1, n2), _na(m1, m2, s1, s2, n1, n2))
    return yi, vi, ni, _na(m1, m2), rom_vi


def _single_mean(measure: str, a: dict[str, FloatArray]) -> _Out:
    if measure == "SDLN":
        _require(measure, a, "sdi", "ni")
    else:
        _require(measure, a, "mi", "sdi", "ni")
    sd, ni = a["sdi"], a["ni"]
    mean = a.get("mi", np.full(ni.shape, np.nan))
    _check(sd < 0, "escalc: one or more standard deviations (sdi) are negative")
    _check(ni <= 0, "escalc: one or more sample sizes (ni) are <= 0")
    if measure in ("MNLN", "CVLN"):
        _check(mean < 0, "escalc: one or more means (mi) are negative")
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "MN":
            yi, vi = mean.copy(), sd**2 / ni
            return yi, vi, ni.copy(), _na(mean), _na(sd, ni)
        if measure == "MNLN":
            yi, vi = np.log(mean), sd**2 / (ni * mean**2)
            return yi, vi, ni.copy(), _na(mean), _na(mean, sd, ni)
        if measure == "CVLN":
            yi = np.log(sd / mean) + 1 / (2 * (ni - 1))
            vi = 1 / (2 * (ni - 1)) + sd**2 / (ni * mean**2)
            na = _na(mean, sd, ni)
            return yi, vi, ni.copy(), na, na
        if measure == "SDLN":
            yi, vi = np.log(sd) + 1 / (2 * (ni - 1)), 1 / (2 * (ni - 1))
            return yi, vi, ni.copy(), _na(sd, ni), _na(ni)
        cm = hedges_correction(ni - 1)  # SMN
        yi = cm * mean / sd
        vi = 1 / ni + yi**2 / (2 * ni)
        na = _na(mean, sd, ni) | (ni - 1 <= 1)
        return yi, vi, ni.copy(), na, na


def _correlation(measure: str, a: dict[str, FloatArray],
                 vt: NDArray[np.str_]) -> _Out:
    _require(measure, a, "ri", "ni")
    ri, ni = a["ri"], a["ni"]
    _check(np.abs(ri) > 1, "escalc: one or more correlations (ri) are > 1 or < -1")
    _check(ni <= 0, "escalc: one or more sample sizes (ni) are <= 0")
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "COR":
            yi = ri.copy()
            mnw = _wmean(yi, ni)
            vi = np.where(vt == "AV", (1 - mnw**2) ** 2 / (ni - 1), (1 - yi**2) ** 2 / (ni - 1))
        else:  # ZCOR
            yi = np.arctanh(ri)
            vi = 1 / (ni - 3)
    if np.any(ni <= 3):
        warnings.warn("escalc: cannot estimate the sampling variance when ni <= 3 (set to NaN)",
                      DataWarning, stacklevel=3)
    vi = np.where(ni <= 3, np.nan, vi)
    vi_na = (ni <= 3) | (_na(ni) if measure == "ZCOR" else np.where(vt == "AV", _na(ni), _na(ri, ni)))
    return yi, vi, ni, _na(ri), vi_na


def _proportion(measure: str, a: dict[str, FloatArray], add: float, to: str,
                vt: NDArray[np.str_]) -> _Out:
    if "xi" not in a:
        _require(measure, a, "xi")
    xi = a["xi"]
    mi = a.get("mi")
    ni = a.get("ni")
    if mi is None and ni is None:
        raise ValueError(f"escalc(measure={measure!r}) needs ni (or mi) with xi; neither given")
    if mi is not None and ni is not None:
        _check(np.abs(ni - (xi + mi)) > 0, "escalc: one or more 'ni' values are not equal to 'xi + mi'")
        mi = np.where(np.isnan(mi), ni - xi, mi)
    elif mi is None:
        mi = ni - xi  # type: ignore[operator]
    _check((xi < 0) | (mi < 0), "escalc: one or more counts are negative (is xi larger than ni?)")
    ni_u = xi + mi
    _check(ni_u <= 0, "escalc: one or more group sizes (ni) are <= 0")
    xi, mi = _add_to([xi, mi], add, to)
    n = xi + mi
    with np.errstate(divide="ignore", invalid="ignore"):
        p = xi / n
        mnw = _wmean(p, n)
        if measure == "PR":
            yi = p
            vi = np.select([vt == "UB", vt == "LS", vt == "AV"],
                           [p * (1 - p) / (n - 1), p * (1 - p) / n, mnw * (1 - mnw) / n], np.nan)
        elif measure == "PLN":
            yi = np.log(p)
            vi = np.where(vt == "AV", 1 / (mnw * n) - 1 / n, 1 / xi - 1 / n)
        elif measure == "PLO":
            yi = np.log(p / (1 - p))
            vi = np.where(vt == "AV", 1 / (mnw * n) + 1 / ((1 - mnw) * n), 1 / xi + 1 / mi)
        elif measure == "PAS":
            yi = np.arcsin(np.sqrt(p))
            vi = 1 / (4 * n)
        else:  # PFT
            yi = 0.5 * (np.arcsin(np.sqrt(xi / (n + 1))) + np.arcsin(np.sqrt((xi + 1) / (n + 1))))
            vi = 1 / (4 * n + 2)
    na = _na(xi, mi)
    return yi, vi, ni_u, na, na


def _rate(measure: str, a: dict[str, FloatArray], add: float,
          to: str) -> _Out:
    _require(measure, a, "xi", "ti")
    xi, ti = a["xi"], a["ti"]
    _check(xi < 0, "escalc: one or more counts (xi) are negative")
    _check(ti <= 0, "escalc: one or more person-times (ti) are <= 0")
    (xi,) = _add_to([xi], add, to)
    with np.errstate(divide="ignore", invalid="ignore"):
        ir = xi / ti
        if measure == "IR":
            yi, vi = ir, ir / ti
        elif measure == "IRLN":
            yi, vi = np.log(ir), 1 / xi
        elif measure == "IRS":
            yi, vi = np.sqrt(ir), 1 / (4 * ti)
        else:  # IRFT
            yi, vi = 0.5 * (np.sqrt(ir) + np.sqrt(ir + 1 / ti)), 1 / (4 * ti)
    yi_na = _na(xi, ti)
    vi_na = {"IR": yi_na, "IRLN": _na(xi)}.get(measure, _na(ti))
    return yi, vi, ti.copy(), yi_na, vi_na


def _paired(measure: str, a: dict[str, FloatArray],
            vt: NDArray[np.str_]) -> _Out:
    if measure == "SMCR":
        _require(measure, a, "m1i", "m2i", "sd1i", "ni", "ri")
    elif measure == "VRC":
        _require(measure, a, "sd1i", "sd2i", "ni", "ri")
    else:
        _require(measure, a, "m1i", "m2i", "sd1i", "sd2i", "ni", "ri")
    s1, ni, ri = (a[n] for n in ("sd1i", "ni", "ri"))
    m1 = a.get("m1i", np.full(ni.shape, np.nan))
    m2 = a.get("m2i", np.full(ni.shape, np.nan))
    s2 = a.get("sd2i", np.full(ni.shape, np.nan))
    if measure == "SMCR":
        _check(s1 < 0, "escalc: one or more standard deviations (sd1i) are negative")
    else:
        _check((s1 < 0) | (s2 < 0), "escalc: one or more standard deviations (sd1i, sd2i) are negative")
    _check(np.abs(ri) > 1, "escalc: one or more correlations (ri) are > 1 or < -1")
    _check(ni <= 0, "escalc: one or more sample sizes (ni) are <= 0")
    mi = ni - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "MC":
            yi = m1 - m2
            vi = (s1**2 + s2**2 - 2 * ri * s1 * s2) / ni
        elif measure == "SMCC":
            cm = hedges_correction(mi)
            sdd = np.sqrt(s1**2 + s2**2 - 2 * ri * s1 * s2)
            d = (m1 - m2) / sdd
            yi = cm * d
            vi = np.where(vt == "LS2", cm**2 * (1 / ni + d**2 / (2 * ni)), 1 / ni + yi**2 / (2 * ni))
        elif measure == "SMCR":
            cm = hedges_correction(mi)
            d = (m1 - m2) / s1
            yi = cm * d
            vi = np.where(vt == "LS2", cm**2 * (2 * (1 - ri) / ni + d**2 / (2 * ni)),
                          2 * (1 - ri) / ni + yi**2 / (2 * ni))
        elif measure == "SMCRH":
            cm = hedges_correction(mi)
            var_d = s1**2 + s2**2 - 2 * ri * s1 * s2
            yi = cm * (m1 - m2) / s1
            vi = cm**2 * (var_d / (s1**2 * (ni - 1)) + yi**2 / (2 * (ni - 1)))
        elif measure == "CVRC":
            yi = np.log(s1 / m1) - np.log(s2 / m2)
            vi = ((1 - ri**2) / (ni - 1)
                  + (m1**2 * s2**2 + m2**2 * s1**2 - 2 * m1 * m2 * ri * s1 * s2) / (m1**2 * m2**2 * ni))
        elif measure == "VRC":
            yi = np.log(s1 / s2)
            vi = (1 - ri**2) / (ni - 1)
        else:  # ROMC
            yi = np.log(m1 / m2)
            vi = (s1**2 / (ni * m1**2) + s2**2 / (ni * m2**2) - 2 * ri * s1 * s2 / (m1 * m2 * ni))
    if measure == "MC":
        yi_na, vi_na = _na(m1, m2), _na(s1, s2, ri, ni)
    elif measure == "SMCC":
        yi_na = _na(m1, m2, s1, s2, ri, ni) | (mi <= 1)
        vi_na = yi_na
    elif measure == "SMCR":
        yi_na = _na(m1, m2, s1, ni) | (mi <= 1)
        vi_na = yi_na | _na(ri)
    elif measure == "SMCRH":
        yi_na = _na(m1, m2, s1, ni) | (mi <= 1)
        vi_na = yi_na | _na(s2, ri)
    elif measure == "CVRC":
        yi_na, vi_na = _na(m1, m2, s1, s2), _na(m1, m2, s1, s2, ri, ni)
    elif measure == "VRC":
        yi_na, vi_na = _na(s1, s2), _na(ri, ni)
    else:  # ROMC
        yi_na, vi_na = _na(m1, m2), _na(m1, m2, s1, s2, ri, ni)
    return yi, vi, ni.copy(), yi_na, vi_na


# --------------------------------------------------------------------------------------------
# escalc
# --------------------------------------------------------------------------------------------


def escalc(
    measure: str,
    *,
    ai: ArrayLike | None = None,
    bi: ArrayLike | None = None,
    ci: ArrayLike | None = None,
    di: ArrayLike | None = None,
    n1i: ArrayLike | None = None,
    n2i: ArrayLike | None = None,
    x1i: ArrayLike | None = None,
    x2i: ArrayLike | None = None,
    t1i: ArrayLike | None = None,
    t2i: ArrayLike | None = None,
    m1i: ArrayLike | None = None,
    m2i: ArrayLike | None = None,
    sd1i: ArrayLike | None = None,
    sd2i: ArrayLike | None = None,
    xi: ArrayLike | None = None,
    mi: ArrayLike | None = None,
    ni: ArrayLike | None = None,
    ti: ArrayLike | None = None,
    ri: ArrayLike | None = None,
    sdi: ArrayLike | None = None,
    add: float | None = None,
    to: str = "only0",
    drop00: bool = False,
    vtype: str | Sequence[str] = "LS",
    slab: Sequence[Any] | str | None = None,
    data: Any = None,
) -> EffectSizes:
    """Compute effect sizes and sampling variances (metafor's ``escalc``).

    Parameters
    ----------
    measure : str
        A metafor measure code; see :data:`MEASURES` (e.g. ``"RR"``, ``"SMD"``, ``"PFT"``).
    ai, bi, ci, di : array_like, optional
        2x2 table cells: events and non-events in group 1 (``ai``, ``bi``) and group 2
        (``ci``, ``di``). ``bi``/``di`` may be replaced by the group sizes ``n1i``/``n2i``.
        For ``SMD``, ``di`` may instead hold Cohen's d values (with ``n1i``, ``n2i``).
    n1i, n2i : array_like, optional
        Group sizes.
    x1i, x2i, t1i, t2i : array_like, optional
        Event counts and person-times of two groups (``IRR``, ``IRD``, ``IRSD``).
    m1i, m2i, sd1i, sd2i : array_like, optional
        Means and standard deviations of two groups, or of two time points for the paired
        measures (``MC``, ``SMCC``, ``SMCR``, ``ROMC``; ``m1i`` is the later/post mean, the
        effect is ``m1i - m2i``).
    xi, mi, ni : array_like, optional
        Events, non-events and sample size of one group (proportions), or sample size of a
        correlation or paired design. For the single-group mean measures ``mi`` is the mean.
    ti : array_like, optional
        Person-time (``IR``...), or t statistics for ``SMD``.
    ri : array_like, optional
        Correlation coefficients (``COR``, ``ZCOR``) or the pre/post correlation for the
        paired measures. A scalar is broadcast to every study.
    sdi : array_like, optional
        Standard deviation of one group (``MN``, ``MNLN``, ``CVLN``, ``SDLN``, ``SMN``, with
        the mean in ``mi`` as in metafor).
    add : float, optional
        Amount added to zero cells; default 0.5 (0 for ``AS``, ``PAS``, ``PFT``, ``IRS``,
        ``IRFT``, ``IRSD``).
    to : {"only0", "all", "if0all", "none"}
        Which studies ``add`` is applied to.
    drop00 : bool
        Set tables with no events (or no non-events) in both groups to ``NaN``.
    vtype : str or sequence of str
        Sampling-variance type: ``"LS"`` (large sample, default), ``"UB"`` (unbiased),
        ``"AV"``, ``"HO"``, ``"LS2"``, ``"AVHO"`` where the measure supports them.
    slab : sequence, optional
        Study labels (converted to ``str``).
    data : mapping or pandas.DataFrame, optional
        When given, any data argument (and ``slab``) may be a column name, as with metafor's
        ``data=``: ``escalc("RR", ai="tpos", bi="tneg", ci="cpos", di="cneg", data=df)``.

    Returns
    -------
    EffectSizes
        Frozen result with arrays ``yi``, ``vi`` (``NaN`` where not computable), ``sei``,
        and ``summary()``, ``to_dict()``, ``to_frame()``.

    Raises
    ------
    ValueError
        Unknown measure, ``to`` or ``vtype``; missing or mismatched inputs; impossible values
        (negative counts or SDs, correlations outside [-1, 1], ...). The message names the
        argument.

    References
    ----------
    .. [1] Viechtbauer, W. (2010). Conducting meta-analyses in R with the metafor package.
       Journal of Statistical Software, 36(3), 1-48.
    .. [2] Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size and
       related estimators. Journal of Educational Statistics, 6(2), 107-128.
    .. [3] Morris, S. B. (2008). Estimating effect sizes from pretest-posttest-control group
       designs. Organizational Research Methods, 11(2), 364-386.

    Examples
    --------
    >>> es = escalc("RR", ai=[4, 6], bi=[119, 300], ci=[11, 29], di=[128, 274])
    >>> es.yi.round(4)
    array([-0.8893, -1.5854])
    """
    if not isinstance(measure, str):
        raise ValueError(f"escalc: 'measure' must be a string such as 'RR', got {measure!r}")
    code = measure.upper()
    if code not in MEASURES:
        raise ValueError(f"escalc: unknown measure {measure!r}; available: {', '.join(MEASURES)}")
    if to not in _TO_VALUES:
        raise ValueError(f"escalc: unknown 'to' {to!r}; use one of {', '.join(_TO_VALUES)}")
    if add is None:
        add_value = 0.0 if code in _ADD_ZERO else 0.5
    else:
        add_value = float(add)
        if not np.isfinite(add_value) or add_value < 0:
            raise ValueError(f"escalc: 'add' must be a non-negative number, got {add!r}")

    supplied = _columns("escalc", {
        "ai": ai, "bi": bi, "ci": ci, "di": di, "n1i": n1i, "n2i": n2i, "x1i": x1i, "x2i": x2i,
        "t1i": t1i, "t2i": t2i, "m1i": m1i, "m2i": m2i, "sd1i": sd1i, "sd2i": sd2i, "xi": xi,
        "mi": mi, "ni": ni, "ti": ti, "ri": ri, "sdi": sdi, "slab": slab,
    }, data)
    slab = supplied.pop("slab")
    arrays, k = _gather(f"escalc(measure={code!r})", supplied)
    vt, vtype_stored = _vtypes(code, vtype, k)

    if code in _TWO_BY_TWO:
        yi, vi, ni_u, yi_na, vi_na = _two_by_two(code, arrays, add_value, to, bool(drop00), vt)
    elif code in _PERSON_TIME:
        yi, vi, ni_u, yi_na, vi_na = _person_time(code, arrays, add_value, to, bool(drop00))
    elif code in _TWO_GROUP_MEANS:
        yi, vi, ni_u, yi_na, vi_na = _two_group_means(code, arrays, k, vt)
    elif code in _CORRELATIONS:
        yi, vi, ni_u, yi_na, vi_na = _correlation(code, arrays, vt)
    elif code in _PROPORTIONS:
        yi, vi, ni_u, yi_na, vi_na = _proportion(code, arrays, add_value, to, vt)
    elif code in _RATES:
        yi, vi, ni_u, yi_na, vi_na = _rate(code, arrays, add_value, to)
    elif code in _SINGLE_MEANS:
        yi, vi, ni_u, yi_na, vi_na = _single_mean(code, arrays)
    else:
        yi, vi, ni_u, yi_na, vi_na = _paired(code, arrays, vt)

    yi = np.asarray(yi, dtype=float)
    vi = np.asarray(vi, dtype=float)
    inf = np.isinf(yi) | np.isinf(vi)
    if inf.any():
        warnings.warn("escalc: some yi and/or vi values are +-Inf; set to NaN", DataWarning, stacklevel=2)
    # metafor: +-Inf and NaN (not computable) set both yi and vi to NA; a missing input (NA)
    # only the outputs that depend on it; negative variances become NA.
    not_computable = inf | (np.isnan(yi) & ~yi_na) | (np.isnan(vi) & ~vi_na)
    yi = np.where(not_computable, np.nan, yi)
    with np.errstate(invalid="ignore"):
        vi = np.where(not_computable | (vi < 0), np.nan, vi)

    labels: tuple[str, ...] | None = None
    if slab is not None:
        labels = tuple(str(s) for s in (slab.tolist() if hasattr(slab, "tolist") else slab))
        if len(labels) != k:
            raise ValueError(f"escalc: 'slab' has {len(labels)} labels for {k} studies")
    return EffectSizes(
        measure=code, yi=yi, vi=vi, slab=labels, ni=np.asarray(ni_u, dtype=float),
        add=add_value, to=to, drop00=bool(drop00), vtype=vtype_stored,
    )
