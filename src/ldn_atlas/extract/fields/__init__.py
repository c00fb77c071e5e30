"""Field extraction: the facts of one candidate study, each with the span it came from.

The rules read the sentences of one segment (see :mod:`ldn_atlas.extract.segment`)
and fill a :class:`~ldn_atlas.model.Study`: species and model, condition, design
tags, sample size and sex, subgroups, durations (normalised to days: weeks x 7,
months x 30.44, years x 365.25), doses, comparator, periods, outcomes with
direction and significance, responders, adverse events, p-values and confidence
intervals.  Every value records the character span of the words behind it in
``Study.provenance`` under its field path.

The rules are lexical (cue words, bounded regular expressions) in the spirit of
rule-based clinical information extraction (e.g. ExaCT, Kiritchenko et al.
2010; the numeric-fact patterns of Summerscales et al. 2011).

References
----------
.. [1] Kiritchenko, S., de Bruijn, B., Carini, S., Martin, J., & Sim, I. (2010).
   ExaCT: automatic extraction of clinical trial characteristics from journal
   publications. BMC Medical Informatics and Decision Making, 10, 56.
.. [2] Summerscales, R. L., Argamon, S., Bai, S., Hupert, J., & Schwartz, A. (2011).
   Automatic summarization of results from clinical trials. IEEE BIBM 2011, 372-377.

Where things are
----------------
One module per field family; each reader takes a :class:`~.context.ReadContext` (the study's
sentences, masked texts and span helpers) and returns its values, marking their spans:

- :mod:`.context` -- the working state of one study (sentences, ``mark``/``iter``), section tests;
- :mod:`.species` -- species and animal model;
- :mod:`.condition` -- the condition studied;
- :mod:`.design` -- design tags, controlled, comparator;
- :mod:`.sample_size` and :mod:`.population` -- n (enrolled, analysed), sex, subgroups;
- :mod:`.durations` -- duration in days and periods;
- :mod:`.doses` -- interventions, dose in mg, schedule;
- :mod:`.outcomes` -- the outcome reader, in three stages: :mod:`.outcome_mentions` (what changed),
  :mod:`.outcome_numbers` (percentages, counts and arm values bound to outcomes), with
  :mod:`.adverse_events` and :mod:`.responders`, and :mod:`.outcome_significance` (p-values and
  intervals); :mod:`.outcome_table` collects them into records;
- :mod:`.direction` -- direction of a change; :mod:`.names` -- outcome names; :mod:`.cues` -- shared cue words;
- :mod:`.study` -- :func:`read_study`, which calls the readers in order.
"""

from ldn_atlas.extract.fields.context import MAX_SENTENCE, ReadContext
from ldn_atlas.extract.fields.direction import direction_of
from ldn_atlas.extract.fields.study import StudyReader, _label, read_study, study_label
from ldn_atlas.extract.patterns import DIGIT_NUMBER

__all__ = [
    "DIGIT_NUMBER",
    "MAX_SENTENCE",
    "ReadContext",
    "StudyReader",
    "_label",
    "direction_of",
    "read_study",
    "study_label",
]
