"""The disk cache of answers: one file per request, written atomically, revalidated when stale."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import msgspec

from navdata._files import write_atomic

__all__ = ["DEFAULT_FRESH_FOR", "CacheEntry", "DiskCache", "cache_key"]

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


class DiskCache:
    """Files under ``root/<2 hex>/<sha256>``, each written to a temp file then renamed in place."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, key: str) -> Path:
        """Where the entry for ``key`` lives."""
        return self.root / key[:2] / key

    def get(self, key: str) -> CacheEntry | None:
        """The entry, or None when absent; an unreadable entry is removed and counts as absent."""
        path = self.path(key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            return _ENTRY_DECODER.decode(data)
        except msgspec.DecodeError:
            log.warning("removing unreadable cache entry %s", path)
            path.unlink(missing_ok=True)
            return None

    def put(self, key: str, entry: CacheEntry) -> None:
        """Store atomically: readers see the old entry or the new one, never half of one."""
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, _ENTRY_ENCODER.encode(entry))

    def delete(self, key: str) -> None:
        """Forget one entry."""
        self.path(key).unlink(missing_ok=True)
