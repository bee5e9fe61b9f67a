"""The service's view of a series' history: versions, revisions, as_of, damaged files.

The store is SYNTHETIC (tests/api/conftest.py's AKU series, then a made-up revision of it).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import anyio
import polars as pl
import pytest

from navdata.dataset import Dataset
from navdata.store import ManifestEntry, Store
from navdata_api.local_data import LocalData
from navdata_api.settings import Settings

from .conftest import PROBLEM, Client, make_client, synthetic_aku

AKU = "ssb.aku.unemployment_rate"
BASE = f"/v1/series/{AKU}"


def _revised() -> Dataset:
    """synthetic_aku with 2019M02 revised from 3.01 to 3.5 (made up)."""
    first = synthetic_aku()
    frame = first.frame.with_columns(
        pl.when(pl.col("period") == "2019M02")
        .then(pl.lit(3.5))
        .otherwise(pl.col("value"))
        .alias("value")
    )
    return Dataset(frame, first.meta)


@pytest.fixture
def two_versions(tmp_path: Path) -> tuple[Path, ManifestEntry, ManifestEntry]:
    store = Store(tmp_path / "store")
    first = store.write(AKU, synthetic_aku())
    second = store.write(AKU, _revised())
    return store.path, first, second


@pytest.fixture
def api2(two_versions: tuple[Path, ManifestEntry, ManifestEntry]) -> Iterator[Client]:
    with make_client(two_versions[0]) as client:
        yield client


def test_versions_lists_each_commit_with_its_provenance(
    api2: Client, two_versions: tuple[Path, ManifestEntry, ManifestEntry]
) -> None:
    _, first, second = two_versions
    response = api2.get(f"{BASE}/versions")
    assert response.status_code == 200
    body = response.json()
    assert body["series"] == AKU
    assert [(v["version"], v["rows"], v["content_hash"]) for v in body["versions"]] == [
        (0, 36, first.content_hash),
        (1, 36, second.content_hash),
    ]
    assert body["versions"][0]["retrieved"] == "2024-03-05T10:00:00Z"
    etag = response.headers["etag"]
    assert etag.startswith('"v1-')
    assert api2.get(f"{BASE}/versions", headers={"If-None-Match": etag}).status_code == 304


def test_revisions_list_exactly_the_changed_cells(api2: Client) -> None:
    response = api2.get(f"{BASE}/revisions")
    assert response.status_code == 200
    body = response.json()
    assert (body["old"]["version"], body["new"]["version"], body["count"]) == (0, 1, 1)
    assert body["columns"] == [
        "sex",
        "age",
        "period",
        "old_value",
        "new_value",
        "old_status",
        "new_status",
        "change",
    ]
    assert body["changes"] == [
        {
            "sex": "0",
            "age": "15-74",
            "period": "2019M02",
            "old_value": 3.01,
            "new_value": 3.5,
            "old_status": None,
            "new_status": None,
            "change": "revised",
        }
    ]
    same = api2.get(f"{BASE}/revisions", params={"old": "v1", "new": "1"}).json()
    assert same["count"] == 0
    first_only = api2.get(f"{BASE}/revisions", params={"new": "0"})
    assert first_only.status_code == 404
    assert first_only.json()["type"] == "urn:navdata:problem:no-earlier-version"
    missing = api2.get(f"{BASE}/revisions", params={"old": "7"})
    assert missing.status_code == 404
    assert "has no version 7" in missing.json()["detail"]


def test_observations_as_of_serve_the_old_version_with_its_own_etag(
    api2: Client, two_versions: tuple[Path, ManifestEntry, ManifestEntry]
) -> None:
    _, first, _ = two_versions
    params = {"from": "2019M02", "to": "2019M02"}
    now = api2.get(f"{BASE}/observations", params=params)
    then = api2.get(f"{BASE}/observations", params={**params, "as_of": "0"})
    by_time = api2.get(
        f"{BASE}/observations", params={**params, "as_of": first.written.isoformat()}
    )
    assert [r["value"] for r in now.json()["observations"]] == [3.5]
    assert [r["value"] for r in then.json()["observations"]] == [3.01]
    assert [r["value"] for r in by_time.json()["observations"]] == [3.01]
    assert now.headers["etag"].startswith('"v1-')
    assert then.headers["etag"].startswith('"v0-')
    assert then.json()["provenance"]["version"] == 0
    assert now.json()["provenance"]["version"] == 1
    cached = api2.get(
        f"{BASE}/observations",
        params={**params, "as_of": "0"},
        headers={"If-None-Match": then.headers["etag"]},
    )
    assert cached.status_code == 304
    before = api2.get(f"{BASE}/observations", params={"as_of": "2000-01-01"})
    assert before.status_code == 404
    assert "held no version" in before.json()["detail"]
    bad = api2.get(f"{BASE}/observations", params={"as_of": "yesterday"})
    assert bad.status_code == 400
    bundled = api2.get("/v1/series/keyfig.uforetrygd_share/observations", params={"as_of": "0"})
    assert bundled.status_code == 400
    assert "bundled with navdata" in bundled.json()["detail"]


def test_charts_and_windows_are_drawn_as_of_a_version(api2: Client) -> None:
    chart_now = api2.get(f"{BASE}/chart.svg", params={"from": "2019", "to": "2019"})
    chart_then = api2.get(f"{BASE}/chart.svg", params={"from": "2019", "to": "2019", "as_of": "0"})
    assert chart_now.status_code == chart_then.status_code == 200
    assert chart_now.headers["etag"].startswith('"v1-')
    assert chart_then.headers["etag"].startswith('"v0-')
    assert chart_now.content != chart_then.content
    window = "/v1/timeline/aku-questionnaire-2021/window"
    query: dict[str, str | int] = {"series": AKU, "before": 24, "after": 12}
    now = api2.get(window, params=query).json()
    then = api2.get(window, params={**query, "as_of": "0"}).json()
    before_now = now["summary"][0]["mean_before"]
    before_then = then["summary"][0]["mean_before"]
    assert before_now == pytest.approx(before_then + (3.5 - 3.01) / 24)


def test_openapi_documents_the_history_routes_and_as_of(api2: Client) -> None:
    spec = api2.get("/docs/openapi.json").json()
    assert "/v1/series/{series_id}/versions" in spec["paths"]
    revisions = spec["paths"]["/v1/series/{series_id}/revisions"]["get"]
    assert {p["name"] for p in revisions["parameters"]} >= {"old", "new"}
    for path in ("observations", "chart.svg"):
        params = spec["paths"][f"/v1/series/{{series_id}}/{path}"]["get"]["parameters"]
        assert "as_of" in {p["name"] for p in params}


def test_a_damaged_data_file_is_503_for_that_series_and_listed_by_ready(
    two_versions: tuple[Path, ManifestEntry, ManifestEntry],
) -> None:
    root, _, second = two_versions
    (root / "tables" / AKU / second.file).write_bytes(b"synthetic damage, not parquet")
    with make_client(root) as client:
        assert client.get("/ready").json()["status"] == "ready"  # not read yet
        response = client.get(f"{BASE}/observations")
        assert response.status_code == 503
        assert response.headers["content-type"] == PROBLEM
        body = response.json()
        assert body["type"] == "urn:navdata:problem:store-unavailable"
        assert second.file in body["detail"]
        assert f"run `navdata sync {AKU}`" in body["detail"]
        assert str(root) not in response.text  # the file's name, never where the store is
        old = client.get(f"{BASE}/observations", params={"as_of": "0"})
        assert old.status_code == 200  # the other versions still serve
        assert client.get("/v1/series/keyfig.uforetrygd_share/observations").status_code == 200
        ready = client.get("/ready")
        assert ready.status_code == 200
        assert ready.json()["status"] == "degraded"
        assert list(ready.json()["damaged"]) == [AKU]
        assert second.file in ready.json()["damaged"][AKU]
        assert str(root) not in ready.text
        Store(root).write(AKU, _revised())  # the repair: a sync writes a fresh version
        assert client.get(f"{BASE}/observations").status_code == 200
        assert client.get("/ready").json() == {
            **ready.json(),
            "status": "ready",
            "damaged": {},
        }


def test_a_vacuumed_version_is_a_clear_503(
    two_versions: tuple[Path, ManifestEntry, ManifestEntry],
) -> None:
    root, first, _ = two_versions
    Store(root).vacuum(timedelta(0))
    with make_client(root) as client:
        response = client.get(f"{BASE}/observations", params={"as_of": "0"})
    assert response.status_code == 503
    assert first.file in response.json()["detail"]


def test_a_version_is_trusted_for_the_poll_interval_then_checked_again(
    two_versions: tuple[Path, ManifestEntry, ManifestEntry], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With NAVDATA_API_STORE_POLL (2 s by default on S3) the store is asked again only when
    the interval has passed; 0 (a folder's default) asks on every request."""
    root, _, second = two_versions
    now = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])  # the clock local_data reads
    polled = LocalData(Settings(store_dir=root, store_poll=2.0))
    every = LocalData(Settings(store_dir=root))
    assert polled.current(AKU) == every.current(AKU) == second
    third = Store(root).write(AKU, synthetic_aku())  # back to the first figures: version 2
    assert third.version == 2
    now[0] += 1.9
    assert polled.current(AKU) == second  # trusted for 2 s
    assert every.current(AKU) == third
    now[0] += 0.2
    assert polled.current(AKU) == third


def test_on_a_remote_store_only_a_version_known_now_is_found_on_the_event_loop(
    two_versions: tuple[Path, ManifestEntry, ManifestEntry], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The store is a folder standing in for S3 (remote_store set by hand): what is measured is
    # which lookups go to a worker thread, where a HEAD or a history read cannot stall others.
    root, first, second = two_versions
    local_data = LocalData(Settings(store_dir=root, store_poll=2.0))
    local_data.remote_store = True
    in_thread: list[tuple[object, ...]] = []
    run_sync = anyio.to_thread.run_sync

    async def recorded(function: Any, *args: object) -> Any:
        in_thread.append(args)
        return await run_sync(function, *args)

    monkeypatch.setattr(anyio.to_thread, "run_sync", recorded)

    async def lookups() -> list[int | None]:
        found = [
            await local_data.served_entry(AKU),  # not known yet: asks the store
            await local_data.served_entry(AKU),  # known for 2 s: inline
            await local_data.served_entry(AKU, "0"),  # as_of reads the history
            await local_data.served_entry("keyfig.uforetrygd_share"),  # bundled: no store
        ]
        return [entry.version for entry in found]

    assert anyio.run(lookups) == [second.version, second.version, first.version, None]
    assert in_thread == [(AKU, None), (AKU, "0")]
