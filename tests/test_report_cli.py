"""The main job end to end: ``ldn-atlas report`` on the embedded evidence base."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html
from typer.testing import CliRunner

from ldn_atlas.cli import app
from tests.conftest import SHARED_DIR
from tests.report_links import broken_links


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("report")
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("LDN_ATLAS_SHARED", str(SHARED_DIR))
    result = CliRunner().invoke(app, ["--db", str(root / "atlas.db"), "report", "--out", str(root / "out")])
    monkeypatch.undo()
    assert result.exit_code == 0, result.output
    return root / "out", result.output


def test_report_writes_pages_and_prints_summary(written: tuple[Path, str]) -> None:
    out, output = written
    assert (out / "index.html").is_file() and (out / "methods.html").is_file()
    assert "Wrote" in output and str(out.resolve()) in output.replace("\n", "")
    assert "evidence by condition" in output and "G35" in output  # the summary table


def test_every_internal_link_resolves(written: tuple[Path, str]) -> None:
    out, _ = written
    assert broken_links(out) == []


def test_no_remote_assets(written: tuple[Path, str]) -> None:
    out, _ = written
    for page in out.rglob("*.html"):
        text = page.read_text()
        assert "http://" not in text.split("<body")[0] and "https://" not in text.split("<body")[0]


def test_atlas_json_matches_pages(written: tuple[Path, str]) -> None:
    out, _ = written
    data = json.loads((out / "atlas.json").read_text())
    assert len(data["studies"]) >= 26
    for study in data["studies"]:
        page = out / "studies" / f"{study['id']}.html"
        assert page.is_file(), study["id"]
    for condition in data["conditions"]:
        assert (out / "conditions" / f"{condition['id']}.html").is_file()
    # the matrix in index.html shows what atlas.json says
    tree = lxml_html.parse(str(out / "index.html"))
    rows = tree.xpath("//table[@id='evidence-matrix']/tbody/tr")
    assert len(rows) == len(data["conditions"])
    first = data["conditions"][0]
    assert rows[0].xpath("string(td[last()])").strip() == str(len(first["studies"]))


def test_study_page_shows_fields_provenance_verification_and_notes(written: tuple[Path, str]) -> None:
    out, _ = written
    data = json.loads((out / "atlas.json").read_text())
    with_notes = next(s for s in data["studies"] if s.get("notes") and s.get("provenance"))
    tree = lxml_html.parse(str(out / "studies" / f"{with_notes['id']}.html"))
    paths = set(tree.xpath("//table[contains(@class,'fields')]//tr/@data-path"))
    assert "population.n" in paths or "condition.label" in paths
    assert tree.xpath("//span[contains(@class,'span-ref')]")
    notes = [li.text_content() for li in tree.xpath("//ul[@class='notes']/li")]
    assert notes == with_notes["notes"]
    levels = tree.xpath("//span[contains(@class,'lvl')]/text()")
    assert set(levels) <= {"primary", "secondary", "unverified"} and levels


def test_summary_of_findings_and_forest_plots(written: tuple[Path, str]) -> None:
    out, _ = written
    data = json.loads((out / "atlas.json").read_text())
    fibro = next(c for c in data["conditions"] if c["code"] == "M79.7")
    pain = next(s for s in fibro["syntheses"] if s["outcome"] == "pain")
    assert pain["k"] >= 2 and pain["appraisal"]["certainty"] in {"high", "moderate", "low", "very-low"}
    assert {"younger-2013", "bruun-2024-final"} <= {r["study"] for r in pain["rows"]}
    page = lxml_html.parse(str(out / "conditions" / f"{fibro['id']}.html"))
    assert page.xpath("//table[@class='sof']//a[contains(@href, 'syntheses/')]")
    assert page.xpath("//table[@class='sof']//details")  # the GRADE rationale is on the page
    svg = out / "plots" / "fibromyalgia--pain.svg"
    assert svg.is_file() and b"<svg" in svg.read_bytes()[:500]
    ms = next(c for c in data["conditions"] if c["code"] == "G35")
    assert any(s["outcome"] == "quality-of-life" for s in ms["syntheses"])


def test_article_audit_page_when_shared_is_present(written: tuple[Path, str], article_path: Path) -> None:
    out, _ = written
    pages = list(out.glob("audit-*.html"))
    assert len(pages) == 1
    tree = lxml_html.parse(str(pages[0]))
    verdicts = tree.xpath("//table[@id='audit-claims']//span[contains(@class,'verdict')]/text()")
    assert "factual-error" in verdicts and "overstated" in verdicts


def test_report_audits_the_article_against_the_stores_studies(tmp_path: Path, article_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A study removed from the store is no longer what the report's audit links the article's claims to."""
    from ldn_atlas.services import build_report
    from ldn_atlas.store import open_store
    from ldn_atlas.store.evidence_files import load_evidence, load_sources

    monkeypatch.setenv("LDN_ATLAS_SHARED", str(SHARED_DIR))
    studies, sources = load_evidence(), load_sources()

    def linked_ids(kept: list[Any]) -> set[str]:
        with open_store(str(tmp_path / f"s{len(kept)}.db")) as store:
            store.upsert_studies(kept, sources=sources)
            atlas, _ = build_report(store, tmp_path / f"out{len(kept)}")
        [audit] = atlas.audits
        return {x for links in audit.links.values() for link in links for x in (link.described, link.primary) if x}

    full = linked_ids(studies)
    assert full, "the article's claims link studies of the evidence base"
    dropped = sorted(full)[0]
    fewer = linked_ids([s for s in studies if s.id != dropped])
    assert dropped not in fewer and fewer <= full
