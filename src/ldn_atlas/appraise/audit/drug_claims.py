"""Drug-fact statements in a sentence: approvals, doses, dose ratios, half-lives, abuse potential, opioids.

Each reader returns what the sentence states (a year, an indication, a dose in mg, a ratio with its
qualifier...) or ``None`` when the sentence states no such fact; the AUD8xx rules judge what is read
against the drug-facts registry.  The readers are written in general terms, not for any one text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ldn_atlas.extract.patterns import parse_number

#: the drug, by name or brand
DRUG = re.compile(r"\b(?:naltrexone|LDN|Trexan|ReVia|Vivitrol|Depade)\b", re.I)
#: low-dose naltrexone named as such
LOW_DOSE = re.compile(r"\b(?:LDN|low[- ]dos(?:e|es|ed|age)\b|lower doses?\b|low[- ]dose naltrexone)", re.I)

_APPROVED = re.compile(r"\bapprov(?:e|ed|al|es|ing)\b", re.I)
_AGENCY = re.compile(r"\b(?:FDA|Food and Drug \w+|U\.?S\.? regulators?)\b", re.I)
_NEGATED = re.compile(
    r"\b(?:not|never|no longer|neither|nor|un)\b[^.;]{0,40}?approv|\bunapproved\b|\boff[- ]label\b", re.I
)
_YEAR = re.compile(r"(?<![\d.])(19[5-9]\d|20[0-3]\d)(?![\d.])")
_AS_OF = re.compile(r"\b(?:as of|by|until|since|through|before|after)\s*$", re.I)
_ALCOHOL = re.compile(r"\balcohol\w*", re.I)
_OPIOID = re.compile(r"\b(?:opioid|opiate|heroin|narcotic)s?\b(?![- ](?:receptor|antagonist|blocker))", re.I)
_OTHER_USE = re.compile(
    r"\b(?:skin|dermatolog\w*|weight|obesity|pain|fibromyalgia|multiple sclerosis|crohn\w*|cancer\w*|"
    r"autoimmun\w*|depression|covid|inflammat\w*)\b",
    re.I,
)
_INJECTABLE = re.compile(r"\b(?:inject\w*|extended[- ]release|depot|implant\w*|intramuscular|monthly)\b", re.I)
_AGENCY_NAME = re.compile(r"\bFood and Drug (\w+)", re.I)
_LDN_APPROVED = re.compile(
    r"\b(?:LDN|low[- ]dose naltrexone)\b(?:\s*\(LDN\))?\s+(?:is|has been|was|are)\s+(?:now\s+|also\s+)?"
    r"(?:FDA[- ])?approved\b",
    re.I,
)
_APPROVED_FOR = re.compile(r"\bapprov(?:ed|al)\s+(?:\w+\s+){0,2}?(?:for|in|by|as)\b", re.I)


@dataclass
class ApprovalClaim:
    """What a sentence states about an approval of naltrexone."""

    negated: bool
    years: set[int] = field(default_factory=set)
    indications: set[str] = field(default_factory=set)  # "alcohol dependence", "opioid dependence"
    other_uses: list[str] = field(default_factory=list)
    brands: set[str] = field(default_factory=set)
    injectable: bool = False
    low_dose: bool = False
    agency_name: str | None = None  # "Food and Drug X" as written
    ldn_approved: bool = False  # "LDN is FDA-approved": the low dose itself called an approved product


def approval_claim(text: str, brands: set[str]) -> ApprovalClaim | None:
    """An approval statement ("naltrexone was approved by the FDA in 1984 for opioid dependence"), else ``None``.

    The year, the indications and the uses are read after the word of approval (the sentence's tail),
    so "an opioid antagonist approved for alcohol dependence" names alcohol, not opioids.
    """
    m = _APPROVED.search(text)
    if m is None or not DRUG.search(text):
        return None
    if not (_AGENCY.search(text) or _NEGATED.search(text) or _APPROVED_FOR.search(text)):
        return None
    tail = text[m.start() :]
    claim = ApprovalClaim(negated=bool(_NEGATED.search(text)))
    claim.years = {int(y.group(1)) for y in _YEAR.finditer(text) if not _AS_OF.search(text[: y.start()])}
    if _ALCOHOL.search(tail):
        claim.indications.add("alcohol dependence")
    if _OPIOID.search(tail):
        claim.indications.add("opioid dependence")
    claim.other_uses = [u.group(0) for u in _OTHER_USE.finditer(tail)]
    claim.brands = {b for b in brands if re.search(rf"\b{re.escape(b)}\b", text, re.I)}
    claim.injectable = bool(_INJECTABLE.search(text)) or "Vivitrol" in claim.brands
    claim.low_dose = bool(LOW_DOSE.search(text[: m.start()]))
    claim.ldn_approved = bool(_LDN_APPROVED.search(text))
    name = _AGENCY_NAME.search(text)
    claim.agency_name = name.group(1) if name else None
    return claim


# ----------------------------------------------------------------------------------------------- doses

_MG = r"(?:mg|milligrams?)\b"
_DOSE_RANGE = re.compile(
    rf"(\d+(?:\.\d+)?)\s*(?:{_MG})?\s*(?:-|–|to|and)\s*(\d+(?:\.\d+)?)\s*{_MG}(?:\s*(?:/|per|a)\s*(?:day|d)\b)?", re.I
)
_DOSE_ONE = re.compile(rf"(?<![\d.])(\d+(?:\.\d+)?)\s*{_MG}", re.I)
_STANDARD_CUE = re.compile(
    r"\b(?:standard|typical|usual|normal|conventional|recommended|approved|original\w*|full|high|higher|"
    r"classical\w*)[- ](?:[\w\"“”]+[- ]){0,2}?(?:dos(?:e|es|age|ing)|naltrexone)\b|"
    r"\bdos(?:e|es|age)\s+(?:used\s+|given\s+)?(?:for|in)\s+(?:the\s+)?(?:treatment\s+of\s+)?(?:\w+\s+)?"
    r"(?:opioid|opiate|alcohol|addiction|heroin)\w*|"
    r"\bfor\s+(?:the\s+treatment\s+of\s+)?(?:opioid|opiate|alcohol)\w*\s+(?:use disorder|dependence|addiction)|"
    r"\bapproved\s+(?:[\w-]+\s+){0,3}?at\b",
    re.I,
)
_OTHER_DRUG = re.compile(
    r"\b(?:bupropion|aripiprazole|sertraline|fluoxetine|pregabalin|gabapentin|duloxetine|morphine|methadone|"
    r"buprenorphine|heroin)\b",
    re.I,
)


@dataclass(frozen=True)
class DoseMention:
    """A dose in mg (a value or a range) and whether the sentence calls it the standard or the low dose."""

    low: float
    high: float
    kind: str  # "standard" or "low"
    text: str


def _doses(text: str) -> list[tuple[int, float, float, str]]:
    """(start, low, high, text) of the mg doses of a sentence, ranges first; other drugs' doses left out."""
    found: list[tuple[int, float, float, str]] = []
    taken: list[tuple[int, int]] = []
    for m in _DOSE_RANGE.finditer(text):
        found.append((m.start(), float(m.group(1)), float(m.group(2)), m.group(0)))
        taken.append((m.start(), m.end()))
    for m in _DOSE_ONE.finditer(text):
        if not any(a <= m.start() < b for a, b in taken):
            found.append((m.start(), float(m.group(1)), float(m.group(1)), m.group(0)))
    return sorted(
        (d for d in found if not _OTHER_DRUG.search(text[max(0, d[0] - 25) : d[0]])),
        key=lambda d: d[0],
    )


_CLAUSE_BREAK = re.compile(r"[;:]|,\s*(?:while|whereas|but|and|although)\b|\b(?:while|whereas)\b", re.I)


def dose_mentions(text: str) -> list[DoseMention]:
    """The doses a sentence calls standard or low: the nearest cue before it, else one just after it in its clause."""
    if not DRUG.search(text):
        return []
    cues = [(m.start(), m.end(), "standard") for m in _STANDARD_CUE.finditer(text)]
    cues += [(m.start(), m.end(), "low") for m in LOW_DOSE.finditer(text)]
    if not cues:
        return []
    out = []
    for start, lo, hi, raw in _doses(text):
        before = [c for c in cues if c[1] <= start + 1]
        after = [c for c in cues if c[0] >= start and not _CLAUSE_BREAK.search(text[start : c[0]])]
        if before:
            kind = max(before, key=lambda c: c[1])[2]
        elif after and after[0][0] - start <= 40:
            kind = after[0][2]  # "50-100 mg daily dose for opioid use disorder": the cue follows the dose
        else:
            continue
        out.append(DoseMention(min(lo, hi), max(lo, hi), kind, raw))
    return out


# ----------------------------------------------------------------------------------------------- ratios

_RATIO = re.compile(
    r"\b(?:(less|more|fewer|greater)\s+than\s+)?(?:(about|approximately|roughly|around|nearly|almost|some)\s+)?"
    r"(\d+(?:\.\d+)?|[a-z]+)[- ](?:times|fold)\s+(?:lower|smaller|less|weaker)\b(?!\s+likely)",
    re.I,
)
_FRACTION = re.compile(
    r"\b(?:(about|approximately|roughly|around|nearly|almost)\s+)?"
    r"(?:1/(\d+)(?:th)?|one[- ](tenth|fifth|twentieth|half)|an?\s+(tenth|fifth|twentieth))\b",
    re.I,
)
_FRACTIONS = {"tenth": 10.0, "fifth": 5.0, "twentieth": 20.0, "half": 2.0}


@dataclass(frozen=True)
class RatioClaim:
    """A stated ratio of the standard dose to the low dose, with its qualifier (``less``, ``more``, ``about``)."""

    ratio: float
    qualifier: str
    text: str


def ratio_claim(text: str) -> RatioClaim | None:
    """ "N times lower than the standard dose", "less than N times lower", "1/10th of the dose"."""
    if not (DRUG.search(text) and re.search(r"\bdos(?:e|es|age)\b|\bmg\b|milligram", text, re.I)):
        return None
    m = _RATIO.search(text)
    if m is not None:
        value = parse_number(m.group(3))
        if value is None or value <= 1:
            return None
        more_less = (m.group(1) or "").lower()
        qualifier = "less" if more_less in ("less", "fewer") else "more" if more_less else "about"
        return RatioClaim(value, qualifier, m.group(0))
    f = _FRACTION.search(text)
    if f is None:
        return None
    value = float(f.group(2)) if f.group(2) else _FRACTIONS[(f.group(3) or f.group(4)).lower()]
    return RatioClaim(value, "about", f.group(0)) if value > 1 else None


def sentence_doses(text: str) -> list[float]:
    """Every naltrexone dose of the sentence in mg (ranges give both ends)."""
    out: list[float] = []
    for _, lo, hi, _raw in _doses(text):
        out += [lo] if lo == hi else [lo, hi]
    return out


# ----------------------------------------------------------------------------------------------- half-lives

_HALF_LIFE = re.compile(
    r"\bhalf[- ]li(?:fe|ves)\b[^.;]{0,50}?(\d+(?:\.\d+)?)\s*(?:(?:-|–|to)\s*(\d+(?:\.\d+)?)\s*)?"
    r"(hours?|hrs?|h|minutes?|mins?|days?)\b",
    re.I,
)
_UNIT_HOURS = {"h": 1.0, "hr": 1.0, "hrs": 1.0, "hour": 1.0, "hours": 1.0, "minute": 1 / 60, "minutes": 1 / 60}
_UNIT_HOURS |= {"min": 1 / 60, "mins": 1 / 60, "day": 24.0, "days": 24.0}
_METABOLITE = re.compile(r"\b(?:naltrexol|metabolite)\b", re.I)


@dataclass(frozen=True)
class HalfLifeClaim:
    """A stated half-life in hours, of naltrexone or of its metabolite."""

    low: float
    high: float
    metabolite: bool
    text: str


def half_life_claims(text: str) -> list[HalfLifeClaim]:
    """The half-lives a sentence about naltrexone states ("a half-life of about 4 hours")."""
    if not (DRUG.search(text) or _METABOLITE.search(text)):
        return []
    out = []
    for m in _HALF_LIFE.finditer(text):
        unit = _UNIT_HOURS[m.group(3).lower()]
        lo = float(m.group(1)) * unit
        hi = float(m.group(2)) * unit if m.group(2) else lo
        window = text[max(0, m.start() - 60) : m.end()]
        out.append(HalfLifeClaim(min(lo, hi), max(lo, hi), bool(_METABOLITE.search(window)), m.group(0)))
    return out


# ----------------------------------------------------------------------------------------------- abuse

_NOT_ADDICTIVE = re.compile(
    r"\b(?:not|non)[- ]?(?:\w+\s+)?(?:addictive|habit[- ]forming)\b|"
    r"\bno\s+(?:known\s+)?(?:potential\s+for\s+(?:abuse|addiction|dependence)|"
    r"(?:abuse|addiction|addictive|dependence|misuse)\s+(?:potential|liability))\b|"
    r"\b(?:low|little|minimal|negligible)\s+(?:abuse|addiction|dependence|misuse)\s+(?:potential|liability)\b|"
    r"\b(?:does not|doesn't|do not|don't|will not|won't|cannot|can't|never)\s+(?:\w+\s+)?"
    r"(?:cause|lead to|produce|create|result in)\s+(?:any\s+)?(?:physical\s+|psychological\s+)?"
    r"(?:or\s+psychological\s+)?(?:dependence|addiction|tolerance|euphoria|a high)\b|"
    r"\bnot\s+(?:a\s+)?(?:controlled|scheduled)\s+(?:substance|drug)\b",
    re.I,
)
_ADDICTIVE = re.compile(
    r"\b(?:is|are|can be|may be|becomes?)\s+(?:highly\s+|very\s+|quite\s+|mildly\s+|somewhat\s+)?"
    r"(?:addictive|habit[- ]forming)\b|"
    r"\b(?:has|have|carries|with)\s+(?:a\s+)?(?:high|significant|some|considerable|real)?\s*"
    r"(?:abuse|addiction|dependence|misuse)\s+(?:potential|liability)\b|"
    r"\b(?:causes?|leads? to|produces?|creates?)\s+(?:physical\s+|psychological\s+)?(?:dependence|addiction)\b|"
    r"\bis\s+a\s+(?:controlled|scheduled)\s+(?:substance|drug)\b",
    re.I,
)


def abuse_claim(text: str) -> tuple[bool, str] | None:
    """(claims abuse or dependence potential, the words) for a sentence about naltrexone, else ``None``."""
    if not DRUG.search(text):
        return None
    m = _NOT_ADDICTIVE.search(text)
    if m is not None:
        return False, m.group(0)
    m = _ADDICTIVE.search(text)
    return (True, m.group(0)) if m is not None else None


# ----------------------------------------------------------------------------------------------- opioids

_OPIOIDS = r"(?:opioid (?:pain\w*|analgesics?|medications?|painkillers?)|opioids?|opiates?|narcotics?)(?![- ]receptor)"
_WITH_OPIOIDS_SAFE = re.compile(
    rf"\b(?:safe(?:ly)?|fine|okay|ok)\s+(?:to\s+)?(?:be\s+)?(?:take|taken|combine|combined|use|used|mix|mixed)"
    rf"\s+(?:\w+\s+)?(?:with|alongside|together with)\s+(?:\w+\s+)?{_OPIOIDS}|"
    rf"\b(?:can|may)\s+(?:safely\s+)?be\s+(?:taken|combined|used)\s+(?:\w+\s+)?(?:with|alongside)\s+"
    rf"(?:\w+\s+)?{_OPIOIDS}|\bdoes not (?:interact|interfere) with\s+(?:\w+\s+)?{_OPIOIDS}",
    re.I,
)
_WITH_OPIOIDS_NOT = re.compile(
    rf"\b(?:should|must|can)\s*(?:not|n't|never)\s+be\s+(?:taken|combined|used|given)\s+(?:\w+\s+)?"
    rf"(?:with|alongside|by (?:people|patients) (?:taking|on))\s+(?:\w+\s+)?{_OPIOIDS}|"
    rf"\bblock(?:s|ing|ed)?\s+(?:[\w-]+\s+){{0,4}}?{_OPIOIDS}|"
    rf"\bprecipitat\w*\s+(?:opioid\s+)?withdrawal\b|\bcontraindicated\b[^.;]{{0,40}}{_OPIOIDS}",
    re.I,
)
_OPIOID_FREE = re.compile(
    r"\bopioid[- ]free\b[^.;]{0,40}?(\d+)\s*(?:(?:-|–|to)\s*(\d+)\s*)?days?\b|"
    r"\b(\d+)\s*(?:(?:-|–|to)\s*(\d+)\s*)?days?\b[^.;]{0,30}?\bopioid[- ]free\b",
    re.I,
)


def opioid_claim(text: str) -> tuple[str, str, tuple[float, float] | None] | None:
    """("safe"|"not"|"interval", the words, the stated opioid-free days) for a sentence about opioids and naltrexone."""
    if not DRUG.search(text):
        return None
    free = _OPIOID_FREE.search(text)
    if free is not None:
        groups = [g for g in free.groups() if g]
        days = (float(groups[0]), float(groups[-1]))
        return "interval", free.group(0), days
    m = _WITH_OPIOIDS_SAFE.search(text)
    if m is not None:
        return "safe", m.group(0), None
    m = _WITH_OPIOIDS_NOT.search(text)
    return ("not", m.group(0), None) if m is not None else None


# ----------------------------------------------------------------------------------------------- class

_CLASS = re.compile(
    r"^\W*(?:low[- ]dose\s+)?(?:naltrexone|LDN)\b[^.;]{0,60}?\b(?:is|acts as|works as|functions as)\s+"
    r"(?:an?|the)\s+(?:[\w-]+\s+){0,4}?"
    r"(?:(?:opioid|opiate|narcotic|mu[- ]opioid)(?:[- ]receptor)?\s+(antagonist|blocker|agonist|partial agonist)|"
    r"(opioid|opiate|narcotic)(?:\s+(?:pain\w*|analgesic|drug|medication))?\b(?![- ](?:receptor|antagonist|blocker)))",
    re.I,
)


def class_claim(text: str) -> tuple[bool, str] | None:
    """(says antagonist, the words) when a sentence says what class of drug naltrexone is."""
    m = _CLASS.search(text)
    if m is None:
        return None
    what = (m.group(1) or "").lower()
    if what in ("antagonist", "blocker"):
        return True, m.group(0).strip()
    if re.search(r"\b(?:partial\s+)?agonist\b", m.group(0), re.I) and "antagonist" not in m.group(0).lower():
        return False, m.group(0).strip()
    if m.group(2) and not re.search(r"\b(?:not|no)\b", m.group(0), re.I):
        return False, m.group(0).strip()
    return None


# ----------------------------------------------------------------------------------------------- adverse effects

#: a sentence describing one study (its doses and effects are the study's, not the drug's)
STUDY_DESCRIPTION = re.compile(
    r"\b(?:the|this|that|our|their|an?|one)\s+(?:[\w-]+\s+){0,3}?(?:trial|study|pilot|cohort)\b|"
    r"\b(?:patients|participants|subjects|volunteers|adults|women|men|children)\b|\benrol\w*|"
    r"\brandomi[sz]ed\b|\bplacebo\b",
    re.I,
)
_AE_LIST = re.compile(
    r"\b(?:side[- ]effects?|adverse (?:effects?|events?|reactions?))\s+(?:of\s+(?:LDN|low[- ]dose naltrexone)\s+)?"
    r"(?:may\s+|can\s+|commonly\s+)?(?:include|are|such as|like)\b",
    re.I,
)
_AE_NONE = re.compile(r"\b(?:no|without|never|zero|free of)\b[^.;]{0,20}(?:side[- ]effects?|adverse)", re.I)
_OTHER_DRUGS_NAMED = re.compile(r"\b(?:opioids?|opiates?|steroids?|NSAIDs?|antidepressants?|methotrexate)\b", re.I)


def adverse_effects_named(text: str, known: dict[str, str]) -> tuple[list[str], list[str]] | None:
    """(the effects the registry knows, the others) for "side effects of LDN include X, Y and Z".

    ``known`` maps a lower-case pattern of an effect (``vivid dream``) to its registry name.  A sentence
    about no side effects, about another drug, or about one study is not read.
    """
    m = _AE_LIST.search(text)
    if m is None or _AE_NONE.search(text) or STUDY_DESCRIPTION.search(text) or _OTHER_DRUGS_NAMED.search(text):
        return None
    tail = text[m.end() :]
    items = [i.strip(" .") for i in re.split(r",|;|\band/or\b|\band\b|\bor\b", tail) if i.strip(" .")]
    seen, other = [], []
    for item in items:
        name = next((v for k, v in known.items() if re.search(rf"\b{k}", item, re.I)), None)
        if name is None:
            other.append(item)
        elif name not in seen:
            seen.append(name)
    return (seen, other) if seen else None


__all__ = [
    "DRUG",
    "LOW_DOSE",
    "STUDY_DESCRIPTION",
    "ApprovalClaim",
    "DoseMention",
    "HalfLifeClaim",
    "RatioClaim",
    "abuse_claim",
    "adverse_effects_named",
    "approval_claim",
    "class_claim",
    "dose_mentions",
    "half_life_claims",
    "opioid_claim",
    "ratio_claim",
    "sentence_doses",
]
