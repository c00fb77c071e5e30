"""rma(), confint() and predict() against metafor 3.8.1 on edge cases (synthetic data).

``tests/data/metafor_rma_edge/rma_edge.json`` is written by ``gen_rma_edge.R`` in the same folder
(metafor 3.8.1, ``control = list(threshold=1e-12, tol=1e-12, maxiter=10000)``): k = 2 and 3,
tau^2 = 0, extreme heterogeneity, tau^2 far above 100, missing values, a large ratio of sampling
variances, numeric and factor moderators; all 11 estimators, z and knha tests, level 95 and 90;
``predict()`` (also with ``transf=exp`` and ``newmods``) and Q-profile ``confint()`` (also for
meta-regressions); user weights with z, knha and t tests; three random draws for which metafor's
ML ``ll0check`` sets tau^2 = 0.
"""

from __future__ import annotations

import json
import warnings
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from ldn_atlas.stats import rma, transf
from tests.metafor_oracle import ATOL, ITERATIVE_METHODS, RTOL_CLOSED, RTOL_ITERATIVE, assert_close

EDGE = Path(__file__).resolve().parent / "data" / "metafor_rma_edge" / "rma_edge.json"

FIELDS = {
    "estimate": "b", "se": "se", "zval": "zval", "pval": "pval", "ci.lb": "ci_lb", "ci.ub": "ci_ub",
    "tau2": "tau2", "se.tau2": "se_tau2", "I2": "i2", "H2": "h2", "QE": "qe", "QEp": "qep",
    "QM": "qm", "QMp": "qmp", "ll_ML": "ll_ml", "ll_REML": "ll_reml", "R2": "r2",
}


@cache
def _data() -> dict[str, Any]:
    return json.loads(EDGE.read_text(encoding="utf-8"))


def _key(c: dict[str, Any]) -> str:
    weights = ":weights" if c.get("weights") else ""
    return f"{c['dataset']}:{c['mods']}:{c['method']}:{c['test']}:{c['level']}{weights}"


def _arr(values: list[Any]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _fit(c: dict[str, Any]):
    d = _data()["data"][c["dataset"]]
    yi, vi = _arr(d["yi"]), _arr(d["vi"])
    mods = None
    if c["mods"] == "x":
        mods = pd.DataFrame({"x": _arr(d["x"])})
    elif c["mods"] == "g":
        g = np.array(d["g"], dtype=object)
        mods = pd.DataFrame({f"factor(g){lv}": (g == lv).astype(float) for lv in sorted(set(g))[1:]})
    weights = _arr(d[c["weights"]]) if c.get("weights") else None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = rma(yi, vi, method=c["method"], test=c["test"], level=c["level"], mods=mods, weights=weights)
    return fit, [str(w.message) for w in caught]


def test_edge_file_has_all_cases() -> None:
    cases = _data()["cases"]
    assert len(cases) == 486
    assert len({_key(c) for c in cases}) == len(cases)


@pytest.mark.parametrize("case", _data()["cases"], ids=_key)
def test_rma_edge_case_matches_metafor(case: dict[str, Any]) -> None:
    out = case["output"]
    rtol = RTOL_ITERATIVE if case["method"] in ITERATIVE_METHODS else RTOL_CLOSED
    fit, caught = _fit(case)
    key = _key(case)
    for name, attr in FIELDS.items():
        if name not in out:
            continue
        actual = getattr(fit, attr)
        if name == "tau2" and out[name] is not None and abs(out[name]) < 1e-10:
            assert fit.tau2 <= 1e-10, f"{key}: tau2 {fit.tau2} should be 0"
            continue
        assert_close(actual, out[name], rtol=rtol, atol=ATOL, what=f"{key} {name}")
    assert fit.k == out["k"] and fit.p == out["p"]
    assert (fit.dfs is None) == (out["dfs"] is None)
    if "predict" in out:
        pr = fit.predict()
        for name, attr in (("pred", "pred"), ("se", "se"), ("ci.lb", "ci_lb"), ("ci.ub", "ci_ub"),
                           ("pi.lb", "pi_lb"), ("pi.ub", "pi_ub")):
            assert_close(getattr(pr, attr), out["predict"][name], rtol=rtol, what=f"{key} predict {name}")
        pe = fit.predict(transf=transf.exp)
        for name, attr in (("pred", "pred"), ("ci.lb", "ci_lb"), ("ci.ub", "ci_ub"), ("pi.lb", "pi_lb"),
                           ("pi.ub", "pi_ub")):
            assert_close(getattr(pe, attr), out["predict_exp"][name], rtol=rtol, what=f"{key} exp {name}")
    if "predict_newmods" in out:
        ref = out["predict_newmods"]
        pn = fit.predict(newmods=np.array(ref["newmods"])[:, None])
        for name, attr in (("pred", "pred"), ("se", "se"), ("ci.lb", "ci_lb"), ("ci.ub", "ci_ub"),
                           ("pi.lb", "pi_lb"), ("pi.ub", "pi_ub")):
            assert_close(getattr(pn, attr), ref[name], rtol=rtol, what=f"{key} newmods {name}")
    if "confint" in out:
        ci = fit.confint()
        for name, attr in (("tau2", "tau2"), ("tau", "tau"), ("I2", "i2"), ("H2", "h2")):
            iv = getattr(ci, attr)
            ref = out["confint"][name]
            for j, a in enumerate(("estimate", "ci_lb", "ci_ub")):
                assert_close(getattr(iv, a), ref[j], rtol=RTOL_ITERATIVE, atol=1e-8, what=f"{key} CI {name} {a}")
    expected_warnings = [case["warnings"]] if isinstance(case["warnings"], str) else case["warnings"]
    for msg in expected_warnings:
        if "omitted" in msg or "Knapp & Hartung" in msg or "local maximum" in msg:
            assert any(msg.split(".")[0] in c for c in caught), f"{key}: metafor warned {msg!r}; got {caught}"
