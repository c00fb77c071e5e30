"""Every identifier in the embedded evidence base is well formed (issue 15's acceptance).

The model rejects a PMID that is not digits, a DOI without the "10." prefix and a malformed NCT number when any
record is read, but stays lenient with what real records carry (a versioned PMCID such as ``PMC6134338.4``, DOIs
of unusual shape in MEDLINE); the embedded base is held to the full patterns here. ``other_ids`` holds the
rest (EudraCT, Cochrane review numbers, PROSPERO, a protocol's PMID...). Each of its keys must be of a
known kind, recognised by its suffix, and match that kind's pattern, so a new kind of identifier comes
with its own check.
"""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from ldn_atlas.model.evidence import Citation, Study
from ldn_atlas.store.evidence_files import load_evidence

#: A DOI: the "10." directory indicator, a registrant code of four or more digits (dot-separated
#: sub-codes allowed), a slash and a suffix without spaces (DOI Handbook, section 2.2).
DOI_PATTERN = re.compile(r"10\.\d{4,9}(?:\.\d+)*/\S+")

# kind of identifier (the key or its last '_'-separated part) -> its pattern
PATTERNS: dict[str, re.Pattern[str]] = {
    "pmid": re.compile(r"\d{1,9}"),
    "doi": DOI_PATTERN,
    "pmcid": re.compile(r"PMC\d+(?:\.\d+)?"),
    "nct": re.compile(r"NCT\d{8}"),
    "eudract": re.compile(r"\d{4}-\d{6}-\d{2}"),
    "cochrane": re.compile(r"CD\d{6}(?:\.pub\d+)?"),
    "isrctn": re.compile(r"ISRCTN\d{8}"),
    "prospero": re.compile(r"CRD\d{11}"),
    "anzctr": re.compile(r"ACTRN\d{14}"),
    "irct": re.compile(r"IRCT\d+N\d+"),
    "ctri": re.compile(r"CTRI/\d{4}/\d{2,3}/\d{6}"),
    "irb": re.compile(r"\d{4,12}"),  # an ethics board's protocol number (e.g. washu_irb)
    "article": re.compile(r"\d{4,12}"),  # a publisher's article number (e.g. jamanetwork_article)
    "abstract": re.compile(r"\d{1,6}"),  # a meeting abstract's number (e.g. acr2013_abstract)
    "rebec": re.compile(r"RBR-[0-9A-Za-z]{5,10}"),  # Brazilian Registry of Clinical Trials
    "inahta": re.compile(r"\d{8,12}"),  # INAHTA HTA database record
}


def _kind(key: str) -> str:
    for kind in PATTERNS:
        if key == kind or key.endswith(f"_{kind}") or key.startswith(f"{kind}_"):
            return kind
    return key


def _identifiers(study: Study) -> list[tuple[str, str]]:
    cit = study.citation
    if cit is None:
        return []
    fixed = [(k, v) for k, v in (("pmid", cit.pmid), ("doi", cit.doi), ("pmcid", cit.pmcid), ("nct", cit.nct)) if v]
    return fixed + sorted(cit.other_ids.items())


STUDIES = load_evidence()


@pytest.mark.parametrize("study", STUDIES, ids=lambda s: s.id)
def test_every_identifier_is_well_formed(study: Study) -> None:
    for key, value in _identifiers(study):
        kind = _kind(key)
        assert kind in PATTERNS, f"{study.id}: other_ids key {key!r} is of no known kind; add its pattern here"
        assert PATTERNS[kind].fullmatch(value), f"{study.id}: {key} {value!r} is not a well-formed {kind}"


def _same_paper(a: str, b: str) -> bool:
    """Records of the parts of one paper are named ``<paper>`` and ``<paper>-<part>`` (``ludwig-2017-eae``)."""
    short, long = sorted((a, b), key=len)
    return long.startswith(short + "-")


def test_no_two_studies_share_a_trial_identifier() -> None:
    """A PMID, DOI or NCT number names one record: the article's accounts of a study point at it instead
    (``primary_source``); only the parts of one paper (a human and an animal experiment) share its PMID/DOI."""
    seen: dict[tuple[str, str], str] = {}
    for study in STUDIES:
        for key, value in _identifiers(study):
            if key in ("pmid", "doi", "nct"):
                other = seen.setdefault((key, value.lower()), study.id)
                shared_paper = key != "nct" and _same_paper(other, study.id)
                assert other == study.id or shared_paper, f"{key} {value} is on both {other} and {study.id}"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pmid", "PMID 123"),
        ("doi", "doi:10.1002/ana.22006"),
        ("doi", "https://doi.org/10.1002/ana.22006"),
        ("nct", "NCT123"),
    ],
)
def test_the_model_rejects_malformed_identifiers(field: str, value: str) -> None:
    with pytest.raises(ValidationError):
        Citation(**{field: value})


@pytest.mark.parametrize(
    ("field", "value"),
    [("doi", "10.1002/ana.22006"), ("doi", "10.1007/s11916-025-01411-1"), ("doi", "10.1002/14651858.CD010410.pub3"),
     ("pmcid", "PMC4935426"), ("nct", "NCT01874951"), ("pmid", "20695007")],
)
def test_the_model_accepts_well_formed_identifiers(field: str, value: str) -> None:
    assert getattr(Citation(**{field: value}), field) == value
    assert PATTERNS[field].fullmatch(value)


@pytest.mark.parametrize("value", ["10.12/short-registrant", "10.1002/with space", "10.1002/", "doi 10.1002/x"])
def test_the_base_pattern_rejects_malformed_dois(value: str) -> None:
    assert not DOI_PATTERN.fullmatch(value)


@pytest.mark.parametrize(
    ("key", "value", "ok"),
    [("eudract", "2019-000702-30", True), ("eudract", "2019-702-30", False), ("protocol_pmid", "34992118", True),
     ("letter_pmid", "PMID34992118", False), ("nct_inferred", "NCT00501696", True), ("cochrane", "CD010410.pub3", True),
     ("prospero", "CRD42024511451", True), ("prospero", "CRD4202451", False)],
)
def test_other_ids_kinds(key: str, value: str, ok: bool) -> None:
    assert bool(PATTERNS[_kind(key)].fullmatch(value)) is ok
