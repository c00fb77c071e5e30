"""The results section of a ClinicalTrials.gov v2 record: outcome measurements, their analyses, and adverse events.

Outcome measures are matched to the registered outcomes by title (a measure with
a new title becomes a new outcome); each measurement becomes a per-arm
:class:`Measure`, each analysis a ``difference`` measure and the outcome's p-value.
"""

from __future__ import annotations

import re
from typing import Any

from ldn_atlas.model import AdverseEvent, Measure, Outcome
from ldn_atlas.sources.ctgov_record import RecordText, arm_key, get, to_float, to_int

# applied to stripped text, with a bounded run of blanks between the relation and the number: no two
# unbounded runs of spaces can trade characters, so a failed search over a long run of spaces stays linear
_P = re.compile(r"^([<>=≤≥]{0,2})[ \t]{0,8}(0?\.\d{1,8}|1(?:\.0{1,8})?|0)$")


def parse_p(text: str | None) -> float | None:
    """A p-value written as ``0.03``, ``<0.001`` or ``= .04``; ``None`` otherwise."""
    if not text:
        return None
    m = _P.match(text.strip())
    if not m:
        return None
    value = float(m.group(2))
    return value if 0 <= value <= 1 else None


def read_outcome_results(
    r: RecordText, results: dict[str, Any], outcomes: list[Outcome], by_title: dict[str, int]
) -> None:
    """Fill ``outcomes`` (in place) with the measures and p-value of each posted outcome measure."""
    for om in get(results, "outcomeMeasuresModule", "outcomeMeasures", default=[]) or []:
        name = str(om.get("title") or "").strip()
        if not name:
            continue
        known = by_title.get(name.lower())
        if known is None:
            known = len(outcomes)
            outcomes.append(Outcome(name=name))
            by_title[name.lower()] = known
        k = known
        measures = _measurements(r, om, name, k)
        p_value, p_text = _analyses(r, om, name, k, measures)
        outcomes[k] = outcomes[k].model_copy(
            update={
                "measures": measures,
                "p": p_value,
                "p_text": p_text if p_value is not None else None,
                "significant": (p_value < 0.05) if p_value is not None else None,
            }
        )


def _measurements(r: RecordText, om: dict[str, Any], name: str, k: int) -> list[Measure]:
    """One per-arm measure for each numeric measurement of outcome measure ``om`` (outcome index ``k``)."""
    groups = {g.get("id"): str(g.get("title") or g.get("id")) for g in om.get("groups", []) or []}
    denoms: dict[str, int | None] = {}
    for d in om.get("denoms", []) or []:
        for c in d.get("counts", []) or []:
            denoms[c.get("groupId")] = to_int(c.get("value"))
    param = str(om.get("paramType") or "").lower().replace("_", "-") or "value"
    dispersion = str(om.get("dispersionType") or "")
    unit = om.get("unitOfMeasure")
    measures: list[Measure] = []
    for cls in om.get("classes", []) or []:
        for cat in cls.get("categories", []) or []:
            for meas in cat.get("measurements", []) or []:
                mval = to_float(meas.get("value"))
                if mval is None:
                    continue
                gid = meas.get("groupId")
                spread = to_float(meas.get("spread"))
                measure = Measure(
                    arm=arm_key(groups.get(gid, str(gid))),
                    kind=param,
                    value=mval,
                    sd=spread if spread is not None and spread >= 0 and "STANDARD_DEVIATION" in dispersion else None,
                    se=spread if spread is not None and spread >= 0 and "STANDARD_ERROR" in dispersion else None,
                    ci_lb=to_float(meas.get("lowerLimit")),
                    ci_ub=to_float(meas.get("upperLimit")),
                    n=denoms.get(gid),
                    unit=str(unit) if unit else None,
                    timepoint=om.get("timeFrame"),
                )
                j = len(measures)
                r.note(
                    f"outcomes[{k}].measures[{j}].value",
                    r.add(f"Result [{name[:60]}] {groups.get(gid, gid)}", meas.get("value")),
                )
                measures.append(measure)
    return measures


def _analyses(
    r: RecordText, om: dict[str, Any], name: str, k: int, measures: list[Measure]
) -> tuple[float | None, Any]:
    """Append a ``difference`` measure per analysis estimate; return the first parseable p-value and its text."""
    p_value = None
    p_text = None
    for analysis in om.get("analyses", []) or []:
        est = to_float(analysis.get("paramValue"))
        if est is not None:
            j = len(measures)
            kind = str(analysis.get("paramType") or "difference").lower()
            r.note(
                f"outcomes[{k}].measures[{j}].value",
                r.add(f"Analysis [{name[:60]}] {kind}", analysis.get("paramValue")),
            )
            measures.append(
                Measure(
                    arm="difference",
                    kind=kind,
                    value=est,
                    ci_lb=to_float(analysis.get("ciLowerLimit")),
                    ci_ub=to_float(analysis.get("ciUpperLimit")),
                )
            )
        if p_value is None:
            p_text = analysis.get("pValue")
            p_value = parse_p(p_text)
            if p_value is not None:
                r.note(f"outcomes[{k}].p", r.add(f"P value [{name[:60]}]", p_text))
    return p_value, p_text


def read_adverse_events(r: RecordText, results: dict[str, Any]) -> list[AdverseEvent]:
    """Serious and other adverse events, one per term and arm with a count."""
    adverse: list[AdverseEvent] = []
    ae_mod = results.get("adverseEventsModule") or {}
    ae_groups = {g.get("id"): str(g.get("title") or g.get("id")) for g in ae_mod.get("eventGroups", []) or []}
    for kind in ("seriousEvents", "otherEvents"):
        for event in ae_mod.get(kind, []) or []:
            term = str(event.get("term") or "").strip()
            for stat in event.get("stats", []) or []:
                count = to_int(stat.get("numAffected"))
                at_risk = to_int(stat.get("numAtRisk"))
                if not term or count is None:
                    continue
                arm = arm_key(ae_groups.get(stat.get("groupId"), str(stat.get("groupId"))))
                j = len(adverse)
                r.note(f"adverse_events[{j}].count", r.add(f"Adverse event [{arm}] {term}", f"{count}/{at_risk}"))
                percent = round(100 * count / at_risk, 2) if at_risk else None
                adverse.append(AdverseEvent(name=term, count=count, n=at_risk, percent=percent, arm=arm))
    return adverse
