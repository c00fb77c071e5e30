"""Design tags (randomized, placebo-controlled, crossover, case report, ...), whether controlled, the comparator."""

from __future__ import annotations

import re
from typing import Any

from ldn_atlas.extract.fields.context import ReadContext
from ldn_atlas.extract.fields.cues import _OTHER_STUDIES, _PLACEBO, negated
from ldn_atlas.extract.fields.names import clean_name
from ldn_atlas.extract.patterns import gate, rx

DESIGN_CUES: list[tuple[str, Any]] = [
    (
        "randomized",
        rx(
            "d_randomized",
            r"(?<![\w-])(?:randomi[sz]ed|randomi[sz]ation|randomi[sz]ing|randomly (?:assigned|allocated|"
            r"divided|entered|administered|given|distributed|treated|received)|at random|on a random basis|RCT)\b",
        ),
    ),
    (
        "placebo-controlled",
        rx(
            "d_placebo",
            r"\bplacebo[- ](?:controlled|control|crossover|cross-over|group|arm)\b|"
            r"\b(?:versus|vs\.?|compared (?:with|to)|or|and) (?:a |matching )?placebo\b|"
            r"\bplacebo-treated\b|\b(?:on|receiving|received) placebo\b",
        ),
    ),
    ("double-blind", rx("d_double", r"\b(?:double|triple|quadruple)[- ](?:blind(?:ed)?|mask(?:ed)?)\b")),
    ("single-blind", rx("d_single", r"\bsingle[- ](?:blind(?:ed)?|mask(?:ed)?)\b")),
    ("open-label", rx("d_open", r"\bopen[- ]label(?:led)?\b|\bunblinded\b|\bnon-blinded\b")),
    ("crossover", rx("d_crossover", r"\bcross-?over\b|\bcross over\b|\blatin[- ]square\b")),
    ("parallel", rx("d_parallel", r"\bparallel[- ](?:group|arm|design)s?\b")),
    (
        "multicentre",
        rx(
            "d_multicentre",
            r"\bmulti-?(?:cent(?:er|re)(?:e?d|ic)?|site|national)\b|"
            r"\b(?:\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|several|multiple) "
            r"(?:[\w-]{1,20} ){0,4}(?:cent(?:er|re)s|sites|hospitals|(?:care|clinical|hospital|research) units|"
            r"clinics|institutions)\b",
        ),
    ),
    ("pilot", rx("d_pilot", r"\bpilot\b|\bfeasibility (?:study|trial)\b")),
    (
        "retrospective",
        rx(
            "d_retro",
            r"\bretrospective (?:[\w-]{1,20} ){0,2}?(?:study|analysis|review|cohort|chart|audit|evaluation|"
            r"investigation|series of (?:our|the) patients)\b|\bretrospectively (?:reviewed|analy[sz]ed|"
            r"collected|studied|assessed|identified|evaluated)\b|\bchart review\b|\bmedical records? review\b",
        ),
    ),
    ("prospective", rx("d_prosp", r"\bprospective(?:ly)?\b")),
    (
        "observational",
        rx(
            "d_obs",
            r"\bobservational\b|\bcohort study\b|\bcross-sectional (?:study|survey|design|analysis)\b|"
            r"\bcase-control\b",
        ),
    ),
    (
        "case-report",
        rx("d_case_report", r"\bcase reports?\b|\bwe (?:report|describe|present) (?:a|an|the case)\b"),
    ),
    ("case-series", rx("d_case_series", r"\bcase series\b")),
    ("systematic-review", rx("d_sr", r"\bsystematic review\b|\bmeta-analys[ie]s\b")),
]
_NO_CONTROL = rx(
    "no_control",
    r"\b(?:without|no|lack of|absence of)(?: a| any)? (?:control(?: group| arm)?|"
    r"comparator)(?: or placebo)?\b|\buncontrolled\b|\bsingle[- ]arm\b|\bsingle group\b",
)
_CONTROL = rx("control_cue", r"\bcontrol(?:led)? (?:group|arm|subjects|participants)\b|\bcontrolled\b")
_COMPARATOR = rx(
    "comparator",
    r"\b(?:versus|vs\.?|compared (?:with|to)|against)\s(?:the\s)?(?:a\s)?"
    r"(?P<cmp>[\w-]{2,30}(?:\s[\w-]{2,30})?)",
)
_NO_CONTROL = gate(_NO_CONTROL, "control", "comparator", "single", "uncontrolled")
_COMPARATOR = gate(_COMPARATOR, "versus", "vs", "compared", "against")
DESIGN_KEYS: dict[str, tuple[str, ...]] = {
    "randomized": ("random", "rct"),
    "placebo-controlled": ("placebo",),
    "double-blind": ("double", "triple", "quadruple"),
    "single-blind": ("single",),
    "open-label": ("open", "blinded", "unblinded"),
    "crossover": ("cross", "latin"),
    "parallel": ("parallel",),
    "multicentre": ("multi", "cent", "site", "hospital", "unit", "clinic", "institution"),
    "pilot": ("pilot", "feasibility"),
    "retrospective": ("retrospective", "chart review", "record"),
    "prospective": ("prospective",),
    "observational": ("observational", "cohort study", "cross-sectional", "case-control"),
    "case-report": ("case report", "we report", "we describe", "we present"),
    "case-series": ("case series",),
    "systematic-review": ("systematic review", "meta-analys"),
}
DESIGN_CUES = [(tag, gate(pat, *DESIGN_KEYS[tag])) for tag, pat in DESIGN_CUES]


def read_design(c: ReadContext, species: str, n: int | None) -> tuple[list[str], bool | None, str | None]:
    """The design tags in cue order, whether the study is controlled and its comparator, with spans.

    ``species`` and the sample size ``n`` (read before) add the ``animal``/``in-vitro`` tags and tell a
    case report (n = 1) from a case series.
    """
    tags, no_control = _design_cues(c)
    if no_control is not None:
        tags.pop("placebo-controlled", None)
    if species in ("animal", "in-vitro"):
        sp = c.prov.get("species")
        tags.setdefault(species, (sp[0].start, sp[0].end) if sp else (0, 0))
    if "retrospective" in tags:
        tags.setdefault("observational", tags["retrospective"])
    if species == "human" and "case-report" not in tags and "case-series" not in tags:
        for sent, text in c.iter():
            m = re.search(r"\bcases?\b|\bcase stud(?:y|ies)\b", text, re.IGNORECASE)
            if m and n is not None and n <= 10 and not any(t in tags for t in ("randomized", "placebo-controlled")):
                tags["case-report" if n == 1 else "case-series"] = (
                    sent.start + m.start(),
                    sent.start + m.end(),
                )
                break
    if "case-report" in tags and n is not None and n > 1 and "case-series" not in tags:
        tags["case-series"] = tags.pop("case-report")
    controlled, comparator = _control(c, tags, no_control)
    ordered = [t for t, _ in DESIGN_CUES if t in tags] + [t for t in ("animal", "in-vitro") if t in tags]
    for k, tag in enumerate(ordered):
        s, e = tags[tag]
        if e > s:
            c.mark(f"design[{k}]", s, e)
    return ordered, controlled, comparator


def _design_cues(c: ReadContext) -> tuple[dict[str, tuple[int, int]], tuple[int, int] | None]:
    """The span of the first un-negated cue of each design tag, and of the first "no control" cue."""
    tags: dict[str, tuple[int, int]] = {}
    no_control: tuple[int, int] | None = None
    for sent, text in c.iter():
        if sent.section and sent.section.upper() in ("BACKGROUND", "INTRODUCTION", "CONTEXT"):
            continue
        if c.single and _OTHER_STUDIES.search(text):
            continue  # an abstract's sentence about other studies
        for tag, pat in DESIGN_CUES:
            for m in pat.finditer(text):
                if negated(text, m.start()):
                    continue
                tags.setdefault(tag, (sent.start + m.start(), sent.start + m.end()))
                break
        m = _NO_CONTROL.search(text)
        if m and no_control is None:
            no_control = (sent.start + m.start(), sent.start + m.end())
    return tags, no_control


def _control(
    c: ReadContext, tags: dict[str, tuple[int, int]], no_control: tuple[int, int] | None
) -> tuple[bool | None, str | None]:
    """Whether the study is controlled, and its comparator (``none``, ``placebo`` or a named one)."""
    controlled: bool | None = None
    comparator: str | None = None
    if no_control is not None:
        controlled = False
        comparator = "none"
        c.mark("controlled", *no_control)
        c.mark("comparator", *no_control)
    elif "placebo-controlled" in tags:
        controlled = True
        comparator = "placebo"
        c.mark("controlled", *tags["placebo-controlled"])
        c.mark("comparator", *tags["placebo-controlled"])
    elif "case-report" in tags or "case-series" in tags:
        controlled = False
        c.mark("controlled", *tags["case-report" if "case-report" in tags else "case-series"])
    else:
        for sent, text in c.iter():
            m = _COMPARATOR.search(text)
            if m and not _PLACEBO.search(m.group("cmp")) and m.group("cmp")[0].isalpha():
                comparator = clean_name(m.group("cmp")) or None
                if comparator:
                    c.mark("comparator", sent.start + m.start("cmp"), sent.start + m.end("cmp"))
                    controlled = True
                break
    return controlled, comparator
