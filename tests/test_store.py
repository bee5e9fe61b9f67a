"""The local store: exact round trips, atomic updates under injected failures, locks, lazy reads.

All frames here are synthetic (built by the tests); no real statistics are asserted.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

import msgspec
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

import navdata.store as store_mod
from navdata.dataset import Dataset, Dimension, Metadata, Provenance
from navdata.errors import (
    MissingDataError,
    PeriodError,
    SelectionError,
    StoreError,
    StoreLockedError,
)
from navdata.jsonstat import read_jsonstat
from navdata.series_catalog import describe, normalise
from navdata.store import KEEP_VERSIONS, Store
from shared_files import shared_path

REPO_ROOT = Path(__file__).resolve().parent.parent
RETRIEVED = datetime(2026, 10, 3, 8, 0, tzinfo=UTC)


def _dataset(values: Sequence[float | None], *, label: str = "synthetic") -> Dataset:
    """A synthetic monthly series for two regions (three months each)."""
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


V1: list[float | None] = [1.0, 2.0, 3.0, 4.0, None, 6.0]
V2: list[float | None] = [10.0, 20.0, 30.0, 40.0, 50.0, 60.0]


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _temp_files(root: Path) -> list[str]:
    return [f for f in _files(root) if Path(f).name.startswith(".tmp-")]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "store")


# --- round trip ----------------------------------------------------------------------------------


def test_write_read_round_trip_is_exact(store: Store) -> None:
    ds = _dataset(V1)
    entry = store.write("nav.test", ds)
    out = store.read("nav.test")
    assert_frame_equal(out.frame, ds.frame)
    assert ds.meta.provenance is not None
    expected_meta = msgspec.structs.replace(
        ds.meta,
        provenance=msgspec.structs.replace(ds.meta.provenance, content_hash=entry.content_hash),
    )
    assert out.meta == expected_meta

    parquet = store.path / "series" / "nav.test" / entry.file
    assert entry.content_hash == hashlib.sha256(parquet.read_bytes()).hexdigest()
    assert entry.rows == 6
    assert entry.columns == ["region", "period", "date", "value", "status"]
    assert entry.url == "https://example.test/table/1"
    assert entry.table == "T1"
    assert entry.query == {"Tid": ["*"]}
    assert entry.updated == "2026-09-23T06:00:00Z"
    assert entry.retrieved == RETRIEVED
    assert entry.licence == "CC BY 4.0"
    assert entry.publisher == "Test publisher"
    assert entry.navdata_version
    assert entry.file.endswith(f"-{entry.content_hash[:12]}.parquet")
    assert entry.meta_file == entry.file.replace(".parquet", ".meta.json")
    assert store.entry("nav.test") == entry
    assert store.entries() == {"nav.test": entry}
    assert store.has("nav.test")
    assert not store.has("nav.other")
    assert store.verify("nav.test")


def test_manifest_is_plain_json_with_provenance(store: Store) -> None:
    entry = store.write("nav.test", _dataset(V1))
    manifest = json.loads(store.manifest_path.read_text("utf-8"))
    assert manifest["format"] == 1
    stored = manifest["series"]["nav.test"]
    assert stored["content_hash"] == entry.content_hash
    assert stored["file"] == entry.file
    assert stored["url"] == "https://example.test/table/1"
    assert stored["rows"] == 6


def test_a_dataset_without_provenance_round_trips(store: Store) -> None:
    ds = _dataset(V1)
    bare = Dataset(ds.frame, msgspec.structs.replace(ds.meta, provenance=None))
    entry = store.write("ssb.bare", bare)
    assert entry.url is None
    assert entry.retrieved is None
    out = store.read("ssb.bare")
    assert out.meta == bare.meta
    assert_frame_equal(out.frame, bare.frame)


def test_categorical_and_null_columns_round_trip(store: Store) -> None:
    frame = pl.DataFrame(
        {
            "region": pl.Series(["03", "11", "03"], dtype=pl.Categorical),
            "period": ["2024", "2024", "2025"],
            "value": [None, 1.5, float("nan")],
            "status": pl.Series([None, None, None], dtype=pl.String),
        }
    )
    ds = Dataset(frame, Metadata(dimensions=[]))
    store.write("ssb.cat", ds)
    assert_frame_equal(store.read("ssb.cat").frame, frame)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    rows=st.lists(
        st.tuples(
            st.text(min_size=0, max_size=6),
            st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
            st.one_of(st.none(), st.sampled_from(["*", "..", ".", ":"])),
            st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
        ),
        max_size=40,
    )
)
def test_random_frames_round_trip(
    tmp_path: Path, rows: list[tuple[str, float | None, str | None, date]]
) -> None:
    frame = pl.DataFrame(
        {
            "region": [r[0] for r in rows],
            "value": [r[1] for r in rows],
            "status": [r[2] for r in rows],
            "date": [r[3] for r in rows],
        },
        schema={"region": pl.String, "value": pl.Float64, "status": pl.String, "date": pl.Date},
    )
    store = Store(tmp_path / "hyp")
    entry = store.write("ssb.random", Dataset(frame, Metadata(dimensions=[])))
    assert entry.rows == len(rows)
    assert_frame_equal(store.read("ssb.random").frame, frame)


# --- reads ---------------------------------------------------------------------------------------


def test_read_cuts_by_period_and_codes(store: Store) -> None:
    store.write("nav.test", _dataset(V1))
    feb_on = store.read("nav.test", start="2024-02")
    assert feb_on.frame["period"].to_list() == ["2024M02", "2024M03", "2024M02", "2024M03"]
    upto_feb = store.read("nav.test", end="2024M02", filters={"region": ["11"]})
    assert upto_feb.frame.select("region", "period", "value").rows() == [
        ("11", "2024M01", 4.0),
        ("11", "2024M02", None),
    ]
    whole_year = store.read("nav.test", start="2024", end="2024")
    assert whole_year.frame.height == 6
    by_date = store.read("nav.test", start=date(2024, 3, 1), end=datetime(2024, 3, 31, tzinfo=UTC))
    assert by_date.frame["value"].to_list() == [3.0, 6.0]
    assert store.read("nav.test", start="2025").frame.height == 0


def test_read_cuts_by_period_codes_without_a_date_column(store: Store) -> None:
    frame = pl.DataFrame(
        {
            "period": ["2023K4", "2024K1", "2024K2", "2024K3"],
            "value": [1.0, 2.0, 3.0, 4.0],
        }
    )
    store.write("ssb.quarterly", Dataset(frame, Metadata(dimensions=[])))
    cut = store.read("ssb.quarterly", start="2024-01", end="2024-06-30")
    assert cut.frame["period"].to_list() == ["2024K1", "2024K2"]


def test_read_rejects_unknown_filters_and_bad_bounds(store: Store) -> None:
    store.write("nav.test", _dataset(V1))
    with pytest.raises(SelectionError) as info:
        store.read("nav.test", filters={"sex": ["1"]})
    assert str(info.value) == (
        "series 'nav.test' has no dimension 'sex' to filter on; "
        "its columns are region, period, date, value, status"
    )
    with pytest.raises(PeriodError):
        store.read("nav.test", start="last year")


def test_scan_is_lazy_and_pushes_filters_into_the_parquet_scan(store: Store) -> None:
    store.write("nav.test", _dataset(V1))
    lazy = store.scan("nav.test")
    assert isinstance(lazy, pl.LazyFrame)
    plan = (
        lazy.filter(pl.col("region") == "03").filter(pl.col("date") >= date(2024, 2, 1)).explain()
    )
    scan_line = plan.index("Parquet SCAN")
    selection = plan.index("SELECTION")
    assert selection > scan_line
    assert 'col("region") == "03"' in plan[selection:]
    assert "2024-02-01" in plan[selection:]
    assert "FILTER" not in plan  # nothing left to filter after the scan


def test_read_query_plan_is_pushed_down(store: Store) -> None:
    store.write("nav.test", _dataset(V1))
    plan = store.query("nav.test", start="2024M02", filters={"region": ["03"]}).explain()
    assert plan.startswith("Parquet SCAN")
    selection = plan[plan.index("SELECTION") :]
    assert "2024-02-01" in selection
    assert "is_in" in selection
    assert "FILTER" not in plan


def test_read_takes_metadata_and_rows_from_one_version(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that lands between reading the metadata and scanning the rows (another process
    syncing) does not give v1's metadata with v2's numbers: both follow one manifest read."""
    store.write("nav.test", _dataset(V1, label="v1"))
    read_metadata = Store.metadata

    def then_a_write(self: Store, series: str | store_mod.ManifestEntry) -> Metadata:
        meta = read_metadata(self, series)
        monkeypatch.setattr(Store, "metadata", read_metadata)
        store.write("nav.test", _dataset(V2, label="v2"))
        return meta

    monkeypatch.setattr(Store, "metadata", then_a_write)
    ds = store.read("nav.test")
    assert ds.meta.label == "v1"
    assert ds.frame["value"].to_list() == V1
    assert store.read("nav.test").frame["value"].to_list() == V2


def test_missing_series_says_how_to_get_it(store: Store) -> None:
    with pytest.raises(MissingDataError) as info:
        store.read("nav.helt_ledige")
    assert str(info.value) == (
        f"series 'nav.helt_ledige' is not in the local store at {store.path}; "
        "fetch it with `navdata sync nav.helt_ledige`"
    )
    assert isinstance(info.value, LookupError)
    with pytest.raises(MissingDataError):
        store.scan("nav.helt_ledige")


def test_corrupt_manifest_is_a_clear_store_error(store: Store) -> None:
    store.write("nav.test", _dataset(V1))
    store.manifest_path.write_text('{"format": 1, "series": {"nav.test": ', "utf-8")
    with pytest.raises(StoreError) as info:
        store.read("nav.test")
    message = str(info.value)
    assert message.startswith(f"the store manifest {store.manifest_path} is unreadable (")
    assert "Move it aside and run `navdata sync`" in message


def test_a_store_path_that_is_a_file_is_a_clear_store_error(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "store.txt"
    not_a_folder.write_text("synthetic: a file where the store folder should be", "utf-8")
    store = Store(not_a_folder)
    with pytest.raises(StoreError, match=r"the store must be a folder .*NAVDATA_STORE_DIR"):
        store.has("nav.helt_ledige")


def test_manifest_of_a_newer_format_is_refused(store: Store) -> None:
    store.path.mkdir(parents=True)
    store.manifest_path.write_text('{"format": 9, "series": {}}', "utf-8")
    with pytest.raises(StoreError, match="has format 9, this navdata reads format 1"):
        store.entries()


def test_a_missing_version_file_is_reported(store: Store) -> None:
    entry = store.write("nav.test", _dataset(V1))
    (store.path / "series" / "nav.test" / entry.file).unlink()
    with pytest.raises(
        StoreError, match=r"lists .*\.parquet for 'nav\.test' but the file is missing"
    ):
        store.read("nav.test")


def test_verify_detects_a_tampered_file(store: Store) -> None:
    entry = store.write("nav.test", _dataset(V1))
    path = store.path / "series" / "nav.test" / entry.file
    path.write_bytes(path.read_bytes() + b"x")
    assert not store.verify("nav.test")


def test_series_ids_cannot_escape_the_store(store: Store) -> None:
    for bad in ("../evil", "a/b", "..", ""):
        with pytest.raises(StoreError, match="cannot name a stored series"):
            store.write(bad, _dataset(V1))


# --- versions, removal ---------------------------------------------------------------------------


def test_new_version_replaces_old_and_keeps_two(store: Store) -> None:
    first = store.write("nav.test", _dataset(V1))
    second = store.write("nav.test", _dataset(V2))
    assert first.previous == []
    assert second.previous == [first.file]
    folder = store.path / "series" / "nav.test"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [first.file, first.meta_file, second.file, second.meta_file]
    )
    third = store.write("nav.test", _dataset([7.0] * 6))
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [second.file, second.meta_file, third.file, third.meta_file]
    )
    assert KEEP_VERSIONS == 2
    assert store.read("nav.test").frame["value"].to_list() == [7.0] * 6


def test_remove_forgets_a_series(store: Store) -> None:
    store.write("nav.test", _dataset(V1))
    store.write("nav.keep", _dataset(V2))
    store.remove("nav.test")
    assert not store.has("nav.test")
    assert not (store.path / "series" / "nav.test").exists()
    assert store.read("nav.keep").frame["value"].to_list() == V2
    with pytest.raises(MissingDataError):
        store.remove("nav.test")


# --- atomicity: failures injected at each step ---------------------------------------------------


def _assert_still_v1(store: Store, v1_entry: store_mod.ManifestEntry) -> None:
    assert store.entry("nav.test") == v1_entry
    assert store.read("nav.test").frame["value"].to_list() == V1
    folder = store.path / "series" / "nav.test"
    assert sorted(p.name for p in folder.iterdir()) == sorted([v1_entry.file, v1_entry.meta_file])
    assert _temp_files(store.path) == []
    assert not store.lock_path.exists()


def test_failed_parquet_encoding_leaves_previous_version(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    v1 = store.write("nav.test", _dataset(V1))

    def broken(frame: pl.DataFrame) -> bytes:
        raise OSError("disk full while encoding parquet")

    monkeypatch.setattr(store_mod, "_parquet_bytes", broken)
    with pytest.raises(OSError, match="disk full"):
        store.write("nav.test", _dataset(V2))
    _assert_still_v1(store, v1)


@pytest.mark.parametrize("failing_call", [1, 2, 3], ids=["parquet", "metadata", "manifest"])
def test_failed_rename_at_each_step_leaves_previous_version(
    store: Store, monkeypatch: pytest.MonkeyPatch, failing_call: int
) -> None:
    v1 = store.write("nav.test", _dataset(V1))
    real_replace = os.replace
    calls: list[str] = []

    def flaky(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls.append(Path(dst).name)
        if len(calls) == failing_call:
            raise OSError(f"injected failure renaming onto {Path(dst).name}")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(OSError, match="injected failure"):
        store.write("nav.test", _dataset(V2))
    monkeypatch.setattr(os, "replace", real_replace)
    assert calls[-1].endswith((".parquet", ".meta.json", "manifest.json")[failing_call - 1])
    _assert_still_v1(store, v1)


def test_failed_fsync_leaves_previous_version(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    v1 = store.write("nav.test", _dataset(V1))

    def broken_fsync(fd: int) -> None:
        raise OSError("fsync failed")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="fsync failed"):
        store.write("nav.test", _dataset(V2))
    monkeypatch.undo()
    _assert_still_v1(store, v1)


_CRASHING_WRITER = textwrap.dedent(
    """
    import os, sys
    from datetime import date
    import polars as pl
    from navdata.dataset import Dataset, Metadata
    from navdata.store import Store

    root, crash_at = sys.argv[1], int(sys.argv[2])
    frame = pl.DataFrame({"period": ["2024M01"], "value": [99.0]})
    calls = []
    real_replace = os.replace

    def crash(src, dst):
        calls.append(dst)
        if len(calls) == crash_at:
            os._exit(9)  # a hard crash: no cleanup, no finally blocks, lock left behind
        real_replace(src, dst)

    os.replace = crash
    Store(root).write("nav.test", Dataset(frame, Metadata(dimensions=[])))
    """
)


@pytest.mark.parametrize("crash_at", [1, 2, 3], ids=["parquet", "metadata", "manifest"])
def test_writer_killed_mid_write_leaves_previous_version(store: Store, crash_at: int) -> None:
    v1 = store.write("nav.test", _dataset(V1))
    result = subprocess.run(
        [sys.executable, "-c", _CRASHING_WRITER, str(store.path), str(crash_at)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_ROOT,
    )
    assert result.returncode == 9, result.stderr
    # The dead writer's lock and temp file may remain; the previous version is still current.
    assert store.entry("nav.test") == v1
    assert store.read("nav.test").frame["value"].to_list() == V1
    assert store.lock_path.exists()
    # The next write breaks the dead process's lock and clears what it left behind.
    v3 = store.write("nav.test", _dataset(V2))
    assert store.read("nav.test").frame["value"].to_list() == V2
    assert _temp_files(store.path) == []
    assert not store.lock_path.exists()
    folder = sorted(p.name for p in (store.path / "series" / "nav.test").iterdir())
    assert len(folder) == 2 * KEEP_VERSIONS
    assert v3.file in folder
    assert v1.file in folder


# --- locking -------------------------------------------------------------------------------------


def test_second_writer_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    first = Store(tmp_path / "s")
    second = Store(tmp_path / "s")
    with first.lock():
        with pytest.raises(StoreLockedError) as info:
            second.write("nav.test", _dataset(V1))
        message = str(info.value)
        assert message.startswith(
            f"the navdata store at {first.path} is locked by process {os.getpid()}"
        )
        assert f"delete {first.lock_path}" in message
        first.write("nav.test", _dataset(V1))  # the holder itself may write (re-entrant lock)
    assert not first.lock_path.exists()
    second.write("nav.test", _dataset(V2))
    assert first.read("nav.test").frame["value"].to_list() == V2


def test_writer_waits_for_the_lock_within_its_timeout(tmp_path: Path) -> None:
    holder = Store(tmp_path / "s")
    waiter = Store(tmp_path / "s", lock_timeout=10.0)
    acquired = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with holder.lock():
            acquired.set()
            release.wait(5)

    thread = threading.Thread(target=hold)
    thread.start()
    acquired.wait(5)
    timer = threading.Timer(0.2, release.set)
    timer.start()
    started = time.monotonic()
    waiter.write("nav.test", _dataset(V1))
    assert time.monotonic() - started >= 0.15
    thread.join()
    assert waiter.read("nav.test").frame["value"].to_list() == V1


def test_lock_of_a_dead_process_is_broken(tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    store.path.mkdir(parents=True)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    store.lock_path.write_text(
        json.dumps({"pid": int(dead.stdout), "host": socket.gethostname(), "since": "then"}),
        "utf-8",
    )
    store.write("nav.test", _dataset(V1))
    assert store.has("nav.test")


def test_lock_of_another_host_is_respected(tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    store.path.mkdir(parents=True)
    store.lock_path.write_text(
        json.dumps({"pid": 1, "host": "elsewhere", "since": "2026-01-01"}), "utf-8"
    )
    with pytest.raises(StoreLockedError, match="locked by process 1 on elsewhere since 2026-01-01"):
        store.write("nav.test", _dataset(V1))


_CONCURRENT_WRITER = textwrap.dedent(
    """
    import sys
    import polars as pl
    from navdata.dataset import Dataset, Metadata
    from navdata.store import Store

    root, name = sys.argv[1], sys.argv[2]
    store = Store(root, lock_timeout=60)
    for i in range(5):
        frame = pl.DataFrame({"period": ["2024M01"], "value": [float(i)], "writer": [name]})
        store.write(f"nav.{name}", Dataset(frame, Metadata(dimensions=[])))
        store.write("nav.shared", Dataset(frame, Metadata(dimensions=[])))
    """
)


def test_concurrent_writers_in_separate_processes_never_interleave(tmp_path: Path) -> None:
    root = tmp_path / "s"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _CONCURRENT_WRITER, str(root), name],
            cwd=REPO_ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    store = Store(root)
    assert sorted(store.entries()) == ["nav.a", "nav.b", "nav.shared"]
    for series_id in ("nav.a", "nav.b"):
        assert store.read(series_id).frame["value"].to_list() == [4.0]
        assert store.verify(series_id)
    shared = store.read("nav.shared").frame
    assert shared["value"].to_list() == [4.0]
    assert shared["writer"].item() in {"a", "b"}
    assert store.verify("nav.shared")
    assert _temp_files(root) == []
    assert not store.lock_path.exists()


def test_real_ssb_series_through_catalogue_and_store(store: Store) -> None:
    """Real 13760 response -> normalise -> store -> read by period code (no date column)."""
    raw = shared_path("fixtures", "ssb-real", "13760_data_no.json").read_bytes()
    ds = normalise(read_jsonstat(raw), describe("ssb.aku.unemployment_rate"))
    store.write("ssb.aku.unemployment_rate", ds)
    cut = store.read("ssb.aku.unemployment_rate", start="2026-07", filters={"sex": ["0"]})
    assert cut.frame.select("period", "value").rows() == [("2026M07", 4.2), ("2026M08", 4.5)]
    assert cut.meta.extension["series"] == "ssb.aku.unemployment_rate"
    assert cut.meta.dimension_ids == ["sex", "age", "adjustment", "period"]
