"""A comparative synthesis of one condition x outcome, stage by stage: choose the randomized trials
(:mod:`.selection`), form each trial's effect by its design (:mod:`.trials`, :mod:`.effects`,
:mod:`.parallel`, :mod:`.crossover`), pool them (:mod:`.pooling`), put the result against the MCID and
on an absolute scale (:mod:`.absolute`), then grade the body of evidence."""

from __future__ import annotations

from collections.abc import Sequence

from ldn_atlas.appraise.grade import EvidenceBody, grade
from ldn_atlas.appraise.mcid import McidRegistry
from ldn_atlas.appraise.synthesis.absolute import mcid_for, narrative_mcid
from ldn_atlas.appraise.synthesis.overrides import Overrides, overrides_for
from ldn_atlas.appraise.synthesis.pooling import PooledTrials, pool_trials
from ldn_atlas.appraise.synthesis.reading import better_for
from ldn_atlas.appraise.synthesis.results import Synthesis
from ldn_atlas.appraise.synthesis.selection import GroupKey, Item, choose_trials
from ldn_atlas.appraise.synthesis.trials import trial_row


def comparative(
    key: GroupKey,
    clabel: str,
    ccode: str | None,
    dlabel: str,
    items: list[Item],
    registry: McidRegistry,
    overrides: Overrides,
    r: float,
    r_sweep: Sequence[float],
) -> Synthesis | None:
    """The synthesis of the randomized trials of one condition x outcome (``None`` when there are none)."""
    ckey, dom = key
    better = better_for(dom)
    chosen, excluded = choose_trials(items)
    if not chosen:
        return None
    trials = [trial_row(s, i, o, better, r) for s, i, o in chosen]
    outcome_names = {o.name for _s, _i, o in chosen}
    if dom == "other":
        dlabel = f"Other outcomes ({', '.join(sorted(outcome_names))})"
    pooled = pool_trials(trials, better, r, r_sweep)
    names = (
        " ".join(sorted(outcome_names))
        + " "
        + " ".join((o.instrument or "") for s, _, o in items if s in pooled.studies)
    )
    used = [t.used for t in trials if t.used is not None]
    mcid_value, mcid_src, absolute, verdict = mcid_for(
        registry, names, ckey, better, pooled.measure, pooled.estimate, pooled.ci_lb, pooled.ci_ub, used
    )
    if pooled.kind == "narrative" and verdict is None:
        found, value = narrative_mcid(registry, names, ckey, better, pooled.rows)
        if found is not None:
            verdict, mcid_value = found, value
    sid = f"{ckey}:{dom}"
    body = _evidence_body(sid, dom, items, pooled, mcid_value, mcid_src)
    return Synthesis(
        id=sid,
        condition=clabel,
        condition_code=ccode,
        outcome=dom,
        outcome_label=dlabel,
        kind=pooled.kind,
        measure=pooled.measure,
        better=better,
        rows=tuple(pooled.rows),
        excluded=tuple(excluded + pooled.excluded),
        estimate=pooled.estimate,
        ci_lb=pooled.ci_lb,
        ci_ub=pooled.ci_ub,
        pi_lb=pooled.pi_lb,
        pi_ub=pooled.pi_ub,
        pval=pooled.pval,
        tau2=pooled.tau2,
        i2=pooled.i2,
        k=pooled.k if pooled.kind == "meta-analysis" else len(pooled.rows),
        sensitivity=tuple(pooled.sensitivity),
        notes=tuple(pooled.notes),
        absolute=absolute,
        appraisal=grade(body, overrides_for(overrides, body, sid)),
        mcid=verdict,
        participants=pooled.participants,
    )


def _evidence_body(
    sid: str, dom: str, items: Sequence[Item], pooled: PooledTrials, mcid: float | None, mcid_src: str | None
) -> EvidenceBody:
    """The body of evidence GRADE rates: the trials pooled (or described), their weights, effects and MCID."""
    rows = pooled.rows
    weighted = pooled.k >= 2 and len(rows) == len(pooled.studies) and all(r.weight for r in rows)
    return EvidenceBody(
        subject=sid,
        outcome=dom,
        studies=pooled.studies,
        weights=[(r.weight or 0) for r in rows] if weighted else None,
        effect=pooled.effect,
        study_effects=pooled.study_effects,
        total_n=pooled.participants,
        mcid=mcid if pooled.effect is not None else None,
        mcid_source=mcid_src,
        surrogate=any(o.surrogate for s, _, o in items if s in pooled.studies) or dom == "biomarkers",
    )
