"""metafor's transformation functions in Python spelling (``transf.ilogit`` -> ``transf.ilogit``).

Every function has the signature ``f(x, targs=None, **kwargs)`` and works elementwise on
scalars and arrays (``NaN`` in, ``NaN`` out). Functions that need extra data (the sample
sizes of the Freeman-Tukey back-transformations) take them either from ``targs`` (metafor's
style, a mapping) or as a keyword::

    transf.ipft_hm(x, targs={"ni": ni})
    transf.ipft_hm(x, ni=ni)

**Calling convention for ``predict(transf=..., targs=...)``:** call ``transf(x)`` when
``targs`` is ``None``, else ``transf(x, targs=targs)``. Any plain one-argument function
(``numpy.exp``) then works too, and :func:`resolve` maps metafor's names (``"exp"``,
``"transf.ipft.hm"``) to these functions.

========================  =============================  ==========================================
function                  inverse of                     use
========================  =============================  ==========================================
:func:`exp`               log                            ``RR``, ``OR``, ``IRR``, ``PLN``, ``IRLN``...
:func:`ilogit`            :func:`logit`                  ``PLO``
:func:`iarcsin`           :func:`arcsin`                 ``PAS`` (clipped to [0, 1])
:func:`ipft`              :func:`pft`                    ``PFT``, per-study ``ni``
:func:`ipft_hm`           :func:`pft`                    ``PFT`` pooled: harmonic mean of ``ni``
:func:`ztor`              :func:`rtoz`                   ``ZCOR``
:func:`isqrt`             sqrt                           ``IRS`` (clipped at 0)
========================  =============================  ==========================================

References
----------
.. [1] Viechtbauer, W. (2010). Conducting meta-analyses in R with the metafor package.
   Journal of Statistical Software, 36(3), 1-48. (``help(transf)``, metafor 3.8-1.)
.. [2] Freeman, M. F., & Tukey, J. W. (1950). Transformations related to the angular and the
   square root. Annals of Mathematical Statistics, 21(4), 607-611.
.. [3] Miller, J. J. (1978). The inverse of the Freeman-Tukey double arcsine transformation.
   The American Statistician, 32(4), 138.
.. [4] Fisher, R. A. (1921). On the "probable error" of a coefficient of correlation deduced
   from a small sample. Metron, 1, 3-32.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

__all__ = [
    "arcsin",
    "exp",
    "iarcsin",
    "identity",
    "ilogit",
    "ipft",
    "ipft_hm",
    "isqrt",
    "log",
    "logit",
    "pft",
    "resolve",
    "rtoz",
    "ztor",
]

Transform = Callable[..., Any]


def _out(x: NDArray[np.float64], like: ArrayLike) -> Any:
    """Return a Python float for scalar input, an array otherwise."""
    if np.ndim(like) == 0:
        return float(x)
    return x


def _arr(x: ArrayLike) -> NDArray[np.float64]:
    return np.asarray(x, dtype=float)


def _ni(name: str, targs: Mapping[str, Any] | None, ni: ArrayLike | None) -> NDArray[np.float64]:
    if ni is None and targs is not None:
        # metafor also accepts the sizes themselves instead of a list
        ni = targs.get("ni") if isinstance(targs, Mapping) else targs
    if ni is None:
        raise ValueError(f"transf.{name}: give the sample sizes as targs={{'ni': ...}} or ni=...")
    arr = np.asarray(ni, dtype=float)
    if np.any(arr[~np.isnan(arr)] <= 0):
        raise ValueError(f"transf.{name}: sample sizes 'ni' must be positive")
    return arr


def identity(x: ArrayLike, targs: Mapping[str, Any] | None = None, **_: Any) -> Any:
    """No transformation."""
    return _out(_arr(x).copy(), x)


def exp(x: ArrayLike, targs: Mapping[str, Any] | None = None, **_: Any) -> Any:
    """``exp(x)``: back-transforms log risk/odds/rate ratios, ``PLN``, ``IRLN``, ``ROM``."""
    return _out(np.exp(_arr(x)), x)


def log(x: ArrayLike, targs: Mapping[str, Any] | None = None, **_: Any) -> Any:
    """``log(x)`` (forward counterpart of :func:`exp`)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return _out(np.log(_arr(x)), x)


def logit(x: ArrayLike, targs: Mapping[str, Any] | None = None, **_: Any) -> Any:
    """``log(x / (1 - x))`` (metafor ``transf.logit``)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return _out(special.logit(_arr(x)), x)


def ilogit(x: ArrayLike, targs: Mapping[str, Any] | None = None, **_: Any) -> Any:
    """Inverse logit ``1 / (1 + exp(-x))`` (metafor ``transf.ilogit``; back-transforms ``PLO``)."""
    return _out(special.expit(_arr(x)), x)


def rtoz(x: ArrayLike, targs: Mapping[str, Any] | None = None, **_: Any) -> Any:
    """Fisher's r-to-z, ``atanh(x)`` (metafor ``transf.rtoz``)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return _out(np.arctanh(_arr(x)), x)


def ztor(x: ArrayLike, targs: Mapping[str, Any] | None = None, **_: Any) -> Any:
    """Fisher's z-to-r, ``tanh(x)`` (metafor ``transf.ztor``; back-transforms ``ZCOR``)."""
    return _out(np.tanh(_arr(x)), x)


def arcsin(x: ArrayLike, targs: Mapping[str, Any] | None = None, **_: Any) -> Any:
    """Arcsine square-root ``asin(sqrt(x))`` (metafor ``transf.arcsin``)."""
    with np.errstate(invalid="ignore"):
        return _out(np.arcsin(np.sqrt(_arr(x))), x)


def iarcsin(x: ArrayLike, targs: Mapping[str, Any] | None = None, **_: Any) -> Any:
    """Inverse arcsine square-root ``sin(x)^2``, 0 below 0 and 1 above ``pi/2`` (``PAS``)."""
    a = _arr(x)
    z = np.sin(a) ** 2
    z = np.where(a < 0, 0.0, z)
    z = np.where(a > np.pi / 2, 1.0, z)
    return _out(z, x)


def isqrt(x: ArrayLike, targs: Mapping[str, Any] | None = None, **_: Any) -> Any:
    """``x^2`` with 0 for negative ``x`` (metafor ``transf.isqrt``; back-transforms ``IRS``)."""
    a = _arr(x)
    return _out(np.where(a < 0, 0.0, a * a), x)


def pft(x: ArrayLike, targs: Mapping[str, Any] | None = None, *, ni: ArrayLike | None = None,
        **_: Any) -> Any:
    """Freeman-Tukey double arcsine of a proportion ``x`` with sample size ``ni``.

    ``1/2 (asin(sqrt(x n / (n + 1))) + asin(sqrt((x n + 1) / (n + 1))))`` (metafor
    ``transf.pft``).
    """
    n = _ni("pft", targs, ni)
    xi = _arr(x) * n
    with np.errstate(invalid="ignore"):
        z = 0.5 * (np.arcsin(np.sqrt(xi / (n + 1))) + np.arcsin(np.sqrt((xi + 1) / (n + 1))))
    return _out(z, x if np.ndim(n) == 0 else n)


def _ipft_core(a: NDArray[np.float64], n: NDArray[np.float64] | float) -> NDArray[np.float64]:
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.sin(2 * a)
        inner = 1 - (s + (s - 1 / s) / n) ** 2
        z = 0.5 * (1 - np.sign(np.cos(2 * a)) * np.sqrt(inner))
        lo = 0.5 * (np.arcsin(np.sqrt(0.0 / (n + 1))) + np.arcsin(np.sqrt(1.0 / (n + 1))))
        hi = 0.5 * (np.arcsin(np.sqrt(n / (n + 1))) + np.arcsin(np.sqrt((n + 1) / (n + 1))))
    z = np.where(np.isnan(z), np.nan, z)
    z = np.where(a > hi, 1.0, z)
    z = np.where(a < lo, 0.0, z)
    return np.asarray(z, dtype=float)


def ipft(x: ArrayLike, targs: Mapping[str, Any] | None = None, *, ni: ArrayLike | None = None,
         **_: Any) -> Any:
    """Inverse Freeman-Tukey double arcsine for individual proportions (Miller 1978).

    ``ni`` (per study, same length as ``x``, or a scalar) via ``targs={"ni": ...}`` or
    ``ni=``. Values below the transform of 0 give 0, above the transform of 1 give 1
    (metafor ``transf.ipft``).
    """
    n = _ni("ipft", targs, ni)
    a = _arr(x)
    if n.ndim and a.ndim and n.shape != a.shape:
        raise ValueError(f"transf.ipft: 'ni' has shape {n.shape}, x has shape {a.shape}")
    return _out(_ipft_core(a, n), x if n.ndim == 0 else n)


def ipft_hm(x: ArrayLike, targs: Mapping[str, Any] | None = None, *, ni: ArrayLike | None = None,
            **_: Any) -> Any:
    """Inverse Freeman-Tukey double arcsine using the harmonic mean of ``ni`` (metafor ``transf.ipft.hm``).

    Back-transforms a pooled ``PFT`` estimate and its CI/PI bounds: the sample size in Miller's
    inverse is the harmonic mean ``1 / mean(1 / ni)`` of all studies' sizes (``NaN`` ignored).

    Examples
    --------
    >>> round(ipft_hm(0.3, targs={"ni": [10, 20, 40]}), 6) == round(ipft_hm(0.3, ni=[10, 20, 40]), 6)
    True
    """
    n = _ni("ipft_hm", targs, ni)
    n = np.atleast_1d(n)
    n = n[~np.isnan(n)]
    if n.size == 0:
        raise ValueError("transf.ipft_hm: no non-missing sample sizes 'ni'")
    nhm = 1.0 / float(np.mean(1.0 / n))
    return _out(_ipft_core(_arr(x), nhm), x)


#: metafor name -> function (what ``predict(transf=...)`` names in the oracle and in R code).
_METAFOR_NAMES: dict[str, Transform] = {
    "exp": exp,
    "log": log,
    "transf.exp": exp,
    "transf.logit": logit,
    "transf.ilogit": ilogit,
    "plogis": ilogit,
    "qlogis": logit,
    "transf.rtoz": rtoz,
    "transf.ztor": ztor,
    "tanh": ztor,
    "atanh": rtoz,
    "transf.arcsin": arcsin,
    "transf.iarcsin": iarcsin,
    "transf.pft": pft,
    "transf.ipft": ipft,
    "transf.ipft.hm": ipft_hm,
    "transf.isqrt": isqrt,
    "identity": identity,
}


def resolve(name: str | Transform | None) -> Transform | None:
    """A transformation from a metafor name (``"transf.ipft.hm"``), Python name (``"ipft_hm"``) or callable.

    Raises
    ------
    ValueError
        For an unknown name (the message lists the known ones).
    """
    if name is None or callable(name):
        return name
    key = str(name).strip()
    if key in _METAFOR_NAMES:
        return _METAFOR_NAMES[key]
    py = key.removeprefix("transf.").replace(".", "_")
    if py in __all__ and py != "resolve":
        fn: Transform = globals()[py]
        return fn
    known = sorted(set(_METAFOR_NAMES) | {n for n in __all__ if n != "resolve"})
    raise ValueError(f"transf: unknown transformation {name!r}; known: {', '.join(known)}")
