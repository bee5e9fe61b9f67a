"""What workers and instances share: rate-limit counters and encoded bodies, in Redis.

Without ``NAVDATA_API_REDIS_URL`` each process keeps its own (today's behaviour: with N
workers a client gets N times the limit). With it, every worker of every instance counts in
one place and reuses bodies another rendered. Redis is a help, never a dependency: when it does
not answer, requests go on against the process's own counters and cache (a warning is logged
once per outage, and Redis is tried again after a few seconds), so an outage never becomes a 500.

Counting is one atomic Redis script per request (``INCR``, and ``EXPIRE`` on the window's
first hit), so the limit holds exactly however the requests interleave across processes;
Litestar's own limiter reads and then writes a history, which two processes can interleave.
"""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import timedelta
from typing import Final, Protocol
from urllib.parse import urlsplit

from litestar.stores.base import Store
from litestar.stores.redis import RedisStore
from redis.asyncio import Redis
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from navdata import __version__
from navdata_api import API_VERSION
from navdata_api.settings import Settings

_log = logging.getLogger("navdata_api.shared")
#: Seconds without trying Redis after it failed: requests meanwhile do not wait for timeouts.
RETRY_AFTER_S: Final = 5.0
#: How long one Redis call may take before the process gives up on it (connect and read).
REDIS_TIMEOUT_S: Final = 1.0
_WINDOW_SCRIPT: Final = b"""
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
"""
_UNAVAILABLE: Final = (RedisError, OSError)


class WindowCounter(Protocol):
    """Counts hits per key in fixed windows that start at a key's first hit."""

    async def hit(self, key: str, window: int) -> tuple[int, int]:
        """Count one hit; the hits in the current window (this one included), seconds left."""
        ...


class LocalCounter:
    """Counters of this process only (the default, and the fallback while Redis is away)."""

    def __init__(self) -> None:
        self._windows: dict[str, tuple[int, float]] = {}

    async def hit(self, key: str, window: int) -> tuple[int, int]:
        """See :class:`WindowCounter`; no await inside, so the event loop makes it atomic."""
        now = time.monotonic()
        count, ends = self._windows.get(key, (0, 0.0))
        if ends <= now:
            if len(self._windows) > 100_000:  # forget finished windows of other clients
                self._windows = {k: v for k, v in self._windows.items() if v[1] > now}
            count, ends = 0, now + window
        self._windows[key] = (count + 1, ends)
        return count + 1, max(1, round(ends - now))


class RedisUnavailable:
    """One Redis client's health: warn once per outage, then leave it alone for a while."""

    def __init__(self, where: str) -> None:
        self.where = where
        self._down_until = 0.0
        self._down = False

    def usable(self) -> bool:
        """Whether to try Redis now (it works, or the pause after a failure is over)."""
        return not self._down or time.monotonic() >= self._down_until

    def failed(self, exc: BaseException) -> None:
        """Note a failed call: warn when an outage starts, and pause before trying again."""
        if not self._down:
            _log.warning(
                "Redis at %s does not answer (%s: %s); rate limits and the body cache are "
                "local to each process until it does. Trying again every %.0f s.",
                self.where,
                type(exc).__name__,
                exc,
                RETRY_AFTER_S,
            )
        self._down = True
        self._down_until = time.monotonic() + RETRY_AFTER_S

    def succeeded(self) -> None:
        """Note a call that worked: log the recovery once."""
        if self._down:
            _log.warning("Redis at %s answers again; limits and cache are shared", self.where)
            self._down = False


class RedisCounter:
    """Window counters in Redis, falling back to this process's counters while it is away."""

    def __init__(self, redis: Redis, health: RedisUnavailable, prefix: str) -> None:
        self._script = redis.register_script(_WINDOW_SCRIPT)
        self._health = health
        self._prefix = prefix
        self._local = LocalCounter()

    async def hit(self, key: str, window: int) -> tuple[int, int]:
        """See :class:`WindowCounter`."""
        if self._health.usable():
            try:
                count, ttl = await self._script(keys=[f"{self._prefix}{key}"], args=[window])
            except _UNAVAILABLE as exc:
                self._health.failed(exc)
            else:
                self._health.succeeded()
                return int(count), max(1, int(ttl))
        return await self._local.hit(key, window)


class FallibleStore(Store):
    """A store that treats its backend being away as a miss (``get``) or a no-op (writes).

    For the body cache, which is an optimisation: the process's own cache answers meanwhile.
    """

    def __init__(self, backend: Store, health: RedisUnavailable) -> None:
        self._backend = backend
        self._health = health

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        """The value, or ``None`` when absent or when the backend does not answer."""
        if not self._health.usable():
            return None
        try:
            found = await self._backend.get(key, renew_for)
        except _UNAVAILABLE as exc:
            self._health.failed(exc)
            return None
        self._health.succeeded()
        return found

    async def set(
        self, key: str, value: str | bytes, expires_in: int | timedelta | None = None
    ) -> None:
        """Store ``value``; skipped (with the outage warning) when the backend is away."""
        if not self._health.usable():
            return
        try:
            await self._backend.set(key, value, expires_in)
        except _UNAVAILABLE as exc:
            self._health.failed(exc)
        else:
            self._health.succeeded()

    async def delete(self, key: str) -> None:
        """Delete ``key`` when the backend answers."""
        try:
            await self._backend.delete(key)
        except _UNAVAILABLE as exc:
            self._health.failed(exc)

    async def delete_all(self) -> None:
        """Delete every key of this store when the backend answers."""
        try:
            await self._backend.delete_all()
        except _UNAVAILABLE as exc:
            self._health.failed(exc)

    async def exists(self, key: str) -> bool:
        """Whether ``key`` is stored (``False`` when the backend does not answer)."""
        return await self.get(key) is not None

    async def expires_in(self, key: str) -> int | None:
        """Seconds ``key`` has left, or ``None`` (also when the backend does not answer)."""
        try:
            return await self._backend.expires_in(key)
        except _UNAVAILABLE as exc:
            self._health.failed(exc)
            return None


class SharedState:
    """The counters and the body store one app uses, and the Redis client behind them."""

    def __init__(self, settings: Settings) -> None:
        self.redis: Redis | None = None
        self.counter: WindowCounter = LocalCounter()
        self.body_store: Store | None = None
        if settings.redis_url is None:
            return
        self.redis = Redis.from_url(
            settings.redis_url,
            socket_connect_timeout=REDIS_TIMEOUT_S,
            socket_timeout=REDIS_TIMEOUT_S,
            retry=Retry(NoBackoff(), 0),  # the fallback is the retry: never stall a request
        )
        health = RedisUnavailable(redis_location(settings.redis_url))
        self.counter = RedisCounter(self.redis, health, "navdata:rate:")
        namespace = f"navdata:body:{body_namespace(settings)}"
        self.body_store = FallibleStore(RedisStore(self.redis, namespace=namespace), health)

    async def close(self) -> None:
        """Close the Redis connections (an ``on_shutdown`` hook)."""
        if self.redis is not None:
            await self.redis.aclose()


def redis_location(url: str) -> str:
    """``host:port/db`` of a Redis URL, without the password it may hold (for log lines)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}:{parts.port or 6379}{parts.path or ''}"


def body_namespace(settings: Settings) -> str:
    """What the shared bodies depend on besides their ETag: the code and the page settings.

    Instances of another release, or with other page sizes, must not hand each other bodies.
    """
    parts = (__version__, API_VERSION, settings.default_page, settings.max_page, settings.max_rows)
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:12]
