"""The local store: synced series as Parquet files, with a manifest that says where each came from.

Layout of a store folder::

    manifest.json                          which version of each series is current, with provenance
    .lock                                  present while a process writes (see :meth:`Store.lock`)
    series/<id>/<stamp>-<hash12>.parquet   one file per version of a series (the tidy frame)
    series/<id>/<stamp>-<hash12>.meta.json its navdata.dataset.Metadata (msgspec JSON)

Why it is built this way:

- **Crash safety.** A write never touches the current version. It writes the new Parquet and
  metadata files *beside* the old ones (temp file, flush, fsync, ``os.replace``), and only then
  swaps ``manifest.json`` (again temp file + ``os.replace``, which is atomic on POSIX and
  Windows). Readers follow the manifest, so they see either the old version or the new one,
  never a half-written or mixed store. A crash before the swap leaves the previous version
  current; the orphaned files are cleaned by the next write. Old versions are pruned only after
  the swap, keeping the current and the previous committed version (:data:`KEEP_VERSIONS`, listed
  in the manifest entry's ``previous``) so that a reader that read the old manifest a moment ago
  can still open its file.
- **Provenance.** Every manifest entry records the source URL, query, table, the ``updated``
  time at the source, when navdata retrieved it, the SHA-256 of the Parquet bytes, the row
  count, the columns and the navdata version that wrote it.
- **One writer at a time.** Writers take a lock file created with ``O_CREAT | O_EXCL`` (atomic on
  every platform and on most network file systems). A second writer gets
  :class:`~navdata.errors.StoreLockedError` naming the holder, or waits up to ``lock_timeout``.
  A lock left by a process that died on this host is detected and broken.
- **Lazy reads.** :meth:`Store.scan` returns a polars ``LazyFrame`` over the Parquet file, so
  filters on period and dimensions are pushed down into the Parquet reader and only matching row
  groups are read. Reads take no lock: the manifest swap is atomic.

The store location is ``NAVDATA_STORE_DIR`` when set, else the platform's user data folder
(:func:`navdata.config.store_dir`).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import socket
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import msgspec
import polars as pl

from navdata import _version, config
from navdata._files import TEMP_PREFIX, write_atomic
from navdata.cut import PeriodRange, cut
from navdata.dataset import Dataset, Metadata
from navdata.errors import MissingDataError, StoreError, StoreLockedError

__all__ = [
    "KEEP_VERSIONS",
    "Manifest",
    "ManifestEntry",
    "Store",
]

#: Versions of a series kept on disk after a write: the current one and the one before it.
KEEP_VERSIONS = 2
MANIFEST_FORMAT = 1
_MANIFEST = "manifest.json"
_LOCK = ".lock"


# --- manifest ------------------------------------------------------------------------------------


class ManifestEntry(msgspec.Struct, frozen=True, omit_defaults=True):
    """The current version of one series and where its numbers came from."""

    series_id: str
    file: str
    meta_file: str
    content_hash: str
    rows: int
    columns: list[str]
    written: datetime
    navdata_version: str
    retrieved: datetime | None = None
    updated: str | None = None
    url: str | None = None
    table: str | None = None
    publisher: str | None = None
    licence: str | None = None
    query: dict[str, Any] | None = None
    previous: list[str] = msgspec.field(default_factory=list)


class Manifest(msgspec.Struct, frozen=True):
    """The store's table of contents: series id -> current version."""

    format: int = MANIFEST_FORMAT
    series: dict[str, ManifestEntry] = msgspec.field(default_factory=dict)


# --- file helpers --------------------------------------------------------------------------------


def _parquet_bytes(frame: pl.DataFrame) -> bytes:
    """The frame as Parquet bytes (zstd), so the hash is of exactly what is written."""
    buffer = io.BytesIO()
    frame.write_parquet(buffer, compression="zstd", statistics=True)
    return buffer.getvalue()


def _safe_id(series_id: str) -> str:
    """The series id as a folder name; refuses anything that could leave the store folder."""
    if not series_id or series_id in {".", ".."} or any(c in series_id for c in "/\\:\0"):
        msg = f"{series_id!r} cannot name a stored series (no path separators, not '.' or '..')"
        raise StoreError(msg)
    return series_id


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- the store -----------------------------------------------------------------------------------


class Store:
    """A folder of synced series; see the module docstring for the layout and the guarantees."""

    def __init__(
        self, path: str | os.PathLike[str] | None = None, *, lock_timeout: float = 0.0
    ) -> None:
        self.path = Path(path) if path is not None else config.store_dir()
        self.lock_timeout = lock_timeout
        self._lock_depth = 0
        self._lock_guard = threading.RLock()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    @property
    def manifest_path(self) -> Path:
        """Path of ``manifest.json``."""
        return self.path / _MANIFEST

    @property
    def lock_path(self) -> Path:
        """Path of the lock file."""
        return self.path / _LOCK

    def _series_dir(self, series_id: str) -> Path:
        return self.path / "series" / _safe_id(series_id)

    # --- lock ------------------------------------------------------------------------------------

    def _try_lock(self) -> bool:
        try:
            fd = os.open(self.lock_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        holder = {"pid": os.getpid(), "host": socket.gethostname(), "since": _now().isoformat()}
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(holder, fh)
        return True

    def _holder(self) -> dict[str, Any]:
        try:
            data = json.loads(self.lock_path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _break_stale_lock(self) -> bool:
        """Remove a lock whose holder died on this host; True when one was removed."""
        holder = self._holder()
        pid = holder.get("pid")
        if holder.get("host") != socket.gethostname() or not isinstance(pid, int):
            return False
        if _pid_alive(pid):
            return False
        with contextlib.suppress(FileNotFoundError):
            self.lock_path.unlink()
        return True

    def _acquire(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.lock_timeout
        while True:
            if self._try_lock():
                return
            if self._break_stale_lock() and self._try_lock():
                return
            if time.monotonic() >= deadline:
                holder = self._holder()
                who = "another process"
                if holder:
                    who = (
                        f"process {holder.get('pid')} on {holder.get('host')} "
                        f"since {holder.get('since')}"
                    )
                msg = (
                    f"the navdata store at {self.path} is locked by {who}: another sync is "
                    f"running. Wait for it to finish; if no sync is running, delete "
                    f"{self.lock_path}"
                )
                raise StoreLockedError(msg)
            time.sleep(0.05)

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the store's write lock (re-entrant within this object), e.g. across a whole sync."""
        with self._lock_guard:
            if self._lock_depth == 0:
                self._acquire()
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
                if self._lock_depth == 0:
                    self.lock_path.unlink(missing_ok=True)

    # --- manifest --------------------------------------------------------------------------------

    def _read_manifest(self) -> Manifest:
        path = self.manifest_path
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return Manifest()
        except OSError as err:  # the store path is a file, or a folder navdata may not read
            msg = (
                f"cannot read the store manifest {path} ({err.strerror}); the store must be a "
                f"folder navdata can read and write: check {self.path} or set NAVDATA_STORE_DIR"
            )
            raise StoreError(msg) from err
        try:
            manifest = msgspec.json.decode(data, type=Manifest)
        except msgspec.DecodeError as err:
            msg = (
                f"the store manifest {path} is unreadable ({err}). Move it aside and run "
                f"`navdata sync` for the series you need; the Parquet files under "
                f"{self.path / 'series'} are untouched"
            )
            raise StoreError(msg) from err
        if manifest.format != MANIFEST_FORMAT:
            msg = (
                f"the store manifest {path} has format {manifest.format}, this navdata reads "
                f"format {MANIFEST_FORMAT}: upgrade navdata, or use another NAVDATA_STORE_DIR"
            )
            raise StoreError(msg)
        return manifest

    def _write_manifest(self, manifest: Manifest) -> None:
        write_atomic(self.manifest_path, msgspec.json.encode(manifest), sync_folder=True)

    # --- queries ---------------------------------------------------------------------------------

    def entries(self) -> dict[str, ManifestEntry]:
        """Every stored series and its current version, by id."""
        return dict(self._read_manifest().series)

    def has(self, series_id: str) -> bool:
        """Whether the store holds ``series_id``."""
        return series_id in self._read_manifest().series

    def entry(self, series_id: str) -> ManifestEntry:
        """The manifest entry of a stored series: its current version and where it came from.

        Parameters
        ----------
        series_id
            A catalogue id.

        Returns
        -------
        ManifestEntry
            Version, files, columns, row count, content hash, source URL and retrieval time.

        Raises
        ------
        MissingDataError
            The series is not in this store (the message names the command that fetches it).
        """
        found = self._read_manifest().series.get(series_id)
        if found is None:
            msg = (
                f"series {series_id!r} is not in the local store at {self.path}; "
                f"fetch it with `navdata sync {series_id}`"
            )
            raise MissingDataError(msg)
        return found

    def _file(self, entry: ManifestEntry, name: str) -> Path:
        path = self._series_dir(entry.series_id) / name
        if not path.is_file():
            msg = (
                f"the store at {self.path} lists {path.name} for {entry.series_id!r} but the file "
                f"is missing; run `navdata sync {entry.series_id}` to fetch it again"
            )
            raise StoreError(msg)
        return path

    def _pinned(self, series: str | ManifestEntry) -> ManifestEntry:
        """The version to read: an entry pins one, an id means the current one.

        A caller that needs metadata and rows of one version reads the entry once and passes it
        to each call; a write landing in between then cannot mix v1's metadata with v2's rows.
        """
        return series if isinstance(series, ManifestEntry) else self.entry(series)

    def scan(self, series: str | ManifestEntry) -> pl.LazyFrame:
        """A lazy frame over a version: filters are pushed down into the Parquet scan."""
        entry = self._pinned(series)
        return pl.scan_parquet(self._file(entry, entry.file))

    def metadata(self, series: str | ManifestEntry) -> Metadata:
        """The stored metadata of a version (the current one for an id)."""
        entry = self._pinned(series)
        data = self._file(entry, entry.meta_file).read_bytes()
        try:
            return msgspec.json.decode(data, type=Metadata)
        except msgspec.DecodeError as err:
            series_id = entry.series_id
            msg = (
                f"the metadata file {entry.meta_file} of {series_id!r} in {self.path} is "
                f"unreadable ({err}); run `navdata sync {series_id}` to fetch it again"
            )
            raise StoreError(msg) from err

    def read(
        self,
        series: str | ManifestEntry,
        start: str | date | None = None,
        end: str | date | None = None,
        *,
        filters: Mapping[str, Sequence[str]] | None = None,
    ) -> Dataset:
        """The stored series as a :class:`Dataset`, optionally cut to a period range and codes.

        Parameters
        ----------
        series
            An id (its current version) or a manifest entry (that version: metadata and rows
            of one version even when a write lands in between).
        start
            A period code, ISO date text (``2020``, ``2020M03``, ``2020-03``, ``2020-03-15``)
            or a date; compared with the ``date`` column (first day of each period) when the
            frame has one, else with the period codes.
        end
            The same forms, inclusive (``end="2020"`` keeps all of 2020).
        filters
            A column -> the codes to keep.

        Returns
        -------
        Dataset
            The rows and the stored metadata of one version.

        Raises
        ------
        MissingDataError
            The series is not in this store.
        SelectionError
            A filter names a column the series does not have.
        StoreError
            A file the manifest lists is missing or unreadable.
        """
        entry = self._pinned(series)  # one manifest read: metadata and rows of one version
        return Dataset(
            self.query(entry, start, end, filters=filters).collect(), self.metadata(entry)
        )

    def query(
        self,
        series: str | ManifestEntry,
        start: str | date | None = None,
        end: str | date | None = None,
        *,
        filters: Mapping[str, Sequence[str]] | None = None,
    ) -> pl.LazyFrame:
        """The lazy frame :meth:`read` collects: :func:`navdata.cut.cut` over :meth:`scan`.

        The cuts are pushed down into the Parquet scan.
        """
        entry = self._pinned(series)
        periods = PeriodRange.parse(start, end)
        return cut(self.scan(entry), periods, filters, name=f"series {entry.series_id!r}")

    def verify(self, series_id: str) -> bool:
        """Whether the current file still hashes to the manifest's content hash."""
        entry = self.entry(series_id)
        digest = hashlib.sha256(self._file(entry, entry.file).read_bytes()).hexdigest()
        return digest == entry.content_hash

    # --- changes ---------------------------------------------------------------------------------

    def write(self, series_id: str, dataset: Dataset) -> ManifestEntry:
        """Store ``dataset`` as the new current version of ``series_id``; all or nothing.

        Steps (each a point where a crash leaves the previous version current and readable):
        Parquet bytes + hash; Parquet file via temp + fsync + rename; metadata likewise; manifest
        swap via temp + fsync + rename; prune old versions.

        Parameters
        ----------
        series_id
            A catalogue id.
        dataset
            The tidy frame and its metadata (with provenance, which the manifest records).

        Returns
        -------
        ManifestEntry
            The new current version.

        Raises
        ------
        StoreLockedError
            Another process holds the store's lock past ``lock_timeout``.
        """
        series_dir = self._series_dir(series_id)
        with self.lock():
            manifest = self._read_manifest()
            series_dir.mkdir(parents=True, exist_ok=True)
            self._clean_temp_files(series_dir)
            data = _parquet_bytes(dataset.frame)
            digest = hashlib.sha256(data).hexdigest()
            now = _now()
            stem = f"{now.strftime('%Y%m%dT%H%M%S%fZ')}-{digest[:12]}"
            provenance = dataset.meta.provenance
            meta = dataset.meta
            if provenance is not None:
                meta = msgspec.structs.replace(
                    meta, provenance=msgspec.structs.replace(provenance, content_hash=digest)
                )
            old = manifest.series.get(series_id)
            previous = [old.file, *old.previous] if old is not None else []
            entry = ManifestEntry(
                series_id=series_id,
                file=f"{stem}.parquet",
                meta_file=f"{stem}.meta.json",
                content_hash=digest,
                rows=dataset.frame.height,
                columns=list(dataset.frame.columns),
                written=now,
                navdata_version=_version.__version__,
                retrieved=provenance.retrieved if provenance else None,
                updated=meta.updated,
                url=provenance.url if provenance else None,
                table=provenance.table if provenance else None,
                publisher=provenance.publisher if provenance else None,
                licence=provenance.licence if provenance else None,
                query=provenance.query if provenance else None,
                previous=previous[: KEEP_VERSIONS - 1],
            )
            new_files = [series_dir / entry.file, series_dir / entry.meta_file]
            try:
                write_atomic(new_files[0], data, sync_folder=True)
                write_atomic(new_files[1], msgspec.json.encode(meta), sync_folder=True)
                series = {**manifest.series, series_id: entry}
                self._write_manifest(msgspec.structs.replace(manifest, series=series))
            except BaseException:
                for path in new_files:
                    path.unlink(missing_ok=True)
                raise
            self._prune(series_dir, entry)
        return entry

    def remove(self, series_id: str) -> None:
        """Forget a series: drop it from the manifest (atomically), then delete its files.

        Parameters
        ----------
        series_id
            A catalogue id.

        Raises
        ------
        MissingDataError
            The series is not in this store.
        StoreLockedError
            Another process holds the store's lock past ``lock_timeout``.
        """
        with self.lock():
            manifest = self._read_manifest()
            if series_id not in manifest.series:
                msg = f"series {series_id!r} is not in the local store at {self.path}"
                raise MissingDataError(msg)
            series = {k: v for k, v in manifest.series.items() if k != series_id}
            self._write_manifest(msgspec.structs.replace(manifest, series=series))
            series_dir = self._series_dir(series_id)
            for path in sorted(series_dir.glob("*")):
                path.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                series_dir.rmdir()

    def _clean_temp_files(self, series_dir: Path) -> None:
        """Remove temp files a crashed writer left (safe: we hold the lock)."""
        for folder in (self.path, series_dir):
            for tmp in folder.glob(f"{TEMP_PREFIX}*"):
                tmp.unlink(missing_ok=True)

    def _prune(self, series_dir: Path, current: ManifestEntry) -> None:
        """Delete every file of the series but the current and previous committed versions.

        Orphans of a crashed writer (renamed into place, never named by the manifest) go too.
        """
        keep = {current.file, *current.previous}
        keep |= {name.removesuffix(".parquet") + ".meta.json" for name in keep}
        for path in series_dir.iterdir():
            if path.is_file() and path.name not in keep:
                path.unlink(missing_ok=True)


def _now() -> datetime:
    return datetime.now(UTC)
