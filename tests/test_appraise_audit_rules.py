"""General audit rules on made-up text and evidence (no article needed).

Each rule is phrased in terms of claim language, linked designs, verification levels and
numbers; the sentences here are written for the tests and name other conditions and outcomes
than the seed article.
"""

from __future__ import annotations

from ldn_atlas.appraise.audit import audit_source
from ldn_atlas.model import AdverseEvent, Condition, Measure, Outcome, Period, Population, Source, Study

CROHN = Condition(label="Crohn's disease", code="K50")
FM = Condition(label="Fibromyalgia", code="M79.7")
EAE = Condition(label="Experimental autoimmune encephalomyelitis", code="G35")


def _rct(sid: str, cond: Condition, outcome: str, direction: str) -> Study:
    return Study(
        id=sid,
        label=f"{sid} trial",
        species="human",
        condition=cond,
        design=["randomized", "double-blind", "placebo-controlled", "parallel"],
        controlled=True,
        comparator="placebo",
        population=Population(n=80),
        outcomes=[Outcome(name=outcome, direction=direction)],
        verification={"*": "primary"},
    )


def base() -> list[Study]:
    return [
        Study(
            id="cd-survey",
            label="Crohn survey",
            species="human",
            condition=CROHN,
            design=["retrospective", "observational"],
            controlled=False,
            population=Population(n=120),
            outcomes=[
                Outcome(
                    name="fatigue improved or unchanged (self-reported)",
                    measures=[Measure(arm="ldn", kind="percent", value=70)],
                )
            ],
            verification={"*": "secondary", "population.n": "primary"},
        ),
        _rct("cd-a", CROHN, "abdominal pain", "improved"),
        _rct("cd-b", CROHN, "abdominal pain", "no-difference"),
        _rct("fm-null", FM, "pain intensity", "no-difference"),
        Study(
            id="eae-rats",
            label="EAE rats",
            species="animal",
            model="rat EAE",
            condition=EAE,
            design=["animal"],
            outcomes=[Outcome(name="paralysis onset", direction="improved")],
            verification={"*": "primary"},
        ),
    ]


def verdict(text: str) -> str:
    result = audit_source(Source(id="t", kind="article", text=text), studies=base(), sources=[])
    assert len(result.claims) == 1, [c.text for c in result.claims]
    return result.claims[0].verdict


def test_improved_or_unchanged_category_reported_as_improvement_is_unsupported() -> None:
    claim = "In a retrospective survey of 120 patients with Crohn's disease, most said their fatigue improved on LDN."
    assert verdict(claim) == "unsupported"
    # the claim keeps the record's category: no spin
    assert (
        verdict(
            "In a retrospective survey of 120 patients with Crohn's disease, most said their fatigue improved "
            "or stayed unchanged on LDN."
        )
        != "unsupported"
    )


def test_general_efficacy_claim_against_a_null_trial_is_contradicted() -> None:
    assert verdict("LDN is an effective treatment for pain in fibromyalgia patients.") == "contradicted"


def test_unqualified_effect_where_trials_disagree_is_overstated_and_hedged_is_weak() -> None:
    assert verdict("Treatment with LDN reduces abdominal pain in Crohn's disease.") == "overstated"
    assert verdict("Treatment with LDN may reduce abdominal pain in Crohn's disease.") == "supported-weak"


def test_animal_finding_linked_by_outcome_is_indirect() -> None:
    assert verdict("In rats with autoimmune encephalomyelitis, LDN treatment delayed the onset of paralysis.") == (
        "supported-indirect"
    )


def test_outcome_alone_does_not_link_a_sentence_without_treatment() -> None:
    assert verdict("Fibromyalgia causes widespread pain in many of the patients it affects.") == "not-checkable"


def _review(outcome: str, direction: str) -> Study:
    return Study(
        id="fm-review",
        label="FM review",
        species="human",
        condition=FM,
        design=["systematic-review"],
        population=Population(n=300),
        outcomes=[Outcome(name=outcome, direction=direction)],
        verification={"*": "primary"},
    )


def _verdict_with(text: str, extra: list[Study]) -> str:
    result = audit_source(Source(id="t", kind="article", text=text), studies=[*base(), *extra], sources=[])
    assert len(result.claims) == 1
    return result.claims[0].verdict


def test_claim_about_a_systematic_review_is_judged_against_its_conclusion() -> None:
    uncertain = [_review("sleep quality", "unclear")]
    assert _verdict_with("A meta-analysis concluded that LDN improves sleep quality in fibromyalgia.", uncertain) == (
        "overstated"
    )
    assert _verdict_with("A meta-analysis suggested LDN may improve sleep quality in fibromyalgia.", uncertain) == (
        "supported"
    )
    null = [_review("sleep quality", "no-difference")]
    assert _verdict_with("A systematic review found that LDN improves sleep quality in fibromyalgia.", null) == (
        "contradicted"
    )
    assert _verdict_with("A systematic review found that LDN did not improve sleep quality in fibromyalgia.", null) == (
        "supported"
    )


def test_null_phrasings_are_recognised() -> None:
    assert verdict("In fibromyalgia, a randomized trial of 80 patients found LDN did not reduce pain intensity.") == (
        "supported"
    )
    assert verdict("A randomized trial of 80 fibromyalgia patients found LDN no better than placebo for pain.") == (
        "supported"
    )


def test_result_figure_missing_from_the_record_is_not_checkable() -> None:
    missing = "In a retrospective survey of 120 patients with Crohn's disease, 35% reported headaches on LDN."
    assert verdict(missing) == "not-checkable"
    present = (
        "In a retrospective survey of 120 patients with Crohn's disease, 70% said their fatigue improved or "
        "stayed unchanged on LDN."
    )
    assert verdict(present) == "supported-weak"


LONG_COVID = Condition(label="Post COVID-19 condition", code="U09.9")


def test_claim_is_judged_on_the_outcome_it_names() -> None:
    trial = Study(
        id="lc-rct",
        label="Long COVID RCT",
        species="human",
        condition=LONG_COVID,
        design=["randomized", "double-blind", "placebo-controlled", "parallel"],
        controlled=True,
        comparator="placebo",
        population=Population(n=120),
        outcomes=[
            Outcome(name="physical quality of life", direction="no-difference"),
            Outcome(name="mental quality of life", direction="improved"),
        ],
        verification={"*": "primary"},
    )
    assert _verdict_with("In long COVID, LDN treatment improves physical quality of life.", [trial]) == "contradicted"
    assert _verdict_with("In long COVID, LDN treatment improves mental quality of life.", [trial]) == "supported"


def test_hedged_effect_against_a_null_trial_is_unsupported_not_contradicted() -> None:
    assert verdict("LDN may reduce pain intensity in fibromyalgia patients.") == "unsupported"
    assert verdict("LDN reduces pain intensity in fibromyalgia patients.") == "contradicted"


def _lc_trial(sid: str, n: int, weeks: int, blind: str = "double-blind") -> Study:
    return Study(
        id=sid,
        label=f"{sid} trial",
        species="human",
        condition=LONG_COVID,
        design=["randomized", blind, "placebo-controlled", "parallel"],
        controlled=True,
        comparator="placebo",
        population=Population(n=n),
        periods=[Period(kind="treatment", days=weeks * 7)],
        duration_days=weeks * 7,
        outcomes=[Outcome(name="fatigue", direction="no-difference")],
        adverse_events=[AdverseEvent(name="headache", count=4, n=n)],
        verification={"*": "primary"},
    )


def test_absolute_safety_claim_against_reported_adverse_events_is_contradicted() -> None:
    extra = [_lc_trial("lc-1", 60, 12)]
    assert _verdict_with("LDN has no side effects at all in people with long COVID.", extra) == "contradicted"
    # a quantified statement is not an absolute claim
    assert _verdict_with("In long COVID, 90% of patients on LDN had no side effects.", extra) != "contradicted"


def test_general_efficacy_claim_is_judged_against_a_review_of_the_condition() -> None:
    review = _review("sleep quality", "unclear")
    assert _verdict_with("LDN works well for people with fibromyalgia.", [review]) == "overstated"
    assert _verdict_with("LDN might help some people with fibromyalgia.", [review]) == "supported"


def test_sample_size_matching_no_candidate_study_is_not_a_contradiction() -> None:
    two = [_lc_trial("lc-1", 60, 12), _lc_trial("lc-2", 90, 8)]
    assert _verdict_with("A randomized double-blind trial in long COVID enrolled 400 patients.", two) == (
        "not-checkable"
    )
    # a duration only one candidate has identifies the trial, and then the count is checked against it
    assert _verdict_with(
        "A randomized double-blind trial in long COVID enrolled 400 patients for twelve weeks.", two
    ) == ("contradicted")


def test_design_clash_with_one_of_several_candidates_is_not_a_contradiction() -> None:
    text = (
        "Two randomized trials of LDN in long COVID have now been completed. "
        "One of them was single-blind and recruited its patients in Canada."
    )
    mixed = [_lc_trial("lc-1", 60, 12), _lc_trial("lc-2", 90, 8, blind="single-blind")]
    result = audit_source(Source(id="t", kind="article", text=text), studies=[*base(), *mixed], sources=[])
    assert [c.verdict for c in result.claims][1] != "contradicted"
    same = [_lc_trial("lc-1", 60, 12), _lc_trial("lc-2", 90, 8)]
    result = audit_source(Source(id="t", kind="article", text=text), studies=[*base(), *same], sources=[])
    assert [c.verdict for c in result.claims][1] == "contradicted"


def test_patients_reporting_less_of_a_symptom_is_a_result() -> None:
    assert verdict("Most fibromyalgia patients taking LDN report less pain intensity.") == "contradicted"


def test_short_claims_are_audited() -> None:
    """A three-word sentence can be a claim ("LDN cures fibromyalgia."); headings without a full stop are not."""
    from ldn_atlas.appraise.audit import sentences

    text = "Fibromyalgia and LDN\n\nLDN cures fibromyalgia. It works.\n"
    found = [s.text for s in sentences(text)]
    assert "LDN cures fibromyalgia." in found
    assert "Fibromyalgia and LDN" not in found and "It works." not in found
