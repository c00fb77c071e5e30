"""Read the evidence base from YAML files, with line numbers in every error.

The embedded evidence base lives in ``ldn_atlas/data``:

* ``data/evidence/*.yaml``: one :class:`~ldn_atlas.model.evidence.Study` per file
  (a file may also hold a YAML list of studies);
* ``data/sources.yaml``: a list of :class:`~ldn_atlas.model.evidence.Source`
  records that studies and spans point to.

Every record is validated with the pydantic model.  The first invalid record
stops the load with :class:`~ldn_atlas.errors.EvidenceValidationError`, whose
message is one line, ``file:line: field: what is wrong``.  The line is the line
of the offending key (or value); for a missing field it is the line where the
enclosing record starts.  Line numbers come from :func:`yaml.compose`, which
keeps the position of every node.

Examples
--------
>>> studies = load_evidence()            # the embedded base
>>> sources = load_sources()
>>> base = load_evidence_base()          # both, with cross-references checked
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ldn_atlas.errors import EvidenceValidationError
from ldn_atlas.model.evidence import Source, Study

__all__ = [
    "EvidenceBase",
    "default_data_dir",
    "default_evidence_dir",
    "default_sources_path",
    "load_evidence",
    "load_evidence_base",
    "load_sources",
]

ModelT = TypeVar("ModelT", bound=BaseModel)
PathLike = str | Path
# libyaml's parser when PyYAML was built with it (10x faster); node marks are the same
_FAST_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_YAML_SUFFIXES = (".yaml", ".yml")


def default_data_dir() -> Path:
    """Folder of the embedded data (``ldn_atlas/data``) inside the installed package."""
    return Path(str(resources.files("ldn_atlas").joinpath("data")))


def default_evidence_dir() -> Path:
    """Folder of the embedded study files (``ldn_atlas/data/evidence``)."""
    return default_data_dir() / "evidence"


def default_sources_path() -> Path:
    """The embedded source list (``ldn_atlas/data/sources.yaml``)."""
    return default_data_dir() / "sources.yaml"


# --------------------------------------------------------------------------- YAML with positions


class _Located:
    """A composed YAML node plus the data it constructs to; answers "which line is this path on"."""

    def __init__(self, node: yaml.Node, loader_cls: type[yaml.SafeLoader]) -> None:
        self.node = node
        self._loader_cls = loader_cls

    @property
    def line(self) -> int:
        return self.node.start_mark.line + 1

    def data(self) -> Any:
        loader = self._loader_cls("")
        try:
            return loader.construct_document(self.node)
        finally:
            loader.dispose()

    def line_of(self, loc: Sequence[int | str], *, missing: bool = False) -> int:
        """Line of the key or item at ``loc`` (a pydantic error location).

        For a missing field, the line where the record holding it starts.
        """
        node = self.node
        line = self.line
        path = list(loc[:-1]) if missing else list(loc)
        for step in path:
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(step):
                        line = key_node.start_mark.line + 1
                        node = value_node
                        break
                else:
                    return line
            elif (
                isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value)
            ):
                node = node.value[step]
                line = node.start_mark.line + 1
            else:
                return line
        if missing:
            return node.start_mark.line + 1
        if isinstance(node, yaml.ScalarNode) and path:
            # the key's line is what a reader looks for; a block scalar may start on the next line
            return line
        return line if path else node.start_mark.line + 1


def _compose(path: Path) -> yaml.Node | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise EvidenceValidationError(f"cannot read file: {exc}", location=f"{path}:1") from exc
    try:
        return yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        raise EvidenceValidationError(
            f"invalid YAML: {problem}", location=f"{path}:{line}", field="yaml"
        ) from exc
    except yaml.YAMLError as exc:
        raise EvidenceValidationError(
            f"invalid YAML: {' '.join(str(exc).split())}", location=f"{path}:1", field="yaml"
        ) from exc


def _records(path: Path) -> Iterator[_Located]:
    """The top-level records of one file: a mapping, or each mapping of a list."""
    root = _compose(path)
    if root is None:
        return
    if isinstance(root, yaml.MappingNode):
        yield _Located(root, yaml.SafeLoader)
    elif isinstance(root, yaml.SequenceNode):
        for item in root.value:
            if not isinstance(item, yaml.MappingNode):
                raise EvidenceValidationError(
                    f"expected a mapping (a record), got a {_node_kind(item)}",
                    location=f"{path}:{item.start_mark.line + 1}",
                    field="record",
                )
            yield _Located(item, yaml.SafeLoader)
    else:
        raise EvidenceValidationError(
            f"expected a mapping or a list of mappings, got a {_node_kind(root)}",
            location=f"{path}:{root.start_mark.line + 1}",
            field="record",
        )


def _node_kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "mapping"
    if isinstance(node, yaml.SequenceNode):
        return "list"
    return "scalar"


# --------------------------------------------------------------------------- validation messages


def _field_path(loc: Sequence[int | str]) -> str:
    """``('outcomes', 0, 'measures', 1, 'value')`` -> ``outcomes[0].measures[1].value``."""
    out = ""
    for step in loc:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += f".{step}" if out else str(step)
    return out or "record"


def _describe(error: Any) -> str:
    kind = error.get("type", "")
    value = error.get("input")
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (not in the evidence model)"
    if kind in ("literal_error", "enum"):
        expected = error.get("ctx", {}).get("expected", "")
        return f"{value!r} is not allowed; expected one of {expected}"
    message = str(error.get("msg", "invalid value"))
    if value is not None and not isinstance(value, dict | list):
        message = f"{message} (got {value!r})"
    return message


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _validate(model: type[ModelT], record: _Located, path: Path) -> ModelT:
    data = record.data()
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(error.get("loc", ()))
        missing = error.get("type") == "missing"
        line = record.line_of(loc, missing=missing)
        raise EvidenceValidationError(
            _one_line(_describe(error)), location=f"{path}:{line}", field=_field_path(loc)
        ) from None


# --------------------------------------------------------------------------- public API


def _yaml_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.is_file() and p.suffix in _YAML_SUFFIXES)
    if path.is_file():
        return [path]
    raise EvidenceValidationError("no such file or directory", location=f"{path}:1", field="path")


def _load_located(model: type[ModelT], paths: Iterable[Path]) -> list[tuple[ModelT, Path, _Located]]:
    loaded: list[tuple[ModelT, Path, _Located]] = []
    seen: dict[str, str] = {}
    kind = "study" if model is Study else "source"
    for path in paths:
        for record in _records(path):
            item = _validate(model, record, path)
            item_id = str(getattr(item, "id"))  # noqa: B009 - both models have an id
            here = f"{path}:{record.line_of(('id',))}"
            if item_id in seen:
                raise EvidenceValidationError(
                    f"duplicate {kind} id {item_id!r} (first defined at {seen[item_id]})",
                    location=here,
                    field="id",
                )
            seen[item_id] = here
            loaded.append((item, path, record))
    return loaded


def load_evidence(path: PathLike | None = None) -> list[Study]:
    """Load and validate study records.

    Parameters
    ----------
    path : str or Path, optional
        A YAML file or a folder of ``*.yaml``/``*.yml`` files (read in name order).
        Defaults to the embedded base, ``ldn_atlas/data/evidence``.

    Returns
    -------
    list of Study
        In file order.

    Raises
    ------
    EvidenceValidationError
        On the first invalid record or a duplicate study id; the message is
        ``file:line: field: what is wrong``.
    """
    target = Path(path) if path is not None else default_evidence_dir()
    return [item for item, _, _ in _load_located(Study, _yaml_files(target))]


def load_sources(path: PathLike | None = None) -> list[Source]:
    """Load and validate :class:`Source` records (default: ``ldn_atlas/data/sources.yaml``).

    Raises
    ------
    EvidenceValidationError
        As :func:`load_evidence`.
    """
    target = Path(path) if path is not None else default_sources_path()
    return [item for item, _, _ in _load_located(Source, _yaml_files(target))]


@dataclass(frozen=True)
class EvidenceBase:
    """Sources and studies loaded together, cross-references checked."""

    sources: tuple[Source, ...]
    studies: tuple[Study, ...]

    def study(self, study_id: str) -> Study:
        """The study with this id (``KeyError`` when absent)."""
        for item in self.studies:
            if item.id == study_id:
                return item
        raise KeyError(study_id)

    def source(self, source_id: str) -> Source:
        """The source with this id (``KeyError`` when absent)."""
        for item in self.sources:
            if item.id == source_id:
                return item
        raise KeyError(source_id)


def load_evidence_base(evidence: PathLike | None = None, sources: PathLike | None = None) -> EvidenceBase:
    """Load sources and studies and check that every reference between them resolves.

    A study's ``source``, the ``source`` of each provenance span and its
    ``primary_source`` must name a loaded source or study; the error points at
    the offending line.
    """
    source_rows = _load_located(Source, _yaml_files(Path(sources) if sources else default_sources_path()))
    study_rows = _load_located(Study, _yaml_files(Path(evidence) if evidence else default_evidence_dir()))
    source_ids = {item.id for item, _, _ in source_rows}
    study_ids = {item.id for item, _, _ in study_rows}
    for study, path, record in study_rows:
        if study.source is not None and study.source not in source_ids:
            raise EvidenceValidationError(
                f"unknown source id {study.source!r}",
                location=f"{path}:{record.line_of(('source',))}",
                field="source",
            )
        if study.primary_source is not None and study.primary_source not in study_ids:
            raise EvidenceValidationError(
                f"unknown study id {study.primary_source!r}",
                location=f"{path}:{record.line_of(('primary_source',))}",
                field="primary_source",
            )
        for key, spans in study.provenance.items():
            for index, span in enumerate(spans):
                if span.source not in source_ids:
                    raise EvidenceValidationError(
                        f"unknown source id {span.source!r}",
                        location=f"{path}:{record.line_of(('provenance', key, index, 'source'))}",
                        field=f"provenance.{key}[{index}].source",
                    )
    return EvidenceBase(
        sources=tuple(item for item, _, _ in source_rows), studies=tuple(item for item, _, _ in study_rows)
    )
