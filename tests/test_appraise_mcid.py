"""The MCID registry: every entry cited and verified, lookups, and classification against an MCID."""

from __future__ import annotations

import pytest

from ldn_atlas.appraise.mcid import classify_against_mcid, load_mcid_registry, percent_mcid_to_points
from ldn_atlas.errors import InputError


def test_registry_entries_are_cited_and_verified() -> None:
    reg = load_mcid_registry()
    assert len(reg.entries) >= 10
    for e in reg.entries:
        assert e.verification in ("primary", "secondary"), e.id
        assert e.seen_in and all(u.startswith("http") for u in e.seen_in), e.id
        assert e.citation.title or e.citation.journal, e.id
        assert e.threshold > 0
    immpact = reg.get("immpact-pain-moderate")
    assert immpact.threshold == 30 and immpact.citation.year == 2008 and immpact.citation.journal == "J Pain"
    assert immpact.citation.doi == "10.1016/j.jpain.2007.09.005"
    # the instruments searched for and not found are said, not filled in
    assert any("FIQR" in row["instrument"] for row in reg.not_recorded)


def test_find_prefers_condition_and_specific_alias() -> None:
    reg = load_mcid_registry()
    assert reg.find("FIQ total score", "fibromyalgia")[0].id == "bennett-fiq-total"
    assert reg.find("Pain NRS 0-10", "M79.7", level="moderate")[0].id == "immpact-pain-moderate"
    assert reg.find("MSIS-29 physical", "G35")[0].id == "costelloe-msis29-physical"
    assert reg.find("PCDAI", "K50.9", kinds=["responder"])[0].threshold == 12.5
    assert reg.find("Chalder fatigue scale") == []


@pytest.mark.parametrize(
    ("est", "lo", "hi", "verdict"),
    [
        (-2.0, -2.8, -1.2, "exceeds-mcid"),
        (-1.3, -2.0, -0.6, "may-exceed-mcid"),
        (-0.34, -0.95, 0.27, "below-mcid-uncertain"),
        (-0.3, -0.6, -0.1, "below-mcid"),
        (0.49, -0.32, 1.31, "favours-control"),
    ],
)
def test_classify_against_mcid_lower_is_better(est: float, lo: float, hi: float, verdict: str) -> None:
    # MCID 1 point: -0.95 does not reach it, -2.0 does
    got = classify_against_mcid(est, lo, hi, 1.0 if verdict != "below-mcid-uncertain" else 0.63, better="lower")
    assert got.verdict == verdict


def test_classify_higher_is_better_and_no_mcid() -> None:
    assert classify_against_mcid(3.3, 0.2, 6.4, 2.5, better="higher").verdict == "may-exceed-mcid"
    assert classify_against_mcid(3.3, 0.2, 6.4, None, better="higher").verdict == "no-mcid"
    with pytest.raises(InputError):
        classify_against_mcid(1, 0, 2, -1.0, better="higher")


def test_percent_mcid_in_points() -> None:
    reg = load_mcid_registry()
    assert percent_mcid_to_points(reg.get("immpact-pain-minimal"), 6.3) == pytest.approx(0.63)
    with pytest.raises(InputError):
        percent_mcid_to_points(reg.get("costelloe-msis29-physical"), 50)


def test_bad_registry_files_fail_in_one_line(tmp_path) -> None:
    bad = tmp_path / "m.yaml"
    bad.write_text("entries:\n  - id: x\n    instrument: y\n", encoding="utf-8")
    with pytest.raises(InputError, match="entry x: aliases: missing field"):
        load_mcid_registry(bad)
    bad.write_text("entries: [\n", encoding="utf-8")
    with pytest.raises(InputError, match="invalid YAML"):
        load_mcid_registry(bad)
    good = load_mcid_registry().entries[0].to_dict()
    good["verification"] = "unverified"
    import yaml

    bad.write_text(yaml.safe_dump({"entries": [good]}), encoding="utf-8")
    with pytest.raises(InputError, match="verification"):
        load_mcid_registry(bad)
