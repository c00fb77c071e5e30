"""ldn_atlas.stats.clinical: crossover effects, NNT/NNH (Altman 1998), responder proportions."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

from ldn_atlas.stats.clinical import (
    correlation_from_sd_diff,
    correlation_sweep,
    count_responders,
    crossover,
    nnt,
    nnt_from_counts,
    nnt_from_fit,
    responder_proportion,
    sd_diff_from_p,
    sd_diff_from_t,
)
from ldn_atlas.stats.effect_sizes import escalc
from ldn_atlas.stats.mantel_haenszel import rma_mh

# --------------------------------------------------------------------------------------------
# crossover / paired
# --------------------------------------------------------------------------------------------


def test_cochrane_handbook_worked_example() -> None:
    # Cochrane Handbook 5.1, section 16.4.6.4: ME = 7.0, SDE = 2.38, MC = 6.5, SDC = 2.21, n = 10.
    # Imputing SD_diff = 2 gives SE(MD) = 0.632; imputing Corr = 0.68 gives SE(MD) = 0.583;
    # SMD = 0.218 with SE 0.256.
    r_from_sd = correlation_from_sd_diff(2.38, 2.21, 2.0)
    md_sd = crossover(7.0, 2.38, 6.5, 2.21, 10, r_from_sd)
    assert md_sd.yi == pytest.approx(0.5) and md_sd.sei == pytest.approx(2 / math.sqrt(10))
    assert round(md_sd.sei, 3) == 0.632
    md = crossover(7.0, 2.38, 6.5, 2.21, 10, 0.68)
    assert round(md.sei, 3) == 0.583
    assert md.sd_diff == pytest.approx(math.sqrt(2.38**2 + 2.21**2 - 2 * 0.68 * 2.38 * 2.21))
    smd = crossover(7.0, 2.38, 6.5, 2.21, 10, 0.68, measure="SMD")
    assert round(smd.yi, 3) == 0.218 and round(smd.sei, 3) == 0.256
    assert smd.ci_lb == pytest.approx(smd.yi - stats.norm.isf(0.025) * smd.sei)


def test_md_limits_and_equivalence_with_escalc_mc() -> None:
    # r = 0: the variance of two independent means with n each (the "parallel" mistake)
    e0 = crossover(12.0, 3.0, 10.0, 4.0, 20, 0.0)
    assert e0.vi == pytest.approx((9 + 16) / 20)
    # r = 1 and equal SDs: no within-person variability in the difference
    e1 = crossover(12.0, 3.0, 10.0, 3.0, 20, 1.0)
    assert e1.vi == pytest.approx(0.0, abs=1e-15)
    # identical to metafor's MC measure with the same correlation
    for r in (-0.3, 0.0, 0.5, 0.9):
        mc = escalc("MC", m1i=[12.0], m2i=[10.0], sd1i=[3.0], sd2i=[4.0], ni=[20], ri=[r])
        cx = crossover(12.0, 3.0, 10.0, 4.0, 20, r)
        assert cx.yi == pytest.approx(mc.yi[0]) and cx.vi == pytest.approx(mc.vi[0], rel=1e-13)


def test_md_variance_equals_variance_of_simulated_differences() -> None:
    rng = np.random.default_rng(7)
    n = 24
    a = rng.normal(50, 10, n)
    b = 0.7 * a + rng.normal(0, 6, n) + 10
    r = np.corrcoef(a, b)[0, 1]
    cx = crossover(a.mean(), a.std(ddof=1), b.mean(), b.std(ddof=1), n, r)
    diff = a - b
    assert cx.yi == pytest.approx(diff.mean(), rel=1e-12)
    assert cx.vi == pytest.approx(diff.var(ddof=1) / n, rel=1e-10)
    # the paired t test recovers SD_diff
    t = stats.ttest_rel(a, b)
    assert sd_diff_from_t(diff.mean(), t.statistic, n) == pytest.approx(diff.std(ddof=1), rel=1e-10)
    assert sd_diff_from_p(diff.mean(), t.pvalue, n) == pytest.approx(diff.std(ddof=1), rel=1e-6)
    assert correlation_from_sd_diff(a.std(ddof=1), b.std(ddof=1), diff.std(ddof=1)) == pytest.approx(r)


def test_smd_variances() -> None:
    m1, s1, m2, s2, n, r = 30.0, 8.0, 25.0, 10.0, 16, 0.6
    d = (m1 - m2) / ((s1 + s2) / 2)
    hb = crossover(m1, s1, m2, s2, n, r, measure="SMD")
    assert hb.yi == pytest.approx(d) and hb.sd_standardizer == pytest.approx(9.0)
    assert hb.vi == pytest.approx((1 / n + d**2 / (2 * n)) * 2 * (1 - r))
    bk = crossover(m1, s1, m2, s2, n, r, measure="SMD", variance="becker")
    assert bk.vi == pytest.approx(2 * (1 - r) / n + d**2 / (2 * n))
    assert bk.vi > hb.vi  # the Handbook form is the smaller one when r > 0 and d != 0
    # with SD_1 = SD_2 the Becker variance is metafor's SMCR LS variance without the J correction
    same = crossover(m1, s1, m2, s1, n, r, measure="SMD", variance="becker")
    smcr = escalc("SMCR", m1i=[m1], m2i=[m2], sd1i=[s1], ni=[n], ri=[r])
    j = smcr.yi[0] / ((m1 - m2) / s1)
    assert same.yi * j == pytest.approx(smcr.yi[0])
    assert 2 * (1 - r) / n + (same.yi * j) ** 2 / (2 * n) == pytest.approx(smcr.vi[0])


def test_vectorised_and_serialisable() -> None:
    cx = crossover([7.0, 12.0], [2.38, 3.0], [6.5, 10.0], [2.21, 4.0], [10, 20], 0.5)
    assert cx.yi.shape == (2,) and cx.vi.shape == (2,)
    single = crossover(12.0, 3.0, 10.0, 4.0, 20, 0.5)
    assert cx.vi[1] == pytest.approx(single.vi)
    json.dumps(cx.to_dict())
    assert cx.to_dict()["sd_standardizer"] is None


def test_correlation_sweep() -> None:
    sw = correlation_sweep(12.0, 3.0, 10.0, 4.0, 20)
    np.testing.assert_allclose(sw.r, np.arange(10) / 10)
    assert np.all(np.diff(sw.vi) < 0)  # more correlation, more precision
    np.testing.assert_allclose(sw.yi, 2.0)
    for i, r in enumerate(sw.r):
        assert sw.vi[i] == pytest.approx(crossover(12.0, 3.0, 10.0, 4.0, 20, r).vi)
    # the conclusion can flip with r: not significant under independence, significant when r is high
    sig = sw.significant()
    assert not sig[0] and sig[-1]
    frame = sw.to_frame()
    assert list(frame.columns) == ["r", "yi", "vi", "sei", "ci_lb", "ci_ub"] and len(frame) == 10
    json.dumps(sw.to_dict())
    many = correlation_sweep([12.0, 7.0, 5.0], [3.0, 2.0, 1.0], [10.0, 6.5, 5.5], [4.0, 2.0, 1.5], [20, 10, 30],
                             r=[0.2, 0.5], measure="SMD")
    assert many.yi.shape == (2, 3)
    assert many.vi[1, 2] == pytest.approx(crossover(5.0, 1.0, 5.5, 1.5, 30, 0.5, measure="SMD").vi)
    with pytest.raises(ValueError, match="single study"):
        many.to_frame()


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        (dict(m1=1, sd1=-1, m2=0, sd2=1, n=10, r=0.5), "non-negative"),
        (dict(m1=1, sd1=1, m2=0, sd2=1, n=1, r=0.5), "at least 2"),
        (dict(m1=1, sd1=1, m2=0, sd2=1, n=10, r=1.5), r"\[-1, 1\]"),
        (dict(m1=[1, 2], sd1=[1, 1, 1], m2=0, sd2=1, n=10, r=0.5), "differ in length"),
        (dict(m1=1, sd1=1, m2=0, sd2=1, n=10, r=0.5, measure="OR"), "measure"),
        (dict(m1=1, sd1=1, m2=0, sd2=1, n=10, r=0.5, variance="x"), "variance"),
        (dict(m1="a", sd1=1, m2=0, sd2=1, n=10, r=0.5), "'m1' must be numeric"),
    ],
)
def test_crossover_bad_input(kwargs: dict, pattern: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValueError, match=pattern):
        crossover(**kwargs)


# --------------------------------------------------------------------------------------------
# NNT
# --------------------------------------------------------------------------------------------


def test_nnt_benefit_harm_and_the_two_part_interval() -> None:
    # undesirable event (e.g. relapse): RD < 0 is benefit
    b = nnt(-0.10, -0.15, -0.05)
    assert (b.direction, b.label, b.spans_zero) == ("benefit", "NNTB", False)
    assert b.nnt == pytest.approx(10.0)
    assert b.interval_text() == "NNTB 6.7 to 20.0"
    h = nnt(0.04, 0.01, 0.08)
    assert (h.direction, h.label) == ("harm", "NNTH") and h.nnt == pytest.approx(25.0)
    assert h.interval_text() == "NNTH 12.5 to 100.0"
    # CI spans 0: NNTB (1/0.20) to infinity to NNTH (1/0.05)
    s = nnt(-0.10, -0.20, 0.05)
    assert s.spans_zero and s.nntb_limit == pytest.approx(5.0) and s.nnth_limit == pytest.approx(20.0)
    assert s.text() == "NNTB 10.0 (95% CI NNTB 5.0 to ∞ to NNTH 20.0)"
    assert "benefit and harm are both compatible" in s.describe()
    # desirable event (response): RD > 0 is benefit
    d = nnt(0.25, 0.05, 0.45, desirable=True)
    assert d.label == "NNTB" and d.nnt == pytest.approx(4.0) and d.interval_text() == "NNTB 2.2 to 20.0"
    assert nnt(0.25, 0.05, 0.45).label == "NNTH"
    # no difference: infinite NNT
    z = nnt(0.0, -0.1, 0.1)
    assert math.isinf(z.nnt) and z.direction == "none" and z.text().startswith("∞")
    # a limit exactly at 0 leaves only one finite end
    assert nnt(-0.1, -0.2, 0.0).interval_text() == "NNTB 5.0 to ∞"
    assert nnt(0.1, 0.0, 0.2).interval_text() == "NNTH 5.0 to ∞"
    d_json = json.loads(json.dumps(s.to_dict()))
    assert d_json["nntb_limit"] == pytest.approx(5.0) and d_json["label"] == "NNTB"
    assert json.loads(json.dumps(z.to_dict()))["nnt"] == "inf"
    assert str(s) == s.text()


def test_published_nnt_intervals() -> None:
    # Newcombe's rapid response to Altman (BMJ, 5 Jan 1999): an ARR CI from -5% to +25% "inverts to a
    # confidence interval that goes from ... NNTB of 4, through infinity to ... NNTH of 20".
    # ARR is the risk reduction of an undesirable event, i.e. -RD.
    res = nnt(-0.10, -0.25, 0.05)
    assert res.interval_text(0) == "NNTB 4 to ∞ to NNTH 20"
    # Barrowman (CMAJ 2002;166:1676): ARR 16.6% (95% CI 0.9% to 32.2%) -> NNT about 6, CI 3.1 to 111.1.
    tpa = nnt(-0.166, -0.322, -0.009)  # risk reduction of a bad outcome: RD = -ARR
    assert round(tpa.nnt) == 6 and tpa.interval_text() == "NNTB 3.1 to 111.1"


@settings(max_examples=200, deadline=None)
@given(st.floats(-0.9, 0.9), st.floats(0.001, 0.5), st.floats(0.001, 0.5), st.floats(0, 1), st.booleans())
def test_nnt_interval_is_the_reciprocal_image_of_the_rd_interval(
    rd: float, below: float, above: float, u: float, desirable: bool
) -> None:
    lb, ub = max(rd - below, -1.0), min(rd + above, 1.0)
    res = nnt(rd, lb, ub, desirable=desirable)
    v = lb + u * (ub - lb)  # any RD inside the CI ...
    assume(abs(v) > 1e-9)
    benefit = v if desirable else -v
    # ... maps to an NNT inside the NNT interval, on the right side
    if benefit > 0:
        assert res.nntb_limit is not None and 1 / benefit >= res.nntb_limit * (1 - 1e-12)
    else:
        assert res.nnth_limit is not None and 1 / -benefit >= res.nnth_limit * (1 - 1e-12)
    assert res.spans_zero == (min(lb, ub) < 0 < max(lb, ub))


def test_nnt_from_counts_and_from_fit() -> None:
    # Wald interval: the RD and variance escalc uses
    res = nnt_from_counts(15, 100, 30, 100)
    es = escalc("RD", ai=[15], n1i=[100], ci=[30], n2i=[100])
    z = stats.norm.isf(0.025)
    assert res.rd == pytest.approx(es.yi[0])
    assert res.rd_ci_lb == pytest.approx(es.yi[0] - z * math.sqrt(es.vi[0]))
    assert res.label == "NNTB" and res.nnt == pytest.approx(1 / 0.15)
    # Newcombe's hybrid score interval from the two Wilson intervals
    nc = nnt_from_counts(15, 100, 30, 100, method="newcombe")
    w1 = stats.binomtest(15, 100).proportion_ci(method="wilson")
    w2 = stats.binomtest(30, 100).proportion_ci(method="wilson")
    assert nc.rd_ci_lb == pytest.approx(-0.15 - math.sqrt((0.15 - w1.low) ** 2 + (w2.high - 0.30) ** 2))
    assert nc.rd_ci_ub == pytest.approx(-0.15 + math.sqrt((w1.high - 0.15) ** 2 + (0.30 - w2.low) ** 2))
    # zero events: Newcombe still gives a usable interval
    assert nnt_from_counts(0, 20, 3, 20, method="newcombe").spans_zero
    fit = rma_mh("RD", ai=[15, 8], n1i=[100, 60], ci=[30, 14], n2i=[100, 60])
    from_fit = nnt_from_fit(fit)
    assert from_fit.rd == pytest.approx(fit.b) and from_fit.rd_ci_ub == pytest.approx(fit.ci_ub)
    with pytest.raises(ValueError, match="risk difference"):
        nnt_from_fit(rma_mh("OR", ai=[15, 8], n1i=[100, 60], ci=[30, 14], n2i=[100, 60]))


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda: nnt(0.1, 0.2, 0.3), "ci_lb <= rd <= ci_ub"),
        (lambda: nnt(1.5, 1.0, 2.0), r"\[-1, 1\]"),
        (lambda: nnt(float("nan"), 0, 1), "'rd'"),
        (lambda: nnt("x", 0, 1), "'rd' must be a number"),
        (lambda: nnt(0.1, 0.0, 0.2, level=100), "level"),
        (lambda: nnt_from_counts(5, 4, 1, 10), "ai <= n1i"),
        (lambda: nnt_from_counts(1, 4, 1, 10, method="exact"), "method"),
    ],
)
def test_nnt_bad_input(call, pattern: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=pattern):
        call()


# --------------------------------------------------------------------------------------------
# responders
# --------------------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 400), st.data())
def test_responder_intervals_match_their_definitions(n: int, data: st.DataObject) -> None:
    x = data.draw(st.integers(0, n))
    res = responder_proportion(x, n)
    a = 0.05
    cp_lb = 0.0 if x == 0 else stats.beta.ppf(a / 2, x, n - x + 1)
    cp_ub = 1.0 if x == n else stats.beta.ppf(1 - a / 2, x + 1, n - x)
    assert res.cp_lb == pytest.approx(cp_lb, abs=1e-10) and res.cp_ub == pytest.approx(cp_ub, abs=1e-10)
    z = stats.norm.isf(a / 2)
    p = x / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    assert res.wilson_lb == pytest.approx(centre - half, abs=1e-10)
    assert res.wilson_ub == pytest.approx(centre + half, abs=1e-10)
    assert res.cp_lb <= p <= res.cp_ub and res.wilson_lb <= p + 1e-12 and p <= res.wilson_ub + 1e-12


def test_responder_result_and_text() -> None:
    res = responder_proportion(6, 10, threshold_percent=30)
    assert res.proportion == 0.6 and res.threshold_percent == 30
    assert res.text().startswith("6/10 (60%) improved by at least 30%; 95% CI 26% to 88% (Clopper-Pearson)")
    json.dumps(res.to_dict())
    r90 = responder_proportion(6, 10, level=90)
    assert r90.cp_lb > res.cp_lb and r90.wilson_ub < res.wilson_ub
    assert responder_proportion(0, 5).cp_lb == 0.0 and responder_proportion(5, 5).cp_ub == 1.0
    assert "responded" in str(responder_proportion(3, 5))


def test_count_responders() -> None:
    baseline = [10, 8, 6, 5, np.nan, 0, 9]
    followup = [7, 6, 5, 2, 3, 1, 9]
    # improvements: 30%, 25%, 16.7%, 60%, (missing), (zero baseline), 0%
    assert count_responders(baseline, followup, 30) == (2, 5)
    assert count_responders(baseline, followup, 50) == (1, 5)
    # higher is better (e.g. a function score)
    assert count_responders([50, 40], [65, 44], 20, lower_is_better=False) == (1, 2)
    with pytest.raises(ValueError, match="differ in length"):
        count_responders([1, 2], [1], 30)
    count, n = count_responders(baseline, followup, 30)
    assert responder_proportion(count, n, threshold_percent=30).proportion == pytest.approx(0.4)


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda: responder_proportion(11, 10), "between 0 and n=10"),
        (lambda: responder_proportion(-1, 10), "between 0 and n"),
        (lambda: responder_proportion(2.5, 10), "whole number"),
        (lambda: responder_proportion(0, 0), "at least 1"),
        (lambda: responder_proportion(1, 10, level=0), "level"),
    ],
)
def test_responder_bad_input(call, pattern: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=pattern):
        call()
