"""export_datapackage: a Frictionless Data Package that the frictionless validator accepts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import frictionless
import pytest
from click.testing import CliRunner

from e2e_upstreams import KINDS, Upstreams, running
from navdata.cli import cli
from navdata.datapackage import export_datapackage
from navdata.errors import InvalidArgumentError, MissingDataError

AKU = "ssb.aku.unemployment_rate"


@pytest.fixture(params=KINDS)
def ups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[Upstreams]:
    """The fakes with the real 13760 answer (skipped without ../shared) and its synthetic twin."""
    with running(tmp_path, monkeypatch, request.param) as started:
        yield started


def test_csv_package_validates_and_describes_every_column(ups: Upstreams, tmp_path: Path) -> None:
    path = export_datapackage([AKU, "nav.helt_ledige", "keyfig.nav_user_trust"], tmp_path / "pkg")
    report = frictionless.validate(str(path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads(path.read_text("utf-8"))
    assert descriptor["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0",
        }
    ]
    aku = descriptor["resources"][0]
    assert aku["name"] == "ssb.aku.unemployment-rate"
    assert aku["path"] == f"data/{AKU}.csv"
    assert aku["sources"] == [
        {"title": "Statistisk sentralbyrå (SSB)", "path": "https://www.ssb.no/statbank/table/13760"}
    ]
    assert [(f["name"], f["type"]) for f in aku["schema"]["fields"]] == [
        ("sex", "string"),
        ("age", "string"),
        ("adjustment", "string"),
        ("period", "string"),
        ("date", "date"),
        ("value", "number"),
        ("status", "string"),
    ]
    assert aku["schema"]["primaryKey"] == ["sex", "age", "adjustment", "period"]
    assert (path.parent / aku["path"]).read_text("utf-8").splitlines()[1] == (
        f"0,15-74,S,2026M06,2026-06-01,{ups.rates[0]},"
    )
    nav = descriptor["resources"][1]
    assert nav["schema"]["primaryKey"] == ["region", "period"]
    assert {s["title"] for s in descriptor["sources"]} == {
        "Statistisk sentralbyrå (SSB)",
        "Arbeids- og velferdsetaten (NAV)",
        "Arbeids- og velferdsdirektoratet (NAV), Personbrukerundersøkelsen",
    }


def test_validator_catches_a_broken_package(ups: Upstreams, tmp_path: Path) -> None:
    """The validation above can fail: a corrupted value is reported."""
    path = export_datapackage([AKU], tmp_path / "pkg")
    data = path.parent / "data" / f"{AKU}.csv"
    data.write_text(data.read_text("utf-8").replace(str(ups.rates[0]), "four"), "utf-8")
    assert not frictionless.validate(str(path)).valid


def test_parquet_package_and_atomic_replacement(ups: Upstreams, tmp_path: Path) -> None:
    target = tmp_path / "pkg"
    export_datapackage([AKU], target, format="parquet")
    descriptor = json.loads((target / "datapackage.json").read_text("utf-8"))
    assert descriptor["resources"][0]["path"] == f"data/{AKU}.parquet"
    assert descriptor["resources"][0]["format"] == "parquet"
    frictionless.Package(str(target / "datapackage.json"))  # the descriptor itself is valid
    export_datapackage(["nav.helt_ledige"], target, replace=True)  # replaces the package
    assert sorted(p.name for p in (target / "data").iterdir()) == ["nav.helt_ledige.csv"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me", "utf-8")
    with pytest.raises(InvalidArgumentError, match="will not write into it"):
        export_datapackage([AKU], other)
    assert (other / "notes.txt").read_text("utf-8") == "keep me"


def test_offline_export_of_a_missing_series_writes_nothing(ups: Upstreams, tmp_path: Path) -> None:
    with pytest.raises(MissingDataError):
        export_datapackage(["ssb.aku.employed"], tmp_path / "pkg", offline=True)
    assert not (tmp_path / "pkg").exists()


def test_cli_export(ups: Upstreams, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", AKU, "--to", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path / "out" / "datapackage.json")
    assert frictionless.validate(result.stdout.strip()).valid
