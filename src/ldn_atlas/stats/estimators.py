"""Estimators of the between-study variance tau^2, one class each.

An estimator implements only its tau^2 estimate (and metafor's estimator-specific standard
error of it); everything else (coefficients, tests, intervals, heterogeneity statistics,
summaries, plots) is shared code (:mod:`ldn_atlas.stats.fitting`, :mod:`ldn_atlas.stats.results`).
Every estimator works on a :class:`~ldn_atlas.stats._core.Batch` of ``m`` analyses at once and follows metafor 3.8
(``rma.uni``) exactly, including its starting values, truncation at 0, ``ll0check`` and
search ranges. Add one by subclassing :class:`Estimator` and decorating it with
:func:`register`.

References
----------
DerSimonian, R., & Laird, N. (1986). Meta-analysis in clinical trials. *Controlled Clinical
Trials*, 7(3), 177-188. https://doi.org/10.1016/0197-2456(86)90046-2

Hedges, L. V., & Olkin, I. (1985). *Statistical methods for meta-analysis*. Academic Press.

Hunter, J. E., & Schmidt, F. L. (2004). *Methods of meta-analysis* (2nd ed.). Sage.

Sidik, K., & Jonkman, J. N. (2005). Simple heterogeneity variance estimation for
meta-analysis. *JRSS C*, 54(2), 367-384. https://doi.org/10.1111/j.1467-9876.2005.00489.x

Paule, R. C., & Mandel, J. (1982). Consensus values and weighting factors. *Journal of
Research of the National Bureau of Standards*, 87(5), 377-385.

Viechtbauer, W. (2005). Bias and efficiency of meta-analytic variance estimators in the
random-effects model. *JEBS*, 30(3), 261-293. https://doi.org/10.3102/10769986030003261

Morris, C. N. (1983). Parametric empirical Bayes inference: theory and applications. *JASA*,
78(381), 47-55.

Viechtbauer, W. et al. (2015). A comparison of procedures to test for moderators in
mixed-effects meta-regression models. *Psychological Methods*, 20(3), 360-374 (PMM).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

import numpy as np
from scipy import stats as sps

from ldn_atlas.stats._core import (
    Batch,
    BoolArray,
    FloatArray,
    bracketed_newton,
    fe_fit,
    logdet,
    mad_batched,
    p_matrix,
    re_fit,
    rss,
    solve_q,
    trace_p,
    trace_pp,
    upu,
    weights_re,
    wls,
    xtwx,
    ypp,
)

__all__ = ["ESTIMATORS", "Control", "Estimator", "Tau2Estimate", "get_estimator", "register"]


@dataclass(frozen=True)
class Control:
    """Numerical settings (metafor's ``control`` list, Python spelling).

    Defaults are tight (metafor's own defaults, ``threshold=1e-5`` and ``tol=1.2e-4``, leave
    errors of up to a few percent in tau^2, see validation/README.md).

    Attributes
    ----------
    threshold : float
        Convergence threshold on the absolute change in tau^2 (Fisher scoring: ML, REML, EB).
    tol : float
        Absolute tolerance of the root searches (PM, PMM, Q-profile CIs) and of ``ll0check``.
    maxiter : int
        Maximum number of iterations.
    ll0check : bool
        ML/REML: return tau^2 = 0 when the log-likelihood at 0 is larger than at the solution.
    stepadj : float
        Step-size factor of Fisher scoring.
    tau2_init : float or None
        Starting value of the iterative estimators (default: metafor's).
    tau2_max : float
        Upper end of the PM/PMM search interval (widened to ``10 mad(yi)^2`` and further if needed).
    """

    threshold: float = 1e-10
    tol: float = 1e-12
    maxiter: int = 1000
    ll0check: bool = True
    stepadj: float = 1.0
    tau2_init: float | None = None
    tau2_max: float = 100.0

    @classmethod
    def from_any(cls, control: Control | Mapping[str, Any] | None) -> Control:
        """Build from a :class:`Control`, ``None`` or a dict with metafor or Python names."""
        if control is None:
            return cls()
        if isinstance(control, Control):
            return control
        if not isinstance(control, Mapping):
            raise ValueError(f"control: expected a mapping or Control, got {type(control).__name__}")
        kwargs: dict[str, Any] = {}
        names = set(cls.__dataclass_fields__)
        for key, value in control.items():
            name = key.replace(".", "_")
            if name not in names:
                raise ValueError(f"control: unknown setting {key!r} (known: {', '.join(sorted(names))})")
            kwargs[name] = value
        return replace(cls(), **kwargs)


@dataclass
class Tau2Estimate:
    """What an estimator returns for a batch of analyses."""

    tau2: FloatArray
    se_tau2: FloatArray
    converged: BoolArray
    iterations: FloatArray
    messages: dict[int, list[str]] = field(default_factory=dict)

    def note(self, i: int | np.integer[Any], message: str) -> None:
        """Record a message about analysis ``i``."""
        self.messages.setdefault(int(i), []).append(message)


class Estimator(ABC):
    """A tau^2 estimator. Subclasses set ``name`` and implement :meth:`estimate`."""

    name: ClassVar[str]
    #: True for estimators whose tau^2 is 0 by definition (EE/FE).
    equal_effects: ClassVar[bool] = False
    #: True for estimators that iterate (their tolerance is the "iterative" one).
    iterative: ClassVar[bool] = False

    @abstractmethod
    def estimate(self, batch: Batch, control: Control) -> Tau2Estimate:
        """Return tau^2 (truncated at 0) and metafor's SE of it for every analysis."""


ESTIMATORS: dict[str, type[Estimator]] = {}


def register(*names: str) -> Callable[[type[Estimator]], type[Estimator]]:
    """Class decorator adding an estimator to :data:`ESTIMATORS` under ``names``."""

    def deco(cls: type[Estimator]) -> type[Estimator]:
        for n in names:
            ESTIMATORS[n] = cls
        return cls

    return deco


def get_estimator(method: str) -> Estimator:
    """The estimator registered as ``method`` (metafor's method codes)."""
    try:
        return ESTIMATORS[method]()
    except KeyError:
        raise ValueError(f"method: unknown estimator {method!r} (one of {', '.join(ESTIMATORS)})") from None


def _done(batch: Batch, tau2: FloatArray, se: FloatArray, iterations: FloatArray | None = None,
          converged: BoolArray | None = None) -> Tau2Estimate:
    m = batch.m
    return Tau2Estimate(
        tau2=tau2,
        se_tau2=se,
        converged=np.ones(m, dtype=bool) if converged is None else converged,
        iterations=np.zeros(m) if iterations is None else iterations,
    )


def _fe_parts(batch: Batch) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Weights ``1/vi``, RSS, tr(P) and tr(PP) of the equal-effects fit."""
    w, fit = fe_fit(batch)
    return w, rss(fit, w), trace_p(batch, fit, w), trace_pp(batch, fit, w)


@register("EE", "FE")
class EqualEffects(Estimator):
    """Equal- (fixed-) effects model: tau^2 = 0."""

    name = "EE"
    equal_effects = True

    def estimate(self, batch: Batch, control: Control) -> Tau2Estimate:
        nan = np.full(batch.m, np.nan)
        return _done(batch, np.zeros(batch.m), nan)


@register("DL")
class DerSimonianLaird(Estimator):
    """DerSimonian-Laird: ``(Q - (k-p)) / tr(P)`` with weights ``1/vi``, truncated at 0."""

    name = "DL"

    def estimate(self, batch: Batch, control: Control) -> Tau2Estimate:
        k, p = batch.k, batch.p
        _, q, trp, trpp = _fe_parts(batch)
        tau2 = np.maximum(0.0, (q - (k - p)) / trp)
        se = np.sqrt((2 * (k - p) + 4 * tau2 * trp + 2 * tau2**2 * trpp) / trp**2)
        return _done(batch, tau2, se)


class _HunterSchmidtBase(Estimator):
    corrected: ClassVar[bool] = False

    def estimate(self, batch: Batch, control: Control) -> Tau2Estimate:
        k, p = batch.k, batch.p
        w, q, trp, trpp = _fe_parts(batch)
        sw = w.sum(axis=1)
        factor = k / (k - p) if self.corrected else np.ones_like(k)
        tau2 = np.maximum(0.0, (factor * q - k) / sw)
        se = factor * np.sqrt((2 * (k - p) + 4 * tau2 * trp + 2 * tau2**2 * trpp) / sw**2)
        return _done(batch, tau2, se)


@register("HS")
class HunterSchmidt(_HunterSchmidtBase):
    """Hunter-Schmidt: ``(Q - k) / sum(1/vi)``, truncated at 0."""

    name = "HS"


@register("HSk")
class HunterSchmidtK(_HunterSchmidtBase):
    """Hunter-Schmidt with metafor's small-sample correction: ``(k/(k-p) Q - k) / sum(1/vi)``."""

    name = "HSk"
    corrected = True


def _he_raw(batch: Batch) -> tuple[FloatArray, FloatArray]:
    """Untruncated Hedges (HE) estimate and the unweighted ``P`` matrix."""
    k, p = batch.k, batch.p
    P = p_matrix(batch, batch.mask)
    y = batch.y
    r = np.einsum("mk,mkl,ml->m", y, P, y)
    trpv = np.einsum("mkk,mk->m", P, batch.v * batch.mask)
    return (r - trpv) / (k - p), P


def _he_start(batch: Batch) -> FloatArray:
    """The HE estimate, cheaply for intercept-only models (metafor's ML/REML/EB starting value)."""
    k, p = batch.k, batch.p
    if batch.p == 1:
        ybar = batch.y.sum(axis=1) / k
        e = (batch.y - ybar[:, None]) * batch.mask
        r = (e * e).sum(axis=1)
        vm = batch.v * batch.mask
        trpv = vm.sum(axis=1) - vm.sum(axis=1) / k
        return (r - trpv) / (k - p)
    return _he_raw(batch)[0]


@register("HE")
class Hedges(Estimator):
    """Hedges (HE, unweighted method of moments), truncated at 0."""

    name = "HE"

    def estimate(self, batch: Batch, control: Control) -> Tau2Estimate:
        k, p = batch.k, batch.p
        raw, P = _he_raw(batch)
        tau2 = np.maximum(0.0, raw)
        PV = P * (batch.v * batch.mask)[:, None, :]
        tr_pvpv = np.einsum("mkl,mlk->m", PV, PV)
        trpv = np.einsum("mkk->m", PV)
        se = np.sqrt((2 * tr_pvpv + 4 * tau2 * trpv + 2 * tau2**2 * (k - p)) / (k - p) ** 2)
        return _done(batch, tau2, se)


@register("SJ")
class SidikJonkman(Estimator):
    """Sidik-Jonkman: ``tau0 Y'P(tau0)Y / (k-p)`` with ``tau0`` the (k-1)/k-scaled variance of yi."""

    name = "SJ"

    def estimate(self, batch: Batch, control: Control) -> Tau2Estimate:
        k, p = batch.k, batch.p
        if control.tau2_init is not None:
            tau0 = np.full(batch.m, float(control.tau2_init))
        else:
            ybar = batch.y.sum(axis=1) / k
            e = (batch.y - ybar[:, None]) * batch.mask
            tau0 = (e * e).sum(axis=1) / k
        w = weights_re(batch, tau0)
        fit = wls(batch, w)
        tau2 = np.maximum(0.0, tau0 * rss(fit, w) / (k - p))
        P = p_matrix(batch, w)
        PV = P * (batch.v * batch.mask)[:, None, :]
        tr_pvpv = np.einsum("mkl,mlk->m", PV, PV)
        tr_pvp = np.einsum("mkl,mkl->m", PV, P)
        tr_pp = np.einsum("mkl,mkl->m", P, P)
        se = np.sqrt(tau0**2 / (k - p) ** 2 * (2 * tr_pvpv + 4 * tau2 * tr_pvp + 2 * tau2**2 * tr_pp))
        return _done(batch, tau2, se)


def _se_moment(batch: Batch, tau2: FloatArray) -> FloatArray:
    """metafor's SE for EB, PM and PMM: ``sqrt(2 k^2/(k-p) / (sum w)^2)``, ``w = 1/(vi+tau2)``."""
    k, p = batch.k, batch.p
    sw = re_fit(batch, tau2)[1].sw
    return np.sqrt(2 * k**2 / (k - p) / sw**2)


class _PauleMandelBase(Estimator):
    iterative = True

    def target(self, batch: Batch) -> FloatArray:
        return batch.k - batch.p

    def estimate(self, batch: Batch, control: Control) -> Tau2Estimate:
        m = batch.m
        target = self.target(batch)
        zero = np.zeros(m)
        q0, _ = _q(batch, zero)
        tau2 = np.zeros(m)
        converged = np.ones(m, dtype=bool)
        need = q0 >= target  # Q(0) < target -> tau2 = 0 (metafor: QE(tau2.min) < target)
        if need.any():
            sub = batch.subset(need)
            hi = np.maximum(control.tau2_max, 10.0 * mad_batched(sub.y, sub.mask) ** 2)
            # metafor stops when the root lies above tau2.max; widen the interval instead
            for _ in range(60):
                qhi, _ = _q(sub, hi)
                low = qhi > target[need]
                if not low.any():
                    break
                hi = np.where(low, hi * 10.0, hi)
            # start from the DL estimate (inside the bracket), a good first guess
            start = DerSimonianLaird().estimate(sub, control).tau2
            root, ok = solve_q(sub, target[need], np.zeros(sub.m), hi, tol=control.tol,
                               maxiter=control.maxiter, start=start)
            tau2[need] = root
            converged[need] = ok
        tau2 = np.maximum(0.0, tau2)
        est = _done(batch, tau2, _se_moment(batch, tau2), converged=converged)
        for i in np.flatnonzero(~converged):
            est.note(i, f"{self.name}: root search for tau^2 did not converge")
        return est


def _q(batch: Batch, tau2: FloatArray) -> tuple[FloatArray, FloatArray]:
    w = weights_re(batch, tau2)
    fit = wls(batch, w)
    return rss(fit, w), w


@register("PM")
class PauleMandel(_PauleMandelBase):
    """Paule-Mandel: the tau^2 at which the generalised Q equals its expectation ``k - p``."""

    name = "PM"


@register("PMM")
class PauleMandelMedian(_PauleMandelBase):
    """Median-unbiased Paule-Mandel: generalised Q equal to the chi^2 median on ``k - p`` df."""

    name = "PMM"

    def target(self, batch: Batch) -> FloatArray:
        return np.asarray(sps.chi2.ppf(0.5, batch.k - batch.p), dtype=float)


class _FisherScoring(Estimator):
    """ML / REML / EB by Fisher scoring from the (truncated) HE estimate, as metafor does."""

    iterative = True

    @abstractmethod
    def step(self, batch: Batch, tau2: FloatArray) -> FloatArray:
        """The Fisher-scoring adjustment of tau^2."""

    #: Fisher-scoring iterations before an analysis that has not converged is finished by a
    #: bracketed Newton search on the score (Fisher scoring can cycle; metafor then fails).
    fs_iterations: ClassVar[int] = 50

    @abstractmethod
    def score(self, batch: Batch, tau2: FloatArray) -> tuple[FloatArray, FloatArray]:
        """The estimating equation ``S(tau2)`` (zero at the estimate, decreasing through it) and ``S'``."""

    def estimate(self, batch: Batch, control: Control) -> Tau2Estimate:
        m = batch.m
        if control.tau2_init is not None:
            tau2 = np.full(m, float(control.tau2_init))
        else:
            tau2 = np.maximum(0.0, _he_start(batch))
        iterations = np.zeros(m)
        converged = np.zeros(m, dtype=bool)
        idx = np.arange(m)
        sub = batch
        t = tau2.copy()
        live = np.ones(m, dtype=bool)
        for _ in range(min(control.maxiter + 1, self.fs_iterations)):
            adj = self.step(sub, t) * control.stepadj
            adj = np.where(np.isnan(adj), 0.0, adj)
            # metafor halves the step while tau2 + adj < 0; at tau2 == 0 that ends with adj == 0
            neg = t + adj < 0
            if neg.any():
                adj = np.where(neg & (t <= 0), 0.0, adj)
                neg = t + adj < 0
                while neg.any():
                    adj = np.where(neg, adj / 2.0, adj)
                    neg = t + adj < 0
            t = np.where(live, t + adj, t)
            iterations[idx[live]] += 1
            stop = live & (np.abs(adj) <= control.threshold)
            converged[idx[stop]] = True
            live &= ~stop
            n_live = int(live.sum())
            if n_live == 0:
                break
            if n_live < COMPACT_BELOW * live.size:
                tau2[idx] = t
                idx = idx[live]
                sub = batch.subset(idx)
                t = tau2[idx]
                live = np.ones(idx.size, dtype=bool)
        tau2[idx] = t
        est = _done(batch, tau2, np.zeros(m), iterations=iterations, converged=converged)
        todo = np.flatnonzero(~converged)
        if todo.size and control.maxiter + 1 > self.fs_iterations:
            self._finish(batch, control, est, todo)
        for i in np.flatnonzero(~est.converged):
            est.note(i, f"{self.name}: Fisher scoring did not converge in {control.maxiter} iterations")
        if control.ll0check and self.name in ("ML", "REML"):
            self._ll0check(batch, control, est)
        est.se_tau2 = self.se(batch, est.tau2)
        return est

    def _finish(self, batch: Batch, control: Control, est: Tau2Estimate, todo: np.ndarray) -> None:
        """Finish analyses where Fisher scoring has not converged (it can cycle).

        The (restricted) log-likelihood is scanned on a grid ``{0} U hi * geomspace(1e-10, 1, 81)``
        with ``hi`` beyond the last sign change of the score; the best grid point's neighbours
        bracket the maximum, which a bracketed Newton search on the score then locates to
        ``control.threshold / 100``. tau^2 = 0 when the best grid point is 0 and the score there is
        not positive.
        """
        sub = batch.subset(todo)
        n = todo.size
        hi = np.maximum(1.0, 10.0 * np.abs(est.tau2[todo]))
        for _ in range(60):
            sh, _ = self.score(sub, hi)
            pos = sh > 0
            if not pos.any():
                break
            hi = np.where(pos, hi * 10.0, hi)
        frac = np.concatenate([[0.0], np.geomspace(1e-10, 1.0, 81)])
        g = frac.size
        grid = hi[:, None] * frac[None, :]  # (n, g)
        rep = sub.subset(np.repeat(np.arange(n), g))
        flat = grid.reshape(-1)
        crit = self.objective(rep, flat).reshape(n, g)
        j = np.nanargmax(crit, axis=1)
        rows = np.arange(n)
        lo_j = np.maximum(j - 1, 0)
        hi_j = np.minimum(j + 1, g - 1)
        lo = grid[rows, lo_j]
        up = grid[rows, hi_j]
        s_lo, _ = self.score(sub, lo)
        root = np.zeros(n)
        ok = np.ones(n, dtype=bool)
        inner = np.flatnonzero(s_lo > 0)
        if inner.size:
            sub2 = sub.subset(inner)

            def fn(b: Batch, x: FloatArray, r: np.ndarray) -> tuple[FloatArray, FloatArray]:
                return self.score(b, x)

            r, conv = bracketed_newton(sub2, fn, lo[inner], up[inner], tol=control.threshold * 1e-2,
                                       maxiter=control.maxiter, start=grid[inner, j[inner]])
            root[inner] = r
            ok[inner] = conv
        est.tau2[todo] = root
        est.converged[todo] = ok
        est.iterations[todo] += 1
        for k_, i in enumerate(todo):
            if ok[k_]:
                est.note(i, f"{self.name}: Fisher scoring did not settle; maximum located by a grid "
                            "scan and bracketed Newton on the score")

    def objective(self, batch: Batch, tau2: FloatArray) -> FloatArray:
        """What the estimator maximises (the (restricted) log-likelihood; EB: minus ``|score|``)."""
        s, _ = self.score(batch, tau2)
        return -np.abs(s)

    def _ll0check(self, batch: Batch, control: Control, est: Tau2Estimate) -> None:
        reml = self.name == "REML"
        ll0 = _loglik(batch, np.zeros(batch.m), reml)
        ll = _loglik(batch, est.tau2, reml)
        bad = est.converged & (ll0 - ll > control.tol) & (est.tau2 > control.threshold)
        for i in np.flatnonzero(bad):
            est.note(i, "Fisher scoring algorithm may have gotten stuck at a local maximum. Setting tau^2 = 0.")
        est.tau2 = np.where(bad, 0.0, est.tau2)

    @abstractmethod
    def se(self, batch: Batch, tau2: FloatArray) -> FloatArray:
        """metafor's SE of the estimate."""


def _buffers(owner: Any, shape: tuple[int, ...]) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Three scratch arrays of ``shape``, kept on ``owner`` while the shape stays the same."""
    bufs = getattr(owner, "_bufs", None)
    if bufs is None or bufs[0].shape != shape:
        bufs = (np.empty(shape), np.empty(shape), np.empty(shape))
        owner._bufs = bufs
    return bufs


def _rowdot(a: FloatArray, b: FloatArray) -> FloatArray:
    """Row-wise dot products of two ``(m, k)`` arrays."""
    return np.einsum("ij,ij->i", a, b)


#: Fisher scoring drops converged analyses from its working arrays once fewer than this
#: fraction of them is still iterating.
COMPACT_BELOW = 0.5

#: Fisher scoring switches to Newton steps once its step is below this fraction of tau^2.
NEWTON_SWITCH = 0.05


def _accelerate(fs_step: FloatArray, score: FloatArray, dscore: FloatArray, tau2: FloatArray) -> FloatArray:
    """Fisher-scoring step, replaced by the Newton step ``-S/S'`` close to a maximum.

    Near the solution Fisher scoring converges only linearly; Newton steps (observed instead of
    expected information) converge quadratically to the same root. They are used only where the
    score is decreasing (``S' < 0``, a maximum) and the Fisher step is already small
    (``|step| <= 0.05 tau2``), so the iteration goes where metafor's Fisher scoring goes.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        newton = -score / dscore
    use = (dscore < 0) & (np.abs(fs_step) <= NEWTON_SWITCH * tau2) & np.isfinite(newton)
    return np.where(use, newton, fs_step)


def _loglik(batch: Batch, tau2: FloatArray, reml: bool) -> FloatArray:
    """metafor's ``ll0check`` log-likelihood (REML without the ``log|X'X|`` term)."""
    k, p = batch.k, batch.p
    w, fit, slog = re_fit(batch, tau2)
    r = rss(fit, w)
    if reml:
        return -0.5 * (k - p) * np.log(2 * np.pi) - 0.5 * slog - 0.5 * logdet(xtwx(batch, w)) - 0.5 * r
    return -0.5 * k * np.log(2 * np.pi) - 0.5 * slog - 0.5 * r


@register("ML")
class MaximumLikelihood(_FisherScoring):
    """Maximum likelihood."""

    name = "ML"

    def objective(self, batch: Batch, tau2: FloatArray) -> FloatArray:
        return _loglik(batch, tau2, reml=False)

    def step(self, batch: Batch, tau2: FloatArray) -> FloatArray:
        w = weights_re(batch, tau2)
        fit = wls(batch, w)
        u = w * fit.e
        s2 = (w * w).sum(axis=1)
        score = (u * u).sum(axis=1) - fit.sw
        return _accelerate(score / s2, score, s2 - 2.0 * upu(batch, fit, w, u), tau2)

    def score(self, batch: Batch, tau2: FloatArray) -> tuple[FloatArray, FloatArray]:
        w = weights_re(batch, tau2)
        fit = wls(batch, w)
        u = w * fit.e
        return (u * u).sum(axis=1) - fit.sw, -2.0 * upu(batch, fit, w, u) + (w * w).sum(axis=1)

    def se(self, batch: Batch, tau2: FloatArray) -> FloatArray:
        w = re_fit(batch, tau2)[0]
        return np.sqrt(2.0 / np.einsum("ij,ij->i", w, w))


@register("REML")
class RestrictedML(_FisherScoring):
    """Restricted maximum likelihood."""

    name = "REML"

    def objective(self, batch: Batch, tau2: FloatArray) -> FloatArray:
        return _loglik(batch, tau2, reml=True)

    def step(self, batch: Batch, tau2: FloatArray) -> FloatArray:
        if batch.p == 1:
            # closed forms of Y'PPY, tr(P), tr(PP) and Y'PPPY for the intercept-only model,
            # computed in reused buffers (fresh (m, k) temporaries cost more than the arithmetic)
            dot = _rowdot
            w, we, w2 = _buffers(self, batch.y.shape)
            np.add(batch.v, tau2[:, None], out=w)
            np.reciprocal(w, out=w)
            if not batch.full:
                np.multiply(w, batch.mask, out=w)
            sw = w.sum(axis=1)
            b = dot(w, batch.y) / sw
            np.subtract(batch.y, b[:, None], out=we)
            np.multiply(we, w, out=we)
            np.multiply(w, w, out=w2)
            s2 = w2.sum(axis=1)
            s3 = dot(w2, w)
            r = s2 / sw
            trp = sw - r
            trpp = s2 - 2.0 * s3 / sw + r * r
            score = dot(we, we) - trp
            s_wu = dot(w, we)
            np.multiply(w, we, out=w2)
            upu_ = dot(w2, we) - s_wu * s_wu / sw
            return _accelerate(score / trpp, score, trpp - 2.0 * upu_, tau2)
        w = weights_re(batch, tau2)
        fit = wls(batch, w)
        u = w * fit.e
        score = (u * u).sum(axis=1) - trace_p(batch, fit, w)
        trpp = trace_pp(batch, fit, w)
        return _accelerate(score / trpp, score, trpp - 2.0 * upu(batch, fit, w, u), tau2)

    def score(self, batch: Batch, tau2: FloatArray) -> tuple[FloatArray, FloatArray]:
        w = weights_re(batch, tau2)
        fit = wls(batch, w)
        u = w * fit.e
        s = (u * u).sum(axis=1) - trace_p(batch, fit, w)
        return s, -2.0 * upu(batch, fit, w, u) + trace_pp(batch, fit, w)

    def se(self, batch: Batch, tau2: FloatArray) -> FloatArray:
        w, fit, _ = re_fit(batch, tau2)
        return np.sqrt(2.0 / trace_pp(batch, fit, w))


@register("EB")
class EmpiricalBayes(_FisherScoring):
    """Empirical Bayes (Morris 1983), metafor's iteration ``(k/(k-p) Y'PY - k) / sum(w)``."""

    name = "EB"

    def step(self, batch: Batch, tau2: FloatArray) -> FloatArray:
        k, p = batch.k, batch.p
        w = weights_re(batch, tau2)
        fit = wls(batch, w)
        return (rss(fit, w) * k / (k - p) - k) / fit.sw

    def score(self, batch: Batch, tau2: FloatArray) -> tuple[FloatArray, FloatArray]:
        k, p = batch.k, batch.p
        w = weights_re(batch, tau2)
        fit = wls(batch, w)
        c = k / (k - p)
        return rss(fit, w) * c - k, -ypp(fit, w) * c

    def se(self, batch: Batch, tau2: FloatArray) -> FloatArray:
        return _se_moment(batch, tau2)
