"""A published review set beside the atlas's synthesis of the same condition x outcome (agree / differ)."""

from __future__ import annotations

import pytest

from ldn_atlas.appraise.synthesis import synthesise
from ldn_atlas.appraise.synthesis.reviews import compare_reviews, conclusion
from ldn_atlas.model.evidence import Condition, Measure, Outcome, Study

FM = Condition(label="Fibromyalgia", code="M79.7")


def _trial(sid: str, ldn: float, placebo: float) -> Study:
    arms = [Measure(arm="ldn", kind="mean", value=ldn, sd=1.5, n=30), Measure(arm="placebo", kind="mean", value=placebo,
                                                                          sd=1.5, n=30)]
    return Study(id=sid, label=sid, species="human", condition=FM, design=["randomized", "placebo-controlled",
                 "parallel"], controlled=True, comparator="placebo",
                 outcomes=[Outcome(name="pain", measures=arms)], verification={"*": "primary"})


def _review(sid: str, kind: str, value: float, lb: float, ub: float) -> Study:
    return Study(id=sid, label=sid, species="human", condition=FM, design=["systematic-review"],
                 outcomes=[Outcome(name="pain", measures=[Measure(arm="difference", kind=kind, value=value, ci_lb=lb,
                                                                   ci_ub=ub)])], verification={"*": "primary"})


@pytest.mark.parametrize(
    ("kind", "lb", "ub", "better", "want"),
    [("smd", -0.9, -0.2, "lower", "favours LDN"), ("smd", 0.2, 0.9, "lower", "favours control"),
     ("md", -1.0, 0.4, "lower", "no clear effect"), ("RR", 1.1, 2.0, "higher", "favours LDN"),
     ("OR", 0.3, 0.8, "higher", "favours control"), ("median", 1.0, 2.0, "lower", None)],
)
def test_conclusion_of_an_interval(kind: str, lb: float, ub: float, better: str, want: str | None) -> None:
    assert conclusion(kind, lb, ub, better) == want  # type: ignore[arg-type]


def test_reviews_are_compared_not_pooled() -> None:
    trials = [_trial("a-2020", 4.0, 5.5), _trial("b-2021", 4.2, 5.6), _trial("c-2022", 3.9, 5.2)]
    agreeing = _review("rev-agree", "smd", -0.8, -1.2, -0.4)
    differing = _review("rev-null", "mean-difference", -0.3, -0.9, 0.3)
    report = synthesise([*trials, agreeing, differing])
    syn = report.get("fibromyalgia:pain")
    assert syn.k == 3 and {r.study for r in syn.rows} == {"a-2020", "b-2021", "c-2022"}  # reviews are not pooled
    by_review = {c.review: c for c in syn.reviews}
    assert syn.ci_ub is not None and syn.ci_ub < 0  # the invented trials favour LDN
    assert by_review["rev-agree"].agreement == "agree"
    assert by_review["rev-null"].agreement == "differ"
    assert "no clear effect" in by_review["rev-null"].reason
    assert syn.to_dict()["reviews"][0]["review"] in by_review


def test_a_review_without_an_interval_is_not_comparable() -> None:
    trials = [_trial("a-2020", 4.0, 5.5), _trial("b-2021", 4.2, 5.6)]
    vague = Study(id="rev-words", label="rev", species="human", condition=FM, design=["systematic-review"],
                  outcomes=[Outcome(name="pain", direction="improved")])
    syn = synthesise([*trials, vague]).get("fibromyalgia:pain")
    [comparison] = compare_reviews(syn, [(vague, vague.outcomes[0])])
    assert comparison.agreement == "not-comparable" and comparison.estimate_text == "no pooled estimate"


def test_a_review_is_never_a_row_of_a_narrative_synthesis() -> None:
    cohort = Study(id="cohort-2020", label="cohort", species="human", condition=FM, design=["retrospective",
                   "observational"], population={"n": 50},
                   outcomes=[Outcome(name="pain", direction="improved")], verification={"*": "primary"})
    review = _review("rev-2021", "smd", -0.5, -0.9, -0.1)
    syn = synthesise([cohort, review]).get("fibromyalgia:pain")
    assert syn.kind == "narrative" and [r.study for r in syn.rows] == ["cohort-2020"]
    assert [c.review for c in syn.reviews] == ["rev-2021"]
    only_reviews = synthesise([review])
    assert not any(s.id == "fibromyalgia:pain" for s in only_reviews.syntheses)
