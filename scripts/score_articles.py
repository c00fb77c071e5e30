"""Score the claim audit against the independent readings of the real articles in ../shared/articles.

For every claim of a reading (``<name>.gold.json``) the audit's claim whose sentence holds the reading's
``quote_start`` is found, and the two verdicts are compared by family: *holds* (supported, supported-weak,
supported-indirect), *fails* (overstated, unsupported, contradicted, factual-error) or *not-checkable*.
A claim the audit does not find counts as not-checkable on its side.

    python scripts/score_articles.py [--shared ../shared] [--db PATH] [--verbose]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ldn_atlas.appraise.audit import audit_file
from ldn_atlas.store.evidence_files import load_evidence

HOLDS = {"supported", "supported-weak", "supported-indirect"}
FAILS = {"overstated", "unsupported", "contradicted", "factual-error"}


def family(verdict: str | None) -> str:
    """The verdict's family: holds, fails or not-checkable."""
    return "holds" if verdict in HOLDS else "fails" if verdict in FAILS else "not-checkable"


def score(txt: Path, studies: list) -> list[tuple[str, str, str, str, str]]:  # type: ignore[type-arg]
    """(claim id, gold verdict, audit verdict, deciding rule, quote) for every claim of one reading."""
    gold = json.loads(txt.with_suffix(".gold.json").read_text(encoding="utf-8"))
    text = txt.read_text(encoding="utf-8")
    result = audit_file(txt, studies=studies)
    rows = []
    for claim in gold["claims"]:
        at = text.find(claim["quote_start"])
        found = next((c for c in result.claims if c.span and c.span.start <= at < c.span.end), None)
        if at < 0 or found is None:
            rows.append((claim["id"], claim["verdict"], "-", "", claim["quote_start"][:60]))
            continue
        rows.append((claim["id"], claim["verdict"], found.verdict, found.rule or "", claim["quote_start"][:60]))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    studies = load_evidence()
    total = agree = errors = caught = 0
    for txt in sorted((args.shared / "articles").glob("*.txt")):
        rows = score(txt, studies)
        hits = sum(family(g) == family(a) for _, g, a, _, _ in rows)
        fe = [(g, a) for _, g, a, _, _ in rows if g == "factual-error"]
        total, agree = total + len(rows), agree + hits
        errors, caught = errors + len(fe), caught + sum(a == "factual-error" for _, a in fe)
        print(f"{txt.stem:28s} {hits:3d}/{len(rows):<3d} {hits / len(rows):.2f}")
        if args.verbose:
            for cid, g, a, rule, quote in rows:
                mark = " " if family(g) == family(a) else "x"
                print(f"   {mark} {cid:4s} gold {g:18s} audit {a:18s} {rule:7s} {quote}")
    print(f"{'all':28s} {agree:3d}/{total:<3d} {agree / total:.2f}; factual errors caught {caught}/{errors}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
