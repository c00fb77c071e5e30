from __future__ import annotations

import pytest

from ldn_atlas.model import Study
from ldn_atlas.model.classify import DesignCategory, design_category, outcome_domain, study_domains


def _study(**kw: object) -> Study:
    base: dict[str, object] = {"id": "s", "label": "S", "species": "human", "condition": {"label": "MS"}}
    base.update(kw)
    return Study.model_validate(base)


@pytest.mark.parametrize(
    "kw,expected",
    [
        ({"design": ["randomized", "placebo-controlled", "double-blind"]}, DesignCategory.RANDOMISED_CONTROLLED),
        ({"design": ["randomized"], "controlled": False}, DesignCategory.UNCONTROLLED_TRIAL),
        ({"design": ["single-blind", "crossover"], "comparator": "placebo"}, DesignCategory.NON_RANDOMISED_CONTROLLED),
        ({"design": ["open-label", "pilot"], "controlled": False}, DesignCategory.UNCONTROLLED_TRIAL),
        ({"design": ["retrospective"]}, DesignCategory.OBSERVATIONAL),
        ({"design": ["case-series"]}, DesignCategory.CASE_SERIES),
        ({"design": ["case-report"]}, DesignCategory.CASE_REPORT),
        ({"species": "animal", "design": ["randomized", "placebo-controlled"]}, DesignCategory.ANIMAL),
        ({"species": "in-vitro"}, DesignCategory.IN_VITRO),
        ({"design": ["systematic-review"]}, DesignCategory.SYSTEMATIC_REVIEW),
    ],
)
def test_design_category(kw: dict[str, object], expected: DesignCategory) -> None:
    assert design_category(_study(**kw)) is expected


def test_categories_are_ordered_by_strength() -> None:
    assert DesignCategory.RANDOMISED_CONTROLLED > DesignCategory.CASE_REPORT > DesignCategory.ANIMAL
    assert DesignCategory.RANDOMISED_CONTROLLED.label == "RCT"


@pytest.mark.parametrize(
    "text,domain",
    [
        ("Daily pain (VAS)", "pain"),
        ("Plasma IL-6", "biomarkers"),
        ("Serum opioid growth factor", "biomarkers"),
        ("SF-36 Mental Component Summary", "quality-of-life"),
        ("Spasticity", "spasticity"),
        ("CDAI decline of at least 70 points", "disease-activity"),
        ("Overall symptom severity", "symptom-severity"),
        ("Fatigue", "fatigue"),
        ("Something unheard of", "other"),
    ],
)
def test_outcome_domain(text: str, domain: str) -> None:
    assert outcome_domain(text).id == domain


def test_adverse_events_count_as_safety() -> None:
    s = _study(outcomes=[{"name": "Pain"}], adverse_events=[{"name": "insomnia", "percent": 6}])
    assert [d.id for d in study_domains(s)] == ["pain", "safety"]


@pytest.mark.parametrize(
    "text,lower",
    [("Pain (NRS)", True), ("CDAI score", True), ("clinical remission", False), ("CDAI response (drop >= 70)", False),
     ("Quality of life (SF-36)", False), ("Fatigue severity", True)],
)
def test_lower_is_better(text: str, lower: bool) -> None:
    from ldn_atlas.model.classify import lower_is_better

    assert lower_is_better(text) is lower
