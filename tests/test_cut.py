"""navdata.cut: the one rule that cuts a series by period range and codes (store, get, service).

Property tests compare the cut with the rule written out row by row in Python: a row is kept when
its codes are among the wanted ones and its period overlaps the range once the start is widened
to whole periods. Eager and lazy frames, and frames with and without a ``date`` column, must
agree. The frames are SYNTHETIC (made-up codes and values).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from navdata.cut import CutIndex, PeriodRange, cut
from navdata.errors import PeriodError, SelectionError
from navdata.periods import parse_period, period_of, with_dates

REGIONS = ("03", "11", "46")
MONTHLY = [f"2023M{m:02d}" for m in range(1, 13)] + [f"2024M{m:02d}" for m in range(1, 7)]


def _frame(periods: list[str]) -> pl.DataFrame:
    """SYNTHETIC: one row per region and period, value = row number."""
    rows = [
        {"region": region, "period": period, "value": float(i)}
        for i, (region, period) in enumerate((r, p) for r in REGIONS for p in periods)
    ]
    return with_dates(pl.DataFrame(rows))


# --- exact cases ---------------------------------------------------------------------------------


def test_a_range_keeps_every_period_it_overlaps_once_widened() -> None:
    frame = _frame([f"{y}K{q}" for y in (2023, 2024) for q in (1, 2, 3, 4)])
    periods = PeriodRange.parse("2023-05-20", "2024-01-10")
    assert periods == PeriodRange(date(2023, 5, 20), date(2024, 1, 10))
    widened = periods.covering("quarter")
    assert widened == PeriodRange(date(2023, 4, 1), date(2024, 1, 10))
    kept = cut(frame, widened, {"region": "03"})
    assert kept["period"].to_list() == ["2023K2", "2023K3", "2023K4", "2024K1"]
    # without the widening the quarter holding the start is lost: the reason covering() exists
    unwidened = cut(frame, periods, {"region": "03"})
    assert unwidened["period"].to_list() == ["2023K3", "2023K4", "2024K1"]


def test_codes_keep_the_stored_order_and_compare_as_text() -> None:
    frame = _frame(MONTHLY[:2]).with_columns(pl.col("region").cast(pl.Categorical))
    kept = cut(frame, None, {"region": ["46", "03"]})
    assert kept.select("region", "period").rows() == [
        ("03", "2023M01"),
        ("03", "2023M02"),
        ("46", "2023M01"),
        ("46", "2023M02"),
    ]
    assert cut(frame, None, {"region": []}).height == 0


def test_nothing_to_cut_gives_the_frame_back() -> None:
    frame = _frame(MONTHLY)
    assert cut(frame) is frame
    assert cut(frame, PeriodRange(), {}) is frame


def test_a_reversed_range_keeps_nothing_and_says_it_is_reversed() -> None:
    periods = PeriodRange.parse("2024M03", "2024M01")
    assert periods.reversed
    assert not PeriodRange.parse("2024M01", "2024M01").reversed
    assert not PeriodRange.parse(None, "2024M01").reversed
    assert cut(_frame(MONTHLY), periods).height == 0


def test_an_unknown_dimension_or_a_frame_without_periods_is_named() -> None:
    frame = _frame(MONTHLY)
    with pytest.raises(SelectionError) as caught:
        cut(frame, None, {"sex": "1"}, name="series 'nav.test'")
    assert str(caught.value) == (
        "series 'nav.test' has no dimension 'sex' to filter on; "
        "its columns are region, period, value, date"
    )
    with pytest.raises(SelectionError, match="has neither a date nor a period column"):
        cut(frame.drop("period", "date"), PeriodRange.parse("2024", None))
    with pytest.raises(PeriodError, match="last year"):
        PeriodRange.parse("last year", None)


def test_a_prepared_copy_may_keep_its_dates_under_another_name() -> None:
    frame = _frame(MONTHLY)
    prepared = frame.with_columns(pl.col("date").alias("__date"), pl.col("date").cast(pl.String))
    periods = PeriodRange.parse("2024M05", None)
    kept = cut(prepared, periods, {"region": "11"}, date_column="__date")
    assert kept.select("period", "date").rows() == [
        ("2024M05", "2024-05-01"),
        ("2024M06", "2024-06-01"),
    ]


def test_a_lazy_scan_stays_lazy_with_the_cut_pushed_into_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "series.parquet"
    _frame(MONTHLY).write_parquet(path)
    lazy = cut(pl.scan_parquet(path), PeriodRange.parse("2024M02", None), {"region": ["03"]})
    assert isinstance(lazy, pl.LazyFrame)
    plan = lazy.explain()
    assert plan.startswith("Parquet SCAN")
    assert "is_in" in plan[plan.index("SELECTION") :]
    assert "FILTER" not in plan
    assert lazy.collect()["period"].to_list() == MONTHLY[13:]


# --- properties ----------------------------------------------------------------------------------

FREQUENCY_CODES = {
    "month": [f"{y}M{m:02d}" for y in (2022, 2023, 2024) for m in range(1, 13)],
    "quarter": [f"{y}K{q}" for y in (2022, 2023, 2024) for q in (1, 2, 3, 4)],
    "year": ["2021", "2022", "2023", "2024", "2025"],
    "week": [f"{y}U{w:02d}" for y in (2022, 2023) for w in range(1, 53)],
}
DAYS = st.dates(min_value=date(2021, 6, 1), max_value=date(2025, 6, 30))


@settings(max_examples=150, deadline=None)
@given(
    frequency=st.sampled_from(sorted(FREQUENCY_CODES)),
    start=st.none() | DAYS,
    end=st.none() | DAYS,
    regions=st.none() | st.lists(st.sampled_from(REGIONS), unique=True),
)
def test_the_cut_is_the_rule_written_out_row_by_row(
    frequency: str, start: date | None, end: date | None, regions: list[str] | None
) -> None:
    frame = _frame(FREQUENCY_CODES[frequency])
    periods = PeriodRange(start, end).covering(frequency)
    codes = None if regions is None else {"region": regions}
    expected = [
        row["value"]
        for row in frame.iter_rows(named=True)
        if (regions is None or row["region"] in regions)
        and (end is None or parse_period(row["period"]).start <= end)
        and (start is None or parse_period(row["period"]).end >= start)  # overlaps the range
    ]
    eager = cut(frame, periods, codes)
    assert eager["value"].to_list() == expected
    assert_frame_equal(cut(frame.lazy(), periods, codes).collect(), eager)
    # a frame stored without dates is cut on its period codes, to the same rows
    assert_frame_equal(cut(frame.drop("date"), periods, codes), eager.drop("date"))


@settings(max_examples=100, deadline=None)
@given(frequency=st.sampled_from(sorted(FREQUENCY_CODES)), day=DAYS)
def test_covering_starts_at_the_first_day_of_the_period_holding_the_start(
    frequency: str, day: date
) -> None:
    widened = PeriodRange(day, None).covering(frequency)
    assert widened.first == period_of(day, frequency).start
    assert widened.first is not None
    assert widened.first <= day < widened.first + timedelta(days=366)
    assert PeriodRange(None, day).covering(frequency) == PeriodRange(None, day)


# --- CutIndex: the same rule, on row positions -------------------------------------------------

_REGIONS = ["03", "11", "46", "50"]
_MONTHS = [f"{y}M{m:02d}" for y in (2019, 2020) for m in range(1, 13)]


def _indexed_frame(*, order: str = "stored") -> pl.DataFrame:
    """SYNTHETIC: every region x month, one region's code missing on two rows.

    ``order``: ``stored`` (each region's months ascending), ``reversed`` (descending) or
    ``missing-day`` (ascending, but one row of region 03 has no date).
    """
    rows = [
        {"region": None if (r == "50" and p.endswith("M04")) else r, "period": p}
        for r in _REGIONS
        for p in _MONTHS
    ]
    frame = with_dates(pl.DataFrame(rows)).with_columns(pl.int_range(pl.len()).alias("value"))
    if order == "reversed":
        return frame.reverse()
    if order == "missing-day":
        gone = (pl.col("region") == "03") & (pl.col("period") == "2020M02")
        return frame.with_columns(pl.when(gone).then(None).otherwise(pl.col("date")).alias("date"))
    return frame


@given(
    regions=st.none() | st.lists(st.sampled_from([*_REGIONS, "99"]), max_size=3),
    first=st.none() | st.dates(min_value=date(2018, 6, 1), max_value=date(2021, 6, 1)),
    last=st.none() | st.dates(min_value=date(2018, 6, 1), max_value=date(2021, 6, 1)),
    order=st.sampled_from(["stored", "reversed", "missing-day"]),
)
def test_an_index_keeps_exactly_the_rows_cut_keeps(
    regions: list[str] | None, first: date | None, last: date | None, order: str
) -> None:
    # one region (the binary search on ascending days) and several (positions intersected)
    frame = _indexed_frame(order=order)
    periods = PeriodRange(first, last).covering("month")
    codes = None if regions is None else {"region": regions}
    index = CutIndex(frame, ["region"])
    positions = index.rows(periods, codes).tolist()
    assert frame[positions].equals(cut(frame, periods, codes))


def test_an_index_keeps_both_ends_when_they_fall_on_a_period_start() -> None:
    frame = _indexed_frame()
    index = CutIndex(frame, ["region"])
    periods = PeriodRange(date(2019, 3, 1), date(2020, 2, 1))  # 2019M03..2020M02, both kept
    for codes in ({"region": "03"}, {"region": ["03", "11"]}):  # binary search, intersection
        positions = index.rows(periods, codes).tolist()
        assert frame[positions].equals(cut(frame, periods, codes))
    one = frame[index.rows(periods, {"region": "03"}).tolist()]
    assert one["period"].to_list() == [*_MONTHS[2:12], "2020M01", "2020M02"]


def test_an_index_refuses_a_dimension_it_does_not_have() -> None:
    index = CutIndex(_indexed_frame(), ["region"], name="nav.helt_ledige")
    with pytest.raises(SelectionError, match=r"nav\.helt_ledige has no dimension 'sex'"):
        index.rows(None, {"sex": ["1"]})
