"""The numbers a study record holds (counts, percentages, durations, doses), each with its verification level."""

from __future__ import annotations

from dataclasses import dataclass, field

from ldn_atlas.model.evidence import Study


@dataclass
class Facts:
    """The numbers of one study record, each as (value, what it counts, verification level)."""

    counts: list[tuple[float, str, str]] = field(default_factory=list)  # value, what, verification
    percents: list[tuple[float, str, str]] = field(default_factory=list)
    durations: list[tuple[float, str, str]] = field(default_factory=list)
    doses: list[tuple[float, str, str]] = field(default_factory=list)


def _v(study: Study, path: str) -> str:
    return study.verification_of(path) or "unverified"


def study_facts(study: Study) -> Facts:
    """Every number of a study record with what it counts and its verification level."""
    f = Facts()
    pop = study.population
    for name in ("n", "n_enrolled", "n_analyzed"):
        val = getattr(pop, name)
        if val is not None:
            f.counts.append(
                (
                    float(val),
                    {"n": "participants", "n_enrolled": "enrolled", "n_analyzed": "analysed"}[name],
                    _v(study, f"population.{name}"),
                )
            )
    for i, sg in enumerate(pop.subgroups):
        if sg.percent is not None:
            f.percents.append((sg.percent, sg.label, _v(study, f"population.subgroups[{i}].percent")))
        if sg.count is not None:
            f.counts.append((float(sg.count), sg.label, _v(study, f"population.subgroups[{i}].count")))
    for i, o in enumerate(study.outcomes):
        for j, m in enumerate(o.measures):
            ver = _v(study, f"outcomes[{i}].measures[{j}].value")
            unit = (m.unit or "") + " " + m.kind
            if "%" in unit or "percent" in unit:
                f.percents.append((m.value, o.name, ver))
            elif m.kind in ("count", "n"):
                f.counts.append((m.value, o.name, ver))
        for j, r in enumerate(o.responders):
            ver = _v(study, f"outcomes[{i}].responders[{j}].count")
            if r.count is not None:
                f.counts.append((float(r.count), f"{o.name} responders", ver))
                if r.n:
                    f.percents.append((100.0 * r.count / r.n, f"{o.name} responders", ver))
            if r.threshold_percent is not None:
                f.percents.append(
                    (
                        r.threshold_percent,
                        f"{o.name} responder threshold",
                        _v(study, f"outcomes[{i}].responders[{j}].threshold_percent"),
                    )
                )
    for i, ae in enumerate(study.adverse_events):
        if ae.percent is not None:
            f.percents.append((ae.percent, ae.name, _v(study, f"adverse_events[{i}].percent")))
        if ae.count is not None:
            f.counts.append((float(ae.count), ae.name, _v(study, f"adverse_events[{i}].count")))
            if ae.n:
                f.percents.append((100.0 * ae.count / ae.n, ae.name, _v(study, f"adverse_events[{i}].count")))
    if study.duration_days is not None:
        f.durations.append((study.duration_days, "treatment duration", _v(study, "duration_days")))
    total = 0.0
    for i, p in enumerate(study.periods):
        if p.days is not None:
            f.durations.append((p.days, f"{p.kind} period", _v(study, f"periods[{i}].days")))
            total += p.days
    if total:
        f.durations.append((total, "whole study", _v(study, "periods")))
    for i, iv in enumerate(study.interventions):
        if iv.dose_mg is not None:
            f.doses.append((iv.dose_mg, "dose", _v(study, f"interventions[{i}].dose_mg")))
        if iv.duration_days is not None:
            f.durations.append((iv.duration_days, "treatment duration", _v(study, f"interventions[{i}].duration_days")))
    return f


def close(a: float, b: float, kind: str) -> bool:
    """Whether two figures of a kind agree: durations within 10% or 3 days, percentages within 0.6, else equal."""
    if kind == "durations":
        return abs(a - b) <= max(3.0, 0.1 * b)
    if kind == "percents":
        return abs(a - b) <= 0.6
    return abs(a - b) < 1e-9


#: Labels of study facts that are not outcomes (never offered as "the record gives").
NON_OUTCOMES = {"participants", "enrolled", "analysed"}
