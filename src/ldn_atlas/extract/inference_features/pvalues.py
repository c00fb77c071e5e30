"""P-values: parsing them (``p<0.05``, ``P = .03``, ``p=NS``, lists with ``respectively``) and their features."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ldn_atlas.extract.inference_features.sentence import SentenceView

_P_VALUE = re.compile(
    r"(?<![A-Za-z])[pP]\s{0,2}(?:-?\s{0,2}values?\s{0,2})?(?:[(\[]\w{1,6}[)\]]\s{0,2})?"
    r"(<=|>=|≤|≥|<|>|=|:|less\s+than|greater\s+than|of)\s{0,2}(\d(?:\.\d{1,8})?\s?[x×]\s?10\s?[-−–]\s?\d{1,3}|0?\.\d{1,8}|0/\d{1,8}|1(?:\.0+)?|NS\b)",
)
# Further values of a p-value list: "p = 0.01, 0.20 and 0.03", "P = 0.009 and 0.002".
_P_TAIL = re.compile(r"\s{0,2}(?:,\s{0,2}(?:and\s{1,2})?|and\s{1,2})(?:[pP]\s{0,2}(<=|>=|≤|≥|<|>|=)\s{0,2})?"
                     r"(0?\.\d{1,8}|1\.0+)(?![\d.]|\s?%)")
_RESPECTIVELY = re.compile(r"^[\s)\]]{0,3}[,;]?\s{0,2}(?:all\s{1,2})?respectively", re.IGNORECASE)
_LIST_SEP = re.compile(r",\s{0,2}(?:and\s{1,2}|or\s{1,2})?|\s(?:and|or)\s")
_P_NS = re.compile(r"(?<![A-Za-z])(?:[pP]\s{0,2}=?\s{0,2})?(?:NS|n\.s\.)(?![A-Za-z])")


def _parse_p(value: str, op: str) -> tuple[float, int]:
    """Return (p, relation) where relation is -1 for '<', 0 for '=', +1 for '>'."""
    op = op.lower()
    rel = -1 if op in ("<", "<=", "≤") or op.startswith("less") else (1 if op in (">", ">=", "≥") or
                                                                      op.startswith("greater") else 0)
    # "p = 0/03": a slash for the decimal point.
    v = value.strip().replace("/", ".")
    if v.upper() == "NS":
        return 1.0, 1
    m = re.match(r"(\d(?:\.\d+)?)\s?[x×]\s?10\s?[-−–]\s?(\d+)", v)
    if m:
        return float(m.group(1)) * 10.0 ** (-int(m.group(2))), rel
    try:
        return float(v), rel
    except ValueError:
        return 1.0, 0


def _significant(p: float, rel: int) -> bool:
    """Whether a parsed p-value (``rel``: -1 for ``<``, 0 for ``=``, +1 for ``>``) is below 0.05;
    ``p = 0.05`` and ``p < 0.05`` count as significant."""
    return p < 0.05 or (p <= 0.05 and rel <= 0)


#: A p-value found in a sentence: (p, relation: -1 for ``<``, 0 for ``=``, +1 for ``>``, character position).
PValue = tuple[float, int, int]


@dataclass(frozen=True)
class PValues:
    """The p-values of a sentence.

    Attributes
    ----------
    found
        Every p-value (``NS`` included), in the order they were read.
    spans
        Character spans of the ``p = ...`` expressions (not to be read as arm values).
    lists
        ``p = 0.01, 0.20 and 0.03``: (start, end, values) of each list of several values.
    """

    found: list[PValue] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    lists: list[tuple[int, int, list[PValue]]] = field(default_factory=list)


def find_p_values(text: str) -> PValues:
    """Every p-value of ``text``, their spans and the lists of several values."""
    ps: list[PValue] = []
    ps_spans: list[tuple[int, int]] = []
    p_lists: list[tuple[int, int, list[PValue]]] = []
    for m in _P_VALUE.finditer(text):
        p, rel = _parse_p(m.group(2), m.group(1))
        ps.append((p, rel, m.start()))
        ps_spans.append((m.start(), m.end()))
        # "p = 0.01, 0.20 and 0.03 (respectively)": the bare values after the first one.
        items: list[PValue] = [(p, rel, m.start())]
        end = m.end()
        while len(items) < 8:
            tail = _P_TAIL.match(text, end)
            if tail is None:
                break
            items.append((*_parse_p(tail.group(2), tail.group(1) or m.group(1)), tail.start(2)))
            if tail.group(1) is None:  # a value with its own "p =" is matched on its own
                ps.append(items[-1])
            end = tail.end()
        if len(items) > 1:
            p_lists.append((m.start(), end, items))
    for m in _P_NS.finditer(text):
        ps.append((1.0, 1, m.start()))
    return PValues(ps, ps_spans, p_lists)


def respective_p_value(view: SentenceView, pvalues: PValues) -> PValue | None:
    """The p-value in the outcome's position of a list, or None.

    ``A, B and C were lower (p = 0.01, 0.20 and 0.03, respectively)``: the outcome B gets 0.20.
    """
    text, starts, anchor = view.text, view.starts, view.anchor
    p_lists = pvalues.lists
    resp_p: PValue | None = None
    if anchor >= 0:
        # "A, B and C were lower (p = 0.01, 0.20 and 0.03, respectively)": the p-value in the
        # outcome's position in the list.
        a_pos = starts[anchor]
        for l_start, l_end, items in p_lists:
            if l_start <= a_pos or _RESPECTIVELY.match(text[l_end : l_end + 30]) is None:
                continue
            seg_lo = text.rfind(";", 0, a_pos) + 1
            depth = 0
            cuts = []
            for sm in _LIST_SEP.finditer(text, seg_lo, l_start):
                depth = text.count("(", seg_lo, sm.start()) - text.count(")", seg_lo, sm.start())
                if depth == 0:
                    cuts.append(sm.start())
            n_items = len(cuts) + 1
            item = sum(1 for c in cuts if c < a_pos)
            idx = item - (n_items - len(items))
            if 0 <= idx < len(items):
                resp_p = items[idx]
            break
    return resp_p


def p_value_features(view: SentenceView, pvalues: PValues, resp_p: PValue | None) -> dict[str, float]:
    """Whether the sentence has p-values, significant or not, all or some, and the one nearest the outcome."""
    f: dict[str, float] = {}
    ps, starts, anchor = pvalues.found, view.starts, view.anchor
    sig_p = [p for p, rel, _ in ps if _significant(p, rel)]
    ns_p = [p for p, rel, _ in ps if p > 0.05 or (p >= 0.05 and rel > 0)]
    f["p_any"] = float(bool(ps))
    f["p_sig"] = float(bool(sig_p))
    f["p_ns"] = float(bool(ns_p))
    f["p_all_sig"] = float(bool(ps) and not ns_p)
    f["p_all_ns"] = float(bool(ps) and not sig_p)
    f["p_mixed"] = float(bool(sig_p) and bool(ns_p))
    f["p_resp"] = float(resp_p is not None)
    if ps:
        anchor_pos = starts[anchor] if anchor >= 0 else 0
        after = [x for x in ps if x[2] >= anchor_pos]
        near = resp_p or min(after or ps, key=lambda x: abs(x[2] - anchor_pos))
        near_sig = _significant(near[0], near[1])
        f["p_near_sig"] = float(near_sig)
        f["p_near_ns"] = float(not near_sig)
        f["log_pmin"] = min(-math.log10(max(min(p for p, _, _ in ps), 1e-12)), 12.0) / 4.0
    return f
