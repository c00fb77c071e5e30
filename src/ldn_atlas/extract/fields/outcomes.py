"""The outcome reader: each result sentence read in three stages, then the records built.

1. mentions (:mod:`.outcome_mentions`): what the sentence says changed, with direction;
2. numbers (:mod:`.outcome_numbers`, :mod:`.adverse_events`, :mod:`.responders`): percentages,
   counts, arm values and responders bound to those outcomes;
3. significance (:mod:`.outcome_significance`): p-values and intervals bound to the last outcome.

The stages run in this order for each sentence: later ones attach to what earlier ones found.
"""

from __future__ import annotations

from typing import Any

from ldn_atlas.extract.fields.context import ReadContext, non_result_section
from ldn_atlas.extract.fields.outcome_mentions import (
    Aim,
    change_mentions,
    comparative_mentions,
    find_aim,
    null_mention,
    untreated_sentence,
    use_and_remission_mentions,
    verb_mentions,
)
from ldn_atlas.extract.fields.outcome_numbers import arm_values, count_values, percent_values
from ldn_atlas.extract.fields.outcome_significance import bind_statistics, significant_sentence
from ldn_atlas.extract.fields.outcome_table import OutcomeTable
from ldn_atlas.extract.fields.responders import responder_values
from ldn_atlas.extract.segment import Sentence
from ldn_atlas.model import AdverseEvent, Outcome


def read_outcomes(c: ReadContext, n: int | None) -> tuple[list[Outcome], list[AdverseEvent]]:
    """The study's outcomes (direction, significance, measures, responders, p) and adverse events, with spans.

    ``n`` (the sample size read before) is the denominator of percentages and responders.
    """
    t = OutcomeTable()
    aim = find_aim(c)
    for sent, text in c.iter():
        if c.single and non_result_section(sent):
            continue  # an abstract's background and aims report no results of this study
        if untreated_sentence(text):
            continue  # the disease before or without treatment: no outcome of the intervention
        _read_sentence(c, t, sent, text, aim, n)
    return t.records(c)


def _read_sentence(
    c: ReadContext, t: OutcomeTable, sent: Sentence, text: str, aim: Aim | None, n: int | None
) -> None:
    """Read one result sentence: its outcome mentions, then the numbers and statistics bound to them."""
    sig_sentence = significant_sentence(text)
    found: list[dict[str, Any]] = []
    found += change_mentions(t, sent, text, sig_sentence)
    found += verb_mentions(t, sent, text)
    found += use_and_remission_mentions(t, sent, text)
    found += comparative_mentions(t, sent, text)
    found += null_mention(t, sent, text, found, aim)
    percent_values(c, t, sent, text, n)
    count_values(t, sent, text, found, n)
    arm_values(t, sent, text)
    responder_values(t, sent, text, aim, n)
    bind_statistics(t, sent, text, found)
