"""``escalc``: from summary data to one effect size ``yi`` and sampling variance ``vi`` per study.

The stages: the options are checked (:func:`_measure_and_add`), the inputs read from the arguments or
from ``data=`` (:mod:`.inputs`), the measure's family computes ``yi``/``vi`` (:mod:`.registry`), and
values that cannot be computed become ``NaN`` (:func:`_not_computable_to_nan`) in the frozen result.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ldn_atlas.errors import DataWarning
from ldn_atlas.stats.effect_sizes.family import FloatArray, Settings
from ldn_atlas.stats.effect_sizes.inputs import columns, gather, vtypes
from ldn_atlas.stats.effect_sizes.measures import ADD_ZERO, MEASURES, TO_VALUES
from ldn_atlas.stats.effect_sizes.registry import FAMILIES
from ldn_atlas.stats.effect_sizes.result import EffectSizes


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
    code, add_value = _measure_and_add(measure, to, add)
    supplied = columns("escalc", {
        "ai": ai, "bi": bi, "ci": ci, "di": di, "n1i": n1i, "n2i": n2i, "x1i": x1i, "x2i": x2i,
        "t1i": t1i, "t2i": t2i, "m1i": m1i, "m2i": m2i, "sd1i": sd1i, "sd2i": sd2i, "xi": xi,
        "mi": mi, "ni": ni, "ti": ti, "ri": ri, "sdi": sdi, "slab": slab,
    }, data)
    slab = supplied.pop("slab")
    arrays, k = gather(f"escalc(measure={code!r})", supplied)
    vt, vtype_stored = vtypes(code, vtype, k)
    settings = Settings(k=k, add=add_value, to=to, drop00=bool(drop00), vt=vt)
    yi, vi, ni_u, yi_na, vi_na = FAMILIES[code](code, arrays, settings)
    yi, vi = _not_computable_to_nan(yi, vi, yi_na, vi_na)
    return EffectSizes(
        measure=code, yi=yi, vi=vi, slab=_labels(slab, k), ni=np.asarray(ni_u, dtype=float),
        add=add_value, to=to, drop00=bool(drop00), vtype=vtype_stored,
    )


def _measure_and_add(measure: Any, to: str, add: float | None) -> tuple[str, float]:
    """The checked measure code and the zero-cell ``add`` (default 0.5, or 0 for the measures of ``ADD_ZERO``)."""
    if not isinstance(measure, str):
        raise ValueError(f"escalc: 'measure' must be a string such as 'RR', got {measure!r}")
    code = measure.upper()
    if code not in MEASURES:
        raise ValueError(f"escalc: unknown measure {measure!r}; available: {', '.join(MEASURES)}")
    if to not in TO_VALUES:
        raise ValueError(f"escalc: unknown 'to' {to!r}; use one of {', '.join(TO_VALUES)}")
    if add is None:
        add_value = 0.0 if code in ADD_ZERO else 0.5
    else:
        add_value = float(add)
        if not np.isfinite(add_value) or add_value < 0:
            raise ValueError(f"escalc: 'add' must be a non-negative number, got {add!r}")
    return code, add_value


def _not_computable_to_nan(
    yi: Any, vi: Any, yi_na: Any, vi_na: Any
) -> tuple[FloatArray, FloatArray]:
    """``yi``/``vi`` with infinite, not computable (NaN without a missing input) and negative values as NaN."""
    yi = np.asarray(yi, dtype=float)
    vi = np.asarray(vi, dtype=float)
    inf = np.isinf(yi) | np.isinf(vi)
    if inf.any():
        warnings.warn("escalc: some yi and/or vi values are +-Inf; set to NaN", DataWarning, stacklevel=3)
    # metafor: +-Inf and NaN (not computable) set both yi and vi to NA; a missing input (NA)
    # only the outputs that depend on it; negative variances become NA.
    not_computable = inf | (np.isnan(yi) & ~yi_na) | (np.isnan(vi) & ~vi_na)
    yi = np.where(not_computable, np.nan, yi)
    with np.errstate(invalid="ignore"):
        vi = np.where(not_computable | (vi < 0), np.nan, vi)
    return yi, vi


def _labels(slab: Any, k: int) -> tuple[str, ...] | None:
    """The study labels as strings (one per study), or ``None`` without ``slab``."""
    labels: tuple[str, ...] | None = None
    if slab is not None:
        labels = tuple(str(s) for s in (slab.tolist() if hasattr(slab, "tolist") else slab))
        if len(labels) != k:
            raise ValueError(f"escalc: 'slab' has {len(labels)} labels for {k} studies")
    return labels
