"""No reader or extractor regex backtracks catastrophically: pathological text finishes quickly.

Every pattern the readers and the extractor apply to free text is registered in
``ldn_atlas.extract.patterns.REGISTRY``.  Each must scan a megabyte of digits and hyphens in under
two seconds, and hypothesis-generated repetitive text in time linear in its length.
"""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import ldn_atlas.extract.fields
import ldn_atlas.extract.segment
import ldn_atlas.sources.html  # registers the reader patterns
from ldn_atlas.extract.conditions import find_conditions
from ldn_atlas.extract.patterns import REGISTRY
from ldn_atlas.model import Source
from ldn_atlas.sources import normalise_text, text_source

assert ldn_atlas.extract.fields and ldn_atlas.extract.segment

MEGABYTE = 1_000_000


def _reader_patterns() -> dict[str, re.Pattern[str]]:
    """The compiled patterns of the readers (``ldn_atlas.sources`` may not import the extractor's registry)."""
    import ldn_atlas.sources.ctgov as ctgov
    import ldn_atlas.sources.ctgov_protocol as ctgov_protocol
    import ldn_atlas.sources.ctgov_results as ctgov_results
    import ldn_atlas.sources.html as html
    import ldn_atlas.sources.pubmed as pubmed
    import ldn_atlas.sources.text as text_mod

    found = {}
    for module in (text_mod, html, pubmed, ctgov, ctgov_protocol, ctgov_results):
        for attr, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found[f"{module.__name__}.{attr}"] = value
    return found


def _scan_times(text: str) -> dict[str, float]:
    times = {}
    for name, pattern in {**REGISTRY, **_reader_patterns()}.items():
        t0 = time.perf_counter()
        for _ in pattern.finditer(text):
            pass
        times[name] = time.perf_counter() - t0
    t0 = time.perf_counter()
    find_conditions(text)
    times["condition vocabulary"] = time.perf_counter() - t0
    return times


def test_registry_covers_the_extractor_and_readers() -> None:
    assert len(_reader_patterns()) >= 8
    for name in ("duration", "percent", "p_value", "ci", "dose", "sample_size", "study_intro", "outcome_change",
                 "sentence_boundary", "d_randomized"):
        assert name in REGISTRY


@pytest.mark.slow
def test_a_megabyte_of_digits_and_hyphens() -> None:
    text = "1-" * (MEGABYTE // 2)
    slow = {k: round(v, 2) for k, v in _scan_times(text).items() if v >= 2.0}
    assert not slow, slow


@pytest.mark.slow
@pytest.mark.parametrize("unit", ["9", "12-34 ", "a-", "5% "])
def test_a_quarter_megabyte_of_other_runs(unit: str) -> None:
    text = unit * (MEGABYTE // 4 // len(unit))
    # quadratic backtracking on 256 KB takes minutes; 2 s leaves room for a loaded CI machine
    slow = {k: round(v, 2) for k, v in _scan_times(text).items() if v >= 2.0}
    assert not slow, slow


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="0123456789-., %()mgapte\n", min_size=1, max_size=12))
@example(" ")  # 64 KB of spaces once took 28 s in the CT.gov p-value pattern (two \s* runs)
@example("\n")
@example(" 1")
def test_generated_repetitive_text_is_linear(unit: str) -> None:
    text = (unit * (65_536 // len(unit) + 1))[:65_536]
    slow = {k: round(v, 3) for k, v in _scan_times(text).items() if v >= 0.5}
    assert not slow, slow


@settings(max_examples=15, deadline=None)
@given(st.text(alphabet="0123456789-., %()mg patientsweek\n", min_size=1, max_size=20))
def test_extraction_of_pathological_text_finishes(unit: str) -> None:
    text = (unit * (20_000 // len(unit) + 1))[:20_000]
    if not normalise_text(text):
        return
    src: Source = text_source(text, source_id="p", kind="article")
    t0 = time.perf_counter()
    from ldn_atlas.extract import extract_studies

    for study in extract_studies(src):
        for spans in study.provenance.values():
            for s in spans:
                assert 0 <= s.start <= s.end <= len(src.text or "")
    assert time.perf_counter() - t0 < 2.0


_WORDS = ["patients", "women", "Men", "randomized", "placebo-controlled", "double-blind", "mg", "4.5", "10",
          "weeks", "days", "%", "p<0.05", "95% CI", "reduction", "in", "pain", "LDN", "naltrexone", "mice", "of",
          "the", "were", "improved", "no", "significant", "difference", "respectively", "versus", "=", "n", "and",
          "multi-centre", "crossover", "case", "report", "remission", "cells", "in vitro", "twelve", "(", ")", ","]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=40))
def test_literal_gates_never_change_a_result(words: list[str]) -> None:
    from ldn_atlas.extract.patterns import GATES

    text = " ".join(words)
    for name, gated in GATES.items():
        raw = [m.span() for m in gated.pattern.finditer(text)]
        assert [m.span() for m in gated.finditer(text)] == raw, name
        assert (gated.search(text) is None) == (not raw), name


def test_literal_gates_on_the_article(article_path: object) -> None:
    from pathlib import Path

    from ldn_atlas.extract.patterns import GATES
    from ldn_atlas.sources import read_source

    text = read_source(Path(str(article_path))).text or ""
    for line in text.split("\n"):
        for name, gated in GATES.items():
            assert [m.span() for m in gated.finditer(line)] == [m.span() for m in gated.pattern.finditer(line)], name
