"""rma(): vectorised fitting equals one-by-one fitting, input checking, result API."""

from __future__ import annotations

import dataclasses
import json
import math
import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from ldn_atlas.errors import DataWarning
from ldn_atlas.stats import ESTIMATORS, ConvergenceWarning, RMAResult, StatisticalWarning, rma
from tests.metafor_oracle import case_input, find_case

METHODS = ["EE", "FE", "DL", "HE", "HS", "HSk", "SJ", "ML", "REML", "EB", "PM", "PMM"]


def bcg() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    case = find_case("dat.bcg", "rma_RR_mods_ablat_REML_z")
    yi, vi = case_input(case)
    return yi, vi, case.column("ablat")


def ragged_batch(seed: int = 7, m: int = 25) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """m analyses of 3..12 studies, NaN-padded to 12, NaNs in the middle too; one moderator."""
    rng = np.random.default_rng(seed)
    kmax = 12
    Y = np.full((m, kmax), np.nan)
    V = np.full((m, kmax), np.nan)
    M = rng.uniform(0, 10, size=(m, kmax))
    for i in range(m):
        k = int(rng.integers(3, kmax + 1))
        tau2 = rng.choice([0.0, 0.02, 0.3, 2.0])
        v = rng.uniform(0.01, 0.3, size=k)
        y = 0.2 + 0.05 * M[i, :k] + rng.normal(0, np.sqrt(v + tau2))
        Y[i, :k], V[i, :k] = y, v
        if k > 4 and i % 3 == 0:
            Y[i, 1] = np.nan  # a missing study inside the row
    return Y, V, M


def _same(a: object, b: object, what: str, rtol: float = 1e-10, atol: float = 1e-12) -> None:
    a_ = np.asarray(a, dtype=float)
    b_ = np.asarray(b, dtype=float)
    assert a_.shape == b_.shape, what
    both_nan = np.isnan(a_) & np.isnan(b_)
    assert np.all(both_nan | np.isclose(a_, b_, rtol=rtol, atol=atol)), f"{what}: {a_} != {b_}"


FIELDS = ["b", "se", "zval", "pval", "ci_lb", "ci_ub", "tau2", "se_tau2", "i2", "h2", "qe", "qep", "qm",
          "qmp", "ll_ml", "ll_reml"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("test", ["z", "knha"])
def test_batched_equals_one_by_one(method: str, test: str) -> None:
    Y, V, _ = ragged_batch()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        batch = rma(Y, V, method=method, test=test)
        assert batch.batched and len(batch) == Y.shape[0]
        for i in range(Y.shape[0]):
            keep = ~np.isnan(Y[i])
            single = rma(Y[i][keep], V[i][keep], method=method, test=test)
            for f in FIELDS:
                _same(getattr(batch, f)[i], getattr(single, f), f"{method} {test} analysis {i} {f}")
            assert batch.k[i] == single.k
            got = batch[i]
            for f in FIELDS:
                _same(getattr(got, f), getattr(single, f), f"indexed {f}")
            assert got.k == single.k and got.dfs == single.dfs


@pytest.mark.parametrize("method", ["DL", "REML", "ML", "PM", "EE", "SJ", "HE"])
def test_batched_meta_regression_equals_one_by_one(method: str) -> None:
    Y, V, M = ragged_batch(seed=11, m=12)
    Y[:, :4] = np.where(np.isnan(Y[:, :4]), 0.1, Y[:, :4])  # at least 4 studies for p = 2
    V[:, :4] = np.where(np.isnan(V[:, :4]), 0.05, V[:, :4])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = rma(Y, V, mods=M[:, :, None], method=method)
        for i in range(Y.shape[0]):
            keep = ~np.isnan(Y[i])
            one = rma(Y[i][keep], V[i][keep], mods=M[i][keep], method=method)
            for f in [*FIELDS, "r2"]:
                _same(getattr(fit, f)[i], getattr(one, f), f"{method} analysis {i} {f}")


def test_batched_shared_mods_and_confint_and_predict() -> None:
    yi, vi, ablat = bcg()
    Y = np.vstack([yi, yi * 0.5, yi[::-1]])
    V = np.vstack([vi, vi, vi[::-1] * 2])
    fit = rma(Y, V, mods=ablat)  # one (k,) moderator shared by all analyses
    assert fit.b.shape == (3, 2)
    one = rma(Y[1], V[1], mods=ablat)
    _same(fit.b[1], one.b, "b")
    ci_b = rma(Y, V).confint()
    for i in range(3):
        ci_1 = rma(Y[i], V[i]).confint()
        for part in ("tau2", "tau", "i2", "h2"):
            for a in ("estimate", "ci_lb", "ci_ub"):
                _same(getattr(getattr(ci_b, part), a)[i], getattr(getattr(ci_1, part), a), f"{part}.{a}")
        pr_b = rma(Y, V).predict()
        pr_1 = rma(Y[i], V[i]).predict()
        _same(pr_b.pi_ub[i], pr_1.pi_ub, "pi_ub")


def test_perf_like_workload_converges_and_is_tight() -> None:
    """REML on 2,000 analyses like the perf workload: all converge; tau2 solves the REML equation."""
    rng = np.random.default_rng(20240601)
    m, k = 2000, 20
    tau2 = rng.uniform(0, 0.1, m)
    V = rng.uniform(0.01, 0.2, (m, k))
    Y = rng.normal(0.3, np.sqrt(V + tau2[:, None]))
    fit = rma(Y, V)
    assert fit.converged.all()
    # score equation Y'PPY = tr(P) at interior solutions
    t = fit.tau2
    w = 1 / (V + t[:, None])
    sw = w.sum(1)
    b = (w * Y).sum(1) / sw
    ypp = ((w * (Y - b[:, None])) ** 2).sum(1)
    trp = sw - (w * w).sum(1) / sw
    interior = t > 1e-8
    assert np.all(np.abs(ypp - trp)[interior] / trp[interior] < 1e-7)


# ----------------------------------------------------------------------------- inputs


def test_escalc_like_object_and_pandas_mods() -> None:
    yi, vi, ablat = bcg()
    es = SimpleNamespace(yi=yi, vi=vi)
    a = rma(es, method="DL")
    b = rma(yi, vi, method="DL")
    assert a.b == b.b and a.tau2 == b.tau2
    fit = rma(yi, vi, mods=pd.DataFrame({"ablat": ablat}))
    assert fit.coef_names == ("intrcpt", "ablat")
    fit2 = rma(yi, vi, mods=ablat)
    assert fit2.coef_names == ("intrcpt", "X1")
    np.testing.assert_allclose(fit.b, fit2.b)
    assert isinstance(fit.b, np.ndarray) and fit.b.shape == (2,)
    assert isinstance(a.b, float)


def test_missing_rows_dropped_with_warning() -> None:
    yi, vi, ablat = bcg()
    yi2 = yi.copy()
    yi2[3] = np.nan
    mods = ablat.copy()
    mods[5] = np.nan
    with pytest.warns(DataWarning, match="NAs omitted"):
        fit = rma(yi2, vi, mods=mods)
    assert fit.k == 11
    keep = np.ones(13, bool)
    keep[[3, 5]] = False
    ref = rma(yi[keep], vi[keep], mods=ablat[keep])
    np.testing.assert_allclose(fit.b, ref.b, rtol=1e-12)
    assert "Studies with NAs omitted from model fitting." in fit.warnings
    assert fit.yi.shape == (11,) and fit.not_na.sum() == 11


@pytest.mark.parametrize(
    ("kwargs", "arg"),
    [
        ({"yi": [0.1, 0.2, 0.3], "vi": [0.1, 0.2]}, "vi"),
        ({"yi": [0.1, 0.2, 0.3], "vi": [0.1, 0.0, 0.2]}, "vi"),
        ({"yi": [0.1, 0.2, 0.3], "vi": [0.1, -1.0, 0.2]}, "vi"),
        ({"yi": [np.nan, np.nan], "vi": [0.1, 0.2]}, "yi"),
        ({"yi": [0.3], "vi": [0.1]}, "yi"),
        ({"yi": [0.1, 0.2, 0.3], "vi": [0.1, 0.1, 0.2], "method": "XX"}, "method"),
        ({"yi": [0.1, 0.2, 0.3], "vi": [0.1, 0.1, 0.2], "test": "wald"}, "test"),
        ({"yi": [0.1, 0.2, 0.3], "vi": [0.1, 0.1, 0.2], "mods": [1, 2]}, "mods"),
        ({"yi": [0.1, 0.2, 0.3], "vi": None}, "vi"),
        ({"yi": [0.1, 0.2, 0.3], "vi": [0.1, 0.1, 0.2], "control": {"nope": 1}}, "control"),
        ({"yi": [0.1, 0.2, 0.3], "vi": [0.1, 0.1, 0.2], "level": 120}, "level"),
    ],
)
def test_bad_input_raises_value_error_naming_argument(kwargs: dict, arg: str) -> None:
    kwargs = dict(kwargs)
    yi = kwargs.pop("yi")
    vi = kwargs.pop("vi")
    with pytest.raises(ValueError, match=rf"^{arg}"):
        rma(yi, vi, **kwargs)


def test_one_study_is_fine_for_ee_but_not_for_heterogeneity() -> None:
    fit = rma([0.3], [0.04], method="EE")
    assert fit.k == 1 and fit.b == pytest.approx(0.3) and fit.se == pytest.approx(0.2)
    with pytest.raises(ValueError, match="at least 2 studies"), pytest.warns(DataWarning):
        rma([0.3, np.nan], [0.04, 0.1], method="REML")


def test_non_convergence_is_a_typed_warning_recorded_on_the_result() -> None:
    yi, vi, _ = bcg()
    with pytest.warns(ConvergenceWarning):
        fit = rma(yi, vi, method="REML", control={"maxiter": 1})
    assert fit.converged is False
    assert any("did not converge" in w for w in fit.warnings)


def test_knha_with_ee_warns() -> None:
    yi, vi, _ = bcg()
    with pytest.warns(StatisticalWarning, match="Knapp & Hartung"):
        rma(yi, vi, method="EE", test="knha")


def test_pm_search_interval_widened_when_root_above_tau2_max() -> None:
    yi = np.array([0.0, 0.1, -0.1, 0.05, 400.0, -350.0])
    vi = np.full(6, 0.01)
    fit = rma(yi, vi, method="PM")
    assert fit.tau2 > 1000
    w = 1 / (vi + fit.tau2)
    b = np.sum(w * yi) / np.sum(w)
    assert np.sum(w * (yi - b) ** 2) == pytest.approx(5.0, rel=1e-10)
    pmm = rma(yi, vi, method="PMM")
    w = 1 / (vi + pmm.tau2)
    b = np.sum(w * yi) / np.sum(w)
    assert np.sum(w * (yi - b) ** 2) == pytest.approx(sps.chi2.ppf(0.5, 5), rel=1e-10)


def test_user_weights() -> None:
    yi, vi, _ = bcg()
    fit = rma(yi, vi, method="DL", weights=np.ones_like(yi))
    ref = rma(yi, vi, method="DL")
    assert fit.tau2 == ref.tau2
    assert fit.b == pytest.approx(np.mean(yi), rel=1e-12)
    assert fit.se == pytest.approx(math.sqrt(np.sum(vi + ref.tau2)) / yi.size, rel=1e-12)


def test_level_changes_intervals() -> None:
    yi, vi, _ = bcg()
    f95 = rma(yi, vi, level=95)
    f90 = rma(yi, vi, level=0.90)
    z = sps.norm.isf(0.05)
    assert f90.ci_ub == pytest.approx(f95.b + z * f95.se, rel=1e-12)
    assert f90.b == f95.b


# ----------------------------------------------------------------------------- result API


def test_result_is_frozen_and_json_safe() -> None:
    yi, vi, ablat = bcg()
    fit = rma(yi, vi, mods=ablat, test="knha")
    with pytest.raises(dataclasses.FrozenInstanceError):
        fit.tau2 = 0.0  # type: ignore[misc]
    d = fit.to_dict()
    text = json.dumps(d, allow_nan=False)
    back = json.loads(text)
    assert back["coef_names"] == ["intrcpt", "X1"]
    assert back["k"] == 13 and back["dfs"] == 11
    assert back["method"] == "REML"
    batched = rma(np.vstack([yi, yi]), np.vstack([vi, vi]))
    json.dumps(batched.to_dict(), allow_nan=False)


def test_refit_and_replace_use_the_same_settings() -> None:
    yi, vi, ablat = bcg()
    fit = rma(yi, vi, method="PM", test="knha", level=90)
    again = fit.refit(yi[:-1], vi[:-1])
    ref = rma(yi[:-1], vi[:-1], method="PM", test="knha", level=90)
    assert again.b == ref.b and again.ci_lb == ref.ci_lb and again.method == "PM"
    other = fit.replace(method="DL")
    assert other.tau2 == rma(yi, vi, method="DL", test="knha", level=90).tau2
    reg = rma(yi, vi, mods=ablat)
    with pytest.raises(ValueError, match="mods"):
        reg.refit(yi, vi)
    same = reg.replace()
    np.testing.assert_array_equal(same.b, reg.b)


def test_predict_newmods_and_transf() -> None:
    from ldn_atlas.stats import transf

    yi, vi, ablat = bcg()
    fit = rma(yi, vi, mods=ablat)
    pr = fit.predict(newmods=[10.0, 30.0])
    x = np.array([[1, 10.0], [1, 30.0]])
    np.testing.assert_allclose(pr.pred, x @ fit.b)
    se = np.sqrt(np.einsum("ip,pq,iq->i", x, fit.vb, x))
    np.testing.assert_allclose(pr.se, se)
    np.testing.assert_allclose(pr.pi_ub, pr.pred + 1.959963984540054 * np.sqrt(se**2 + fit.tau2))
    one = fit.predict(newmods=20.0)
    assert isinstance(one.pred, float)
    fitted = fit.predict()
    assert np.shape(fitted.pred) == (13,)
    base = rma(yi, vi)
    rr = base.predict(transf=transf.exp)
    assert rr.pred == pytest.approx(math.exp(base.b))
    assert rr.ci_lb == pytest.approx(math.exp(base.ci_lb))
    assert math.isnan(rr.se)
    ee = rma(yi, vi, method="EE").predict()
    assert math.isnan(ee.pi_lb) and math.isnan(ee.pi_ub)
    with pytest.raises(ValueError, match="newmods"):
        base.predict(newmods=[1.0])


def test_summary_layout() -> None:
    yi, vi, ablat = bcg()
    text = rma(yi, vi).summary()
    assert "Random-Effects Model (k = 13; tau^2 estimator: REML)" in text
    assert "Test for Heterogeneity:" in text and "Q(df = 12) = 152.2330, p-val < .0001" in text
    reg = rma(yi, vi, mods=pd.DataFrame({"ablat": ablat})).summary()
    assert "Mixed-Effects Model" in reg and "Test of Moderators (coefficient 2):" in reg
    assert "intrcpt" in reg and "ablat" in reg
    with pytest.raises(TypeError):
        rma(np.vstack([yi, yi]), np.vstack([vi, vi])).summary()


def test_registry_has_all_estimators() -> None:
    assert set(METHODS) <= set(ESTIMATORS)
    assert isinstance(rma([0.1, 0.2], [0.1, 0.1]), RMAResult)


def test_diagnostic_and_plot_methods_delegate(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from ldn_atlas.stats import diagnostics

    yi, vi, _ = bcg()
    fit = rma(yi, vi)
    np.testing.assert_array_equal(fit.leave1out().tau2, diagnostics.leave1out(fit).tau2)
    assert fit.regtest().pval == diagnostics.regtest(fit, model="rma", predictor="sei").pval
    assert fit.regtest(model="lm").pval == diagnostics.regtest(fit, model="lm").pval
    assert fit.ranktest().tau == diagnostics.ranktest(fit).tau
    assert fit.trimfill().k0 == diagnostics.trimfill(fit, estimator="L0").k0
    np.testing.assert_array_equal(fit.influence().hat, diagnostics.influence(fit).hat)
    assert fit.fsn().fsnum == diagnostics.fsn(yi, vi).fsnum
    for name in ("forest", "funnel"):
        out = getattr(fit, name)(tmp_path / f"{name}.svg")
        assert (tmp_path / f"{name}.svg").stat().st_size > 1000
        assert str(out).endswith(f"{name}.svg")


@pytest.mark.parametrize("method", ["DL", "REML", "PM", "ML", "EB", "SJ", "HE", "HS"])
def test_property_batched_rows_and_invariants(method: str) -> None:
    """Random ragged batches: batch == single fits; tau2 >= 0; 0 <= I2 < 100; CI contains b."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=15, deadline=None)
    @given(seed=st.integers(0, 2**31 - 1), shift=st.floats(-5, 5), scale=st.floats(0.01, 10))
    def check(seed: int, shift: float, scale: float) -> None:
        Y, V, _ = ragged_batch(seed=seed, m=4)
        Y = shift + scale * Y
        V = scale**2 * V
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = rma(Y, V, method=method)
            assert np.all(fit.tau2 >= 0)
            assert np.all((fit.i2 >= 0) & (fit.i2 < 100))
            assert np.all((fit.ci_lb <= fit.b) & (fit.b <= fit.ci_ub))
            for i in range(Y.shape[0]):
                keep = ~np.isnan(Y[i])
                one = rma(Y[i][keep], V[i][keep], method=method)
                # at a boundary maximum, Fisher scoring creeps to 0 by step halving and stops at a
                # round-off-level value (~1e-13 x scale^2) that depends on summation order
                _same(fit.tau2[i], one.tau2, "tau2", atol=1e-10 * scale**2)
                _same(fit.b[i], one.b, "b")
                _same(fit.se[i], one.se, "se")

    check()


def test_confint_upper_bound_capped_like_metafor_or_widened() -> None:
    fit = rma([0.2, 0.9], [0.04, 0.09], method="DL")
    capped = fit.confint()
    assert capped.tau2.ci_ub == 100.0 and capped.capped is True
    free = fit.confint(tau2_max=float("inf"))
    assert free.tau2.ci_ub > 100 and free.capped is False
    w = 1 / (np.array([0.04, 0.09]) + free.tau2.ci_ub)
    y = np.array([0.2, 0.9])
    b = np.sum(w * y) / np.sum(w)
    assert np.sum(w * (y - b) ** 2) == pytest.approx(sps.chi2.ppf(0.025, 1), rel=1e-9)


def test_pandas_inputs_with_na_and_escalc_labels() -> None:
    yi, vi, _ = bcg()
    s_y = pd.Series(yi, dtype="Float64")
    s_y[2] = pd.NA
    with pytest.warns(DataWarning):
        fit = rma(s_y, pd.Series(vi))
    assert fit.k == 12
    es = SimpleNamespace(yi=yi, vi=vi, slab=tuple(f"s{i}" for i in range(13)))
    assert rma(es).slab == es.slab


def test_dataframe_text_column_is_dummy_coded_like_r() -> None:
    from tests.metafor_oracle import find_case

    case = find_case("dat.bcg", "rma_RR_mods_factoralloc_REML_z")
    yi, vi = case_input(case)
    frame = pd.DataFrame({"alloc": case.column("alloc")})
    fit = rma(yi, vi, mods=frame)
    assert fit.coef_names == ("intrcpt", "allocrandom", "allocsystematic")
    np.testing.assert_allclose(fit.b, case.output["estimate"], rtol=1e-5)


@pytest.mark.shared
def test_perf_workload_all_10000_reml_fits_converge() -> None:
    """The shared perf workload: all 10,000 REML fits converge (metafor's defaults fail on 61) and
    the first 300 agree with an independent scalar solve of the REML equation to 1e-8."""
    from scipy import optimize

    from tests.conftest import shared_path

    path = shared_path("reference", "perf", "workload_k20_n10000.csv.gz")
    df = pd.read_csv(path).sort_values(["analysis", "study"])
    m = df["analysis"].nunique()
    Y = df["yi"].to_numpy().reshape(m, -1)
    V = df["vi"].to_numpy().reshape(m, -1)
    fit = rma(Y, V, method="REML")
    assert fit.converged.all() and len(fit) == 10000

    def score(t: float, y: np.ndarray, v: np.ndarray) -> float:
        w = 1 / (v + t)
        sw = w.sum()
        e = y - (w * y).sum() / sw
        return float(np.sum((w * e) ** 2) - (sw - np.sum(w * w) / sw))

    for i in range(300):
        y, v, t = Y[i], V[i], float(fit.tau2[i])
        if t < 1e-10:
            assert score(0.0, y, v) <= 1e-6, i  # boundary maximum
            continue
        root = optimize.brentq(score, 0.5 * t, 2.0 * t, args=(y, v), xtol=1e-15)
        assert abs(t - root) < 1e-8, i


def test_redundant_predictors_dropped_like_metafor() -> None:
    yi = np.array([0.1, 0.3, 0.2, 0.5, 0.45])
    vi = np.array([0.1, 0.1, 0.2, 0.1, 0.05])
    x = np.array([1.0, 2, 3, 4, 5])
    with pytest.warns(StatisticalWarning, match="Redundant predictors dropped"):
        fit = rma(yi, vi, mods=pd.DataFrame({"x": x, "x2": 2 * x}))
    ref = rma(yi, vi, mods=pd.DataFrame({"x": x}))
    assert fit.coef_names == ("intrcpt", "x") and fit.p == 2
    np.testing.assert_allclose(fit.b, ref.b, rtol=1e-12)
    with pytest.warns(StatisticalWarning, match="Redundant predictors dropped"):
        const = rma(yi, vi, mods=np.full(5, 1976.0))
    assert const.p == 1 and const.b == pytest.approx(rma(yi, vi).b, rel=1e-12)
    with pytest.raises(ValueError, match="mods"):
        rma(np.vstack([yi, yi]), np.vstack([vi, vi]), mods=np.full(5, 1976.0))
