"""Load benchmark of the navdata API against a bare Litestar handler on the same server, same run.

Run from the repository root::

    PYTHONPATH=src:api:. .venv/bin/python benchmarks/api_load.py [--seconds 5] [--connections 32]

It writes a SYNTHETIC store (15 fylker x 240 months of made-up numbers) to a temp folder, starts
``uvicorn`` on 127.0.0.1 with production settings (1 worker, access log off, rate limit off so
the limiter does not cap the run), and drives it with ``wrk`` when installed (else a bounded
asyncio + httpx load generator) for a fixed time per scenario:

- ``bare``: a Litestar handler returning a small JSON, registered on the same app;
- ``observations``: 60 rows of one series as JSON (``?region=03&from=2020``);
- ``observations (no body cache)``: the same on a second server with NAVDATA_API_CACHE_MB=0,
  so every request filters the frame and encodes the rows;
- ``304 revalidation``: the same request with a matching ``If-None-Match``;
- ``catalogue``: ``GET /v1/series``.

It prints requests/s and p50/p99 latency side by side and the ratio to the bare handler; the
target is observations at no less than half the bare handler's throughput. Only 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import socket
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


def start_server(store: Path, *, cache_mb: int) -> tuple[subprocess.Popen[bytes], str]:
    """Start uvicorn (pinned to CPU 0 when taskset exists) and wait until /health answers."""
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
    command = [
        sys.executable, "-m", "uvicorn", "benchmarks.api_load:make_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
        "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    if shutil.which("taskset") and (os.cpu_count() or 1) > 1:
        command = ["taskset", "-c", "0", *command]
    process = subprocess.Popen(command, env=env, cwd=root)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return process, base
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    msg = f"the API did not start on {base}"
    raise RuntimeError(msg)


@dataclass
class Result:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="length of each run (default 5)")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections")
    args = parser.parse_args()
    tool = "wrk" if shutil.which("wrk") else "python asyncio+httpx"
    workdir = Path(tempfile.mkdtemp(prefix="navdata-api-bench-"))
    results: list[Result] = []
    try:
        build_store(workdir)
        server, base = start_server(workdir, cache_mb=64)
        try:
            etag = httpx.get(base + OBSERVATIONS).headers["etag"]
            runs = [
                ("bare", "/bare", {}),
                ("observations", OBSERVATIONS, {}),
                ("304 revalidation", OBSERVATIONS, {"If-None-Match": etag}),
                ("catalogue", "/v1/series", {}),
            ]
            for name, path, headers in runs:
                results.append(run_load(name, base + path, headers, args.seconds, args.connections))
        finally:
            server.terminate()
            server.wait(timeout=10)
        server, base = start_server(workdir, cache_mb=0)
        try:
            results.append(
                run_load(
                    "observations (no body cache)",
                    base + OBSERVATIONS,
                    {},
                    args.seconds,
                    args.connections,
                )
            )
        finally:
            server.terminate()
            server.wait(timeout=10)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    bare_rps = results[0].rps
    print(
        f"navdata API load ({tool}, {args.connections} connections, {args.seconds} s per run, "
        "uvicorn 1 worker on 127.0.0.1)"
    )
    print(f"{'scenario':32} {'req/s':>10} {'p50 ms':>9} {'p99 ms':>9} {'errors':>7} {'vs bare':>8}")
    for r in results:
        print(
            f"{r.name:32} {r.rps:10.0f} {r.p50_ms:9.2f} {r.p99_ms:9.2f} {r.errors:7d} "
            f"{r.rps / bare_rps:8.2f}"
        )
    observations = results[1].rps / bare_rps
    verdict = "met" if observations >= 0.5 else "NOT met"
    print(f"target observations >= 0.5 x bare: {observations:.2f} ({verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
