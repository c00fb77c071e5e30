"""The pipeline flows one way: a stage imports only from stages to its left, plus ``model`` and ``errors``.

sources -> extract -> store -> stats -> appraise -> report -> (services, web, cli)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "ldn_atlas"
ORDER = ["sources", "extract", "store", "stats", "appraise", "report", "services", "web", "cli"]
ALWAYS_ALLOWED = {"model", "errors", "vocabulary", "data", "__init__"}


def _stage(module: str) -> str:
    """The stage of a dotted module name inside ldn_atlas (``ldn_atlas.stats._core`` -> ``stats``)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module.startswith("ldn_atlas"):
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("ldn_atlas")]
    return found


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_flow_left_to_right(path: Path) -> None:
    relative = path.relative_to(PACKAGE)
    own = relative.parts[0].removesuffix(".py")
    if own not in ORDER:
        # model, errors and vocabulary are shared by every stage: they import no stage at all
        for line, module in _imports(path):
            assert _stage(module) in ALWAYS_ALLOWED, f"{relative}:{line} imports {module}"
        return
    for line, module in _imports(path):
        stage = _stage(module)
        if stage in ALWAYS_ALLOWED or stage == own:
            continue
        assert stage in ORDER, f"{relative}:{line} imports unknown stage {module}"
        assert ORDER.index(stage) < ORDER.index(own), f"{relative}:{line}: {own} must not import {module}"


def test_no_import_circles() -> None:
    """No module reaches itself through imports, deferred ones included (tests/import_graph.py)."""
    from tests.import_graph import cycles

    assert cycles() == [], "import circles: " + "; ".join(" <-> ".join(c) for c in cycles())


def test_the_circle_finder_sees_a_deferred_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests import import_graph

    pkg = tmp_path / "ldn_atlas"
    (pkg / "stats").mkdir(parents=True)
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "stats" / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "stats" / "a.py").write_text("from ldn_atlas.stats.b import f\n", encoding="utf-8")
    (pkg / "stats" / "b.py").write_text("def f():\n    from ldn_atlas.stats import a\n", encoding="utf-8")
    monkeypatch.setattr(import_graph, "PACKAGE", pkg)
    assert import_graph.cycles() == [["ldn_atlas.stats.a", "ldn_atlas.stats.b"]]
