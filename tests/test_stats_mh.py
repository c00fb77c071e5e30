"""rma_mh / rma_peto beyond the oracle: derivations, zero and missing tables, result API, bad input."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from ldn_atlas.errors import DataWarning
from ldn_atlas.stats import transf
from ldn_atlas.stats.effect_sizes import escalc
from ldn_atlas.stats.mantel_haenszel import MHResult, rma_mh, rma_peto

# three small trials (counts made up for the arithmetic, not from any study)
AI, BI, CI, DI = [4, 6, 3], [119, 300, 228], [11, 29, 11], [128, 274, 209]


def test_single_table_reduces_to_the_table_estimates() -> None:
    a, b, c, d = 12.0, 38.0, 20.0, 30.0
    n1, n2, n = a + b, c + d, a + b + c + d
    fit = rma_mh("OR", ai=[a], bi=[b], ci=[c], di=[d], correct=False)
    assert fit.b == pytest.approx(math.log(a * d / (b * c)), rel=1e-13)
    # RBG variance of a single table is Woolf's 1/a + 1/b + 1/c + 1/d
    assert fit.se**2 == pytest.approx(1 / a + 1 / b + 1 / c + 1 / d, rel=1e-12)
    # Cochran's statistic of one table is Pearson's chi-square; the MH version is (N-1)/N of it
    pearson = stats.chi2_contingency([[a, b], [c, d]], correction=False)[0]
    assert fit.co == pytest.approx(pearson, rel=1e-12)
    assert fit.mh == pytest.approx(pearson * (n - 1) / n, rel=1e-12)
    yates = stats.chi2_contingency([[a, b], [c, d]], correction=True)[0]
    assert rma_mh("OR", ai=[a], bi=[b], ci=[c], di=[d]).co == pytest.approx(yates, rel=1e-12)
    # one table: Breslow-Day is 0 with no df, heterogeneity is trivial
    assert fit.bd == pytest.approx(0.0, abs=1e-12) and fit.bdp is None
    assert (fit.qe, fit.qep, fit.i2, fit.h2, fit.k, fit.k_yi) == (0.0, 1.0, 0.0, 1.0, 1, 1)
    rr = rma_mh("RR", ai=[a], n1i=[n1], ci=[c], n2i=[n2])
    assert rr.b == pytest.approx(math.log((a / n1) / (c / n2)), rel=1e-13)
    assert rr.se**2 == pytest.approx(1 / a - 1 / n1 + 1 / c - 1 / n2, rel=1e-12)
    rd = rma_mh("RD", ai=[a], n1i=[n1], ci=[c], n2i=[n2])
    p1, p2 = a / n1, c / n2
    assert rd.b == pytest.approx(p1 - p2, rel=1e-13)
    assert rd.se**2 == pytest.approx(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2, rel=1e-12)
    peto = rma_peto(ai=[a], bi=[b], ci=[c], di=[d])
    es = escalc("PETO", ai=[a], bi=[b], ci=[c], di=[d])
    assert peto.b == pytest.approx(es.yi[0], rel=1e-13)
    assert peto.se**2 == pytest.approx(es.vi[0], rel=1e-13)


def test_rate_measures_single_stratum() -> None:
    x1, x2, t1, t2 = 15.0, 8.0, 1200.0, 1100.0
    irr = rma_mh("IRR", x1i=[x1], x2i=[x2], t1i=[t1], t2i=[t2])
    assert irr.b == pytest.approx(math.log((x1 / t1) / (x2 / t2)), rel=1e-13)
    assert irr.se**2 == pytest.approx(1 / x1 + 1 / x2, rel=1e-12)
    ird = rma_mh("IRD", x1i=[x1], x2i=[x2], t1i=[t1], t2i=[t2])
    assert ird.b == pytest.approx(x1 / t1 - x2 / t2, rel=1e-13)
    assert ird.se**2 == pytest.approx(x1 / t1**2 + x2 / t2**2, rel=1e-12)
    # conditional on x1 + x2, x1 is binomial: the MH statistic is the score chi-square
    p0 = t1 / (t1 + t2)
    score = (abs(x1 - (x1 + x2) * p0) - 0.5) ** 2 / ((x1 + x2) * p0 * (1 - p0))
    assert irr.mh == pytest.approx(score, rel=1e-12)
    assert irr.co is None and irr.bd is None


def test_homogeneous_strata_give_zero_breslow_day() -> None:
    # stratum 2 is stratum 1 scaled by 3: identical odds ratios, BD = Tarone = 0
    fit = rma_mh("OR", ai=[10, 30], bi=[20, 60], ci=[5, 15], di=[25, 75])
    assert fit.b == pytest.approx(math.log(10 * 25 / (20 * 5)))
    assert fit.bd == pytest.approx(0.0, abs=1e-10)
    assert fit.ta == pytest.approx(0.0, abs=1e-10)
    assert fit.bdp == pytest.approx(1.0) and fit.k_pos == 2


def test_double_zero_and_missing_tables() -> None:
    ai, n1, ci, n2 = [0, 3, 5, np.nan], [20, 25, 30, 40], [0, 6, 9, 10], [20, 25, 30, 40]
    with pytest.warns(DataWarning):
        fit = rma_mh("OR", ai=ai, n1i=n1, ci=ci, n2i=n2)
    # the NA table is omitted (k = 3); the double-zero table stays in the MH sums but has no yi
    assert fit.k == 3 and fit.k_yi == 2 and fit.k_all == 4
    assert np.isnan(fit.yi[0]) and np.isnan(fit.yi[3])
    # a double-zero table adds nothing to the MH odds ratio ...
    ref = rma_mh("OR", ai=[3, 5], n1i=[25, 30], ci=[6, 9], n2i=[25, 30])
    assert fit.b == pytest.approx(ref.b, rel=1e-14)
    assert fit.qe == pytest.approx(ref.qe, rel=1e-14)
    # ... but does enter the MH risk-difference weights (n1 n2 / N)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        rd = rma_mh("RD", ai=ai, n1i=n1, ci=ci, n2i=n2)
        rd_drop = rma_mh("RD", ai=ai, n1i=n1, ci=ci, n2i=n2, drop00=(True, True))
    assert rd.k == 3 and rd_drop.k == 2
    assert abs(rd.b) < abs(rd_drop.b)
    # weights: percent over the tables used, NaN for the omitted one
    w = rd.weights()
    assert np.isnan(w[3]) and np.nansum(w) == pytest.approx(100.0)
    assert w[0] == pytest.approx(100 * 10 / (10 + 12.5 + 15))


def test_no_events_in_one_group_gives_nan_estimate_not_error() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        fit = rma_mh("OR", ai=[0, 0], n1i=[10, 12], ci=[2, 3], n2i=[10, 12])
    assert math.isnan(fit.b) and math.isnan(fit.se) and fit.bd is None and fit.k_pos == 0
    assert fit.mh is not None  # the CMH test still exists
    rr = rma_mh("RR", ai=[0, 0], n1i=[10, 12], ci=[2, 3], n2i=[10, 12])
    assert math.isnan(rr.b)
    # Peto is defined as long as events occur somewhere
    peto = rma_peto(ai=[0, 0], n1i=[10, 12], ci=[2, 3], n2i=[10, 12])
    assert peto.b < 0 and peto.k_pos == 2


def test_peto_heterogeneity_is_petos_q() -> None:
    fit = rma_peto(ai=AI, bi=BI, ci=CI, di=DI)
    a, b, c, d = (np.asarray(x, dtype=float) for x in (AI, BI, CI, DI))
    n1, n2 = a + b, c + d
    n = n1 + n2
    e = (a + c) * n1 / n
    v = (a + c) * (b + d) * n1 * n2 / (n**2 * (n - 1))
    q = np.sum((a - e) ** 2 / v) - np.sum(a - e) ** 2 / np.sum(v)
    assert fit.qe == pytest.approx(q, rel=1e-12)
    assert fit.b == pytest.approx(np.sum(a - e) / np.sum(v), rel=1e-13)
    assert fit.qep == pytest.approx(stats.chi2.sf(q, 2))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 60), st.integers(1, 60), st.integers(1, 60), st.integers(1, 60)),
                min_size=2, max_size=6))
def test_swapping_arms_negates_pooled_estimates(tables: list[tuple[int, int, int, int]]) -> None:
    a, b, c, d = (list(col) for col in zip(*tables, strict=True))
    for measure in ("OR", "RR", "RD"):
        fwd = rma_mh(measure, ai=a, bi=b, ci=c, di=d)
        rev = rma_mh(measure, ai=c, bi=d, ci=a, di=b)
        assert rev.b == pytest.approx(-fwd.b, abs=1e-12)
        assert rev.se == pytest.approx(fwd.se, rel=1e-10)
        assert rev.qe == pytest.approx(fwd.qe, rel=1e-9, abs=1e-12)
    assert rma_peto(ai=c, bi=d, ci=a, di=b).b == pytest.approx(-rma_peto(ai=a, bi=b, ci=c, di=d).b, abs=1e-12)


def test_result_api() -> None:
    fit = rma_mh("OR", ai=AI, bi=BI, ci=CI, di=DI, slab=["A", "B", "C"])
    assert isinstance(fit, MHResult)
    with pytest.raises(AttributeError):
        fit.b = 0.0  # type: ignore[misc]
    assert fit.estimate == fit.beta == fit.b and fit.tau2 == 0.0
    z = stats.norm.isf(0.025)
    assert fit.ci_lb == pytest.approx(fit.b - z * fit.se)
    assert fit.pval == pytest.approx(2 * stats.norm.sf(abs(fit.zval)))
    pred = fit.predict(transf=transf.exp)
    assert pred.pred == pytest.approx(math.exp(fit.b)) and pred.ci_ub == pytest.approx(math.exp(fit.ci_ub))
    assert math.isnan(pred.se) and math.isnan(pred.pi_lb) and math.isnan(pred.pi_ub)
    assert fit.predict(transf="exp").pred == pred.pred
    raw = fit.predict()
    assert raw.pred == fit.b and raw.se == fit.se
    assert fit.predict(level=90).ci_lb > raw.ci_lb
    d = fit.to_dict()
    json.dumps(d)
    assert d["mh"] == pytest.approx(fit.mh) and d["slab"] == ["A", "B", "C"] and d["k"] == 3
    text = fit.summary()
    assert "Equal-Effects Model (k = 3)" in text
    assert f"{fit.b:.4f}" in text and f"{math.exp(fit.b):.4f}" in text
    assert "Cochran-Mantel-Haenszel Test" in text and "Tarone's Test" in text
    assert "Model Results:" in rma_mh("RD", ai=AI, bi=BI, ci=CI, di=DI).summary()
    assert "Model Results (OR scale)" in rma_peto(ai=AI, bi=BI, ci=CI, di=DI).summary()
    # level
    f90 = rma_mh("OR", ai=AI, bi=BI, ci=CI, di=DI, level=90)
    assert f90.ci_lb == pytest.approx(fit.b - stats.norm.isf(0.05) * fit.se)


def test_forest_plot_has_study_rows_and_diamond(tmp_path) -> None:  # type: ignore[no-untyped-def]
    fit = rma_mh("OR", ai=AI, bi=BI, ci=CI, di=DI)
    out = fit.forest(tmp_path / "mh.svg")
    svg = (tmp_path / "mh.svg").read_text()
    assert out is not None
    assert all(f'id="study-row-{i}"' in svg for i in (1, 2, 3))
    assert 'id="pooled-diamond"' in svg


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda: rma_mh("SMD", ai=AI, bi=BI, ci=CI, di=DI), r"measure must be one of OR, RR, RD, IRR, IRD"),
        (lambda: rma_mh("OR", ai=AI, bi=BI, ci=CI), r"needs di or n2i"),
        (lambda: rma_mh("OR", ai=AI, bi=BI[:2], ci=CI, di=DI), r"differ in length"),
        (lambda: rma_mh("IRR", ai=AI, bi=BI, ci=CI, di=DI), r"'ai' is for 2x2 tables"),
        (lambda: rma_mh("IRR", x1i=[1, 2], x2i=[2, 3], t1i=[10, 10]), r"missing: t2i"),
        (lambda: rma_mh("OR", ai=AI, bi=BI, ci=CI, di=DI, to=("only0", "bad")), r"unknown 'to'"),
        (lambda: rma_mh("OR", ai=AI, bi=BI, ci=CI, di=DI, add=(0.5, 0, 1)), r"'add' must be one value or"),
        (lambda: rma_mh("OR", ai=AI, bi=BI, ci=CI, di=DI, level=0), r"level"),
        (lambda: rma_mh("OR", ai=[np.nan], bi=[1], ci=[1], di=[1]), r"no complete tables"),
        (lambda: rma_peto(ai=[0, 0], bi=[5, 5], ci=[0, 0], di=[5, 5]), r"never occurred"),
        (lambda: rma_peto(ai=AI, bi=BI, ci=CI, di=DI, slab=["x"]), r"'slab'"),
    ],
)
def test_bad_input(call, pattern: str) -> None:  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        with pytest.raises(ValueError, match=pattern):
            call()


def test_single_settings_value_sets_the_escalc_element() -> None:
    # metafor: add=0.5 means add=c(0.5, 0); to="all" means to=c("all", "none")
    a = rma_mh("OR", ai=[0, 3], n1i=[10, 12], ci=[2, 3], n2i=[10, 12], to="all")
    b = rma_mh("OR", ai=[0, 3], n1i=[10, 12], ci=[2, 3], n2i=[10, 12], to=("all", "none"))
    assert a.b == b.b and a.qe == b.qe and a.to == ("all", "none")
    c = rma_mh("OR", ai=[0, 3], n1i=[10, 12], ci=[2, 3], n2i=[10, 12], to=("only0", "only0"), add=(0.5, 0.5))
    assert c.b != a.b
