"""Store throughput: upsert N synthetic studies, reload them (no-op), filter and page.

Not part of the test suite.  Run from the repository root::

    python benchmarks/store_load.py --n 10000            # SQLite in a temporary folder
    python benchmarks/store_load.py --n 10000 --postgres # also a throwaway PostgreSQL

The records are fictitious (``synthetic-*``), made by ``tests/store_support.py``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.store_support import start_postgres, synthetic_study

from ldn_atlas.model import Study
from ldn_atlas.store import open_store

CONDITIONS = [("Multiple sclerosis", "G35"), ("Fibromyalgia", "M79.7"), ("Crohn's disease", "K50")]
DESIGNS = [("randomized", "placebo-controlled", "crossover"), ("open-label", "pilot"), ("case-report",)]


def records(n: int) -> list[Study]:
    return [
        Study.model_validate(synthetic_study(i, condition=CONDITIONS[i % 3], design=DESIGNS[i % 3], year=1990 + i % 30))
        for i in range(1, n + 1)
    ]


def run(url: str, studies: list[Study]) -> None:
    with open_store(url) as store:
        t = time.perf_counter()
        first = store.upsert_studies(studies)
        load = time.perf_counter() - t
        t = time.perf_counter()
        second = store.upsert_studies(studies)
        reload = time.perf_counter() - t
        changed = [s.model_copy(update={"label": s.label + " (v2)"}) for s in studies[: len(studies) // 10]]
        t = time.perf_counter()
        third = store.upsert_studies(changed)
        update = time.perf_counter() - t
        t = time.perf_counter()
        items, total = store.list_studies(condition="fibromyalgia", design="open-label", limit=50)
        query = time.perf_counter() - t
        t = time.perf_counter()
        exported = store.export()
        export = time.perf_counter() - t
    n = len(studies)
    print(
        f"{url.split('?')[0]}: load {n} in {load:.2f} s ({n / load:.0f}/s; {len(first.studies.inserted)} new), "
        f"reload {reload:.2f} s ({len(second.studies.unchanged)} unchanged), "
        f"update {len(third.studies.updated)} in {update:.2f} s, "
        f"filtered page ({len(items)} of {total}) {query * 1000:.0f} ms, export {export:.2f} s "
        f"({len(exported['studies'])} studies)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    studies = records(args.n)
    with tempfile.TemporaryDirectory() as tmp:
        run(str(Path(tmp) / "atlas.db"), studies)
    if args.postgres:
        server = start_postgres()
        try:
            run(server.create_database("bench"), studies)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
