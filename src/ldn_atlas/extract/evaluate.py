"""Field-level evaluation of extracted studies against a gold annotation.

The gold format (``ldn-atlas-extraction-gold/1``, documented in
``tests/data/gold/README.md``) records, per study, per field, the values a careful
reader finds and the character offsets of the words behind them in the
*normalised* text of the document (:func:`ldn_atlas.sources.normalise_text`).  It
never stores the document's text: a gold file is checked against the document by
the SHA-256 of its normalised text.

Studies are aligned one-to-one by maximum character overlap of their extents
(Hungarian assignment, :func:`scipy.optimize.linear_sum_assignment`; Kuhn 1955).
Then, per field, values are compared as multisets: a true positive is a value in
both, a false positive a predicted value not in the gold, a false negative a
gold value not predicted.  Fields of unmatched studies count wholly as false
positives (predicted) or false negatives (gold).  Precision, recall and F1 are
micro-averaged over studies.  For true positives the report also gives how often
a predicted span overlaps a gold span ("span agreement").

References
----------
.. [1] Kuhn, H. W. (1955). The Hungarian method for the assignment problem.
   Naval Research Logistics Quarterly, 2(1-2), 83-97.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ldn_atlas.errors import InputError
from ldn_atlas.model import Study
from ldn_atlas.model.classify import outcome_domain

GOLD_FORMAT = "ldn-atlas-extraction-gold/1"

#: Fields scored, in report order.  ``outcome_direction`` scores outcomes matched by span.
FIELDS: tuple[str, ...] = (
    "species",
    "model",
    "condition",
    "design",
    "n",
    "sex",
    "duration_days",
    "dose_mg",
    "comparator",
    "percentages",
    "responders",
    "periods",
    "adverse_events",
    "outcome_direction",
)
#: The fields the acceptance test requires to reach F1 >= 0.95 on the article.
CORE_FIELDS: tuple[str, ...] = (
    "condition",
    "species",
    "design",
    "n",
    "sex",
    "duration_days",
    "dose_mg",
    "percentages",
    "responders",
)

Spans = list[tuple[int, int]]


@dataclass
class FieldScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    span_hits: int = 0
    span_checked: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def span_agreement(self) -> float | None:
        return self.span_hits / self.span_checked if self.span_checked else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "span_agreement": self.span_agreement,
        }


@dataclass
class EvaluationReport:
    fields: dict[str, FieldScore] = field(default_factory=dict)
    studies: FieldScore = field(default_factory=FieldScore)
    alignment: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "studies": self.studies.to_dict(),
            "fields": {k: v.to_dict() for k, v in self.fields.items()},
            "alignment": [list(p) for p in self.alignment],
            "warnings": self.warnings,
        }


# ----------------------------------------------------------------------------------------------
# values of a field, as comparable keys with spans
# ----------------------------------------------------------------------------------------------
def _norm_code(code: str | None) -> str | None:
    return code.rstrip("-").upper() if code else None


def _cond_key(label: str | None, code: str | None) -> str | None:
    if not label and not code:
        return None
    if label and label.lower() == "unspecified" and not code:
        return None
    from ldn_atlas.extract.conditions import lookup_condition

    if label:
        hit = lookup_condition(label)
        if hit is not None:
            return hit[0].lower()
    return (label or "").lower() or _norm_code(code)


def _num(value: float | int | None) -> float | None:
    return None if value is None else round(float(value), 6)


#: Absolute tolerance per numeric quantity (the value's unit): a dose to the hundredth of a
#: milligram, a duration to half a day, a percentage to a hundredth of a point.  Added to a
#: relative tolerance of 1e-6, which only absorbs floating-point noise: 4.0 mg is not 4.5 mg.
ABS_TOL: dict[str, float] = {"dose_mg": 0.01, "days": 0.5, "percent": 0.01}
REL_TOL = 1e-6


def _close(a: float | None, b: float | None, unit: str) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= max(ABS_TOL[unit], REL_TOL * max(abs(float(a)), abs(float(b))))


def _pairs(prov: dict[str, list[Any]], path: str) -> Spans:
    return [(s.start, s.end) for s in prov.get(path, [])]


def study_values(study: Study) -> dict[str, list[tuple[Any, Spans]]]:
    """The scored values of a predicted :class:`Study`: field -> [(key, spans)]."""
    pv = study.provenance
    out: dict[str, list[tuple[Any, Spans]]] = {f: [] for f in FIELDS}
    out["species"].append((study.species, _pairs(pv, "species")))
    if study.model:
        out["model"].append((study.model.lower(), _pairs(pv, "model")))
    ck = _cond_key(study.condition.label, study.condition.code)
    if ck:
        out["condition"].append((ck, _pairs(pv, "condition")))
    for k, tag in enumerate(study.design):
        out["design"].append((tag, _pairs(pv, f"design[{k}]")))
    if study.population.n is not None:
        out["n"].append((study.population.n, _pairs(pv, "population.n")))
    if study.population.sex:
        out["sex"].append((study.population.sex, _pairs(pv, "population.sex")))
    if study.duration_days is not None:
        out["duration_days"].append((_num(study.duration_days), _pairs(pv, "duration_days")))
    for k, iv in enumerate(study.interventions):
        if iv.dose_mg is not None:
            out["dose_mg"].append((_num(iv.dose_mg), _pairs(pv, f"interventions[{k}].dose_mg")))
    if study.comparator:
        out["comparator"].append((study.comparator.lower(), _pairs(pv, "comparator")))
    for k, sg in enumerate(study.population.subgroups):
        if sg.percent is not None:
            out["percentages"].append(
                (("subgroup", _num(sg.percent), None), _pairs(pv, f"population.subgroups[{k}]"))
            )
    for k, ae in enumerate(study.adverse_events):
        spans = _pairs(pv, f"adverse_events[{k}]")
        if ae.percent is not None:
            out["percentages"].append((("adverse_event", _num(ae.percent), None), spans))
        out["adverse_events"].append((ae.name.lower(), spans))
    for k, o in enumerate(study.outcomes):
        # a percentage of participants with or without adverse events ("77% had no side effects",
        # kept as a safety outcome without direction) counts adverse events: gold kind adverse_event
        safety = o.direction is None and outcome_domain(o).id == "safety"
        for j, m in enumerate(o.measures):
            if m.kind in ("percent", "percent-change"):
                key = ("adverse_event", _num(m.value), None) if safety else ("outcome", _num(m.value), m.arm)
                out["percentages"].append((key, _pairs(pv, f"outcomes[{k}].measures[{j}].value")))
        for j, r in enumerate(o.responders):
            out["responders"].append(
                ((_num(r.threshold_percent), r.count, r.n), _pairs(pv, f"outcomes[{k}].responders[{j}]"))
            )
        if o.direction is not None:
            out["outcome_direction"].append((o.direction, _pairs(pv, f"outcomes[{k}]")))
    for k, p in enumerate(study.periods):
        out["periods"].append(((p.kind, _num(p.days)), _pairs(pv, f"periods[{k}]")))
    return out


def _gold_spans(raw: Any) -> Spans:
    if not raw:
        return []
    if isinstance(raw[0], int):
        return [(int(raw[0]), int(raw[1]))]
    return [(int(a), int(b)) for a, b in raw]


def gold_values(entry: dict[str, Any]) -> dict[str, list[tuple[Any, Spans]]]:
    """The scored values of one gold study (see ``tests/data/gold/README.md``)."""
    fields = entry.get("fields", {})
    out: dict[str, list[tuple[Any, Spans]]] = {f: [] for f in FIELDS}

    def items(name: str) -> list[dict[str, Any]]:
        raw = fields.get(name)
        if raw is None:
            return []
        return raw if isinstance(raw, list) else [raw]

    for name in ("species", "sex", "model", "comparator"):
        for it in items(name):
            if it.get("value") is not None:
                out[name].append(
                    (
                        str(it["value"]).lower() if name != "species" else it["value"],
                        _gold_spans(it.get("spans")),
                    )
                )
    for it in items("condition"):
        v = it.get("value")
        ck = _cond_key(v.get("label"), v.get("code")) if isinstance(v, dict) else _cond_key(v, None)
        if ck:
            out["condition"].append((ck, _gold_spans(it.get("spans"))))
    for it in items("design"):
        out["design"].append((it["value"], _gold_spans(it.get("spans"))))
    for it in items("n"):
        if it.get("value") is not None:
            out["n"].append((int(it["value"]), _gold_spans(it.get("spans"))))
    for name in ("duration_days", "dose_mg"):
        for it in items(name):
            if it.get("value") is not None:
                out[name].append((_num(it["value"]), _gold_spans(it.get("spans"))))
    for it in items("percentages"):
        arm = it.get("arm") if it.get("kind") == "outcome" else None
        out["percentages"].append(((it["kind"], _num(it["value"]), arm), _gold_spans(it.get("spans"))))
    for it in items("responders"):
        out["responders"].append(
            ((_num(it.get("threshold_percent")), it.get("count"), it.get("n")), _gold_spans(it.get("spans")))
        )
    for it in items("periods"):
        out["periods"].append(((it["kind"], _num(it.get("days"))), _gold_spans(it.get("spans"))))
    for it in items("adverse_events"):
        out["adverse_events"].append((str(it["value"]).lower(), _gold_spans(it.get("spans"))))
    for it in items("outcomes"):
        if it.get("direction") is not None:
            out["outcome_direction"].append((it["direction"], _gold_spans(it.get("spans"))))
    return out


# ----------------------------------------------------------------------------------------------
# scoring
# ----------------------------------------------------------------------------------------------
def _overlap(a: Spans, b: Spans) -> int:
    total = 0
    for s1, e1 in a:
        for s2, e2 in b:
            total += max(0, min(e1, e2) - max(s1, s2))
    return total


def _touch(a: Spans, b: Spans) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _score_field(
    name: str, gold: list[tuple[Any, Spans]], pred: list[tuple[Any, Spans]], score: FieldScore
) -> None:
    if name == "outcome_direction":  # outcomes pair by span, then their directions must agree
        used: set[int] = set()
        for gv, gs in gold:
            hit = next((j for j, (_pv, ps) in enumerate(pred) if j not in used and _touch(gs, ps)), None)
            if hit is not None and pred[hit][0] == gv:
                used.add(hit)
                score.tp += 1
                score.span_hits += 1
                score.span_checked += 1
            else:
                score.fn += 1
        score.fp += len(pred) - len(used)
        return
    remaining = list(pred)
    for gv, gs in gold:
        idx = next((j for j, (pv, _ps) in enumerate(remaining) if _equal(name, gv, pv)), None)
        if idx is None:
            score.fn += 1
            continue
        _pv, ps = remaining.pop(idx)
        score.tp += 1
        if gs and ps:
            score.span_checked += 1
            score.span_hits += int(_touch(gs, ps))
    score.fp += len(remaining)


def _equal(name: str, a: Any, b: Any) -> bool:
    """Whether a gold and a predicted value of field ``name`` agree (numbers within :data:`ABS_TOL`)."""
    if name == "duration_days":
        return _close(a, b, "days")
    if name == "dose_mg":
        return _close(a, b, "dose_mg")
    if name == "periods":  # (kind, days)
        return bool(a[0] == b[0] and _close(a[1], b[1], "days"))
    if name == "percentages":  # (kind, value, arm)
        return bool(a[0] == b[0] and a[2] == b[2] and _close(a[1], b[1], "percent"))
    if name == "responders":  # (threshold, count, n)
        return bool(_close(a[0], b[0], "percent") and a[1:] == b[1:])
    return bool(a == b)


def _extent(values: dict[str, list[tuple[Any, Spans]]], fallback: Spans) -> Spans:
    return fallback or [s for v in values.values() for _k, spans in v for s in spans]


def evaluate(
    gold: dict[str, Any], studies: list[Study] | dict[str, Any], *, sha256: str | None = None
) -> EvaluationReport:
    """Score predictions against a gold annotation (parsed JSON).

    ``studies`` is either the extractor's :class:`Study` records or a second gold annotation
    (a parsed ``ldn-atlas-extraction-gold/1`` document), which scores inter-annotator agreement:
    the first annotation plays the reference, the second the prediction.
    """
    _check_gold(gold, "gold")
    report = EvaluationReport()
    want = (gold.get("document") or {}).get("sha256")
    if isinstance(studies, dict):
        _check_gold(studies, "prediction")
        p_entries = studies.get("studies", [])
        p_vals = [gold_values(e) for e in p_entries]
        p_ext = [_extent(v, _gold_spans(e.get("extent"))) for v, e in zip(p_vals, p_entries, strict=True)]
        p_ids = [str(e.get("id", k)) for k, e in enumerate(p_entries)]
        sha256 = sha256 or (studies.get("document") or {}).get("sha256")
    else:
        p_vals = [study_values(s) for s in studies]
        p_ext = [
            _extent(v, [(sp.start, sp.end) for sp in s.provenance.get("*", [])])
            for v, s in zip(p_vals, studies, strict=True)
        ]
        p_ids = [s.id for s in studies]
    if want and sha256 and want != sha256:
        report.warnings.append(
            "the prediction's source text differs from the gold document (sha256 mismatch)"
        )
    g_entries = gold.get("studies", [])
    g_vals = [gold_values(e) for e in g_entries]
    g_ext = [_extent(v, _gold_spans(e.get("extent"))) for v, e in zip(g_vals, g_entries, strict=True)]
    pairs: list[tuple[int, int]] = []
    if g_vals and p_vals:
        from scipy.optimize import linear_sum_assignment

        m = np.array([[_overlap(g, p) for p in p_ext] for g in g_ext], dtype=float)
        rows, cols = linear_sum_assignment(-m)
        pairs = [(int(r), int(c)) for r, c in zip(rows, cols, strict=True) if m[r, c] > 0]
    matched_g = {r for r, _ in pairs}
    matched_p = {c for _, c in pairs}
    report.studies.tp = len(pairs)
    report.studies.fp = len(p_vals) - len(matched_p)
    report.studies.fn = len(g_vals) - len(matched_g)
    report.alignment = [(str(g_entries[r].get("id", r)), p_ids[c]) for r, c in pairs]
    for name in FIELDS:
        sc = FieldScore()
        for r, c in pairs:
            _score_field(name, g_vals[r][name], p_vals[c][name], sc)
        for r in range(len(g_vals)):
            if r not in matched_g:
                sc.fn += len(g_vals[r][name])
        for c in range(len(p_vals)):
            if c not in matched_p:
                sc.fp += len(p_vals[c][name])
        report.fields[name] = sc
    return report


def _check_gold(obj: Any, what: str) -> None:
    if not isinstance(obj, dict) or obj.get("format") != GOLD_FORMAT:
        raise InputError(f"{what} is not an extraction gold file (format must be {GOLD_FORMAT!r})")


def is_gold(obj: Any) -> bool:
    """Whether parsed JSON is a gold annotation (``"format": "ldn-atlas-extraction-gold/1"``)."""
    return isinstance(obj, dict) and obj.get("format") == GOLD_FORMAT


def load_json(path: str | Path, what: str) -> Any:
    p = Path(path)
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("no such file", location=str(p)) from None
    except UnicodeDecodeError:
        raise InputError(f"{what} is not UTF-8 text", location=str(p)) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{what} is not valid JSON (line {exc.lineno}: {exc.msg})", location=str(p)
        ) from None


def load_predictions(obj: Any, location: str) -> tuple[list[Study], str | None]:
    """Studies from ``ldn-atlas extract --format json`` output (one document)."""
    if isinstance(obj, list):
        if len(obj) != 1:
            raise InputError(
                "prediction file holds several documents; evaluate one at a time", location=location
            )
        obj = obj[0]
    if not isinstance(obj, dict) or "studies" not in obj:
        raise InputError(
            'not an extraction output (expected {"source": ..., "studies": [...]})', location=location
        )
    try:
        studies = [Study.model_validate(s) for s in obj["studies"]]
    except Exception as exc:
        first = str(exc).splitlines()[0]
        raise InputError(f"a predicted study breaks the evidence model: {first}", location=location) from None
    sha = (obj.get("source") or {}).get("sha256")
    return studies, sha


def evaluate_files(gold_path: str | Path, pred_path: str | Path) -> EvaluationReport:
    """Read a gold file and a prediction file and score them.

    The prediction is either ``ldn-atlas extract --format json`` output or another gold file
    (detected by its ``format``), which measures agreement between two annotators.
    """
    gold = load_json(gold_path, "gold")
    if not isinstance(gold, dict):
        raise InputError("not an extraction gold file", location=str(gold_path))
    pred = load_json(pred_path, "prediction")
    if is_gold(pred):  # a second annotation: inter-annotator agreement
        return evaluate(gold, pred)
    studies, sha = load_predictions(pred, str(pred_path))
    return evaluate(gold, studies, sha256=sha)


def counter_of(values: list[tuple[Any, Spans]]) -> Counter[Any]:
    return Counter(v for v, _ in values)
