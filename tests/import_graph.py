"""The import graph of ``src/ldn_atlas``, and its circles: the measure behind the no-circles test.

Every import counts, at module level or inside a function (a deferred import is still a dependency).
``from ldn_atlas.stats import rma`` depends on the package ``ldn_atlas.stats`` (its ``__init__``) when
``rma`` is a name it defines, and on the module ``ldn_atlas.stats.rma`` when that is a module: so a
module that imports from its own package's ``__init__``, which imports the module back, is a circle.

Run ``python -m tests.import_graph`` to print the circles.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "ldn_atlas"


def _module_names() -> dict[str, Path]:
    names: dict[str, Path] = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        names[name] = path
    return names


def graph() -> dict[str, set[str]]:
    """Module name -> the modules of the package it imports."""
    names = _module_names()
    edges: dict[str, set[str]] = {name: set() for name in names}
    for name, path in names.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    targets.append(sub if sub in names else node.module)
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            edges[name].update(t for t in targets if t in names and t != name)
    return edges


def cycles() -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm), sorted."""
    edges = graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


if __name__ == "__main__":
    for component in cycles():
        print(" <-> ".join(component))
