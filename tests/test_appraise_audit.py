"""The claim audit: rules on made-up text and evidence, the acceptance claims of the seed article, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ldn_atlas.appraise.audit import audit_file, audit_source, claim_numbers, claim_strength, sentences
from ldn_atlas.model import Condition, Outcome, Population, Source, Study

FM = Condition(label="Fibromyalgia", code="M79.7")
EAE = Condition(label="Experimental autoimmune encephalomyelitis", code="G35")


def base() -> list[Study]:
    return [
        Study(
            id="fm-rct",
            label="FM RCT",
            species="human",
            condition=FM,
            design=["randomized", "double-blind", "placebo-controlled", "parallel"],
            controlled=True,
            comparator="placebo",
            population=Population(n=100, n_enrolled=100, n_analyzed=100),
            outcomes=[Outcome(name="pain intensity", direction="no-difference", p=0.4)],
            verification={"*": "primary"},
        ),
        Study(
            id="fm-case",
            label="FM case",
            species="human",
            condition=FM,
            design=["case-report"],
            controlled=False,
            population=Population(n=1),
            outcomes=[Outcome(name="pain", direction="improved")],
            verification={"*": "primary"},
        ),
        Study(
            id="eae-mice",
            label="EAE mice",
            species="animal",
            model="mouse EAE",
            condition=EAE,
            design=["animal"],
            outcomes=[Outcome(name="disease progression", direction="improved")],
            verification={"*": "primary"},
        ),
    ]


def verdicts(text: str) -> dict[str, str]:
    src = Source(id="t", kind="article", text=text)
    result = audit_source(src, studies=base(), sources=[])
    return {c.text: c.verdict for c in result.claims}


def test_sentences_and_spans() -> None:
    text = (
        "A Heading Line\n\nFirst full sentence of the body is here. Second sentence, e.g. with an abbreviation, "
        "ends.\n\nReferences\n\nSmith J. A cited paper that is not a claim at all here."
    )
    sents = sentences(text)
    assert [s.text for s in sents] == [
        "First full sentence of the body is here.",
        "Second sentence, e.g. with an abbreviation, ends.",
    ]
    for s in sents:
        assert text[s.start : s.end] == s.text


def test_strength_and_numbers() -> None:
    assert claim_strength("These data proved the concept.") == "proof"
    assert claim_strength("There was a considerable improvement.") == "strong"
    assert claim_strength("It may reduce pain in some patients.") == "hedged"
    assert claim_strength("A statistically significant reduction was observed.") == "neutral"
    n = claim_numbers("The trial included ten women for eight weeks at 4.5 mg, and 30% responded.")
    assert n.counts == [(10.0, False)] and n.durations == [56.0] and n.doses == [4.5] and n.percents == [30.0]


def test_classification_against_the_vocabulary() -> None:
    v = verdicts(
        "Fibromyalgia is described here as a female sexual health condition of unclear origin.\n\n"
        "Multiple sclerosis is a neurological disease that affects young adults."
    )
    assert v["Fibromyalgia is described here as a female sexual health condition of unclear origin."] == "factual-error"
    assert v["Multiple sclerosis is a neurological disease that affects young adults."] == "supported"


def test_animal_work_presented_as_proof_is_overstated() -> None:
    v = verdicts("In mice with autoimmune encephalomyelitis, LDN proved that it halts the disease in patients.")
    assert list(v.values()) == ["overstated"]


def test_case_report_with_co_intervention_is_overstated() -> None:
    v = verdicts("In a case report of fibromyalgia, pain disappeared after LDN was given along with surgery.")
    assert list(v.values()) == ["overstated"]


def test_null_trial_result_supported_and_numbers_checked() -> None:
    v = verdicts(
        "A randomized placebo-controlled trial of 100 patients with fibromyalgia found no difference in "
        "pain between the groups.\n\n"
        "A randomized placebo-controlled trial included 250 patients with fibromyalgia and ran in Denmark."
    )
    texts = list(v)
    assert v[texts[0]] == "supported"
    assert v[texts[1]] == "contradicted"


def test_strong_claim_from_a_null_trial_is_contradicted_or_overstated() -> None:
    v = verdicts(
        "A randomized placebo-controlled trial of 100 patients with fibromyalgia showed that LDN improved pain."
    )
    assert next(iter(v.values())) in ("contradicted", "overstated")


# -- the seed article (acceptance) ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def article(article_path: Path):  # type: ignore[no-untyped-def]
    return audit_file(article_path)


def _find(result, needle: str):  # type: ignore[no-untyped-def]
    hits = [c for c in result.claims if needle in c.text]
    assert len(hits) == 1, needle
    return hits[0]


def test_article_acceptance(article) -> None:  # type: ignore[no-untyped-def]
    text = article.source.text
    for c in article.claims:
        assert text[c.span.start : c.span.end] == c.text
        assert c.text[-1] in ".!?"
    assert _find(article, "Female sexual health condition").verdict == "factual-error"
    assert _find(article, "proved the concept").verdict == "overstated"
    assert _find(article, "total remission").verdict == "overstated"
    assert _find(article, "seventeen-week-long study").verdict == "supported"
    assert _find(article, "considerable improvement").verdict == "overstated"
    assert _find(article, "in vitro experiments proved").verdict == "overstated"
    assert _find(article, "gained remission").verdict == "overstated"


def test_cli_audit_json(article_path: Path) -> None:
    from ldn_atlas.cli import app

    res = CliRunner().invoke(app, ["audit", str(article_path), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert set(data) >= {"source", "claims"}
    assert data["source"]["sha256"]
    claim = data["claims"][0]
    assert set(claim) == {"id", "text", "span", "kind", "strength", "studies", "verdict", "reasons", "rule", "findings"}
    assert [f["reason"] for f in claim["findings"]] == claim["reasons"] and claim["rule"].startswith("AUD")


def test_cli_audit_bad_input(tmp_path: Path) -> None:
    from ldn_atlas.cli import app

    res = CliRunner().invoke(app, ["audit", str(tmp_path / "missing.txt")])
    assert res.exit_code != 0
    res = CliRunner().invoke(app, ["audit", str(tmp_path / "missing.txt"), "--format", "xml"])
    assert res.exit_code != 0 and "unknown format" in res.output
