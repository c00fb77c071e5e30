"""General rules added after the independent reading of the seed article (issue 4).

Each test uses its own wording (other conditions, numbers and verbs than the article) so that
the rules, not the article's strings, are what is checked.
"""

from __future__ import annotations

from ldn_atlas.extract import extract_studies
from ldn_atlas.extract.evaluate import study_values
from ldn_atlas.model import Source, Study
from ldn_atlas.sources import text_source


def _article(text: str) -> tuple[Source, list[Study]]:
    src = text_source(text, source_id="rev", kind="article")
    return src, extract_studies(src, infer=False)


def _one(text: str) -> tuple[Source, Study]:
    src = text_source(text, source_id="abs", kind="abstract")
    [study] = extract_studies(src, infer=False)
    return src, study


def _words(src: Source, study: Study, path: str) -> list[str]:
    return [(src.text or "")[s.start : s.end] for s in study.provenance.get(path, [])]


# --- a summary count split between studies -------------------------------------------------------
SPLIT = (
    "Crohn's disease\n\n"
    "Added to standard care, LDN has improved abdominal pain in five patients. Of these, the first three "
    "patients had refractory Crohn's disease for over a decade, and all of them reduced their use of "
    "steroids within weeks.\n\n"
    "Another case series described two patients with fistulising Crohn's disease who healed on LDN."
)


def test_a_summary_count_is_split_when_the_next_study_accounts_for_the_rest() -> None:
    src, studies = _article(SPLIT)
    assert [s.population.n for s in studies] == [3, 2], [s.label for s in studies]
    assert _words(src, studies[0], "population.n") == ["the first three patients"]
    assert any("also covers the next study" in note for note in studies[0].notes)
    assert "(n=3)" in studies[0].label


def test_a_summary_count_is_kept_without_arithmetic_closure() -> None:
    # the first twenty are an arm of the same trial; no later study holds the other twenty
    text = ("Multiple sclerosis\n\nAn open-label trial enrolled 40 patients. The first 20 patients received LDN "
            "for eight weeks and fatigue improved.\n\n"
            "A case report described a patient with MS whose fatigue improved on LDN.")
    _src, studies = _article(text)
    assert [s.population.n for s in studies] == [40, 1]


def test_a_summary_count_is_not_split_across_a_heading() -> None:
    text = ("Crohn's disease\n\nLDN improved pain in three patients. The first two patients had ileal disease.\n\n"
            "Fibromyalgia\n\nAnother case report described a woman with fibromyalgia whose pain improved on LDN.")
    _src, studies = _article(text)
    assert studies[0].population.n == 3


# --- outcome direction is the intervention's effect ---------------------------------------------
def test_a_change_in_the_untreated_disease_is_not_an_outcome() -> None:
    _src, study = _one("In rats with adjuvant arthritis, a rise in serum interleukin-6 was seen before the onset of "
                       "joint swelling. After dosing, naltrexone reduced joint swelling.")
    assert [(o.name, o.direction) for o in study.outcomes] == [("joint swelling", "improved")]
    _src, study = _one("Patients with Crohn's disease showed lower serum enkephalin than healthy controls.")
    assert study.outcomes == []


def test_a_change_beside_treatment_words_is_still_an_outcome() -> None:
    _src, study = _one("Compared with untreated rats, rats treated with naltrexone showed a reduction in paw "
                       "swelling.")
    assert [o.direction for o in study.outcomes] == ["improved"]


def test_less_use_of_other_treatments_is_an_improvement() -> None:
    _src, study = _one("During LDN therapy, 14 patients with fibromyalgia stopped taking opioid analgesics, and "
                       "two patients discontinued using a cane.")
    got = {o.name: o.direction for o in study.outcomes}
    assert got["use of opioid analgesics"] == "improved"
    assert got["use of cane"] == "improved"
    _src, study = _one("In the placebo phase, patients increased their use of rescue medication.")
    assert {o.name: o.direction for o in study.outcomes} == {"use of rescue medication": "worsened"}


def test_responder_outcome_words_include_the_count() -> None:
    src, study = _one("Twenty women took LDN; eleven of them responded and achieved a more than 50% reduction "
                       "in pain.")
    [o] = [o for o in study.outcomes if o.responders]
    assert o.direction == "improved" and (o.responders[0].count, o.responders[0].n) == (11, 20)
    k = study.outcomes.index(o)
    assert any(w.startswith("eleven of them responded") for w in _words(src, study, f"outcomes[{k}]"))


# --- periods only for a study told in phases ------------------------------------------------------
def test_a_single_treatment_length_is_not_a_period() -> None:
    _src, study = _one("Sixty patients with Crohn's disease were given LDN for twelve weeks.")
    assert study.duration_days == 84 and study.periods == []


def test_phases_give_periods_including_treatment() -> None:
    _src, study = _one("Twenty patients had a two-week placebo run-in; then LDN was given for six weeks, with a "
                       "subsequent one-week washout phase.")
    kinds = {(p.kind, p.days) for p in study.periods}
    assert ("treatment", 42) in kinds and ("washout", 7) in kinds


# --- a tally free of adverse events ---------------------------------------------------------------
def test_a_tally_without_adverse_events_is_a_safety_outcome() -> None:
    _src, study = _one("Of 120 patients on LDN, 64% experienced no adverse events and 9% reported headache.")
    assert [(a.name, a.percent) for a in study.adverse_events] == [("headache", 9)]
    [tally] = [o for o in study.outcomes if o.name == "no adverse events"]
    assert tally.direction is None and tally.measures[0].value == 64
    kinds = sorted(k for k, _ in study_values(study)["percentages"])
    assert kinds == [("adverse_event", 9.0, None), ("adverse_event", 64.0, None)]


def test_before_after_comparisons_stay_outcomes() -> None:
    _src, study = _one("Children in the massage group cried less and had less pain than before treatment.")
    assert [o.direction for o in study.outcomes] == ["improved"]
    _src, study = _one("Implanted mice showed a reduction in pain compared to untreated mice.")
    assert [o.direction for o in study.outcomes] == ["improved"]


def test_responder_count_is_the_number_before_the_verb_not_the_group_size() -> None:
    # "Among 20 women" names the denominator; "eleven responded" is the count
    _src, study = _one("Among 20 women, eleven responded with a more than 50% reduction in pain.")
    [o] = [o for o in study.outcomes if o.responders]
    assert (o.responders[0].count, o.responders[0].n) == (11, 20)
    _src, study = _one("Of 30 patients on LDN, 12 (40%) achieved at least a 30% reduction in fatigue.")
    [o] = [o for o in study.outcomes if o.responders]
    assert (o.responders[0].count, o.responders[0].n, o.responders[0].threshold_percent) == (12, 30, 30.0)
