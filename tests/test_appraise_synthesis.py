"""Syntheses: pooling rules, crossover handling, conversions, proportions, narrative rows, NNT cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as sps

from ldn_atlas.appraise.synthesis import synthesise
from ldn_atlas.model import AdverseEvent, Condition, Measure, Outcome, Period, Population, Responders, Study
from ldn_atlas.stats import escalc, rma
from ldn_atlas.stats.clinical import crossover, nnt, nnt_from_counts
from ldn_atlas.stats.effect_sizes import hedges_correction

FM = Condition(label="Fibromyalgia", code="M79.7")
RCT_X = ["randomized", "double-blind", "placebo-controlled", "crossover"]
RCT_P = ["randomized", "double-blind", "placebo-controlled", "parallel"]


def crossover_trial(sid: str = "x-trial", verification: str = "primary") -> Study:
    """A made-up crossover trial reporting % pain reduction with 95% CIs (not SDs)."""
    return Study(
        id=sid,
        label=sid,
        species="human",
        condition=FM,
        design=RCT_X,
        controlled=True,
        comparator="placebo",
        population=Population(n=30, n_enrolled=32, n_analyzed=30),
        periods=[Period(kind="baseline", days=14), Period(kind="placebo", days=28), Period(kind="treatment", days=56)],
        outcomes=[
            Outcome(
                name="reduction in pain",
                instrument="daily pain VAS",
                direction="improved",
                p=0.02,
                measures=[
                    Measure(arm="ldn", kind="percent-reduction", value=30.0, ci_lb=20.0, ci_ub=40.0, n=30, unit="%"),
                    Measure(arm="placebo", kind="percent-reduction", value=20.0, ci_lb=9.0, ci_ub=31.0, n=30, unit="%"),
                ],
            )
        ],
        verification={"*": "primary", "outcomes[0].measures": verification},
    )


def parallel_trial(sid: str = "p-trial", diff_only: bool = False) -> Study:
    measures = [Measure(arm="difference", kind="difference", value=-0.5, ci_lb=-1.1, ci_ub=0.1, unit="points")]
    if not diff_only:
        measures = [
            Measure(arm="ldn", kind="change", value=-1.5, sd=1.6, n=50, unit="points"),
            Measure(arm="placebo", kind="change", value=-1.0, sd=1.5, n=50, unit="points"),
            Measure(arm="ldn", kind="mean", value=6.0, sd=1.4, n=50, timepoint="baseline"),
            *measures,
        ]
    return Study(
        id=sid,
        label=sid,
        species="human",
        condition=FM,
        design=RCT_P,
        controlled=True,
        comparator="placebo",
        population=Population(
            n=100,
            n_enrolled=100,
            n_analyzed=100,
            subgroups=[{"label": "LDN", "count": 50}, {"label": "placebo", "count": 50}],
        ),
        outcomes=[
            Outcome(
                name="pain intensity",
                instrument="NRS 0-10",
                direction="no-difference",
                p=0.1,
                measures=measures,
                responders=[
                    Responders(threshold_percent=30, count=20, n=50, arm="ldn"),
                    Responders(threshold_percent=30, count=12, n=50, arm="placebo"),
                ],
            )
        ],
        verification={"*": "primary"},
    )


def test_crossover_and_parallel_pooled_with_explicit_design_handling() -> None:
    rep = synthesise([crossover_trial(), parallel_trial()])
    syn = rep.get("fibromyalgia:pain")
    assert syn.kind == "meta-analysis" and syn.k == 2
    by = {r.study: r for r in syn.rows}
    # CI -> SD with t on n - 1 df, recorded as an assumption
    t = sps.t.ppf(0.975, 29)
    sd1, sd2 = math.sqrt(30) * 20 / (2 * t), math.sqrt(30) * 22 / (2 * t)
    assert any("95% CI" in a and "not an SD" in a for a in by["x-trial"].assumptions)
    # % reduction is flipped to a change; crossover SMD through stats.clinical, Hedges-corrected, r = 0.5
    eff = crossover(-30.0, sd1, -20.0, sd2, 30, 0.5, measure="SMD", variance="becker")
    j = float(np.asarray(hedges_correction(29)).reshape(-1)[0])
    assert by["x-trial"].yi == pytest.approx(eff.yi * j, rel=1e-9)
    assert by["x-trial"].vi == pytest.approx(eff.vi * j * j, rel=1e-9)
    es = escalc("SMD", m1i=[-1.5], m2i=[-1.0], sd1i=[1.6], sd2i=[1.5], n1i=[50], n2i=[50])
    assert by["p-trial"].yi == pytest.approx(float(es.yi[0]))
    fit = rma([by["x-trial"].yi, by["p-trial"].yi], [by["x-trial"].vi, by["p-trial"].vi], method="REML", test="knha")
    assert syn.estimate == pytest.approx(fit.b) and syn.ci_lb == pytest.approx(fit.ci_lb)
    assert syn.pi_lb == pytest.approx(fit.predict().pi_lb)
    assert any("Design difference handled explicitly" in n for n in syn.notes)
    rs = [x.r for x in syn.sensitivity if x.r is not None]
    assert rs == [0.0, 0.25, 0.5, 0.75, 0.9]
    assert any(x.label.startswith("common-effect") for x in syn.sensitivity)
    assert syn.appraisal is not None and syn.appraisal.start == "high"
    row = syn.sof()
    assert row.effect.startswith("SMD") and row.certainty_label in ("High", "Moderate", "Low", "Very low")
    assert row.participants == 130
    assert "MCID" in row.mcid_verdict


def test_unverified_numbers_are_never_pooled() -> None:
    rep = synthesise([crossover_trial(verification="unverified"), parallel_trial()])
    syn = rep.get("fibromyalgia:pain")
    by = {r.study: r for r in syn.rows}
    assert syn.kind == "narrative" and syn.estimate is None and syn.k_pooled == 0
    assert by["x-trial"].vi is None and by["p-trial"].vi is not None
    assert any("unverified" in a for a in by["x-trial"].assumptions)


def test_difference_route_recovers_sd_from_ci() -> None:
    rep = synthesise([parallel_trial("a", diff_only=True), parallel_trial("b")])
    row = next(r for r in rep.get("fibromyalgia:pain").rows if r.study == "a")
    se = 1.2 / (2 * sps.t.ppf(0.975, 98))
    sd = se / math.sqrt(1 / 50 + 1 / 50)
    g = float(escalc("SMD", m1i=[-0.5], m2i=[0.0], sd1i=[sd], sd2i=[sd], n1i=[50], n2i=[50]).yi[0])
    assert row.yi == pytest.approx(g)


def test_single_arm_and_nonrandomised_are_not_pooled_with_rcts() -> None:
    pilot = Study(
        id="pilot",
        label="pilot",
        species="human",
        condition=FM,
        design=["open-label"],
        controlled=False,
        population=Population(n=12),
        outcomes=[
            Outcome(
                name="pain", direction="improved", measures=[Measure(arm="ldn", kind="change", value=-2, sd=1, n=12)]
            )
        ],
    )
    rep = synthesise([pilot, parallel_trial()])
    syn = rep.get("fibromyalgia:pain")
    assert [r.study for r in syn.rows] == ["p-trial"]
    assert any(e.study == "pilot" and "not pooled with randomized trials" in e.reason for e in syn.excluded)


def test_narrative_synthesis_when_no_numbers() -> None:
    def trial(sid: str, direction: str) -> Study:
        return Study(
            id=sid,
            label=sid,
            species="human",
            condition=Condition(label="Multiple sclerosis", code="G35"),
            design=RCT_P,
            controlled=True,
            comparator="placebo",
            population=Population(n=60),
            outcomes=[Outcome(name="quality of life", instrument="MSQoL-54", direction=direction)],
            verification={"*": "primary"},
        )

    rep = synthesise([trial("a", "improved"), trial("b", "no-difference")])
    syn = rep.get("multiple-sclerosis:quality-of-life")
    assert syn.kind == "narrative" and syn.estimate is None and syn.k_pooled == 0
    row = syn.sof()
    assert row.effect.startswith("Not pooled (narrative synthesis)")
    assert "Inconsistency: rated down" in row.rationale


def test_single_arm_adverse_event_proportions_pooled_on_logit_scale() -> None:
    def series(sid: str, count: int, n: int) -> Study:
        return Study(
            id=sid,
            label=sid,
            species="human",
            condition=FM,
            design=["open-label"],
            controlled=False,
            population=Population(n=n),
            adverse_events=[AdverseEvent(name="insomnia", count=count, n=n)],
            verification={"*": "primary"},
        )

    rep = synthesise([series("s1", 3, 30), series("s2", 5, 40), parallel_trial()])
    syn = rep.get("ldn:safety:insomnia")
    es = escalc("PLO", xi=[3, 5], ni=[30, 40])
    fit = rma(es.yi, es.vi, method="REML", test="knha")
    assert syn.kind == "proportion" and syn.k == 2
    assert syn.estimate == pytest.approx(1 / (1 + math.exp(-fit.b)))


def test_responders_rr_with_nnt_and_exact_cis() -> None:
    rep = synthesise([parallel_trial()])
    syn = rep.get("fibromyalgia:pain:responders-30")
    assert syn.measure == "RR" and syn.kind == "single-study"
    assert syn.estimate == pytest.approx((20 / 50) / (12 / 50))
    assert "Clopper-Pearson" in syn.rows[0].raw
    expected = nnt_from_counts(20, 50, 12, 50, desirable=True, method="newcombe")
    assert syn.nnt is not None and syn.nnt["text"] == expected.text()


# -- each case of the NNT interval (Altman 1998), through the statistics engine ---------------------------


def test_nnt_interval_cases() -> None:
    # wholly benefit
    r = nnt(0.20, 0.10, 0.30, desirable=True)
    assert r.label == "NNTB" and not r.spans_zero and r.interval_text() == "NNTB 3.3 to 10.0"
    # wholly harm
    r = nnt(-0.20, -0.30, -0.10, desirable=True)
    assert r.label == "NNTH" and r.interval_text() == "NNTH 3.3 to 10.0"
    # spans zero: two-part interval through infinity
    r = nnt(0.10, -0.05, 0.25, desirable=True)
    assert r.spans_zero and r.interval_text() == "NNTB 4.0 to ∞ to NNTH 20.0"
    # undesirable event: a negative RD is a benefit
    r = nnt(-0.10, -0.20, 0.05)
    assert r.label == "NNTB" and r.interval_text() == "NNTB 5.0 to ∞ to NNTH 20.0"
    # no difference
    assert math.isinf(nnt(0.0, -0.1, 0.1).nnt)


# -- the embedded evidence base ----------------------------------------------------------------------------


def test_embedded_fibromyalgia_pain_and_ms_quality_of_life() -> None:
    rep = synthesise()
    fm = rep.get("fibromyalgia:pain")
    ids = {r.study for r in fm.rows}
    assert {"younger-2013", "bruun-2024-final"} <= ids
    assert fm.kind == "meta-analysis" and fm.appraisal is not None
    assert any("Design difference handled explicitly" in n for n in fm.notes)
    younger = next(r for r in fm.rows if r.study == "younger-2013")
    assert any("not an SD" in a for a in younger.assumptions)
    assert any("within-person correlation" in a for a in younger.assumptions)
    ms = rep.get("multiple-sclerosis:quality-of-life")
    assert {"cree-2010", "sharafaddinzadeh-2010"} <= {r.study for r in ms.rows}
    assert ms.estimate is None and ms.sof().effect.startswith("Not pooled")
    assert ms.appraisal is not None and ms.appraisal.rationale


def test_store_overrides_are_applied(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from ldn_atlas.store import open_store

    studies = [crossover_trial(), parallel_trial()]
    computed = synthesise(studies).get("fibromyalgia:pain").appraisal
    assert computed is not None
    with open_store(str(tmp_path / "a.db")) as store:
        store.add_override("fibromyalgia:pain", "certainty", "high", by="panel", reason="consensus meeting")
        got = synthesise(studies, overrides=store).get("fibromyalgia:pain").appraisal
    assert got is not None and got.certainty == "high"
    assert "Reviewer override of the certainty by panel" in got.rationale


def test_uncontrolled_evidence_gets_a_narrative_row_starting_low() -> None:
    crps = Condition(label="Complex regional pain syndrome", code="G90.5-")
    series = Study(
        id="cases",
        label="two cases",
        species="human",
        condition=crps,
        design=["case-series"],
        controlled=False,
        population=Population(n=2),
        outcomes=[Outcome(name="pain", direction="improved")],
        verification={"*": "primary"},
    )
    retold = series.model_copy(update={"id": "article-cases", "primary_source": "cases"})
    unidentified = series.model_copy(update={"id": "unknown-case", "verification": {"design": "unverified"}})
    rep = synthesise([series, retold, unidentified])
    syn = next(s for s in rep.syntheses if s.outcome == "pain")
    assert syn.kind == "narrative" and [r.study for r in syn.rows] == ["cases"]
    assert syn.appraisal is not None and syn.appraisal.start == "low" and syn.appraisal.certainty == "very-low"


def test_small_study_test_runs_when_k_at_least_10() -> None:
    trials = []
    for i in range(10):
        n = 20 + 15 * i
        trial = parallel_trial(f"t{i}").model_copy(deep=True)
        m = trial.outcomes[0].measures
        m[0] = m[0].model_copy(update={"value": -1.0 - 0.6 / (1 + i), "n": n})
        m[1] = m[1].model_copy(update={"n": n})
        trials.append(trial)
    syn = synthesise(trials).get("fibromyalgia:pain")
    assert syn.k == 10 and syn.appraisal is not None
    pb = next(d for d in syn.appraisal.domains if d.domain == "publication-bias")
    assert any("regression test" in r for r in pb.reasons)


def test_adverse_events_per_arm_give_rr_and_nnh() -> None:
    from ldn_atlas.model import AdverseEvent

    trial = parallel_trial().model_copy(
        update={
            "adverse_events": [
                AdverseEvent(name="Vivid dreams", count=10, n=50, arm="ldn"),
                AdverseEvent(name="vivid dreams", count=4, n=50, arm="placebo"),
            ]
        }
    )
    syn = next(s for s in synthesise([trial]).syntheses if "adverse" in s.id)
    assert syn.estimate == pytest.approx(2.5)
    expected = nnt_from_counts(10, 50, 4, 50, desirable=False, method="newcombe")
    assert syn.nnt is not None and syn.nnt["label"] == "NNTH" and syn.nnt["text"] == expected.text()


def test_record_override_validates_and_stores(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from ldn_atlas.appraise.synthesis import record_override
    from ldn_atlas.errors import InputError
    from ldn_atlas.store import open_store

    with open_store(str(tmp_path / "o.db")) as store:
        store.upsert_studies([crossover_trial(), parallel_trial()])
        before = synthesise(list(store.iter_studies())).get("fibromyalgia:pain").appraisal
        assert before is not None
        after = record_override(store, "fibromyalgia:pain", "certainty", "moderate", by="ann", reason="panel")
        assert after.certainty == "moderate"
        kept = store.latest_override("fibromyalgia:pain", "certainty")
        assert kept is not None and kept.override.by == "ann" and kept.override.at is not None
        with pytest.raises(InputError):
            record_override(store, "fibromyalgia:pain", "colour", "-1", by="ann", reason="x")
        with pytest.raises(InputError):
            record_override(store, "fibromyalgia:pain", "imprecision", "-5", by="ann", reason="x")
        with pytest.raises(KeyError):
            record_override(store, "nope:pain", "certainty", "low", by="ann", reason="x")


def test_each_design_enters_through_its_own_reader() -> None:
    """A crossover trial's SMD comes from crossover.crossover_effect, a parallel trial's from parallel_effect."""
    from ldn_atlas.appraise.synthesis.crossover import crossover_effect
    from ldn_atlas.appraise.synthesis.effects import arm_means, continuous_effect
    from ldn_atlas.appraise.synthesis.parallel import parallel_effect

    x = crossover_trial()
    via_x = continuous_effect(x, 0, x.outcomes[0], "lower", 0.5)
    (_, m1), (_, m2) = arm_means(x.outcomes[0])["ldn"], arm_means(x.outcomes[0])["placebo"]
    assert via_x == crossover_effect(x, x.outcomes[0], m1, m2, "primary", 0.5)
    assert not isinstance(via_x, str) and via_x.design == "crossover RCT" and via_x.crossover is not None
    p = parallel_trial()
    via_p = continuous_effect(p, 0, p.outcomes[0], "lower", 0.5)
    arms = arm_means(p.outcomes[0])
    assert via_p == parallel_effect(p.outcomes[0], arms["ldn"][1], arms["placebo"][1], "primary")
    assert not isinstance(via_p, str) and via_p.design == "parallel RCT" and via_p.crossover is None


def test_choose_trials_keeps_one_outcome_per_trial_and_excludes_other_designs() -> None:
    from ldn_atlas.appraise.synthesis.selection import choose_trials

    p = parallel_trial()
    pilot = Study(
        id="pilot",
        label="pilot",
        species="human",
        condition=FM,
        design=["open-label"],
        controlled=False,
        population=Population(n=12),
        outcomes=[Outcome(name="pain", direction="improved")],
    )
    items = [(p, 0, p.outcomes[0]), (p, 0, p.outcomes[0]), (pilot, 0, pilot.outcomes[0])]
    chosen, excluded = choose_trials(items)
    assert [s.id for s, _, _ in chosen] == ["p-trial"]
    assert [e.study for e in excluded] == ["pilot"] and "not pooled with randomized trials" in excluded[0].reason


def test_public_names_still_import_from_the_package() -> None:
    import ldn_atlas.appraise.synthesis as syn

    for name in syn.__all__:
        assert hasattr(syn, name), name
