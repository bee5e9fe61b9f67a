"""Benchmark: the Delta Lake store against the Parquet store it replaced, in one run.

Usage (from the repository root, in a git checkout):

    .venv/bin/python benchmarks/store_read.py [--rows 1000000] [--repeat 7] [--baseline-ref REF]

The peer is the previous store itself: ``src/navdata/store.py`` as of ``--baseline-ref``
(default ``4ce24ff``, the last commit with the manifest/Parquet store), loaded from git into this
process, so both stores run against the same polars and the same frames. Measured (median of
``--repeat`` runs, each with a fresh ``Store`` object as ``navdata.get`` makes one per call):

- **read**: the whole SYNTHETIC series (``--rows`` rows: region x month, value, status) into a
  Dataset, and a cut (one region, the last ten years), through each store's ``read``;
- **as_of**: reading version 0 of 3 from the Delta store (the Parquet store kept no old version
  to read), against reading the current version;
- **write**: a sync writing a new version (content differs) with each store, and the Delta
  store's write of identical content (it reads and compares, then commits nothing).

Prints each time and the ratios Delta / Parquet. Run on demand; not collected by pytest.
"""

from __future__ import annotations

import argparse
import importlib.util
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import polars as pl

from navdata.dataset import Dataset, Dimension, Metadata, Provenance
from navdata.store import Store

REPO_ROOT = Path(__file__).resolve().parent.parent


def baseline_store(ref: str) -> ModuleType:
    """``navdata/store.py`` as it was at ``ref``, imported as module ``parquet_store``."""
    source = subprocess.run(
        ["git", "show", f"{ref}:src/navdata/store.py"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "parquet_store.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("parquet_store", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["parquet_store"] = module
    spec.loader.exec_module(module)
    return module


def synthetic(rows: int, shift: float = 0.0) -> Dataset:
    """A SYNTHETIC monthly series of ``rows`` rows: 500 regions x rows/500 months."""
    regions = 500
    months = rows // regions
    region = pl.int_range(0, regions, eager=True).cast(pl.String).str.zfill(4)
    month = pl.int_range(0, months, eager=True)
    frame = (
        pl.DataFrame({"region": region})
        .join(pl.DataFrame({"m": month}), how="cross")
        .with_columns(
            (pl.lit(1970) + pl.col("m") // 12).alias("year"),
            (pl.col("m") % 12 + 1).alias("month"),
        )
        .with_columns(
            (
                pl.col("year").cast(pl.String) + "M" + pl.col("month").cast(pl.String).str.zfill(2)
            ).alias("period"),
            pl.date(pl.col("year"), pl.col("month"), 1).alias("date"),
            (pl.col("m") * 0.5 + pl.col("region").cast(pl.Int64) + shift).alias("value"),
            pl.when(pl.col("m") % 97 == 0).then(pl.lit("..")).otherwise(None).alias("status"),
        )
        .select("region", "period", "date", "value", "status")
    )
    meta = Metadata(
        dimensions=[Dimension(id="region", label="region", codes=region.to_list())],
        label="SYNTHETIC benchmark series",
        provenance=Provenance(url="https://example.test/synthetic", publisher="benchmark"),
    )
    return Dataset(frame, meta)


def median_ms(run: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--baseline-ref", default="4ce24ff")
    args = parser.parse_args()
    old = baseline_store(args.baseline_ref)
    work = Path(tempfile.mkdtemp(prefix="navdata-store-bench-"))
    series = "ssb.bench"
    versions = [synthetic(args.rows, shift) for shift in (0.0, 1.0, 2.0)]
    parquet_root, delta_root = work / "parquet", work / "delta"
    for dataset in versions:
        old.Store(parquet_root).write(series, dataset)
        Store(delta_root).write(series, dataset)
    cut = {"start": "2010", "filters": {"region": ["0042"]}}
    height = Store(delta_root).read(series).frame.height
    assert old.Store(parquet_root).read(series).frame.equals(Store(delta_root).read(series).frame)

    results: dict[str, tuple[float, float | None]] = {}
    results["read whole series"] = (
        median_ms(lambda: Store(delta_root).read(series), args.repeat),
        median_ms(lambda: old.Store(parquet_root).read(series), args.repeat),
    )
    results["read one region, 10 years"] = (
        median_ms(lambda: Store(delta_root).read(series, **cut), args.repeat),  # type: ignore[arg-type]
        median_ms(lambda: old.Store(parquet_root).read(series, **cut), args.repeat),
    )

    def as_of() -> Dataset:
        store = Store(delta_root)
        return store.read(store.entry(series, as_of=0))

    assert as_of().frame.equals(versions[0].frame)
    results["as_of version 0 (Delta) vs current (Delta)"] = (
        median_ms(as_of, args.repeat),
        results["read whole series"][0],
    )
    shifts = iter(range(10, 10 + 2 * args.repeat))
    fresh = [synthetic(args.rows, float(next(shifts))) for _ in range(args.repeat)]
    fresh_old = [synthetic(args.rows, float(next(shifts))) for _ in range(args.repeat)]
    new_versions, old_versions = iter(fresh), iter(fresh_old)
    results["sync write, new content"] = (
        median_ms(lambda: Store(delta_root).write(series, next(new_versions)), args.repeat),
        median_ms(lambda: old.Store(parquet_root).write(series, next(old_versions)), args.repeat),
    )
    same = fresh[-1]
    results["sync write, same content (Delta commits nothing)"] = (
        median_ms(lambda: Store(delta_root).write(series, same), args.repeat),
        results["sync write, new content"][1],
    )

    print(
        f"{height:,} rows, median of {args.repeat}; python {platform.python_version()}, "
        f"polars {pl.__version__}; baseline {args.baseline_ref}"
    )
    print(f"{'':52} {'Delta':>10} {'peer':>10} {'ratio':>7}")
    for name, (delta_ms, peer_ms) in results.items():
        ratio = delta_ms / peer_ms if peer_ms else float("nan")
        print(f"{name:52} {delta_ms:8.1f}ms {peer_ms or 0:8.1f}ms {ratio:6.2f}x")
    print(f"(peer: the Parquet store of {args.baseline_ref} unless the row names another)")


if __name__ == "__main__":
    main()
