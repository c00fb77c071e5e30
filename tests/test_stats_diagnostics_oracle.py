"""Diagnostics against metafor 3.8-1: every regtest, ranktest, trimfill, leave1out, influence and fsn case.

The reference numbers are vendored in ``tests/data/metafor`` and read through
``tests/metafor_oracle.py``; tolerances are the README's (1e-6 relative for closed forms,
1e-5 for everything that depends on an iterative tau^2 estimate, absolute floor 1e-8).
"""

from __future__ import annotations

import warnings

import pytest

from ldn_atlas.stats.diagnostics import RankTestTiesWarning, fsn, ranktest
from tests.metafor_oracle import RTOL_CLOSED, Case, assert_close, case_input, cases


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
