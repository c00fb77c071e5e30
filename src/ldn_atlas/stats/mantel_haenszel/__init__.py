"""Pooled methods for 2x2 tables and person-time data: Mantel-Haenszel and Peto (metafor 3.8).

:func:`rma_mh` pools log odds ratios, log risk ratios, risk differences, log incidence rate
ratios or incidence rate differences with the Mantel-Haenszel method; :func:`rma_peto` pools
log odds ratios with Peto's one-step method. Both reproduce metafor 3.8-1's ``rma.mh`` and
``rma.peto``:

* ``add``, ``to`` and ``drop00`` are pairs: element 1 is passed to :func:`~ldn_atlas.stats.escalc`
  for the per-study ``yi``/``vi`` (used only for the heterogeneity statistics ``QE``, ``I2``,
  ``H2``; defaults 1/2 added to tables with a zero, double-zero tables dropped), element 2
  adjusts the tables for the pooled estimate (default: no adjustment, double-zero tables kept).
* Variances: Robins, Breslow & Greenland (1986) for the MH log odds ratio; Greenland & Robins
  (1985) for the log risk ratio; Sato, Greenland & Robins (1989) for the risk difference;
  Rothman, Greenland & Lash (2008, ch. 15) for the rate measures.
* Tests: the Cochran-Mantel-Haenszel test (``MH``, denominator ``N - 1``, and Cochran's
  version ``CO`` with ``N``, continuity corrected when ``correct=True``), the Breslow-Day
  test (``BD``) and Tarone's corrected version (``TA``) for odds ratios; the MH test for
  incidence rate ratios.

References
----------
.. [1] Mantel, N., & Haenszel, W. (1959). Statistical aspects of the analysis of data from
   retrospective studies of disease. Journal of the National Cancer Institute, 22(4), 719-748.
.. [2] Robins, J., Breslow, N., & Greenland, S. (1986). Estimators of the Mantel-Haenszel
   variance consistent in both sparse data and large-strata limiting models. Biometrics,
   42(2), 311-323.
.. [3] Greenland, S., & Robins, J. M. (1985). Estimation of a common effect parameter from
   sparse follow-up data. Biometrics, 41(1), 55-68.
.. [4] Sato, T., Greenland, S., & Robins, J. M. (1989). On the variance estimator for the
   Mantel-Haenszel risk difference. Biometrics, 45(4), 1323-1324.
.. [5] Breslow, N. E., & Day, N. E. (1980). Statistical methods in cancer research. Vol. I:
   The analysis of case-control studies. Lyon: IARC.
.. [6] Tarone, R. E. (1985). On heterogeneity tests based on efficient scores. Biometrika,
   72(1), 91-95.
.. [7] Yusuf, S., Peto, R., Lewis, J., Collins, R., & Sleight, P. (1985). Beta blockade during
   and after myocardial infarction: An overview of the randomized trials. Progress in
   Cardiovascular Diseases, 27(5), 335-371.
.. [8] Rothman, K. J., Greenland, S., & Lash, T. L. (2008). Modern epidemiology (3rd ed.).
   Philadelphia: Lippincott Williams & Wilkins.
.. [9] Viechtbauer, W. (2010). Conducting meta-analyses in R with the metafor package.
   Journal of Statistical Software, 36(3), 1-48.

Where things live
-----------------
:mod:`.mh` (``rma_mh``) and :mod:`.peto` (``rma_peto``), built from :mod:`.inputs` (settings, tables,
labels), :mod:`.preparation` (per-study effects, dropped and adjusted tables), :mod:`.pooling` (the
estimators and their tests), :mod:`.heterogeneity` (Q, I^2, H^2) and :mod:`.result` (``MHResult``).
"""

from __future__ import annotations

from ldn_atlas.stats.mantel_haenszel.mh import rma_mh
from ldn_atlas.stats.mantel_haenszel.peto import rma_peto
from ldn_atlas.stats.mantel_haenszel.result import MHResult

__all__ = ["MHResult", "rma_mh", "rma_peto"]
