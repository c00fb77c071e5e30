"""Two-group continuous outcomes from means, SDs and sizes: MD, SMD (Hedges' g), SMDH, ROM, VR, CVR.

:func:`two_group_means` resolves the inputs (Cohen's d or t statistics for SMD, no means for VR),
computes the pooled SD, then the measure's ``yi``/``vi`` (one function per measure) and marks the
values that are missing because an input they depend on is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from ldn_atlas.stats.effect_sizes.corrections import hedges_correction
from ldn_atlas.stats.effect_sizes.family import FamilyOutput, FloatArray, Settings, na_mask, wmean
from ldn_atlas.stats.effect_sizes.inputs import check, require

#: the measures of this family.
CODES = frozenset({"MD", "SMD", "SMDH", "ROM", "VR", "CVR"})

_Pair = tuple[FloatArray, FloatArray]


class _Groups(NamedTuple):
    """Means, SDs and sizes of two groups, with ``ni = n1 + n2``, ``mi = ni - 2`` and the pooled SD."""

    m1: FloatArray
    m2: FloatArray
    s1: FloatArray
    s2: FloatArray
    n1: FloatArray
    n2: FloatArray
    ni: FloatArray
    mi: FloatArray
    sdp: FloatArray


def two_group_means(measure: str, a: dict[str, FloatArray], settings: Settings) -> FamilyOutput:
    """MD, SMD, SMDH, ROM, VR and CVR from ``m1i, m2i, sd1i, sd2i, n1i, n2i`` (SMD also from ``di``/``ti``)."""
    m1, m2, s1, s2, n1, n2 = _summaries(measure, a, settings.k)
    check((s1 < 0) | (s2 < 0), "escalc: one or more standard deviations (sd1i, sd2i) are negative")
    check((n1 <= 0) | (n2 <= 0), "escalc: one or more group sizes (n1i, n2i) are <= 0")
    ni = n1 + n2
    mi = ni - 2
    with np.errstate(divide="ignore", invalid="ignore"):
        sdp = np.sqrt(((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / mi)
        groups = _Groups(m1, m2, s1, s2, n1, n2, ni, mi, sdp)
        yi, vi = _MEASURES[measure](groups, settings.vt)
    yi_na, vi_na = _missing(measure, groups, settings.vt)
    return yi, vi, ni, yi_na, vi_na


def _summaries(measure: str, a: dict[str, FloatArray], k: int) -> tuple[FloatArray, ...]:
    """``m1, m2, s1, s2, n1, n2``: for SMD given as d (or t) the means are ``d, 0`` and the SDs 1."""
    if measure == "SMD" and ("di" in a or "ti" in a):
        require(measure, a, "n1i", "n2i")
        n1, n2 = a["n1i"], a["n2i"]
        d = a.get("di", np.full(k, np.nan)).copy()
        if "ti" in a:
            d = np.where(np.isnan(d), a["ti"] * np.sqrt(1 / n1 + 1 / n2), d)
        have = ~np.isnan(d)
        m1 = np.where(have, d, a.get("m1i", np.full(k, np.nan)))
        m2 = np.where(have, 0.0, a.get("m2i", np.full(k, np.nan)))
        s1 = np.where(have, 1.0, a.get("sd1i", np.full(k, np.nan)))
        s2 = np.where(have, 1.0, a.get("sd2i", np.full(k, np.nan)))
    elif measure == "VR":
        require(measure, a, "sd1i", "sd2i", "n1i", "n2i")
        s1, s2, n1, n2 = (a[n] for n in ("sd1i", "sd2i", "n1i", "n2i"))
        m1 = a.get("m1i", np.full(k, np.nan))
        m2 = a.get("m2i", np.full(k, np.nan))
    else:
        require(measure, a, "m1i", "m2i", "sd1i", "sd2i", "n1i", "n2i")
        m1, m2, s1, s2, n1, n2 = (a[n] for n in ("m1i", "m2i", "sd1i", "sd2i", "n1i", "n2i"))
    return m1, m2, s1, s2, n1, n2


def _md(g: _Groups, vt: NDArray[np.str_]) -> _Pair:
    m1, m2, s1, s2, n1, n2, _ni, _mi, sdp = g
    yi = m1 - m2
    vi = np.where(vt == "HO", sdp**2 * (1 / n1 + 1 / n2), s1**2 / n1 + s2**2 / n2)
    return yi, vi


def _smd(g: _Groups, vt: NDArray[np.str_]) -> _Pair:
    m1, m2, _s1, _s2, n1, n2, ni, mi, sdp = g
    d = (m1 - m2) / sdp
    cm = hedges_correction(mi)
    yi = cm * d
    mnw = wmean(yi, ni)
    vi = np.select(
        [vt == "UB", vt == "LS", vt == "AV", vt == "LS2"],
        [1 / n1 + 1 / n2 + (1 - (mi - 2) / (mi * cm**2)) * yi**2,
         1 / n1 + 1 / n2 + yi**2 / (2 * ni),
         1 / n1 + 1 / n2 + mnw**2 / (2 * ni),
         cm**2 * (1 / n1 + 1 / n2 + d**2 / (2 * ni))],
        np.nan,
    )
    return yi, vi


def _smdh(g: _Groups, vt: NDArray[np.str_]) -> _Pair:
    m1, m2, s1, s2, n1, n2, _ni, mi, _sdp = g
    cm = hedges_correction(mi)
    si = np.sqrt((s1**2 + s2**2) / 2)
    yi = cm * (m1 - m2) / si
    ls = cm**2 * (
        yi**2 * (s1**4 / (n1 - 1) + s2**4 / (n2 - 1)) / (2 * (s1**2 + s2**2) ** 2)
        + (s1**2 / (n1 - 1) + s2**2 / (n2 - 1)) / ((s1**2 + s2**2) / 2)
    )
    ls2 = (yi**2 * s1**2 / (2 * n1 * (s1**2 + s2**2) ** 2)
           + yi**2 * s2**2 / (2 * n2 * (s1**2 + s2**2) ** 2)
           + 2 * s1**2 / (n1 * (s1**2 + s2**2)) + 2 * s2**2 / (n2 * (s1**2 + s2**2)))
    vi = np.where(vt == "LS2", ls2, ls)
    return yi, vi


def _vr(g: _Groups, vt: NDArray[np.str_]) -> _Pair:
    _m1, _m2, s1, s2, n1, n2, _ni, _mi, _sdp = g
    yi = np.log(s1 / s2) + 1 / (2 * (n1 - 1)) - 1 / (2 * (n2 - 1))
    vi = 1 / (2 * (n1 - 1)) + 1 / (2 * (n2 - 1))
    return yi, vi


def _cvr(g: _Groups, vt: NDArray[np.str_]) -> _Pair:
    m1, m2, s1, s2, n1, n2, _ni, _mi, _sdp = g
    yi = np.log(s1 / m1) + 1 / (2 * (n1 - 1)) - np.log(s2 / m2) - 1 / (2 * (n2 - 1))
    vi = 1 / (2 * (n1 - 1)) + s1**2 / (n1 * m1**2) + 1 / (2 * (n2 - 1)) + s2**2 / (n2 * m2**2)
    return yi, vi


def _rom(g: _Groups, vt: NDArray[np.str_]) -> _Pair:
    m1, m2, s1, s2, n1, n2, ni, _mi, sdp = g
    yi = np.log(m1 / m2)
    cv1 = s1 / m1
    cv2 = s2 / m2
    mn1 = wmean(cv1, n1)
    mn2 = wmean(cv2, n2)
    ok = ~(np.isnan(n1) | np.isnan(n2) | np.isnan(cv1) | np.isnan(cv2))
    mnw = (float(np.sum(n1[ok] * cv1[ok]) + np.sum(n2[ok] * cv2[ok])) / float(np.sum(ni[ok]))
           if ok.any() else np.nan)
    vi = np.select(
        [vt == "LS", vt == "HO", vt == "AV", vt == "AVHO"],
        [s1**2 / (n1 * m1**2) + s2**2 / (n2 * m2**2),
         sdp**2 / (n1 * m1**2) + sdp**2 / (n2 * m2**2),
         mn1**2 / n1 + mn2**2 / n2,
         mnw**2 * (1 / n1 + 1 / n2)],
        np.nan,
    )
    return yi, vi


#: measure code -> its ``(yi, vi)`` from the two groups and the variance types.
_MEASURES: dict[str, Callable[[_Groups, NDArray[np.str_]], _Pair]] = {
    "MD": _md, "SMD": _smd, "SMDH": _smdh, "VR": _vr, "CVR": _cvr, "ROM": _rom,
}


def _missing(measure: str, g: _Groups, vt: NDArray[np.str_]) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Which ``yi`` and ``vi`` are missing because an input they depend on is."""
    m1, m2, s1, s2, n1, n2, _ni, mi, _sdp = g
    all_na = na_mask(m1, m2, s1, s2, n1, n2) | (mi <= 1)
    if measure == "MD":
        return na_mask(m1, m2), na_mask(s1, s2, n1, n2)
    if measure == "SMD":
        return all_na, np.where(vt == "AV", na_mask(n1, n2), all_na)
    if measure == "SMDH":
        return all_na, all_na
    if measure == "VR":
        return na_mask(s1, s2, n1, n2), na_mask(n1, n2)
    if measure == "CVR":
        na = na_mask(m1, m2, s1, s2, n1, n2)
        return na, na
    rom_vi = np.where((vt == "AV") | (vt == "AVHO"), na_mask(n1, n2), na_mask(m1, m2, s1, s2, n1, n2))
    return na_mask(m1, m2), rom_vi
