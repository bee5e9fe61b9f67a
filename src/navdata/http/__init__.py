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
- Retries (``max_attempts`` in total) with exponential backoff and jitter on dropped
  connections, timeouts, 429, 502, 503 and 504, honouring ``Retry-After`` (seconds or an HTTP
  date). When every attempt failed: :class:`~navdata.errors.RateLimitedError` (last answer 429)
  or :class:`~navdata.errors.UpstreamUnavailableError`, naming the URL, attempts and last
  failure. Any other status is returned to the caller, which maps it to a specific error.
- A name that does not resolve or a refused connection is not retried: it raises
  :class:`~navdata.errors.UpstreamUnreachableError` at once. After :data:`SKIP_AFTER` connect
  failures in a row (connect timeouts count too), the client fails further requests to that
  host without trying (``hosts``: a :class:`HostFailures`, shared by clients that should learn
  together).
- ``validate``: optional callable run on each 2xx body; raising ``ValueError`` (a truncated or
  non-JSON body) makes the attempt count as failed and retried, and the body is never cached.
  What it returns is kept as :attr:`Response.checked`, so a check that parses the body spares
  the caller a second parse (cache hits are not checked and carry ``None``).
- Disk cache (``cache_dir``; default :func:`navdata.config.cache_dir`, ``False`` disables): key =
  sha256(method, URL, body); atomic writes; entries younger than ``fresh_for`` seconds are served
  without asking; older ones are revalidated with ``If-None-Match``/``If-Modified-Since`` when the
  server sent ``ETag``/``Last-Modified`` (a 304 refreshes the entry). Only 2xx answers are cached.
  A folder that cannot be used warns once (:class:`CacheUnavailableWarning`) and is left alone.
- ``offline=True``: answer from the cache only (any age); a miss raises
  :class:`~navdata.errors.OfflineError` naming the URL.
- ``clock``: anything with ``monotonic()``, ``time()`` and ``sleep(seconds)``; tests inject a
  manual clock so that backoff and rate limiting never wait for real.

The rooms: ``_client`` (the request's path through cache, limits and retries), ``_limits``
(rate limiter and the servers' wait headers), ``_reach`` (hosts that cannot be reached),
``_cache`` (the disk cache), ``_response`` and ``_clock``.
"""

from __future__ import annotations

from navdata._public import present_as
from navdata.http._cache import (
    DEFAULT_FRESH_FOR,
    CacheEntry,
    CacheUnavailableWarning,
    DiskCache,
    cache_key,
)
from navdata.http._client import DEFAULT_TIMEOUT, RETRY_STATUSES, USER_AGENT, HttpClient
from navdata.http._clock import Clock, SystemClock
from navdata.http._limits import (
    RATE_LIMITERS,
    RateLimiter,
    RateLimiterRegistry,
    parse_retry_after,
)
from navdata.http._reach import SKIP_AFTER, HostFailures
from navdata.http._response import Response

__all__ = [
    "DEFAULT_FRESH_FOR",
    "DEFAULT_TIMEOUT",
    "RATE_LIMITERS",
    "RETRY_STATUSES",
    "SKIP_AFTER",
    "USER_AGENT",
    "CacheEntry",
    "CacheUnavailableWarning",
    "Clock",
    "DiskCache",
    "HostFailures",
    "HttpClient",
    "RateLimiter",
    "RateLimiterRegistry",
    "Response",
    "SystemClock",
    "cache_key",
    "parse_retry_after",
]

present_as(__name__, globals(), __all__)
