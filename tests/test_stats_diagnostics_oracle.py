"""Diagnostics against metafor 3.8-1: every regtest, ranktest, trimfill, leave1out, influence and fsn case.

The reference numbers are vendored in ``tests/data/metafor`` and read through
``tests/metafor_oracle.py``; tolerances are the README's (1e-6 relative for closed forms,
1e-5 for everything that depends on an iterative tau^2 estimate, absolute floor 1e-8).
"""

from __future__ import annotations

import warnings

import pytest

from ldn_atlas.errors import DataWarning
from ldn_atlas.stats import RMAResult, rma
from ldn_atlas.stats.diagnostics import (
    RankTestTiesWarning,
    fsn,
    influence,
    leave1out,
    ranktest,
    regtest,
    trimfill,
)
from tests.metafor_oracle import RTOL_CLOSED, RTOL_ITERATIVE, Case, assert_close, case_input, cases


@pytest.mark.parametrize("case", cases("fsn"), ids=lambda c: c.key)
def test_fsn_matches_metafor(case: Case) -> None:
    yi, vi = case_input(case)
    out = case.output
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = fsn(yi, vi, type=case.args["type"], alpha=case.args["alpha"])
    assert res.type == out["type"]
    assert res.fsnum == out["fsnum"]
    assert isinstance(res.fsnum, int)
    for name in ("alpha", "pval", "meanes", "target"):
        assert_close(getattr(res, name), out[name], rtol=RTOL_CLOSED, what=f"{case.key} {name}")


@pytest.mark.parametrize("case", cases("ranktest"), ids=lambda c: c.key)
def test_ranktest_matches_metafor(case: Case) -> None:
    yi, vi = case_input(case)
    out = case.output
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = ranktest(yi, vi, exact=case.args.get("exact", True))
    ties_warned = any(issubclass(w.category, RankTestTiesWarning) for w in caught)
    expects_ties = any("ties" in w for w in case.warnings)
    assert ties_warned == expects_ties
    assert res.exact == (not expects_ties)
    assert_close(res.tau, out["tau"], rtol=RTOL_CLOSED, what=f"{case.key} tau")
    assert_close(res.pval, out["pval"], rtol=RTOL_CLOSED, what=f"{case.key} pval")


# --------------------------------------------------------------------------- refitting diagnostics


def _model(case: Case) -> RMAResult:
    """The model the case's call fits (``fitted_model``: method and test; metafor's REML/z otherwise)."""
    yi, vi = case_input(case)
    fitted = case.args.get("fitted_model", {})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return rma(yi, vi, method=fitted.get("method", "REML"), test=fitted.get("test", "z"))


@pytest.mark.parametrize("case", cases("regtest"), ids=lambda c: c.key)
def test_regtest_matches_metafor(case: Case) -> None:
    out = case.output
    res = regtest(_model(case), model=case.args["model"], predictor=case.args["predictor"])
    # the "lm" model is closed form; the "rma" model re-estimates tau^2
    rtol = RTOL_CLOSED if case.args["model"] == "lm" else RTOL_ITERATIVE
    assert res.dfs == out["dfs"]
    for name, attr in (
        ("zval", "zval"),
        ("pval", "pval"),
        ("est", "est"),
        ("ci.lb", "ci_lb"),
        ("ci.ub", "ci_ub"),
    ):
        assert_close(getattr(res, attr), out[name], rtol=rtol, what=f"{case.key} {name}")
    assert_close(res.fit.estimate, out["fit"]["estimate"], rtol=rtol, what=f"{case.key} fit.estimate")
    assert_close(res.fit.se, out["fit"]["se"], rtol=rtol, what=f"{case.key} fit.se")
    assert list(res.fit.coef_names) == out["fit"]["coef_names"]
    if "tau2" in out["fit"]:
        assert_close(res.fit.tau2, out["fit"]["tau2"], rtol=rtol, what=f"{case.key} fit.tau2")


@pytest.mark.parametrize("case", cases("trimfill"), ids=lambda c: c.key)
def test_trimfill_matches_metafor(case: Case) -> None:
    out = case.output
    res = trimfill(_model(case), estimator=case.args["estimator"], side=case.args.get("side"))
    assert res.k0 == out["k0"]
    assert res.side == out["side"]
    assert res.k == out["k"]
    rtol = RTOL_ITERATIVE
    for name, attr in (
        ("se.k0", "se_k0"), ("p.k0", "p_k0"), ("estimate", "b"), ("se", "se"), ("zval", "zval"),
        ("pval", "pval"), ("ci.lb", "ci_lb"), ("ci.ub", "ci_ub"), ("tau2", "tau2"), ("QE", "qe"),
        ("QEp", "qep"), ("I2", "i2"), ("H2", "h2"), ("filled_yi", "filled_yi"), ("filled_vi", "filled_vi"),
    ):  # fmt: skip
        assert_close(getattr(res, attr), out[name], rtol=rtol, what=f"{case.key} {name}")


@pytest.mark.parametrize("case", cases("leave1out"), ids=lambda c: c.key)
def test_leave1out_matches_metafor(case: Case) -> None:
    out = case.output
    res = leave1out(_model(case))
    for name, attr in (
        ("estimate", "estimate"), ("se", "se"), ("zval", "zval"), ("pval", "pval"), ("ci.lb", "ci_lb"),
        ("ci.ub", "ci_ub"), ("Q", "q"), ("Qp", "qp"), ("tau2", "tau2"), ("I2", "i2"), ("H2", "h2"),
    ):  # fmt: skip
        assert_close(getattr(res, attr), out[name], rtol=case.rtol(), what=f"{case.key} {name}")


@pytest.mark.parametrize("case", cases("influence"), ids=lambda c: c.key)
def test_influence_matches_metafor(case: Case) -> None:
    out = case.output
    res = influence(_model(case))
    for name, attr in (
        ("rstudent", "rstudent"), ("dffits", "dffits"), ("cook.d", "cook_d"), ("cov.r", "cov_r"),
        ("tau2.del", "tau2_del"), ("QE.del", "qe_del"), ("hat", "hat"), ("weight", "weight"),
    ):  # fmt: skip
        assert_close(getattr(res, attr), out[name], rtol=case.rtol(), what=f"{case.key} {name}")
    for key, value in out.items():
        if key.startswith("dfbs_"):
            assert_close(res.dfbs_of(key[len("dfbs_") :]), value, rtol=case.rtol(), what=f"{case.key} {key}")
    assert res.is_influential.tolist() == out["is_influential"]


def test_every_diagnostics_case_is_covered() -> None:
    """The oracle has cases of each function this module checks (guards against a silent empty grid)."""
    counts = {f: len(cases(f)) for f in ("regtest", "ranktest", "trimfill", "leave1out", "influence", "fsn")}
    assert all(n > 0 for n in counts.values()), counts
