"""Every rma.uni, confint.rma.uni and predict.rma case of the metafor 3.8-1 oracle.

Inputs of cases computed from an escalc case are that case's stored yi/vi, so these tests do
not depend on ``escalc``. Tolerances follow the oracle README: 1e-6 relative for closed forms,
1e-5 for iterative estimators, absolute floor 1e-8; tau^2 = 0 must be exactly 0.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ldn_atlas.stats import rma
from tests.metafor_oracle import (
    FUNCTION_TEST_MODULES,
    Case,
    all_cases,
    assert_close,
    case_input,
    cases,
    design_matrix,
    functions_in_files,
)

ORACLE_FUNCTIONS = ("rma.uni", "confint.rma.uni", "predict.rma")

#: oracle output name -> RMAResult attribute
RMA_FIELDS = {
    "estimate": "b", "se": "se", "zval": "zval", "pval": "pval", "ci.lb": "ci_lb", "ci.ub": "ci_ub",
    "tau2": "tau2", "se.tau2": "se_tau2", "I2": "i2", "H2": "h2", "QE": "qe", "QEp": "qep",
    "ll_ML": "ll_ml", "ll_REML": "ll_reml", "QM": "qm", "QMp": "qmp", "R2": "r2",
}


def fit_case(case: Case, *, model: dict | None = None):
    yi, vi = case_input(case)
    args = dict(case.args) if model is None else dict(model)
    mods = None
    names = None
    if args.get("mods"):
        matrix, names = design_matrix(case, args["mods"])
        mods = pd.DataFrame(matrix, columns=names[1:])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = rma(yi, vi, method=args.get("method", "REML"), test=args.get("test", "z"),
                  level=args.get("level", 95), mods=mods)
    return fit, names, [str(w.message) for w in caught]


@pytest.mark.parametrize("case", cases("rma.uni"), ids=lambda c: c.key)
def test_rma_uni(case: Case) -> None:
    fit, names, caught = fit_case(case)
    out = case.output
    rtol = case.rtol()
    for name, attr in RMA_FIELDS.items():
        if name in out:
            assert_close(getattr(fit, attr), out[name], rtol=rtol, what=f"{case.key} {name}")
    assert fit.k == out["k"]
    assert fit.p == out["p"]
    if out["dfs"] is None:
        assert fit.dfs is None
    else:
        assert fit.dfs == out["dfs"]
    if out["tau2"] == 0:
        assert fit.tau2 <= 1e-10
    if "coef_names" in out:
        assert list(fit.coef_names) == [names[0], *names[1:]] == out["coef_names"]
        assert fit.qm_df[0] == out["QMdf"][0]
        assert fit.qm_df[1] == out["QMdf"][1]
    if "predict" in out:
        pr = fit.predict()
        for name, attr in (("pred", "pred"), ("se", "se"), ("ci.lb", "ci_lb"), ("ci.ub", "ci_ub"),
                           ("pi.lb", "pi_lb"), ("pi.ub", "pi_ub")):
            assert_close(getattr(pr, attr), out["predict"][name], rtol=rtol,
                         what=f"{case.key} predict {name}")
    # metafor's warnings about the fit (Knapp-Hartung with EE, NAs omitted) are issued too
    for msg in case.warnings:
        assert any(msg in c for c in caught), f"{case.key}: expected warning {msg!r}, got {caught}"
        assert any(msg in w for w in fit.warnings)


@pytest.mark.parametrize("case", cases("confint.rma.uni"), ids=lambda c: c.key)
def test_confint(case: Case) -> None:
    model = {"method": case.args["model"]["method"], "test": "z", "level": 95}
    fit, _, _ = fit_case(case, model=model)
    ci = fit.confint(level=case.args.get("level", 95))
    assert ci.converged
    for name, attr in (("tau2", "tau2"), ("tau", "tau"), ("I2", "i2"), ("H2", "h2")):
        iv = getattr(ci, attr)
        ref = case.output[name]
        for part, a in (("estimate", "estimate"), ("ci.lb", "ci_lb"), ("ci.ub", "ci_ub")):
            assert_close(getattr(iv, a), ref[part], rtol=1e-5, what=f"{case.key} {name} {part}")


@pytest.mark.parametrize("case", cases("predict.rma"), ids=lambda c: c.key)
def test_predict_transf(case: Case) -> None:
    from ldn_atlas.stats import transf

    model = {"method": case.args["model"]["method"], "test": case.args["model"].get("test", "z"), "level": 95}
    fit, _, _ = fit_case(case, model=model)
    ref = case.output
    rtol = case.rtol()
    assert_close(fit.b, ref["model"]["estimate"], rtol=rtol, what=f"{case.key} model estimate")
    assert_close(fit.se, ref["model"]["se"], rtol=rtol, what=f"{case.key} model se")
    assert_close(fit.tau2, ref["model"]["tau2"], rtol=rtol, what=f"{case.key} model tau2")
    targs = None
    if case.args.get("targs"):
        assert case.args["targs"] == "list(ni=dat$ni)"
        targs = {"ni": case.column("ni")}
    pr = fit.predict(transf=transf.resolve(case.args["transf"]), targs=targs)
    for name, attr in (("pred", "pred"), ("ci.lb", "ci_lb"), ("ci.ub", "ci_ub"), ("pi.lb", "pi_lb"),
                       ("pi.ub", "pi_ub")):
        assert_close(getattr(pr, attr), ref[name], rtol=rtol, what=f"{case.key} {name}")
    assert np.isnan(pr.se)


def test_case_grid_is_complete() -> None:
    """Every case of every oracle file is checked: each function has a test module that exists and
    parametrises over ``cases("<function>")`` (all cases of that function) or lists the function in
    its ``ORACLE_FUNCTIONS``.
    """
    tests_dir = Path(__file__).resolve().parent
    functions = functions_in_files()
    missing = functions - set(FUNCTION_TEST_MODULES)
    assert not missing, f"oracle functions without a test module: {sorted(missing)}"
    for function, module in FUNCTION_TEST_MODULES.items():
        path = tests_dir / module
        assert path.exists(), f"{function}: test module {module} does not exist"
        source = path.read_text(encoding="utf-8")
        covered = f'cases("{function}"' in source or (
            "ORACLE_FUNCTIONS" in source and f'"{function}"' in source)
        assert covered, f"{module} does not run the cases of {function!r} (cases({function!r}))"
    n = {f: len(cases(f)) for f in ORACLE_FUNCTIONS}
    assert n == {"rma.uni": 300, "confint.rma.uni": 20, "predict.rma": 11}
    assert len(all_cases()) == 413
    keys = [c.key for c in all_cases()]
    assert len(set(keys)) == len(keys), "case keys must be unique"


def test_summary_carries_metafor_figures() -> None:
    """summary() shows the same figures as metafor's print (4 decimals) for a model of each kind."""
    picks = [c for c in cases("rma.uni") if c.dataset_id == "dat.bcg"
             and c.id in ("rma_RR_REML_z", "rma_RR_EE_z", "rma_RR_mods_ablat_REML_knha", "rma_RR_DL_knha",
                          "rma_RR_mods_factoralloc_REML_z")]
    assert len(picks) == 5
    for case in picks:
        fit, _, _ = fit_case(case)
        text = fit.summary()
        out = case.output

        def f4(x: float) -> str:
            return f"{x:.4f}"

        def pv(x: float) -> str:
            return "<.0001" if x < 1e-4 else f"{x:.4f}"

        expected = [f4(v) for v in np.atleast_1d(out["estimate"])]
        expected += [f4(v) for v in np.atleast_1d(out["se"])]
        expected += [f4(v) for v in np.atleast_1d(out["zval"])]
        expected += [pv(v) for v in np.atleast_1d(out["pval"])]
        expected += [f4(v) for v in np.atleast_1d(out["ci.lb"])]
        expected += [f4(v) for v in np.atleast_1d(out["ci.ub"])]
        expected += [f4(out["QE"]), f"{out['I2']:.2f}%", f"{out['H2']:.2f}"]
        expected.append(f"df = {out['k'] - out['p']}")
        if out["tau2"] and out["se.tau2"] is not None:
            expected += [f4(out["tau2"]), f"SE = {f4(out['se.tau2'])}", f4(np.sqrt(out["tau2"]))]
        if "QM" in out:
            expected.append(f4(out["QM"]))
            if out.get("R2") is not None:
                expected.append(f"{out['R2']:.2f}%")
        for token in expected:
            assert token in text, f"{case.key}: {token!r} not in summary:\n{text}"
        header = "Equal-Effects Model" if out["tau2"] == 0 and case.args["method"] == "EE" else (
            "Mixed-Effects Model" if "coef_names" in out else "Random-Effects Model")
        assert header in text
        assert ("tval" in text) == (case.args["test"] == "knha")
