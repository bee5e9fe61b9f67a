"""The one-call library surface: ``catalog()``, ``describe(id)``, ``get(id, ...)`` -> Result.

``get`` reads the local store (a lazy Parquet scan: period and dimension filters are pushed into
the reader). When the series is not stored and navdata is online it syncs it first (one fetch),
then reads. Offline (``offline=True`` or ``NAVDATA_OFFLINE=1``) it raises
:class:`~navdata.errors.MissingDataError` naming the series, the store folder and the command
that fetches it. Bundled key figures (``keyfig.*``) come from the package and always work
offline.

``around(series, milestone, ...)`` is :func:`navdata.events.around` that also accepts a series
id: the id is read with :func:`get` (so it is synced when missing and online) and its statistics
breaks are matched to the series. This wrapper, not ``events``, resolves ids, so that the events
module keeps depending only on frames.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import msgspec
import polars as pl

from navdata import config
from navdata import events as _events
from navdata import series_catalog as _catalog
from navdata._files import write_atomic_with
from navdata.charts import Chart
from navdata.charts import plot as _plot
from navdata.cut import PeriodRange, cut
from navdata.dataset import Dataset, Metadata, Provenance
from navdata.errors import (
    InvalidArgumentError,
    MissingDataError,
    MissingDependencyError,
    RegionError,
    SelectionError,
)
from navdata.key_figures import key_figure
from navdata.language import Language, check_language
from navdata.milestones import Milestone
from navdata.periods import parse_bound
from navdata.regions import current_code, levels
from navdata.regions import harmonise as harmonise_regions
from navdata.series_catalog import BundledRecipe, Series
from navdata.store import ManifestEntry, Store
from navdata.sync import sync_series

__all__ = ["Description", "Result", "around", "catalog", "describe", "get"]

Bound = str | date | None
Codes = str | int | Iterable[str | int]

#: Columns of a tidy frame that hold observations rather than name a category.
_NOT_DIMENSIONS = frozenset({"date", "value", "status", "period"})
#: Region levels ``region=`` accepts besides codes (``landet`` is the whole country).
_LEVELS = {"landet": "country", "fylke": "fylke", "kommune": "kommune", "bydel": "bydel"}


# --- results -------------------------------------------------------------------------------------


class Result:
    """A series as asked for: the tidy frame, its metadata, its catalogue entry, provenance.

    ``frame`` columns: dimensions by navdata name (``region``, ``sex`` ...), optional
    ``<dim>_label``, then ``period``, ``date``, ``value``, ``status``.
    """

    __slots__ = ("entry", "frame", "meta", "series")

    def __init__(
        self,
        frame: pl.DataFrame,
        meta: Metadata,
        series: Series,
        entry: ManifestEntry | None = None,
    ) -> None:
        self.frame = frame
        self.meta = meta
        self.series = series
        self.entry = entry

    @property
    def series_id(self) -> str:
        """The catalogue id (``navdata.around`` reads it to pick the series' breaks)."""
        return self.series.id

    @property
    def provenance(self) -> Provenance | None:
        """Where the numbers came from: publisher, URL, query, retrieval time, content hash."""
        return self.meta.provenance

    def __repr__(self) -> str:
        prov = self.provenance
        retrieved = prov.retrieved.isoformat(timespec="seconds") if prov and prov.retrieved else "-"
        periods = self.frame["period"] if "period" in self.frame.columns else None
        span = (
            f"{periods.min()!s}..{periods.max()!s}"
            if periods is not None and periods.len()
            else "-"
        )
        return (
            f"<navdata.Result {self.series.id!r}: {self.series.title.en}\n"
            f"  {self.frame.height} rows x {self.frame.width} columns "
            f"({', '.join(self.frame.columns)}); periods {span}\n"
            f"  unit: {self.series.unit.en}; source: {self.series.publisher} "
            f"({self.series.source_url}), {self.series.licence}; retrieved {retrieved}>"
        )

    def to_pandas(self) -> Any:
        """The frame as a pandas DataFrame (needs pandas; pyarrow is used when installed)."""
        try:
            import pandas as pd  # noqa: PLC0415 - optional dependency
        except ModuleNotFoundError as err:
            msg = "to_pandas() needs pandas: pip install pandas"
            raise MissingDependencyError(msg) from err
        try:
            return self.frame.to_pandas()
        except ModuleNotFoundError:  # no pyarrow: build column by column
            out = pd.DataFrame(self.frame.to_dict(as_series=False))
            if "date" in out.columns:
                out["date"] = pd.to_datetime(out["date"])
            return out

    def plot(self, *, by: str | None = None, lang: Language = "nb", **options: Any) -> Chart:
        """A line chart with timeline milestones and this series' statistics breaks.

        ``by`` defaults to the one dimension whose codes vary in the frame (one line per code,
        e.g. per region); filter the frame first when several vary. Other options go to
        :func:`navdata.charts.plot` (``milestones="trust-reform"``, ``width``, ``height`` ...).
        Needs matplotlib: ``pip install "navdata[plot]"``.
        """
        if by is None:
            by = self._varying_dimension()
        options.setdefault("title", self.series.title.in_lang(lang))
        options.setdefault("unit", self.series.unit.in_lang(lang))
        options.setdefault("series_id", self.series.id)
        return _plot(Dataset(self.frame, self.meta), by=by, lang=lang, **options)

    def _varying_dimension(self) -> str | None:
        varying = [
            name
            for name in self.meta.dimension_ids
            if name in self.frame.columns
            and name not in ("period", "date")
            and self.frame.get_column(name).n_unique() > 1
        ]
        if len(varying) > 1:
            msg = (
                f"several dimensions vary in this frame ({', '.join(varying)}): pass by=<one of "
                "them> and filter the others, e.g. navdata.get(id, sex='0').plot(by='region')"
            )
            raise InvalidArgumentError(msg)
        return varying[0] if varying else None

    def write_csv(self, path: str | os.PathLike[str]) -> Path:
        """Write the frame as UTF-8 CSV, all or nothing (temp file + rename)."""
        return write_atomic_with(path, self.frame.write_csv)

    def write_parquet(self, path: str | os.PathLike[str]) -> Path:
        """Write the frame as Parquet (zstd), all or nothing (temp file + rename)."""
        return write_atomic_with(
            path, lambda tmp: self.frame.write_parquet(tmp, compression="zstd")
        )


class Description(msgspec.Struct, frozen=True, omit_defaults=True):
    """What the catalogue says about a series and, when it is in the store, where it came from."""

    series: Series
    stored: ManifestEntry | None = None
    store: str | None = None


# --- catalogue -----------------------------------------------------------------------------------


def catalog(
    topic: str | None = None,
    source: str | None = None,
    frequency: str | None = None,
    *,
    lang: Language = "nb",
) -> pl.DataFrame:
    """One row per series (fetched and bundled); filter by topic, source, frequency."""
    return _catalog.catalog(
        topic, source, frequency, lang=check_language(lang, ssb_codes=True), bundled=True
    )


def describe(series_id: str, *, store: Store | None = None) -> Description:
    """The catalogue entry of ``series_id`` plus the store's provenance when it is synced."""
    series = _catalog.describe(series_id)
    if isinstance(series.recipe, BundledRecipe):
        return Description(series)
    target = _store(store)
    return Description(series, target.entries().get(series_id), str(target.path))


# --- get -----------------------------------------------------------------------------------------


def _store(store: Store | None) -> Store:
    return store if store is not None else Store()


def _codes(name: str, value: Codes) -> list[str]:
    items = [value] if isinstance(value, str | int) else list(value)
    if not items or any(not isinstance(v, str | int) or isinstance(v, bool) for v in items):
        msg = f"{name}= takes a code or a list of codes, got {value!r}"
        raise InvalidArgumentError(msg)
    return [str(v) for v in items]


def _check_bound(name: str, value: object) -> Bound:
    if isinstance(value, str):
        parse_bound(value, end=name == "end")  # PeriodError naming the bad text, before any read
        return value
    if value is not None and not isinstance(value, date):
        msg = f"{name}= takes a period code (2020M03), an ISO date or a date, not {value!r}"
        raise InvalidArgumentError(msg)
    return value


def _periods(start: Bound, end: Bound, frequency: str) -> PeriodRange:
    """The range asked for, widened to whole periods of the series.

    ``start`` after ``end`` is a swapped pair, not a question whose answer is no rows.
    """
    periods = PeriodRange.parse(start, end)
    if periods.reversed:
        msg = f"start={start!s} comes after end={end!s}; swap them"
        raise InvalidArgumentError(msg)
    return periods.covering(frequency)


def _missing_offline(series: Series, store: Store) -> MissingDataError:
    msg = (
        f"series {series.id!r} is not in the local store at {store.path} and navdata is offline "
        f"(offline=True or NAVDATA_OFFLINE=1); run `navdata sync {series.id}` while online to "
        f"fetch it from {series.publisher} ({series.source_url})"
    )
    return MissingDataError(msg)


def _dimension_names(meta: Metadata, columns: Sequence[str]) -> list[str]:
    """The published dimensions present in the frame.

    Per-value columns such as a key figure's ``source_url`` are not dimensions, so they are
    neither filters nor groups. Metadata that lists no dimensions (a frame stored without
    them) falls back to every column but the observation's own.
    """
    if not meta.dimension_ids:
        return [c for c in columns if c not in _NOT_DIMENSIONS and not c.endswith("_label")]
    return [d for d in meta.dimension_ids if d in columns and d not in _NOT_DIMENSIONS]


def _check_codes(series: Series, meta: Metadata, name: str, codes: list[str]) -> None:
    """A code the series does not hold is an error naming the valid ones, not an empty frame."""
    if name not in meta.dimension_ids:  # no published codes to check against
        return
    dim = meta.dimension(name)
    known = dim.codes
    held = set(known)
    unknown = [c for c in codes if c not in held]
    if unknown:
        shown = ", ".join(
            f"{c} ({dim.label_of(c)})" if dim.label_of(c) != c else c for c in known[:12]
        )
        more = f" and {len(known) - 12} more" if len(known) > 12 else ""
        msg = (
            f"series {series.id!r} holds no {name} {', '.join(map(repr, unknown))}; "
            f"its {name} codes: {shown}{more}"
        )
        raise SelectionError(msg)


def _region_codes(region: Codes) -> list[str]:
    """Region codes as text: the number 301 has lost the leading zero of Oslo's ``0301``."""
    items = [region] if isinstance(region, str | int) else list(region)
    numbers = [v for v in items if isinstance(v, int) and not isinstance(v, bool)]
    if numbers:
        msg = (
            f"region= takes codes as text with their leading zeros ('0301', '03'), not the "
            f"number(s) {', '.join(map(str, numbers))}: a number cannot tell 0301 from 301"
        )
        raise InvalidArgumentError(msg)
    return _codes("region", items)


def _split_region(codes: list[str]) -> tuple[list[str], list[str]]:
    wanted_levels = [_LEVELS[c.lower()] for c in codes if c.lower() in _LEVELS]
    plain = [c for c in codes if c.lower() not in _LEVELS]
    if wanted_levels and plain:
        msg = f"region= takes codes or levels ({', '.join(_LEVELS)}), not both: {codes}"
        raise InvalidArgumentError(msg)
    return plain, wanted_levels


def _filters(
    series: Series,
    meta: Metadata,
    columns: Sequence[str],
    region: Codes | None,
    dimension_filters: Mapping[str, Codes],
    *,
    harmonising: bool = False,
) -> tuple[dict[str, list[str]], list[str]]:
    valid = _dimension_names(meta, columns)
    filters: dict[str, list[str]] = {}
    wanted_levels: list[str] = []
    if region is not None:
        if "region" not in columns:
            msg = (
                f"series {series.id!r} has no region dimension (geography: "
                f"{', '.join(series.geography)}); its dimensions are {', '.join(valid) or 'none'}"
            )
            raise SelectionError(msg)
        plain, wanted_levels = _split_region(_region_codes(region))
        if plain:
            if not harmonising:  # with harmonise, codes of another vintage are expected
                _check_codes(series, meta, "region", plain)
            filters["region"] = plain
    for name, value in dimension_filters.items():
        if name not in valid:
            msg = (
                f"series {series.id!r} has no dimension {name!r} to filter on; valid names: "
                f"{', '.join(valid) or 'none (use start/end for periods)'}"
            )
            raise SelectionError(msg)
        filters[name] = _codes(name, value)
        _check_codes(series, meta, name, filters[name])
    return filters, wanted_levels


def _by_level(frame: pl.DataFrame, wanted: list[str]) -> pl.DataFrame:
    if not wanted:
        return frame
    found = levels(frame["region"])
    return frame.filter(found.is_in(wanted))


def _add_labels(frame: pl.DataFrame, meta: Metadata, lang: Language) -> pl.DataFrame:
    english: dict[str, dict[str, str]] = meta.extension.get("labels_en") or {}
    added = []
    for dim in meta.dimensions:
        if dim.id not in frame.columns or dim.id == "period":
            continue
        labels = (english.get(dim.id) or dim.labels) if lang == "en" else dim.labels
        column = f"{dim.id}_label"
        if column in frame.columns:
            frame = frame.drop(column)
        added.append(
            pl.col(dim.id)
            .cast(pl.String)
            .replace_strict(labels, default=pl.col(dim.id).cast(pl.String), return_dtype=pl.String)
            .alias(column)
        )
    if not added:
        return frame
    frame = frame.with_columns(added)
    tail = [c for c in ("period", "date", "value", "status") if c in frame.columns]
    head = [c for c in frame.columns if c not in tail]
    return frame.select([*head, *tail])


def _harmonised(
    frame: pl.DataFrame, series: Series, vintage: str | date, wanted: list[str] | None
) -> pl.DataFrame:
    """``frame`` re-coded to ``vintage``; with ``wanted`` codes, only the units that map to them.

    The region filter runs after re-coding, not before: ``region="3101"`` with
    ``harmonise="2024"`` must keep Halden's rows published as 0101 (to 2019) and 3001 (2020-23).
    Codes the region table cannot map stay in, so that harmonising them fails loudly instead of
    dropping rows that may belong to the wanted unit.
    """
    if "region" not in frame.columns:
        msg = f"series {series.id!r} has no region column to harmonise"
        raise SelectionError(msg)
    if wanted is None:
        return harmonise_regions(frame, "region", vintage)
    at = parse_bound(vintage)
    keep: list[str] = []
    for code in frame["region"].cast(pl.String).unique().drop_nulls().to_list():
        try:
            if set(current_code(code, at)) & set(wanted):
                keep.append(code)
        except RegionError:
            keep.append(code)
    subset = frame.filter(pl.col("region").cast(pl.String).is_in(keep))
    out = harmonise_regions(subset, "region", vintage)
    return out.filter(pl.col("region").cast(pl.String).is_in(wanted))


def get(  # noqa: PLR0917 - the documented positional order: id, start, end, region
    series_id: str,
    start: Bound = None,
    end: Bound = None,
    region: Codes | None = None,
    labels: bool = False,
    lang: Language = "nb",
    harmonise: str | date | None = None,
    store: Store | None = None,
    offline: bool | None = None,
    **dimension_filters: Codes,
) -> Result:
    """A catalogued series as a tidy frame with its metadata and provenance.

    ``start``/``end``: period codes (``2020``, ``2020K1``, ``2020M03``) or ISO dates, both ends
    inclusive: every period that overlaps the range is kept (``start="2020-06-15"`` on a yearly
    series keeps 2020). ``region``: a code, a list of codes, or a level (``landet``, ``fylke``,
    ``kommune``, ``bydel``). Other keywords filter dimensions by code (``sex="2"``); an unknown
    name raises :class:`~navdata.errors.SelectionError` listing the valid ones. ``labels=True``
    adds ``<dim>_label`` columns in ``lang``. ``harmonise="2024"`` re-codes regions to the 2024
    structure (sums merged units; see :func:`navdata.regions.harmonise`).
    """
    series = _catalog.describe(series_id)
    lang = check_language(lang, ssb_codes=True)
    # every period overlapping the range is kept: the start moves to its period's first day
    periods = _periods(_check_bound("start", start), _check_bound("end", end), series.frequency)
    recoded: list[str] | None = None  # region codes to keep after harmonising, not before
    if isinstance(series.recipe, BundledRecipe):
        dataset = key_figure(series.id)
        meta, entry = dataset.meta, None
        filters, wanted = _filters(
            series,
            meta,
            dataset.frame.columns,
            region,
            dimension_filters,
            harmonising=harmonise is not None,
        )
        if harmonise is not None:
            recoded = filters.pop("region", None)
        frame = cut(dataset.frame, periods, filters, name=f"series {series.id!r}")
    else:
        target = _store(store)
        if not target.has(series.id):
            if config.offline() if offline is None else offline:
                raise _missing_offline(series, target)
            sync_series(series, target)
        entry = target.entry(series.id)  # one version for the metadata and the rows
        meta = target.metadata(entry)
        filters, wanted = _filters(
            series,
            meta,
            entry.columns,
            region,
            dimension_filters,
            harmonising=harmonise is not None,
        )
        if harmonise is not None:
            recoded = filters.pop("region", None)
        frame = target.query(entry, periods.first, periods.last, filters).collect()
    frame = _by_level(frame, wanted)
    if harmonise is not None:
        frame = _harmonised(frame, series, harmonise, recoded)
    if labels:
        frame = _add_labels(frame, meta, lang)
    return Result(frame, meta, series, entry)


# --- event windows -------------------------------------------------------------------------------


def around(
    series: str | object,
    milestone_id: str | Milestone,
    before: int = 12,
    after: int = 12,
    **options: Any,
) -> _events.EventWindow:
    """:func:`navdata.events.around` that also takes a series id (read with :func:`get`)."""
    if isinstance(series, str):
        result = get(series)
        options.setdefault("series_id", series)
        return _events.around(result, milestone_id, before, after, **options)
    return _events.around(series, milestone_id, before, after, **options)
