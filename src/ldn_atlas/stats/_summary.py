"""Text of a fitted model laid out like metafor's ``print.rma.uni`` (metafor 3.8).

:func:`format_rma` reads a single fit through :class:`SummarisedFit`, the fields it needs, rather
than importing :class:`~ldn_atlas.stats.results.RMAResult`: the result's ``summary()`` calls this
module, and an import back would close a circle.
"""

from __future__ import annotations

import math
from typing import Any, Protocol

import numpy as np


class SummarisedFit(Protocol):
    """The fields of a single fitted model that its summary shows (an ``RMAResult``)."""

    @property
    def method(self) -> str: ...
    @property
    def test(self) -> str: ...
    @property
    def p(self) -> int: ...
    @property
    def k(self) -> Any: ...
    @property
    def tau2(self) -> Any: ...
    @property
    def se_tau2(self) -> Any: ...
    @property
    def i2(self) -> Any: ...
    @property
    def h2(self) -> Any: ...
    @property
    def r2(self) -> Any: ...
    @property
    def qe(self) -> Any: ...
    @property
    def qep(self) -> Any: ...
    @property
    def qm(self) -> Any: ...
    @property
    def qmp(self) -> Any: ...
    @property
    def qm_df(self) -> Any: ...
    @property
    def b(self) -> Any: ...
    @property
    def se(self) -> Any: ...
    @property
    def zval(self) -> Any: ...
    @property
    def pval(self) -> Any: ...
    @property
    def ci_lb(self) -> Any: ...
    @property
    def ci_ub(self) -> Any: ...
    @property
    def dfs(self) -> Any: ...
    @property
    def coef_names(self) -> tuple[str, ...]: ...


_MODEL_NAMES = {"EE": "Equal-Effects", "FE": "Fixed-Effects"}


def fmt_p(p: float, digits: int, *, equals: bool = False) -> str:
    """metafor's ``.pval``: ``<.0001`` below ``10^-digits``, else ``p`` with ``digits`` decimals."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "NA"
    floor = 10.0 ** (-digits)
    if p < floor:
        return ("< ." if equals else "<.") + "0" * (digits - 1) + "1"
    text = f"{p:.{digits}f}"
    return ("= " + text) if equals else text


def _f(x: float, digits: int) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "NA"
    return f"{x:.{digits}f}"


def _stars(p: float) -> str:
    if p is None or math.isnan(p):
        return ""
    for cut, mark in ((0.001, "***"), (0.01, "**"), (0.05, "*"), (0.1, ".")):
        if p < cut:
            return mark
    return ""


def format_rma(fit: SummarisedFit, digits: int = 4) -> str:
    """The summary text of a single fit."""
    d = digits
    lines: list[str] = [""]
    lines += _heading(fit)
    lines.append("")
    lines += _heterogeneity(fit, d)
    lines.append("")
    lines += _tests(fit, d)
    lines.append("Model Results:")
    lines.append("")
    lines += _coefficient_table(fit, d)
    lines.append("")
    lines.append("---")
    lines.append("Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1")
    lines.append("")
    return "\n".join(lines)


def _heading(fit: SummarisedFit) -> list[str]:
    """The model's kind, k and the tau^2 estimator."""
    ee = fit.method in ("EE", "FE")
    int_only = fit.p == 1
    if ee:
        title = _MODEL_NAMES[fit.method] + " Model" if int_only else "Fixed-Effects with Moderators Model"
        return [f"{title} (k = {fit.k})"]
    kind = "Random-Effects" if int_only else "Mixed-Effects"
    return [f"{kind} Model (k = {fit.k}; tau^2 estimator: {fit.method})"]


def _heterogeneity(fit: SummarisedFit, d: int) -> list[str]:
    """tau^2 and tau (random-effects models), I^2, H^2 and (meta-regressions) R^2."""
    lines: list[str] = []
    ee = fit.method in ("EE", "FE")
    int_only = fit.p == 1
    eps10 = 10 * np.finfo(float).eps
    if not ee:
        t2 = fit.tau2
        t2_text = "0" if abs(t2) <= eps10 else _f(t2, d)
        tau_text = "0" if t2 <= eps10 else _f(math.sqrt(t2), d)
        se_text = "" if fit.se_tau2 is None or math.isnan(fit.se_tau2) else f" (SE = {_f(fit.se_tau2, d)})"
        if int_only:
            lines.append("tau^2 (estimated amount of total heterogeneity): " + t2_text + se_text)
            lines.append("tau (square root of estimated tau^2 value):      " + tau_text)
        else:
            lines.append("tau^2 (estimated amount of residual heterogeneity):     " + t2_text + se_text)
            lines.append("tau (square root of estimated tau^2 value):             " + tau_text)
    if int_only:
        lines.append(f"I^2 (total heterogeneity / total variability):   {fit.i2:.2f}%")
        lines.append(f"H^2 (total variability / sampling variability):  {fit.h2:.2f}")
    else:
        lines.append(f"I^2 (residual heterogeneity / unaccounted variability): {fit.i2:.2f}%")
        lines.append(f"H^2 (unaccounted variability / sampling variability):   {fit.h2:.2f}")
        if fit.r2 is not None and not math.isnan(fit.r2):
            lines.append(f"R^2 (amount of heterogeneity accounted for):            {fit.r2:.2f}%")
    return lines


def _tests(fit: SummarisedFit, d: int) -> list[str]:
    """The test for (residual) heterogeneity and, for meta-regressions, the test of the moderators."""
    lines: list[str] = []
    int_only = fit.p == 1
    df = fit.k - fit.p
    if int_only:
        lines.append("Test for Heterogeneity:")
        lines.append(f"Q(df = {df}) = {_f(fit.qe, d)}, p-val {fmt_p(fit.qep, d, equals=True)}")
    else:
        lines.append("Test for Residual Heterogeneity:")
        lines.append(f"QE(df = {df}) = {_f(fit.qe, d)}, p-val {fmt_p(fit.qep, d, equals=True)}")
    lines.append("")
    t_test = fit.test in ("knha", "t")
    if not int_only:
        coefs = f"coefficients 2:{fit.p}" if fit.p > 2 else "coefficient 2"
        lines.append(f"Test of Moderators ({coefs}):")
        if t_test:
            lines.append(f"F(df1 = {fit.qm_df[0]}, df2 = {fit.qm_df[1]}) = {_f(fit.qm, d)}, "
                         f"p-val {fmt_p(fit.qmp, d, equals=True)}")
        else:
            lines.append(f"QM(df = {fit.qm_df[0]}) = {_f(fit.qm, d)}, p-val {fmt_p(fit.qmp, d, equals=True)}")
        lines.append("")
    return lines


def _coefficient_table(fit: SummarisedFit, d: int) -> list[str]:
    """The table of coefficients: estimate, se, z (or t and df), p, CI, significance stars."""
    lines: list[str] = []
    int_only = fit.p == 1
    t_test = fit.test in ("knha", "t")
    b = np.atleast_1d(fit.b)
    cols = [("estimate", [_f(x, d) for x in b]),
            ("se", [_f(x, d) for x in np.atleast_1d(fit.se)]),
            ("tval" if t_test else "zval", [_f(x, d) for x in np.atleast_1d(fit.zval)])]
    if t_test:
        cols.append(("df", [str(fit.dfs)] * b.size))
    cols += [("pval", [fmt_p(float(x), d) for x in np.atleast_1d(fit.pval)]),
             ("ci.lb", [_f(x, d) for x in np.atleast_1d(fit.ci_lb)]),
             ("ci.ub", [_f(x, d) for x in np.atleast_1d(fit.ci_ub)])]
    names = list(fit.coef_names) if not int_only else [""]
    name_w = max(len(n) for n in names)
    widths = [max(len(h), *(len(v) for v in vals)) for h, vals in cols]
    header = " " * name_w + ("  " if name_w else "") + "  ".join(
        f"{h:>{w}}" for (h, _), w in zip(cols, widths, strict=True))
    lines.append(header.rstrip() if int_only else header)
    stars = [_stars(float(x)) for x in np.atleast_1d(fit.pval)]
    for i in range(b.size):
        cells = "  ".join(f"{vals[i]:>{w}}" for (_, vals), w in zip(cols, widths, strict=True))
        prefix = f"{names[i]:<{name_w}}  " if name_w else ""
        lines.append(f"{prefix}{cells}  {stars[i]}".rstrip())
    return lines
