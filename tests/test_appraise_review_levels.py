"""A systematic review ranks no higher than the studies it includes (OCEBM 2011), when its record says which."""

from __future__ import annotations

from ldn_atlas.appraise.audit import audit_source
from ldn_atlas.appraise.levels import evidence_level, reviews_only_nonrandomised
from ldn_atlas.model.evidence import Condition, Outcome, Source, Study

COVID = Condition(label="Post COVID-19 condition", code="U09.9")


def _review(sid: str, included: list[str]) -> Study:
    return Study(id=sid, label=f"{sid}: review of LDN in long COVID", species="human", condition=COVID,
                 design=["systematic-review"], included_designs=included,  # type: ignore[arg-type]
                 outcomes=[Outcome(name="fatigue", direction="improved")], verification={"*": "primary"})


def test_level_follows_the_included_designs() -> None:
    assert evidence_level(_review("r1", ["randomized"])).level == 1
    assert evidence_level(_review("r2", [])).level == 1  # the record does not say: as before
    uncontrolled = _review("r3", ["observational"])
    assert reviews_only_nonrandomised(uncontrolled)
    assert evidence_level(uncontrolled).level == 4 and "observational" in evidence_level(uncontrolled).basis
    assert evidence_level(_review("r4", ["case-series"])).level == 4


def _verdict(text: str, review: Study) -> tuple[str, str | None]:
    src = Source(id="own-article", kind="article", text=text)
    [claim] = [c for c in audit_source(src, studies=[review]).claims if c.span and c.span.start == 0]
    return claim.verdict, claim.rule


def test_a_review_of_uncontrolled_studies_does_not_decide_a_general_claim() -> None:
    claim = "LDN is effective for long COVID fatigue in most patients."
    _, rule_rct = _verdict(claim, _review("r-rct", ["randomized"]))
    verdict, rule = _verdict(claim, _review("r-prepost", ["observational"]))
    assert rule_rct == "AUD502"  # a review of randomized trials weighs it
    assert rule != "AUD502" and verdict != "supported"
