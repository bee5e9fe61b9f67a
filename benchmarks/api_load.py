"""Load benchmark of the navdata API against a bare Litestar handler on the same server, same run.

Run from the repository root::

    PYTHONPATH=src:api:. .venv/bin/python benchmarks/api_load.py [--seconds 5] [--connections 32]
        [--rounds 3] [--servers uvicorn,granian]

It writes a SYNTHETIC store (15 fylker x 240 months of made-up numbers) to a temp folder, starts
the service on 127.0.0.1 with production settings (access log off, rate limit off so the
limiter does not cap the run), pinned to CPU 0 with the load generator on CPU 1, and drives it
with ``wrk`` when installed (else a bounded asyncio + httpx load generator) for a fixed time
per scenario. Each server is run the way it would be deployed: uvicorn through ``navdata-api``
(its socket, limits and timeouts), Granian through its own command line.

- ``bare``: a Litestar handler returning a small JSON, registered on the same app;
- ``observations``: 60 rows of one series as JSON (``?region=03&from=2020``);
- ``304 revalidation``: the same request with a matching ``If-None-Match``;
- ``catalogue``: ``GET /v1/series``; ``timeline``: ``GET /v1/timeline``; ``home page``: ``GET /``;
- ``observations (no body cache)``: on a second server with NAVDATA_API_CACHE_MB=0, so every
  request filters the frame and encodes the rows (its ratio is to that server's bare handler);
- ``bare, 2 workers`` and ``observations, 2 workers``: the same with ``--workers 2``;
- ``... light load``: observations with 4 connections, one worker and two, to compare p50.

The scenarios of a server take turns, ``--rounds`` times (a slow moment of a shared machine then
hits one round of both sides of a ratio, not one side). It prints the medians of requests/s,
p50/p99 latency and of the ratio to the bare handler of the same server and round, then the
targets of issue 16: observations with body cache >= 0.8x bare, without >= 0.5x, timeline
>= 0.7x, home page >= 0.5x, and 2 workers' p50 no worse than one worker's.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import polars as pl
from litestar import Litestar, get

from navdata.dataset import Dataset, Dimension, Metadata, Provenance
from navdata.periods import with_dates
from navdata.store import Store

SERIES = "nav.helt_ledige"
OBSERVATIONS = f"/v1/series/{SERIES}/observations?region=03&from=2020"
#: Connections of the light-load runs, where latency, not throughput, is compared (the delayed
#: ACK floor of issue 16 added ~40 ms to every response of a second worker).
LIGHT = 4
FYLKER = ["03", "11", "15", "18", "31", "32", "33", "34", "39", "40", "42", "46", "50", "55", "56"]
MONTHS = [f"{y}M{m:02d}" for y in range(2005, 2025) for m in range(1, 13)]


@get("/bare", sync_to_thread=False, include_in_schema=False)
def bare() -> dict[str, object]:
    """The reference: the least work a Litestar JSON handler can do."""
    return {"status": "ok", "answer": 42}


def make_app() -> Litestar:
    """uvicorn factory: the real app (settings from the environment) plus the bare handler."""
    from navdata_api.app import create_app  # noqa: PLC0415 - imported in the server process

    app = create_app()
    app.register(bare)
    return app


def build_store(path: Path) -> None:
    """A SYNTHETIC series: value = fylke index * 1000 + month index (made-up numbers)."""
    rows = [
        {"region": f, "period": p, "value": float(i * 1000 + j), "status": None}
        for i, f in enumerate(FYLKER)
        for j, p in enumerate(MONTHS)
    ]
    frame = with_dates(pl.DataFrame(rows, schema_overrides={"status": pl.String}))
    meta = Metadata(
        label="SYNTHETIC benchmark data",
        dimensions=[
            Dimension(id="region", label="Fylke", codes=FYLKER),
            Dimension(id="period", label="Måned", codes=MONTHS, role="time"),
        ],
        provenance=Provenance(publisher="NAV (synthetic)"),
    )
    Store(path).write(
        SERIES, Dataset(frame.select("region", "period", "date", "value", "status"), meta)
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(
    store: Path, *, server: str, cache_mb: int, workers: int = 1
) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``server`` (uvicorn or granian) on CPU 0 and wait until /health answers."""
    port = free_port()
    root = Path(__file__).resolve().parent.parent
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(root / "src"), str(root / "api"), str(root)]),
        "NAVDATA_STORE_DIR": str(store),
        "NAVDATA_API_ACCESS_LOG": "0",
        "NAVDATA_API_RATE_LIMIT": "0",
        "NAVDATA_API_CACHE_MB": str(cache_mb),
    }
    factory = "benchmarks.api_load:make_app"
    if server == "uvicorn":
        command = [
            sys.executable, "-m", "navdata_api", "--app", factory, "--port", str(port),
            "--workers", str(workers), "--log-level", "warning",
        ]  # fmt: skip
    else:
        command = [
            sys.executable, "-m", "granian", "--interface", "asgi", "--factory", factory,
            "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
            "--log-level", "warning", "--no-access-log", "--no-ws",
        ]  # fmt: skip
    if shutil.which("taskset") and (os.cpu_count() or 1) > 1:
        command = ["taskset", "-c", "0", *command]
    process = subprocess.Popen(command, env=env, cwd=root, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return process, base
        except httpx.TransportError:
            time.sleep(0.1)
    _stop(process)
    msg = f"the API did not start on {base}"
    raise RuntimeError(msg)


@dataclass
class Result:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    server: str = ""
    ratio: float = 0.0


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip()).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(name: str, url: str, headers: dict[str, str], seconds: int, conns: int) -> Result:
    command = ["wrk", "-t1", f"-c{conns}", f"-d{seconds}s", "--latency", url]
    for key, value in headers.items():
        command += ["-H", f"{key}: {value}"]
    if shutil.which("taskset") and (os.cpu_count() or 1) > 1:
        command = ["taskset", "-c", "1", *command]
    out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 30)
    text = out.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", text).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", text).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(r"Socket errors:.*?(\d+) timeout", text)
    failed = (int(bad.group(1)) if bad else 0) + (int(errors.group(1)) if errors else 0)
    return Result(name, rps, p50, p99, failed)


async def _python_load(url: str, headers: dict[str, str], seconds: int, conns: int) -> Result:
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=conns, max_keepalive_connections=conns)
    async with httpx.AsyncClient(limits=limits, headers=headers, timeout=10) as client:

        async def worker() -> None:
            nonlocal errors
            while time.monotonic() < stop:
                began = time.perf_counter()
                response = await client.get(url)
                latencies.append((time.perf_counter() - began) * 1000)
                errors += response.status_code >= 400

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(conns)))
        elapsed = time.monotonic() - started
    latencies.sort()
    return Result(
        "",
        len(latencies) / elapsed,
        latencies[len(latencies) // 2],
        latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        errors,
    )


def run_load(name: str, url: str, headers: dict[str, str], seconds: int, conns: int) -> Result:
    """One bounded run after a one-second warm-up."""
    if shutil.which("wrk"):
        run_wrk(name, url, headers, 1, conns)
        return run_wrk(name, url, headers, seconds, conns)
    asyncio.run(_python_load(url, headers, 1, conns))
    result = asyncio.run(_python_load(url, headers, seconds, conns))
    result.name = name
    return result


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and its workers (its own process group), gracefully, else by force."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def _median_result(rounds: list[Result], ratios: list[float], server: str) -> Result:
    """One scenario over several rounds: medians, errors summed, the median of its ratios."""
    return Result(
        rounds[0].name,
        statistics.median(r.rps for r in rounds),
        statistics.median(r.p50_ms for r in rounds),
        statistics.median(r.p99_ms for r in rounds),
        sum(r.errors for r in rounds),
        server,
        statistics.median(ratios),
    )


def run_server(store: Path, server: str, seconds: int, conns: int, rounds: int) -> list[Result]:
    """Every scenario against ``server``; ratios to its bare handler in the same server.

    The scenarios of one server run in turn, ``rounds`` times; each round's ratio is to that
    round's bare handler, and the median is reported, so a slow moment of a shared machine
    weighs on one round of both sides, not on one side of the comparison.
    """
    results: list[Result] = []

    def measure(base: str, runs: list[tuple[str, str, dict[str, str]]]) -> list[Result]:
        by_name: dict[str, list[Result]] = {name: [] for name, _, _ in runs}
        ratios: dict[str, list[float]] = {name: [] for name, _, _ in runs}
        for _ in range(rounds):
            found = [
                run_load(name, base + path, hdrs, seconds, LIGHT if "light" in name else conns)
                for name, path, hdrs in runs
            ]
            for result in found:
                by_name[result.name].append(result)
                ratios[result.name].append(result.rps / found[0].rps)
        return [_median_result(by_name[name], ratios[name], server) for name, _, _ in runs]

    process, base = start_server(store, server=server, cache_mb=64)
    try:
        etag = httpx.get(base + OBSERVATIONS).headers["etag"]
        results += measure(
            base,
            [
                ("bare", "/bare", {}),
                ("observations", OBSERVATIONS, {}),
                ("304 revalidation", OBSERVATIONS, {"If-None-Match": etag}),
                ("catalogue", "/v1/series", {}),
                ("timeline", "/v1/timeline", {}),
                ("home page", "/", {}),
                ("observations, light load", OBSERVATIONS, {}),
            ],
        )
    finally:
        _stop(process)
    process, base = start_server(store, server=server, cache_mb=0)
    try:
        uncached = measure(
            base,
            [
                ("bare (no body cache)", "/bare", {}),
                ("observations (no body cache)", OBSERVATIONS, {}),
            ],
        )
        results.append(uncached[1])
    finally:
        _stop(process)
    process, base = start_server(store, server=server, cache_mb=64, workers=2)
    try:
        results += measure(
            base,
            [
                ("bare, 2 workers", "/bare", {}),
                ("observations, 2 workers", OBSERVATIONS, {}),
                ("observations, 2 workers, light load", OBSERVATIONS, {}),
            ],
        )
    finally:
        _stop(process)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="length of each run (default 5)")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections")
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of every scenario; medians (default 3)"
    )
    granian = importlib.util.find_spec("granian") is not None
    parser.add_argument(
        "--servers",
        default="uvicorn,granian" if granian else "uvicorn",
        help="servers to compare (default: uvicorn, and granian when it is installed)",
    )
    args = parser.parse_args()
    tool = "wrk" if shutil.which("wrk") else "python asyncio+httpx"
    workdir = Path(tempfile.mkdtemp(prefix="navdata-api-bench-"))
    servers = [s.strip() for s in args.servers.split(",") if s.strip()]
    by_server: dict[str, list[Result]] = {}
    try:
        build_store(workdir)
        for server in servers:
            by_server[server] = run_server(
                workdir, server, args.seconds, args.connections, args.rounds
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print(
        f"navdata API load ({tool}, {args.connections} connections, {args.seconds} s per run, "
        f"median of {args.rounds} rounds, server on CPU 0, load on CPU 1, 127.0.0.1)"
    )
    print(
        f"{'server':8} {'scenario':30} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'errors':>6} {'vs bare':>8}"
    )
    for results in by_server.values():
        for r in results:
            print(
                f"{r.server:8} {r.name:30} {r.rps:9.0f} {r.p50_ms:8.2f} {r.p99_ms:8.2f} "
                f"{r.errors:6d} {r.ratio:8.2f}"
            )
    for server, results in by_server.items():
        named = {r.name: r for r in results}
        checks = [
            ("observations, body cache >= 0.8x bare", named["observations"].ratio, 0.8),
            (
                "observations, no body cache >= 0.5x",
                named["observations (no body cache)"].ratio,
                0.5,
            ),
            ("timeline >= 0.7x bare", named["timeline"].ratio, 0.7),
            ("home page >= 0.5x bare", named["home page"].ratio, 0.5),
        ]
        for label, ratio, target in checks:
            verdict = "met" if ratio >= target else "NOT met"
            print(f"{server}: {label}: {ratio:.2f} ({verdict})")
        for load in ("", ", light load"):
            one = named[f"observations{load}"].p50_ms
            two = named[f"observations, 2 workers{load}"].p50_ms
            verdict = "met" if two <= one * 1.1 else "NOT met"
            print(
                f"{server}: 2 workers p50{load} {two:.2f} ms vs 1 worker {one:.2f} ms ({verdict})"
            )
    if len(by_server) > 1:
        first, second = (by_server[s] for s in servers[:2])
        for a, b in zip(first, second, strict=True):
            print(
                f"{servers[1]} / {servers[0]} {a.name}: {b.rps / a.rps:.2f}x req/s, "
                f"p50 {b.p50_ms:.2f} / {a.p50_ms:.2f} ms"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
