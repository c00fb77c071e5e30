"""Unit tests of ldn_atlas.stats.diagnostics: derivations, edge cases and bad input."""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pytest
from scipy import stats as sps

from ldn_atlas.errors import DataWarning
from ldn_atlas.stats.diagnostics import RankTestTiesWarning, fsn, ranktest

YI = np.array([0.10, 0.30, 0.35, 0.65, 0.45, 0.15, -0.05])
VI = np.array([0.04, 0.03, 0.05, 0.01, 0.02, 0.06, 0.08])


# --------------------------------------------------------------------------- fsn


def test_fsn_rosenthal_by_hand() -> None:
    z = YI / np.sqrt(VI)
    k = YI.size
    z_avg = abs(z.sum()) / math.sqrt(k)
    expected = math.ceil(k * (z_avg / sps.norm.ppf(0.95)) ** 2 - k)
    res = fsn(YI, VI)
    assert res.fsnum == expected
    assert res.pval == pytest.approx(sps.norm.sf(z_avg), rel=1e-12)
    # adding fsnum null studies (z = 0) makes the combined test non-significant; one fewer does not
    z_new = abs(z.sum()) / math.sqrt(k + res.fsnum)
    assert z_new <= sps.norm.ppf(0.95)
    assert abs(z.sum()) / math.sqrt(k + res.fsnum - 1) > sps.norm.ppf(0.95)


def test_fsn_orwin_brings_mean_to_target() -> None:
    res = fsn(YI, type="Orwin", target=0.1)
    assert res.meanes == pytest.approx(YI.mean())
    # k * mean / (k + N) <= target, and N - 1 is not enough
    assert YI.sum() / (YI.size + res.fsnum) <= 0.1
    assert YI.sum() / (YI.size + res.fsnum - 1) > 0.1
    assert math.isnan(res.pval)


def test_fsn_orwin_target_sign_follows_mean_and_zero_target_is_infinite() -> None:
    neg = fsn(-YI, type="Orwin", target=0.1)
    assert neg.target == pytest.approx(-0.1)
    assert neg.fsnum == fsn(YI, type="Orwin", target=0.1).fsnum
    assert fsn(YI, type="Orwin", target=0.0).fsnum == math.inf
    assert fsn(YI, type="Orwin").target == pytest.approx(YI.mean() / 2)


def test_fsn_rosenberg_makes_fixed_effect_test_non_significant() -> None:
    res = fsn(YI, VI, type="Rosenberg")
    w = 1 / VI
    # N studies with effect 0 and the average weight sum(w)/k
    wbar = w.sum() / YI.size
    z_n = (w * YI).sum() / math.sqrt(w.sum() + res.fsnum * wbar)
    z_n1 = (w * YI).sum() / math.sqrt(w.sum() + (res.fsnum - 1) * wbar)
    crit = sps.norm.isf(0.025)
    assert abs(z_n) <= crit < abs(z_n1)


def test_fsn_zero_when_not_significant() -> None:
    res = fsn([0.01, -0.02, 0.015], [1.0, 1.0, 1.0])
    assert res.fsnum == 0


def test_fsn_accepts_sei_and_drops_nan_with_warning() -> None:
    with pytest.warns(DataWarning, match="NAs omitted"):
        res = fsn(np.append(YI, np.nan), sei=np.append(np.sqrt(VI), 0.1))
    assert res.k == YI.size
    assert res.fsnum == fsn(YI, VI).fsnum


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"yi": YI, "vi": VI[:-1]}, "length"),
        ({"yi": YI, "vi": -VI}, "vi"),
        ({"yi": YI}, "vi"),
        ({"yi": YI, "vi": VI, "type": "Fisher"}, "type"),
        ({"yi": YI, "vi": VI, "alpha": 1.5}, "alpha"),
        ({"yi": [np.nan, np.nan], "vi": [1.0, 1.0]}, "no non-missing"),
    ],
)
def test_fsn_bad_input(kwargs: dict, match: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        with pytest.raises(ValueError, match=match):
            fsn(**kwargs)


def test_fsn_to_dict_is_plain() -> None:
    d = fsn(YI, VI).to_dict()
    assert d["meanes"] is None and d["target"] is None
    assert isinstance(d["fsnum"], int)


# --------------------------------------------------------------------------- ranktest


def _kendall_exact_p(x: np.ndarray, y: np.ndarray) -> float:
    """Two-sided exact p by enumerating all permutations (small k only)."""
    n = x.size

    def s_stat(yy: np.ndarray) -> int:
        return sum(
            int(np.sign(x[i] - x[j]) * np.sign(yy[i] - yy[j])) for i in range(n) for j in range(i + 1, n)
        )

    s_obs = abs(s_stat(y))
    perms = list(itertools.permutations(range(n)))
    hits = sum(abs(s_stat(y[list(p)])) >= s_obs for p in perms)
    return hits / len(perms)


def test_ranktest_exact_p_by_enumeration() -> None:
    res = ranktest(YI, VI)
    w = 1 / VI
    theta = (w * YI).sum() / w.sum()
    ystar = (YI - theta) / np.sqrt(VI - 1 / w.sum())
    assert res.exact
    assert res.tau == pytest.approx(sps.kendalltau(ystar, VI).statistic, rel=1e-12)
    assert res.pval == pytest.approx(_kendall_exact_p(ystar, VI), rel=1e-9)


def test_ranktest_ties_use_normal_approximation_with_warning() -> None:
    vi = VI.copy()
    vi[1] = vi[0]
    with pytest.warns(RankTestTiesWarning):
        res = ranktest(YI, vi)
    assert not res.exact
    # normal approximation with the tie-corrected variance of S, no continuity correction
    w = 1 / vi
    theta = (w * YI).sum() / w.sum()
    ystar = (YI - theta) / np.sqrt(vi - 1 / w.sum())
    n = YI.size
    s = sum(np.sign(ystar[i] - ystar[j]) * np.sign(vi[i] - vi[j]) for i in range(n) for j in range(i + 1, n))
    t = 2  # one pair of ties in vi
    var_s = (n * (n - 1) * (2 * n + 5) - t * (t - 1) * (2 * t + 5)) / 18
    assert res.pval == pytest.approx(2 * sps.norm.sf(abs(s) / math.sqrt(var_s)), rel=1e-12)


def test_ranktest_exact_false_uses_normal_approximation_quietly() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = ranktest(YI, VI, exact=False)
    assert not res.exact


def test_ranktest_k2_and_bad_input() -> None:
    res = ranktest([0.1, 0.5], [0.1, 0.2])
    assert abs(res.tau) == 1.0 and res.pval == 1.0
    with pytest.raises(ValueError, match="at least 2"):
        ranktest([0.1], [0.1])
    with pytest.raises(ValueError, match="length"):
        ranktest(YI, VI[:3])
    with pytest.raises(ValueError, match="vi"):
        ranktest(YI, np.zeros_like(VI))
