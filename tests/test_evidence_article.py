"""The twelve studies of the source article: every span holds its number or words.

The article is read from ``../shared`` at test time (never shipped).  For each
numeric field of each article study there must be a span, and the text under
the span must state that number: in digits ("40 patients", "87%"), in words
("ten women", "six sufferers", "a patient") or as a duration that converts to
the stored days ("six months" -> 182.64, "seventeen-week" -> 119).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ldn_atlas.model.evidence import Study
from ldn_atlas.store.evidence_files import load_evidence, load_sources

ARTICLE_SOURCE = "article-8ba770466c0a1f04"
ARTICLE_STUDIES = {
    "article-ms-pilot",
    "article-ms-chart-review",
    "article-ms-17wk-trial",
    "article-ms-8wk-trial",
    "article-eae-ogf-decline",
    "article-invitro-bt-cells",
    "article-eae-earlier",
    "article-ms-serum-ogf",
    "article-fm-pilot",
    "article-fm-cytokines",
    "article-crps-case-series",
    "article-crps-comorbid-case",
}

# ----------------------------------------------------------------------------- number words

_UNITS = {
    "zero": 0,
    "one": 1,
    "single": 1,
    "two": 2,
    "couple": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_DAYS_PER = {"day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25}
# "a patient" states one; "a standard model" does not
_ONE_OF = {"patient", "case", "person", "woman", "man", "subject", "child", "single"}
_TOKEN = re.compile(r"\d+(?:[.,]\d+)?|[a-z]+")


def numbers_in(text: str) -> list[tuple[float, str | None]]:
    """Every number stated in ``text`` and the duration unit that follows it, if any.

    Digits and English number words up to ninety-nine ("seventeen", "forty-two",
    "a couple", "a patient"); hyphenated compounds such as "seventeen-week-long"
    are split into words.

    >>> numbers_in("ten women")
    [(10.0, None)]
    >>> numbers_in("seventeen-week long")
    [(17.0, 'week')]
    >>> numbers_in("median period of 804 days")
    [(804.0, 'day')]
    """
    tokens = _TOKEN.findall(text.lower().replace("\u2019", "'"))
    found: list[tuple[float, str | None]] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        value: float | None = None
        if tok[0].isdigit():
            value = float(tok.replace(",", ""))
        elif tok in _TENS:
            value = float(_TENS[tok])
            if i + 1 < len(tokens) and tokens[i + 1] in _UNITS and _UNITS[tokens[i + 1]] < 10:
                value += _UNITS[tokens[i + 1]]
                i += 1
        elif tok in ("a", "an"):
            following = tokens[i + 1] if i + 1 < len(tokens) else ""
            if following == "couple":
                value, i = 2.0, i + 1
            elif following in _ONE_OF:
                value = 1.0
        elif tok in _UNITS:
            value = float(_UNITS[tok])
        if value is not None:
            unit = None
            for follow in tokens[i + 1 : i + 3]:
                stem = follow.rstrip("s")
                if stem in _DAYS_PER:
                    unit = stem
                    break
                if follow not in ("of", "long", "initial"):
                    break
            found.append((value, unit))
        i += 1
    return found


def states_number(text: str, value: float, *, days: bool) -> bool:
    """Whether ``text`` states ``value`` (for a day field: after converting its unit to days)."""
    for number, unit in numbers_in(text):
        candidates = [number]
        if days and unit is not None:
            candidates.append(number * _DAYS_PER[unit])
        if any(math.isclose(c, value, rel_tol=0, abs_tol=0.011) for c in candidates):
            return True
    return False


def test_number_word_parser() -> None:
    assert numbers_in("eight female patients") == [(8.0, None)]
    assert numbers_in("a patient with multiple comorbidities")[0] == (1.0, None)
    assert numbers_in("a standard MS model") == []
    assert numbers_in("initial couple weeks of placebo") == [(2.0, "week")]
    assert numbers_in("six months") == [(6.0, "month")]
    assert numbers_in("forty-two years") == [(42.0, "year")]
    assert states_number("six months", 182.64, days=True)
    assert not states_number("six months", 182.64, days=False)
    assert states_number("87% had relapsing-remitting MS", 87, days=False)
    assert not states_number("seventeen-week long", 56, days=True)
    assert not states_number("ten women", 8, days=False)


# ----------------------------------------------------------------------------- helpers


def numeric_fields(value: Any, path: str = "") -> Iterator[tuple[str, float]]:
    """``(field path, number)`` for every int/float leaf of a dumped study (not provenance)."""
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, int | float):
        yield path, float(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            if not path and key in ("provenance", "verification", "citation"):
                continue
            yield from numeric_fields(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from numeric_fields(item, f"{path}[{index}]")


def _is_days(path: str) -> bool:
    return path.endswith("days")


@pytest.fixture(scope="module")
def article_text(article_path: Path) -> str:
    with open(article_path, encoding="utf-8") as handle:
        return handle.read()


@pytest.fixture(scope="module")
def article_studies() -> list[Study]:
    return [s for s in load_evidence() if s.source == ARTICLE_SOURCE]


# ----------------------------------------------------------------------------- tests


def test_the_twelve_article_studies_are_present(article_studies: list[Study]) -> None:
    assert {s.id for s in article_studies} == ARTICLE_STUDIES


def test_sha256_matches_the_article(article_text: str) -> None:
    source = next(s for s in load_sources() if s.id == ARTICLE_SOURCE)
    assert source.kind == "article"
    assert source.text is None, "the article's text must not be shipped"
    assert source.sha256 == hashlib.sha256(article_text.encode("utf-8")).hexdigest()


def test_curated_source_sha256_matches(shared_dir: Path) -> None:
    source = next(s for s in load_sources() if s.kind == "curated")
    text = (shared_dir / str(source.metadata["shared_path"])).read_text(encoding="utf-8")
    assert source.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_every_numeric_field_has_a_span_that_states_it(article_studies: list[Study], article_text: str) -> None:
    checked = 0
    problems: list[str] = []
    for study in article_studies:
        for path, value in numeric_fields(study.model_dump(mode="json")):
            spans = study.provenance.get(path)
            if not spans:
                problems.append(f"{study.id}: {path} = {value:g} has no span")
                continue
            for span in spans:
                text = article_text[span.start : span.end]
                if span.source != ARTICLE_SOURCE or not states_number(text, value, days=_is_days(path)):
                    problems.append(f"{study.id}: {path} = {value:g} but span reads {text!r}")
            checked += 1
    assert not problems, "\n".join(problems)
    assert checked >= 35


def test_every_span_is_inside_the_article_and_on_word_boundaries(
    article_studies: list[Study], article_text: str
) -> None:
    for study in article_studies:
        assert study.provenance, study.id
        for key, spans in study.provenance.items():
            for span in spans:
                assert span.source == ARTICLE_SOURCE
                assert 0 <= span.start < span.end <= len(article_text), (study.id, key)
                text = article_text[span.start : span.end]
                assert text == text.strip(), (study.id, key, text)
                before = article_text[span.start - 1] if span.start else " "
                after = article_text[span.end] if span.end < len(article_text) else " "
                assert not (before.isalnum() and text[0].isalnum()), (study.id, key, text)
                assert not (after.isalnum() and text[-1].isalnum()), (study.id, key, text)


DESIGN_WORDS = {
    "randomized": r"randomi[sz]ed",
    "placebo-controlled": r"placebo",
    "single-blind": r"single-blind",
    "double-blind": r"double-blind",
    "open-label": r"open-label",
    "multicentre": r"multi-?cent(?:er|re)",
    "pilot": r"pilot",
    "retrospective": r"retrospective",
    "crossover": r"crossover",
    "case-series": r"cases",
    "case-report": r"case report",
    "animal": r"mice|mouse",
    "in-vitro": r"in vitro",
}


def test_design_tags_are_in_their_spans(article_studies: list[Study], article_text: str) -> None:
    for study in article_studies:
        spans = study.provenance.get("design", [])
        text = " ".join(article_text[s.start : s.end] for s in spans).lower()
        for tag in study.design:
            if not spans:
                # a tag taken from the primary record rather than the article must say so
                assert study.verification_of("design") == "primary", (study.id, tag)
                continue
            assert re.search(DESIGN_WORDS[tag], text), (study.id, tag, text)


def test_every_filled_field_has_provenance(article_studies: list[Study]) -> None:
    for study in article_studies:
        keys = set(study.provenance)
        assert "condition" in keys and "species" in keys, study.id
        for i in range(len(study.outcomes)):
            assert f"outcomes[{i}]" in keys, (study.id, i)
        for i in range(len(study.interventions)):
            assert f"interventions[{i}].name" in keys, (study.id, i)
        if study.comparator is not None:
            assert "comparator" in keys, study.id
        if study.population.sex is not None:
            assert "population.sex" in keys, study.id


def test_condition_spans_name_the_condition(article_studies: list[Study], article_text: str) -> None:
    from ldn_atlas.vocabulary import load_vocabulary

    vocabulary = load_vocabulary()
    for study in article_studies:
        if study.species == "in-vitro":
            continue  # "autoimmune states": coded to MS by the article's section, explained in notes
        found = set()
        for span in study.provenance["condition"]:
            for entry, _, _ in vocabulary.mentions(article_text[span.start : span.end]):
                found.add(vocabulary.resolve(entry.id).code)
        assert study.condition.code in found, (study.id, found)


def test_article_studies_link_and_explain(article_studies: list[Study]) -> None:
    ids = {s.id for s in load_evidence()}
    for study in article_studies:
        assert study.notes, study.id
        if study.primary_source is None:
            assert any("not identified" in note for note in study.notes), study.id
        else:
            assert study.primary_source in ids, study.id
        for path, _ in numeric_fields(study.model_dump(mode="json")):
            assert study.verification_of(path) is not None, (study.id, path)


def test_known_discrepancies_are_recorded(article_studies: list[Study]) -> None:
    by_id = {s.id: " ".join(s.notes) for s in article_studies}
    assert "80 and 60 completed" in by_id["article-ms-8wk-trial"]
    assert "not 2016" in by_id["article-ms-serum-ogf"]
    assert "primary progressive" in by_id["article-ms-pilot"]
    assert "804 days" in by_id["article-ms-chart-review"] and "[unverified]" in by_id["article-ms-chart-review"]
    assert "female sexual health condition" in by_id["article-crps-case-series"]
    assert "three patients" in by_id["article-crps-case-series"]
    assert "not randomised" in by_id["article-fm-pilot"]
