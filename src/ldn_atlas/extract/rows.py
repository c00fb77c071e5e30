"""Field/value/words rows of an extracted study, for tables that show where each fact came from."""

from __future__ import annotations

import re

from ldn_atlas.model import Source, Study

_INDEX = re.compile(r"\[(\d+)\]")


def _value_at(study: Study, path: str) -> object:
    obj: object = study
    for part in path.split("."):
        name, *idx = _INDEX.split(part)
        obj = getattr(obj, name, None) if name else obj
        for i in (int(x) for x in idx if x):
            if not isinstance(obj, list) or i >= len(obj):
                return None
            obj = obj[i]
    return obj


def _short(value: object) -> str:
    if hasattr(value, "model_dump"):
        data = {
            k: v
            for k, v in value.model_dump(exclude_defaults=True).items()
            if v not in (None, [], {}) and k not in ("measures", "responders")
        }
        return ", ".join(f"{k}={v}" for k, v in data.items())
    return str(value)


def provenance_rows(source: Source, study: Study, *, width: int = 90) -> list[tuple[str, str, str]]:
    """``(field path, value, the words it came from)`` for every field with spans, in text order."""
    text = source.text or ""
    rows = []
    for path, spans in sorted(study.provenance.items(), key=lambda kv: (kv[1][0].start if kv[1] else 0, kv[0])):
        if path == "*" or not spans:
            continue
        value = _value_at(study, path)
        if value is None and path.startswith("population.subgroups"):
            value = _value_at(study, path)
        words = " … ".join(text[s.start:s.end] for s in spans[:3])
        if len(words) > width:
            words = words[: width - 1] + "…"
        rows.append((path, _short(value) if value is not None else "", words.replace("\n", " ")))
    return rows
