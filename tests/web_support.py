"""Helpers for the web tests: a live Uvicorn server on a free loopback port, raw HTTP over a socket.

The live server runs the real app (``create_app``) in a background thread of
the test process, so it costs one store start-up per session and is shut
down cleanly at the end.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class LiveServer:
    """A running server: its base URL and the app it serves."""

    url: str
    port: int
    app: Any


@contextlib.contextmanager
def live_server(db: str | Path, *, shared: Path | None = None, max_upload_bytes: int | None = None,
                timeout: float = 30.0) -> Iterator[LiveServer]:
    """Run ``create_app(db)`` under Uvicorn in a thread on a free loopback port until the block exits.

    ``shared`` sets ``LDN_ATLAS_SHARED`` while the app starts (the article text is read at start-up).
    """
    import uvicorn

    from ldn_atlas.web import MAX_UPLOAD_BYTES, create_app

    previous = os.environ.get("LDN_ATLAS_SHARED")
    if shared is not None:
        os.environ["LDN_ATLAS_SHARED"] = str(shared)
    app = create_app(str(db), max_upload_bytes=max_upload_bytes or MAX_UPLOAD_BYTES)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on",
                            server_header=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + timeout
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the test server exited during start-up")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the test server did not start within {timeout} s")
            time.sleep(0.02)
    finally:
        if shared is not None:
            if previous is None:
                os.environ.pop("LDN_ATLAS_SHARED", None)
            else:
                os.environ["LDN_ATLAS_SHARED"] = previous
    try:
        yield LiveServer(url=f"http://127.0.0.1:{port}", port=port, app=app)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes
    bytes_sent: int


def _read_response(sock: socket.socket, deadline: float) -> tuple[int, dict[str, str], bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        sock.settimeout(max(0.1, deadline - time.monotonic()))
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length and time.monotonic() < deadline:
        sock.settimeout(max(0.1, deadline - time.monotonic()))
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return status, headers, body


def raw_post(port: int, path: str, headers: dict[str, str], chunks: Iterator[bytes], *, chunked: bool,
             timeout: float = 20.0) -> RawResponse:
    """POST over a raw socket, sending ``chunks`` until the server answers; returns what was sent by then.

    With ``chunked`` the body uses ``Transfer-Encoding: chunked`` (no Content-Length). The
    sender stops as soon as a response is readable or the server closes the connection, so
    ``bytes_sent`` bounds what the server can have read.
    """
    deadline = time.monotonic() + timeout
    head = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    head += [f"{k}: {v}" for k, v in headers.items()]
    if chunked:
        head.append("Transfer-Encoding: chunked")
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        answered = False
        for chunk in chunks:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable or time.monotonic() > deadline:
                answered = True
                break
            frame = (f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n") if chunked else chunk
            try:
                sock.sendall(frame)
            except (BrokenPipeError, ConnectionResetError):
                answered = True
                break
            sent += len(chunk)
        if chunked and not answered:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                sock.sendall(b"0\r\n\r\n")
        status, response_headers, body = _read_response(sock, deadline)
    return RawResponse(status=status, headers=response_headers, body=body, bytes_sent=sent)
