"""Vintages end to end: sync from the fake SSB, SSB revises, sync again; versions, as_of, revisions.

The fake SSB serves a SYNTHETIC table 13760 (tests/synthetic_ssb.py), so these tests always run.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from click.testing import CliRunner

import navdata
from fakes.server import serve
from fakes.ssb import FakeSSB
from navdata.cli import cli
from navdata.errors import InvalidArgumentError, MissingDataError
from navdata.store import Store, _table
from synthetic_ssb import synthetic_13760

AKU = "ssb.aku.unemployment_rate"
FIRST = {"2026M01": 4.0, "2026M02": 4.1, "2026M03": 4.2}
REVISED = {"2026M01": 4.0, "2026M02": 4.3, "2026M03": 4.2, "2026M04": 4.4}


class Upstream:
    def __init__(self, ssb: FakeSSB, store_dir: Path, cache_dir: Path) -> None:
        self.ssb, self.store_dir, self.cache_dir = ssb, store_dir, cache_dir

    def publish(self, values: dict[str, float], updated: str) -> None:
        """SSB publishes new figures; navdata's HTTP cache is dropped so the sync asks again."""
        self.ssb.tables["13760"] = synthetic_13760(values, updated=updated)
        for path in self.cache_dir.rglob("*"):
            if path.is_file():
                path.unlink()


@pytest.fixture
def upstream(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Upstream]:
    ssb = FakeSSB([synthetic_13760(FIRST, updated="2026-04-01T06:00:00Z")])
    with serve(ssb) as url:
        env = {
            "NAVDATA_SSB_URL": url,
            "NAVDATA_NAV_URL": "http://127.0.0.1:9",
            "NAVDATA_KLASS_URL": "http://127.0.0.1:9",
            "NAVDATA_STORE_DIR": str(tmp_path / "store"),
            "NAVDATA_CACHE_DIR": str(tmp_path / "cache"),
            "NAVDATA_OFFLINE": "0",
        }
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        yield Upstream(ssb, tmp_path / "store", tmp_path / "cache")


def _values(frame: pl.DataFrame) -> dict[str, float]:
    return dict(frame.select("period", "value").iter_rows())


def test_a_revision_by_ssb_is_a_new_version_with_exactly_the_changed_cells(
    upstream: Upstream,
) -> None:
    first = navdata.sync([AKU])
    assert [(o.outcome, o.entry.version if o.entry else None) for o in first.outcomes] == [
        ("new-version", 0)
    ]
    upstream.publish(REVISED, updated="2026-05-01T06:00:00Z")
    second = navdata.sync([AKU])
    assert [o.outcome for o in second.outcomes] == ["new-version"]

    versions = navdata.versions(AKU)
    assert versions.columns == [
        "version",
        "synced_at",
        "source_updated",
        "retrieved",
        "rows",
        "content_hash",
        "navdata_version",
    ]
    assert versions.select("version", "source_updated", "rows").rows() == [
        (0, "2026-04-01T06:00:00Z", 3),
        (1, "2026-05-01T06:00:00Z", 4),
    ]
    synced = versions["synced_at"].to_list()
    between = synced[0] + (synced[1] - synced[0]) / 2
    assert _values(navdata.get(AKU, as_of=between).frame) == FIRST
    assert _values(navdata.get(AKU, as_of=0).frame) == FIRST
    assert _values(navdata.get(AKU).frame) == REVISED
    assert navdata.get(AKU, as_of=between).entry == Store().versions(AKU)[0]

    changes = navdata.revisions(AKU)
    assert changes.columns == [
        "sex",
        "age",
        "adjustment",
        "period",
        "old_value",
        "new_value",
        "old_status",
        "new_status",
        "change",
    ]
    assert changes.select("period", "old_value", "new_value", "change").rows() == [
        ("2026M02", 4.1, 4.3, "revised"),
        ("2026M04", None, 4.4, "added"),
    ]
    assert navdata.revisions(AKU, 0, 1).equals(changes)
    assert navdata.revisions(AKU, old=between).equals(changes)
    assert navdata.revisions(AKU, 1, 1).height == 0

    # the same figures again: nothing committed, only the check recorded
    upstream.publish(REVISED, updated="2026-05-01T06:00:00Z")
    third = navdata.sync([AKU])
    assert [o.outcome for o in third.outcomes] == ["unchanged"]
    assert navdata.versions(AKU).height == 2


def test_the_command_line_reads_versions_revisions_and_as_of(upstream: Upstream) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["sync", "-q", AKU]).exit_code == 0
    upstream.publish(REVISED, updated="2026-05-01T06:00:00Z")
    assert runner.invoke(cli, ["sync", "-q", AKU]).exit_code == 0

    listed = runner.invoke(cli, ["versions", AKU, "--format", "json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    assert [(r["version"], r["rows"]) for r in rows] == [(0, 3), (1, 4)]

    changed = runner.invoke(cli, ["revisions", AKU, "--format", "csv"])
    assert changed.exit_code == 0, changed.output
    assert changed.output.splitlines() == [
        "sex,age,adjustment,period,old_value,new_value,old_status,new_status,change",
        "0,15-74,S,2026M02,4.1,4.3,,,revised",
        "0,15-74,S,2026M04,,4.4,,,added",
    ]
    old = runner.invoke(cli, ["get", AKU, "--as-of", "0"])
    assert old.exit_code == 0, old.output
    assert [line.split(",")[-2] for line in old.output.splitlines()[1:]] == ["4.0", "4.1", "4.2"]
    day = rows[1]["synced_at"][:10]
    current = runner.invoke(cli, ["get", AKU, "--as-of", day])
    assert [line.split(",")[-2] for line in current.output.splitlines()[1:]] == [
        "4.0",
        "4.3",
        "4.2",
        "4.4",
    ]
    before = runner.invoke(cli, ["get", AKU, "--as-of", "2000-01-01"])
    assert before.exit_code == 4
    assert "the store held no version of 'ssb.aku.unemployment_rate' as of 2000-01-01" in (
        before.output
    )
    bad = runner.invoke(cli, ["get", AKU, "--as-of", "last spring"])
    assert bad.exit_code == 2


def test_revisions_read_the_history_once(
    upstream: Upstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both versions are picked from the one history read, not from a fresh read each."""
    navdata.sync([AKU])
    upstream.publish(REVISED, updated="2026-05-01T06:00:00Z")
    navdata.sync([AKU])
    reads: list[str] = []
    real = _table.history

    def counted(location: Any, series_id: str) -> Any:
        reads.append(series_id)
        return real(location, series_id)

    monkeypatch.setattr(_table, "history", counted)
    changed = navdata.revisions(AKU, 0, 1)
    assert changed.select("period", "change").rows() == [
        ("2026M02", "revised"),
        ("2026M04", "added"),
    ]
    assert reads == [AKU]


def test_nothing_to_compare_names_the_command_on_the_command_line(upstream: Upstream) -> None:
    navdata.sync([AKU])
    with pytest.raises(MissingDataError, match=r"nothing to compare \(see navdata.versions\("):
        navdata.revisions(AKU)
    alone = CliRunner().invoke(cli, ["revisions", AKU])
    assert alone.exit_code == 4
    assert alone.stderr.rstrip().endswith(f"nothing to compare (see `navdata versions {AKU}`)")


def test_as_of_never_syncs_and_bundled_series_have_no_versions(upstream: Upstream) -> None:
    with pytest.raises(MissingDataError, match="not in the store"):
        navdata.get(AKU, as_of=datetime(2026, 5, 1, tzinfo=UTC))
    assert upstream.ssb.requests == []  # asking about the past fetched nothing
    with pytest.raises(InvalidArgumentError, match="bundled with navdata"):
        navdata.get("keyfig.uforetrygd_share", as_of=0)
    with pytest.raises(InvalidArgumentError, match="bundled with navdata"):
        navdata.versions("keyfig.uforetrygd_share")
    navdata.sync([AKU])
    with pytest.raises(MissingDataError, match="has no version before version 0"):
        navdata.revisions(AKU)


def test_an_event_window_reads_as_the_store_held_the_series_then(upstream: Upstream) -> None:
    """nav-review-expert-group-2026 (2026-02-25) is period 0 = 2026M02 of the monthly series."""
    navdata.sync([AKU])
    upstream.publish(REVISED, updated="2026-05-01T06:00:00Z")
    navdata.sync([AKU])
    milestone = "nav-review-expert-group-2026"
    then = navdata.around(AKU, milestone, 1, 2, as_of=0)
    now = navdata.around(AKU, milestone, 1, 2)
    assert then.summary.select("mean_before", "mean_after").rows() == [(4.0, (4.1 + 4.2) / 2)]
    assert now.summary.select("mean_before", "mean_after").rows() == [(4.0, (4.3 + 4.2) / 2)]
    with pytest.raises(InvalidArgumentError, match="as_of= applies to a series id"):
        navdata.around(navdata.get(AKU), milestone, 1, 2, as_of=0)
