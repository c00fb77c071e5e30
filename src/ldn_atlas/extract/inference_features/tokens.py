"""Text normalisation and tokens the features read: decimal points, HTML references, words, numbers."""

from __future__ import annotations

import html
import re

from ldn_atlas.extract.inference_text import content_stems

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:['’-][A-Za-z0-9]+)*|\d+(?:\.\d+)?")
_TOKEN_POS = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:['’-][A-Za-z0-9]+)*|\d+(?:\.\d+)?|[<>=≤≥;]")
_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?")
# The Lancet's decimal point, a raised dot ("p=0·22", "95% CI 0·89–1·03"): read as "." (same length).
_RAISED_DECIMAL = re.compile(r"(?<=\d)[·∙⋅](?=\d)")


def _decimal_points(text: str) -> str:
    """``text`` with raised decimal dots between digits written as ``.`` (offsets unchanged)."""
    return _RAISED_DECIMAL.sub(".", text) if "·" in text or "∙" in text or "⋅" in text else text


def _unescaped(text: str) -> str:
    """``text`` with HTML character references decoded, also when escaped twice (``&amp;lt;``)."""
    for _ in range(3):
        if "&" not in text:
            break
        plain = html.unescape(text)
        if plain == text:
            break
        text = plain
    return text


def _num(s: str) -> float:
    return float(s.replace("−", "-").replace("–", "-").replace(" ", ""))


def _stems_of(text: str) -> list[str]:
    return content_stems(text)
