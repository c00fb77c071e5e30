"""Terminal rendering of a claim audit (Rich): one row per claim, then the count of each verdict."""

from __future__ import annotations

import json
import sys

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from ldn_atlas.appraise.audit.result import AuditResult


def audit_table(result: AuditResult) -> Table:
    """One row per claim: number, verdict, kind and strength, the sentence, its first three reasons."""
    table = Table(title=f"Claims of {result.source.title or result.source.id}", show_lines=True)
    for col in ("#", "verdict", "kind", "claim", "why"):
        table.add_column(col, overflow="fold")
    for i, c in enumerate(result.claims, 1):
        table.add_row(str(i), c.verdict, f"{c.kind}\n{c.strength}", c.text, "\n".join(c.reasons[:3]))
    return table


def verdict_counts(result: AuditResult) -> str:
    """``"3 supported, 1 overstated"``: how many claims got each verdict, by verdict name."""
    return ", ".join(f"{n} {v}" for v, n in sorted(result.counts().items()))


def render_audit(result: AuditResult, fmt: str) -> str | RenderableType:
    """The audit in ``fmt``: ``json`` and ``html`` as text to write, ``table`` as a Rich renderable to print."""
    if fmt == "json":
        return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "html":
        from ldn_atlas.report.audit_html import render_audit_html

        return render_audit_html(result)
    return Group(audit_table(result), Text(verdict_counts(result)))


def print_audit(result: AuditResult, fmt: str, console: Console) -> None:
    """Write the audit in ``fmt`` to standard output (the table through ``console``)."""
    out = render_audit(result, fmt)
    if isinstance(out, str):
        sys.stdout.write(out)
    else:
        console.print(out)


__all__ = ["audit_table", "print_audit", "render_audit", "verdict_counts"]
