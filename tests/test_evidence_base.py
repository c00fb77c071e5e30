"""The embedded evidence base as a whole: size, codes, counts, identifiers, verification levels."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from ldn_atlas.model.evidence import Study
from ldn_atlas.store.evidence_files import load_evidence, load_evidence_base
from ldn_atlas.vocabulary import load_vocabulary

REQUIRED = {
    "gironi-2008",
    "turel-2015",
    "sharafaddinzadeh-2010",
    "cree-2010",
    "ludwig-2016",
    "ludwig-2017",
    "younger-2009",
    "parkitny-2017",
    "chopra-2013",
    "younger-2013",
    "bruun-2024-final",
    "smith-2007",
    "smith-2011",
    "smith-2013",
    "okelly-2022",
}

# Numbers that are computed from numbers in primary-sources.md rather than copied from it.
# Day counts (weeks x 7, months x 30.44) are derived everywhere and handled by the path suffix.
DERIVED = {
    "ludwig-2016": {"population.n"},  # 23 + 31
    "younger-2013": {  # 28.8 -/+ 9.3 and 18.0 -/+ 10.8 (the paper's +/- are 95% CI half-widths)
        "outcomes[0].measures[0].ci_lb",
        "outcomes[0].measures[0].ci_ub",
        "outcomes[0].measures[1].ci_lb",
        "outcomes[0].measures[1].ci_ub",
    },
}


def numeric_fields(value: Any, path: str = "") -> list[tuple[str, float]]:
    out: list[tuple[str, float]] = []
    if isinstance(value, bool) or value is None:
        return out
    if isinstance(value, int | float):
        return [(path, float(value))]
    if isinstance(value, dict):
        for key, item in value.items():
            if not path and key in ("provenance", "verification", "citation"):
                continue
            out += numeric_fields(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += numeric_fields(item, f"{path}[{index}]")
    return out


@pytest.fixture(scope="module")
def studies() -> list[Study]:
    return load_evidence()


@pytest.fixture(scope="module")
def curated(studies: list[Study]) -> list[Study]:
    return [s for s in studies if s.source == "primary-sources-md"]


def test_size_and_required_studies(studies: list[Study]) -> None:
    ids = {s.id for s in studies}
    assert len(studies) >= 26
    assert ids >= REQUIRED
    assert sum(1 for s in studies if s.source == "article-8ba770466c0a1f04") == 12


def test_every_study_has_code_design_and_known_condition(studies: list[Study]) -> None:
    vocabulary = load_vocabulary()
    known_codes = {code for entry in vocabulary for code in entry.codes}
    for study in studies:
        assert study.condition.code, study.id
        assert study.design, study.id
        assert study.condition.code in known_codes, (study.id, study.condition.code)
        assert vocabulary.by_code(study.condition.code) is not None, study.id


def test_human_studies_have_n_where_a_count_is_known(studies: list[Study]) -> None:
    # studies whose sources give no participant count at all
    no_count = {"ludwig-2017", "article-ms-serum-ogf", "vatvani-2024",
                # reviews whose abstracts give no participant total (issue 15, FM / long COVID share)
                "partridge-2023", "yang-2023", "saif-2026", "worksafebc-2022",
                "ldn-fm-meta-analysis-ann-med-surg-2025", "ologunowa-2025"}
    for study in studies:
        if study.species == "human" and study.id not in no_count:
            assert study.population.n is not None and study.population.n > 0, study.id
        if study.population.n_analyzed is not None and study.population.n_enrolled is not None:
            assert study.population.n_analyzed <= study.population.n_enrolled, study.id


def test_every_number_has_a_verification_level(studies: list[Study]) -> None:
    for study in studies:
        for path, _ in numeric_fields(study.model_dump(mode="json")):
            assert study.verification_of(path) in ("primary", "secondary", "unverified"), (study.id, path)


def test_verification_keys_point_at_fields(studies: list[Study]) -> None:
    for study in studies:
        data = study.model_dump(mode="json")
        for key in study.verification:
            if key == "*":
                continue
            node: Any = data
            for part in re.findall(r"[^.\[\]]+|\[\d+\]", key):
                if part.startswith("["):
                    index = int(part[1:-1])
                    assert isinstance(node, list) and index < len(node), (study.id, key)
                    node = node[index]
                else:
                    assert isinstance(node, dict) and part in node, (study.id, key)
                    node = node[part]


def test_curated_numbers_appear_in_primary_sources(curated: list[Study], shared_dir: Path) -> None:
    """No invented numbers: each number of a curated study is in primary-sources.md (or derived, listed)."""
    text = (shared_dir / "evidence" / "primary-sources.md").read_text(encoding="utf-8").replace("\u2212", "-")
    missing = []
    for study in curated:
        for path, value in numeric_fields(study.model_dump(mode="json")):
            if path.endswith("days") or path in DERIVED.get(study.id, set()):
                continue
            whole = f"{value:g}"
            forms = {whole, f"{value:.1f}", f"{value:.2f}"}
            pattern = r"(?<![\d.])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\d])"
            if not re.search(pattern, text):
                missing.append(f"{study.id}: {path} = {whole}")
    assert not missing, "\n".join(missing)


def test_curated_identifiers_appear_in_primary_sources(curated: list[Study], shared_dir: Path) -> None:
    text = (shared_dir / "evidence" / "primary-sources.md").read_text(encoding="utf-8")
    for study in curated:
        citation = study.citation
        if citation is None:
            continue
        for identifier in (
            citation.pmid,
            citation.doi,
            citation.pmcid,
            citation.nct,
            *citation.other_ids.values(),
        ):
            if identifier is not None:
                assert identifier in text, (study.id, identifier)
        for author in citation.authors:
            assert author in text, (study.id, author)
        for url in study.references:
            assert url in text, (study.id, url)


def test_secondary_and_unverified_markers_respected(studies: list[Study]) -> None:
    by_id = {s.id: s for s in studies}
    final = by_id["bruun-2024-final"]
    assert final.verification_of("outcomes[0].measures[0].value") == "primary"
    assert final.verification_of("outcomes[0].responders[2].count") == "secondary"
    assert final.citation is not None and final.citation.other_ids["eudract"] == "2019-000702-30"
    assert final.verification_of("citation.pmid") == "secondary"
    younger = by_id["younger-2013"]
    assert all(m.sd is None for m in younger.outcomes[0].measures)  # 95% CIs, not SDs
    assert younger.verification_of("outcomes[0].measures[0].ci_lb") == "secondary"
    assert by_id["younger-2009"].verification_of("outcomes[0].measures[1].value") == "secondary"
    assert by_id["turel-2015"].verification_of("outcomes[0].measures[0].value") == "secondary"
    assert by_id["cree-2010"].population.n_enrolled == 80 and by_id["cree-2010"].population.n_analyzed == 60


def test_primary_links_cover_the_article(studies: list[Study]) -> None:
    base = load_evidence_base()
    links = {s.id: s.primary_source for s in base.studies if s.source == "article-8ba770466c0a1f04"}
    assert links["article-ms-8wk-trial"] == "cree-2010"
    assert links["article-ms-serum-ogf"] == "ludwig-2017"
    assert links["article-fm-pilot"] == "younger-2009"
    assert links["article-crps-case-series"] == "chopra-2013"
    assert sum(1 for v in links.values() if v is not None) >= 10
