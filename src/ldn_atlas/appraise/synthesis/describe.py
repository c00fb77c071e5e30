"""A study's numbers in words, as a row's ``raw`` text shows them: p-values and responder counts."""

from __future__ import annotations

from ldn_atlas.appraise.synthesis.reading import is_ldn, verification
from ldn_atlas.model.evidence import Measure, Outcome, Study


def p_text(outcome: Outcome) -> str:
    """The p-value as the record writes it ("P<0.01"), else ``p = value``; never "p p=..."."""
    if outcome.p_text:
        text = outcome.p_text.strip()
        return text if text[:1].lower() == "p" else f"p {text}"
    return f"p = {outcome.p:g}" if outcome.p is not None else ""


def responders_text(count: int, n: int, thr: float) -> str:
    """``20/49 (41%, exact 95% CI 27% to 56%)`` through :func:`ldn_atlas.stats.clinical.responder_proportion`."""
    from ldn_atlas.stats.clinical import responder_proportion

    rp = responder_proportion(count, n, threshold_percent=thr)
    return f"{count}/{n} ({count / n:.0%}, Clopper-Pearson 95% CI {rp.cp_lb:.0%} to {rp.cp_ub:.0%})"


def single_arm_responders(study: Study, oi: int, outcome: Outcome) -> str:
    """``; responders ...`` with exact CIs for responder counts of one arm (LDN) of a study not pooled."""
    bits = []
    for j, rsp in enumerate(outcome.responders):
        if rsp.count is None or not rsp.n or (rsp.arm and not is_ldn(rsp.arm)):
            continue
        if verification(study, f"outcomes[{oi}].responders[{j}].count") == "unverified":
            continue
        thr = f" with >= {rsp.threshold_percent:g}% improvement" if rsp.threshold_percent else ""
        bits.append(f"responders on LDN{thr}: {responders_text(rsp.count, rsp.n, rsp.threshold_percent or 0)}")
    return ("; " + "; ".join(bits)) if bits else ""


def arm_means_text(m1: Measure, m2: Measure) -> str:
    """``LDN 3.1 vs control 4.2 points (mean, week 12)``: the two arm means as the record gives them."""
    unit = m1.unit
    return (
        f"LDN {m1.value:g} vs control {m2.value:g}{' ' + unit if unit else ''} ({m1.kind}"
        f"{', ' + m1.timepoint if m1.timepoint else ''})"
    )
