"""Engineered features for evidence inference: sentence ranking and effect classification.

Two feature maps, both pure functions of the text:

* :func:`ranking_features` scores every sentence of an abstract against a prompt (intervention,
  comparator, outcome): IDF-weighted stem overlap, character 4-gram containment, stem-bigram
  matches, abbreviation expansion (``forced expiratory volume (FEV1)``), relative-to-best scores,
  section and position priors, and the presence of p-values, confidence intervals and
  significance or direction words.
* :func:`label_features` reads one sentence: parsed p-values (``p<0.05``, ``P = .03``,
  ``p=NS``), confidence intervals that include or exclude the null (1 for ratios, 0 for
  differences), significance and negation cues, comparative words resolved against which arm the
  sentence makes the reference (``X was lower in the placebo group than in the LDN group``),
  paired numbers (``5.7 ± 2.4 versus 8.4 ± 3.6``), and hashed-free bag-of-stems features taken
  from a vocabulary learned on the training split.

The package has one module per concern: :mod:`.prepare` (abstracts and prompts, the data in
:mod:`.prepared`), :mod:`.ranking`, and the label feature groups merged by :mod:`.labels` --
:mod:`.sentence` (tokens and the outcome anchor), :mod:`.pvalues`, :mod:`.intervals` (confidence
intervals), :mod:`.clause` (the outcome's clause), :mod:`.negation` (negation, within- vs
between-arm and trend cues), :mod:`.arms` (arm mentions and reference arms), :mod:`.direction`
(direction and evaluative words), :mod:`.values` (the arms' values), :mod:`.decision` (interactions)
and :mod:`.bow` (bag of stems); word lists and patterns in :mod:`.lexicon`, text helpers in
:mod:`.tokens`.

All regular expressions are linear-time (no nested quantifiers over overlapping classes).

References
----------
.. [1] Lehman, E., DeYoung, J., Barzilay, R., & Wallace, B. C. (2019). Inferring which medical
   treatments work from reports of clinical trials. *NAACL-HLT 2019*, 3705-3717.
.. [2] DeYoung, J., Lehman, E., Nye, B., Marshall, I. J., & Wallace, B. C. (2020). Evidence
   Inference 2.0: More data, better models. *BioNLP 2020*, 123-132.
"""

from __future__ import annotations

from ldn_atlas.extract.inference_features.arms import group_labels
from ldn_atlas.extract.inference_features.labels import LABELS, bow_candidates, label_feature_dict
from ldn_atlas.extract.inference_features.prepare import prepare_abstract, prepare_prompt
from ldn_atlas.extract.inference_features.prepared import PreparedAbstract, PreparedPrompt, SentenceInfo
from ldn_atlas.extract.inference_features.ranking import RANK_FEATURES, SECTIONS, ranking_features

__all__ = [
    "LABELS",
    "RANK_FEATURES",
    "SECTIONS",
    "PreparedAbstract",
    "PreparedPrompt",
    "SentenceInfo",
    "bow_candidates",
    "group_labels",
    "label_feature_dict",
    "prepare_abstract",
    "prepare_prompt",
    "ranking_features",
]
