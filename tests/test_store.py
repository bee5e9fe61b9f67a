"""The store on a folder: exact round trips, versions, as-of reads, crash safety, lazy reads.

All frames here are synthetic (built by the tests); no real statistics are asserted. The same
store on S3 is tested in test_store_s3.py, the migration of old stores in
test_store_migration.py.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import msgspec
import polars as pl
import pytest
from deltalake import DeltaTable
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from navdata.dataset import Dataset, Metadata
from navdata.errors import (
    InvalidArgumentError,
    MissingDataError,
    PeriodError,
    SelectionError,
    StoreError,
)
from navdata.jsonstat import read_jsonstat
from navdata.series_catalog import describe, normalise
from navdata.store import ManifestEntry, Store, _table
from shared_files import shared_path
from store_helpers import V1, V2, dataset, table_files

REPO_ROOT = Path(__file__).resolve().parent.parent
RETRIEVED = datetime(2026, 10, 3, 8, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "store")


# --- round trip ----------------------------------------------------------------------------------


def test_write_read_round_trip_is_exact(store: Store) -> None:
    ds = dataset(V1)
    entry = store.write("nav.test", ds)
    out = store.read("nav.test")
    assert_frame_equal(out.frame, ds.frame)
    assert ds.meta.provenance is not None
    expected_meta = msgspec.structs.replace(
        ds.meta,
        provenance=msgspec.structs.replace(ds.meta.provenance, content_hash=entry.content_hash),
    )
    assert out.meta == expected_meta

    parquet = store.path / "tables" / "nav.test" / entry.file
    assert entry.content_hash == hashlib.sha256(parquet.read_bytes()).hexdigest()
    assert entry.size == parquet.stat().st_size
    assert entry.version == 0
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
    assert store.entry("nav.test") == entry
    assert store.entries() == {"nav.test": entry}
    assert store.has("nav.test")
    assert not store.has("nav.other")
    assert store.verify("nav.test")


def test_each_version_is_a_delta_table_commit_with_its_record(store: Store) -> None:
    """Other engines read the table as Delta Lake; the commit carries navdata's record."""

    first = store.write("nav.test", dataset(V1))
    second = store.write("nav.test", dataset(V2))
    table = DeltaTable(str(store.path / "tables" / "nav.test"))
    assert table.version() == 1
    assert table.metadata().configuration == {"delta.enableExpiredLogCleanup": "false"}
    commits = {c["version"]: c for c in table.history()}
    for entry in (first, second):
        record = msgspec.json.decode(commits[entry.version]["navdata.entry"], type=ManifestEntry)
        assert record.content_hash == entry.content_hash
        assert record.url == "https://example.test/table/1"
    assert pl.scan_delta(str(table.table_uri), version=0).collect()["value"].to_list() == V1
    assert pl.read_delta(str(table.table_uri))["value"].to_list() == V2


def test_a_dataset_without_provenance_round_trips(store: Store) -> None:
    ds = dataset(V1)
    bare = Dataset(ds.frame, msgspec.structs.replace(ds.meta, provenance=None))
    entry = store.write("ssb.bare", bare)
    assert entry.url is None
    assert entry.retrieved is None
    out = store.read("ssb.bare")
    assert out.meta == bare.meta
    assert_frame_equal(out.frame, bare.frame)


def test_categorical_and_null_columns_are_stored_as_text(store: Store) -> None:
    """Delta Lake has no categorical type: codes come back as text, values as they were."""
    frame = pl.DataFrame(
        {
            "region": pl.Series(["03", "11", "03"], dtype=pl.Categorical),
            "period": ["2024", "2024", "2025"],
            "value": [None, 1.5, float("nan")],
            "status": pl.Series([None, None, None], dtype=pl.String),
        }
    )
    store.write("ssb.cat", Dataset(frame, Metadata(dimensions=[])))
    expected = frame.with_columns(pl.col("region").cast(pl.String))
    assert_frame_equal(store.read("ssb.cat").frame, expected)


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
    store.write("ssb.random", Dataset(frame, Metadata(dimensions=[])))
    entry = store.entry("ssb.random")
    assert entry.rows == len(rows)
    assert_frame_equal(store.read("ssb.random").frame, frame)


# --- reads ---------------------------------------------------------------------------------------


def test_read_cuts_by_period_and_codes(store: Store) -> None:
    store.write("nav.test", dataset(V1))
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
    store.write("nav.test", dataset(V1))
    with pytest.raises(SelectionError) as info:
        store.read("nav.test", filters={"sex": ["1"]})
    assert str(info.value) == (
        "series 'nav.test' has no dimension 'sex' to filter on; "
        "its columns are region, period, date, value, status"
    )
    with pytest.raises(PeriodError):
        store.read("nav.test", start="last year")


def test_scan_is_lazy_and_pushes_filters_into_the_parquet_scan(store: Store) -> None:
    store.write("nav.test", dataset(V1))
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
    store.write("nav.test", dataset(V1))
    plan = store.query("nav.test", start="2024M02", filters={"region": ["03"]}).explain()
    assert plan.startswith("Parquet SCAN")
    selection = plan[plan.index("SELECTION") :]
    assert "2024-02-01" in selection
    assert "is_in" in selection
    assert "FILTER" not in plan


def test_read_takes_metadata_and_rows_from_one_version(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that lands between picking the version and reading (another process syncing)
    does not give v1's metadata with v2's numbers: both follow one pinned version."""
    store.write("nav.test", dataset(V1, label="v1"))
    real_query = Store.query

    def then_a_write(
        self: Store, series: str | ManifestEntry, *args: object, **kw: object
    ) -> object:
        monkeypatch.setattr(Store, "query", real_query)
        Store(store.path).write("nav.test", dataset(V2, label="v2"))
        return real_query(self, series, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "query", then_a_write)
    ds = store.read("nav.test")
    assert ds.meta.label == "v1"
    assert ds.frame["value"].to_list() == V1
    assert store.read("nav.test").frame["value"].to_list() == V2


def test_missing_series_says_how_to_get_it(store: Store) -> None:
    with pytest.raises(MissingDataError) as info:
        store.read("nav.helt_ledige")
    assert str(info.value) == (
        f"series 'nav.helt_ledige' is not in the store at {store.path}; "
        "fetch it with `navdata sync nav.helt_ledige`"
    )
    assert isinstance(info.value, LookupError)
    with pytest.raises(MissingDataError):
        store.scan("nav.helt_ledige")


def test_series_ids_cannot_escape_the_store(store: Store) -> None:
    for bad in ("../evil", "a/b", "..", ""):
        with pytest.raises(StoreError, match="cannot name a stored series"):
            store.write(bad, dataset(V1))


# --- bad locations -------------------------------------------------------------------------------


def test_a_store_path_that_is_a_file_is_a_clear_store_error(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "store.txt"
    not_a_folder.write_text("synthetic: a file where the store folder should be", "utf-8")
    store = Store(not_a_folder)
    message = (
        f"the store location {not_a_folder} is a file, not a folder; set NAVDATA_STORE_DIR to a "
        "folder navdata can read"
    )
    with pytest.raises(StoreError) as info:
        store.has("nav.helt_ledige")
    assert str(info.value) == message
    with pytest.raises(StoreError, match="is a file, not a folder"):
        store.write("nav.test", dataset(V1))


def test_a_store_folder_with_a_nul_byte_is_a_store_error_at_once(tmp_path: Path) -> None:
    # every os call on it raised a bare ValueError ("embedded null byte") before
    with pytest.raises(StoreError, match=r"holds a NUL byte, which no path may hold"):
        Store(f"{tmp_path}/a\x00b")


@pytest.mark.skipif(not Path("/sys").is_dir(), reason="needs Linux /sys, a folder no one writes")
def test_a_store_folder_that_cannot_be_written_is_a_clear_store_error() -> None:
    store = Store("/sys")  # even root cannot create files in sysfs
    assert store.series_ids() == []  # reading an empty store is fine
    with pytest.raises(StoreError) as info:
        store.write("nav.test", dataset(V1))
    assert str(info.value) == (
        "the store folder /sys cannot be written (Permission denied); "
        "set NAVDATA_STORE_DIR to a folder navdata can write"
    )
    cannot_create = Store("/sys/navdata-store")
    with pytest.raises(StoreError, match=r"cannot create the store folder /sys/navdata-store \("):
        cannot_create.write("nav.test", dataset(V1))


# --- versions and as-of --------------------------------------------------------------------------


def test_every_change_is_a_version_and_identical_content_commits_nothing(store: Store) -> None:
    first = store.write("nav.test", dataset(V1))
    again = store.write("nav.test", dataset(V1))
    assert again == first
    check = store.checked("nav.test")
    assert check is not None
    assert (check.version, check.outcome, check.source_updated) == (
        0,
        "unchanged",
        "2026-09-23T06:00:00Z",
    )
    second = store.write("nav.test", dataset(V2))
    assert second.version == 1
    checked = store.checked("nav.test")
    assert checked is not None
    assert checked.outcome == "new-version"
    assert [e.version for e in store.versions("nav.test")] == [0, 1]
    assert table_files(store.path, "nav.test") == sorted([first.file, second.file])
    assert store.read(store.entry("nav.test", as_of=0)).frame["value"].to_list() == V1
    assert store.read("nav.test").frame["value"].to_list() == V2


def test_as_of_picks_the_version_held_at_a_moment(store: Store) -> None:
    first = store.write("nav.test", dataset(V1))
    second = store.write("nav.test", dataset(V2))
    between = first.written + (second.written - first.written) / 2
    assert store.entry("nav.test", as_of=between) == first
    assert store.entry("nav.test", as_of=first.written) == first  # at the moment it was written
    assert store.entry("nav.test", as_of=second.written) == second
    assert store.entry("nav.test", as_of=second.written.date()) == second  # end of that day
    assert store.entry("nav.test", as_of="v0") == first
    assert store.entry("nav.test", as_of="1") == second
    naive = between.astimezone(UTC).replace(tzinfo=None)
    assert store.entry("nav.test", as_of=naive.isoformat()) == first  # naive text is UTC
    day_before = first.written.date() - timedelta(days=1)
    with pytest.raises(MissingDataError) as info:
        store.entry("nav.test", as_of=day_before)
    assert str(info.value) == (
        f"the store held no version of 'nav.test' as of {day_before.isoformat()}; its first "
        f"version was written {first.written.isoformat()}"
    )
    with pytest.raises(MissingDataError, match="has no version 7 in the store; its versions: 0, 1"):
        store.entry("nav.test", as_of=7)
    for bad in ("yesterday", True, -1, 2.5):
        with pytest.raises(InvalidArgumentError):
            store.entry("nav.test", as_of=bad)  # type: ignore[arg-type]


def test_a_changed_column_set_is_a_new_version_with_its_own_schema(store: Store) -> None:
    store.write("nav.test", dataset(V1))
    wider = dataset(V2)
    wider = Dataset(wider.frame.with_columns(pl.lit("x").alias("extra")), wider.meta)
    entry = store.write("nav.test", wider)
    assert entry.version == 1
    assert entry.columns == ["region", "period", "date", "value", "status", "extra"]
    assert store.read("nav.test").frame["extra"].to_list() == ["x"] * 6
    assert store.read(store.entry("nav.test", as_of=0)).frame.columns == entry.columns[:-1]


def test_remove_forgets_a_series_and_its_history(store: Store) -> None:
    store.write("nav.test", dataset(V1))
    store.write("nav.test", dataset(V2))
    store.write("nav.keep", dataset(V2))
    store.remove("nav.test")
    assert not store.has("nav.test")
    assert not (store.path / "tables" / "nav.test").exists()
    assert store.checked("nav.test") is None
    assert store.read("nav.keep").frame["value"].to_list() == V2
    with pytest.raises(MissingDataError):
        store.remove("nav.test")


def test_a_series_written_again_after_remove_is_its_new_content(store: Store) -> None:
    """The process remembers the newest version it saw; a removed table's is forgotten.

    The new table's first commit has the number the removed one had, so the remembered entry
    (whose file is gone) used to pass for it: write returned it and reads failed.
    """
    first = store.write("nav.test", dataset(V1))
    store.remove("nav.test")
    again = store.write("nav.test", dataset(V2))
    assert again.version == 0
    assert again.content_hash != first.content_hash
    assert store.read("nav.test").frame["value"].to_list() == V2
    assert Store(store.path).read("nav.test").frame["value"].to_list() == V2


# --- damaged files, verify, vacuum ---------------------------------------------------------------


def test_a_damaged_data_file_is_a_store_error_naming_file_and_repair(store: Store) -> None:
    entry = store.write("nav.test", dataset(V1))
    path = store.path / "tables" / "nav.test" / entry.file
    path.write_bytes(b"PAR1 synthetic garbage, not a parquet file" * 3)
    with pytest.raises(StoreError) as info:
        store.read("nav.test")
    message = str(info.value)
    assert message.startswith(
        f"the data file {entry.file} of 'nav.test' (version 0) in the store at {store.path} "
        "cannot be read ("
    )
    assert message.endswith(
        "run `navdata sync nav.test` to fetch it again as a new version, and "
        "`navdata store verify` to check the others"
    )
    assert not store.verify("nav.test")
    checks = store.verify_files()
    assert [(c.series_id, c.version, c.ok, c.problem) for c in checks] == [
        ("nav.test", 0, False, "its SHA-256 differs from the one recorded when it was written")
    ]
    # the repair: the same content synced again is a new version, since the current one is damaged
    repaired = store.write("nav.test", dataset(V1))
    assert repaired.version == 1
    assert repaired.content_hash == entry.content_hash
    check = store.checked("nav.test")
    assert check is not None
    assert check.outcome == "repaired"
    assert store.read("nav.test").frame["value"].to_list() == V1


def test_a_deleted_data_file_is_reported_by_read_and_verify(store: Store) -> None:
    entry = store.write("nav.test", dataset(V1))
    (store.path / "tables" / "nav.test" / entry.file).unlink()
    with pytest.raises(StoreError, match=r"cannot be read \(.*No such file"):
        store.read("nav.test")
    assert [c.problem for c in store.verify_files()] == ["the file is missing"]


def test_vacuum_removes_old_versions_files_and_says_which(store: Store) -> None:
    first = store.write("nav.test", dataset(V1))
    second = store.write("nav.test", dataset(V2))
    orphan = store.path / "tables" / "nav.test" / "part-00000-orphan-c000.zstd.parquet"
    orphan.write_bytes(b"left by a killed writer (synthetic)")
    assert store.vacuum(timedelta(days=365)) == []  # nothing replaced that long ago
    planned = store.vacuum(timedelta(0), dry_run=True)
    assert table_files(store.path, "nav.test") == sorted([first.file, second.file, orphan.name])
    removed = store.vacuum(timedelta(0))
    assert sorted((r.file, r.version) for r in removed) == sorted(
        [(first.file, 0), (orphan.name, None)]
    )
    assert sorted(planned, key=lambda r: r.file) == sorted(removed, key=lambda r: r.file)
    assert table_files(store.path, "nav.test") == [second.file]
    assert [e.version for e in store.versions("nav.test")] == [0, 1]  # the history stays
    with pytest.raises(StoreError, match="version 0"):
        store.read(store.entry("nav.test", as_of=0))
    assert store.read("nav.test").frame["value"].to_list() == V2
    third = store.write("nav.test", dataset(V1))  # vacuum's own commits do not confuse writes
    assert third.version > second.version
    assert store.entry("nav.test") == third


# --- crash safety and concurrent writers ---------------------------------------------------------


def test_a_failed_commit_leaves_the_previous_version(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:

    v1 = store.write("nav.test", dataset(V1))

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("injected: the disk went away during the commit")

    monkeypatch.setattr(_table, "commit", broken)
    with pytest.raises(OSError, match="injected"):
        store.write("nav.test", dataset(V2))
    monkeypatch.undo()
    assert store.entry("nav.test") == v1
    assert store.read("nav.test").frame["value"].to_list() == V1
    assert table_files(store.path, "nav.test") == [v1.file]  # its data file removed again


_KILLED_WRITER = textwrap.dedent(
    """
    import os, sys
    import polars as pl
    from navdata.dataset import Dataset, Metadata
    from navdata.store import Store, _table

    root = sys.argv[1]
    frame = pl.DataFrame({"period": ["2024M01"], "value": [99.0]})

    def killed(*args, **kwargs):
        os._exit(9)  # a hard crash after the data file is written, before the commit

    _table.commit = killed
    Store(root).write("nav.test", Dataset(frame, Metadata(dimensions=[])))
    """
)


def test_writer_killed_between_data_file_and_commit_leaves_previous_version(store: Store) -> None:
    v1 = store.write("nav.test", dataset(V1))
    result = subprocess.run(
        [sys.executable, "-c", _KILLED_WRITER, str(store.path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_ROOT,
    )
    assert result.returncode == 9, result.stderr
    assert len(table_files(store.path, "nav.test")) == 2  # its data file was written ...
    assert store.entry("nav.test") == v1  # ... but never committed
    assert store.read("nav.test").frame["value"].to_list() == V1
    v2 = store.write("nav.test", dataset(V2))  # the next writer is not hindered
    assert v2.version == 1
    removed = store.vacuum(timedelta(0))
    assert {r.version for r in removed} == {None, 0}  # the orphan and the replaced version


def test_a_writer_that_loses_a_race_commits_after_the_winner(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writer B read version 0, then A committed version 1: B's commit fails, B re-reads and
    commits its (different) content as version 2. Nothing is mixed."""

    store.write("nav.test", dataset(V1))
    real_commit = _table.commit
    raced: list[bool] = []

    def commit_after_a_rival(*args: object, **kwargs: object) -> None:
        if not raced:
            raced.append(True)
            Store(store.path).write("nav.test", dataset(V2, label="rival"))
        real_commit(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(_table, "commit", commit_after_a_rival)
    mine = store.write("nav.test", dataset([7.0] * 6, label="mine"))
    assert mine.version == 2
    history = store.versions("nav.test")
    assert [e.version for e in history] == [0, 1, 2]
    assert store.read(history[1]).meta.label == "rival"
    assert store.read(history[1]).frame["value"].to_list() == V2
    assert store.read(mine).frame["value"].to_list() == [7.0] * 6


def test_a_writer_that_loses_to_the_same_content_commits_nothing(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:

    store.write("nav.test", dataset(V1))
    real_commit = _table.commit
    raced: list[bool] = []

    def commit_after_a_twin(*args: object, **kwargs: object) -> None:
        if not raced:
            raced.append(True)
            Store(store.path).write("nav.test", dataset(V2))
        real_commit(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(_table, "commit", commit_after_a_twin)
    mine = store.write("nav.test", dataset(V2))
    assert mine.version == 1
    assert [e.version for e in store.versions("nav.test")] == [0, 1]
    check = store.checked("nav.test")
    assert check is not None
    assert check.outcome == "unchanged"
    assert len(table_files(store.path, "nav.test")) == 2  # its own copy removed again


_CONCURRENT_WRITER = textwrap.dedent(
    """
    import sys
    import polars as pl
    from navdata.dataset import Dataset, Metadata
    from navdata.store import Store

    root, name = sys.argv[1], sys.argv[2]
    store = Store(root)
    for i in range(5):
        frame = pl.DataFrame({"period": ["2024M01"], "value": [float(i)], "writer": [name]})
        store.write(f"nav.{name}", Dataset(frame, Metadata(dimensions=[])))
        store.write("nav.shared", Dataset(frame, Metadata(dimensions=[])))
    """
)


def test_concurrent_writers_in_separate_processes_never_mix(tmp_path: Path) -> None:
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
    assert store.series_ids() == ["nav.a", "nav.b", "nav.shared"]
    for series_id in ("nav.a", "nav.b"):
        assert store.read(series_id).frame["value"].to_list() == [4.0]
        assert [e.version for e in store.versions(series_id)] == [0, 1, 2, 3, 4]
    shared = store.versions("nav.shared")
    assert 5 <= len(shared) <= 10  # each of the 10 writes is a version unless its twin was
    for entry in shared:  # every version is one whole frame of one writer
        frame = store.read(entry).frame
        assert frame.height == 1
        assert frame["writer"].item() in {"a", "b"}
    assert all(c.ok for c in store.verify_files())


def test_real_ssb_series_through_catalogue_and_store(store: Store) -> None:
    """Real 13760 response -> normalise -> store -> read by period code (no date column)."""
    raw = shared_path("fixtures", "ssb-real", "13760_data_no.json").read_bytes()
    ds = normalise(read_jsonstat(raw), describe("ssb.aku.unemployment_rate"))
    store.write("ssb.aku.unemployment_rate", ds)
    cut = store.read("ssb.aku.unemployment_rate", start="2026-07", filters={"sex": ["0"]})
    assert cut.frame.select("period", "value").rows() == [("2026M07", 4.2), ("2026M08", 4.5)]
    assert cut.meta.extension["series"] == "ssb.aku.unemployment_rate"
    assert cut.meta.dimension_ids == ["sex", "age", "adjustment", "period"]


def test_every_version_stays_readable_past_a_delta_checkpoint(store: Store) -> None:
    """delta-rs writes a checkpoint every 100 commits; the first version's record and data
    are still read, by a Store that never saw them (its metadata comes from its own commit)."""
    first = store.write("nav.test", dataset(V1, label="first"))
    for i in range(100):  # version 100 is written with a checkpoint
        store.write("nav.test", dataset([float(i)] * 6))
    assert (store.path / "tables" / "nav.test" / "_delta_log" / "_last_checkpoint").exists()
    fresh = Store(store.path)
    assert [e.version for e in fresh.versions("nav.test")] == list(range(101))
    assert fresh.entry("nav.test", as_of=0) == first
    other = Store(store.path)  # has never read the history: metadata from version 0's commit
    assert other.metadata(first).label == "first"
    assert other.read(first).frame["value"].to_list() == V1
