"""The narrative synthesis of a condition x outcome with only uncontrolled human evidence (case reports,
case series, before-after and retrospective designs): nothing is pooled and GRADE starts low."""

from __future__ import annotations

from typing import Literal

from ldn_atlas.appraise.grade import EvidenceBody, StudyEffect, grade
from ldn_atlas.appraise.levels import analysed_n, evidence_level
from ldn_atlas.appraise.synthesis.describe import p_text, responders_text
from ldn_atlas.appraise.synthesis.overrides import Overrides, overrides_for
from ldn_atlas.appraise.synthesis.reading import LOWER_BETTER, verification
from ldn_atlas.appraise.synthesis.results import StudyRow, Synthesis
from ldn_atlas.appraise.synthesis.selection import GroupKey, Item
from ldn_atlas.model.classify import design_category
from ldn_atlas.model.evidence import Study


def uncontrolled(
    key: GroupKey,
    clabel: str,
    ccode: str | None,
    dlabel: str,
    items: list[Item],
    overrides: Overrides,
) -> Synthesis:
    """A narrative row for a condition x outcome with only uncontrolled human evidence (GRADE starts low)."""
    ckey, dom = key
    sid = f"{ckey}:{dom}"
    rows: list[StudyRow] = []
    studies: list[Study] = []
    effects: list[StudyEffect] = []
    for s, _i, o in items:
        if s in studies:
            continue
        studies.append(s)
        cat = design_category(s)
        words = {
            "improved": "improvement reported",
            "no-difference": "no change reported",
            "worsened": "worsening reported",
            "mixed": "mixed results",
            "unclear": "unclear",
        }
        raw = f"{o.name}: {words.get(o.direction or '', 'no direction recorded')}"
        if o.p is not None or o.p_text:
            raw += f" ({p_text(o)}, before-after)"
        for j, rsp in enumerate(o.responders):
            if (
                rsp.count is not None
                and rsp.n
                and verification(s, f"outcomes[{_i}].responders[{j}].count") != "unverified"
            ):
                thr = f" with >= {rsp.threshold_percent:g}% improvement" if rsp.threshold_percent else ""
                raw += f"; responders{thr}: {responders_text(rsp.count, rsp.n, rsp.threshold_percent or 0)}"
        rows.append(
            StudyRow(
                s.id,
                s.label,
                cat.label,
                analysed_n(s),
                raw=raw,
                assumptions=(f"{cat.label}, OCEBM level {evidence_level(s).level}: no control group",),
                direction=o.direction,
                significant=o.significant,
            )
        )
        effects.append(StudyEffect(s.id, direction=o.direction, significant=o.significant))
    participants = sum((r.n or 0) for r in rows) or None
    better: Literal["lower", "higher"] = "lower" if dom in LOWER_BETTER else "higher"
    surrogate = dom == "biomarkers" or any(o.surrogate for _, _, o in items)
    body = EvidenceBody(
        subject=sid, outcome=dom, studies=studies, study_effects=effects, total_n=participants, surrogate=surrogate
    )
    appraisal = grade(body, overrides_for(overrides, body, sid))
    return Synthesis(
        id=sid,
        condition=clabel,
        condition_code=ccode,
        outcome=dom,
        outcome_label=dlabel,
        kind="narrative",
        measure="narrative",
        better=better,
        rows=tuple(rows),
        k=len(rows),
        appraisal=appraisal,
        participants=participants,
        notes=(
            "Only uncontrolled studies (case reports, case series, before-after or retrospective designs): "
            "changes cannot be attributed to LDN, so nothing is pooled.",
        ),
    )
