"""The arms in a sentence: which tokens name the intervention or the comparator, and which arm a
comparison is made against."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ldn_atlas.extract.inference_features.lexicon import _GENERIC_ACTIVE, _GENERIC_CONTROL
from ldn_atlas.extract.inference_features.prepared import PreparedPrompt
from ldn_atlas.extract.inference_features.sentence import SentenceView
from ldn_atlas.extract.inference_text import stem, words

_GROUP_LABEL = re.compile(r"\b[Gg]roups?\s+([A-Z0-9]{1,2})\b|\b([A-Z0-9]{1,2})\s+[Gg]roups?\b")


_ARM_STOP = frozenset(stem(w) for w in words(
    "mg g kg ml mcg ug iu mmol day days daily week weeks weekly month months hour hours h min minutes dose doses "
    "dosage oral orally intravenous intravenously iv tablet tablets capsule capsules per twice once times "
    "received receive given administered treatment treated patients group groups plus total"))
_NEGATED_ARM = re.compile(r"\s*(?:no|without|non|absence\s+of|not\s+receiving|did\s+not)\b", re.IGNORECASE)


def _part_in(token: str, stems: frozenset[str]) -> bool:
    """Whether a hyphenated token has a part naming an arm (``placebo-treated``)."""
    if "-" not in token:
        return False
    return any(stem(part.lower()) in stems for part in token.split("-") if len(part) > 2)


def _excepted(toks: Sequence[str], i: int) -> bool:
    """Whether the arm word at ``i`` follows "not" / "except" ("but not losartan")."""
    return any(t.lower() in ("not", "except", "unlike") for t in toks[max(0, i - 2) : i])


def group_labels(text: str) -> set[str]:
    """Arm labels such as ``group A`` / ``B group`` in a prompt, as ``grp:<label>`` tokens."""
    out = set()
    for m in _GROUP_LABEL.finditer(text):
        out.add("grp:" + (m.group(1) or m.group(2)).lower())
    return out


def _arm_stems(toks: Sequence[str], stems_: Sequence[str]) -> list[str]:
    """Stems with ``group A`` / ``A group`` turned into the marker ``grp:a``."""
    out = list(stems_)
    for i, t in enumerate(toks):
        if t.lower() in ("group", "groups", "arm"):
            if i + 1 < len(toks) and len(toks[i + 1]) <= 2 and (toks[i + 1].isupper() or toks[i + 1].isdigit()):
                out[i + 1] = "grp:" + toks[i + 1].lower()
            elif i > 0 and len(toks[i - 1]) <= 2 and (toks[i - 1].isupper() or toks[i - 1].isdigit()):
                out[i - 1] = "grp:" + toks[i - 1].lower()
    return out


_MARKERS_WITH_PREP = frozenset(("compared", "comparison", "relative"))
_MARKERS = frozenset(("than", "compared", "comparison", "versus", "vs", "relative"))


def _reference_arm(d_i: int, comp_idx: Sequence[int], arm_int: Sequence[int], arm_cmp: Sequence[int]
                   ) -> int | None:
    """The arm a comparison is made against (+1 intervention, -1 comparator), or None.

    ``X was lower with A than with B`` / ``lower with A compared with B``: the first arm named
    within eight tokens after a marker that follows the direction word; ``Compared with B, A had
    lower X``: the first arm after a marker that precedes it.
    """
    arms = sorted([(a, 1) for a in arm_int] + [(a, -1) for a in arm_cmp])
    after = [c for c in comp_idx if d_i - 2 < c <= d_i + 25]
    before = [c for c in comp_idx if c <= d_i - 2]
    for c in after[:1] + before[-1:]:
        # The arm named right after the marker; when both arms have words there ("than in the
        # Sensor Off arm" for Sensor On vs Sensor Off), the arm with more of its words wins.
        votes = [role for a, role in arms if c < a <= c + 8]
        if votes and c < d_i:
            # "Compared with placebo, low dose LDN reduced X": the arm right after a marker that
            # precedes the direction word is the reference, however many words the subject has.
            return votes[0]
        if votes:
            n_int, n_cmp = votes.count(1), votes.count(-1)
            return votes[0] if n_int == n_cmp else (1 if n_int > n_cmp else -1)
    return None


_ARM_NOUNS = frozenset(stem(w) for w in words("group groups arm arms condition subjects patients participants "
                                              "children women men mice rats animals sites eyes infants cohort"))


def _generic_arm(toks: Sequence[str], stems_: Sequence[str], i: int) -> bool:
    """Whether a generic word (placebo, control ...) at ``i`` names an arm, not part of an outcome."""
    if stems_[i] != "control":
        return True
    nxt = stems_[i + 1] if i + 1 < len(stems_) else ""
    prev = toks[i - 1].lower() if i > 0 else ""
    return nxt in _ARM_NOUNS or toks[i].lower() == "controls" or prev in ("than", "vs", "versus", "with", "to")


@dataclass(frozen=True, slots=True)
class ArmMentions:
    """Token indices naming the intervention arm and the comparator arm in one sentence."""

    intervention: list[int]
    comparator: list[int]


def arm_mentions(view: SentenceView, pp: PreparedPrompt | None) -> ArmMentions:
    """The tokens naming each arm: the prompt's arm words, ``group A`` labels, hyphenated parts, and
    generic words (placebo, control ...); a negated intervention (``no ARB``) names the comparator."""
    toks, stems_ = view.toks, view.stems
    arm_int: list[int] = []
    arm_cmp: list[int] = []
    if pp is not None:
        astems = _arm_stems(toks, stems_)
        a_int = pp.arm_intervention or pp.intervention
        a_cmp = pp.arm_comparator or pp.comparator
        arm_int = [i for i, t in enumerate(astems) if t in a_int or _part_in(toks[i], a_int)]
        arm_cmp = [i for i, t in enumerate(astems) if (t in a_cmp or _part_in(toks[i], a_cmp))
                   and i not in arm_int]
        # "non-implanted eyes", "without tourniquet", "no ARB": the absence of the intervention.
        negated = [i for i in arm_int if toks[i].lower().startswith(("non-", "non‐"))
                   or (i > 0 and toks[i - 1].lower() in ("no", "non", "without", "not"))]
        if negated:
            arm_int = [i for i in arm_int if i not in negated]
            arm_cmp = sorted(set(arm_cmp) | set(negated))
        oset = set(pp.outcome)
        arm_cmp += [i for i, t in enumerate(stems_) if t in _GENERIC_CONTROL and i not in arm_cmp
                    and t not in pp.intervention and t not in oset and _generic_arm(toks, stems_, i)]
        arm_int += [i for i, t in enumerate(stems_) if t in _GENERIC_ACTIVE and i not in arm_int
                    and t not in pp.comparator]
    return ArmMentions(arm_int, arm_cmp)


def comparison_markers(toks: Sequence[str]) -> list[int]:
    """Token indices of the words that introduce the reference arm of a comparison (``than``, ``versus`` ...)."""
    n = len(toks)
    # Comparison markers; "compared", "comparison" and "relative" only when they introduce an arm
    # ("compared with placebo", not "a comparison of both groups").
    # "more than 20%" compares with a number, not an arm.
    # "superior to B" names the reference arm like "better than B".
    comp_idx = [i for i, t in enumerate(toks) if (t.lower() in _MARKERS
                and not (t.lower() == "than" and i + 1 < n and toks[i + 1][0].isdigit())
                and (t.lower() not in _MARKERS_WITH_PREP
                     or (i + 1 < n and toks[i + 1].lower() in ("with", "to", "against", "vs", "versus"))))
                or (t.lower() == "to" and i > 0 and toks[i - 1].lower() in ("superior", "inferior", "preferable"))]
    return comp_idx


def arm_features(arms: ArmMentions) -> dict[str, float]:
    """Whether the sentence names the intervention and the comparator."""
    return {"int_mentioned": float(bool(arms.intervention)), "cmp_mentioned": float(bool(arms.comparator))}
