"""A store written by navdata before the Delta Lake store is migrated on first use, losing nothing.

tests/fixtures/store-format-1 was written by the old ``Store.write`` (SYNTHETIC numbers): two
versions of ``nav.test`` (the old store kept the current and the previous one) and one of
``nav.other``. Every kept version must come through byte for byte, at the time it was written.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import datetime
from pathlib import Path

import polars as pl
import pytest

from navdata.errors import StoreError, StoreLockedError
from navdata.store import Store, _legacy, _table
from navdata.vintages import cell_key, diff_versions

FIXTURE = Path(__file__).parent / "fixtures" / "store-format-1"


@pytest.fixture
def old_store(tmp_path: Path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(FIXTURE, target)
    (target / "README.md").unlink()
    return target


def _legacy_manifest(root: Path) -> dict[str, dict[str, object]]:
    manifest: dict[str, dict[str, object]] = json.loads((root / "manifest.json").read_text())[
        "series"
    ]
    return manifest


def test_every_kept_version_is_migrated_byte_for_byte(old_store: Path) -> None:
    legacy = _legacy_manifest(old_store)
    old_frames = {
        name: pl.read_parquet(path)
        for path in old_store.glob("series/*/*.parquet")
        for name in [path.name]
    }
    old_bytes = {p.name: p.read_bytes() for p in old_store.glob("series/*/*.parquet")}
    store = Store(old_store)
    assert store.series_ids() == ["nav.other", "nav.test"]  # opening it migrated it

    test = legacy["nav.test"]
    previous_name = test["previous"][0]  # type: ignore[index]
    history = store.versions("nav.test")
    assert [e.version for e in history] == [0, 1]
    assert [e.migrated_from for e in history] == [previous_name, test["file"]]
    assert history[1].written == datetime.fromisoformat(str(test["written"]))
    assert history[0].written.strftime("%Y%m%dT%H%M%S%fZ") == str(previous_name).split("-")[0]
    assert history[1].content_hash == test["content_hash"]
    assert history[1].retrieved == datetime.fromisoformat(str(test["retrieved"]))
    assert history[1].url == test["url"]
    for entry in history:
        data = (old_store / "tables" / "nav.test" / entry.file).read_bytes()
        assert data == old_bytes[str(entry.migrated_from)]  # the same bytes, the same hash
        assert hashlib.sha256(data).hexdigest() == entry.content_hash
        assert store.read(entry).frame.equals(old_frames[str(entry.migrated_from)])
    assert store.read("nav.test").frame["value"].to_list() == [1.0, 2.5, 3.0, 4.0, 5.0, 6.0]
    assert store.read(store.entry("nav.test", as_of=0)).frame["value"].to_list() == [
        1.0,
        2.0,
        3.0,
        4.0,
        None,
        6.0,
    ]
    assert store.metadata("nav.test").label == "SYNTHETIC legacy-store test data"
    assert all(check.ok for check in store.verify_files())
    # the old files are kept, moved aside, never deleted
    moved = old_store / "legacy-format-1"
    assert not (old_store / "manifest.json").exists()
    assert not (old_store / "series").exists()
    assert sorted(p.name for p in moved.glob("series/*/*.parquet")) == sorted(old_bytes)
    assert json.loads((moved / "manifest.json").read_text())["series"] == legacy


def test_revisions_work_across_the_migrated_versions(old_store: Path) -> None:
    store = Store(old_store)
    old, new = store.read(store.entry("nav.test", as_of=0)), store.read("nav.test")
    changes = diff_versions(old.frame, new.frame, cell_key(new.meta, old.frame, new.frame))
    assert changes.rows() == [
        ("03", "2024M02", 2.0, 2.5, None, None, "revised"),
        ("11", "2024M02", None, 5.0, "*", None, "revised"),
    ]


def test_migration_runs_once_and_a_second_store_finds_it_done(old_store: Path) -> None:
    first = Store(old_store)
    first.check()
    entries = first.entries()
    second = Store(old_store)
    assert second.entries() == entries
    assert [p.name for p in old_store.iterdir() if p.name.startswith("legacy")] == [
        "legacy-format-1"
    ]


def test_an_interrupted_migration_resumes_without_duplicates(
    old_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_commit = _table.commit
    calls: list[str] = []

    def fails_on_the_second(*args: object, **kwargs: object) -> None:
        calls.append("commit")
        if len(calls) == 2:
            raise OSError("injected: the process died during the migration")
        real_commit(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(_table, "commit", fails_on_the_second)
    with pytest.raises(OSError, match="injected"):
        Store(old_store).check()
    assert (old_store / "manifest.json").exists()  # not done: still the old format
    assert not (old_store / ".lock").exists()
    monkeypatch.setattr(_table, "commit", real_commit)
    store = Store(old_store)
    assert [e.version for e in store.versions("nav.test")] == [0, 1]  # no version twice
    assert [e.version for e in store.versions("nav.other")] == [0]


def test_a_migration_in_progress_elsewhere_is_waited_for_then_refused(
    old_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_legacy, "LOCK_TIMEOUT", 0.3)
    (old_store / ".lock").write_text(
        json.dumps({"pid": 1, "host": "another-host", "since": "2026-11-01T00:00:00Z"}), "utf-8"
    )
    with pytest.raises(StoreLockedError, match="locked by process 1 on another-host"):
        Store(old_store).series_ids()


def test_an_unreadable_old_manifest_is_a_clear_error(old_store: Path) -> None:
    (old_store / "manifest.json").write_text('{"format": 1, "series": ', "utf-8")
    with pytest.raises(StoreError) as info:
        Store(old_store).series_ids()
    assert str(info.value).startswith(
        f"the store at {old_store} is in navdata's old format and its manifest.json cannot be "
        "read ("
    )
    assert (old_store / "manifest.json").exists()  # left as it was, for the user to look at
