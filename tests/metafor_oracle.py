"""Loader for the vendored metafor 3.8-1 reference values (the "oracle").

The JSON files in ``tests/data/metafor/`` carry the numbers of
``../shared/reference/metafor/*.json`` (format described in that folder's README):
one file per metadat dataset, each with many *cases* (one metafor call each).

Every stats test module that checks cases against metafor uses this module::

    from tests.metafor_oracle import cases, case_input, assert_close

    @pytest.mark.parametrize("case", cases("rma.uni"), ids=lambda c: c.key)
    def test_rma(case): ...

``FUNCTION_TEST_MODULES`` is the single table saying which test module covers the cases
of which metafor function; ``tests/test_stats_rma_oracle.py`` asserts that it is complete.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

ORACLE_DIR = Path(__file__).resolve().parent / "data" / "metafor"

#: metafor function -> test module (file name in tests/) that checks every case of it.
FUNCTION_TEST_MODULES: dict[str, str] = {
    "rma.uni": "test_stats_rma_oracle.py",
    "confint.rma.uni": "test_stats_rma_oracle.py",
    "predict.rma": "test_stats_rma_oracle.py",
    "escalc": "test_stats_effect_sizes_oracle.py",
    "rma.mh": "test_stats_effect_sizes_oracle.py",
    "rma.peto": "test_stats_effect_sizes_oracle.py",
    "regtest": "test_stats_diagnostics_oracle.py",
    "ranktest": "test_stats_diagnostics_oracle.py",
    "trimfill": "test_stats_diagnostics_oracle.py",
    "leave1out": "test_stats_diagnostics_oracle.py",
    "influence": "test_stats_diagnostics_oracle.py",
    "fsn": "test_stats_diagnostics_oracle.py",
}

#: README advice: closed forms agree to 1e-6 relative, iterative ones to 1e-5; absolute floor 1e-8.
RTOL_CLOSED = 1e-6
RTOL_ITERATIVE = 1e-5
ATOL = 1e-8
ITERATIVE_METHODS = frozenset({"ML", "REML", "EB", "PM", "PMM"})


@dataclass(frozen=True)
class Case:
    """One metafor call with its reference outputs."""

    dataset: Mapping[str, Any]
    case: Mapping[str, Any]

    @property
    def dataset_id(self) -> str:
        return str(self.dataset["dataset_id"])

    @property
    def id(self) -> str:
        return str(self.case["id"])

    @property
    def key(self) -> str:
        """``<dataset_id>:<case id>``, unique over all files (use as pytest id)."""
        return f"{self.dataset_id}:{self.id}"

    @property
    def function(self) -> str:
        return str(self.case["function"])

    @property
    def args(self) -> Mapping[str, Any]:
        return self.case.get("args") or {}

    @property
    def output(self) -> Mapping[str, Any]:
        return self.case["output"]

    @property
    def warnings(self) -> list[str]:
        return list(self.case.get("warnings") or [])

    def column(self, name: str) -> np.ndarray:
        """A data column as an array (float where numeric, ``NaN`` for R's NA; object otherwise)."""
        return column(self.dataset, name)

    def model_method(self) -> str:
        """The estimation method of the model the case is about (metafor's default REML when unstated)."""
        args = self.args
        for key in ("model", "fitted_model"):
            sub = args.get(key)
            if isinstance(sub, Mapping) and "method" in sub:
                return str(sub["method"])
        return str(args.get("method", "REML"))

    def rtol(self) -> float:
        """The README's tolerance for this case: 1e-5 for iterative estimators, else 1e-6."""
        return RTOL_ITERATIVE if self.model_method() in ITERATIVE_METHODS else RTOL_CLOSED


@cache
def datasets() -> tuple[Mapping[str, Any], ...]:
    """All vendored dataset files, sorted by name."""
    files = sorted(ORACLE_DIR.glob("*.json"))
    if not files:
        raise FileNotFoundError(f"no oracle files in {ORACLE_DIR}")
    return tuple(json.loads(f.read_text(encoding="utf-8")) for f in files)


def all_cases() -> list[Case]:
    """Every case of every file."""
    return [Case(d, c) for d in datasets() for c in d["cases"]]


def cases(*functions: str) -> list[Case]:
    """The cases of the given metafor function names (e.g. ``"rma.uni"``)."""
    wanted = set(functions)
    return [c for c in all_cases() if c.function in wanted]


def find_case(dataset_id: str, case_id: str) -> Case:
    for d in datasets():
        if d["dataset_id"] == dataset_id:
            for c in d["cases"]:
                if c["id"] == case_id:
                    return Case(d, c)
    raise KeyError(f"{dataset_id}:{case_id}")


def column(dataset: Mapping[str, Any], name: str) -> np.ndarray:
    values = dataset["data"]["columns"][name]
    if all(v is None or isinstance(v, (int, float)) for v in values):
        return np.array([np.nan if v is None else float(v) for v in values], dtype=float)
    return np.array(values, dtype=object)


def as_float_array(values: Any) -> np.ndarray:
    """JSON values (``null`` -> NaN) as a float array (0-d for scalars)."""
    if isinstance(values, list):
        return np.array([np.nan if v is None else float(v) for v in values], dtype=float)
    return np.array(np.nan if values is None else float(values), dtype=float)


def case_input(case: Case) -> tuple[np.ndarray, np.ndarray]:
    """``(yi, vi)`` for a case whose input is an escalc case's output or yi/vi columns.

    Raises ``ValueError`` for raw-column inputs (those are computed by the function under test).
    """
    inp = case.case["input"]
    if "escalc_case" in inp:
        es = find_case(case.dataset_id, inp["escalc_case"])
        return as_float_array(es.output["yi"]), as_float_array(es.output["vi"])
    if "yi" in inp and "vi" in inp:
        return column(case.dataset, inp["yi"]), column(case.dataset, inp["vi"])
    raise ValueError(f"{case.key}: input {inp!r} is raw columns, not yi/vi")


def design_matrix(case: Case, formula: str) -> tuple[np.ndarray, list[str]]:
    """Moderator matrix (without intercept) and R-style coefficient names for ``~ x`` / ``~ factor(x)``.

    Supports what the oracle uses: one or more terms joined by ``+``, each a numeric column or
    ``factor(col)`` (treatment coding, levels sorted as R sorts them, first level dropped).
    """
    rhs = formula.split("~", 1)[1]
    columns: list[np.ndarray] = []
    names: list[str] = []
    for raw_term in rhs.split("+"):
        term = raw_term.strip()
        if term.startswith("factor(") and term.endswith(")"):
            col = term[len("factor("):-1].strip()
            values = case.column(col)
            present = [v for v in values if not _is_missing(v)]
            levels = sorted({str(v) if not isinstance(v, float) else _num_label(v) for v in present},
                            key=_r_sort_key(present))
            labels = np.array([None if _is_missing(v) else
                               (str(v) if not isinstance(v, float) else _num_label(v)) for v in values],
                              dtype=object)
            for level in levels[1:]:
                dummy = np.array([np.nan if lab is None else float(lab == level) for lab in labels])
                columns.append(dummy)
                names.append(f"{term}{level}")
        else:
            columns.append(np.asarray(case.column(term), dtype=float))
            names.append(term)
    return np.column_stack(columns), ["intrcpt", *names]


def _is_missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _num_label(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(v)


def _r_sort_key(present: Sequence[Any]) -> Any:
    numeric = all(isinstance(v, (int, float)) for v in present)
    if numeric:
        return lambda s: float(s)
    return lambda s: (s.lower(), s)


def assert_close(actual: Any, expected: Any, *, rtol: float, atol: float = ATOL, what: str = "") -> None:
    """Assert ``|a - e| <= rtol |e| + atol`` elementwise; ``None``/NaN expected means NaN/None actual.

    An expected ``null`` also accepts +/-inf: jsonlite writes R's ``Inf`` as ``null`` too (e.g.
    ``zval = b / 0`` when Knapp-Hartung scales a zero residual variance).
    p-values below 1e-300 are compared as "both below 1e-300" (they may underflow differently).
    """
    exp = as_float_array(expected) if not isinstance(expected, np.ndarray) else expected.astype(float)
    act = np.asarray(np.nan if actual is None else actual, dtype=float)
    if exp.shape != act.shape and exp.size == act.size:
        act = act.reshape(exp.shape)
    assert exp.shape == act.shape, f"{what}: shape {act.shape} != expected {exp.shape}"
    e = np.atleast_1d(exp)
    a = np.atleast_1d(act)
    for i, (ai, ei) in enumerate(zip(a, e, strict=True)):
        label = f"{what}[{i}]" if exp.ndim else what
        if math.isnan(ei):
            assert math.isnan(ai) or math.isinf(ai), f"{label}: expected NA, got {ai!r}"
            continue
        assert not math.isnan(ai), f"{label}: got NaN, expected {ei!r}"
        if abs(ei) < 1e-300 and abs(ai) < 1e-300:
            continue
        assert abs(ai - ei) <= rtol * abs(ei) + atol, (
            f"{label}: {ai!r} != {ei!r} (rel diff {abs(ai - ei) / max(abs(ei), 1e-300):.3g}, rtol {rtol})"
        )


def relative_error(actual: Any, expected: Any, atol: float = ATOL) -> float:
    """Max of ``|a - e| / (|e| + atol/rtol-floor)`` over finite entries (for reporting)."""
    e = np.atleast_1d(as_float_array(expected) if not isinstance(expected, np.ndarray) else expected)
    a = np.atleast_1d(np.asarray(np.nan if actual is None else actual, dtype=float)).reshape(e.shape)
    ok = ~np.isnan(e) & ~np.isnan(a) & (np.abs(e) > 1e-300)
    if not ok.any():
        return 0.0
    return float(np.max(np.abs(a[ok] - e[ok]) / np.maximum(np.abs(e[ok]), 1e-3)))


def functions_in_files() -> set[str]:
    return {c.function for c in all_cases()}


def case_keys(function: str) -> list[str]:
    return [c.key for c in cases(function)]


def iter_outputs(output: Mapping[str, Any], skip: Iterable[str] = ()) -> Iterable[tuple[str, Any]]:
    """``(name, value)`` for numeric outputs (nested dicts flattened as ``a.b``), except ``skip``."""
    skip = set(skip)
    for name, value in output.items():
        if name in skip:
            continue
        if isinstance(value, Mapping):
            for sub, v in iter_outputs(value):
                yield f"{name}.{sub}", v
        elif value is None or isinstance(value, (int, float)) or (
            isinstance(value, list) and all(v is None or isinstance(v, (int, float)) for v in value)
        ):
            yield name, value
