"""The drug-facts registry (data/drug_facts.yaml): every fact cited, verified, well formed; the loader's errors."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from ldn_atlas.appraise.audit import drug_claims as dc
from ldn_atlas.appraise.drug_facts import load_drug_facts
from ldn_atlas.errors import InputError
from ldn_atlas.model.drug_facts import DRUG_FACT_TOPICS

#: hosts whose pages count as primary: the label (DailyMed, FDA) and primary records of trials
_PRIMARY_HOSTS = ("dailymed.nlm.nih.gov", "fda.gov", "pubmed.ncbi.nlm.nih.gov", "pmc.ncbi.nlm.nih.gov")
_PUBLISHERS = ("wiley", "epain.org", "synapse.koreamed.org", "clinicaltrials.gov")


def test_the_registry_has_at_least_25_facts_with_unique_ids() -> None:
    reg = load_drug_facts()
    ids = [f.id for f in reg]
    assert len(ids) >= 25 and len(ids) == len(set(ids))


def test_every_fact_has_a_citation_an_address_and_a_verification_level() -> None:
    for f in load_drug_facts():
        assert f.citation.title or f.citation.authors, f.id
        assert f.seen_in and all(urlparse(u).scheme in ("http", "https") and urlparse(u).netloc for u in f.seen_in)
        assert f.verification in ("primary", "secondary", "unverified"), f.id
        assert f.statement.strip() and f.cite, f.id


def test_primary_facts_were_read_on_a_primary_page() -> None:
    for f in load_drug_facts():
        if f.verification != "primary":
            continue
        host = urlparse(f.seen_in[0]).netloc
        assert any(host.endswith(h) for h in _PRIMARY_HOSTS) or any(p in host for p in _PUBLISHERS), (f.id, host)


def test_the_registry_covers_every_topic_the_issue_names() -> None:
    topics = {f.topic for f in load_drug_facts()}
    assert topics == set(DRUG_FACT_TOPICS)


def test_values_are_well_formed() -> None:
    reg = load_drug_facts()
    for f in reg.topic("approval"):
        v = f.values
        assert v.agency and (v.year or v.indications), f.id
        assert v.indication is None or v.indication in ("alcohol dependence", "opioid dependence"), f.id
    for f in reg.with_value("low_dose_range_mg"):
        lo, hi = f.values.low_dose_range_mg or (0, 0)
        assert 0 < lo <= hi < 10
    standard = reg.with_value("standard_mg")[0].values.standard_mg
    typical = reg.with_value("typical_low_dose_mg")[0].values.typical_low_dose_mg
    assert standard and typical and standard / typical > 5


def test_adverse_effect_facts_name_studies_of_the_evidence_base() -> None:
    from ldn_atlas.store.evidence_files import load_evidence

    ids = {s.id for s in load_evidence()}
    reg = load_drug_facts()
    named = [f.values.study for f in reg.topic("adverse-effects-low-dose")]
    named += [s for f in reg for s in f.values.studies]
    missing = [s for s in named if s not in ids]
    assert not missing, f"studies not in the base: {missing}"


_GOOD = """facts:
  - id: a-fact
    topic: dose
    statement: A statement.
    values: {standard_mg: 50}
    citation: {title: A label}
    seen_in: ["https://example.org/label"]
    verification: primary
"""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("standard_mg: 50", "low_dose_range_mg: [5, 1]"), "ordered"),
        (("{title: A label}", "{}"), "title or authors"),
        (("verification: primary", "verification: seen"), "verification"),
        (('["https://example.org/label"]', "[]"), "address"),
        (("standard_mg: 50", "half_life_hours: 4"), "needs one of the values"),
        (("id: a-fact", "id: A Fact"), "slug"),
    ],
)
def test_a_bad_fact_is_one_line_naming_the_fact(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    p = tmp_path / "facts.yaml"
    p.write_text(_GOOD.replace(*change), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_drug_facts(p)
    text = str(err.value)
    assert "\n" not in text and message in text and str(p) in text


def test_duplicate_ids_and_bad_yaml_are_errors(tmp_path: Path) -> None:
    p = tmp_path / "facts.yaml"
    p.write_text(_GOOD + _GOOD.removeprefix("facts:\n"), encoding="utf-8")
    with pytest.raises(InputError, match="duplicate fact ids"):
        load_drug_facts(p)
    p.write_text("facts: [", encoding="utf-8")
    with pytest.raises(InputError, match="invalid YAML"):
        load_drug_facts(p)


@pytest.mark.parametrize(
    ("text", "ratio", "qualifier"),
    [
        ("The low dose of naltrexone is more than ten times lower than the usual dose.", 10, "more"),
        ("LDN is roughly 1/12 of the addiction dose.", 12, "about"),
        ("This naltrexone dose is a fifth of the standard one.", 5, "about"),
    ],
)
def test_dose_ratios_are_read_with_their_qualifier(text: str, ratio: float, qualifier: str) -> None:
    claim = dc.ratio_claim(text)
    assert claim is not None and claim.ratio == ratio and claim.qualifier == qualifier


def test_half_lives_are_read_in_hours_and_the_metabolite_is_told_apart() -> None:
    parent, meta = dc.half_life_claims(
        "Naltrexone has a half-life of 240 minutes, and its metabolite 6-beta-naltrexol a half-life of 0.5 days."
    )
    assert (parent.low, parent.metabolite) == (4.0, False) and (meta.low, meta.metabolite) == (12.0, True)


def test_sentences_without_drug_facts_read_as_nothing() -> None:
    text = "Patients in the pilot were women with fibromyalgia who took 4.5 mg for eight weeks."
    assert dc.approval_claim(text, {"ReVia"}) is None and dc.ratio_claim(text) is None
    assert dc.abuse_claim("Naltrexone helps people recover from addiction.") is None
    assert dc.class_claim("Naltrexone reduced inflammation by acting on microglia.") is None
