"""AUD3xx: a condition placed in a category, against its ICD-10-CM chapter."""

from __future__ import annotations

from ldn_atlas.appraise.audit.claims import category_claim
from ldn_atlas.appraise.audit.rules.base import ClaimContext, Finding, reasons_of, rule
from ldn_atlas.model.evidence import Verdict

#: ICD-10 chapters that do not settle a condition's body system (symptoms; codes for special purposes).
_UNINFORMATIVE_CHAPTERS = {18, 22}


def classification_verdict(text: str) -> tuple[Verdict, list[str]] | None:
    """The verdict and reasons for a sentence that places a condition in a category."""
    cat = category_claim(text)
    if cat is None:
        return None
    phrase, chapters, name = cat
    try:
        from ldn_atlas.vocabulary import load_vocabulary

        vocab = load_vocabulary()
        mentions = vocab.mentions(text)
    except Exception:  # pragma: no cover
        return None
    if not mentions:
        return "not-checkable", [
            f"'{phrase}' places a condition in a category, but no condition of the vocabulary is named"
        ]
    entry = mentions[0][0]
    ch = entry.chapter
    if ch.number in _UNINFORMATIVE_CHAPTERS:
        return "not-checkable", [
            f"{entry.label} is coded {entry.code} in ICD-10 chapter {ch.roman} '{ch.title}', "
            f"which does not settle whether it is a {name} condition"
        ]
    if ch.number in chapters:
        return "supported", [
            f"{entry.label} ({entry.code}) is in ICD-10 chapter {ch.roman} '{ch.title}', consistent with '{phrase}'"
        ]
    return "factual-error", [
        f"the sentence calls {entry.label} a {name} condition ('{phrase}'), but it is coded {entry.code} in "
        f"ICD-10-CM chapter {ch.roman} '{ch.title}' ({entry.category}); a {name} condition would sit in "
        f"chapter(s) {', '.join(str(c) for c in sorted(chapters))}",
    ]


@rule(
    "AUD301",
    "condition-category",
    verdicts=("factual-error", "supported", "not-checkable"),
    fires_on=["Fibromyalgia is a disorder of the digestive system."],
    passes=["Fibromyalgia causes widespread pain and tiredness."],
)
def condition_category(ctx: ClaimContext) -> Finding | None:
    """A condition placed in a category ("a neurological disorder") against its ICD-10-CM chapter.

    The category words name the chapters where such a condition belongs; the condition's code in the
    vocabulary says where it is.  A chapter for symptoms or special purposes settles nothing
    (not-checkable), as does a sentence naming no condition of the vocabulary.
    """
    found = classification_verdict(ctx.text) if ctx.kind == "classification" else None
    if found is None:
        return None
    return Finding("AUD301", found[0], tuple(reasons_of("AUD301", found[1])))


RULES = (condition_category,)
