"""AUD8xx: drug-fact sentences (approvals, doses, ratios, half-lives, abuse potential, opioids) against the registry.

A sentence that states a fact about naltrexone itself is not checked against a study: it is judged against
the drug-facts registry (``data/drug_facts.yaml``; :mod:`ldn_atlas.appraise.drug_facts`).  It is
``supported`` when it agrees with the registry and a ``factual-error`` when it contradicts a primary or
secondary fact; each reason gives the fact, its citation, its verification level and the address it was
read at.  Unverified facts are shown but never make an error.  Sentences that state no drug fact do not
fire: each rule reads a specific statement (an approval year, a dose in mg called standard or low, "N times
lower", a half-life in hours, abuse potential, naltrexone with opioids, its class).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ldn_atlas.appraise.audit import drug_claims as dc
from ldn_atlas.appraise.audit.rules.base import ClaimContext, Finding, Reason, rule
from ldn_atlas.appraise.drug_facts import DrugFactRegistry, load_drug_facts
from ldn_atlas.model.drug_facts import DrugFact
from ldn_atlas.model.evidence import Verdict


def _registry() -> DrugFactRegistry:
    return load_drug_facts()


def fact_reason(code: str, fact: DrugFact) -> Reason:
    """A registry fact as a reason: its statement, citation, verification level and address."""
    return Reason(code, f"{fact.statement} [{fact.id}: {fact.cite}; {fact.verification}; {fact.seen_in[0]}]")


def _finding(code: str, verdict: Verdict, lead: str, facts: Sequence[DrugFact]) -> Finding:
    seen: list[DrugFact] = []
    for f in facts:
        if f not in seen:
            seen.append(f)
    return Finding(code, verdict, (Reason(code, lead), *(fact_reason(code, f) for f in seen)))


def _agrees(ctx: ClaimContext, code: str, lead: str, facts: Sequence[DrugFact]) -> Finding | None:
    """A supported finding, unless the sentence uses words of proof (AUD103 then judges what it claims)."""
    return None if ctx.strength == "proof" else _finding(code, "supported", lead, facts)


def _verified(facts: Sequence[DrugFact]) -> list[DrugFact]:
    return [f for f in facts if f.verification != "unverified"]


# ----------------------------------------------------------------------------------------------- AUD801


def _years(f: DrugFact) -> set[int]:
    return ({f.values.year} if f.values.year else set()) | set(f.values.year_alternatives)


def _approvals(reg: DrugFactRegistry, claim: dc.ApprovalClaim) -> list[DrugFact]:
    """The dated approvals of the formulation the sentence is about (the brand's, when it names one)."""
    dated = [f for f in _verified(reg.topic("approval")) if f.values.year]
    if claim.brands:
        branded = [f for f in dated if f.values.brand in claim.brands]
        if branded:
            return branded
    injectable = [f for f in dated if "inject" in (f.values.formulation or "")]
    return injectable if claim.injectable else [f for f in dated if f not in injectable]


def _approval_errors(claim: dc.ApprovalClaim, dated: list[DrugFact], reg: DrugFactRegistry) -> list[str]:
    errors = []
    for ind in sorted(claim.indications):
        of_ind = [f for f in dated if f.values.indication == ind]
        if claim.years and of_ind and not any(_years(f) & claim.years for f in of_ind):
            when = ", ".join(str(f.values.year) for f in of_ind)
            errors.append(f"the approval for {ind} came in {when}, not {'/'.join(map(str, sorted(claim.years)))}")
    every = [f for f in _verified(reg.topic("approval")) if f.values.year]
    if claim.years and not claim.indications and not any(_years(f) & claim.years for f in every):
        errors.append(f"no approval of naltrexone in {'/'.join(map(str, sorted(claim.years)))} is recorded")
    for brand in sorted(claim.brands):
        of_brand = [f for f in dated if f.values.brand == brand]
        if claim.years and of_brand and len(claim.years) == 1 and not any(_years(f) & claim.years for f in of_brand):
            errors.append(f"{brand} dates from {', '.join(str(f.values.year) for f in of_brand)}")
    if claim.other_uses and not claim.negated and not claim.indications:
        listed = reg.get("indications-oral-label").values.indications or []
        errors.append(f"'{claim.other_uses[0]}' is not an approved indication (the label names {', '.join(listed)})")
    if claim.ldn_approved and not claim.negated:
        errors.append("low-dose naltrexone itself is not an approved product: its doses are compounded")
    if claim.agency_name and claim.agency_name.lower() != "administration":
        errors.append(f"the agency is the Food and Drug Administration, not 'Food and Drug {claim.agency_name}'")
    return errors


@rule(
    "AUD801",
    "approval-against-registry",
    verdicts=("factual-error", "supported"),
    fires_on=[
        "Naltrexone was approved by the FDA in 1990 for the treatment of heroin addiction.",
        "The FDA approved naltrexone in 1984 for treating people dependent on alcohol.",
        "Naltrexone received FDA approval for alcohol dependence, as ReVia.",
        "Low-dose naltrexone is FDA-approved and sold in every pharmacy.",
    ],
    passes=[
        "The FDA approved the first generic version of the inhaler in 2019.",
        "Naltrexone tablets are sold in most pharmacies in the country.",
    ],
)
def approval_against_registry(ctx: ClaimContext) -> Finding | None:
    """An approval of naltrexone (agency, year, indication, brand) against the registry's approvals.

    "Approved by the FDA in YEAR for INDICATION" is read after the word of approval: its year must be the
    year of that indication's approval (opioid dependence in 1984, as Trexan; alcohol dependence in 1994-95,
    as ReVia; the injectable in 2006 and 2010), a brand must carry its own year, an indication must be on
    the label, and the agency's name must be right.  A negated approval ("has not been approved for skin
    disease") is supported when it names no approved indication.  Reference: the naltrexone labels on
    DailyMed and the FDA's safety labeling pages, with the approval histories cited in the registry.
    """
    reg = _registry()
    brands = {f.values.brand for f in reg.topic("approval") if f.values.brand}
    claim = dc.approval_claim(ctx.text, brands)
    if claim is None or (ctx.is_result and not claim.years):
        return None
    indications = _verified([reg.get("indications-oral-label"), reg.get("indications-vivitrol-label")])
    if claim.negated:
        if claim.indications and not claim.low_dose:
            return _finding("AUD801", "factual-error", "naltrexone is approved for these uses", indications)
        if claim.low_dose:
            facts = [reg.get("formulation-ldn-compounded"), *indications]
            return _agrees(ctx, "AUD801", "low-dose naltrexone is not an approved product; its use is off-label", facts)
        named = f"'{claim.other_uses[0]}' is" if claim.other_uses else "the use named is"
        return _agrees(ctx, "AUD801", f"{named} not an approved indication of naltrexone", indications)
    dated = _approvals(reg, claim)
    errors = _approval_errors(claim, dated, reg)
    if not (claim.years or claim.indications or claim.brands or errors):
        return None
    relevant = [f for f in dated if (_years(f) & claim.years) or f.values.indication in claim.indications]
    relevant += [f for f in dated if f.values.brand in claim.brands]
    if errors:
        wrong = [f for f in dated if f.values.indication in claim.indications] or dated
        if claim.ldn_approved:
            wrong = [reg.get("formulation-ldn-compounded"), reg.get("dose-standard-tablet-strength"), *wrong]
        return _finding("AUD801", "factual-error", "; ".join(errors), [*wrong, *relevant])
    return _agrees(ctx, "AUD801", "the approval agrees with the registry", relevant or indications)


# ----------------------------------------------------------------------------------------------- AUD802


def _bounds(reg: DrugFactRegistry) -> tuple[tuple[float, float], tuple[float, float], list[DrugFact], list[DrugFact]]:
    """(standard range, low range, their facts): the spans the registry gives for each kind of dose."""
    std = _verified(reg.with_value("standard_mg") + reg.with_value("standard_range_mg"))
    low = _verified(reg.with_value("low_dose_range_mg") + reg.with_value("typical_low_dose_mg"))
    s_vals = [v for f in std for v in (f.values.starting_mg, f.values.standard_mg, *(f.values.standard_range_mg or ()))]
    l_vals = [v for f in low for v in (f.values.typical_low_dose_mg, *(f.values.low_dose_range_mg or ()))]
    s = [v for v in s_vals if v]
    lo = [v for v in l_vals if v]
    return (min(s), max(s)), (min(lo), max(lo)), std, low


@rule(
    "AUD802",
    "dose-against-registry",
    verdicts=("factual-error", "supported"),
    fires_on=[
        "The standard dose of naltrexone for alcohol dependence is 5 mg a day.",
        "Low-dose naltrexone is usually taken at 3 mg in the evening.",
        "LDN is typically prescribed at 50 mg, the same as for addiction.",
    ],
    passes=[
        "Patients in the trial took naltrexone 4.5 mg every night for twelve weeks and pain improved.",
        "Aripiprazole 2 mg was allowed during the study of naltrexone.",
    ],
)
def dose_against_registry(ctx: ClaimContext) -> Finding | None:
    """A dose in mg the sentence calls standard (or typical, approved) or low, against the registry's doses.

    The standard oral dose is 50 mg a day (25 to 150 mg across the label's schedules); low-dose naltrexone
    is about 1 to 5 mg, 4.5 mg in most trials.  A "standard" dose below 25 mg, or a "low" dose at 25 mg or
    more, contradicts the registry; a dose within the span is supported; anything between is left alone.
    A sentence describing one study (its doses are the study's) is not read, nor a low dose in a result.
    Reference: the naltrexone label (DailyMed) and the LDN reviews and trials cited in the registry.
    """
    nums = ctx.nums
    if nums.percents or nums.counts or nums.durations or dc.ratio_claim(ctx.text):
        return None  # a study's numbers, or a ratio (AUD803)
    if dc.STUDY_DESCRIPTION.search(ctx.text):
        return None
    mentions = dc.dose_mentions(ctx.text)
    if ctx.is_result:  # "typical doses (50 mg) work by ...": only a dose named as the standard one is read
        mentions = [d for d in mentions if d.kind == "standard"]
    if not mentions:
        return None
    (s_lo, s_hi), (l_lo, l_hi), std, low = _bounds(_registry())
    good, bad = [], []
    for d in mentions:
        if d.kind == "standard":
            if d.high < 25:
                bad.append(f"{d.text} is called the standard dose, but the oral dose is {s_lo:g} to {s_hi:g} mg a day")
            elif s_lo <= d.low and d.high <= s_hi:
                good.append(std)
        elif d.low >= 25:
            bad.append(f"{d.text} is called a low dose, but low-dose naltrexone is {l_lo:g} to {l_hi:g} mg")
        elif l_lo <= d.low and d.high <= l_hi:
            good.append(low)
    if bad:
        return _finding("AUD802", "factual-error", "; ".join(bad), [*std[:1], *low])
    if good:
        return _agrees(ctx, "AUD802", "the dose agrees with the registry", [f for g in good for f in g])
    return None


# ----------------------------------------------------------------------------------------------- AUD803


@rule(
    "AUD803",
    "dose-ratio",
    verdicts=("factual-error", "supported"),
    fires_on=[
        "The dose of naltrexone was 4.5 mg, less than 10 times lower than the 50 mg used for addiction.",
        "Low-dose naltrexone is about one tenth of the usual dose.",
    ],
    passes=[
        "People taking naltrexone were three times less likely to drop out of the trial.",
        "Naltrexone doses ranged widely between the trials.",
    ],
)
def dose_ratio(ctx: ClaimContext) -> Finding | None:
    """ "X times lower than the standard dose" (or "1/10th of it") against the doses stated or in the registry.

    The ratio is the standard dose over the low dose: the sentence's own doses when it gives them (a dose
    of 25 mg or more is the standard one), else the registry's standard (50 mg) and typical low dose (4.5 mg).
    "Less than N times lower" is an error when the ratio is N or more, "more than N" when it is N or less;
    a plain "N times" is supported within 25% of the ratio and an error beyond a factor of two.
    Reference: the naltrexone label (50 mg) and the LDN trials (4.5 mg) cited in the registry.
    """
    claim = dc.ratio_claim(ctx.text)
    if claim is None:
        return None
    reg = _registry()
    doses = dc.sentence_doses(ctx.text)
    std_fact = _verified(reg.with_value("standard_mg"))[:1]
    low_fact = _verified(reg.with_value("typical_low_dose_mg"))[:1]
    standard = max((d for d in doses if d >= 25), default=None)
    low = min((d for d in doses if d < 25), default=None)
    facts = std_fact + ([] if low else low_fact)
    standard = standard or (std_fact[0].values.standard_mg if std_fact else None)
    low = low or (low_fact[0].values.typical_low_dose_mg if low_fact else None)
    if not standard or not low:
        return None
    actual = standard / low
    said = f"'{claim.text}': {standard:g} mg / {low:g} mg = {actual:.1f}"
    if claim.qualifier == "less":
        wrong = actual >= claim.ratio
    elif claim.qualifier == "more":
        wrong = actual <= claim.ratio
    else:
        if abs(actual - claim.ratio) / claim.ratio <= 0.25:
            return _agrees(ctx, "AUD803", f"{said}, about {claim.ratio:g} times", facts)
        if not (actual / claim.ratio > 2 or claim.ratio / actual > 2):
            return None
        wrong = True
    more_less = "more" if actual > claim.ratio else "less" if actual < claim.ratio else "exactly"
    lead = f"{said}, {more_less} than {claim.ratio:g} times"
    return _finding("AUD803", "factual-error", lead, facts) if wrong else _agrees(ctx, "AUD803", lead, facts)


# ----------------------------------------------------------------------------------------------- AUD804


@rule(
    "AUD804",
    "half-life-against-registry",
    verdicts=("factual-error", "supported"),
    fires_on=[
        "Naltrexone has a half-life of about 4 hours after an oral dose.",
        "The half-life of naltrexone is roughly 3 days, so one dose lasts the week.",
    ],
    passes=["The half-life of the trial's effect on pain was not reported for naltrexone."],
)
def half_life_against_registry(ctx: ClaimContext) -> Finding | None:
    """A half-life in hours (of naltrexone, or of its metabolite 6-beta-naltrexol) against the registry.

    Supported within 25% of the registry's value (about 4 hours for naltrexone, 13 hours for
    6-beta-naltrexol); a factual error when more than three times longer or shorter; between, left alone
    (published half-lives vary with the route and the method).  Reference: the drug guide cited in the
    registry.
    """
    claims = dc.half_life_claims(ctx.text)
    if not claims:
        return None
    reg = _registry()
    parent = _verified(reg.with_value("half_life_hours"))[:1]
    meta = _verified(reg.with_value("metabolite_half_life_hours"))[:1]
    for c in claims:
        facts = meta if c.metabolite else parent
        if not facts:
            continue
        ref = facts[0].values.metabolite_half_life_hours if c.metabolite else facts[0].values.half_life_hours
        assert ref is not None
        what = "6-beta-naltrexol" if c.metabolite else "naltrexone"
        if c.low <= ref * 1.25 and c.high >= ref * 0.75:
            return _agrees(ctx, "AUD804", f"'{c.text}' agrees with {what}'s {ref:g} hours", facts)
        if c.low > ref * 3 or c.high < ref / 3:
            return _finding("AUD804", "factual-error", f"'{c.text}': {what}'s half-life is about {ref:g} hours", facts)
    return None


# ----------------------------------------------------------------------------------------------- AUD805


@rule(
    "AUD805",
    "abuse-potential",
    verdicts=("factual-error", "supported"),
    fires_on=["Naltrexone is highly addictive and easy to misuse.", "Naltrexone is not addictive."],
    passes=["Naltrexone can help people with addictions to alcohol and opioids."],
)
def abuse_potential(ctx: ClaimContext) -> Finding | None:
    """A claim about naltrexone's abuse or dependence potential against the label: it has none.

    Naltrexone is a pure opioid antagonist; the label's Drug Abuse and Dependence section says it does not
    lead to physical or psychological dependence.  "Addictive", "habit-forming" or "abuse potential" is a
    factual error; "not addictive", "no abuse potential" is supported.  A sentence about treating addiction
    does not fire.  Reference: the naltrexone label (DailyMed), Drug Abuse and Dependence.
    """
    found = dc.abuse_claim(ctx.text)
    if found is None:
        return None
    claims_abuse, words = found
    facts = _verified(reg_facts := _registry().topic("abuse-dependence")) or reg_facts
    if claims_abuse:
        lead = f"'{words}', but naltrexone has no abuse or dependence potential"
        return _finding("AUD805", "factual-error", lead, facts)
    return _agrees(ctx, "AUD805", f"'{words}' agrees with the label", facts)


# ----------------------------------------------------------------------------------------------- AUD806


@rule(
    "AUD806",
    "opioids-and-naltrexone",
    verdicts=("factual-error", "supported"),
    fires_on=[
        "LDN is safe to take together with opioid painkillers.",
        "People starting naltrexone should be opioid-free for 2 days beforehand.",
        "Naltrexone blocks the effects of opioid painkillers.",
    ],
    passes=["Many people with chronic pain take opioids for years before trying other options."],
)
def opioids_and_naltrexone(ctx: ClaimContext) -> Finding | None:
    """Naltrexone with opioids: the contraindication, precipitated withdrawal and the opioid-free interval.

    Naltrexone blocks opioids and precipitates withdrawal in people dependent on them; it is contraindicated
    with opioid analgesics, and an opioid-free interval of 7 to 10 days is recommended before starting.  A
    sentence saying it is safe with opioids, or giving a shorter interval, is a factual error; one saying it
    blocks opioids or must not be combined with them is supported.  Reference: the naltrexone labels
    (DailyMed), Contraindications and Dosage and Administration.
    """
    found = dc.opioid_claim(ctx.text)
    if found is None:
        return None
    kind, words, days = found
    reg = _registry()
    contra = _verified(reg.topic("contraindication"))
    interval = _verified([reg.get("interaction-opioid-free-interval")])
    if kind == "interval" and days is not None and interval:
        lo, hi = interval[0].values.opioid_free_days or (0.0, 0.0)
        if days[1] < lo:
            return _finding("AUD806", "factual-error", f"'{words}': the label asks for {lo:g} to {hi:g} days", interval)
        return _agrees(ctx, "AUD806", f"'{words}' agrees with the label", interval)
    if kind == "safe":
        return _finding("AUD806", "factual-error", f"'{words}', but naltrexone is contraindicated with opioids", contra)
    return _agrees(ctx, "AUD806", f"'{words}' agrees with the label", contra)


# ----------------------------------------------------------------------------------------------- AUD807


@rule(
    "AUD807",
    "drug-class",
    verdicts=("factual-error", "supported"),
    fires_on=["Naltrexone is an opioid receptor antagonist.", "Naltrexone is a mild opioid painkiller."],
    passes=[
        "Naltrexone reduced microglial activation in the treated mice.",
        "Naltrexone is an opioid antagonist that may reduce inflammation in the brain.",
    ],
)
def drug_class(ctx: ClaimContext) -> Finding | None:
    """What class of drug naltrexone is: an opioid antagonist, not an opioid, agonist or painkiller.

    Only a sentence whose subject is naltrexone and whose predicate is its class fires ("Naltrexone is an
    opioid receptor antagonist"); a mechanism or a result does not, nor a class that only introduces one
    ("an antagonist that reduces inflammation").  Reference: the naltrexone label
    (DailyMed), Description and Clinical Pharmacology.
    """
    found = dc.class_claim(ctx.text)
    if found is None:
        return None
    antagonist, words = found
    if antagonist and ctx.is_result:  # "an antagonist that reduces inflammation": the result is the claim
        return None
    facts = _verified(_registry().topic("class-mechanism"))[:2]
    if antagonist:
        return _agrees(ctx, "AUD807", f"'{words}' agrees with the label", facts)
    return _finding("AUD807", "factual-error", f"'{words}', but naltrexone is a pure opioid antagonist", facts)


def _known_effects(reg: DrugFactRegistry) -> dict[str, str]:
    """Lower-case patterns of the adverse effects the registry's LDN trials report -> their names."""
    names = {
        e
        for f in reg.topic("adverse-effects-low-dose")
        for e in [*(f.values.effects or []), *f.values.not_different]
        if "serious" not in e
    }
    return {re.escape(n.rstrip("s")).replace("oea", "o?ea"): n for n in sorted(names)}


@rule(
    "AUD808",
    "adverse-effects-at-low-dose",
    verdicts=("supported",),
    fires_on=["Common side effects of LDN include nausea, headache and strange dreams at night, and vivid dreams."],
    passes=["The side effects of methotrexate include nausea and mouth ulcers.", "LDN has no side effects."],
)
def adverse_effects_at_low_dose(ctx: ClaimContext) -> Finding | None:
    """A list of LDN's side effects ("side effects of LDN include X and Y") against those its trials report.

    Supported when the effects named are among those the LDN trials and meta-analysis of the registry
    report (vivid dreams, sleep disturbance, nausea, headache...), with the trials' frequencies; effects
    the registry does not hold are named as not recorded.  A sentence about no side effects (the safety
    rules judge it), about another drug or about one study is not read.  Reference: the LDN trials of the
    evidence base cited in the registry, and Vatvani 2024 (meta-analysis of the fibromyalgia RCTs).
    """
    reg = _registry()
    found = dc.adverse_effects_named(ctx.text, _known_effects(reg))
    if found is None:
        return None
    known, other = found
    facts = [
        f
        for f in _verified(reg.topic("adverse-effects-low-dose"))
        if set(known) & {*(f.values.effects or []), *f.values.not_different}
    ]
    lead = f"reported in the LDN trials: {', '.join(known)}"
    if other:
        lead += f"; not recorded in the registry: {', '.join(other[:3])}"
    return _agrees(ctx, "AUD808", lead, facts)


RULES = (
    approval_against_registry,
    dose_against_registry,
    dose_ratio,
    half_life_against_registry,
    abuse_potential,
    opioids_and_naltrexone,
    drug_class,
    adverse_effects_at_low_dose,
)
