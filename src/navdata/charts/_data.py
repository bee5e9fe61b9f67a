"""Checking the data a chart is asked to draw, and turning it into lines with their gaps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

import polars as pl

from navdata.charts._model import Line
from navdata.charts._style import MAX_LINES_LIMIT
from navdata.dataset import Metadata
from navdata.errors import InvalidArgumentError
from navdata.periods import frequencies, ordinals, parse_period, with_dates

__all__ = ["check_max_lines", "check_size", "date_range", "prepare_lines", "series_id_of"]


def check_size(width: object, height: object) -> None:
    for name, size in (("width", width), ("height", height)):
        if not isinstance(size, int) or isinstance(size, bool) or not 200 <= size <= 4000:
            msg = f"{name} must be a whole number of pixels from 200 to 4000, not {size!r}"
            raise InvalidArgumentError(msg)


def check_max_lines(max_lines: object) -> None:
    if not isinstance(max_lines, int) or not 1 <= max_lines <= MAX_LINES_LIMIT:
        msg = f"max_lines must be a whole number from 1 to {MAX_LINES_LIMIT}, not {max_lines!r}"
        raise InvalidArgumentError(msg)


def prepare_lines(
    frame: pl.DataFrame,
    meta: Metadata | None,
    *,
    value: str,
    date: str,
    by: str | None,
    max_lines: int,
) -> list[Line]:
    if frame.height == 0:
        raise InvalidArgumentError("nothing to plot: the frame has no rows")
    if value not in frame.columns:
        msg = f"no value column {value!r}; the frame has {frame.columns} (pass value=...)"
        raise InvalidArgumentError(msg)
    if not frame.schema[value].is_numeric():
        msg = f"column {value!r} holds {frame.schema[value]}, not numbers; pass value=..."
        raise InvalidArgumentError(msg)
    if date not in frame.columns:
        if "period" not in frame.columns:
            msg = f"no {date!r} column and no 'period' column to derive dates from; pass date=..."
            raise InvalidArgumentError(msg)
        frame = with_dates(frame, period="period", date=date)
    if not isinstance(frame.schema[date], pl.Date | pl.Datetime):
        msg = f"column {date!r} holds {frame.schema[date]}, not dates; pass date=..."
        raise InvalidArgumentError(msg)
    if by is not None and by not in frame.columns:
        msg = f"no column {by!r} to group lines by; the frame has {frame.columns}"
        raise InvalidArgumentError(msg)
    frame = _with_period_steps(frame.filter(pl.col(date).is_not_null()), date)
    if frame[value].drop_nulls().len() == 0:
        raise InvalidArgumentError(f"nothing to plot: every value in {value!r} is null")
    keys = [date] if by is None else [by, date]
    repeated = frame.group_by(keys).len().filter(pl.col("len") > 1)
    if repeated.height:
        example = repeated.row(0, named=True)
        hint = "pass by=... to draw one line per group, or filter" if by is None else "filter"
        msg = (
            f"{repeated.height} dates have more than one row (e.g. {example}); "
            f"{hint} the frame down to one value per date"
        )
        raise InvalidArgumentError(msg)
    if by is None:
        return [_line("", frame, value, date)]
    codes = sorted(str(code) for code in frame[by].unique().to_list())
    if len(codes) > max_lines:
        msg = (
            f"{len(codes)} groups in column {by!r} would give {len(codes)} lines, more than "
            f"max_lines={max_lines}; filter the frame to fewer groups "
            f"(e.g. frame.filter(pl.col({by!r}).is_in([...]))) or raise max_lines "
            f"(at most {MAX_LINES_LIMIT})"
        )
        raise InvalidArgumentError(msg)
    labels = _group_labels(frame, meta, by)
    keyed = frame.with_columns(pl.col(by).cast(pl.String).alias("__group"))
    return [
        _line(labels.get(code, code), keyed.filter(pl.col("__group") == code), value, date)
        for code in codes
    ]


_FREQUENCY: Final = "__navdata_frequency"
_ORDINAL: Final = "__navdata_ordinal"
_END: Final = "__navdata_end"


def _with_period_steps(frame: pl.DataFrame, date: str) -> pl.DataFrame:
    """``frame`` with each row's period frequency, ordinal and last day, to find gaps and ends.

    Without a ``period`` column the frequency and ordinal are null and the end is the date.
    """
    if "period" not in frame.columns:
        return frame.with_columns(
            pl.lit(None, dtype=pl.String).alias(_FREQUENCY),
            pl.lit(None, dtype=pl.Int64).alias(_ORDINAL),
            pl.col(date).cast(pl.Date).alias(_END),
        )
    codes = frame["period"].cast(pl.String)
    distinct = codes.drop_nulls().unique()
    last_days = [parse_period(code).end for code in distinct.to_list()]
    return frame.with_columns(
        frequencies(codes).alias(_FREQUENCY),
        ordinals(codes).alias(_ORDINAL),
        codes.replace_strict(distinct, last_days, default=None, return_dtype=pl.Date)
        .fill_null(frame[date].cast(pl.Date))
        .alias(_END),
    )


def _line(label: str, frame: pl.DataFrame, value: str, date: str) -> Line:
    ordered = frame.sort(date)
    days = [d.date() if isinstance(d, dt.datetime) else d for d in ordered[date].to_list()]
    steps = list(zip(ordered[_FREQUENCY], ordered[_ORDINAL], ordered[_END], days, strict=True))
    follows = [index > 0 and _adjacent(steps[index - 1], step) for index, step in enumerate(steps)]
    return Line(
        label, days, ordered[value].cast(pl.Float64).to_list(), ordered[_END].to_list(), follows
    )


def _adjacent(
    before: tuple[str | None, int | None, dt.date, dt.date],
    after: tuple[str | None, int | None, dt.date, dt.date],
) -> bool:
    """Whether nothing is missing between two consecutive observations of one line.

    Periods of one frequency are adjacent when their ordinals differ by one (intervals, whose
    ordinal is their first year, when one starts the day after the other ends). Dates without
    periods have no known step, so only a null value breaks such a line.
    """
    frequency, ordinal, end, _ = before
    next_frequency, next_ordinal, _, start = after
    if frequency is None and next_frequency is None:
        return True
    if frequency != next_frequency or ordinal is None or next_ordinal is None:
        return False
    if frequency == "interval":
        return start == end + dt.timedelta(days=1)
    return next_ordinal == ordinal + 1


def _group_labels(frame: pl.DataFrame, meta: Metadata | None, by: str) -> dict[str, str]:
    label_column = f"{by}_label"
    if label_column in frame.columns:
        pairs = frame.select(pl.col(by).cast(pl.String), pl.col(label_column)).unique(by)
        return {code: str(label) for code, label in pairs.rows() if label is not None}
    if meta is not None and by in meta.dimension_ids:
        dimension = meta.dimension(by)
        return {code: dimension.label_of(code) for code in dimension.codes}
    return {}


def date_range(lines: Sequence[Line]) -> tuple[dt.date, dt.date]:
    """From the first observed point to the last day its last observed period covers."""
    observed = [
        (day, end)
        for line in lines
        for day, end, number in zip(line.dates, line.ends, line.values, strict=True)
        if number is not None
    ]
    return min(day for day, _ in observed), max(end for _, end in observed)


def series_id_of(meta: Metadata | None) -> str | None:
    if meta is None:
        return None
    named = meta.extension.get("series_id")
    if isinstance(named, str):
        return named
    return meta.provenance.table if meta.provenance is not None else None
