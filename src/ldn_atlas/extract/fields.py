"""Field extraction: the facts of one candidate study, each with the span it came from.

The rules read the sentences of one segment (see :mod:`ldn_atlas.extract.segment`)
and fill a :class:`~ldn_atlas.model.Study`: species and model, condition, design
tags, sample size and sex, subgroups, durations (normalised to days: weeks x 7,
months x 30.44, years x 365.25), doses, comparator, periods, outcomes with
direction and significance, responders, adverse events, p-values and confidence
intervals.  Every value records the character span of the words behind it in
``Study.provenance`` under its field path.

The rules are lexical (cue words, bounded regular expressions) in the spirit of
rule-based clinical information extraction (e.g. ExaCT, Kiritchenko et al.
2010; the numeric-fact patterns of Summerscales et al. 2011).

References
----------
.. [1] Kiritchenko, S., de Bruijn, B., Carini, S., Martin, J., & Sim, I. (2010).
   ExaCT: automatic extraction of clinical trial characteristics from journal
   publications. BMC Medical Informatics and Decision Making, 10, 56.
.. [2] Summerscales, R. L., Argamon, S., Bai, S., Hupert, J., & Schwartz, A. (2011).
   Automatic summarization of results from clinical trials. IEEE BIBM 2011, 372-377.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ldn_atlas.extract.conditions import ConditionMention, find_conditions
from ldn_atlas.extract.patterns import (
    APPROXIMATE_WORDS,
    CI_GATED,
    DAYS_PER,
    DIGIT_NUMBER,
    DOSE_GATED,
    DURATION_GATED,
    EFFECT_GATED,
    NUM_START,
    NUMBER,
    P_VALUE_GATED,
    PERCENT,
    PERCENT_GATED,
    gate,
    parse_number,
    rx,
)
from ldn_atlas.extract.segment import Segment, Sentence
from ldn_atlas.model import (
    AdverseEvent,
    Condition,
    Intervention,
    Measure,
    Outcome,
    Period,
    Population,
    Responders,
    Span,
    Study,
    Subgroup,
)

MAX_SENTENCE = 5000  # longer "sentences" are not prose (tables, dumps): skipped by the fine-grained rules

# ----------------------------------------------------------------------------------------------
# lexicons
# ----------------------------------------------------------------------------------------------
_POP_NOUN = (
    r"patients?|subjects?|participants?|women|woman|men|man|persons?|people|individuals?|volunteers?|adults?|"
    r"children|sufferers?|cases|mice|rats|animals|females|males|girls|boys|infants|outpatients|inpatients|"
    r"veterans|smokers|patient|adolescents|residents|pregnancies|couples|eyes"
)
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

_NEG_BEFORE = rx(
    "negation_before",
    r"(?:\b(?:no|not|without|never|nor|lack of|absence of|neither)\b ?|\bnon-)"
    r"(?:[\w-]{1,25}[ ,]{1,2}){0,3}$",
)

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
_OTHER_STUDIES = rx(
    "other_studies",
    r"\b(?:previous|prior|earlier|past|other) (?:stud|trial|report|work)|"
    r"\bha(?:ve|s) (?:been )?(?:shown|reported|suggested|demonstrated)\b",
)
_NO_CONTROL = rx(
    "no_control",
    r"\b(?:without|no|lack of|absence of)(?: a| any)? (?:control(?: group| arm)?|"
    r"comparator)(?: or placebo)?\b|\buncontrolled\b|\bsingle[- ]arm\b|\bsingle group\b",
)
_CONTROL = rx("control_cue", r"\bcontrol(?:led)? (?:group|arm|subjects|participants)\b|\bcontrolled\b")

# durations: what the words around a duration say it measures
_DUR_SKIP_PRE = rx(
    "dur_skip_pre",
    r"(?:disease duration|duration of (?:the )?(?:disease|illness|symptoms|condition|"
    r"pain)|suffer\w{0,4}|histor\w{1,3}|diagnos\w{1,6}|living with|aged?|age of|"
    r"old|born|ago|onset)\b[^.;]{0,60}$",
)
_DUR_SKIP_POST = rx(
    "dur_skip_post",
    r"^[- ]?(?:of age|old|ago|earlier|before|prior|of (?:unsuccessful|prior|"
    r"previous|failed|ineffective|other|standard|conventional|disease|illness|"
    r"symptoms))\b",
)
_DUR_TIMEPOINT_PRE = rx(
    "dur_timepoint",
    r"\b(?:within|after|at|by|following|until|since|to)(?: the| a)?"
    r"(?: (?:initial|first))?\s?$",
)
_DUR_FOR_PRE = rx(
    "dur_for",
    r"\b(?:for|over|during|lasting|lasted|period of|course of|duration of|"
    r"(?:mean|median|average) (?:of|period of|duration of)?)(?: (?:a|an|the|about|"
    r"approximately|up to|at least|more than|over|nearly|almost))?\s?$",
)
_ADMIN = rx(
    "admin_cue",
    r"\b(?:given|administ\w{1,8}|received|receiving|treated|took|taking|dosed|prescribed|"
    r"used|using|on LDN|LDN therapy|LDN treatment|therapy was|treatment was)\b",
)
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
_STUDY_AFTER = rx(
    "dur_study_after",
    r"^[- ]?(?:long\b|-long\b)?,?\s?(?:[\w-]{1,25},?\s){0,3}?(?:stud(?:y|ies)|"
    r"trials?|investigation|research|experiment)\b",
)

_DOWN = (
    "reduc",
    "decreas",
    "declin",
    "lower",
    "less",
    "fewer",
    "suppress",
    "inhibit",
    "diminish",
    "fall",
    "fell",
    "drop",
    "reliev",
    "alleviat",
    "attenuat",
    "postpon",
    "delay",
    "prevent",
    "ameliorat",
    "quit",
    "cessation",
)
_UP = ("increas", "elevat", "rise", "rose", "higher", "more", "greater", "enhanc", "gain")
_BETTER = ("improv", "restor", "normali", "revert", "benefit", "advantage", "better", "remission", "relief")
_WORSE = ("worsen", "deteriorat", "worse", "aggravat", "exacerbat")
_BAD = (
    "pain",
    "spastic",
    "fatigue",
    "tired",
    "stress",
    "severity",
    "symptom",
    "weakness",
    "inflammat",
    "cytokine",
    "depress",
    "anxiety",
    "disabilit",
    "relapse",
    "progression",
    "dysfunction",
    "defect",
    "insomnia",
    "nausea",
    "ketamine",
    "opioid use",
    "analgesic",
    "walking support",
    "walking aid",
    "disease activity",
    "mortality",
    "death",
    "exacerbation",
    "attacks",
    "lesion",
    "itch",
    "pruritus",
    "swelling",
    "edema",
    "stiffness",
    "hospitali",
    "discrepancy",
    "side effect",
    "adverse",
    "sleep disturbance",
    "migraine",
    "headache",
    "tender",
    "flare",
    "failure",
    "infection",
    "bleeding",
    "risk",
    "proliferation",
)
_GOOD = (
    "quality of life",
    "mental health",
    "function",
    "well-being",
    "wellbeing",
    "remission",
    "sleep quality",
    "mobility",
    "survival",
    "response",
    "health",
    "energy",
    "mood",
    "vitality",
    "opioid growth factor",
    "endorphin",
    "control",
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
_SIGNIF = rx(
    "significance",
    r"\b(?:statistically (?:significant|notable)|significant(?:ly)?|"
    r"statistically)\b",
)
_NOT_SIGNIF = rx(
    "not_significance",
    r"\b(?:no|not|non-?)\s?(?:statistically\s)?significant(?:ly)?\b|"
    r"\bno analytical\b|\bnon-?significant\b",
)

_OBJ_CUT = rx(
    "object_cut",
    r"\s(?:was|were|is|are|has|have|had|that|which|who|after|with|following|compared|than|when|while|"
    r"in comparison|at|from|during|among|between|versus|vs\.?|for|by|on|as|to|but|because|although|"
    r"in (?:these|the|those|all|both|three|two|\d)|"
    r"of (?:these|the|those|their)\b(?! (?:disease|illness|condition|symptoms|pain)\b)|"
    r"of (?:[\w-]{1,20} ){0,2}(?:patients|subjects|participants|women|men|people|mice|rats)|"
    r"of (?:LDN|treatment)|"
    r"in patients|in subjects|in (?:the )?(?:ldn|placebo|treatment|control))\b",
)
_LEADING = rx(
    "leading_words",
    r"^(?:the|a|an|their|his|her|its|overall|observed|mean|total|any|some|"
    r"these|those|and|or|but|both|[\w-]{1,20}'s?)\s",
)

_AE_TERMS = (
    r"insomnia|sleep disturbances?|sleep problems|vivid dreams|nightmares|abnormal dreams|headaches?|"
    r"nausea|vomiting|dizziness|diarrh(?:o)?ea|constipation|rash|pruritus|itching|anxiety|irritability|"
    r"agitation|dry mouth|abdominal pain|gastrointestinal (?:upset|symptoms|side effects)|"
    r"hallucinations|palpitations|tachycardia|fatigue|drowsiness|somnolence|"
    r"(?:mild |serious |any )?(?:side effects|adverse (?:events|effects|reactions))"
)
_AE_AFTER_PCT = rx(
    "ae_after_percent",
    r"^\s?(?:of\s(?:the\s)?(?:subjects|patients|participants|people|persons|respondents|users|cases)\s)?"
    r"(?:also\s)?(?:reported|complained of(?: having)?|experienced|had|developed|noted|described|"
    r"suffered(?: from)?|"
    r"presented with)\s(?P<neg>no |any )?(?P<ae>" + _AE_TERMS + r")\b",
)
_AE_BEFORE_PCT = rx(
    "ae_before_percent",
    r"(?P<ae>" + _AE_TERMS + r")\s(?:was |were )?(?:reported |observed |seen |occurred )?(?:in|by)\s$",
)
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
_OUTCOME_AFTER_PCT = rx(
    "outcome_after_percent",
    r"^\s?(?:of\s(?:the\s)?(?:subjects|patients|participants|people|persons|respondents|cases)\s)?"
    r"(?:reported|experienced|showed|had|noted|confirmed|achieved|described|perceived)\s(?:an?\s)?"
    r"(?P<verb>less|fewer|lower|reduced|more|greater|higher|increased|improved|improvement|reduction|decrease|"
    r"increase|better|worse|worsening|no)\s(?:in\s|of\s)?(?P<obj>[^,.;:()]{2,60})",
)
_PCT_CHANGE_AFTER = rx(
    "percent_change_after",
    r"^\s(?P<chg>reduction|decrease|improvement|increase|decline|change|drop|rise)\s(?:in|of)\s"
    r"(?P<obj>[^,.;:()]{2,60})",
)
_RESPECTIVELY = rx(
    "respectively",
    r"\b(?:on|in|for|with|among|receiving|after)\s(?:the\s)?(?P<a1>[\w-]{1,30}(?:\s[\w-]{1,30}){0,2}?)\s"
    r"(?:and|or|vs\.?|versus)\s(?:the\s)?(?P<a2>[\w-]{1,30}(?:\s[\w-]{1,30}){0,2}?)(?:\s(?:groups?|arms?))?,?\s"
    r"respectively\b",
)
_THRESHOLD = rx(
    "responder_threshold",
    r"(?P<cmp>more than|greater than|at least|over|≥|>=|>)\s?(?:a\s)?(?P<thr>\d{1,3}(?:\.\d{1,2})?)\s?%\s"
    r"(?:or (?:more|greater)\s)?(?P<what>reduction|improvement|decrease|decline|response|relief|drop)\b"
    r"(?:\s(?:in|of)\s(?P<obj>[^,.;:()]{2,60}))?",
)
_COUNT_REPORT = rx(
    "count_report",
    rf"{NUM_START}(?P<num>{NUMBER})\s(?:[\w-]{{1,20}}\s){{0,2}}?(?:{_POP_NOUN})\s(?:also\s|only\s)?"
    r"(?P<verb>reported|mentioned|complained(?: of)?|experienced|had|developed|showed|noted|described)\b"
    r"(?P<rest>[^.;]{0,80})",
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
_OPPOSITE = rx("opposite", r"\b(?:oppositely|the opposite|otherwise|the reverse|worse|worsening)\b")
_COUNT_NOUN = rx(
    "count_noun",
    rf"{NUM_START}(?P<num>{NUMBER})(?:\s(?:of\s(?:the\s|these\s)?(?P<of>{NUMBER}))?)?\s(?:[\w-]{{1,20}}\s){{0,2}}?"
    rf"(?:{_POP_NOUN}|of (?:them|these|those|whom)\b)",
)
#: a modifier between a count and its noun: not a function word, unit or number word
_MOD_TOKEN = (
    r"(?!(?:of|to|in|with|the|for|from|at|by|on|per|than|days?|weeks?|months?|years?|hours?|mg|"
    r"groups?|times|doses?|were|was|had|who)\b)(?!(?:and|or)\s(?:\d|(?:one|two|three|four|five|six|seven|eight|"
    r"nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)\b))[\w'-]{1,25}"
)
_N_PHRASE = rx(
    "sample_size",
    rf"{NUM_START}(?P<num>{NUMBER})\s(?P<mods>(?:{_MOD_TOKEN}\s){{0,3}}?)(?P<noun>{_POP_NOUN})\b",
)
#: the word before a sample size (read from the few characters before the number)
_N_PRE = rx(
    "sample_size_pre",
    r"\b(a total of|total of|including|included|includes|include|enrolled|enrolling|enroll|recruited|"
    r"recruiting|comprised|comprising|comprises|involving|involved|assessed|studied|randomi[sz]ed|evaluated|"
    r"examined|analy[sz]ed|followed|surveyed|assigned|allocated|of|in|on|with|among|from|were|all)\s$",
)
_N_SUM = rx(
    "sample_size_sum",
    rf"{NUM_START}(?P<a>{NUMBER})\s(?:{_MOD_TOKEN}\s){{1,3}}?(?:and|plus)\s(?P<b>{NUMBER})\s(?:{_MOD_TOKEN}\s){{0,3}}?"
    rf"(?P<noun>{_POP_NOUN})\b",
)
_N_HYPHEN = rx("sample_size_hyphen", rf"(?P<num>{NUMBER})-(?P<noun>patient|subject|participant|person|woman|women)\b")
_N_EQUALS = rx("sample_size_equals", r"(?<![\w])[nN]\s?=\s?(?P<num>\d{1,3}(?:,\d{3}){1,2}|\d{1,7})\b", 0)
_N_SUFFIX = rx(
    "sample_size_suffix",
    r"^\s?(?:were |was |had |have )?(?:randomi[sz]ed|randomly|enrolled|included|"
    r"recruited|underwent randomi[sz]ation|participated|took part|completed|"
    r"were analy[sz]ed|entered)",
)
_N_SUBSET_PRE = rx(
    "sample_subset_pre",
    r"\b(?:just|only|first|last|remaining|other|another|additional|further|"
    r"these|those|the|both|each|of)\s$",
)
_N_SUBSET_POST = rx(
    "sample_subset_post",
    r"^\s?(?:[\w-]{1,20}\s)?(?:responded|reported|mentioned|complained|"
    r"experienced|achieved|showed|died|withdrew|dropped|discontinued|"
    r"developed|required|needed|did not|were excluded|was excluded)\b",
)
_N_ARM_POST = rx(
    "sample_arm_post",
    r"^\s?(?:(?:were|was)\s)?(?:[\w-]{1,20}\s){0,2}?(?:(?:in|to|into|on|received|receiving|per)\s(?:the\s|each\s)?"
    r"(?:[\w-]{1,30}\s){0,3}?(?:group|arm|cohort)\b|(?:in\s)?each\s(?:group|arm)\b)",
)
_N_ANALYZED = rx(
    "sample_analyzed",
    r"\b(?:final analysis|full analysis|analy[sz]ed|analysis of the data|"
    r"completed the (?:study|trial)|were evaluable|per protocol)\b",
)
_N_ENROLLED = rx("sample_enrolled", r"\b(?:enrolled|randomi[sz]ed|randomi[sz]ation|recruited)\b")
_ONE_PATIENT = rx(
    "one_patient",
    r"\b(?:a|one|an?\s\d{1,3}[- ]year[- ]old)\s(?:[\w-]{1,20}\s){0,2}?"
    r"(?P<noun>patient|woman|man|girl|boy|female|male|child|lady|gentleman)\b",
)
_FEMALE = rx("female_cue", r"\b(?:women|woman|females?|girls?|ladies|lady|mothers)\b")
_MALE = rx("male_cue", r"\b(?:men|man|males?|boys?|fathers|gentleman)\b")
_MIXED = rx(
    "mixed_cue",
    r"\b(?:men and women|women and men|males and females|females and males|both sexes|"
    r"male and female|female and male)\b",
)
_LDN = rx("ldn_mention", r"\b(?:low[- ]dose naltrexone|LDN|naltrexone)\b")
_SCHEDULE = rx(
    "schedule",
    r"\b(?:once|twice) (?:daily|a day|weekly)\b|\b(?:daily|nightly|at bedtime|at night|"
    r"every (?:night|day|morning|evening))\b",
)
_COMPARATOR = rx(
    "comparator",
    r"\b(?:versus|vs\.?|compared (?:with|to)|against)\s(?:the\s)?(?:a\s)?"
    r"(?P<cmp>[\w-]{2,30}(?:\s[\w-]{2,30})?)",
)
_PLACEBO = rx("placebo", r"\bplacebo\b")
_PERIOD_WORD = rx(
    "period_word",
    r"^[- ]?(?:long\s)?(?:-long\s)?(?:of\s|on\s)?(?:the\s)?(?:single-blind\s|"
    r"double-blind\s|open-label\s)?(?P<w>placebo|washout|wash-out|run-in|baseline|"
    r"follow-up|treatment|LDN|naltrexone|therapy)\b",
)
_PERIOD_WORD_PRE = rx(
    "period_word_pre",
    r"\b(?P<w>placebo|washout|wash-out|run-in|baseline|follow-up)"
    r"(?:\s(?:period|phase))?(?:\s(?:of|lasting|for))?\s$",
)
_BASELINE = rx("baseline_word", r"\bbaseline\b|\brun-in\b")


# --- literal pre-checks (see patterns.Gated): a pattern runs only on sentences holding one of its keys ---
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
_OTHER_STUDIES = gate(
    _OTHER_STUDIES, "previous", "prior", "earlier", "past", "other", "shown", "reported", "suggested", "demonstrated"
)
_NO_CONTROL = gate(_NO_CONTROL, "control", "comparator", "single", "uncontrolled")
_ADMIN = gate(
    _ADMIN,
    "given",
    "administ",
    "receiv",
    "treated",
    "took",
    "taking",
    "dosed",
    "prescribed",
    "used",
    "using",
    "ldn",
    "therapy was",
    "treatment was",
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
_SIGNIF = gate(_SIGNIF, "signific", "statistic")
_NOT_SIGNIF = gate(_NOT_SIGNIF, "signific", "analytical", "no")
_RESPECTIVELY = gate(_RESPECTIVELY, "respectively")
_THRESHOLD = gate(_THRESHOLD, "%")
#: words that must occur in a text before the sample-size patterns are worth running
_PERSON_KEYS = (
    "patient",
    "subject",
    "participant",
    "wom",
    "men",
    "man",
    "person",
    "people",
    "individual",
    "volunteer",
    "adult",
    "children",
    "sufferer",
    "case",
    "mice",
    "rat",
    "animal",
    "female",
    "male",
    "girl",
    "boy",
    "infant",
    "veteran",
    "smoker",
    "adolescent",
    "resident",
    "pregnanc",
    "couple",
    "eye",
)
_N_PHRASE = gate(_N_PHRASE, *_PERSON_KEYS)
_N_SUM = gate(_N_SUM, *_PERSON_KEYS)
_N_HYPHEN = gate(_N_HYPHEN, "-patient", "-subject", "-participant", "-person", "-wom")
_N_EQUALS = gate(_N_EQUALS, "=")
_ONE_PATIENT = gate(
    _ONE_PATIENT, "patient", "man", "woman", "girl", "boy", "male", "female", "child", "lady", "gentleman"
)
_FEMALE = gate(_FEMALE, "wom", "female", "girl", "lad", "mother")
_MALE = gate(_MALE, "men", "man", "male", "boy", "father", "gentleman")
_MIXED = gate(_MIXED, "men and", "women and", "males and", "females and", "both sexes", "male and", "female and")
_LDN = gate(_LDN, "ldn", "naltrexone")
_COMPARATOR = gate(_COMPARATOR, "versus", "vs", "compared", "against")
_PLACEBO = gate(_PLACEBO, "placebo")
_BASELINE = gate(_BASELINE, "baseline", "run-in")
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


@dataclass
class _Ctx:
    """Working state while one study is read."""

    source: str
    text: str
    sentences: list[Sentence]
    masked: list[str]
    prov: dict[str, list[Span]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seen: set[tuple[str, int, int]] = field(default_factory=set)
    _items: list[tuple[Sentence, str]] | None = None

    def mark(self, path: str, start: int, end: int) -> None:
        if end < start:
            start, end = end, start
        key = (path, start, end)
        if key in self.seen:
            return
        self.seen.add(key)
        self.prov.setdefault(path, []).append(Span(source=self.source, start=start, end=end))

    def iter(self) -> list[tuple[Sentence, str]]:
        """The (sentence, masked text) pairs the rules read (prose-length sentences only)."""
        if self._items is None:
            self._items = [(s, m) for s, m in zip(self.sentences, self.masked, strict=True) if len(m) <= MAX_SENTENCE]
        return self._items


def _mask(sentence: Sentence, exclude: list[tuple[int, int]]) -> str:
    text = sentence.text
    for s, e in exclude:
        if s < sentence.end and sentence.start < e:
            a = max(s, sentence.start) - sentence.start
            b = min(e, sentence.end) - sentence.start
            text = text[:a] + " " * (b - a) + text[b:]
    return text


def _negated(text: str, start: int) -> bool:
    clause = re.split(r"[,;:()]", text[max(0, start - 60) : start])[-1]
    return bool(_NEG_BEFORE.search(clause))


def _clean_name(obj: str) -> str:
    obj = obj.strip()
    m = _OBJ_CUT.search(" " + obj)
    if m:
        obj = (" " + obj)[: m.start()].strip()
    obj = re.sub(r"\s+(?:and|or|in|of|the|a|an)$", "", obj.strip())
    for _ in range(3):
        new = _LEADING.sub("", obj)
        if new == obj:
            break
        obj = new
    return obj.strip(" -")


def _polarity(name: str) -> str | None:
    low = name.lower()
    if any(w in low for w in _GOOD) and not any(w in low for w in ("dysfunction",)):
        return "good"
    if any(w in low for w in _BAD):
        return "bad"
    return None


def direction_of(change: str, name: str, negated: bool = False) -> str:
    """``improved``/``worsened``/``no-difference``/``unclear`` from a change word and what changed.

    >>> direction_of("reduction", "spasticity"), direction_of("increase", "quality of life")
    ('improved', 'improved')
    >>> direction_of("decreased", "mental health"), direction_of("elevated", "beta levels")
    ('worsened', 'unclear')
    """
    if negated:
        return "no-difference"
    c = change.lower()
    if any(c.startswith(w) for w in _WORSE):
        return "worsened"
    if any(c.startswith(w) for w in _BETTER):
        return "improved"
    pol = _polarity(name)
    down = any(c.startswith(w) for w in _DOWN)
    up = any(c.startswith(w) for w in _UP)
    if pol is None or not (up or down):
        return "unclear"
    if (down and pol == "bad") or (up and pol == "good"):
        return "improved"
    return "worsened"


# ----------------------------------------------------------------------------------------------
# the extractor
# ----------------------------------------------------------------------------------------------
class StudyReader:
    """Reads one segment into a :class:`Study` (use :func:`read_study`)."""

    def __init__(
        self,
        source_id: str,
        text: str,
        seg: Segment,
        *,
        context: list[Sentence],
        fallback_conditions: list[ConditionMention],
        inherited: Study | None,
        single: bool,
    ) -> None:
        masked = [_mask(s, seg.exclude) for s in seg.sentences]
        self.c = _Ctx(source_id, text, seg.sentences, masked)
        self.seg = seg
        self.context = context
        self.fallback_conditions = fallback_conditions
        self.inherited = inherited
        self.single = single

    # --- species and model ----------------------------------------------------------------
    def species(self) -> tuple[str, str | None]:
        c = self.c
        first = c.iter()[:1]
        for sent, text in first:
            m = _VITRO.search(text)
            if m:
                c.mark("species", sent.start + m.start(), sent.start + m.end())
                return "in-vitro", None
        hits: list[tuple[int, str, int, int, re.Match[str]]] = []
        counts = {"animal": 0, "human": 0, "in-vitro": 0}
        for sent, text in c.iter():
            if self.single and (_OTHER_STUDIES.search(text) or _background(sent)):
                continue  # "Animal studies have shown ..." is not this study
            for pat, kind in ((_ANIMAL, "animal"), (_HUMAN, "human"), (_VITRO, "in-vitro")):
                found = list(pat.finditer(text))
                counts[kind] += len(found)
                if found:
                    m = found[0]
                    hits.append((sent.start + m.start(), kind, sent.start + m.start(), sent.start + m.end(), m))
        inherited = self.inherited
        same = self.seg.same_what or ""
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
        if self.single:
            animal_wins = counts["animal"] > counts["human"]
        if "animal" in kinds and animal_wins:
            h = next(x for x in hits if x[1] == "animal")
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
            return "animal", model
        h = hits[0]
        if self.single and h[1] == "in-vitro" and counts["human"] >= counts["in-vitro"]:
            h = next((x for x in hits if x[1] == "human"), h)  # an abstract's passing "in vitro" mention
        c.mark("species", h[2], h[3])
        return h[1], None

    # --- condition --------------------------------------------------------------------------
    def condition(self) -> Condition:
        c = self.c
        mentions: list[ConditionMention] = []
        for sent, text in c.iter():
            mentions.extend(find_conditions(text, sent.start))
        if not mentions:
            for sent in self.context:
                mentions.extend(find_conditions(sent.text, sent.start))
        if not mentions and self.inherited is not None and self.inherited.condition.label != "unspecified":
            spans = self.inherited.provenance.get("condition", [])
            for s in spans:
                c.mark("condition", s.start, s.end)
            return self.inherited.condition
        if not mentions:
            mentions = list(self.fallback_conditions)
        if not mentions:
            return Condition(label="unspecified")
        counts: dict[str, int] = {}
        for m in mentions:
            counts[m.label] = counts.get(m.label, 0) + 1
        best = max(counts, key=lambda lab: (counts[lab], -next(i for i, m in enumerate(mentions) if m.label == lab)))
        chosen = [m for m in mentions if m.label == best]
        for m in chosen[:3]:
            c.mark("condition", m.start, m.end)
        return Condition(label=chosen[0].label, code=chosen[0].code)

    # --- design -------------------------------------------------------------------------------
    def design(self, species: str, n: int | None) -> tuple[list[str], bool | None, str | None]:
        c = self.c
        tags: dict[str, tuple[int, int]] = {}
        no_control: tuple[int, int] | None = None
        for sent, text in c.iter():
            if sent.section and sent.section.upper() in ("BACKGROUND", "INTRODUCTION", "CONTEXT"):
                continue
            if self.single and _OTHER_STUDIES.search(text):
                continue  # an abstract's sentence about other studies
            for tag, pat in DESIGN_CUES:
                for m in pat.finditer(text):
                    if _negated(text, m.start()):
                        continue
                    tags.setdefault(tag, (sent.start + m.start(), sent.start + m.end()))
                    break
            m = _NO_CONTROL.search(text)
            if m and no_control is None:
                no_control = (sent.start + m.start(), sent.start + m.end())
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
                    comparator = _clean_name(m.group("cmp")) or None
                    if comparator:
                        c.mark("comparator", sent.start + m.start("cmp"), sent.start + m.end("cmp"))
                        controlled = True
                    break
        ordered = [t for t, _ in DESIGN_CUES if t in tags] + [t for t in ("animal", "in-vitro") if t in tags]
        for k, tag in enumerate(ordered):
            s, e = tags[tag]
            if e > s:
                c.mark(f"design[{k}]", s, e)
        return ordered, controlled, comparator

    # --- population ---------------------------------------------------------------------------
    def population(self, species: str) -> Population:
        c = self.c
        body = [k for k, (sent, _t) in enumerate(c.iter()) if (sent.section or "").upper() != "TITLE"]
        first_body = body[0] if body else 0
        cands: list[tuple[float, int, int, int, str, str, str]] = []  # score, value, start, end, noun, mods, ctx
        for si, (sent, text) in enumerate(c.iter()):
            if sent.section and sent.section.upper() in ("BACKGROUND", "INTRODUCTION", "CONTEXT"):
                continue
            for m in _N_PHRASE.finditer(text):
                value = parse_number(m.group("num"))
                if value is None or value != int(value) or value < 1 or value > 10_000_000:
                    continue
                if text[max(0, m.start() - 1) : m.start()] in ("-",) or text[m.end("num") : m.end("num") + 1] == "%":
                    continue
                window = text[max(0, m.start() - 30) : m.start()]
                pm = _N_PRE.search(window)
                pre = pm.group(1).lower() if pm else ""
                pre_start = m.start() - (len(window) - pm.start()) if pm else m.start()
                before = text[max(0, m.start() - 25) : m.start("num")]
                after = text[m.end() : m.end() + 60]
                if _N_SUBSET_PRE.search(before) and not pre:
                    continue
                if re.search(r"\b(?:aged?|age of|years? old)\s?$", before, re.IGNORECASE):
                    continue
                score = 1.0
                if pre in (
                    "a total of",
                    "total of",
                    "including",
                    "included",
                    "includes",
                    "include",
                    "enrolled",
                    "assigned",
                    "allocated",
                    "enrolling",
                    "enroll",
                    "recruited",
                    "recruiting",
                    "comprised",
                    "comprising",
                    "comprises",
                    "involving",
                    "involved",
                    "assessed",
                    "studied",
                    "randomized",
                    "randomised",
                    "evaluated",
                    "examined",
                    "surveyed",
                    "followed",
                ):
                    score = 3.0
                elif pre in ("in", "on", "among", "of", "with"):
                    score = 2.0
                if _N_SUFFIX.search(after):
                    score = max(score, 3.0)
                if _N_SUBSET_POST.search(after) and score < 3:
                    continue
                if re.match(r"[- ](?:months?|years?|days?|weeks?)\b", after):
                    continue  # person-time: "18,035 woman months"
                if re.search(
                    r"\b(?:group|arm|cohort)\s(?:consisted\sof|of|comprised)\s$",
                    text[max(0, m.start("num") - 30) : m.start("num")],
                    re.IGNORECASE,
                ):
                    continue  # one arm's size
                if _N_ARM_POST.search(after) and score < 3:
                    continue
                if pre == "of" and re.search(
                    r"\d\s?%?\s?$|\b(?:one|two|three|four|five|six|seven|eight|nine|ten)\s?$",
                    text[max(0, pre_start - 12) : pre_start],
                    re.IGNORECASE,
                ):
                    score = 2.0  # "six of the ten patients": ten is the sample
                if si == first_body:
                    score += 0.5
                if (
                    not pre
                    and re.match(r"^(?:\W{0,3}|(?:in all|overall|in total),\s)$", text[: m.start()][-20:], re.I)
                    and m.start() <= 20
                ):
                    score = max(score, 2.5)  # the sentence's subject: "Seventy four cases ... were divided"
                noun = m.group("noun").lower()
                if species == "animal" and noun not in ("mice", "rats", "animals"):
                    score -= 1
                cands.append(
                    (
                        score,
                        int(value),
                        sent.start + m.start("num"),
                        sent.start + m.end(),
                        noun,
                        m.group("mods") or "",
                        text,
                    )
                )
            for m in _N_HYPHEN.finditer(text):
                value = parse_number(m.group("num"))
                if value:
                    cands.append(
                        (
                            3.5 if si == first_body else 3.0,
                            int(value),
                            sent.start + m.start(),
                            sent.start + m.end(),
                            m.group("noun").lower(),
                            "",
                            text,
                        )
                    )
            equals = list(_N_EQUALS.finditer(text))
            if len(equals) > 1:
                equals = []  # several "n = " in one sentence are arm sizes
            for m in equals:
                before = text[max(0, m.start() - 40) : m.start()]
                if re.search(r"\b(?:group|arm)\b[^,;]{0,20}$", before, re.IGNORECASE):
                    continue
                value = parse_number(m.group("num"))
                if value is not None:
                    cands.append((1.5, int(value), sent.start + m.start(), sent.start + m.end(), "", "", text))
        pop = Population()
        best = None
        for si, (sent, text) in enumerate(c.iter()):
            if sent.section and sent.section.upper() in ("BACKGROUND", "INTRODUCTION", "CONTEXT"):
                continue
            for m in _N_SUM.finditer(text):
                a, b = parse_number(m.group("a")), parse_number(m.group("b"))
                if a is None or b is None:
                    continue
                pre = text[max(0, m.start() - 14) : m.start()].lower()
                score = 2.5 if re.search(r"\b(?:in|of|on|among|included|enrolled|involving)\s$", pre) else 1.5
                cands.append(
                    (
                        score + (0.5 if si == first_body else 0),
                        int(a + b),
                        sent.start + m.start(),
                        sent.start + m.end(),
                        m.group("noun").lower(),
                        "",
                        text,
                    )
                )
        if cands:
            top = max(x[0] for x in cands)
            # a count with a recruitment cue wins; with bare counts only, the sample is the largest
            key = (lambda x: (x[0], -x[2])) if top >= 2 else (lambda x: (x[1], -x[2]))
            best = max(cands, key=key)
            pop.n = best[1]
            c.mark("population.n", best[2], best[3])
            for cand in cands:
                ctx_after = c.text[cand[3] : cand[3] + 60]
                ctx_before = c.text[max(0, cand[2] - 40) : cand[2]]
                if _N_ANALYZED.search(ctx_after) and pop.n_analyzed is None:
                    pop.n_analyzed = cand[1]
                    c.mark("population.n_analyzed", cand[2], cand[3])
                if (_N_ENROLLED.search(ctx_after[:40]) or _N_ENROLLED.search(ctx_before)) and pop.n_enrolled is None:
                    pop.n_enrolled = cand[1]
                    c.mark("population.n_enrolled", cand[2], cand[3])
            if pop.n_enrolled is not None and pop.n != pop.n_enrolled and best[0] < 3.5:
                pop.n = pop.n_enrolled
                c.prov["population.n"] = list(c.prov["population.n_enrolled"])
        else:
            for sent, text in c.iter()[:2]:
                one = _ONE_PATIENT.search(text)
                if one and species == "human" and re.search(r"\bcase\b", " ".join(t for _, t in c.iter()), re.I):
                    pop.n = 1
                    c.mark("population.n", sent.start + one.start(), sent.start + one.end())
                    break
        # sex
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
                if self._population_word(text, m)
            ]
            mal = [
                (sent.start + m.start(), sent.start + m.end())
                for sent, text in c.iter()
                for m in _MALE.finditer(text)
                if self._population_word(text, m)
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
        pop.sex = sex  # type: ignore[assignment]
        if sex is None and self.inherited is not None and self.inherited.population.sex and self.seg.same_what:
            pop.sex = self.inherited.population.sex
            for s in self.inherited.provenance.get("population.sex", []):
                c.mark("population.sex", s.start, s.end)
        # subgroups
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
        return pop

    @staticmethod
    def _population_word(text: str, m: re.Match[str]) -> bool:
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

    # --- durations and periods ----------------------------------------------------------------
    def durations(self) -> tuple[float | None, list[Period], bool]:
        c = self.c
        treatment: list[tuple[float, int, int, bool]] = []
        length: list[tuple[float, int, int, bool]] = []
        periods: list[tuple[Period, int, int]] = []
        if self.seg.descriptor_days is not None and self.seg.descriptor_span is not None:
            length.append((self.seg.descriptor_days, *self.seg.descriptor_span, False))
        for sent, text in c.iter():
            for m in DURATION_GATED.finditer(text):
                raw = m.group("num").lower()
                value = parse_number(raw)
                if value is None:
                    if raw.strip() in ("a few", "several"):
                        continue
                    continue
                days = round(value * DAYS_PER[m.group("unit").lower()], 2)
                approx = bool(m.group("qual")) or any(w in raw for w in APPROXIMATE_WORDS)
                pre = text[max(0, m.start("num") - 70) : m.start("num")]
                post = text[m.end() : m.end() + 70]
                s, e = sent.start + m.start(), sent.start + m.end()
                if _DUR_SKIP_POST.search(post) or _DUR_SKIP_PRE.search(pre[-60:]):
                    continue
                pw = _PERIOD_WORD.match(post) if not m.group("long") else None
                pre_w = _PERIOD_WORD_PRE.search(pre)
                word = (pw.group("w").lower() if pw else None) or (pre_w.group("w").lower() if pre_w else None)
                if word in ("ldn", "naltrexone", "therapy"):
                    word = "treatment"
                if word is None and _BASELINE.search(text) and re.search(r"\b(?:initial|first)\s?$", pre):
                    word = "baseline"
                if word == "wash-out":
                    word = "washout"
                if word in ("placebo", "washout", "run-in", "baseline", "follow-up"):
                    periods.append((Period(kind=word, days=days, approximate=approx), s, e))
                    continue
                if word == "treatment" or (
                    _DUR_FOR_PRE.search(pre)
                    and _ADMIN.search(text)
                    and not m.group("long")
                    and not _STUDY_AFTER.match(post)
                ):
                    if _DUR_TIMEPOINT_PRE.search(pre):
                        continue
                    treatment.append((days, s, e, approx))
                    continue
                if _DUR_TIMEPOINT_PRE.search(pre):
                    continue
                if m.group("long") or _STUDY_AFTER.match(post) or _DUR_FOR_PRE.search(pre):
                    length.append((days, s, e, approx))
        chosen = treatment[0] if treatment else (length[0] if length else None)
        out_periods = [p for p, _, _ in periods]
        for k, (_p, s, e) in enumerate(periods):
            c.mark(f"periods[{k}]", s, e)
        # Periods describe a study told in phases (placebo, washout, baseline, run-in, follow-up
        # around the treatment); a single stated treatment length is ``duration_days`` only.
        if treatment and out_periods:
            k = len(out_periods)
            out_periods.append(Period(kind="treatment", days=treatment[0][0], approximate=treatment[0][3]))
            c.mark(f"periods[{k}]", treatment[0][1], treatment[0][2])
        if chosen is None:
            return None, out_periods, False
        c.mark("duration_days", chosen[1], chosen[2])
        return chosen[0], out_periods, chosen[3]

    # --- interventions ------------------------------------------------------------------------
    def interventions(self, duration: float | None) -> list[Intervention]:
        c = self.c
        name = None
        name_span = None
        for sent, text in c.iter():
            m = _LDN.search(text)
            if m:
                low = m.group(0).lower()
                name = "low-dose naltrexone" if low != "naltrexone" else "naltrexone"
                name_span = (sent.start + m.start(), sent.start + m.end())
                break
        doses = []
        for sent, text in c.iter():
            for m in DOSE_GATED.finditer(text):
                value = parse_number(m.group("num"))
                if value is None:
                    continue
                unit = m.group("unit").lower()
                if "/kg" in unit and not m.group("max"):
                    dose_mg = None
                elif m.group("max"):
                    dose_mg = float(m.group("max")) / (1000 if m.group("maxunit") != "mg" else 1)
                elif unit.startswith(("µ", "μ", "mc", "micro")):
                    dose_mg = value / 1000
                else:
                    dose_mg = value
                sm = _SCHEDULE.search(text[m.end() : m.end() + 40])
                doses.append(
                    (
                        dose_mg,
                        m.group(0),
                        sm.group(0) if sm else None,
                        sent.start + m.start(),
                        sent.start + m.end(),
                        text,
                    )
                )
        if name is None and not doses:
            return []
        if name is None:
            # a non-LDN dose: name the drug from the words around it
            dose_mg, dtext, sched, s, e, text = doses[0]
            rel = s - next(x.start for x, _ in c.iter() if x.start <= s < x.end)
            before = re.search(r"([A-Za-z][\w-]{2,30})\s\(?$", text[max(0, rel - 35) : rel])
            after = re.match(r"\s(?:of\s)?([A-Za-z][\w-]{2,30})", text[rel + len(dtext) : rel + len(dtext) + 35])
            drug = (before.group(1) if before else None) or (after.group(1) if after else None)
            if not drug or drug.lower() in ("of", "with", "and", "or", "the", "daily", "dose", "doses"):
                return []
            iv = Intervention(name=drug, dose_mg=dose_mg, dose_text=dtext, schedule=sched)
            c.mark("interventions[0].name", s, e)
            c.mark("interventions[0].dose_mg", s, e)
            return [iv]
        iv = Intervention(name=name, duration_days=duration)
        assert name_span is not None
        c.mark("interventions[0].name", *name_span)
        if doses:
            # the dose nearest to an LDN mention
            dose_mg, dtext, sched, s, e, _ = min(doses, key=lambda d: abs(d[3] - name_span[0]))
            iv = iv.model_copy(update={"dose_mg": dose_mg, "dose_text": dtext, "schedule": sched})
            c.mark("interventions[0].dose_mg", s, e)
        if duration is not None and "duration_days" in c.prov:
            c.prov["interventions[0].duration_days"] = list(c.prov["duration_days"])
        return [iv]

    # --- outcomes, responders, adverse events ------------------------------------------------
    def outcomes(self, n: int | None) -> tuple[list[Outcome], list[AdverseEvent]]:
        c = self.c
        outs: list[dict[str, Any]] = []
        aes: list[tuple[AdverseEvent, int, int]] = []
        used_pct: set[int] = set()

        def add(
            name: str, direction: str | None, significant: bool | None, s: int, e: int, **extra: Any
        ) -> dict[str, Any]:
            key = name.lower()
            for o in outs:
                if o["name"].lower() == key:
                    if o["direction"] in (None, "unclear") and direction not in (None, "unclear"):
                        o["direction"] = direction
                    if o["significant"] is None and significant is not None:
                        o["significant"] = significant
                    o["spans"].append((s, e))
                    return o
            o = {
                "name": name,
                "direction": direction,
                "significant": significant,
                "spans": [(s, e)],
                "measures": [],
                "responders": [],
                "p": None,
                "p_text": None,
                "ci": [],
                "surrogate": False,
            }
            o.update(extra)
            outs.append(o)
            return o

        aim = None
        for sent, text in c.iter():
            m = _AIM.search(text)
            if m:
                g = "obj" if m.group("obj") else "obj2"
                aim = (_clean_name(m.group(g)), sent.start + m.start(g), sent.start + m.end(g))
                break

        for sent, text in c.iter():
            if self.single and _non_result_section(sent):
                continue  # an abstract's background and aims report no results of this study
            um = _UNTREATED.search(text)
            if (
                um
                and not _TREATMENT_WORDS.search(text[: um.start()] + " " + text[um.end() :])
                and not _PRE_POST.search(text)
            ):
                continue  # the disease before or without treatment: no outcome of the intervention
            sig_sentence = bool(_SIGNIF.search(text)) and not _NOT_SIGNIF.search(text)
            null = _NULL.search(text)
            sentence_outs: list[dict[str, Any]] = []
            for m in _CHANGE.finditer(text):
                name = _clean_name(m.group("obj"))
                if not name or len(name) < 3:
                    continue
                mm = _CHANGE_MODS.search(text[max(0, m.start() - 100) : m.start()])
                mods = mm.group(0).lower() if mm else ""
                neg = bool(re.search(r"\bno\b", mods)) or _negated(text, m.start("chg"))
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
                parts = _split_list(name)
                cursor = m.start("obj")
                for part in parts:
                    at = text.find(part, cursor) if len(parts) > 1 else -1
                    if at >= 0:  # each item of a list gets its own words
                        cursor = at + len(part)
                        span = (sent.start + at, sent.start + at + len(part))
                    else:
                        span = (sent.start + m.start(), sent.start + m.end())
                    sentence_outs.append(add(part, d, sig, *span))
            for pat in (_VERB_OBJ, _CMP_OBJ, _GERUND):
                for m in pat.finditer(text):
                    name = _clean_name(m.group("obj"))
                    if not name or len(name) < 3 or PERCENT.search(name):
                        continue
                    verb = m.group("verb").lower()
                    sig = True if re.search(r"significantly", text[max(0, m.start() - 30) : m.end()], re.I) else None
                    d = direction_of(verb, name)
                    sentence_outs.append(add(name, d, sig, sent.start + m.start(), sent.start + m.end()))
            for m in _SUBJ_VERB.finditer(text):
                name = _clean_name(m.group("subj"))
                if not name or len(name) < 3:
                    continue
                d = direction_of(m.group("verb"), name)
                sentence_outs.append(add(name, d, None, sent.start + m.start(), sent.start + m.end()))
            for m in _LESS_USE.finditer(text):
                obj = _clean_name(m.group("obj"))
                if not obj or len(obj) < 3 or _LDN.search(obj):
                    continue  # the use of LDN itself is adherence, not an outcome
                verb = m.group("verb").lower()
                d = "worsened" if verb.startswith(("increas", "start", "resum")) else "improved"
                sig = True if re.search(r"statistically", text[: m.end()], re.I) else None
                sentence_outs.append(add(f"use of {obj}", d, sig, sent.start + m.start(), sent.start + m.end()))
            for m in _REMISSION.finditer(text):
                sentence_outs.append(add("remission", "improved", None, sent.start + m.start(), sent.start + m.end()))
            for m in _COMPARATIVE.finditer(text):
                subject = _name_from_clause(text[: m.start()])
                if subject and not _EFFECT_WORDS.match(subject):
                    sig = True if re.search(r"significantly", m.group(0), re.I) else None
                    sentence_outs.append(
                        add(subject, _comparative_direction(text[: m.end()], subject), sig,
                            sent.start + m.start(), sent.start + m.end())
                    )
            if null and not any(o["direction"] == "no-difference" for o in sentence_outs):
                subject = _name_from_clause(text[: null.start()]) if null.start() > 0 else None
                name = subject or (aim[0] if aim else "primary outcome")
                o = add(name, "no-difference", False, sent.start + null.start(), sent.start + null.end())
                sentence_outs.append(o)
            # percentages bound to what they count
            for m in PERCENT_GATED.finditer(text):
                value = float(m.group("num"))
                ps, pe = sent.start + m.start(), sent.start + m.end()
                after = text[m.end() : m.end() + 90]
                before = text[max(0, m.start() - 60) : m.start()]
                if re.match(r"\s?(?:CI|confidence)", after) or (value > 100 and "%" in m.group(0)):
                    continue
                if re.search(r"(?:more than|greater than|at least|over|≥|>=|>)\s?(?:a\s)?$", before):
                    continue  # a responder threshold
                if re.match(
                    r"\s?(?:had|with|were|was|having|presented with|(?:were |was )?diagnosed with)\s", after
                ) and any(p.start <= ps and pe <= p.end for k, v in c.prov.items() if "subgroups" in k for p in v):
                    continue
                ae = _AE_AFTER_PCT.match(after)
                if ae:
                    if ae.group("neg") and ae.group("neg").strip() == "no":
                        # a tally of participants free of an adverse event: a safety outcome without
                        # direction ("77% experienced no side effects"), not an event that occurred
                        o = add(f"no {ae.group('ae').lower()}", None, None, ps, sent.start + m.end() + ae.end())
                        o["measures"].append((Measure(arm="all", kind="percent", value=value, n=n), ps, pe))
                    else:
                        aes.append(
                            (
                                AdverseEvent(name=ae.group("ae").lower(), percent=value, n=n),
                                ps,
                                sent.start + m.end() + ae.end(),
                            )
                        )
                    used_pct.add(ps)
                    continue
                ae2 = _AE_BEFORE_PCT.search(before)
                if ae2:
                    aes.append(
                        (
                            AdverseEvent(name=ae2.group("ae").lower(), percent=value, n=n),
                            sent.start + m.start() - len(before) + ae2.start(),
                            pe,
                        )
                    )
                    used_pct.add(ps)
                    continue
                om = _OUTCOME_AFTER_PCT.match(after)
                if om:
                    name = _clean_name(om.group("obj"))
                    if name:
                        verb = om.group("verb").lower()
                        pct_dir = direction_of(verb, name) if verb != "no" else None
                        o = add(name, pct_dir, None, ps, sent.start + m.end() + om.end())
                        o["measures"].append((Measure(arm="all", kind="percent", value=value, n=n), ps, pe))
                        used_pct.add(ps)
                        continue
                cm = _PCT_CHANGE_AFTER.match(after)
                if cm:
                    name = _clean_name(cm.group("obj"))
                    if name:
                        o = add(
                            name,
                            direction_of(cm.group("chg"), name),
                            None,
                            ps,
                            sent.start + m.end() + cm.end(),
                        )
                        o["measures"].append(
                            (Measure(arm=_arm_in(text) or "all", kind="percent-change", value=value), ps, pe)
                        )
                        used_pct.add(ps)
            # counts bound to what they count: "just four persons mentioned it oppositely"
            if not _THRESHOLD.search(text):
                for m in _COUNT_REPORT.finditer(text):
                    count_value = parse_number(m.group("num"))
                    if count_value is None or count_value != int(count_value):
                        continue
                    rest = m.group("rest")
                    c_start, c_end = sent.start + m.start(), sent.start + m.end()
                    ae_term = re.search(_AE_TERMS, rest, re.IGNORECASE)
                    if ae_term and not re.match(r"\s(?:no|any)\b", rest):
                        event = AdverseEvent(name=ae_term.group(0).lower(), count=int(count_value), n=n)
                        aes.append((event, c_start, c_end))
                    elif _OPPOSITE.search(rest) and outs:
                        prior = sentence_outs[-1] if sentence_outs else outs[-1]
                        prior["measures"].append(
                            (Measure(arm="all", kind="count-opposite", value=count_value, n=n), c_start, c_end)
                        )
                        prior["spans"].append((c_start, c_end))
            # arm-level values: "2.3% and 32.5% on placebo and LDN, respectively"
            for m in _RESPECTIVELY.finditer(text):
                vals = [v for v in PERCENT.finditer(text[: m.start()])]
                if len(vals) < 2:
                    continue
                v1, v2 = vals[-2], vals[-1]
                head = re.match(r"^(?P<s>.{3,80}?)\s(?:was|were)\b", text)
                name = _clean_name(head.group("s")) if head else "outcome"
                kind = (
                    "percent-change"
                    if re.search(r"reduction|change|improvement|decrease|increase", name, re.I)
                    else "percent"
                )
                o = add(name, None, None, sent.start + v1.start(), sent.start + m.end())
                for v, arm in ((v1, m.group("a1")), (v2, m.group("a2"))):
                    o["measures"].append(
                        (
                            Measure(arm=_arm_key(arm), kind=kind, value=float(v.group("num"))),
                            sent.start + v.start(),
                            sent.start + v.end(),
                        )
                    )
                    used_pct.add(sent.start + v.start())
                a = next((x for x in o["measures"] if x[0].arm == "ldn"), None)
                b = next((x for x in o["measures"] if x[0].arm == "placebo"), None)
                if a and b and kind == "percent-change" and re.search(r"reduction|decrease", name, re.I):
                    o["direction"] = "improved" if a[0].value > b[0].value else "worsened"
            # responders
            for m in _THRESHOLD.finditer(text):
                before = text[: m.start()]
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
                thr = float(m.group("thr"))
                name = _clean_name(m.group("obj") or "") or (aim[0] if aim else "response")
                d = direction_of(m.group("what"), name)
                # with a count, the direction rests on "six ... responded well and achieved": those
                # words are the outcome's too
                o_start = cs if count and cs is not None else sent.start + m.start()
                o = add(name, d if count else None, None, o_start, sent.start + m.end())
                r = Responders(threshold_percent=thr, count=count, n=of if of is not None else n)
                o["responders"].append((r, cs if cs is not None else sent.start + m.start(), sent.start + m.end()))
            # p-values and confidence intervals, bound to this sentence's outcome (or a new one)
            ps_ = list(P_VALUE_GATED.finditer(text))
            cis = list(CI_GATED.finditer(text))
            effs = list(EFFECT_GATED.finditer(text)) if (ps_ or cis) else []
            if ps_ or cis:
                target = sentence_outs[-1] if sentence_outs else None
                if target is None:
                    stats = [x.start() for x in (*ps_, *cis, *effs)]
                    lead = text[: min(stats)]
                    if "(" in lead:
                        lead = lead[: lead.rindex("(")]
                    topic = _name_from_clause(lead)
                    if topic:
                        target = add(topic, _comparative_direction(lead, topic), None, sent.start, sent.end)
                if target is not None:
                    for m in ps_:
                        val = _p_value(m.group("val"))
                        if val is None or target["p"] is not None:
                            continue
                        target["p"] = val
                        target["p_text"] = m.group(0)
                        op = m.group("op")
                        target["p_span"] = (sent.start + m.start(), sent.start + m.end())
                        if target["significant"] is None:
                            if (op in ("<", "≤", "<=", "&lt;") and val <= 0.05) or (op in ("=",) and val < 0.05):
                                target["significant"] = True
                            elif op in ("=", ">", "≥", ">=", "&gt;") and val >= 0.05:
                                target["significant"] = False
                    for m in cis:
                        lo = _f(m.group("lo"))
                        hi = _f(m.group("hi"))
                        eff = next((x for x in reversed(effs) if x.end() <= m.start()), None)
                        if eff is not None and lo is not None and hi is not None:
                            val = _f(eff.group("val"))
                            if val is None:
                                continue
                            kind = eff.group("kind").lower().replace(" ", "-")
                            target["measures"].append(
                                (
                                    Measure(arm="difference", kind=kind, value=val, ci_lb=lo, ci_ub=hi),
                                    sent.start + eff.start(),
                                    sent.start + m.end(),
                                )
                            )
                            effs = [x for x in effs if x is not eff]
        # the outcome's own name spans first, then build records
        outcomes: list[Outcome] = []
        for k, o in enumerate(outs):
            for s, e in o["spans"]:
                c.mark(f"outcomes[{k}]", s, e)
            measures = []
            for j, (meas, s, e) in enumerate(o["measures"]):
                measures.append(meas)
                c.mark(f"outcomes[{k}].measures[{j}].value", s, e)
            responders = []
            for j, (r, s, e) in enumerate(o["responders"]):
                responders.append(r)
                c.mark(f"outcomes[{k}].responders[{j}]", s, e)
            if o.get("p_span"):
                c.mark(f"outcomes[{k}].p", *o["p_span"])
            surrogate = bool(
                re.search(
                    r"\b(?:levels?|cytokines?|concentrations?|cells?|counts?|expression|"
                    r"biomarkers?|serum|plasma)\b",
                    o["name"],
                    re.I,
                )
            )
            outcomes.append(
                Outcome(
                    name=o["name"][:200],
                    direction=o["direction"],
                    significant=o["significant"],
                    p=o["p"],
                    p_text=o["p_text"],
                    measures=measures,
                    responders=responders,
                    surrogate=surrogate,
                )
            )
        adverse = []
        for j, (event, s, e) in enumerate(aes):
            adverse.append(event)
            c.mark(f"adverse_events[{j}]", s, e)
        return outcomes, adverse


_NON_RESULT_SECTIONS = ("BACKGROUND", "INTRODUCTION", "CONTEXT", "RATIONALE", "OBJECTIVE", "OBJECTIVES", "AIM",
                        "AIMS", "PURPOSE", "TITLE")


def _non_result_section(sent: Sentence) -> bool:
    return bool(sent.section) and str(sent.section).upper().rstrip(":") in _NON_RESULT_SECTIONS


def _background(sent: Sentence) -> bool:
    return bool(sent.section) and str(sent.section).upper() in ("BACKGROUND", "INTRODUCTION", "CONTEXT", "RATIONALE")


def _split_list(name: str) -> list[str]:
    if "," not in name:
        return [name]
    parts = [p.strip() for p in re.split(r",\s?(?:and\s|or\s)?|\s(?:and|or)\s(?=[^,]*$)", name) if p.strip()]
    out = []
    for p in parts:
        p = _clean_name(p)
        if p and len(p) >= 3:
            out.append(p)
    return out or [name]


def _arm_key(text: str) -> str:
    low = text.lower().strip()
    if "placebo" in low:
        return "placebo"
    if re.search(r"\bldn\b|naltrexone", low):
        return "ldn"
    return low[:60]


def _arm_in(text: str) -> str | None:
    if _LDN.search(text) and not _PLACEBO.search(text):
        return "ldn"
    return None


def _f(text: str) -> float | None:
    try:
        return float(text.replace("−", "-"))
    except ValueError:
        return None


def _p_value(text: str) -> float | None:
    t = text.replace(" ", "").replace("×", "x")
    m = re.match(r"^([01]?\.?\d*)x10[-−](\d{1,3})$", t)
    if m:
        try:
            return float(m.group(1)) * 10 ** (-int(m.group(2)))
        except ValueError:
            return None
    try:
        v = float(t)
    except ValueError:
        return None
    return v if 0 <= v <= 1 else None


_COMPARATIVE = rx(
    "comparative",
    r"\b(?:was|were|is|are)\s(?:\w{2,15}ly\s)?(?P<cmp>lower|higher|reduced|greater|smaller|larger|better|worse|"
    r"shorter|longer|increased|decreased|improved)\s(?:with|in|among|for|after|on)\s(?:the\s)?(?P<arm>[\w-]{1,30})",
)


def _comparative_direction(lead: str, name: str) -> str | None:
    """Direction of "X was lower with <arm> than with <other arm>" for the first arm (None if unclear)."""
    m = _COMPARATIVE.search(lead)
    if not m:
        return None
    d = direction_of(m.group("cmp"), name)
    if re.match(r"placebo|control|usual|standard|sham", m.group("arm"), re.IGNORECASE):
        d = {"improved": "worsened", "worsened": "improved"}.get(d, d)
    return d


_TOPIC = re.compile(
    r"^(?:with respect to|with regard to|regarding|in terms of|for|as for)\s(?P<name>[^,;]{3,90}),", re.IGNORECASE
)
_EFFECT_WORDS = re.compile(
    r"^(?:the\s)?(?:odds|hazard|risk|rate|incidence rate)\sratio$|^(?:the\s)?(?:mean\s)?difference$"
    r"|^(?:the\s)?relative risk$",
    re.IGNORECASE,
)


def _name_from_clause(text: str) -> str | None:
    """The outcome a statistic belongs to: a fronted topic ("With respect to X, ...") or a clause subject.

    Clauses are tried from the one nearest the statistic back to the start of the sentence.
    """
    clauses = re.split(r"[;:]|\(", text) if text else []
    for clause in reversed(clauses):
        topic = _TOPIC.match(clause.strip())
        if topic:
            name = topic.group("name").strip()
            for _ in range(3):
                name = _LEADING.sub("", name)
            if name and re.search(r"[a-z]{4}", name, re.IGNORECASE):
                return name
            continue
        part = re.sub(r"\b(?:was|were|is|are|had|has|have)\b.*$", "", clause)
        part = re.split(r",\s(?=[a-z]{2,}\s)", part)[-1].strip(" ,(")
        name = _clean_name(" ".join(part.split()[-8:]))
        if (
            name
            and re.search(r"[a-z]{4}", name, re.IGNORECASE)
            and not re.fullmatch(r"[\d.,% ]+", name)
            and not _EFFECT_WORDS.match(name)
        ):
            return name
    return None


def read_study(
    source_id: str,
    text: str,
    seg: Segment,
    index: int,
    *,
    context: list[Sentence],
    fallback_conditions: list[ConditionMention],
    inherited: Study | None = None,
    single: bool = False,
    citation: Any = None,
    verification: str | None = None,
) -> Study:
    """Read one candidate study (a :class:`Segment`) into a :class:`Study` with provenance.

    ``verification`` is the level of everything read (``primary`` for a PubMed record of the study
    itself, ``secondary`` for a study described in an article, ``unverified`` when unknown); by
    default ``primary`` for an abstract and ``secondary`` for an article's study.
    """
    r = StudyReader(
        source_id,
        text,
        seg,
        context=context,
        fallback_conditions=fallback_conditions,
        inherited=inherited,
        single=single,
    )
    c = r.c
    c.prov["*"] = [Span(source=source_id, start=s.start, end=s.end) for s in seg.sentences]
    species, model = r.species()
    condition = r.condition()
    population = r.population(species)
    design, controlled, comparator = r.design(species, population.n)
    if population.n is None and design and ("case-report" in design):
        pass
    duration, periods, approx = r.durations()
    interventions = r.interventions(duration)
    outcomes, adverse = r.outcomes(population.n)
    if approx:
        c.notes.append("duration is approximate in the text")
    for p in periods:
        if p.approximate:
            c.notes.append(f"{p.kind} period length is approximate in the text")
    label = _label(species, model, design, condition, population.n, seg)
    return Study(
        id=f"{source_id}#s{index}",
        label=label,
        citation=citation,
        source=source_id,
        species=species,
        model=model,
        condition=condition,
        design=design,
        controlled=controlled,
        population=population,
        interventions=interventions,
        comparator=comparator,
        periods=periods,
        duration_days=duration,
        outcomes=outcomes,
        adverse_events=adverse,
        provenance=c.prov,
        verification={"*": verification or ("primary" if single else "secondary")},
        notes=list(dict.fromkeys(c.notes)),
    )


def _label(
    species: str, model: str | None, design: list[str], condition: Condition, n: int | None, seg: Segment
) -> str:
    main = next(
        (
            d
            for d in (
                "case-report",
                "case-series",
                "systematic-review",
                "retrospective",
                "pilot",
                "crossover",
                "randomized",
                "observational",
            )
            if d in design
        ),
        None,
    )
    kind = {
        "case-report": "case report",
        "case-series": "case series",
        "retrospective": "retrospective study",
        "pilot": "pilot trial",
        "crossover": "crossover trial",
        "randomized": "randomized trial",
        "systematic-review": "systematic review",
        "observational": "observational study",
    }.get(main or "", "study")
    if species == "animal":
        kind = f"{model or 'animal'} study"
    elif species == "in-vitro":
        kind = "in-vitro study"
    parts = [kind, f"in {condition.label}" if condition.label != "unspecified" else ""]
    if n:
        parts.append(f"(n={n})")
    if seg.descriptor_days:
        parts.append(f"[{seg.descriptor_days:g} days]")
    return " ".join(p for p in parts if p)


__all__ = ["DIGIT_NUMBER", "MAX_SENTENCE", "StudyReader", "direction_of", "read_study"]
