"""What works offline here: ``bundled``, ``stored <date>`` or ``needs sync``, in ``catalog()`` and
``navdata list``, read through the store's public ``entries()`` (SYNTHETIC stored series)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from click.testing import CliRunner

import navdata
from api.conftest import synthetic_helt_ledige
from navdata.cli import cli
from navdata.store import Store


def _store(tmp_path: Path) -> tuple[Store, str]:
    store = Store(tmp_path / "store")
    entry = store.write("nav.helt_ledige", synthetic_helt_ledige())
    return store, f"stored {entry.written.date().isoformat()}"


def test_catalog_says_what_is_bundled_stored_or_needs_a_sync(tmp_path: Path) -> None:
    store, stored = _store(tmp_path)
    frame = navdata.catalog(store=store)
    says = dict(frame.select("id", "availability").iter_rows())
    assert says["nav.helt_ledige"] == stored
    assert says["nav.helt_ledige.share"] == "needs sync"
    assert says["keyfig.uforetrygd_share"] == "bundled"
    assert set(says.values()) == {stored, "needs sync", "bundled"}
    assert frame.filter(pl.col("source") == "bundled")["availability"].unique().to_list() == [
        "bundled"
    ]
    assert (
        navdata.catalog(store=Store(tmp_path / "empty"))["availability"]
        .to_list()
        .count("needs sync")
        == frame.filter(pl.col("source") != "bundled").height
    )


def test_navdata_list_shows_it_and_searches(tmp_path: Path) -> None:
    store, stored = _store(tmp_path)
    env = {"NAVDATA_STORE_DIR": str(store.path), "NAVDATA_OFFLINE": "1"}
    runner = CliRunner(env=env)
    table = runner.invoke(cli, ["list", "--search", "helt ledige"])
    assert table.exit_code == 0, table.stderr
    lines = table.stdout.splitlines()
    assert "availability" in lines[2]  # after the shape and the top border
    rows = [ln for ln in lines if ln.startswith(("│ nav.", "│ ssb."))]
    assert [r.split("┆")[0].strip("│ ") for r in rows] == [
        "nav.helt_ledige",
        "nav.helt_ledige.share",
        "ssb.aku.unemployment_rate",
    ]
    assert stored in rows[0]
    assert "needs sync" in rows[1]
    listed = runner.invoke(cli, ["list", "--search", "ufore", "--format", "json"])
    assert [(r["id"], r["availability"]) for r in json.loads(listed.stdout)] == [
        ("keyfig.uforepensjon_recipients", "bundled"),
        ("nav.uforetrygd.recipients", "needs sync"),
        ("nav.uforetrygd.share", "needs sync"),
        ("keyfig.uforetrygd_share", "bundled"),
        ("ssb.population", "needs sync"),
    ]
    csv = runner.invoke(cli, ["list", "--source", "nav", "--format", "csv"])
    assert "nav.helt_ledige,nav,unemployment,month,landet fylke kommune," in csv.stdout
    assert csv.stdout.splitlines()[0].endswith(",breaks,availability")
    assert csv.stdout.splitlines()[1].endswith(f",{stored}")
