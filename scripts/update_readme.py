"""Regenerate the per-condition table of README.md from the embedded evidence base.

    python scripts/update_readme.py          # rewrite README.md in place
    python scripts/update_readme.py --check  # exit 1 if README.md is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

from ldn_atlas.report.base_table import condition_counts, condition_table_markdown, replace_block
from ldn_atlas.store.evidence_files import load_evidence

README = Path(__file__).resolve().parents[1] / "README.md"


def main(argv: list[str]) -> int:
    current = README.read_text(encoding="utf-8")
    updated = replace_block(current, condition_table_markdown(condition_counts(load_evidence())))
    if "--check" in argv:
        if updated != current:
            print("README.md: the per-condition table is out of date; run python scripts/update_readme.py")
            return 1
        return 0
    README.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
