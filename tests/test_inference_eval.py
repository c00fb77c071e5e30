"""Uncertainty of the evidence-inference metrics: the article (cluster) bootstrap.

The labels and clusters below are made up for these tests; no corpus data is used.
"""

from __future__ import annotations

import numpy as np
import pytest

from ldn_atlas.extract.inference_eval import bootstrap_intervals, classification_metrics
from ldn_atlas.extract.inference_features import LABELS

INC, DEC, NS = LABELS


def _toy(n_clusters: int = 12, per_cluster: int = 4, seed: int = 7) -> tuple[list[str], list[str], list[bool],
                                                                            list[str]]:
    rng = np.random.default_rng(seed)
    gold = [LABELS[i] for i in rng.integers(0, 3, n_clusters * per_cluster)]
    pred = [g if rng.random() < 0.75 else LABELS[(LABELS.index(g) + 1) % 3] for g in gold]
    hits = [bool(x) for x in rng.random(len(gold)) < 0.8]
    clusters = [f"a{i // per_cluster}" for i in range(len(gold))]
    return gold, pred, hits, clusters


def test_vectorised_replicates_match_the_metrics_recomputed_one_by_one() -> None:
    gold, pred, hits, clusters = _toy()
    n_boot, seed = 50, 3
    got = bootstrap_intervals(gold, pred, hits, clusters, n_boot=n_boot, seed=seed)
    # The same draws, expanded into explicit resampled lists and scored by classification_metrics.
    names = sorted(set(clusters))  # np.unique order
    members = {c: [i for i, x in enumerate(clusters) if x == c] for c in names}
    draws = np.random.default_rng(seed).multinomial(len(names), np.full(len(names), 1 / len(names)), size=n_boot)
    f1s, accs, evs = [], [], []
    for row in draws:
        idx = [i for c, times in zip(names, row, strict=True) for _ in range(times) for i in members[c]]
        macro, acc, _, _ = classification_metrics([gold[i] for i in idx], [pred[i] for i in idx])
        f1s.append(macro)
        accs.append(acc)
        evs.append(float(np.mean([hits[i] for i in idx])))
    for name, values in (("macro_f1", f1s), ("accuracy", accs), ("evidence_accuracy", evs)):
        want = (np.quantile(values, 0.025), np.quantile(values, 0.975))
        assert got[name] == pytest.approx(want, abs=1e-12), name


def test_interval_brackets_the_estimate_and_is_reproducible() -> None:
    gold, pred, hits, clusters = _toy()
    macro, acc, _, _ = classification_metrics(gold, pred)
    a = bootstrap_intervals(gold, pred, hits, clusters)
    assert a == bootstrap_intervals(gold, pred, hits, clusters)
    assert a["macro_f1"][0] < macro < a["macro_f1"][1]
    assert a["accuracy"][0] < acc < a["accuracy"][1]
    lo, hi = a["evidence_accuracy"]
    assert lo < float(np.mean(hits)) < hi
    assert a != bootstrap_intervals(gold, pred, hits, clusters, seed=1)


def test_errors_shared_within_an_article_widen_the_interval() -> None:
    # Ten articles of ten prompts; all twelve errors sit in one article and a bit of the next. Resampling
    # articles keeps them together, so accuracy varies more than when prompts are resampled one by one.
    gold = [INC, DEC, NS, NS, INC, DEC, NS, INC, NS, DEC] * 10
    pred = list(gold)
    for i in range(12):
        pred[i] = NS if gold[i] != NS else INC
    hits = [True] * 100
    by_article = bootstrap_intervals(gold, pred, hits, [f"a{i // 10}" for i in range(100)])
    by_prompt = bootstrap_intervals(gold, pred, hits, [str(i) for i in range(100)])
    width = {k: v["accuracy"][1] - v["accuracy"][0] for k, v in (("article", by_article), ("prompt", by_prompt))}
    assert width["article"] > width["prompt"] > 0


def test_perfect_answers_have_a_degenerate_interval() -> None:
    gold = [INC, DEC, NS] * 5
    out = bootstrap_intervals(gold, gold, [True] * 15, [str(i // 3) for i in range(15)])
    assert out["macro_f1"] == (1.0, 1.0) and out["accuracy"] == (1.0, 1.0)
    assert out["evidence_accuracy"] == (1.0, 1.0)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        bootstrap_intervals([INC], [INC, DEC], [True], ["a"])
    with pytest.raises(ValueError, match="level"):
        bootstrap_intervals([INC], [INC], [True], ["a"], level=1.0)
    empty = bootstrap_intervals([], [], [], [])
    assert all(np.isnan(v).all() for v in empty.values())


# ----------------------------------------------------------------------------- the classifier on cited evidence
def _prompt(pid: str, abstract: str, outcome: str, label: str, evidence: tuple[str, ...], in_abstract: bool):
    from ldn_atlas.extract.inference_eval import EvalPrompt, locate_passage

    spans = tuple(sp for sp in (locate_passage(abstract, e) for e in evidence) if sp is not None)
    return EvalPrompt(f"art-{pid}", pid, abstract, "low-dose naltrexone", "placebo", outcome, label, evidence,
                      in_abstract, spans)


_ABSTRACT = ("TITLE: A made-up crossover trial\nABSTRACT.METHODS:\nThirty adults took low-dose naltrexone or "
             "placebo for eight weeks each.\nABSTRACT.RESULTS:\nPain scores were significantly lower with "
             "low-dose naltrexone than with placebo (p = 0.002). Sleep quality did not differ between the "
             "two periods (p = 0.61).\n")


def test_cited_evidence_helpers_pick_the_cited_sentence_and_prose_passages() -> None:
    from ldn_atlas.extract.inference_eval import cited_abstract_sentence, cited_prose_passage

    answerable = _prompt("1", _ABSTRACT, "pain scores", DEC, ("Pain scores were significantly lower",), True)
    assert cited_abstract_sentence(answerable) == ("Pain scores were significantly lower with low-dose naltrexone "
                                                   "than with placebo (p = 0.002).")
    assert cited_prose_passage(answerable) is None  # answerable prompts are read from the abstract
    table_then_prose = _prompt("2", _ABSTRACT, "fatigue", INC,
                               ("Fatigue\n4.1\n5.6\n0.03\n", "short fragment",
                                "Fatigue  scores rose   significantly more with naltrexone (p = 0.03)."), False)
    assert cited_abstract_sentence(table_then_prose) is None
    assert cited_prose_passage(table_then_prose) == "Fatigue scores rose significantly more with naltrexone (p = 0.03)."
    only_table = _prompt("3", _ABSTRACT, "fatigue", INC, ("Fatigue\n4.1\n5.6\n0.03\n",), False)
    assert cited_prose_passage(only_table) is None


def test_evaluate_given_evidence_scores_each_kind_apart() -> None:
    from ldn_atlas.extract.inference_eval import evaluate_given_evidence

    prompts = [
        _prompt("1", _ABSTRACT, "pain scores", DEC, ("Pain scores were significantly lower",), True),
        _prompt("2", _ABSTRACT, "sleep quality", NS, ("Sleep quality did not differ",), True),
        _prompt("3", _ABSTRACT, "fatigue", INC,
                ("Fatigue scores rose significantly more with low-dose naltrexone than with placebo (p = 0.01).",),
                False),
        _prompt("4", _ABSTRACT, "mood", NS, ("Mood\n3\n3\n0.9\n",), False),  # a table row only: not scored
    ]
    got = evaluate_given_evidence(prompts)
    assert set(got) == {"abstract-sentence", "full-text-passage"}
    assert (got["abstract-sentence"].n, got["full-text-passage"].n) == (2, 1)
    assert got["abstract-sentence"].accuracy == 1.0 and got["full-text-passage"].accuracy == 1.0
    # A wrong gold label is counted as an error, not hidden.
    flipped = _prompt("5", _ABSTRACT, "pain scores", INC, ("Pain scores were significantly lower",), True)
    assert evaluate_given_evidence([flipped])["abstract-sentence"].accuracy == 0.0
    d = got["abstract-sentence"].to_dict()
    assert d["kind"] == "abstract-sentence" and d["n"] == 2 and set(d["intervals"]) == {"macro_f1", "accuracy"}
    assert evaluate_given_evidence([]) == {}


@pytest.mark.parametrize(("kwargs", "message"), [({"split": "test"}, "unknown split"),
                                                 ({"method": "bert"}, "unknown method")])
def test_evaluate_split_refuses_an_unknown_split_or_method(kwargs: dict[str, str], message: str) -> None:
    from ldn_atlas.errors import AtlasError
    from ldn_atlas.extract.inference_eval import evaluate_split

    with pytest.raises(AtlasError, match=message):
        evaluate_split(**kwargs)  # type: ignore[arg-type]
