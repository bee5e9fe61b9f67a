"""How navdata writes its files: all or nothing, the same way everywhere; and why a read failed.

(Where it keeps them, the user's cache and data folders, is :mod:`navdata.config`'s to say.)

A file is written to a temp file beside the target (same folder, so the rename stays on one file
system), optionally fsynced, then renamed over the target with ``os.replace`` (atomic on POSIX and
Windows). On any failure the temp file is removed and the target is left as it was: a reader sees
the old file or the new one, never half of one. The temp names start with :data:`TEMP_PREFIX` so
that a writer holding a lock (the store) can sweep what a crashed writer left behind.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path

__all__ = [
    "TEMP_PREFIX",
    "fsync_folder",
    "read_failure",
    "temp_sibling",
    "write_atomic",
    "write_atomic_with",
]

#: How every temp file (or folder) navdata writes begins: hidden, and easy to find again.
TEMP_PREFIX = ".tmp-"


def temp_sibling(target: Path) -> Path:
    """A unique hidden name beside ``target`` to build it under before the rename."""
    return target.with_name(f"{TEMP_PREFIX}{uuid.uuid4().hex}-{target.name}")


def fsync_folder(path: Path) -> None:
    """Make a rename in ``path`` durable (POSIX; Windows cannot open a directory)."""
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic_with(
    path: str | os.PathLike[str], writer: Callable[[Path], None], *, sync_folder: bool = False
) -> Path:
    """Let ``writer`` write a temp file beside ``path``, then rename it into place.

    For writers that want a path of their own (polars' ``write_csv``/``write_parquet``).
    ``sync_folder`` also fsyncs the folder after the rename, so the rename survives a power cut.
    """
    target = Path(path)
    tmp = temp_sibling(target)
    try:
        writer(tmp)
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if sync_folder:
        fsync_folder(target.parent)
    return target


def write_atomic(
    path: str | os.PathLike[str], data: bytes, *, fsync: bool = True, sync_folder: bool = False
) -> Path:
    """Write ``data`` to ``path`` all or nothing; ``fsync`` flushes it to disk before the rename."""

    def write(tmp: Path) -> None:
        with tmp.open("xb") as handle:
            handle.write(data)
            if fsync:
                handle.flush()
                os.fsync(handle.fileno())

    return write_atomic_with(path, write, sync_folder=sync_folder)


def read_failure(err: OSError | ValueError) -> str:
    """Why a file a caller named could not be read: the system's words, or the path's fault.

    ``ValueError`` is what Python raises for a path with a NUL byte, which no file system takes.
    """
    return err.strerror if isinstance(err, OSError) and err.strerror else str(err)
