"""How long the functions and modules of ``src/ldn_atlas`` are: the measure behind tests/test_sizes.py.

A function's length is its lines from ``def`` to its last line, not counting its docstring (numpydoc
parameter lists are documentation, not code to read through); nested functions count inside their
parent too. A module's length is its number of lines.

Run ``python -m tests.sizes`` to list everything over the limits.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "ldn_atlas"
MAX_FUNCTION_LINES = 80
MAX_MODULE_LINES = 800


def _docstring_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    first = node.body[0] if node.body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        return (first.end_lineno or first.lineno) - first.lineno + 1
    return 0


def function_lengths(path: Path) -> list[tuple[str, int]]:
    """``(qualified name, lines without docstring)`` for every function and method in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[tuple[str, int]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (child.end_lineno or child.lineno) - child.lineno + 1 - _docstring_lines(child)
                out.append((f"{prefix}{child.name}", lines))
                visit(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            else:
                visit(child, prefix)

    visit(tree, "")
    return out


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def long_functions() -> list[tuple[str, int]]:
    """``("path/to/module.py:qualname", lines)`` for every function over the limit."""
    return [(f"{p.relative_to(PACKAGE)}:{name}", n) for p in modules() for name, n in function_lengths(p)
            if n > MAX_FUNCTION_LINES]


def long_modules() -> list[tuple[str, int]]:
    """``("path/to/module.py", lines)`` for every module over the limit."""
    lengths = ((str(p.relative_to(PACKAGE)), len(p.read_text(encoding="utf-8").splitlines())) for p in modules())
    return [(name, n) for name, n in lengths if n > MAX_MODULE_LINES]


if __name__ == "__main__":
    for name, n in sorted(long_modules(), key=lambda x: -x[1]):
        print(f"module   {n:5d}  {name}")
    for name, n in sorted(long_functions(), key=lambda x: -x[1]):
        print(f"function {n:5d}  {name}")
