"""escalc, rma_mh and rma_peto against metafor 3.8-1 on edge cases (tests/data/metafor_edge).

The public oracle has no double-zero tables, missing values, k = 1 or 2, tiny samples, per-study
``vtype`` or paired designs; ``tests/data/metafor_edge/escalc_mh_edge.json`` has them, computed
with Debian's r-cran-metafor 3.8-1 by ``gen_escalc_mh_edge.R`` beside it (made-up data).
Cases where metafor stops with an error must raise ``ValueError`` here.
"""

from __future__ import annotations

import json
import math
import warnings
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ldn_atlas.stats.effect_sizes import escalc
from ldn_atlas.stats.mantel_haenszel import rma_mh, rma_peto

EDGE_FILE = Path(__file__).resolve().parent / "data" / "metafor_edge" / "escalc_mh_edge.json"
RTOL = 1e-9  # closed forms: agreement is ~1e-13 in practice
ATOL = 1e-12

_MH_NAMES = {
    "beta": "b", "se": "se", "zval": "zval", "pval": "pval", "ci.lb": "ci_lb", "ci.ub": "ci_ub",
    "QE": "qe", "QEp": "qep", "I2": "i2", "H2": "h2", "k": "k", "k.yi": "k_yi", "k.pos": "k_pos",
    "MH": "mh", "MHp": "mhp", "CO": "co", "COp": "cop", "BD": "bd", "BDp": "bdp", "TA": "ta", "TAp": "tap",
}


@cache
def _cases() -> list[dict[str, Any]]:
    doc = json.loads(EDGE_FILE.read_text(encoding="utf-8"))
    assert doc["metafor"] == "3.8.1"
    return list(doc["cases"])


def _arr(value: Any) -> np.ndarray:
    if isinstance(value, np.ndarray):
        return value.astype(float)
    if isinstance(value, list):
        return np.array([np.nan if v is None else v for v in value], dtype=float)
    return np.array([np.nan if value is None else value], dtype=float)


def _kwargs(args: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in args.items():
        if name == "measure":
            continue
        if name in ("to", "vtype", "add", "drop00", "correct", "level"):
            out[name] = tuple(value) if isinstance(value, list) else value
        else:
            out[name] = _arr(value)
    return out


def _close(actual: Any, expected: Any, what: str) -> None:
    a = np.atleast_1d(np.asarray(np.nan if actual is None else actual, dtype=float))
    e = _arr(expected)
    assert a.shape == e.shape, f"{what}: shape {a.shape} != {e.shape}"
    for x, y in zip(a, e, strict=True):
        if math.isnan(y):
            assert math.isnan(x), f"{what}: expected NA, got {x!r}"
        else:
            assert abs(x - y) <= RTOL * abs(y) + ATOL, f"{what}: {x!r} != {y!r}"


def test_edge_file_covers_the_measures_and_edge_cases() -> None:
    cases = _cases()
    assert len(cases) == 299
    measures = {c["args"].get("measure") for c in cases if c["fun"] == "escalc"}
    assert {"RR", "OR", "RD", "PETO", "AS", "IRR", "IRD", "MD", "SMD", "SMDH", "ROM", "COR", "ZCOR", "PR",
            "PLN", "PLO", "PAS", "PFT", "IR", "IRLN", "MC", "SMCC", "SMCR", "ROMC", "SMCRH", "CVRC", "VRC",
            "VR", "CVR", "MN", "MNLN", "CVLN", "SDLN", "SMN", "IRSD", "IRS", "IRFT"} <= measures
    assert sum(c["fun"] == "rma.mh" for c in cases) >= 80 and sum(c["fun"] == "rma.peto" for c in cases) >= 19
    assert sum("error" in c["output"] for c in cases) >= 6


@pytest.mark.parametrize("case", _cases(), ids=lambda c: f"{c['fun']}:{c['id']}")
def test_edge_case_matches_metafor(case: dict[str, Any]) -> None:
    args, out = case["args"], case["output"]
    kwargs = _kwargs(args)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if "error" in out:
            with pytest.raises(ValueError):
                _run(case["fun"], args, kwargs)
            return
        fit = _run(case["fun"], args, kwargs)
    if case["fun"] == "escalc":
        _close(fit.yi, out["yi"], "yi")
        _close(fit.vi, out["vi"], "vi")
        return
    for name, expected in out.items():
        if name == "weights":
            w = fit.weights()
            e = _arr(expected)
            _close(w[~np.isnan(w)], e[~np.isnan(e)], "weights")
        elif name in ("k", "k.yi"):
            assert getattr(fit, _MH_NAMES[name]) == expected, name
        elif case["fun"] == "rma.peto" and name in ("MH", "MHp", "CO", "COp", "BD", "BDp", "TA", "TAp"):
            assert expected is None
        elif name == "k.pos":
            if expected is not None:
                assert fit.k_pos == expected, name
        else:
            _close(getattr(fit, _MH_NAMES[name]), expected, name)


def _run(fun: str, args: dict[str, Any], kwargs: dict[str, Any]) -> Any:
    if fun == "escalc":
        return escalc(args["measure"], **kwargs)
    if fun == "rma.mh":
        return rma_mh(args["measure"], **kwargs)
    return rma_peto(**kwargs)
