"""Independent conformance suite: metafor 3.8-1 on other metadat datasets and synthetic edge cases.

The JSON files in ``tests/data/metafor_conformance/`` have the format of the public oracle
(``../shared/reference/metafor/README.md``) and are written by ``generate.R`` in that folder
(Debian r-cran-metafor 3.8-1, r-cran-metadat 1.2-0; R is not needed to run these tests).
Every case is run through the public API (``escalc``, ``rma`` and the fit's ``predict``,
``confint``, ``regtest``, ``ranktest``, ``trimfill``, ``leave1out``, ``influence``, and ``fsn``)
at the README's tolerances: 1e-6 relative for closed forms, 1e-5 for anything that depends on an
iterative tau^2 estimate (and for Q-profile bounds, trimfill, leave1out, influence), absolute
floor 1e-8; tau^2 = 0 must come out below 1e-10; integers exactly.

Two extensions of the format, both written only where metafor itself stops or where the public
set has no example: an output ``{"error": ...}`` (metafor refused the call; the API must raise
``ValueError`` too), and confint cases with ``args.model.mods`` / ``args.level``.

Divergences from metafor that are documented in ``validation/README.md`` are marked with an
explicit ``xfail`` below (``KNOWN_DIVERGENCES``) naming the field that differs.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from ldn_atlas.stats import escalc, fsn, rma, transf
from tests.metafor_oracle import (
    ITERATIVE_METHODS,
    RTOL_CLOSED,
    RTOL_ITERATIVE,
    Case,
    as_float_array,
    assert_close,
    design_matrix,
)

CONFORMANCE_DIR = Path(__file__).resolve().parent / "data" / "metafor_conformance"
CTRL = {"threshold": 1e-12, "tol": 1e-12, "maxiter": 10000}
#: the oracle README: tau^2 = 0 must come out as exactly 0 or below 1e-10
TAU2_ZERO = 1e-10

#: metafor function -> the test function of this module that checks every case of it.
FUNCTION_TESTS: dict[str, str] = {
    "escalc": "test_escalc",
    "rma.uni": "test_rma_uni",
    "confint.rma.uni": "test_confint",
    "predict.rma": "test_predict_transf",
    "regtest": "test_regtest",
    "ranktest": "test_ranktest",
    "trimfill": "test_trimfill",
    "leave1out": "test_leave1out",
    "influence": "test_influence",
    "fsn": "test_fsn",
}

#: Documented divergences from metafor (validation/README.md, "Conformance suite"): case key ->
#: (fields that differ, reason). Every other field of such a case is still checked; the case is an
#: ``xfail`` only when exactly these fields differ, and a listed field that agrees fails the test
#: (so a divergence that disappears is noticed). ``"fit"`` means the whole call: metafor returns a
#: result where the API raises ``ValueError``, or the other way round.
KNOWN_DIVERGENCES: dict[str, tuple[frozenset[str], str]] = {}


def _diverge(keys: list[str], fields: set[str], reason: str) -> None:
    for key in keys:
        KNOWN_DIVERGENCES[key] = (frozenset(fields), reason)


class Checker:
    """Collects the comparisons of one case; divergent fields listed in KNOWN_DIVERGENCES xfail."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.fields, self.reason = KNOWN_DIVERGENCES.get(case.key, (frozenset(), ""))
        self.failed: dict[str, str] = {}

    def _record(self, name: str, message: str) -> None:
        if name not in self.fields:
            raise AssertionError(message)
        self.failed[name] = message

    def close(self, name: str, actual: Any, expected: Any, rtol: float) -> None:
        try:
            assert_close(actual, expected, rtol=rtol, what=f"{self.case.key} {name}")
        except AssertionError as exc:
            self._record(name, str(exc))

    def equal(self, name: str, actual: Any, expected: Any) -> None:
        if actual != expected:
            self._record(name, f"{self.case.key} {name}: {actual!r} != {expected!r}")

    def fit_diverges(self, message: str) -> None:
        """The API and metafor disagree about whether the call succeeds."""
        self._record("fit", f"{self.case.key}: {message}")
        self.done()

    def done(self) -> None:
        missing = self.fields - set(self.failed)
        assert not missing, (
            f"{self.case.key}: documented divergence no longer observed in "
            f"{sorted(missing)}; update KNOWN_DIVERGENCES and validation/README.md"
        )
        if self.failed:
            pytest.xfail(f"diverges from metafor in {sorted(self.failed)}: {self.reason}")


@cache
def _files() -> tuple[Mapping[str, Any], ...]:
    files = sorted(CONFORMANCE_DIR.glob("*.json"))
    if not files:
        raise FileNotFoundError(f"no conformance files in {CONFORMANCE_DIR}")
    return tuple(json.loads(f.read_text(encoding="utf-8")) for f in files)


def _all() -> list[Case]:
    return [Case(d, c) for d in _files() for c in d["cases"]]


def _cases(function: str) -> list[Any]:
    out: list[Any] = []
    for case in _all():
        if case.function != function:
            continue
        out.append(pytest.param(case, id=case.key))
    return out


def _find(dataset: Mapping[str, Any], case_id: str) -> Mapping[str, Any]:
    for c in dataset["cases"]:
        if c["id"] == case_id:
            return c
    raise KeyError(f"{dataset['dataset_id']}:{case_id}")


def _yi_vi(case: Case) -> tuple[np.ndarray, np.ndarray]:
    inp = case.case["input"]
    if "escalc_case" in inp:
        out = _find(case.dataset, inp["escalc_case"])["output"]
        return as_float_array(out["yi"]), as_float_array(out["vi"])
    return case.column(inp["yi"]), case.column(inp["vi"])


def _mods(case: Case, formula: str | None) -> tuple[pd.DataFrame | None, list[str] | None]:
    if not formula:
        return None, None
    matrix, names = design_matrix(case, formula)
    return pd.DataFrame(matrix, columns=names[1:]), names


def _control(case: Case) -> dict[str, float]:
    """``ctrl`` as the file's preamble defines it (threshold 1e-12 except where the scale needs more)."""
    for line in case.dataset["preamble"]:
        match = re.match(r"ctrl <- list\(threshold=([0-9.e+-]+), tol=([0-9.e+-]+), maxiter=(\d+)\)", line)
        if match:
            return {"threshold": float(match[1]), "tol": float(match[2]), "maxiter": int(match[3])}
    raise AssertionError(f"{case.dataset_id}: no ctrl in the preamble")


def _fit(case: Case, spec: Mapping[str, Any]) -> Any:
    yi, vi = _yi_vi(case)
    mods, _ = _mods(case, spec.get("mods"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return rma(
            yi,
            vi,
            method=spec.get("method", "REML"),
            test=spec.get("test", "z"),
            level=spec.get("level", 95),
            mods=mods,
            control=_control(case),
        )


def _error_expected(case: Case) -> bool:
    return isinstance(case.output, Mapping) and "error" in case.output


def _rtol(case: Case) -> float:
    return RTOL_ITERATIVE if case.model_method() in ITERATIVE_METHODS else RTOL_CLOSED


# --------------------------------------------------------------------------- documented divergences
# (validation/README.md, section "Conformance suite (independent metafor cases)")

# metafor 3.8-1's regtest() names the sqrt(ni) and 1/sqrt(ni) columns "ni" (cbind(X, ni = sqrt(ni)));
# the numbers are those of sqrt(ni) and 1/sqrt(ni), which the API names "sqrtni" and "sqrtninv".
_diverge(
    [c.key for c in _all() if c.function == "regtest" and c.args["predictor"] in ("sqrtni", "sqrtninv")],
    {"fit.coef_names"},
    "metafor labels the sqrtni/sqrtninv predictor 'ni'",
)
# All yi identical: the centred effects are 0 up to rounding, so Egger's lm slope/SE is 0/0 (both
# sides report rounding noise), ranktest's ranks are all tied (metafor's cor.test returns NA before
# its ties warning), and trimfill's ranks of |yi - b| are ordered by rounding noise (metafor's R0
# finds a 'negative' study in the noise; its L0 on the forced left side produces NaN and stops).
_diverge(
    ["synthetic.identical:regtest_yi_REML_lm_sei", "synthetic.identical:regtest_yi_REML_lm_vi"],
    {"zval", "pval"},
    "0/0 with all yi identical: the t statistic is rounding noise on both sides",
)
_diverge(
    ["synthetic.identical:ranktest_yi"],
    {"ties warning"},
    "all yi identical: every rank is tied; metafor returns NA without its ties warning",
)
_diverge(
    [f"synthetic.identical:trimfill_yi_{m}_R0" for m in ("REML", "EE", "DL")]
    + ["synthetic.identical:trimfill_yi_REML_R0_right", "synthetic.identical:trimfill_yi_REML_L0_left"],
    {"fit"},
    "all yi identical: trimfill's ranks are decided by rounding noise",
)
# metafor declares [1, vi] rank-deficient when vi ~ 1e-6 (absolute eigenvalue tolerance 1e-7 on X'X);
# the API's rank test is scale-free and fits the model.
_diverge(
    ["synthetic.scale_small:regtest_yi_REML_rma_vi"],
    {"fit"},
    "metafor's rank check is not scale invariant (vi ~ 1e-6 is 'not of full rank')",
)
# ML with both tau^2 at the boundary: metafor's Fisher scoring stops at ~1e-13 for the mixed and the
# intercept-only model, and R2 = 100 (1e-13 - 1e-13)/1e-13 is the ratio of two round-off values.
_diverge(
    [f"synthetic.nan_rows:rma_yi_{m}_ML_{t}" for m in ("modsx", "modsxfactorg") for t in ("z", "knha")],
    {"R2"},
    "metafor's R2 is a ratio of two tau^2 values at round-off level (~1e-13)",
)
# k = 3 with one moderator: no deletion can be refitted, every diagnostic is NA; metafor's
# is.infl is then NA, the API's is_influential is a boolean array (False).
_diverge(
    ["dat.egger2001_k3:influence_OR_modsyear_REML", "synthetic.k3:influence_yi_modsx_REML"],
    {"is_influential"},
    "is_influential is NA in metafor when every deletion failed; False here",
)


# --------------------------------------------------------------------------- escalc


@pytest.mark.parametrize("case", _cases("escalc"))
def test_escalc(case: Case) -> None:
    args = case.args
    data = {
        name: case.column(col) for name, col in args.items() if name not in ("measure", "add", "to", "drop00", "vtype")
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        es = escalc(args["measure"], add=args["add"], to=args["to"], drop00=args["drop00"], vtype=args["vtype"], **data)
    chk = Checker(case)
    chk.close("yi", es.yi, case.output["yi"], RTOL_CLOSED)
    chk.close("vi", es.vi, case.output["vi"], RTOL_CLOSED)
    chk.done()


# --------------------------------------------------------------------------- rma.uni

RMA_FIELDS = {
    "estimate": "b", "se": "se", "zval": "zval", "pval": "pval", "ci.lb": "ci_lb", "ci.ub": "ci_ub",
    "tau2": "tau2", "se.tau2": "se_tau2", "I2": "i2", "H2": "h2", "QE": "qe", "QEp": "qep",
    "ll_ML": "ll_ml", "ll_REML": "ll_reml", "QM": "qm", "QMp": "qmp", "R2": "r2",
}  # fmt: skip


def _call(case: Case, chk: Checker, fn: Any) -> Any:
    """``fn()``, or None when it raises ValueError; checks that metafor failed too (or a documented
    divergence says it did not)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = fn()
    except ValueError as exc:
        if _error_expected(case):
            return None
        chk.fit_diverges(f"ValueError {exc} where metafor returns a result")
        return None
    if _error_expected(case):
        chk.fit_diverges(f"a result where metafor fails with {case.output['error']!r}")
    return result


@pytest.mark.parametrize("case", _cases("rma.uni"))
def test_rma_uni(case: Case) -> None:
    args = case.args
    yi, vi = _yi_vi(case)
    mods, names = _mods(case, args.get("mods"))
    chk = Checker(case)

    def fit_it() -> Any:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fit = rma(
                yi, vi, method=args["method"], test=args["test"], level=args["level"], mods=mods, control=_control(case)
            )
        return fit, [str(w.message) for w in caught]

    got = _call(case, chk, fit_it)
    if got is None:
        return
    fit, messages = got
    out = case.output
    rtol = _rtol(case)
    for name, attr in RMA_FIELDS.items():
        if name in out:
            chk.close(name, getattr(fit, attr), out[name], rtol)
    chk.equal("k", fit.k, out["k"])
    chk.equal("p", fit.p, out["p"])
    chk.equal("dfs", fit.dfs, out["dfs"])
    if out["tau2"] == 0:
        chk.equal("tau2 == 0", bool(fit.tau2 <= TAU2_ZERO), True)
    if "coef_names" in out:
        chk.equal("coef_names", names, out["coef_names"])
        chk.equal("coef_names", list(fit.coef_names), out["coef_names"])
        chk.equal("QMdf", [fit.qm_df[0], fit.qm_df[1]], list(out["QMdf"]))
    if "predict" in out:
        pr = fit.predict()
        for name, attr in (
            ("pred", "pred"),
            ("se", "se"),
            ("ci.lb", "ci_lb"),
            ("ci.ub", "ci_ub"),
            ("pi.lb", "pi_lb"),
            ("pi.ub", "pi_ub"),
        ):
            chk.close(f"predict.{name}", getattr(pr, attr), out["predict"][name], rtol)
    for msg in case.warnings:
        if msg.startswith("Studies with NAs omitted"):
            chk.equal("warnings", any("NAs omitted" in m for m in messages), True)
    chk.done()


# --------------------------------------------------------------------------- confint


@pytest.mark.parametrize("case", _cases("confint.rma.uni"))
def test_confint(case: Case) -> None:
    model = dict(case.args["model"])
    model.setdefault("test", "z")
    chk = Checker(case)
    ci = _call(case, chk, lambda: _fit(case, model).confint(level=case.args.get("level", 95)))
    if ci is None:
        return
    for name, attr in (("tau2", "tau2"), ("tau", "tau"), ("I2", "i2"), ("H2", "h2")):
        iv = getattr(ci, attr)
        ref = case.output[name]
        for part, a in (("estimate", "estimate"), ("ci.lb", "ci_lb"), ("ci.ub", "ci_ub")):
            actual, expected = getattr(iv, a), ref[part]
            if name == "tau" and expected is not None and expected**2 <= TAU2_ZERO:
                # tau^2 = 0 is "exactly 0 or below 1e-10" (README); metafor's ML/REML stop at ~1e-13
                chk.equal(f"{name}.{part} == 0", bool(actual**2 <= TAU2_ZERO), True)
                continue
            chk.close(f"{name}.{part}", actual, expected, RTOL_ITERATIVE)
    chk.done()


# --------------------------------------------------------------------------- predict with transf


@pytest.mark.parametrize("case", _cases("predict.rma"))
def test_predict_transf(case: Case) -> None:
    fit = _fit(case, case.args["model"])
    ref = case.output
    rtol = _rtol(case)
    chk = Checker(case)
    chk.close("model.estimate", fit.b, ref["model"]["estimate"], rtol)
    chk.close("model.se", fit.se, ref["model"]["se"], rtol)
    chk.close("model.tau2", fit.tau2, ref["model"]["tau2"], rtol)
    targs = None
    if case.args.get("targs"):
        col = case.args["targs"].removeprefix("list(ni=dat$").removesuffix(")")
        targs = {"ni": case.column(col)}
    pr = fit.predict(transf=transf.resolve(case.args["transf"]), targs=targs)
    for name, attr in (
        ("pred", "pred"),
        ("ci.lb", "ci_lb"),
        ("ci.ub", "ci_ub"),
        ("pi.lb", "pi_lb"),
        ("pi.ub", "pi_ub"),
    ):
        chk.close(name, getattr(pr, attr), ref[name], rtol)
    chk.done()


# --------------------------------------------------------------------------- diagnostics


@pytest.mark.parametrize("case", _cases("regtest"))
def test_regtest(case: Case) -> None:
    args = case.args
    chk = Checker(case)
    ni = case.column(args["ni"]) if args.get("ni") else None
    kwargs = {"ni": ni} if ni is not None else {}
    res = _call(
        case,
        chk,
        lambda: _fit(case, args["fitted_model"]).regtest(model=args["model"], predictor=args["predictor"], **kwargs),
    )
    if res is None:
        return
    out = case.output
    rtol = RTOL_CLOSED if args["model"] == "lm" else _rtol(case)
    chk.equal("dfs", res.dfs, out["dfs"])
    for name, attr in (("zval", "zval"), ("pval", "pval"), ("est", "est"), ("ci.lb", "ci_lb"), ("ci.ub", "ci_ub")):
        chk.close(name, getattr(res, attr), out[name], rtol)
    chk.equal("fit.coef_names", list(res.fit.coef_names), out["fit"]["coef_names"])
    chk.close("fit.estimate", res.fit.estimate, out["fit"]["estimate"], rtol)
    chk.close("fit.se", res.fit.se, out["fit"]["se"], rtol)
    if out["fit"].get("tau2") is not None:
        chk.close("fit.tau2", res.fit.tau2, out["fit"]["tau2"], rtol)
    chk.done()


@pytest.mark.parametrize("case", _cases("ranktest"))
def test_ranktest(case: Case) -> None:
    from ldn_atlas.stats.diagnostics import RankTestTiesWarning

    fit = _fit(case, case.args["fitted_model"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = fit.ranktest()
    chk = Checker(case)
    ties = any(issubclass(w.category, RankTestTiesWarning) for w in caught)
    chk.equal("ties warning", ties, not case.args["exact"])
    chk.close("tau", res.tau, case.output["tau"], RTOL_CLOSED)
    chk.close("pval", res.pval, case.output["pval"], RTOL_CLOSED)
    chk.done()


TRIMFILL_FIELDS = (
    ("se.k0", "se_k0"), ("p.k0", "p_k0"), ("estimate", "b"), ("se", "se"), ("zval", "zval"),
    ("pval", "pval"), ("ci.lb", "ci_lb"), ("ci.ub", "ci_ub"), ("tau2", "tau2"), ("QE", "qe"),
    ("QEp", "qep"), ("I2", "i2"), ("H2", "h2"), ("filled_yi", "filled_yi"), ("filled_vi", "filled_vi"),
)  # fmt: skip


@pytest.mark.parametrize("case", _cases("trimfill"))
def test_trimfill(case: Case) -> None:
    chk = Checker(case)
    res = _call(
        case,
        chk,
        lambda: _fit(case, case.args["fitted_model"]).trimfill(
            estimator=case.args["estimator"], side=case.args.get("side")
        ),
    )
    if res is None:
        return
    out = case.output
    chk.equal("k0", res.k0, out["k0"])
    chk.equal("side", res.side, out["side"])
    chk.equal("k", res.k, out["k"])
    for name, attr in TRIMFILL_FIELDS:
        chk.close(name, getattr(res, attr), out[name], RTOL_ITERATIVE)
    chk.done()


LEAVE1OUT_FIELDS = (
    ("estimate", "estimate"), ("se", "se"), ("zval", "zval"), ("pval", "pval"), ("ci.lb", "ci_lb"),
    ("ci.ub", "ci_ub"), ("Q", "q"), ("Qp", "qp"), ("tau2", "tau2"), ("I2", "i2"), ("H2", "h2"),
)  # fmt: skip


@pytest.mark.parametrize("case", _cases("leave1out"))
def test_leave1out(case: Case) -> None:
    chk = Checker(case)
    res = _call(case, chk, lambda: _fit(case, case.args["fitted_model"]).leave1out())
    if res is None:
        return
    out = case.output
    for name, attr in LEAVE1OUT_FIELDS:
        if name in out:
            chk.close(name, getattr(res, attr), out[name], _rtol(case))
    if "tau2" not in out:  # metafor drops tau2 from leave1out of equal-effects models
        chk.equal("tau2", bool(np.all(np.asarray(res.tau2) == 0.0)), True)
    chk.done()


INFLUENCE_FIELDS = (
    ("rstudent", "rstudent"), ("dffits", "dffits"), ("cook.d", "cook_d"), ("cov.r", "cov_r"),
    ("tau2.del", "tau2_del"), ("QE.del", "qe_del"), ("hat", "hat"), ("weight", "weight"),
)  # fmt: skip


@pytest.mark.parametrize("case", _cases("influence"))
def test_influence(case: Case) -> None:
    chk = Checker(case)
    res = _call(case, chk, lambda: _fit(case, case.args["fitted_model"]).influence())
    if res is None:
        return
    out = case.output
    rtol = _rtol(case)
    for name, attr in INFLUENCE_FIELDS:
        chk.close(name, getattr(res, attr), out[name], rtol)
    for key, value in out.items():
        if key.startswith("dfbs_"):
            chk.close(key, res.dfbs_of(key[len("dfbs_") :]), value, rtol)
    chk.equal("is_influential", np.asarray(res.is_influential).tolist(), out["is_influential"])
    chk.done()


@pytest.mark.parametrize("case", _cases("fsn"))
def test_fsn(case: Case) -> None:
    yi, vi = _yi_vi(case)
    args = case.args
    chk = Checker(case)
    res = _call(case, chk, lambda: fsn(yi, vi, type=args["type"], alpha=args["alpha"], target=args.get("target")))
    if res is None:
        return
    out = case.output
    chk.equal("type", res.type, out["type"])
    chk.equal("fsnum", res.fsnum, out["fsnum"])
    for name in ("alpha", "pval", "meanes", "target"):
        chk.close(name, getattr(res, name), out[name], RTOL_CLOSED)
    chk.done()


# --------------------------------------------------------------------------- batched fits


def _batch_groups() -> dict[tuple[str, str, float], list[Case]]:
    groups: dict[tuple[str, str, float], list[Case]] = {}
    for case in _all():
        if (
            case.function == "rma.uni"
            and not case.args.get("mods")
            and not _error_expected(case)
            and _control(case) == CTRL
        ):
            groups.setdefault((case.args["method"], case.args["test"], case.args["level"]), []).append(case)
    return groups


@pytest.mark.parametrize("group", sorted(_batch_groups()), ids=lambda g: f"{g[0]}-{g[1]}-{g[2]}")
def test_batched_fit_matches_metafor(group: tuple[str, str, float]) -> None:
    """All intercept-only cases of one method/test/level, from every file, in ONE vectorised ``rma``
    call on a NaN-padded (m, k_max) array: each row equals metafor's single fit."""
    cases_ = _batch_groups()[group]
    data = [_yi_vi(c) for c in cases_]
    kmax = max(len(y) for y, _ in data)
    Y = np.full((len(cases_), kmax), np.nan)
    V = np.full((len(cases_), kmax), np.nan)
    for i, (y, v) in enumerate(data):
        Y[i, : len(y)] = y
        V[i, : len(v)] = v
    method, test, level = group
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = rma(Y, V, method=method, test=test, level=level, control=CTRL)
    assert len(cases_) > 20
    for i, case in enumerate(cases_):
        for name, attr in RMA_FIELDS.items():
            if name in case.output:
                assert_close(
                    np.asarray(getattr(fit, attr))[i],
                    case.output[name],
                    rtol=_rtol(case),
                    what=f"batched {case.key} {name}",
                )
        assert int(np.asarray(fit.k)[i]) == case.output["k"], case.key


# --------------------------------------------------------------------------- completeness


def test_conformance_grid_is_complete() -> None:
    """Every case of every conformance file is run by one of the tests above, case keys are unique,
    and the files hold the number of cases the generator wrote (``MANIFEST``)."""
    source = Path(__file__).read_text(encoding="utf-8")
    counts: dict[str, int] = {}
    for case in _all():
        counts[case.function] = counts.get(case.function, 0) + 1
    assert set(counts) <= set(FUNCTION_TESTS), sorted(set(counts) - set(FUNCTION_TESTS))
    for function, test in FUNCTION_TESTS.items():
        assert f'_cases("{function}")' in source and f"def {test}(" in source, function
    assert counts == MANIFEST["functions"]
    assert {d["dataset_id"]: len(d["cases"]) for d in _files()} == MANIFEST["files"]
    keys = [c.key for c in _all()]
    assert len(set(keys)) == len(keys), "case keys must be unique"
    unknown = set(KNOWN_DIVERGENCES) - set(keys)
    assert not unknown, f"xfail entries for cases that do not exist: {sorted(unknown)}"


#: Cases per function and per file as written by generate.R (a dropped or truncated file is noticed).
MANIFEST: dict[str, dict[str, int]] = {
    "functions": {
        "confint.rma.uni": 559,
        "escalc": 41,
        "fsn": 225,
        "influence": 162,
        "leave1out": 229,
        "predict.rma": 105,
        "ranktest": 45,
        "regtest": 361,
        "rma.uni": 2267,
        "trimfill": 452,
    },
    "files": {
        "dat.anand1999": 101,
        "dat.axfors2021": 108,
        "dat.bangertdrowns2004": 131,
        "dat.baskerville2012": 123,
        "dat.begg1989": 89,
        "dat.cannon2006": 76,
        "dat.collins1985a": 76,
        "dat.debruin2009": 154,
        "dat.dorn2007": 112,
        "dat.egger2001": 108,
        "dat.egger2001_k2": 76,
        "dat.egger2001_k3": 95,
        "dat.fine1993": 104,
        "dat.gibson2002": 105,
        "dat.ishak2007": 120,
        "dat.kalaian1996": 114,
        "dat.konstantopoulos2011": 89,
        "dat.konstantopoulos2011_district11": 70,
        "dat.konstantopoulos2011_district58": 89,
        "dat.lee2004": 103,
        "dat.linde2005": 129,
        "dat.mcdaniel1994": 150,
        "dat.nielweise2007": 93,
        "dat.nielweise2008": 109,
        "dat.pagliaro1992": 118,
        "dat.yusuf1985_table6": 49,
        "dat.yusuf1985_table9": 100,
        "synthetic.bigtau": 89,
        "synthetic.dominant": 89,
        "synthetic.extreme": 89,
        "synthetic.funnel_right": 70,
        "synthetic.homog": 106,
        "synthetic.identical": 70,
        "synthetic.k2": 70,
        "synthetic.k2_homog": 70,
        "synthetic.k3": 89,
        "synthetic.ll0check": 70,
        "synthetic.metareg": 123,
        "synthetic.nan_rows": 123,
        "synthetic.paired": 120,
        "synthetic.ranks_noties": 70,
        "synthetic.ranks_ties": 70,
        "synthetic.scale_large": 89,
        "synthetic.scale_large_het": 89,
        "synthetic.scale_small": 89,
        "synthetic.symmetric": 70,
    },
}
