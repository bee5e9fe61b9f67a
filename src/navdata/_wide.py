"""Long tidy frames -> one wide frame: a row per period, a column per series and remaining code.

For plotting and regression, what :meth:`navdata.Result.wide`, :meth:`navdata.ResultSet.wide`
and :meth:`navdata.TableResult.wide` give. A column is named by its series (or table) and,
when a dimension takes several codes in that series, by those codes: ``nav.helt_ledige`` when
one value per period is left, ``nav.helt_ledige[region=03]`` or
``ssb.aku.unemployment_rate.by_sex_age[sex=1,age=15-24]`` otherwise. Dimensions that keep one
code throughout (the AKU series' ``sex=0``) do not lengthen the name. Rows are the union of the
periods of all parts, ordered by date: series of different frequencies share no row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import polars as pl

from navdata.errors import InvalidArgumentError

__all__ = ["Part", "wide"]


class Part(NamedTuple):
    """One series (or table) to spread: its name, its long frame and its dimension columns."""

    name: str
    frame: pl.DataFrame
    dimensions: Sequence[str]


def _column_name(name: str, frame: pl.DataFrame, dimensions: Sequence[str]) -> pl.Expr:
    varying = [d for d in dimensions if frame.get_column(d).n_unique() > 1]
    if not varying:
        return pl.lit(name, dtype=pl.String)
    codes = [pl.lit(f"{d}=") + pl.col(d).cast(pl.String).fill_null("") for d in varying]
    return pl.concat_str([pl.lit(f"{name}["), pl.concat_str(codes, separator=","), pl.lit("]")])


def _spread(part: Part) -> pl.DataFrame:
    frame = part.frame
    index = [c for c in ("period", "date") if c in frame.columns]
    if "period" not in index or "value" not in frame.columns:
        msg = f"{part.name}: a wide frame needs the period and value columns of a tidy frame"
        raise InvalidArgumentError(msg)
    if frame.height == 0:  # nothing in the range: the series keeps its (empty) column
        return frame.select(*index, pl.col("value").cast(pl.Float64).alias(part.name))
    long = frame.select(
        _column_name(part.name, frame, part.dimensions).alias("column"), *index, "value"
    )
    if long.select(pl.struct("column", "period").is_duplicated().any()).item():
        msg = (
            f"{part.name} holds several values for one period and column; its dimensions "
            f"({', '.join(part.dimensions) or 'none'}) do not tell its rows apart"
        )
        raise InvalidArgumentError(msg)
    return long.pivot(on="column", index=index, values="value")


def wide(parts: Sequence[Part]) -> pl.DataFrame:
    """One row per period (and ``date``), one Float64 column per series and varying code.

    Parameters
    ----------
    parts
        The series to spread, in the order their columns appear.

    Returns
    -------
    polars.DataFrame
        ``period``, ``date`` (when the frames have it), then the value columns; a period one
        series lacks holds null in its columns.

    Raises
    ------
    InvalidArgumentError
        A frame is not tidy (no ``period`` or ``value``), or two of its rows would land in
        the same cell.
    """
    spread = [_spread(part) for part in parts]
    if not spread:
        return pl.DataFrame({"period": []}, schema={"period": pl.String})
    dated = all("date" in s.columns for s in spread)
    if not dated:
        spread = [s.drop("date", strict=False) for s in spread]
    index = ["period", "date"] if dated else ["period"]
    out = spread[0]
    for more in spread[1:]:
        out = out.join(more, on=index, how="full", coalesce=True, maintain_order="left_right")
    return out.sort(["date", "period"] if dated else ["period"], maintain_order=True)
