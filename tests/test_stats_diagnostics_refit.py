"""Diagnostics that refit the model: checked against independent computations and edge cases.

The metafor oracle cases are in ``test_stats_diagnostics_oracle.py``; these tests cover what the
oracle does not: moderators, Knapp-Hartung, k = 2, missing values, user errors.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from lxml import etree
from scipy import stats as sps

from ldn_atlas.errors import DataWarning
from ldn_atlas.stats import rma
from ldn_atlas.stats.diagnostics import influence, leave1out, regtest, trimfill
from tests.metafor_oracle import as_float_array, find_case


def _bcg() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    es = find_case("dat.bcg", "escalc_RR")
    ablat = es.column("ablat")
    return as_float_array(es.output["yi"]), as_float_array(es.output["vi"]), ablat


# --------------------------------------------------------------------------- leave1out


@pytest.mark.parametrize(("method", "test"), [("REML", "z"), ("DL", "knha"), ("EE", "z"), ("PM", "z")])
def test_leave1out_equals_fitting_each_subset(method: str, test: str) -> None:
    yi, vi, _ = _bcg()
    fit = rma(yi, vi, method=method, test=test)
    res = leave1out(fit)
    for i in range(yi.size):
        keep = np.arange(yi.size) != i
        one = rma(yi[keep], vi[keep], method=method, test=test)
        got = (res.estimate[i], res.se[i], res.zval[i], res.pval[i], res.ci_lb[i], res.ci_ub[i])
        want = (one.b, one.se, one.zval, one.pval, one.ci_lb, one.ci_ub)
        np.testing.assert_allclose(got, want, rtol=1e-10)
        np.testing.assert_allclose(
            (res.q[i], res.qp[i], res.tau2[i], res.i2[i], res.h2[i]),
            (one.qe, one.qep, one.tau2, one.i2, one.h2),
            rtol=1e-10,
            atol=1e-14,
        )
    assert np.array_equal(res.b, res.estimate)
    assert np.array_equal(fit.leave1out().estimate, res.estimate)


def test_leave1out_drops_missing_studies_like_na_omit() -> None:
    yi, vi, _ = _bcg()
    yi = yi.copy()
    yi[3] = np.nan
    with pytest.warns(DataWarning):
        fit = rma(yi, vi, slab=[f"s{i}" for i in range(yi.size)])
    res = leave1out(fit)
    assert res.estimate.size == 12
    assert "s3" not in res.slab and res.slab[3] == "s4"
    keep = np.isfinite(yi)
    keep[4] = False
    assert res.estimate[3] == pytest.approx(rma(yi[keep], vi[keep]).b, rel=1e-10)


def test_leave1out_k2_uses_the_single_remaining_study() -> None:
    """metafor fits one study with tau2 = 0, a z test, Q = 0, Qp = 1, I2 = 0, H2 = 1."""
    fit = rma([0.2, 0.6], [0.04, 0.09], method="REML", test="knha")
    res = leave1out(fit)
    np.testing.assert_allclose(res.estimate, [0.6, 0.2])
    np.testing.assert_allclose(res.se, [0.3, 0.2])
    z = np.array([0.6 / 0.3, 0.2 / 0.2])
    np.testing.assert_allclose(res.zval, z)
    np.testing.assert_allclose(res.pval, 2 * sps.norm.sf(z))
    np.testing.assert_allclose(res.ci_lb, [0.6 - 1.959963984540054 * 0.3, 0.2 - 1.959963984540054 * 0.2])
    assert res.tau2.tolist() == [0.0, 0.0] and res.q.tolist() == [0.0, 0.0] and res.qp.tolist() == [1.0, 1.0]
    assert res.i2.tolist() == [0.0, 0.0] and res.h2.tolist() == [1.0, 1.0]


def test_leave1out_rejects_moderators_and_batches() -> None:
    yi, vi, ablat = _bcg()
    with pytest.raises(ValueError, match="moderators"):
        leave1out(rma(yi, vi, mods=ablat))
    batch = rma(np.vstack([yi, yi]), np.vstack([vi, vi]))
    with pytest.raises(ValueError, match="batched"):
        leave1out(batch)
    assert leave1out(batch[1]).estimate.size == yi.size


# --------------------------------------------------------------------------- influence


@pytest.mark.parametrize("test", ["z", "knha"])
def test_rstudent_equals_mean_shift_outlier_model(test: str) -> None:
    """The studentised deleted residual is the test of a dummy for study i (Viechtbauer & Cheung 2010)."""
    yi, vi, ablat = _bcg()
    fit = rma(yi, vi, method="REML", test=test, mods=ablat)
    inf = influence(fit)
    for i in (0, 4, 7, 12):
        dummy = (np.arange(yi.size) == i).astype(float)
        shifted = rma(yi, vi, method="REML", test=test, mods=np.column_stack([ablat, dummy]))
        assert inf.tau2_del[i] == pytest.approx(shifted.tau2, rel=1e-7, abs=1e-12)
        assert inf.rstudent[i] == pytest.approx(shifted.zval[2], rel=1e-6)


def test_influence_with_moderators_by_definition() -> None:
    yi, vi, ablat = _bcg()
    fit = rma(yi, vi, method="DL", mods=ablat)
    inf = influence(fit)
    X = np.column_stack([np.ones(yi.size), ablat])
    w = 1 / (vi + fit.tau2)
    H = X @ np.linalg.inv(X.T @ (X * w[:, None])) @ (X * w[:, None]).T
    np.testing.assert_allclose(inf.hat, np.diag(H), rtol=1e-12)
    assert inf.hat.sum() == pytest.approx(2.0)
    np.testing.assert_allclose(inf.weight, 100 * w / w.sum(), rtol=1e-12)
    for i in (1, 5, 9):
        keep = np.arange(yi.size) != i
        dele = rma(yi[keep], vi[keep], method="DL", mods=ablat[keep])
        dfb = fit.b - dele.b
        assert inf.cook_d[i] == pytest.approx(dfb @ np.linalg.inv(fit.vb) @ dfb, rel=1e-9)
        assert inf.cov_r[i] == pytest.approx(np.linalg.det(dele.vb) / np.linalg.det(fit.vb), rel=1e-9)
        vb_del = np.linalg.inv(X.T @ (X / (vi + dele.tau2)[:, None]))
        np.testing.assert_allclose(inf.dfbs[i], dfb / np.sqrt(np.diag(vb_del)), rtol=1e-9)
        pred_diff = X[i] @ fit.b - X[i] @ dele.b
        want = pred_diff / math.sqrt(inf.hat[i] * (dele.tau2 + vi[i]))
        assert inf.dffits[i] == pytest.approx(want, rel=1e-9)
        assert inf.qe_del[i] == pytest.approx(dele.qe, rel=1e-10)
    assert inf.coef_names == ("intrcpt", "X1")
    np.testing.assert_array_equal(inf.dfbs_of("X1"), inf.dfbs[:, 1])
    with pytest.raises(ValueError, match="no coefficient"):
        inf.dfbs_of("ablat")


def test_influence_flags_an_outlier() -> None:
    rng = np.random.default_rng(7)
    vi = rng.uniform(0.01, 0.05, size=12)
    yi = rng.normal(0.3, np.sqrt(vi))
    yi[5] = 3.0  # far away
    vi[5] = 0.005  # and precise: large weight and leverage under EE
    inf = influence(rma(yi, vi, method="EE"))
    assert inf.is_influential[5]
    assert abs(inf.rstudent[5]) == np.max(np.abs(inf.rstudent))
    assert np.all(inf.tau2_del == 0.0)
    # no other study meets any of metafor's criteria
    p, k = 1, yi.size
    crit = (
        (np.abs(inf.dffits) > 3 * math.sqrt(p / (k - p)))
        | (sps.chi2.cdf(inf.cook_d, 1) > 0.5)
        | (inf.hat > 3 * p / k)
        | (np.abs(inf.dfbs[:, 0]) > 1)
    )
    np.testing.assert_array_equal(inf.is_influential, crit)


def test_influence_to_dict_and_batched_error() -> None:
    yi, vi, _ = _bcg()
    d = influence(rma(yi, vi)).to_dict()
    assert len(d["rstudent"]) == yi.size and len(d["dfbs"][0]) == 1
    assert all(isinstance(b, bool) for b in d["is_influential"])
    with pytest.raises(ValueError, match="batched"):
        influence(rma(np.vstack([yi, yi]), np.vstack([vi, vi])))


# --------------------------------------------------------------------------- regtest


def test_regtest_lm_is_eggers_regression_of_snd_on_precision() -> None:
    """Egger et al. (1997): regress y/se on 1/se; the intercept tests asymmetry."""
    yi, vi, _ = _bcg()
    sei = np.sqrt(vi)
    ols = sps.linregress(1 / sei, yi / sei)
    t_int = ols.intercept / ols.intercept_stderr
    res = regtest(rma(yi, vi), model="lm")
    assert res.zval == pytest.approx(t_int, rel=1e-10)
    assert res.pval == pytest.approx(2 * sps.t.sf(abs(t_int), yi.size - 2), rel=1e-10)
    assert res.dfs == yi.size - 2
    assert res.est == pytest.approx(ols.slope, rel=1e-10)  # the limit estimate
    crit = sps.t.isf(0.025, yi.size - 2)
    assert res.ci_lb == pytest.approx(ols.slope - crit * ols.stderr, rel=1e-10)
    assert res.fit.coef_names == ("Xintrcpt", "Xsei")


def test_regtest_rma_adds_the_predictor_to_the_model() -> None:
    yi, vi, ablat = _bcg()
    fit = rma(yi, vi, method="DL", test="knha")
    res = regtest(fit, predictor="vi")
    direct = rma(yi, vi, method="DL", test="knha", mods=vi)
    assert res.zval == pytest.approx(direct.zval[1], rel=1e-12)
    assert res.pval == pytest.approx(direct.pval[1], rel=1e-12)
    assert res.dfs == yi.size - 2
    assert (res.est, res.ci_lb, res.ci_ub) == pytest.approx((direct.b[0], direct.ci_lb[0], direct.ci_ub[0]))
    assert res.fit.tau2 == pytest.approx(direct.tau2)
    assert fit.regtest(predictor="vi").zval == res.zval
    # a meta-regression keeps its moderators; no limit estimate then
    mres = regtest(rma(yi, vi, mods=ablat))
    both = rma(yi, vi, mods=np.column_stack([ablat, np.sqrt(vi)]))
    assert mres.zval == pytest.approx(both.zval[2], rel=1e-9)
    assert math.isnan(mres.est) and math.isnan(mres.ci_lb)
    assert mres.fit.coef_names == ("intrcpt", "X1", "sei")


def test_regtest_sample_size_predictors() -> None:
    yi, vi, _ = _bcg()
    es = find_case("dat.bcg", "escalc_RR")
    ni = es.column("tpos") + es.column("tneg") + es.column("cpos") + es.column("cneg")
    fit = rma(yi, vi)
    with pytest.raises(ValueError, match="ni="):
        regtest(fit, predictor="ni")
    for pred, col in (("ni", ni), ("ninv", 1 / ni), ("sqrtni", np.sqrt(ni)), ("sqrtninv", 1 / np.sqrt(ni))):
        res = regtest(fit, predictor=pred, ni=ni)  # type: ignore[arg-type]
        direct = rma(yi, vi, mods=col)
        assert res.zval == pytest.approx(direct.zval[1], rel=1e-9)
        assert math.isnan(res.est) == (pred in ("ni", "sqrtni"))
    with pytest.raises(ValueError, match="length"):
        regtest(fit, predictor="ni", ni=ni[:5])


def test_regtest_lm_saturated_gives_nan_like_r() -> None:
    res = regtest(rma([0.1, 0.5], [0.02, 0.08], method="EE"), model="lm")
    assert res.dfs == 0
    assert math.isnan(res.zval) and math.isnan(res.pval) and math.isnan(res.ci_lb)
    assert math.isfinite(res.est)


def test_regtest_bad_input() -> None:
    yi, vi, _ = _bcg()
    fit = rma(yi, vi)
    with pytest.raises(ValueError, match="model"):
        regtest(fit, model="glm")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="predictor"):
        regtest(fit, predictor="se")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="full rank"):
        regtest(rma(yi, np.full(yi.size, 0.1)))
    with pytest.raises(ValueError, match="fitted model"):
        regtest(yi)


# --------------------------------------------------------------------------- trimfill


def test_trimfill_symmetric_funnel_needs_no_filling() -> None:
    vi = np.array([0.01, 0.01, 0.04, 0.04, 0.09, 0.09, 0.16, 0.16])
    yi = 0.5 + np.array([-1, 1, -1, 1, -1, 1, -1, 1]) * np.sqrt(vi) * 0.8
    fit = rma(yi, vi, method="EE")
    res = trimfill(fit)
    assert res.k0 == 0 and res.model is fit and res.filled_yi.size == 0
    assert res.b == pytest.approx(0.5)
    r0 = trimfill(fit, estimator="R0")
    assert r0.p_k0 == pytest.approx(0.5) and r0.se_k0 == pytest.approx(math.sqrt(2))


def test_trimfill_fills_the_missing_side_by_mirroring() -> None:
    # a funnel with its lower-left corner cut away: small studies only show large effects
    vi = np.array([0.005, 0.01, 0.01, 0.02, 0.03, 0.04, 0.06, 0.08, 0.10, 0.12])
    yi = np.array([0.30, 0.25, 0.36, 0.42, 0.50, 0.55, 0.66, 0.70, 0.85, 0.92])
    fit = rma(yi, vi, method="EE")
    res = trimfill(fit)
    assert res.side == "left" and res.k0 >= 1
    # the filled studies carry the variances of the k0 largest effects and lie below them
    top = np.argsort(yi, kind="stable")[-res.k0 :]
    np.testing.assert_allclose(np.sort(res.filled_vi), np.sort(vi[top]))
    assert np.all(res.filled_yi < fit.b)
    # the mirror axis is one point for all filled studies
    pairs = np.sort(yi[top]) + np.sort(res.filled_yi)[::-1]
    np.testing.assert_allclose(pairs, pairs[0])
    assert res.b < fit.b and res.k == yi.size + res.k0
    assert np.array_equal(res.fill, np.r_[np.zeros(yi.size, bool), np.ones(res.k0, bool)])
    # forcing the other side flips the data: mirror image of the same problem
    flipped = trimfill(rma(-yi, vi, method="EE"), side="right")
    assert flipped.k0 == res.k0
    np.testing.assert_allclose(np.sort(flipped.filled_yi), np.sort(-res.filled_yi))


def test_trimfill_result_funnel_draws_filled_studies(tmp_path: Path) -> None:
    yi, vi, _ = _bcg()
    res = rma(yi, vi, method="EE").trimfill()
    out = res.funnel(tmp_path / "tf.svg")
    ids = {el.get("id") for el in etree.parse(str(out)).iter() if el.get("id")}
    assert len([i for i in ids if i.startswith("funnel-filled-")]) == res.k0 == 4
    assert len([i for i in ids if i.startswith("funnel-point-")]) == yi.size
    forest_ids = {el.get("id") for el in etree.parse(str(res.forest(tmp_path / "tf_forest.svg"))).iter()}
    assert len([i for i in forest_ids if i and i.startswith("study-row-")]) == yi.size + 4
    d = res.to_dict()
    assert d["k0"] == 4 and len(d["filled_yi"]) == 4 and d["model"]["k"] == 17


def test_trimfill_bad_input() -> None:
    yi, vi, ablat = _bcg()
    with pytest.raises(ValueError, match="moderators"):
        trimfill(rma(yi, vi, mods=ablat))
    with pytest.raises(ValueError, match="estimator"):
        trimfill(rma(yi, vi), estimator="Q1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="side"):
        trimfill(rma(yi, vi), side="up")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="batched"):
        trimfill(rma(np.vstack([yi, yi]), np.vstack([vi, vi])))


def test_trimfill_ignores_missing_rows() -> None:
    yi, vi, _ = _bcg()
    with pytest.warns(DataWarning):
        fit = rma(np.append(yi, np.nan), np.append(vi, 0.1), method="EE")
    res = trimfill(fit)
    assert res.k0 == 4 and res.yi.size == yi.size


def test_k2_random_effects_refit_errors_name_the_function() -> None:
    fit = rma([0.2, 0.6], [0.04, 0.09], method="REML")
    with pytest.raises(ValueError, match="trimfill: cannot choose the side"):
        trimfill(fit)
    with pytest.raises(ValueError, match="regtest: cannot fit"):
        regtest(fit)
    # with the side given, trim and fill runs (the truncated fits are intercept-only)
    assert trimfill(fit, side="left").k0 >= 0
    infl = influence(fit)
    assert infl.tau2_del.tolist() == [0.0, 0.0]
    w = 1 / (np.array([0.04, 0.09]) + fit.tau2)
    np.testing.assert_allclose(infl.weight, 100 * w / w.sum(), rtol=1e-12)


def test_summaries_read_like_metafor_print() -> None:
    yi, vi, _ = _bcg()
    es = find_case("dat.bcg", "escalc_RR")
    fit = rma(yi, vi, slab=list(es.dataset["data"]["labels"]))
    assert "Kendall's tau = 0.0256, p = 0.9524" in fit.ranktest().summary()
    assert "Fail-safe N: 598" in fit.fsn().summary()
    assert "Observed Significance Level: <.0001" in fit.fsn().summary()
    assert "Target Effect Size:  -0.3703" in fit.fsn("Orwin").summary()
    lm = fit.regtest(model="lm").summary()
    assert "t = -1.4013, df = 11, p = 0.1887" in lm
    assert "Limit Estimate (as sei -> 0):   b = -0.1909 (CI: -0.6753, 0.2935)" in lm
    assert "Model:     mixed-effects meta-regression model" in fit.regtest().summary()
    assert "z = -0.8033, p = 0.4218" in fit.regtest().summary()
    tf = fit.trimfill().summary()
    assert "Estimated number of missing studies on the right side: 1 (SE = 2.4528)" in tf
    assert "Random-Effects Model (k = 14" in tf
    loo = fit.leave1out().summary().splitlines()
    assert loo[1].startswith("Aronson 1948") and "-0.7071" in loo[1] and len(loo) == 14
    inf = fit.influence().summary().splitlines()
    assert inf[0].split()[-1] == "inf" and len(inf) == 14
