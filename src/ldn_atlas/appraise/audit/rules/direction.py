"""AUD5xx: the direction of a result against what the linked trials and reviews found."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ldn_atlas.appraise.audit.outcomes import named_outcomes, shares_word
from ldn_atlas.appraise.audit.wording import NULL
from ldn_atlas.model.classify import (
    outcome_domain,
)
from ldn_atlas.model.evidence import ClaimStrength, Study, Verdict

#: An outcome category that pools improvement with no change ("improved or stabilised").
_COMPOSITE = re.compile(
    r"\b(?:improv\w*|better)\s+(?:or|and/or)\s+(?:stabili[sz]\w*|stable|unchanged|maintained|no worse)\b|"
    r"\b(?:stabili[sz]\w*|stable|unchanged|maintained|no worse)\s+(?:or|and/or)\s+(?:improv\w*|better)\b",
    re.I,
)


_IMPROVE = re.compile(r"\b(improv\w*|better|benefit\w*)\b", re.I)


_NO_CHANGE = re.compile(r"\b(stabili[sz]\w*|stable|unchanged|maintain\w*|no worse|did not worsen)\b", re.I)


def composite_category(primaries: Sequence[Study], text: str) -> list[str]:
    """Records that report the claim's outcome only as "improved or stable" when the claim says "improved".

    A category that pools improvement with no change cannot tell how many improved, so a
    claim of improvement resting on it is not established (a form of spin [3]_).
    """
    if not _IMPROVE.search(text) or _NO_CHANGE.search(text) or NULL.search(text):
        return []
    dom = outcome_domain(text).id
    out = []
    for s in primaries:
        for i, o in enumerate(s.outcomes):
            if not _COMPOSITE.search(o.name) or outcome_domain(o).id != dom:
                continue
            if not shares_word(_COMPOSITE.sub(" ", re.sub(r"\(.*?\)", "", o.name)), text):
                continue
            ver = s.verification_of(f"outcomes[{i}]") or "unverified"
            if ver == "unverified":
                continue
            vals = ", ".join(f"{m.value:g}{'%' if m.kind == 'percent' else ''}" for m in o.measures[:2])
            out.append(f"{s.label} reports '{o.name}'" + (f" ({vals})" if vals else "") + f" [{ver}]")
    return out


def review_verdict(reviews: Sequence[Study], text: str, strength: ClaimStrength) -> tuple[Verdict, list[str]] | None:
    """A claim about what a systematic review found, against the review's own conclusion in that outcome.

    The review's direction wins over the trials it pooled: an unqualified claim of effect where
    the review found the evidence uncertain is overstated; a claim against its direction is
    contradicted.
    """
    dom = outcome_domain(text).id
    found = [(s, o) for s in reviews for o in named_outcomes(s, text, dom, any_if_other=True) if o.direction]
    if not found:
        return None
    dirs = {o.direction for _, o in found}
    said = "; ".join(f"{s.label}: {o.name} {o.direction}" for s, o in found)
    claim_null = bool(NULL.search(text))
    if claim_null:
        if "improved" in dirs:
            return "contradicted", [f"the review reports a benefit ({said})"]
        if dirs == {"no-difference"}:
            return "supported", [f"the review found no difference, as stated ({said})"]
        return "supported-weak", [f"the review found the evidence uncertain ({said})"]
    if dirs == {"no-difference"}:
        verdict: Verdict = "unsupported" if strength == "hedged" else "contradicted"
        return verdict, [f"the review found no difference ({said})"]
    if "improved" in dirs and dirs <= {"improved"}:
        return "supported", [f"the review reports a benefit ({said})"]
    if strength == "hedged":
        return "supported", [f"a hedged claim, as uncertain as the review ({said})"]
    return "overstated", [f"an unqualified claim of effect; the review does not find a clear benefit ({said})"]


def trials_disagree(rcts: Sequence[Study], text: str) -> list[str]:
    """Per-trial directions in the claim's outcome domain when some trials improved and others found no difference."""
    dom = outcome_domain(text).id
    if dom == "other":
        return []
    improved, null = [], []
    for s in rcts:
        dirs = [o.direction for o in named_outcomes(s, text, dom) if o.direction]
        if "improved" in dirs:
            improved.append(s.label)
        elif dirs and all(d == "no-difference" for d in dirs):
            null.append(s.label)
    if improved and null:
        return [f"improved: {'; '.join(improved)}", f"no difference: {'; '.join(null)}"]
    return []
