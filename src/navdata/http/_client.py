"""The HTTP client: the request's path through cache, offline mode, rate limit and retries.

See :mod:`navdata.http` for the behaviour it promises.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Self

import httpx
import msgspec

from navdata import config
from navdata._surface import words
from navdata._version import __version__
from navdata.errors import (
    InvalidArgumentError,
    OfflineError,
    RateLimitedError,
    UpstreamUnavailableError,
    UpstreamUnreachableError,
)
from navdata.http._cache import (
    DEFAULT_FRESH_FOR,
    CacheEntry,
    DiskCache,
    cache_key,
)
from navdata.http._clock import Clock, SystemClock
from navdata.http._limits import (
    RATE_LIMITERS,
    RateLimiter,
    RateLimiterRegistry,
    parse_retry_after,
    quota_wait,
)
from navdata.http._reach import HostFailures, connect_failure, host_of
from navdata.http._response import Response

__all__ = ["DEFAULT_TIMEOUT", "RETRY_STATUSES", "USER_AGENT", "HttpClient"]

log = logging.getLogger("navdata.http")


USER_AGENT = f"navdata/{__version__} (+https://github.com/navdata/navdata)"
RETRY_STATUSES = frozenset({429, 502, 503, 504})
DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=60.0, write=30.0, pool=10.0)


@dataclass
class _Attempts:
    """What happened so far, for the final error message."""

    count: int = 0
    last_status: int | None = None
    last_error: str | None = None

    def describe(self) -> str:
        last = f"HTTP {self.last_status}" if self.last_status is not None else self.last_error
        return f"{self.count} attempt(s), last: {last}"


class HttpClient:
    """Sync HTTP/1.1 client with keep-alive, retries, shared rate limits and a disk cache."""

    def __init__(
        self,
        *,
        rate: tuple[int, float] | None = None,
        cache_dir: Path | str | bool | None = None,
        offline: bool = False,
        fresh_for: float = DEFAULT_FRESH_FOR,
        timeout: httpx.Timeout | float | None = None,
        max_attempts: int = 5,
        backoff_base: float = 1.0,
        backoff_cap: float = 60.0,
        max_retry_wait: float = 300.0,
        user_agent: str = USER_AGENT,
        clock: Clock | None = None,
        limiters: RateLimiterRegistry | None = None,
        rng: random.Random | None = None,
        hosts: HostFailures | None = None,
    ) -> None:
        if max_attempts < 1:
            msg = f"max_attempts must be at least 1, got {max_attempts}"
            raise InvalidArgumentError(msg)
        self.rate = rate
        self.offline = offline
        self.fresh_for = fresh_for
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.max_retry_wait = max_retry_wait
        self.clock: Clock = clock or SystemClock()
        self.limiters = limiters if limiters is not None else RATE_LIMITERS
        #: Connect failures per host: a host that failed repeatedly is not tried again.
        self.hosts = hosts if hosts is not None else HostFailures()
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not cryptography
        if cache_dir is False:
            self.cache: DiskCache | None = None
        elif cache_dir is None or cache_dir is True:
            self.cache = DiskCache(config.cache_dir())
        else:
            self.cache = DiskCache(Path(cache_dir))
        self.retries = 0  # retried attempts over this client's life (benchmarks report it)
        self.requests_sent = 0
        self._client = httpx.Client(
            timeout=timeout if timeout is not None else DEFAULT_TIMEOUT,
            headers={"User-Agent": user_agent},
            http2=False,
            follow_redirects=True,
        )

    # context manager
    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the pooled connections."""
        self._client.close()

    # public verbs
    def get(
        self,
        url: str,
        *,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
        validate: Callable[[Response], object] | None = None,
    ) -> Response:
        """GET ``url`` (see the module docstring for retries, cache and offline)."""
        return self.request("GET", url, params=params, headers=headers, validate=validate)

    def post(
        self,
        url: str,
        *,
        json: Any = None,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
        validate: Callable[[Response], object] | None = None,
    ) -> Response:
        """POST a JSON body to ``url``."""
        body = msgspec.json.encode(json) if json is not None else b""
        return self.request(
            "POST", url, params=params, headers=headers, body=body, validate=validate
        )

    def full_url(self, url: str, *, params: Mapping[str, str | int] | None = None) -> str:
        """The URL exactly as it will be sent (for cache keys, length checks and provenance)."""
        return str(httpx.URL(url, params=dict(params) if params else None))

    def forget(self, method: str, url: str, body: bytes = b"") -> None:
        """Drop a cached answer (e.g. one the caller found unusable)."""
        if self.cache is not None:
            self.cache.delete(cache_key(method, url, body))

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
        validate: Callable[[Response], object] | None = None,
    ) -> Response:
        """Send one logical request: cache, offline, rate limit, retries."""
        method = method.upper()
        full = self.full_url(url, params=params)
        key = cache_key(method, full, body)
        entry = self.cache.get(key) if self.cache is not None else None
        if entry is not None and (
            self.offline or self.clock.time() - entry.stored_at < self.fresh_for
        ):
            return self._from_entry(entry)
        if self.offline:
            msg = (
                f"offline and not in the cache: {method} {full} (run once online, "
                f"{words('offline=False', 'without --offline')} and NAVDATA_OFFLINE unset, to "
                "fetch it, or check NAVDATA_CACHE_DIR)"
            )
            raise OfflineError(msg)

        send_headers = dict(headers or {})
        if body:
            send_headers.setdefault("Content-Type", "application/json")
        if entry is not None:
            if entry.etag:
                send_headers["If-None-Match"] = entry.etag
            if entry.last_modified:
                send_headers["If-Modified-Since"] = entry.last_modified

        response = self._send_with_retries(method, full, send_headers, body, validate, entry)
        if response.status == 304 and entry is not None:
            refreshed = msgspec.structs.replace(
                entry,
                stored_at=self.clock.time(),
                headers={**entry.headers, **_validator_headers(response.headers)},
            )
            if self.cache is not None:
                self.cache.put(key, refreshed)
            return self._from_entry(refreshed)
        if response.ok and self.cache is not None:
            self.cache.put(
                key,
                CacheEntry(
                    method=method,
                    url=full,
                    status=response.status,
                    headers=dict(response.headers),
                    content=response.content,
                    stored_at=self.clock.time(),
                ),
            )
        return response

    # internals
    @staticmethod
    def _from_entry(entry: CacheEntry) -> Response:
        return Response(entry.status, entry.headers, entry.content, entry.url, from_cache=True)

    def _limiter(self, host: str) -> RateLimiter | None:
        if self.rate is None:
            return None
        return self.limiters.get(host, self.rate, self.clock)

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with jitter: base * 2^(attempt-1), capped, times U(0.5, 1)."""
        raw: float = min(self.backoff_cap, self.backoff_base * 2.0 ** (attempt - 1))
        return raw * (0.5 + 0.5 * self._rng.random())

    def _send_with_retries(  # noqa: PLR0917 - private, called from one place
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: bytes,
        validate: Callable[[Response], object] | None,
        entry: CacheEntry | None,
    ) -> Response:
        host = host_of(url)  # the unit of rate limits and of connect failures alike
        limiter = self._limiter(host)
        tried = _Attempts()
        while True:
            reason = self.hosts.given_up(host)
            if reason is not None:
                raise self._unreachable(method, url, host, reason, entry, tried)
            tried.count += 1
            if limiter is not None:
                limiter.acquire()
            wait: float | None = None
            try:
                self.requests_sent += 1
                raw = self._client.request(method, url, headers=headers, content=body or None)
            except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                tried.last_status, tried.last_error = None, f"{type(exc).__name__}: {exc}"
                reason = connect_failure(exc, host)
                if reason is not None:
                    self.hosts.failed(host, reason)
                    # a refused or unresolved connection will not pass in seconds: no retry
                    if isinstance(exc, httpx.ConnectError) or self.hosts.given_up(host):
                        raise self._unreachable(method, url, host, reason, entry, tried) from None
            else:
                self.hosts.succeeded(host)
                response = Response(
                    status=raw.status_code,
                    headers={k.lower(): v for k, v in raw.headers.items()},
                    content=raw.content,
                    url=url,
                )
                if limiter is not None:
                    limiter.observe(response.headers, self.clock.time())
                if response.status not in RETRY_STATUSES:
                    checked, problem = self._check_body(response, validate)
                    if problem is None:
                        return response if checked is None else replace(response, checked=checked)
                    tried.last_status, tried.last_error = None, problem
                else:
                    tried.last_status, tried.last_error = response.status, None
                    now = self.clock.time()
                    wait = (
                        quota_wait(response.headers, now)
                        if response.status == 429
                        else parse_retry_after(response.headers.get("retry-after"), now)
                    )
            if tried.count >= self.max_attempts:
                raise self._give_up(method, url, tried, entry)
            delay = wait if wait is not None else self._backoff(tried.count)
            if delay > self.max_retry_wait:
                raise self._give_up(method, url, tried, entry, asked_wait=delay)
            if tried.last_status == 429 and limiter is not None:
                limiter.block_for(delay)
                delay = 0.0  # the limiter makes the next acquire() wait
            log.info("retrying %s %s in %.1fs (%s)", method, url, delay, tried.describe())
            self.retries += 1
            self.clock.sleep(delay)

    @staticmethod
    def _check_body(
        response: Response, validate: Callable[[Response], object] | None
    ) -> tuple[object, str | None]:
        """Run the caller's body check on a 2xx answer: what it returned, or why it failed."""
        if validate is None or not response.ok:
            return None, None
        try:
            return validate(response), None
        except ValueError as exc:
            return None, f"invalid body ({len(response.content)} bytes): {exc}"

    def _unreachable(  # noqa: PLR0917 - private, called from one place
        self,
        method: str,
        url: str,
        host: str,
        reason: str,
        entry: CacheEntry | None,
        tried: _Attempts,
    ) -> UpstreamUnreachableError:
        if tried.count:
            what = f"{method} {url} failed after {tried.count} attempt(s): {reason}"
        else:
            what = (
                f"{method} {url} not sent: {host} failed {self.hosts.skip_after} times in a row "
                f"({reason})"
            )
        msg = f"{what}. Check the network connection and the address.{_cached_hint(entry)}"
        return UpstreamUnreachableError(msg, url=url, host=host, reason=reason)

    def _give_up(
        self,
        method: str,
        url: str,
        tried: _Attempts,
        entry: CacheEntry | None,
        asked_wait: float | None = None,
    ) -> RateLimitedError | UpstreamUnavailableError:
        what = f"{method} {url} failed after {tried.describe()}"
        if asked_wait is not None:
            what += (
                f"; the server asked to wait {asked_wait:.0f}s,"
                f" more than max_retry_wait={self.max_retry_wait:.0f}s"
            )
        hint = _cached_hint(entry)
        if tried.last_status == 429:
            msg = (
                f"{what}. The server keeps rate-limiting this IP address; wait a minute, lower "
                f"the request rate (rate=...) or narrow the query.{hint}"
            )
            return RateLimitedError(msg, status=429, url=url)
        msg = f"{what}. The service is unavailable or unreliable right now; try again later.{hint}"
        return UpstreamUnavailableError(msg, status=tried.last_status, url=url)


def _cached_hint(entry: CacheEntry | None) -> str:
    """When a request failed but the cache holds an older answer: how to read that one."""
    if entry is None:
        return ""
    offline = words("offline=True", "--offline")
    return f" A cached copy exists: use {offline} or NAVDATA_OFFLINE=1 to read it."


def _validator_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Headers a 304 may update on the stored entry."""
    keep = ("etag", "last-modified", "cache-control", "expires", "date")
    return {k: v for k, v in headers.items() if k in keep}
