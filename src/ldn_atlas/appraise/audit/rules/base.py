"""What a rule is: its code, documentation and examples; what it finds; and the facts of a claim it reads.

A rule is a small function of a :class:`ClaimContext` returning a :class:`Finding` (the verdict it gives
and its reasons) or ``None`` when it does not apply; :func:`rule` turns such a function into a
:class:`Rule` with a stable code (``AUD101``), whose documentation is the function's docstring.  A
*note* is a rule that gives no verdict: it only adds reasons (``AUD001`` "linked to ...").  Codes go by
hundreds, one family per hundred, as in a linter.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from ldn_atlas.appraise.audit.claims import Numbers
from ldn_atlas.appraise.audit.numbers import NumberCheck, check_numbers
from ldn_atlas.appraise.audit.result import LinkedStudy
from ldn_atlas.appraise.audit.wording import ANIMAL, INVITRO, RESULT
from ldn_atlas.model.classify import DesignCategory, design_category
from ldn_atlas.model.evidence import ClaimKind, ClaimStrength, Study, Verdict

#: The families of rules, by the hundreds digit of their code.
FAMILIES = {
    "0": "context and linking notes",
    "1": "design strength and overclaiming",
    "2": "numbers against the primary record",
    "3": "disease classification",
    "4": "safety",
    "5": "direction against the records and evidence inference",
    "6": "general claims against the condition's evidence",
    "7": "temporal and bibliographic facts",
    "8": "drug facts",
}


class Reason(NamedTuple):
    """One reason of a verdict and the code of the rule that gave it."""

    rule: str
    text: str


def reasons_of(code: str, texts: Sequence[str]) -> list[Reason]:
    """``texts`` as reasons of the rule ``code``."""
    return [Reason(code, t) for t in texts]


@dataclass(frozen=True)
class Finding:
    """A rule's verdict for a claim, with its reasons (each naming its rule)."""

    rule: str
    verdict: Verdict
    reasons: tuple[Reason, ...]

    @property
    def texts(self) -> list[str]:
        return [r.text for r in self.reasons]


@dataclass(frozen=True)
class Example:
    """An invented sentence a rule is run on; ``context`` is text before it in the same paragraph.

    ``article_record`` makes the example an article the evidence base has a record of: its context (else the
    sentence) describes a study, its design unverified, whose primary record has this id ("" for none
    identified).
    """

    sentence: str
    context: str = ""
    article_record: str | None = None


@dataclass(frozen=True)
class Rule:
    """One check of the audit: a stable code, what it checks (``doc``) and the verdicts it can give."""

    code: str
    name: str
    verdicts: tuple[Verdict, ...]
    doc: str
    check: Callable[[ClaimContext], Finding | None] | None = None
    fires_on: tuple[Example, ...] = ()
    passes: tuple[Example, ...] = ()
    #: "check" (weighed in the verdict's precedence), "revision" (applied after the verdict, may replace it)
    #: or "note" (adds reasons only)
    stage: str = "check"

    @property
    def family(self) -> str:
        return FAMILIES[self.code[3]]

    @property
    def summary(self) -> str:
        return self.doc.split("\n", 1)[0].strip()


def _examples(items: Sequence[str | Example]) -> tuple[Example, ...]:
    return tuple(x if isinstance(x, Example) else Example(x) for x in items)


def rule(
    code: str,
    name: str,
    *,
    verdicts: Sequence[Verdict] = (),
    fires_on: Sequence[str | Example] = (),
    passes: Sequence[str | Example] = (),
) -> Callable[[Callable[[ClaimContext], Finding | None]], Rule]:
    """Make a check function (its docstring the documentation) into a :class:`Rule`."""

    def wrap(check: Callable[[ClaimContext], Finding | None]) -> Rule:
        return Rule(
            code,
            name,
            tuple(verdicts),
            inspect.cleandoc(check.__doc__ or ""),
            check,
            _examples(fires_on),
            _examples(passes),
        )

    return wrap


def note(
    code: str, name: str, doc: str, *, fires_on: Sequence[str | Example] = (), passes: Sequence[str | Example] = ()
) -> Rule:
    """A rule that gives no verdict, only reasons added where the audit finds them."""
    return Rule(code, name, (), inspect.cleandoc(doc), None, _examples(fires_on), _examples(passes), "note")


def revision(
    code: str,
    name: str,
    doc: str,
    *,
    verdicts: Sequence[Verdict],
    fires_on: Sequence[str | Example] = (),
    passes: Sequence[str | Example] = (),
) -> Rule:
    """A rule applied after the verdict, with what the whole sentence and evidence base show; it may replace it."""
    return Rule(
        code, name, tuple(verdicts), inspect.cleandoc(doc), None, _examples(fires_on), _examples(passes), "revision"
    )


@dataclass
class ClaimContext:
    """What the rules read about one claim: its wording and the records it is linked to.

    Built by :func:`claim_context`; the derived fields (``records``, ``species``, ``nc``, ...) are
    computed once for all rules.
    """

    text: str
    kind: ClaimKind
    strength: ClaimStrength
    linked: Sequence[LinkedStudy]
    primaries: Sequence[Study]
    described: Sequence[Study]
    confirmed: Sequence[str]
    unconfirmed: Sequence[str]
    nums: Numbers
    certainty: Sequence[tuple[str, str]] = ()
    records: list[Study] = field(default_factory=list)
    species: set[str] = field(default_factory=set)
    is_result: bool = False
    nc: NumberCheck = field(default_factory=NumberCheck)
    weakest: DesignCategory | None = None
    #: the context notes every verdict starts from ("linked to ...")
    base: list[Reason] = field(default_factory=list)

    @property
    def nonhuman(self) -> bool:
        return bool({"animal", "in-vitro"} & self.species)

    @property
    def uncontrolled(self) -> bool:
        return self.weakest is not None and self.weakest <= DesignCategory.UNCONTROLLED_TRIAL

    @property
    def case_level(self) -> bool:
        return self.weakest is not None and self.weakest <= DesignCategory.CASE_SERIES


def claim_context(
    text: str,
    kind: ClaimKind,
    strength: ClaimStrength,
    linked: Sequence[LinkedStudy],
    primaries: Sequence[Study],
    described: Sequence[Study],
    confirmed: Sequence[str],
    unconfirmed: Sequence[str],
    nums: Numbers,
    certainty: Sequence[tuple[str, str]] = (),
) -> ClaimContext:
    """The facts of one claim the rules read, with the numbers checked against its records."""
    ctx = ClaimContext(text, kind, strength, linked, primaries, described, confirmed, unconfirmed, nums, certainty)
    ctx.records = list(primaries) or list(described)
    cats = [design_category(s) for s in ctx.records]
    ctx.species = {s.species for s in ctx.records}
    if ANIMAL.search(text):
        ctx.species.add("animal")
    if INVITRO.search(text):
        ctx.species.add("in-vitro")
    ctx.is_result = bool(RESULT.search(text))
    ctx.nc = check_numbers(nums, primaries, described, text, ambiguous=not described and len(primaries) > 1)
    ctx.weakest = min(cats) if cats else None
    design_txt = ", ".join(sorted({f"{x.label} ({x.design}, OCEBM level {x.level})" for x in linked}))
    if design_txt:
        ctx.base.append(Reason("AUD001", f"linked to {design_txt}"))
    return ctx
