"""navdata.sync end to end: per-series transactions, failures reported, the store never mixed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from e2e_upstreams import KINDS, Upstreams, running
from fakes.ssb import Fault
from navdata.access import get
from navdata.errors import InvalidArgumentError, UnknownSeriesError
from navdata.store import Store
from navdata.sync import SyncEvent, outcome_summary, sync

AKU = "ssb.aku.unemployment_rate"
HL = "nav.helt_ledige"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(params=KINDS)
def ups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[Upstreams]:
    """The fakes with the real 13760 answer (skipped without ../shared) and its synthetic twin."""
    with running(tmp_path, monkeypatch, request.param) as started:
        yield started


def test_sync_writes_each_series_and_reports_progress(ups: Upstreams) -> None:
    events: list[SyncEvent] = []
    report = sync([AKU, HL], progress=events.append)
    assert report.ok
    assert [o.series_id for o in report.succeeded] == [AKU, HL]
    assert [(e.kind, e.series_id, e.index, e.chunk, e.chunks) for e in events] == [
        ("start", AKU, 1, 0, 1),
        ("chunk", AKU, 1, 1, 1),
        ("done", AKU, 1, 1, 1),
        ("start", HL, 2, 0, 0),
        ("done", HL, 2, 0, 0),
    ]
    assert events[2].message == "3 rows, new version 0"
    assert outcome_summary(report) == {
        "succeeded": [
            {"id": AKU, "rows": 3, "version": 0, "outcome": "new-version"},
            {"id": HL, "rows": 80, "version": 0, "outcome": "new-version"},
        ],
        "failed": [],
    }
    store = Store(ups.store_dir)
    assert sorted(store.entries()) == [HL, AKU]
    assert store.verify(AKU)


def test_a_failing_series_keeps_its_previous_version_and_the_others_continue(
    ups: Upstreams,
) -> None:
    assert sync([AKU, HL]).ok
    store = Store(ups.store_dir)
    before = {i: store.entry(i) for i in (AKU, HL)}
    ups.nav.pages.clear()  # the second series' page is gone (a fault in the fake nav.no)
    report = sync([AKU, HL, "ssb.population"])
    assert [o.series_id for o in report.succeeded] == [AKU]
    assert [(o.series_id, o.error_type) for o in report.failed] == [
        (HL, "UpstreamError"),
        ("ssb.population", "UnknownTableError"),
    ]
    assert report.failed[0].error is not None
    assert "HTTP 404" in report.failed[0].error
    assert store.entry(HL) == before[HL]  # untouched: same file, same hash
    assert store.entry(AKU) == before[AKU]  # same content: nothing committed, only checked
    assert [o.outcome for o in report.succeeded] == ["unchanged"]
    check = store.checked(AKU)
    assert check is not None
    assert (check.version, check.outcome) == (0, "unchanged")
    assert len(store.versions(AKU)) == 1
    assert get(HL, region="1101", end="2026M01").frame["value"].to_list() == [197.0]
    assert not store.has("ssb.population")


def _clear_cache(ups: Upstreams) -> None:
    """Drop the HTTP cache so that the next sync asks the fake again (answers are fresh for a
    while, which is what lets an interrupted sync resume without refetching)."""
    for path in ups.cache_dir.rglob("*"):
        if path.is_file():
            path.unlink()


def test_a_failing_ssb_request_leaves_the_stored_version(ups: Upstreams) -> None:
    assert sync([AKU]).ok
    _clear_cache(ups)
    ups.ssb.faults.append(Fault("500", path="/data"))  # SSB's empty 500: not retried
    report = sync([AKU])
    assert not report.ok
    assert report.failed[0].error_type == "UpstreamError"
    assert get(AKU, offline=True).frame["value"].to_list() == ups.rates


def test_ids_are_checked_before_anything_is_fetched(ups: Upstreams) -> None:
    with pytest.raises(UnknownSeriesError, match="did you mean"):
        sync([AKU, "nav.helt_ledig"])
    assert ups.ssb.requests == []
    with pytest.raises(InvalidArgumentError, match="bundled"):
        sync(["keyfig.nav_user_trust"])
    with pytest.raises(InvalidArgumentError, match="all=True"):
        sync([])
    with pytest.raises(InvalidArgumentError, match="not both"):
        sync([AKU], all=True)


def test_a_sync_killed_half_way_leaves_the_previous_version_readable(ups: Upstreams) -> None:
    """A real process is SIGKILLed while SSB is answering; the store stays at version 1."""
    assert sync([AKU]).ok
    store = Store(ups.store_dir)
    first = store.entry(AKU)
    _clear_cache(ups)  # force a real fetch in the child
    ups.ssb.slow_seconds = 2.0  # long enough to kill the child mid-request
    ups.ssb.faults.append(Fault("slow", path="/data", times=1))
    seen = len(ups.ssb.data_requests())
    env = {**os.environ, **ups.env()}
    child = subprocess.Popen(
        [sys.executable, "-m", "navdata", "sync", "-q", AKU],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while len(ups.ssb.data_requests()) == seen and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(ups.ssb.data_requests()) > seen, "the child never asked for data"
        time.sleep(0.2)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    assert store.entry(AKU) == first
    assert store.verify(AKU)
    assert get(AKU, offline=True).frame["value"].to_list() == ups.rates
    ups.ssb.slow_seconds = 0.0
    report = sync([AKU])  # the next sync is not blocked by what the killed one left
    assert [o.outcome for o in report.succeeded] == ["unchanged"]
    assert store.entry(AKU) == first
