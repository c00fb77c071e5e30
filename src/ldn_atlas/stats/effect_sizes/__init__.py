"""Effect sizes and their sampling variances: :func:`escalc`, metafor's interface in Python.

``escalc(measure, ...)`` computes one observed effect ``yi`` and its sampling variance ``vi``
per study from summary data, with metafor 3.8's measure codes, argument names and
conventions (zero-cell corrections ``add``/``to``/``drop00``, variance types ``vtype``,
``NaN`` where an input is missing or an outcome cannot be computed).

Measures
--------
=============  ==============================================================  ====================
group          measures                                                        inputs
=============  ==============================================================  ====================
2x2 tables     ``RR`` (log risk ratio), ``OR`` (log odds ratio), ``RD``        ``ai, bi, ci, di``
               (risk difference), ``PETO`` (Peto log odds ratio), ``AS``       (or ``ai, ci, n1i,
               (arcsine square-root risk difference)                           n2i``)
person-time    ``IRR`` (log incidence rate ratio), ``IRD`` (rate difference),  ``x1i, x2i, t1i,
(two groups)   ``IRSD`` (square-root rate difference)                          t2i``
means/SDs      ``MD``, ``SMD`` (Hedges' g, exact correction), ``SMDH``         ``m1i, m2i, sd1i,
(two groups)   (heteroscedastic SMD), ``ROM`` (log ratio of means)             sd2i, n1i, n2i``
correlations   ``COR`` (raw), ``ZCOR`` (Fisher's r-to-z)                        ``ri, ni``
proportions    ``PR``, ``PLN`` (log), ``PLO`` (logit), ``PAS`` (arcsine),      ``xi, ni`` (or
               ``PFT`` (Freeman-Tukey double arcsine)                          ``xi, mi``)
rates          ``IR``, ``IRLN`` (log), ``IRS`` (square root), ``IRFT``         ``xi, ti``
               (Freeman-Tukey)
paired         ``MC`` (raw mean change), ``SMCC`` (change-score                ``m1i, m2i, sd1i,
(pre/post)     standardisation), ``SMCR`` (raw-score standardisation),         sd2i, ni, ri``
               ``SMCRH`` (heteroscedastic), ``ROMC``, ``CVRC``, ``VRC``
               (log ratios of means, CVs, SDs for dependent samples)
variability    ``VR`` (log SD ratio), ``CVR`` (log CV ratio)                   ``m1i, m2i, sd1i,
(two groups)                                                                   sd2i, n1i, n2i``
one group      ``MN`` (mean), ``MNLN`` (log mean), ``CVLN`` (log CV),          ``mi, sdi, ni``
               ``SDLN`` (log SD), ``SMN`` (standardized mean)
=============  ==============================================================  ====================

Conventions (metafor 3.8-1 defaults)
------------------------------------
* ``add=0.5`` is added to *every* cell of a 2x2 table (or to ``xi`` and ``ni - xi`` of a
  proportion, to the counts of a rate) that has a zero cell (``to="only0"``); ``to="all"``
  adds to every study, ``"if0all"`` to every study when any study has a zero, ``"none"``
  never. ``add`` defaults to 0 for ``AS``, ``PAS``, ``PFT``, ``IRS``, ``IRFT`` and ``IRSD``.
* ``drop00=True`` sets tables with no events (or only events) in both groups to ``NaN``.
* ``SMD`` is Hedges' g with the exact correction
  ``J(m) = exp(lgamma(m/2) - log(sqrt(m/2)) - lgamma((m-1)/2))``, ``m = n1 + n2 - 2``.
* Infinite or ``NaN`` outcomes and negative variances become ``NaN`` (metafor: NA), with a
  :class:`~ldn_atlas.errors.DataWarning` for infinite values.

References
----------
.. [1] Viechtbauer, W. (2010). Conducting meta-analyses in R with the metafor package.
   Journal of Statistical Software, 36(3), 1-48. https://doi.org/10.18637/jss.v036.i03
.. [2] Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size and
   related estimators. Journal of Educational Statistics, 6(2), 107-128.
.. [3] Bonett, D. G. (2009). Meta-analytic interval estimation for standardized and
   unstandardized mean differences. Psychological Methods, 14(3), 225-238.
.. [4] Becker, B. J. (1988). Synthesizing standardized mean-change measures. British Journal
   of Mathematical and Statistical Psychology, 41(2), 257-278.
.. [5] Morris, S. B. (2008). Estimating effect sizes from pretest-posttest-control group
   designs. Organizational Research Methods, 11(2), 364-386.
.. [6] Hedges, L. V., Gurevitch, J., & Curtis, P. S. (1999). The meta-analysis of response
   ratios in experimental ecology. Ecology, 80(4), 1150-1156.
.. [7] Freeman, M. F., & Tukey, J. W. (1950). Transformations related to the angular and the
   square root. Annals of Mathematical Statistics, 21(4), 607-611.
.. [8] Yusuf, S., Peto, R., Lewis, J., Collins, R., & Sleight, P. (1985). Beta blockade during
   and after myocardial infarction. Progress in Cardiovascular Diseases, 27(5), 335-371.

Where things live
-----------------
:mod:`.compute` (``escalc``: options, inputs, dispatch, result), :mod:`.measures` (the catalogue of
codes), :mod:`.registry` (code -> family), one module per measure family (:mod:`.two_by_two`,
:mod:`.person_time`, :mod:`.two_group_means`, :mod:`.correlations`, :mod:`.single_group`,
:mod:`.paired`), :mod:`.inputs` (reading and checking inputs), :mod:`.corrections` (Hedges' ``J``,
zero-cell ``add``), :mod:`.family` (what families share) and :mod:`.result` (the result types).
"""

from __future__ import annotations

from ldn_atlas.stats.effect_sizes.compute import escalc
from ldn_atlas.stats.effect_sizes.corrections import hedges_correction
from ldn_atlas.stats.effect_sizes.measures import MEASURES
from ldn_atlas.stats.effect_sizes.result import EffectSizes, EffectSizesSummary

__all__ = [
    "MEASURES",
    "EffectSizes",
    "EffectSizesSummary",
    "escalc",
    "hedges_correction",
]
