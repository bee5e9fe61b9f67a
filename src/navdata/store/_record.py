"""What the store records about each version: one record in the Delta commit that made it.

History and provenance are one record: every commit navdata makes carries, in the commit's
custom metadata, the :class:`ManifestEntry` of the version (data file, SHA-256 of its bytes,
rows, columns, source URL and query, the source's ``updated`` time, when navdata retrieved it and
which navdata wrote it) and the version's :class:`~navdata.dataset.Metadata`. Reading a table's
history is therefore reading its provenance, and nothing beside the table can drift from it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final, Literal

import msgspec

from navdata.dataset import Metadata

__all__ = [
    "ENTRY_KEY",
    "FORMAT_KEY",
    "META_KEY",
    "STORE_FORMAT",
    "Check",
    "FileCheck",
    "ManifestEntry",
    "Removed",
    "commit_metadata",
    "from_commit",
    "utc",
]

#: Version of the record format navdata writes into each commit.
STORE_FORMAT: Final = 2
FORMAT_KEY: Final = "navdata.format"
ENTRY_KEY: Final = "navdata.entry"
META_KEY: Final = "navdata.metadata"


class ManifestEntry(msgspec.Struct, frozen=True, omit_defaults=True):
    """One version of a stored series and where its numbers came from.

    ``version`` is the Delta table version that holds it (what ``polars.scan_delta(...,
    version=...)`` reads); ``written`` is when the store took it (for versions migrated from an
    older store, when that store wrote it). ``content_hash`` is the SHA-256 of the data file's
    bytes, so ``navdata store verify`` can tell a damaged file.
    """

    series_id: str
    file: str
    content_hash: str
    rows: int
    columns: list[str]
    written: datetime
    navdata_version: str
    version: int = 0
    size: int = 0
    retrieved: datetime | None = None
    updated: str | None = None
    url: str | None = None
    table: str | None = None
    publisher: str | None = None
    licence: str | None = None
    query: dict[str, Any] | None = None
    migrated_from: str | None = None


CheckOutcome = Literal["new-version", "unchanged", "repaired"]


class Check(msgspec.Struct, frozen=True, omit_defaults=True):
    """The last time a sync looked at a series, and what it found.

    A sync whose content is identical to the stored version commits nothing; this record is
    all it leaves (``outcome="unchanged"``), with the source's ``updated`` time it saw.
    """

    series_id: str
    checked: datetime
    version: int
    outcome: CheckOutcome
    source_updated: str | None = None


class FileCheck(msgspec.Struct, frozen=True):
    """One version's data file checked against its recorded SHA-256 (``store verify``)."""

    series_id: str
    version: int
    file: str
    ok: bool
    problem: str | None = None


class Removed(msgspec.Struct, frozen=True):
    """A file ``vacuum`` removed, and the version whose data it held (``None``: an orphan)."""

    series_id: str
    file: str
    version: int | None


def commit_metadata(entry: ManifestEntry, meta: Metadata) -> dict[str, str]:
    """The custom metadata of the commit that makes ``entry`` (JSON text per key)."""
    record = msgspec.structs.replace(entry, version=0)  # the version is the commit's own number
    return {
        FORMAT_KEY: str(STORE_FORMAT),
        ENTRY_KEY: msgspec.json.encode(record).decode(),
        META_KEY: msgspec.json.encode(meta).decode(),
    }


def from_commit(commit: dict[str, Any]) -> tuple[ManifestEntry, Metadata] | None:
    """The record and metadata of a navdata commit; ``None`` for another commit (a vacuum)."""
    raw_entry, raw_meta = commit.get(ENTRY_KEY), commit.get(META_KEY)
    if not isinstance(raw_entry, str) or not isinstance(raw_meta, str):
        return None
    entry = msgspec.json.decode(raw_entry, type=ManifestEntry)
    meta = msgspec.json.decode(raw_meta, type=Metadata)
    return msgspec.structs.replace(entry, version=int(commit["version"])), meta


def utc(moment: datetime) -> datetime:
    """``moment`` as an aware UTC time (a naive one is taken to be UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
