"""Write ``docs/audit-rules.md``: ``python -m ldn_atlas.report.audit_rules_doc > docs/audit-rules.md``."""

from __future__ import annotations

import sys

from ldn_atlas.report.audit_rules import rules_markdown


def main() -> None:
    """Print the rules' Markdown documentation (generated from the registry)."""
    sys.stdout.write(rules_markdown())


if __name__ == "__main__":
    main()
