"""The catalogue of :func:`~ldn_atlas.stats.escalc` measures: codes, descriptions and per-measure settings.

Which measure codes exist (:data:`MEASURES`), which default to no zero-cell correction, which ``to``
values are allowed and which variance types (``vtype``) each measure accepts, as in metafor 3.8-1.
"""

from __future__ import annotations

#: measure code -> short description (the measures :func:`escalc` computes).
MEASURES: dict[str, str] = {
    "RR": "log risk ratio",
    "OR": "log odds ratio",
    "RD": "risk difference",
    "PETO": "log odds ratio (Peto's method)",
    "AS": "arcsine square-root transformed risk difference",
    "IRR": "log incidence rate ratio",
    "IRD": "incidence rate difference",
    "IRSD": "square-root transformed incidence rate difference",
    "MD": "raw mean difference",
    "SMD": "standardized mean difference (Hedges' g)",
    "SMDH": "standardized mean difference with heteroscedastic population variances",
    "ROM": "log transformed ratio of means",
    "COR": "raw correlation coefficient",
    "ZCOR": "r-to-z transformed correlation coefficient",
    "PR": "raw proportion",
    "PLN": "log transformed proportion",
    "PLO": "logit transformed proportion",
    "PAS": "arcsine square-root transformed proportion",
    "PFT": "Freeman-Tukey double arcsine transformed proportion",
    "IR": "raw incidence rate",
    "IRLN": "log transformed incidence rate",
    "IRS": "square-root transformed incidence rate",
    "IRFT": "Freeman-Tukey transformed incidence rate",
    "MC": "raw mean change",
    "SMCC": "standardized mean change using change score standardization",
    "SMCR": "standardized mean change using raw score standardization",
    "ROMC": "log transformed ratio of means (dependent samples)",
    "SMCRH": "standardized mean change using raw score standardization, heteroscedastic variances",
    "CVRC": "log transformed coefficient of variation ratio (dependent samples)",
    "VRC": "log transformed variability ratio (dependent samples)",
    "VR": "log transformed variability ratio",
    "CVR": "log transformed coefficient of variation ratio",
    "MN": "raw mean",
    "MNLN": "log transformed mean",
    "CVLN": "log transformed coefficient of variation",
    "SDLN": "log transformed standard deviation",
    "SMN": "single-group standardized mean",
}

#: measures whose default ``add`` is 0 (metafor: no adjustment unless ``add`` is given).
ADD_ZERO = frozenset({"AS", "PAS", "PFT", "IRS", "IRFT", "IRSD"})
TO_VALUES = ("all", "only0", "if0all", "none")
#: vtype values each measure accepts (measures not listed ignore vtype, as in metafor).
VTYPES: dict[str, tuple[str, ...]] = {
    "RD": ("UB", "LS", "AV"),
    "PR": ("UB", "LS", "AV"),
    "PLN": ("LS", "AV"),
    "PLO": ("LS", "AV"),
    "MD": ("UB", "LS", "HO"),
    "SMD": ("UB", "LS", "LS2", "AV"),
    "SMDH": ("LS", "LS2"),
    "ROM": ("LS", "HO", "AV", "AVHO"),
    "COR": ("LS", "AV"),
    "SMCC": ("LS", "LS2"),
    "SMCR": ("LS", "LS2"),
}
