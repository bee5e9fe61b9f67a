"""The store on S3, for real: moto's S3 server on 127.0.0.1, reached by delta-rs and obstore.

The same guarantees as on a folder (test_store.py): versions, as-of reads, identical content
committing nothing, damaged objects reported, vacuum, crash between data file and commit, and
concurrent writers settled by S3's conditional put (one commit wins, the other re-reads).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import obstore
import polars as pl
import pytest
from deltalake.exceptions import CommitFailedError
from obstore.store import S3Store

from fakes.server import free_port
from moto_s3 import S3, moto_server
from navdata.errors import StoreError
from navdata.store import Store, _table
from navdata.sync import sync
from store_helpers import V1, V2, dataset

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def s3() -> Iterator[S3]:
    with moto_server() as server:
        yield server


@pytest.fixture
def store(s3: S3, monkeypatch: pytest.MonkeyPatch) -> Store:
    for name, value in s3.env().items():
        monkeypatch.setenv(name, value)
    return Store(f"s3://{s3.new_bucket()}/navdata/store")


def _objects(store: Store, s3: S3) -> S3Store:
    bucket, prefix = store.location.removeprefix("s3://").split("/", 1)
    return S3Store(
        bucket,
        prefix=prefix,
        aws_endpoint=s3.endpoint,
        aws_access_key_id="synthetic-test-key",
        aws_secret_access_key="synthetic-test-secret",
        aws_region="us-east-1",
        client_options={"allow_http": True},
    )


def _keys(store: Store, s3: S3, prefix: str) -> list[str]:
    return sorted(m["path"] for batch in obstore.list(_objects(store, s3), prefix) for m in batch)


def test_versions_as_of_and_unchanged_content_on_s3(store: Store, s3: S3) -> None:
    assert store.remote
    assert store.series_ids() == []
    first = store.write("nav.test", dataset(V1))
    assert store.write("nav.test", dataset(V1)) == first  # nothing committed
    check = store.checked("nav.test")
    assert check is not None
    assert check.outcome == "unchanged"
    second = store.write("nav.test", dataset(V2))
    assert [e.version for e in store.versions("nav.test")] == [0, 1]
    assert store.series_ids() == ["nav.test"]
    assert store.entries() == {"nav.test": second}
    assert store.read(store.entry("nav.test", as_of=first.written)).frame["value"].to_list() == V1
    assert store.read("nav.test").frame["value"].to_list() == V2
    assert store.read("nav.test", filters={"region": ["11"]}).frame["value"].to_list() == V2[3:]
    assert not store.is_current(first)
    assert store.is_current(second)
    assert all(c.ok for c in store.verify_files())
    keys = _keys(store, s3, "tables/nav.test")
    assert f"tables/nav.test/{first.file}" in keys
    assert "tables/nav.test/_delta_log/00000000000000000001.json" in keys
    # any Delta reader sees the same versions
    options = {**s3.env()}
    uri = f"{store.location}/tables/nav.test"
    assert pl.scan_delta(uri, version=0, storage_options=options).collect()["value"].to_list() == V1
    with pytest.raises(StoreError, match="no local folder"):
        _ = store.path


def test_a_damaged_object_on_s3_is_reported_and_repaired(store: Store, s3: S3) -> None:
    entry = store.write("nav.test", dataset(V1))
    obstore.put(_objects(store, s3), f"tables/nav.test/{entry.file}", b"synthetic garbage")
    with pytest.raises(StoreError) as info:
        store.read("nav.test")
    assert str(info.value).startswith(
        f"the data file {entry.file} of 'nav.test' (version 0) in the store at {store.location}"
    )
    assert "run `navdata sync nav.test`" in str(info.value)
    assert [(c.ok, c.problem) for c in store.verify_files()] == [
        (False, "its SHA-256 differs from the one recorded when it was written")
    ]
    repaired = store.write("nav.test", dataset(V1))
    assert repaired.version == 1
    assert store.read("nav.test").frame["value"].to_list() == V1


def test_vacuum_and_remove_on_s3(store: Store, s3: S3) -> None:
    first = store.write("nav.test", dataset(V1))
    second = store.write("nav.test", dataset(V2))
    removed = store.vacuum(timedelta(0))
    assert [(r.file, r.version) for r in removed] == [(first.file, 0)]
    assert f"tables/nav.test/{first.file}" not in _keys(store, s3, "tables/nav.test")
    assert store.read("nav.test").frame["value"].to_list() == V2
    assert store.entry("nav.test") == second
    store.remove("nav.test")
    assert store.series_ids() == []
    assert _keys(store, s3, "tables") == []
    assert store.checked("nav.test") is None


def test_a_losing_writer_on_s3_commits_after_the_winner(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The conflict is detected by S3's conditional put, not by a lock."""
    store.write("nav.test", dataset(V1))
    stale = _table.open_table(store._location, "nav.test")
    assert stale is not None
    Store(store.location).write("nav.test", dataset(V2, label="rival"))
    rejected = dataset([5.0] * 6)
    entry = store.versions("nav.test")[0]
    with pytest.raises(CommitFailedError, match="concurrent transaction"):
        _table.commit(store._location, entry, rejected.meta, rejected.frame, stale)
    mine = store.write("nav.test", dataset([7.0] * 6))
    assert mine.version == 2
    labels = [store.read(e).meta.label for e in store.versions("nav.test")]
    assert labels == ["synthetic", "rival", "synthetic"]


_WRITER = textwrap.dedent(
    """
    import sys
    import polars as pl
    from navdata.dataset import Dataset, Metadata
    from navdata.store import Store

    url, name = sys.argv[1], sys.argv[2]
    store = Store(url)
    for i in range(4):
        frame = pl.DataFrame({"period": ["2024M01"], "value": [float(i)], "writer": [name]})
        store.write("nav.shared", Dataset(frame, Metadata(dimensions=[])))
    """
)


def test_concurrent_writer_processes_on_s3_never_mix(
    store: Store, s3: S3, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {**dict(__import__("os").environ), **s3.env()}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, store.location, name],
            cwd=REPO_ROOT,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
    versions = store.versions("nav.shared")
    assert 4 <= len(versions) <= 8
    for entry in versions:
        frame = store.read(entry).frame
        assert frame.height == 1
        assert frame["writer"].item() in {"a", "b"}
    assert all(c.ok for c in store.verify_files())


_KILLED = textwrap.dedent(
    """
    import os, sys
    import polars as pl
    from navdata.dataset import Dataset, Metadata
    from navdata.store import Store, _table

    def killed(*args, **kwargs):
        os._exit(9)  # after the data object is uploaded, before the commit

    _table.commit = killed
    frame = pl.DataFrame({"period": ["2024M01"], "value": [99.0]})
    Store(sys.argv[1]).write("nav.test", Dataset(frame, Metadata(dimensions=[])))
    """
)


def test_a_writer_killed_before_its_commit_on_s3_leaves_the_previous_version(
    store: Store, s3: S3
) -> None:
    v1 = store.write("nav.test", dataset(V1))
    env = {**dict(__import__("os").environ), **s3.env()}
    result = subprocess.run(
        [sys.executable, "-c", _KILLED, store.location],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_ROOT,
        env=env,
    )
    assert result.returncode == 9, result.stderr
    data = [k for k in _keys(store, s3, "tables/nav.test") if k.endswith(".parquet")]
    assert len(data) == 2  # the killed writer's object is there, uncommitted
    assert store.entry("nav.test") == v1
    assert store.read("nav.test").frame["value"].to_list() == V1
    removed = store.vacuum(timedelta(0))
    assert [r.version for r in removed] == [None]  # the orphan, named by no version


def test_an_unreachable_bucket_is_a_clear_store_error(
    s3: S3, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in s3.env().items():
        monkeypatch.setenv(name, value)
    store = Store("s3://no-such-bucket-navdata/store")
    with pytest.raises(StoreError) as info:
        store.series_ids()
    assert str(info.value).startswith("cannot reach the store s3://no-such-bucket-navdata/store (")
    assert str(info.value).endswith(
        "check the bucket name and the AWS_* variables (AWS_ENDPOINT_URL, AWS_REGION, credentials)"
    )


def test_a_sync_that_cannot_reach_its_source_names_the_s3_store(
    store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The failure says where the series is missing: the bucket, which has no local folder.

    The message used to ask the store for its folder, which an S3 store does not have: the
    StoreError raised while reporting one series' failure stopped the whole sync.
    """
    monkeypatch.setenv("NAVDATA_SSB_URL", f"http://127.0.0.1:{free_port()}")  # refuses
    monkeypatch.setenv("NAVDATA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NAVDATA_OFFLINE", "0")
    report = sync(["ssb.aku.unemployment_rate"], store=store)
    [failed] = report.failed
    assert failed.error_type == "UpstreamUnreachableError"
    assert failed.error is not None
    assert failed.error.startswith("Statistisk sentralbyrå (SSB) could not be reached (")
    assert failed.error.endswith(f"; it is not in the local store at {store.location}")
