"""Rooms stay small: no function in src/ over 80 lines (docstring not counted), no module over 800.

The measure is tests/sizes.py (``python -m tests.sizes`` lists what is over). An exception must be
listed here by name with its reason; there are none.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.sizes import MAX_FUNCTION_LINES, MAX_MODULE_LINES, function_lengths, long_functions, long_modules

# "path/to/module.py:qualname" or "path/to/module.py" -> why it may be longer. Keep it empty.
EXCEPTIONS: dict[str, str] = {}


def test_no_function_is_longer_than_the_limit() -> None:
    over = [f"{name} ({n} lines)" for name, n in long_functions() if name not in EXCEPTIONS]
    assert not over, f"functions over {MAX_FUNCTION_LINES} lines: " + ", ".join(over)


def test_no_module_is_longer_than_the_limit() -> None:
    over = [f"{name} ({n} lines)" for name, n in long_modules() if name not in EXCEPTIONS]
    assert not over, f"modules over {MAX_MODULE_LINES} lines: " + ", ".join(over)


def test_every_exception_is_still_needed() -> None:
    current = {name for name, _ in long_functions()} | {name for name, _ in long_modules()}
    assert not set(EXCEPTIONS) - current


def test_the_measure_leaves_out_docstrings_and_counts_methods(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(3))
    source = textwrap.dedent('''\
        def f():
            """One
            two."""
        {body}

        class C:
            def g(self):
                def inner():
                    return 1
                return inner()
        ''').replace("{body}", body)
    path = tmp_path / "m.py"
    path.write_text(source, encoding="utf-8")
    assert function_lengths(path) == [("f", 4), ("C.g", 4), ("C.g.inner", 2)]
