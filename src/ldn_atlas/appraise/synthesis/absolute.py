"""Absolute effects and clinical importance: an SMD back on an instrument's scale, the verdict against the
MCID (an instrument's, else a distribution-based one), and, for counts, events per 1000 with NNT or NNTH."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Literal

from ldn_atlas.appraise.mcid import McidEntry, McidRegistry, McidVerdict, classify_against_mcid
from ldn_atlas.appraise.synthesis.results import ContinuousEffect, StudyRow, num

#: The MCID on the synthesis scale, the registry entry it comes from, the absolute effect and the verdict.
McidResult = tuple[float | None, str | None, str, McidVerdict | None]


def mcid_for(
    registry: McidRegistry,
    names: str,
    ckey: str,
    better: str,
    measure: str,
    estimate: float | None,
    ci_lb: float | None,
    ci_ub: float | None,
    used: list[ContinuousEffect],
) -> McidResult:
    """The MCID on the synthesis scale, the absolute effect text and the MCID verdict."""
    if estimate is None or ci_lb is None or ci_ub is None:
        return None, None, "", None
    if measure == "SMD":
        return _smd_mcid(registry, names, ckey, better, (estimate, ci_lb, ci_ub), used)
    entries = [e for e in registry.find(names, ckey, level="minimal") if e.kind == "absolute"]
    if entries:
        e = entries[0]
        v = classify_against_mcid(estimate, ci_lb, ci_ub, e.threshold, better=better, unit=e.unit)  # type: ignore[arg-type]
        return (
            e.threshold,
            e.id,
            "",
            replace(
                v,
                text=f"{v.text} ({e.instrument}, {e.cite}, verification {e.verification}; derived in {e.population})",
                source=e.cite,
            ),
        )
    return None, None, "", None


def _smd_mcid(
    registry: McidRegistry,
    names: str,
    ckey: str,
    better: str,
    interval: tuple[float, float, float],
    used: list[ContinuousEffect],
) -> McidResult:
    """An SMD against the instrument's MCID in SD units (else a distribution-based MCID), and back on the
    instrument's scale: that of the largest trial with an SD in natural units."""
    estimate, ci_lb, ci_ub = interval
    ref = max((u for u in used if u.sd_pooled), key=lambda u: u.n or 0, default=None)
    entries = registry.find(names, ckey, level="minimal")
    entry = next((e for e in entries if e.kind in ("absolute", "percent")), None)
    absolute = ""
    if ref is not None and ref.sd_pooled:
        sd = ref.sd_pooled
        unit = ref.unit or "points"
        absolute = (
            f"about {num(estimate * sd)} {unit} (95% CI {num(ci_lb * sd)} to {num(ci_ub * sd)}) on "
            f"the scale of the largest trial (SD {sd:.2f})"
        )
    if entry is not None and ref is not None and ref.sd_pooled:
        return _instrument_mcid(entry, ref, better, interval, absolute)
    fb = next((e for e in registry.entries if e.kind == "sd"), None)
    if fb is not None:
        v = classify_against_mcid(estimate, ci_lb, ci_ub, fb.threshold, better=better, unit="SD")  # type: ignore[arg-type]
        return (
            fb.threshold,
            fb.id,
            absolute,
            replace(
                v,
                text=f"{v.text} (no instrument MCID recorded; distribution-based {fb.threshold:g} SD, "
                f"{fb.cite}, verification {fb.verification})",
                source=fb.cite,
            ),
        )
    return None, None, absolute, None


def _instrument_mcid(
    entry: McidEntry, ref: ContinuousEffect, better: str, interval: tuple[float, float, float], absolute: str
) -> McidResult:
    """The instrument's MCID (in points, or a percent of the baseline score) over the reference trial's SD."""
    estimate, ci_lb, ci_ub = interval
    assert ref.sd_pooled
    if entry.kind == "percent":
        base = ref.baseline
        if base is None:
            return (
                None,
                None,
                absolute,
                McidVerdict("no-mcid", f"{entry.instrument}: a percent MCID needs a baseline score, none recorded"),
            )
        mcid_pts = entry.threshold / 100 * base
        how = f"{entry.threshold:g}% of a baseline of {base:g} = {mcid_pts:.2f} points"
    else:
        mcid_pts = entry.threshold
        how = f"{entry.threshold:g} {entry.unit}"
    mcid_sd = mcid_pts / ref.sd_pooled
    v = classify_against_mcid(estimate, ci_lb, ci_ub, mcid_sd, better=better, unit="SD")  # type: ignore[arg-type]
    text = (
        f"{v.text} (MCID: {entry.level} important change on {entry.instrument}, {how}, i.e. "
        f"{mcid_sd:.2f} SD; {entry.cite}, verification {entry.verification}; a per-patient "
        "threshold used as the threshold of an important group difference)"
    )
    return mcid_sd, entry.id, absolute, replace(v, text=text, source=entry.cite)


def narrative_mcid(
    registry: McidRegistry, names: str, ckey: str, better: Literal["lower", "higher"], rows: Sequence[StudyRow]
) -> tuple[McidVerdict | None, float | None]:
    """A narrative synthesis: the first trial with a difference and CI against the instrument's MCID."""
    for row in rows:
        if row.yi is not None and row.ci_lb is not None and row.ci_ub is not None:
            e = registry.find(names, ckey, level="minimal", kinds=["absolute"])
            if e:
                verdict = classify_against_mcid(
                    row.yi, row.ci_lb, row.ci_ub, e[0].threshold, better=better, unit=e[0].unit, source=e[0].cite
                )
                verdict = replace(
                    verdict,
                    text=f"{row.label}: {verdict.text} "
                    f"({e[0].instrument}, {e[0].cite}, {e[0].verification}; derived in "
                    f"{e[0].population})",
                )
                return verdict, e[0].threshold
            break
    return None, None


def per_thousand(x: float) -> int:
    """A risk as events per 1000, clipped to 0..1000."""
    return round(min(1.0, max(0.0, x)) * 1000)


def absolute_binary(
    cr: float, rr: float, lo: float, hi: float, a: Sequence[int], n1: Sequence[int], c: Sequence[int], n2: Sequence[int]
) -> tuple[str, dict[str, Any] | None]:
    """Responders per 1000 on control and on LDN (the pooled RR applied to the control risk), with the NNT."""
    pk = per_thousand
    text = (
        f"{pk(cr)} per 1000 on control; {pk(cr * rr)} per 1000 on LDN "
        f"(95% CI {pk(cr * lo)} to {pk(cr * hi)}, from the pooled RR applied to the control risk)"
    )
    nnt = responder_nnt(a, n1, c, n2)
    text += f"; {nnt['text']} ({nnt['method']})"
    return text, nnt


def responder_nnt(ai: Sequence[int], n1: Sequence[int], ci: Sequence[int], n2: Sequence[int]) -> dict[str, Any]:
    """NNT (Altman 1998, two-part interval when the RD's CI spans 0) for a desirable outcome (response).

    One trial: from its counts (Newcombe's hybrid score interval for the RD).  Several: from the
    Mantel-Haenszel pooled risk difference.
    """
    from ldn_atlas.stats import rma_mh
    from ldn_atlas.stats.clinical import nnt_from_counts, nnt_from_fit

    if len(ai) == 1:
        res = nnt_from_counts(ai[0], n1[0], ci[0], n2[0], desirable=True, method="newcombe")
        how = "risk difference of the trial, Newcombe hybrid score interval"
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = rma_mh(measure="RD", ai=list(ai), n1i=list(n1), ci=list(ci), n2i=list(n2))
        res = nnt_from_fit(fit, desirable=True)
        how = "Mantel-Haenszel pooled risk difference"
    out = res.to_dict()
    out["method"] = how
    out["describe"] = res.describe()
    return out


def harm_nnt(ai: list[int], n1: list[int], ci: list[int], n2: list[int]) -> Any:
    """NNTH for an undesirable event: one trial's counts (Newcombe), else the Mantel-Haenszel pooled RD."""
    from ldn_atlas.stats import rma_mh
    from ldn_atlas.stats.clinical import nnt_from_counts, nnt_from_fit

    if len(ai) == 1:
        return nnt_from_counts(ai[0], n1[0], ci[0], n2[0], desirable=False, method="newcombe")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return nnt_from_fit(rma_mh(measure="RD", ai=ai, n1i=n1, ci=ci, n2i=n2), desirable=False)
