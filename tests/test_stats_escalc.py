"""escalc beyond the oracle: derivations, the paired measures, conventions, bad input, properties."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

from ldn_atlas.errors import DataWarning
from ldn_atlas.stats import transf
from ldn_atlas.stats.effect_sizes import MEASURES, EffectSizes, escalc, hedges_correction

# --------------------------------------------------------------------------------------------
# closed forms by hand
# --------------------------------------------------------------------------------------------


def test_two_by_two_by_hand() -> None:
    ai, bi, ci, di = 4.0, 119.0, 11.0, 128.0
    n1, n2 = ai + bi, ci + di
    rr = escalc("RR", ai=[ai], bi=[bi], ci=[ci], di=[di])
    assert rr.yi[0] == pytest.approx(math.log((ai / n1) / (ci / n2)), rel=1e-14)
    assert rr.vi[0] == pytest.approx(1 / ai - 1 / n1 + 1 / ci - 1 / n2, rel=1e-14)
    or_ = escalc("OR", ai=[ai], n1i=[n1], ci=[ci], n2i=[n2])
    assert or_.yi[0] == pytest.approx(math.log(ai * di / (bi * ci)), rel=1e-14)
    assert or_.vi[0] == pytest.approx(1 / ai + 1 / bi + 1 / ci + 1 / di, rel=1e-14)
    rd = escalc("RD", ai=[ai], bi=[bi], ci=[ci], di=[di], vtype="UB")
    p1, p2 = ai / n1, ci / n2
    assert rd.yi[0] == pytest.approx(p1 - p2, rel=1e-14)
    assert rd.vi[0] == pytest.approx(p1 * (1 - p1) / (n1 - 1) + p2 * (1 - p2) / (n2 - 1), rel=1e-14)
    # Peto: (O - E) / V with the hypergeometric variance
    n = n1 + n2
    e = (ai + ci) * n1 / n
    v = (ai + ci) * (bi + di) * n1 * n2 / (n**2 * (n - 1))
    peto = escalc("PETO", ai=[ai], bi=[bi], ci=[ci], di=[di])
    assert peto.yi[0] == pytest.approx((ai - e) / v, rel=1e-14)
    assert peto.vi[0] == pytest.approx(1 / v, rel=1e-14)


def test_zero_cell_conventions() -> None:
    # one zero: 1/2 added to all four cells of that table only (to="only0")
    es = escalc("OR", ai=[0, 5], bi=[10, 5], ci=[3, 5], di=[7, 5])
    assert es.yi[0] == pytest.approx(math.log(0.5 * 7.5 / (10.5 * 3.5)))
    assert es.yi[1] == pytest.approx(0.0)
    # to="all": every table
    es_all = escalc("OR", ai=[0, 5], bi=[10, 5], ci=[3, 5], di=[7, 5], to="all")
    assert es_all.vi[1] == pytest.approx(4 / 5.5)
    # if0all: every table because one has a zero; nothing when none does
    es_if = escalc("OR", ai=[0, 5], bi=[10, 5], ci=[3, 5], di=[7, 5], to="if0all")
    np.testing.assert_allclose(es_if.vi, es_all.vi)
    es_if_none = escalc("OR", ai=[1, 5], bi=[10, 5], ci=[3, 5], di=[7, 5], to="if0all")
    assert es_if_none.vi[1] == pytest.approx(4 / 5)
    # to="none": a zero cell gives an infinite value -> NaN with a warning
    with pytest.warns(DataWarning, match="Inf"):
        es_none = escalc("OR", ai=[0, 5], bi=[10, 5], ci=[3, 5], di=[7, 5], to="none")
    assert np.isnan(es_none.yi[0]) and np.isnan(es_none.vi[0])
    # double-zero table kept by default (with 1/2 added), dropped with drop00=True
    kept = escalc("RR", ai=[0, 2], n1i=[10, 10], ci=[0, 4], n2i=[10, 10])
    assert kept.yi[0] == pytest.approx(0.0) and np.isfinite(kept.vi[0])
    dropped = escalc("RR", ai=[0, 2], n1i=[10, 10], ci=[0, 4], n2i=[10, 10], drop00=True)
    assert np.isnan(dropped.yi[0]) and np.isnan(dropped.vi[0]) and np.isfinite(dropped.yi[1])
    # add=0 by default for AS / PAS / PFT
    assert escalc("PAS", xi=[0], ni=[10]).yi[0] == 0.0
    assert escalc("PAS", xi=[0], ni=[10], add=0.5).yi[0] == pytest.approx(math.asin(math.sqrt(0.5 / 11)))
    # proportions: 1/2 to xi and ni - xi when xi = 0 or xi = ni
    plo = escalc("PLO", xi=[10], ni=[10])
    assert plo.yi[0] == pytest.approx(math.log(10.5 / 0.5))
    assert plo.vi[0] == pytest.approx(1 / 10.5 + 1 / 0.5)


def test_missing_inputs_give_nan_not_errors() -> None:
    es = escalc("RR", ai=[4, None, 6], n1i=[20, 20, np.nan], ci=[3, 2, 1], n2i=[20, 20, 20])
    assert np.isfinite(es.yi[0])
    assert np.isnan(es.yi[1]) and np.isnan(es.vi[1])
    assert np.isnan(es.yi[2]) and np.isnan(es.vi[2])
    smd = escalc("SMD", m1i=[1, np.nan], m2i=[0, 0], sd1i=[1, 1], sd2i=[1, 1], n1i=[10, 10], n2i=[10, 10])
    assert np.isfinite(smd.yi[0]) and np.isnan(smd.yi[1])


def test_smd_exact_hedges_correction_and_variances() -> None:
    m1, m2, s1, s2, n1, n2 = 10.0, 8.0, 3.0, 4.0, 12.0, 9.0
    m = n1 + n2 - 2
    j = math.gamma(m / 2) / (math.sqrt(m / 2) * math.gamma((m - 1) / 2))
    sp = math.sqrt(((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / m)
    g = j * (m1 - m2) / sp
    es = escalc("SMD", m1i=[m1], m2i=[m2], sd1i=[s1], sd2i=[s2], n1i=[n1], n2i=[n2])
    assert es.yi[0] == pytest.approx(g, rel=1e-13)
    assert es.vi[0] == pytest.approx(1 / n1 + 1 / n2 + g**2 / (2 * (n1 + n2)), rel=1e-13)
    ub = escalc("SMD", m1i=[m1], m2i=[m2], sd1i=[s1], sd2i=[s2], n1i=[n1], n2i=[n2], vtype="UB")
    assert ub.vi[0] == pytest.approx(1 / n1 + 1 / n2 + (1 - (m - 2) / (m * j**2)) * g**2, rel=1e-13)
    # exact J vs the approximation 1 - 3/(4m - 1): close, not equal
    assert hedges_correction(m) == pytest.approx(1 - 3 / (4 * m - 1), rel=1e-4)
    assert hedges_correction(m) != 1 - 3 / (4 * m - 1)
    # no overflow for large m, NaN for m <= 1
    assert hedges_correction(10_000.0) == pytest.approx(1 - 3 / (4 * 10_000 - 1), rel=1e-9)
    assert np.isnan(hedges_correction(1.0))
    # SMD from Cohen's d (di) and from t statistics (ti)
    d = (m1 - m2) / sp
    from_d = escalc("SMD", di=[d], n1i=[n1], n2i=[n2])
    assert from_d.yi[0] == pytest.approx(g, rel=1e-13)
    t = d / math.sqrt(1 / n1 + 1 / n2)
    from_t = escalc("SMD", ti=[t], n1i=[n1], n2i=[n2])
    assert from_t.yi[0] == pytest.approx(g, rel=1e-13)


def test_proportions_and_rates_by_hand() -> None:
    x, n = 7.0, 20.0
    pft = escalc("PFT", xi=[x], ni=[n])
    expected = 0.5 * (math.asin(math.sqrt(x / (n + 1))) + math.asin(math.sqrt((x + 1) / (n + 1))))
    assert pft.yi[0] == pytest.approx(expected)
    assert pft.vi[0] == pytest.approx(1 / (4 * n + 2))
    # PFT round trip with the per-study inverse (Miller 1978) is close to x/n
    assert transf.ipft(pft.yi[0], ni=n) == pytest.approx(x / n, abs=2e-3)
    pln = escalc("PLN", xi=[x], mi=[n - x])
    assert pln.yi[0] == pytest.approx(math.log(x / n)) and pln.vi[0] == pytest.approx(1 / x - 1 / n)
    ir = escalc("IRLN", xi=[5, 0], ti=[100.0, 50.0])
    assert ir.yi[0] == pytest.approx(math.log(0.05)) and ir.vi[0] == pytest.approx(0.2)
    assert ir.yi[1] == pytest.approx(math.log(0.5 / 50)) and ir.vi[1] == pytest.approx(2.0)
    zc = escalc("ZCOR", ri=[0.3], ni=[50])
    assert zc.yi[0] == pytest.approx(math.atanh(0.3)) and zc.vi[0] == pytest.approx(1 / 47)


# --------------------------------------------------------------------------------------------
# paired / pre-post measures (no metafor oracle case: tested by derivation)
# --------------------------------------------------------------------------------------------


def _prepost(n: int, rho: float, delta: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    cov = np.array([[1.0, rho], [rho, 1.0]])
    pre_post = rng.multivariate_normal([0.0, delta], cov, size=n)
    return pre_post[:, 1], pre_post[:, 0]  # post (m1i), pre (m2i)


def test_mc_and_smcc_equal_direct_computation_from_change_scores() -> None:
    post, pre = _prepost(40, 0.6, 0.5, seed=1)
    n = post.size
    r = np.corrcoef(post, pre)[0, 1]
    kw = dict(m1i=[post.mean()], m2i=[pre.mean()], sd1i=[post.std(ddof=1)], sd2i=[pre.std(ddof=1)],
              ni=[n], ri=[r])
    diff = post - pre
    mc = escalc("MC", **kw)
    assert mc.yi[0] == pytest.approx(diff.mean(), rel=1e-12)
    # var(post - pre) = s1^2 + s2^2 - 2 r s1 s2 exactly for sample moments
    assert mc.vi[0] == pytest.approx(diff.var(ddof=1) / n, rel=1e-10)
    smcc = escalc("SMCC", **kw)
    m = n - 1
    j = math.exp(special.gammaln(m / 2) - math.log(math.sqrt(m / 2)) - special.gammaln((m - 1) / 2))
    g = j * diff.mean() / diff.std(ddof=1)
    assert smcc.yi[0] == pytest.approx(g, rel=1e-10)
    assert smcc.vi[0] == pytest.approx(1 / n + g**2 / (2 * n), rel=1e-10)
    smcr = escalc("SMCR", **{k: v for k, v in kw.items() if k != "sd1i"}, sd1i=[pre.std(ddof=1)])
    g_r = j * diff.mean() / pre.std(ddof=1)
    assert smcr.yi[0] == pytest.approx(g_r, rel=1e-10)
    assert smcr.vi[0] == pytest.approx(2 * (1 - r) / n + g_r**2 / (2 * n), rel=1e-10)


def test_smcr_limits_and_relation_to_smcc() -> None:
    # ri = 0: Becker's variance reduces to 2/n + g^2/(2n)
    es = escalc("SMCR", m1i=[12.0], m2i=[10.0], sd1i=[4.0], ni=[25], ri=[0.0])
    g = es.yi[0]
    assert es.vi[0] == pytest.approx(2 / 25 + g**2 / 50)
    # ri = 1 removes the first term
    es1 = escalc("SMCR", m1i=[12.0], m2i=[10.0], sd1i=[4.0], ni=[25], ri=[1.0])
    assert es1.vi[0] == pytest.approx(es1.yi[0] ** 2 / 50)
    # equal SDs: SMCC = SMCR / sqrt(2 (1 - r))
    for r in (0.0, 0.3, 0.8):
        c = escalc("SMCC", m1i=[12.0], m2i=[10.0], sd1i=[4.0], sd2i=[4.0], ni=[25], ri=r)
        rr = escalc("SMCR", m1i=[12.0], m2i=[10.0], sd1i=[4.0], ni=[25], ri=r)
        assert c.yi[0] == pytest.approx(rr.yi[0] / math.sqrt(2 * (1 - r)), rel=1e-13)
    # MC with r = 0 is the independent-groups variance with n per arm
    mc = escalc("MC", m1i=[5.0], m2i=[3.0], sd1i=[2.0], sd2i=[1.5], ni=[16], ri=[0.0])
    assert mc.vi[0] == pytest.approx((4 + 2.25) / 16)


def test_paired_measures_unbiased_and_variances_match_simulation() -> None:
    # Monte Carlo (vectorised): the corrected SMCC/SMCR are unbiased for the population effect
    # and their LS variances match the empirical variances (Becker 1988; Morris 2008).
    rng = np.random.default_rng(20260)
    reps, n, rho, delta = 20_000, 30, 0.5, 0.4
    z1 = rng.standard_normal((reps, n))
    z2 = rho * z1 + math.sqrt(1 - rho**2) * rng.standard_normal((reps, n))
    pre, post = z1, z2 + delta
    s1, s2 = post.std(axis=1, ddof=1), pre.std(axis=1, ddof=1)
    r = np.array([np.corrcoef(a, b)[0, 1] for a, b in zip(post[:2000], pre[:2000], strict=True)])
    # use the sample correlation on a subset for SMCC inputs (sddi needs it) and rho for SMCR's vi
    sub = slice(0, 2000)
    smcc = escalc("SMCC", m1i=post.mean(1)[sub], m2i=pre.mean(1)[sub], sd1i=s1[sub], sd2i=s2[sub],
                  ni=np.full(2000, n), ri=r)
    true_smcc = delta / math.sqrt(2 * (1 - rho))
    assert smcc.yi.mean() == pytest.approx(true_smcc, abs=4 * smcc.yi.std() / math.sqrt(2000))
    assert smcc.yi.var(ddof=1) == pytest.approx(smcc.vi.mean(), rel=0.1)
    smcr = escalc("SMCR", m1i=post.mean(1), m2i=pre.mean(1), sd1i=pre.std(axis=1, ddof=1),
                  ni=np.full(reps, n), ri=rho)
    assert smcr.yi.mean() == pytest.approx(delta, abs=4 * smcr.yi.std() / math.sqrt(reps))
    assert smcr.yi.var(ddof=1) == pytest.approx(smcr.vi.mean(), rel=0.06)


def test_romc_by_hand() -> None:
    m1, m2, s1, s2, n, r = 20.0, 16.0, 5.0, 4.0, 30.0, 0.5
    es = escalc("ROMC", m1i=[m1], m2i=[m2], sd1i=[s1], sd2i=[s2], ni=[n], ri=[r])
    assert es.yi[0] == pytest.approx(math.log(m1 / m2))
    expected = s1**2 / (n * m1**2) + s2**2 / (n * m2**2) - 2 * r * s1 * s2 / (m1 * m2 * n)
    assert es.vi[0] == pytest.approx(expected)


# --------------------------------------------------------------------------------------------
# result type
# --------------------------------------------------------------------------------------------


def test_result_is_frozen_and_serialises() -> None:
    es = escalc("RR", ai=[4, 6], bi=[119, 300], ci=[11, 29], di=[128, 274], slab=["A", "B"])
    assert isinstance(es, EffectSizes)
    with pytest.raises(AttributeError):
        es.measure = "OR"  # type: ignore[misc]
    with pytest.raises(ValueError):
        es.yi[0] = 1.0
    np.testing.assert_allclose(es.sei, np.sqrt(es.vi))
    d = es.to_dict()
    assert d["measure"] == "RR" and d["slab"] == ["A", "B"] and len(d["yi"]) == 2
    frame = es.to_frame()
    assert list(frame.index) == ["A", "B"] and list(frame.columns) == ["yi", "vi"]
    assert es.labels == ("A", "B") and len(es) == 2
    assert escalc("RR", ai=[4], bi=[119], ci=[11], di=[128]).labels == ("Study 1",)


def test_summary_tests_and_back_transformed_intervals() -> None:
    es = escalc("RR", ai=[4, 6], bi=[119, 300], ci=[11, 29], di=[128, 274])
    s = es.summary()
    np.testing.assert_allclose(s.zi, es.yi / es.sei)
    np.testing.assert_allclose(s.ci_lb, es.yi - 1.959963984540054 * es.sei)
    from scipy import stats
    np.testing.assert_allclose(s.pval, 2 * stats.norm.sf(np.abs(es.yi / es.sei)))
    t = es.summary(transf=transf.exp)
    np.testing.assert_allclose(t.yi, np.exp(es.yi))
    np.testing.assert_allclose(t.ci_ub, np.exp(es.yi + 1.959963984540054 * es.sei))
    np.testing.assert_allclose(t.zi, s.zi)
    assert t.transformed and not s.transformed
    s90 = es.summary(level=90)
    assert np.all(s90.ci_ub < s.ci_ub)
    assert set(s.to_dict()) >= {"yi", "sei", "zi", "pval", "ci_lb", "ci_ub"}
    assert list(s.to_frame().columns) == ["yi", "sei", "zi", "pval", "ci_lb", "ci_ub"]


# --------------------------------------------------------------------------------------------
# bad input: a ValueError naming the argument
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda: escalc("XYZ", ai=[1]), r"unknown measure 'XYZ'; available: RR, OR"),
        (lambda: escalc("RR", ai=[1, 2], bi=[3, 4], ci=[1], di=[3, 4, 5]), r"differ in length.*ci=1"),
        (lambda: escalc("RR", ai=[1], ci=[1], di=[3]), r"needs bi or n1i"),
        (lambda: escalc("SMD", m1i=[1], m2i=[0], sd1i=[1], n1i=[5], n2i=[5]), r"missing: sd2i"),
        (lambda: escalc("RR", ai=[5], n1i=[3], ci=[1], n2i=[4]), r"negative"),
        (lambda: escalc("RR", ai=[1], bi=[2], n1i=[4], ci=[1], di=[3]), r"'n1i'.*'ai \+ bi'"),
        (lambda: escalc("ZCOR", ri=[1.2], ni=[10]), r"correlations \(ri\)"),
        (lambda: escalc("MD", m1i=[1], m2i=[0], sd1i=[-1], sd2i=[1], n1i=[5], n2i=[5]),
         r"standard deviations"),
        (lambda: escalc("SMD", m1i=[1], m2i=[0], sd1i=[1], sd2i=[1], n1i=[5], n2i=[5], vtype="HO"),
         r"vtype must be one of UB, LS, LS2, AV"),
        (lambda: escalc("RR", ai=[1], bi=[2], ci=[1], di=[3], to="some"), r"unknown 'to'"),
        (lambda: escalc("RR", ai=[1], bi=[2], ci=[1], di=[3], add=-1), r"'add'"),
        (lambda: escalc("IRR", x1i=[1], x2i=[2], t1i=[0], t2i=[3]), r"person-times"),
        (lambda: escalc("SMCR", m1i=[1], m2i=[0], sd1i=[1], ni=[10]), r"missing: ri"),
        (lambda: escalc("PR", xi=[1], ni=[10], slab=["a", "b"]), r"'slab'"),
        (lambda: escalc("RR", ai=[[1, 2]], bi=[3], ci=[1], di=[3]), r"'ai' must be one-dimensional"),
        (lambda: escalc("RR", ai=["x"], bi=[3], ci=[1], di=[3]), r"'ai' must be numeric"),
    ],
)
def test_bad_input_raises_value_error_naming_it(call, pattern: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=pattern):
        call()


def test_every_listed_measure_computes() -> None:
    data = dict(ai=[5, 3], bi=[15, 17], ci=[8, 6], di=[12, 14], x1i=[5, 3], x2i=[8, 6], t1i=[100, 90],
                t2i=[110, 95], m1i=[5.0, 4.0], m2i=[4.0, 3.5], sd1i=[2.0, 1.5], sd2i=[2.5, 1.8],
                n1i=[20, 20], n2i=[20, 20], xi=[5, 3], ti=[100, 90], ri=[0.4, 0.5], ni=[20, 30],
                mi=[5.0, 4.0], sdi=[2.0, 1.5])
    needs = {
        "RR": "ai bi ci di", "OR": "ai bi ci di", "RD": "ai bi ci di", "PETO": "ai bi ci di",
        "AS": "ai bi ci di", "IRR": "x1i x2i t1i t2i", "IRD": "x1i x2i t1i t2i", "IRSD": "x1i x2i t1i t2i",
        "MD": "m1i m2i sd1i sd2i n1i n2i", "SMD": "m1i m2i sd1i sd2i n1i n2i",
        "SMDH": "m1i m2i sd1i sd2i n1i n2i", "ROM": "m1i m2i sd1i sd2i n1i n2i", "COR": "ri ni",
        "ZCOR": "ri ni", "PR": "xi ni", "PLN": "xi ni", "PLO": "xi ni", "PAS": "xi ni", "PFT": "xi ni",
        "IR": "xi ti", "IRLN": "xi ti", "IRS": "xi ti", "IRFT": "xi ti", "MC": "m1i m2i sd1i sd2i ni ri",
        "SMCC": "m1i m2i sd1i sd2i ni ri", "SMCR": "m1i m2i sd1i ni ri", "ROMC": "m1i m2i sd1i sd2i ni ri",
        "SMCRH": "m1i m2i sd1i sd2i ni ri", "CVRC": "m1i m2i sd1i sd2i ni ri", "VRC": "sd1i sd2i ni ri",
        "VR": "sd1i sd2i n1i n2i", "CVR": "m1i m2i sd1i sd2i n1i n2i", "MN": "mi sdi ni", "MNLN": "mi sdi ni",
        "CVLN": "mi sdi ni", "SDLN": "sdi ni", "SMN": "mi sdi ni",
    }
    assert set(needs) == set(MEASURES)
    for measure, names in needs.items():
        es = escalc(measure, **{n: data[n] for n in names.split()})
        assert np.all(np.isfinite(es.yi)) and np.all(es.vi > 0), measure


def test_measure_code_is_case_insensitive_and_scalars_broadcast() -> None:
    a = escalc("smcc", m1i=[5.0, 4.0], m2i=[4.0, 3.5], sd1i=[2.0, 1.5], sd2i=[2.5, 1.8], ni=[20, 30], ri=0.5)
    b = escalc("SMCC", m1i=[5.0, 4.0], m2i=[4.0, 3.5], sd1i=[2.0, 1.5], sd2i=[2.5, 1.8], ni=[20, 30],
               ri=[0.5, 0.5])
    np.testing.assert_array_equal(a.yi, b.yi)
    assert a.measure == "SMCC"


def test_pandas_inputs_with_missing_values() -> None:
    pd = pytest.importorskip("pandas")
    ai = pd.Series([4, None, 6], dtype="Int64")
    es = escalc("OR", ai=ai, n1i=pd.Series([20, 20, 20]), ci=[3, 2, 1], n2i=[20, 20, 20])
    assert np.isnan(es.yi[1]) and np.isfinite(es.yi[0])


def test_no_warning_for_ordinary_data() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        escalc("RR", ai=[4, 6], bi=[119, 300], ci=[11, 29], di=[128, 274])


# --------------------------------------------------------------------------------------------
# properties
# --------------------------------------------------------------------------------------------

counts = st.integers(min_value=0, max_value=200)


@settings(max_examples=150, deadline=None)
@given(counts, counts, counts, counts)
def test_swapping_arms_negates_difference_and_log_ratio_measures(a: int, b: int, c: int, d: int) -> None:
    for measure in ("RR", "OR", "RD", "PETO", "AS"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataWarning)
            fwd = escalc(measure, ai=[a], bi=[b], ci=[c], di=[d])
            rev = escalc(measure, ai=[c], bi=[d], ci=[a], di=[b])
        np.testing.assert_allclose(rev.yi, -fwd.yi, atol=1e-12, equal_nan=True)
        np.testing.assert_allclose(rev.vi, fwd.vi, rtol=1e-12, equal_nan=True)


@settings(max_examples=100, deadline=None)
@given(
    st.floats(-50, 50), st.floats(-50, 50), st.floats(0.1, 20), st.floats(0.1, 20),
    st.integers(2, 300), st.integers(2, 300),
)
def test_swapping_groups_negates_md_and_smd(
    m1: float, m2: float, s1: float, s2: float, n1: int, n2: int
) -> None:
    for measure in ("MD", "SMD", "SMDH"):
        fwd = escalc(measure, m1i=[m1], m2i=[m2], sd1i=[s1], sd2i=[s2], n1i=[n1], n2i=[n2])
        rev = escalc(measure, m1i=[m2], m2i=[m1], sd1i=[s2], sd2i=[s1], n1i=[n2], n2i=[n1])
        np.testing.assert_allclose(rev.yi, -fwd.yi, atol=1e-12)
        np.testing.assert_allclose(rev.vi, fwd.vi, rtol=1e-10)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 100), st.integers(1, 100))
def test_proportion_transforms_are_monotone_and_inverted(x: int, extra: int) -> None:
    n = x + extra
    pr = escalc("PR", xi=[x], ni=[n])
    plo = escalc("PLO", xi=[x], ni=[n])
    pas = escalc("PAS", xi=[x], ni=[n])
    assert transf.ilogit(plo.yi[0]) == pytest.approx(pr.yi[0], rel=1e-12)
    assert transf.iarcsin(pas.yi[0]) == pytest.approx(x / n, abs=1e-12)
    assert 0 <= pr.yi[0] <= 1


def test_public_api_and_data_columns() -> None:
    pd = pytest.importorskip("pandas")
    from ldn_atlas.stats import escalc as public_escalc
    from ldn_atlas.stats import rma, rma_mh, rma_peto
    from ldn_atlas.stats import transf as public_transf
    from ldn_atlas.stats.mantel_haenszel import rma_mh as mh_impl

    assert public_escalc is escalc and public_transf is transf and rma_mh is mh_impl and callable(rma_peto)
    df = pd.DataFrame({"tpos": [4, 6, 3], "tneg": [119, 300, 228], "cpos": [11, 29, 11], "cneg": [128, 274, 209],
                       "study": ["A", "B", "C"]})
    by_name = escalc("RR", ai="tpos", bi="tneg", ci="cpos", di="cneg", slab="study", data=df)
    direct = escalc("RR", ai=df.tpos, bi=df.tneg, ci=df.cpos, di=df.cneg, slab=df.study)
    np.testing.assert_array_equal(by_name.yi, direct.yi)
    assert by_name.slab == ("A", "B", "C")
    with pytest.raises(ValueError, match="'ai' names column 'nope'"):
        escalc("RR", ai="nope", bi="tneg", ci="cpos", di="cneg", data=df)
    with pytest.raises(ValueError, match="no data= was given"):
        escalc("RR", ai="tpos", bi="tneg", ci="cpos", di="cneg")
    # the result feeds rma directly
    fit = rma(by_name, method="EE")
    w = 1 / by_name.vi
    assert float(np.asarray(fit.b).reshape(-1)[0]) == pytest.approx(np.sum(w * by_name.yi) / np.sum(w))
    mh = rma_mh("RR", ai="tpos", bi="tneg", ci="cpos", di="cneg", slab="study", data=df)
    assert mh.slab == ("A", "B", "C")
    assert rma_peto(ai="tpos", bi="tneg", ci="cpos", di="cneg", data=df).k == 3


def test_docstring_examples_run() -> None:
    import doctest
    import importlib
    import pkgutil

    from ldn_atlas.stats import clinical, effect_sizes, mantel_haenszel
    from ldn_atlas.stats import transf as transf_module

    for module in (effect_sizes, transf_module, mantel_haenszel, clinical):
        # a package's examples live in its modules: run them all
        parts = [module] + [importlib.import_module(info.name)
                            for info in pkgutil.walk_packages(getattr(module, "__path__", []), f"{module.__name__}.")]
        results = [doctest.testmod(part, optionflags=doctest.ELLIPSIS) for part in parts]
        assert sum(r.attempted for r in results) > 0 and sum(r.failed for r in results) == 0, module.__name__


def test_every_measure_has_one_family() -> None:
    from ldn_atlas.stats.effect_sizes.registry import FAMILIES

    assert set(FAMILIES) == set(MEASURES)
