"""Every audit rule against its own examples, through the real audit.

Each rule of the registry carries invented sentences it must fire on (``fires_on``) and must not
(``passes``).  An example is audited as a small source of its own (its context, then the sentence) with
the embedded evidence base; the rule fires when its code is among the reasons of the sentence's claim
(``findings``) or decided its verdict (``rule``).  An example with ``article_record`` is an article the
base has a record of: the sentence (or its context) describes a study whose design field is unverified and
whose primary record is the id given ("" for none identified).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

import pytest

from ldn_atlas.appraise.audit import audit_source
from ldn_atlas.appraise.audit.rules.base import Example, Rule
from ldn_atlas.appraise.audit.rules.registry import RULES
from ldn_atlas.appraise.audit.verdict import PRECEDENCE
from ldn_atlas.model import Claim, Condition, Source, Span, Study


@lru_cache(maxsize=1)
def _base() -> tuple[tuple[Study, ...], tuple[Source, ...]]:
    from ldn_atlas.store.evidence_files import load_evidence, load_sources

    return tuple(load_evidence()), tuple(load_sources())


def _article_record(example: Example, text: str, sha256: str) -> tuple[Study, Source]:
    """A curated record of the example article: one study, its design unverified.

    The record's span covers the context when there is one (the sentence then inherits the study from
    it, with no field of its own), else the sentence.
    """
    described = example.context or example.sentence
    start = text.index(described)
    curated = Source(id="example-curated", kind="curated", sha256=sha256)
    record = Study(
        id="example-record",
        label="Example pilot",
        source=curated.id,
        primary_source=example.article_record or None,
        species="human",
        condition=Condition(label="Fibromyalgia", code="M79.7"),
        design=["pilot"],
        provenance={"design": [Span(source=curated.id, start=start, end=start + len(described))]},
        verification={"design": "unverified"},
    )
    return record, curated


def audit_example(example: Example) -> Claim:
    """The claim of the example's sentence, audited with the embedded evidence base."""
    text = f"{example.context} {example.sentence}" if example.context else example.sentence
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    source = Source(id="example", kind="article", text=text, sha256=sha)
    studies, sources = _base()
    if example.article_record is not None:
        record, curated = _article_record(example, text, sha)
        studies, sources = (*studies, record), (*sources, curated)
    result = audit_source(source, studies=studies, sources=sources)
    claims = [c for c in result.claims if c.text.endswith(example.sentence)]  # "CONCLUSIONS: ..." reads as one
    assert claims, f"the sentence is not read as a claim: {example.sentence!r}"
    return claims[-1]


def fires(rule: Rule, claim: Claim) -> bool:
    return claim.rule == rule.code or any(f["rule"] == rule.code for f in claim.findings)


def _cases(which: str) -> list[tuple[str, Example]]:
    return [(r.code, x) for r in RULES.values() for x in getattr(r, which)]


def test_every_rule_has_examples_of_both_kinds() -> None:
    missing = [r.code for r in RULES.values() if not r.fires_on or not r.passes]
    assert not missing, f"rules without an example they fire on and one they pass: {missing}"


def test_every_check_has_its_place_in_the_precedence() -> None:
    checks = {r.code for r in RULES.values() if r.stage == "check"}
    assert checks == set(PRECEDENCE) and len(PRECEDENCE) == len(set(PRECEDENCE))


def test_every_rule_is_documented() -> None:
    for r in RULES.values():
        assert r.code.startswith("AUD") and len(r.code) == 6, r.code
        assert r.summary and len(r.doc.splitlines()) >= 2, f"{r.code}: a summary line and a few lines of doc"
        assert (r.stage == "note") == (not r.verdicts), f"{r.code}: a check or revision names its verdicts"


@pytest.mark.parametrize(("code", "example"), _cases("fires_on"), ids=lambda x: x if isinstance(x, str) else "")
def test_rule_fires_on_its_examples(code: str, example: Example) -> None:
    claim = audit_example(example)
    assert fires(RULES[code], claim), f"{code} did not fire: rule {claim.rule}, findings {claim.findings}"


@pytest.mark.parametrize(("code", "example"), _cases("passes"), ids=lambda x: x if isinstance(x, str) else "")
def test_rule_passes_its_counter_examples(code: str, example: Example) -> None:
    claim = audit_example(example)
    assert not fires(RULES[code], claim), f"{code} fired: rule {claim.rule}, findings {claim.findings}"


def test_a_rule_that_does_not_fire_fails_its_example() -> None:
    """The check can fail: a sentence that fires one rule is not counted as firing another."""
    claim = audit_example(Example("Many people first hear about the treatment from a friend or a forum."))
    assert fires(RULES["AUD006"], claim) and not fires(RULES["AUD101"], claim)
