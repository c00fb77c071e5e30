"""Registered trials whose results the base does not hold: shown on their condition's page, never pooled."""

from __future__ import annotations

from pathlib import Path

from ldn_atlas.appraise.synthesis import synthesise
from ldn_atlas.model.evidence import Condition, Measure, Outcome, Registration, Study
from ldn_atlas.report import build_atlas, write_report
from ldn_atlas.report.view import slugify

MS = Condition(label="Multiple sclerosis", code="G35")


def _studies() -> list[Study]:
    done = Study(id="done-2010", label="Done 2010: trial of LDN in MS", species="human", condition=MS,
                 design=["randomized", "placebo-controlled"], controlled=True, population={"n": 40},
                 outcomes=[Outcome(name="fatigue", measures=[Measure(arm="ldn", kind="mean", value=3.0, sd=1.0, n=20),
                                                             Measure(arm="placebo", kind="mean", value=3.5, sd=1.0,
                                                                     n=20)])],
                 verification={"*": "primary"})
    ongoing = Study(id="ongoing-2025", label="Ongoing 2025: registered trial of LDN for MS fatigue", species="human",
                    condition=MS, design=["randomized", "placebo-controlled", "double-blind"], controlled=True,
                    population={"n": 120},
                    registration=Registration(registry="ClinicalTrials.gov", id="TEST-2", status="recruiting",
                                              enrolment_target=120, start="2025-03", results_posted=False),
                    verification={"*": "primary"})
    return [done, ongoing]


def test_a_registered_entry_is_marked_and_not_pooled() -> None:
    done, ongoing = _studies()
    assert ongoing.registered_only and not done.registered_only
    report = synthesise([done, ongoing])
    assert all("ongoing-2025" not in {r.study for r in s.rows} for s in report.syntheses)


def test_condition_page_lists_registered_trials(tmp_path: Path) -> None:
    atlas = build_atlas(_studies())
    written = write_report(atlas, tmp_path / "out")
    page = (written.out_dir / "conditions" / f"{slugify('multiple-sclerosis')}.html").read_text(encoding="utf-8")
    section = page[page.index("Registered trials without results"):page.index("<h2>Studies</h2>")]
    assert "Ongoing 2025" in section and "recruiting" in section and "TEST-2" in section
    assert "Done 2010" not in section


def test_the_audit_does_not_count_a_registered_trial_as_evidence() -> None:
    from ldn_atlas.appraise.audit import audit_source
    from ldn_atlas.model.evidence import Source

    crps = Condition(label="Complex regional pain syndrome type I", code="G90.5-")
    cases = [Study(id=f"case-{i}", label=f"Case {i}: LDN in CRPS", species="human", condition=crps,
                   design=["case-report"], population={"n": 1}, verification={"*": "primary"}) for i in (1, 2)]
    registered = Study(id="reg-2024", label="Registered RCT of LDN in CRPS", species="human", condition=crps,
                       design=["randomized", "placebo-controlled"], controlled=True, population={"n": 40},
                       registration=Registration(registry="ClinicalTrials.gov", id="TEST-3", status="recruiting"))
    text = "The evidence for LDN in CRPS consists of case reports rather than controlled trials."
    source = Source(id="own-crps", kind="article", text=text)
    without = audit_source(source, studies=cases).claims[0]
    with_registered = audit_source(source, studies=[*cases, registered]).claims[0]
    assert without.verdict == with_registered.verdict == "supported"
