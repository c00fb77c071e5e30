"""The static HTML report: every page of the atlas as files, with local assets only."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ldn_atlas.report.audit_rules import rule_views
from ldn_atlas.report.html import Links, make_environment, render_page
from ldn_atlas.report.view import AtlasView, slugify


@dataclass(frozen=True)
class WrittenReport:
    """What :func:`write_report` wrote."""

    out_dir: Path
    pages: tuple[Path, ...]
    json_path: Path

    @property
    def index(self) -> Path:
        return self.out_dir / "index.html"


def described_by(atlas: AtlasView) -> dict[str, list[str]]:
    """For each primary study id, the ids of the records that describe it second-hand."""
    found: dict[str, list[str]] = {}
    for view in atlas.studies:
        if view.study.primary_source:
            found.setdefault(view.study.primary_source, []).append(view.id)
    return found


def page_context(atlas: AtlasView) -> dict[str, Any]:
    """Context every page shares."""
    return {
        "atlas": atlas,
        "known_ids": {s.id for s in atlas.studies},
        "footer": f"LDN Atlas {atlas.version} · generated {atlas.generated:%Y-%m-%d %H:%M} UTC · "
        "not medical advice",
        "extra_sections": [],
        "web": False,
    }


def claim_segments(text: str, claims: Any) -> list[tuple[str, Any]]:
    """The text cut into ``(piece, claim or None)`` runs, so templates highlight claims with escaping intact."""
    pieces: list[tuple[str, Any]] = []
    cursor = 0
    for claim in sorted(claims, key=lambda c: c.span.start):
        start, end = max(claim.span.start, cursor), min(claim.span.end, len(text))
        if start >= end:
            continue
        if start > cursor:
            pieces.append((text[cursor:start], None))
        pieces.append((text[start:end], claim))
        cursor = end
    if cursor < len(text):
        pieces.append((text[cursor:], None))
    return pieces


def write_report(
    atlas: AtlasView,
    out_dir: Path,
    *,
    extra_pages: Callable[[AtlasView, Path], list[Path]] | None = None,
) -> WrittenReport:
    """Write the static report into ``out_dir``.

    Writes ``index.html`` (the evidence matrix), ``conditions/<id>.html``,
    ``studies/<id>.html``, ``methods.html``, ``atlas.json`` and the local
    stylesheet.  The directory is created if needed; files of an earlier report
    are overwritten.  ``extra_pages`` lets later stages add pages (syntheses,
    audits) with the same templates.
    """
    out_dir = Path(out_dir)
    (out_dir / "studies").mkdir(parents=True, exist_ok=True)
    (out_dir / "conditions").mkdir(parents=True, exist_ok=True)
    static = out_dir / "static"
    static.mkdir(exist_ok=True)
    for asset in resources.files("ldn_atlas.report").joinpath("static").iterdir():
        if asset.is_file():
            with resources.as_file(asset) as path:
                shutil.copyfile(path, static / asset.name)

    env = make_environment()
    shared = page_context(atlas)
    by_primary = described_by(atlas)
    pages: list[Path] = []

    def emit(relative: str, template: str, depth: int, **context: Any) -> None:
        links = Links(root="../" * depth, suffix=".html")
        html = render_page(env, template, links, **{**shared, **context})
        path = out_dir / relative
        path.write_text(html, encoding="utf-8")
        pages.append(path)

    emit("index.html", "index.html", 0)
    emit("methods.html", "methods.html", 0, audit_rules=rule_views())
    for condition in atlas.conditions:
        emit(f"conditions/{condition.slug}.html", "condition.html", 1, c=condition)
    for view in atlas.studies:
        emit(f"studies/{view.slug}.html", "study.html", 1, s=view, described_by=by_primary.get(view.id, []))
    if atlas.syntheses:
        from ldn_atlas.report.plots import synthesis_forest_svg

        (out_dir / "syntheses").mkdir(exist_ok=True)
        (out_dir / "plots").mkdir(exist_ok=True)
        for synthesis in atlas.syntheses:
            slug = slugify(synthesis.id)
            svg = synthesis_forest_svg(synthesis)
            plot_url = None
            if svg is not None:
                (out_dir / "plots" / f"{slug}.svg").write_bytes(svg)
                plot_url = f"../plots/{slug}.svg"
            emit(f"syntheses/{slug}.html", "synthesis.html", 1, syn=synthesis, plot_url=plot_url)
    for audit in atlas.audits:
        emit(f"audit-{slugify(audit.source.id)}.html", "audit.html", 0, result=audit, error=None, limit_mb=0,
             segments=claim_segments(audit.source.text or "", audit.claims))
    if extra_pages is not None:
        pages.extend(extra_pages(atlas, out_dir))

    json_path = out_dir / "atlas.json"
    json_path.write_text(json.dumps(atlas.to_dict(), indent=2, ensure_ascii=False), encoding="utf-8")
    return WrittenReport(out_dir=out_dir, pages=tuple(pages), json_path=json_path)


__all__ = ["WrittenReport", "claim_segments", "described_by", "page_context", "slugify", "write_report"]
