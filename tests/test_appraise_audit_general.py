"""Unit tests for the audit's rules for articles the evidence base has no curated record of.

Each test builds a small made-up evidence base (conditions and outcomes chosen for the test, not
the seed article) and checks one rule: general claims weighed against designs and GRADE certainty,
sweeping wording, mechanisms stated as established in patients, general safety claims, study
identification by year, figures and back-references, contrast clauses, a figure attached to the
wrong outcome, and claims about which designs a condition's evidence consists of.
"""

from __future__ import annotations

from ldn_atlas.appraise.audit import audit_source, claim_numbers, claim_strength, judge
from ldn_atlas.appraise.audit.linking import narrow_by_year
from ldn_atlas.model import AdverseEvent, Citation, Condition, Measure, Outcome, Population, Source, Study

CROHN = Condition(label="Crohn's disease", code="K50")
FM = Condition(label="Fibromyalgia", code="M79.7")
CRPS = Condition(label="Complex regional pain syndrome", code="G90.5-")
COVID = Condition(label="Long COVID (post COVID-19 condition)", code="U09.9")


def _study(sid: str, cond: Condition, design: list[str], outcomes: list[Outcome], **kw: object) -> Study:
    controlled = any(t in design for t in ("placebo-controlled", "randomized"))
    return Study(
        id=sid,
        label=f"{sid} study",
        species="human",
        condition=cond,
        design=design,
        controlled=controlled,
        comparator="placebo" if controlled else "none",
        population=kw.pop("population", Population(n=60)),  # type: ignore[arg-type]
        outcomes=outcomes,
        verification={"*": "primary"},
        **kw,  # type: ignore[arg-type]
    )


RCT = ["randomized", "double-blind", "placebo-controlled", "parallel"]


def _verdicts(text: str, studies: list[Study]) -> list[str]:
    result = audit_source(Source(id="t", kind="article", text=text), studies=studies, sources=[])
    return [c.verdict for c in result.claims]


def _one(text: str, studies: list[Study]) -> str:
    v = _verdicts(text, studies)
    assert len(v) == 1, v
    return v[0]


def _covid_base() -> list[Study]:
    return [
        _study(
            "covid-prepost",
            COVID,
            ["open-label", "pilot"],
            [Outcome(name="fatigue score", direction="improved")],
            adverse_events=[AdverseEvent(name="headache", count=3, n=40)],
        )
    ]


# -- sweeping wording and general claims -----------------------------------------------------------------


def test_cure_or_all_patients_is_overstated_even_with_a_positive_rct() -> None:
    base = [_study("crps-rct", CRPS, RCT, [Outcome(name="pain intensity", direction="improved")])]
    assert _one("Low-dose naltrexone cures complex regional pain syndrome in all patients.", base) == "overstated"
    assert _one("Low-dose naltrexone is a miracle treatment for complex regional pain syndrome.", base) == (
        "overstated"
    )


def test_general_claim_of_effect_without_any_controlled_trial_is_overstated_unless_hedged() -> None:
    base = _covid_base()
    assert _one("Low-dose naltrexone reduces fatigue in people with long COVID.", base) == "overstated"
    assert _one("Low-dose naltrexone may reduce fatigue in people with long COVID.", base) != "overstated"


def test_general_claim_is_overstated_when_the_synthesis_certainty_is_low() -> None:
    rct = _study("x", FM, RCT, [Outcome(name="pain intensity", direction="improved")])
    args = ("LDN reduces pain in fibromyalgia.", "efficacy", "neutral", [], [rct], [], [], [], claim_numbers(""))
    low, why = judge(*args, certainty=[("Fibromyalgia, pain", "low")])  # type: ignore[arg-type]
    assert low == "overstated" and any("low" in r for r in why)
    high, _ = judge(*args, certainty=[("Fibromyalgia, pain", "high")])  # type: ignore[arg-type]
    assert high == "supported"


def test_proof_words_on_a_general_claim_cite_the_certainty() -> None:
    rct = _study("x", FM, RCT, [Outcome(name="pain intensity", direction="improved")])
    verdict, why = judge(
        "LDN is proven to relieve fibromyalgia pain.",
        "efficacy",
        "proof",
        [],
        [rct],
        [],
        [],
        [],
        claim_numbers(""),
        certainty=[("Fibromyalgia, pain", "very-low")],
    )
    assert verdict == "overstated" and any("very low" in r for r in why)


def test_null_significance_is_not_an_intensifier() -> None:
    assert claim_strength("Mood did not improve significantly in that study.") == "neutral"
    assert claim_strength("Mood improved significantly in that study.") == "strong"


# -- mechanism and safety -------------------------------------------------------------------------------


def test_mechanism_stated_as_established_in_patients_is_overstated() -> None:
    base = [_study("fm-rct", FM, RCT, [Outcome(name="pain intensity", direction="no-difference")])]
    text = "In patients with fibromyalgia, LDN blocks TLR4 on microglia and calms the overactive immune system."
    assert _one(text, base) == "overstated"
    hedged = "In patients with fibromyalgia, LDN is thought to block TLR4 on microglia, but this is unproven."
    assert _one(hedged, base) != "overstated"


def test_general_safety_claim_is_weak_support_and_an_absolute_one_is_contradicted() -> None:
    base = _covid_base()
    assert _one("Low-dose naltrexone is well tolerated by people with long COVID.", base) == "supported-weak"
    assert _one("Low-dose naltrexone has no side effects at all in people with long COVID.", base) == "contradicted"


# -- identifying the study ------------------------------------------------------------------------------


def _fm_trials() -> list[Study]:
    early = _study(
        "fm-early",
        FM,
        RCT,
        [
            Outcome(
                name="pain intensity",
                direction="improved",
                measures=[Measure(arm="ldn", kind="percent-reduction", value=31.5, unit="%")],
            ),
            Outcome(name="sleep quality", direction="no-difference"),
        ],
        citation=Citation(year=2015),
        population=Population(n=30),
    )
    late = _study(
        "fm-late",
        FM,
        RCT,
        [Outcome(name="pain intensity", direction="no-difference")],
        citation=Citation(year=2022),
        population=Population(n=120),
    )
    return [early, late]


def test_a_year_in_the_sentence_picks_the_study_of_that_year() -> None:
    early, late = _fm_trials()
    assert narrow_by_year("A 2022 trial found no effect.", [early, late]) == [late]
    assert narrow_by_year("A trial found no effect.", [early, late]) == [early, late]
    assert narrow_by_year("A 1999 trial found no effect.", [early, late]) == [early, late]
    text = "A 2022 trial of LDN in fibromyalgia found no difference in pain intensity."
    assert _one(text, _fm_trials()) == "supported"


def test_a_result_figure_identifies_the_study_and_a_back_reference_keeps_it() -> None:
    text = (
        "In fibromyalgia, pain intensity fell by 31.5% with LDN. "
        "In that trial, sleep quality also improved markedly with LDN."
    )
    assert _verdicts(text, _fm_trials()) == ["supported", "contradicted"]


def test_sentences_without_a_condition_take_the_articles_topic() -> None:
    text = (
        "LDN for fibromyalgia\n\nFibromyalgia is common and LDN is widely discussed for it. "
        "A 2022 randomised trial found no difference in pain intensity with LDN."
    )
    assert _verdicts(text, _fm_trials())[-1] == "supported"


def test_history_durations_are_not_study_durations() -> None:
    nums = claim_numbers("One patient, who had used a cane for six years, walked unaided after LDN.")
    assert nums.durations == []
    assert claim_numbers("Patients took LDN for 12 weeks.").durations == [84.0]


# -- contrasts and figures ------------------------------------------------------------------------------


def test_a_contrast_clause_is_checked_part_by_part() -> None:
    base = [
        _study(
            "ms-rct",
            Condition(label="Multiple sclerosis", code="G35"),
            RCT,
            [
                Outcome(name="mental health quality of life", direction="improved"),
                Outcome(name="physical quality of life", direction="no-difference"),
            ],
        )
    ]
    ok = "In multiple sclerosis, LDN improved mental health quality of life but not physical quality of life."
    assert _one(ok, base) == "supported"
    wrong = "In multiple sclerosis, LDN improved physical quality of life but not mental health quality of life."
    assert _one(wrong, base) == "contradicted"


def test_a_figure_attached_to_another_outcome_is_contradicted() -> None:
    trial = _study(
        "cd-rct",
        CROHN,
        RCT,
        [
            Outcome(
                name="endoscopic response",
                direction="improved",
                measures=[Measure(arm="ldn", kind="percent", value=70)],
            ),
            Outcome(
                name="endoscopic remission",
                direction="improved",
                measures=[Measure(arm="ldn", kind="percent", value=30)],
            ),
        ],
    )
    assert _one("In Crohn's disease, endoscopic remission was reached by 70% of patients on LDN.", [trial]) == (
        "contradicted"
    )
    assert _one("In Crohn's disease, endoscopic response was reached by 70% of patients on LDN.", [trial]) == (
        "supported"
    )


# -- what the evidence consists of ----------------------------------------------------------------------


def test_claims_about_the_designs_of_a_conditions_evidence() -> None:
    base = [
        _study(
            "crps-case", CRPS, ["case-report"], [Outcome(name="pain", direction="improved")], population=Population(n=1)
        ),
        *_fm_trials(),
    ]
    assert _one("There are no randomised controlled trials of LDN in complex regional pain syndrome.", base) == (
        "supported"
    )
    assert _one("The evidence for LDN in CRPS consists of case reports rather than controlled trials.", base) == (
        "supported"
    )
    assert _one("There are no randomised controlled trials of LDN in fibromyalgia so far.", base) == "contradicted"


def test_a_description_with_nothing_checkable_is_not_checkable() -> None:
    assert _one("Most of the participants in the long COVID study of LDN were women.", _covid_base()) == (
        "not-checkable"
    )


def test_a_result_of_a_very_small_randomized_trial_is_weak_support() -> None:
    def trial(n: int) -> Study:
        return _study(
            "cd-small",
            CROHN,
            RCT,
            [Outcome(name="disease activity score", direction="improved")],
            population=Population(n=n),
        )

    text = "In a randomised trial in Crohn's disease, LDN lowered the disease activity score."
    assert _one(text, [trial(14)]) == "supported-weak"
    assert _one(text, [trial(60)]) == "supported"


def test_no_benefit_is_a_null_finding_and_the_majority_is_sweeping() -> None:
    _, late = _fm_trials()
    assert _one("A 2022 trial of LDN in fibromyalgia found no benefit for pain intensity.", [late]) == "supported"
    early, _ = _fm_trials()
    assert _one("LDN relieves fibromyalgia pain for the majority of sufferers.", [early]) == "overstated"


def test_a_safety_claim_naming_no_condition_is_linked_to_every_study_reporting_harms() -> None:
    result = audit_source(
        Source(id="t", kind="article", text="LDN is well tolerated, and headaches are the usual complaint."),
        studies=[*_covid_base(), *_fm_trials()],
        sources=[],
    )
    (claim,) = result.claims
    assert claim.studies == ["covid-prepost"] and claim.verdict == "supported-weak"


def test_remaining_uncertainty_is_a_caveat() -> None:
    text = "Anyone considering LDN should ask a doctor, since its benefits remain uncertain for most conditions."
    assert _one(text, _fm_trials()) == "supported"
