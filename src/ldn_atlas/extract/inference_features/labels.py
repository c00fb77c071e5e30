"""The effect classifier's features of one sentence: the feature groups, merged in a fixed order."""

from __future__ import annotations

from ldn_atlas.extract.inference_features.arms import arm_features, arm_mentions, comparison_markers
from ldn_atlas.extract.inference_features.bow import bag_of_stems
from ldn_atlas.extract.inference_features.clause import clause_p_features, outcome_clause
from ldn_atlas.extract.inference_features.decision import decision_features, within_arm_reset
from ldn_atlas.extract.inference_features.direction import direction_features
from ldn_atlas.extract.inference_features.intervals import interval_features, interval_spans
from ldn_atlas.extract.inference_features.negation import between_within_features, cue_features, trend_features
from ldn_atlas.extract.inference_features.prepared import PreparedPrompt
from ldn_atlas.extract.inference_features.pvalues import find_p_values, p_value_features, respective_p_value
from ldn_atlas.extract.inference_features.sentence import anchor_features, read_sentence
from ldn_atlas.extract.inference_features.values import value_features

LABELS = ("significantly increased", "significantly decreased", "no significant difference")


def label_feature_dict(sentence: str, pp: PreparedPrompt | None, vocab: dict[str, int] | None = None
                       ) -> dict[str, float]:
    """Features of one sentence for the effect classifier (a sparse name -> value map).

    Parameters
    ----------
    sentence
        The evidence sentence.
    pp
        The prepared prompt (for the outcome anchor and the arms), or None.
    vocab
        Optional bag-of-stems vocabulary; when given, ``bow:<stem>`` features are added for
        words of the sentence in it.
    """
    view = read_sentence(sentence, pp)
    f: dict[str, float] = {"bias": 1.0}
    f.update(anchor_features(view))
    pvalues = find_p_values(view.text)
    resp_p = respective_p_value(view, pvalues)
    f.update(p_value_features(view, pvalues, resp_p))
    f.update(interval_features(view.text, pp))
    clause = outcome_clause(view)
    f.update(clause_p_features(clause, pvalues, resp_p))
    f.update(between_within_features(view, clause))
    f.update(trend_features(view, clause))
    f.update(cue_features(view, clause))
    arms = arm_mentions(view, pp)
    direction, reading = direction_features(view, clause, pp, arms, comparison_markers(view.toks))
    f.update(direction)
    f.update(arm_features(arms))
    values, vd = value_features(view, arms, pvalues.spans + interval_spans(view.text), pp)
    f.update(values)
    f.update(decision_features(f, reading, vd))
    f.update(within_arm_reset(f))
    if vocab is not None:
        f.update(bag_of_stems(view, vocab))
    return f


class _Everything:
    """A vocabulary that contains every key (to list the candidates)."""

    def __contains__(self, key: object) -> bool:
        return True


def bow_candidates(sentence: str, pp: PreparedPrompt | None) -> list[str]:
    """The ``bow:`` keys :func:`label_feature_dict` could emit for a sentence (to build a vocabulary)."""
    return [k for k in label_feature_dict(sentence, pp, _Everything()) if k.startswith("bow:")]  # type: ignore[arg-type]
