"""Leave-one-out sensitivity analysis (metafor's ``leave1out``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ldn_atlas.stats.diagnostics._base import FloatArray, _fmt_p, _ResultMixin, _table
from ldn_atlas.stats.diagnostics._refit import _single_fit
from ldn_atlas.stats.diagnostics.deletion import _delete_each


@dataclass(frozen=True)
class LeaveOneOutResult(_ResultMixin):
    """Leave-one-out estimates (metafor's ``leave1out`` object): entry *i* omits study *i*.

    ``zval`` holds *t* statistics for knha models.  ``tau2`` is 0 for
    equal-effects models.  NaN marks a refit that failed.
    """

    estimate: FloatArray
    se: FloatArray
    zval: FloatArray
    pval: FloatArray
    ci_lb: FloatArray
    ci_ub: FloatArray
    q: FloatArray
    qp: FloatArray
    tau2: FloatArray
    i2: FloatArray
    h2: FloatArray
    slab: tuple[str, ...]

    @property
    def b(self) -> FloatArray:
        """Alias of ``estimate``."""
        return self.estimate

    @property
    def tval(self) -> FloatArray:
        """Alias of ``zval`` (metafor's name for knha/t models)."""
        return self.zval

    def summary(self, digits: int = 4) -> str:
        """A table laid out like metafor's ``print`` of ``leave1out``."""
        cols = {
            "estimate": self.estimate, "se": self.se, "zval": self.zval,
            "pval": [_fmt_p(p, digits) for p in self.pval], "ci.lb": self.ci_lb, "ci.ub": self.ci_ub,
            "Q": self.q, "Qp": [_fmt_p(p, digits) for p in self.qp], "tau2": self.tau2, "I2": self.i2,
            "H2": self.h2,
        }  # fmt: skip
        return _table(cols, list(self.slab), digits)


def leave1out(fit: Any) -> LeaveOneOutResult:
    """Leave-one-out sensitivity analysis: the model refitted without each study in turn.

    Parameters
    ----------
    fit : RMAResult
        A fitted intercept-only model (one analysis).  Every refit uses its
        estimator, test, level, weights and control; the k refits are done in one
        vectorised ``rma`` call.

    Returns
    -------
    LeaveOneOutResult

    References
    ----------
    .. [1] Viechtbauer, W., & Cheung, M. W.-L. (2010). Outlier and influence
       diagnostics for meta-analysis. Research Synthesis Methods, 1(2), 112-125.
    """
    fit = _single_fit(fit, "leave1out")
    if int(fit.p) != 1:
        raise ValueError("leave1out: only applicable to models without moderators")
    k = int(np.size(fit.yi))
    if k == 1:
        raise ValueError("leave1out: stopped because k = 1")
    d = _delete_each(fit)
    lb, ub = d.ci_lb[:, 0], d.ci_ub[:, 0]
    slab = getattr(fit, "slab", None)
    return LeaveOneOutResult(
        estimate=d.b[:, 0],
        se=d.se[:, 0],
        zval=d.zval[:, 0],
        pval=d.pval[:, 0],
        ci_lb=np.fmin(lb, ub),
        ci_ub=np.fmax(lb, ub),
        q=d.qe,
        qp=d.qep,
        tau2=d.tau2,
        i2=d.i2,
        h2=d.h2,
        slab=tuple(slab) if slab is not None else tuple(str(i + 1) for i in range(k)),
    )
