"""The wording the audit reads: patterns of proof, strength, results, nulls, designs and species."""

from __future__ import annotations

import re

PROOF = re.compile(
    r"\b(prov(?:e|ed|en|es|ing)|proof|establish(?:ed|es)?|demonstrat(?:ed|es)|conclusive(?:ly)?)\b", re.I
)


STRONG = re.compile(
    r"\b(considerabl[ey]|dramatic(?:ally)?|substantial(?:ly)?|remarkabl[ey]|marked(?:ly)?|total remission|"
    r"complete remission|full remission|cur(?:e|es|ed|ing)|miracul\w*|miracles?|(?<!statistically )significantly|"
    r"notably improved|greatly|halt(?:s|ed|ing)?|revers(?:e|es|ed|ing)|repair(?:s|ed|ing)?|eradicat\w*|"
    r"switch(?:es|ed)? off)\b",
    re.I,
)


CAVEAT = re.compile(
    r"\b(of particular concern|caution|limitation|confound\w*|further (?:research|studies|"
    r"research-based data)\b.*\bneeded|is needed|are needed|should be interpreted|bias\b|"
    r"(?:has|have) not (?:yet )?been (?:confirmed|established|shown|replicated)|cannot be attributed|"
    r"should be regarded as experimental|remains? (?:uncertain|unclear|unproven))",
    re.I,
)


RESULT = re.compile(
    r"\b(improv\w*|reduc\w*|decreas\w*|increas\w*|elevat\w*|restor\w*|revert\w*|respond\w*|remission|"
    r"(?<!relapsing-)(?<!relapsing )remitt\w*|"
    r"disappear\w*|resolv\w*|vanish\w*|abolish\w*|"
    r"well[- ]tolerated|tolerat\w*|benefit\w*|advantage\w*|suppress\w*|inhibit\w*|experienced|reported|"
    r"effective(?:ly|ness)?|efficac\w*|works?|help(?:s|ed)?|reports?|(?:less|fewer)(?= (?!than)\w)|"
    r"complained|(?<!study )(?<!article )(?<!the )mentioned(?! above)|observed|revealed|manifested|"
    r"diminish\w*|gained|achiev\w*|quit|declin\w*|drop\w*|fell|rose|lower(?:ed)?|higher|showed|found that|"
    r"cur(?:e|es|ed|ing)|halt(?:s|ed|ing)?|revers(?:e|es|ed|ing)|repair(?:s|ed|ing)?|heal(?:s|ed|ing)?|"
    r"miracle|disease-modifying|reliev\w*|"
    r"no (?:\w+ )?"
    r"(?:variation|difference|effect|change)|did not|side effects)\b",
    re.I,
)


NULL = re.compile(
    r"\b(no (?:\w+ ){0,2}(?:variation|difference|differences|effect|change|benefit|improvement)|"
    r"(?:did|does|do) not (?:significantly )?(?:differ|improve|change|reduce|lower|decrease|relieve|affect|alter|"
    r"outperform|beat)|no (?:better|more effective) than|"
    r"not (?:significantly )?(?:different|improved|better|superior|more effective)|failed to)\b",
    re.I,
)


#: A general claim of efficacy, about a treatment rather than a study ("LDN works for X").
GENERIC_EFFICACY = re.compile(
    r"\b(effective(?:ly|ness)?|efficacious|works?|helps?|beneficial|cur(?:e|es|ed|ing)|miracle|"
    r"treatment for|therapy for|halts|reverses|repairs|safe|well[- ]tolerated)\b",
    re.I,
)


MECHANISM = re.compile(
    r"\b(mechanism\w*|endorphin|enkephalin|opioid growth factor|OGF|cytokine\w*|interleukin|\bIL-\d+|TNF|"
    r"signal(?:l)?ing|pathophysiolog\w*|proliferation|B and T cells|T cells?|B cells?|receptor\w*|"
    r"mononuclear|biomarker\w*|serum|plasma|circulating|TLR-?\d|toll-like|microglia\w*|glia\w*|"
    r"neuroinflamm\w*|immune cells?)\b",
    re.I,
)


SAFETY = re.compile(
    r"\b(well[- ]tolerated|tolerab\w*|tolerated|safety|safe|side effects?|adverse|insomnia|"
    r"vivid dreams?|nausea|headache)\b",
    re.I,
)


EFFICACY = re.compile(
    r"\b(improv\w*|reduc\w*|decreas\w*|remission|respond\w*|effective\w*|benefit\w*|"
    r"advantage\w*|relie\w*|symptom\w*|quality of life|pain|weakness|fatigue|"
    r"spasticity|walking)\b",
    re.I,
)


TREATMENT = re.compile(r"\b(LDN|naltrexone|administration|administered|treat\w*|therap\w*|prophyla\w*)\b", re.I)


ANIMAL = re.compile(r"\b(mice|mouse|murine|rats?|rodents?|animal\w*|EAE|encephalomyelitis)\b", re.I)


INVITRO = re.compile(
    r"\b(in vitro|in-vitro|cell cultures?|cultured|laborator(?:y|ies) (?:studies|work|experiments?|research))\b", re.I
)


#: A general statement about the treatment in the present tense ("LDN reduces pain", "LDN is effective for X"),
#: as opposed to a report of what one study found.
GENERIC_PRESENT = re.compile(
    r"\b(?:LDN|naltrexone)\s+(?:also\s+)?(?:is|are|works?|helps?|reduces|improves|relieves|cures|treats|halts|"
    r"reverses|repairs|heals|stops|prevents|eases|calms|restores|lowers|produces|has emerged|blocks|binds|acts|"
    r"switches|modulates|targets|dampens|inhibits|suppresses|reduces)\b",
    re.I,
)


DESIGN_WORDS = {
    "randomized": re.compile(r"\brandomi[sz]ed\b", re.I),
    "placebo-controlled": re.compile(r"\bplacebo[- ]controlled\b", re.I),
    "double-blind": re.compile(r"\bdouble[- ](?:blind|masked)\b", re.I),
    "single-blind": re.compile(r"\bsingle[- ]blind\b", re.I),
    "open-label": re.compile(r"\bopen[- ]label\b", re.I),
    "crossover": re.compile(r"\bcross[- ]?over\b", re.I),
    "retrospective": re.compile(r"\bretrospective\b", re.I),
    "multicentre": re.compile(r"\bmulti[- ]?cent(?:er|re)(?:ed|d)?\b", re.I),
    "pilot": re.compile(r"\bpilot\b", re.I),
    "case-report": re.compile(r"\bcase (?:report|study|studies)\b", re.I),
    "systematic-review": re.compile(r"\b(?:systematic review|meta-analy\w+|cochrane review)\b", re.I),
}
