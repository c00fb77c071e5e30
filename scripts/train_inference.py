#!/usr/bin/env python
"""Train the core evidence-inference model and write ``inference_weights.json``.

Reads the Evidence Inference 2.0 training split from ``../shared/evidence-inference`` (or
``--data-dir``), fits

* the sentence ranker (conditional logit over :data:`RANK_FEATURES`) on the training prompts
  whose evidence is in the abstract, and
* the effect classifier (multinomial logistic regression) on the training evidence: the
  abstract sentences that overlap an annotator's passage and the passages themselves (which may
  come from the full text),

and writes the weights into the package. The default penalties and ``top_k`` were chosen by 5-fold
cross-validation grouped by article on the training split only (the classifier's penalty last, by
``scripts/cv_inference.py``, averaged over four fold assignments); ``--cv`` reruns a grid search on one
fold assignment. The validation split is only reported, never used for fitting or model selection.

Usage::

    python scripts/train_inference.py [--data-dir ../shared/evidence-inference] [--cv]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from ldn_atlas.extract.inference import WEIGHTS_FILE, CoreModel
from ldn_atlas.extract.inference_eval import (
    EvalPrompt,
    classification_metrics,
    default_data_dir,
    evaluate,
    load_split,
)
from ldn_atlas.extract.inference_features import (
    LABELS,
    RANK_FEATURES,
    bow_candidates,
    label_feature_dict,
    prepare_abstract,
    prepare_prompt,
    ranking_features,
)
from ldn_atlas.extract.inference_ml import ML_RANK_FEATURES, ML_WEIGHTS_FILE  # no heavy import until used
from ldn_atlas.extract.inference_model import fit_conditional_logit, fit_multinomial

SEED = 20190601
MIN_BOW_COUNT = 4
USE_FULLTEXT_PASSAGES = True
BOW_SCALE = 0.5  # bag-of-stems columns get a 1 / 0.5**2 = 4 times larger ridge penalty
#: Defaults (chosen by grouped CV on train; see scripts/cv_inference.py)
RANK_L2 = 0.3
LABEL_L2 = 2.0
TOP_K = 2
RANK_L2_GRID = (0.3, 1.0)
LABEL_L2_GRID = (0.3, 1.0, 2.0, 3.0)
TOP_K_GRID = (1, 2, 3)
OUT = Path(__file__).resolve().parents[1] / "src" / "ldn_atlas" / "extract" / WEIGHTS_FILE


def rank_groups(prompts: list[EvalPrompt]) -> list[tuple[np.ndarray, np.ndarray]]:
    groups = []
    for p in prompts:
        if not p.gold_spans:
            continue
        pa = prepare_abstract(p.abstract)
        pp = prepare_prompt(pa, p.intervention, p.comparator, p.outcome)
        X = np.asarray(ranking_features(pa, pp), dtype=np.float64)
        pos = np.array([any(s.sentence.start < ge and gs < s.sentence.end for gs, ge in p.gold_spans)
                        for s in pa.infos])
        if pos.any():
            groups.append((X, pos))
    return groups


def label_examples(prompts: list[EvalPrompt]) -> list[tuple[str, object, int, float]]:
    """(sentence, prepared prompt, label index, weight) for the classifier."""
    out: list[tuple[str, object, int, float]] = []
    for p in prompts:
        pa = prepare_abstract(p.abstract)
        pp = prepare_prompt(pa, p.intervention, p.comparator, p.outcome)
        y = LABELS.index(p.label)
        sents = [s.sentence.text for s in pa.infos
                 if any(s.sentence.start < ge and gs < s.sentence.end for gs, ge in p.gold_spans)]
        passages = list(dict.fromkeys(" ".join(e.split()) for e in p.evidence if e.strip()))
        if not USE_FULLTEXT_PASSAGES and not p.evidence_in_abstract:
            continue
        items = list(dict.fromkeys(sents + passages))
        if not items:
            continue
        w = 1.0 / len(items)
        for text in items:
            out.append((text, pp, y, w))
    return out


def build_vocab(examples: list[tuple[str, object, int, float]]) -> list[str]:
    counts: Counter[str] = Counter()
    for text, pp, _, _ in examples:
        counts.update(set(bow_candidates(text, pp)))  # type: ignore[arg-type]
    return sorted(k for k, c in counts.items() if c >= MIN_BOW_COUNT)


def fit_label(examples: list[tuple[str, object, int, float]], l2: float
              ) -> tuple[tuple[str, ...], np.ndarray]:
    vocab = build_vocab(examples)
    vmap = dict.fromkeys(vocab, 1)
    dicts = [label_feature_dict(text, pp, vmap) for text, pp, _, _ in examples]  # type: ignore[arg-type]
    names = sorted({k for d in dicts for k in d if not k.startswith("bow:")}) + vocab
    index = {n: i for i, n in enumerate(names)}
    X = np.zeros((len(dicts), len(names)))
    for r, d in enumerate(dicts):
        for k, v in d.items():
            X[r, index[k]] = v
    y = np.array([e[2] for e in examples], dtype=np.int64)
    w = np.array([e[3] for e in examples])
    # Penalise the bag of stems more than the engineered features: fitting on scaled columns and
    # scaling the weights back is the same as a per-column ridge penalty l2 / scale**2.
    scale = np.where([n.startswith("bow:") for n in names], BOW_SCALE, 1.0)
    W = fit_multinomial(X * scale, y, len(LABELS), l2=l2, sample_weight=w)
    return tuple(names), W * scale[:, None]


def fit_model(train: list[EvalPrompt], rank_l2: float, label_l2: float, top_k: int) -> CoreModel:
    rank_w = fit_conditional_logit(rank_groups([p for p in train if p.evidence_in_abstract]), l2=rank_l2)
    names, W = fit_label(label_examples(train), label_l2)
    return CoreModel(rank_w=rank_w, label_features=names, label_weights=W,
                     vocab=frozenset(n for n in names if n.startswith("bow:")), top_k=top_k)


def fit_ml_ranker(train: list[EvalPrompt], l2: float) -> np.ndarray:
    """Fit the ml method's ranker (core features + embedding similarities)."""
    from ldn_atlas.extract.inference_ml import ml_ranking_features

    groups = []
    for p in train:
        if not p.evidence_in_abstract or not p.gold_spans:
            continue
        pa = prepare_abstract(p.abstract)
        pp = prepare_prompt(pa, p.intervention, p.comparator, p.outcome)
        X = ml_ranking_features(p.abstract, pa, pp, p.intervention, p.outcome)
        pos = np.array([any(s.sentence.start < ge and gs < s.sentence.end for gs, ge in p.gold_spans)
                        for s in pa.infos])
        if pos.any():
            groups.append((X, pos))
    return fit_conditional_logit(groups, l2=l2)


def score(model: CoreModel, prompts: list[EvalPrompt]) -> tuple[float, float]:
    from ldn_atlas.extract.inference_eval import evidence_hit

    answerable = [p for p in prompts if p.evidence_in_abstract]
    preds = [model.predict(p.abstract, p.intervention, p.comparator, p.outcome) for p in answerable]
    macro, _, _, _ = classification_metrics([p.label for p in answerable], [r.label for r in preds])
    ev = sum(evidence_hit(r.evidence.start, r.evidence.end, p.gold_spans) for r, p in zip(preds, answerable,
                                                                                           strict=True))
    return macro, ev / max(1, len(answerable))


def cross_validate(train: list[EvalPrompt], seed: int) -> tuple[float, float, int]:
    articles = sorted({p.pmcid for p in train})
    rng = random.Random(seed)
    rng.shuffle(articles)
    fold_of = {a: i % 5 for i, a in enumerate(articles)}
    best: tuple[float, float, float, int] | None = None
    results = {}
    for rl2 in RANK_L2_GRID:
        for ll2 in LABEL_L2_GRID:
            folds = []
            for k in range(5):
                tr = [p for p in train if fold_of[p.pmcid] != k]
                te = [p for p in train if fold_of[p.pmcid] == k]
                m = fit_model(tr, rl2, ll2, top_k=1)
                per_k = []
                for tk in TOP_K_GRID:
                    mk = CoreModel(rank_w=m.rank_w, label_features=m.label_features, label_weights=m.label_weights,
                                   vocab=m.vocab, top_k=tk)
                    per_k.append(score(mk, te))
                folds.append(per_k)
            for j, tk in enumerate(TOP_K_GRID):
                f1 = float(np.mean([f[j][0] for f in folds]))
                ev = float(np.mean([f[j][1] for f in folds]))
                results[(rl2, ll2, tk)] = (f1, ev)
                print(f"cv rank_l2={rl2:<5} label_l2={ll2:<5} top_k={tk}: macro-F1 {f1:.3f}  evidence {ev:.3f}",
                      flush=True)
                if best is None or f1 + ev > best[0]:
                    best = (f1 + ev, rl2, ll2, tk)
    assert best is not None
    return best[1], best[2], best[3]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--cv", action="store_true",
                    help="choose the penalties and top-k by grouped 5-fold CV on train (slow, ~15 min) "
                         "instead of using the defaults, which were chosen that way")
    ap.add_argument("--rank-l2", type=float, default=RANK_L2)
    ap.add_argument("--label-l2", type=float, default=LABEL_L2)
    ap.add_argument("--top-k", type=int, default=TOP_K)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--ml", action="store_true",
                    help="also fit the ml method's embedding-aware ranker (needs pip install 'ldn-atlas[ml]')")
    args = ap.parse_args(argv)
    random.seed(args.seed)
    np.random.seed(args.seed)
    data_dir = args.data_dir or default_data_dir()
    t0 = time.time()
    train = load_split(data_dir, "train")
    rl2, ll2, tk = args.rank_l2, args.label_l2, args.top_k
    if args.cv:
        rl2, ll2, tk = cross_validate(train, args.seed)
        print(f"chosen: rank_l2={rl2} label_l2={ll2} top_k={tk}")
    model = fit_model(train, rl2, ll2, tk)
    args.out.write_text(json.dumps(model.to_json(), separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} kB, {len(model.label_features)} label "
          f"features, {len(RANK_FEATURES)} ranking features) in {time.time() - t0:.0f} s")
    methods = {"core": lambda b: [model.predict(**x) for x in b]}
    if args.ml:
        ml_w = fit_ml_ranker(train, rl2)
        ml_out = args.out.with_name(ML_WEIGHTS_FILE)
        ml_out.write_text(json.dumps({"format": "ldn-atlas evidence-inference ml ranker", "version": 1,
                                      "rank_features": list(ML_RANK_FEATURES),
                                      "rank_w": [float(f"{x:.6g}") for x in ml_w]}) + "\n", encoding="utf-8")
        print(f"wrote {ml_out}")
        from ldn_atlas.extract import inference_ml

        methods["ml"] = lambda b: [inference_ml.predict(**x, core=model, rank_w=ml_w) for x in b]
    for (name, infer), split in itertools.product(methods.items(), ("train", "validation")):
        prompts = load_split(data_dir, split, only_answerable=True)
        rep = evaluate(prompts, split=split, infer=infer)
        per = "  ".join(f"{lab}: F1 {v['f1']:.3f}" for lab, v in rep.per_label.items())
        print(f"{name} {split} (answerable, n={rep.n}): macro-F1 {rep.macro_f1:.3f}  "
              f"evidence {rep.evidence_accuracy:.3f}  {rep.prompts_per_second:.0f} prompts/s  | {per}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
