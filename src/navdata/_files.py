"""Where navdata keeps its files, and how it writes them: one way each, the same everywhere.

:func:`user_dir` is the platform's per-user cache or data folder (XDG on Linux and other Unix,
``~/Library`` on macOS, ``%LOCALAPPDATA%`` on Windows), unless the user named one in the
environment (``NAVDATA_CACHE_DIR``, ``NAVDATA_STORE_DIR``).

A file is written to a temp file beside the target (same folder, so the rename stays on one file
system), optionally fsynced, then renamed over the target with ``os.replace`` (atomic on POSIX and
Windows). On any failure the temp file is removed and the target is left as it was: a reader sees
the old file or the new one, never half of one. The temp names start with :data:`TEMP_PREFIX` so
that a writer holding a lock (the store) can sweep what a crashed writer left behind.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Literal, NamedTuple

__all__ = [
    "TEMP_PREFIX",
    "fsync_folder",
    "temp_sibling",
    "user_dir",
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


class _Places(NamedTuple):
    """Where one kind of user folder goes: the override, then each platform's place."""

    override: str  # navdata's own environment variable, which wins when set
    xdg: str  # Linux and other Unix: the XDG variable, else ``unix`` below home
    unix: tuple[str, ...]
    macos: tuple[str, ...]  # below home
    windows: tuple[str, ...]  # below %LOCALAPPDATA%


_USER_DIRS = {
    "cache": _Places(
        override="NAVDATA_CACHE_DIR",
        xdg="XDG_CACHE_HOME",
        unix=(".cache", "navdata"),
        macos=("Library", "Caches", "navdata"),
        windows=("navdata", "Cache"),
    ),
    "data": _Places(
        override="NAVDATA_STORE_DIR",
        xdg="XDG_DATA_HOME",
        unix=(".local", "share", "navdata"),
        macos=("Library", "Application Support", "navdata"),
        windows=("navdata",),
    ),
}


def user_dir(kind: Literal["cache", "data"]) -> Path:
    r"""Navdata's user folder of ``kind``: the environment's choice, else the platform's.

    ``cache`` (the HTTP cache): ``$NAVDATA_CACHE_DIR``, else ``$XDG_CACHE_HOME/navdata`` or
    ``~/.cache/navdata``; macOS ``~/Library/Caches/navdata``; Windows
    ``%LOCALAPPDATA%\navdata\Cache``. ``data`` (the store): ``$NAVDATA_STORE_DIR``, else
    ``$XDG_DATA_HOME/navdata`` or ``~/.local/share/navdata``; macOS
    ``~/Library/Application Support/navdata``; Windows ``%LOCALAPPDATA%\navdata``.
    A relative XDG variable is ignored, as the XDG spec asks.
    """
    places = _USER_DIRS[kind]
    explicit = os.environ.get(places.override)
    if explicit:
        return Path(explicit).expanduser()
    home = Path.home()
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return (Path(local) if local else home / "AppData" / "Local").joinpath(*places.windows)
    if sys.platform == "darwin":
        return home.joinpath(*places.macos)
    xdg = os.environ.get(places.xdg)
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "navdata"
    return home.joinpath(*places.unix)
