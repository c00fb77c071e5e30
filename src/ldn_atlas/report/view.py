"""The report's results model: one view of the atlas that every renderer reads.

:func:`build_atlas` turns study records (and, when available, syntheses and
audits from the appraisal stage) into an :class:`AtlasView`.  The HTML pages,
the web app, ``atlas.json`` and the terminal summary are all renderings of this
one object; none of them recomputes anything.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ldn_atlas import __version__
from ldn_atlas.model import Source, Span, Study
from ldn_atlas.model.classify import DesignCategory, design_category, outcome_domains, study_domains


@dataclass(frozen=True)
class ConditionInfo:
    """What the report shows of a condition: its vocabulary entry, when there is one."""

    id: str
    label: str
    code: str | None = None
    chapter: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class FieldRow:
    """One leaf field of a study with its provenance and verification level."""

    path: str
    value: Any
    spans: tuple[Span, ...]
    verification: str | None
    quote: str | None = None


@dataclass(frozen=True)
class StudyView:
    study: Study
    category: DesignCategory
    domains: tuple[str, ...]
    condition_id: str
    fields: tuple[FieldRow, ...]

    @property
    def id(self) -> str:
        return self.study.id

    @property
    def slug(self) -> str:
        return slugify(self.study.id)

    @property
    def n(self) -> int | None:
        return self.study.population.n

    def verification_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self.fields:
            if row.verification:
                counts[row.verification] = counts.get(row.verification, 0) + 1
        return counts


@dataclass(frozen=True)
class MatrixCell:
    """Studies of one condition reporting one outcome domain."""

    study_ids: tuple[str, ...]
    strongest: DesignCategory

    @property
    def n_studies(self) -> int:
        return len(self.study_ids)


@dataclass(frozen=True)
class ConditionView:
    info: ConditionInfo
    studies: tuple[StudyView, ...]
    cells: Mapping[str, MatrixCell]
    syntheses: tuple[Any, ...] = ()

    @property
    def id(self) -> str:
        return self.info.id

    @property
    def slug(self) -> str:
        return slugify(self.info.id)

    @property
    def strongest(self) -> DesignCategory:
        return max(s.category for s in self.studies)

    @property
    def participants(self) -> int:
        """Participants in human studies, counting each study's best single count."""
        return sum(s.n or 0 for s in self.studies if s.study.species == "human" and not s.study.primary_source)


@dataclass(frozen=True)
class AtlasView:
    """Everything the report shows."""

    conditions: tuple[ConditionView, ...]
    studies: tuple[StudyView, ...]
    domains: tuple[tuple[str, str], ...]
    sources: Mapping[str, Source]
    generated: datetime = field(default_factory=lambda: datetime.now(UTC))
    version: str = __version__
    syntheses: tuple[Any, ...] = ()
    audits: tuple[Any, ...] = ()

    def study(self, study_id: str) -> StudyView:
        for view in self.studies:
            if view.id == study_id:
                return view
        raise KeyError(study_id)

    def condition(self, condition_id: str) -> ConditionView:
        for view in self.conditions:
            if view.id == condition_id:
                return view
        raise KeyError(condition_id)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict holding the same data as the pages (``atlas.json``)."""
        return {
            "generator": f"ldn-atlas {self.version}",
            "generated": self.generated.isoformat(timespec="seconds"),
            "domains": [{"id": d, "label": label} for d, label in self.domains],
            "conditions": [
                {
                    "id": c.id,
                    "label": c.info.label,
                    "code": c.info.code,
                    "chapter": c.info.chapter,
                    "studies": [s.id for s in c.studies],
                    "participants": c.participants,
                    "strongest_design": c.strongest.label,
                    "matrix": {
                        d: {"n_studies": cell.n_studies, "strongest_design": cell.strongest.label,
                            "studies": list(cell.study_ids)}
                        for d, cell in c.cells.items()
                    },
                    "syntheses": [_to_dict(s) for s in c.syntheses],
                }
                for c in self.conditions
            ],
            "studies": [
                {
                    **s.study.model_dump(mode="json", exclude_none=True),
                    "design_category": s.category.label,
                    "outcome_domains": list(s.domains),
                }
                for s in self.studies
            ],
            "sources": [src.model_dump(mode="json", exclude={"text"}, exclude_none=True)
                        for src in self.sources.values()],
            "syntheses": [_to_dict(s) for s in self.syntheses],
            "audits": [_to_dict(a) for a in self.audits],
        }


def _to_dict(obj: Any) -> Any:
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json")
    return obj


_SLUG_UNSAFE = re.compile(r"[^a-z0-9._-]+")


def slugify(identifier: str) -> str:
    """A file- and URL-safe form of an identifier (``src#s3`` -> ``src--s3``)."""
    return _SLUG_UNSAFE.sub("--", identifier.lower()).strip("-") or "item"


def iter_leaves(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Leaf fields of a dumped record as ``(path, value)``, paths in the provenance spelling."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from iter_leaves(item, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list) and value and any(isinstance(v, (dict, list)) for v in value):
        for index, item in enumerate(value):
            yield from iter_leaves(item, f"{prefix}[{index}]")
    else:
        yield prefix, value


_SKIP_FIELDS = ("provenance", "verification", "notes", "references")


def study_fields(study: Study, texts: Mapping[str, str] | None = None) -> tuple[FieldRow, ...]:
    """Every filled leaf field of a study with its spans (or its nearest parent's) and verification."""
    dumped = study.model_dump(mode="json", exclude_none=True, exclude=set(_SKIP_FIELDS))
    rows = []
    for path, value in iter_leaves(dumped):
        if value in ([], {}, "", None) or path in ("id",):
            continue
        spans = _spans_for(study.provenance, path)
        quote = None
        if texts and spans:
            text = texts.get(spans[0].source)
            if text is not None and spans[0].end <= len(text):
                quote = " … ".join(text[s.start : s.end] for s in spans if texts.get(s.source) == text)
        rows.append(FieldRow(path, value, spans, study.verification_of(path), quote))
    return tuple(rows)


def _spans_for(provenance: Mapping[str, Sequence[Span]], path: str) -> tuple[Span, ...]:
    probe = path
    while probe:
        if probe in provenance:
            return tuple(provenance[probe])
        cut = max(probe.rfind("."), probe.rfind("["))
        probe = probe[:cut] if cut > 0 else ""
    return ()


ConditionResolver = Callable[[Study], ConditionInfo]


def default_condition_resolver(study: Study) -> ConditionInfo:
    """Resolve a study's condition through the condition vocabulary, falling back to its own label.

    An animal model resolves to the human condition it models (EAE -> multiple
    sclerosis), so mechanism work appears in that condition's row, ranked as
    animal evidence.
    """
    from ldn_atlas.vocabulary import lookup

    entry = None
    if study.condition.code:
        entry = lookup(study.condition.code)
    if entry is None:
        entry = lookup(study.condition.label)
    if entry is not None and entry.maps_to:
        entry = lookup(entry.maps_to) or entry
    if entry is None:
        return ConditionInfo(id=slugify(study.condition.label), label=study.condition.label,
                             code=study.condition.code)
    return ConditionInfo(
        id=entry.id,
        label=entry.label,
        code=entry.code,
        chapter=f"Chapter {entry.chapter.roman}: {entry.chapter.title}",
        category=entry.category,
    )


def _synthesis_matches(synthesis: Any, info: ConditionInfo) -> bool:
    """A synthesis belongs to a condition when its code or label names that condition."""
    code = getattr(synthesis, "condition_code", None)
    if code and info.code and code.rstrip("-") == info.code.rstrip("-"):
        return True
    label = str(getattr(synthesis, "condition", "")).lower()
    return label in (info.id.lower(), info.label.lower())


def build_atlas(
    studies: Iterable[Study],
    sources: Iterable[Source] = (),
    *,
    syntheses: Sequence[Any] = (),
    audits: Sequence[Any] = (),
    resolve: ConditionResolver = default_condition_resolver,
    texts: Mapping[str, str] | None = None,
) -> AtlasView:
    """Build the atlas view.

    Parameters
    ----------
    studies
        The study records.
    sources
        Source records the studies point to (text optional).
    syntheses, audits
        Results of the appraisal stage; a synthesis with a ``condition`` attribute
        is shown on that condition's page.
    resolve
        Maps a study to its condition entry (default: the condition vocabulary).
    texts
        Source texts by source id; when given, field rows quote the words their spans point to.
    """
    source_map = {s.id: s for s in sources}
    if texts is None:
        texts = {s.id: s.text for s in source_map.values() if s.text}
    views = []
    infos: dict[str, ConditionInfo] = {}
    for study in sorted(studies, key=lambda s: s.id):
        info = resolve(study)
        infos.setdefault(info.id, info)
        views.append(
            StudyView(
                study=study,
                category=design_category(study),
                domains=tuple(d.id for d in study_domains(study)),
                condition_id=info.id,
                fields=study_fields(study, texts),
            )
        )
    by_condition: dict[str, list[StudyView]] = {}
    for view in views:
        by_condition.setdefault(view.condition_id, []).append(view)
    used_domains = {d for v in views for d in v.domains}
    domains = tuple((d.id, d.label) for d in outcome_domains() if d.id in used_domains)
    conditions = []
    for cid, members in by_condition.items():
        cells: dict[str, MatrixCell] = {}
        for domain_id, _ in domains:
            hits = [m for m in members if domain_id in m.domains]
            if hits:
                cells[domain_id] = MatrixCell(tuple(m.id for m in hits), max(m.category for m in hits))
        condition_syntheses = tuple(s for s in syntheses if _synthesis_matches(s, infos[cid]))
        conditions.append(ConditionView(infos[cid], tuple(members), cells, condition_syntheses))
    conditions.sort(key=lambda c: (-len(c.studies), c.info.label))
    return AtlasView(
        conditions=tuple(conditions),
        studies=tuple(views),
        domains=domains,
        sources=source_map,
        syntheses=tuple(syntheses),
        audits=tuple(audits),
    )
