"""The store: every version of every synced series, one Delta Lake table per series.

Layout below the store's root (a folder, or ``s3://bucket/prefix``)::

    tables/<id>/_delta_log/...        the table's log: one commit per version, with its record
    tables/<id>/part-....parquet      one data file per version (the tidy frame, zstd Parquet)
    checks/<id>.json                  the last sync of the series and what it found
    changes/stamp, changes/open/...   what tells readers cheaply that a series changed
    legacy-format-1/                  a store of the old format, moved aside after migration

Why it is built this way:

- **History.** A sync whose content differs commits a new version; one that finds the same
  content commits nothing and only updates ``checks/<id>.json``. Every version stays readable
  (``entry(id, as_of=...)``, ``read(entry)``) until ``vacuum`` removes old files.
- **Provenance.** Each commit carries the version's :class:`ManifestEntry` (source URL and query,
  the source's ``updated`` time, retrieval time, navdata version, SHA-256 of the data file, rows)
  and its metadata, so history and provenance are one record.
- **Crash safety.** A version's data file is written before the commit that names it; a writer
  killed in between leaves an orphan file no reader sees, and the previous version current.
- **Concurrent writers.** Delta's optimistic concurrency: of two commits at once one wins; the
  other re-reads and, if its content is still new, commits after it, else stops
  (:class:`~navdata.errors.StoreLockedError` after repeated conflicts). Nothing is ever mixed.
- **Lazy reads.** :meth:`Store.scan` is a polars scan of one Parquet file: filters on period and
  dimensions are pushed into the reader. Other engines read the tables as Delta Lake.

The location is ``NAVDATA_STORE_DIR`` when set (a folder or an ``s3://`` URL; credentials and
endpoint from the ``AWS_*`` variables), else the platform's user data folder.
"""

from __future__ import annotations

import hashlib
import io
import os
import uuid
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

import msgspec
import polars as pl

from navdata import _version
from navdata.cut import PeriodRange, cut
from navdata.dataset import Dataset, Metadata
from navdata.errors import MissingDataError, StoreError, StoreLockedError
from navdata.store import _table
from navdata.store._as_of import AsOf, parse_as_of, pick_version
from navdata.store._changes import ChangeMark, changing, read_mark
from navdata.store._data import comparable, parquet_bytes, safe_id, storable, unreadable
from navdata.store._legacy import is_legacy, migrate
from navdata.store._location import Folder, Location, open_location
from navdata.store._record import Check, CheckOutcome, FileCheck, ManifestEntry, Removed
from navdata.store._table import Version, log_key, table_key

if TYPE_CHECKING:
    from deltalake import DeltaTable

__all__ = [
    "AsOf",
    "ChangeMark",
    "Check",
    "CheckOutcome",
    "FileCheck",
    "ManifestEntry",
    "Removed",
    "Store",
    "parse_as_of",
    "pick_version",
]

_COMMIT_ATTEMPTS: Final = 4
#: The newest version seen per (store, series) in this process, with the table version then.
_LATEST: dict[tuple[str, str], tuple[int, Version]] = {}
_METADATA_KEPT: Final = 64
_CHECKS: Final = "checks"


class Store:
    """Synced series and all their versions; see the module docstring for the guarantees."""

    def __init__(self, location: str | os.PathLike[str] | None = None) -> None:
        self._location: Location = open_location(location)
        self._prepared = False
        self._writable = False
        self._metadata: OrderedDict[tuple[str, int, str], Metadata] = OrderedDict()

    def __repr__(self) -> str:
        return f"Store({self.location!r})"

    @property
    def location(self) -> str:
        """The store's folder or ``s3://`` URL, as text."""
        return self._location.display

    @property
    def remote(self) -> bool:
        """Whether the store is on object storage (no cheap change check: readers poll)."""
        return self._location.remote

    @property
    def path(self) -> Path:
        """The store's folder; a store on object storage has none (use :attr:`location`)."""
        if isinstance(self._location, Folder):
            return self._location.root
        msg = f"the store {self.location} is on object storage and has no local folder"
        raise StoreError(msg)

    # --- readiness and migration -------------------------------------------------------------

    def check(self, *, write: bool = False, again: bool = False) -> None:
        """Raise :class:`StoreError` saying what to fix when the store cannot be used.

        ``write=True`` also checks that it can be written. A store of the old format is
        migrated here, on first use.

        The location is checked once per ``Store`` (and per ``write``); ``again=True`` checks
        it anew, for a readiness probe that must notice a volume gone bad.
        """
        if again:
            self._prepared = self._writable = False
        if write and not self._writable:
            self._location.check(write=True)
            self._writable = True
        if self._prepared:
            return
        self._location.check(write=False)
        if isinstance(self._location, Folder) and is_legacy(self._location.root):
            try:
                self._location.check(write=True)
            except StoreError as err:
                msg = (
                    f"the store at {self.location} is in navdata's old format and must be "
                    f"migrated once by a process that can write it ({err})"
                )
                raise StoreError(msg) from err
            migrate(self._location.root, self._commit_migrated, self._migrated_files)
        self._prepared = True

    def _migrated_files(self, series_id: str) -> set[str]:
        history = _table.history(self._location, series_id)
        return {e.migrated_from for e, _ in history if e.migrated_from is not None}

    def _commit_migrated(
        self, series_id: str, data: bytes, meta: Metadata, written: object, name: str
    ) -> None:
        frame = pl.read_parquet(io.BytesIO(data))
        entry = self._new_entry(series_id, data, frame, meta)
        entry = msgspec.structs.replace(entry, written=written, migrated_from=name)
        self._location.write(f"{table_key(series_id)}/{entry.file}", data)
        with changing(self._location, series_id):
            _table.commit(self._location, entry, meta, storable(frame), self._snapshot(series_id))

    # --- what the store holds ----------------------------------------------------------------

    def series_ids(self) -> list[str]:
        """Ids of every stored series, sorted."""
        self.check()
        found = self._location.folders(_table.TABLES)
        return [i for i in found if self._location.exists(log_key(i, 0))]

    def entries(self) -> dict[str, ManifestEntry]:
        """Every stored series and its current version, by id."""
        out = {}
        for series_id in self.series_ids():
            found = self._latest(series_id)
            if found is not None:
                out[series_id] = found[0]
        return out

    def has(self, series_id: str) -> bool:
        """Whether the store holds ``series_id``."""
        self.check()
        return self._location.exists(log_key(safe_id(series_id), 0))

    def _remember(self, version: Version) -> Version:
        entry, meta = version
        self._metadata[(entry.series_id, entry.version, entry.content_hash)] = meta
        while len(self._metadata) > _METADATA_KEPT:
            self._metadata.popitem(last=False)
        return version

    def _latest(self, series_id: str) -> Version | None:
        """The newest version; the log is parsed again only when a commit followed.

        Kept per process (``navdata.get`` makes a ``Store`` per call): two ``stat`` calls (or
        ``HEAD`` requests) confirm that the table still holds the commit seen and nothing
        came after it, instead of loading the table's log.
        """
        key = (self.location, safe_id(series_id))
        seen = _LATEST.get(key)
        if seen is not None:
            table_version, found = seen
            location = self._location
            if location.exists(log_key(series_id, table_version)) and not location.exists(
                log_key(series_id, table_version + 1)
            ):
                return self._remember(found)
        table = _table.open_table(self._location, series_id)
        latest = _table.latest_in(table) if table is not None else None
        if table is None or latest is None:
            _LATEST.pop(key, None)
            return None
        _LATEST[key] = (table.version(), latest)
        return self._remember(latest)

    def _missing(self, series_id: str) -> MissingDataError:
        msg = (
            f"series {series_id!r} is not in the store at {self.location}; "
            f"fetch it with `navdata sync {series_id}`"
        )
        return MissingDataError(msg)

    def versions(self, series_id: str) -> list[ManifestEntry]:
        """Every version of a stored series, oldest first.

        Parameters
        ----------
        series_id
            A catalogue id.

        Returns
        -------
        list[ManifestEntry]
            One record per version: number, time written, rows, content hash, provenance.

        Raises
        ------
        MissingDataError
            The series is not in this store.
        """
        self.check()
        found = [self._remember(v)[0] for v in _table.history(self._location, safe_id(series_id))]
        if not found:
            raise self._missing(series_id)
        return found

    def entry(self, series_id: str, *, as_of: AsOf | None = None) -> ManifestEntry:
        """The record of a stored series' current version, or of the one ``as_of`` names.

        Parameters
        ----------
        series_id
            A catalogue id.
        as_of
            A version number, or a date or datetime: the version the store held then (a date
            means the end of that day, UTC). ``None``: the current version.

        Returns
        -------
        ManifestEntry
            Version, data file, columns, row count, content hash, source URL and retrieval time.

        Raises
        ------
        MissingDataError
            The series is not in this store, or had no version at ``as_of`` (the message names
            the command that fetches it, or the first version's time).
        InvalidArgumentError
            ``as_of`` is not a version, a date or a datetime.
        """
        self.check()
        if as_of is not None:
            return pick_version(self.versions(series_id), as_of, series_id)
        found = self._latest(series_id)
        if found is None:
            raise self._missing(series_id)
        return found[0]

    def change_mark(self, seen: ChangeMark | None = None) -> ChangeMark:
        """What tells a reader cheaply whether any series changed since ``seen`` was read.

        One small read (an S3 ``GET``); open changes are listed only when the stamp moved.
        """
        return read_mark(self._location, seen)

    def is_current(self, entry: ManifestEntry) -> bool:
        """Whether no commit followed ``entry`` (one ``stat`` on a folder, one ``HEAD`` on S3)."""
        return not self._location.exists(log_key(entry.series_id, entry.version + 1))

    def _pinned(self, series: str | ManifestEntry) -> ManifestEntry:
        """The version to read: an entry pins one, an id means the current one."""
        return series if isinstance(series, ManifestEntry) else self.entry(series)

    def _data_key(self, entry: ManifestEntry) -> str:
        return f"{table_key(entry.series_id)}/{entry.file}"

    def scan(self, series: str | ManifestEntry) -> pl.LazyFrame:
        """A lazy frame over a version: filters are pushed down into the Parquet scan."""
        entry = self._pinned(series)
        uri = self._location.uri(self._data_key(entry))
        return pl.scan_parquet(uri, storage_options=self._location.storage_options())

    def metadata(self, series: str | ManifestEntry) -> Metadata:
        """The stored metadata of a version (the current one for an id)."""
        entry = self._pinned(series)
        known = self._metadata.get((entry.series_id, entry.version, entry.content_hash))
        if known is not None:
            return known
        found = _table.version_at(self._location, entry.series_id, entry.version)
        if found is None or found[0].content_hash != entry.content_hash:
            raise self._missing(entry.series_id)
        return self._remember(found)[1]

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
            The version's data file is missing or damaged (the message names the file and the
            repair, ``navdata sync ID``).
        """
        entry = self._pinned(series)  # one version for the metadata and the rows
        try:  # the schema is read while the cut is planned: a damaged file fails there too
            frame = self.query(entry, start, end, filters=filters).collect()
        except (pl.exceptions.PolarsError, OSError) as err:
            raise unreadable(entry, self.location, err) from err
        return Dataset(frame, self.metadata(entry))

    def query(
        self,
        series: str | ManifestEntry,
        start: str | date | None = None,
        end: str | date | None = None,
        *,
        filters: Mapping[str, Sequence[str]] | None = None,
    ) -> pl.LazyFrame:
        """The lazy frame :meth:`read` collects: :func:`navdata.cut.cut` over :meth:`scan`."""
        entry = self._pinned(series)
        periods = PeriodRange.parse(start, end)
        return cut(self.scan(entry), periods, filters, name=f"series {entry.series_id!r}")

    # --- integrity ---------------------------------------------------------------------------

    def _file_problem(self, entry: ManifestEntry) -> str | None:
        try:
            data = self._location.read(self._data_key(entry))
        except FileNotFoundError:
            return "the file is missing"
        except OSError as err:
            return f"the file cannot be read ({err.strerror or err})"
        if hashlib.sha256(data).hexdigest() != entry.content_hash:
            return "its SHA-256 differs from the one recorded when it was written"
        return None

    def verify(self, series_id: str) -> bool:
        """Whether the current version's file still hashes to its recorded SHA-256."""
        return self._file_problem(self.entry(series_id)) is None

    def verify_files(self, series_ids: Sequence[str] | None = None) -> list[FileCheck]:
        """Every version's data file checked against its recorded SHA-256.

        A version whose files ``vacuum`` removed is reported as missing: its data is gone on
        purpose, and ``as_of`` reads of it fail with the same message.
        """
        out = []
        for series_id in series_ids if series_ids is not None else self.series_ids():
            for entry in self.versions(series_id):
                problem = self._file_problem(entry)
                out.append(
                    FileCheck(series_id, entry.version, entry.file, problem is None, problem)
                )
        return out

    # --- changes -----------------------------------------------------------------------------

    def _snapshot(self, series_id: str) -> DeltaTable | None:
        return _table.open_table(self._location, series_id)

    def _new_entry(
        self, series_id: str, data: bytes, frame: pl.DataFrame, meta: Metadata
    ) -> ManifestEntry:
        provenance = meta.provenance
        return ManifestEntry(
            series_id=series_id,
            file=f"part-00000-{uuid.uuid4()}-c000.zstd.parquet",
            content_hash=hashlib.sha256(data).hexdigest(),
            rows=frame.height,
            columns=list(frame.columns),
            written=_table.synced_now(),
            navdata_version=_version.__version__,
            size=len(data),
            retrieved=provenance.retrieved if provenance else None,
            updated=meta.updated,
            url=provenance.url if provenance else None,
            table=provenance.table if provenance else None,
            publisher=provenance.publisher if provenance else None,
            licence=provenance.licence if provenance else None,
            query=provenance.query if provenance else None,
        )

    def _compare(
        self, current: Version, frame: pl.DataFrame, meta: Metadata, digest: str
    ) -> Literal["unchanged", "changed", "damaged"]:
        """Whether the new content equals the current version's (read, and checked if equal).

        Only content that looks the same needs the stored file: then its hash must hold (a
        damaged file is replaced, not kept), and equal frames in other bytes (written by
        another polars) count as the same content.
        """
        entry, old_meta = current
        if comparable(old_meta) != comparable(meta) or entry.rows != frame.height:
            return "changed"
        try:
            stored = self._location.read(self._data_key(entry))
        except OSError:
            return "damaged"
        if digest == entry.content_hash:
            same = hashlib.sha256(stored).hexdigest() == entry.content_hash
            return "unchanged" if same else "damaged"
        try:
            old = pl.read_parquet(io.BytesIO(stored))
        except (pl.exceptions.PolarsError, OSError):
            return "damaged"
        return "unchanged" if old.schema == frame.schema and old.equals(frame) else "changed"

    def write(self, series_id: str, dataset: Dataset) -> ManifestEntry:
        """Store ``dataset`` as the new version of ``series_id``, unless it holds it already.

        The new frame and metadata are compared with the current version (read and checked
        against its hash): identical content commits nothing and records only the check; a
        damaged current version is replaced (``outcome="repaired"`` in :meth:`checked`).

        Parameters
        ----------
        series_id
            A catalogue id.
        dataset
            The tidy frame and its metadata (with provenance, which the commit records).

        Returns
        -------
        ManifestEntry
            The current version after the write (the old one when nothing changed).

        Raises
        ------
        StoreError
            The store cannot be written (the message says what to fix).
        StoreLockedError
            Other writers kept committing this series at the same moment.
        """
        from deltalake.exceptions import CommitFailedError, DeltaError  # noqa: PLC0415

        self.check(write=True)
        frame = storable(dataset.frame)
        data = parquet_bytes(frame)
        meta = dataset.meta
        entry = self._new_entry(safe_id(series_id), data, frame, meta)
        if meta.provenance is not None:
            meta = msgspec.structs.replace(
                meta,
                provenance=msgspec.structs.replace(
                    meta.provenance, content_hash=entry.content_hash
                ),
            )
        written = False
        try:
            for _ in range(_COMMIT_ATTEMPTS):
                snapshot = self._snapshot(series_id)
                current = _table.latest_in(snapshot) if snapshot is not None else None
                if current is not None:
                    self._remember(current)
                outcome: CheckOutcome = "new-version"
                if current is not None:
                    found = self._compare(current, frame, meta, entry.content_hash)
                    if found == "unchanged":
                        if written:  # a rival committed this very content first
                            self._location.delete(self._data_key(entry))
                        self._record_check(current[0], "unchanged", meta.updated)
                        return current[0]
                    outcome = "repaired" if found == "damaged" else "new-version"
                if not written:
                    written = True  # from here on a failure removes the file again
                    self._location.write(self._data_key(entry), data)
                try:
                    with changing(self._location, series_id):
                        _table.commit(self._location, entry, meta, frame, snapshot)
                except (CommitFailedError, DeltaError):  # another writer committed first
                    continue
                written = False  # committed: the file is the version's now
                committed = self.entry(series_id)
                self._record_check(committed, outcome, meta.updated)
                return committed
        except BaseException:
            if written:  # no partial version left behind (a killed process leaves it to vacuum)
                self._location.delete(self._data_key(entry))
            raise
        if written:
            self._location.delete(self._data_key(entry))
        msg = (
            f"other writers kept committing {series_id!r} in the store at {self.location} at "
            f"the same moment ({_COMMIT_ATTEMPTS} attempts); run the sync again when they are done"
        )
        raise StoreLockedError(msg)

    def _record_check(
        self, entry: ManifestEntry, outcome: CheckOutcome, updated: str | None
    ) -> None:
        record = Check(
            series_id=entry.series_id,
            checked=_table.synced_now(),
            version=entry.version,
            outcome=outcome,
            source_updated=updated,
        )
        self._location.write(f"{_CHECKS}/{entry.series_id}.json", msgspec.json.encode(record))

    def checked(self, series_id: str) -> Check | None:
        """The last sync of a series and what it found (``None``: never recorded)."""
        self.check()
        try:
            data = self._location.read(f"{_CHECKS}/{safe_id(series_id)}.json")
        except FileNotFoundError:
            return None
        return msgspec.json.decode(data, type=Check)

    def remove(self, series_id: str) -> None:
        """Forget a series: delete its table (every version) and its check record.

        Parameters
        ----------
        series_id
            A catalogue id.

        Raises
        ------
        MissingDataError
            The series is not in this store.
        """
        self.check(write=True)
        if not self.has(series_id):
            raise self._missing(series_id)
        with changing(self._location, series_id):
            self._location.delete_tree(table_key(series_id))
        self._location.delete(f"{_CHECKS}/{series_id}.json")
        # a table written anew starts at version 0 again: the version remembered is not its
        _LATEST.pop((self.location, series_id), None)

    def vacuum(self, older_than: timedelta, *, dry_run: bool = False) -> list[Removed]:
        """Delete data files of versions replaced more than ``older_than`` ago (Delta's vacuum).

        Files no commit names (left by a killed writer) go too. The versions stay in the
        history; reading one whose file is gone is an error naming it. A threshold under a day
        may remove the file of a sync that is committing right now: run it between syncs.
        """
        self.check(write=not dry_run)
        hours = older_than.total_seconds() / 3600
        out: list[Removed] = []
        for series_id in self.series_ids():
            versions = {e.file: e.version for e in self.versions(series_id)}
            # as_of reads of the versions whose files go change: readers must notice
            noticed = nullcontext() if dry_run else changing(self._location, series_id)
            with noticed:
                removed = _table.vacuum(self._location, series_id, hours, dry_run=dry_run)
            out.extend(Removed(series_id, name, versions.get(name)) for name in removed)
        return out
