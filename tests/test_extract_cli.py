"""`ldn-atlas extract` and `ldn-atlas evaluate extraction`: output shapes and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ldn_atlas.cli import app

DATA = Path(__file__).parent / "data"
runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _one_line_error(stderr: str) -> str:
    lines = [ln for ln in stderr.strip().splitlines() if ln.strip()]
    assert "Traceback" not in stderr
    assert lines and lines[-1].startswith("error:"), stderr
    return lines[-1]


def test_extract_article_json(article_path: Path) -> None:
    code, out, _err = _run("extract", str(article_path), "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["source"]["kind"] == "article" and doc["source"]["text"]
    assert len(doc["studies"]) == 12
    first = doc["studies"][0]
    for key in ("condition", "species", "design", "population", "provenance"):
        assert key in first
    span = first["provenance"]["population.n"][0]
    assert doc["source"]["text"][span["start"]:span["end"]] == "40 patients"


def test_extract_table_shows_the_words(article_path: Path) -> None:
    code, out, _err = _run("extract", str(article_path), "--format", "table")
    assert code == 0
    assert "words in the text" in out and "population.n" in out and "215 patients" in out


def test_extract_ctgov_and_html() -> None:
    code, out, _err = _run("extract", str(DATA / "ctgov" / "synthetic-v2-results.json"))
    assert code == 0
    doc = json.loads(out)
    assert doc["studies"][0]["population"]["n"] == 40 and "study" not in doc["source"]["metadata"]
    code, out, _err = _run("extract", str(DATA / "html" / "blog-post.html"))
    assert code == 0 and json.loads(out)["studies"][0]["population"]["n"] == 12


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty file"),
        ("picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)), "binary file"),
        ("broken.xml", b"<?xml version='1.0'?><PubmedArticleSet><PubmedArticle><Medline", "malformed XML"),
        ("other.json", b'{"name": "not a trial"}', "not a ClinicalTrials.gov v2 study record"),
        ("bad.json", b"{oops", "invalid JSON"),
    ],
)
def test_extract_bad_input_is_one_line(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    p = tmp_path / name
    p.write_bytes(content)
    code, _out, err = _run("extract", str(p))
    assert code != 0
    assert message in _one_line_error(err)


def test_extract_oversize_text(tmp_path: Path) -> None:
    p = tmp_path / "big.txt"
    p.write_bytes(b"LDN was given to ten patients for eight weeks.\n" * 1_100_000)  # about 52 MB
    code, _out, err = _run("extract", str(p))
    assert code != 0 and "MB limit" in _one_line_error(err)


def test_extract_missing_file(tmp_path: Path) -> None:
    code, _out, err = _run("extract", str(tmp_path / "nope.txt"))
    assert code != 0 and "no such file" in _one_line_error(err)


def test_extract_non_utf8_warns_and_succeeds(tmp_path: Path) -> None:
    p = tmp_path / "latin1.txt"
    p.write_bytes("A pilot study of ten na\u00efve patients with fibromyalgia took LDN.".encode("latin-1"))
    code, out, err = _run("extract", str(p))
    assert code == 0 and json.loads(out)["studies"]
    assert "warning:" in err and "not valid UTF-8" in err and "Traceback" not in err


def test_extract_partial_xml_keeps_what_was_read(tmp_path: Path) -> None:
    rec = ("<PubmedArticle><MedlineCitation><PMID>{0}</PMID><Article><ArticleTitle>T{0}</ArticleTitle><Abstract>"
           "<AbstractText>A randomized trial in 40 patients.</AbstractText></Abstract></Article></MedlineCitation>"
           "</PubmedArticle>")
    p = tmp_path / "part.xml"
    p.write_text(f"<?xml version='1.0'?><PubmedArticleSet>{rec.format(1)}{rec.format(2)}<PubmedArt",
                 encoding="utf-8")
    code, out, err = _run("extract", str(p))
    assert code == 0
    docs = json.loads(out)
    assert [d["source"]["citation"]["pmid"] for d in docs] == ["1", "2"]
    assert "warning:" in err and "malformed XML" in err


def test_evaluate_extraction(article_path: Path, tmp_path: Path) -> None:
    code, out, _err = _run("extract", str(article_path))
    pred = tmp_path / "pred.json"
    pred.write_text(out, encoding="utf-8")
    code, out, _err = _run("evaluate", "extraction", str(DATA / "gold" / "article-000.json"), str(pred), "--json")
    assert code == 0
    report = json.loads(out)
    assert report["studies"]["tp"] == 12
    assert report["fields"]["n"]["f1"] >= 0.95
    code, out, _err = _run("evaluate", "extraction", str(DATA / "gold" / "article-000.json"), str(pred))
    assert code == 0 and "precision" in out and "duration_days" in out
    code, _out, err = _run("evaluate", "extraction", str(pred), str(pred))
    assert code != 0 and "gold" in _one_line_error(err)


def test_evaluate_extraction_gold_against_gold() -> None:
    """A gold file as PRED scores inter-annotator agreement; a gold scored against itself is perfect."""
    first = str(DATA / "gold" / "article-000.json")
    second = str(DATA / "gold" / "article-000-independent.json")
    code, out, err = _run("evaluate", "extraction", first, first, "--json")
    assert code == 0, err
    same = json.loads(out)
    assert same["studies"]["tp"] == 12 and not same["warnings"]
    assert all(f["f1"] == 1.0 for f in same["fields"].values())
    code, out, err = _run("evaluate", "extraction", first, second, "--json")
    assert code == 0, err
    iaa = json.loads(out)
    assert iaa["studies"]["tp"] == 12
    assert [len(p) for p in iaa["alignment"]] == [2] * 12
    assert 0.5 < iaa["fields"]["outcome_direction"]["f1"] <= 1.0
