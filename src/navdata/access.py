"""The one-call library surface: ``catalog()``, ``describe(id)``, ``get(id, ...)`` -> Result.

``get`` reads the store (a lazy Parquet scan: period and dimension filters are pushed into
the reader). When the series is not stored and navdata is online it syncs it first (one fetch),
then reads. ``as_of`` reads the version the store held at a moment (or a version by number)
and never syncs: it asks about the past. Offline (``offline=True`` or ``NAVDATA_OFFLINE=1``) it
raises
:class:`~navdata.errors.MissingDataError` naming the series, the store folder and the command
that fetches it. Bundled key figures (``keyfig.*``) come from the package and always work
offline.

``around(series, milestone, ...)`` is :func:`navdata.events.around` that also accepts a series
id: the id is read with :func:`get` (so it is synced when missing and online) and its statistics
breaks are matched to the series. This wrapper, not ``events``, resolves ids, so that the events
module keeps depending only on frames.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, overload

import msgspec
import polars as pl

from navdata import config
from navdata import events as _events
from navdata import series_catalog as _catalog
from navdata._surface import words
from navdata.cut import PeriodRange, cut
from navdata.dataset import Metadata
from navdata.errors import (
    InvalidArgumentError,
    MissingDataError,
    RegionError,
    SelectionError,
    UpstreamUnreachableError,
)
from navdata.key_figures import key_figure, key_figures_retrieved
from navdata.language import Language, check_language
from navdata.listing import catalog
from navdata.milestones import Milestone
from navdata.periods import parse_bound
from navdata.regions import current_code, levels
from navdata.regions import harmonise as harmonise_regions
from navdata.result import Description, Result, ResultSet
from navdata.series_catalog import BundledRecipe, Series
from navdata.store import AsOf, Store
from navdata.sync import sync_series

__all__ = ["Description", "Result", "ResultSet", "around", "catalog", "describe", "get"]

Bound = str | int | date | None
Codes = str | int | Iterable[str | int]

#: Region levels ``region=`` accepts besides codes (``landet`` is the whole country).
_LEVELS = {"landet": "country", "fylke": "fylke", "kommune": "kommune", "bydel": "bydel"}


# --- catalogue -----------------------------------------------------------------------------------


def describe(series_id: str, *, store: Store | None = None) -> Description:
    """The catalogue entry of a series plus the store's provenance when it is synced.

    Parameters
    ----------
    series_id
        A catalogue id such as ``"ssb.aku.unemployment_rate"``.
    store
        The store to look in (default: ``NAVDATA_STORE_DIR`` or the user data folder).

    Returns
    -------
    Description
        ``series`` (what it is, where it comes from), and ``stored`` (the manifest entry:
        retrieval time, URL, content hash) with the ``store`` folder when it is synced; for a
        bundled series, ``retrieved``, when its figures were read in their sources.

    Raises
    ------
    UnknownSeriesError
        The id is not in the catalogue (the message suggests close ones).
    """
    series = _catalog.describe(series_id)
    if isinstance(series.recipe, BundledRecipe):
        return Description(series, retrieved=key_figures_retrieved())
    target = _store(store)
    stored = target.entry(series_id) if target.has(series_id) else None
    return Description(series, stored, target.location)


# --- get -----------------------------------------------------------------------------------------


def _store(store: Store | None) -> Store:
    return store if store is not None else Store()


def _items(name: str, value: object) -> list[object]:
    """A code, or the codes of a list, tuple or set, as a list; anything else is refused.

    ``region=3.5`` or ``sex=None`` used to reach ``list(value)`` and end in a bare TypeError.
    """
    if isinstance(value, str | int):
        return [value]
    if isinstance(value, Iterable) and not isinstance(value, bytes | Mapping):
        return list(value)
    msg = f"{name}= takes a code or a list of codes, got {value!r}"
    raise InvalidArgumentError(msg)


def _codes(name: str, value: object) -> list[str]:
    items = _items(name, value)
    if not items or any(not isinstance(v, str | int) or isinstance(v, bool) for v in items):
        msg = f"{name}= takes a code or a list of codes, got {value!r}"
        raise InvalidArgumentError(msg)
    return [str(v) for v in items]


def _check_bound(name: str, value: object) -> Bound:
    if isinstance(value, str | int) and not isinstance(value, bool):
        parse_bound(value, end=name == "end")  # PeriodError naming the bad value, before any read
        return value
    if value is not None and not isinstance(value, date):
        msg = (
            f"{name}= takes a period code (2020M03), a year (2020), an ISO date or a date, "
            f"not {value!r}"
        )
        raise InvalidArgumentError(msg)
    return value


def _periods(start: Bound, end: Bound, frequency: str) -> PeriodRange:
    """The range asked for (refused when reversed), widened to whole periods of the series."""
    return PeriodRange.asked(start, end).covering(frequency)


def _sync_command(series: Series) -> str:
    """How to fetch one series, in the words of the caller's surface."""
    return words(f"navdata.sync({series.id!r})", f"`navdata sync {series.id}`")


def _missing_offline(series: Series, store: Store) -> MissingDataError:
    msg = (
        f"series {series.id!r} is not in the local store at {store.location} and navdata is "
        f"offline ({words('offline=True', '--offline')} or NAVDATA_OFFLINE=1); run "
        f"{_sync_command(series)} while online to fetch it from {series.publisher} "
        f"({series.source_url})"
    )
    return MissingDataError(msg)


#: The setting that names each source's address, for a message about an unreachable one.
_ADDRESS_SETTING = {"ssb": "NAVDATA_SSB_URL", "nav": "NAVDATA_NAV_URL"}


def _unreachable(
    series: Series, store: Store, error: UpstreamUnreachableError
) -> UpstreamUnreachableError:
    """A series that is not stored and whose source cannot be reached: say both, and the way out.

    Without a network the first thing a new user tries fails here, so the message names what
    is missing and where it was looked for, and how to work with what is at hand offline.
    """
    msg = (
        f"series {series.id!r} is not in the local store at {store.location}, and "
        f"{series.publisher} could not be reached to fetch it: {error.reason}. Check the "
        f"network (and {_ADDRESS_SETTING.get(series.source, 'the address')}), then run "
        f"{_sync_command(series)}; to work offline "
        f"with the store and the bundled key figures, use "
        f"{words('offline=True', '--offline')} or NAVDATA_OFFLINE=1"
    )
    return UpstreamUnreachableError(msg, url=error.url, host=error.host, reason=error.reason)


def _cited(meta: Metadata, series: Series) -> Metadata:
    """A bundled series' metadata with the page the catalogue cites for it as a whole."""
    if meta.provenance is None:
        return meta
    provenance = msgspec.structs.replace(meta.provenance, url=series.source_url)
    return msgspec.structs.replace(meta, provenance=provenance)


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


def _check_codes_at(series: Series, meta: Metadata, codes: list[str], vintage: str | date) -> None:
    """With ``harmonise``, a region asked for must be one the series' regions become then.

    The same question as without it, asked of the harmonised codes: a code that does not exist
    at the vintage (Viken, 30, in 2024) or that no published region maps to is an error naming
    what to ask for, not an empty frame (``region="30"`` alone already is an error).
    """
    at = parse_bound(vintage)
    for code in codes:
        became = current_code(code, at)  # RegionError when the table cannot map it
        if became != [code]:
            msg = (
                f"region {code!r} is not a code of the structure of {at.isoformat()} that "
                f"{words('harmonise=', '--harmonise ')}{vintage} re-codes to; there it is "
                f"{', '.join(became)}: ask for {'those' if len(became) > 1 else 'that'}"
            )
            raise SelectionError(msg)
    if "region" not in meta.dimension_ids:
        return
    held: set[str] = set()
    for published in meta.dimension("region").codes:
        try:
            held.update(current_code(published, at))
        except RegionError:
            held.add(published)
    unknown = [c for c in codes if c not in held]
    if unknown:
        shown = ", ".join(sorted(held)[:12])
        more = f" and {len(held) - 12} more" if len(held) > 12 else ""
        msg = (
            f"series {series.id!r} holds no region {', '.join(map(repr, unknown))} when "
            f"harmonised to {vintage}; its region codes then: {shown}{more}"
        )
        raise SelectionError(msg)


def _region_codes(region: Codes) -> list[str]:
    """Region codes as text: the number 301 has lost the leading zero of Oslo's ``0301``."""
    items = _items("region", region)
    numbers = [v for v in items if isinstance(v, int) and not isinstance(v, bool)]
    if numbers:
        msg = (
            f"region= takes codes as text with their leading zeros ('0301', '03'), not the "
            f"number(s) {', '.join(map(str, numbers))}: a number cannot tell 0301 from 301"
        )
        raise InvalidArgumentError(msg)
    return _codes("region", items)


def _period_options() -> str:
    """The period options in the words of the caller's surface."""
    return words("start/end", "--from/--to")


def _split_region(codes: list[str]) -> tuple[list[str], list[str]]:
    wanted_levels = [_LEVELS[c.lower()] for c in codes if c.lower() in _LEVELS]
    plain = [c for c in codes if c.lower() not in _LEVELS]
    if wanted_levels and plain:
        msg = (
            f"{words('region=', '--region')} takes codes or levels ({', '.join(_LEVELS)}), "
            f"not both: {codes}"
        )
        raise InvalidArgumentError(msg)
    return plain, wanted_levels


def _filters(
    series: Series,
    meta: Metadata,
    columns: Sequence[str],
    region: Codes | None,
    dimension_filters: Mapping[str, Codes],
    *,
    harmonising: str | date | None = None,
) -> tuple[dict[str, list[str]], list[str], list[str] | None]:
    """The codes to cut on, the region levels to keep, and the region codes to keep after re-coding.

    With ``harmonising`` the region codes asked for are those of the vintage, so they are kept
    after re-coding (the third item) rather than cut on; without it that item is ``None``.
    """
    valid = meta.dimension_columns(columns)
    filters: dict[str, list[str]] = {}
    wanted_levels: list[str] = []
    recoded: list[str] | None = None
    if region is not None:
        if "region" not in columns:
            msg = (
                f"series {series.id!r} has no region dimension (geography: "
                f"{', '.join(series.geography)}); its dimensions are {', '.join(valid) or 'none'}"
            )
            raise SelectionError(msg)
        plain, wanted_levels = _split_region(_region_codes(region))
        if plain and harmonising is None:
            _check_codes(series, meta, "region", plain)
            filters["region"] = plain
        elif plain and harmonising is not None:
            _check_codes_at(series, meta, plain, harmonising)
            recoded = plain
    for name, value in dimension_filters.items():
        if name not in valid:
            msg = (
                f"series {series.id!r} has no dimension {name!r} to filter on; valid names: "
                f"{', '.join(valid) or f'none (use {_period_options()} for periods)'}"
            )
            raise SelectionError(msg)
        filters[name] = _codes(name, value)
        _check_codes(series, meta, name, filters[name])
    return filters, wanted_levels, recoded


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
        return harmonise_regions(frame, column="region", vintage=vintage)
    at = parse_bound(vintage)
    keep: list[str] = []
    for code in frame["region"].cast(pl.String).unique().drop_nulls().to_list():
        try:
            if set(current_code(code, at)) & set(wanted):
                keep.append(code)
        except RegionError:
            keep.append(code)
    subset = frame.filter(pl.col("region").cast(pl.String).is_in(keep))
    out = harmonise_regions(subset, column="region", vintage=vintage)
    return out.filter(pl.col("region").cast(pl.String).is_in(wanted))


def _several(ids: Sequence[str], start: Bound, end: Bound, options: dict[str, Any]) -> ResultSet:
    """Each series read as :func:`get` reads one; every id is checked before anything is read."""
    chosen = list(dict.fromkeys(ids))
    if not chosen:
        msg = "get() takes a series id or a list of them, not an empty list"
        raise InvalidArgumentError(msg)
    for series_id in chosen:
        _catalog.describe(series_id)  # UnknownSeriesError with suggestions, before any fetch
    return ResultSet([get(series_id, start, end, **options) for series_id in chosen])


@overload
def get(
    series_id: str,
    start: Bound = None,
    end: Bound = None,
    *,
    region: Codes | None = None,
    labels: bool = False,
    lang: Language = "nb",
    harmonise: str | date | None = None,
    store: Store | None = None,
    offline: bool | None = None,
    as_of: AsOf | None = None,
    **dimension_filters: Codes,
) -> Result: ...


@overload
def get(
    series_id: list[str] | tuple[str, ...],
    start: Bound = None,
    end: Bound = None,
    *,
    region: Codes | None = None,
    labels: bool = False,
    lang: Language = "nb",
    harmonise: str | date | None = None,
    store: Store | None = None,
    offline: bool | None = None,
    as_of: AsOf | None = None,
    **dimension_filters: Codes,
) -> ResultSet: ...


def get(
    series_id: str | list[str] | tuple[str, ...],
    start: Bound = None,
    end: Bound = None,
    *,
    region: Codes | None = None,
    labels: bool = False,
    lang: Language = "nb",
    harmonise: str | date | None = None,
    store: Store | None = None,
    offline: bool | None = None,
    as_of: AsOf | None = None,
    **dimension_filters: Codes,
) -> Result | ResultSet:
    """A catalogued series as a tidy frame with its metadata and provenance.

    A series that is not in the local store is synced first (one fetch) unless navdata is
    offline; bundled key figures (``keyfig.*``) are always at hand. A list of ids gives them
    all at once, as a :class:`ResultSet`.

    Parameters
    ----------
    series_id
        A catalogue id such as ``"nav.helt_ledige"`` (see :func:`catalog`), or a list of ids:
        each is read with the same range, filters and options, and they come back together as
        a :class:`ResultSet` (one long frame with a ``series_id`` column; ``.wide()`` puts them
        side by side).
    start
        First period to keep: a period code (``2020``, ``2020K1``, ``2020M03``) or an ISO date.
        Every period that overlaps the range is kept (``start="2020-06-15"`` on a yearly
        series keeps 2020).
    end
        Last period to keep, inclusive, in the same forms (``end="2020"`` keeps all of 2020).
    region
        A region code, a list of codes, or a level: ``landet``, ``fylke``, ``kommune``,
        ``bydel``.
    labels
        Add a ``<dimension>_label`` column beside each dimension, in ``lang``.
    lang
        ``"nb"`` (Norwegian Bokmål) or ``"en"``, for labels.
    harmonise
        A region vintage (``"2024"``): re-code regions to that structure, summing merged units
        (see :func:`navdata.regions.harmonise`).
    store
        The store to read (default: ``NAVDATA_STORE_DIR`` or the user data folder).
    offline
        Never fetch; ``None`` follows ``NAVDATA_OFFLINE``.
    as_of
        Read the series as the store held it then: a date (the end of that day, UTC), a
        datetime, or a version number (see :func:`navdata.versions`). Never syncs.
    **dimension_filters
        Codes to keep per dimension, e.g. ``sex="2"`` or ``age=["15-24", "25-74"]``.

    Returns
    -------
    Result or ResultSet
        The tidy frame (``.frame``), its metadata (``.meta``), catalogue entry and provenance;
        for a list of ids a :class:`ResultSet` holding one such Result per series.

    Raises
    ------
    UnknownSeriesError
        An id is not in the catalogue (the message suggests close ones); with a list, before
        anything is read.
    SelectionError
        A dimension or code does not exist in the series (the message lists the valid ones).
    MissingDataError
        Offline (or ``as_of`` given), and the series is not in the store, or the store held no
        version of it at ``as_of`` (the message names the command to fetch it).
    InvalidArgumentError
        A bound, region level, language or ``as_of`` is malformed, ``start`` is after ``end``,
        or ``as_of`` is asked of a bundled series.
    StoreError
        The stored data file is damaged (the message names it and the repair).
    """
    if isinstance(series_id, list | tuple):
        options: dict[str, Any] = {"region": region, "labels": labels, "lang": lang}
        options |= {"harmonise": harmonise, "store": store, "offline": offline, "as_of": as_of}
        options |= dimension_filters
        return _several(series_id, start, end, options)
    series = _catalog.describe(series_id)
    lang = check_language(lang, ssb_codes=True)
    # every period overlapping the range is kept: the start moves to its period's first day
    periods = _periods(_check_bound("start", start), _check_bound("end", end), series.frequency)
    if isinstance(series.recipe, BundledRecipe):
        if as_of is not None:
            msg = (
                f"{series.id!r} is bundled with navdata: its figures change with navdata "
                "releases, not in the store, so as_of does not apply"
            )
            raise InvalidArgumentError(msg)
        dataset = key_figure(series.id)
        meta, entry = _cited(dataset.meta, series), None
        filters, wanted, recoded = _filters(
            series, meta, dataset.frame.columns, region, dimension_filters, harmonising=harmonise
        )
        frame = cut(dataset.frame, periods, filters, name=f"series {series.id!r}")
    else:
        target = _store(store)
        if not target.has(series.id) and as_of is None:
            if config.offline() if offline is None else offline:
                raise _missing_offline(series, target)
            try:
                sync_series(series, target)
            except UpstreamUnreachableError as err:
                raise _unreachable(series, target, err) from None
        entry = target.entry(series.id, as_of=as_of)  # one version: metadata and rows
        meta = target.metadata(entry)
        filters, wanted, recoded = _filters(
            series, meta, entry.columns, region, dimension_filters, harmonising=harmonise
        )
        frame = target.read(entry, periods.first, periods.last, filters=filters).frame
    frame = _by_level(frame, wanted)
    if harmonise is not None:
        frame = _harmonised(frame, series, harmonise, recoded)
    if labels:
        frame = _add_labels(frame, meta, lang)
    return Result(frame, meta, series, entry=entry)


# --- event windows -------------------------------------------------------------------------------


def around(
    series: str | object,
    milestone_id: str | Milestone,
    before: int = 12,
    after: int = 12,
    *,
    as_of: AsOf | None = None,
    **options: Any,
) -> _events.EventWindow:
    """Compare a series before and after a milestone: its window and the mean levels.

    Parameters
    ----------
    series
        A catalogue id (read with :func:`get`, so synced when missing and online), a
        :class:`Result` or :class:`Dataset`, or a tidy polars DataFrame with ``period`` and
        ``value`` columns.
    milestone_id
        A timeline id such as ``"trust-reform-nav-start"``, or a :class:`Milestone`.
    before
        Periods before the milestone's period (which is period 0, counted as after).
    after
        Periods from the milestone's period on.
    as_of
        For a series id: read the series as the store held it then (a date, datetime or
        version number, as :func:`get` takes it), so a reform's before/after reads as it
        looked at that time.
    **options
        ``by`` (the columns that tell series apart), ``value``, ``period`` and ``series_id``,
        as :func:`navdata.events.around` takes them.

    Returns
    -------
    EventWindow
        The rows inside the window with ``relative`` and ``side``, and a summary per group
        (means before and after, change and relative change).

    Raises
    ------
    UnknownMilestoneError
        The milestone id is not in the timeline.
    InvalidArgumentError
        The window sizes, the columns or the periods of the frame cannot be used, or
        ``as_of`` is given with a frame rather than a series id.

    Warns
    -----
    StatisticsBreakWarning
        A statistics break of the series falls inside the window.
    """
    if isinstance(series, str):
        result = get(series, as_of=as_of)
        options.setdefault("series_id", series)
        return _events.around(result, milestone_id, before, after, **options)
    if as_of is not None:
        msg = "as_of= applies to a series id; a frame or Result is already one version"
        raise InvalidArgumentError(msg)
    return _events.around(series, milestone_id, before, after, **options)
