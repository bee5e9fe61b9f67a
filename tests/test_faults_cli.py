"""Issue 13 on the command line and in Python: nothing lost, nothing cryptic.

Every test here runs without ../shared: the bundled key figures need no store, and the fake
upstreams serve the SYNTHETIC twin of table 13760 and a SYNTHETIC HL060 workbook.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from e2e_upstreams import Upstreams, running
from navdata.access import get
from navdata.cli import cli
from navdata.datapackage import export_datapackage
from navdata.errors import (
    InvalidArgumentError,
    MissingDataError,
    SelectionError,
    UnknownSeriesError,
)
from navdata.milestones import timeline
from navdata.sync import sync

TRUST = "keyfig.nav_user_trust"
SHARE = "keyfig.uforetrygd_share"
AKU = "ssb.aku.unemployment_rate"


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No network, an empty store: only the bundled key figures can be read."""
    monkeypatch.setenv("NAVDATA_OFFLINE", "1")
    monkeypatch.setenv("NAVDATA_STORE_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("NAVDATA_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


@pytest.fixture
def ups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Upstreams]:
    with running(tmp_path, monkeypatch, "synthetic") as started:
        yield started


def files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


# --- export never deletes what it did not write --------------------------------------------------


def test_export_into_an_earlier_package_is_refused_without_replace(offline: Path) -> None:
    """The issue's run: export A, add NOTES.md, export B: NOTES.md and A were gone."""
    pkg = offline / "pkg"
    assert run("export", TRUST, "--to", pkg)[0] == 0
    (pkg / "NOTES.md").write_text("my notes", "utf-8")
    before = files(pkg)
    code, out, err = run("export", SHARE, "--to", pkg)
    assert (code, out) == (2, "")
    assert err == (
        f"navdata: error: {pkg} already holds a data package; navdata replaces one only when "
        "asked (--replace), and then removes only the files that package lists, keeping any "
        "others. Choose an empty or new --to folder.\n"
    )
    assert (
        files(pkg) == before == ["NOTES.md", "data/keyfig.nav_user_trust.csv", "datapackage.json"]
    )
    with pytest.raises(InvalidArgumentError, match=r"only when asked \(replace=True\)"):
        export_datapackage(SHARE, pkg)
    assert files(pkg) == before


def test_replace_removes_only_the_earlier_packages_own_files(offline: Path) -> None:
    pkg = offline / "pkg"
    export_datapackage([TRUST, SHARE], pkg)
    (pkg / "NOTES.md").write_text("my notes", "utf-8")
    (pkg / "data" / "mine.csv").write_text("a,b\n1,2\n", "utf-8")
    code, out, err = run("export", SHARE, "--to", pkg, "--replace")
    assert code == 0, err
    assert out == f"{pkg / 'datapackage.json'}\n"
    assert files(pkg) == [
        "NOTES.md",
        "data/keyfig.uforetrygd_share.csv",
        "data/mine.csv",
        "datapackage.json",
    ]
    descriptor = json.loads((pkg / "datapackage.json").read_text("utf-8"))
    assert [r["path"] for r in descriptor["resources"]] == [f"data/{SHARE}.csv"]
    assert (pkg / "NOTES.md").read_text("utf-8") == "my notes"
    assert [p.name for p in offline.iterdir() if p.name.startswith(".")] == []


def test_replace_never_overwrites_or_deletes_a_file_the_package_does_not_list(
    offline: Path,
) -> None:
    pkg = offline / "pkg"
    export_datapackage(TRUST, pkg)
    mine = pkg / "data" / f"{SHARE}.csv"  # where the new package would write
    mine.write_text("mine", "utf-8")
    with pytest.raises(InvalidArgumentError, match=rf"holds data/{SHARE}\.csv, which the package"):
        export_datapackage(SHARE, pkg, replace=True)
    assert mine.read_text("utf-8") == "mine"
    # a descriptor edited to list a file outside the package never gets that file deleted
    outside = offline / "outside.txt"
    outside.write_text("keep", "utf-8")
    descriptor = json.loads((pkg / "datapackage.json").read_text("utf-8"))
    descriptor["resources"].append({"name": "x", "path": "../outside.txt"})
    descriptor["resources"].append({"name": "y", "path": str(outside)})
    (pkg / "datapackage.json").write_text(json.dumps(descriptor), "utf-8")
    mine.unlink()
    export_datapackage(SHARE, pkg, replace=True)
    assert outside.read_text("utf-8") == "keep"
    assert files(pkg) == [f"data/{SHARE}.csv", "datapackage.json"]


# --- get -o: the extension decides the format ----------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".json", ".ndjson"])
def test_get_writes_the_format_its_file_name_says(offline: Path, suffix: str) -> None:
    """``-o out.parquet`` used to get CSV text under that name."""
    target = offline / f"share{suffix}"
    code, out, err = run("get", SHARE, "--from", "2018", "-o", target)
    assert (code, out, err) == (0, "", "")
    if suffix == ".csv":
        frame = pl.read_csv(target, schema_overrides={"period": pl.String})
    elif suffix == ".parquet":
        frame = pl.read_parquet(target)
    elif suffix == ".json":
        frame = pl.DataFrame(json.loads(target.read_text("utf-8")))
    else:
        frame = pl.read_ndjson(target)
    # NAV's table of uføretrygd recipients as a share of the population: 2018 10,0; 2019 10,3
    assert frame.select("period", "value").rows() == [("2018", 10.0), ("2019", 10.3)]


def test_get_refuses_an_unknown_extension_or_a_format_that_disagrees(offline: Path) -> None:
    xlsx = offline / "share.xlsx"
    code, _, err = run("get", SHARE, "-o", xlsx)
    assert code == 2
    assert err == (
        f"navdata: error: cannot tell which format to write to {xlsx} from its extension; name "
        "the file .csv, .parquet, .json, .ndjson\n"
    )
    parquet = offline / "share.parquet"
    code, _, err = run("get", SHARE, "--format", "csv", "-o", parquet)
    assert code == 2
    assert "--format csv does not match" in err
    assert not xlsx.exists()
    assert not parquet.exists()
    assert run("get", SHARE, "--format", "parquet", "-o", parquet)[0] == 0
    assert pl.read_parquet(parquet).height == 10


# --- a reversed range is refused everywhere ------------------------------------------------------


def test_a_reversed_timeline_range_is_refused_in_each_surfaces_words(offline: Path) -> None:
    code, out, err = run("timeline", "--from", "2025", "--to", "2020")
    assert (code, out) == (2, "")
    assert err == "navdata: error: --from 2025 comes after --to 2020; swap them\n"
    with pytest.raises(InvalidArgumentError, match=r"^start=2025 comes after end=2020; swap them$"):
        timeline(start="2025", end="2020")
    assert run("get", SHARE, "--from", "2019", "--to", "2015")[2] == (
        "navdata: error: --from 2019 comes after --to 2015; swap them\n"
    )
    assert timeline(start="2020", end="2020").height == timeline(start=2020, end=2020).height > 0


# --- the CLI speaks CLI, Python speaks Python ----------------------------------------------------


def test_sync_without_ids_names_the_cli_or_the_python_way(offline: Path) -> None:
    code, _, err = run("sync")
    assert code == 2
    assert err == (
        "navdata: error: name the series to sync (see `navdata list`), or use --all for every one\n"
    )
    with pytest.raises(InvalidArgumentError, match=r"see navdata\.catalog\(\)\), or pass all=True"):
        sync([])
    code, _, err = run("sync", TRUST)
    assert "read it with `navdata get keyfig.nav_user_trust`" in err
    with pytest.raises(InvalidArgumentError, match=r"read it with navdata\.get\('keyfig"):
        sync([TRUST])


def test_missing_offline_and_unknown_ids_in_each_surfaces_words(offline: Path) -> None:
    code, _, err = run("get", "ssb.aku.employed")
    assert code == 4
    assert "is offline (--offline or NAVDATA_OFFLINE=1); run `navdata sync ssb.aku.employed`" in err
    with pytest.raises(MissingDataError, match=r"\(offline=True or NAVDATA_OFFLINE=1\); run navd"):
        get("ssb.aku.employed")
    code, _, err = run("get", "zzz")
    assert (code, err) == (
        3,
        "navdata: error: no series 'zzz' in the catalogue; see `navdata list` for every id\n",
    )
    with pytest.raises(UnknownSeriesError, match=r"see navdata\.catalog\(\) for every id"):
        get("zzz")


# --- an unusable cache warns once and the work goes on -------------------------------------------


def test_a_cache_folder_that_is_a_file_warns_once_and_sync_succeeds(
    ups: Upstreams, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``NAVDATA_CACHE_DIR`` naming a file made every fetch fail with [Errno 20]."""
    in_the_way = tmp_path / "cache-file"
    in_the_way.write_text("not a folder", "utf-8")
    monkeypatch.setenv("NAVDATA_CACHE_DIR", str(in_the_way))
    code, _, err = run("sync", "-q", AKU, "nav.helt_ledige")
    assert code == 0, err
    assert err == (
        f"navdata: warning: the HTTP cache at {in_the_way} cannot be used (Not a directory); "
        "navdata goes on without a cache, so answers are fetched again each time. Set "
        "NAVDATA_CACHE_DIR to a folder you can write\n"
    )
    assert run("get", AKU, "--offline")[1] == ups.aku_csv()


# --- a region asked for with --harmonise is checked as without it --------------------------------


def test_a_region_code_is_checked_with_harmonise_as_without_it(ups: Upstreams) -> None:
    """``--region 30 --harmonise 2024`` printed nothing with success; ``--region 30`` errs."""
    assert run("sync", "-q", "nav.helt_ledige")[0] == 0
    code, _, err = run("get", "nav.helt_ledige", "--region", "30")
    assert (code, "holds no region '30'" in err) == (2, True)
    code, out, err = run("get", "nav.helt_ledige", "--region", "30", "--harmonise", "2024")
    assert (code, out) == (2, "")
    assert err == (
        "navdata: error: region '30' is not a code of the structure of 2024-01-01 that "
        "--harmonise 2024 re-codes to; there it is 31, 32, 33: ask for those\n"
    )
    code, _, err = run("get", "nav.helt_ledige", "--region", "77", "--harmonise", "2024")
    assert code == 2
    assert "series 'nav.helt_ledige' holds no region '77' when harmonised to 2024" in err
    with pytest.raises(SelectionError, match=r"harmonise=2024 re-codes to"):
        get("nav.helt_ledige", region="30", harmonise="2024")
    code, _, err = run("get", "nav.helt_ledige", "--region", "fylke", "--region", "0301")
    assert (code, err.startswith("navdata: error: --region takes codes or levels")) == (2, True)
    plain = run("get", "nav.helt_ledige", "--region", "1101")
    harmonised = run("get", "nav.helt_ledige", "--region", "1101", "--harmonise", "2024")
    assert plain[0] == harmonised[0] == 0
    assert len(harmonised[1].splitlines()) == len(plain[1].splitlines()) > 1


# --- bundled provenance: the same date in Python, the CLI and the API -------------------------


def test_describe_gives_a_bundled_series_its_research_date(offline: Path) -> None:
    code, out, _ = run("describe", SHARE, "--lang", "en")
    assert code == 0
    assert out.splitlines()[-1] == (
        "bundled with navdata: retrieved 2026-11-28 (the day the figures were read in their "
        "sources); each value cites its own source (source_url, quote)"
    )
    described = json.loads(run("describe", SHARE, "--format", "json")[1])
    assert described["retrieved"] == "2026-11-28T00:00:00Z"
    assert "stored" not in described
