"""The one HTTP client every source uses: timeouts, retries, per-host rate limits, a disk cache.

Why one place: SSB counts requests per IP across all its APIs, so PxWebApi and KLASS calls must
share a rate limiter; every source wants the same retry, cache and offline behaviour; and a user
who asks "where did this number come from" gets the same answer everywhere.

Public surface::

    from navdata.http import HttpClient, Response

    with HttpClient(rate=(30, 60.0), cache_dir=None, offline=False, fresh_for=12 * 3600) as http:
        r: Response = http.get(url, params={"lang": "no"}, headers=None)
        r = http.post(url, json={"selection": [...]}, params={"lang": "no"})
        r.status, r.headers["content-type"], r.content, r.url, r.from_cache, r.json()

- ``rate=(n, seconds)``: at most ``n`` requests per sliding window of ``seconds`` to one host,
  shared by every client in the process (see :data:`RATE_LIMITERS`); ``None`` disables it. The
  limiter tightens itself from ``x-ratelimit-policy`` (``40;w=60s``), ``x-ratelimit-limit``,
  ``x-ratelimit-remaining`` and ``x-ratelimit-reset`` when the server sends them.
- Retries (``max_attempts`` in total) with exponential backoff and jitter on connection errors,
  timeouts, 429, 502, 503 and 504, honouring ``Retry-After`` (seconds or an HTTP date). When every
  attempt failed: :class:`~navdata.errors.RateLimitedError` (last answer 429) or
  :class:`~navdata.errors.UpstreamUnavailableError`, naming the URL, attempts and last failure.
  Any other status is returned to the caller, which maps it to a specific error.
- ``validate``: optional callable run on each 2xx body; raising ``ValueError`` (a truncated or
  non-JSON body) makes the attempt count as failed and retried, and the body is never cached.
  What it returns is kept as :attr:`Response.checked`, so a check that parses the body spares
  the caller a second parse (cache hits are not checked and carry ``None``).
- Disk cache (``cache_dir``; default :func:`navdata.config.cache_dir`, ``False`` disables): key =
  sha256(method, URL, body); atomic writes; entries younger than ``fresh_for`` seconds are served
  without asking; older ones are revalidated with ``If-None-Match``/``If-Modified-Since`` when the
  server sent ``ETag``/``Last-Modified`` (a 304 refreshes the entry). Only 2xx answers are cached.
- ``offline=True``: answer from the cache only (any age); a miss raises
  :class:`~navdata.errors.OfflineError` naming the URL.
- ``clock``: anything with ``monotonic()``, ``time()`` and ``sleep(seconds)``; tests inject a
  manual clock so that backoff and rate limiting never wait for real.
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import logging
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol, Self

import httpx
import msgspec

from navdata import config
from navdata._files import write_atomic
from navdata._version import __version__
from navdata.errors import (
    InvalidArgumentError,
    OfflineError,
    RateLimitedError,
    UpstreamUnavailableError,
)

__all__ = [
    "DEFAULT_FRESH_FOR",
    "RATE_LIMITERS",
    "RETRY_STATUSES",
    "USER_AGENT",
    "CacheEntry",
    "Clock",
    "DiskCache",
    "HttpClient",
    "RateLimiter",
    "RateLimiterRegistry",
    "Response",
    "SystemClock",
    "cache_key",
    "parse_retry_after",
]

log = logging.getLogger("navdata.http")


USER_AGENT = f"navdata/{__version__} (+https://github.com/navdata/navdata)"
RETRY_STATUSES = frozenset({429, 502, 503, 504})
DEFAULT_FRESH_FOR = 12 * 3600.0
DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=60.0, write=30.0, pool=10.0)


# --- clock ------------------------------------------------------------------------------------


class Clock(Protocol):
    """Time source and sleeper; injectable so tests never wait for real."""

    def monotonic(self) -> float:
        """Seconds on a monotonic clock (for intervals)."""
        ...

    def time(self) -> float:
        """Seconds since the epoch (for HTTP dates and cache ages)."""
        ...

    def sleep(self, seconds: float) -> None:
        """Block for ``seconds``."""
        ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        """Seconds on the monotonic clock."""
        return time.monotonic()

    def time(self) -> float:
        """Seconds since the epoch."""
        return time.time()

    def sleep(self, seconds: float) -> None:
        """Sleep for real."""
        if seconds > 0:
            time.sleep(seconds)


# --- response ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Response:
    """An answer, from the network or the cache; headers have lower-case names."""

    status: int
    headers: Mapping[str, str]
    content: bytes
    url: str
    from_cache: bool = False
    checked: Any = None
    """What the request's ``validate`` returned for this body; ``None`` when it did not run."""

    @property
    def ok(self) -> bool:
        """True for a 2xx status."""
        return 200 <= self.status < 300

    @property
    def text(self) -> str:
        """The body decoded as UTF-8 (SSB and KLASS answer in UTF-8)."""
        return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """The body parsed as JSON (raises ``msgspec.DecodeError``, a ``ValueError``, if not)."""
        return msgspec.json.decode(self.content)


# --- retry-after and rate headers ---------------------------------------------------------------


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta seconds or an HTTP date), or None."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - now)


def _parse_policy(value: str) -> tuple[int, float] | None:
    """``40;w=60s`` (IETF RateLimit-Policy style) -> (40, 60.0); None if not understood."""
    parts = [p.strip() for p in value.split(",", maxsplit=1)[0].split(";")]
    try:
        limit = int(parts[0])
    except ValueError:
        return None
    window: float | None = None
    for part in parts[1:]:
        key, _, raw = part.partition("=")
        if key.strip() == "w":
            with contextlib.suppress(ValueError):
                window = float(raw.strip().rstrip("s"))
    if window is None or window <= 0 or limit <= 0:
        return None
    return limit, window


def _reset_seconds(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds until ``x-ratelimit-reset`` (delta seconds, or an epoch time when that large).

    None when the header is absent or unreadable; the limiter and the 429 retry both read it here.
    """
    value = headers.get("x-ratelimit-reset")
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    if number > 1e9:  # an absolute epoch time
        return max(0.0, number - now)
    return max(0.0, number)


# --- rate limiting ------------------------------------------------------------------------------


_EPSILON = 1e-9


class RateLimiter:
    """Sliding-window limiter for one host: at most ``limit`` starts per ``window`` seconds."""

    def __init__(self, limit: int, window: float, clock: Clock) -> None:
        if limit <= 0 or window <= 0:
            msg = f"rate must be a positive (requests, seconds) pair, got ({limit}, {window})"
            raise InvalidArgumentError(msg)
        self.limit = limit
        self.window = window
        self._clock = clock
        self._starts: deque[float] = deque()
        self._blocked_until = 0.0
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Wait until a request may start, record it, and return the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock.monotonic()
                # one expression (age vs window) for both pruning and waiting, with a tolerance,
                # so float rounding can neither let a request through early nor spin forever
                while self._starts and now - self._starts[0] >= self.window - _EPSILON:
                    self._starts.popleft()
                wait = self._blocked_until - now
                if len(self._starts) >= self.limit:
                    wait = max(wait, self.window - (now - self._starts[0]))
                if wait <= _EPSILON:
                    self._starts.append(now)
                    return waited
            self._clock.sleep(wait)
            waited += wait

    def block_for(self, seconds: float) -> None:
        """Let no request start for ``seconds`` (after a 429 or an exhausted server quota)."""
        with self._lock:
            until = self._clock.monotonic() + seconds
            self._blocked_until = max(self._blocked_until, until)

    def tighten(self, limit: int, window: float) -> None:
        """Adopt the server's limit when it is stricter (a lower rate) than ours."""
        with self._lock:
            if limit / window < self.limit / self.window:
                self.limit, self.window = max(1, limit), window

    def observe(self, headers: Mapping[str, str], now_epoch: float) -> None:
        """Learn from ``x-ratelimit-*`` headers: a stricter policy, or a quota used up."""
        policy = headers.get("x-ratelimit-policy")
        parsed = _parse_policy(policy) if policy else None
        if parsed is None and "x-ratelimit-limit" in headers:
            with contextlib.suppress(ValueError):
                parsed = (int(headers["x-ratelimit-limit"]), self.window)
        if parsed is not None:
            self.tighten(*parsed)
        remaining = headers.get("x-ratelimit-remaining")
        if remaining is not None and remaining.strip() in {"0", "0.0"}:
            seconds = _reset_seconds(headers, now_epoch)
            self.block_for(self.window if seconds is None else seconds)


class RateLimiterRegistry:
    """One limiter per host, created on first use; thread-safe."""

    def __init__(self) -> None:
        self._limiters: dict[str, RateLimiter] = {}
        self._lock = threading.Lock()

    def get(self, host: str, rate: tuple[int, float], clock: Clock) -> RateLimiter:
        """The limiter of ``host``; a second client asking a stricter rate tightens it."""
        with self._lock:
            limiter = self._limiters.get(host)
            if limiter is None:
                limiter = RateLimiter(rate[0], rate[1], clock)
                self._limiters[host] = limiter
            else:
                limiter.tighten(*rate)
            return limiter

    def clear(self) -> None:
        """Forget every limiter (tests)."""
        with self._lock:
            self._limiters.clear()


RATE_LIMITERS = RateLimiterRegistry()
"""The process-wide registry: every client talking to one host shares its limiter."""


# --- disk cache ---------------------------------------------------------------------------------


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


# --- the client ---------------------------------------------------------------------------------


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
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
        *,
        validate: Callable[[Response], object] | None = None,
    ) -> Response:
        """GET ``url`` (see the module docstring for retries, cache and offline)."""
        return self.request("GET", url, params=params, headers=headers, validate=validate)

    def post(
        self,
        url: str,
        json: Any = None,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
        *,
        validate: Callable[[Response], object] | None = None,
    ) -> Response:
        """POST a JSON body to ``url``."""
        body = msgspec.json.encode(json) if json is not None else b""
        return self.request(
            "POST", url, params=params, headers=headers, body=body, validate=validate
        )

    def full_url(self, url: str, params: Mapping[str, str | int] | None = None) -> str:
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
        full = self.full_url(url, params)
        key = cache_key(method, full, body)
        entry = self.cache.get(key) if self.cache is not None else None
        if entry is not None and (
            self.offline or self.clock.time() - entry.stored_at < self.fresh_for
        ):
            return self._from_entry(entry)
        if self.offline:
            msg = (
                f"offline and not in the cache: {method} {full} "
                "(run once with offline=False to fetch it, or check NAVDATA_CACHE_DIR)"
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

    def _limiter(self, url: str) -> RateLimiter | None:
        if self.rate is None:
            return None
        parsed = httpx.URL(url)
        host = parsed.host if parsed.port is None else f"{parsed.host}:{parsed.port}"
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
        limiter = self._limiter(url)
        tried = _Attempts()
        while True:
            tried.count += 1
            if limiter is not None:
                limiter.acquire()
            wait: float | None = None
            try:
                self.requests_sent += 1
                raw = self._client.request(method, url, headers=headers, content=body or None)
            except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                tried.last_status, tried.last_error = None, f"{type(exc).__name__}: {exc}"
            else:
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
                    wait = parse_retry_after(response.headers.get("retry-after"), self.clock.time())
                    if response.status == 429 and wait is None:
                        wait = _reset_seconds(response.headers, self.clock.time())
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
        hint = " A cached copy exists: use offline=True to read it." if entry is not None else ""
        if tried.last_status == 429:
            msg = (
                f"{what}. The server keeps rate-limiting this IP address; wait a minute, lower "
                f"the request rate (rate=...) or narrow the query.{hint}"
            )
            return RateLimitedError(msg, status=429, url=url)
        msg = f"{what}. The service is unavailable or unreliable right now; try again later.{hint}"
        return UpstreamUnavailableError(msg, status=tried.last_status, url=url)


def _validator_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Headers a 304 may update on the stored entry."""
    keep = ("etag", "last-modified", "cache-control", "expires", "date")
    return {k: v for k, v in headers.items() if k in keep}
