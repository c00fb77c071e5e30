"""Evaluation of evidence inference on the Evidence Inference 2.0 abstract splits.

The data (``abstracts.jsonl``, ``train.jsonl``, ``validation.jsonl``) are read from a folder
given by the caller; nothing from them is shipped with the package.

Metrics
-------
* **macro-F1** over the three labels, with per-label precision, recall and F1.
* **Evidence-sentence accuracy**: the fraction of prompts whose predicted evidence sentence
  overlaps (shares at least one character with) the span of one of the annotators' evidence
  passages located in the abstract. Passages are located after whitespace is normalised, exactly
  as the corpus' ``evidence_in_abstract`` flag was computed; a prompt none of whose passages occurs
  in the abstract counts as a miss. Passages are phrases or sentences (occasionally two
  sentences), so "overlaps" means "the predicted sentence is, contains or is part of the cited
  passage".
* **Uncertainty**: percentile intervals for macro-F1, accuracy and evidence accuracy from a
  bootstrap that resamples *articles*, not prompts, since the prompts of one article share its
  abstract and its reporting style (a cluster bootstrap; Davison & Hinkley 1997, section 3.8; Field
  & Welsh 2007). With about a hundred prompts from forty-odd articles the interval is wide, and
  it is what a difference between two figures must be read against.
* **The classifier given the cited evidence** (:func:`evaluate_given_evidence`): the label read from
  the abstract sentence the annotators cited, and, for the prompts the abstract cannot answer, from
  the first cited full-text passage that is prose. Retrieval is bypassed, so this measures the
  classifier alone, and the full-text passages are a second sample of about the same size whose
  phrasing was never read while the features were written.
* **Throughput**: prompts per second of :func:`~ldn_atlas.extract.inference.infer_effects`,
  single process, abstracts parsed from scratch (the parse cache is cleared first).

References
----------
.. [1] Davison, A. C., & Hinkley, D. V. (1997). *Bootstrap Methods and their Application*.
   Cambridge University Press (section 3.8, multi-stage sampling).
.. [2] Field, C. A., & Welsh, A. H. (2007). Bootstrapping clustered data. *Journal of the Royal
   Statistical Society B*, 69(3), 369-390.
.. [3] DeYoung, J., Lehman, E., Nye, B., Marshall, I. J., & Wallace, B. C. (2020). Evidence
   Inference 2.0: More data, better models. *BioNLP 2020*, 123-132.
"""

from __future__ import annotations

import bisect
import json
import math
import os
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ldn_atlas.errors import AtlasError, InputError
from ldn_atlas.extract.inference import CONFIDENT_AT, CoreModel, default_model
from ldn_atlas.extract.inference_features import LABELS, prepare_abstract, prepare_prompt

__all__ = [
    "BOOTSTRAP_REPLICATES",
    "INTERVAL_METHOD",
    "EvalPrompt",
    "EvalReport",
    "GivenEvidence",
    "bootstrap_intervals",
    "cited_abstract_sentence",
    "cited_evidence_answers",
    "cited_prose_passage",
    "default_data_dir",
    "evaluate",
    "evaluate_given_evidence",
    "evaluate_split",
    "load_split",
    "locate_passage",
]

_WS = re.compile(r"\S+")
#: Replicates of the article bootstrap behind :attr:`EvalReport.intervals`.
BOOTSTRAP_REPLICATES = 2000
INTERVAL_METHOD = f"95% percentile bootstrap over articles, {BOOTSTRAP_REPLICATES:,} replicates"


@dataclass(frozen=True, slots=True)
class EvalPrompt:
    """One prompt of the corpus with its abstract and the gold evidence spans in it."""

    pmcid: str
    prompt_id: str
    abstract: str
    intervention: str
    comparator: str
    outcome: str
    label: str
    evidence: tuple[str, ...]
    evidence_in_abstract: bool
    gold_spans: tuple[tuple[int, int], ...]
    annotator_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Calibration:
    """How far the reported confidences can be trusted.

    Attributes
    ----------
    ece
        Expected calibration error: the mean absolute gap between confidence and accuracy over ten
        equal-width confidence bins, weighted by the bins' shares (Guo et al., "On Calibration of
        Modern Neural Networks", ICML 2017; Naeini et al., AAAI 2015).
    threshold
        The confidence that counts as confident (:data:`ldn_atlas.extract.inference.CONFIDENT_AT`).
    confident_share
        Share of answers with confidence at or above ``threshold``.
    confident_accuracy, unconfident_accuracy
        Accuracy of the answers at or above ``threshold`` and below it (NaN when there are none).
    """

    ece: float
    threshold: float
    confident_share: float
    confident_accuracy: float
    unconfident_accuracy: float

    def to_dict(self) -> dict[str, float | None]:
        """Plain-JSON form (NaN as null)."""
        return {k: (None if math.isnan(v) else v) for k, v in (
            ("ece", self.ece), ("threshold", self.threshold), ("confident_share", self.confident_share),
            ("confident_accuracy", self.confident_accuracy), ("unconfident_accuracy", self.unconfident_accuracy))}


def calibration(confidences: Sequence[float], correct: Sequence[bool], threshold: float = CONFIDENT_AT,
                n_bins: int = 10) -> Calibration:
    """Calibration of the answers' confidences (see :class:`Calibration`).

    Parameters
    ----------
    confidences
        The reported confidence of each answer (the probability of the chosen label).
    correct
        Whether each answer was right.
    threshold
        The confidence that counts as confident.
    n_bins
        Number of equal-width bins over [0, 1] for the expected calibration error.
    """
    conf = np.asarray(confidences, dtype=np.float64)
    ok = np.asarray(correct, dtype=np.float64)
    if conf.shape != ok.shape:
        raise ValueError("confidences and correct differ in length")
    if conf.size == 0:
        nan = float("nan")
        return Calibration(nan, threshold, nan, nan, nan)
    bins = np.minimum((conf * n_bins).astype(np.int64), n_bins - 1)
    ece = 0.0
    for b in np.unique(bins):
        m = bins == b
        ece += m.mean() * abs(conf[m].mean() - ok[m].mean())
    hi = conf >= threshold
    return Calibration(
        ece=float(ece), threshold=threshold, confident_share=float(hi.mean()),
        confident_accuracy=float(ok[hi].mean()) if hi.any() else float("nan"),
        unconfident_accuracy=float(ok[~hi].mean()) if (~hi).any() else float("nan"),
    )


def bootstrap_intervals(gold: Sequence[str], pred: Sequence[str], hits: Sequence[bool], clusters: Sequence[str],
                        n_boot: int = BOOTSTRAP_REPLICATES, level: float = 0.95, seed: int = 20190601
                        ) -> dict[str, tuple[float, float]]:
    """Cluster-bootstrap percentile intervals for macro-F1, accuracy and evidence accuracy.

    Each replicate draws as many clusters (articles) as there are, with replacement, and keeps all
    the prompts of each drawn cluster; the metrics are recomputed on the replicate and the
    ``(1 - level) / 2`` and ``(1 + level) / 2`` quantiles of the replicates are returned. All
    replicates are computed at once as weighted confusion matrices.

    Parameters
    ----------
    gold, pred
        Gold and predicted labels (members of :data:`LABELS`).
    hits
        Whether each predicted evidence sentence overlaps a cited passage.
    clusters
        The unit that is resampled, one per prompt (the article's pmcid). Give each prompt its own
        value for the ordinary bootstrap.
    n_boot
        Number of replicates.
    level
        Coverage of the interval.
    seed
        Seed of the generator, so a report is reproducible.

    Returns
    -------
    dict
        ``{"macro_f1": (lo, hi), "accuracy": (lo, hi), "evidence_accuracy": (lo, hi)}``.

    References
    ----------
    Davison & Hinkley (1997), section 3.8; Field & Welsh (2007).
    """
    n = len(gold)
    if not (len(pred) == len(hits) == len(clusters) == n):
        raise ValueError("gold, pred, hits and clusters differ in length")
    if not 0 < level < 1:
        raise ValueError("level must lie strictly between 0 and 1")
    if n == 0:
        nan = float("nan")
        return {"macro_f1": (nan, nan), "accuracy": (nan, nan), "evidence_accuracy": (nan, nan)}
    idx = {lab: i for i, lab in enumerate(LABELS)}
    eye = np.eye(len(LABELS))
    g = eye[[idx[x] for x in gold]]
    p = eye[[idx[x] for x in pred]]
    _, cluster_of = np.unique(np.asarray(clusters, dtype=object).astype(str), return_inverse=True)
    k = int(cluster_of.max()) + 1
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(k, np.full(k, 1.0 / k), size=n_boot)  # (n_boot, k): times each cluster is drawn
    w = draws[:, cluster_of].astype(np.float64)  # (n_boot, n): weight of each prompt
    conf = np.einsum("bn,ni,nj->bij", w, g, p)
    tp = np.einsum("bii->bi", conf)
    denom = conf.sum(axis=2) + conf.sum(axis=1)  # 2 tp + fn + fp
    f1 = np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0)
    total = w.sum(axis=1)
    metrics = {
        "macro_f1": f1.mean(axis=1),
        "accuracy": tp.sum(axis=1) / total,
        "evidence_accuracy": w @ np.asarray(hits, dtype=np.float64) / total,
    }
    q = ((1 - level) / 2, (1 + level) / 2)
    return {name: (float(np.quantile(v, q[0])), float(np.quantile(v, q[1]))) for name, v in metrics.items()}


@dataclass(frozen=True)
class GivenEvidence:
    """The classifier's scores on one kind of cited evidence (see :func:`evaluate_given_evidence`).

    Attributes
    ----------
    kind
        ``abstract-sentence`` or ``full-text-passage``.
    n
        Prompts scored.
    macro_f1, accuracy
        Of the labels read from the cited evidence.
    intervals
        95% article-bootstrap intervals of ``macro_f1`` and ``accuracy``.
    """

    kind: str
    n: int
    macro_f1: float
    accuracy: float
    intervals: dict[str, tuple[float, float]]

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {"kind": self.kind, "n": self.n, "macro_f1": self.macro_f1, "accuracy": self.accuracy,
                "intervals": {k: list(v) for k, v in self.intervals.items()}}


@dataclass
class EvalReport:
    """Metrics of one evaluation run."""

    split: str
    method: str
    n: int
    macro_f1: float
    accuracy: float
    per_label: dict[str, dict[str, float]]
    evidence_accuracy: float
    prompts_per_second: float
    seconds: float
    confusion: list[list[int]] = field(default_factory=list)
    calibration: Calibration | None = None
    #: 95% article-bootstrap intervals of ``macro_f1``, ``accuracy`` and ``evidence_accuracy``.
    intervals: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: The classifier on the cited evidence, retrieval bypassed (:func:`evaluate_given_evidence`).
    given_evidence: dict[str, GivenEvidence] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "split": self.split, "method": self.method, "n": self.n, "macro_f1": self.macro_f1,
            "accuracy": self.accuracy, "per_label": self.per_label,
            "evidence_accuracy": self.evidence_accuracy, "prompts_per_second": self.prompts_per_second,
            "seconds": self.seconds, "labels": list(LABELS), "confusion": self.confusion,
            "calibration": self.calibration.to_dict() if self.calibration is not None else None,
            "intervals": {k: list(v) for k, v in self.intervals.items()},
            "interval_method": INTERVAL_METHOD,
            "given_evidence": {k: v.to_dict() for k, v in self.given_evidence.items()},
        }


def cited_abstract_sentence(prompt: EvalPrompt) -> str | None:
    """The first abstract sentence that overlaps a passage the annotators cited, or None."""
    for info in prepare_abstract(prompt.abstract).infos:
        s = info.sentence
        if evidence_hit(s.start, s.end, prompt.gold_spans):
            return s.text
    return None


def cited_prose_passage(prompt: EvalPrompt, min_words: int = 6) -> str | None:
    """The first cited full-text passage of a prompt the abstract cannot answer, if one reads as prose.

    Table rows (passages with line breaks) and fragments under ``min_words`` words are skipped; None
    when the prompt is answerable from the abstract or cites no such passage.
    """
    if prompt.evidence_in_abstract:
        return None
    for passage in prompt.evidence:
        if "\n" not in passage.strip() and len(passage.split()) >= min_words:
            return " ".join(passage.split())
    return None


def cited_evidence_answers(prompts: Sequence[EvalPrompt], model: CoreModel | None = None
                           ) -> dict[str, tuple[list[str], list[str], list[str]]]:
    """The classifier's label for each prompt's cited evidence, retrieval bypassed.

    Returns ``{kind: (gold labels, predicted labels, pmcids)}`` for the kinds of
    :func:`evaluate_given_evidence` (which scores them); a kind with no prompt is left out. Callers
    that pool answers over several models (cross-validation folds) use this directly.
    """
    core = model if model is not None else default_model()
    rows: dict[str, tuple[list[str], list[str], list[str]]] = {}
    for p in prompts:
        for kind, text in (("abstract-sentence", cited_abstract_sentence(p) if p.evidence_in_abstract else None),
                           ("full-text-passage", cited_prose_passage(p))):
            if text is None:
                continue
            pp = prepare_prompt(prepare_abstract(p.abstract), p.intervention, p.comparator, p.outcome)
            gold, pred, clusters = rows.setdefault(kind, ([], [], []))
            gold.append(p.label)
            pred.append(LABELS[int(np.argmax(core.label_proba(text, pp)))])
            clusters.append(p.pmcid)
    return rows


def evaluate_given_evidence(prompts: Sequence[EvalPrompt], model: CoreModel | None = None
                            ) -> dict[str, GivenEvidence]:
    """Score the effect classifier on the evidence the annotators cited, retrieval bypassed.

    Parameters
    ----------
    prompts
        From :func:`load_split` (all prompts: the full-text passages come from those the abstract
        cannot answer).
    model
        A :class:`~ldn_atlas.extract.inference.CoreModel`; the packaged one by default. The ``ml``
        method re-ranks sentences but reads labels with the same classifier.

    Returns
    -------
    dict
        ``abstract-sentence`` (prompts answerable from the abstract, read from the cited abstract
        sentence) and ``full-text-passage`` (the others, read from :func:`cited_prose_passage`), each a
        :class:`GivenEvidence`; a kind with no prompt is left out.
    """
    out = {}
    for kind, (gold, pred, clusters) in cited_evidence_answers(prompts, model).items():
        macro, acc, _, _ = classification_metrics(gold, pred)
        ci = bootstrap_intervals(gold, pred, [True] * len(gold), clusters)
        out[kind] = GivenEvidence(kind, len(gold), macro, acc,
                                  {"macro_f1": ci["macro_f1"], "accuracy": ci["accuracy"]})
    return out


def default_data_dir() -> Path:
    """Where the Evidence Inference files are looked for.

    ``$LDN_ATLAS_SHARED/evidence-inference`` when that variable is set, else
    ``../shared/evidence-inference`` relative to the working directory, else relative to the
    source checkout's parent folder.
    """
    env = os.environ.get("LDN_ATLAS_SHARED")
    if env:
        return Path(env) / "evidence-inference"
    cwd = Path.cwd().resolve()
    for base in (cwd, *cwd.parents):
        cand = base.parent / "shared" / "evidence-inference" if base.name else None
        if cand is not None and cand.is_dir():
            return cand
        cand2 = base / "shared" / "evidence-inference"
        if cand2.is_dir():
            return cand2
    return Path(__file__).resolve().parents[4] / "shared" / "evidence-inference"


def locate_passage(text: str, passage: str) -> tuple[int, int] | None:
    """Character span of ``passage`` in ``text`` after whitespace normalisation (None if absent)."""
    words = [(m.start(), m.end()) for m in _WS.finditer(text)]
    if not words:
        return None
    norm_starts: list[int] = []
    pos = 0
    parts = []
    for a, b in words:
        norm_starts.append(pos)
        parts.append(text[a:b])
        pos += b - a + 1
    norm = " ".join(parts)
    target = " ".join(passage.split())
    if not target:
        return None
    i = norm.find(target)
    if i < 0:
        return None
    j = i + len(target) - 1
    k1 = bisect.bisect_right(norm_starts, i) - 1
    k2 = bisect.bisect_right(norm_starts, j) - 1
    start = words[k1][0] + (i - norm_starts[k1])
    end = words[k2][0] + (j - norm_starts[k2]) + 1
    return start, end


def _read_jsonl(path: Path) -> Iterable[tuple[int, dict[str, Any]]]:
    try:
        fh = path.open(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    with fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"invalid JSON: {exc.msg}", location=f"{path}:{lineno}") from None
            if not isinstance(rec, dict):
                raise InputError("expected a JSON object", location=f"{path}:{lineno}")
            yield lineno, rec


def load_split(data_dir: Path | str, split: str = "validation", only_answerable: bool = False
               ) -> list[EvalPrompt]:
    """Load the prompts of one split with their abstracts and located gold spans.

    Parameters
    ----------
    data_dir
        Folder with ``abstracts.jsonl`` and ``<split>.jsonl``.
    split
        ``train`` or ``validation``.
    only_answerable
        Keep only prompts with ``evidence_in_abstract`` true.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise InputError(f"Evidence Inference folder not found: {data_dir}")
    split_path = data_dir / f"{split}.jsonl"
    if not split_path.exists():
        raise InputError(f"no split {split!r} in {data_dir} (expected {split_path.name})")
    abstracts: dict[str, str] = {}
    for lineno, rec in _read_jsonl(data_dir / "abstracts.jsonl"):
        if "pmcid" not in rec or not isinstance(rec.get("text"), str):
            raise InputError("record needs pmcid and text", location=f"abstracts.jsonl:{lineno}")
        abstracts[str(rec["pmcid"])] = rec["text"]
    out: list[EvalPrompt] = []
    for lineno, rec in _read_jsonl(split_path):
        loc = f"{split_path.name}:{lineno}"
        for key in ("pmcid", "intervention", "comparator", "outcome", "label"):
            if key not in rec:
                raise InputError(f"missing field {key!r}", location=loc)
        if rec["label"] not in LABELS:
            raise InputError(f"unknown label {rec['label']!r}", location=loc, field="label")
        pmcid = str(rec["pmcid"])
        if pmcid not in abstracts:
            raise InputError(f"no abstract for pmcid {pmcid}", location=loc)
        answerable = bool(rec.get("evidence_in_abstract", False))
        if only_answerable and not answerable:
            continue
        text = abstracts[pmcid]
        evidence = tuple(str(e) for e in rec.get("evidence", []))
        spans = tuple(sp for sp in (locate_passage(text, e) for e in evidence) if sp is not None)
        out.append(EvalPrompt(pmcid, str(rec.get("prompt_id", lineno)), text, str(rec["intervention"]),
                              str(rec["comparator"]), str(rec["outcome"]), str(rec["label"]), evidence,
                              answerable, spans,
                              tuple(str(x) for x in rec.get("labels", []) if x in LABELS)))
    return out


def classification_metrics(gold: Sequence[str], pred: Sequence[str]
                           ) -> tuple[float, float, dict[str, dict[str, float]], list[list[int]]]:
    """Macro-F1, accuracy, per-label P/R/F1/support and the confusion matrix (rows gold)."""
    idx = {lab: i for i, lab in enumerate(LABELS)}
    conf = [[0] * len(LABELS) for _ in LABELS]
    for g, p in zip(gold, pred, strict=True):
        conf[idx[g]][idx[p]] += 1
    per: dict[str, dict[str, float]] = {}
    for lab, i in idx.items():
        tp = conf[i][i]
        fp = sum(conf[j][i] for j in range(len(LABELS))) - tp
        fn = sum(conf[i]) - tp
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[lab] = {"precision": prec, "recall": rec, "f1": f1, "support": float(tp + fn)}
    macro = sum(v["f1"] for v in per.values()) / len(LABELS)
    acc = sum(conf[i][i] for i in range(len(LABELS))) / max(1, len(gold))
    return macro, acc, per, conf


def evidence_hit(start: int, end: int, gold_spans: Sequence[tuple[int, int]]) -> bool:
    """Whether the predicted span overlaps one of the gold spans."""
    return any(start < ge and gs < end for gs, ge in gold_spans)


def evaluate(
    prompts: Sequence[EvalPrompt],
    method: str = "core",
    split: str = "validation",
    infer: Callable[[list[dict[str, str]]], list[Any]] | None = None,
) -> EvalReport:
    """Run inference over ``prompts`` and compute the metrics.

    Parameters
    ----------
    prompts
        From :func:`load_split`.
    method
        ``core`` or ``ml`` (passed to :func:`~ldn_atlas.extract.inference.infer_effects`).
    split
        Name recorded in the report.
    infer
        Override of the batch inference function (for tests).
    """
    from ldn_atlas.extract import inference

    if infer is None:
        def infer(batch: list[dict[str, str]]) -> list[Any]:
            return inference.infer_effects(batch, method=method)

    inference.clear_cache()
    batch = [{"abstract": p.abstract, "intervention": p.intervention, "comparator": p.comparator,
              "outcome": p.outcome} for p in prompts]
    t0 = time.perf_counter()
    results = infer(batch)
    seconds = time.perf_counter() - t0
    gold = [p.label for p in prompts]
    pred = [r.label for r in results]
    macro, acc, per, conf = classification_metrics(gold, pred)
    hit_list = [evidence_hit(r.evidence.start, r.evidence.end, p.gold_spans)
                for r, p in zip(results, prompts, strict=True)]
    hits = sum(hit_list)
    intervals = bootstrap_intervals(gold, pred, hit_list, [p.pmcid for p in prompts])
    calib = calibration([float(r.confidence) for r in results], [g == q for g, q in zip(gold, pred, strict=True)])
    return EvalReport(split=split, method=method, n=len(prompts), macro_f1=macro, accuracy=acc, per_label=per,
                      evidence_accuracy=hits / max(1, len(prompts)),
                      prompts_per_second=len(prompts) / seconds if seconds > 0 else float("inf"),
                      seconds=seconds, confusion=conf, calibration=calib, intervals=intervals)


def evaluate_split(split: str = "validation", *, method: str = "core", only_answerable: bool = False,
                   limit: int | None = None, data_dir: str | Path | None = None) -> EvalReport:
    """Evaluate one split of the corpus, with the classifier's figures given the cited evidence.

    What ``ldn-atlas evaluate evidence-inference`` reports.

    Parameters
    ----------
    split
        ``train`` or ``validation``.
    method
        ``core`` or ``ml``.
    only_answerable
        Evaluate only the prompts whose evidence is in the abstract; the classifier given the cited
        evidence still reads the other prompts' full-text passages.
    limit
        Evaluate the first ``limit`` prompts (and the first ``limit`` other prompts).
    data_dir
        Folder with ``abstracts.jsonl`` and the splits (:func:`default_data_dir` by default).

    Raises
    ------
    AtlasError
        An unknown split or method, no prompts to evaluate, or data that cannot be read.
    """
    if split not in ("train", "validation"):
        raise AtlasError(f"unknown split {split!r}; use train or validation")
    if method not in ("core", "ml"):
        raise AtlasError(f"unknown method {method!r}; use core or ml")
    every_prompt = load_split(Path(data_dir) if data_dir else default_data_dir(), split)
    prompts = [p for p in every_prompt if p.evidence_in_abstract] if only_answerable else every_prompt
    # The full-text check reads the prompts the abstract cannot answer, also under --only-answerable.
    others = [p for p in every_prompt if not p.evidence_in_abstract] if only_answerable else []
    if limit is not None:
        prompts, others = prompts[:limit], others[:limit]
    if not prompts:
        raise AtlasError(f"no prompts to evaluate in split {split!r}")
    report = evaluate(prompts, method=method, split=split)
    # The classifier alone on the cited evidence: the answerable prompts' abstract sentences and the
    # other prompts' full-text passages (both methods read labels with the core classifier).
    report.given_evidence = evaluate_given_evidence(prompts + others)
    return report
