"""Several series at once: ``navdata.get([...])`` -> ResultSet, ``.wide()``, ``navdata get A B``.

Bundled key figures are real sourced values (datasets/key_figures); the stored series are the
SYNTHETIC ones of tests/api/conftest.py (value = 100 * region index + month index + 0.5 for
helt ledige, 3 + month index / 100 for AKU; month index 0 = 2019M01).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

import navdata
from api.conftest import synthetic_aku, synthetic_helt_ledige
from navdata.cli import cli
from navdata.errors import InvalidArgumentError, SelectionError, UnknownSeriesError
from navdata.result import Result, ResultSet
from navdata.store import Store

UFORE, TRUST = "keyfig.uforetrygd_share", "keyfig.nav_user_trust"
HELT, AKU = "nav.helt_ledige", "ssb.aku.unemployment_rate"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    target = Store(tmp_path / "store")
    target.write(HELT, synthetic_helt_ledige())
    target.write(AKU, synthetic_aku())
    return target


def test_a_list_gives_one_long_frame_and_each_series_its_own_result() -> None:
    both = navdata.get([UFORE, TRUST])
    assert isinstance(both, ResultSet)
    assert both.series_ids == [UFORE, TRUST] == [r.series.id for r in both]
    assert len(both) == 2
    assert both.frame.columns[:5] == ["series_id", "period", "date", "value", "status"]
    assert both.frame.height == 12
    for series_id in (UFORE, TRUST):
        alone = navdata.get(series_id)
        assert isinstance(both[series_id], Result)
        rows = both.frame.filter(pl.col("series_id") == series_id).drop("series_id")
        assert rows.equals(alone.frame)
        assert both.provenance[series_id] == alone.provenance
    assert both.provenance[TRUST].table == TRUST  # type: ignore[union-attr]
    assert f"{UFORE}: 10 rows; per cent" in repr(both)


def test_wide_puts_the_series_side_by_side_by_period() -> None:
    wide = navdata.get([UFORE, TRUST], start="2018").wide()
    assert wide.columns == ["period", "date", UFORE, TRUST]
    assert wide.select("period", UFORE, TRUST).rows() == [
        ("2018", 10.0, None),
        ("2019", 10.3, None),
        ("2023", None, 71.0),
        ("2025", None, 76.0),
    ]
    assert wide.schema[UFORE] == pl.Float64


def test_a_series_without_rows_in_the_range_keeps_its_column() -> None:
    pension = "keyfig.uforepensjon_recipients"  # ends before 2013
    wide = navdata.get([UFORE, pension], start="2013", end="2014").wide()
    assert wide.select("period", UFORE, pension).rows() == [
        ("2013", 9.3, None),
        ("2014", 9.4, None),
    ]
    assert wide.schema[pension] == pl.Float64


def test_stored_series_with_different_dimensions(store: Store) -> None:
    both = navdata.get([HELT, AKU], start="2021M11", store=store, offline=True)
    assert both.frame.columns == [
        "series_id", "region", "sex", "age", "period", "date", "value", "status",
    ]  # fmt: skip
    aku_rows = both.frame.filter(pl.col("series_id") == AKU)
    assert aku_rows["region"].null_count() == 2
    wide = both.wide()
    assert wide.columns == [
        "period", "date",
        f"{HELT}[region=03]", f"{HELT}[region=11]", f"{HELT}[region=46]", f"{HELT}[region=50]",
        AKU,  # sex and age keep one code each: they do not lengthen the name
    ]  # fmt: skip
    assert wide.drop("date").rows() == [
        ("2021M11", 34.5, 134.5, 234.5, 334.5, 3.34),
        ("2021M12", 35.5, 135.5, 235.5, 335.5, 3.35),
    ]


def test_one_series_spreads_its_varying_dimension(store: Store) -> None:
    result = navdata.get(HELT, start="2021M12", store=store, offline=True)
    assert isinstance(result, Result)
    assert result.wide().drop("date").rows() == [("2021M12", 35.5, 135.5, 235.5, 335.5)]
    one = navdata.get(HELT, start="2021M12", region="03", store=store, offline=True)
    assert one.wide().columns == ["period", "date", HELT]


def test_filters_apply_to_every_series(store: Store) -> None:
    three = navdata.get([HELT], region=["03", "50"], end="2019M01", store=store, offline=True)
    assert three.frame.select("region", "value").rows() == [("03", 0.5), ("50", 300.5)]
    with pytest.raises(SelectionError, match=f"series {AKU!r} has no region dimension"):
        navdata.get([HELT, AKU], region="03", store=store, offline=True)


def test_ids_are_checked_before_anything_is_read(tmp_path: Path) -> None:
    empty = Store(tmp_path / "empty")
    # offline with an empty store: reading the first id would fail with MissingDataError
    with pytest.raises(UnknownSeriesError, match=r"did you mean nav\.helt_ledige"):
        navdata.get([HELT, "nav.helt_ledig"], store=empty, offline=True)
    with pytest.raises(InvalidArgumentError, match="not an empty list"):
        navdata.get([])
    assert navdata.get([TRUST, TRUST]).series_ids == [TRUST]


def test_wide_refuses_rows_that_would_share_a_cell() -> None:
    single = navdata.get(TRUST)
    doubled = Result(pl.concat([single.frame, single.frame]), single.meta, single.series)
    with pytest.raises(InvalidArgumentError, match="several values for one period"):
        doubled.wide()


def test_result_set_converts_and_writes_like_a_result(tmp_path: Path) -> None:
    both = navdata.get([UFORE, TRUST])
    pandas = both.to_pandas()
    assert list(pandas["series_id"].unique()) == [UFORE, TRUST]
    assert list(pandas["value"]) == both.frame["value"].to_list()
    written = both.write_csv(tmp_path / "both.csv")
    assert pl.read_csv(written)["series_id"].to_list() == both.frame["series_id"].to_list()


def test_cli_get_several_long_and_wide() -> None:
    runner = CliRunner()
    wide = runner.invoke(cli, ["get", UFORE, TRUST, "--from", "2019", "--wide"])
    assert wide.exit_code == 0, wide.stderr
    assert wide.stdout == (
        f"period,date,{UFORE},{TRUST}\n"
        "2019,2019-01-01,10.3,\n"
        "2023,2023-01-01,,71.0\n"
        "2025,2025-01-01,,76.0\n"
    )
    long = runner.invoke(cli, ["get", UFORE, TRUST, "--from", "2023", "--format", "json"])
    assert long.exit_code == 0, long.stderr
    assert '"series_id":"keyfig.nav_user_trust","period":"2023"' in long.stdout
    alone = runner.invoke(cli, ["get", TRUST, "--wide"])
    assert alone.stdout == f"period,date,{TRUST}\n2023,2023-01-01,71.0\n2025,2025-01-01,76.0\n"
    missing = runner.invoke(cli, ["get"])
    assert missing.exit_code == 2
