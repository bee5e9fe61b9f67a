"""A store of SYNTHETIC series for the API tests, written through the store's own write API.

Every number here is made up (a simple formula), never a real statistic. The series ids are real
catalogue ids so that the API's catalogue lookups work; the frames only mimic their shape.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from navdata.dataset import CC_BY_4, CC_BY_4_URL, Dataset, Dimension, Metadata, Provenance
from navdata.periods import with_dates
from navdata.store import Store
from navdata_api.app import create_app
from navdata_api.settings import Settings

Client = TestClient[Litestar]
PROBLEM = "application/problem+json"

REGIONS = {"03": "Oslo", "11": "Rogaland", "46": "Vestland", "50": "Trøndelag"}
REGIONS_EN = {"50": "Trøndelag (en)"}
MONTHS = [f"{year}M{month:02d}" for year in (2019, 2020, 2021) for month in range(1, 13)]
RETRIEVED = datetime(2024, 3, 5, 10, 0, tzinfo=UTC)


def synthetic_helt_ledige() -> Dataset:
    """4 fylker x 36 months; value = 100 * region index + month index; two suppressed cells."""
    rows = []
    for r, region in enumerate(REGIONS):
        for m, period in enumerate(MONTHS):
            suppressed = region == "50" and period in {"2020M04", "2020M05"}
            rows.append(
                {
                    "region": region,
                    "period": period,
                    "value": None if suppressed else float(100 * r + m) + 0.5,
                    "status": "*" if suppressed else None,
                }
            )
    frame = with_dates(pl.DataFrame(rows, schema_overrides={"status": pl.String}))
    frame = frame.select("region", "period", "date", "value", "status")
    meta = Metadata(
        label="Helt ledige (SYNTHETIC test data)",
        source="NAV",
        updated="2024-03-01T00:00:00Z",
        dimensions=[
            Dimension(
                id="region",
                label="Fylke",
                codes=list(REGIONS),
                labels=REGIONS,
                extension={"labels_en": REGIONS_EN},
            ),
            Dimension(id="period", label="Måned", codes=MONTHS, role="time"),
        ],
        provenance=Provenance(
            publisher="NAV",
            url="https://www.nav.no/synthetic-test",
            table="HL060",
            retrieved=RETRIEVED,
            licence=CC_BY_4,
            licence_url=CC_BY_4_URL,
        ),
    )
    return Dataset(frame, meta)


def synthetic_aku() -> Dataset:
    """Both sexes 15-74, 2019-2021 monthly; value = 3 + month index / 100 (made up)."""
    frame = with_dates(
        pl.DataFrame(
            {
                "sex": ["0"] * len(MONTHS),
                "age": ["15-74"] * len(MONTHS),
                "period": MONTHS,
                "value": [3 + i / 100 for i in range(len(MONTHS))],
                "status": pl.Series([None] * len(MONTHS), dtype=pl.String),
            }
        )
    ).select("sex", "age", "period", "date", "value", "status")
    meta = Metadata(
        label="AKU unemployment rate (SYNTHETIC test data)",
        dimensions=[
            Dimension(id="sex", label="kjønn", codes=["0"], labels={"0": "Begge kjønn"}),
            Dimension(id="age", label="alder", codes=["15-74"], labels={"15-74": "15-74 år"}),
            Dimension(id="period", label="måned", codes=MONTHS, role="time"),
        ],
        provenance=Provenance(publisher="SSB", table="13760", retrieved=RETRIEVED),
    )
    return Dataset(frame, meta)


@pytest.fixture(scope="session")
def synthetic_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store folder holding two synthetic series (written once per test session)."""
    path = tmp_path_factory.mktemp("synthetic-store")
    store = Store(path)
    store.write("nav.helt_ledige", synthetic_helt_ledige())
    store.write("ssb.aku.unemployment_rate", synthetic_aku())
    return path


def make_client(store_dir: Path, **overrides: object) -> Client:
    """A test client over ``store_dir`` with the access log and rate limit off unless asked."""
    options: dict[str, object] = {"access_log": False, "rate_limit": 0, **overrides}
    return TestClient(create_app(Settings(store_dir=store_dir, **options)))  # type: ignore[arg-type]


@pytest.fixture
def api(synthetic_store: Path) -> Iterator[Client]:
    """Client over the synthetic store with default limits."""
    with make_client(synthetic_store) as client:
        yield client


@pytest.fixture
def empty_api(tmp_path: Path) -> Iterator[Client]:
    """Client over an empty store (only the bundled series), the default rate limit, no log."""
    with TestClient(create_app(Settings(store_dir=tmp_path, access_log=False))) as client:
        yield client
