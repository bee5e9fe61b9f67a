"""The `navdata` command: in-process with click's CliRunner and as a real `python -m navdata`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from e2e_upstreams import KINDS, Upstreams, running
from navdata import __version__
from navdata.cli import cli, main

AKU = "ssb.aku.unemployment_rate"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(params=KINDS)
def ups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[Upstreams]:
    """The fakes with the real 13760 answer (skipped without ../shared) and its synthetic twin."""
    with running(tmp_path, monkeypatch, request.param) as started:
        yield started


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_sync_then_get_prints_the_exact_csv(ups: Upstreams) -> None:
    code, out, err = run("sync", AKU, "nav.helt_ledige", "--json")
    assert code == 0, err
    assert json.loads(out) == {
        "succeeded": [
            {"id": AKU, "rows": 3, "version": 0, "outcome": "new-version"},
            {"id": "nav.helt_ledige", "rows": 80, "version": 0, "outcome": "new-version"},
        ],
        "failed": [],
    }
    assert f"[1/2] {AKU}: ok 3 rows" in err
    code, out, _ = run("get", AKU)
    assert (code, out) == (0, ups.aku_csv())
    code, out, _ = run("get", "nav.helt_ledige", "--region", "1101", "--to", "2026M02",
                       "--format", "json")  # fmt: skip
    assert code == 0
    assert [(r["period"], r["value"]) for r in json.loads(out)] == [
        ("2026M01", 197.0),
        ("2026M02", 198.0),
    ]
    code, out, _ = run("get", AKU, "--filter", "sex=0", "--from", "2026M08", "--labels")
    assert code == 0
    assert (
        out.splitlines()[1]
        == f"0,15-74,S,Begge kjønn,15-74 år,Sesongjustert,2026M08,2026-08-01,{ups.rates[2]},"
    )


def test_get_writes_parquet_to_a_file(ups: Upstreams, tmp_path: Path) -> None:
    target = tmp_path / "aku.parquet"
    code, _, err = run("get", AKU, "--format", "parquet", "-o", str(target))
    assert code == 0, err
    assert pl.read_parquet(target)["value"].to_list() == ups.rates


def test_exit_codes_and_one_line_errors(ups: Upstreams, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = run("get", "ssb.aku.unemploymnet_rate")
    assert code == 3
    assert err.startswith("navdata: error: no series 'ssb.aku.unemploymnet_rate'")
    assert err.count("\n") == 1
    assert "Traceback" not in err
    code, _, err = run("get", AKU, "--filter", "kjonn=0")
    assert code == 2
    assert "valid names: sex, age, adjustment" in err
    code, _, err = run("get", AKU, "--from", "2026M13")
    assert code == 2
    code, _, err = run("get", "ssb.population")  # table 07459 is not in the fake: SSB says 404
    assert code == 5
    assert "Non-existent table" in err
    code, _, err = run("get", "ssb.aku.labour_force", "--offline")
    assert code == 4
    assert "run `navdata sync ssb.aku.labour_force` while online" in err
    code, _, err = run("sync", AKU, "ssb.population")
    assert code == 1
    assert "navdata: error: ssb.population: SSB answered 404" in err
    code, _, err = run("list", "--topic", "weather")
    assert code == 2
    assert "unknown topic 'weather'" in err
    code, _, _ = run("list", "--bogus")
    assert code == 2
    code, _, err = run("timeline", "--tag", "no-such-tag")
    assert code == 2


def test_list_describe_timeline_store_cache(ups: Upstreams) -> None:
    code, out, _ = run("list", "--source", "bundled", "--format", "json")
    assert code == 0
    assert len(json.loads(out)) == 6
    code, out, _ = run("list", "--format", "csv", "--topic", "disability")
    assert out.splitlines()[1].startswith("nav.uforetrygd.recipients,nav,disability,month,")
    code, out, _ = run("describe", AKU, "--lang", "en")
    assert code == 0
    assert out.splitlines()[0] == (
        f"{AKU}: Unemployment rate (Labour Force Survey), seasonally adjusted"
    )
    assert f"stored: no (run `navdata sync {AKU}`)" in out
    run("sync", "-q", AKU)
    code, out, _ = run("describe", AKU, "--format", "json")
    assert json.loads(out)["stored"]["rows"] == 3
    code, out, _ = run("store", "info", "--format", "json")
    assert [r["id"] for r in json.loads(out)] == [AKU]
    code, out, _ = run("cache", "info")
    assert f"cache: {ups.cache_dir}" in out
    entries = int(out.split("entries: ")[1].split()[0])
    assert entries >= 3
    code, out, _ = run("cache", "clear")
    assert out.startswith(f"removed {entries} cached answers")
    code, out, _ = run("timeline", "--tag", "trust-reform", "--format", "json", "--lang", "en")
    assert code == 0
    assert all("trust-reform" in m["tags"] for m in json.loads(out))


def test_help_version_and_exit_code_documentation() -> None:
    code, out, _ = run("--help")
    assert code == 0
    assert "Exit codes: 0 ok; 1 some series failed to sync; 2 usage error; 3 not found" in out
    assert "NAVDATA_STORE_DIR" in out
    for command in ("list", "describe", "get", "sync", "export", "timeline", "cache", "store"):
        assert run(command, "--help")[0] == 0
    assert run("--version") == (0, f"navdata, version {__version__}\n", "")
    assert main(["--version"]) == 0
    assert main(["get"]) == 2  # missing argument: click's usage error


def test_python_dash_m_navdata_syncs_and_gets_in_a_real_process(ups: Upstreams) -> None:
    env = {**os.environ, **ups.env()}

    def navdata(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "navdata", *args],
            env=env, cwd=REPO, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip

    synced = navdata("sync", AKU, "nav.helt_ledige")
    assert synced.returncode == 0, synced.stderr
    got = navdata("get", AKU)
    assert (got.returncode, got.stdout) == (0, ups.aku_csv())
    env["NAVDATA_OFFLINE"] = "1"
    offline = navdata("get", AKU, "--to", "2026M06")
    assert offline.stdout.splitlines()[1:] == [f"0,15-74,S,2026M06,2026-06-01,{ups.rates[0]},"]
    missing = navdata("get", "ssb.aku.employed")
    assert missing.returncode == 4
    assert missing.stderr.startswith("navdata: error: series 'ssb.aku.employed' is not in the")
    assert "Traceback" not in missing.stderr


def test_output_into_a_missing_folder_is_one_line_and_a_usage_exit(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "x.csv"
    code, out, err = run("get", "keyfig.uforetrygd_share", "-o", str(target))
    assert out == ""
    assert code == 2
    assert err.startswith(f"navdata: error: cannot write {target} (No such file or directory);")
    assert "Traceback" not in err
    assert not target.parent.exists()
