"""Species and model: human, animal (with its model, e.g. "mouse EAE") or in vitro."""

from __future__ import annotations

import re

from ldn_atlas.extract.fields.context import ReadContext, background_section
from ldn_atlas.extract.fields.cues import _OTHER_STUDIES
from ldn_atlas.extract.patterns import gate, rx

_HUMAN = rx(
    "human_cue",
    r"\b(?:patients?|humans?|women|men|woman|subjects?|participants?|persons?|people|"
    r"volunteers?|children|adults?|individuals?|sufferers?|adolescents|infants|girls?|boys?)\b",
)
_ANIMAL = rx(
    "animal_cue",
    r"\b(?P<a>mice|mouse|murine|rats?|rodents?|animals?|dogs?|canine|rabbits?|pigs?|swine|"
    r"primates?|monkeys?|zebrafish|hamsters?|guinea pigs?|sheep|cats?|feline|horses?)\b",
)
_VITRO = rx("vitro_cue", r"\bin vitro\b|\bcell (?:culture|line)s?\b|\bcultured (?:cells|[\w-]{1,20} cells)\b")
_EAE = rx("eae_cue", r"\b(?:experimental )?autoimmune encephalomyelitis\b|\bEAE\b")
_ANIMAL_NAME = {
    "mice": "mouse",
    "mouse": "mouse",
    "murine": "mouse",
    "rat": "rat",
    "rats": "rat",
    "dog": "dog",
    "dogs": "dog",
    "canine": "dog",
    "rabbit": "rabbit",
    "rabbits": "rabbit",
    "pig": "pig",
    "pigs": "pig",
    "swine": "pig",
    "monkeys": "monkey",
    "monkey": "monkey",
    "hamsters": "hamster",
    "sheep": "sheep",
}
_HUMAN = gate(
    _HUMAN,
    "patient",
    "human",
    "wom",
    "men",
    "subject",
    "participant",
    "person",
    "people",
    "volunteer",
    "children",
    "adult",
    "individual",
    "sufferer",
    "adolescent",
    "infant",
    "girl",
    "boy",
)
_ANIMAL = gate(
    _ANIMAL,
    "mice",
    "mouse",
    "murine",
    "rat",
    "rodent",
    "animal",
    "dog",
    "canine",
    "rabbit",
    "pig",
    "swine",
    "primate",
    "monkey",
    "zebrafish",
    "hamster",
    "guinea",
    "sheep",
    "cat",
    "feline",
    "horse",
)
_VITRO = gate(_VITRO, "vitro", "cell")
_EAE = gate(_EAE, "encephalomyelitis", "eae")

_Hit = tuple[int, str, int, int, re.Match[str]]


def read_species(c: ReadContext) -> tuple[str, str | None]:
    """The study's species (``human``, ``animal``, ``in-vitro``) and animal model, with their spans."""
    first = c.iter()[:1]
    for sent, text in first:
        m = _VITRO.search(text)
        if m:
            c.mark("species", sent.start + m.start(), sent.start + m.end())
            return "in-vitro", None
    hits, counts = _species_hits(c)
    inherited = c.inherited
    same = c.seg.same_what or ""
    if "model" in same and inherited is not None and inherited.species == "animal":
        for sent, text in c.iter():
            m = re.search(r"\bsame [\w -]{0,25}model\b", text)
            if m:
                c.mark("species", sent.start + m.start(), sent.start + m.end())
                c.mark("model", sent.start + m.start(), sent.start + m.end())
                return "animal", inherited.model
    if not hits:
        return "human", None
    hits.sort(key=lambda h: h[0])
    kinds = [h[1] for h in hits]
    animal_wins = kinds[0] == "animal" or "human" not in kinds
    if c.single:
        animal_wins = counts["animal"] > counts["human"]
    if "animal" in kinds and animal_wins:
        return "animal", _animal_model(c, next(x for x in hits if x[1] == "animal"))
    h = hits[0]
    if c.single and h[1] == "in-vitro" and counts["human"] >= counts["in-vitro"]:
        h = next((x for x in hits if x[1] == "human"), h)  # an abstract's passing "in vitro" mention
    c.mark("species", h[2], h[3])
    return h[1], None


def _species_hits(c: ReadContext) -> tuple[list[_Hit], dict[str, int]]:
    """The first cue of each kind in each sentence, and how many cues of each kind there are."""
    hits: list[_Hit] = []
    counts = {"animal": 0, "human": 0, "in-vitro": 0}
    for sent, text in c.iter():
        if c.single and (_OTHER_STUDIES.search(text) or background_section(sent)):
            continue  # "Animal studies have shown ..." is not this study
        for pat, kind in ((_ANIMAL, "animal"), (_HUMAN, "human"), (_VITRO, "in-vitro")):
            found = list(pat.finditer(text))
            counts[kind] += len(found)
            if found:
                m = found[0]
                hits.append((sent.start + m.start(), kind, sent.start + m.start(), sent.start + m.end(), m))
    return hits, counts


def _animal_model(c: ReadContext, h: _Hit) -> str:
    """The animal model named by the animal cue ``h`` (with "EAE" when the study names it)."""
    c.mark("species", h[2], h[3])
    animal = _ANIMAL_NAME.get(h[4].group("a").lower(), h[4].group("a").lower())
    model = animal
    for sent, text in c.iter():
        e = _EAE.search(text)
        if e:
            model = f"{animal} EAE"
            c.mark("model", h[2], h[3])
            c.mark("model", sent.start + e.start(), sent.start + e.end())
            break
    else:
        c.mark("model", h[2], h[3])
    return model
