"""Vintages: every version the store kept of a series, and what changed between two of them.

``versions("ssb.aku.unemployment_rate")`` lists what each sync committed; ``revisions(...)``
answers "what did SSB revise this month?": one row per cell whose value or status differs
between two versions, or that one of them lacks. A cell is a combination of the series'
dimension codes and a period; ``change`` says ``revised``, ``added`` or ``removed``.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from navdata import series_catalog as _catalog
from navdata._surface import words
from navdata.dataset import Metadata
from navdata.errors import InvalidArgumentError, MissingDataError
from navdata.series_catalog import BundledRecipe
from navdata.store import AsOf, ManifestEntry, Store, pick_version

__all__ = [
    "VERSION_COLUMNS",
    "cell_key",
    "diff_versions",
    "revisions",
    "versions",
    "versions_frame",
]

#: The columns of :func:`versions`, in order.
VERSION_COLUMNS: Final[dict[str, pl.DataType]] = {
    "version": pl.Int64(),
    "synced_at": pl.Datetime("us", "UTC"),
    "source_updated": pl.String(),
    "retrieved": pl.Datetime("us", "UTC"),
    "rows": pl.Int64(),
    "content_hash": pl.String(),
    "navdata_version": pl.String(),
}
_OBSERVATION: Final = frozenset({"value", "status", "date"})


def _stored(series_id: str, store: Store | None) -> Store:
    series = _catalog.describe(series_id)  # UnknownSeriesError with suggestions
    if isinstance(series.recipe, BundledRecipe):
        msg = (
            f"{series_id!r} is bundled with navdata: its figures change with navdata releases, "
            "not in the store, so it has no versions there"
        )
        raise InvalidArgumentError(msg)
    return store if store is not None else Store()


def versions_frame(entries: list[ManifestEntry]) -> pl.DataFrame:
    """Version records as the frame :func:`versions` returns (also the service's body)."""
    return pl.DataFrame(
        {
            "version": [e.version for e in entries],
            "synced_at": [e.written for e in entries],
            "source_updated": [e.updated for e in entries],
            "retrieved": [e.retrieved for e in entries],
            "rows": [e.rows for e in entries],
            "content_hash": [e.content_hash for e in entries],
            "navdata_version": [e.navdata_version for e in entries],
        },
        schema=VERSION_COLUMNS,
    )


def versions(series_id: str, *, store: Store | None = None) -> pl.DataFrame:
    """Every version of a synced series the store holds, oldest first.

    Parameters
    ----------
    series_id
        A catalogue id of a fetched series (``ssb.*``, ``nav.*``).
    store
        The store to read (default: ``NAVDATA_STORE_DIR`` or the user data folder).

    Returns
    -------
    polars.DataFrame
        ``version`` (pass it as ``as_of``), ``synced_at`` (when the store took it),
        ``source_updated`` (the publisher's own time), ``retrieved``, ``rows``,
        ``content_hash`` (SHA-256 of the data file) and ``navdata_version``.

    Raises
    ------
    UnknownSeriesError
        The id is not in the catalogue.
    InvalidArgumentError
        The series is bundled with navdata (it has no store versions).
    MissingDataError
        The series is not in the store.
    """
    return versions_frame(_stored(series_id, store).versions(series_id))


def cell_key(meta: Metadata, old: pl.DataFrame, new: pl.DataFrame) -> list[str]:
    """The columns that name a cell: the dimensions both versions have, and the period."""
    shared = [c for c in new.columns if c in old.columns]
    dims = [d for d in meta.dimension_ids if d in shared and d not in _OBSERVATION]
    if not dims:  # no published dimensions: every column that is not an observation
        dims = [c for c in shared if c not in _OBSERVATION and not c.endswith("_label")]
    if "period" in shared and "period" not in dims:
        dims.append("period")
    return dims


def diff_versions(old: pl.DataFrame, new: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """One row per cell whose value or status differs, or that only one frame has."""
    if not key:
        msg = "the two versions share no dimension or period column to match cells on"
        raise InvalidArgumentError(msg)

    def side(frame: pl.DataFrame, suffix: str) -> pl.DataFrame:
        status = pl.col("status") if "status" in frame.columns else pl.lit(None, pl.String)
        return frame.select(
            [pl.col(c).cast(pl.String) for c in key]
            + [
                pl.col("value").cast(pl.Float64).alias(f"{suffix}_value"),
                status.cast(pl.String).alias(f"{suffix}_status"),
                pl.lit(True).alias(f"_in_{suffix}"),
            ]
        )

    joined = side(old, "old").join(side(new, "new"), on=key, how="full", coalesce=True)
    in_old = pl.col("_in_old").fill_null(False)
    in_new = pl.col("_in_new").fill_null(False)
    value_changed = pl.col("old_value").ne_missing(pl.col("new_value"))
    status_changed = pl.col("old_status").ne_missing(pl.col("new_status"))
    change = (
        pl.when(~in_old)
        .then(pl.lit("added"))
        .when(~in_new)
        .then(pl.lit("removed"))
        .otherwise(pl.lit("revised"))
    )
    return (
        joined.filter(~in_old | ~in_new | value_changed | status_changed)
        .with_columns(change.alias("change"))
        .select([*key, "old_value", "new_value", "old_status", "new_status", "change"])
        .sort(key)
    )


def revisions(
    series_id: str,
    old: AsOf | None = None,
    new: AsOf | None = None,
    *,
    store: Store | None = None,
) -> pl.DataFrame:
    """The cells that differ between two versions of a synced series.

    Parameters
    ----------
    series_id
        A catalogue id of a fetched series.
    old
        The earlier version: a version number, or a date or datetime (the version the store
        held then). Default: the version before ``new``.
    new
        The later version, in the same forms. Default: the current version.
    store
        The store to read (default: ``NAVDATA_STORE_DIR`` or the user data folder).

    Returns
    -------
    polars.DataFrame
        One row per changed cell: its dimension codes and ``period``, ``old_value``,
        ``new_value``, ``old_status``, ``new_status`` and ``change`` (``revised``; ``added``
        or ``removed`` for a cell only one version has). Empty when nothing changed.

    Raises
    ------
    UnknownSeriesError
        The id is not in the catalogue.
    MissingDataError
        The series is not in the store, or has a single version and ``old`` was not given.
    InvalidArgumentError
        ``old``/``new`` cannot be read, or the series is bundled.
    """
    target = _stored(series_id, store)
    history = target.versions(series_id)  # read once: both versions are picked from it
    newer = pick_version(history, new, series_id) if new is not None else history[-1]
    if old is not None:
        older = pick_version(history, old, series_id)
    else:
        before = [e for e in history if e.version < newer.version]
        if not before:
            listing = words(f"navdata.versions({series_id!r})", f"`navdata versions {series_id}`")
            msg = (
                f"series {series_id!r} has no version before version {newer.version} in the "
                f"store at {target.location}: nothing to compare (see {listing})"
            )
            raise MissingDataError(msg)
        older = before[-1]
    old_data, new_data = target.read(older), target.read(newer)
    key = cell_key(new_data.meta, old_data.frame, new_data.frame)
    return diff_versions(old_data.frame, new_data.frame, key)
