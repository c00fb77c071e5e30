"""Diagnostics of a fitted meta-analysis: publication bias, sensitivity and influence.

Every function follows metafor 3.8 (Viechtbauer 2010) in what it computes and in
its conventions, and returns one frozen result with ``to_dict()``:

=================  ==========================================================
function           metafor
=================  ==========================================================
:func:`fsn`        ``fsn()`` — fail-safe N (Rosenthal, Orwin, Rosenberg)
:func:`ranktest`   ``ranktest()`` — Begg and Mazumdar's rank correlation test
:func:`regtest`    ``regtest()`` — Egger's regression test and its variants
:func:`trimfill`   ``trimfill()`` — Duval and Tweedie's trim and fill
:func:`leave1out`  ``leave1out()`` — leave-one-out sensitivity analysis
:func:`influence`  ``influence()`` — case-deletion diagnostics
=================  ==========================================================

The functions that refit the model (:func:`regtest`, :func:`trimfill`,
:func:`leave1out`, :func:`influence`) take the fitted result of
:func:`ldn_atlas.stats.rma` as their first argument and refit it with the same
estimator and settings.  :func:`fsn` and :func:`ranktest` also accept plain
``yi``/``vi`` arrays.

Modules, one concern each: :mod:`.failsafe` (``fsn``), :mod:`.funnel_asymmetry`
(``ranktest``, ``regtest``), :mod:`.trim_and_fill` (``trimfill``), :mod:`.deletion`
(the refits without each study), :mod:`.leave_one_out` (``leave1out``),
:mod:`.influence_measures` (``influence``); shared pieces in :mod:`._base` (result
``to_dict()`` and text layout), :mod:`._inputs` (``yi``/``vi`` arguments) and
:mod:`._refit` (the fitted model and its refits).

References
----------
.. [1] Viechtbauer, W. (2010). Conducting meta-analyses in R with the metafor
   package. Journal of Statistical Software, 36(3), 1-48.
"""

from __future__ import annotations

from ldn_atlas.stats.diagnostics.failsafe import FsnResult, fsn
from ldn_atlas.stats.diagnostics.funnel_asymmetry import (
    RankTestResult,
    RankTestTiesWarning,
    RegtestFit,
    RegtestResult,
    ranktest,
    regtest,
)
from ldn_atlas.stats.diagnostics.influence_measures import InfluenceResult, influence
from ldn_atlas.stats.diagnostics.leave_one_out import LeaveOneOutResult, leave1out
from ldn_atlas.stats.diagnostics.trim_and_fill import TrimfillResult, trimfill

__all__ = [
    "FsnResult",
    "InfluenceResult",
    "LeaveOneOutResult",
    "RankTestResult",
    "RankTestTiesWarning",
    "RegtestFit",
    "RegtestResult",
    "TrimfillResult",
    "fsn",
    "influence",
    "leave1out",
    "ranktest",
    "regtest",
    "trimfill",
]
