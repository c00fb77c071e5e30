#!/usr/bin/env python
"""Grouped cross-validation of the core evidence-inference model on the training split.

The selection criterion for any change to the evidence-inference features or model: 5-fold
cross-validation on the Evidence Inference 2.0 training split, folds grouped by article (the same
fixed-seed folds as ``train_inference.py --cv``), scored on the prompts answerable from the abstract.
For each fold it fits the ranker and the classifier on the other four folds with the default penalties
and prints

* macro-F1 of the full method (retrieved sentence, top-k mixture);
* evidence-sentence accuracy (the top sentence overlaps a cited passage);
* macro-F1 with the gold sentence given (the classifier's ceiling);

then the pooled figures. The validation split is never read. About a minute on one core.

Usage::

    python scripts/cv_inference.py [--data-dir ../shared/evidence-inference] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_inference import SEED, fit_model

from ldn_atlas.extract.inference_eval import (
    EvalPrompt,
    classification_metrics,
    default_data_dir,
    evidence_hit,
    load_split,
)
from ldn_atlas.extract.inference_features import LABELS, prepare_abstract, prepare_prompt


def fold_of(prompts: list[EvalPrompt], seed: int, n_folds: int = 5) -> dict[str, int]:
    """Article -> fold, shuffled with ``seed`` (the folds of ``train_inference.py --cv``)."""
    articles = sorted({p.pmcid for p in prompts})
    random.Random(seed).shuffle(articles)
    return {a: i % n_folds for i, a in enumerate(articles)}


def gold_sentence(p: EvalPrompt) -> str | None:
    """The first abstract sentence that overlaps a cited passage, or None."""
    pa = prepare_abstract(p.abstract)
    for info in pa.infos:
        s = info.sentence
        if any(s.start < ge and gs < s.end for gs, ge in p.gold_spans):
            return s.text
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", type=Path, default=None)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--rank-l2", type=float, default=0.3)
    ap.add_argument("--label-l2", type=float, default=1.0)
    ap.add_argument("--top-k", type=int, default=2)
    ap.add_argument("--json", action="store_true", help="print the pooled figures as JSON")
    args = ap.parse_args(argv)
    t0 = time.time()
    train = load_split(args.data_dir or default_data_dir(), "train")
    folds = fold_of(train, args.seed)
    gold: list[str] = []
    pred: list[str] = []
    hits: list[bool] = []
    o_gold: list[str] = []
    o_pred: list[str] = []
    per_fold = []
    for k in range(5):
        model = fit_model([p for p in train if folds[p.pmcid] != k], args.rank_l2, args.label_l2, args.top_k)
        test = [p for p in train if folds[p.pmcid] == k and p.evidence_in_abstract]
        g, pr = [], []
        for p in test:
            r = model.predict(p.abstract, p.intervention, p.comparator, p.outcome)
            g.append(p.label)
            pr.append(r.label)
            hits.append(evidence_hit(r.evidence.start, r.evidence.end, p.gold_spans))
            sentence = gold_sentence(p)
            if sentence is not None:
                pp = prepare_prompt(prepare_abstract(p.abstract), p.intervention, p.comparator, p.outcome)
                o_gold.append(p.label)
                o_pred.append(LABELS[int(np.argmax(model.label_proba(sentence, pp)))])
        f1 = classification_metrics(g, pr)[0]
        per_fold.append(f1)
        if not args.json:
            print(f"fold {k}: n={len(test):4d}  macro-F1 {f1:.4f}", flush=True)
        gold += g
        pred += pr
    pooled = {
        "macro_f1": classification_metrics(gold, pred)[0],
        "evidence_accuracy": float(np.mean(hits)),
        "macro_f1_gold_sentence": classification_metrics(o_gold, o_pred)[0],
        "per_fold_macro_f1": per_fold,
        "n": len(gold),
        "seconds": round(time.time() - t0, 1),
    }
    if args.json:
        print(json.dumps(pooled, indent=2))
    else:
        print(f"pooled (n={pooled['n']}): macro-F1 {pooled['macro_f1']:.4f}  evidence "
              f"{pooled['evidence_accuracy']:.4f}  gold-sentence macro-F1 {pooled['macro_f1_gold_sentence']:.4f}"
              f"  ({pooled['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
