"""Number needed to treat (NNTB) or harm (NNTH) from a risk difference, from counts or from a fit (Altman 1998)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from ldn_atlas.stats.clinical.values import FloatArray, crit_value

if TYPE_CHECKING:  # pragma: no cover
    pass


def _fmt_n(x: float, digits: int) -> str:
    return "∞" if math.isinf(x) else f"{x:.{digits}f}"


@dataclass(frozen=True)
class NNTResult:
    """Number needed to treat with its confidence interval (Altman 1998).

    Attributes
    ----------
    rd, rd_ci_lb, rd_ci_ub : float
        Risk difference (experimental minus control) and its CI, as given.
    desirable : bool
        Whether the event is a good outcome (e.g. response) rather than a bad one.
    benefit, benefit_ci_lb, benefit_ci_ub : float
        The same on the benefit scale (``rd`` for a desirable event, ``-rd`` otherwise).
    direction : {"benefit", "harm", "none"}
        Which way the point estimate goes.
    nnt : float
        ``1 / |rd|`` (``inf`` when ``rd = 0``), labelled by :attr:`label`.
    label : {"NNTB", "NNTH", "NNT"}
    spans_zero : bool
        The RD's CI includes 0: the NNT interval passes through infinity.
    nntb_limit, nnth_limit : float or None
        The finite NNTB and NNTH ends of the interval (``None`` if that side is absent).
    nntb_upper, nnth_upper : float or None
        When the interval lies on one side only, its other end (may be ``inf``).
    level : float
    """

    rd: float
    rd_ci_lb: float
    rd_ci_ub: float
    desirable: bool
    benefit: float
    benefit_ci_lb: float
    benefit_ci_ub: float
    direction: str
    nnt: float
    label: str
    spans_zero: bool
    level: float

    @property
    def nntb_limit(self) -> float | None:
        """Smallest NNTB in the interval (from the largest benefit), ``None`` if no benefit is in it."""
        return 1 / self.benefit_ci_ub if self.benefit_ci_ub > 0 else None

    @property
    def nnth_limit(self) -> float | None:
        """Smallest NNTH in the interval (from the largest harm), ``None`` if no harm is in it."""
        return 1 / -self.benefit_ci_lb if self.benefit_ci_lb < 0 else None

    def interval_text(self, digits: int = 1) -> str:
        """The confidence interval in words, e.g. ``"NNTB 4.5 to ∞ to NNTH 21.9"``."""
        lb, ub = self.benefit_ci_lb, self.benefit_ci_ub
        if lb > 0:  # wholly benefit
            return f"NNTB {_fmt_n(1 / ub, digits)} to {_fmt_n(1 / lb, digits)}"
        if ub < 0:  # wholly harm
            return f"NNTH {_fmt_n(1 / -lb, digits)} to {_fmt_n(1 / -ub, digits)}"
        if ub > 0 and lb < 0:  # the two-part interval through infinity
            return f"NNTB {_fmt_n(1 / ub, digits)} to ∞ to NNTH {_fmt_n(1 / -lb, digits)}"
        if ub > 0:  # lb == 0
            return f"NNTB {_fmt_n(1 / ub, digits)} to ∞"
        if lb < 0:  # ub == 0
            return f"NNTH {_fmt_n(1 / -lb, digits)} to ∞"
        return "∞"  # the CI is [0, 0]

    def text(self, digits: int = 1) -> str:
        """E.g. ``"NNTB 10.0 (95% CI NNTB 5.2 to ∞ to NNTH 40.1)"``."""
        point = "∞ (no difference)" if math.isinf(self.nnt) else f"{self.label} {self.nnt:.{digits}f}"
        return f"{point} ({self.level:g}% CI {self.interval_text(digits)})"

    def describe(self, digits: int = 1) -> str:
        """A sentence for a reader."""
        if math.isinf(self.nnt):
            head = "No difference in risk between the groups"
        elif self.direction == "benefit":
            head = f"On average {self.nnt:.{digits}f} people need to be treated for one more to benefit"
        else:
            head = f"On average one more person is harmed for every {self.nnt:.{digits}f} treated"
        tail = (
            "; the confidence interval includes no effect, so benefit and harm are both compatible "
            "with the data" if self.spans_zero else ""
        )
        return f"{head} ({self.level:g}% CI {self.interval_text(digits)}){tail}."

    def __str__(self) -> str:
        return self.text()

    def to_dict(self) -> dict[str, Any]:
        def f(x: float | None) -> Any:
            if x is None:
                return None
            return "inf" if math.isinf(x) else x

        return {
            "rd": self.rd, "rd_ci_lb": self.rd_ci_lb, "rd_ci_ub": self.rd_ci_ub, "desirable": self.desirable,
            "direction": self.direction, "label": self.label, "nnt": f(self.nnt),
            "spans_zero": self.spans_zero, "nntb_limit": f(self.nntb_limit), "nnth_limit": f(self.nnth_limit),
            "level": self.level, "text": self.text(),
        }


def nnt(rd: float, ci_lb: float, ci_ub: float, *, desirable: bool = False, level: float = 95.0) -> NNTResult:
    """Number needed to treat from a risk difference and its confidence interval (Altman 1998).

    ``rd`` is the risk of the event in the experimental group minus that in the control group.
    For an undesirable event (death, relapse, an adverse event; ``desirable=False``) a negative
    ``rd`` is a benefit; for a desirable one (response, remission) a positive ``rd`` is.

    The NNT is ``1 / |rd|``, called NNTB (benefit) or NNTH (harm). Its confidence limits are the
    reciprocals of the RD's limits. If the RD's interval contains 0, the NNT's interval contains
    infinity and consists of two parts, written "NNTB a to ∞ to NNTH b" (``a = 1 / largest
    benefit``, ``b = 1 / largest harm``).

    Parameters
    ----------
    rd, ci_lb, ci_ub : float
        Risk difference (a proportion, not percent) and its confidence limits.
    desirable : bool
        Whether the event is a good outcome.
    level : float
        Confidence level of the given interval, in percent (for the text).

    Returns
    -------
    NNTResult

    Raises
    ------
    ValueError
        Non-finite values, values outside [-1, 1], or ``ci_lb <= rd <= ci_ub`` violated.

    References
    ----------
    .. [1] Altman, D. G. (1998). Confidence intervals for the number needed to treat. BMJ,
       317(7168), 1309-1312.

    Examples
    --------
    >>> print(nnt(-0.10, -0.20, 0.05))
    NNTB 10.0 (95% CI NNTB 5.0 to ∞ to NNTH 20.0)
    """
    vals = {"rd": rd, "ci_lb": ci_lb, "ci_ub": ci_ub}
    for name, v in vals.items():
        try:
            fv = float(v)
        except (TypeError, ValueError):
            raise ValueError(f"nnt: '{name}' must be a number, got {v!r}") from None
        if not math.isfinite(fv) or abs(fv) > 1:
            raise ValueError(f"nnt: '{name}' must be a risk difference in [-1, 1], got {v!r}")
    rd, ci_lb, ci_ub = float(rd), float(ci_lb), float(ci_ub)
    if not ci_lb <= rd <= ci_ub:
        raise ValueError(f"nnt: need ci_lb <= rd <= ci_ub, got {ci_lb} <= {rd} <= {ci_ub}")
    if not 0 < level < 100:
        raise ValueError(f"nnt: level must be between 0 and 100 (percent), got {level!r}")
    sign = 1.0 if desirable else -1.0
    b = sign * rd
    blo, bhi = sorted((sign * ci_lb, sign * ci_ub))
    if b > 0:
        direction, label = "benefit", "NNTB"
    elif b < 0:
        direction, label = "harm", "NNTH"
    else:
        direction, label = "none", "NNT"
    value = math.inf if b == 0 else 1 / abs(b)
    return NNTResult(
        rd=rd, rd_ci_lb=ci_lb, rd_ci_ub=ci_ub, desirable=bool(desirable), benefit=b + 0.0,
        benefit_ci_lb=blo + 0.0, benefit_ci_ub=bhi + 0.0, direction=direction, nnt=value, label=label,
        spans_zero=blo < 0 < bhi, level=float(level),
    )


def _wilson(x: FloatArray, n: FloatArray, z: float) -> tuple[FloatArray, FloatArray]:
    p = x / n
    denom = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    return centre - half, centre + half


def nnt_from_counts(
    ai: float,
    n1i: float,
    ci: float,
    n2i: float,
    *,
    desirable: bool = False,
    level: float = 95.0,
    method: Literal["wald", "newcombe"] = "wald",
) -> NNTResult:
    """NNT from event counts in two groups (experimental ``ai / n1i``, control ``ci / n2i``).

    The risk difference's CI is the Wald interval (``method="wald"``, the variance metafor's
    ``escalc("RD")`` uses) or Newcombe's hybrid score interval (``"newcombe"``, method 10 of
    Newcombe 1998, which behaves better with few events).

    References
    ----------
    .. [1] Altman, D. G. (1998). BMJ, 317(7168), 1309-1312.
    .. [2] Newcombe, R. G. (1998). Statistics in Medicine, 17(8), 873-890.
    """
    x1, m1, x2, m2 = (float(v) for v in (ai, n1i, ci, n2i))
    if min(m1, m2) <= 0 or min(x1, x2) < 0 or x1 > m1 or x2 > m2:
        raise ValueError(f"nnt_from_counts: need 0 <= ai <= n1i and 0 <= ci <= n2i with n > 0, got "
                         f"ai={ai}, n1i={n1i}, ci={ci}, n2i={n2i}")
    z = crit_value(level)
    p1, p2 = x1 / m1, x2 / m2
    rd = p1 - p2
    if method == "wald":
        se = math.sqrt(p1 * (1 - p1) / m1 + p2 * (1 - p2) / m2)
        lb, ub = rd - z * se, rd + z * se
    elif method == "newcombe":
        l1, u1 = (float(v) for v in _wilson(np.array(x1), np.array(m1), z))
        l2, u2 = (float(v) for v in _wilson(np.array(x2), np.array(m2), z))
        lb = rd - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
        ub = rd + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    else:
        raise ValueError(f"nnt_from_counts: method must be 'wald' or 'newcombe', got {method!r}")
    return nnt(rd, max(lb, -1.0), min(ub, 1.0), desirable=desirable, level=level)


def nnt_from_fit(fit: Any, *, desirable: bool = False) -> NNTResult:
    """NNT from a pooled risk difference (an ``rma_mh(measure="RD")`` or ``rma`` fit of RD values).

    Uses ``fit.b``, ``fit.ci_lb``, ``fit.ci_ub`` (and ``fit.level`` when present). A fit whose
    ``measure`` attribute is not ``"RD"`` is refused: an NNT needs an absolute difference.
    """
    measure = getattr(fit, "measure", "RD")
    if measure not in ("RD", None):
        raise ValueError(f"nnt_from_fit: the fit's measure is {measure!r}; an NNT needs a risk difference (RD)")
    try:
        b, lb, ub = (float(np.asarray(getattr(fit, n)).reshape(-1)[0]) for n in ("b", "ci_lb", "ci_ub"))
    except AttributeError as exc:
        raise ValueError(f"nnt_from_fit: the fit lacks {exc.name!r}") from None
    return nnt(b, lb, ub, desirable=desirable, level=float(getattr(fit, "level", 95.0)))
