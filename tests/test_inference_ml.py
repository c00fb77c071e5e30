"""The optional ``ml`` method of evidence inference (needs ``pip install ldn-atlas[ml]``)."""

from __future__ import annotations

import pytest

from ldn_atlas.errors import InputError
from ldn_atlas.extract import infer_effect
from ldn_atlas.extract.inference_ml import ML_RANK_FEATURES, available

ABSTRACT = """ABSTRACT.RESULTS:
Thirty adults took part in this made-up trial of LDN.
Daily pain scores were significantly lower with LDN than with placebo (p = 0.01).
Sleep quality did not differ between the groups (p = 0.52).
"""


@pytest.mark.skipif(available(), reason="the ml extra is installed")
def test_ml_method_without_the_extra_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="optional 'ml' extra"):
        infer_effect(ABSTRACT, "LDN", "placebo", "pain scores", method="ml")


@pytest.mark.skipif(not available(), reason="needs pip install 'ldn-atlas[ml]'")
def test_ml_method_answers_like_the_core_contract() -> None:
    r = infer_effect(ABSTRACT, "LDN", "placebo", "sleep", method="ml")
    assert r.method == "ml"
    assert r.label == "no significant difference"
    assert str(r.evidence).startswith("Sleep quality")
    assert ABSTRACT[r.evidence.start : r.evidence.end] == r.evidence.text


def test_ml_feature_names_extend_the_core_ones() -> None:
    from ldn_atlas.extract.inference_features import RANK_FEATURES

    assert ML_RANK_FEATURES[: len(RANK_FEATURES)] == RANK_FEATURES
    assert len(ML_RANK_FEATURES) == len(RANK_FEATURES) + 4


def test_ml_plugs_in_through_the_core_registry() -> None:
    from ldn_atlas.extract import inference, inference_ml

    assert inference.method_names() == ("core", "ml")
    assert inference._METHODS["ml"] is inference_ml.predict
    with pytest.raises(InputError, match="built-in"):
        inference.register_method("core", inference_ml.predict)
