#!/usr/bin/env python
"""Throughput and quality of evidence inference on Evidence Inference 2.0 (train and validation).

Reads ``../shared/evidence-inference`` (or ``--data-dir``); run from the repository root::

    python benchmarks/bench_inference.py [--method core] [--repeat 3]

Prints, per split (all prompts and answerable prompts), macro-F1, per-label F1, evidence-sentence
accuracy and prompts per second on one process (parse cache cleared before every run; the best
of ``--repeat`` runs is reported for speed).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ldn_atlas.extract.inference_eval import default_data_dir, evaluate, load_split


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", type=Path, default=None)
    ap.add_argument("--method", default="core", choices=("core", "ml"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    data_dir = args.data_dir or default_data_dir()
    rows = []
    for split in ("train", "validation"):
        for answerable in (True, False):
            prompts = load_split(data_dir, split, only_answerable=answerable)
            reports = [evaluate(prompts, method=args.method, split=split) for _ in range(max(1, args.repeat))]
            rep = reports[0]
            speed = max(r.prompts_per_second for r in reports)
            row = rep.to_dict() | {"prompts_per_second": speed, "answerable_only": answerable}
            rows.append(row)
            if not args.json:
                per = "  ".join(f"{k.split()[-1]} F1 {v['f1']:.3f}" for k, v in rep.per_label.items())
                scope = "answerable" if answerable else "all"
                print(f"{args.method:4} {split:10} {scope:10} n={rep.n:5}  macro-F1 {rep.macro_f1:.3f}  "
                      f"evidence {rep.evidence_accuracy:.3f}  {speed:6.0f} prompts/s  | {per}")
    if args.json:
        print(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
