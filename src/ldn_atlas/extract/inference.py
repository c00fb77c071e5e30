"""Evidence inference: did the intervention significantly increase, decrease or not change the outcome?

Given a trial abstract and a prompt (intervention, comparator, outcome), :func:`infer_effect`

1. splits the abstract into sentences with character spans
   (:mod:`ldn_atlas.extract.inference_text`);
2. ranks the sentences by how well they report the outcome, with a conditional logit over
   lexical and fuzzy match features and results-section priors
   (:func:`~ldn_atlas.extract.inference_features.ranking_features`);
3. classifies the effect from the best sentences with a multinomial logistic regression over
   p-values, confidence intervals, significance and negation cues, comparative words resolved
   against the arms, and a small bag of stems
   (:func:`~ldn_atlas.extract.inference_features.label_feature_dict`); the label distribution is
   the ranking-weighted mixture over the top sentences.

The weights (``inference_weights.json``, a few hundred kB) ship with the package and are
regenerated from the Evidence Inference 2.0 training split by ``scripts/train_inference.py``.
The core needs only numpy and the standard library at run time. An optional ``ml`` method
(``pip install ldn-atlas[ml]``) re-ranks sentences with a sentence-embedding model; it plugs in
through :class:`InferenceMethod` and :func:`register_method` (the core never imports it).

Examples
--------
>>> from ldn_atlas.extract import infer_effect
>>> r = infer_effect(
...     "ABSTRACT.RESULTS:\\nPain scores were significantly lower with LDN than with placebo (p = 0.01).",
...     "low-dose naltrexone (LDN)", "placebo", "pain scores")
>>> r.label, str(r.evidence)[:11]
('significantly decreased', 'Pain scores')

References
----------
.. [1] Lehman, E., DeYoung, J., Barzilay, R., & Wallace, B. C. (2019). Inferring which medical
   treatments work from reports of clinical trials. *NAACL-HLT 2019*, 3705-3717.
.. [2] DeYoung, J., Lehman, E., Nye, B., Marshall, I. J., & Wallace, B. C. (2020). Evidence
   Inference 2.0: More data, better models. *BioNLP 2020*, 123-132.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from ldn_atlas.errors import InputError
from ldn_atlas.extract.inference_features import (
    LABELS,
    RANK_FEATURES,
    PreparedAbstract,
    PreparedPrompt,
    label_feature_dict,
    prepare_abstract,
    prepare_prompt,
    ranking_features,
)

__all__ = ["LABELS", "CoreModel", "Evidence", "Inference", "InferenceMethod", "clear_cache", "default_model",
           "infer_effect", "infer_effects", "method_names", "register_method"]

WEIGHTS_FILE = "inference_weights.json"
MAX_LABEL_CHARS = 3000  # label features read at most this much of a sentence (around the outcome)
#: Confidence from which an inference counts as confident (the audit lets only these decide, and
#: ``ldn-atlas evaluate evidence-inference`` reports how often they are right).
CONFIDENT_AT = 0.75


@dataclass(frozen=True, slots=True)
class Evidence:
    """The evidence sentence: its text and character span in the abstract.

    ``str(evidence)`` is the sentence; ``abstract[evidence.start:evidence.end] == evidence.text``.
    """

    text: str
    start: int
    end: int
    section: str = "other"

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class Inference:
    """The answer to one prompt.

    Attributes
    ----------
    label
        ``significantly increased``, ``significantly decreased`` or ``no significant difference``.
    evidence
        The sentence that reports the outcome (:class:`Evidence`).
    confidence
        Probability of ``label`` under the model, in [0, 1].
    probabilities
        Probability of each label.
    evidence_score
        Ranking probability of the evidence sentence among the abstract's sentences.
    method
        ``core`` or ``ml``.
    """

    label: str
    evidence: Evidence
    confidence: float
    probabilities: Mapping[str, float]
    evidence_score: float
    method: str = "core"

    @property
    def significant(self) -> bool:
        """Whether the label reports a significant difference (``significant`` of an outcome)."""
        return self.label != "no significant difference"

    @property
    def sign(self) -> int:
        """+1 significantly increased, -1 significantly decreased, 0 no significant difference.

        Whether an increase is an improvement depends on the outcome (pain vs quality of life):
        callers that set an outcome's ``direction`` combine this sign with the outcome's polarity.
        """
        return {"significantly increased": 1, "significantly decreased": -1}.get(self.label, 0)


@dataclass(frozen=True)
class CoreModel:
    """Weights of the core method: a sentence ranker and an effect classifier."""

    rank_w: NDArray[np.float64]
    label_features: tuple[str, ...]
    label_weights: NDArray[np.float64]
    vocab: frozenset[str]
    top_k: int = 3
    rank_temperature: float = 1.0

    def __post_init__(self) -> None:
        if self.rank_w.shape != (len(RANK_FEATURES),):
            raise InputError(f"ranking weights have shape {self.rank_w.shape}, expected ({len(RANK_FEATURES)},)")
        if self.label_weights.shape != (len(self.label_features), len(LABELS)):
            raise InputError("label weights do not match the label feature list")
        object.__setattr__(self, "_index", {name: i for i, name in enumerate(self.label_features)})
        object.__setattr__(self, "_vocab_map", dict.fromkeys(self.vocab, 1))

    # ------------------------------------------------------------------ serialisation
    def to_json(self) -> dict[str, Any]:
        """JSON-serialisable form (weights rounded to 6 significant digits)."""
        return {
            "format": "ldn-atlas evidence-inference core model",
            "version": 1,
            "labels": list(LABELS),
            "rank_features": list(RANK_FEATURES),
            "rank_w": [float(f"{x:.6g}") for x in self.rank_w],
            "label_features": list(self.label_features),
            "label_weights": [[float(f"{x:.6g}") for x in row] for row in self.label_weights],
            "top_k": self.top_k,
            "rank_temperature": self.rank_temperature,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CoreModel:
        """Inverse of :meth:`to_json`."""
        if list(data.get("rank_features", [])) != list(RANK_FEATURES):
            raise InputError("inference weights were trained with a different ranking feature set; "
                             "rerun scripts/train_inference.py")
        if list(data.get("labels", [])) != list(LABELS):
            raise InputError("inference weights have a different label set")
        feats = tuple(data["label_features"])
        return cls(
            rank_w=np.asarray(data["rank_w"], dtype=np.float64),
            label_features=feats,
            label_weights=np.asarray(data["label_weights"], dtype=np.float64),
            vocab=frozenset(f for f in feats if f.startswith("bow:")),
            top_k=int(data.get("top_k", 3)),
            rank_temperature=float(data.get("rank_temperature", 1.0)),
        )

    # ------------------------------------------------------------------ scoring
    def rank(self, pa: PreparedAbstract, pp: PreparedPrompt) -> NDArray[np.float64]:
        """Probability of each sentence being the evidence."""
        X = np.asarray(ranking_features(pa, pp), dtype=np.float64)
        s = (X @ self.rank_w) / self.rank_temperature
        s -= s.max()
        e = np.exp(s)
        return np.asarray(e / e.sum(), dtype=np.float64)

    def label_vector(self, sentence: str, pp: PreparedPrompt | None) -> NDArray[np.float64]:
        """Feature vector of one sentence for the classifier."""
        f = label_feature_dict(_clip(sentence, pp), pp, self._vocab_map)  # type: ignore[attr-defined]
        index: dict[str, int] = self._index  # type: ignore[attr-defined]
        x = np.zeros(len(self.label_features))
        for k, v in f.items():
            j = index.get(k)
            if j is not None:
                x[j] = v
        return x

    def label_proba(self, sentence: str, pp: PreparedPrompt | None) -> NDArray[np.float64]:
        """Label probabilities for one sentence."""
        z = self.label_vector(sentence, pp) @ self.label_weights
        z -= z.max()
        e = np.exp(z)
        return np.asarray(e / e.sum(), dtype=np.float64)

    def predict(self, abstract: str, intervention: str, comparator: str, outcome: str) -> Inference:
        """Infer the effect for one prompt (see :func:`infer_effect`)."""
        pa = prepare_abstract(abstract)
        if not pa.infos:
            raise InputError("abstract has no sentences")
        pp = prepare_prompt(pa, intervention, comparator, outcome)
        return self.answer(pa, pp, self.rank(pa, pp))

    def answer(self, pa: PreparedAbstract, pp: PreparedPrompt, p_rank: NDArray[np.float64], method: str = "core"
               ) -> Inference:
        """The inference given sentence-ranking probabilities ``p_rank`` (one per sentence of ``pa``)."""
        order = np.argsort(-p_rank, kind="stable")
        top = order[: max(1, self.top_k)]
        weights = p_rank[top] / p_rank[top].sum()
        probs = np.zeros(len(LABELS))
        for w, i in zip(weights, top, strict=True):
            probs += w * self.label_proba(pa.infos[int(i)].sentence.text, pp)
        best = int(order[0])
        sent = pa.infos[best].sentence
        k = int(np.argmax(probs))
        return Inference(
            label=LABELS[k],
            evidence=Evidence(sent.text, sent.start, sent.end, sent.section),
            confidence=float(probs[k]),
            probabilities={lab: float(p) for lab, p in zip(LABELS, probs, strict=True)},
            evidence_score=float(p_rank[best]),
            method=method,
        )


def _clip(sentence: str, pp: PreparedPrompt | None) -> str:
    """Bound the text the label features read (pathological inputs stay fast)."""
    if len(sentence) <= MAX_LABEL_CHARS:
        return sentence
    return sentence[:MAX_LABEL_CHARS]


@lru_cache(maxsize=1)
def default_model() -> CoreModel:
    """The packaged core model (``inference_weights.json``), read once per process."""
    try:
        raw = resources.files("ldn_atlas.extract").joinpath(WEIGHTS_FILE).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        raise InputError(f"the evidence-inference weights ({WEIGHTS_FILE}) are missing from the package; "
                         "run scripts/train_inference.py") from None
    return CoreModel.from_json(json.loads(raw))


def clear_cache() -> None:
    """Forget parsed abstracts (the model weights stay loaded)."""
    prepare_abstract.cache_clear()


class InferenceMethod(Protocol):
    """An evidence-inference method other than ``core``, plugged into :func:`infer_effect` by name.

    A method answers one prompt and may use the core model (the ``ml`` method re-ranks the
    sentences with embeddings and reads the label with the core's classifier).

    Why a registry: the core must run without the optional method's dependencies and must not
    depend on its module at all (an import of it, even deferred into a function, made the circle
    ``inference`` <-> ``inference_ml``). The optional module depends on the core, so it registers
    itself (:func:`register_method`) when it is imported, and ``ldn_atlas.extract``'s ``__init__``
    imports it, so every caller of :func:`infer_effect` finds it. A typed protocol rather than a
    module name in a string looked up with importlib: mypy checks that the plug-in fits, and the
    dependency stays visible to readers and to the import graph.
    """

    def __call__(self, abstract: str, intervention: str, comparator: str, outcome: str, *,
                 core: CoreModel) -> Inference:
        """Infer the effect for one prompt (see :func:`infer_effect`)."""
        ...


_METHODS: dict[str, InferenceMethod] = {}


def register_method(name: str, method: InferenceMethod) -> None:
    """Make ``method`` available as ``infer_effect(..., method=name)``.

    Raises
    ------
    InputError
        ``name`` is ``core`` (the built-in method).
    """
    if name == "core":
        raise InputError("'core' is the built-in evidence-inference method")
    _METHODS[name] = method


def method_names() -> tuple[str, ...]:
    """The evidence-inference methods: ``core``, then the registered ones in registration order."""
    return ("core", *_METHODS)


def _check_text(name: str, value: object, *, required: bool) -> str:
    if not isinstance(value, str):
        raise InputError(f"{name} must be a string, not {type(value).__name__}")
    if required and not value.strip():
        raise InputError(f"{name} is empty")
    return value


def infer_effect(abstract: str, intervention: str, comparator: str, outcome: str, *, method: str = "core",
                 model: CoreModel | None = None) -> Inference:
    """Infer whether ``intervention`` vs ``comparator`` significantly changed ``outcome``.

    Parameters
    ----------
    abstract
        The trial abstract (plain text; structured-abstract headers are understood).
    intervention, comparator, outcome
        The prompt, in the words of the question (abbreviations are matched against the
        abstract's own definitions).
    method
        ``core`` (default; numpy only) or ``ml`` (needs ``pip install ldn-atlas[ml]``).
    model
        Core weights to use instead of the packaged ones.

    Returns
    -------
    Inference
        ``.label``, ``.evidence`` (sentence with span), ``.confidence``.

    Raises
    ------
    InputError
        Non-string input, an empty abstract or outcome, an unknown method.
    """
    _check_text("abstract", abstract, required=True)
    _check_text("intervention", intervention, required=False)
    _check_text("comparator", comparator, required=False)
    _check_text("outcome", outcome, required=True)
    if method == "core":
        return (model or default_model()).predict(abstract, intervention, comparator, outcome)
    plugged = _METHODS.get(method)
    if plugged is not None:
        return plugged(abstract, intervention, comparator, outcome, core=model or default_model())
    raise InputError(f"unknown evidence-inference method {method!r}; use {' or '.join(map(repr, method_names()))}")


_KEYS = ("abstract", "intervention", "comparator", "outcome")


def _as_prompt(item: object, i: int) -> tuple[str, str, str, str]:
    if isinstance(item, Mapping):
        missing = [k for k in _KEYS if k not in item]
        if missing:
            raise InputError(f"prompt {i} lacks {', '.join(missing)}")
        return (item["abstract"], item["intervention"], item["comparator"], item["outcome"])
    if isinstance(item, Sequence) and not isinstance(item, str) and len(item) == 4:
        a, b, c, d = item
        return (a, b, c, d)
    raise InputError(f"prompt {i} must be a mapping with {', '.join(_KEYS)} or a 4-tuple in that order")


def infer_effects(prompts: Iterable[Mapping[str, str] | Sequence[str]], *, method: str = "core",
                  model: CoreModel | None = None) -> list[Inference]:
    """Batch form of :func:`infer_effect`.

    Parameters
    ----------
    prompts
        Mappings with keys ``abstract``, ``intervention``, ``comparator``, ``outcome``, or
        4-tuples in that order. Prompts on the same abstract share its parse.
    method, model
        As in :func:`infer_effect`.

    Returns
    -------
    list of Inference
        One per prompt, in order.
    """
    out = []
    for i, item in enumerate(prompts):
        a, b, c, d = _as_prompt(item, i)
        try:
            out.append(infer_effect(a, b, c, d, method=method, model=model))
        except InputError as exc:
            raise InputError(f"prompt {i}: {exc}") from None
    return out
