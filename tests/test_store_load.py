"""Loading evidence files: all or nothing, one-line errors, the store left byte-for-byte unchanged."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from ldn_atlas.errors import EvidenceValidationError
from ldn_atlas.store import ensure_loaded, load_into, open_store, validate_and_load
from ldn_atlas.store import evidence_files as evidence_files_module
from tests.store_support import synthetic_set, synthetic_study, write_evidence_dir


def good_dir(tmp_path: Path) -> Path:
    return write_evidence_dir(tmp_path / "good", synthetic_set())


def _broken_wrong_type(record: dict[str, Any]) -> None:
    record["population"]["n"] = "many"


def _broken_missing_field(record: dict[str, Any]) -> None:
    del record["species"]


def _broken_unknown_design(record: dict[str, Any]) -> None:
    record["design"] = ["randomized", "quasi-random"]


BROKEN = {
    # case: (mutation, field path in the message, the YAML key whose line the message names)
    "wrong-type": (_broken_wrong_type, "population.n", "  n: many"),
    "missing-field": (_broken_missing_field, "species", None),
    "unknown-design-tag": (_broken_unknown_design, "design[1]", "- quasi-random"),
}


def broken_dir(tmp_path: Path, case: str) -> tuple[Path, Path, int]:
    """The good set with one more, valid study and one broken record (in the last file read).

    Returns the folder, the broken file and the line the error must name.
    """
    mutate, _, key = BROKEN[case]
    records = [*synthetic_set(), synthetic_study(7, label="A study that must not be written")]
    broken = synthetic_study(8)
    mutate(broken)
    folder = write_evidence_dir(tmp_path / f"broken-{case}", [*records, broken])
    path = folder / "synthetic-008.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    line = 1 if key is None else next(i for i, text in enumerate(lines, 1) if text.startswith(key))
    return folder, path, line


def snapshot(url: str) -> Any:
    """The store's content: its export, and for a SQLite file its bytes as well."""
    with open_store(url) as store:
        exported = store.export()
    path = Path(url)
    return exported, (path.read_bytes() if path.exists() else None)


def test_load_reports_what_it_did(store_url: str, tmp_path: Path) -> None:
    folder = good_dir(tmp_path)
    first = validate_and_load(store_url, folder)
    assert first.studies == 6 and len(first.upsert.studies.inserted) == 6
    assert first.summary() == "6 studies (6 new, 0 updated, 0 unchanged)"
    second = validate_and_load(store_url, folder)
    assert not second.changed
    assert second.summary() == "6 studies (0 new, 0 updated, 6 unchanged)"


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_one_invalid_record_stops_the_whole_load(store_url: str, tmp_path: Path, case: str) -> None:
    validate_and_load(store_url, good_dir(tmp_path))
    before = snapshot(store_url)
    folder, path, line = broken_dir(tmp_path, case)
    with pytest.raises(EvidenceValidationError) as info:
        validate_and_load(store_url, folder)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:{line}: {BROKEN[case][1]}: "), message
    assert snapshot(store_url) == before
    with open_store(store_url) as store:
        assert "synthetic-007" not in store.study_ids()


def test_invalid_base_does_not_even_create_the_store(tmp_path: Path) -> None:
    folder, _, _ = broken_dir(tmp_path, "wrong-type")
    target = tmp_path / "new" / "atlas.db"
    with pytest.raises(EvidenceValidationError):
        validate_and_load(str(target), folder)
    assert not target.exists()


def test_load_into_an_open_store_validates_first(store_url: str, tmp_path: Path) -> None:
    folder, _, _ = broken_dir(tmp_path, "unknown-design-tag")
    with open_store(store_url) as store:
        with pytest.raises(EvidenceValidationError):
            load_into(store, folder)
        assert store.is_empty()


def test_load_with_sources_checks_references(store_url: str, tmp_path: Path) -> None:
    records = synthetic_set()
    records[0]["source"] = "synthetic-source-1"
    records[1]["provenance"] = {"population.n": [{"source": "synthetic-source-1", "start": 0, "end": 2}]}
    folder = write_evidence_dir(tmp_path / "with-sources", records)
    sources = tmp_path / "sources.yaml"
    sources.write_text(yaml.safe_dump([{"id": "synthetic-source-1", "kind": "curated", "title": "t"}]))
    result = validate_and_load(store_url, folder, sources=sources)
    assert result.sources == 1 and result.upsert.sources.inserted == ("synthetic-source-1",)
    with open_store(store_url) as store:
        assert store.get_source("synthetic-source-1").title == "t"
    records[2]["source"] = "no-such-source"
    write_evidence_dir(folder, records)
    with pytest.raises(EvidenceValidationError, match=r"synthetic-003\.yaml:\d+: source: unknown source id"):
        validate_and_load(store_url, folder, sources=sources)


def test_ensure_loaded_fills_only_an_empty_store(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = good_dir(tmp_path)
    monkeypatch.setattr(evidence_files_module, "default_evidence_dir", lambda: folder)
    monkeypatch.setattr(evidence_files_module, "default_sources_path", lambda: tmp_path / "absent.yaml")
    with open_store(store_url) as store:
        result = ensure_loaded(store)
        assert result is not None and result.studies == 6
        assert ensure_loaded(store) is None
        assert store.count() == 6


def test_prune_through_load(store_url: str, tmp_path: Path) -> None:
    validate_and_load(store_url, good_dir(tmp_path))
    fewer = write_evidence_dir(tmp_path / "fewer", synthetic_set()[:3])
    result = validate_and_load(store_url, fewer, prune=True)
    assert result.upsert.removed == ("synthetic-004", "synthetic-005", "synthetic-006")
    assert "3 stale studies removed" in result.summary()


def test_the_embedded_evidence_base_loads_idempotently(store_url: str) -> None:
    """The embedded base loads (all of it, with its sources) and a second load changes nothing."""
    expected = evidence_files_module.load_evidence()
    started = time.perf_counter()
    first = validate_and_load(store_url)
    seconds = time.perf_counter() - started
    assert first.studies == len(expected) > 0
    assert seconds < 30
    before = snapshot(store_url)
    second = validate_and_load(store_url)
    assert not second.changed
    assert snapshot(store_url) == before
    with open_store(store_url) as store:
        assert store.count() == len(expected)
        for study in expected:
            assert store.get_study(study.id) == study
        # every study's condition is found by its own label and by its code
        for study in expected:
            ids = {s.id for s in store.list_studies(condition=study.condition.label)[0]}
            assert study.id in ids
            if study.condition.code and re.match(r"^[A-Z]\d", study.condition.code):
                ids = {s.id for s in store.list_studies(condition=study.condition.code)[0]}
                assert study.id in ids


def test_a_folder_without_studies_is_an_error(store_url: str, tmp_path: Path) -> None:
    from ldn_atlas.errors import InputError

    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no study records found"):
        validate_and_load(store_url, tmp_path / "empty")
