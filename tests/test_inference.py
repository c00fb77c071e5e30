"""Evidence inference: sentence splitting, cue parsing, the API contract, determinism, pathological input.

Every abstract and sentence here is written for these tests (no corpus text).
"""

from __future__ import annotations

import time

import pytest

from ldn_atlas.errors import InputError
from ldn_atlas.extract import Evidence, Inference, infer_effect, infer_effects
from ldn_atlas.extract.inference import LABELS
from ldn_atlas.extract.inference_features import (
    RANK_FEATURES,
    label_feature_dict,
    prepare_abstract,
    prepare_prompt,
    ranking_features,
)
from ldn_atlas.extract.inference_text import parse_abstract, split_sentences, stem

ABSTRACT = """TITLE:
Low-dose naltrexone for fibromyalgia pain: a made-up crossover trial

ABSTRACT.BACKGROUND:
Fibromyalgia causes widespread pain (Smith et al. 2001). We tested low-dose naltrexone (LDN).

ABSTRACT.METHODS:
Thirty women received LDN 4.5 mg or placebo for 12 wk. in random order, e.g. LDN first.

ABSTRACT.RESULTS:
Daily pain scores were significantly lower with LDN than with placebo (28.8% vs. 18.0%, p = 0.016).
Sleep quality did not differ between LDN and placebo (p = 0.45).
Serum ferritin was higher in the placebo period than in the LDN period (P < .001).
The odds of a 30% response were higher with LDN (OR 2.4, 95% CI 1.3-4.5).
Fatigue was similar in both periods (mean difference 0.2, 95% CI -0.4 to 0.8).

ABSTRACT.CONCLUSIONS:
LDN reduced pain in this made-up trial.
"""


def _sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


# ----------------------------------------------------------------------------- sentence splitting
def test_splitter_keeps_decimals_abbreviations_and_p_values() -> None:
    text = ("Pain fell vs. placebo (p < 0.05). Smith et al. found a 95% CI 1.2-3.4 and P = .03 overall. "
            "Dr. Jones saw e.g. fewer falls. The end.")
    assert _sentences(text) == [
        "Pain fell vs. placebo (p < 0.05).",
        "Smith et al. found a 95% CI 1.2-3.4 and P = .03 overall.",
        "Dr. Jones saw e.g. fewer falls.",
        "The end.",
    ]


def test_splitter_does_not_split_inside_brackets_or_before_lowercase() -> None:
    text = "Scores improved (see Fig. 2. Table 3 too) in the LDN arm. then more text. Next one."
    assert _sentences(text) == ["Scores improved (see Fig. 2. Table 3 too) in the LDN arm. then more text.",
                                "Next one."]


def test_parse_abstract_sections_and_spans() -> None:
    doc = parse_abstract(ABSTRACT)
    for s in doc.sentences:
        assert ABSTRACT[s.start : s.end] == s.text
        assert not s.text.startswith("ABSTRACT.")
    sections = {s.section for s in doc.sentences}
    assert sections == {"title", "background", "methods", "results", "conclusions"}
    results = [s.text for s in doc.sentences if s.section == "results"]
    assert len(results) == 5
    assert results[0].startswith("Daily pain scores")


def test_inline_headers_set_the_section() -> None:
    doc = parse_abstract("Objective. To test things.\nResults. Pain was lower with LDN (p=0.01).\n")
    assert [(s.section, s.text) for s in doc.sentences] == [
        ("background", "To test things."), ("results", "Pain was lower with LDN (p=0.01).")]


def test_stemmer_conflates_inflections() -> None:
    assert stem("reduced") == stem("reduces") == stem("reduction")[: len(stem("reduced"))]
    assert stem("increases") == stem("increased")
    assert stem("patients") == stem("patient")


# ----------------------------------------------------------------------------- cue features
def _features(sentence: str, intervention: str = "LDN", comparator: str = "placebo", outcome: str = "pain"):
    pa = prepare_abstract(sentence)
    return label_feature_dict(sentence, prepare_prompt(pa, intervention, comparator, outcome))


@pytest.mark.parametrize(
    ("sentence", "sig", "ns"),
    [
        ("Pain was lower with LDN (p<0.05).", 1, 0),
        ("Pain was lower with LDN (P = .03).", 1, 0),
        ("Pain was lower with LDN (p = 0.003).", 1, 0),
        ("Pain did not change with LDN (p=NS).", 0, 1),
        ("Pain did not change with LDN (P = 0.41).", 0, 1),
        ("Pain was lower with LDN (p < 1 x 10-4).", 1, 0),
    ],
)
def test_p_values_are_parsed(sentence: str, sig: int, ns: int) -> None:
    f = _features(sentence)
    assert f["p_sig"] == sig
    assert f["p_ns"] == ns


def test_confidence_intervals_ratio_vs_difference() -> None:
    assert _features("The odds of pain relief were higher with LDN (OR 2.4, 95% CI 1.3-4.5).")["ci_excl"] == 1
    assert _features("The odds of pain relief were similar with LDN (OR 1.4, 95% CI 0.8-2.5).")["ci_incl"] == 1
    assert _features("Pain differed by -1.2 points (mean difference, 95% CI -2.0 to -0.4).")["ci_excl"] == 1
    assert _features("Pain differed by 0.2 points (mean difference, 95% CI -0.4 to 0.8).")["ci_incl"] == 1


def test_negation_cues() -> None:
    assert _features("Pain did not differ between LDN and placebo.")["s_neg_cue"] > 0
    assert _features("There was no significant difference in pain.")["s_sig_neg"] == 1
    assert _features("Pain was significantly lower with LDN.")["s_sig_neg"] == 0


def test_direction_is_resolved_against_the_arms() -> None:
    plain = _features("Pain was lower in the LDN group than in the placebo group.")
    swapped = _features("Pain was lower in the placebo group than in the LDN group.")
    assert plain["dir_down_res"] > 0 and plain["flip"] == 0
    assert swapped["dir_up_res"] > 0 and swapped["flip"] == 1
    before = _features("Compared with the placebo group, the LDN group had lower pain.")
    assert before["dir_down_res"] > 0


def test_values_are_assigned_to_arms() -> None:
    f = _features("Pain scores were 3.1 in the LDN group versus 5.4 in the placebo group (p = 0.01).")
    assert f.get("num_down_arms") == 1
    g = _features("Pain scores were 5.4 and 3.1 with placebo and LDN, respectively (p = 0.01).")
    assert g.get("num_down_arms") == 1


@pytest.mark.parametrize(
    ("sentence", "key"),
    [
        # The subject arm of the values' clause takes the first of a "vs" pair; the comparator is
        # named only in an earlier clause.
        ("Pain did not differ at week 2 between LDN and placebo, whereas the LDN group had less pain at "
         "week 8 (2.9 ± 1.1 vs. 4.6 ± 1.8, p = 0.02).", "num_down_arms"),
        # "A versus B: a vs b" keeps the order in which the arms were named.
        ("There was a significant difference for the LDN versus placebo comparison of mean pain relief: "
         "61.2 (12.0) vs 30.5 (14.1); p < 0.001.", "num_up_arms"),
        # Group sizes are not outcome values.
        ("The 18 patients given LDN reported lower pain (3.2 points) than the 42 placebo patients "
         "(5.0 points; p = 0.01).", "num_down_arms"),
        # A second dose of the intervention joined by "and" stays with the intervention.
        ("Larger reductions in pain were seen with LDN 3 (-35.5%) and 4.5 mg (-43.7%) versus placebo (-6.1%; "
         "p < 0.01).", "num_down_arms"),
        # The comparator named far from the values does not take them.
        ("LDN treatment reduced pain (2.20 ± 0.45 vs. 2.63 ± 0.76, P = 0.027), while other outcomes in "
         "the trial, as described for the placebo group in the methods, were not analysed for this "
         "report of a long and winding abstract sentence.", "num_down_arms"),
        # Two values joined by "and", each followed by its group, with only one arm's name known:
        # the named arm takes the value next to it.
        ("After eight weeks the pain score was 6.2 ± 1.5 in the study group, and 4.1 ± 1.2 in the placebo "
         "group, with a significant difference (P = 0.01).", "num_up_arms"),
        # A threshold ("at least 50%", "more than 30%") is not an arm's value.
        ("Pain was reduced by at least 50% in 12 LDN patients, with mean scores of 2.8 versus 3.9 with "
         "placebo (p = 0.01).", "num_down_arms"),
    ],
)
def test_paired_values_follow_the_arms(sentence: str, key: str) -> None:
    f = _features(sentence)
    assert f.get(key) == 1, {k: v for k, v in f.items() if k.startswith("num_")}


@pytest.mark.parametrize("outcome", ["negative mood", "tension", "anger", "dependence on caregivers",
                                     "dizziness handicap", "arrhythmia", "chief complaints"])
def test_improvement_in_a_bad_outcome_is_a_decrease(outcome: str) -> None:
    sentence = f"The LDN group showed a significant improvement in {outcome} compared with placebo (p = 0.01)."
    f = _features(sentence, outcome=outcome)
    assert f.get("good_res_badout") == 1, {k: v for k, v in f.items() if "res" in k}


def test_direction_words_that_are_not_comparisons() -> None:
    # An arm named "high dose" is not a direction word; "higher" in its clause is.
    f = _features("Pain was lower in the high dose LDN group than with placebo.")
    assert [k for k in f if k.startswith("dw:")] == ["dw:lower|0"]
    # "less than 0.05" is a threshold, "more than 20%" a quantity.
    g = _features("Pain was reduced by more than 20% with LDN compared with placebo (P less than 0.05).")
    assert [k for k in g if k.startswith("dw:")] == ["dw:reduc|0"] and g["dir_net_res"] < 0
    # "reduced pain more than placebo": the post-posed modifier belongs to the verb.
    h = _features("LDN reduced the mean pain score more than placebo did (p = 0.01).")
    assert h["dir_net_res"] < 0 and h["dir_up"] == 0


def test_interval_level_after_the_label_is_not_a_bound() -> None:
    f = _features("Pain changed by -1.2 points with LDN versus placebo (CI 95% -2.0 to -0.4).")
    assert f["ci_excl"] == 1 and f["ci_dir"] == -1


def test_interval_direction_only_for_signed_contrasts() -> None:
    # An unsigned magnitude with a word: the word gives the direction, not the interval.
    f = _features("LDN gave a 30% (95% CI 12 to 45) reduction in pain compared with placebo.")
    assert f["ci_excl"] == 1 and f["ci_dir"] == 0
    # One interval per arm is not a contrast.
    g = _features("Pain was 4.1 (95% CI 3.2-5.0) with LDN versus 6.3 (95% CI 5.5-7.1) with placebo.")
    assert g["ci_dir"] == 0
    # A list of ratios: the later intervals are ratios too.
    h = _features("The rate ratio of pain flares was 0.5 (95% CI 0.3-0.8) at week 4 of the trial "
                  "in the whole sample, and 0.6 (95% CI 0.4-0.9) at week 8 with LDN.")
    assert h["ci_dir"] == -1
    # "(95% CI) = estimate [interval]".
    k = _features("Odds ratio of pain relief with LDN (95% CI) = 2.5 [1.4-4.1].")
    assert k["ci_excl"] == 1 and k["ci_dir"] == 1


def test_hazard_ratio_below_one_lengthens_survival() -> None:
    sentence = "LDN prolonged survival compared with placebo (HR 0.6, 95% CI 0.4-0.8)."
    assert _features(sentence, outcome="overall survival")["ci_dir"] == 1
    assert _features(sentence, outcome="death")["ci_dir"] == -1


def test_earlier_and_lesser_are_decreases() -> None:
    f = _features("Time to discharge was earlier with LDN than with placebo (p = 0.02).", outcome="time to discharge")
    assert f["dir_net_res"] < 0
    g = _features("Pain was significantly lesser with LDN than with placebo.")
    assert g["dir_net_res"] < 0


def test_arms_that_differ_only_in_dose() -> None:
    sentence = "Pain was significantly lower with 4.5 mg compared to 1.5 mg naltrexone (p = 0.01)."
    f = _features(sentence, intervention="4.5 mg naltrexone", comparator="1.5 mg naltrexone")
    assert f["flip"] == 0 and f["dir_net_res"] < 0
    g = _features(sentence, intervention="1.5 mg naltrexone", comparator="4.5 mg naltrexone")
    assert g["flip"] == 1 and g["dir_net_res"] > 0


def test_evaluative_word_before_the_outcome_window() -> None:
    sentence = ("Adding LDN to the usual analgesic regimen of the study clinic was significantly superior to "
                "placebo for the relief of morning stiffness, of fatigue and of pain (p < 0.05).")
    f = _features(sentence)
    assert f.get("good_res_badout") == 1 and f.get("eval_dir") == -1
    g = _features("LDN improved sleep quality compared with placebo (p = 0.02).", outcome="sleep quality")
    assert g.get("good_res") == 1 and g.get("eval_dir") == 1


# ----------------------------------------------------------------------------- the API
@pytest.mark.parametrize(
    ("outcome", "label", "starts"),
    [
        ("daily pain scores", "significantly decreased", "Daily pain scores"),
        ("sleep quality", "no significant difference", "Sleep quality"),
        ("serum ferritin", "significantly decreased", "Serum ferritin"),
        ("30% response", "significantly increased", "The odds of a 30% response"),
        ("fatigue", "no significant difference", "Fatigue"),
    ],
)
def test_infer_effect_on_a_written_abstract(outcome: str, label: str, starts: str) -> None:
    r = infer_effect(ABSTRACT, "low-dose naltrexone (LDN)", "placebo", outcome)
    assert isinstance(r, Inference)
    assert r.label == label
    assert isinstance(r.evidence, Evidence)
    assert str(r.evidence).startswith(starts)
    assert ABSTRACT[r.evidence.start : r.evidence.end] == r.evidence.text
    assert 0.0 <= r.confidence <= 1.0
    assert r.confidence == max(r.probabilities.values())
    assert set(r.probabilities) == set(LABELS)
    assert abs(sum(r.probabilities.values()) - 1.0) < 1e-9
    assert r.significant == (label != "no significant difference")
    assert r.sign == {"significantly increased": 1, "significantly decreased": -1}.get(label, 0)


def test_infer_effects_batch_accepts_mappings_and_tuples() -> None:
    prompts = [
        {"abstract": ABSTRACT, "intervention": "LDN", "comparator": "placebo", "outcome": "sleep quality"},
        (ABSTRACT, "LDN", "placebo", "daily pain scores"),
    ]
    out = infer_effects(prompts)
    assert [r.label for r in out] == ["no significant difference", "significantly decreased"]
    assert out[0] == infer_effect(ABSTRACT, "LDN", "placebo", "sleep quality")


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="abstract is empty"):
        infer_effect("   ", "LDN", "placebo", "pain")
    with pytest.raises(InputError, match="outcome must be a string"):
        infer_effect(ABSTRACT, "LDN", "placebo", None)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="prompt 1 lacks outcome"):
        infer_effects([(ABSTRACT, "LDN", "placebo", "pain"), {"abstract": ABSTRACT, "intervention": "LDN",
                                                               "comparator": "placebo"}])
    with pytest.raises(InputError, match="unknown evidence-inference method"):
        infer_effect(ABSTRACT, "LDN", "placebo", "pain", method="magic")


def test_determinism() -> None:
    args = (ABSTRACT, "LDN", "placebo", "serum ferritin")
    first = infer_effect(*args)
    from ldn_atlas.extract.inference import clear_cache

    clear_cache()
    for _ in range(3):
        assert infer_effect(*args) == first


def test_pathological_input_is_fast() -> None:
    blob = ("1234567890-" * 95_000)[:1_000_000]
    t0 = time.perf_counter()
    r = infer_effect(blob, "12-34", "5-6", "7890-1234")
    assert time.perf_counter() - t0 < 2.0
    assert r.label in LABELS
    t0 = time.perf_counter()
    r = infer_effect("p" + "-" * 500_000 + "1." * 200_000, "1-1", "2", "3.3")
    assert time.perf_counter() - t0 < 2.0
    assert r.label in LABELS


@pytest.mark.parametrize(
    ("sentence", "trend"),
    [
        ("Fatigue showed a trend towards improvement with LDN compared with placebo (p = 0.07).", 1.0),
        ("Fatigue tended to be lower in the LDN group than in the placebo group.", 1.0),
        ("The difference in fatigue was of borderline significance (p = 0.06).", 1.0),
        ("The reduction in fatigue with LDN failed to reach statistical significance.", 1.0),
        ("Fatigue was lower with LDN than with placebo (p = 0.01).", 0.0),
    ],
)
def test_trend_cue_marks_a_difference_short_of_significance(sentence: str, trend: float) -> None:
    f = _features(sentence, outcome="fatigue")
    assert f["has_anchor"] == 1
    assert f["trend_c"] == trend
    assert f["trend_w"] == trend


@pytest.mark.parametrize(
    "sentence",
    [
        "Pain fell significantly in both groups (p < 0.01 for each), but was not different between the groups.",
        "Pain decreased from baseline in the LDN and placebo arms (both p < 0.001), with no difference "
        "between arms (p = 0.52).",
        "Pain improved significantly in both groups; the difference between the two treatments was not "
        "significant (p = 0.4).",
    ],
)
def test_within_arm_significance_does_not_count_against_a_null_between_arms(sentence: str) -> None:
    f = _features(sentence)
    assert f["within_then_between_ns"] == 1
    assert f["p_sig"] == 0 and f["sig_total"] == 0 and f["c_clean_sig"] == 0


def test_between_arm_significance_after_within_changes_is_kept() -> None:
    f = _features("Pain fell in both groups, but more with LDN than with placebo (p = 0.01).")
    assert f["within_then_between_ns"] == 0
    assert f["p_sig"] == 1


def test_p_equal_to_005_counts_as_significant() -> None:
    f = _features("Pain was reduced by 20% with LDN compared with placebo (p = 0.05).")
    assert f["p_sig"] == 1 and f["p_all_sig"] == 1 and f["p_near_sig"] == 1 and f["c_p_sig"] == 1
    g = _features("Pain was reduced by 20% with LDN compared with placebo (p = 0.06).")
    assert g["p_sig"] == 0 and g["p_near_ns"] == 1


@pytest.mark.parametrize(("outcome", "near_sig"), [("pain", 1.0), ("fatigue", 0.0), ("sleep quality", 1.0)])
def test_p_value_list_follows_the_outcome_list(outcome: str, near_sig: float) -> None:
    # "A, B and C ... (p = a, b and c, respectively)": each outcome takes the p-value in its position.
    sentence = ("Pain, fatigue and sleep quality were better with LDN than with placebo "
                "(p = 0.01, 0.40 and 0.002, respectively).")
    f = _features(sentence, outcome=outcome)
    assert f["p_resp"] == 1 and f["p_near_sig"] == near_sig and f["c_p_sig"] == near_sig
    # The bare values of the list are p-values too.
    g = _features("Pain and fatigue fell more with LDN than with placebo (P = 0.30 and 0.40).", outcome="fatigue")
    assert g["p_all_ns"] == 1 and g["p_resp"] == 0


def test_a_comma_before_a_negated_verdict_opens_a_clause() -> None:
    # The null verdict after the comma is about other outcomes, not about pain.
    sentence = ("Pain fell more with LDN than with placebo (p = 0.002), no differences were seen "
                "in fatigue or sleep quality.")
    f = _features(sentence)
    assert f["c_p_sig"] == 1 and f["c_clean_sig"] == 1 and f["c_neg_cue"] == 0
    g = _features(sentence, outcome="fatigue")
    assert g["c_p_sig"] == 0 and g["c_neg_cue"] > 0


def test_anchor_ties_go_to_the_compact_mention() -> None:
    # Both mentions hold every outcome word within 8 tokens; the second names the outcome compactly.
    sentence = ("No difference was found for the score of pain at rest or the fatigue at night in the first "
                "week, but pain at night fell more with LDN than with placebo (p = 0.01).")
    f = _features(sentence, outcome="pain at night")
    assert f["c_p_sig"] == 1 and f["c_neg_cue"] == 0


def test_ranking_reads_outcome_abbreviations_and_within_group_changes() -> None:
    abstract = (
        "BACKGROUND: Low-dose naltrexone (LDN) may ease fatigue. "
        "RESULTS: Fatigue severity scores improved in both groups over eight weeks. "
        "The FSS was lower with LDN than with placebo (p = 0.02)."
    )
    pa = prepare_abstract(abstract)
    pp = prepare_prompt(pa, "low-dose naltrexone", "placebo", "fatigue severity score (FSS)")
    rows = ranking_features(pa, pp)
    alias = RANK_FEATURES.index("out_alias")
    within = RANK_FEATURES.index("within_group")
    texts = [info.sentence.text for info in pa.infos]
    i_long = next(i for i, t in enumerate(texts) if "both groups" in t)
    i_abbr = next(i for i, t in enumerate(texts) if "FSS" in t)
    # "FSS" alone names the whole outcome "fatigue severity score (FSS)".
    assert rows[i_abbr][alias] == pytest.approx(1.0)
    assert rows[i_long][alias] == pytest.approx(1.0)
    # A change within each arm is flagged, a between-arm comparison is not.
    assert rows[i_long][within] == 1.0 and rows[i_abbr][within] == 0.0


def test_duration_values_are_not_time_points() -> None:
    sentence = ("Median time to pain relief was 30 minutes (20-45 minutes) for LDN recipients and "
                "55 minutes (40-70 minutes) for placebo recipients (p = 0.01).")
    f = _features(sentence, outcome="time to pain relief")
    assert f.get("num_down_arms") == 1, {k: v for k, v in f.items() if k.startswith("num_")}
    # A time point ("at 12 weeks") is still not a value.
    f = _features("At 12 weeks pain was lower with LDN than with placebo.", outcome="time to pain relief")
    assert not f.get("num_up_arms") and not f.get("num_down_arms")


def test_p_value_with_a_slash_for_the_decimal_point() -> None:
    # "p = 0/03" writes 0.03 with a slash; "p = 0/40" is 0.40.
    sig = _features("Fatigue scores were lower in the LDN group than in the placebo group (p = 0/03).")
    assert sig.get("p_sig") == 1 and sig.get("p_ns") == 0, sig
    ns = _features("Fatigue scores did not differ between the LDN and placebo groups (p = 0/40).")
    assert ns.get("p_ns") == 1 and ns.get("p_sig") == 0, ns


def test_direction_word_before_a_long_outcome_window() -> None:
    # The direction word opens the clause, more than ten tokens before the outcome it governs.
    sentence = ("Per-protocol analyses showed a greater decrease for the LDN group in pain, fatigue, insomnia, "
                "anxiety, depression, daytime sleepiness, nausea and unmet care needs (P = .03) compared with placebo.")
    f = _features(sentence, outcome="unmet care needs")
    assert f["dir_down_res"] > 0 and f["dir_up_res"] == 0 and f["dir_net_res"] < 0


@pytest.mark.parametrize(
    ("sentence", "intervention", "key"),
    [
        # Only the comparator is named: it takes the value next to it, not the first one.
        ("Pain scores were 3.1 [range 1–6] in the treated patients vs. 5.4 [range 2–9] in the placebo arm "
         "(p = 0.01).", "LDN", "num_down_arms"),
        ("Pain scores were 5.4 [range 2–9] in the placebo arm vs. 3.1 [range 1–6] in the treated patients "
         "(p = 0.01).", "LDN", "num_down_arms"),
        # Only the intervention is named, after the comparator's value.
        ("Pain was higher in Group 2 (5.1 [0.4]) as compared with naltrexone (3.2 [0.5]) (P = 0.001).",
         "low-dose naltrexone", "num_down_arms"),
    ],
)
def test_a_single_named_arm_takes_the_value_next_to_it(sentence: str, intervention: str, key: str) -> None:
    f = _features(sentence, intervention=intervention, comparator="usual care")
    assert f.get(key) == 1, {k: v for k, v in f.items() if k.startswith("num_")}


@pytest.mark.parametrize(("sentence", "sign"), [
    ("As compared with placebo, low dose naltrexone tablets were associated with reduced pain scores (p = 0.01).", -1),
    ("Compared with placebo, low dose naltrexone tablets given nightly increased pain thresholds (p = 0.02).", 1),
    ("Compared with low dose naltrexone tablets, placebo was associated with higher pain scores (p = 0.01).", -1),
])
def test_marker_before_the_verb_names_the_reference_arm(sentence: str, sign: int) -> None:
    # The arm right after a leading "compared with" is the reference, even when the subject arm
    # that follows it has more words.
    f = _features(sentence, intervention="low dose naltrexone tablets", outcome="pain scores")
    assert f["resolved"] == 1 and f["dir_net_res"] * sign > 0, f


@pytest.mark.parametrize(("sentence", "key"), [
    ("Mean pain was 3·1 with LDN versus 3·3 with placebo (difference −0·2, 95% CI −0·9 to 0·5; p=0·58).", "p_ns"),
    ("Mean pain was 2·4 with LDN versus 4·1 with placebo (p=0·003).", "p_sig"),
])
def test_raised_decimal_points_are_read_as_decimals(sentence: str, key: str) -> None:
    # Lancet style writes the decimal point as a raised dot; the p-value must still be read.
    f = _features(sentence)
    assert f.get(key) == 1, f
    assert f.get("p_any") == 1


@pytest.mark.parametrize(("intervention", "comparator", "sign"), [
    ("low-dose naltrexone", "placebo", -1),
    ("placebo", "low-dose naltrexone", 1),
])
def test_group_labels_defined_in_the_abstract_name_the_arms(intervention: str, comparator: str, sign: int) -> None:
    # The results name the arms only by labels the methods define ("group A received ...").
    abstract = ("ABSTRACT.METHODS:\nForty women with fibromyalgia were randomised: group A received low-dose "
                "naltrexone 4.5 mg nightly and group B received an identical placebo capsule.\nABSTRACT.RESULTS:\n"
                "Pain scores fell further in group A than in group B (p = 0.01).")
    sentence = "Pain scores fell further in group A than in group B (p = 0.01)."
    pp = prepare_prompt(prepare_abstract(abstract), intervention, comparator, "pain scores")
    f = label_feature_dict(sentence, pp)
    assert f["resolved"] == 1 and f["dir_net_res"] * sign > 0, f


@pytest.mark.parametrize(("sentence", "outcome", "key"), [
    ("Pain differed significantly between the LDN and placebo groups (p = 0.01).", "pain", "nodir_sig_badout"),
    ("Quality of life differed significantly between the LDN and placebo groups (p = 0.01).", "quality of life",
     "nodir_sig_goodout"),
    ("Pain was lower with LDN than with placebo (p = 0.01).", "pain", None),
    ("Pain did not differ between the LDN and placebo groups (p = 0.41).", "pain", None),
])
def test_outcome_polarity_prior_only_for_a_significant_result_with_no_direction(sentence: str, outcome: str,
                                                                               key: str | None) -> None:
    f = _features(sentence, outcome=outcome)
    fired = {k for k in ("nodir_sig_badout", "nodir_sig_goodout") if f.get(k)}
    assert fired == ({key} if key else set()), f


@pytest.mark.parametrize("outcome", ["LDL cholesterol", "systolic blood pressure", "HbA1c", "body weight"])
def test_lower_is_better_biomarkers_read_as_outcomes_to_reduce(outcome: str) -> None:
    # "improved" for an outcome trials aim to lower means it went down; with no cue, the prior says so too.
    improved = _features(f"{outcome} improved significantly more with LDN than with placebo (p = 0.01).",
                         outcome=outcome)
    assert improved.get("eval_dir") == -1, improved
    differed = _features(f"{outcome} differed significantly between the LDN and placebo groups (p = 0.01).",
                         outcome=outcome)
    assert differed.get("nodir_sig_badout") == 1, differed


def test_html_character_references_in_the_prompt_are_decoded() -> None:
    # Prompt fields copied from web pages carry "&nbsp;" or a twice-escaped "&amp;lt;": the
    # entity names must not become arm or outcome words, and the decoded prompt reads the same
    # as the plain one.
    pa = prepare_abstract("Pain fell more with LDN 4.5 mg than with placebo (p = 0.01).")
    escaped = prepare_prompt(pa, "LDN 4.5&nbsp;mg", "placebo &amp;amp; usual care", "pain &lt; 3 points")
    plain = prepare_prompt(pa, "LDN 4.5\u00a0mg", "placebo & usual care", "pain < 3 points")
    words = set(escaped.intervention) | set(escaped.comparator) | set(escaped.outcome)
    assert not words & {"nbsp", "amp", "lt"}, words
    assert escaped == plain


def test_calibration_summary_by_hand() -> None:
    import math

    from ldn_atlas.extract.inference_eval import calibration

    # Bins [0.9, 1]: confidences 0.95, 0.95 (one right) -> gap |0.95 - 0.5| = 0.45, share 0.5;
    # [0.6, 0.7): 0.65 (right) -> gap 0.35, share 0.25; [0.4, 0.5): 0.45 (wrong) -> gap 0.45, share 0.25.
    cal = calibration([0.95, 0.95, 0.65, 0.45], [True, False, True, False], threshold=0.75)
    assert math.isclose(cal.ece, 0.5 * 0.45 + 0.25 * 0.35 + 0.25 * 0.45)
    assert cal.confident_share == 0.5 and cal.confident_accuracy == 0.5 and cal.unconfident_accuracy == 0.5
    # A perfectly calibrated set: every bin's accuracy equals its confidence.
    perfect = calibration([1.0, 1.0, 0.5, 0.5], [True, True, True, False])
    assert perfect.ece == 0.0 and perfect.confident_accuracy == 1.0
    empty = calibration([], [])
    assert math.isnan(empty.ece) and empty.to_dict()["ece"] is None
    with pytest.raises(ValueError, match="differ in length"):
        calibration([0.9], [True, False])
