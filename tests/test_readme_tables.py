"""README's per-condition table is generated from the base (scripts/update_readme.py), and counts each study once."""

from __future__ import annotations

from pathlib import Path

from ldn_atlas.model.evidence import Condition, Registration, Study
from ldn_atlas.report.base_table import BEGIN, END, condition_counts, condition_table_markdown, replace_block
from ldn_atlas.store.evidence_files import load_evidence

README = Path(__file__).resolve().parents[1] / "README.md"


def _study(sid: str, **fields: object) -> Study:
    base: dict[str, object] = {"id": sid, "label": sid, "species": "human",
                               "condition": Condition(label="Multiple sclerosis", code="G35")}
    return Study(**(base | fields))


def test_readme_table_is_the_generated_one() -> None:
    text = README.read_text(encoding="utf-8")
    block = text[text.index(BEGIN) + len(BEGIN):text.index(END)].strip()
    assert block == condition_table_markdown(condition_counts(load_evidence())), (
        "README.md is out of date: run python scripts/update_readme.py")


def test_each_study_is_counted_once_and_by_kind() -> None:
    studies = [
        _study("trial-2010", design=["randomized", "placebo-controlled"]),
        _study("article-trial", design=["randomized"], primary_source="trial-2010"),  # the same trial, told again
        _study("pilot-2008", design=["open-label", "pilot"]),
        _study("review-2020", design=["systematic-review"]),
        _study("eae-2011", species="animal", design=["animal"],
               condition=Condition(label="Experimental autoimmune encephalomyelitis", code="G35")),
        _study("fm-2013", design=["randomized", "crossover"], condition=Condition(label="Fibromyalgia", code="M79.7")),
        _study("ms-registered", design=["randomized", "placebo-controlled"],
               registration=Registration(registry="ClinicalTrials.gov", id="TEST-1", status="recruiting")),
    ]
    ms, fm = condition_counts(studies)
    assert (ms.label, ms.studies, ms.rcts, ms.reviews, ms.preclinical, ms.registered) == ("Multiple sclerosis", 2, 1, 1,
                                                                                           1, 1)
    assert (fm.label, fm.studies, fm.rcts) == ("Fibromyalgia", 1, 1)
    table = condition_table_markdown([ms, fm])
    assert table.splitlines()[-1] == "| **all conditions** | | **3** | **2** | **1** | **1** | **1** |"


def test_replace_block_keeps_the_rest() -> None:
    doc = f"intro\n{BEGIN}\nold\n{END}\noutro\n"
    assert replace_block(doc, "new") == f"intro\n{BEGIN}\nnew\n{END}\noutro\n"
