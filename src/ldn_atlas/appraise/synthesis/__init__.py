"""Syntheses of the evidence base: one per condition x outcome, pooled where the rules allow.

Rules (issue 5):

* only human studies with a primary record are used (records of a study as an article
  describes it, ``primary_source`` set, are represented by their primary study);
* a comparative synthesis pools randomized controlled trials only; non-randomized and
  single-arm studies are listed as excluded with the reason;
* numbers marked ``unverified`` are never pooled; ``secondary`` numbers are pooled and
  flagged;
* continuous outcomes are pooled as standardized mean differences (Hedges' g) so that
  parallel and crossover trials, and different instruments, share one scale; a crossover
  trial's SMD uses the within-condition SD and an assumed within-person correlation ``r``
  (base case 0.5), with a sensitivity sweep over ``r``;
* a dispersion recorded as a 95% confidence interval is turned into an SD with
  ``SD = sqrt(n) * (upper - lower) / (2 t_{0.975, n-1})`` and the assumption recorded;
* responder outcomes (at least X% improvement) are pooled as risk ratios when two or more
  trials share the threshold, with NNT from the pooled risk difference;
* single-arm adverse-event proportions are pooled as logit proportions (PLO);
* defaults: REML, Knapp-Hartung, 95% prediction interval;
* a condition x outcome with controlled studies but fewer than two poolable ones is a
  single-study or narrative synthesis, and its summary-of-findings row says so.

References
----------
.. [1] Higgins JPT et al. (eds). Cochrane Handbook for Systematic Reviews of Interventions,
   v6.3, 2022: 6.5.2.3 (SDs from confidence intervals), 6.3.2 (SEs from p-values),
   23.2.7 (crossover trials in meta-analysis).
.. [2] Elbourne DR et al. Meta-analyses involving cross-over trials: methodological issues.
   Int J Epidemiol 2002;31:140-9.
.. [3] Hartung J, Knapp G. On tests of the overall treatment effect in meta-analysis with
   normally distributed responses. Stat Med 2001;20:1771-82.
.. [4] Riley RD, Higgins JPT, Deeks JJ. Interpretation of random effects meta-analyses.
   BMJ 2011;342:d549 (prediction intervals).

Where things live
-----------------
:mod:`.pipeline` runs every kind of synthesis over an evidence base; :mod:`.selection` chooses and groups
the studies; :mod:`.comparative` is one comparative synthesis stage by stage: the trial rows
(:mod:`.trials`), their effects by design (:mod:`.effects`, :mod:`.parallel`, :mod:`.crossover`), the
pooling (:mod:`.pooling`, :mod:`.fit`) and the absolute effects and MCIDs (:mod:`.absolute`).
:mod:`.responders`, :mod:`.uncontrolled`, :mod:`.proportions` and :mod:`.adverse` are the other kinds;
:mod:`.ratios` holds the risk ratios they share, :mod:`.reading` and :mod:`.describe` how a study's
numbers are read and worded, :mod:`.overrides` the reviewer overrides, :mod:`.results` the result types.
"""

from ldn_atlas.appraise.synthesis.crossover import R_BASE, R_SWEEP
from ldn_atlas.appraise.synthesis.pipeline import record_override, synthesise
from ldn_atlas.appraise.synthesis.results import (
    Exclusion,
    SensitivityRow,
    SofRow,
    StudyRow,
    Synthesis,
    SynthesisKind,
    SynthesisReport,
)

__all__ = [
    "R_BASE",
    "R_SWEEP",
    "Exclusion",
    "SensitivityRow",
    "SofRow",
    "StudyRow",
    "Synthesis",
    "SynthesisKind",
    "SynthesisReport",
    "record_override",
    "synthesise",
]
