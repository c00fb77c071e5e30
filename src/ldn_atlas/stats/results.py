"""The frozen result of :func:`ldn_atlas.stats.rma` and of its ``predict()`` and ``confint()``.

Attribute names are metafor's output names in Python spelling (``ci.lb`` -> ``ci_lb``,
``QE`` -> ``qe``, ``I2`` -> ``i2``). A single fit has scalars (coefficients are scalars
without moderators, arrays of length ``p`` with them); a batched fit (``yi`` of shape
``(m, k)``) has arrays with a leading axis of length ``m``; ``fit[i]`` is the single fit ``i``.

Where this module sits: :class:`RMAResult` holds the data of a fit, wrapped from the record
that the fitting engine (:mod:`ldn_atlas.stats.fitting`) returns, and its methods delegate:
refits to the engine, ``summary()`` to :mod:`._summary`, the diagnostics to
:mod:`ldn_atlas.stats.diagnostics` and the plots to :mod:`ldn_atlas.stats.plots`. None of these
imports this module (the diagnostics take the fit and refit it through its ``replace()``), so
the imports run one way.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import stats as sps

from ldn_atlas.stats.fitting.engine import FitRecord, fit_rma
from ldn_atlas.stats.fitting.tau2_ci import confint_tau2

if TYPE_CHECKING:
    from ldn_atlas.stats._core import Batch
    from ldn_atlas.stats.estimators import Control

__all__ = ["ConfintResult", "Interval", "Prediction", "RMAResult"]


def _plain(value: Any) -> Any:
    """JSON-safe: numpy -> Python, NaN/inf -> None."""
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()] if value.ndim else _plain(value.item())
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (np.floating, float)):
        f = float(value)
        return f if math.isfinite(f) else None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    return value


@dataclass(frozen=True)
class Prediction:
    """Predicted values with confidence and prediction intervals (metafor ``predict.rma``).

    ``se`` is NaN when a transformation was applied (as in metafor); ``pi_lb``/``pi_ub`` are NaN
    for equal-effects models.
    """

    pred: Any
    se: Any
    ci_lb: Any
    ci_ub: Any
    pi_lb: Any
    pi_ub: Any

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True)
class Interval:
    """An estimate with its confidence interval."""

    estimate: Any
    ci_lb: Any
    ci_ub: Any

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True)
class ConfintResult:
    """Q-profile confidence intervals for tau^2, tau, I^2 (percent) and H^2 (Viechtbauer 2007)."""

    tau2: Interval
    tau: Interval
    i2: Interval
    h2: Interval
    level: float
    converged: Any = True
    #: True where a bound lay beyond the search limit and the limit is reported (metafor prints ">")
    capped: Any = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "tau2": self.tau2.to_dict(), "tau": self.tau.to_dict(), "i2": self.i2.to_dict(),
            "h2": self.h2.to_dict(), "level": self.level, "converged": _plain(self.converged),
            "capped": _plain(self.capped),
        }

    def summary(self) -> str:
        """Text laid out like metafor's ``print.confint.rma``."""
        rows = [("tau^2", self.tau2), ("tau", self.tau), ("I^2(%)", self.i2), ("H^2", self.h2)]
        lines = [f"{'':8s}{'estimate':>9s}{'ci.lb':>9s}{'ci.ub':>9s}"]
        for name, iv in rows:
            lines.append(f"{name:8s}{iv.estimate:9.4f}{iv.ci_lb:9.4f}{iv.ci_ub:9.4f}")
        return "\n".join(lines)


_COEF_FIELDS = ("b", "se", "zval", "pval", "ci_lb", "ci_ub")


@dataclass(frozen=True, eq=False)
class RMAResult:
    """A fitted meta-analytic model (metafor ``rma.uni`` object).

    Attributes
    ----------
    b, se, zval, pval, ci_lb, ci_ub
        Coefficients, standard errors, test statistics (*t* for ``knha``), p-values and CI bounds.
    vb
        Variance-covariance matrix of the coefficients.
    tau2, se_tau2
        Estimated (residual) between-study variance and metafor's estimator-specific SE (NaN for EE).
    i2, h2
        I^2 (percent) and H^2.
    qe, qep
        (Residual) heterogeneity statistic Q and its p-value on ``k - p`` df.
    k, p, dfs
        Studies used, coefficients, df of the t/F tests (NaN for z tests).
    qm, qmp, qm_df
        Omnibus test of the moderators (of the intercept when there are none): chi^2 with
        ``qm_df[0]`` df for z, F with ``(qm_df[0], qm_df[1])`` df for knha/t.
    r2
        Pseudo-R^2 (percent) for meta-regressions, NaN otherwise.
    ll_ml, ll_reml
        Log-likelihoods at the estimates (REML including ``+ 1/2 log|X'X|``), metafor's ``fit.stats``.
    yi, vi, X, weights
        Data used (studies with missing values removed for a single fit; NaN-padded rows for a
        batched fit), design matrix with intercept column, and the weights of the coefficients.
    converged, iterations, warnings
        Convergence status of the tau^2 estimator, iterations, and messages about this fit (a
        batched fit: a dict from analysis index to its messages, for analyses that have any).
    """

    b: Any
    se: Any
    zval: Any
    pval: Any
    ci_lb: Any
    ci_ub: Any
    vb: Any
    tau2: Any
    se_tau2: Any
    i2: Any
    h2: Any
    qe: Any
    qep: Any
    k: Any
    p: int
    dfs: Any
    qm: Any
    qmp: Any
    qm_df: Any
    r2: Any
    ll_ml: Any
    ll_reml: Any
    vt: Any
    method: str
    test: str
    level: float
    coef_names: tuple[str, ...]
    yi: Any
    vi: Any
    X: Any
    weights: Any
    converged: Any
    iterations: Any
    warnings: Any
    batched: bool = False
    user_weights: Any = None
    slab: tuple[str, ...] | None = None
    not_na: Any = None
    control: Any = None
    mods_given: bool = False
    _batch: Any = field(default=None, repr=False)

    # ------------------------------------------------------------------ construction
    @classmethod
    def _from_fit(cls, fit: FitRecord) -> RMAResult:
        """Wrap the record of the fitting engine (a single fit, or ``m`` analyses when batched)."""
        return cls._from_arrays(**{f.name: getattr(fit, f.name) for f in fields(fit)})

    @classmethod
    def _from_arrays(cls, *, stats: dict[str, Any], tau2: np.ndarray, se_tau2: np.ndarray,
                     converged: np.ndarray, iterations: np.ndarray, messages: dict[int, list[str]],
                     batch: Batch, yi: np.ndarray, vi: np.ndarray, X: np.ndarray, valid: np.ndarray,
                     user_weights: np.ndarray | None, batched: bool, method: str, test: str,
                     level: float, alpha: float, coef_names: list[str], control: Control,
                     equal_effects: bool, slab: list[str] | None, mods_given: bool) -> RMAResult:
        p = batch.p
        se_tau2 = np.where(equal_effects, np.nan, se_tau2)
        if batched:
            nan_y = np.where(valid, yi, np.nan)
            nan_v = np.where(valid, vi, np.nan)
            coef = {name: (stats[name][:, 0] if p == 1 else stats[name]) for name in _COEF_FIELDS}
            return cls(
                **coef, vb=stats["vb"], tau2=tau2, se_tau2=se_tau2, i2=stats["i2"], h2=stats["h2"],
                qe=stats["qe"], qep=stats["qep"], k=batch.k.astype(int), p=p, dfs=stats["dfs"],
                qm=stats["qm"], qmp=stats["qmp"], qm_df=stats["qm_df"], r2=stats["r2"],
                ll_ml=stats["ll_ml"], ll_reml=stats["ll_reml"], vt=stats["vt"], method=method,
                test=test, level=level, coef_names=tuple(coef_names), yi=nan_y, vi=nan_v, X=X,
                weights=np.where(valid, stats["weights"], np.nan), converged=converged,
                iterations=iterations.astype(int),
                warnings={i: tuple(mm) for i, mm in messages.items()},
                batched=True, user_weights=user_weights, slab=None, not_na=valid, control=control,
                mods_given=mods_given, _batch=batch,
            )
        row = valid[0]

        def sc(a: np.ndarray) -> float:
            return float(a[0])

        coef1 = {name: (float(stats[name][0, 0]) if p == 1 else stats[name][0].copy())
                 for name in _COEF_FIELDS}
        df2 = stats["qm_df"][1]
        qm_df = (int(stats["qm_df"][0]), None if np.isnan(df2[0]) else int(df2[0]))
        dfs = stats["dfs"][0]
        slab_used = None
        if slab is not None:
            if len(slab) != row.size:
                raise ValueError(f"slab: has {len(slab)} labels for {row.size} studies")
            slab_used = tuple(s for s, ok in zip(slab, row, strict=True) if ok)
        return cls(
            **coef1, vb=stats["vb"][0].copy(), tau2=sc(tau2), se_tau2=sc(se_tau2), i2=sc(stats["i2"]),
            h2=sc(stats["h2"]), qe=sc(stats["qe"]), qep=sc(stats["qep"]), k=int(batch.k[0]), p=p,
            dfs=None if np.isnan(dfs) else int(dfs), qm=sc(stats["qm"]), qmp=sc(stats["qmp"]),
            qm_df=qm_df, r2=sc(stats["r2"]) if p > 1 else None, ll_ml=sc(stats["ll_ml"]),
            ll_reml=sc(stats["ll_reml"]), vt=sc(stats["vt"]), method=method, test=test, level=level,
            coef_names=tuple(coef_names), yi=yi[0][row].copy(), vi=vi[0][row].copy(), X=X[0][row].copy(),
            weights=stats["weights"][0][row].copy(), converged=bool(converged[0]),
            iterations=int(iterations[0]), warnings=tuple(messages.get(0, ())), batched=False,
            user_weights=None if user_weights is None else user_weights[0][row].copy(),
            slab=slab_used, not_na=row.copy(), control=control, mods_given=mods_given, _batch=batch,
        )

    # ------------------------------------------------------------------ convenience
    @property
    def alpha(self) -> float:
        lv = self.level
        return (100.0 - lv) / 100.0 if lv > 1 else 1.0 - lv

    @property
    def tau(self) -> Any:
        return np.sqrt(self.tau2) if self.batched else math.sqrt(self.tau2)

    @property
    def int_only(self) -> bool:
        return self.p == 1

    @property
    def mods(self) -> Any:
        """The moderators as given (design matrix without its intercept column), or None."""
        if self.p == 1:
            return None
        return self.X[..., 1:]

    @property
    def sei(self) -> Any:
        return np.sqrt(self.vi)

    def __len__(self) -> int:
        if not self.batched:
            raise TypeError("len() of a single fit; only batched fits have a length")
        return int(np.shape(self.tau2)[0])

    def __getitem__(self, i: int) -> RMAResult:
        """The ``i``-th analysis of a batched fit as a single fit (same numbers)."""
        if not self.batched:
            raise TypeError("indexing a single fit; only batched fits can be indexed")
        m = len(self)
        if not -m <= i < m:
            raise IndexError(f"analysis {i} out of range for {m} analyses")
        i = i % m
        row = self.not_na[i]
        p = self.p

        def s(a: Any) -> Any:
            return float(a[i])

        coef = {n: (float(getattr(self, n)[i]) if p == 1 else np.array(getattr(self, n)[i]))
                for n in _COEF_FIELDS}
        dfs = self.dfs[i]
        df2 = self.qm_df[1][i]
        return RMAResult(
            **coef, vb=np.array(self.vb[i]), tau2=s(self.tau2), se_tau2=s(self.se_tau2), i2=s(self.i2),
            h2=s(self.h2), qe=s(self.qe), qep=s(self.qep), k=int(self.k[i]), p=p,
            dfs=None if np.isnan(dfs) else int(dfs), qm=s(self.qm), qmp=s(self.qmp),
            qm_df=(int(self.qm_df[0]), None if np.isnan(df2) else int(df2)),
            r2=s(self.r2) if p > 1 else None, ll_ml=s(self.ll_ml), ll_reml=s(self.ll_reml), vt=s(self.vt),
            method=self.method, test=self.test, level=self.level, coef_names=self.coef_names,
            yi=self.yi[i][row].copy(), vi=self.vi[i][row].copy(), X=self.X[i][row].copy(),
            weights=self.weights[i][row].copy(), converged=bool(self.converged[i]),
            iterations=int(self.iterations[i]), warnings=tuple(self.warnings.get(i, ())), batched=False,
            user_weights=None if self.user_weights is None else self.user_weights[i][row].copy(),
            slab=None, not_na=row.copy(), control=self.control, mods_given=self.mods_given,
            _batch=None if self._batch is None else self._batch.subset(np.array([i])),
        )

    # ------------------------------------------------------------------ refitting
    def refit(self, yi: Any, vi: Any = None, *, mods: Any = None, weights: Any = None,
              slab: Sequence[str] | None = None) -> RMAResult:
        """Fit the same model (method, test, level, control) to other data.

        ``mods`` must be given when this fit has moderators (without the intercept column).
        """
        if mods is None and self.p > 1:
            raise ValueError("mods: this model has moderators; pass mods= to refit it")
        return _fitted(yi, vi, method=self.method, test=self.test, level=self.level, mods=mods,
                       weights=weights, control=self.control, slab=slab)

    def replace(self, **changes: Any) -> RMAResult:
        """Refit with some settings changed: data (``yi``, ``vi``, ``mods``, ``weights``) or
        ``method``, ``test``, ``level``, ``control``. Unchanged data are this fit's data.
        """
        if self.batched:
            raise TypeError("replace() works on single fits; index a batched fit first")
        unknown = set(changes) - {"yi", "vi", "mods", "weights", "method", "test", "level", "control", "slab"}
        if unknown:
            raise ValueError(f"replace: unknown settings {', '.join(sorted(unknown))}")
        args: dict[str, Any] = {
            "yi": self.yi, "vi": self.vi, "mods": self.mods, "weights": self.user_weights,
            "method": self.method, "test": self.test, "level": self.level, "control": self.control,
            "slab": self.slab,
        }
        args.update(changes)
        return _fitted(args.pop("yi"), args.pop("vi"), **args)

    # ------------------------------------------------------------------ predict / confint
    def predict(self, newmods: Any = None, transf: Callable[..., Any] | str | None = None,
                targs: Mapping[str, Any] | None = None, level: float | None = None) -> Prediction:
        """Predicted (pooled) values with CIs and prediction intervals (metafor ``predict.rma``).

        Parameters
        ----------
        newmods : array_like, optional
            Moderator values (without intercept), shape (q,) or (n, q). Without it: the pooled
            estimate (intercept-only) or the fitted values of the studies (meta-regression).
        transf : callable or str, optional
            Applied to ``pred`` and to each bound (e.g. ``transf.exp``, ``"transf.ilogit"``); then
            ``se`` is NaN, as in metafor. Called as ``transf(x)``, or ``transf(x, targs=targs)``.
        targs : mapping, optional
            Extra arguments of the transformation (``{"ni": ni}`` for ``transf.ipft_hm``).
        level : float, optional
            Confidence level (default: the model's).

        Notes
        -----
        The prediction interval is ``pred +/- crit sqrt(se^2 + tau2)`` with crit from the normal or,
        for knha/t tests, the t distribution on ``k - p`` df (Riley et al. 2011 use ``k - 2``;
        metafor and this function do not). It is NaN for equal-effects models.
        """
        from ldn_atlas.stats import transf as _transf_mod

        alpha = self.alpha if level is None else ((100.0 - level) / 100.0 if level > 1 else 1.0 - level)
        fn = _transf_mod.resolve(transf) if transf is not None else None
        b = np.atleast_1d(np.asarray(self.b, dtype=float))
        vb = np.asarray(self.vb, dtype=float)
        if self.batched:
            if newmods is not None or self.p > 1:
                raise ValueError("newmods: predict() of a batched meta-regression: index the fit first")
            pred = np.asarray(self.b, dtype=float)
            se = np.sqrt(vb[:, 0, 0])
            tau2 = np.asarray(self.tau2, dtype=float)
            crit = self._crit(alpha, np.asarray(self.dfs, dtype=float))
        else:
            if newmods is None:
                X0 = np.ones((1, 1)) if self.p == 1 else np.asarray(self.X, dtype=float)
            else:
                if self.p == 1:
                    raise ValueError("newmods: the model has no moderators")
                nm = np.atleast_1d(np.asarray(newmods, dtype=float))
                if nm.ndim == 1:
                    nm = nm[None, :] if nm.size == self.p - 1 else nm[:, None]
                if nm.shape[1] != self.p - 1:
                    raise ValueError(f"newmods: needs {self.p - 1} columns, got {nm.shape[1]}")
                X0 = np.column_stack([np.ones(nm.shape[0]), nm])
            pred = X0 @ b
            se = np.sqrt(np.einsum("ip,pq,iq->i", X0, vb, X0))
            tau2 = np.asarray(float(self.tau2))
            crit = self._crit(alpha, np.nan if self.dfs is None else float(self.dfs))
        ci_lb, ci_ub = pred - crit * se, pred + crit * se
        if self.method in ("EE", "FE"):
            pi_lb = np.full_like(pred, np.nan)
            pi_ub = np.full_like(pred, np.nan)
        else:
            half = crit * np.sqrt(se**2 + tau2)
            pi_lb, pi_ub = pred - half, pred + half
        if fn is not None:
            def tf(x: Any) -> Any:
                return np.asarray(fn(x) if targs is None else fn(x, targs=targs), dtype=float)

            pred, ci_lb, ci_ub = tf(pred), tf(ci_lb), tf(ci_ub)
            pi_lb = tf(pi_lb) if not np.all(np.isnan(pi_lb)) else pi_lb
            pi_ub = tf(pi_ub) if not np.all(np.isnan(pi_ub)) else pi_ub
            se = np.full_like(np.asarray(pred, dtype=float), np.nan)
        out = [np.asarray(a, dtype=float) for a in (pred, se, ci_lb, ci_ub, pi_lb, pi_ub)]
        one_row = newmods is not None and out[0].size == 1 and np.asarray(newmods).ndim <= 1
        if not self.batched and ((newmods is None and self.p == 1) or one_row):
            out = [np.asarray(a).reshape(-1)[0].item() for a in out]
        return Prediction(*out)

    def _crit(self, alpha: float, dfs: Any) -> Any:
        if self.test in ("knha", "t"):
            return sps.t.isf(alpha / 2, dfs)
        z = sps.norm.isf(alpha / 2)
        return z if not self.batched else np.full(np.shape(self.tau2), z)

    def confint(self, level: float | None = None, tau2_max: float | None = None) -> ConfintResult:
        """Q-profile confidence intervals for tau^2, tau, I^2 and H^2 (metafor ``confint.rma.uni``).

        Bounds solve ``Q(tau2) = chi^2`` quantiles on ``k - p`` df with a bracketing root search
        (tolerance ``control.tol``, 1e-12 by default); I^2 and H^2 bounds are the tau^2 bounds mapped
        with the model's typical sampling variance ``vt``.

        Parameters
        ----------
        level : float, optional
            Confidence level (default: the model's).
        tau2_max : float, optional
            Upper end of the search. Default: metafor's ``max(100, 10 tau2)``; a bound beyond it is
            reported as that limit and flagged in ``capped`` (metafor prints it with ">").
            ``float("inf")`` widens the search until the actual bound is found.
        """
        if self.method in ("EE", "FE"):
            raise ValueError("confint: an equal-effects model has no tau^2 to bound")
        alpha = self.alpha if level is None else ((100.0 - level) / 100.0 if level > 1 else 1.0 - level)
        batch = self._batch
        tau2 = np.atleast_1d(np.asarray(self.tau2, dtype=float))
        lb, ub, ok, capped = confint_tau2(batch, alpha, self.control, tau2, tau2_max)
        vt = np.atleast_1d(np.asarray(self.vt, dtype=float))
        i2 = np.atleast_1d(np.asarray(self.i2, dtype=float))
        h2 = np.atleast_1d(np.asarray(self.h2, dtype=float))

        def pack(est: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> Interval:
            if self.batched:
                return Interval(est, lo, hi)
            return Interval(float(est[0]), float(lo[0]), float(hi[0]))

        res = ConfintResult(
            tau2=pack(tau2, lb, ub),
            tau=pack(np.sqrt(tau2), np.sqrt(lb), np.sqrt(ub)),
            i2=pack(i2, 100 * lb / (vt + lb), 100 * ub / (vt + ub)),
            h2=pack(h2, lb / vt + 1, ub / vt + 1),
            level=100 * (1 - alpha),
            converged=ok if self.batched else bool(ok[0]),
            capped=capped if self.batched else bool(capped[0]),
        )
        return res

    # ------------------------------------------------------------------ output
    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict of the results (NaN -> None; arrays -> lists)."""
        skip = {"_batch", "control"}
        out = {f.name: _plain(getattr(self, f.name)) for f in fields(self) if f.name not in skip}
        out["control"] = _plain(vars(self.control)) if self.control is not None else None
        return out

    def summary(self, digits: int = 4) -> str:
        """Text laid out like metafor's ``print.rma.uni`` (same figures, ``digits`` decimals)."""
        if self.batched:
            raise TypeError("summary() of a batched fit: index it first (fit[i].summary())")
        from ldn_atlas.stats._summary import format_rma

        return format_rma(self, digits)

    def __str__(self) -> str:
        if self.batched:
            return f"RMAResult(batched, m={len(self)}, method={self.method})"
        return self.summary()

    # ------------------------------------------------------------------ diagnostics and plots
    def leave1out(self, **kwargs: Any) -> Any:
        """Leave-one-out estimates (:func:`ldn_atlas.stats.diagnostics.leave1out`)."""
        from ldn_atlas.stats import diagnostics

        return diagnostics.leave1out(self, **kwargs)

    def influence(self, **kwargs: Any) -> Any:
        """Case-deletion diagnostics (:func:`ldn_atlas.stats.diagnostics.influence`)."""
        from ldn_atlas.stats import diagnostics

        return diagnostics.influence(self, **kwargs)

    def regtest(self, model: Any = "rma", predictor: Any = "sei", **kwargs: Any) -> Any:
        """Egger-type regression test (:func:`ldn_atlas.stats.diagnostics.regtest`)."""
        from ldn_atlas.stats import diagnostics

        return diagnostics.regtest(self, model=model, predictor=predictor, **kwargs)

    def ranktest(self, **kwargs: Any) -> Any:
        """Begg-Mazumdar rank correlation test (:func:`ldn_atlas.stats.diagnostics.ranktest`)."""
        from ldn_atlas.stats import diagnostics

        return diagnostics.ranktest(self, **kwargs)

    def trimfill(self, estimator: Any = "L0", side: Any = None, **kwargs: Any) -> Any:
        """Trim and fill (:func:`ldn_atlas.stats.diagnostics.trimfill`)."""
        from ldn_atlas.stats import diagnostics

        return diagnostics.trimfill(self, estimator=estimator, side=side, **kwargs)

    def fsn(self, type: Any = "Rosenthal", **kwargs: Any) -> Any:
        """Fail-safe N on this fit's data (:func:`ldn_atlas.stats.diagnostics.fsn`)."""
        from ldn_atlas.stats import diagnostics

        return diagnostics.fsn(self.yi, self.vi, type=type, **kwargs)

    def forest(self, path: Any = None, **kwargs: Any) -> Any:
        """Forest plot written to ``path`` (:func:`ldn_atlas.stats.plots.forest`)."""
        from ldn_atlas.stats import plots

        return plots.forest(self, path, **kwargs)

    def funnel(self, path: Any = None, **kwargs: Any) -> Any:
        """Funnel plot written to ``path`` (:func:`ldn_atlas.stats.plots.funnel`)."""
        from ldn_atlas.stats import plots

        return plots.funnel(self, path, **kwargs)


def _fitted(yi: Any, vi: Any, **settings: Any) -> RMAResult:
    """``rma()`` for the refitting methods: the engine's fit, wrapped (this module cannot import ``rma``).

    At the same call depth as ``rma()``, so the engine's warnings point at the method's line.
    """
    return RMAResult._from_fit(fit_rma(yi, vi, **settings))
