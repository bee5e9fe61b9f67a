"""The bundled key figures: exact values as quoted in their sources, each with its source, and the
rules of values.csv (each tested by a case that fails when the rule is removed)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from navdata.errors import DatasetValidationError, UnknownSeriesError
from navdata.key_figures import (
    FLAGS,
    OBSERVATION_COLUMNS,
    KeyFigureSeries,
    key_figure,
    key_figure_series,
    parse_key_figure_values,
    printed_forms,
    value_in_quote,
)


def _all_frames() -> dict[str, pl.DataFrame]:
    return {series_id: key_figure(series_id).frame for series_id in key_figure_series()}


def test_every_series_loads_with_sourced_values() -> None:
    frames = _all_frames()
    for series_id, frame in frames.items():
        assert frame.height > 0, series_id
        assert frame["source_url"].str.starts_with("https://").all(), series_id
        assert frame["date"].is_sorted(), series_id
    assert sum(f.height for f in frames.values()) == 59


def test_the_frame_carries_unit_flags_and_quote_per_value() -> None:
    ds = key_figure("keyfig.nav_user_satisfaction")
    assert ds.frame.columns == ["period", "date", "value", "status", *OBSERVATION_COLUMNS]
    assert list(OBSERVATION_COLUMNS) == ["unit", "flags", "quote", "publisher", "source_url"]
    first = ds.frame.row(0, named=True)
    assert first["unit"] == "percent"
    assert first["flags"] == "yr?"
    assert "fra 77 prosent i fjor til 66 prosent i år" in first["quote"]
    # the flag meanings travel in the metadata, not only in a README
    assert ds.meta.extension["flags"] == dict(FLAGS)
    assert set(FLAGS) == {"pos", "sec", "yr?"}
    assert ds.meta.extension["observation_columns"] == list(OBSERVATION_COLUMNS)


def test_every_value_stands_in_its_own_quote() -> None:
    for series_id, frame in _all_frames().items():
        for row in frame.iter_rows(named=True):
            by_position = "pos" in (row["flags"] or "").split(";")
            assert value_in_quote(row["value"], row["quote"], by_position=by_position), (
                series_id,
                row["period"],
            )


def test_the_flags_say_the_truth() -> None:
    frames = _all_frames()
    # tables read by column position
    for series_id in (
        "keyfig.aku_unemployment_rate_annual",
        "keyfig.uforetrygd_share",
        "keyfig.uforepensjon_recipients",
        "keyfig.sickness_absence_quarterly_2006_2011",
    ):
        assert set(frames[series_id]["flags"].to_list()) == {"pos"}, series_id
    flags = {
        (series_id, period): flag
        for series_id in ("keyfig.nav_user_satisfaction", "keyfig.nav_user_trust")
        for period, flag in frames[series_id].select("period", "flags").iter_rows()
    }
    assert flags == {
        # NAV's own news item, but 'i fjor' / 'i år' give the years
        ("keyfig.nav_user_satisfaction", "2019"): "yr?",
        ("keyfig.nav_user_satisfaction", "2020"): "yr?",
        # a newspaper restating NAV, the survey year taken from the article's date
        ("keyfig.nav_user_satisfaction", "2023"): "sec;yr?",
        ("keyfig.nav_user_trust", "2023"): "sec;yr?",
        # NAV's own report, year printed
        ("keyfig.nav_user_satisfaction", "2025"): None,
        ("keyfig.nav_user_trust", "2025"): None,
    }


def test_aku_annual_values_match_the_quoted_tables() -> None:
    frame = key_figure("keyfig.aku_unemployment_rate_annual").frame
    values = dict(zip(frame["period"], frame["value"], strict=True))
    assert values == {
        "2006": 3.4, "2007": 2.5, "2009": 3.2, "2010": 3.6, "2011": 3.3, "2012": 3.2,
        "2013": 3.5, "2014": 3.5, "2019": 3.7, "2020": 4.6,
    }  # fmt: skip
    assert "2008" not in values  # a gap in the sources stays a gap
    assert "2021" not in values  # the page behind 2021-2022 could not be re-read


def test_quarterly_sickness_absence_has_dates_and_23_quarters() -> None:
    ds = key_figure("keyfig.sickness_absence_quarterly_2006_2011")
    frame = ds.frame
    assert frame.height == 23
    last = frame.row(-1, named=True)
    assert last["period"] == "2011K3"
    assert last["date"] == dt.date(2011, 7, 1)
    assert last["value"] == 6.6
    assert ds.meta.extension["frequency"] == "quarter"
    assert ds.meta.provenance is not None
    assert ds.meta.provenance.licence == "CC BY 4.0"


def test_uforepensjon_counts_are_integers_as_published() -> None:
    frame = key_figure("keyfig.uforepensjon_recipients").frame
    assert frame.filter(pl.col("period") == "2003")["value"].item() == 301214
    assert frame.filter(pl.col("period") == "2012")["value"].item() == 309887
    assert set(frame["unit"].to_list()) == {"persons"}


def test_unknown_key_figure_names_the_known_ones() -> None:
    with pytest.raises(UnknownSeriesError, match=r"keyfig\.nav_user_trust"):
        key_figure("keyfig.nope")


# --- the rules of values.csv ---------------------------------------------------------------------

SERIES = {
    "keyfig.test": KeyFigureSeries(
        id="keyfig.test",
        title_nb="Test",
        title_en="Test",
        unit="percent",
        frequency="year",
        publisher="SSB",
    )
}
HEADER = "series_id,period,value,unit,publisher,source_url,quote,flags\n"
VALID_ROW = 'keyfig.test,2019,3.7,percent,SSB,https://ssb.no/x,"Begge kjønn I alt 3,7 prosent",\n'


def test_a_valid_file_parses() -> None:
    frame = parse_key_figure_values(HEADER + VALID_ROW, series=SERIES, origin="t.csv")
    assert frame.row(0, named=True)["value"] == 3.7


@pytest.mark.parametrize(
    ("old", "new", "rule"),
    [
        ("https://ssb.no/x", "http://ssb.no/x", "https-source"),
        ("https://ssb.no/x", "", "https-source"),
        (",\n", ",xyz\n", "known-flags"),
        (",\n", ",pos;\n", "known-flags"),
        (",\n", ",POS\n", "known-flags"),
        ('"Begge kjønn I alt 3,7 prosent"', '""', "quote"),
        ("I alt 3,7 prosent", "I alt 3,8 prosent", "value-in-quote"),
        ("I alt 3,7 prosent", "I alt 3.7 prosent", "value-in-quote"),  # no decimal point
        ("I alt 3,7 prosent", "I alt 13,7 prosent", "value-in-quote"),  # inside a longer number
        ("percent,SSB", "persons,SSB", "unit"),
        ("keyfig.test,2019", "keyfig.other,2019", "described-series"),
    ],
)
def test_each_rule_names_the_row_and_the_rule(old: str, new: str, rule: str) -> None:
    assert old in VALID_ROW
    broken = HEADER + VALID_ROW.replace(old, new, 1)
    with pytest.raises(DatasetValidationError) as info:
        parse_key_figure_values(broken, series=SERIES, origin="t.csv")
    assert str(info.value).startswith("t.csv: key figure ")
    assert f"breaks rule {rule!r}" in str(info.value)


def test_a_period_is_listed_once() -> None:
    with pytest.raises(DatasetValidationError, match="breaks rule 'unique-period'"):
        parse_key_figure_values(HEADER + VALID_ROW + VALID_ROW, series=SERIES)


def test_a_value_read_by_position_may_run_into_its_neighbours() -> None:
    run_together = VALID_ROW.replace("I alt 3,7 prosent", "Begge kjønn3,74,6")
    with pytest.raises(DatasetValidationError, match="breaks rule 'value-in-quote'"):
        parse_key_figure_values(HEADER + run_together, series=SERIES)
    by_position = run_together.replace(",\n", ",pos\n")
    assert parse_key_figure_values(HEADER + by_position, series=SERIES).height == 1


def test_a_broken_file_is_a_validation_error() -> None:
    with pytest.raises(DatasetValidationError, match="not a valid key-figure file"):
        parse_key_figure_values(HEADER + "keyfig.test,2019,three,percent\n", series=SERIES)


@pytest.mark.parametrize(
    ("value", "quote"),
    [
        (297485.0, "I alt | 301 214 | 302 369 | 300 877 | 297 485 |"),
        (80600.0, "I snitt var 80.600 personer registrert som helt ledige"),
        (10.0, "9,6 10,0 10,3"),
        (71.0, "71 prosent svarer at de har tillit til Nav."),
        (6.41, "Egenmeldt og legemeldt6,41"),
    ],
)
def test_the_ways_sources_print_numbers(value: float, quote: str) -> None:
    assert value_in_quote(value, quote, by_position="6,41" in quote)


def _norwegian(value: int, decimals: int) -> str:
    whole, fraction = divmod(value, 10**decimals)
    text = f"{whole:,}".replace(",", " ")
    return f"{text},{fraction:0{decimals}d}" if decimals else text


@given(st.integers(min_value=0, max_value=99_999_999), st.integers(min_value=0, max_value=2))
def test_a_number_printed_the_norwegian_way_is_found(value: int, decimals: int) -> None:
    number = value / 10**decimals
    printed = _norwegian(value, decimals)
    assert value_in_quote(number, f"I alt {printed} personer", by_position=False)
    assert printed in printed_forms(number) or printed.rstrip("0").rstrip(",") in printed_forms(
        number
    )


@given(st.integers(min_value=1, max_value=99_999), st.integers(min_value=1, max_value=2))
def test_a_decimal_point_is_never_taken_for_a_decimal_comma(value: int, decimals: int) -> None:
    number = value / 10**decimals
    if number != int(number):
        assert not value_in_quote(number, f"I alt {number} prosent", by_position=False)


def test_the_flag_tables_in_the_docs_say_what_the_metadata_says() -> None:
    """The README and the HTTP API page list every flag with the meaning the frame's metadata
    carries (quotes around 'i fjor' may differ in style)."""
    root = Path(__file__).resolve().parent.parent
    for page in (root / "datasets/key_figures/README.md", root / "docs/http-api.md"):
        text = page.read_text(encoding="utf-8").replace('"', "'")
        for code, meaning in FLAGS.items():
            assert f"| `{code}` | {meaning} |" in text, (page.name, code)
