"""``rma_mh``: the Mantel-Haenszel equal-effects meta-analysis (metafor 3.8 ``rma.mh``).

The stages: the inputs (:mod:`.inputs`), the prepared tables (:mod:`.preparation`), the pooled
estimate and its tests (:mod:`.pooling`), the heterogeneity (:mod:`.heterogeneity`), the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from numpy.typing import ArrayLike

from ldn_atlas.stats.effect_sizes.inputs import columns
from ldn_atlas.stats.mantel_haenszel.heterogeneity import heterogeneity
from ldn_atlas.stats.mantel_haenszel.inputs import (
    MH_MEASURES,
    crit_value,
    labels,
    rate_inputs,
    settings,
    table_inputs,
)
from ldn_atlas.stats.mantel_haenszel.pooling import mh_2x2, mh_rates
from ldn_atlas.stats.mantel_haenszel.preparation import prepare_rates, prepare_tables
from ldn_atlas.stats.mantel_haenszel.result import MHResult


def rma_mh(
    measure: str = "OR",
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
    add: float | Sequence[float] = (0.5, 0.0),
    to: str | Sequence[str] = ("only0", "none"),
    drop00: bool | Sequence[bool] = (True, False),
    correct: bool = True,
    level: float = 95.0,
    slab: Sequence[Any] | str | None = None,
    data: Any = None,
) -> MHResult:
    """Mantel-Haenszel equal-effects meta-analysis (metafor 3.8 ``rma.mh``).

    Parameters
    ----------
    measure : {"OR", "RR", "RD", "IRR", "IRD"}
        Log odds ratio, log risk ratio, risk difference, log incidence rate ratio or
        incidence rate difference.
    ai, bi, ci, di, n1i, n2i : array_like, optional
        2x2 tables (``OR``, ``RR``, ``RD``): events/non-events per group, or ``n1i``/``n2i``
        instead of ``bi``/``di``.
    x1i, x2i, t1i, t2i : array_like, optional
        Events and person-time per group (``IRR``, ``IRD``).
    add, to, drop00 : pair
        First element for the per-study ``yi``/``vi`` (heterogeneity only), second for the
        tables of the pooled estimate. A single value sets the first element (the second
        keeps its default 0 / ``"none"`` / ``False``), as in metafor.
    correct : bool
        Continuity correction of the CMH / MH test.
    level : float
        Confidence level in percent.
    slab : sequence, optional
        Study labels.
    data : mapping or pandas.DataFrame, optional
        Lets data arguments and ``slab`` be column names (metafor's ``data=``).

    Returns
    -------
    MHResult

    Raises
    ------
    ValueError
        Unknown measure or ``to``; missing or mismatched inputs; no complete table.

    References
    ----------
    .. [1] Mantel, N., & Haenszel, W. (1959). Journal of the National Cancer Institute, 22(4),
       719-748.
    .. [2] Robins, J., Breslow, N., & Greenland, S. (1986). Biometrics, 42(2), 311-323.
    .. [3] Sato, T., Greenland, S., & Robins, J. M. (1989). Biometrics, 45(4), 1323-1324.
    .. [4] Breslow, N. E., & Day, N. E. (1980). Statistical methods in cancer research, Vol. I.
    .. [5] Tarone, R. E. (1985). Biometrika, 72(1), 91-95.

    Examples
    --------
    >>> fit = rma_mh("OR", ai=[4, 6, 3], n1i=[123, 306, 231], ci=[11, 29, 11], n2i=[139, 303, 220])
    >>> round(float(fit.b), 4), fit.k
    (-1.4135, 3)
    """
    fn = "rma_mh"
    if not isinstance(measure, str) or measure.upper() not in MH_MEASURES:
        raise ValueError(f"{fn}: measure must be one of {', '.join(MH_MEASURES)}, got {measure!r}")
    measure = measure.upper()
    pairs = settings(add, to, drop00)
    crit = crit_value(level)
    cols = columns(fn, {"ai": ai, "bi": bi, "ci": ci, "di": di, "n1i": n1i, "n2i": n2i, "x1i": x1i,
                        "x2i": x2i, "t1i": t1i, "t2i": t2i, "slab": slab}, data)
    if measure in ("OR", "RR", "RD"):
        prep = prepare_tables(fn, measure, table_inputs(fn, measure, cols), pairs)
        result = mh_2x2(measure, *prep.cells, correct=correct, crit=crit)
    else:
        prep = prepare_rates(fn, measure, rate_inputs(fn, measure, cols), pairs)
        result = mh_rates(measure, *prep.cells, correct=correct, crit=crit)

    est, se, zval, pval, lb, ub, extra, w = result
    qe, qep, i2, h2, k_yi = heterogeneity(prep.es.yi, prep.es.vi, est)
    adds, tos, drops = pairs
    return MHResult(
        method="MH", measure=measure, b=est, se=se, zval=zval, pval=pval, ci_lb=lb, ci_ub=ub,
        qe=qe, qep=qep, i2=i2, h2=h2, k=int(prep.keep.sum()), k_yi=k_yi, k_all=prep.k_all, level=float(level),
        yi=prep.es.yi, vi=prep.es.vi, weights_raw=prep.per_row(w), slab=labels(cols["slab"], prep.k_all, fn),
        correct=bool(correct), add=adds, to=tos, drop00=drops, **extra,
    )
