"""One candidate study read into a :class:`~ldn_atlas.model.Study`: the field readers called in order.

The order matters: design reads the species and sample size, interventions the duration, and
outcomes use the sample size as the denominator of their percentages.
"""

from __future__ import annotations

from typing import Any

from ldn_atlas.extract.conditions import ConditionMention
from ldn_atlas.extract.fields.condition import read_condition
from ldn_atlas.extract.fields.context import new_context
from ldn_atlas.extract.fields.design import read_design
from ldn_atlas.extract.fields.doses import read_interventions
from ldn_atlas.extract.fields.durations import read_durations
from ldn_atlas.extract.fields.outcomes import read_outcomes
from ldn_atlas.extract.fields.population import population_word, read_population
from ldn_atlas.extract.fields.species import read_species
from ldn_atlas.extract.segment import Segment, Sentence
from ldn_atlas.model import AdverseEvent, Condition, Intervention, Outcome, Period, Population, Span, Study


class StudyReader:
    """Reads one segment into a :class:`Study` (use :func:`read_study`); each method calls one field reader."""

    def __init__(
        self,
        source_id: str,
        text: str,
        seg: Segment,
        *,
        context: list[Sentence],
        fallback_conditions: list[ConditionMention],
        inherited: Study | None,
        single: bool,
    ) -> None:
        self.c = new_context(
            source_id,
            text,
            seg,
            context=context,
            fallback_conditions=fallback_conditions,
            inherited=inherited,
            single=single,
        )
        self.seg = seg
        self.context = context
        self.fallback_conditions = fallback_conditions
        self.inherited = inherited
        self.single = single

    def species(self) -> tuple[str, str | None]:
        """See :func:`ldn_atlas.extract.fields.species.read_species`."""
        return read_species(self.c)

    def condition(self) -> Condition:
        """See :func:`ldn_atlas.extract.fields.condition.read_condition`."""
        return read_condition(self.c)

    def design(self, species: str, n: int | None) -> tuple[list[str], bool | None, str | None]:
        """See :func:`ldn_atlas.extract.fields.design.read_design`."""
        return read_design(self.c, species, n)

    def population(self, species: str) -> Population:
        """See :func:`ldn_atlas.extract.fields.population.read_population`."""
        return read_population(self.c, species)

    _population_word = staticmethod(population_word)

    def durations(self) -> tuple[float | None, list[Period], bool]:
        """See :func:`ldn_atlas.extract.fields.durations.read_durations`."""
        return read_durations(self.c)

    def interventions(self, duration: float | None) -> list[Intervention]:
        """See :func:`ldn_atlas.extract.fields.doses.read_interventions`."""
        return read_interventions(self.c, duration)

    def outcomes(self, n: int | None) -> tuple[list[Outcome], list[AdverseEvent]]:
        """See :func:`ldn_atlas.extract.fields.outcomes.read_outcomes`."""
        return read_outcomes(self.c, n)


def read_study(
    source_id: str,
    text: str,
    seg: Segment,
    index: int,
    *,
    context: list[Sentence],
    fallback_conditions: list[ConditionMention],
    inherited: Study | None = None,
    single: bool = False,
    citation: Any = None,
    verification: str | None = None,
) -> Study:
    """Read one candidate study (a :class:`Segment`) into a :class:`Study` with provenance.

    ``verification`` is the level of everything read (``primary`` for a PubMed record of the study
    itself, ``secondary`` for a study described in an article, ``unverified`` when unknown); by
    default ``primary`` for an abstract and ``secondary`` for an article's study.
    """
    r = StudyReader(
        source_id,
        text,
        seg,
        context=context,
        fallback_conditions=fallback_conditions,
        inherited=inherited,
        single=single,
    )
    c = r.c
    c.prov["*"] = [Span(source=source_id, start=s.start, end=s.end) for s in seg.sentences]
    species, model = r.species()
    condition = r.condition()
    population = r.population(species)
    design, controlled, comparator = r.design(species, population.n)
    duration, periods, approx = r.durations()
    interventions = r.interventions(duration)
    outcomes, adverse = r.outcomes(population.n)
    if approx:
        c.notes.append("duration is approximate in the text")
    for p in periods:
        if p.approximate:
            c.notes.append(f"{p.kind} period length is approximate in the text")
    label = _label(species, model, design, condition, population.n, seg)
    return Study(
        id=f"{source_id}#s{index}",
        label=label,
        citation=citation,
        source=source_id,
        species=species,
        model=model,
        condition=condition,
        design=design,
        controlled=controlled,
        population=population,
        interventions=interventions,
        comparator=comparator,
        periods=periods,
        duration_days=duration,
        outcomes=outcomes,
        adverse_events=adverse,
        provenance=c.prov,
        verification={"*": verification or ("primary" if single else "secondary")},
        notes=list(dict.fromkeys(c.notes)),
    )


def study_label(
    species: str, model: str | None, design: list[str], condition: Condition, n: int | None, seg: Segment
) -> str:
    """A short label of the study: its kind (design or model), condition, n and descriptor length."""
    main = next(
        (
            d
            for d in (
                "case-report",
                "case-series",
                "systematic-review",
                "retrospective",
                "pilot",
                "crossover",
                "randomized",
                "observational",
            )
            if d in design
        ),
        None,
    )
    kind = {
        "case-report": "case report",
        "case-series": "case series",
        "retrospective": "retrospective study",
        "pilot": "pilot trial",
        "crossover": "crossover trial",
        "randomized": "randomized trial",
        "systematic-review": "systematic review",
        "observational": "observational study",
    }.get(main or "", "study")
    if species == "animal":
        kind = f"{model or 'animal'} study"
    elif species == "in-vitro":
        kind = "in-vitro study"
    parts = [kind, f"in {condition.label}" if condition.label != "unspecified" else ""]
    if n:
        parts.append(f"(n={n})")
    if seg.descriptor_days:
        parts.append(f"[{seg.descriptor_days:g} days]")
    return " ".join(p for p in parts if p)


_label = study_label  # the former private name, kept for callers
