"""Chunked SSB fetch against the fake SSB: cells, requests, max cells per request, retries, time.

Run: ``.venv/bin/python benchmarks/ssb_chunking.py [--faults N]``. The table is SYNTHETIC
(tests/fakes/ssb.py, 400 regions x 20 contents x 360 months = 2,880,000 cells). The rate limit
runs on a manual clock (no real waiting); wall time is the real time spent fetching, parsing and
stitching over real sockets on 127.0.0.1.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--faults", type=int, default=2, help="503s injected mid-run")
    args = parser.parse_args()
    clock = ManualClock()
    fake = FakeSSB([synthetic_big_table()], clock=clock, rate_limit=(30, 60.0), rate_headers=True)
    fake.faults.append(Fault("503", times=args.faults, skip=1))
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
    print(f"max cells per request: {max(cells):,} (limit 800,000)")
    print(f"max URL length:        {max(r.url_length for r in fake.requests):,}")
    print(f"429 answers:           {sum(r.status == 429 for r in fake.requests)}")
    print(f"retries:               {retries}")
    print(f"simulated time:        {clock.monotonic() - 1_000.0:.1f} s (rate limiter + backoff)")
    print(f"wall time:             {wall:.2f} s")


if __name__ == "__main__":
    main()
