"""Fetch catalogued series from their source, normalise them and write them to the store.

``sync(["ssb.aku.unemployment_rate", "nav.helt_ledige"])`` runs, for each series:

1. fetch by its recipe: SSB through :class:`~navdata.sources.ssb.SSBClient` (table, selection,
   codelists; split into requests under the cell limit), NAV through
   :class:`~navdata.sources.nav.NavClient` (page -> current workbook -> parsed table);
2. :func:`navdata.series_catalog.normalise` (navdata's dimension names, the series' one measure);
3. a ``date`` column (first day of each period) and a fixed column order;
4. :meth:`navdata.store.Store.write`, which commits a new version when the content differs
   from the stored one and otherwise records only that the series was checked.

Each series is its own transaction: when one fails (upstream down, table changed, process
killed), the store keeps that series' previous version, the error is recorded in the returned
:class:`SyncReport`, and the other series go on. Bundled series (``keyfig.*``) ship with the
package and are never synced.

Progress: ``progress`` is called with a :class:`SyncEvent` when a series starts, for every SSB
data request it finishes (``chunk``/``chunks``), and when the series is done or has failed.
SSBClient has no progress hook, so chunks are counted from the HTTP layer: the planned number of
requests comes from :meth:`SSBClient.plan` and every finished ``/data`` request ticks once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import msgspec
import polars as pl

from navdata import config
from navdata._surface import words
from navdata.dataset import Dataset
from navdata.errors import InvalidArgumentError, NavdataError, UpstreamUnreachableError
from navdata.http import HttpClient, Response
from navdata.language import ssb_language
from navdata.periods import with_dates
from navdata.series_catalog import (
    BundledRecipe,
    NavRecipe,
    Series,
    SsbRecipe,
    describe,
    load_catalog,
)
from navdata.series_catalog import normalise as normalise_dataset
from navdata.sources.nav import NavClient
from navdata.sources.ssb import SSBClient
from navdata.store import CheckOutcome, ManifestEntry, Store

__all__ = [
    "SyncEvent",
    "SyncOutcome",
    "SyncReport",
    "fetch",
    "outcome_summary",
    "sync",
    "sync_series",
    "tidy",
]

#: The SSB language navdata stores (labels in English are fetched beside it, see :func:`fetch`).
SSB_LANG: Final = ssb_language("nb")

EventKind = Literal["start", "chunk", "done", "failed"]


@dataclass(frozen=True, slots=True)
class SyncEvent:
    """One step of a sync, for a progress display."""

    kind: EventKind
    series_id: str
    index: int  # 1-based position of the series in this sync
    total: int  # number of series in this sync
    chunk: int = 0  # SSB data requests finished for this series
    chunks: int = 0  # SSB data requests planned for this series (0: not known, e.g. NAV)
    message: str = ""


Progress = Callable[[SyncEvent], None]


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    """What happened to one series: its current version after the sync, or the error.

    ``outcome`` says whether the sync committed a ``new-version``, found the content
    ``unchanged`` (nothing committed), or ``repaired`` a damaged current version.
    """

    series_id: str
    entry: ManifestEntry | None = None
    error: str | None = None
    error_type: str | None = None
    outcome: CheckOutcome | None = None

    @property
    def ok(self) -> bool:
        """Whether the series was written."""
        return self.entry is not None


@dataclass(frozen=True, slots=True)
class SyncReport:
    """Every series of one sync: what succeeded and what failed (with the reason)."""

    outcomes: list[SyncOutcome] = field(default_factory=list)

    @property
    def succeeded(self) -> list[SyncOutcome]:
        """Series written to the store."""
        return [o for o in self.outcomes if o.ok]

    @property
    def failed(self) -> list[SyncOutcome]:
        """Series that kept their previous version (or stay missing)."""
        return [o for o in self.outcomes if not o.ok]

    @property
    def ok(self) -> bool:
        """True when every series was written."""
        return not self.failed


# --- clients -------------------------------------------------------------------------------------


class _ChunkCountingHttp(HttpClient):
    """The shared HTTP client, telling a callback whenever an SSB ``/data`` request finished."""

    def __init__(self, on_data: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_data = on_data

    def request(self, method: str, url: str, **kwargs: Any) -> Response:
        response = super().request(method, url, **kwargs)
        if url.endswith("/data") and response.ok:
            self.on_data()
        return response


@dataclass(slots=True)
class _Clients:
    """Lazily opened upstream clients for one sync (nothing is opened for unused sources)."""

    offline: bool
    ssb_client: SSBClient | None = None
    nav_client: NavClient | None = None
    on_chunk: Callable[[], None] = lambda: None
    owned: list[SSBClient | NavClient] = field(default_factory=list)

    def _tick(self) -> None:
        self.on_chunk()  # looked up at call time: each series sets its own counter

    def ssb(self) -> SSBClient:
        if self.ssb_client is None:
            http = _ChunkCountingHttp(
                self._tick,
                rate=(30, 60.0),
                cache_dir=config.cache_dir(),
                offline=self.offline,
            )
            self.ssb_client = SSBClient(config.ssb_url(), http=http)
            self.owned.append(self.ssb_client)
        return self.ssb_client

    def nav(self) -> NavClient:
        if self.nav_client is None:
            self.nav_client = NavClient(
                config.nav_url(), cache_dir=config.cache_dir(), offline=self.offline
            )
            self.owned.append(self.nav_client)
        return self.nav_client

    def close(self) -> None:
        for client in self.owned:
            client.close()


# --- one series ----------------------------------------------------------------------------------

_TAIL = ("period", "date", "value", "status")


def tidy(dataset: Dataset) -> Dataset:
    """A ``date`` column when missing, and the frame's columns in navdata's order.

    Dimension columns first (published order), then their ``_label`` columns, then ``period``,
    ``date``, ``value``, ``status``; any other column (NAV's ``region_level``) after the
    dimensions.
    """
    frame = dataset.frame
    if "date" not in frame.columns and "period" in frame.columns:
        frame = with_dates(frame)
    if "status" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("status"))
    frame = frame.with_columns(pl.col("value").cast(pl.Float64), pl.col("status").cast(pl.String))
    dims = [d for d in dataset.meta.dimension_ids if d in frame.columns and d not in _TAIL]
    labels = [c for c in frame.columns if c.endswith("_label") and c not in dims]
    others = [c for c in frame.columns if c not in {*dims, *labels, *_TAIL}]
    tail = [c for c in _TAIL if c in frame.columns]
    return Dataset(frame.select([*dims, *others, *labels, *tail]), dataset.meta)


def _english_labels(client: SSBClient, series: Series, table: str) -> dict[str, dict[str, str]]:
    """Category labels in English by navdata dimension name (one metadata request)."""
    meta = client.metadata(table, lang=ssb_language("en"))
    names = {code: name for name, code in series.dimension_map.items()}
    return {names.get(d.id, d.id): dict(d.labels) for d in meta.dimensions if d.labels}


def fetch(series: Series, clients: _Clients) -> Dataset:
    """The series fetched by its recipe, normalised and tidied, ready for the store."""
    recipe = series.recipe
    if isinstance(recipe, BundledRecipe):
        msg = f"{series.id!r} is bundled with navdata; it needs no sync (use navdata.get)"
        raise InvalidArgumentError(msg)
    if isinstance(recipe, SsbRecipe):
        client = clients.ssb()
        raw = client.data(
            recipe.table, recipe.selection, codelists=recipe.codelists or None, lang=SSB_LANG
        )
        dataset = normalise_dataset(raw, series)
        english = _english_labels(client, series, recipe.table)
        extension = {**dataset.meta.extension, "labels_en": english}
        dataset = Dataset(dataset.frame, msgspec.structs.replace(dataset.meta, extension=extension))
    else:
        assert isinstance(recipe, NavRecipe)
        dataset = normalise_dataset(clients.nav().table(recipe.table), series)
    return tidy(dataset)


def _planned_chunks(series: Series, clients: _Clients) -> int:
    recipe = series.recipe
    if not isinstance(recipe, SsbRecipe):
        return 0
    plan = clients.ssb().plan(
        recipe.table, recipe.selection, codelists=recipe.codelists or None, lang=SSB_LANG
    )
    return len(plan)


# --- many series ---------------------------------------------------------------------------------


def _resolve_ids(ids: str | Sequence[str] | None, *, every: bool) -> list[str]:
    if isinstance(ids, str):
        ids = [ids]
    if every:
        if ids:
            msg = words(
                "give series ids or all=True, not both", "give series ids or --all, not both"
            )
            raise InvalidArgumentError(msg)
        return list(load_catalog().ids)
    if not ids:
        msg = words(
            "name the series to sync (see navdata.catalog()), or pass all=True for every one",
            "name the series to sync (see `navdata list`), or use --all for every one",
        )
        raise InvalidArgumentError(msg)
    chosen = list(dict.fromkeys(ids))
    for series_id in chosen:
        series = describe(series_id)  # UnknownSeriesError with suggestions, before any fetch
        if isinstance(series.recipe, BundledRecipe):
            read = words(f"navdata.get({series_id!r})", f"`navdata get {series_id}`")
            msg = f"{series_id!r} is bundled with navdata and needs no sync; read it with {read}"
            raise InvalidArgumentError(msg)
    return chosen


def sync(
    ids: str | Sequence[str] | None = None,
    *,
    all: bool = False,  # noqa: A002 - the documented keyword, as in `navdata sync --all`
    store: Store | None = None,
    progress: Progress | None = None,
    offline: bool | None = None,
    ssb: SSBClient | None = None,
    nav: NavClient | None = None,
) -> SyncReport:
    """Fetch each series and write it to the store as its new version.

    Unknown ids fail before anything is fetched. A series that fails is reported in the result
    and keeps its previous version in the store; the others continue.

    Parameters
    ----------
    ids
        One catalogue id or several (fetched series: ``ssb.*`` and ``nav.*``).
    all
        Sync every fetched series of the catalogue instead.
    store
        The store to write (default: ``NAVDATA_STORE_DIR`` or the user data folder).
    progress
        Called with a :class:`SyncEvent` at each step (start, each SSB request, done, failed).
    offline
        Answer from the HTTP cache only; ``None`` follows ``NAVDATA_OFFLINE``.
    ssb
        An SSB client to use (tests, custom settings); by default one follows
        :mod:`navdata.config`.
    nav
        A NAV client to use, likewise.

    Returns
    -------
    SyncReport
        One :class:`SyncOutcome` per series: its new manifest entry, or the error that stopped it.

    Raises
    ------
    UnknownSeriesError
        An id is not in the catalogue (before anything is fetched).
    InvalidArgumentError
        Neither ids nor ``all=True`` (or both), or an id names a bundled series (it needs no
        sync).
    StoreError
        The store cannot be written (a file, an unwritable folder, an unreachable bucket):
        checked before anything is fetched.
    """
    chosen = _resolve_ids(ids, every=all)
    target = store if store is not None else Store()
    target.check(write=True)
    is_offline = config.offline() if offline is None else offline
    report = SyncReport()
    notify: Progress = progress or (lambda _event: None)
    clients = _Clients(offline=is_offline, ssb_client=ssb, nav_client=nav)
    with contextlib.closing(clients):
        for index, series_id in enumerate(chosen, start=1):
            report.outcomes.append(
                _sync_one(
                    describe(series_id), target, clients, notify, index=index, total=len(chosen)
                )
            )
    return report


def _sync_one(
    series: Series,
    store: Store,
    clients: _Clients,
    notify: Progress,
    *,
    index: int,
    total: int,
) -> SyncOutcome:
    done = 0
    planned = 0

    def tick() -> None:
        nonlocal done
        done += 1
        notify(SyncEvent("chunk", series.id, index, total, done, planned))

    try:
        planned = _planned_chunks(series, clients)
        notify(SyncEvent("start", series.id, index, total, 0, planned))
        clients.on_chunk = tick
        entry = store.write(series.id, fetch(series, clients))
    except (NavdataError, OSError) as err:
        message = _failure(err, series, store)
        notify(SyncEvent("failed", series.id, index, total, done, planned, message))
        return SyncOutcome(series.id, error=message, error_type=type(err).__name__)
    finally:
        clients.on_chunk = lambda: None
    check = store.checked(series.id)
    outcome = check.outcome if check is not None else None
    said = {"unchanged": "unchanged", "repaired": "repaired a damaged version, now"}
    message = f"{entry.rows} rows, {said.get(outcome or '', 'new')} version {entry.version}"
    notify(SyncEvent("done", series.id, index, total, done, planned, message))
    return SyncOutcome(series.id, entry=entry, outcome=outcome)


def _failure(err: NavdataError | OSError, series: Series, store: Store) -> str:
    """What to report for a series that failed: for an unreachable source, what the store holds.

    Every series of a sync without a network fails the same way, so the line is short and says
    what the user has instead: the previous version, or nothing, in the named store.
    """
    if not isinstance(err, UpstreamUnreachableError):
        return str(err)
    held = (
        "the store keeps the version it holds"
        if store.has(series.id)
        else f"it is not in the local store at {store.location}"
    )
    return f"{series.publisher} could not be reached ({err.reason}); {held}"


def sync_series(series: Series, store: Store, *, offline: bool = False) -> ManifestEntry:
    """Fetch one series and write it to ``store``; errors propagate as they are (for get())."""
    with contextlib.closing(_Clients(offline=offline)) as clients:
        return store.write(series.id, fetch(series, clients))


def outcome_summary(report: SyncReport) -> Mapping[str, Any]:
    """The report as plain data (for JSON output and logs)."""
    return {
        "succeeded": [
            {
                "id": o.series_id,
                "rows": o.entry.rows,
                "version": o.entry.version,
                "outcome": o.outcome,
            }
            for o in report.succeeded
            if o.entry
        ],
        "failed": [
            {"id": o.series_id, "error": o.error, "type": o.error_type} for o in report.failed
        ],
    }
