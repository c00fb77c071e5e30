"""escalc, rma.mh and rma.peto against the vendored metafor 3.8-1 oracle (tests/data/metafor).

Every ``escalc``, ``rma.mh`` and ``rma.peto`` case of every oracle file is run through the
public API with the arguments the case records; all must agree to the README's tolerance for
closed forms (1e-6 relative, absolute floor 1e-8).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from tests.metafor_oracle import RTOL_CLOSED, Case, assert_close, cases

_SETTINGS = ("add", "to", "drop00", "vtype", "correct", "level", "measure")


def _column_kwargs(case: Case) -> dict[str, Any]:
    """The data arguments of a case (``"ai": "tpos"`` -> ``ai=<column tpos>``)."""
    return {name: case.column(col) for name, col in case.args.items()
            if name not in _SETTINGS and isinstance(col, str)}


def _settings(args: Mapping[str, Any], *names: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in names:
        if name in args:
            value = args[name]
            out[name] = tuple(value) if isinstance(value, list) else value
    return out


ESCALC_CASES = cases("escalc")


def test_escalc_case_grid_is_complete() -> None:
    # 32 escalc cases in the public set (README); none may be silently skipped.
    assert len(ESCALC_CASES) == 32
    measures = {c.args["measure"] for c in ESCALC_CASES}
    assert measures == {"RR", "OR", "RD", "PETO", "AS", "ROM", "MD", "SMD", "SMDH", "IRR", "IRD", "IR",
                        "IRLN", "ZCOR", "COR", "PR", "PLN", "PLO", "PAS", "PFT"}


@pytest.mark.parametrize("case", ESCALC_CASES, ids=lambda c: c.key)
def test_escalc_matches_metafor(case: Case) -> None:
    from ldn_atlas.stats.effect_sizes import escalc

    es = escalc(case.args["measure"], **_column_kwargs(case), **_settings(case.args, "add", "to", "drop00",
                                                                           "vtype"))
    assert es.measure == case.args["measure"]
    assert_close(es.yi, case.output["yi"], rtol=RTOL_CLOSED, what=f"{case.key} yi")
    assert_close(es.vi, case.output["vi"], rtol=RTOL_CLOSED, what=f"{case.key} vi")
    # closed forms: in practice they agree to ~1e-14
    assert_close(es.yi, case.output["yi"], rtol=1e-12, atol=1e-14, what=f"{case.key} yi (tight)")


# --------------------------------------------------------------------------------------------
# rma.mh and rma.peto
# --------------------------------------------------------------------------------------------

#: oracle output name -> attribute of ldn_atlas.stats.mantel_haenszel.MHResult
_MH_NAMES = {
    "estimate": "b", "se": "se", "zval": "zval", "pval": "pval", "ci.lb": "ci_lb", "ci.ub": "ci_ub",
    "QE": "qe", "QEp": "qep", "I2": "i2", "H2": "h2", "k": "k", "k.yi": "k_yi",
    "MH": "mh", "MHp": "mhp", "CO": "co", "COp": "cop", "BD": "bd", "BDp": "bdp", "TA": "ta", "TAp": "tap",
}
POOLED_CASES = cases("rma.mh", "rma.peto")


def test_pooled_case_grid_is_complete() -> None:
    assert len(cases("rma.mh")) == 11 and len(cases("rma.peto")) == 3
    assert {c.args["measure"] for c in cases("rma.mh")} == {"OR", "RR", "RD", "IRR", "IRD"}
    for case in POOLED_CASES:
        assert set(case.output) <= set(_MH_NAMES), case.key


@pytest.mark.parametrize("case", POOLED_CASES, ids=lambda c: c.key)
def test_pooled_methods_match_metafor(case: Case) -> None:
    from ldn_atlas.stats.mantel_haenszel import rma_mh, rma_peto

    settings = _settings(case.args, "add", "to", "drop00", "level")
    if case.function == "rma.mh":
        fit = rma_mh(case.args["measure"], **_column_kwargs(case), correct=case.args["correct"], **settings)
    else:
        fit = rma_peto(**_column_kwargs(case), **settings)
    for name, expected in case.output.items():
        actual = getattr(fit, _MH_NAMES[name])
        if name in ("k", "k.yi"):
            assert actual == expected, f"{case.key} {name}"
        else:
            assert_close(actual, expected, rtol=RTOL_CLOSED, what=f"{case.key} {name}")
