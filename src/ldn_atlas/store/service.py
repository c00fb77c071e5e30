"""Loading evidence files into a store: validate everything first, then write in one transaction.

This is what ``ldn-atlas db load`` and ``ldn-atlas report`` call.  Every record
is validated by :mod:`ldn_atlas.store.evidence_files` before the store is
touched, so one invalid record stops the whole load with a one-line
``file:line: field: what is wrong`` message and leaves the store exactly as it
was; the write itself is one transaction.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL

from ldn_atlas.errors import InputError
from ldn_atlas.model import Source, Study
from ldn_atlas.store import evidence_files
from ldn_atlas.store.repository import Store, UpsertResult, open_store


@dataclass(frozen=True)
class LoadResult:
    """What a load did: where it read, what it wrote, how long it took."""

    path: Path
    sources_path: Path | None
    studies: int
    sources: int
    upsert: UpsertResult
    seconds: float

    @property
    def changed(self) -> bool:
        return self.upsert.changed

    def summary(self) -> str:
        """One line: counts read, and inserted/updated/unchanged."""
        s = self.upsert.studies
        src = self.upsert.sources
        text = (
            f"{self.studies} studies ({len(s.inserted)} new, {len(s.updated)} updated, "
            f"{len(s.unchanged)} unchanged)"
        )
        if self.sources:
            text += (
                f", {self.sources} sources ({len(src.inserted)} new, {len(src.updated)} updated, "
                f"{len(src.unchanged)} unchanged)"
            )
        if self.upsert.removed:
            text += f", {len(self.upsert.removed)} stale studies removed"
        return text


def embedded_base_path() -> Path:
    """Folder of the embedded evidence base (``ldn_atlas/data/evidence``)."""
    return evidence_files.default_evidence_dir()


def read_evidence(
    path: str | Path | None = None, sources: str | Path | None = None
) -> tuple[list[Study], list[Source], Path, Path | None]:
    """Read and validate studies and sources, with references between them checked.

    Parameters
    ----------
    path
        A YAML file or a folder of them; default the embedded base.
    sources
        A YAML file of sources.  Default: the embedded ``sources.yaml`` when
        loading the embedded base, none otherwise.

    Raises
    ------
    EvidenceValidationError
        The first invalid record, as ``file:line: field: what is wrong``.
    InputError
        The path holds no study record.
    """
    study_path = Path(path) if path is not None else embedded_base_path()
    source_path: Path | None = Path(sources) if sources is not None else None
    if source_path is None and path is None:
        default_sources = evidence_files.default_sources_path()
        source_path = default_sources if default_sources.is_file() else None
    if source_path is None:
        studies, source_records = evidence_files.load_evidence(study_path), []
    else:
        base = evidence_files.load_evidence_base(study_path, source_path)
        studies, source_records = list(base.studies), list(base.sources)
    if not studies:
        raise InputError("no study records found (expected *.yaml study files)", location=str(study_path))
    return studies, source_records, study_path, source_path


def load_into(
    store: Store,
    path: str | Path | None = None,
    *,
    sources: str | Path | None = None,
    prune: bool = False,
) -> LoadResult:
    """Validate every record of an evidence base, then upsert all of it in one transaction.

    Parameters
    ----------
    store
        An open store.
    path, sources
        As :func:`read_evidence`; default the embedded base and its sources.
    prune
        Delete stored studies that the base does not contain.

    Returns
    -------
    LoadResult

    Raises
    ------
    EvidenceValidationError
        A record is invalid; nothing was written.
    StoreError
        The database refused the write; the transaction was rolled back.
    """
    started = time.perf_counter()
    studies, source_records, study_path, source_path = read_evidence(path, sources)
    upsert = store.upsert_studies(studies, sources=source_records, prune=prune)
    return LoadResult(
        path=study_path,
        sources_path=source_path,
        studies=len(studies),
        sources=len(source_records),
        upsert=upsert,
        seconds=time.perf_counter() - started,
    )


def validate_and_load(
    db: str | URL | None,
    path: str | Path | None = None,
    *,
    sources: str | Path | None = None,
    prune: bool = False,
) -> LoadResult:
    """Validate an evidence base, and only then open the store at ``db`` and load it.

    Unlike :func:`load_into`, the store is not even opened (so not created)
    when a record is invalid.  Arguments and errors as :func:`load_into`.
    """
    started = time.perf_counter()
    studies, source_records, study_path, source_path = read_evidence(path, sources)
    with open_store(db) as store:
        upsert = store.upsert_studies(studies, sources=source_records, prune=prune)
    return LoadResult(
        path=study_path,
        sources_path=source_path,
        studies=len(studies),
        sources=len(source_records),
        upsert=upsert,
        seconds=time.perf_counter() - started,
    )


def ensure_loaded(store: Store) -> LoadResult | None:
    """Load the embedded evidence base when the store holds no study; ``None`` when it had some."""
    if not store.is_empty():
        return None
    return load_into(store)


__all__ = [
    "LoadResult",
    "embedded_base_path",
    "ensure_loaded",
    "load_into",
    "read_evidence",
    "validate_and_load",
]
