"""Adverse events counted per arm in randomized trials: risk ratios LDN vs control (pooled when two or more
trials count the same event) with the NNTH."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from ldn_atlas.appraise.grade import Effect, EvidenceBody, grade
from ldn_atlas.appraise.mcid import McidVerdict
from ldn_atlas.appraise.synthesis.absolute import harm_nnt, per_thousand
from ldn_atlas.appraise.synthesis.overrides import Overrides, overrides_for
from ldn_atlas.appraise.synthesis.ratios import pool_risk_ratios, risk_ratio_rows
from ldn_atlas.appraise.synthesis.reading import is_ldn, is_placebo, verification
from ldn_atlas.appraise.synthesis.results import Synthesis, SynthesisKind
from ldn_atlas.appraise.synthesis.selection import condition_key, is_primary_human
from ldn_atlas.model.classify import DesignCategory, design_category
from ldn_atlas.model.evidence import Study

#: One trial's counts of an event: the study, LDN events and n, control events and n.
Counts = tuple[Study, int, int, int, int]
#: An adverse event of a condition: the condition's key and the event's name.
EventKey = tuple[str, str]


def adverse_comparative(studies: Sequence[Study], overrides: Overrides) -> list[Synthesis]:
    """Risk ratios and NNH for adverse events counted per arm in randomized trials (pooled when k >= 2)."""
    groups, meta = _counts_by_event(studies)
    return [_adverse_synthesis(key, rows_in, meta[key], overrides) for key, rows_in in sorted(groups.items())]


def _arm_counts(s: Study) -> tuple[dict[str, tuple[int, int, str]], dict[str, tuple[int, int, str]]]:
    """The verified counts per adverse-event name of the LDN arm and of the control arm of one trial."""
    ldn: dict[str, tuple[int, int, str]] = {}
    plc: dict[str, tuple[int, int, str]] = {}
    for j, ae in enumerate(s.adverse_events):
        if ae.count is None or ae.n is None or ae.arm is None:
            continue
        ver = verification(s, f"adverse_events[{j}].count")
        if ver == "unverified":
            continue
        name = ae.name.strip().lower()
        if is_ldn(ae.arm):
            ldn[name] = (ae.count, ae.n, ver)
        elif is_placebo(ae.arm):
            plc[name] = (ae.count, ae.n, ver)
    return ldn, plc


def _counts_by_event(
    studies: Sequence[Study],
) -> tuple[dict[EventKey, list[Counts]], dict[EventKey, tuple[str, str | None]]]:
    """The trials' counts of each event both arms report, by condition x event, and each condition's label
    and code."""
    groups: dict[EventKey, list[Counts]] = defaultdict(list)
    meta: dict[EventKey, tuple[str, str | None]] = {}
    for s in studies:
        if not is_primary_human(s) or design_category(s) != DesignCategory.RANDOMISED_CONTROLLED:
            continue
        ldn, plc = _arm_counts(s)
        ckey, clabel, ccode = condition_key(s)
        for name in sorted(set(ldn) & set(plc)):
            groups[(ckey, name)].append((s, ldn[name][0], ldn[name][1], plc[name][0], plc[name][1]))
            meta[(ckey, name)] = (clabel, ccode)
    return groups, meta


def _adverse_synthesis(
    key: EventKey, rows_in: list[Counts], condition: tuple[str, str | None], overrides: Overrides
) -> Synthesis:
    """The risk ratio of one adverse event in one condition's trials, with the NNTH and GRADE."""
    ckey, name = key
    clabel, ccode = condition
    ai = [x[1] for x in rows_in]
    n1 = [x[2] for x in rows_in]
    ci_ = [x[3] for x in rows_in]
    n2 = [x[4] for x in rows_in]
    es, rows = risk_ratio_rows(rows_in, ai, n1, ci_, n2, raw=lambda x: f"LDN {x[1]}/{x[2]} vs control {x[3]}/{x[4]}")
    k = len(rows)
    i2: float | None
    tau2: float | None
    if k >= 2:
        p = pool_risk_ratios(es)
        est, lo, hi = p.estimate, p.ci_lb, p.ci_ub
        kind: SynthesisKind = "meta-analysis"
        i2, tau2 = p.i2, p.tau2
    else:
        est, lo, hi = rows[0].yi or 1.0, rows[0].ci_lb or 1.0, rows[0].ci_ub or 1.0
        kind = "single-study"
        i2 = tau2 = None
    cr = sum(ci_) / sum(n2)
    nn = harm_nnt(ai, n1, ci_, n2)
    effect = Effect("RR", est, lo, hi, scale="ratio", better="lower", k=k, i2=i2, tau2=tau2)
    sid = f"{ckey}:adverse:{re.sub(r'[^a-z0-9]+', '-', name).strip('-')}"
    body = EvidenceBody(
        subject=sid,
        outcome="safety",
        studies=[x[0] for x in rows_in],
        effect=effect,
        total_n=sum(n1) + sum(n2),
        control_risk=cr if 0 < cr < 1 else None,
    )
    pk = per_thousand
    return Synthesis(
        id=sid,
        condition=clabel,
        condition_code=ccode,
        outcome=f"adverse-{name}",
        outcome_label=f"Adverse events: {name}",
        kind=kind,
        measure="RR",
        better="lower",
        rows=tuple(rows),
        estimate=est,
        ci_lb=lo,
        ci_ub=hi,
        k=k,
        i2=i2,
        tau2=tau2,
        appraisal=grade(body, overrides_for(overrides, body, sid)),
        participants=sum(n1) + sum(n2),
        nnt={**nn.to_dict(), "describe": nn.describe()},
        absolute=(
            f"{pk(cr)} per 1000 on control; {pk(cr * est)} per 1000 on LDN (95% CI {pk(cr * lo)} to "
            f"{pk(cr * hi)}); {nn.text()}"
        ),
        notes=("An undesirable event: NNTH is the number treated for one more person to have it.",),
        mcid=McidVerdict("no-mcid", "adverse events: judged by the absolute difference and NNTH"),
    )
