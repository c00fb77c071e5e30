"""Duval and Tweedie's trim and fill (metafor's ``trimfill``)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from ldn_atlas.stats.diagnostics._base import FloatArray, _fmt, _fmt_p, _ResultMixin
from ldn_atlas.stats.diagnostics._refit import _rma, _single_fit


@dataclass(frozen=True)
class TrimfillResult(_ResultMixin):
    """Trim and fill (metafor's ``rma.uni.trimfill`` object).

    Attributes
    ----------
    k0 : int
        Estimated number of missing studies.
    side : {"left", "right"}
        Side of the funnel on which studies were imputed.
    se_k0 : float
        Standard error of ``k0``.
    p_k0 : float
        R0 only: p-value of the test that no studies are missing (NaN for L0 and Q0).
    estimator : {"L0", "R0", "Q0"}
    model : RMAResult
        The model fitted to the observed plus imputed studies (the original fit
        when ``k0 = 0``).
    filled_yi, filled_vi : ndarray
        The imputed studies.
    yi, vi : ndarray
        The observed studies.
    iterations : int

    ``b``, ``se``, ``zval``, ``pval``, ``ci_lb``, ``ci_ub``, ``tau2``, ``qe``,
    ``qep``, ``i2``, ``h2`` and ``k`` are those of ``model``.
    """

    k0: int
    side: str
    se_k0: float
    p_k0: float
    estimator: str
    model: Any
    filled_yi: FloatArray
    filled_vi: FloatArray
    yi: FloatArray
    vi: FloatArray
    iterations: int

    @property
    def b(self) -> float:
        return float(self.model.b)

    @property
    def estimate(self) -> float:
        return float(self.model.b)

    @property
    def se(self) -> float:
        return float(self.model.se)

    @property
    def zval(self) -> float:
        return float(self.model.zval)

    @property
    def pval(self) -> float:
        return float(self.model.pval)

    @property
    def ci_lb(self) -> float:
        return float(self.model.ci_lb)

    @property
    def ci_ub(self) -> float:
        return float(self.model.ci_ub)

    @property
    def tau2(self) -> float:
        return float(self.model.tau2)

    @property
    def qe(self) -> float:
        return float(self.model.qe)

    @property
    def qep(self) -> float:
        return float(self.model.qep)

    @property
    def i2(self) -> float:
        return float(self.model.i2)

    @property
    def h2(self) -> float:
        return float(self.model.h2)

    @property
    def k(self) -> int:
        return int(self.model.k)

    @property
    def fill(self) -> npt.NDArray[np.bool_]:
        """Per study of ``model``: True for an imputed study."""
        return np.concatenate([np.zeros(self.yi.size, dtype=bool), np.ones(self.k0, dtype=bool)])

    def summary(self, digits: int = 4) -> str:
        """Text laid out like metafor's ``print.rma.uni.trimfill``: k0, then the model on the filled data."""
        head = [
            "",
            f"Estimated number of missing studies on the {self.side} side: {self.k0} (SE = {_fmt(self.se_k0, digits)})",
        ]
        if self.estimator == "R0":
            head.append(
                f"Test of H0: no missing studies on the {self.side} side:     p-val = {_fmt_p(self.p_k0, digits)}"
            )
        body = self.model.summary(digits) if hasattr(self.model, "summary") else ""
        return "\n".join(head) + "\n" + body

    def funnel(self, path: Any = None, **kwargs: Any) -> Any:
        """Funnel plot with the imputed studies drawn hollow (:func:`ldn_atlas.stats.plots.funnel`)."""
        from ldn_atlas.stats import plots

        return plots.funnel(self, path, **kwargs)

    def forest(self, path: Any = None, **kwargs: Any) -> Any:
        """Forest plot of the observed and imputed studies (:func:`ldn_atlas.stats.plots.forest`)."""
        from ldn_atlas.stats import plots

        return plots.forest(self, path, **kwargs)


def _r_rank_first(x: FloatArray) -> FloatArray:
    """R's ``rank(x, ties.method="first")``: ranks 1..n, ties in order of appearance."""
    order = np.argsort(x, kind="stable")
    ranks = np.empty(x.size, dtype=np.float64)
    ranks[order] = np.arange(1, x.size + 1, dtype=np.float64)
    return ranks


def trimfill(
    fit: Any,
    estimator: Literal["L0", "R0", "Q0"] = "L0",
    side: Literal["left", "right"] | None = None,
    *,
    maxiter: int = 100,
) -> TrimfillResult:
    """Duval and Tweedie's trim and fill method.

    Parameters
    ----------
    fit : RMAResult
        A fitted intercept-only model (one analysis).
    estimator : {"L0", "R0", "Q0"}
        Estimator of the number of missing studies (Duval & Tweedie's L0 and R0;
        Q0 as in metafor).
    side : {"left", "right"}, optional
        Side on which studies are missing.  By default chosen as metafor does:
        the sign of the slope in a regression of ``yi`` on ``sqrt(vi)`` with the
        fit's estimator (negative slope: studies missing on the right).
    maxiter : int
        Maximum number of trim-and-fill iterations.

    Returns
    -------
    TrimfillResult

    Notes
    -----
    As in metafor 3.8, the iterations fit the truncated data with the fit's
    estimator, and the final model (observed plus imputed studies) is fitted
    with the fit's estimator, a z test and a 95% level.  When ``k0 = 0`` the
    original fit is returned as ``model``.

    References
    ----------
    .. [1] Duval, S., & Tweedie, R. (2000). Trim and fill: A simple
       funnel-plot-based method of testing and adjusting for publication bias in
       meta-analysis. Biometrics, 56(2), 455-463.
    .. [2] Duval, S., & Tweedie, R. (2000). A nonparametric "trim and fill"
       method of accounting for publication bias in meta-analysis. Journal of the
       American Statistical Association, 95(449), 89-98.
    """
    fit = _single_fit(fit, "trimfill")
    if estimator not in ("L0", "R0", "Q0"):
        raise ValueError(f"trimfill: estimator must be 'L0', 'R0' or 'Q0', got {estimator!r}")
    if side is not None and side not in ("left", "right"):
        raise ValueError(f"trimfill: side must be 'left', 'right' or None, got {side!r}")
    if int(fit.p) != 1:
        raise ValueError("trimfill: only applicable to models without moderators")
    yi0 = np.asarray(fit.yi, dtype=np.float64)
    vi0 = np.asarray(fit.vi, dtype=np.float64)
    uw = getattr(fit, "user_weights", None)
    wi0 = None if uw is None else np.asarray(uw, dtype=np.float64)
    k = int(yi0.size)
    if k == 1:
        raise ValueError("trimfill: stopped because k = 1")
    if side is None:
        side = _choose_side(fit, yi0, vi0, wi0)

    yi = -yi0 if side == "right" else yi0.copy()
    ix = np.argsort(yi, kind="stable")
    yi, vi = yi[ix], vi0[ix]
    wi = None if wi0 is None else wi0[ix]
    k0, se_k0, beta, iteration = _iterate(fit, estimator, yi, vi, wi, maxiter)

    if k0 > 0:
        # mirror the k0 most extreme studies around the truncated estimate (on the original scale)
        tail = yi[k - k0 :]
        mirrored = 2.0 * beta - tail
        filled_yi = -mirrored if side == "right" else mirrored
        filled_vi = vi[k - k0 :].copy()
        w_fill = None if wi is None else np.concatenate([wi0, wi[k - k0 :]])
        model = _rma(
            fit,
            np.concatenate([yi0, filled_yi]),
            np.concatenate([vi0, filled_vi]),
            weights=w_fill,
            test="z",
            level=95.0,
        )
    else:
        filled_yi = np.zeros(0)
        filled_vi = np.zeros(0)
        model = fit
    p_k0 = 0.5 ** (k0 + 1) if estimator == "R0" else float("nan")
    return TrimfillResult(
        k0=k0,
        side=side,
        se_k0=float(se_k0),
        p_k0=float(p_k0),
        estimator=estimator,
        model=model,
        filled_yi=filled_yi,
        filled_vi=filled_vi,
        yi=yi0.copy(),
        vi=vi0.copy(),
        iterations=iteration,
    )


def _choose_side(fit: Any, yi0: FloatArray, vi0: FloatArray, wi0: FloatArray | None) -> Literal["left", "right"]:
    """metafor's default side: the sign of the slope of ``yi`` on ``sqrt(vi)`` (negative: studies missing right)."""
    try:
        slope_fit = _rma(fit, yi0, vi0, mods=np.sqrt(vi0), weights=wi0, test="z", level=95.0)
    except ValueError as exc:
        raise ValueError(
            f"trimfill: cannot choose the side from the regression of yi on sqrt(vi) ({exc}); pass side="
        ) from None
    slope = float(np.asarray(slope_fit.b)[1])
    if not math.isfinite(slope):
        raise ValueError("trimfill: could not determine the side (slope of yi on sqrt(vi) is not finite)")
    return "right" if slope < 0 else "left"


def _iterate(
    fit: Any, estimator: str, yi: FloatArray, vi: FloatArray, wi: FloatArray | None, maxiter: int
) -> tuple[int, float, float, int]:
    """Trim and re-estimate until ``k0`` settles, on ``yi`` sorted (and flipped to the left side).

    Returns ``(k0, se_k0, beta, iterations)`` with ``beta`` the estimate of the last truncated fit.
    """
    k = int(yi.size)
    k0_sav, k0, iteration = -1, 0, 0
    se_k0 = float("nan")
    beta = float("nan")
    while k0 != k0_sav:
        k0_sav = k0
        iteration += 1
        if iteration > maxiter:
            raise ValueError(f"trimfill: the algorithm did not converge in {maxiter} iterations")
        n_t = k - k0
        if n_t == 1:  # metafor fits one study with tau2 = 0: the estimate is that study
            beta = float(yi[0])
        else:
            try:
                res = _rma(fit, yi[:n_t], vi[:n_t], weights=None if wi is None else wi[:n_t], test="z", level=95.0)
            except ValueError as exc:
                raise ValueError(f"trimfill: cannot fit the {n_t} studies left after trimming {k0} ({exc})") from None
            beta = float(res.b)
        k0_raw, se_k0 = _missing_studies(estimator, yi - beta, k)
        if math.isnan(k0_raw):
            raise ValueError(f"trimfill: the {estimator} estimate of the number of missing studies is undefined")
        k0 = int(max(0.0, float(np.round(k0_raw))))
        se_k0 = max(0.0, se_k0) if math.isfinite(se_k0) else se_k0
        if k0 >= k:
            raise ValueError(f"trimfill: estimated {k0} missing studies for k = {k}; cannot trim all studies")
    return k0, se_k0, beta, iteration


def _missing_studies(estimator: str, yi_c: FloatArray, k: int) -> tuple[float, float]:
    """The L0, R0 or Q0 estimate of the number of missing studies (unrounded) and its SE.

    ``yi_c`` are the (sorted, left-side) effects centred at the truncated estimate.
    """
    yi_c_r = _r_rank_first(np.abs(yi_c))
    yi_c_r_s = np.sign(yi_c) * yi_c_r
    if estimator == "R0":
        neg = yi_c_r_s[yi_c_r_s < 0]
        if neg.size == 0:
            raise ValueError("trimfill: R0 is undefined when no study lies below the truncated estimate")
        k0_raw = (k - float(np.max(-neg))) - 1.0
        se_k0 = math.sqrt(2.0 * max(0.0, k0_raw) + 2.0)
    else:
        sr = float(np.sum(yi_c_r_s[yi_c_r_s > 0]))
        if estimator == "L0":
            k0_raw = (4.0 * sr - k * (k + 1)) / (2.0 * k - 1.0)
        else:  # Q0
            disc = 2.0 * k**2 - 4.0 * sr + 0.25
            k0_raw = k - 0.5 - math.sqrt(disc) if disc >= 0 else float("nan")
        var_sr = (
            k * (k + 1) * (2 * k + 1)
            + 10 * k0_raw**3
            + 27 * k0_raw**2
            + 17 * k0_raw
            - 18 * k * k0_raw**2
            - 18 * k * k0_raw
            + 6 * k**2 * k0_raw
        ) / 24.0
        if estimator == "L0":
            se_k0 = 4.0 * math.sqrt(var_sr) / (2.0 * k - 1.0) if var_sr >= 0 else float("nan")
        else:
            den = (k - 0.5) ** 2 - k0_raw * (2.0 * k - k0_raw - 1.0)
            se_k0 = 2.0 * math.sqrt(var_sr) / math.sqrt(den) if var_sr >= 0 and den > 0 else float("nan")
    return k0_raw, se_k0
