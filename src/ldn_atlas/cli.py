"""The ``ldn-atlas`` command line: thin commands that parse, call a service and render."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from ldn_atlas.errors import AtlasError

app = typer.Typer(
    name="ldn-atlas",
    help="LDN Atlas: a computable evidence atlas for low-dose naltrexone.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console()
err_console = Console(stderr=True)


class _State:
    debug: bool = False
    db: str | None = None


state = _State()


@app.callback()
def main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    db: Annotated[
        str | None,
        typer.Option("--db", envvar="LDN_ATLAS_DB", help="SQLite path or SQLAlchemy URL of the store."),
    ] = None,
) -> None:
    state.debug = debug
    state.db = db


def fail(error: BaseException) -> None:
    """Report an error in one line and exit non-zero (with the traceback under --debug)."""
    if state.debug:
        raise error
    from rich.markup import escape

    # escape: a message such as "pip install ldn-atlas[ml]" must not be read as Rich markup
    err_console.print(f"[red]error:[/red] {escape(str(error))}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=2 if isinstance(error, AtlasError) else 1)


@app.command()
def schema(
    name: Annotated[str, typer.Argument(help="Study, Source, Claim or Appraisal.")] = "Study",
) -> None:
    """Print the JSON Schema of a record of the evidence model."""
    from ldn_atlas import model

    cls = getattr(model, name, None)
    if cls is None or not isinstance(cls, type) or not issubclass(cls, model.Record):
        fail(AtlasError(f"unknown record {name!r}; available: Study, Source, Claim, Appraisal"))
        return
    sys.stdout.write(json.dumps(cls.model_json_schema(), indent=2) + "\n")


# ----------------------------------------------------------------------------- store: db, studies, show
# Owned by the store helper.  Commands parse, call ldn_atlas.store, render.

db_app = typer.Typer(help="Create, load and export the evidence store.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def _store_autoload(store: Any) -> None:
    """Load the embedded evidence base into an empty store, saying so on stderr."""
    from ldn_atlas.store import ensure_loaded

    loaded = ensure_loaded(store)
    if loaded is not None:
        err_console.print(
            f"[dim]the store was empty: loaded the embedded evidence base ({loaded.summary()}) "
            f"into {store.display}[/dim]",
            highlight=False,
        )


@db_app.command("init")
def db_init() -> None:
    """Create the store, or migrate it to the newest schema."""
    from ldn_atlas.store import open_store

    try:
        with open_store(state.db) as store:
            version, count = store.schema_version(), store.count()
            console.print(
                f"store ready at {store.display} (schema version {version}, revision {store.revision}; "
                f"{count} studies)",
                highlight=False,
                soft_wrap=True,
            )
    except AtlasError as exc:
        fail(exc)


@db_app.command("load")
def db_load(
    path: Annotated[
        str | None,
        typer.Argument(help="A study YAML file or a folder of them (default: the embedded evidence base)."),
    ] = None,
    sources: Annotated[
        str | None,
        typer.Option("--sources", help="A YAML file of sources the studies point to."),
    ] = None,
    prune: Annotated[
        bool, typer.Option("--prune", help="Also delete stored studies that PATH does not contain.")
    ] = False,
) -> None:
    """Validate every record, then load them all in one transaction (nothing is written on error)."""
    from ldn_atlas.store import validate_and_load

    try:
        result = validate_and_load(state.db, path, sources=sources, prune=prune)
    except AtlasError as exc:
        fail(exc)
        return
    console.print(
        f"loaded {result.summary()} from {result.path} into "
        f"{_store_display(state.db)} in {result.seconds:.2f} s",
        highlight=False,
        soft_wrap=True,
    )


def _store_display(db: str | None) -> str:
    from ldn_atlas.store.url import display_url, resolve_url

    return display_url(resolve_url(db))


@db_app.command("export")
def db_export(
    fmt: Annotated[str, typer.Option("--format", help="json or yaml.")] = "json",
    out: Annotated[str | None, typer.Option("--out", help="Write to FILE instead of stdout.")] = None,
) -> None:
    """Print (or write) everything in the store: sources, studies, claims, appraisals, overrides."""
    from pathlib import Path

    from ldn_atlas.store import open_store

    if fmt not in ("json", "yaml"):
        fail(AtlasError(f"unknown export format {fmt!r}; use json or yaml"))
    try:
        with open_store(state.db) as store:
            document = store.export()
    except AtlasError as exc:
        fail(exc)
        return
    if fmt == "json":
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    else:
        import yaml

        text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    if out is None:
        sys.stdout.write(text)
        return
    try:
        Path(out).write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(AtlasError(f"cannot write {out}: {exc.strerror or exc}"))
    err_console.print(
        f"wrote {len(document['studies'])} studies and {len(document['sources'])} sources to {out}",
        highlight=False,
    )


@app.command()
def studies(
    condition: Annotated[
        str | None,
        typer.Option(
            "--condition", help="Condition label, synonym or ICD-10-CM code prefix (case-insensitive)."
        ),
    ] = None,
    design: Annotated[
        list[str] | None,
        typer.Option("--design", help="Design tag, e.g. randomized; repeat to require several."),
    ] = None,
    species: Annotated[str | None, typer.Option("--species", help="human, animal or in-vitro.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
    limit: Annotated[int | None, typer.Option("--limit", min=0, help="At most this many studies.")] = None,
) -> None:
    """List the studies of the evidence base, filtered by condition, design and species."""
    import csv

    from ldn_atlas.store import open_store

    if fmt not in ("table", "json", "csv"):
        fail(AtlasError(f"unknown format {fmt!r}; use table, json or csv"))
    try:
        with open_store(state.db) as store:
            _store_autoload(store)
            items, total = store.list_studies(
                condition=condition, design=design, species=species, limit=limit
            )
    except AtlasError as exc:
        fail(exc)
        return
    if fmt == "json":
        payload = {"studies": [s.model_dump(mode="json") for s in items]}
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        return
    from ldn_atlas.report.study_text import STUDY_CSV_FIELDS, studies_table, study_csv_row

    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=STUDY_CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
        for study in items:
            writer.writerow(study_csv_row(study))
        return
    table = studies_table(items, total, wide=console.width >= 140)
    if not items:
        console.print("no studies match", highlight=False)
        return
    console.print(table)


@app.command()
def show(
    study_id: Annotated[str, typer.Argument(help="The study's id, e.g. gironi-2008.")],
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Show one study: every field, its provenance (spans), verification levels and discrepancies."""
    from ldn_atlas.services import source_texts
    from ldn_atlas.store import open_store

    if fmt not in ("text", "json"):
        fail(AtlasError(f"unknown format {fmt!r}; use text or json"))
    try:
        with open_store(state.db) as store:
            _store_autoload(store)
            study = store.get_study(study_id)
            wanted = {span.source for spans in study.provenance.values() for span in spans}
            # stored texts, or texts found locally (e.g. the article in ../shared) whose sha256 matches
            texts = source_texts([src for src in store.list_sources() if src.id in wanted])
    except AtlasError as exc:
        fail(exc)
        return
    if fmt == "json":
        sys.stdout.write(json.dumps(study.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n")
        return
    from ldn_atlas.report.study_text import render_study

    render_study(console, study, texts)


# ----------------------------------------------------------------------------- extract (issue 4)
@app.command()
def extract(
    file: Annotated[
        str, typer.Argument(help="Text, Markdown, HTML, PubMed XML (.xml/.gz) or CT.gov v2 JSON.")
    ],
    fmt: Annotated[str, typer.Option("--format", "-f", help="json or table.")] = "json",
    max_mb: Annotated[
        float, typer.Option("--max-mb", help="Largest single text/HTML/JSON document, in MB.")
    ] = 20,
) -> None:
    """Extract candidate studies from a document, each field with the words it came from.

    JSON output is {"source": Source, "studies": [Study, ...]} per document (Source.text is kept:
    the spans in Study.provenance point into it); a file with several records gives a JSON list.
    """
    import warnings

    from ldn_atlas.errors import AtlasWarning

    if fmt not in ("json", "table"):
        fail(AtlasError(f"unknown format {fmt!r}; use json or table"))
        return
    from ldn_atlas.extract.pipeline import extract_file

    count = 0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", AtlasWarning)
        try:
            results = extract_file(file, max_bytes=int(max_mb * 1024 * 1024))
            first = next(results, None)
            if first is None:
                raise AtlasError(f"{file}: nothing could be read")
            try:
                second = next(results, None)
            except AtlasError as exc:
                second = None
                caught.append(warnings.WarningMessage(AtlasWarning(str(exc)), AtlasWarning, file, 0))
            many = second is not None
            if fmt == "json" and many:
                sys.stdout.write("[\n")
            for item in (first, second):
                if item is not None:
                    _emit_extraction(*item, fmt=fmt, sep=",\n" if many and count else "")
                    count += 1
            try:
                for item in results:
                    _emit_extraction(*item, fmt=fmt, sep=",\n" if many else "")
                    count += 1
            except AtlasError as exc:  # e.g. malformed XML after some records: keep what was read
                caught.append(warnings.WarningMessage(AtlasWarning(str(exc)), AtlasWarning, file, 0))
            if fmt == "json":
                sys.stdout.write("\n]\n" if many else "\n")
        except AtlasError as exc:
            for w in caught:
                err_console.print(f"[yellow]warning:[/yellow] {w.message}", highlight=False, soft_wrap=True)
            fail(exc)
            return
    for w in caught:
        err_console.print(f"[yellow]warning:[/yellow] {w.message}", highlight=False, soft_wrap=True)


def _emit_extraction(source: object, studies: Sequence[object], *, fmt: str, sep: str) -> None:
    from ldn_atlas.model import Source, Study

    assert isinstance(source, Source)
    if fmt == "json":
        src = source.model_dump(mode="json", exclude_none=True)
        src.get("metadata", {}).pop("study", None)  # a CT.gov record's mapped study is in "studies"
        payload = {"source": src, "studies": [s.model_dump(mode="json") for s in studies
                                               if isinstance(s, Study)]}
        sys.stdout.write(sep + json.dumps(payload, ensure_ascii=False, indent=2))
        return
    from ldn_atlas.report.study_text import render_extraction

    render_extraction(console, source, studies)


# ----------------------------------------------------------------------------- end extract


# ----------------------------------------------------------------------------- evaluate (benchmarks)
evaluate_app = typer.Typer(help="Measure the extractors on public benchmarks.", no_args_is_help=True)
app.add_typer(evaluate_app, name="evaluate")


@evaluate_app.command("evidence-inference")
def evaluate_evidence_inference(
    split: Annotated[str, typer.Option("--split", help="train or validation.")] = "validation",
    only_answerable: Annotated[
        bool, typer.Option("--only-answerable", help="Only prompts whose evidence is in the abstract.")
    ] = False,
    method: Annotated[str, typer.Option("--method", help="core (numpy only) or ml (needs ldn-atlas[ml]).")] = "core",
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Evaluate the first N prompts.")] = None,
    data_dir: Annotated[
        str | None,
        typer.Option("--data-dir", help="Folder with abstracts.jsonl and the splits "
                     "(default ../shared/evidence-inference)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON.")] = False,
) -> None:
    """Evidence Inference 2.0: macro-F1, per-label P/R/F1, evidence-sentence accuracy, throughput."""
    from ldn_atlas.extract.inference_eval import evaluate_split
    from ldn_atlas.report.evidence_inference import evaluation_lines

    try:
        report = evaluate_split(split, method=method, only_answerable=only_answerable, limit=limit, data_dir=data_dir)
    except AtlasError as exc:
        fail(exc)
        return
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(), indent=2) + "\n")
        return
    for line in evaluation_lines(report, only_answerable=only_answerable):
        console.print(line)


@evaluate_app.command("extraction")
def evaluate_extraction(
    gold: Annotated[str, typer.Argument(help="Gold annotation (ldn-atlas-extraction-gold/1 JSON).")],
    pred: Annotated[
        str,
        typer.Argument(help="Output of `ldn-atlas extract FILE --format json`, or a second gold file "
                       "(inter-annotator agreement; detected by its format)."),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON.")] = False,
) -> None:
    """Precision, recall and F1 per field of extracted studies against a gold annotation."""
    from rich.table import Table

    from ldn_atlas.extract.evaluate import evaluate_files

    try:
        report = evaluate_files(gold, pred)
    except AtlasError as exc:
        fail(exc)
        return
    for warning in report.warnings:
        err_console.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(), indent=2) + "\n")
        return
    table = Table(title="Extraction against gold")
    for col in ("field", "TP", "FP", "FN", "precision", "recall", "F1", "span agreement"):
        table.add_column(col, justify="left" if col == "field" else "right")
    rows = [("studies", report.studies), *report.fields.items()]
    for name, sc in rows:
        agree = "" if sc.span_agreement is None else f"{sc.span_agreement:.2f}"
        table.add_row(name, str(sc.tp), str(sc.fp), str(sc.fn), f"{sc.precision:.3f}", f"{sc.recall:.3f}",
                      f"{sc.f1:.3f}", agree)
    console.print(table)


# ----------------------------------------------------------------------------- end evaluate


# ----------------------------------------------------------------------------- report (the main job)


@app.command()
def report(
    out: Annotated[
        Path, typer.Option("--out", help="Folder to write the report into.")
    ] = Path("ldn-atlas-report"),
) -> None:
    """Build the static HTML report (evidence matrix, conditions, studies, atlas.json)."""
    from ldn_atlas.report.text import summary_table
    from ldn_atlas.services import build_report
    from ldn_atlas.store import open_store

    try:
        with open_store(state.db) as store:
            _store_autoload(store)
            atlas, written = build_report(store, out)
    except AtlasError as exc:
        fail(exc)
        return
    console.print(summary_table(atlas))
    console.print(
        f"Wrote {len(written.pages)} pages and {written.json_path.name} to "
        f"[bold]{written.out_dir.resolve()}[/bold]; open {written.index.resolve()}",
        highlight=False,
        soft_wrap=True,
    )


# ----------------------------------------------------------------------------- end report


# ----------------------------------------------------------------------------- audit (appraisal, issue 5)


@app.command()
def audit(
    file: Annotated[Path | None, typer.Argument(help="Article: text, Markdown or HTML (--explain: a code).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="json, table or html.")] = "table",
    explain: Annotated[bool, typer.Option("--explain", help="Explain a rule (--explain AUD101) or list all.")] = False,
) -> None:
    """Check an article's claims against the evidence base: a verdict and reasons per claim."""
    from ldn_atlas.report.audit_rules import explain_rules

    if explain:
        try:
            sys.stdout.write(explain_rules(None if file is None else str(file)))
        except KeyError:
            fail(AtlasError(f"unknown audit rule {str(file)!r}; ldn-atlas audit --explain lists them"))
        return
    if fmt not in ("json", "table", "html") or file is None:
        fail(AtlasError(f"unknown format {fmt!r}; use json, table or html" if file else "give the article to audit"))
        return
    from ldn_atlas.appraise.audit import audit_file
    from ldn_atlas.report.audit_text import print_audit

    try:
        result = audit_file(file)
    except (AtlasError, OSError) as exc:
        fail(exc)
        return
    print_audit(result, fmt, console)


@app.command()
def override(
    synthesis: Annotated[str, typer.Argument(help="Synthesis id, e.g. fibromyalgia:pain.")],
    target: Annotated[str, typer.Argument(help="A GRADE domain (risk-of-bias, imprecision, ...) or certainty.")],
    value: Annotated[str, typer.Option("--value", help="Levels for a domain (-2..2) or a certainty (high..very-low).")],
    by: Annotated[str, typer.Option("--by", help="Who overrides.")],
    reason: Annotated[str, typer.Option("--reason", help="Why.")],
) -> None:
    """Record a reviewer's override of a GRADE judgement (kept with who and when) and show the new certainty."""
    from ldn_atlas.appraise.synthesis import record_override
    from ldn_atlas.store import open_store

    try:
        with open_store(state.db) as store:
            _store_autoload(store)
            appraisal = record_override(store, synthesis, target, value, by=by, reason=reason)
    except (AtlasError, KeyError) as exc:
        fail(exc if isinstance(exc, AtlasError) else AtlasError(f"unknown synthesis {exc.args[0]!r}"))
        return
    console.print(f"{synthesis}: certainty now [bold]{appraisal.certainty}[/bold]", highlight=False)
    console.print(appraisal.rationale, highlight=False, soft_wrap=True)


# ----------------------------------------------------------------------------- end audit


# ----------------------------------------------------------------------------- serve (web app, issue 6)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="TCP port.")] = 8000,
    db: Annotated[
        str | None,
        typer.Option("--db", help="SQLite path or SQLAlchemy URL of the store (default: the global --db)."),
    ] = None,
    log_level: Annotated[str, typer.Option("--log-level", help="Uvicorn log level.")] = "info",
) -> None:
    """Serve the atlas in a browser and the REST API (/api/v1, docs at /docs) with Uvicorn."""
    import socket

    import uvicorn

    from ldn_atlas.store import ensure_loaded, open_store
    from ldn_atlas.web import create_app

    url = db if db is not None else state.db
    try:
        with open_store(url) as store:  # fail here, in one line, rather than inside the server's start-up
            ensure_loaded(store)
    except AtlasError as exc:
        fail(exc)
        return
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            fail(AtlasError(f"cannot listen on {host}:{port}: {exc.strerror or exc}"))
            return
    shown = f"[{host}]" if ":" in host else host
    err_console.print(f"LDN Atlas on http://{shown}:{port}/ (API docs at /docs); Ctrl+C stops it", highlight=False)
    uvicorn.run(create_app(url, warm=True), host=host, port=port, log_level=log_level, server_header=False)


# ----------------------------------------------------------------------------- end serve


if __name__ == "__main__":  # pragma: no cover
    app()
