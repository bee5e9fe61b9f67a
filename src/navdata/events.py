"""Event windows: a series aligned to a timeline milestone, compared before and after.

``around(frame, "trust-reform-nav-start", before=12, after=12)`` numbers the periods of each
series relative to the milestone (-1 is the last period before it, 0 the period that contains
it) and reports the mean level on each side. Decisions, so that results can be relied on:

* Period 0 counts as *after*: the "before" side is periods ``-before .. -1`` and the "after"
  side is periods ``0 .. after-1``. Most milestones take effect on the first day of a period
  (reforms in force on 1 January, registers changed from a month's start), and NAV's stocks are
  counted at the end of the period, so period 0 already shows the new regime.
* A milestone known only to the month or year is placed only when its whole uncertain span
  falls in one period of the series (a month-precision milestone fits a quarterly series, a
  year-precision one does not fit a monthly series). Otherwise :class:`InvalidArgumentError`,
  because guessing a period would invent a date.
* Means and counts use the published values only: a null value is not a zero, and ``n_before``
  / ``n_after`` count the periods that had a value.
* Only rows inside the window are read; values outside it cannot change the result.
* A statistics break inside the window (a milestone tagged ``statistics-break`` whose ``affects``
  names the series, or any break when the series id is unknown) is listed in
  :attr:`EventWindow.warnings` and emitted as a :class:`StatisticsBreakWarning`, because a
  before/after difference across a break may be the break itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import polars as pl

from navdata._warn import warn
from navdata.errors import InvalidArgumentError
from navdata.milestones import Milestone, load_milestones, milestone
from navdata.periods import Period, frequencies, ordinals, period_of, shift

__all__ = ["EventWindow", "StatisticsBreakWarning", "around"]

# Columns of the tidy frame that describe an observation rather than name a series.
_NOT_GROUPS: Final = frozenset({"date", "status"})
_ALL: Final = "__navdata_all__"


class StatisticsBreakWarning(UserWarning):
    """A statistics break falls inside an event window; a change across it may be the break."""


@dataclass(frozen=True, slots=True)
class EventWindow:
    """The result of :func:`around`.

    ``frame``: the rows inside the window, with ``relative`` (period number relative to the
    milestone) and ``side`` (``"before"``/``"after"``) added, sorted by group and period.
    ``summary``: one row per group with ``n_before``, ``n_after``, ``mean_before``,
    ``mean_after``, ``change`` (after minus before) and ``relative_change`` (change divided by
    the mean before; null when that mean is zero or missing).
    """

    milestone: Milestone
    frequency: str
    period_zero: str
    first_period: str
    last_period: str
    before: int
    after: int
    by: tuple[str, ...]
    frame: pl.DataFrame
    summary: pl.DataFrame
    warnings: tuple[Milestone, ...]


def around(
    series_or_frame: object,
    milestone_id: str | Milestone,
    before: int = 12,
    after: int = 12,
    *,
    by: str | Sequence[str] | None = None,
    value: str = "value",
    period: str = "period",
    series_id: str | None = None,
) -> EventWindow:
    """Align a series to a milestone and compare its mean level before and after.

    ``series_or_frame`` is a tidy polars DataFrame (a ``period`` column of codes such as
    ``2024M03``, ``2024K1`` or ``2024``, a numeric ``value`` column, optional dimension columns)
    or an object with a ``.frame`` holding one, such as :class:`navdata.Dataset`. ``by`` names
    the columns that tell series apart (for example ``"region"``). By default, an object with
    ``.meta`` groups by its published dimensions (so per-value columns such as a key figure's
    ``source_url`` are not mistaken for groups); a bare frame groups by every column except the
    period, the value, ``date``, ``status`` and ``*_label`` columns. ``series_id``
    (or a ``series_id`` attribute on the object) selects the statistics breaks that concern this
    series; without it every break in the window is reported.
    """
    frame, found_id = _frame_of(series_or_frame)
    series_id = series_id or found_id
    event = milestone_id if isinstance(milestone_id, Milestone) else milestone(milestone_id)
    _check_sizes(before, after)
    groups = _group_columns(
        frame, by, value=value, period=period, dimensions=_dimension_ids(series_or_frame)
    )
    frequency = _frequency(frame, period)
    zero = _period_zero(event, frequency)
    aligned = _aligned(
        frame, period=period, zero=zero.ordinal, before=before, after=after, groups=groups
    )
    _check_unique(aligned, groups, period)
    summary = _summary(frame, aligned, groups, value)
    first, last = shift(zero.code, -before), shift(zero.code, after - 1)
    breaks = _breaks_inside(zero.ordinal - before, zero.ordinal + after - 1, frequency, series_id)
    for found in breaks:
        warn(_break_message(found, event, first, last), StatisticsBreakWarning)
    return EventWindow(
        milestone=event,
        frequency=frequency,
        period_zero=zero.code,
        first_period=first,
        last_period=last,
        before=before,
        after=after,
        by=tuple(groups),
        frame=aligned.drop(_ALL, strict=False),
        summary=summary.drop(_ALL, strict=False),
        warnings=breaks,
    )


# --- input -------------------------------------------------------------------------------------


def _frame_of(source: object) -> tuple[pl.DataFrame, str | None]:
    """The frame and, when it says so, the series id behind what the caller passed.

    A series id (``str``) is resolved one level up, by :func:`navdata.around`, which reads it
    with :func:`navdata.get`; this module stays free of the store and the sources.
    """
    found_id = getattr(source, "series_id", None)
    found_id = found_id if isinstance(found_id, str) else None
    if isinstance(source, pl.DataFrame):
        return source, None
    inner = getattr(source, "frame", None)
    if isinstance(inner, pl.DataFrame):
        return inner, found_id
    if isinstance(source, str):
        msg = (
            f"events.around() takes a polars DataFrame or a navdata.Dataset, not the series id "
            f"{source!r}; navdata.around() reads a series id for you, or pass navdata.get(id)"
        )
        raise InvalidArgumentError(msg)
    msg = (
        f"around() takes a polars DataFrame or an object with a .frame DataFrame "
        f"(navdata.Dataset), not {type(source).__name__}; call .collect() on a LazyFrame first"
    )
    raise InvalidArgumentError(msg)


def _dimension_ids(source: object) -> list[str] | None:
    """The published dimension ids of a Dataset or Result; ``None`` when it describes none."""
    meta = getattr(source, "meta", None)
    ids = getattr(meta, "dimension_ids", None)
    if isinstance(ids, list) and ids and all(isinstance(i, str) for i in ids):
        return ids
    return None


def _check_sizes(before: int, after: int) -> None:
    for name, size in (("before", before), ("after", after)):
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            msg = f"{name} must be a whole number of periods of at least 1, not {size!r}"
            raise InvalidArgumentError(msg)


def _group_columns(
    frame: pl.DataFrame,
    by: str | Sequence[str] | None,
    *,
    value: str,
    period: str,
    dimensions: list[str] | None = None,
) -> list[str]:
    for name, role in ((period, "period"), (value, "value")):
        if name not in frame.columns:
            msg = f"no {role} column {name!r}; the frame has {frame.columns} (pass {role}=...)"
            raise InvalidArgumentError(msg)
    if not frame.schema[value].is_numeric():
        msg = f"the value column {value!r} holds {frame.schema[value]}, not numbers"
        raise InvalidArgumentError(msg)
    if by is None and dimensions is not None:
        skip = {period, value, *_NOT_GROUPS}
        return [d for d in dimensions if d in frame.columns and d not in skip]
    if by is None:
        return [
            c
            for c in frame.columns
            if c not in (period, value) and c not in _NOT_GROUPS and not c.endswith("_label")
        ]
    groups = [by] if isinstance(by, str) else list(by)
    bad = [c for c in groups if c not in frame.columns or c in (period, value)]
    if bad:
        msg = f"cannot group by {bad}: use columns of the frame other than {period!r}/{value!r}"
        raise InvalidArgumentError(msg)
    return groups


def _frequency(frame: pl.DataFrame, period: str) -> str:
    if frame.is_empty():
        raise InvalidArgumentError("the frame has no rows; there is nothing to align")
    if frame[period].null_count():
        raise InvalidArgumentError(f"the {period!r} column has nulls; every row needs a period")
    found = frequencies(frame[period]).unique().sort().to_list()
    if len(found) != 1 or found[0] == "interval":
        msg = (
            f"an event window needs one regular frequency, but the periods are {found}; "
            "filter the frame to one frequency first"
        )
        raise InvalidArgumentError(msg)
    return str(found[0])


def _period_zero(event: Milestone, frequency: str) -> Period:
    """Period 0 of a window: the period of the series that contains the milestone."""
    first_day, last_day = event.span
    zero = period_of(first_day, frequency)
    last = period_of(last_day, frequency)
    if zero.code != last.code:
        msg = (
            f"milestone {event.id!r} is dated only to the {event.precision} "
            f"({first_day} to {last_day}), which spans periods {zero.code} to {last.code} of "
            f"this {frequency} series; use a series of a coarser frequency or a milestone known "
            "more precisely"
        )
        raise InvalidArgumentError(msg)
    return zero


# --- computation -------------------------------------------------------------------------------


def _aligned(
    frame: pl.DataFrame, *, period: str, zero: int, before: int, after: int, groups: list[str]
) -> pl.DataFrame:
    relative = (ordinals(frame[period]) - zero).alias("relative")
    inside = frame.with_columns(relative).filter(pl.col("relative").is_between(-before, after - 1))
    side = pl.when(pl.col("relative") < 0).then(pl.lit("before")).otherwise(pl.lit("after"))
    keys = groups or [_ALL]
    if not groups:
        inside = inside.with_columns(pl.lit(0).alias(_ALL))
    return inside.with_columns(side.alias("side")).sort([*keys, "relative"], nulls_last=True)


def _check_unique(aligned: pl.DataFrame, groups: list[str], period: str) -> None:
    keys = [*(groups or [_ALL]), "relative"]
    duplicated = aligned.filter(aligned.select(keys).is_duplicated())
    if duplicated.height:
        example = duplicated.row(0, named=True)
        shown = {k: example[k] for k in [*groups, period]}
        msg = (
            f"more than one row for the same period and group, e.g. {shown}; name the columns "
            "that tell the series apart with by=[...] or filter the frame first"
        )
        raise InvalidArgumentError(msg)


def _summary(
    frame: pl.DataFrame, aligned: pl.DataFrame, groups: list[str], value: str
) -> pl.DataFrame:
    keys = groups or [_ALL]
    level = pl.col(value).cast(pl.Float64)
    is_before = pl.col("side") == "before"
    sides = aligned.group_by(keys).agg(
        level.filter(is_before).count().alias("n_before"),
        level.filter(~is_before).count().alias("n_after"),
        level.filter(is_before).mean().alias("mean_before"),
        level.filter(~is_before).mean().alias("mean_after"),
    )
    everyone = (
        frame.select(groups).unique(maintain_order=True)
        if groups
        else pl.DataFrame({_ALL: [0]}, schema={_ALL: pl.Int32()})
    )
    change = pl.col("mean_after") - pl.col("mean_before")
    relative = pl.when(pl.col("mean_before") != 0).then(change / pl.col("mean_before"))
    return (
        everyone.join(sides, on=keys, how="left", nulls_equal=True, maintain_order="left")
        .with_columns(pl.col("n_before", "n_after").fill_null(0).cast(pl.Int64))
        .with_columns(change.alias("change"), relative.alias("relative_change"))
        .sort(keys, nulls_last=True)
    )


# --- statistics breaks -------------------------------------------------------------------------


def _breaks_inside(
    first: int, last: int, frequency: str, series_id: str | None
) -> tuple[Milestone, ...]:
    found = []
    for record in load_milestones():
        if not record.is_break or (series_id is not None and not record.breaks_series(series_id)):
            continue
        start_day, end_day = record.span
        starts = period_of(start_day, frequency).ordinal
        ends = period_of(end_day, frequency).ordinal
        if starts <= last and ends >= first:
            found.append(record)
    return tuple(found)


def _break_message(found: Milestone, event: Milestone, first: str, last: str) -> str:
    itself = " (the milestone itself)" if found.id == event.id else ""
    return (
        f"statistics break {found.id!r}{itself} ({found.date}, precision {found.precision}) "
        f"falls inside the window {first}..{last} around {event.id!r}: {found.title_en}. "
        "A change across it may be the break, not the event"
    )
