"""One claim's verdict from its findings: the rules in order of precedence, the first that fires decides.

The order is the audit's judgement: a condition placed in the wrong chapter is judged before anything
else, then a statement about the drug itself (an approval, a dose, a half-life) against the
drug-facts registry; overclaiming language (for the design behind it) before safety, numbers and
directions; a general claim against the condition's certainty before caveats; and support graded by
design last.  A new rule takes its place in :data:`PRECEDENCE`.
"""

from __future__ import annotations

from collections.abc import Sequence

from ldn_atlas.appraise.audit.claims import Numbers
from ldn_atlas.appraise.audit.result import LinkedStudy
from ldn_atlas.appraise.audit.rules.base import ClaimContext, Finding, Reason, claim_context
from ldn_atlas.appraise.audit.rules.registry import RULES
from ldn_atlas.model.evidence import ClaimKind, ClaimStrength, Study, Verdict

#: The rules that can decide a verdict, in order of precedence: the first whose check fires decides.
PRECEDENCE: tuple[str, ...] = (
    "AUD301",  # a condition in the wrong ICD-10 chapter
    "AUD801",  # drug facts against the registry: an approval (agency, year, indication, brand)
    "AUD803",  #   a ratio of the standard to the low dose
    "AUD802",  #   a standard or low dose in mg
    "AUD804",  #   a half-life
    "AUD805",  #   abuse and dependence potential
    "AUD806",  #   naltrexone with opioids
    "AUD807",  #   the drug's class
    "AUD808",  #   its side effects at low dose
    "AUD101",  # animal or in-vitro work presented as human evidence
    "AUD102",  # a mechanism stated as established in patients
    "AUD501",  # a result the randomized trials found null on the outcome named
    "AUD103",  # words of proof
    "AUD104",  # causal or strong claims from case reports
    "AUD105",  # intensifiers stronger than the design or the effect
    "AUD401",  # an absolute claim of safety against reported harms
    "AUD402",  # a general claim of safety
    "AUD201",  # numbers that differ from the primary record
    "AUD502",  # what a systematic review concluded
    "AUD503",  # trials that disagree
    "AUD504",  # a result with a stated exception
    "AUD505",  # the direction of the trial's result
    "AUD601",  # a general claim against the condition's certainty
    "AUD506",  # an "improved or stable" category reported as improvement
    "AUD106",  # caveats and calls for research
    "AUD005",  # nothing confirmable
    "AUD006",  # no linked study
    "AUD007",  # no primary record
    "AUD202",  # result figures the records do not contain
    "AUD110",  # descriptions: design words against the record
    "AUD111",  #   animal or in-vitro work
    "AUD112",  #   nothing to confirm
    "AUD204",  #   numbers matching no record
    "AUD113",  #   matching the record
    "AUD120",  # results: animal or in-vitro findings
    "AUD121",  #   weaker designs than a randomized trial
    "AUD008",  #   unconfirmed fields
    "AUD122",  #   small randomized trials
    "AUD123",  #   consistent with the randomized trial
)


def decide(ctx: ClaimContext) -> Finding:
    """The finding of the first rule in :data:`PRECEDENCE` that fires on the claim."""
    for code in PRECEDENCE:
        check = RULES[code].check
        assert check is not None, code
        found = check(ctx)
        if found is not None:
            return found
    raise AssertionError("AUD123 decides every claim no earlier rule decides")  # pragma: no cover


def judge(
    text: str,
    kind: ClaimKind,
    strength: ClaimStrength,
    linked: Sequence[LinkedStudy],
    primaries: Sequence[Study],
    described: Sequence[Study],
    confirmed: Sequence[str],
    unconfirmed: Sequence[str],
    nums: Numbers,
    *,
    certainty: Sequence[tuple[str, str]] = (),
) -> tuple[Verdict, list[str]]:
    """The verdict and reasons for one claim (see :data:`PRECEDENCE` and the rules of the registry).

    ``certainty`` gives (synthesis label, GRADE certainty) for the condition x outcome the claim is about,
    used to weigh general claims about the treatment ("LDN reduces pain in X").
    """
    found = decide(
        claim_context(text, kind, strength, linked, primaries, described, confirmed, unconfirmed, nums, certainty)
    )
    return found.verdict, found.texts


def dedupe(items: Sequence[Reason]) -> list[Reason]:
    """The reasons without empty or repeated texts (the first rule to give a text keeps it)."""
    seen: set[str] = set()
    out = []
    for r in items:
        if r.text and r.text not in seen:
            seen.add(r.text)
            out.append(r)
    return out


__all__ = ["PRECEDENCE", "decide", "dedupe", "judge"]
