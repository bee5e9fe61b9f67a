"""How fast the ``navdata`` command and ``import navdata`` answer, against ``import polars``.

Run: ``.venv/bin/python benchmarks/cli_startup.py [--runs N] [--src PATH]``.

Each command is started ``N`` times as a fresh process (after three warm-up runs), the commands
taking turns so that a change in machine load hits them alike; the median wall time of each is
compared with the median of ``python -c "import polars"`` in the same run. Goals (issue 17):
``navdata --help`` no slower than importing polars, ``import navdata`` within 1.6x of it,
``navdata list`` within 1.5x.

Bytecode is cached as an installed wheel has it (``PYTHONDONTWRITEBYTECODE`` is dropped, the
cache goes to a temporary ``PYTHONPYCACHEPREFIX``, never into the source tree), the store and
HTTP cache are empty temporary folders and ``NAVDATA_OFFLINE=1``. ``--src`` puts another source
tree first on ``PYTHONPATH`` (e.g. ``git archive main`` unpacked) to time that code with the same
interpreter and packages: the before of a before/after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOALS = {"navdata --help": 1.0, "import navdata": 1.6, "navdata list": 1.5}


def commands(python: str) -> dict[str, list[str]]:
    script = Path(python).parent / "navdata"
    navdata = [str(script)] if script.exists() else [python, "-m", "navdata"]
    return {
        "import polars": [python, "-c", "import polars"],
        "import navdata": [python, "-c", "import navdata"],
        "navdata --help": [*navdata, "--help"],
        "navdata list": [*navdata, "list"],
    }


def environment(work: Path, src: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {
        "PYTHONPYCACHEPREFIX": str(work / "pycache"),
        "NAVDATA_STORE_DIR": str(work / "store"),
        "NAVDATA_CACHE_DIR": str(work / "cache"),
        "NAVDATA_OFFLINE": "1",
    }
    if src:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
    return env


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--src", help="a source tree to import navdata from instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="navdata-cli-bench-") as tmp:
        env = environment(Path(tmp), args.src)
        todo = commands(sys.executable)
        for argv in todo.values():
            for _ in range(3):
                timed(argv, env)
        times: dict[str, list[float]] = {name: [] for name in todo}
        for _ in range(args.runs):
            for name, argv in todo.items():
                times[name].append(timed(argv, env))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{args.runs} runs each, interleaved; load average {load:.1f}")
    if args.src:
        print(f"navdata imported from {args.src}")
    base = statistics.median(times["import polars"])
    print(f"{'command':<16} {'median ms':>10} {'mean ms':>9} {'vs polars':>10}  goal")
    for name, samples in times.items():
        median = statistics.median(samples)
        ratio = median / base
        goal = GOALS.get(name)
        verdict = "" if goal is None else f"<= {goal:.1f}x {'met' if ratio <= goal else 'MISSED'}"
        print(
            f"{name:<16} {median * 1000:>10.1f} {statistics.fmean(samples) * 1000:>9.1f} "
            f"{ratio:>9.2f}x  {verdict}"
        )


if __name__ == "__main__":
    main()
