"""One series, one Delta Lake table: its history, a new version, and vacuum.

A version is made in two steps. navdata writes the Parquet file itself (so the SHA-256 in the
record is of exactly the bytes on disk or in the bucket), then commits it with delta-rs in one
transaction that replaces the previous version's file and carries the record. Until the commit
lands, the file is an orphan no reader sees: a writer killed in between leaves the previous
version current, and ``vacuum`` later removes the orphan. Two writers committing at once are
settled by Delta's optimistic concurrency: one commit wins, the other fails with
``CommitFailedError`` (on a folder through an atomic rename, on S3 through a conditional put).

Old versions stay readable (time travel) until ``vacuum`` removes their files; the log itself is
never cleaned up (``delta.enableExpiredLogCleanup=false``), so every version's record stays.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final

import polars as pl

from navdata.dataset import Metadata
from navdata.errors import StoreError
from navdata.store._data import first_line
from navdata.store._location import Location
from navdata.store._record import ManifestEntry, commit_metadata, from_commit

if TYPE_CHECKING:
    from deltalake import DeltaTable, Schema

__all__ = [
    "TABLES",
    "Version",
    "commit",
    "history",
    "latest_in",
    "log_key",
    "open_table",
    "synced_now",
    "table_key",
    "vacuum",
    "version_at",
]

TABLES: Final = "tables"
#: Table properties of every series table: keep the whole log (every version's record).
TABLE_CONFIGURATION: Final = {"delta.enableExpiredLogCleanup": "false"}
Version = tuple[ManifestEntry, Metadata]


def table_key(series_id: str) -> str:
    """The key of a series' table folder below the store root."""
    return f"{TABLES}/{series_id}"


@functools.lru_cache(maxsize=1024)
def log_key(series_id: str, version: int) -> str:
    """The key of the commit file of ``version`` (it exists once the version is committed).

    Kept: the service asks for the next version's key on every request.
    """
    return f"{TABLES}/{series_id}/_delta_log/{version:020d}.json"


def open_table(location: Location, series_id: str, version: int | None = None) -> DeltaTable | None:
    """The series' table (at ``version``), or ``None`` when the series has none."""
    from deltalake import DeltaTable  # noqa: PLC0415 - delta-rs loads in ~0.1 s: only when used
    from deltalake.exceptions import DeltaError, TableNotFoundError  # noqa: PLC0415

    if not location.exists(log_key(series_id, 0)):
        return None
    uri = location.uri(table_key(series_id))
    try:
        return DeltaTable(uri, version=version, storage_options=location.storage_options())
    except TableNotFoundError:
        return None
    except (DeltaError, OSError) as err:
        msg = (
            f"the history of {series_id!r} in the store at {location.display} cannot be read "
            f"({first_line(err)}); run `navdata store verify` to see what is damaged"
        )
        raise StoreError(msg) from err


def _versions(table: DeltaTable, limit: int | None) -> Iterator[Version]:
    """The navdata versions among the table's last ``limit`` commits, newest first."""
    for commit in table.history(limit):
        found = from_commit(commit)
        if found is not None:
            yield found


def latest_in(table: DeltaTable) -> Version | None:
    """The newest navdata version in a loaded table."""
    for limit in (4, None):  # maintenance commits (vacuum) carry no record: look further back
        for found in _versions(table, limit):
            return found
    return None


def version_at(location: Location, series_id: str, version: int) -> Version | None:
    """The record of one version, read from its commit file (``None``: no navdata commit).

    Read directly rather than through ``DeltaTable(version=...).history()``, which in
    delta-rs 1.6 lists the newest commits whatever version the table was loaded at.
    """
    try:
        data = location.read(log_key(series_id, version))
    except FileNotFoundError:
        return None
    for line in data.splitlines():
        action = json.loads(line) if line.strip() else {}
        if isinstance(action, dict) and isinstance(action.get("commitInfo"), dict):
            return from_commit({**action["commitInfo"], "version": version})
    return None


def history(location: Location, series_id: str) -> list[Version]:
    """Every version of a series, oldest first (empty when it has no table)."""
    table = open_table(location, series_id)
    return [] if table is None else list(reversed(list(_versions(table, None))))


def _schema(frame: pl.DataFrame) -> Schema:
    from arro3.core import Table  # noqa: PLC0415 - comes with deltalake
    from deltalake import Schema  # noqa: PLC0415

    return Schema.from_arrow(Table.from_arrow(frame.head(0)).schema)


def commit(
    location: Location,
    entry: ManifestEntry,
    meta: Metadata,
    frame: pl.DataFrame,
    snapshot: DeltaTable | None,
) -> None:
    """Commit ``entry``'s data file (already written) as the table's new version.

    ``snapshot`` is the table as it was read before deciding to write (``None``: no table yet).
    A concurrent commit since then raises ``CommitFailedError`` (or ``DeltaError`` when two
    writers create the table at once); the caller decides whether to try again.
    """
    from deltalake import CommitProperties  # noqa: PLC0415
    from deltalake.exceptions import CommitFailedError  # noqa: PLC0415
    from deltalake.transaction import (  # noqa: PLC0415
        AddAction,
        PostCommitHookProperties,
        create_table_with_add_actions,
    )

    action = AddAction(
        path=entry.file,
        size=entry.size,
        partition_values={},
        modification_time=int(time.time() * 1000),
        data_change=True,
        stats=json.dumps({"numRecords": entry.rows}),
    )
    properties = CommitProperties(custom_metadata=commit_metadata(entry, meta))
    hooks = PostCommitHookProperties(create_checkpoint=True, cleanup_expired_logs=False)
    schema = _schema(frame)
    if snapshot is not None and snapshot.schema() == schema:
        snapshot.create_write_transaction(
            [action],
            mode="overwrite",
            schema=schema,
            commit_properties=properties,
            post_commithook_properties=hooks,
        )
        return
    # A new table, or new columns (a publisher added a dimension): the version's schema
    # replaces the table's. ``create_write_transaction`` refuses a new schema, so the table is
    # overwritten after checking, as the transaction would, that nobody committed since.
    if snapshot is not None and location.exists(log_key(entry.series_id, snapshot.version() + 1)):
        msg = "a concurrent transaction committed a new version"
        raise CommitFailedError(msg)
    create_table_with_add_actions(
        location.uri(table_key(entry.series_id)),
        schema,
        [action],
        mode="error" if snapshot is None else "overwrite",
        configuration=TABLE_CONFIGURATION,
        storage_options=location.storage_options(),
        commit_properties=properties,
        post_commithook_properties=hooks,
    )


def vacuum(location: Location, series_id: str, hours: float, *, dry_run: bool) -> list[str]:
    """Delete the files of versions replaced more than ``hours`` ago, and orphaned files.

    Delta's own vacuum (``full=True``: also files no commit names, such as a killed writer's);
    returns the removed (or, with ``dry_run``, removable) file names.
    """
    table = open_table(location, series_id)
    if table is None:
        return []
    return list(
        table.vacuum(
            retention_hours=int(hours),
            dry_run=dry_run,
            enforce_retention_duration=False,
            full=True,
        )
    )


def synced_now() -> datetime:
    """The time recorded as a new version's ``written``."""
    return datetime.now(UTC)
