"""The result types of a synthesis: study rows, exclusions, sensitivity rows, summary-of-findings rows,
the synthesis of one condition x outcome and the report of them all; also one study's continuous effect."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from ldn_atlas.appraise.grade import certainty_label
from ldn_atlas.appraise.mcid import McidVerdict
from ldn_atlas.model.evidence import Appraisal

SynthesisKind = Literal["meta-analysis", "single-study", "narrative", "proportion"]


@dataclass(frozen=True)
class StudyRow:
    """One study's contribution to a synthesis, on the synthesis scale, with its assumptions."""

    study: str
    label: str
    design: str
    n: int | None
    yi: float | None = None
    vi: float | None = None
    ci_lb: float | None = None
    ci_ub: float | None = None
    weight: float | None = None
    raw: str | None = None
    assumptions: tuple[str, ...] = ()
    verification: str | None = None
    significant: bool | None = None
    direction: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["assumptions"] = list(self.assumptions)
        return out


@dataclass(frozen=True)
class Exclusion:
    study: str
    label: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SensitivityRow:
    label: str
    r: float | None
    estimate: float
    ci_lb: float
    ci_ub: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SofRow:
    """One row of a summary-of-findings table (GRADE)."""

    condition: str
    condition_code: str | None
    outcome: str
    studies: str
    participants: int | None
    effect: str
    absolute: str
    certainty: str
    certainty_label: str
    mcid_verdict: str
    rationale: str
    synthesis: str
    kind: SynthesisKind
    study_ids: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["study_ids"] = list(self.study_ids)
        return out


#: What a 95% CI concludes about LDN against its control.
Conclusion = Literal["favours LDN", "favours control", "no clear effect"]


@dataclass(frozen=True)
class ReviewComparison:
    """One pooled estimate of a published review beside the atlas's estimate for the same question."""

    review: str
    label: str
    outcome: str
    estimate_text: str
    review_conclusion: Conclusion | None
    atlas_conclusion: Conclusion | None
    agreement: Literal["agree", "differ", "not-comparable"]
    reason: str
    verification: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Synthesis:
    """A synthesis of one condition x outcome: the studies, the pooled result, GRADE and the MCID verdict."""

    id: str
    condition: str
    condition_code: str | None
    outcome: str
    outcome_label: str
    kind: SynthesisKind
    measure: str
    better: Literal["lower", "higher"]
    rows: tuple[StudyRow, ...]
    excluded: tuple[Exclusion, ...] = ()
    method: str = "REML"
    test: str = "knha"
    estimate: float | None = None
    ci_lb: float | None = None
    ci_ub: float | None = None
    pi_lb: float | None = None
    pi_ub: float | None = None
    pval: float | None = None
    tau2: float | None = None
    i2: float | None = None
    k: int = 0
    sensitivity: tuple[SensitivityRow, ...] = ()
    notes: tuple[str, ...] = ()
    absolute: str = ""
    appraisal: Appraisal | None = None
    mcid: McidVerdict | None = None
    participants: int | None = None
    nnt: dict[str, Any] | None = None
    reviews: tuple[ReviewComparison, ...] = ()

    @property
    def certainty(self) -> str | None:
        return self.appraisal.certainty if self.appraisal else None

    @property
    def k_pooled(self) -> int:
        """Studies in the pooled estimate (0 for a narrative synthesis)."""
        return self.k if self.kind in ("meta-analysis", "proportion") else (1 if self.estimate is not None else 0)

    @property
    def effect_text(self) -> str:
        """The effect as the summary-of-findings table shows it."""
        return self.sof().effect

    @property
    def absolute_text(self) -> str:
        return self.absolute

    @property
    def mcid_text(self) -> str:
        return self.mcid.text if self.mcid else "no MCID recorded"

    @property
    def rationale(self) -> str:
        return self.appraisal.rationale if self.appraisal else ""

    def _pooled_text(self) -> str:
        if self.estimate is None or self.ci_lb is None or self.ci_ub is None:
            return "not pooled"
        if self.measure == "PLO":
            return f"{self.estimate:.1%} (95% CI {self.ci_lb:.1%} to {self.ci_ub:.1%})"
        text = f"{self.measure} {num(self.estimate)} (95% CI {num(self.ci_lb)} to {num(self.ci_ub)})"
        if self.pi_lb is not None and self.k >= 2 and not math.isnan(self.pi_lb):
            text += f"; 95% PI {num(self.pi_lb)} to {num(self.pi_ub)}"
        return text

    def sof(self) -> SofRow:
        designs: dict[str, int] = defaultdict(int)
        for row in self.rows:
            designs[row.design] += 1
        kinds = ", ".join(f"{n} {d}" for d, n in sorted(designs.items()))
        nstud = len(self.rows)
        studies = f"{nstud} {'study' if nstud == 1 else 'studies'} ({kinds})" if nstud else "none"
        if self.kind == "narrative":
            effect = "Not pooled (narrative synthesis): " + "; ".join(
                f"{r.label}: {r.raw or 'no usable numbers'}" for r in self.rows
            )
        elif self.kind == "single-study":
            r0 = self.rows[0]
            if self.estimate is None:
                effect = f"One study ({r0.label}): {r0.raw or 'no usable numbers'}; no effect size reported"
            else:
                effect = f"{self._pooled_text()} from one study ({r0.label})"
        else:
            effect = self._pooled_text()
            mh = [x for x in self.sensitivity if x.label.startswith("Mantel-Haenszel")]
            if mh and self.k == 2:
                effect += (
                    f"; Mantel-Haenszel common effect RR {num(mh[0].estimate)} ({num(mh[0].ci_lb)} to "
                    f"{num(mh[0].ci_ub)})"
                )
        a = self.appraisal
        return SofRow(
            condition=self.condition,
            condition_code=self.condition_code,
            outcome=self.outcome_label,
            studies=studies,
            participants=self.participants,
            effect=effect,
            absolute=self.absolute or "-",
            certainty=a.certainty if a else "not-assessed",
            certainty_label=certainty_label(a.certainty) if a else "Not assessed",
            mcid_verdict=self.mcid.text if self.mcid else "no MCID recorded",
            rationale=a.rationale if a else "",
            synthesis=self.id,
            kind=self.kind,
            study_ids=tuple(r.study for r in self.rows),
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "condition": self.condition,
            "condition_code": self.condition_code,
            "outcome": self.outcome,
            "outcome_label": self.outcome_label,
            "kind": self.kind,
            "measure": self.measure,
            "better": self.better,
            "method": self.method,
            "test": self.test,
            "estimate": self.estimate,
            "ci_lb": self.ci_lb,
            "ci_ub": self.ci_ub,
            "pi_lb": nan_none(self.pi_lb),
            "pi_ub": nan_none(self.pi_ub),
            "pval": self.pval,
            "tau2": self.tau2,
            "i2": self.i2,
            "k": self.k,
            "participants": self.participants,
            "k_pooled": self.k_pooled,
            "effect": self.effect_text,
            "absolute": self.absolute,
            "rows": [r.to_dict() for r in self.rows],
            "excluded": [e.to_dict() for e in self.excluded],
            "sensitivity": [s.to_dict() for s in self.sensitivity],
            "notes": list(self.notes),
            "appraisal": self.appraisal.model_dump(mode="json") if self.appraisal else None,
            "mcid": self.mcid.to_dict() if self.mcid else None,
            "nnt": self.nnt,
            "sof": self.sof().to_dict(),
            "reviews": [c.to_dict() for c in self.reviews],
        }
        return out


@dataclass(frozen=True)
class SynthesisReport:
    """All syntheses of an evidence base, with summary-of-findings rows grouped by condition."""

    syntheses: tuple[Synthesis, ...]
    excluded_studies: tuple[Exclusion, ...] = ()
    assumptions: tuple[str, ...] = field(default_factory=tuple)

    def sof_by_condition(self) -> dict[str, list[SofRow]]:
        out: dict[str, list[SofRow]] = defaultdict(list)
        for s in self.syntheses:
            out[s.condition].append(s.sof())
        return dict(out)

    def get(self, synthesis_id: str) -> Synthesis:
        for s in self.syntheses:
            if s.id == synthesis_id:
                return s
        raise KeyError(synthesis_id)

    def find(self, condition: str, outcome: str) -> list[Synthesis]:
        c, o = condition.lower(), outcome.lower()
        return [
            s
            for s in self.syntheses
            if (c in s.condition.lower() or (s.condition_code or "").lower().startswith(c))
            and (o == s.outcome or o in s.outcome_label.lower())
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "syntheses": [s.to_dict() for s in self.syntheses],
            "sof": {c: [r.to_dict() for r in rows] for c, rows in self.sof_by_condition().items()},
            "excluded_studies": [e.to_dict() for e in self.excluded_studies],
            "assumptions": list(self.assumptions),
        }


@dataclass
class ContinuousEffect:
    """One trial's SMD on the synthesis scale, with what it was computed from and the assumptions made.

    ``crossover`` keeps the period means, SDs and n of a crossover trial, so that the SMD can be
    recomputed for other within-person correlations (the sensitivity sweep).
    """

    yi: float
    vi: float
    n: int | None
    raw: str
    design: str
    assumptions: list[str]
    verification: str
    sd_pooled: float | None
    unit: str | None
    crossover: dict[str, float] | None = None
    baseline: float | None = None


def num(x: float | None) -> str:
    """A number with two decimals, ``NA`` for a missing or NaN value."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "NA"
    return f"{x:.2f}"


def nan_none(x: float | None) -> float | None:
    """``None`` for a missing or NaN value, else the value."""
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else x
