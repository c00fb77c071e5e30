"""The claim audit: split an article into claims and weigh each against the evidence base.

Pipeline, one pure function of a :class:`~ldn_atlas.model.Source` and the evidence base:

1. **Claims.**  The body text (before a references / "about the author" section) is split
   into sentences; every sentence of prose is a claim.  Its ``kind`` (classification,
   mechanism, safety, efficacy, background) and ``strength`` (hedged, neutral, strong,
   proof) come from its wording.
2. **Links.**  A claim is linked to the studies the article describes where it says so:
   records of this source in the evidence base (matched by the text's SHA-256) whose
   provenance spans fall in the sentence; a sentence without such a span inherits the
   studies of the previous sentence of its paragraph.  Each described study is resolved
   to its primary record (``primary_source``).  Sources the base does not know are linked
   by condition, species, design and numbers against the primary records directly.
3. **Checks.**  Each claim is checked for
   * a condition placed in the wrong category (vocabulary and ICD-10-CM chapter);
   * language stronger than the linked design allows ("proved" from an uncontrolled or
     animal study; "considerable" for a modest trial effect; "total remission" or a causal
     claim from case reports with co-interventions or surgery);
   * mechanism from animal or in-vitro work presented as human evidence;
   * numbers that differ from the primary record, and facts no primary record confirms (a
     result whose figures the linked records do not contain is not-checkable);
   * the direction of a trial result on the outcome the claim names (a null result stated as
     null is supported; an unqualified effect against a null trial is contradicted, a hedged
     one unsupported; an unqualified effect where the linked trials disagree is overstated);
   * what a systematic review concluded, when the claim cites one;
   * an "improved or stable" category reported as improvement (unsupported);
   * for sources the base does not know: general claims about LDN in a condition ("LDN reduces
     pain in X", "LDN cures X", "works in most patients") against the condition's designs and the
     GRADE certainty of its syntheses (sweeping words, or an unhedged claim with low/very-low
     certainty or no randomized trial, are overstated); general safety claims against the harms
     the records report; mechanisms stated as established in patients with no human record
     (overstated); claims about which designs a condition's evidence consists of; a percentage
     the record gives for another outcome than the one the claim names (contradicted); a null
     randomized result on the outcome named (contradicted before wording is weighed); randomized
     results with fewer than 20 analysed (supported-weak);
   * where source text is available (a linked study whose Source has text, e.g. a PubMed abstract
     read up to its conclusion; or, when the audited document is itself a trial abstract, its
     results for the claims of its conclusion): the direction of an efficacy claim against
     evidence inference (``ldn_atlas.extract.inference.infer_effect``) on that text, with the
     outcome's polarity (lower-is-better domains of :mod:`ldn_atlas.appraise.synthesis`).  A claim
     of effect the text reports as null is contradicted (hedged: unsupported), opposite directions
     are contradicted, agreement supports (weakly below confidence 0.75, or when the evidence sentence does not
     name the outcome, is a methods sentence or compares groups at baseline); the evidence sentence and
     its offsets are given in the reasons.  Without source text nothing changes.
   Sentences of such sources are linked by their own condition, else their heading's, else the
   article's main topic; a year, result figures, doses and durations pick the study among the
   candidates, and a back-reference ("in that trial") keeps the previous sentence's study.
4. **Verdict** (DESIGN.md's list) with reasons a person can read.

The rules read the claim's wording, the linked records' design tags, verification levels
and numbers; nothing is keyed to a particular article.

Where things live
-----------------
* ``claims.py``: sentences of the body, and each claim's kind, strength and numbers;
  ``wording.py``: the patterns of wording several stages read;
* ``linking.py``: claim -> the article's records, their primary records, or studies matched by content;
* ``facts.py``, ``outcomes.py``, ``numbers.py``: the numbers and outcomes of the linked records, and a
  claim's numbers checked against them; ``certainty.py``: the GRADE certainty of a condition's syntheses;
* ``rules/``: the checks, one module per family, each rule with a stable code (``AUD101``), its
  documentation and examples; ``rules/registry.py`` lists them all (``docs/audit-rules.md``);
* ``verdict.py``: the order of precedence of the checks; the first that fires decides the verdict;
* ``revisions.py``: the notes and revisions applied after the verdict, in order;
* ``pipeline.py``: :func:`audit_source` and :func:`audit_file`, the stages in order;
  ``result.py``: what an audit returns.  Rendering is in :mod:`ldn_atlas.report` (``audit_html``,
  ``audit_text``, ``audit_rules``).

References
----------
.. [1] OCEBM Levels of Evidence Working Group. The Oxford 2011 Levels of Evidence.
.. [2] Sumner P et al. The association between exaggeration in health related science news
   and academic press releases: retrospective observational study. BMJ 2014;349:g7015
   (causal language and extrapolation from animals to humans as markers of exaggeration).
.. [3] Boutron I, Ravaud P. Misrepresentation and distortion of research in biomedical
   literature. PNAS 2018;115:2613-9 ("spin").
.. [4] Balshem H et al. GRADE guidelines: 3. Rating the quality of evidence. J Clin Epidemiol
   2011;64:401-6.
.. [5] DeYoung J, Lehman E, Nye B, Marshall IJ, Wallace BC. Evidence Inference 2.0: More Data,
   Better Models. BioNLP 2020 (the prompt: intervention, comparator, outcome).
"""

from ldn_atlas.appraise.audit.claims import abstract_parts, claim_kind, claim_numbers, claim_strength, sentences
from ldn_atlas.appraise.audit.facts import study_facts
from ldn_atlas.appraise.audit.numbers import check_numbers
from ldn_atlas.appraise.audit.pipeline import audit_file, audit_source
from ldn_atlas.appraise.audit.result import AuditResult, LinkedStudy
from ldn_atlas.appraise.audit.verdict import judge

__all__ = [
    "AuditResult",
    "LinkedStudy",
    "abstract_parts",
    "audit_file",
    "audit_source",
    "check_numbers",
    "claim_kind",
    "claim_numbers",
    "claim_strength",
    "judge",
    "sentences",
    "study_facts",
]
