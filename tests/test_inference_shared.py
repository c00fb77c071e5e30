"""Evidence inference measured on the Evidence Inference 2.0 validation split (read from ../shared)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ldn_atlas.extract.inference_eval import evaluate, evaluate_given_evidence, load_split, locate_passage

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def validation(shared_dir: Path) -> list:
    from tests.conftest import shared_path

    return load_split(shared_path("evidence-inference"), "validation", only_answerable=True)


def test_every_answerable_prompt_has_a_located_gold_span(validation: list) -> None:
    assert len(validation) == 106
    assert all(p.gold_spans for p in validation)
    for p in validation[:20]:
        s, e = p.gold_spans[0]
        assert " ".join(p.abstract[s:e].split()) in {" ".join(x.split()) for x in p.evidence}


def test_core_on_validation(validation: list) -> None:
    report = evaluate(validation, method="core", split="validation")
    assert report.n == 106
    # Target met: evidence-sentence accuracy >= 0.80.
    assert report.evidence_accuracy >= 0.80, report.to_dict()
    # Target NOT yet met: macro-F1 >= 0.80 (issue 7). This floor guards the current level (0.785)
    # against regressions; raise it to 0.80 when the method gets there.
    assert report.macro_f1 >= 0.78, report.to_dict()
    # The confidences mean what they say: answers the audit trusts (>= 0.75) are right far more often
    # than the rest (validation: 91% vs 53%; expected calibration error 0.055).
    cal = report.calibration
    assert cal is not None and cal.ece < 0.10, cal
    assert cal.confident_accuracy >= 0.85 and cal.confident_accuracy > cal.unconfident_accuracy + 0.2, cal
    # How far 106 prompts from 59 articles pin the figures down (article bootstrap).
    for name in ("macro_f1", "accuracy", "evidence_accuracy"):
        lo, hi = report.intervals[name]
        assert lo < getattr(report, name) < hi and 0.05 < hi - lo < 0.30, (name, lo, hi)


def test_classifier_given_the_cited_evidence(shared_dir: Path) -> None:
    from tests.conftest import shared_path

    every = load_split(shared_path("evidence-inference"), "validation")
    got = evaluate_given_evidence(every)
    abstract, fulltext = got["abstract-sentence"], got["full-text-passage"]
    # Every answerable prompt has its cited abstract sentence; 97 of the 99 others cite a prose passage.
    assert (abstract.n, fulltext.n) == (106, 97)
    # Retrieval costs little (end to end 0.785): the classifier is what falls short of 0.80 on the abstract
    # sentences (0.791), while on full-text passages, phrasing never read when the features were written,
    # it scores 0.852. Floors guard these levels against regressions.
    assert abstract.macro_f1 >= 0.78 and fulltext.macro_f1 >= 0.83, (abstract, fulltext)
    for g in (abstract, fulltext):
        lo, hi = g.intervals["macro_f1"]
        assert lo < g.macro_f1 < hi


def test_cli_evaluate_evidence_inference(shared_dir: Path) -> None:
    import json

    from typer.testing import CliRunner

    from ldn_atlas.cli import app

    data = str(shared_dir / "evidence-inference")
    res = CliRunner().invoke(app, ["evaluate", "evidence-inference", "--split", "validation", "--only-answerable",
                                   "--limit", "20", "--data-dir", data, "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["n"] == 20 and 0 <= out["macro_f1"] <= 1 and out["prompts_per_second"] > 0
    cal = out["calibration"]
    assert cal["threshold"] == 0.75 and 0 <= cal["ece"] <= 1 and 0 <= cal["confident_share"] <= 1
    lo, hi = out["intervals"]["macro_f1"]
    assert 0 <= lo <= out["macro_f1"] <= hi <= 1 and "articles" in out["interval_method"]
    given = out["given_evidence"]
    # The 20 evaluated prompts' cited abstract sentences, and the cited prose passages of the first 20
    # prompts the abstract cannot answer (all 20 cite one).
    assert given["abstract-sentence"]["n"] == 20 and 0 <= given["abstract-sentence"]["macro_f1"] <= 1
    assert given["full-text-passage"]["n"] == 20 and 0 <= given["full-text-passage"]["macro_f1"] <= 1
    res = CliRunner().invoke(app, ["evaluate", "evidence-inference", "--split", "test", "--data-dir", data])
    assert res.exit_code != 0
    assert "unknown split" in res.output


def test_locate_passage_normalises_whitespace() -> None:
    text = "A  first\nsentence. Second   one here."
    assert locate_passage(text, "first sentence.") == (3, 18)
    assert locate_passage(text, "Second one") == (19, 31)
    assert locate_passage(text, "absent") is None
