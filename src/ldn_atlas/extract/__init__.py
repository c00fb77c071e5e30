"""Extraction: text to candidate studies, claims and effects, each with spans."""

from ldn_atlas.extract import inference_ml  # noqa: F401  (registers the optional ``ml`` inference method)
from ldn_atlas.extract.inference import Evidence, Inference, infer_effect, infer_effects
from ldn_atlas.extract.pipeline import extract_all, extract_file, extract_studies

__all__ = ["Evidence", "Inference", "extract_all", "extract_file", "extract_studies", "infer_effect", "infer_effects"]
