"""Load test of the web app on loopback: p50/p95/p99 latency and errors, against a "hello" FastAPI floor.

What it does
------------
1. Loads the embedded evidence base into a temporary SQLite store.
2. Starts the real command, ``ldn-atlas serve --db TMP --port P --log-level warning``
   (one Uvicorn process, access log off), and, as the peer, a trivial FastAPI app
   with one ``async def`` ``GET /hello`` returning a small JSON object, served by Uvicorn the same
   way (same loop and HTTP implementation, one process, access log off).  The peer is
   the floor: no framework-level app can answer faster than FastAPI's own "hello".
3. For each endpoint in turn, ``--clients`` concurrent clients (default 50) each keep
   one HTTP/1.1 keep-alive connection and send a request as soon as the previous
   answer is read (closed loop), for ``--seconds`` (default 20) after a short warm-up.
4. Prints per endpoint: requests, throughput, p50/p95/p99/max latency, errors (any
   status other than 200, a timeout or a broken connection), and the CPU the server
   and the load generator used; the ratios to the peer are printed last.

Why the load generator cannot be the bottleneck
-----------------------------------------------
The machine has 2 cores; the server (one process) can use one.  The clients are
asyncio tasks in this process on raw keep-alive sockets: writing a request and
reading one response (headers to the blank line, then exactly Content-Length bytes)
costs a few tens of microseconds, an order of magnitude less than the server spends
per request, and there is no HTTP-library parsing.  The script prints the load
generator's CPU use; when it stays well below one core while the server sits near
one core, the server is what is measured.

Usage::

    python benchmarks/bench_web.py                     # 50 clients, 20 s per endpoint
    python benchmarks/bench_web.py --clients 10 --seconds 5

Closed-loop latency obeys Little's law: latency ≈ clients / throughput, so p99 under
100 ms with 50 clients needs the server to sustain well over 500 requests/s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.IGNORECASE)

PEER_APP = textwrap.dedent(
    '''
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/hello")
    async def hello() -> dict[str, str]:
        return {"hello": "world"}
    '''
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    name: str
    proc: subprocess.Popen[bytes]
    port: int

    def wait_ready(self, path: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"{self.name} exited during start-up with code {self.proc.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
                    if sock.recv(12).startswith(b"HTTP/1.1 200"):
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise SystemExit(f"{self.name} did not answer {path} within {timeout} s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@dataclass
class Result:
    label: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    server_cpu: float = 0.0
    client_cpu: float = 0.0
    statuses: dict[int, int] = field(default_factory=dict)
    cold: float = float("nan")
    audits: int = 0

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] * 1000


AUDIT_TEXT = (
    "Low-dose naltrexone is proven to cure fibromyalgia. In a small pilot study of 10 women with fibromyalgia, "
    "LDN reduced symptoms by 30% compared with placebo. A placebo-controlled crossover trial in 80 patients with "
    "multiple sclerosis found that LDN significantly improved mental health quality of life."
)


def _audit_request(port: int) -> bytes:
    body = json.dumps({"text": AUDIT_TEXT}).encode()
    head = (f"POST /api/v1/audit HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


async def _client(port: int, path: str, stop_at: float, result: Result, timeout: float, record: bool,
                  request: bytes | None = None) -> None:
    request = request or f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    while time.perf_counter() < stop_at:
        if writer is None:
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 22)
            except OSError:
                result.errors += record
                await asyncio.sleep(0.01)
                continue
        assert reader is not None
        start = time.perf_counter()
        try:
            writer.write(request)
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
            match = CONTENT_LENGTH.search(head)
            if match is None:
                raise ValueError("response without Content-Length")
            await asyncio.wait_for(reader.readexactly(int(match.group(1))), timeout)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            result.errors += record
            writer.close()
            writer = None
            continue
        elapsed = time.perf_counter() - start
        status = int(head[9:12])
        if record:
            result.latencies.append(elapsed)
            result.statuses[status] = result.statuses.get(status, 0) + 1
            if status != 200:
                result.errors += 1
    if writer is not None:
        writer.close()


async def _load(port: int, path: str, clients: int, seconds: float, result: Result, timeout: float,
                record: bool, auditors: int = 0, audits: Result | None = None) -> None:
    stop_at = time.perf_counter() + seconds
    tasks = [_client(port, path, stop_at, result, timeout, record) for _ in range(clients)]
    tasks += [_client(port, "/api/v1/audit", stop_at, audits or Result("audits"), 60.0, record, _audit_request(port))
              for _ in range(auditors)]
    await asyncio.gather(*tasks)


async def _cold(port: int, path: str) -> float:
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 22)
    start = time.perf_counter()
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    match = CONTENT_LENGTH.search(head)
    await reader.readexactly(int(match.group(1)) if match else 0)
    elapsed = time.perf_counter() - start
    writer.close()
    return elapsed


def measure(server: Server, path: str, *, clients: int, seconds: float, warmup: float, timeout: float,
            auditors: int = 0) -> Result:
    result = Result(label=f"{server.name} {path}" + (f" +{auditors} auditing" if auditors else ""))
    result.cold = asyncio.run(_cold(server.port, path)) * 1000
    asyncio.run(_load(server.port, path, clients, warmup, result, timeout, record=False))
    cpu0, client0, wall0 = cpu_seconds(server.proc.pid), time.process_time(), time.perf_counter()
    audits = Result("audits")
    asyncio.run(_load(server.port, path, clients, seconds, result, timeout, record=True, auditors=auditors,
                      audits=audits))
    result.audits = len(audits.latencies)
    result.errors += audits.errors
    result.seconds = time.perf_counter() - wall0
    result.server_cpu = (cpu_seconds(server.proc.pid) - cpu0) / result.seconds
    result.client_cpu = (time.process_time() - client0) / result.seconds
    return result


def start(name: str, args: list[str], env: dict[str, str], port: int, ready: str) -> Server:
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    server = Server(name, proc, port)
    server.wait_ready(ready)
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--timeout", type=float, default=10.0, help="per-request timeout (counted as an error)")
    parser.add_argument("--study", default="gironi-2008", help="study page to load")
    parser.add_argument("--auditors", type=int, default=1,
                        help="last phase: /api/v1/studies again while this many clients POST audits non-stop (0: skip)")
    args = parser.parse_args(argv)

    from ldn_atlas.store import ensure_loaded, open_store

    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        db = str(Path(tmp) / "atlas.db")
        with open_store(db) as store:
            ensure_loaded(store)
            n_studies = store.count()
        (Path(tmp) / "bench_hello_peer.py").write_text(PEER_APP, encoding="utf-8")
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("LDN_ATLAS_DB", None)

        peer_port, atlas_port = free_port(), free_port()
        peer = start("peer", [sys.executable, "-m", "uvicorn", "--app-dir", tmp, "bench_hello_peer:app",
                              "--host", "127.0.0.1", "--port", str(peer_port), "--log-level", "warning",
                              "--no-access-log"], env, peer_port, "/hello")
        atlas = start("atlas", [sys.executable, "-m", "ldn_atlas.cli", "serve", "--db", db, "--host", "127.0.0.1",
                                "--port", str(atlas_port), "--log-level", "warning"], env, atlas_port,
                      "/api/v1/conditions")
        print(f"store: {n_studies} studies; {args.clients} closed-loop keep-alive clients, {args.seconds:g} s per "
              f"endpoint after {args.warmup:g} s warm-up; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
        results = []
        try:
            plan = [(peer, "/hello", 0), (atlas, "/api/v1/studies", 0), (atlas, f"/studies/{args.study}", 0),
                    (atlas, "/", 0)]
            if args.auditors:
                plan.append((atlas, "/api/v1/studies", args.auditors))
            for server, path, auditors in plan:
                result = measure(server, path, clients=args.clients, seconds=args.seconds, warmup=args.warmup,
                                 timeout=args.timeout, auditors=auditors)
                results.append(result)
                print(f"  measured {result.label}: {len(result.latencies)} requests", flush=True)
        finally:
            atlas.stop()
            peer.stop()

    print()
    header = (f"{'endpoint':44} {'requests':>9} {'req/s':>7} {'cold ms':>7} {'p50 ms':>7} {'p95 ms':>7} "
              f"{'p99 ms':>7} {'max ms':>7} {'errors':>6} {'srv CPU':>7} {'load CPU':>8}")
    print(header)
    print("-" * len(header))
    for r in results:
        print(f"{r.label:44} {len(r.latencies):9d} {len(r.latencies) / r.seconds:7.0f} {r.cold:7.1f} "
              f"{r.pct(50):7.1f} {r.pct(95):7.1f} {r.pct(99):7.1f} "
              f"{max(r.latencies, default=float('nan')) * 1000:7.1f} "
              f"{r.errors:6d} {r.server_cpu:7.0%} {r.client_cpu:8.0%}")
    for r in results:
        if r.audits:
            print(f"  ({r.label}: {r.audits} audits completed alongside, {r.audits / r.seconds:.1f}/s)")
    floor = results[0]
    print()
    print(f"ratios to the peer ({floor.label}, FastAPI 'hello' served the same way):")
    for r in results[1:]:
        print(f"  {r.label:42} p50 x{r.pct(50) / floor.pct(50):5.2f}  p99 x{r.pct(99) / floor.pct(99):5.2f}  "
              f"throughput x{(len(r.latencies) / r.seconds) / (len(floor.latencies) / floor.seconds):5.2f}")
    target = [r for r in results[1:] if not r.audits]
    worst = max(r.pct(99) for r in target)
    errors = sum(r.errors for r in results)
    verdict = "met" if worst < 100 and errors == 0 else "NOT met"
    print(f"target p99 < 100 ms with no errors: {verdict} (worst p99 {worst:.1f} ms, {errors} errors); "
          f"median of the p50s: {statistics.median(r.pct(50) for r in target):.1f} ms; 'cold' is the first request "
          f"(a cache miss), the rest are served from the response cache")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
