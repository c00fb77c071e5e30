"""Appraisal: evidence levels, risk-of-bias signals, syntheses, GRADE, MCIDs and the claim audit.

Public API::

    from ldn_atlas.appraise import evidence_level, risk_of_bias, grade, EvidenceBody, Effect
    from ldn_atlas.appraise.mcid import load_mcid_registry, classify_against_mcid
    from ldn_atlas.appraise.synthesis import synthesise          # syntheses and SoF rows
    from ldn_atlas.appraise.audit import audit_file, audit_source  # the claim audit

Heavy parts (syntheses, the audit) are imported from their modules so that importing the
package stays cheap.
"""

from ldn_atlas.appraise.grade import (
    CERTAINTIES,
    Effect,
    EvidenceBody,
    StudyEffect,
    certainty_label,
    grade,
    optimal_information_size,
)
from ldn_atlas.appraise.levels import EvidenceLevel, RiskOfBias, RobSignal, evidence_level, risk_of_bias

__all__ = [
    "CERTAINTIES",
    "Effect",
    "EvidenceBody",
    "EvidenceLevel",
    "RiskOfBias",
    "RobSignal",
    "StudyEffect",
    "certainty_label",
    "evidence_level",
    "grade",
    "optimal_information_size",
    "risk_of_bias",
]
