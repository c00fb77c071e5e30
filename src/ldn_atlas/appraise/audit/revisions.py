"""After the verdict: notes and revisions that read the whole sentence, the evidence base and source texts.

In this order (each may replace the verdict, or only add reasons):

1. AUD003 / AUD004: the article's records with a primary record missing, or none identified (notes);
2. AUD602: "LDN has been studied in X", unlinked and not checkable: the base's studies of X;
3. AUD130: a not-checkable animal finding another record of the same animal model reports;
4. AUD603: a claim about which designs a condition's evidence consists of (sources the base does not know);
5. AUD701: "the most recent / the first study" against the base's years (note);
6. AUD604: a supported, unlinked call for research: the certainty of the condition's syntheses (note);
7. AUD510: the direction of an efficacy claim against evidence inference on its sources' text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ldn_atlas.appraise.audit.certainty import certainty_context
from ldn_atlas.appraise.audit.linking import LinkedSentence, condition_key, linked_studies, resolve
from ldn_atlas.appraise.audit.outcomes import primary_confirms
from ldn_atlas.appraise.audit.rules.base import Reason, reasons_of
from ldn_atlas.appraise.audit.rules.general import STUDIED, evidence_base_claim, studied_in_base
from ldn_atlas.appraise.audit.rules.inference import inference_check
from ldn_atlas.appraise.audit.rules.temporal import TEMPORAL, temporal_check
from ldn_atlas.appraise.audit.wording import CAVEAT
from ldn_atlas.model.evidence import ClaimKind, ClaimStrength, Study, Verdict


@dataclass
class Judged:
    """A claim's verdict as it stands: the rule that decided it, the verdict and the reasons so far."""

    rule: str
    verdict: Verdict
    reasons: list[Reason]

    def replace(self, rule: str, verdict: Verdict, reasons: Sequence[Reason]) -> None:
        self.rule, self.verdict, self.reasons = rule, verdict, list(reasons)


@dataclass(frozen=True)
class Sentence:
    """What the revisions read about one sentence besides its verdict."""

    text: str
    kind: ClaimKind
    strength: ClaimStrength
    links: LinkedSentence
    #: the sentence's section (its heading, else the article's topic), for claims naming no condition
    context: str | None


def record_notes(j: Judged, s: Sentence, by_id: dict[str, Study]) -> None:
    """AUD003 / AUD004: the article's records whose primary record is missing, or was never identified."""
    for d in s.links.here:
        if d.study.primary_source and resolve(d.study, by_id) is None:
            j.reasons.append(
                Reason(
                    "AUD003",
                    f"primary record {d.study.primary_source} is not in the evidence base; checked "
                    "against the article's own record and its verification levels",
                )
            )
        elif not d.study.primary_source:
            j.reasons.append(Reason("AUD004", f"{d.study.label}: no primary record identified"))


def studied(j: Judged, s: Sentence, studies: Sequence[Study]) -> None:
    """AUD602: "LDN has been studied in X", with no link and nothing checkable."""
    if j.verdict == "not-checkable" and not s.links.linked and STUDIED.search(s.text):
        found = studied_in_base(s.text, studies)
        if found:
            j.replace("AUD602", "supported", [Reason("AUD602", found)])


def same_animal_model(j: Judged, s: Sentence, studies: Sequence[Study]) -> None:
    """AUD130: another primary record in the same animal model reports the finding (it is then linked too)."""
    linked, primaries = s.links.linked, s.links.primaries
    if j.verdict != "not-checkable" or not any(x.species != "human" for x in linked):
        return
    models = {condition_key(p) for p in primaries} | {condition_key(d.study) for d in s.links.here}
    same_model = [
        x
        for x in studies
        if x.species != "human" and x.primary_source is None and x not in primaries and condition_key(x) in models
    ]
    seen = primary_confirms(same_model, s.text)
    if not seen:
        return
    for x in same_model:
        if any(r.startswith(f"{x.label}:") for r in seen):
            linked.extend(linked_studies([], [x], {}))
    j.replace(
        "AUD130",
        "supported-indirect",
        [
            *j.reasons,
            Reason(
                "AUD130",
                f"another primary record in the same animal model reports it ({'; '.join(seen)}): "
                "indirect evidence for patients",
            ),
        ],
    )


def evidence_base(j: Judged, s: Sentence, studies: Sequence[Study]) -> None:
    """AUD603: which designs the evidence for a condition consists of."""
    about_base = evidence_base_claim(s.text, s.context, studies)
    if about_base is not None:
        j.replace("AUD603", about_base[0], reasons_of("AUD603", about_base[1]))


def notes(j: Judged, s: Sentence, studies: Sequence[Study], cache: dict[str, Any]) -> None:
    """AUD701 (most recent / first study) and AUD604 (the certainty behind a call for research)."""
    if s.links.primaries and TEMPORAL.search(s.text):
        j.reasons.extend(reasons_of("AUD701", temporal_check(s.text, s.links.primaries, studies)))
    if j.verdict == "supported" and CAVEAT.search(s.text) and not s.links.linked:
        j.reasons.extend(reasons_of("AUD604", certainty_context(s.text, studies, cache)))


def inferred(j: Judged, s: Sentence, texts: Sequence[tuple[str, str, str]]) -> None:
    """AUD510: evidence inference on the source texts; a changed verdict keeps only the links as reasons."""
    found = inference_check(s.text, s.kind, s.strength, j.verdict, s.links.primaries, texts)
    if found is None:
        return
    if found[0] != j.verdict:  # the earlier reasons argued for the old verdict: keep only the links
        j.replace("AUD510", found[0], [r for r in j.reasons if r.text.startswith("linked to")])
    j.reasons.extend(reasons_of("AUD510", found[1]))


def revise(
    j: Judged,
    s: Sentence,
    *,
    studies: Sequence[Study],
    by_id: dict[str, Study],
    article_has_records: bool,
    texts: Sequence[tuple[str, str, str]],
    cache: dict[str, Any],
) -> Judged:
    """Apply the notes and revisions to a claim's verdict, in the order of the module docstring."""
    record_notes(j, s, by_id)
    studied(j, s, studies)
    same_animal_model(j, s, studies)
    if not article_has_records:
        evidence_base(j, s, studies)
    notes(j, s, studies, cache)
    inferred(j, s, texts)
    return j
