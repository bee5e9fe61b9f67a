"""The service's only door into the library: the store, the catalogue and the timeline.

One :class:`LocalData` per app, handed to the routes by dependency injection (their ``local_data``
parameter, see :func:`navdata_api.app.create_app`). Everything here reads local files (the
store, the bundled datasets); nothing fetches upstream. Loaded series are kept in a small LRU
keyed by their manifest content hash, so a re-sync of the store is picked up on the next request
while repeated requests skip the Parquet read.

Bundled key figures (``keyfig.*``) ship with the package: they behave like stored series whose
content hash is that of the bundled files, so a fresh install serves real numbers at once.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, Final, TypeVar

import msgspec

from navdata import milestones
from navdata import series_catalog as cat
from navdata.dataset import Dataset
from navdata.errors import MissingDataError, StoreError
from navdata.key_figures import key_figure, key_figure_files, key_figures_retrieved
from navdata.store import ManifestEntry, Store
from navdata_api.caching import BodyCache
from navdata_api.settings import Settings

_DATASETS_KEPT: Final = 32
T = TypeVar("T")


class StoreEntry(msgspec.Struct, frozen=True, kw_only=True):
    """What the API needs from the manifest about one stored series."""

    series_id: str
    content_hash: str
    retrieved: datetime | None
    updated: str | None
    stored: ManifestEntry | None = None
    """The store version this entry names (``None`` for a bundled key figure): reading through
    it gives exactly the rows the content hash, and so the ETag, stands for."""


class LocalData:
    """Reads the local store and the bundled datasets, and keeps what is derived from them.

    Derived: frames prepared per series version, and encoded response bodies by ETag
    (:attr:`bodies`). Never fetches anything upstream.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = Store(settings.store_dir)
        self.store_dir: Path = self.store.path
        self._datasets: OrderedDict[tuple[str, str], Dataset] = OrderedDict()
        self._lock = threading.Lock()
        self._manifest_stamp: tuple[int, int, int] | None = None
        self._manifest: dict[str, ManifestEntry] = {}
        self._derived: OrderedDict[tuple[str, str, Hashable], Any] = OrderedDict()
        #: Encoded response bodies by ETag (NAVDATA_API_CACHE_MB): the last of what is derived
        #: from the data, kept here so that a route is handed everything it reads in one object.
        self.bodies = BodyCache(settings.cache_mb << 20)

    # --- readiness ---------------------------------------------------------------------------

    def check_ready(self) -> int:
        """Number of series in the store; raises ``StoreError`` when it exists but is unreadable.

        A store folder that does not exist yet is an empty store, not a fault: a fresh install
        serves the bundled key figures, the catalogue and the timeline before any sync.
        """
        if self.store_dir.exists() and not self.store_dir.is_dir():
            msg = (
                f"the store path {self.store_dir} is not a folder; "
                "set NAVDATA_STORE_DIR to a folder or run `navdata sync`"
            )
            raise StoreError(msg)
        return len(self.store.entries()) if self.store_dir.is_dir() else 0

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

    def manifest(self) -> dict[str, ManifestEntry]:
        """The store's manifest, re-read only when the file changed (a sync swaps it atomically).

        A stat per request instead of a read and decode keeps revalidations cheap; the
        (inode, size, mtime) triple changes on every ``os.replace`` of the manifest.
        """
        try:
            st = self.store.manifest_path.stat()
        except FileNotFoundError:
            return {}
        stamp = (st.st_ino, st.st_size, st.st_mtime_ns)
        if stamp != self._manifest_stamp:
            entries = self.store.entries()
            with self._lock:
                self._manifest, self._manifest_stamp = entries, stamp
        return self._manifest

    def is_bundled(self, series_id: str) -> bool:
        """Whether the series ships with the package (a key figure) rather than being synced."""
        found = cat.find(series_id)
        return found is not None and found.source == "bundled"

    def entry(self, series_id: str) -> StoreEntry | None:
        """The manifest entry of a stored series, or ``None`` when it was never synced."""
        if self.is_bundled(series_id):
            return StoreEntry(
                series_id=series_id,
                content_hash=self.bundled_hash,
                retrieved=self.bundled_retrieved,
                updated=None,
            )
        raw = self.manifest().get(series_id)
        if raw is None:
            return None
        return StoreEntry(
            series_id=series_id,
            content_hash=raw.content_hash,
            retrieved=raw.retrieved or raw.written,
            updated=raw.updated,
            stored=raw,
        )

    def require_entry(self, series_id: str) -> StoreEntry:
        """The manifest entry, or ``MissingDataError`` saying how to get the data."""
        found = self.entry(series_id)
        if found is None:
            msg = (
                f"series {series_id!r} is in the catalogue but not in this server's store; "
                f"the operator can add it with `navdata sync {series_id}`"
            )
            raise MissingDataError(msg)
        return found

    def dataset(self, entry: StoreEntry) -> Dataset:
        """The whole stored series, from the LRU when its content hash is unchanged."""
        key = (entry.series_id, entry.content_hash)
        with self._lock:
            found = self._datasets.get(key)
            if found is not None:
                self._datasets.move_to_end(key)
                return found
        if entry.stored is None:
            loaded = key_figure(entry.series_id)
        else:  # this version, not whatever a sync made current since the entry was read
            loaded = self.store.read(entry.stored)
        with self._lock:
            self._datasets[key] = loaded
            while len(self._datasets) > _DATASETS_KEPT:
                self._datasets.popitem(last=False)
        return loaded

    def derived(self, entry: StoreEntry, variant: Hashable, build: Callable[[Dataset], T]) -> T:
        """``build(dataset)`` for this version of the series, computed once and kept in an LRU.

        For per-series work that every request would otherwise repeat (a frame prepared for
        JSON, labels joined in one language); keyed by the content hash like the datasets, so
        a re-sync is picked up on the next request.
        """
        key = (entry.series_id, entry.content_hash, variant)
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
