"""Responders: how many reached a threshold ("eleven of 20 had at least a 50% reduction in pain")."""

from __future__ import annotations

from ldn_atlas.extract.fields.cues import _POP_NOUN
from ldn_atlas.extract.fields.direction import direction_of
from ldn_atlas.extract.fields.names import clean_name
from ldn_atlas.extract.fields.outcome_table import OutcomeTable
from ldn_atlas.extract.patterns import NUM_START, NUMBER, gate, parse_number, rx
from ldn_atlas.extract.segment import Sentence
from ldn_atlas.model import Responders

_THRESHOLD = rx(
    "responder_threshold",
    r"(?P<cmp>more than|greater than|at least|over|≥|>=|>)\s?(?:a\s)?(?P<thr>\d{1,3}(?:\.\d{1,2})?)\s?%\s"
    r"(?:or (?:more|greater)\s)?(?P<what>reduction|improvement|decrease|decline|response|relief|drop)\b"
    r"(?:\s(?:in|of)\s(?P<obj>[^,.;:()]{2,60}))?",
)
#: a count followed by what its members did ("eleven responded", "12 (40%) achieved"): the responders
#: of a threshold named later in the sentence, when no population noun follows the number
_COUNT_VERB = rx(
    "count_verb",
    rf"{NUM_START}(?P<num>{NUMBER})(?:\s\(\d{{1,3}}(?:\.\d{{1,2}})?\s?%\))?\s(?:of\s(?:them|these|those)\s)?"
    r"(?:responded|achieved|reached|attained|met|reported|experienced|showed|had)\b",
)
#: "Among 20 women", "Of 30 patients", "out of 40 participants": the denominator of a later count
_DENOMINATOR = rx(
    "count_denominator",
    rf"\b(?:among|of|out\sof|in)\s(?:the\s)?(?P<num>{NUMBER})\s(?:[\w-]{{1,20}}\s){{0,2}}?(?:{_POP_NOUN})\b",
)
_COUNT_NOUN = rx(
    "count_noun",
    rf"{NUM_START}(?P<num>{NUMBER})(?:\s(?:of\s(?:the\s|these\s)?(?P<of>{NUMBER}))?)?\s(?:[\w-]{{1,20}}\s){{0,2}}?"
    rf"(?:{_POP_NOUN}|of (?:them|these|those|whom)\b)",
)
_THRESHOLD = gate(_THRESHOLD, "%")


def responder_values(
    t: OutcomeTable, sent: Sentence, text: str, aim: tuple[str, int, int] | None, n: int | None
) -> None:
    """Add the responders of each threshold in the sentence to the outcome it names (or the aim's)."""
    for m in _THRESHOLD.finditer(text):
        count, of, cs = _responder_count(text[: m.start()], sent)
        thr = float(m.group("thr"))
        name = clean_name(m.group("obj") or "") or (aim[0] if aim else "response")
        d = direction_of(m.group("what"), name)
        # with a count, the direction rests on "six ... responded well and achieved": those
        # words are the outcome's too
        o_start = cs if count and cs is not None else sent.start + m.start()
        o = t.add(name, d if count else None, None, o_start, sent.start + m.end())
        r = Responders(threshold_percent=thr, count=count, n=of if of is not None else n)
        o["responders"].append((r, cs if cs is not None else sent.start + m.start(), sent.start + m.end()))


def _responder_count(before: str, sent: Sentence) -> tuple[int | None, int | None, int | None]:
    """The count of responders before a threshold, its denominator and where the count starts."""
    counts = list(_COUNT_NOUN.finditer(before))
    count = of = None
    cs = None
    verb_counts = [v for v in _COUNT_VERB.finditer(before) if not counts or v.start() > counts[-1].start()]
    if verb_counts:
        # "Among 20 women, eleven responded ...": the count is the number before the verb, the
        # group named earlier ("among/of N women") is its denominator
        last_v = verb_counts[-1]
        count_v = parse_number(last_v.group("num"))
        count = int(count_v) if count_v is not None else None
        denominators = list(_DENOMINATOR.finditer(before[: last_v.start()]))
        of_v = parse_number(denominators[-1].group("num")) if denominators else None
        of = int(of_v) if of_v is not None else None
        cs = sent.start + last_v.start()
    elif counts:
        last = counts[-1]
        count_v = parse_number(last.group("num"))
        count = int(count_v) if count_v is not None else None
        of_v = parse_number(last.group("of")) if last.group("of") else None
        of = int(of_v) if of_v is not None else None
        cs = sent.start + last.start()
    return count, of, cs
