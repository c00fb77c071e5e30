"""Sentence-ranking features: how well each sentence of an abstract reports the prompt's outcome."""

from __future__ import annotations

import math
import re

from ldn_atlas.extract.inference_features.lexicon import _GENERIC_CONTROL
from ldn_atlas.extract.inference_features.prepared import PreparedAbstract, PreparedPrompt

SECTIONS = ("title", "background", "methods", "results", "conclusions", "other")

RANK_FEATURES = (
    "out_idf", "out_frac", "out_ngram", "out_bigram", "out_idf_rel", "out_ngram_rel", "out_is_best",
    "out_all", "int_idf", "int_ngram", "cmp_idf", "arm_any", "has_p", "has_ci", "has_sig", "has_neg",
    "has_dir", "has_num", "log_len", *(f"sec_{s}" for s in SECTIONS), "pos", "pos_in_results",
    "out_idf_x_results", "out_idf_x_p", "out_ngram_x_dir", "first_sentence_best", "combo_rel",
    "out_early", "out_compact", "generic_control", "ngram_is_best", "baseline", "between_groups",
    "out_alias", "within_group",
)
_WITHIN_GROUP = re.compile(
    r"\b(?:in\s+(?:both|each|all)\s+(?:the\s+)?(?:\w+\s+)?(?:groups?|arms?)|within[\s-](?:each\s+)?(?:groups?|arms?)|"
    r"intra-?group|from\s+baseline\s+in\s+(?:both|each|all))",
    re.IGNORECASE,
)


def ranking_features(pa: PreparedAbstract, pp: PreparedPrompt) -> list[list[float]]:
    """One feature row per sentence of the abstract (order of :data:`RANK_FEATURES`)."""
    idf = pa.idf
    d_idf = pa.default_idf
    o_w = [idf.get(t, d_idf) for t in pp.outcome]
    o_tot = sum(o_w) or 1.0
    n_o = len(pp.outcome) or 1
    i_w_tot = sum(idf.get(t, d_idf) for t in pp.intervention) or 1.0
    c_w_tot = sum(idf.get(t, d_idf) for t in pp.comparator) or 1.0
    n_og = len(pp.outcome_ngrams) or 1
    n_ig = len(pp.intervention_ngrams) or 1
    n_ob = len(pp.outcome_bigrams)
    n = len(pa.infos)
    raw: list[tuple[float, float, float, float, float, float, float]] = []
    alias_cov: list[float] = []  # outcome coverage with abbreviations and long forms as the same words
    for info in pa.infos:
        ss = info.stem_set
        oi = sum(w for t, w in zip(pp.outcome, o_w, strict=True) if t in ss) / o_tot
        of = sum(1 for t in pp.outcome if t in ss) / n_o
        og = len(pp.outcome_ngrams & info.ngrams) / n_og
        ob = (len(pp.outcome_bigrams & info.bigrams) / n_ob) if n_ob else 0.0
        ii = sum(idf.get(t, d_idf) for t in pp.intervention if t in ss) / i_w_tot
        ig = len(pp.intervention_ngrams & info.ngrams) / n_ig
        ci = sum(idf.get(t, d_idf) for t in pp.comparator if t in ss) / c_w_tot
        raw.append((oi, of, og, ob, ii, ig, ci))
        alias_cov.append(sum(
            w for t, w in zip(pp.outcome, o_w, strict=True)
            if t in ss or (t in pp.outcome_alias and not pp.outcome_alias[t].isdisjoint(ss))
            or (t in pp.outcome_long and pp.outcome_long[t] <= ss)
        ) / o_tot)
    best_oi = max((r[0] for r in raw), default=0.0) or 1.0
    best_og = max((r[2] for r in raw), default=0.0) or 1.0
    combos = [r[0] + r[2] for r in raw]
    best_combo = max(combos, default=0.0) or 1.0
    first_best = next((i for i, c in enumerate(combos) if c >= best_combo - 1e-9), -1)
    rows: list[list[float]] = []
    for i, (info, r) in enumerate(zip(pa.infos, raw, strict=True)):
        oi, of, og, ob, ii, ig, ci = r
        sec = info.sentence.section
        in_res = sec == "results"
        pos = i / max(1, n - 1)
        pos_res = ((i - pa.first_results) / max(1, pa.n_results - 1)) if in_res and pa.first_results >= 0 else 0.0
        oset = set(pp.outcome)
        hits = [j for j, t in enumerate(info.stems) if t in oset]
        if hits:
            early = 1.0 - hits[0] / max(1, len(info.stems))
            compact = len({info.stems[j] for j in hits}) / (hits[-1] - hits[0] + 1)
        else:
            early = compact = 0.0
        rows.append([
            oi, of, og, ob, oi / best_oi, og / best_og, float(oi >= best_oi - 1e-9),
            float(of >= 0.999), ii, ig, ci, float(ii > 0 or ci > 0),
            float(info.has_p), float(info.has_ci), float(info.has_sig), float(info.has_neg),
            float(info.has_dir), float(info.has_num), math.log1p(len(info.sentence.text)) / 5.0,
            *(float(sec == s) for s in SECTIONS), pos, pos_res,
            oi * in_res, oi * (info.has_p or info.has_ci), og * info.has_dir,
            float(i == first_best), combos[i] / best_combo,
            early, compact, float(any(t in _GENERIC_CONTROL for t in info.stem_set)),
            float(og >= best_og - 1e-9), float(info.baseline),
            float("between" in info.sentence.text.lower() or "both" in info.sentence.text.lower()),
            alias_cov[i], float(_WITHIN_GROUP.search(info.sentence.text) is not None),
        ])
    return rows
