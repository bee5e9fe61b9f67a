"""The service's only door into the library: the store, the catalogue and the timeline.

One :class:`LocalData` per app, handed to the routes by dependency injection (their ``local_data``
parameter, see :func:`navdata_api.app.create_app`). Everything here reads the store (a folder or
an S3 prefix that many instances share) and the bundled datasets; nothing fetches upstream.

A new version committed by a sync is picked up without a restart: before using the version it
knows of a series, the service asks whether a newer commit exists (one ``stat`` of the next
commit file on a folder, one ``HEAD`` on S3, at most every ``NAVDATA_API_STORE_POLL`` seconds).
:meth:`LocalData.data_version` says in one read whether anything in the store changed (the
response cache keys on it), by the same rule.
Loaded series are kept in a small LRU keyed by version and content hash, so repeated requests
skip the Parquet read. A series whose data file turns out damaged answers 503 and is listed by
``/ready`` until a sync replaces it.

Bundled key figures (``keyfig.*``) ship with the package: they behave like stored series whose
content hash is that of the bundled files, so a fresh install serves real numbers at once.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, Final, NamedTuple, TypeVar

import anyio
import msgspec
from litestar.stores.base import Store as BodyStore

from navdata import milestones
from navdata import series_catalog as cat
from navdata.dataset import Dataset
from navdata.errors import InvalidArgumentError, MissingDataError, StoreError
from navdata.key_figures import key_figure, key_figure_files, key_figures_retrieved
from navdata.once import warm_struct_types
from navdata.store import ChangeMark, ManifestEntry, Store
from navdata_api.caching import BodyCache, strong_etag
from navdata_api.settings import Settings

_log = logging.getLogger(__name__)
_DATASETS_KEPT: Final = 32
_REMOTE_POLL: Final = 2.0
#: The cached properties :meth:`LocalData.warm_up` fills (catalogue, key figures, timeline).
_WARM_PROPERTIES: Final = (
    "all_series",
    "catalogue_hash",
    "catalogue_modified",
    "bundled_hash",
    "bundled_retrieved",
    "timeline_hash",
    "timeline_modified",
    "_bundled_ids",
)
T = TypeVar("T")


class StoreEntry(msgspec.Struct, frozen=True, kw_only=True):
    """What the API needs to know about one version of a series."""

    series_id: str
    content_hash: str
    retrieved: datetime | None
    updated: str | None
    stored: ManifestEntry | None = None
    """The store version this entry names (``None`` for a bundled key figure): reading through
    it gives exactly the rows the content hash, and so the ETag, stands for."""
    version: int | None = None

    @classmethod
    def of(cls, stored: ManifestEntry) -> StoreEntry:
        """The entry of one stored version."""
        return cls(
            series_id=stored.series_id,
            content_hash=stored.content_hash,
            retrieved=stored.retrieved or stored.written,
            updated=stored.updated,
            stored=stored,
            version=stored.version,
        )

    @property
    def tag(self) -> str:
        """How ETags name the version: ``v3`` (store version 3) or ``bundled``."""
        return "bundled" if self.version is None else f"v{self.version}"


def version_etag(entry: StoreEntry, *parts: str | int) -> str:
    """A strong ETag that names the store version it was made from: ``"v3-<digest>"``.

    The digest also covers the content hash and ``parts`` (route, normalised query ...), so
    the tag changes when a sync commits a new version, and an ``as_of`` request for version 3
    gets the same tag as any other request that reads version 3 the same way.
    """
    return _version_etag(entry.tag, entry.content_hash, parts)


@functools.lru_cache(maxsize=4096)
def _version_etag(tag: str, content_hash: str, parts: tuple[str | int, ...]) -> str:
    """Kept per distinct input: most requests repeat a few queries, and hashing costs ~5 us."""
    digest = strong_etag(tag, content_hash, *parts).strip('"')
    return f'"{tag}-{digest}"'


class _Known(NamedTuple):
    """The current version of a series as last seen, when, and in which data generation."""

    entry: ManifestEntry | None
    seen: float
    generation: int


class _DataVersion(NamedTuple):
    """What :meth:`LocalData.data_version` found last, and when it asked the store."""

    mark: ChangeMark
    version: Hashable
    seen: float


class LocalData:
    """Reads the local store and the bundled datasets, and keeps what is derived from them.

    Derived: frames prepared per series version, and encoded response bodies by ETag
    (:attr:`bodies`). Never fetches anything upstream.
    """

    def __init__(self, settings: Settings, *, shared_bodies: BodyStore | None = None) -> None:
        self.settings = settings
        self.store = Store(settings.store_dir)
        self.store.check()  # a store that cannot be read stops the service before it starts
        #: The kind of store, for public probes that must never show where it is.
        self.store_kind = "s3" if self.store.remote else "folder"
        self.remote_store = self.store.remote
        self.poll = settings.store_poll
        if self.poll is None:
            self.poll = _REMOTE_POLL if self.store.remote else 0.0
        self._datasets: OrderedDict[tuple[str, int | None, str], Dataset] = OrderedDict()
        self._lock = threading.Lock()
        self._known: dict[str, _Known] = {}
        self._listing: tuple[list[str], int] | None = None
        self._data_version: _DataVersion | None = None
        #: Until when (monotonic) data_version answers None without asking an unreadable store.
        self._unreadable_until = 0.0
        #: Counts the changes data_version saw: a version confirmed in an older generation is
        #: asked about again, so no request serves older data than its cache key names.
        self._generation = 0
        self._as_of: OrderedDict[tuple[str, str, int], ManifestEntry] = OrderedDict()
        self._damaged: dict[tuple[str, int], str] = {}
        self._derived: OrderedDict[tuple[str, int | None, str, Hashable], Any] = OrderedDict()
        #: Encoded response bodies by ETag (NAVDATA_API_CACHE_MB): the last of what is derived
        #: from the data, kept here so that a route is handed everything it reads in one object.
        self.bodies = BodyCache(settings.body_cache_bytes, shared_bodies)

    # --- start-up ----------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Load everything requests share, once, before the server takes its first request.

        The first burst of requests otherwise loads the catalogue, timeline and key figures in
        many worker threads at once, and msgspec can crash the process when threads make the
        first conversion to one Struct type concurrently (see :mod:`navdata.once`). Every
        lazy load behind these is also guarded by a lock, so a miss later is merely slow.
        """
        for name in _WARM_PROPERTIES:
            getattr(self, name)
        cat.find(self.all_series[0].id)  # builds the catalogue's index by id
        milestones.milestone(milestones.load_milestones()[0].id)
        warm_struct_types("navdata", "navdata_api")

    # --- readiness ---------------------------------------------------------------------------

    def check_ready(self) -> int:
        """Number of series in the store; raises ``StoreError`` when it cannot be read.

        A store folder that does not exist yet is an empty store, not a fault: a fresh install
        serves the bundled key figures, the catalogue and the timeline before any sync.
        """
        self.store.check(again=True)
        return len(self.manifest())

    def damaged(self) -> dict[str, str]:
        """Series whose current version could not be read, with the reason (for ``/ready``).

        A series leaves the list when a sync commits a version that reads.
        """
        current = self.manifest()
        return {
            series_id: reason
            for (series_id, version), reason in sorted(self._damaged.items())
            if series_id in current and current[series_id].version == version
        }

    # --- catalogue ---------------------------------------------------------------------------

    @cached_property
    def all_series(self) -> list[cat.Series]:
        """Every catalogued series: fetched (SSB, NAV) then bundled (validated once)."""
        return cat.all_series()

    @cached_property
    def catalogue_hash(self) -> str:
        """Content hash of the catalogue files: part of every catalogue ETag."""
        return _hash_files([cat.catalog_path(), *_bundled_files()])

    @cached_property
    def catalogue_modified(self) -> datetime:
        """When the catalogue files last changed on this machine."""
        return max(_mtime(p) for p in [cat.catalog_path(), *_bundled_files()])

    @cached_property
    def bundled_hash(self) -> str:
        """Content hash of the bundled key figures: the "store version" of every one of them."""
        return _hash_files(_bundled_files())

    @cached_property
    def bundled_retrieved(self) -> datetime:
        """When the bundled key figures were read in their sources, as the library says.

        Not the files' modification time: that is when this copy was cloned or installed.
        """
        return key_figures_retrieved()

    def series(self, series_id: str) -> cat.Series:
        """Catalogue entry of one series; unknown ids raise with close matches."""
        return cat.describe(series_id)

    # --- timeline ----------------------------------------------------------------------------

    @cached_property
    def timeline_hash(self) -> str:
        """Content hash of the bundled timeline file."""
        return hashlib.sha256(milestones.timeline_path().read_bytes()).hexdigest()

    @cached_property
    def timeline_modified(self) -> datetime:
        """When the bundled timeline file last changed on this machine."""
        return _mtime(milestones.timeline_path())

    # --- store -------------------------------------------------------------------------------

    def _fresh(self, seen: float) -> bool:
        return time.monotonic() - seen < (self.poll or 0.0)

    def _trusted(self, known: _Known | None) -> bool:
        """Whether a remembered version may be served without asking the store again."""
        return (
            known is not None and known.generation == self._generation and self._fresh(known.seen)
        )

    def remembered_data_version(self) -> Hashable | None:
        """The data version read less than ``poll`` seconds ago; ``None``: ask data_version."""
        seen = self._data_version
        return seen.version if seen is not None and self._fresh(seen.seen) else None

    def data_version(self) -> Hashable | None:
        """What changes whenever any stored series' current version does; the response cache's key.

        One read of the store's change stamp (:meth:`navdata.store.Store.change_mark`), at most
        every ``poll`` seconds (on every call for a folder). While a change is open, or was
        left open by a writer killed mid-change, the current versions of the series being
        changed are part of it, asked of their tables each time; a store that keeps no stamp
        (written before there was one) has every series' current version in it instead. A new
        value starts a new generation: versions trusted before it are asked about again, so no
        request answers with older data than the value it was keyed under.

        ``None`` while the store cannot be read: nothing is kept or served from the cache then
        (the routes report the fault), and the store is asked again after ``max(poll, 1)``
        seconds, not at every request.
        """
        remembered = self.remembered_data_version()
        if remembered is not None:
            return remembered
        now = time.monotonic()
        if now < self._unreadable_until:
            return None
        seen = self._data_version
        try:
            mark = self.store.change_mark(seen.mark if seen is not None else None)
        except StoreError as err:
            with self._lock:
                self._generation += 1
                self._unreadable_until = now + max(self.poll or 0.0, 1.0)
            _log.warning("responses are not cached while the store cannot be read: %s", err)
            return None
        if mark.stamp is None:
            version: Hashable = tuple((i, self._version_now(i)) for i in self.store.series_ids())
        elif mark.writing:
            version = (mark.stamp, tuple((i, self._version_now(i)) for i in mark.writing))
        else:
            version = mark.stamp
        if seen is None or version != seen.version:
            with self._lock:
                self._generation += 1
        self._data_version = _DataVersion(mark, version, now)
        return version

    def _version_now(self, series_id: str) -> int | None:
        found = self.current(series_id, ask=True)
        return None if found is None else found.version

    def _ids(self) -> list[str]:
        """The stored series' ids, listed again whenever :meth:`data_version` saw a change.

        A series synced for the first time moves the store's stamp, so the next request lists
        it; a request for it by id finds it at once (:meth:`current` asks the store).
        """
        self.data_version()
        generation = self._generation
        listing = self._listing
        if listing is not None and listing[1] == generation:
            return listing[0]
        ids = self.store.series_ids()
        self._listing = (ids, generation)
        return ids

    def current(self, series_id: str, *, ask: bool = False) -> ManifestEntry | None:
        """The current version of a stored series (``None``: not in the store).

        The version seen last is trusted for ``poll`` seconds within one generation of
        :meth:`data_version` (``ask=True``: not at all); then one cheap question (does its next
        commit exist?) decides whether the history is read again.
        """
        known = self._known.get(series_id)
        if not ask and known is not None and self._trusted(known):
            return known.entry
        now = time.monotonic()
        generation = self._generation
        if known is not None and known.entry is not None and self.store.is_current(known.entry):
            self._known[series_id] = _Known(known.entry, now, generation)
            return known.entry
        entry = self.store.entry(series_id) if self.store.has(series_id) else None
        self._known[series_id] = _Known(entry, now, generation)
        return entry

    def manifest(self) -> dict[str, ManifestEntry]:
        """Every stored series' current version, by id (see :meth:`current`)."""
        out = {}
        for series_id in self._ids():
            found = self.current(series_id)
            if found is not None:
                out[series_id] = found
        return out

    def is_bundled(self, series_id: str) -> bool:
        """Whether the series ships with the package (a key figure) rather than being synced."""
        return series_id in self._bundled_ids

    @cached_property
    def _bundled_ids(self) -> frozenset[str]:
        return frozenset(s.id for s in self.all_series if s.source == "bundled")

    def _as_of_entry(self, series_id: str, as_of: str) -> ManifestEntry | None:
        """The version ``as_of`` names, resolved once per (series, as_of, current version)."""
        current = self.current(series_id)
        if current is None:
            return None
        key = (series_id, as_of, current.version)
        with self._lock:
            found = self._as_of.get(key)
        if found is None:
            found = self.store.entry(series_id, as_of=as_of)
            with self._lock:
                self._as_of[key] = found
                while len(self._as_of) > _DATASETS_KEPT * 4:
                    self._as_of.popitem(last=False)
        return found

    def entry(self, series_id: str, as_of: str | None = None) -> StoreEntry | None:
        """A stored series' current version, or the one ``as_of`` names (``None``: not synced)."""
        if self.is_bundled(series_id):
            if as_of is not None:
                msg = (
                    f"{series_id!r} is bundled with navdata: its figures change with navdata "
                    "releases, not in the store, so as_of does not apply"
                )
                raise InvalidArgumentError(msg)
            return StoreEntry(
                series_id=series_id,
                content_hash=self.bundled_hash,
                retrieved=self.bundled_retrieved,
                updated=None,
            )
        raw = self.current(series_id) if as_of is None else self._as_of_entry(series_id, as_of)
        return None if raw is None else StoreEntry.of(raw)

    def require_entry(self, series_id: str, as_of: str | None = None) -> StoreEntry:
        """The version to serve, or ``MissingDataError`` saying how to get the data."""
        found = self.entry(series_id, as_of)
        if found is None:
            msg = (
                f"series {series_id!r} is in the catalogue but not in this server's store; "
                f"the operator can add it with `navdata sync {series_id}`"
            )
            raise MissingDataError(msg)
        return found

    async def served_entry(self, series_id: str, as_of: str | None = None) -> StoreEntry:
        """:meth:`require_entry` for an async route: never blocks the event loop on S3.

        On S3, finding the version may cost a ``HEAD`` (a trusted version grown older than
        ``poll``) or a read of the history (``as_of``): that runs in a worker thread. A version
        trusted now, a bundled series or a store in a folder (one ``stat``) is answered inline,
        which is cheaper than the thread hop.
        """
        if self.remote_store and not self._known_now(series_id, as_of):
            return await anyio.to_thread.run_sync(self.require_entry, series_id, as_of)
        return self.require_entry(series_id, as_of)

    def _known_now(self, series_id: str, as_of: str | None) -> bool:
        """Whether :meth:`require_entry` can answer without asking the store."""
        if self.is_bundled(series_id):
            return True
        return as_of is None and self._trusted(self._known.get(series_id))

    def dataset(self, entry: StoreEntry) -> Dataset:
        """The whole stored series, from the LRU when its content hash is unchanged."""
        key = (entry.series_id, entry.version, entry.content_hash)
        with self._lock:
            found = self._datasets.get(key)
            if found is not None:
                self._datasets.move_to_end(key)
                return found
        if entry.stored is None:
            loaded = key_figure(entry.series_id)
        else:  # this version, not whatever a sync made current since the entry was read
            try:
                loaded = self.store.read(entry.stored)
            except StoreError as err:  # a damaged data file: 503 now, and listed by /ready
                with self._lock:
                    self._damaged[(entry.series_id, entry.stored.version)] = str(err)
                raise
        with self._lock:
            self._datasets[key] = loaded
            while len(self._datasets) > _DATASETS_KEPT:
                self._datasets.popitem(last=False)
        return loaded

    def kept(self, entry: StoreEntry, variant: Hashable, kind: type[T]) -> T | None:
        """What :meth:`derived` keeps for this version and variant, else ``None`` (no build)."""
        key = (entry.series_id, entry.version, entry.content_hash, variant)
        with self._lock:
            found = self._derived.get(key)
            if found is not None:
                self._derived.move_to_end(key)
        return found if isinstance(found, kind) else None

    def derived(self, entry: StoreEntry, variant: Hashable, build: Callable[[Dataset], T]) -> T:
        """``build(dataset)`` for this version of the series, computed once and kept in an LRU.

        For per-series work that every request would otherwise repeat (a frame prepared for
        JSON, labels joined in one language); keyed by the content hash like the datasets, so
        a re-sync is picked up on the next request.
        """
        key = (entry.series_id, entry.version, entry.content_hash, variant)
        with self._lock:
            if key in self._derived:
                self._derived.move_to_end(key)
                found: T = self._derived[key]
                return found
        made = build(self.dataset(entry))
        with self._lock:
            self._derived[key] = made
            while len(self._derived) > _DATASETS_KEPT:
                self._derived.popitem(last=False)
        return made


def _bundled_files() -> list[Path]:
    return [*key_figure_files(), cat.bundled_path()]


def _hash_files(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
