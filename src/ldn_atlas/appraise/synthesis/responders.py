"""Responder syntheses: randomized parallel trials that count responders (at least X% improvement) per
arm, pooled as risk ratios when two or more share the threshold, with NNT from the risk difference."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from ldn_atlas.appraise.grade import Effect, EvidenceBody, StudyEffect, grade
from ldn_atlas.appraise.mcid import McidVerdict
from ldn_atlas.appraise.synthesis.absolute import absolute_binary
from ldn_atlas.appraise.synthesis.describe import responders_text
from ldn_atlas.appraise.synthesis.fit import mh_sensitivity
from ldn_atlas.appraise.synthesis.overrides import Overrides, overrides_for
from ldn_atlas.appraise.synthesis.ratios import pool_risk_ratios, risk_ratio_rows
from ldn_atlas.appraise.synthesis.reading import is_ldn, is_placebo, verification
from ldn_atlas.appraise.synthesis.results import Exclusion, StudyRow, Synthesis, SynthesisKind
from ldn_atlas.appraise.synthesis.selection import GroupKey, Item
from ldn_atlas.model.classify import DesignCategory, design_category
from ldn_atlas.model.evidence import Study

#: One trial's responder counts: the study, LDN responders and n, control responders and n, verification.
Counts = tuple[Study, int, int, int, int, str]


def responders(
    key: GroupKey,
    clabel: str,
    ccode: str | None,
    dlabel: str,
    items: list[Item],
    overrides: Overrides,
) -> list[Synthesis]:
    """Risk-ratio syntheses of responder outcomes that share a threshold (RCTs, verified counts)."""
    by_thr, excluded = responder_counts(items)
    return [
        _responder_synthesis(key, clabel, ccode, dlabel, thr, rows_in, excluded[thr], overrides)
        for thr, rows_in in sorted(by_thr.items())
    ]


def responder_counts(items: list[Item]) -> tuple[dict[float, list[Counts]], dict[float, list[Exclusion]]]:
    """The responder counts of each parallel randomized trial by threshold, and the trials excluded
    (unverified counts); a trial counts once per threshold."""
    by_thr: dict[float, list[Counts]] = defaultdict(list)
    excluded: dict[float, list[Exclusion]] = defaultdict(list)
    for s, i, o in items:
        if design_category(s) != DesignCategory.RANDOMISED_CONTROLLED or "crossover" in s.design:
            continue
        ldn = plc = None
        ver = []
        for j, rsp in enumerate(o.responders):
            if rsp.count is None or rsp.n is None or rsp.threshold_percent is None or rsp.arm is None:
                continue
            ver.append(verification(s, f"outcomes[{i}].responders[{j}].count"))
            if is_ldn(rsp.arm):
                ldn = rsp
            elif is_placebo(rsp.arm):
                plc = rsp
            if ldn is not None and plc is not None and ldn.threshold_percent == plc.threshold_percent:
                assert ldn.count is not None and ldn.n is not None and plc.count is not None and plc.n is not None
                thr = float(ldn.threshold_percent or 0)
                if "unverified" in ver:
                    excluded[thr].append(Exclusion(s.id, s.label, "responder counts unverified"))
                elif all(x[0].id != s.id for x in by_thr[thr]):
                    by_thr[thr].append(
                        (s, ldn.count, ldn.n, plc.count, plc.n, "secondary" if "secondary" in ver else "primary")
                    )
                ldn = plc = None
                ver = []
    return by_thr, excluded


def _pooled_responders(es: Any, rows: list[StudyRow], counts: list[list[int]], notes: list[str]) -> dict[str, Any]:
    """The pooled (k >= 2, with the Mantel-Haenszel sensitivity) or single-trial risk ratio, as fields of the
    synthesis."""
    if len(rows) < 2:
        r0 = rows[0]
        return {
            "kind": "single-study",
            "estimate": r0.yi,
            "ci_lb": r0.ci_lb,
            "ci_ub": r0.ci_ub,
            "sensitivity": (),
            "pi_lb": None,
            "pi_ub": None,
            "pval": None,
            "tau2": None,
            "i2": None,
        }
    p = pool_risk_ratios(es)
    ai, n1, ci_, n2 = counts
    out = {
        "kind": "meta-analysis",
        "estimate": p.estimate,
        "ci_lb": p.ci_lb,
        "ci_ub": p.ci_ub,
        "pi_lb": math.exp(p.prediction.pi_lb),
        "pi_ub": math.exp(p.prediction.pi_ub),
        "pval": p.pval,
        "tau2": p.tau2,
        "i2": p.i2,
        "sensitivity": mh_sensitivity(ai, n1, ci_, n2),
    }
    if len(rows) == 2:
        notes.append(
            "k = 2: the Knapp-Hartung interval has 1 degree of freedom and is very wide; the "
            "Mantel-Haenszel common-effect estimate is shown as a sensitivity analysis."
        )
    return out


def _responder_synthesis(
    key: GroupKey,
    clabel: str,
    ccode: str | None,
    dlabel: str,
    thr: float,
    rows_in: list[Counts],
    excluded: list[Exclusion],
    overrides: Overrides,
) -> Synthesis:
    """The risk-ratio synthesis of the trials that count responders at one threshold, with NNT and GRADE."""
    ckey, dom = key
    sid = f"{ckey}:{dom}:responders-{thr:g}"
    ai = [x[1] for x in rows_in]
    n1 = [x[2] for x in rows_in]
    ci_ = [x[3] for x in rows_in]
    n2 = [x[4] for x in rows_in]

    def describe(x: tuple[Any, ...]) -> str:
        return f"LDN {responders_text(x[1], x[2], thr)} vs control {responders_text(x[3], x[4], thr)}"

    es, rows = risk_ratio_rows(rows_in, ai, n1, ci_, n2, raw=describe, verification=lambda x: x[5])
    k = len(rows)
    control_risk = sum(ci_) / sum(n2)
    notes = [f"Responders: at least {thr:g}% improvement. Risk ratio LDN vs control (higher = more responders)."]
    fields = _pooled_responders(es, rows, [ai, n1, ci_, n2], notes)
    kind: SynthesisKind = fields.pop("kind")
    est, lo, hi = fields["estimate"], fields["ci_lb"], fields["ci_ub"]
    assert est is not None and lo is not None and hi is not None
    effect = Effect(
        "RR",
        est,
        lo,
        hi,
        scale="ratio",
        better="higher",
        pi_lb=fields["pi_lb"],
        pi_ub=fields["pi_ub"],
        i2=fields["i2"],
        tau2=fields["tau2"],
        k=k,
    )
    absolute, nnt = absolute_binary(control_risk, est, lo, hi, ai, n1, ci_, n2)
    body = EvidenceBody(
        subject=sid,
        outcome=f"{dom}-responders",
        studies=[x[0] for x in rows_in],
        effect=effect,
        total_n=sum(n1) + sum(n2),
        control_risk=control_risk,
        study_effects=[StudyEffect(r.study, r.yi, r.ci_lb, r.ci_ub) for r in rows],
    )
    return Synthesis(
        id=sid,
        condition=clabel,
        condition_code=ccode,
        outcome=f"{dom}-responders-{thr:g}",
        outcome_label=f"{dlabel}: responders (>= {thr:g}% improvement)",
        kind=kind,
        measure="RR",
        better="higher",
        rows=tuple(rows),
        excluded=tuple(excluded),
        k=k,
        notes=tuple(notes),
        absolute=absolute,
        appraisal=grade(body, overrides_for(overrides, body, sid)),
        mcid=McidVerdict(
            "no-mcid",
            "responder outcome: the threshold itself is the per-patient importance "
            "criterion; judge the absolute difference and NNT",
        ),
        participants=sum(n1) + sum(n2),
        nnt=nnt,
        **fields,
    )
