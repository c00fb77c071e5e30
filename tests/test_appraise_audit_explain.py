"""The audit's rules as users read them: ``ldn-atlas audit --explain``, /methods, methods.html, the docs.

All four are generated from the registry; the committed ``docs/audit-rules.md`` must equal the text the
generator writes (``python -m ldn_atlas.report.audit_rules_doc > docs/audit-rules.md``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ldn_atlas.appraise.audit.rules.registry import RULES
from ldn_atlas.cli import app
from ldn_atlas.report.audit_rules import rules_markdown

DOC = Path(__file__).resolve().parents[1] / "docs" / "audit-rules.md"


def test_committed_rules_doc_is_the_generated_one() -> None:
    assert DOC.read_text(encoding="utf-8") == rules_markdown(), (
        "docs/audit-rules.md is stale: python -m ldn_atlas.report.audit_rules_doc > docs/audit-rules.md"
    )


def test_rules_doc_lists_every_rule_and_how_to_add_one() -> None:
    text = rules_markdown()
    assert "## Adding a rule" in text and "PRECEDENCE" in text
    for code, rule in RULES.items():
        assert f"### {code} {rule.name}" in text


def test_explain_lists_every_rule() -> None:
    result = CliRunner().invoke(app, ["audit", "--explain"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == list(RULES)
    assert all(rule.summary in result.stdout for rule in RULES.values())


def test_explain_prints_one_rule() -> None:
    result = CliRunner().invoke(app, ["audit", "--explain", "aud101"])
    assert result.exit_code == 0, result.output
    rule = RULES["AUD101"]
    assert result.stdout.startswith(f"AUD101 {rule.name}\n")
    assert "Verdicts: overstated" in result.stdout and rule.doc in result.stdout
    assert rule.fires_on[0].sentence in result.stdout and rule.passes[0].sentence in result.stdout


def test_explain_unknown_rule_is_a_one_line_error() -> None:
    result = CliRunner().invoke(app, ["audit", "--explain", "AUD999"])
    assert result.exit_code != 0
    assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1 and "AUD999" in result.stderr


def test_audit_without_a_file_is_an_error() -> None:
    result = CliRunner().invoke(app, ["audit"])
    assert result.exit_code != 0 and "give the article" in result.stderr


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from ldn_atlas.web.app import create_app

    with TestClient(create_app(str(tmp_path_factory.mktemp("web") / "atlas.db"))) as c:
        yield c


def test_methods_page_lists_every_rule(client: TestClient) -> None:
    page = client.get("/methods").text
    for code, rule in RULES.items():
        assert f'<tr id="{code}">' in page and rule.name in page


def test_static_methods_page_lists_every_rule(tmp_path: Path) -> None:
    from ldn_atlas.report.static_site import write_report
    from ldn_atlas.report.view import build_atlas

    write_report(build_atlas([]), tmp_path)
    page = (tmp_path / "methods.html").read_text(encoding="utf-8")
    assert all(f'<tr id="{code}">' in page for code in RULES)
