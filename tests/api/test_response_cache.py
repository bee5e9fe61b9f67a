"""Whole responses kept in front of the app (navdata_api.response_cache)."""

from __future__ import annotations

import time
from pathlib import Path

import polars as pl
import pytest

from navdata.errors import StoreError
from navdata.store import Store
from navdata_api.local_data import LocalData

from .conftest import Client, make_client, synthetic_helt_ledige

OBS = "/v1/series/nav.helt_ledige/observations?region=03&from=2021M11"


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The series ids the routes looked up: a request answered by the route looks one up."""
    looked_up: list[str] = []
    original = LocalData.series

    def counted(self: LocalData, series_id: str) -> object:
        looked_up.append(series_id)
        return original(self, series_id)

    monkeypatch.setattr(LocalData, "series", counted)
    return looked_up


def test_a_repeated_request_is_answered_without_the_route(api: Client, calls: list[str]) -> None:
    first = api.get(OBS)
    again = api.get(OBS)
    assert calls == ["nav.helt_ledige"]  # the second answer came from the kept response
    assert again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    head = api.head(OBS)
    assert (head.status_code, head.content) == (200, b"")
    assert api.get(OBS, headers={"If-None-Match": first.headers["etag"]}).status_code == 304
    assert calls == ["nav.helt_ledige"]


def test_what_the_response_depends_on_is_part_of_the_key(api: Client) -> None:
    as_json = api.get(OBS)
    as_csv = api.get(OBS, headers={"Accept": "text/csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_json.headers["content-type"] == "application/json"
    cors = api.get(OBS, headers={"Origin": "https://example.org"})
    assert cors.headers["access-control-allow-origin"] == "*"
    plain = api.get(OBS, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.json() == as_json.json()
    problem = api.get(OBS + "&from=2020")  # a repeated parameter: never kept, always refused
    assert problem.status_code == 400
    assert api.get(OBS + "&from=2020").status_code == 400


def test_a_sync_is_seen_by_the_next_request(tmp_path: Path) -> None:
    store = Store(tmp_path)
    dataset = synthetic_helt_ledige()
    store.write("nav.helt_ledige", dataset)
    with make_client(tmp_path) as client:
        before = client.get(OBS).json()["observations"][0]["value"]
        doubled = dataset.frame.with_columns(pl.col("value") * 2)
        store.write("nav.helt_ledige", type(dataset)(doubled, dataset.meta))
        after = client.get(OBS).json()["observations"][0]["value"]
    assert after == 2 * before


def test_a_kept_response_outlives_a_sync_by_the_poll_interval_at_most(tmp_path: Path) -> None:
    # NAVDATA_API_STORE_POLL=1 (on S3 the default is 2 s): the store's stamp is read at most
    # that often, so a kept response may be sent again for that long after a sync, never longer.
    store = Store(tmp_path)
    dataset = synthetic_helt_ledige()
    store.write("nav.helt_ledige", dataset)
    with make_client(tmp_path, store_poll=1.0) as client:
        before = client.get(OBS).json()["observations"][0]["value"]
        doubled = dataset.frame.with_columns(pl.col("value") * 2)
        synced_at = time.monotonic()
        store.write("nav.helt_ledige", type(dataset)(doubled, dataset.meta))
        values = []
        while time.monotonic() - synced_at < 1.4:
            values.append(client.get(OBS).json()["observations"][0]["value"])
            time.sleep(0.05)
        waited = time.monotonic() - synced_at
    assert values[0] == before  # kept: the stamp was read less than 1 s ago
    assert values[-1] == 2 * before, waited  # 1.4 s after the sync: the new version
    changed_at = values.index(2 * before)
    assert values[changed_at:] == [2 * before] * (len(values) - changed_at)  # never back


def test_health_never_waits_on_the_store(api: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    original = LocalData.data_version

    def counted(self: LocalData) -> object:
        asked.append("asked")
        return original(self)

    monkeypatch.setattr(LocalData, "data_version", counted)
    for _ in range(3):
        assert api.get("/health").status_code == 200
    assert asked == []  # /health answers whatever the store does (/ready reads the store)
    api.get(OBS)
    assert asked == ["asked"]


def test_an_unreadable_store_stops_the_keeping_and_is_asked_again_after_a_second(
    api: Client,
    calls: list[str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    asked: list[str] = []

    def unreadable(self: Store, seen: object = None) -> object:
        asked.append("asked")
        msg = "the store at s3://x cannot be read (synthetic outage)"
        raise StoreError(msg)

    monkeypatch.setattr(Store, "change_mark", unreadable)
    first, second = api.get(OBS), api.get(OBS)
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.content == second.content
    assert calls == ["nav.helt_ledige"] * 2  # both answered by the route: nothing kept
    assert asked == ["asked"]  # not asked again within the second
    assert "responses are not cached while the store cannot be read" in caplog.text


def test_no_cache_budget_means_no_kept_responses(synthetic_store: Path, calls: list[str]) -> None:
    with make_client(synthetic_store, cache_mb=0) as client:
        client.get(OBS)
        client.get(OBS)
    assert len(calls) == 2
