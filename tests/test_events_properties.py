"""Property tests for event windows, on synthetic series around trust-reform-nav-start.

The milestone is dated 2022-01-30, so period 0 is 2022M01, 2022K1 or 2022 depending on the
frequency. Values are whole numbers so that sums are exact and group results can be compared
exactly; the shift property compares means up to float rounding of one division.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from navdata.events import EventWindow, StatisticsBreakWarning, around
from navdata.periods import shift

MILESTONE = "trust-reform-nav-start"
ZERO_CODES = ["2022M01", "2022K1", "2022"]

# One group: (offset of its first period from period 0, its values; None = not published).
_values = st.lists(
    st.one_of(st.none(), st.integers(-1000, 1000).map(float)), min_size=1, max_size=40
)
_group = st.tuples(st.integers(-45, 15), _values)
_groups = st.lists(_group, min_size=1, max_size=3)
_sizes = st.integers(1, 20)


def _frame(zero: str, groups: list[tuple[int, list[float | None]]]) -> pl.DataFrame:
    region, period, value = [], [], []
    for index, (offset, values) in enumerate(groups):
        for step, number in enumerate(values):
            region.append(f"r{index}")
            period.append(shift(zero, offset + step))
            value.append(number)
    return pl.DataFrame(
        {"region": region, "period": period, "value": value},
        schema={"region": pl.String, "period": pl.String, "value": pl.Float64},
    )


@contextmanager
def _no_break_warnings() -> Iterator[None]:
    # Windows reaching back to 2018M11 or forward to 2024M01 meet real breaks; not the point here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticsBreakWarning)
        yield


def _around(frame: pl.DataFrame, before: int, after: int) -> EventWindow:
    with _no_break_warnings():
        return around(frame, MILESTONE, before, after, by="region")


def _inside(offset: int, step: int, before: int, after: int) -> bool:
    # The frame builder puts value number `step` of a group at period zero + offset + step.
    return -before <= offset + step <= after - 1


@settings(max_examples=60, deadline=None)
@given(
    zero=st.sampled_from(ZERO_CODES),
    spans=st.lists(st.tuples(st.integers(-45, 15), st.integers(1, 40)), min_size=1, max_size=3),
    level=st.integers(-1000, 1000).map(float),
    before=_sizes,
    after=_sizes,
)
def test_a_constant_series_shows_no_change(
    zero: str, spans: list[tuple[int, int]], level: float, before: int, after: int
) -> None:
    groups: list[tuple[int, list[float | None]]] = [
        (offset, [level] * length) for offset, length in spans
    ]
    summary = _around(_frame(zero, groups), before, after).summary
    for row in summary.iter_rows(named=True):
        if row["n_before"] and row["n_after"]:
            assert row["mean_before"] == level
            assert row["mean_after"] == level
            assert row["change"] == 0.0
            assert row["relative_change"] == (None if level == 0 else 0.0)
        else:
            assert row["change"] is None


@settings(max_examples=60, deadline=None)
@given(
    zero=st.sampled_from(ZERO_CODES),
    groups=_groups,
    constant=st.integers(-10_000, 10_000).map(float),
    before=_sizes,
    after=_sizes,
)
def test_shifting_values_shifts_the_means_and_keeps_the_change(
    zero: str,
    groups: list[tuple[int, list[float | None]]],
    constant: float,
    before: int,
    after: int,
) -> None:
    frame = _frame(zero, groups)
    base = _around(frame, before, after).summary
    moved = _around(frame.with_columns(pl.col("value") + constant), before, after).summary
    assert base["region"].to_list() == moved["region"].to_list()
    assert base["n_before"].to_list() == moved["n_before"].to_list()
    assert base["n_after"].to_list() == moved["n_after"].to_list()
    for old, new in zip(base.iter_rows(named=True), moved.iter_rows(named=True), strict=True):
        for column in ("mean_before", "mean_after"):
            if old[column] is None:
                assert new[column] is None
            else:
                assert new[column] == pytest.approx(old[column] + constant, abs=1e-9)
        if old["change"] is None:
            assert new["change"] is None
        else:
            assert new["change"] == pytest.approx(old["change"], abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    zero=st.sampled_from(ZERO_CODES),
    groups=_groups,
    before=_sizes,
    after=_sizes,
    noise=st.integers(-(10**6), 10**6).map(float),
)
def test_windows_never_read_outside_their_bounds(
    zero: str,
    groups: list[tuple[int, list[float | None]]],
    before: int,
    after: int,
    noise: float,
) -> None:
    result = _around(_frame(zero, groups), before, after)
    relative = result.frame["relative"].to_list()
    assert all(-before <= r <= after - 1 for r in relative)
    assert result.frame["side"].to_list() == ["before" if r < 0 else "after" for r in relative]

    for index, (offset, values) in enumerate(groups):
        inside = [
            (offset + step, number)
            for step, number in enumerate(values)
            if _inside(offset, step, before, after)
        ]
        row = result.summary.filter(pl.col("region") == f"r{index}").row(0, named=True)
        assert row["n_before"] == sum(1 for r, v in inside if r < 0 and v is not None)
        assert row["n_after"] == sum(1 for r, v in inside if r >= 0 and v is not None)
        assert row["n_before"] <= before
        assert row["n_after"] <= after

    # Overwrite every value outside the window: nothing in the result may move.
    scrambled = [
        (
            offset,
            [v if _inside(offset, step, before, after) else noise for step, v in enumerate(values)],
        )
        for offset, values in groups
    ]
    again = _around(_frame(zero, scrambled), before, after)
    assert again.summary.equals(result.summary)
    assert again.frame.equals(result.frame)


@settings(max_examples=40, deadline=None)
@given(zero=st.sampled_from(ZERO_CODES), groups=_groups, before=_sizes, after=_sizes)
def test_groups_are_independent(
    zero: str, groups: list[tuple[int, list[float | None]]], before: int, after: int
) -> None:
    frame = _frame(zero, groups)
    together = _around(frame, before, after).summary
    for region in frame["region"].unique().to_list():
        alone = _around(frame.filter(pl.col("region") == region), before, after).summary
        assert together.filter(pl.col("region") == region).equals(alone)
