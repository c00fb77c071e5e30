"""``ldn-atlas serve``: serves the app, reports bad stores and busy ports in one line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from ldn_atlas.cli import app
from tests.web_support import free_port

UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/none"


def test_serve_help_names_the_options() -> None:
    result = CliRunner().invoke(app, ["serve", "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    for option in ("--host", "--port", "--db"):
        assert option in result.output


def test_serve_reports_an_unreachable_store_in_one_line() -> None:
    result = CliRunner().invoke(app, ["serve", "--port", str(free_port()), "--db", UNREACHABLE])
    assert result.exit_code == 2
    assert "cannot open the store" in result.output
    assert "Traceback" not in result.output


def test_serve_reports_a_busy_port(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--port", str(port), "--db", str(tmp_path / "a.db")])
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.output


def test_serve_runs_the_app_and_its_db_option_wins(tmp_path: Path) -> None:
    """The real command in a subprocess: ``serve --db`` overrides the global ``--db`` (here unreachable)."""
    port = free_port()
    db = tmp_path / "served.db"
    env = {**os.environ, "LDN_ATLAS_DB": UNREACHABLE}
    proc = subprocess.Popen(
        [sys.executable, "-m", "ldn_atlas.cli", "serve", "--port", str(port), "--db", str(db), "--log-level",
         "warning"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        response = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/v1/conditions", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert response is not None, f"server did not come up: {proc.communicate(timeout=5)}"
        assert response.status_code == 200 and response.json()
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "server" not in response.headers
        assert db.exists()
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=15)
    assert f"http://127.0.0.1:{port}/" in err
