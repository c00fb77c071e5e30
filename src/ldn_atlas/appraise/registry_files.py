"""Reading the appraisal's registry files (MCIDs, drug facts): the package's copy, or a file a user names."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ldn_atlas.errors import InputError


def registry_text(path: str | Path | None, default_name: str, what: str) -> tuple[str, str]:
    """The text of a registry file and the location errors name: ``data/<default_name>`` when ``path`` is None.

    An unreadable file is an :class:`~ldn_atlas.errors.InputError` naming it ("cannot read <what>: ...").
    """
    if path is None:
        text = resources.files("ldn_atlas.data").joinpath(default_name).read_text(encoding="utf-8")
        return text, f"data/{default_name}"
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8"), str(p)
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror}", location=str(p)) from None
