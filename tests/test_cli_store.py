"""``navdata store info|verify|vacuum`` and a broken store, from the command line.

Exit codes: 6 for a store that cannot be used (damaged file, a location that is a file or
cannot be written); 2 for a bad option. The store holds SYNTHETIC series.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from navdata.cli import EXIT_CODES, cli
from navdata.store import ManifestEntry, Store
from store_helpers import V1, V2, dataset

AKU = "ssb.aku.unemployment_rate"


@pytest.fixture
def stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Store, ManifestEntry]:
    monkeypatch.setenv("NAVDATA_STORE_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("NAVDATA_OFFLINE", "1")
    store = Store()
    store.write(AKU, dataset(V1))
    return store, store.write(AKU, dataset(V2))


def test_store_info_lists_the_current_version(stored: tuple[Store, ManifestEntry]) -> None:
    store, current = stored
    result = CliRunner().invoke(cli, ["store", "info", "--format", "json"])
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.output)
    assert (row["id"], row["version"], row["rows"], row["sha256"]) == (
        AKU,
        1,
        6,
        current.content_hash[:12],
    )
    assert row["checked"] is not None
    table = CliRunner().invoke(cli, ["store", "info"])
    assert table.output.startswith(f"store: {store.location} (1 series)")


def test_a_damaged_file_is_exit_6_naming_file_and_repair(
    stored: tuple[Store, ManifestEntry],
) -> None:
    store, current = stored
    clean = CliRunner().invoke(cli, ["store", "verify"])
    assert clean.exit_code == 0
    assert clean.output == f"store: {store.location}: 2 files checked, 0 damaged or missing\n"
    (store.path / "tables" / AKU / current.file).write_bytes(b"synthetic damage")
    got = CliRunner().invoke(cli, ["get", AKU])
    assert got.exit_code == EXIT_CODES["store"] == 6
    assert got.output.startswith(
        f"navdata: error: the data file {current.file} of '{AKU}' (version 1) in the store at "
        f"{store.location} cannot be read ("
    )
    assert f"run `navdata sync {AKU}` to fetch it again as a new version" in got.output
    verify = CliRunner().invoke(cli, ["store", "verify"])
    assert verify.exit_code == 6
    damaged = (
        f"navdata: error: {AKU} version 1: {current.file}: its SHA-256 differs from the one "
        f"recorded when it was written; run `navdata sync {AKU}` for a fresh version"
    )
    assert verify.output.splitlines() == [
        damaged,
        f"store: {store.location}: 2 files checked, 1 damaged or missing",
    ]
    old = CliRunner().invoke(cli, ["get", AKU, "--as-of", "0"])
    assert old.exit_code == 0  # the earlier version is intact


def test_vacuum_says_what_it_removed(stored: tuple[Store, ManifestEntry]) -> None:
    store, _ = stored
    first = store.versions(AKU)[0]
    keep = CliRunner().invoke(cli, ["store", "vacuum", "--older-than", "365d"])
    assert keep.exit_code == 0
    assert keep.output.endswith(
        "removed 0 files of versions replaced more than 365d ago; "
        "those versions stay listed but can no longer be read\n"
    )
    dry = CliRunner().invoke(cli, ["store", "vacuum", "--older-than", "0d", "--dry-run"])
    assert dry.output.splitlines()[0] == f"would remove {AKU}/{first.file} (version 0)"
    assert dry.output.splitlines()[-1].endswith(
        "would remove 1 files of versions replaced more than 0d ago; nothing was removed "
        "(--dry-run)"
    )
    assert (store.path / "tables" / AKU / first.file).exists()
    done = CliRunner().invoke(cli, ["store", "vacuum", "--older-than", "0d"])
    assert done.exit_code == 0
    assert done.output.splitlines()[0] == f"removed {AKU}/{first.file} (version 0)"
    assert not (store.path / "tables" / AKU / first.file).exists()
    bad = CliRunner().invoke(cli, ["store", "vacuum", "--older-than", "a year"])
    assert bad.exit_code == 2
    assert "takes a number and a unit, e.g. 365d" in bad.output


def test_a_store_location_that_is_a_file_is_the_same_error_everywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_folder = tmp_path / "store"
    not_a_folder.write_text("synthetic: a file, not a store", "utf-8")
    monkeypatch.setenv("NAVDATA_STORE_DIR", str(not_a_folder))
    monkeypatch.setenv("NAVDATA_SSB_URL", "http://127.0.0.1:9")  # never reached
    expected = (
        f"navdata: error: the store location {not_a_folder} is a file, not a folder; set "
        "NAVDATA_STORE_DIR to a folder navdata can "
    )
    for args, verb in (
        (["get", AKU], "read"),
        (["sync", AKU], "write"),
        (["store", "info"], "read"),
        (["versions", AKU], "read"),
        (["describe", AKU], "read"),
    ):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 6, (args, result.output)
        assert result.output == expected + verb + "\n", args
