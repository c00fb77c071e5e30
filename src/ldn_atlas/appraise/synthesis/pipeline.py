"""The syntheses of a whole evidence base: group it by condition x outcome, run each kind of synthesis
(comparative, responders, uncontrolled, single-arm proportions, adverse events per arm), and recompute
them when a reviewer records an override."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from ldn_atlas.appraise.mcid import McidRegistry, load_mcid_registry
from ldn_atlas.appraise.synthesis.adverse import adverse_comparative
from ldn_atlas.appraise.synthesis.comparative import comparative
from ldn_atlas.appraise.synthesis.crossover import R_BASE, R_SWEEP
from ldn_atlas.appraise.synthesis.overrides import StoreOverrides, check_override
from ldn_atlas.appraise.synthesis.proportions import proportions
from ldn_atlas.appraise.synthesis.responders import responders
from ldn_atlas.appraise.synthesis.results import Exclusion, Synthesis, SynthesisReport
from ldn_atlas.appraise.synthesis.reviews import compare_reviews
from ldn_atlas.appraise.synthesis.selection import Item, group_by_condition_outcome, has_controlled
from ldn_atlas.appraise.synthesis.uncontrolled import uncontrolled
from ldn_atlas.model.evidence import Appraisal, Override, Study


def synthesise(
    studies: Sequence[Study] | None = None,
    *,
    registry: McidRegistry | None = None,
    overrides: Mapping[str, Mapping[str, Override]] | Any | None = None,
    r: float = R_BASE,
    r_sweep: Sequence[float] = R_SWEEP,
) -> SynthesisReport:
    """Synthesise every condition x outcome of an evidence base.

    Parameters
    ----------
    studies : sequence of Study, optional
        The evidence base (default: the embedded one, via
        :func:`ldn_atlas.store.evidence_files.load_evidence`).
    registry : McidRegistry, optional
        MCIDs (default: the package registry).
    overrides : mapping or store, optional
        Reviewer overrides per appraisal id (``"<synthesis id>:<outcome>"`` or the synthesis id), each a
        mapping from a GRADE domain (or ``certainty``) to an :class:`~ldn_atlas.model.Override`; or a store
        (anything with ``list_overrides(appraisal_id)``, e.g. :class:`ldn_atlas.store.Store`), whose newest
        override per domain is applied.
    r : float
        Base-case within-person correlation for crossover trials.
    r_sweep : sequence of float
        Correlations of the sensitivity analysis.

    Returns
    -------
    SynthesisReport
        Syntheses (comparative continuous, responder and single-arm proportion), each with
        its GRADE appraisal and summary-of-findings row.
    """
    if studies is None:
        from ldn_atlas.store.evidence_files import load_evidence

        studies = load_evidence()
    registry = registry or load_mcid_registry()
    if overrides is not None and hasattr(overrides, "list_overrides"):
        overrides = StoreOverrides(overrides)
    overrides = overrides or {}
    out: list[Synthesis] = []
    excluded_all: list[Exclusion] = []
    groups, meta = group_by_condition_outcome(studies)
    for key in sorted(groups):
        items = groups[key]
        clabel, ccode, dlabel = meta[key]
        # reviews are set beside a synthesis, never one of its rows: they retell the studies it already holds
        primary = [item for item in items if "systematic-review" not in item[0].design]
        if not primary:
            continue
        if not has_controlled(primary):
            out.append(_with_reviews(uncontrolled(key, clabel, ccode, dlabel, primary, overrides), items))
            continue
        syn = comparative(key, clabel, ccode, dlabel, items, registry, overrides, r, r_sweep)
        if syn is not None:
            out.append(_with_reviews(syn, items))
        out.extend(responders(key, clabel, ccode, dlabel, items, overrides))
    out.extend(proportions(studies, overrides, excluded_all))
    out.extend(adverse_comparative(studies, overrides))
    return SynthesisReport(
        syntheses=tuple(out), excluded_studies=tuple(excluded_all), assumptions=_assumptions(r, r_sweep)
    )


def _with_reviews(syn: Synthesis, items: Sequence[Item]) -> Synthesis:
    """The synthesis with the published reviews of its condition x outcome set beside it."""
    reviews = [(s, o) for s, _i, o in items if "systematic-review" in s.design]
    return replace(syn, reviews=compare_reviews(syn, reviews)) if reviews else syn


def _assumptions(r: float, r_sweep: Sequence[float]) -> tuple[str, ...]:
    """The assumptions every synthesis of the report shares, as the report states them."""
    return (
        f"Crossover trials: within-person correlation r = {r:g} in the base case; sensitivity over "
        f"{', '.join(f'{x:g}' for x in r_sweep)}.",
        "Dispersions given as 95% CIs are converted to SDs with t quantiles on n - 1 df.",
        "SMDs are Hedges' g, LDN minus control, oriented so that the sign matches the outcome's direction of benefit.",
        "Pooling: REML tau², Knapp-Hartung CI and 95% prediction interval (t on k - 1 df).",
    )


def record_override(store: Any, synthesis_id: str, target: str, value: str, *, by: str, reason: str) -> Appraisal:
    """Validate and store a reviewer's override of one GRADE judgement, then recompute the synthesis.

    Parameters
    ----------
    store
        A store with ``add_override`` and ``list_overrides`` (:class:`ldn_atlas.store.Store`).
    synthesis_id
        Id of a synthesis of the store's studies, e.g. ``fibromyalgia:pain``.
    target
        A GRADE domain (``risk-of-bias``, ``inconsistency``, ``indirectness``, ``imprecision``,
        ``publication-bias``, ``large-effect``) or ``certainty``.
    value
        The change in levels for a domain (``-2`` to ``2``) or a certainty for ``certainty``.
    by, reason
        Who and why (the store adds when).

    Returns
    -------
    Appraisal
        The synthesis' appraisal with the override in force.

    Raises
    ------
    InputError
        An unknown target or a value out of range (nothing is stored).
    KeyError
        No synthesis with that id.
    """
    studies = list(store.iter_studies())
    report = synthesise(studies, overrides=store)
    syn = report.get(synthesis_id)
    check_override(target, value, by=by, reason=reason)
    store.add_override(syn.id, target, str(value).strip().lower(), by=by, reason=reason)
    updated = synthesise(studies, overrides=store).get(synthesis_id).appraisal
    assert updated is not None
    return updated
