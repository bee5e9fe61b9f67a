"""A lock file for the one step that cannot be settled by a Delta commit: migrating a store.

Writers of versions need no lock (Delta's optimistic concurrency settles them). Migrating a
store of the old format (:mod:`navdata.store._legacy`) moves many files at once, so it takes
``.lock``, created with ``O_CREAT | O_EXCL`` (atomic on every platform and on most network file
systems). A lock left by a process that died on this host is detected and broken.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from navdata.errors import StoreLockedError

__all__ = ["LOCK_NAME", "holding"]

LOCK_NAME = ".lock"


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


def _try_lock(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    holder = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": datetime.now(UTC).isoformat(),
    }
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(holder, fh)
    return True


def _holder(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _break_stale(path: Path) -> bool:
    """Remove a lock whose holder died on this host; True when one was removed."""
    holder = _holder(path)
    pid = holder.get("pid")
    if holder.get("host") != socket.gethostname() or not isinstance(pid, int) or _pid_alive(pid):
        return False
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    return True


@contextlib.contextmanager
def holding(folder: Path, *, timeout: float, doing: str) -> Iterator[None]:
    """Hold ``folder/.lock`` while ``doing``; :class:`StoreLockedError` after ``timeout`` s."""
    path = folder / LOCK_NAME
    deadline = time.monotonic() + timeout
    while not (_try_lock(path) or (_break_stale(path) and _try_lock(path))):
        if time.monotonic() >= deadline:
            holder = _holder(path)
            who = "another process"
            if holder:
                who = (
                    f"process {holder.get('pid')} on {holder.get('host')} "
                    f"since {holder.get('since')}"
                )
            msg = (
                f"the navdata store at {folder} is locked by {who} while {doing}. Wait for it "
                f"to finish; if no navdata process is running, delete {path}"
            )
            raise StoreLockedError(msg)
        time.sleep(0.05)
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
