"""Terminal rendering of the atlas view (Rich)."""

from __future__ import annotations

from rich.table import Table

from ldn_atlas.report.view import AtlasView


def summary_table(atlas: AtlasView) -> Table:
    """One row per condition: studies, participants, strongest design, verification mix."""
    table = Table(title="LDN Atlas: evidence by condition", show_lines=False)
    table.add_column("Condition")
    table.add_column("ICD-10-CM")
    table.add_column("Studies", justify="right")
    table.add_column("Human participants", justify="right")
    table.add_column("Strongest design")
    table.add_column("Numbers: primary / secondary / unverified", justify="right")
    for c in atlas.conditions:
        counts: dict[str, int] = {}
        for s in c.studies:
            for key, value in s.verification_counts().items():
                counts[key] = counts.get(key, 0) + value
        table.add_row(
            c.info.label,
            c.info.code or "—",
            str(len(c.studies)),
            str(c.participants),
            c.strongest.label,
            f"{counts.get('primary', 0)} / {counts.get('secondary', 0)} / {counts.get('unverified', 0)}",
        )
    return table
