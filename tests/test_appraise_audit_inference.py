"""The audit's use of evidence inference: a claim's direction against the direction its source reports.

All abstracts are written for these tests (invented trials, not records of real studies).  Two paths:
a trial abstract audited on its own (its conclusion read against its results), and an article whose
claim links to a study whose source text (a PubMed abstract) is in the evidence base.
"""

from __future__ import annotations

from ldn_atlas.appraise.audit import AuditResult, abstract_parts, audit_source
from ldn_atlas.appraise.audit.rules.inference import claimed_direction
from ldn_atlas.model import Claim, Condition, Outcome, Population, Source, Study

NULL_PAIN = (
    "BACKGROUND: Low-dose naltrexone (LDN) is used off-label for chronic widespread pain. "
    "METHODS: We randomly assigned 80 adults with fibromyalgia to LDN 4.5 mg nightly or placebo for 12 weeks. "
    "The primary outcome was average pain intensity on a 0-10 scale. "
    "RESULTS: Seventy-four participants completed the trial. "
    "Average pain intensity did not differ significantly between the LDN and placebo groups "
    "(mean difference -0.3, 95% CI -1.0 to 0.4; p=0.41). "
    "Sleep quality was similar in both groups. "
)
FAITHFUL_FATIGUE = (
    "Chronic fatigue is common after viral illness and has few treatments. "
    "In this double-blind trial, 60 adults with post-viral fatigue received low-dose naltrexone or placebo "
    "for eight weeks. "
    "Fatigue scores fell significantly more with low-dose naltrexone than with placebo (p=0.004). "
    "Insomnia was reported by four participants taking naltrexone. "
    "In conclusion, low-dose naltrexone reduced fatigue compared with placebo in this small trial."
)
WORSE_QOL = (
    "BACKGROUND: Quality of life is poor in long COVID. METHODS: 50 adults were randomised to LDN or placebo. "
    "RESULTS: Quality of life scores were significantly lower in the LDN group than in the placebo group at "
    "week 12 (p=0.01). Headache was more common with LDN. CONCLUSION: LDN improved quality of life in long COVID."
)


def _audit(
    text: str, kind: str = "abstract", studies: list[Study] | None = None, sources: list[Source] | None = None
) -> AuditResult:
    return audit_source(
        Source(id="test-abstract", kind=kind, text=text),
        studies=studies or [],  # type: ignore[arg-type]
        sources=sources or [],
    )


def _last(result: AuditResult) -> Claim:
    return result.claims[-1]


def _cited(claim: Claim, text: str, needle: str) -> None:
    """The reasons cite the sentence containing ``needle``, with offsets that slice it out of ``text``."""
    cite = [r for r in claim.reasons if r.startswith("evidence inference")]
    assert cite, claim.reasons
    a, b = (int(x) for x in cite[0].split("evidence [")[1].split("]")[0].split(":"))
    assert needle in text[a:b]
    assert text[a:b].strip() in cite[0]


def test_conclusion_overstating_a_null_result_is_contradicted_with_the_result_cited() -> None:
    text = NULL_PAIN + "CONCLUSIONS: LDN significantly reduced pain in women with fibromyalgia."
    claim = _last(_audit(text))
    assert claim.verdict == "contradicted", claim.reasons
    assert any("no significant difference" in r for r in claim.reasons)
    _cited(claim, text, "Average pain intensity did not differ significantly")


def test_hedged_conclusion_on_a_null_result_is_unsupported() -> None:
    text = NULL_PAIN + "CONCLUSIONS: LDN may reduce pain in fibromyalgia."
    claim = _last(_audit(text))
    assert claim.verdict == "unsupported", claim.reasons


def test_conclusion_stating_the_null_result_is_supported() -> None:
    text = NULL_PAIN + "CONCLUSIONS: LDN did not reduce pain compared with placebo."
    claim = _last(_audit(text))
    assert claim.verdict == "supported", claim.reasons
    _cited(claim, text, "Average pain intensity did not differ significantly")


def test_faithful_unstructured_abstract_is_supported() -> None:
    claim = _last(_audit(FAITHFUL_FATIGUE))
    assert claim.verdict in ("supported", "supported-weak"), claim.reasons
    _cited(claim, FAITHFUL_FATIGUE, "Fatigue scores fell significantly more")


def test_opposite_direction_uses_outcome_polarity() -> None:
    # quality of life is higher-is-better: "significantly lower" on LDN is a worsening, the claim says improved
    claim = _last(_audit(WORSE_QOL))
    assert claim.verdict == "contradicted", claim.reasons
    assert any("higher is better" in r for r in claim.reasons)
    # pain is lower-is-better: the same wording about pain is an improvement
    text = WORSE_QOL.replace("Quality of life scores", "Pain scores").replace(
        "improved quality of life", "reduced pain"
    )
    claim = _last(_audit(text))
    assert claim.verdict in ("supported", "supported-weak"), claim.reasons


def test_only_conclusion_sentences_are_read_against_the_results() -> None:
    result = _audit(NULL_PAIN + "CONCLUSIONS: LDN significantly reduced pain in women with fibromyalgia.")
    before = [c for c in result.claims[:-1] if any(r.startswith("evidence inference") for r in c.reasons)]
    assert before == []


def test_article_without_abstract_structure_is_not_self_checked() -> None:
    # an article (not an abstract) with a concluding phrase but no RESULTS/CONCLUSION headers
    result = _audit(FAITHFUL_FATIGUE, kind="article")
    assert not any(r.startswith("evidence inference") for c in result.claims for r in c.reasons)
    assert abstract_parts("LDN is a drug. It is cheap.") is None


def testclaimed_direction() -> None:
    assert claimed_direction("LDN did not improve fatigue.") == "no-difference"
    assert claimed_direction("LDN worsened fatigue in two patients.") == "worsened"
    assert claimed_direction("LDN reduced pain.") == "improved"
    assert claimed_direction("The trial enrolled 40 adults.") is None


FM = Condition(label="Fibromyalgia", code="M79.7")


def _linked_base(abstract: str) -> tuple[list[Study], list[Source]]:
    study = Study(
        id="invented-fm-rct",
        label="Invented fibromyalgia RCT",
        source="pubmed-0000001",
        species="human",
        condition=FM,
        design=["randomized", "placebo-controlled", "double-blind"],
        controlled=True,
        comparator="placebo",
        population=Population(n=80),
        outcomes=[Outcome(name="average pain intensity")],
        verification={"*": "primary"},
    )
    return [study], [Source(id="pubmed-0000001", kind="pubmed", text=abstract)]


def test_article_claim_checked_against_linked_study_abstract() -> None:
    studies, sources = _linked_base(NULL_PAIN + "CONCLUSIONS: LDN was not superior to placebo.")
    article = "Fibromyalgia and LDN\n\nIn a randomized trial, LDN reduced average pain intensity in fibromyalgia."
    claim = _last(_audit(article, kind="article", studies=studies, sources=sources))
    assert "invented-fm-rct" in claim.studies
    assert claim.verdict in ("contradicted", "overstated"), claim.reasons
    assert any("pubmed-0000001" in r and "did not differ significantly" in r for r in claim.reasons)


def test_without_source_text_the_verdict_does_not_use_inference() -> None:
    studies, sources = _linked_base(NULL_PAIN)
    sources = [s.model_copy(update={"text": None}) for s in sources]
    article = "Fibromyalgia and LDN\n\nIn a randomized trial, LDN reduced average pain intensity in fibromyalgia."
    claim = _last(_audit(article, kind="article", studies=studies, sources=sources))
    assert not any(r.startswith("evidence inference") for r in claim.reasons)
    assert claim.verdict == "supported"  # the record alone says nothing about direction: the old rule stands


def test_article_claim_agreeing_with_linked_abstract_is_supported() -> None:
    abstract = FAITHFUL_FATIGUE.replace("post-viral fatigue", "fibromyalgia")
    studies, sources = _linked_base(abstract)
    article = "Fibromyalgia and LDN\n\nIn a randomized trial in fibromyalgia, LDN reduced fatigue."
    claim = _last(_audit(article, kind="article", studies=studies, sources=sources))
    assert claim.verdict in ("supported", "supported-weak"), claim.reasons
    _cited(claim, abstract, "Fatigue scores fell significantly more")


def test_linked_abstract_is_read_up_to_its_conclusion() -> None:
    # the source abstract's own conclusion is spun; its results are null: the results decide
    studies, sources = _linked_base(NULL_PAIN + "CONCLUSIONS: LDN reduced pain and should be used in fibromyalgia.")
    article = "Fibromyalgia and LDN\n\nIn a randomized trial, LDN reduced pain in fibromyalgia."
    claim = _last(_audit(article, kind="article", studies=studies, sources=sources))
    assert claim.verdict == "contradicted", claim.reasons
    _cited(claim, sources[0].text or "", "Average pain intensity did not differ significantly")


def test_a_baseline_comparison_does_not_decide() -> None:
    # the only sentence naming the outcome compares the groups before treatment: no override
    text = (
        "BACKGROUND: Fatigue limits daily life in multiple sclerosis. "
        "METHODS: Forty adults were randomly assigned to LDN or placebo for ten weeks. "
        "RESULTS: The baseline mean scores of fatigue were not significantly different between the groups. "
        "Thirty-six participants completed the study. "
        "CONCLUSIONS: LDN reduced fatigue in multiple sclerosis."
    )
    claim = _last(_audit(text))
    assert claim.verdict != "contradicted", claim.reasons
    assert any(r.startswith("evidence inference") for r in claim.reasons)


def test_claimed_direction_reads_negations_and_trends_as_no_direction() -> None:
    assert claimed_direction("This benefit was not reflected in pain scores.") is None
    assert claimed_direction("LDN tended to reduce fatigue.") is None
    assert claimed_direction("LDN did not improve sleep but improved pain.") is None
    assert claimed_direction("Pain was insignificantly reduced.") == "no-difference"
    assert claimed_direction("LDN reduced exacerbations and improved fatigue.") is None  # mixed wording: skipped
