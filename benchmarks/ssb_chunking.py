"""Chunked SSB fetch against the fake SSB: cells, requests, max cells per request, retries, time;
and how long a 429 with ``Retry-After: 1`` takes to recover from.

Run: ``.venv/bin/python benchmarks/ssb_chunking.py [--faults N]``. The table is SYNTHETIC
(tests/fakes/ssb.py, 400 regions x 20 contents x 360 months = 2,880,000 cells). The rate limit
runs on a manual clock (no real waiting); wall time is the real time spent fetching, parsing and
stitching over real sockets on 127.0.0.1.

The 429 part runs on the real clock: the fake answers one data request 429 with
``x-ratelimit-remaining: 0`` and ``Retry-After: 1`` and no reset header (SSB's gateway sends
``x-ratelimit-*`` without a reset), and the benchmark times the gap from that 429 to the next
request and the whole fetch, beside the same fetch without the 429 in the same run. Goal: the
429 recovered within 2 s (before the fix the limiter blocked for the whole 60 s window).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fakes.clock import ManualClock
from fakes.server import serve
from fakes.ssb import FakeSSB, Fault, synthetic_big_table
from navdata.http import HttpClient, RateLimiterRegistry
from navdata.sources.ssb import SSBClient

RECOVERY_GOAL = 2.0  # seconds, for a 429 with Retry-After: 1


def chunking(faults: int) -> None:
    clock = ManualClock()
    fake = FakeSSB([synthetic_big_table()], clock=clock, rate_limit=(30, 60.0), rate_headers=True)
    fake.faults.append(Fault("503", times=faults, skip=1))
    selection = {"Region": "*", "ContentsCode": "*", "Tid": "*"}
    with serve(fake) as base:
        http = HttpClient(
            rate=(30, 60.0), cache_dir=False, clock=clock, limiters=RateLimiterRegistry()
        )
        with SSBClient(base, http=http) as ssb:
            start = time.perf_counter()
            ds = ssb.data("99001", selection)
            wall = time.perf_counter() - start
            retries = http.retries
    data = fake.data_requests()
    cells = [r.cells or 0 for r in data if r.status == 200]
    print(f"cells:                 {ds.frame.height:,}")
    print(f"requests made:         {len(fake.requests)} ({len(data)} data)")
    print(f"max cells per request: {max(cells):,} (limit 800,000, read from /config)")
    print(f"max URL length:        {max(r.url_length for r in fake.requests):,}")
    print(f"429 answers:           {sum(r.status == 429 for r in fake.requests)}")
    print(f"retries:               {retries}")
    print(f"simulated time:        {clock.monotonic() - 1_000.0:.1f} s (rate limiter + backoff)")
    print(f"wall time:             {wall:.2f} s")


def fetch_once(*, with_429: bool) -> tuple[float, float | None]:
    """Wall seconds of one small fetch, and the gap from the 429 to the next request."""
    fake = FakeSSB([synthetic_big_table(40, 36, 5)], rate_limit=(30, 60.0), rate_headers=True)
    fake.reset_header = False
    if with_429:
        fake.faults.append(Fault("429", retry_after=1))
    selection = {"Region": "*", "ContentsCode": "C00", "Tid": "*"}
    with serve(fake) as base:
        http = HttpClient(rate=(30, 60.0), cache_dir=False, limiters=RateLimiterRegistry())
        with SSBClient(base, http=http) as ssb:
            ssb.table("99001")  # warm-up: the connection and the server are ready
            start = time.perf_counter()
            ssb.data("99001", selection)
            wall = time.perf_counter() - start
    data = fake.data_requests()
    gap = data[1].at - data[0].at if with_429 else None
    return wall, gap


def recovery() -> None:
    plain, _ = fetch_once(with_429=False)
    hit, gap = fetch_once(with_429=True)
    assert gap is not None
    verdict = "met" if gap <= RECOVERY_GOAL else "MISSED"
    goal = f"goal <= {RECOVERY_GOAL:.0f} s: {verdict}"
    print(f"429 recovery gap:      {gap:.3f} s (Retry-After 1 s; {goal})")
    print(f"fetch with the 429:    {hit:.3f} s wall, without: {plain:.3f} s (+{hit - plain:.3f} s)")
    print(f"gap / Retry-After:     {gap / 1.0:.2f}x (blocking the whole 60 s window: 60x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--faults", type=int, default=2, help="503s injected mid-run")
    args = parser.parse_args()
    chunking(args.faults)
    recovery()


if __name__ == "__main__":
    main()
