"""``rma_peto``: Peto's one-step pooled log odds ratio (metafor 3.8 ``rma.peto``).

The stages: the inputs (:mod:`.inputs`), the prepared tables (:mod:`.preparation`), observed minus
expected and the pooled estimate (:mod:`.pooling`), Peto's Q (:mod:`.heterogeneity`), the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ldn_atlas.stats.effect_sizes.inputs import columns
from ldn_atlas.stats.mantel_haenszel.heterogeneity import peto_heterogeneity
from ldn_atlas.stats.mantel_haenszel.inputs import crit_value, labels, settings, tables
from ldn_atlas.stats.mantel_haenszel.pooling import peto, peto_parts
from ldn_atlas.stats.mantel_haenszel.preparation import prepare_tables
from ldn_atlas.stats.mantel_haenszel.result import MHResult


def rma_peto(
    *,
    ai: ArrayLike | None = None,
    bi: ArrayLike | None = None,
    ci: ArrayLike | None = None,
    di: ArrayLike | None = None,
    n1i: ArrayLike | None = None,
    n2i: ArrayLike | None = None,
    add: float | Sequence[float] = (0.5, 0.0),
    to: str | Sequence[str] = ("only0", "none"),
    drop00: bool | Sequence[bool] = (True, False),
    level: float = 95.0,
    slab: Sequence[Any] | str | None = None,
    data: Any = None,
) -> MHResult:
    """Peto's one-step pooled log odds ratio (metafor 3.8 ``rma.peto``).

    ``b = sum(O - E) / sum(V)``, ``se = 1 / sqrt(sum(V))`` with ``O = ai``,
    ``E = (ai + ci) n1 / N`` and the hypergeometric variance
    ``V = (ai + ci)(bi + di) n1 n2 / (N^2 (N - 1))``. Heterogeneity is Peto's
    ``Q = sum((O - E)^2 / V) - sum(O - E)^2 / sum(V)`` on ``k_yi - 1`` df.

    Parameters
    ----------
    ai, bi, ci, di, n1i, n2i : array_like
        2x2 tables (``n1i``/``n2i`` may replace ``bi``/``di``).
    add, to, drop00 : pair
        As in :func:`rma_mh`: element 1 for the per-study Peto ``yi``/``vi``, element 2 for
        the tables of the pooled estimate.
    level : float
        Confidence level in percent.
    slab : sequence, optional
        Study labels.
    data : mapping or pandas.DataFrame, optional
        Lets data arguments and ``slab`` be column names (metafor's ``data=``).

    Returns
    -------
    MHResult
        With ``method="Peto"``, ``measure="PETO"``.

    Raises
    ------
    ValueError
        Missing or mismatched inputs, or one outcome never occurring in any table (Peto's
        method is then undefined).

    References
    ----------
    .. [1] Yusuf, S., Peto, R., Lewis, J., Collins, R., & Sleight, P. (1985). Beta blockade
       during and after myocardial infarction. Progress in Cardiovascular Diseases, 27(5),
       335-371.
    """
    fn = "rma_peto"
    pairs = settings(add, to, drop00)
    crit = crit_value(level)
    cols = columns(fn, {"ai": ai, "bi": bi, "ci": ci, "di": di, "n1i": n1i, "n2i": n2i, "slab": slab}, data)
    cells = tables(fn, cols["ai"], cols["bi"], cols["ci"], cols["di"], cols["n1i"], cols["n2i"])
    prep = prepare_tables(fn, "PETO", cells, pairs)
    es = prep.es
    k_yi = int(np.sum(~(np.isnan(es.yi) | np.isnan(es.vi))))
    a, b, c, d = prep.cells
    E, V = peto_parts(a, b, c, d)
    est, se, zval, pval, lb, ub, _extra, _w = peto(fn, a, E, V, crit=crit)
    qe, qep, i2, h2, k_pos = peto_heterogeneity(a, E, V, k_yi)
    adds, tos, drops = pairs
    return MHResult(
        method="Peto", measure="PETO", b=est, se=se, zval=zval, pval=pval, ci_lb=lb, ci_ub=ub,
        qe=qe, qep=qep, i2=i2, h2=h2, k=int(prep.keep.sum()), k_yi=k_yi, k_all=prep.k_all, level=float(level),
        yi=es.yi, vi=es.vi, weights_raw=prep.per_row(V), slab=labels(cols["slab"], prep.k_all, fn), k_pos=k_pos,
        add=adds, to=tos, drop00=drops,
    )
