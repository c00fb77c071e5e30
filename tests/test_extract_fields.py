"""Each field reader of ``ldn_atlas.extract.fields`` on its own: values, and spans on the words behind them.

The sentences are invented for these tests.  A reader takes a :class:`ReadContext` (one study's
sentences) and marks the span of every value it returns under the value's field path.
"""

from __future__ import annotations

import pytest

from ldn_atlas.extract.fields import MAX_SENTENCE, ReadContext, StudyReader, read_study
from ldn_atlas.extract.fields.condition import read_condition
from ldn_atlas.extract.fields.context import new_context
from ldn_atlas.extract.fields.design import read_design
from ldn_atlas.extract.fields.doses import read_interventions
from ldn_atlas.extract.fields.durations import read_durations
from ldn_atlas.extract.fields.outcomes import read_outcomes
from ldn_atlas.extract.fields.population import read_population
from ldn_atlas.extract.fields.species import read_species
from ldn_atlas.extract.segment import Segment, split_sentences


def _context(text: str) -> ReadContext:
    sents = split_sentences(text, 0, len(text))
    seg = Segment(sentences=sents, cue=(sents[0].start, sents[0].end), cue_kind="abstract")
    return new_context("t", text, seg, context=[], fallback_conditions=[], inherited=None, single=True)


def _words(c: ReadContext, path: str) -> list[str]:
    return [c.text[s.start : s.end] for s in c.prov.get(path, [])]


def test_species_reads_an_animal_model() -> None:
    c = _context("Twelve rats with experimental autoimmune encephalomyelitis received LDN daily.")
    assert read_species(c) == ("animal", "rat EAE")
    assert _words(c, "species") == ["rats"]
    assert "experimental autoimmune encephalomyelitis" in _words(c, "model")


def test_species_is_human_without_a_cue() -> None:
    c = _context("The dose was raised every week.")
    assert read_species(c) == ("human", None)
    assert "species" not in c.prov


def test_condition_is_the_most_named_one() -> None:
    c = _context("Forty adults with fibromyalgia took LDN. Fibromyalgia pain fell over the trial.")
    cond = read_condition(c)
    assert cond.label == "Fibromyalgia"
    assert [w.lower() for w in _words(c, "condition")] == ["fibromyalgia", "fibromyalgia"]


def test_design_tags_controlled_and_comparator() -> None:
    c = _context("In this randomized, double-blind, placebo-controlled crossover trial, 30 adults took part.")
    tags, controlled, comparator = read_design(c, "human", 30)
    assert tags == ["randomized", "placebo-controlled", "double-blind", "crossover"]
    assert (controlled, comparator) == (True, "placebo")
    assert _words(c, "design[0]") == ["randomized"]
    assert _words(c, "comparator") == ["placebo-controlled"]


def test_design_without_a_control_group() -> None:
    c = _context("We ran an open-label study without a control group in 14 women.")
    tags, controlled, comparator = read_design(c, "human", 14)
    assert "open-label" in tags
    assert (controlled, comparator) == (False, "none")
    assert _words(c, "controlled") == ["without a control group"]


def test_population_counts_sex_and_subgroups() -> None:
    c = _context(
        "A total of 36 women were enrolled and 30 were analysed. "
        "Of them, 40% had relapsing-remitting multiple sclerosis."
    )
    pop = read_population(c, "human")
    assert pop.n == 36
    assert pop.n_enrolled == 36
    assert pop.sex == "female"
    assert _words(c, "population.n") == ["36 women"]
    assert [(g.label, g.percent) for g in pop.subgroups] == [("relapsing-remitting multiple sclerosis", 40.0)]
    assert _words(c, "population.subgroups[0]")[0].startswith("40%")


def test_population_sum_of_two_counts() -> None:
    c = _context("We studied 10 obese and 14 lean patients.")
    pop = read_population(c, "human")
    assert pop.n == 24
    assert _words(c, "population.n") == ["10 obese and 14 lean patients"]


def test_durations_treatment_and_periods() -> None:
    c = _context("After a 2-week washout, patients received LDN for 12 weeks.")
    days, periods, approximate = read_durations(c)
    assert days == 84.0
    assert [(p.kind, p.days) for p in periods] == [("washout", 14.0), ("treatment", 84.0)]
    assert approximate is False
    assert _words(c, "duration_days") == ["12 weeks"]


def test_interventions_dose_and_schedule() -> None:
    c = _context("Patients took 4.5 mg of low-dose naltrexone once daily for eight weeks.")
    [iv] = read_interventions(c, 56.0)
    assert (iv.name, iv.dose_mg, iv.schedule, iv.duration_days) == ("low-dose naltrexone", 4.5, "once daily", 56.0)
    assert _words(c, "interventions[0].name") == ["low-dose naltrexone"]
    assert _words(c, "interventions[0].dose_mg") == ["4.5 mg"]


def test_outcomes_mentions_direction_and_significance() -> None:
    c = _context("Treatment produced a significant reduction in fatigue (p = 0.02).")
    outcomes, adverse = read_outcomes(c, 20)
    [fatigue] = outcomes
    assert (fatigue.name, fatigue.direction, fatigue.significant, fatigue.p) == ("fatigue", "improved", True, 0.02)
    assert _words(c, "outcomes[0].p") == ["p = 0.02"]
    assert adverse == []


def test_outcomes_bind_arm_values() -> None:
    c = _context("The reduction in pain was 12.5% and 31.0% on placebo and LDN, respectively.")
    outcomes, _ = read_outcomes(c, None)
    pain = next(o for o in outcomes if o.measures)
    assert pain.name == "reduction in pain"
    assert [(m.arm, m.kind, m.value) for m in pain.measures] == [
        ("placebo", "percent-change", 12.5),
        ("ldn", "percent-change", 31.0),
    ]
    assert pain.direction == "improved"  # the larger reduction is LDN's
    assert _words(c, "outcomes[1].measures[1].value") == ["31.0%"]


def test_outcomes_adverse_events_and_responders() -> None:
    c = _context(
        "Overall, 15% reported vivid dreams. "
        "Among 20 women, eleven achieved at least a 30% reduction in pain scores."
    )
    outcomes, adverse = read_outcomes(c, 20)
    assert [(a.name, a.percent) for a in adverse] == [("vivid dreams", 15.0)]
    assert _words(c, "adverse_events[0]") == ["15% reported vivid dreams"]
    [r] = [r for o in outcomes for r in o.responders]
    assert (r.threshold_percent, r.count, r.n) == (30.0, 11, 20)


def test_outcomes_skip_the_untreated_state() -> None:
    c = _context("Before any symptoms were observed, cytokine levels showed an increase in the mice.")
    assert read_outcomes(c, None) == ([], [])


def test_study_reader_facade_reads_like_read_study() -> None:
    text = "In a pilot trial, 12 patients with Crohn's disease took LDN 4.5 mg daily for 12 weeks."
    c = _context(text)
    study = read_study("t", text, c.seg, 1, context=[], fallback_conditions=[], single=True)
    reader = StudyReader("t", text, c.seg, context=[], fallback_conditions=[], inherited=None, single=True)
    assert reader.species() == (study.species, study.model)
    assert reader.condition() == study.condition
    assert reader.population(study.species).n == study.population.n == 12
    assert study.label == "pilot trial in Crohn's disease (n=12)"
    assert {s.start for s in study.provenance["population.n"]} == {text.index("12 patients")}


@pytest.mark.parametrize("length", [MAX_SENTENCE, MAX_SENTENCE + 1])
def test_context_reads_prose_length_sentences_only(length: int) -> None:
    c = _context("a" * length)
    assert len(c.iter()) == (1 if length <= MAX_SENTENCE else 0)
