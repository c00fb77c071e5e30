"""Warnings raised by :mod:`ldn_atlas.stats`.

::

    AtlasWarning (ldn_atlas.errors)
    ├── DataWarning                 rows with missing values dropped (ldn_atlas.errors)
    └── StatisticalWarning          a statistical caveat (e.g. Knapp-Hartung with an EE model)
        └── ConvergenceWarning      an iterative estimator did not converge

Errors in the inputs are ``ValueError`` naming the argument.
"""

from __future__ import annotations

from ldn_atlas.errors import AtlasWarning, DataWarning

__all__ = ["ConvergenceWarning", "DataWarning", "StatisticalWarning"]


class StatisticalWarning(AtlasWarning):
    """A statistical caveat about a fit (the result records the message in ``warnings``)."""


class ConvergenceWarning(StatisticalWarning):
    """An iterative estimator or root search did not converge; the result has ``converged=False``."""
