"""SYNTHETIC series for the store tests (folder, S3, migration, API), and a look at table files."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl

from navdata.dataset import Dataset, Dimension, Metadata, Provenance

RETRIEVED = datetime(2026, 10, 3, 8, 0, tzinfo=UTC)
V1: list[float | None] = [1.0, 2.0, 3.0, 4.0, None, 6.0]
V2: list[float | None] = [10.0, 20.0, 30.0, 40.0, 50.0, 60.0]


def dataset(values: Sequence[float | None], *, label: str = "synthetic") -> Dataset:
    """A SYNTHETIC monthly series for two regions (three months each)."""
    n = len(values)
    periods = ["2024M01", "2024M02", "2024M03"] * (n // 3)
    frame = pl.DataFrame(
        {
            "region": [r for r in ("03", "11") for _ in range(3)][:n],
            "period": periods,
            "date": [date(2024, int(p[-2:]), 1) for p in periods],
            "value": list(values),
            "status": [None if v is not None else "*" for v in values],
        },
        schema={
            "region": pl.String,
            "period": pl.String,
            "date": pl.Date,
            "value": pl.Float64,
            "status": pl.String,
        },
    )
    meta = Metadata(
        dimensions=[
            Dimension(id="region", label="region", codes=["03", "11"]),
            Dimension(id="period", label="month", codes=["2024M01", "2024M02", "2024M03"]),
        ],
        label=label,
        updated="2026-09-23T06:00:00Z",
        roles={"time": ["period"], "geo": ["region"]},
        notes=["synthetic test data"],
        provenance=Provenance(
            publisher="Test publisher",
            url="https://example.test/table/1",
            table="T1",
            query={"Tid": ["*"]},
            retrieved=RETRIEVED,
            licence="CC BY 4.0",
            licence_url="https://creativecommons.org/licenses/by/4.0/",
        ),
    )
    return Dataset(frame, meta)


def table_files(root: Path, series_id: str) -> list[str]:
    """The data files in a series' table folder (committed or not), sorted."""
    folder = root / "tables" / series_id
    return sorted(p.name for p in folder.glob("*.parquet")) if folder.is_dir() else []
