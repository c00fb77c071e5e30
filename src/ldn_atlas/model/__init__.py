"""The evidence model (pydantic v2). JSON field names follow DESIGN.md and are a contract."""

from ldn_atlas.model.evidence import *  # noqa: F403
from ldn_atlas.model.evidence import __all__ as _evidence_all

__all__ = list(_evidence_all)
