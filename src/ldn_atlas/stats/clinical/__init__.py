"""Clinical quantities beyond metafor: crossover/paired effects, NNT/NNH, responder proportions.

Three things the atlas needs that metafor does not provide directly:

* **Crossover and paired trials from summary data** (:func:`crossover`,
  :func:`correlation_sweep`): the within-person mean difference or standardized mean
  difference from the period means and SDs, with an assumed within-person correlation ``r``
  (Elbourne et al. 2002; Cochrane Handbook ch. 23), and a sensitivity sweep over ``r``.
  :func:`correlation_from_sd_diff`, :func:`sd_diff_from_t` and :func:`sd_diff_from_p` recover
  the information a paired analysis reports.
* **Number needed to treat** (:func:`nnt`, :func:`nnt_from_counts`, :func:`nnt_from_fit`):
  ``1 / RD`` labelled as benefit (NNTB) or harm (NNTH), with confidence limits that are the
  reciprocals of the risk difference's limits. When that interval includes 0 the NNT interval
  is the two-part set "NNTB a to infinity to NNTH b" (Altman 1998).
* **Responder proportions** (:func:`responder_proportion`, :func:`count_responders`): the share
  of participants improving by at least X %, with the exact Clopper-Pearson and the Wilson
  score intervals.

References
----------
.. [1] Elbourne, D. R., Altman, D. G., Higgins, J. P. T., Curtin, F., Worthington, H. V., &
   Vail, A. (2002). Meta-analyses involving cross-over trials: methodological issues.
   International Journal of Epidemiology, 31(1), 140-149. https://doi.org/10.1093/ije/31.1.140
.. [2] Higgins, J. P. T., Eldridge, S., & Li, T. (2019). Chapter 23: Including variants on
   randomized trials. In Cochrane Handbook for Systematic Reviews of Interventions (version 6).
   Cochrane. Section 23.2 (crossover trials).
.. [3] Altman, D. G. (1998). Confidence intervals for the number needed to treat. BMJ,
   317(7168), 1309-1312. https://doi.org/10.1136/bmj.317.7168.1309
.. [4] Clopper, C. J., & Pearson, E. S. (1934). The use of confidence or fiducial limits
   illustrated in the case of the binomial. Biometrika, 26(4), 404-413.
.. [5] Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
   inference. Journal of the American Statistical Association, 22(158), 209-212.
.. [6] Newcombe, R. G. (1998). Interval estimation for the difference between independent
   proportions: comparison of eleven methods. Statistics in Medicine, 17(8), 873-890.
.. [7] Becker, B. J. (1988). Synthesizing standardized mean-change measures. British Journal
   of Mathematical and Statistical Psychology, 41(2), 257-278.

Where things live
-----------------
:mod:`.crossover_trials` (``crossover``), :mod:`.within_person` (``correlation_sweep`` and the recovery
of ``r`` or of the SD of differences), :mod:`.number_needed` (``nnt``, ``nnt_from_counts``,
``nnt_from_fit``), :mod:`.responders` (``responder_proportion``, ``count_responders``) and
:mod:`.values` (what they share).
"""

from __future__ import annotations

from ldn_atlas.stats.clinical.crossover_trials import CrossoverEffect, crossover
from ldn_atlas.stats.clinical.number_needed import NNTResult, nnt, nnt_from_counts, nnt_from_fit
from ldn_atlas.stats.clinical.responders import ResponderProportion, count_responders, responder_proportion
from ldn_atlas.stats.clinical.within_person import (
    CorrelationSweep,
    correlation_from_sd_diff,
    correlation_sweep,
    sd_diff_from_p,
    sd_diff_from_t,
)

__all__ = [
    "CorrelationSweep",
    "CrossoverEffect",
    "NNTResult",
    "ResponderProportion",
    "correlation_from_sd_diff",
    "correlation_sweep",
    "count_responders",
    "crossover",
    "nnt",
    "nnt_from_counts",
    "nnt_from_fit",
    "responder_proportion",
    "sd_diff_from_p",
    "sd_diff_from_t",
]
