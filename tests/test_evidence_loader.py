"""The evidence loader: YAML with line numbers, one-line errors, duplicate ids."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from ldn_atlas.errors import EvidenceValidationError
from ldn_atlas.store.evidence_files import load_evidence, load_evidence_base, load_sources

GOOD = """\
id: demo-study
label: Demo study
species: human
condition:
  label: Fibromyalgia
  code: M79.7
design: [randomized, placebo-controlled]
population:
  n: 10
interventions:
  - name: low-dose naltrexone
    dose_mg: 4.5
"""


def _write(tmp_path: Path, text: str, name: str = "study.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _error(path: Path) -> str:
    with pytest.raises(EvidenceValidationError) as info:
        load_evidence(path)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_good_file_loads(tmp_path: Path) -> None:
    studies = load_evidence(_write(tmp_path, GOOD))
    assert [s.id for s in studies] == ["demo-study"]
    assert studies[0].interventions[0].dose_mg == 4.5


def test_wrong_type_names_file_line_and_field(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("  n: 10", "  n: ten"))
    message = _error(path)
    assert message.startswith(f"{path}:9: population.n: ")
    assert "integer" in message and "'ten'" in message


def test_missing_field_points_at_record_start(tmp_path: Path) -> None:
    path = _write(tmp_path, "# a comment line\n" + GOOD.replace("species: human\n", ""))
    assert _error(path) == f"{path}:2: species: required field is missing"


def test_missing_nested_field_points_at_enclosing_mapping(tmp_path: Path) -> None:
    path = _write(
        tmp_path, GOOD.replace("  - name: low-dose naltrexone\n    dose_mg: 4.5", "  - dose_mg: 4.5")
    )
    assert _error(path) == f"{path}:11: interventions[0].name: required field is missing"


def test_unknown_design_tag(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        GOOD.replace("design: [randomized, placebo-controlled]", "design:\n  - randomized\n  - blinded"),
    )
    message = _error(path)
    assert message.startswith(f"{path}:9: design[1]: 'blinded' is not allowed; expected one of ")
    assert "'double-blind'" in message


def test_unknown_field_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD + "sample_size: 10\n")
    assert _error(path) == f"{path}:13: sample_size: unknown field (not in the evidence model)"


def test_invalid_yaml_reports_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD + "notes: [unclosed\n")
    message = _error(path)
    assert message.startswith(f"{path}:") and ": yaml: invalid YAML" in message


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    _write(tmp_path, GOOD, "a.yaml")
    second = _write(tmp_path, GOOD, "b.yaml")
    message = _error(tmp_path)
    assert message.startswith(f"{second}:1: id: duplicate study id 'demo-study' (first defined at ")


def test_first_invalid_record_stops_the_load(tmp_path: Path) -> None:
    _write(tmp_path, GOOD, "a.yaml")
    bad = _write(tmp_path, GOOD.replace("demo-study", "other").replace("M79.7", "M79.7\n  icd: x"), "b.yaml")
    assert _error(tmp_path) == f"{bad}:7: condition.icd: unknown field (not in the evidence model)"


def test_list_file_and_provenance_lines(tmp_path: Path) -> None:
    text = """\
    - id: one
      label: One
      species: human
      condition: {label: MS, code: G35}
    - id: two
      label: Two
      species: human
      condition: {label: MS, code: G35}
      provenance:
        population.n:
          - {source: s, start: 5, end: 2}
    """
    path = _write(tmp_path, text)
    message = _error(path)
    assert message.startswith(f"{path}:11: provenance.population.n[0].end: ")


def test_cross_references_are_checked(tmp_path: Path) -> None:
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    _write(evidence, GOOD + "primary_source: nowhere\n")
    sources = _write(tmp_path, "- {id: s1, kind: article}\n", "sources.yaml")
    with pytest.raises(EvidenceValidationError) as info:
        load_evidence_base(evidence, sources)
    assert str(info.value) == f"{evidence / 'study.yaml'}:13: primary_source: unknown study id 'nowhere'"


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(EvidenceValidationError, match="no such file or directory"):
        load_evidence(tmp_path / "absent")


def test_embedded_base_loads_with_cross_references() -> None:
    base = load_evidence_base()
    assert len(base.studies) == len(load_evidence())
    assert {s.id for s in base.sources} == {s.id for s in load_sources()}
    assert base.study("article-fm-pilot").population.n == 10
