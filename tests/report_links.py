"""Helpers for checking a written report: every internal link must resolve."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import html as lxml_html


def broken_links(out_dir: Path) -> list[str]:
    """Internal href/src targets (files and #fragments) that do not resolve, as 'page -> target'."""
    problems: list[str] = []
    ids_cache: dict[Path, set[str]] = {}

    def ids_of(page: Path) -> set[str]:
        if page not in ids_cache:
            tree = lxml_html.parse(str(page))
            ids_cache[page] = {el.get("id") for el in tree.iter() if el.get("id")}
        return ids_cache[page]

    for page in sorted(out_dir.rglob("*.html")):
        tree = lxml_html.parse(str(page))
        for element in tree.iter():
            target = element.get("href") or element.get("src")
            if not target or element.tag not in ("a", "link", "img", "script"):
                continue
            parts = urlsplit(target)
            if parts.scheme or parts.netloc:
                if parts.scheme in ("http", "https") and element.tag in ("link", "script", "img"):
                    problems.append(f"{page.relative_to(out_dir)} -> {target} (remote asset)")
                continue
            resolved = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if not resolved.exists():
                problems.append(f"{page.relative_to(out_dir)} -> {target}")
            elif parts.fragment and resolved.suffix == ".html" and unquote(parts.fragment) not in ids_of(resolved):
                problems.append(f"{page.relative_to(out_dir)} -> {target} (no such anchor)")
    return problems
