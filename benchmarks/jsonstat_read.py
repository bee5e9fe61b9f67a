"""Benchmark: navdata.read_jsonstat against pyjstat on a 1,036,800-cell JSON-stat table.

Usage (from the repository root):

    .venv/bin/python benchmarks/jsonstat_read.py [PATH/TO/make_jsonstat.py] [--repeat N]

Generates the table with the shared generator (default ``../shared/bench/make_jsonstat.py``,
360 regions x 120 months) into a temporary folder, then in the same run:

- times both readers from the file's bytes in memory to a frame (navdata best of N, pyjstat best
  of 2, as pyjstat is slow);
- checks that both give identical dimension codes and values (NaN = null), cell by cell;
- measures each reader's peak memory in a fresh child process (``ru_maxrss`` after the read,
  minus the same process's ``ru_maxrss`` before it: the read's own growth), so neither pays for
  the other's imports or garbage.

Run on demand; not collected by pytest.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from pyjstat import pyjstat

from navdata.jsonstat import read_jsonstat

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GENERATOR = REPO_ROOT.parent / "shared" / "bench" / "make_jsonstat.py"


def read_navdata(raw: bytes) -> Any:
    return read_jsonstat(raw).frame


def read_pyjstat(raw: bytes) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pyjstat.Dataset.read(raw.decode("utf-8")).write("dataframe", naming="id")


READERS = {"navdata": read_navdata, "pyjstat": read_pyjstat}


def best_of(reader: str, raw: bytes, repeat: int) -> tuple[float, Any]:
    best, result = math.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = READERS[reader](raw)
        best = min(best, time.perf_counter() - start)
    return best, result


def child(reader: str, path: str) -> None:
    """Run one read in this (fresh) process and print its peak memory growth as JSON."""
    raw = Path(path).read_bytes()
    before = peak_rss_kb()
    READERS[reader](raw)
    after = peak_rss_kb()
    print(json.dumps({"peak_rss_mb": after / 1024, "growth_mb": (after - before) / 1024}))


def peak_rss_kb() -> int:
    """This process's peak RSS in KiB: VmHWM on Linux (ru_maxrss survives exec, VmHWM does not)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def peak_memory(reader: str, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", reader, str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


def same_cells(ours: Any, theirs: Any) -> None:
    """Every dimension code and value identical (pyjstat's NaN = our null)."""
    assert ours.height == len(theirs), (ours.height, len(theirs))
    for column in theirs.columns:
        if column == "value":
            continue
        assert ours.get_column(column).to_list() == theirs[column].astype(str).tolist(), column
    mine = ours.get_column("value").to_list()
    other = [None if isinstance(v, float) and math.isnan(v) else v for v in theirs["value"]]
    assert mine == other, "values differ"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("generator", nargs="?", default=str(DEFAULT_GENERATOR))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", nargs=2, metavar=("READER", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.json"
        with path.open("wb") as out:
            subprocess.run(
                [sys.executable, args.generator, "360", "120"],
                stdout=out,
                stderr=subprocess.DEVNULL,
                check=True,
            )
        raw = path.read_bytes()
        ours_s, ours = best_of("navdata", raw, args.repeat)
        theirs_s, theirs = best_of("pyjstat", raw, 2)
        same_cells(ours, theirs)
        mem = {name: peak_memory(name, path) for name in READERS}
    print(f"file: {len(raw) / 1e6:.1f} MB, {ours.height:,} cells; identical values: yes")
    python = f"{platform.python_implementation()} {platform.python_version()}"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {python}")
    print(f"navdata read_jsonstat: {ours_s * 1000:8.1f} ms (best of {args.repeat})")
    print(f"pyjstat Dataset.read:  {theirs_s * 1000:8.1f} ms (best of 2)")
    print(f"ratio: navdata is {theirs_s / ours_s:.1f}x faster")
    for name, m in mem.items():
        growth, peak = m["growth_mb"], m["peak_rss_mb"]
        print(f"peak memory {name}: +{growth:.0f} MB during the read (peak RSS {peak:.0f} MB)")


if __name__ == "__main__":
    main()
