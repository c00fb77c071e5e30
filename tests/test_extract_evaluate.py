"""Scoring rules of ``ldn_atlas.extract.evaluate``: tight numeric tolerances, gold-vs-gold input."""

from __future__ import annotations

from typing import Any

from ldn_atlas.extract.evaluate import GOLD_FORMAT, evaluate


def _gold(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "format": GOLD_FORMAT,
        "document": {"path": "x", "sha256": "0" * 64},
        "studies": [{"id": "s", "extent": [[0, 100]], "fields": fields}],
    }


def _f1(gold_fields: dict[str, Any], pred_fields: dict[str, Any], name: str) -> float:
    return evaluate(_gold(gold_fields), _gold(pred_fields)).fields[name].f1


def test_dose_tolerance_is_a_hundredth_of_a_milligram() -> None:
    assert _f1({"dose_mg": [{"value": 4.0}]}, {"dose_mg": [{"value": 4.5}]}, "dose_mg") == 0.0
    assert _f1({"dose_mg": [{"value": 4.5}]}, {"dose_mg": [{"value": 4.505}]}, "dose_mg") == 1.0
    assert _f1({"dose_mg": [{"value": 1.5}]}, {"dose_mg": [{"value": 1.53}]}, "dose_mg") == 0.0


def test_duration_tolerance_is_half_a_day() -> None:
    six_months = {"duration_days": [{"value": 182.64}]}
    assert _f1(six_months, {"duration_days": [{"value": 182.6}]}, "duration_days") == 1.0
    assert _f1(six_months, {"duration_days": [{"value": 183.0}]}, "duration_days") == 1.0
    assert _f1(six_months, {"duration_days": [{"value": 180.0}]}, "duration_days") == 0.0
    # the old rule (1% relative) took 804 and 812 days for the same duration
    assert _f1({"duration_days": [{"value": 804}]}, {"duration_days": [{"value": 812}]}, "duration_days") == 0.0
    week = [{"kind": "treatment", "days": 56}]
    assert _f1({"periods": week}, {"periods": [{"kind": "treatment", "days": 56.4}]}, "periods") == 1.0
    assert _f1({"periods": week}, {"periods": [{"kind": "treatment", "days": 57}]}, "periods") == 0.0


def test_percentages_must_agree_to_a_hundredth_and_in_kind() -> None:
    g = {"percentages": [{"kind": "outcome", "value": 2.3, "arm": "placebo"}]}
    assert _f1(g, {"percentages": [{"kind": "outcome", "value": 2.3, "arm": "placebo"}]}, "percentages") == 1.0
    assert _f1(g, {"percentages": [{"kind": "outcome", "value": 2.34, "arm": "placebo"}]}, "percentages") == 0.0
    assert _f1(g, {"percentages": [{"kind": "outcome", "value": 2.3, "arm": "ldn"}]}, "percentages") == 0.0


def test_sha_mismatch_between_two_golds_is_a_warning() -> None:
    other = _gold({})
    other["document"]["sha256"] = "1" * 64
    assert evaluate(_gold({}), other).warnings
