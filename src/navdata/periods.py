"""Period codes as SSB and NAV publish them, turned into dates, frequencies and ordinals.

A period code names a span of time: ``2024`` (year), ``2024H1`` (half), ``2024K3``/``2024Q3``
(quarter), ``2024T2`` (tertial), ``2024M03`` (month), ``2024U05``/``2024W05`` (ISO week) and
``2019-2022`` (an interval of whole years, as in a few KOSTRA tables). Tidy frames keep the code
as published and add the first day (``date``) so that series of any source line up on one axis.

Decisions, so that callers can rely on them:

* Months and weeks are accepted with one or two digits (``2024M3``, ``2024U5``) because the form
  is unambiguous and hand-typed filters use it; output is always two digits (``2024M03``).
  Halves, quarters and tertials take exactly one digit: ``2024K03`` is rejected.
* ``K`` and ``Q`` both mean quarter, ``U`` and ``W`` both mean ISO week. :func:`canonical` and
  :func:`period_of` write SSB's letters (``K``, ``U``); :func:`shift` keeps the caller's letter.
* Week 53 exists only in ISO years that have it (2020 does, 2021 does not); the first day of a
  week is its ISO Monday, which may fall in the previous calendar year (``2020U01`` starts
  2019-12-30).
* The ordinal of consecutive periods of one frequency differs by exactly one (month ordinal =
  ``year * 12 + month - 1``; week ordinal = days from 1970-01-01 to the Monday, floor-divided by
  7). Intervals have no fixed length: their ordinal is the first year, and :func:`shift` moves an
  interval by its own length, so ``shift("2019-2022", 1) == "2023-2026"``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Final

import msgspec
import polars as pl

from navdata.errors import PeriodError

__all__ = [
    "FREQUENCIES",
    "Period",
    "canonical",
    "first_day_covering",
    "frequencies",
    "ordinals",
    "parse_bound",
    "parse_period",
    "period_of",
    "shift",
    "to_dates",
    "with_dates",
]

FREQUENCIES: Final = ("year", "half", "quarter", "tertial", "month", "week", "interval")

# One pattern for every form, shared by the scalar and the vectorised parser so they cannot drift.
_PATTERN: Final = r"^(\d{4})(?:([HKQTMUW])(\d{1,2})|-(\d{4}))?$"
_REGEX: Final = re.compile(_PATTERN)
_ISO_DATE: Final = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")

_FREQUENCY_OF_LETTER: Final = {
    "H": "half",
    "K": "quarter",
    "Q": "quarter",
    "T": "tertial",
    "M": "month",
    "U": "week",
    "W": "week",
}
# Sub-periods per year and months per sub-period, for the month-based frequencies.
_PER_YEAR: Final = {"year": 1, "half": 2, "quarter": 4, "tertial": 3, "month": 12}
_MONTHS: Final = {"year": 12, "half": 6, "quarter": 3, "tertial": 4, "month": 1}
_SSB_LETTER: Final = {"half": "H", "quarter": "K", "tertial": "T", "month": "M", "week": "U"}
_EPOCH: Final = date(1970, 1, 1)
_MAX_LISTED: Final = 10
_MAX_YEAR: Final = 9999  # the last year a date holds


class Period(msgspec.Struct, frozen=True):
    """One parsed period: its code as given, frequency, first and last day, and ordinal."""

    code: str
    frequency: str
    start: date
    end: date
    ordinal: int


# --- scalar --------------------------------------------------------------------------------------


def _weeks_in(iso_year: int) -> int:
    """52 or 53: 28 December always lies in the last ISO week of its year."""
    return date(iso_year, 12, 28).isocalendar().week


def _invalid(code: str, why: str) -> PeriodError:
    return PeriodError(
        f"unknown period code {code!r}: {why}; expected forms like 2024, 2024H1, 2024K3, 2024Q3, "
        "2024T2, 2024M03, 2024U05, 2024W05 or 2019-2022"
    )


def parse_period(code: str) -> Period:
    """Parse one period code; raise :class:`PeriodError` saying why a code is not valid."""
    match = _REGEX.match(code)
    if match is None:
        raise _invalid(code, "not a period code")
    year_text, letter, number_text, last_text = match.groups()
    year = int(year_text)
    if year < 1:
        raise _invalid(code, "year 0000 does not exist")
    if last_text is not None:
        last = int(last_text)
        if last < year:
            raise _invalid(code, "the interval ends before it starts")
        return Period(code, "interval", date(year, 1, 1), date(last, 12, 31), year)
    if letter is None:
        return _month_based(code, "year", year, 1)
    frequency = _FREQUENCY_OF_LETTER[letter]
    number = int(number_text)
    if frequency == "week":
        if number < 1 or number > _weeks_in(year):
            raise _invalid(code, f"ISO year {year} has weeks 1 to {_weeks_in(year)}")
        monday = date.fromisocalendar(year, number, 1)
        if monday > date(9999, 12, 25):
            raise _invalid(code, "the week ends after 9999-12-31")
        return Period(code, "week", monday, monday + timedelta(days=6), _week_ordinal(monday))
    if frequency != "month" and len(number_text) != 1:
        raise _invalid(code, f"a {frequency} number has one digit")
    if not 1 <= number <= _PER_YEAR[frequency]:
        raise _invalid(code, f"a year has {_PER_YEAR[frequency]} {frequency}s")
    return _month_based(code, frequency, year, number)


def _week_ordinal(monday: date) -> int:
    return (monday - _EPOCH).days // 7


def _month_based(code: str, frequency: str, year: int, number: int) -> Period:
    months = _MONTHS[frequency]
    first_month = (number - 1) * months + 1
    start = date(year, first_month, 1)
    after = first_month + months
    end = date(year, 12, 31) if after > 12 else date(year, after, 1) - timedelta(days=1)
    ordinal = year * _PER_YEAR[frequency] + number - 1
    return Period(code, frequency, start, end, ordinal)


def _code(frequency: str, year: int, number: int, letter: str | None = None) -> str:
    if frequency == "year":
        return f"{year:04d}"
    letter = letter or _SSB_LETTER[frequency]
    width = 2 if frequency in ("month", "week") else 1
    return f"{year:04d}{letter}{number:0{width}d}"


def period_of(day: date, frequency: str) -> Period:
    """The period of ``frequency`` that contains ``day``, with its canonical SSB-style code."""
    if frequency == "week":
        iso = day.isocalendar()
        return parse_period(_code("week", iso.year, iso.week))
    if frequency not in _MONTHS:
        known = ", ".join(f for f in FREQUENCIES if f != "interval")
        raise PeriodError(f"cannot place a day in frequency {frequency!r}; use one of {known}")
    number = (day.month - 1) // _MONTHS[frequency] + 1
    return parse_period(_code(frequency, day.year, number))


def first_day_covering(day: date, frequency: str) -> date:
    """First day of the ``frequency`` period that contains ``day``.

    Observations are filtered on their period's first day, so a range that starts inside a
    period must start at that period's first day to keep it: ``start=2020-06-15`` on a yearly
    series keeps 2020, as "both ends inclusive" promises (the end needs nothing: a period that
    begins by the end overlaps the range).
    """
    return period_of(day, frequency).start


def canonical(code: str) -> str:
    """The SSB spelling of a code: ``2024Q3`` -> ``2024K3``, ``2024W5`` -> ``2024U05``."""
    period = parse_period(code)
    if period.frequency == "interval":
        return f"{period.start.year:04d}-{period.end.year:04d}"
    return period_of(period.start, period.frequency).code


def shift(code: str, n: int) -> str:
    """The period ``n`` steps after ``code`` (before, if negative), keeping its letter (K or Q)."""
    period = parse_period(code)
    try:
        if period.frequency == "interval":
            span = period.end.year - period.start.year + 1
            first = period.start.year + n * span
            _check_year(code, first + span - 1)
            return _check_year(f"{first:04d}-{first + span - 1:04d}", first)
        letter = code[4] if period.frequency != "year" else None
        if period.frequency == "week":
            monday = period.start + timedelta(weeks=n)
            iso = monday.isocalendar()
            return _check_year(_code("week", iso.year, iso.week, letter), iso.year)
        ordinal = period.ordinal + n
        per_year = _PER_YEAR[period.frequency]
        year, index = divmod(ordinal, per_year)
        return _check_year(_code(period.frequency, year, index + 1, letter), year)
    except OverflowError as exc:
        raise PeriodError(f"shifting {code!r} by {n} leaves the years 0001-9999") from exc


def _check_year(code: str, year: int) -> str:
    if not 1 <= year <= 9999:
        raise OverflowError(code)
    return code


def parse_bound(text: str | int | date, *, end: bool = False) -> date:
    """A user's filter bound -> a day: a period code or ISO date (``2020``, ``2020-01``, ...).

    The first day by default; with ``end=True`` the last day, so that ``to="2020"`` includes all
    of 2020. A date is already a day (a datetime counts as its date), and an int is a year
    (``start=2015`` is ``"2015"``), so every caller that takes "a code or a date" can hand any
    of them over without branching on the type.
    """
    if isinstance(text, bool) or (isinstance(text, int) and not 1 <= text <= _MAX_YEAR):
        msg = f"{text!r} is not a year; give a year such as 2015, a period code or a date"
        raise PeriodError(msg)
    if isinstance(text, int):
        text = f"{text:04d}"
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    stripped = text.strip()
    iso = _ISO_DATE.match(stripped)
    if iso is None:
        period = parse_period(stripped)
        return period.end if end else period.start
    year, month, day = (int(part) if part else None for part in iso.groups())
    assert year is not None
    assert month is not None
    try:
        if day is not None:
            return date(year, month, day)
        period = parse_period(f"{year:04d}M{month:02d}")
    except (ValueError, PeriodError) as exc:
        raise PeriodError(f"{text!r} is not a valid date or period (use 2020-01-15)") from exc
    return period.end if end else period.start


# --- vectorised ----------------------------------------------------------------------------------


def _parsed(text: pl.Series) -> pl.DataFrame:
    """One row per distinct code, in order of appearance: code, frequency, start, ordinal.

    ``text`` is already a String Series (:func:`_lookup` casts once). Parsing the distinct
    codes only is the fast path: a tidy column repeats a few hundred periods over millions of
    rows.
    """
    distinct = text.unique(maintain_order=True).drop_nulls()
    frame = pl.DataFrame({"code": distinct}).with_columns(
        pl.col("code").str.extract_groups(_PATTERN).alias("parts")
    )
    frame = frame.unnest("parts").rename(
        {"1": "year_text", "2": "letter", "3": "number_text", "4": "last_text"}
    )
    year = pl.col("year_text").cast(pl.Int64)
    number = pl.col("number_text").cast(pl.Int64)
    last = pl.col("last_text").cast(pl.Int64)
    letter = pl.col("letter")
    frequency = (
        pl.when(pl.col("year_text").is_null())
        .then(None)
        .when(pl.col("last_text").is_not_null())
        .then(pl.lit("interval"))
        .when(letter.is_null())
        .then(pl.lit("year"))
        .otherwise(letter.replace_strict(_FREQUENCY_OF_LETTER, default=None))
    )
    frame = frame.with_columns(frequency.alias("frequency"), year.alias("year"), number.alias("n"))
    frame = frame.with_columns(_validity(last).alias("valid"))
    bad = frame.filter(~pl.col("valid"))["code"]
    if bad.len():
        raise _unknown(bad)
    frame = frame.with_columns(_start().alias("start"))
    return frame.select("code", "frequency", "start", _ordinal().alias("ordinal"))


def _validity(last: pl.Expr) -> pl.Expr:
    """Whether each extracted code is a real period (ranges, digit counts, week 53)."""
    freq = pl.col("frequency")
    n = pl.col("n")
    year = pl.col("year")
    digits = pl.col("number_text").str.len_chars()
    weeks = pl.date(year.clip(1, 9999), 12, 28).dt.week()
    in_range = (
        pl.when(freq == "interval")
        .then(last >= year)
        .when(freq == "year")
        .then(True)
        .when(freq == "week")
        .then((n >= 1) & (n <= weeks) & ((year < 9999) | (n < 52)))  # 9999U52 ends in 10000
        .when(freq == "month")
        .then((n >= 1) & (n <= 12))
        .otherwise((digits == 1) & (n >= 1) & (n <= freq.replace_strict(_PER_YEAR, default=0)))
    )
    return freq.is_not_null() & (year >= 1) & in_range.fill_null(value=False)


def _start() -> pl.Expr:
    freq = pl.col("frequency")
    year = pl.col("year")
    n = pl.col("n")
    months = freq.replace_strict({**_MONTHS, "interval": 12}, default=None, return_dtype=pl.Int64)
    first_month = pl.when(freq.is_in(["year", "interval"])).then(1).otherwise((n - 1) * months + 1)
    jan4 = pl.date(year, 1, 4)
    week_one = jan4 - pl.duration(days=jan4.dt.weekday().cast(pl.Int64) - 1)
    week_start = week_one + pl.duration(weeks=n - 1)
    return pl.when(freq == "week").then(week_start).otherwise(pl.date(year, first_month, 1))


def _ordinal() -> pl.Expr:
    """Needs the ``start`` column (a week's ordinal counts days to its Monday)."""
    freq = pl.col("frequency")
    per_year = freq.replace_strict(_PER_YEAR, default=None, return_dtype=pl.Int64)
    days = pl.col("start").cast(pl.Int64)
    return (
        pl.when(freq == "week")
        .then(days // 7)
        .when(freq == "interval")
        .then(pl.col("year"))
        .otherwise(pl.col("year") * per_year + pl.col("n").fill_null(1) - 1)
    )


def _unknown(bad: pl.Series) -> PeriodError:
    listed = bad.head(_MAX_LISTED).to_list()
    more = f" and {bad.len() - _MAX_LISTED} more" if bad.len() > _MAX_LISTED else ""
    shown = ", ".join(repr(code) for code in listed)
    return PeriodError(
        f"{bad.len()} unknown period code(s): {shown}{more}; expected forms like 2024, 2024H1, "
        "2024K3, 2024Q3, 2024T2, 2024M03, 2024U05 or 2019-2022"
    )


def _lookup(codes: pl.Series, column: str, dtype: pl.DataType) -> pl.Series:
    text = codes.cast(pl.String) if codes.dtype != pl.String else codes
    table = _parsed(text)
    return text.replace_strict(
        table["code"], table[column], default=None, return_dtype=dtype
    ).alias(codes.name)


def to_dates(codes: pl.Series) -> pl.Series:
    """First day of each period code; nulls stay null; unknown codes raise :class:`PeriodError`."""
    return _lookup(codes, "start", pl.Date())


def frequencies(codes: pl.Series) -> pl.Series:
    """Frequency name (``"month"``, ``"week"``, ...) of each period code."""
    return _lookup(codes, "frequency", pl.String())


def ordinals(codes: pl.Series) -> pl.Series:
    """Ordinal of each period code (consecutive periods of one frequency differ by one)."""
    return _lookup(codes, "ordinal", pl.Int64())


def with_dates(frame: pl.DataFrame, *, period: str = "period", date: str = "date") -> pl.DataFrame:
    """``frame`` with a ``date`` column holding the first day of its ``period`` column."""
    if period not in frame.columns:
        raise PeriodError(
            f"no column {period!r} to read period codes from; columns are {frame.columns}"
        )
    return frame.with_columns(to_dates(frame[period]).alias(date))
