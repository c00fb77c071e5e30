"""Word lists and cue patterns shared by the feature groups.

Direction words (``_UP``, ``_DOWN``), evaluative words (``_GOOD``, ``_BAD``), outcomes for which
less is better (``_BAD_OUTCOME``), comparative modifiers, and the regular expressions for
significance, negation, between- and within-group comparisons and trends. All regular expressions
are linear-time (no nested quantifiers over overlapping classes).
"""

from __future__ import annotations

import re

from ldn_atlas.extract.inference_text import stem, words

# ----------------------------------------------------------------------------- lexicons
_UP = frozenset(
    stem(w)
    for w in words("""
    increase increased increases increasing higher high greater more
    elevated elevation raise raised rise rose risen enhanced enhance enhances
    enhancement larger longer prolonged gain gains gained boosted augmented
    accelerated exceeded maximal doubled tripled faster stronger
    """)
)
_DOWN = frozenset(
    stem(w)
    for w in words("""
    decrease decreased decreases decreasing lower low less fewer reduce reduced reduces reducing
    reduction reductions decline declined declines drop dropped fall fell fallen diminished diminish
    attenuated attenuate attenuation suppressed suppression shorter smaller lowered
    lowering prevented prevents inhibited inhibition slower weaker halved cut shortened lessened
    lesser earlier sooner
    """)
)
_GOOD = frozenset(
    stem(w)
    for w in words("""
    improve improved improves improvement improvements improving better superior benefit benefits beneficial
    favour favor favoured favored favourable favorable effective efficacious advantage advantageous
    """)
)
_BAD = frozenset(stem(w) for w in words("worse worsened worsening inferior poorer deteriorated deterioration"))
_BAD_OUTCOME = frozenset(
    stem(w)
    for w in words("""
    pain mortality death deaths died risk incidence adverse side symptom symptoms nausea vomiting complication
    complications infection infections failure loss relapse recurrence fatigue anxiety depression disability
    severity stress inflammation edema oedema swelling bleeding haemorrhage hemorrhage toxicity events error
    errors damage injury dropout withdrawal hospitalization hospitalisation readmission lesion fracture
    exacerbation attack attacks seizure seizures itch pruritus discomfort distress morbidity stay duration
    length delirium agitation insomnia cost costs consumption requirement requirements dyspnea cough
    negative tension anger hostility confusion dependence handicap arrhythmia arrhythmias complaints
    weight bmi glucose cholesterol ldl triglyceride triglycerides hba1c crp pressure
    """)
)
_MODIFIERS = frozenset(stem(w) for w in words("greater more larger higher less smaller lower fewer"))
_NEG_CUES = re.compile(
    r"\b(?:no(?:t)?\s+(?:statistically\s+)?significant(?:ly)?|non-?\s?significant(?:ly)?|insignificant(?:ly)?|"
    r"(?:did|does|do|was|were|is|are)\s+not\s+(?:\w+\s+){0,2}?(?:differ|reach|show|change|affect|alter|"
    r"improve|increase|decrease|reduce|influence|significant|statistically)|"
    r"no\s+(?:\w+\s+){0,2}?(?:difference|differences|effect|effects|change|changes|impact|association|"
    r"improvement|benefit|advantage|reduction|increase)|"
    r"similar|comparable|unchanged|unaffected|failed\s+to|not\s+differ|neither|nor\b|"
    r"did\s+not|n\.?s\.?\b|equivalent|non-?inferior|same)",
    re.IGNORECASE,
)
_BETWEEN_NS = re.compile(
    r"\b(?:no|not|without|nor|similar|comparable)\s+(?:\w+[\s-]+){0,4}?(?:differen\w*|changes?)\s+"
    r"(?:\w+\s+){0,3}?(?:between|among|across|in\s+either)|\b(?:similar|comparable)\s+(?:\w+\s+){0,3}?"
    r"(?:between|among|across|in\s+(?:both|all|the\s+two))|"
    r"(?:between|among)[\s-]+(?:the\s+)?(?:two\s+|three\s+)?(?:\w+\s+)?(?:groups?|arms?|treatments?)\s+"
    r"(?:\w+\s+){0,3}?(?:was|were)\s+not|"
    r"\b(?:inter-?group|between-group)\s+(?:\w+\s+){0,2}?(?:failed|was\s+not|were\s+not|did\s+not)",
    re.IGNORECASE,
)
_BETWEEN_SIG = re.compile(
    r"\bbetween[\s-]+(?:the\s+)?(?:two\s+)?groups?\s+(?:\w+\s+){0,3}?(?:was|were)\s+(?:statistically\s+)?"
    r"significant|\bsignificant(?:ly)?\s+(?:\w+\s+){0,3}?between\s+(?:the\s+)?(?:two\s+)?groups",
    re.IGNORECASE,
)
_WITHIN = re.compile(
    r"\b(?:from\s+(?:the\s+)?(?:baseline|pre|before)|compared\s+(?:with|to)\s+(?:the\s+)?baseline|"
    r"(?:in|for)\s+both\s+(?:the\s+)?(?:groups|arms)|within\s+(?:each|both|the)\s+groups?|"
    r"in\s+all\s+(?:the\s+)?(?:three\s+|four\s+)?groups|vs\.?\s+baseline)",
    re.IGNORECASE,
)
_BEFORE_TREATMENT = re.compile(
    r"\b(?:before|prior\s+to)\s+(?:the\s+)?(?:intervention|treatment|randomi[sz]ation|surgery|therapy)\b|"
    r"\bat\s+(?:study\s+)?(?:entry|enrolment|enrollment|inclusion)\b",
    re.IGNORECASE,
)
_BETWEEN_WORDS = re.compile(
    r"\b(?:than|versus|vs\.?|between|relative\s+to|compared\s+(?:with|to)\s+(?!(?:the\s+)?baseline)|"
    r"in\s+comparison\s+(?:with|to)\s+(?!(?:the\s+)?baseline))",
    re.IGNORECASE,
)
_SIG_CUE = re.compile(r"\bsignifican(?:t|tly|ce)\b", re.IGNORECASE)
# A difference short of significance: "showed a trend (p = 0.07)", "tended to fall", "borderline".
_TREND = re.compile(
    r"\b(?:trend(?:s|ed)?|tend(?:ed|ency|s)?|borderline|marginal(?:ly)?)\b|"
    r"\bapproach(?:ed|ing|es)?\s+(?:statistical\s+)?significance|"
    r"\bfail(?:ed|s)?\s+to\s+(?:reach|achieve|attain|show)|\bdid\s+not\s+(?:quite\s+)?reach",
    re.IGNORECASE,
)
_SIG_NEGATED = re.compile(
    r"\b(?:not|no|non-?|in|nor|without|lack\s+of|absence\s+of)\s*(?:statistically\s+|clinically\s+)?"
    r"significan",
    re.IGNORECASE,
)
_GENERIC_CONTROL = frozenset(stem(w) for w in words("placebo control controls sham usual standard conventional"))
_GENERIC_ACTIVE = frozenset(stem(w) for w in words("intervention experimental active"))
_CLAUSE_BREAK = frozenset((";", "whereas", "while", "but", "although", "however", "though", "except"))
