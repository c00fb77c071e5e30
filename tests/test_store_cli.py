"""The store's CLI commands: db init/load/export, studies, show."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ldn_atlas.cli import app
from ldn_atlas.model import Study
from ldn_atlas.store import evidence_files as evidence_files_module
from ldn_atlas.store import open_store
from tests.store_support import synthetic_set, write_evidence_dir
from tests.test_store_load import BROKEN, broken_dir, snapshot

runner = CliRunner()
WIDE = {"COLUMNS": "220", "LDN_ATLAS_DB": ""}


def run(url: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", url, *args], env=WIDE)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables as wide as they need (the console's width is fixed when ldn_atlas.cli is imported)."""
    from ldn_atlas import cli

    monkeypatch.setattr(cli.console, "width", 220)


@pytest.fixture
def loaded_url(store_url: str, tmp_path: Path) -> str:
    folder = write_evidence_dir(tmp_path / "good", synthetic_set())
    code, out, err = run(store_url, "db", "load", str(folder))
    assert code == 0, err
    assert "6 studies (6 new, 0 updated, 0 unchanged)" in out
    return store_url


def test_db_init(store_url: str) -> None:
    code, out, _ = run(store_url, "db", "init")
    assert code == 0
    assert "store ready" in out and "schema version 1" in out and "0 studies" in out


def test_db_load_twice_changes_nothing(loaded_url: str, tmp_path: Path) -> None:
    before = snapshot(loaded_url)
    code, out, _ = run(loaded_url, "db", "load", str(tmp_path / "good"))
    assert code == 0
    assert "6 studies (0 new, 0 updated, 6 unchanged)" in out
    assert snapshot(loaded_url) == before


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_db_load_broken_file_fails_in_one_line(loaded_url: str, tmp_path: Path, case: str) -> None:
    before = snapshot(loaded_url)
    folder, path, line = broken_dir(tmp_path, case)
    code, out, err = run(loaded_url, "db", "load", str(folder))
    assert code != 0
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"error: {path}:{line}: {BROKEN[case][1]}: ")
    assert snapshot(loaded_url) == before


def test_db_load_missing_path(store_url: str, tmp_path: Path) -> None:
    code, _, err = run(store_url, "db", "load", str(tmp_path / "nowhere"))
    assert code != 0
    assert len(err.strip().splitlines()) == 1 and "nowhere" in err


def test_db_export_json_and_yaml(loaded_url: str, tmp_path: Path) -> None:
    code, out, _ = run(loaded_url, "db", "export")
    assert code == 0
    exported = json.loads(out)
    assert exported["format"] == "ldn-atlas-store"
    assert [s["id"] for s in exported["studies"]] == [f"synthetic-00{i}" for i in range(1, 7)]
    target = tmp_path / "export.yaml"
    code, out, err = run(loaded_url, "db", "export", "--format", "yaml", "--out", str(target))
    assert code == 0 and out == "" and "wrote 6 studies" in err
    assert yaml.safe_load(target.read_text(encoding="utf-8")) == exported
    code, _, err = run(loaded_url, "db", "export", "--format", "xml")
    assert code != 0 and "unknown export format 'xml'" in err


def test_studies_json(loaded_url: str) -> None:
    code, out, _ = run(loaded_url, "studies", "--format", "json")
    assert code == 0
    payload = json.loads(out)
    assert list(payload) == ["studies"]
    studies = [Study.model_validate(s) for s in payload["studies"]]
    assert len(studies) == 6
    with open_store(loaded_url) as store:
        assert studies == store.list_studies()[0]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--condition", "fibromyalgia"], ["synthetic-004", "synthetic-003"]),
        (["--condition", "g35", "--design", "open-label"], ["synthetic-002"]),
        (["--design", "crossover", "--design", "single-blind"], ["synthetic-003"]),
        (["--species", "animal"], ["synthetic-006"]),
        (["--condition", "no such condition"], []),
    ],
)
def test_studies_filters(loaded_url: str, args: list[str], expected: list[str]) -> None:
    code, out, _ = run(loaded_url, "studies", *args, "--format", "json")
    assert code == 0
    assert [s["id"] for s in json.loads(out)["studies"]] == expected


def test_studies_csv(loaded_url: str) -> None:
    code, out, _ = run(loaded_url, "studies", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 6
    row = next(r for r in rows if r["id"] == "synthetic-003")
    assert row["condition"] == "Fibromyalgia" and row["code"] == "M79.7"
    assert row["design"] == "randomized;placebo-controlled;single-blind;crossover"
    assert row["n"] == "30" and row["year"] == "2013" and row["pmid"] == "990003"


def test_studies_table(loaded_url: str) -> None:
    code, out, _ = run(loaded_url, "studies")
    assert code == 0
    assert "6 studies" in out
    for i in range(1, 7):
        assert f"synthetic-00{i}" in out
    code, out, _ = run(loaded_url, "studies", "--limit", "2")
    assert "2 of 6 studies" in out


def test_studies_table_in_a_narrow_terminal_keeps_ids_whole(
    loaded_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ldn_atlas import cli

    monkeypatch.setattr(cli.console, "width", 80)
    code, out, _ = run(loaded_url, "studies", "--condition", "fibromyalgia")
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "synthetic-003" in out and "synthetic-004" in out
    assert "Fibromyalgia (M79.7) · human" in out


def test_studies_bad_input_is_one_line(loaded_url: str) -> None:
    for args in (["--design", "quasi-random"], ["--species", "plant"], ["--format", "xml"]):
        code, out, err = run(loaded_url, "studies", *args)
        assert code != 0 and out == ""
        assert len(err.strip().splitlines()) == 1 and err.startswith("error: ")


def test_show_renders_every_field(loaded_url: str) -> None:
    code, out, _ = run(loaded_url, "show", "synthetic-003")
    assert code == 0
    for text in (
        "Synthetic study 3",
        "Fibromyalgia",
        "M79.7",
        "PMID 990003",
        "population.n",
        "outcomes[0].measures[0].sd",
        "1.25",
        "unverified",
        "synthetic record: not a real study",
    ):
        assert text in out, text


def test_show_json_and_unknown_id(loaded_url: str) -> None:
    code, out, _ = run(loaded_url, "show", "synthetic-005", "--format", "json")
    assert code == 0
    with open_store(loaded_url) as store:
        assert Study.model_validate_json(out) == store.get_study("synthetic-005")
    code, out, err = run(loaded_url, "show", "synthetic-05")
    assert code != 0 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "no study with id 'synthetic-05'" in err and "did you mean" in err


def test_empty_store_is_filled_from_the_embedded_base(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_evidence_dir(tmp_path / "embedded", synthetic_set())
    monkeypatch.setattr(evidence_files_module, "default_evidence_dir", lambda: folder)
    monkeypatch.setattr(evidence_files_module, "default_sources_path", lambda: tmp_path / "absent.yaml")
    code, out, err = run(store_url, "studies", "--format", "json")
    assert code == 0
    assert "the store was empty" in err
    assert len(json.loads(out)["studies"]) == 6
    code, out, err = run(store_url, "show", "synthetic-001")
    assert code == 0 and "the store was empty" not in err
