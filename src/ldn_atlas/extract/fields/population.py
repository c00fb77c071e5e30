"""Population: sample size (see :mod:`.sample_size`), sex and the subgroups given as percentages."""

from __future__ import annotations

import re

from ldn_atlas.extract.conditions import find_conditions
from ldn_atlas.extract.fields.adverse_events import _AE_TERMS
from ldn_atlas.extract.fields.context import ReadContext
from ldn_atlas.extract.fields.sample_size import read_sample_size
from ldn_atlas.extract.patterns import PERCENT_GATED, gate, rx
from ldn_atlas.model import Population, Subgroup

_SUBGROUP_AFTER = rx(
    "subgroup_after_percent",
    r"^\s?(?:of (?:them|whom|the (?:subjects|patients|participants)) )?(?:had|with|were|was|having|"
    r"presented with|(?:were |was )?diagnosed with)\s(?P<label>[^,.;]{3,60}?)(?=\s?(?:,|\.|;|\band\b|"
    r"\bwho\b|$))",
)
_SUBGROUP_WORDS = rx(
    "subgroup_words",
    r"\b(?:relapsing|remitting|progressive|primary|secondary|type [12i]{1,3}|"
    r"stage|grade|subtype|form|women|female|men|male|white|black|smokers)\b",
)
_FEMALE = rx("female_cue", r"\b(?:women|woman|females?|girls?|ladies|lady|mothers)\b")
_MALE = rx("male_cue", r"\b(?:men|man|males?|boys?|fathers|gentleman)\b")
_MIXED = rx(
    "mixed_cue",
    r"\b(?:men and women|women and men|males and females|females and males|both sexes|"
    r"male and female|female and male)\b",
)
_FEMALE = gate(_FEMALE, "wom", "female", "girl", "lad", "mother")
_MALE = gate(_MALE, "men", "man", "male", "boy", "father", "gentleman")
_MIXED = gate(_MIXED, "men and", "women and", "males and", "females and", "both sexes", "male and", "female and")


def read_population(c: ReadContext, species: str) -> Population:
    """The study's population: n (enrolled, analysed), sex and subgroups, each with its spans."""
    pop = Population()
    read_sample_size(c, species, pop)
    sex = read_sex(c)
    pop.sex = sex  # type: ignore[assignment]
    if sex is None and c.inherited is not None and c.inherited.population.sex and c.seg.same_what:
        pop.sex = c.inherited.population.sex
        for s in c.inherited.provenance.get("population.sex", []):
            c.mark("population.sex", s.start, s.end)
    read_subgroups(c, pop)
    return pop


def read_sex(c: ReadContext) -> str | None:
    """``female``, ``male`` or ``mixed`` from the words for the people studied (None if none)."""
    sex = None
    for sent, text in c.iter():
        mixed = _MIXED.search(text)
        if mixed:
            sex = "mixed"
            c.mark("population.sex", sent.start + mixed.start(), sent.start + mixed.end())
            break
    if sex is None:
        fem = [
            (sent.start + m.start(), sent.start + m.end())
            for sent, text in c.iter()
            for m in _FEMALE.finditer(text)
            if population_word(text, m)
        ]
        mal = [
            (sent.start + m.start(), sent.start + m.end())
            for sent, text in c.iter()
            for m in _MALE.finditer(text)
            if population_word(text, m)
        ]
        if fem and not mal:
            sex = "female"
            c.mark("population.sex", *fem[0])
        elif mal and not fem:
            sex = "male"
            c.mark("population.sex", *mal[0])
        elif fem and mal:
            sex = "mixed"
            c.mark("population.sex", *fem[0])
            c.mark("population.sex", *mal[0])
    return sex


def population_word(text: str, m: re.Match[str]) -> bool:
    """The sex word ``m`` names people studied ("female patients"), not an adjective of something else."""
    word = m.group(0).lower()
    if word in ("female", "male"):
        after = text[m.end() : m.end() + 30].lower()
        return bool(
            re.match(
                r"\s(?:patients?|subjects?|participants?|volunteers?|mice|rats|adults?|"
                r"children|cases?|sex)\b",
                after,
            )
        )
    return True


def read_subgroups(c: ReadContext, pop: Population) -> None:
    """Append the subgroups given as percentages ("40% had relapsing-remitting MS") to ``pop``, with spans."""
    for sent, text in c.iter():
        for m in PERCENT_GATED.finditer(text):
            sm = _SUBGROUP_AFTER.match(text[m.end() : m.end() + 80])
            if not sm:
                continue
            label = sm.group("label").strip()
            if re.search(_AE_TERMS, label, re.IGNORECASE) or re.search(r"\b(?:no|less|more|improve)", label, re.I):
                continue
            if not (find_conditions(label) or _SUBGROUP_WORDS.search(label)):
                continue
            value = float(m.group("num"))
            if value > 100:
                continue
            k = len(pop.subgroups)
            pop.subgroups.append(Subgroup(label=label, percent=value))
            c.mark(f"population.subgroups[{k}]", sent.start + m.start(), sent.start + m.end() + sm.end())
