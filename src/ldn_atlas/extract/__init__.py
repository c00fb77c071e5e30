"""Extraction: text to candidate studies, claims and effects, each with spans."""

from ldn_atlas.extract.inference import Evidence, Inference, infer_effect, infer_effects

__all__ = ["Evidence", "Inference", "infer_effect", "infer_effects"]
