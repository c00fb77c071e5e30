"""Interactions that encode the decision logic for the linear model: significance evidence crossed with
the direction words and the arms' values, and a null between-arm verdict overriding within-arm significance."""

from __future__ import annotations

from collections.abc import Mapping

from ldn_atlas.extract.inference_features.direction import DirectionReading

_WITHIN_SIG_KEYS = ("p_sig", "p_all_sig", "p_near_sig", "p_mixed", "c_p_sig", "c_clean_sig", "s_sig_pos",
                    "w_sig_pos", "c_sig_pos", "sig_total", "sig_x_up", "sig_x_down", "sig_x_num_up",
                    "sig_x_num_down", "log_pmin")


def decision_features(f: Mapping[str, float], d: DirectionReading, vd: tuple[int, str] | None) -> dict[str, float]:
    """Interactions of the other groups' features ``f`` (p-values, intervals, cues, arm values) with the
    direction ``d`` and the value direction ``vd``."""
    g: dict[str, float] = {}
    up_r, down_r, bad_outcome = d.up_resolved, d.down_resolved, d.bad_outcome
    no_cue = not d.has_direction_word and vd is None and not d.has_evaluative_word
    sig_evidence = f["p_sig"] + f["ci_excl"] + f["w_sig_pos"]
    num_sign = f.get("num_up_arms", 0.0) - f.get("num_down_arms", 0.0)
    g["sig_x_num_up"] = min(sig_evidence, 2.0) * (num_sign > 0)
    g["sig_x_num_down"] = min(sig_evidence, 2.0) * (num_sign < 0)
    g["num_agrees_dir"] = float(num_sign != 0 and (num_sign > 0) == (up_r > down_r) and up_r != down_r)
    g["num_disagrees_dir"] = float(num_sign != 0 and (num_sign > 0) != (up_r > down_r) and up_r != down_r)
    ns_evidence = f["p_all_ns"] + f["ci_only_incl"] + f["w_sig_neg"] + f["w_neg_cue"]
    g["sig_x_up"] = min(sig_evidence, 2.0) * (up_r > down_r)
    g["sig_x_down"] = min(sig_evidence, 2.0) * (down_r > up_r)
    g["ns_total"] = min(ns_evidence, 3.0)
    g["sig_total"] = min(sig_evidence, 3.0)
    g["ci_dir_x_ratio"] = f["ci_dir"]
    # The interval's sign when the sentence has no direction word and no per-arm values.
    g["ci_dir_alone"] = f["ci_dir"] * float(no_cue)
    # A significant result with no direction cue at all: trials mostly report benefit, so the
    # outcome's polarity (pain, mortality... vs the rest) is the best remaining guess.
    if sig_evidence and no_cue and not f["ci_dir"]:
        g["nodir_sig_badout"] = float(bad_outcome)
        g["nodir_sig_goodout"] = float(not bad_outcome)
    return g


def within_arm_reset(f: Mapping[str, float]) -> dict[str, float]:
    """The significance features set to 0 when a change within the arms is followed by a null verdict
    between them: the significant p-values and cues belong to the change within each arm, not to the
    comparison between the arms."""
    if f["within_then_between_ns"]:
        return dict.fromkeys(_WITHIN_SIG_KEYS, 0.0)
    return {}
