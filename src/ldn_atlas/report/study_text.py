"""Terminal renderings of studies (Rich) and their CSV rows: the study list, one study in full, extractions.

The CLI's ``studies``, ``show`` and ``extract`` commands parse, call the store or
the extractor, and hand the records to these renderers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from ldn_atlas.extract.rows import provenance_rows
from ldn_atlas.model import Source, Study
from ldn_atlas.model.classify import design_category
from ldn_atlas.report.view import study_fields

STUDY_CSV_FIELDS = (
    "id",
    "label",
    "condition",
    "code",
    "species",
    "model",
    "design",
    "controlled",
    "comparator",
    "n",
    "year",
    "duration_days",
    "pmid",
    "doi",
    "nct",
    "primary_source",
)


def study_csv_row(study: Any) -> dict[str, Any]:
    """A study's row of the ``studies --format csv`` listing (keys: :data:`STUDY_CSV_FIELDS`)."""
    citation = study.citation
    return {
        "id": study.id,
        "label": study.label,
        "condition": study.condition.label,
        "code": study.condition.code or "",
        "species": study.species,
        "model": study.model or "",
        "design": ";".join(study.design),
        "controlled": "" if study.controlled is None else str(study.controlled).lower(),
        "comparator": study.comparator or "",
        "n": "" if study.population.n is None else study.population.n,
        "year": citation.year if citation and citation.year is not None else "",
        "duration_days": "" if study.duration_days is None else f"{study.duration_days:g}",
        "pmid": (citation.pmid if citation else None) or "",
        "doi": (citation.doi if citation else None) or "",
        "nct": (citation.nct if citation else None) or "",
        "primary_source": study.primary_source or "",
    }


def studies_table(items: Sequence[Any], total: int, *, wide: bool) -> Table:
    """The study list as a table; a narrow terminal (``wide=False``) gets two-line rows."""
    shown = f"{len(items)} of {total}" if len(items) < total else str(total)
    table = Table(title=f"{shown} studies", show_lines=False)
    # ids stay whole (they are what `show` takes); a narrow terminal gets two-line rows
    table.add_column("ID", no_wrap=True, min_width=max((len(s.id) for s in items), default=2))
    table.add_column("Study", ratio=3)
    if wide:
        for column in ("Condition", "Code", "Species", "Design"):
            table.add_column(column, ratio=2 if column in ("Condition", "Design") else None)
    table.add_column("N", justify="right", no_wrap=True)
    table.add_column("Year", justify="right", no_wrap=True)
    for study in items:
        row = study_csv_row(study)
        species = study.species + (f" ({study.model})" if study.model else "")
        design_text = ", ".join(study.design) or "—"
        n = str(row["n"]) if row["n"] != "" else "—"
        year = str(row["year"]) if row["year"] != "" else "—"
        cells: list[str]
        if wide:
            plain = (study.label, study.condition.label, row["code"] or "—", species, design_text)
            cells = [escape(str(c)) for c in plain]
        else:
            code = f" ({row['code']})" if row["code"] else ""
            detail = f"{study.condition.label}{code} · {species} · {design_text}"
            cells = [f"{escape(study.label)}\n[dim]{escape(detail)}[/dim]"]
        table.add_row(study.id, *cells, n, year)
    return table


def show_value(value: Any) -> str:
    """A field value as shown: ``g``-formatted floats, comma-joined lists, yes/no for booleans."""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return ", ".join(show_value(v) for v in value) or "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def render_study(console: Console, study: Any, texts: dict[str, str]) -> None:
    """Print one study in full: heading, fields with provenance and verification, marks, notes, references."""
    console.print(study_heading(study))
    console.print(study_fields_table(study, texts))
    if study.verification:
        console.print(verification_marks_table(study))
    if study.notes:
        console.print("[bold]Notes and discrepancies[/bold]")
        for note in study.notes:
            console.print(f"  • {escape(note)}", highlight=False)
    if study.references:
        console.print("[bold]References[/bold]")
        for url in study.references:
            console.print(f"  {escape(url)}", highlight=False)


def study_heading(study: Any) -> Panel:
    """The panel over a study: label and id, condition, species and design, citation, sources."""
    head = [
        f"[bold]{escape(study.label)}[/bold]  [dim]{escape(study.id)}[/dim]",
        f"{escape(study.condition.label)}"
        + (f" (ICD-10-CM {escape(study.condition.code)})" if study.condition.code else "")
        + f" · {study.species}"
        + (f" ({escape(study.model)})" if study.model else "")
        + f" · {design_category(study).label}",
        "design: " + (", ".join(study.design) or "—"),
    ]
    citation = study.citation
    if citation is not None:
        head += _citation_lines(citation)
    if study.source:
        head.append(f"read from source: {escape(study.source)}")
    if study.primary_source:
        head.append(f"primary study record: {escape(study.primary_source)}")
    return Panel("\n".join(head), expand=False)


def _citation_lines(citation: Any) -> list[str]:
    """The reference (authors, year, title, journal) and the identifiers of a citation, when present."""
    lines = []
    authors = ", ".join(citation.authors[:3]) + (" et al." if len(citation.authors) > 3 else "")
    ref = " ".join(
        p
        for p in (
            authors,
            f"({citation.year})" if citation.year else "",
            citation.title,
            citation.journal,
        )
        if p
    )
    ids = [
        f"{name.upper()} {value}"
        for name, value in (
            ("pmid", citation.pmid),
            ("pmcid", citation.pmcid),
            ("doi", citation.doi),
            ("nct", citation.nct),
        )
        if value
    ]
    ids += [f"{k} {v}" for k, v in citation.other_ids.items()]
    if ref:
        lines.append(escape(ref))
    if ids:
        lines.append(escape(" · ".join(ids)))
    return lines


def study_fields_table(study: Any, texts: dict[str, str]) -> Table:
    """Every field of a study with its value, verification level and spans (and the quoted words)."""
    rows = study_fields(study, texts)
    span_sources = sorted({s.source for row in rows for s in row.spans})
    # spans into the study's own source (or its only one) show as offsets; others name their source
    home = study.source if study.source in span_sources else (span_sources[0] if len(span_sources) == 1 else None)
    caption = (
        f"Spans are character offsets [start, end) into the normalised text of source {home}."
        if home
        else "Spans are source:start-end character offsets into the sources' normalised text."
    )
    table = Table(title="Fields, provenance and verification", caption=caption, show_lines=False)
    table.add_column("Field", overflow="fold")
    table.add_column("Value", overflow="fold", ratio=3)
    table.add_column("Verification", no_wrap=True)
    table.add_column("Spans", overflow="fold", ratio=2)
    colour = {"primary": "green", "secondary": "yellow", "unverified": "red"}
    for row in rows:
        spans = ", ".join(
            f"{s.start}-{s.end}" if s.source == home else f"{s.source}:{s.start}-{s.end}" for s in row.spans
        )
        if row.quote:
            spans += f"\n“{row.quote}”"
        level = row.verification or "—"
        table.add_row(
            escape(row.path),
            escape(show_value(row.value)),
            f"[{colour[level]}]{level}[/{colour[level]}]" if level in colour else level,
            escape(spans) or "—",
        )
    return table


def verification_marks_table(study: Any) -> Table:
    """A study's verification marks, by path."""
    marks = Table(title="Verification marks (a mark covers every field below its path)")
    marks.add_column("Path")
    marks.add_column("Level")
    for path, level in sorted(study.verification.items()):
        marks.add_row(escape(path), level)
    return marks


def render_extraction(console: Console, source: Source, studies: Sequence[object]) -> None:
    """Print the studies extracted from one source, one table of fields and their words per study."""
    console.print(f"[bold]{escape(source.title or source.id)}[/bold] ({source.kind}, {len(studies)} "
                  f"stud{'y' if len(studies) == 1 else 'ies'})", highlight=False)
    for study in studies:
        assert isinstance(study, Study)
        table = Table(title=f"{study.id}: {study.label}", title_justify="left", show_lines=False)
        table.add_column("field", style="cyan", no_wrap=True)
        table.add_column("value")
        table.add_column("words in the text", style="dim")
        for path, value, words in provenance_rows(source, study):
            table.add_row(escape(path), escape(value), escape(words))
        console.print(table)
