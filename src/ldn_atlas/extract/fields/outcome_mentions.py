"""Outcome mentions, the first stage of the outcome reader: the things a sentence says changed.

"a reduction in pain", "LDN improved fatigue", "their symptoms worsened", "less use of opioids",
"achieved remission", "pain was lower with LDN", "no significant difference": each names an
outcome and gives its direction (see :mod:`.direction`) and, from the words around it, its
significance.  Sentences about the disease before or without treatment report no outcome.
"""

from __future__ import annotations

import re
from typing import Any

from ldn_atlas.extract.fields.context import ReadContext
from ldn_atlas.extract.fields.cues import _LDN, negated
from ldn_atlas.extract.fields.direction import _COMPARATIVE, comparative_direction, direction_of
from ldn_atlas.extract.fields.names import clean_name, effect_words, name_from_clause, split_list
from ldn_atlas.extract.fields.outcome_significance import _NOT_SIGNIF, _SIGNIF
from ldn_atlas.extract.fields.outcome_table import OutcomeTable
from ldn_atlas.extract.patterns import PERCENT, gate, rx
from ldn_atlas.extract.segment import Sentence

#: A sentence about the untreated disease state: a change "before any symptoms were observed",
#: "prior to treatment", "compared with healthy controls", "at baseline" is a finding about the
#: disease, not an effect of the intervention (when the sentence names no treatment).
_UNTREATED = rx(
    "untreated_state",
    r"\b(?:before|prior to)\s(?:any\s)?(?:other\s)?(?:the\s)?(?:clinical\s)?(?:symptoms?|signs?|onset|"
    r"disease onset|treatment|therapy|administration|dosing|randomi[sz]ation)\b|"
    r"\b(?:compared (?:with|to)|than|versus|vs\.?|relative to)\s(?:the\s)?(?:[\w-]{1,20}\s)?"
    r"(?:healthy|normal|non-diseased|unaffected)\s(?:[\w-]{1,20}\s)?"
    r"(?:controls?|subjects|volunteers|individuals|people|mice|animals|rats|participants)\b|"
    r"^at baseline\b|\buntreated\s(?:patients|mice|animals|rats|subjects|controls)\s(?:had|showed|displayed)\b",
)
#: A before-after comparison or a later time point: the change is the intervention's
#: ("cried less than before treatment", "after weight gain, levels returned to normal").
_PRE_POST = rx(
    "pre_post",
    r"\b(?:than|compared (?:with|to)|relative to|versus|vs\.?)\s(?:those\s|that\s|values\s)?"
    r"(?:before|prior to|at baseline|baseline)\b|\bafter\b|\bfollowing\b",
)
_TREATMENT_WORDS = rx(
    "treatment_words",
    r"\b(?:LDN|naltrexone|treat\w{0,8}|therap\w{0,5}|drug|intervention|administ\w{1,8}|given|dosed|dose)\b",
)
_CHANGE_MODS = rx(
    "outcome_change_mods",
    r"(?:(?:statistically|clinically|highly|very|a|an|the|overall|further|no|non-?significant|"
    r"significant|notable|considerable|marked|substantial|dramatic|modest|slight|small|large|great|meaningful|"
    r"remarkable|analytical|statistical|important|clear|minor|major|greater)\s){1,4}$",
)
_CHANGE = rx(
    "outcome_change",
    r"\b(?P<chg>reductions?|decreases?|declines?|improvements?|increases?|elevations?|rises?|worsening|"
    r"deterioration|alterations?|changes?|differences?|variations?|relief)\s(?:in|of)\s"
    r"(?P<obj>[^,.;:()]{2,90})",
)
_VERB_OBJ = rx(
    "outcome_verb_object",
    r"\b(?P<subj>LDN|low[- ]dose naltrexone|naltrexone|treatment|therapy|it|which|both|that)"
    r"(?:\s(?:therapy|treatment|or [\w -]{1,40}?))?\s(?:has\s|have\s|had\s|could\s|can\s|may\s|might\s|did\s|"
    r"was able to\s|also\s|significantly\s|notably\s|markedly\s|further\s){0,3}"
    r"(?P<verb>improv\w{0,3}|reduc\w{0,3}|decreas\w{0,3}|increas\w{0,3}|restor\w{0,3}|suppress\w{0,3}|"
    r"inhibit\w{0,3}|normali[sz]\w{0,3}|revert\w{0,3}|lower\w{0,3}|reliev\w{0,3}|alleviat\w{0,3}|attenuat\w{0,3}|"
    r"ameliorat\w{0,3}|worsen\w{0,3}|prevent\w{0,3}|delay\w{0,3})\s(?P<obj>[^,.;:()]{2,90})",
)
_SUBJ_VERB = rx(
    "outcome_subject_verb",
    r"(?P<subj>\b(?:(?:their|the|his|her|its|overall|mean|total)\s)?(?:[\w'-]{2,25}\s){0,3}?"
    r"(?:condition|symptoms|pain|levels?|scores?|function|quality of life|spasticity|fatigue|status|"
    r"severity|counts?|concentrations?))"
    r"(?:\s(?:in|of) [\w' -]{1,60}?)?\s(?:has\s|have\s|had\s|was\s|were\s)?(?:[\w]{2,15}ly\s)?"
    r"(?P<verb>improved|worsened|decreased|increased|declined|elevated|normali[sz]ed|rose|fell|dropped)\b",
)
_CMP_OBJ = rx(
    "outcome_comparative",
    r"\b(?:reported|experienced|showed|had|saw|with|noted|and)\s(?P<verb>less|fewer|lower|reduced|more|greater|"
    r"higher|increased|improved|better|worse|decreased)\s(?P<obj>[^,.;:()]{2,60})",
)
_GERUND = rx(
    "outcome_gerund",
    r"\b(?P<verb>inhibiting|reducing|improving|postponing|delaying|preventing|suppressing|decreasing|"
    r"alleviating|relieving|lowering|increasing|restoring|normali[sz]ing|attenuating)\s(?P<obj>[^,.;:()]{2,90})",
)
_AIM_BEFORE = rx(
    "aim_before",
    r"\b(?:aim(?:ed|ing|s)?|goal|objective|purpose|intend\w{0,3}|designed|sought|hop\w{1,3}|"
    r"to (?:assess|evaluate|determine|examine|investigate|test))\b[^.;]{0,25}$",
)
#: Less (or more) use of other treatments or aids while on the intervention: "decreased using
#: ketamine for pain", "quit using walking support", "reduced their need for analgesics".
#: Needing less rescue medication or fewer aids is an improvement; needing more, a worsening.
_LESS_USE = rx(
    "outcome_less_use",
    r"\b(?P<verb>decreas\w{0,3}|reduc\w{0,4}|lower\w{0,3}|stopp\w{0,3}|stops?|quit\w{0,4}|"
    r"discontinu\w{0,4}|ceas\w{0,3}|abandon\w{0,3}|taper\w{0,3}|wean\w{0,3}(?: off)?|increas\w{0,3}|"
    r"start\w{0,3}|resum\w{0,3})\s(?:their\s|his\s|her\s|the\s)?"
    r"(?:use of|using|usage of|intake of|need for|needing|dependence on|consumption of|taking)\s"
    r"(?P<obj>[^,.;:()]{2,60})",
)
_REMISSION = rx(
    "outcome_remission",
    r"\b(?:achiev\w{0,4}|gain\w{0,3}|attain\w{0,3}|reach\w{0,3}|went into|"
    r"induc\w{0,4})\s(?:a\s)?(?:total |complete |full |partial |clinical |sustained )?"
    r"remission\b",
)
_NULL = rx(
    "outcome_null",
    r"\bno\s(?:(?:statistically\s)?significant\s|analytical\s|statistical\s|meaningful\s|"
    r"notable\s|significant\s|apparent\s|clear\s|relevant\s)?(?:difference|variation|change|"
    r"effect|improvement|benefit)s?\b|\bdid not (?:significantly )?(?:differ|change|improve)\b|"
    r"\b(?:was|were) not (?:statistically )?significant(?:ly different)?\b|\bnon-?significant\b|"
    r"\bwere (?:similar|comparable)\b",
)
_AIM = rx(
    "outcome_aim",
    r"\b(?:impact|effects?|efficacy|influence|benefits?) of [^,.;]{1,60}? on (?:the )?"
    r"(?P<obj>[^,.;]{2,60})|\bassess\w{0,3} (?P<obj2>alterations? in [^,.;]{2,50}|"
    r"changes? in [^,.;]{2,50})",
)
_CHANGE = gate(
    _CHANGE,
    "reduction",
    "decrease",
    "decline",
    "improvement",
    "increase",
    "elevation",
    "rise",
    "worsening",
    "deterioration",
    "alteration",
    "change",
    "difference",
    "variation",
    "relief",
)
_VERB_OBJ = gate(
    _VERB_OBJ,
    "improv",
    "reduc",
    "decreas",
    "increas",
    "restor",
    "suppress",
    "inhibit",
    "normali",
    "revert",
    "lower",
    "reliev",
    "alleviat",
    "attenuat",
    "ameliorat",
    "worsen",
    "prevent",
    "delay",
)
_SUBJ_VERB = gate(
    _SUBJ_VERB,
    "improved",
    "worsened",
    "decreased",
    "increased",
    "declined",
    "elevated",
    "normali",
    "rose",
    "fell",
    "dropped",
)
_CMP_OBJ = gate(
    _CMP_OBJ,
    "less",
    "fewer",
    "lower",
    "reduced",
    "more",
    "greater",
    "higher",
    "increased",
    "improved",
    "better",
    "worse",
    "decreased",
)
_GERUND = gate(
    _GERUND,
    "inhibiting",
    "reducing",
    "improving",
    "postponing",
    "delaying",
    "preventing",
    "suppressing",
    "decreasing",
    "alleviating",
    "relieving",
    "lowering",
    "increasing",
    "restoring",
    "normali",
    "attenuating",
)
_REMISSION = gate(_REMISSION, "remission")
_UNTREATED = gate(_UNTREATED, "before", "prior to", "healthy", "normal", "non-diseased", "unaffected", "untreated",
                  "baseline")
_PRE_POST = gate(_PRE_POST, "before", "prior to", "baseline", "after", "following")
_LESS_USE = gate(_LESS_USE, "use of", "using", "usage", "intake", "need for", "needing", "dependence", "consumption",
                 "taking")
_NULL = gate(_NULL, "no", "similar", "comparable")
_AIM = gate(_AIM, "impact", "effect", "efficacy", "influence", "benefit", "assess")

#: the study's aim: the outcome it names, start, end
Aim = tuple[str, int, int]


def find_aim(c: ReadContext) -> Aim | None:
    """The outcome named by the study's aim ("the effect of LDN on fatigue"), the default of unnamed results."""
    for sent, text in c.iter():
        m = _AIM.search(text)
        if m:
            g = "obj" if m.group("obj") else "obj2"
            return (clean_name(m.group(g)), sent.start + m.start(g), sent.start + m.end(g))
    return None


def untreated_sentence(text: str) -> bool:
    """The sentence is about the disease before or without treatment: no outcome of the intervention."""
    um = _UNTREATED.search(text)
    return bool(
        um
        and not _TREATMENT_WORDS.search(text[: um.start()] + " " + text[um.end() :])
        and not _PRE_POST.search(text)
    )


def change_mentions(t: OutcomeTable, sent: Sentence, text: str, sig_sentence: bool) -> list[dict[str, Any]]:
    """Change nouns: "a (significant) reduction in pain, fatigue and stiffness" (each listed item its own)."""
    found: list[dict[str, Any]] = []
    for m in _CHANGE.finditer(text):
        name = clean_name(m.group("obj"))
        if not name or len(name) < 3:
            continue
        mm = _CHANGE_MODS.search(text[max(0, m.start() - 100) : m.start()])
        mods = mm.group(0).lower() if mm else ""
        neg = bool(re.search(r"\bno\b", mods)) or negated(text, m.start("chg"))
        sig = (
            False
            if neg or _NOT_SIGNIF.search(mods)
            else (
                True
                if _SIGNIF.search(mods) or (sig_sentence and re.search(r"significant", text[: m.start()], re.I))
                else None
            )
        )
        chg = m.group("chg").lower()
        if chg.startswith(("alteration", "change", "difference", "variation")) and not neg:
            continue  # aims ("assessed alterations in ...") state no direction
        if _AIM_BEFORE.search(text[max(0, m.start() - 40) : m.start()]):
            continue  # "aiming for the reduction of symptoms" is a goal, not a finding
        d = direction_of(chg, name, neg)
        tail = text[m.end() :]
        if tail.startswith(","):
            rest = re.split(r"[.;:]", tail, maxsplit=1)[0]
            items = [x for x in re.split(r",\s?(?:and\s|or\s)?|\s(?:and|or)\s", rest) if x.strip()]
            if items and all(len(x.split()) <= 5 for x in items):
                name = name + ", " + ", ".join(x.strip() for x in items)
        parts = split_list(name)
        cursor = m.start("obj")
        for part in parts:
            at = text.find(part, cursor) if len(parts) > 1 else -1
            if at >= 0:  # each item of a list gets its own words
                cursor = at + len(part)
                span = (sent.start + at, sent.start + at + len(part))
            else:
                span = (sent.start + m.start(), sent.start + m.end())
            found.append(t.add(part, d, sig, *span))
    return found


def verb_mentions(t: OutcomeTable, sent: Sentence, text: str) -> list[dict[str, Any]]:
    """Verbs with their object or subject: "LDN improved fatigue", "reported less pain", "pain improved"."""
    found: list[dict[str, Any]] = []
    for pat in (_VERB_OBJ, _CMP_OBJ, _GERUND):
        for m in pat.finditer(text):
            name = clean_name(m.group("obj"))
            if not name or len(name) < 3 or PERCENT.search(name):
                continue
            verb = m.group("verb").lower()
            sig = True if re.search(r"significantly", text[max(0, m.start() - 30) : m.end()], re.I) else None
            d = direction_of(verb, name)
            found.append(t.add(name, d, sig, sent.start + m.start(), sent.start + m.end()))
    for m in _SUBJ_VERB.finditer(text):
        name = clean_name(m.group("subj"))
        if not name or len(name) < 3:
            continue
        d = direction_of(m.group("verb"), name)
        found.append(t.add(name, d, None, sent.start + m.start(), sent.start + m.end()))
    return found


def use_and_remission_mentions(t: OutcomeTable, sent: Sentence, text: str) -> list[dict[str, Any]]:
    """Less (or more) use of other treatments ("quit using opioids"), and remission reached."""
    found: list[dict[str, Any]] = []
    for m in _LESS_USE.finditer(text):
        obj = clean_name(m.group("obj"))
        if not obj or len(obj) < 3 or _LDN.search(obj):
            continue  # the use of LDN itself is adherence, not an outcome
        verb = m.group("verb").lower()
        d = "worsened" if verb.startswith(("increas", "start", "resum")) else "improved"
        sig = True if re.search(r"statistically", text[: m.end()], re.I) else None
        found.append(t.add(f"use of {obj}", d, sig, sent.start + m.start(), sent.start + m.end()))
    for m in _REMISSION.finditer(text):
        found.append(t.add("remission", "improved", None, sent.start + m.start(), sent.start + m.end()))
    return found


def comparative_mentions(t: OutcomeTable, sent: Sentence, text: str) -> list[dict[str, Any]]:
    """Comparisons between arms: "pain scores were lower with LDN than with placebo"."""
    found: list[dict[str, Any]] = []
    for m in _COMPARATIVE.finditer(text):
        subject = name_from_clause(text[: m.start()])
        if subject and not effect_words(subject):
            sig = True if re.search(r"significantly", m.group(0), re.I) else None
            found.append(
                t.add(subject, comparative_direction(text[: m.end()], subject), sig,
                      sent.start + m.start(), sent.start + m.end())
            )
    return found


def null_mention(
    t: OutcomeTable, sent: Sentence, text: str, found: list[dict[str, Any]], aim: Aim | None
) -> list[dict[str, Any]]:
    """A null result ("no significant difference") for the clause's subject, the aim or the primary outcome."""
    null = _NULL.search(text)
    if null and not any(o["direction"] == "no-difference" for o in found):
        subject = name_from_clause(text[: null.start()]) if null.start() > 0 else None
        name = subject or (aim[0] if aim else "primary outcome")
        return [t.add(name, "no-difference", False, sent.start + null.start(), sent.start + null.end())]
    return []
