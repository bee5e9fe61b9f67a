"""Property tests: periods round-trip, order, shift and tile time; vectorised == scalar."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from navdata.periods import (
    canonical,
    frequencies,
    ordinals,
    parse_period,
    period_of,
    shift,
    to_dates,
)

YEARS = st.integers(min_value=1800, max_value=2200)
REGULAR = ("year", "half", "quarter", "tertial", "month", "week")


@st.composite
def period_codes(draw: st.DrawFn, frequency: str | None = None) -> str:
    """Valid codes of every published spelling (K/Q, U/W, padded or not where allowed)."""
    kind = frequency or draw(st.sampled_from((*REGULAR, "interval")))
    year = draw(YEARS)
    if kind == "year":
        return f"{year}"
    if kind == "half":
        return f"{year}H{draw(st.integers(1, 2))}"
    if kind == "quarter":
        return f"{year}{draw(st.sampled_from('KQ'))}{draw(st.integers(1, 4))}"
    if kind == "tertial":
        return f"{year}T{draw(st.integers(1, 3))}"
    if kind == "month":
        month = draw(st.integers(1, 12))
        return f"{year}M{month:02d}" if draw(st.booleans()) else f"{year}M{month}"
    if kind == "week":
        weeks = date(year, 12, 28).isocalendar().week
        return f"{year}{draw(st.sampled_from('UW'))}{draw(st.integers(1, weeks)):02d}"
    last = draw(st.integers(year, year + 30))
    return f"{year}-{last}"


def padded(code: str) -> str:
    """The caller's letter kept, numbers padded: the form :func:`shift` writes."""
    period = parse_period(code)
    if period.frequency in ("month", "week") and len(code) == 6:
        return f"{code[:5]}0{code[5]}"
    return code


@settings(max_examples=300)
@given(period_codes())
def test_start_not_after_end(code: str) -> None:
    period = parse_period(code)
    assert period.start <= period.end


@settings(max_examples=300)
@given(period_codes())
def test_round_trip_through_first_day(code: str) -> None:
    period = parse_period(code)
    if period.frequency == "interval":
        assert canonical(code) == code
        return
    assert period_of(period.start, period.frequency).code == canonical(code)
    assert period_of(period.end, period.frequency).code == canonical(code)
    assert parse_period(canonical(code)).start == period.start


@settings(max_examples=300)
@given(period_codes(), st.integers(-60, 60))
def test_shift_inverts(code: str, n: int) -> None:
    assert shift(shift(code, n), -n) == padded(code)
    moved = parse_period(shift(code, n))
    assert moved.frequency == parse_period(code).frequency
    if moved.frequency != "interval":
        assert moved.ordinal - parse_period(code).ordinal == n


@settings(max_examples=300)
@given(period_codes())
def test_periods_tile_time(code: str) -> None:
    period = parse_period(code)
    following = parse_period(shift(code, 1))
    assert period.end + timedelta(days=1) == following.start
    if period.frequency != "interval":
        assert following.ordinal == period.ordinal + 1


@settings(max_examples=200)
@given(st.sampled_from(REGULAR).flatmap(lambda f: st.lists(period_codes(f), min_size=2)))
def test_ordinals_sort_like_start_dates(codes: list[str]) -> None:
    parsed = [parse_period(code) for code in codes]
    by_ordinal = sorted(parsed, key=lambda p: (p.ordinal, p.code))
    by_start = sorted(parsed, key=lambda p: (p.start, p.code))
    assert by_ordinal == by_start


@settings(max_examples=300)
@given(st.dates(min_value=date(1800, 1, 1), max_value=date(2200, 12, 31)), st.sampled_from(REGULAR))
def test_period_of_contains_the_day(day: date, frequency: str) -> None:
    period = period_of(day, frequency)
    assert period.start <= day <= period.end


JUNK = st.text(alphabet="0123456789HKQTMUWX-", max_size=9)


@settings(max_examples=150)
@given(st.lists(st.one_of(period_codes(), st.none()), max_size=40))
def test_vectorised_equals_scalar(codes: list[str | None]) -> None:
    series = pl.Series(codes, dtype=pl.String)
    parsed = [None if code is None else parse_period(code) for code in codes]
    assert to_dates(series).to_list() == [p and p.start for p in parsed]
    assert frequencies(series).to_list() == [p and p.frequency for p in parsed]
    assert ordinals(series).to_list() == [p and p.ordinal for p in parsed]


@settings(max_examples=400)
@given(JUNK)
def test_vectorised_and_scalar_agree_on_validity(code: str) -> None:
    try:
        expected = parse_period(code).start
    except ValueError:
        expected = None
    try:
        got = to_dates(pl.Series([code])).item()
    except ValueError:
        got = None
    assert got == expected
