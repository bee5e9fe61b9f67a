"""The disk cache of answers: one file per request, written atomically, revalidated when stale.

A cache is a help, never a condition: when its folder cannot be used (``NAVDATA_CACHE_DIR``
names a file, a folder without write permission, a full disk), navdata warns once with a
:class:`CacheUnavailableWarning` naming the folder and goes on without a cache.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from pathlib import Path

import msgspec

from navdata._files import write_atomic
from navdata._warn import warn

__all__ = [
    "DEFAULT_FRESH_FOR",
    "CacheEntry",
    "CacheUnavailableWarning",
    "DiskCache",
    "cache_key",
]

log = logging.getLogger("navdata.http")

DEFAULT_FRESH_FOR = 12 * 3600.0
"""Seconds a cached answer is served without asking the server again."""


def cache_key(method: str, url: str, body: bytes) -> str:
    """sha256 over method, URL and body: one entry per distinct request."""
    digest = hashlib.sha256()
    for part in (method.upper().encode(), url.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


class CacheEntry(msgspec.Struct, frozen=True):
    """What the cache keeps of one answer."""

    method: str
    url: str
    status: int
    headers: dict[str, str]
    content: bytes
    stored_at: float

    @property
    def etag(self) -> str | None:
        """The validator for ``If-None-Match``."""
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        """The validator for ``If-Modified-Since``."""
        return self.headers.get("last-modified")


_ENTRY_DECODER = msgspec.msgpack.Decoder(CacheEntry)
_ENTRY_ENCODER = msgspec.msgpack.Encoder()


class CacheUnavailableWarning(UserWarning):
    """The HTTP cache folder cannot be used; navdata goes on without a cache."""


_warned_roots: set[Path] = set()
_warned_lock = threading.Lock()


class DiskCache:
    """Files under ``root/<2 hex>/<sha256>``, each written to a temp file then renamed in place."""

    def __init__(self, root: Path) -> None:
        self.root = root
        #: False once the folder failed to read or write: the cache is then left alone.
        self.usable = True

    def path(self, key: str) -> Path:
        """Where the entry for ``key`` lives."""
        return self.root / key[:2] / key

    def _unusable(self, error: OSError) -> None:
        """Stop using the cache, and warn once per folder and process."""
        self.usable = False
        with _warned_lock:
            if self.root in _warned_roots:
                return
            _warned_roots.add(self.root)
        warn(
            f"the HTTP cache at {self.root} cannot be used ({error.strerror or error}); navdata "
            "goes on without a cache, so answers are fetched again each time. Set "
            "NAVDATA_CACHE_DIR to a folder you can write",
            CacheUnavailableWarning,
        )

    def get(self, key: str) -> CacheEntry | None:
        """The entry, or None when absent; an unreadable entry is removed and counts as absent."""
        if not self.usable:
            return None
        path = self.path(key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:  # the folder is a file, or not readable
            self._unusable(error)
            return None
        try:
            return _ENTRY_DECODER.decode(data)
        except msgspec.DecodeError:
            log.warning("removing unreadable cache entry %s", path)
            path.unlink(missing_ok=True)
            return None

    def put(self, key: str, entry: CacheEntry) -> None:
        """Store atomically: readers see the old entry or the new one, never half of one."""
        if not self.usable:
            return
        path = self.path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, _ENTRY_ENCODER.encode(entry))
        except OSError as error:  # no permission, a file in the way, a full disk
            self._unusable(error)

    def delete(self, key: str) -> None:
        """Forget one entry."""
        if not self.usable:
            return
        try:
            self.path(key).unlink(missing_ok=True)
        except OSError as error:
            self._unusable(error)
