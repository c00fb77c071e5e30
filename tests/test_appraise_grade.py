"""Evidence levels, risk-of-bias signals and every GRADE domain rule."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ldn_atlas.appraise.grade import (
    Effect,
    EvidenceBody,
    StudyEffect,
    grade,
    optimal_information_size,
    rate_imprecision,
    rate_inconsistency,
    rate_indirectness,
    rate_large_effect,
    rate_publication_bias,
    rate_risk_of_bias,
    start_level,
)
from ldn_atlas.appraise.levels import evidence_level, risk_of_bias
from ldn_atlas.errors import InputError
from ldn_atlas.model import Condition, Override, Period, Population, Study


def make(
    sid: str,
    design: list[str],
    *,
    n: int | None = 60,
    species: str = "human",
    controlled: bool | None = None,
    comparator: str | None = None,
    periods: list[str] | None = None,
    enrolled: int | None = None,
    analysed: int | None = None,
) -> Study:
    return Study(
        id=sid,
        label=sid,
        species=species,
        condition=Condition(label="fibromyalgia", code="M79.7"),
        design=design,
        controlled=controlled,
        comparator=comparator,
        population=Population(n=n, n_enrolled=enrolled, n_analyzed=analysed),
        periods=[Period(kind=k) for k in (periods or [])],
    )


RCT = ["randomized", "placebo-controlled", "double-blind", "parallel"]


# -- evidence levels and risk-of-bias signals -------------------------------------------------------


@pytest.mark.parametrize(
    ("design", "kw", "level"),
    [
        (["systematic-review"], {}, 1),
        (RCT, {"controlled": True}, 2),
        (["single-blind", "crossover", "placebo-controlled"], {"controlled": True}, 3),
        (["open-label", "pilot", "multicentre"], {"controlled": False}, 4),
        (["retrospective", "observational"], {"controlled": False}, 4),
        (["case-report"], {}, 4),
        (["animal"], {"species": "animal"}, 5),
        (["in-vitro"], {"species": "in-vitro"}, 5),
    ],
)
def test_evidence_level_from_design(design: list[str], kw: dict, level: int) -> None:
    assert evidence_level(make("s", design, **kw)).level == level


def test_rob_signals_each_rule() -> None:
    codes = lambda s: {x.code: x.severity for x in risk_of_bias(s).signals}  # noqa: E731
    assert codes(make("a", ["open-label"], controlled=False, n=100)) == {
        "no-control": "serious",
        "open-label": "serious",
    }
    assert codes(make("b", ["single-blind", "crossover", "placebo-controlled"], controlled=True, n=100)) == {
        "single-blind": "some",
        "non-random-order": "serious",
    }
    assert codes(make("c", ["retrospective"], controlled=False, n=200))["retrospective"] == "serious"
    assert codes(make("d", RCT, controlled=True, n=30))["small-n"] == "some"
    assert codes(make("e", RCT, controlled=True, n=10))["small-n"] == "serious"
    no_wash = make(
        "f",
        ["randomized", "crossover", "double-blind", "placebo-controlled"],
        controlled=True,
        n=100,
        periods=["baseline", "placebo", "treatment"],
    )
    assert codes(no_wash) == {"crossover-no-washout": "serious"}
    washed = make(
        "g",
        ["randomized", "crossover", "double-blind"],
        controlled=True,
        n=100,
        periods=["treatment", "washout", "placebo"],
    )
    assert codes(washed) == {}
    assert risk_of_bias(washed).judgement == "low"
    assert codes(make("h", RCT, controlled=True, n=60, enrolled=80, analysed=60))["attrition"] == "serious"
    assert codes(make("i", RCT, controlled=True, n=88, enrolled=100, analysed=88))["attrition"] == "some"
    assert risk_of_bias(make("j", ["animal"], species="animal")).judgement == "not-applicable"


# -- start --------------------------------------------------------------------------------------------


def test_start_high_for_rcts_low_otherwise() -> None:
    assert start_level([make("a", RCT, controlled=True)])[0] == "high"
    assert start_level([make("a", RCT, controlled=True), make("b", ["open-label"], controlled=False)])[0] == "low"
    with pytest.raises(InputError):
        start_level([])


# -- risk of bias --------------------------------------------------------------------------------------


def test_risk_of_bias_by_weight() -> None:
    good = make("good", RCT, controlled=True, n=100)
    bad = make(
        "bad",
        ["randomized", "crossover", "double-blind"],
        controlled=True,
        n=100,
        periods=["placebo", "treatment"],
    )  # crossover without washout
    worse = make(
        "worse",
        ["randomized", "open-label", "crossover"],
        controlled=True,
        n=100,
        periods=["placebo", "treatment"],
    )  # open label + no washout
    assert rate_risk_of_bias([good, bad], [0.7, 0.3], "high").change == 0
    assert rate_risk_of_bias([good, bad], [0.3, 0.7], "high").change == -1
    assert rate_risk_of_bias([good, worse], [0.3, 0.7], "high").change == -2
    # observational bodies: "no control" explains the low start and is not counted again
    series = make("series", ["case-series"], controlled=False, n=100)
    assert rate_risk_of_bias([series], [1.0], "low").change == 0
    retro = make("retro", ["retrospective"], controlled=False, n=200)
    assert rate_risk_of_bias([retro], [1.0], "low").change == -1
    # small N is imprecision, not bias
    tiny = make("tiny", RCT, controlled=True, n=12)
    assert rate_risk_of_bias([tiny], [1.0], "high").change == 0


# -- inconsistency -------------------------------------------------------------------------------------


def test_inconsistency_rules() -> None:
    ok = Effect("SMD", -0.3, -0.5, -0.1, i2=10, tau2=0.01, k=4, pi_lb=-0.6, pi_ub=-0.05)
    assert rate_inconsistency(ok).change == 0
    pi = Effect("SMD", -0.3, -0.5, -0.1, i2=60, tau2=0.05, k=4, pi_lb=-0.9, pi_ub=0.3)
    assert rate_inconsistency(pi).change == -1
    both = Effect("SMD", -0.3, -0.8, 0.2, i2=80, tau2=0.2, k=3, pi_lb=-2, pi_ub=1.5)
    rows = [
        StudyEffect("a", -0.9, -1.3, -0.5, True),
        StudyEffect("b", 0.4, 0.0, 0.8, True),
        StudyEffect("c", -0.2, -0.6, 0.2, False),
    ]
    assert rate_inconsistency(both, rows).change == -2
    # k = 2: the prediction interval is not used, I² and directions are
    two = Effect("SMD", -0.3, -3.0, 2.4, i2=0, tau2=0, k=2, pi_lb=-4, pi_ub=3.4)
    assert rate_inconsistency(two).change == 0
    two_het = Effect("SMD", -0.3, -3.0, 2.4, i2=65, tau2=0.1, k=2)
    assert rate_inconsistency(two_het, [StudyEffect("a", -0.8), StudyEffect("b", 0.1)]).change == -1
    # narrative bodies
    narrative = [
        StudyEffect("a", direction="improved", significant=True),
        StudyEffect("b", direction="no-difference", significant=False),
    ]
    assert rate_inconsistency(None, narrative).change == -1
    assert rate_inconsistency(None, [StudyEffect("a", direction="improved")]).change == 0


# -- imprecision ---------------------------------------------------------------------------------------


def test_optimal_information_size() -> None:
    assert optimal_information_size() == 400
    # d = 0.5: 4 * (1.96 + 0.8416)^2 / 0.25 = 125.6 -> 126
    assert optimal_information_size(mcid_sd=0.5) == 126
    # control risk 0.2, RRR 25 %: p2 = 0.15 -> 2 * 7.849 * (0.16 + 0.1275) / 0.0025 = 1805.4 -> 1806
    assert optimal_information_size(control_risk=0.2) == 1806
    with pytest.raises(InputError):
        optimal_information_size(control_risk=1.5)


def test_imprecision_rules() -> None:
    precise = Effect("MD", -2.0, -2.8, -1.2, better="lower")
    assert rate_imprecision(precise, 800, mcid=1.0).change == 0
    crosses_null = Effect("MD", -0.34, -0.95, 0.27, better="lower")
    assert rate_imprecision(crosses_null, 800).change == -1
    crosses_mcid = Effect("MD", -1.2, -1.6, -0.6, better="lower")
    assert rate_imprecision(crosses_mcid, 800, mcid=1.0).change == -1
    below_ois = Effect("MD", -2.0, -2.8, -1.2, better="lower")
    assert rate_imprecision(below_ois, 300).change == -1
    # CI problem and N below half the OIS: very serious
    assert rate_imprecision(crosses_null, 99).change == -2
    # benefit and harm both appreciable
    wide = Effect("MD", 0.0, -2.5, 2.5, better="lower")
    assert rate_imprecision(wide, 800, mcid=1.0).change == -2
    # ratios: GRADE's default 25 % thresholds
    rr = Effect("RR", 0.9, 0.6, 1.4, scale="ratio", better="lower")
    assert rate_imprecision(rr, 5000, control_risk=0.2).change == -2
    rr_ok = Effect("RR", 0.5, 0.4, 0.62, scale="ratio", better="lower")
    assert rate_imprecision(rr_ok, 5000, control_risk=0.2).change == 0
    # single-arm proportions: CI width
    prop = Effect("PLO", 0.1, 0.05, 0.18, scale="proportion")
    assert rate_imprecision(prop, 300).change == 0
    assert rate_imprecision(Effect("PLO", 0.3, 0.1, 0.45, scale="proportion"), 20).change == -1
    assert rate_imprecision(Effect("PLO", 0.3, 0.05, 0.7, scale="proportion"), 10).change == -2
    # no pooled estimate (narrative synthesis)
    assert rate_imprecision(None, 1000).change == -1


# -- indirectness ---------------------------------------------------------------------------------------


def test_indirectness_rules() -> None:
    human = make("h", RCT, controlled=True)
    assert rate_indirectness([human]).change == 0
    assert rate_indirectness([make("m", ["animal"], species="animal")]).change == -2
    assert rate_indirectness([human], surrogate=True).change == -1
    assert rate_indirectness([human], population_mismatch=["children, question is adults"]).change == -1
    assert rate_indirectness([human], surrogate=True, outcome_mismatch=["symptom severity, not pain"]).change == -2


# -- publication bias ----------------------------------------------------------------------------------


def test_publication_bias_rules() -> None:
    assert rate_publication_bias(Effect("SMD", -0.3, -0.5, -0.1, k=5, regtest_p=0.01)).change == 0
    assert rate_publication_bias(Effect("SMD", -0.3, -0.5, -0.1, k=12, regtest_p=0.03)).change == -1
    assert rate_publication_bias(Effect("SMD", -0.3, -0.5, -0.1, k=12, regtest_p=0.40)).change == 0


def test_large_effect_rules() -> None:
    big = Effect("RR", 0.3, 0.2, 0.45, scale="ratio")
    assert rate_large_effect(big, "low", 0).change == 1
    assert rate_large_effect(Effect("RR", 0.1, 0.05, 0.18, scale="ratio"), "low", 0).change == 2
    assert rate_large_effect(big, "high", 0).change == 0
    assert rate_large_effect(big, "low", -1).change == 0


# -- whole appraisal, overrides -------------------------------------------------------------------------


def test_grade_end_to_end_and_rationale() -> None:
    a = make("a", RCT, controlled=True, n=99)
    b = make(
        "b",
        ["randomized", "crossover", "double-blind", "placebo-controlled"],
        controlled=True,
        n=28,
        periods=["baseline", "placebo", "treatment"],
    )
    body = EvidenceBody(
        subject="fm-pain",
        outcome="pain",
        studies=[a, b],
        weights=[0.8, 0.2],
        effect=Effect("SMD", -0.3, -2.5, 1.9, i2=0, tau2=0, k=2),
        total_n=127,
        mcid=0.5,
    )
    appraisal = grade(body)
    assert appraisal.start == "high"
    by = {d.domain: d.change for d in appraisal.domains}
    assert by["risk-of-bias"] == 0
    assert by["imprecision"] == -2
    assert appraisal.certainty == "low"
    assert "Imprecision: rated down 2 levels" in appraisal.rationale
    assert appraisal.rationale.endswith("Certainty: Low.")


def test_overrides_are_applied_and_recorded() -> None:
    a = make("a", RCT, controlled=True, n=1000)
    body = EvidenceBody(subject="s", outcome="o", studies=[a], effect=Effect("MD", -2.0, -2.8, -1.2), mcid=1.0)
    assert grade(body).certainty == "high"
    when = datetime(2026, 11, 24, 21, 0, tzinfo=UTC)
    ov = Override(by="reviewer@example.org", at=when, reason="outcome assessors were unblinded", value="-1")
    appraisal = grade(body, {"risk-of-bias": ov})
    rob = next(d for d in appraisal.domains if d.domain == "risk-of-bias")
    assert rob.change == -1 and rob.override == ov
    assert "computed +0, now -1" in rob.reasons[-1]
    assert appraisal.certainty == "moderate"
    final = Override(by="lead", at=when, reason="panel judgement", value="low")
    assert grade(body, {"certainty": final}).certainty == "low"
    with pytest.raises(InputError):
        grade(body, {"risk-of-bias": Override(by="x", at=when, reason="r", value="lots")})
    with pytest.raises(InputError):
        grade(body, {"colour": ov})


def test_overrides_through_the_store(tmp_path) -> None:
    store = pytest.importorskip("ldn_atlas.store.repository")
    from ldn_atlas.appraise.grade import overrides_from_store

    open_store = getattr(store, "open_store", None)
    if open_store is None:
        pytest.skip("store not available")
    with open_store(str(tmp_path / "atlas.db")) as repo:
        repo.add_override("s:o", "imprecision", "-2", by="ann", reason="tiny trials")
        repo.add_override("s:o", "imprecision", "-1", by="bob", reason="second look")
        ovs = overrides_from_store(repo, "s:o")
    assert ovs["imprecision"].by == "bob"
    a = make("a", RCT, controlled=True, n=1000)
    body = EvidenceBody(subject="s", outcome="o", studies=[a], effect=Effect("MD", -2.0, -2.8, -1.2), mcid=1.0)
    assert grade(body, ovs).certainty == "moderate"


def test_levels_and_signals_on_the_embedded_base() -> None:
    from ldn_atlas.store.evidence_files import load_evidence

    base = {s.id: s for s in load_evidence()}
    assert all(1 <= evidence_level(s).level <= 5 for s in base.values())
    expected = {
        "cree-2010": 2,
        "younger-2013": 2,
        "younger-2009": 3,
        "gironi-2008": 4,
        "turel-2015": 4,
        "chopra-2013": 4,
        "ludwig-2017-eae": 5,
    }
    for sid, level in expected.items():
        if sid in base:
            assert evidence_level(base[sid]).level == level, sid
    if "younger-2013" in base:
        assert "crossover-no-washout" in {x.code for x in risk_of_bias(base["younger-2013"]).signals}
    if "cree-2010" in base:
        assert "attrition" in {x.code for x in risk_of_bias(base["cree-2010"]).signals}
    if "younger-2009" in base:
        assert "non-random-order" in {x.code for x in risk_of_bias(base["younger-2009"]).signals}


def test_rate_domains_in_grade_order_and_rob_signals_in_order() -> None:
    from ldn_atlas.appraise.grade import DOMAINS, EvidenceBody, rate_domains
    from ldn_atlas.appraise.levels import ROB_SIGNALS

    body = EvidenceBody(subject="x", outcome="pain", studies=[])
    assert [r.domain for r in rate_domains(body, "high", {})] == list(DOMAINS)
    assert [f.__name__ for f in ROB_SIGNALS] == [
        "no_control_signal",
        "blinding_signal",
        "allocation_signal",
        "retrospective_signal",
        "small_n_signal",
        "washout_signal",
        "attrition_signal",
    ]
