"""ldn_atlas.stats.transf: metafor's back-transformations.

The oracle's ``predict.rma`` cases record the model-scale estimate, SE and tau^2 beside the
back-transformed values, so the transformations can be checked against metafor without fitting.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from ldn_atlas.stats import transf
from tests.metafor_oracle import RTOL_CLOSED, Case, assert_close, cases

PREDICT_CASES = cases("predict.rma")


@pytest.mark.parametrize("case", PREDICT_CASES, ids=lambda c: c.key)
def test_back_transformed_bounds_match_metafor(case: Case) -> None:
    f = transf.resolve(case.args["transf"])
    assert f is not None
    targs = {"ni": case.column("ni")} if case.args.get("targs") else None
    model = case.output["model"]
    b, se, tau2 = model["estimate"], model["se"], model["tau2"]
    z = stats.norm.isf(0.025)
    half_pi = z * math.sqrt(se**2 + tau2)

    def g(x: float) -> float:
        return float(f(x) if targs is None else f(x, targs=targs))

    expected = case.output
    assert_close(g(b), expected["pred"], rtol=RTOL_CLOSED, what="pred")
    assert_close(g(b - z * se), expected["ci.lb"], rtol=RTOL_CLOSED, what="ci.lb")
    assert_close(g(b + z * se), expected["ci.ub"], rtol=RTOL_CLOSED, what="ci.ub")
    assert_close(g(b - half_pi), expected["pi.lb"], rtol=RTOL_CLOSED, what="pi.lb")
    assert_close(g(b + half_pi), expected["pi.ub"], rtol=RTOL_CLOSED, what="pi.ub")


def test_both_argument_forms_of_ipft_hm() -> None:
    ni = np.array([10, 25, 40, np.nan])
    x = np.array([0.2, 0.9, 1.4])
    a = transf.ipft_hm(x, targs={"ni": ni})
    b = transf.ipft_hm(x, ni=ni)
    np.testing.assert_array_equal(a, b)
    nhm = 1 / np.mean(1 / ni[:3])
    np.testing.assert_allclose(a, transf.ipft(x, ni=nhm))
    with pytest.raises(ValueError, match="targs=\\{'ni'"):
        transf.ipft_hm(x)
    with pytest.raises(ValueError, match="positive"):
        transf.ipft(0.3, ni=[0])


@settings(max_examples=100, deadline=None)
@given(st.floats(0.0, 1.0), st.integers(1, 5000))
def test_ipft_inverts_pft_and_is_clipped(p: float, n: int) -> None:
    y = transf.pft(p, ni=n)
    assert transf.ipft(y, ni=n) == pytest.approx(p, abs=1e-9)
    assert transf.ipft(y + 10, ni=n) == 1.0
    assert transf.ipft(-1.0, ni=n) == 0.0


@settings(max_examples=100, deadline=None)
@given(st.floats(-0.999, 0.999))
def test_round_trips(r: float) -> None:
    assert transf.ztor(transf.rtoz(r)) == pytest.approx(r, abs=1e-12)
    p = (r + 1) / 2
    if 0 < p < 1:
        assert transf.ilogit(transf.logit(p)) == pytest.approx(p, abs=1e-12)
    assert transf.iarcsin(transf.arcsin(p)) == pytest.approx(p, abs=1e-12)
    assert transf.exp(transf.log(p + 1)) == pytest.approx(p + 1)


def test_clipping_and_array_behaviour() -> None:
    np.testing.assert_array_equal(transf.iarcsin(np.array([-0.1, 2.0])), [0.0, 1.0])
    np.testing.assert_array_equal(transf.isqrt(np.array([-1.0, 3.0])), [0.0, 9.0])
    assert isinstance(transf.exp(0.0), float)
    assert transf.exp(np.array([0.0])).shape == (1,)
    assert np.isnan(transf.ilogit(np.nan))


def test_resolve_metafor_and_python_names() -> None:
    assert transf.resolve("transf.ipft.hm") is transf.ipft_hm
    assert transf.resolve("ipft_hm") is transf.ipft_hm
    assert transf.resolve("exp") is transf.exp
    assert transf.resolve("transf.ztor") is transf.ztor
    assert transf.resolve(None) is None
    assert transf.resolve(np.exp) is np.exp
    with pytest.raises(ValueError, match=r"unknown transformation 'transf\.nope'"):
        transf.resolve("transf.nope")
