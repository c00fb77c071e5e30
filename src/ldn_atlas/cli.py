"""The ``ldn-atlas`` command line: thin commands that parse, call a service and render."""

from __future__ import annotations

import json
import sys
from typing import Annotated

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
    err_console.print(f"[red]error:[/red] {error}", highlight=False, soft_wrap=True)
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


if __name__ == "__main__":  # pragma: no cover
    app()
