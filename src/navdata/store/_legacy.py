"""Stores written before the Delta Lake format (format 1) are migrated on first use.

Format 1 kept ``manifest.json`` (series id -> current version, with provenance) beside
``series/<id>/<stamp>-<hash>.parquet`` and ``.meta.json`` files: the current version and the one
before it (``previous``). Migration commits each kept version, oldest first, to the series'
Delta table with the very same Parquet bytes (so content hashes are unchanged) and the time
format 1 wrote it (from the manifest, or from the stamp in the file name), then moves the old
``manifest.json`` and ``series/`` into ``legacy-format-1/``: nothing is deleted.

It runs under the store's lock file, once; a process that finds the manifest gone after taking
the lock knows another one migrated. Interrupted half-way, it resumes: versions already in a
table (their records name the file they were ``migrated_from``) are not committed again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import msgspec

from navdata.dataset import Metadata
from navdata.errors import StoreError
from navdata.store._lock import holding

__all__ = ["LEGACY_FOLDER", "LEGACY_MANIFEST", "LOCK_TIMEOUT", "is_legacy", "migrate"]

LEGACY_MANIFEST: Final = "manifest.json"
LEGACY_FOLDER: Final = "legacy-format-1"
#: Seconds a process waits for another one's migration before it gives up.
LOCK_TIMEOUT = 60.0
_log = logging.getLogger("navdata.store")


class _Entry(msgspec.Struct, frozen=True):
    file: str
    written: datetime
    previous: list[str] = msgspec.field(default_factory=list)


class _Manifest(msgspec.Struct, frozen=True):
    format: int
    series: dict[str, _Entry]


#: ``(series_id, parquet bytes, metadata, written, migrated_from)`` -> commits one version.
CommitVersion = Callable[[str, bytes, Metadata, datetime, str], Any]


def is_legacy(root: Path) -> bool:
    """Whether ``root`` holds a format-1 store still to migrate."""
    return (root / LEGACY_MANIFEST).is_file()


def _written(name: str) -> datetime:
    """The time format 1 put into a version's file name (``20260923T060000123456Z-<hash>``)."""
    stamp = name.split("-", 1)[0]
    try:
        return datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
    except ValueError:
        msg = f"the old store file name {name!r} carries no time navdata can read"
        raise StoreError(msg) from None


def _read_manifest(root: Path) -> _Manifest:
    path = root / LEGACY_MANIFEST
    try:
        manifest = msgspec.json.decode(path.read_bytes(), type=_Manifest)
    except (OSError, msgspec.DecodeError) as err:
        msg = (
            f"the store at {root} is in navdata's old format and its {LEGACY_MANIFEST} cannot "
            f"be read ({err}), so it cannot be migrated; move it aside and run `navdata sync` "
            f"for the series you need (the Parquet files under {root / 'series'} are untouched)"
        )
        raise StoreError(msg) from err
    if manifest.format != 1:
        msg = f"{path} has format {manifest.format}; this navdata migrates format 1 only"
        raise StoreError(msg)
    return manifest


def migrate(root: Path, commit: CommitVersion, migrated: Callable[[str], set[str]]) -> list[str]:
    """Migrate the format-1 store at ``root``; returns the ids migrated by this call.

    ``migrated(series_id)`` names the files already committed to that series' table.
    """
    with holding(root, timeout=LOCK_TIMEOUT, doing="migrating it to the Delta Lake format"):
        if not is_legacy(root):
            return []  # another process migrated it while we waited for the lock
        manifest = _read_manifest(root)
        for series_id, entry in manifest.series.items():
            done = migrated(series_id)
            folder = root / "series" / series_id
            names = [*reversed(entry.previous), entry.file]
            for name in names:
                if name in done:
                    continue
                written = entry.written if name == entry.file else _written(name)
                data, meta = _version_files(folder, name, series_id)
                commit(series_id, data, meta, written, name)
        _move_aside(root)
        ids = list(manifest.series)
        _log.warning(
            "navdata migrated the store at %s to the Delta Lake format (%d series); the old "
            "files are kept in %s and may be deleted",
            root,
            len(ids),
            root / LEGACY_FOLDER,
        )
        return ids


def _version_files(folder: Path, name: str, series_id: str) -> tuple[bytes, Metadata]:
    meta_path = folder / (name.removesuffix(".parquet") + ".meta.json")
    try:
        data = (folder / name).read_bytes()
        meta = msgspec.json.decode(meta_path.read_bytes(), type=Metadata)
    except (OSError, msgspec.DecodeError) as err:
        msg = (
            f"cannot migrate {series_id!r}: its old version {name} in {folder} is unreadable "
            f"({err}); move {folder} aside and run `navdata sync {series_id}`"
        )
        raise StoreError(msg) from err
    return data, meta


def _move_aside(root: Path) -> None:
    """Move the old manifest and files into ``legacy-format-1/`` (kept, never deleted)."""
    target = root / LEGACY_FOLDER
    suffix = 1
    while target.exists():
        suffix += 1
        target = root / f"{LEGACY_FOLDER}-{suffix}"
    target.mkdir()
    # The manifest first: once it is gone the migration is done (every version is committed);
    # a crash before the folder moves leaves old files in place, never a half-migrated store.
    (root / LEGACY_MANIFEST).rename(target / LEGACY_MANIFEST)
    if (root / "series").is_dir():
        (root / "series").rename(target / "series")
