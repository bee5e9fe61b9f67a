"""Exact, hand-checked behaviour of period codes (edge cases: week 53, bad months, quarters)."""

from __future__ import annotations

import time
from datetime import date, datetime

import polars as pl
import pytest

from navdata.errors import PeriodError
from navdata.periods import (
    Period,
    canonical,
    frequencies,
    ordinals,
    parse_bound,
    parse_period,
    period_of,
    shift,
    to_dates,
    with_dates,
)


@pytest.mark.parametrize(
    ("code", "frequency", "start", "end"),
    [
        ("2024", "year", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024H1", "half", date(2024, 1, 1), date(2024, 6, 30)),
        ("2024H2", "half", date(2024, 7, 1), date(2024, 12, 31)),
        ("2024K3", "quarter", date(2024, 7, 1), date(2024, 9, 30)),
        ("2024Q3", "quarter", date(2024, 7, 1), date(2024, 9, 30)),
        ("2024K1", "quarter", date(2024, 1, 1), date(2024, 3, 31)),
        ("2024T2", "tertial", date(2024, 5, 1), date(2024, 8, 31)),
        ("2024T3", "tertial", date(2024, 9, 1), date(2024, 12, 31)),
        ("2024M02", "month", date(2024, 2, 1), date(2024, 2, 29)),
        ("2023M02", "month", date(2023, 2, 1), date(2023, 2, 28)),
        ("2024M3", "month", date(2024, 3, 1), date(2024, 3, 31)),
        ("2024M12", "month", date(2024, 12, 1), date(2024, 12, 31)),
        # ISO week 1 of 2024 starts on Monday 1 January; of 2020 on Monday 30 December 2019.
        ("2024U01", "week", date(2024, 1, 1), date(2024, 1, 7)),
        ("2024W05", "week", date(2024, 1, 29), date(2024, 2, 4)),
        ("2020U01", "week", date(2019, 12, 30), date(2020, 1, 5)),
        ("2020U53", "week", date(2020, 12, 28), date(2021, 1, 3)),
        ("2015W53", "week", date(2015, 12, 28), date(2016, 1, 3)),
        ("2021U01", "week", date(2021, 1, 4), date(2021, 1, 10)),
        ("2019-2022", "interval", date(2019, 1, 1), date(2022, 12, 31)),
        ("1970-2024", "interval", date(1970, 1, 1), date(2024, 12, 31)),
        ("2024-2024", "interval", date(2024, 1, 1), date(2024, 12, 31)),
    ],
)
def test_parse_period_exact(code: str, frequency: str, start: date, end: date) -> None:
    period = parse_period(code)
    assert (period.code, period.frequency, period.start, period.end) == (
        code,
        frequency,
        start,
        end,
    )


def test_ordinals_follow_documented_formulas() -> None:
    assert parse_period("2024M03").ordinal == 2024 * 12 + 2
    assert parse_period("2024K3").ordinal == 2024 * 4 + 2
    assert parse_period("2024H2").ordinal == 2024 * 2 + 1
    assert parse_period("2024T1").ordinal == 2024 * 3
    assert parse_period("2024").ordinal == 2024
    # Monday 1970-01-05 is 4 days after the epoch: week ordinal 0; a week later, 1.
    assert parse_period("1970U02").ordinal == 0
    assert parse_period("1970U03").ordinal == 1
    assert parse_period("1970U01").ordinal == -1  # Monday 1969-12-29
    assert parse_period("2021U01").ordinal - parse_period("2020U53").ordinal == 1


@pytest.mark.parametrize(
    "code",
    [
        "2021U53",  # 2021 has 52 ISO weeks
        "2019W53",
        "2024U00",
        "2024U54",
        "2024M13",
        "2024M00",
        "2024M003",
        "2024K5",
        "2024Q0",
        "2024K03",  # one digit for quarters
        "2024H3",
        "2024T4",
        "2022-2019",  # ends before it starts
        "0000",
        "24",
        "2024 ",
        "2024m03",
        "2024-03",  # an ISO month is a filter bound, not a published period code
        "",
        "abcd",
    ],
)
def test_invalid_codes_raise(code: str) -> None:
    with pytest.raises(PeriodError, match="unknown period code"):
        parse_period(code)
    with pytest.raises(PeriodError, match="1 unknown period code"):
        to_dates(pl.Series([code]))


def test_week_53_exists_only_in_long_iso_years() -> None:
    assert parse_period("2020U53").start == date(2020, 12, 28)
    assert parse_period("2026U53").start == date(2026, 12, 28)
    with pytest.raises(PeriodError, match="ISO year 2021 has weeks 1 to 52"):
        parse_period("2021U53")


def test_period_of_writes_ssb_codes() -> None:
    day = date(2024, 8, 15)
    assert period_of(day, "year").code == "2024"
    assert period_of(day, "half").code == "2024H2"
    assert period_of(day, "quarter").code == "2024K3"
    assert period_of(day, "tertial").code == "2024T2"
    assert period_of(day, "month").code == "2024M08"
    assert period_of(day, "week").code == "2024U33"
    # ISO week-year differs from the calendar year around new year.
    assert period_of(date(2021, 1, 3), "week").code == "2020U53"
    assert period_of(date(2024, 12, 30), "week").code == "2025U01"
    with pytest.raises(PeriodError, match="frequency 'interval'"):
        period_of(day, "interval")
    with pytest.raises(PeriodError, match="frequency 'daily'"):
        period_of(day, "daily")


def test_canonical_and_shift() -> None:
    assert canonical("2024Q3") == "2024K3"
    assert canonical("2024W5") == "2024U05"
    assert canonical("2024M3") == "2024M03"
    assert canonical("2019-2022") == "2019-2022"
    assert shift("2024Q4", 1) == "2025Q1"  # keeps Q
    assert shift("2024K1", -1) == "2023K4"
    assert shift("2024M3", 10) == "2025M01"
    assert shift("2020W53", 1) == "2021W01"
    assert shift("2021U01", -1) == "2020U53"
    assert shift("2024H2", 1) == "2025H1"
    assert shift("2024T3", 1) == "2025T1"
    assert shift("2024", -4) == "2020"
    assert shift("2019-2022", 1) == "2023-2026"
    assert shift("2019-2022", -1) == "2015-2018"
    with pytest.raises(PeriodError, match="0001-9999"):
        shift("9999M12", 1)
    with pytest.raises(PeriodError, match="0001-9999"):
        shift("0001", -1)


def test_parse_bound() -> None:
    assert parse_bound("2020") == date(2020, 1, 1)
    assert parse_bound("2020-01") == date(2020, 1, 1)
    assert parse_bound("2020M01") == date(2020, 1, 1)
    assert parse_bound("2020-01-15") == date(2020, 1, 15)
    assert parse_bound(" 2020K2 ") == date(2020, 4, 1)
    assert parse_bound("2020", end=True) == date(2020, 12, 31)
    assert parse_bound("2020-02", end=True) == date(2020, 2, 29)
    assert parse_bound("2020-02-10", end=True) == date(2020, 2, 10)
    for bad in ("2020-13", "2020-02-30", "yesterday", "2020-1"):
        with pytest.raises(PeriodError):
            parse_bound(bad)


def test_parse_bound_takes_a_date_as_its_own_day_at_either_end() -> None:
    assert parse_bound(date(2020, 6, 15)) == date(2020, 6, 15)
    assert parse_bound(date(2020, 6, 15), end=True) == date(2020, 6, 15)
    assert parse_bound(datetime(2020, 6, 15, 23, 59)) == date(2020, 6, 15)
    assert type(parse_bound(datetime(2020, 6, 15, 23, 59), end=True)) is date


def test_vectorised_exact_values_and_nulls() -> None:
    codes = pl.Series("period", ["2024M03", None, "2020U53", "2024Q3", "2019-2022", "2024M03"])
    assert to_dates(codes).to_list() == [
        date(2024, 3, 1),
        None,
        date(2020, 12, 28),
        date(2024, 7, 1),
        date(2019, 1, 1),
        date(2024, 3, 1),
    ]
    assert to_dates(codes).dtype == pl.Date
    assert to_dates(codes).name == "period"
    assert frequencies(codes).to_list() == [
        "month",
        None,
        "week",
        "quarter",
        "interval",
        "month",
    ]
    assert ordinals(codes).to_list() == [24290, None, 2660, 8098, 2019, 24290]
    assert ordinals(codes).dtype == pl.Int64


def test_vectorised_accepts_categorical_and_empty() -> None:
    codes = pl.Series(["2024K1", "2024K2"], dtype=pl.Categorical)
    assert to_dates(codes).to_list() == [date(2024, 1, 1), date(2024, 4, 1)]
    assert to_dates(pl.Series([], dtype=pl.String)).to_list() == []
    assert to_dates(pl.Series([None, None], dtype=pl.String)).to_list() == [None, None]


def test_unknown_codes_are_listed_with_count() -> None:
    bad = [f"20{i:02d}X" for i in range(15)]
    codes = pl.Series(["2024M01", *bad, "2024M13", "2024M01"])
    with pytest.raises(PeriodError) as info:
        to_dates(codes)
    message = str(info.value)
    assert message.startswith("16 unknown period code(s): '2000X', '2001X'")
    assert "'2009X'" in message
    assert "'2010X'" not in message
    assert "and 6 more" in message


def test_with_dates() -> None:
    frame = pl.DataFrame({"Tid": ["2024M01", "2024M02"], "value": [1.0, 2.0]})
    out = with_dates(frame, period="Tid", date="first_day")
    assert out.columns == ["Tid", "value", "first_day"]
    assert out["first_day"].to_list() == [date(2024, 1, 1), date(2024, 2, 1)]
    assert with_dates(frame.rename({"Tid": "period"}))["date"][1] == date(2024, 2, 1)
    with pytest.raises(PeriodError, match="no column 'period'"):
        with_dates(frame)


def test_period_is_frozen_struct() -> None:
    period = parse_period("2024K1")
    assert isinstance(period, Period)
    assert period == Period("2024K1", "quarter", date(2024, 1, 1), date(2024, 3, 31), 8096)
    assert hash(period) == hash(parse_period("2024K1"))


def test_million_rows_are_fast() -> None:
    months = [f"{y}M{m:02d}" for y in range(2000, 2025) for m in range(1, 13)]
    codes = pl.Series(months * 3500)  # 1,050,000 rows
    began = time.perf_counter()
    dates = to_dates(codes)
    elapsed = time.perf_counter() - began
    assert dates[0] == date(2000, 1, 1)
    assert dates[-1] == date(2024, 12, 1)
    assert elapsed < 2.0


def test_interval_shift_out_of_range() -> None:
    with pytest.raises(PeriodError, match="0001-9999"):
        shift("0005-0010", -1)
    with pytest.raises(PeriodError, match="0001-9999"):
        shift("9990-9999", 1)


def test_year_9999_edges_agree() -> None:
    assert parse_period("9999U51").end == date(9999, 12, 26)
    with pytest.raises(PeriodError):
        parse_period("9999U52")
    with pytest.raises(PeriodError):
        to_dates(pl.Series(["9999U52"]))
    assert to_dates(pl.Series(["9999U51"])).item() == date(9999, 12, 20)
