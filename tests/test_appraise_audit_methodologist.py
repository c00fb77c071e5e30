"""Agreement between ``ldn-atlas audit`` and an independent methodologist reading of article 000.

The reading (``tests/data/audit/article-000-methodologist.json``, conventions in the README
beside it) was made sentence by sentence against the primary-sources file before the audit's
output was looked at; it stores character offsets only.  Claims are matched by span overlap.
Two figures: exact verdict agreement, and agreement on whether the claim holds
(supported / supported-weak / supported-indirect -> holds; overstated / unsupported /
contradicted / factual-error -> does not hold; not-checkable -> unknown, which agrees only
with unknown).  The floor is the measured "holds" agreement rounded down to 2 decimals.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ldn_atlas.appraise.audit import audit_file

READING = Path(__file__).parent / "data" / "audit" / "article-000-methodologist.json"
HOLDS: dict[str, bool | None] = {
    "supported": True,
    "supported-weak": True,
    "supported-indirect": True,
    "overstated": False,
    "unsupported": False,
    "contradicted": False,
    "factual-error": False,
    "not-checkable": None,
}
#: Measured "holds" agreement (0.951 after the rule changes; 0.927 before), rounded down to 2 decimals.
HOLDS_FLOOR = 0.95
#: Measured exact-verdict agreement (0.927), with a little room for verdict-neutral edits to the evidence base.
EXACT_FLOOR = 0.9


def agreement(reading: list[dict[str, Any]], claims: list[dict[str, Any]]) -> tuple[float, float, list[str]]:
    """Exact-verdict and holds agreement over the reading's claims (unmatched claims count as disagreements)."""
    exact = holds = 0
    diffs: list[str] = []
    for r in reading:
        best, overlap = None, 0
        for c in claims:
            ov = min(c["span"]["end"], r["end"]) - max(c["span"]["start"], r["start"])
            if ov > overlap:
                best, overlap = c, ov
        if best is None:
            diffs.append(f"{r['start']}-{r['end']}: no audit claim overlaps")
            continue
        exact += best["verdict"] == r["verdict"]
        holds += HOLDS[best["verdict"]] == r["holds"]
        if best["verdict"] != r["verdict"]:
            diffs.append(f"{r['start']}-{r['end']}: reading {r['verdict']}, audit {best['verdict']}")
    n = len(reading)
    return exact / n, holds / n, diffs


def test_reading_file_is_well_formed() -> None:
    reading = json.loads(READING.read_text(encoding="utf-8"))
    assert reading, "empty reading"
    for r in reading:
        assert set(r) == {"start", "end", "verdict", "holds", "reasons"}
        assert 0 <= r["start"] < r["end"]
        assert r["verdict"] in HOLDS and r["holds"] is HOLDS[r["verdict"]]
        assert r["reasons"] and all(isinstance(x, str) and x for x in r["reasons"])
    starts = [r["start"] for r in reading]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


def test_audit_agrees_with_the_methodologist(article_path: Path) -> None:
    reading = json.loads(READING.read_text(encoding="utf-8"))
    text = article_path.read_text(encoding="utf-8")
    for r in reading:  # the offsets are sentence boundaries in the file as read
        assert r["start"] == 0 or text[r["start"] - 1].isspace()
        assert text[r["end"] - 1] in ".!?"
    result = audit_file(article_path).to_dict(with_links=False)
    exact, holds, diffs = agreement(reading, result["claims"])
    print(f"\nexact verdict agreement {exact:.3f}; holds agreement {holds:.3f}")
    for d in diffs:
        print("  " + d)
    assert holds >= HOLDS_FLOOR
    assert exact >= EXACT_FLOOR


def test_agreement_counts_unknown_only_against_unknown() -> None:
    reading = [
        {"start": 0, "end": 10, "verdict": "not-checkable", "holds": None, "reasons": ["x"]},
        {"start": 20, "end": 30, "verdict": "supported", "holds": True, "reasons": ["x"]},
    ]
    claims = [
        {"span": {"start": 0, "end": 10}, "verdict": "unsupported"},
        {"span": {"start": 19, "end": 31}, "verdict": "supported-weak"},
    ]
    exact, holds, diffs = agreement(reading, claims)
    assert exact == 0.0 and holds == pytest.approx(0.5) and len(diffs) == 2
