"""Single-arm adverse-event proportions: the rate of an adverse event across uncontrolled human studies,
pooled on the logit scale (PLO, REML); no comparison with placebo, so not attributable to LDN."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ldn_atlas.appraise.grade import Effect, EvidenceBody, grade
from ldn_atlas.appraise.levels import analysed_n
from ldn_atlas.appraise.synthesis.fit import Z95, pool
from ldn_atlas.appraise.synthesis.overrides import Overrides, overrides_for
from ldn_atlas.appraise.synthesis.reading import verification
from ldn_atlas.appraise.synthesis.results import Exclusion, StudyRow, Synthesis
from ldn_atlas.appraise.synthesis.selection import is_primary_human
from ldn_atlas.model.classify import DesignCategory, design_category
from ldn_atlas.model.evidence import AdverseEvent, Study

#: One study's count of an adverse event: the study, count, denominator, verification and how it was counted.
Count = tuple[Study, int, int, str, str]

AE_SYNONYMS = {
    "insomnia": ("insomnia", "sleep disturbance", "sleep disturbances", "trouble sleeping"),
    "vivid dreams": ("vivid dream", "vivid dreams", "vivid dreaming", "nightmare"),
    "nausea": ("nausea",),
    "headache": ("headache",),
    "diarrhoea": ("diarrhoea", "diarrhea"),
}


def ae_key(name: str) -> str | None:
    """The adverse event a name is a synonym of (``None`` when it is none of those pooled)."""
    n = name.lower()
    for key, syns in AE_SYNONYMS.items():
        if any(s in n for s in syns):
            return key
    return None


def expit(x: float) -> float:
    """The inverse logit."""
    return 1 / (1 + math.exp(-x))


def proportions(
    studies: Sequence[Study],
    overrides: Overrides,
    report_exclusions: list[Exclusion] | None = None,
) -> list[Synthesis]:
    """Pool single-arm adverse-event proportions (logit, REML) across uncontrolled human studies.

    Adverse events that cannot be pooled are added to ``report_exclusions`` with the reason.
    """
    groups, excluded = _single_arm_counts(studies)
    out: list[Synthesis] = []
    for key, rows_in in sorted(groups.items()):
        if len(rows_in) < 2:
            for s, _c, _n, _v, _h in rows_in:
                excluded[key].append(Exclusion(s.id, s.label, "only one single-arm study reports it: not pooled"))
            continue
        out.append(_proportion_synthesis(key, rows_in, excluded[key], overrides))
    if report_exclusions is not None:
        pooled = {syn.id for syn in out}
        for key, items in sorted(excluded.items()):
            if f"ldn:safety:{key.replace(' ', '-')}" not in pooled:
                report_exclusions.extend(replace(e, reason=f"adverse event '{key}': {e.reason}") for e in items)
    return out


def _single_arm_counts(studies: Sequence[Study]) -> tuple[dict[str, list[Count]], dict[str, list[Exclusion]]]:
    """The counts of each pooled adverse event in the single-arm primary human studies, and the studies
    excluded (controlled, unverified, no count) with the reason."""
    groups: dict[str, list[Count]] = defaultdict(list)
    excluded: dict[str, list[Exclusion]] = defaultdict(list)
    for s in studies:
        if not is_primary_human(s):
            continue
        single_arm = design_category(s) not in (
            DesignCategory.RANDOMISED_CONTROLLED,
            DesignCategory.NON_RANDOMISED_CONTROLLED,
        )
        for j, ae in enumerate(s.adverse_events):
            key = ae_key(ae.name)
            if key is None:
                continue
            if not single_arm:
                excluded[key].append(Exclusion(s.id, s.label, "controlled study: not pooled with single-arm rates"))
                continue
            counted = _count(s, j, ae)
            if isinstance(counted, str):
                excluded[key].append(Exclusion(s.id, s.label, counted))
            else:
                groups[key].append(counted)
    return groups, excluded


def _count(s: Study, j: int, ae: AdverseEvent) -> Count | str:
    """One study's count and denominator of an adverse event (a count derived from a percent when needed),
    or the reason it has none usable."""
    ver = (
        verification(s, f"adverse_events[{j}].count")
        if ae.count is not None
        else verification(s, f"adverse_events[{j}].percent")
    )
    if ver == "unverified":
        return f"{ae.name}: number unverified, never pooled"
    n = ae.n or analysed_n(s)
    count = ae.count
    how = "count"
    if count is None and ae.percent is not None and n:
        count = round(ae.percent / 100 * n)
        how = f"count derived from {ae.percent:g}% of {n}"
    if count is None or not n:
        return f"{ae.name}: no count and denominator"
    return s, count, n, ver, how


def _proportion_rows(rows_in: list[Count], es: Any) -> list[StudyRow]:
    """One row per study: its proportion, and the logit-scale Wald 95% CI back on the proportion scale."""
    rows = []
    for idx, (s, c, n, ver, how) in enumerate(rows_in):
        y, v = float(es.yi[idx]), float(es.vi[idx])
        h = Z95 * math.sqrt(v)
        rows.append(
            StudyRow(
                s.id,
                s.label,
                design_category(s).label,
                n,
                c / n,
                v,
                expit(y - h),
                expit(y + h),
                raw=f"{c}/{n} ({how})",
                verification=ver,
            )
        )
    return rows


def _proportion_synthesis(key: str, rows_in: list[Count], excluded: list[Exclusion], overrides: Overrides) -> Synthesis:
    """The pooled single-arm rate of one adverse event, with GRADE."""
    from ldn_atlas.stats import escalc

    es = escalc("PLO", xi=[x[1] for x in rows_in], ni=[x[2] for x in rows_in])
    fit, pred = pool(list(es.yi), list(es.vi))
    rows = _proportion_rows(rows_in, es)
    est, lo, hi = expit(float(fit.b)), expit(float(fit.ci_lb)), expit(float(fit.ci_ub))
    effect = Effect("PLO", est, lo, hi, scale="proportion", k=len(rows), i2=float(fit.i2), tau2=float(fit.tau2))
    sid = f"ldn:safety:{key.replace(' ', '-')}"
    body = EvidenceBody(
        subject=sid,
        outcome=f"adverse event: {key}",
        studies=[x[0] for x in rows_in],
        effect=effect,
        total_n=sum(x[2] for x in rows_in),
    )
    return Synthesis(
        id=sid,
        condition="LDN-treated patients (any condition)",
        condition_code=None,
        outcome=f"adverse-{key.replace(' ', '-')}",
        outcome_label=f"Adverse event: {key} (single-arm rate)",
        kind="proportion",
        measure="PLO",
        better="lower",
        rows=tuple(rows),
        excluded=tuple(excluded),
        estimate=est,
        ci_lb=lo,
        ci_ub=hi,
        pi_lb=expit(float(pred.pi_lb)),
        pi_ub=expit(float(pred.pi_ub)),
        tau2=float(fit.tau2),
        i2=float(fit.i2),
        k=len(rows),
        notes=(
            "Single-arm proportions pooled on the logit scale (REML, Knapp-Hartung); no comparison with "
            "placebo, so the rate is not attributable to LDN.",
        ),
        absolute=f"{round(est * 1000)} per 1000 treated (95% CI {round(lo * 1000)} to {round(hi * 1000)})",
        appraisal=grade(body, overrides_for(overrides, body, sid)),
        participants=sum(x[2] for x in rows_in),
    )
