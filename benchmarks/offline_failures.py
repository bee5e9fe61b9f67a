"""How long navdata takes to fail without a network, against a read that needs none (issue 13).

Run from the repository root::

    .venv/bin/python benchmarks/offline_failures.py [--repeat 3] [--before PATH/TO/OLD/CHECKOUT]

Each case runs ``python -m navdata`` in a fresh process with an empty store and cache in a temp
folder, SSB's address pointed at ``https://ssb.invalid`` (a name that never resolves, RFC 2606)
and nav.no's at a closed port on 127.0.0.1:

- ``peer``: ``navdata get keyfig.uforetrygd_share`` (bundled, needs no network): the cost of
  starting navdata and reading a series, which every case pays;
- ``get ssb``: ``navdata get ssb.aku.unemployment_rate`` (the name does not resolve);
- ``get nav``: ``navdata get nav.helt_ledige`` (the connection is refused);
- ``sync --all``: every fetched series of the catalogue, both hosts unreachable.

It prints the median wall time of each and its ratio to the peer. Goals: under 5 s for one
series, under 10 s for ``sync --all``. ``--before`` runs the same cases with another checkout's
``src`` first on the path (the code before the change), once each, for the comparison.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CASES = {
    "peer": ["get", "keyfig.uforetrygd_share"],
    "get ssb": ["get", "ssb.aku.unemployment_rate"],
    "get nav": ["get", "nav.helt_ledige"],
    "sync --all": ["sync", "--all", "-q"],
}


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def run_case(args: list[str], source: Path | None) -> tuple[float, int, str]:
    with tempfile.TemporaryDirectory(prefix="navdata-offline-bench-") as folder:
        env = {
            **os.environ,
            "NAVDATA_SSB_URL": "https://ssb.invalid/api/pxwebapi/v2",
            "NAVDATA_NAV_URL": f"http://127.0.0.1:{closed_port()}",
            "NAVDATA_STORE_DIR": str(Path(folder) / "store"),
            "NAVDATA_CACHE_DIR": str(Path(folder) / "cache"),
            "NAVDATA_OFFLINE": "0",
        }
        if source is not None:
            env["PYTHONPATH"] = f"{source / 'src'}{os.pathsep}{env.get('PYTHONPATH', '')}"
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "navdata", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        elapsed = time.perf_counter() - started
    last = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    return elapsed, done.returncode, last


def measure(label: str, source: Path | None, repeat: int) -> dict[str, float]:
    print(f"\n{label}")
    print(f"{'case':<12} {'median s':>9} {'x peer':>7}  exit  last line of stderr")
    medians: dict[str, float] = {}
    for name, args in CASES.items():
        runs = [run_case(args, source) for _ in range(repeat)]
        medians[name] = statistics.median(r[0] for r in runs)
        ratio = medians[name] / medians["peer"]
        code, last = runs[-1][1], runs[-1][2]
        print(f"{name:<12} {medians[name]:>9.2f} {ratio:>7.1f}  {code:>4}  {last[:110]}")
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", type=Path, help="an older checkout to compare against")
    options = parser.parse_args()
    after = measure("this checkout", None, options.repeat)
    if options.before is not None:
        before = measure(f"before: {options.before}", options.before.resolve(), 1)
        print("\nspeed-up (before / after):")
        for name in CASES:
            print(f"  {name:<12} {before[name] / after[name]:>7.1f}x")


if __name__ == "__main__":
    main()
