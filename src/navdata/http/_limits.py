"""Per-host rate limits, and reading what servers say about waiting.

The limiter is a sliding window per host, shared by every client in the process (SSB counts
requests per IP across its APIs). It tightens itself from ``x-ratelimit-policy`` (``40;w=60s``),
``x-ratelimit-limit``, ``x-ratelimit-remaining`` and ``x-ratelimit-reset``; ``Retry-After``
(seconds or an HTTP date) tells the retry loop how long to wait.
"""

from __future__ import annotations

import contextlib
import email.utils
import threading
from collections import deque
from collections.abc import Mapping

from navdata.errors import InvalidArgumentError
from navdata.http._clock import Clock

__all__ = [
    "RATE_LIMITERS",
    "RateLimiter",
    "RateLimiterRegistry",
    "parse_retry_after",
    "quota_wait",
    "reset_seconds",
]


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


def reset_seconds(headers: Mapping[str, str], now: float) -> float | None:
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


def quota_wait(headers: Mapping[str, str], now: float) -> float | None:
    """How long a used-up quota asks us to wait: ``Retry-After`` when given, else the reset.

    The one rule for both readers, the limiter and the 429 retry (they used to disagree on which
    header wins): ``Retry-After`` is the server's answer to this very request, the reset only
    when the whole window renews, so the shorter honest time comes first (issue 14).
    """
    seconds = parse_retry_after(headers.get("retry-after"), now)
    return seconds if seconds is not None else reset_seconds(headers, now)


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
        """Learn from ``x-ratelimit-*`` headers: a stricter policy, or a quota used up.

        A used-up quota blocks for the ``Retry-After`` the server sent with it, else until
        ``x-ratelimit-reset`` (:func:`quota_wait`), and only when neither says for the whole window.
        """
        policy = headers.get("x-ratelimit-policy")
        parsed = _parse_policy(policy) if policy else None
        if parsed is None and "x-ratelimit-limit" in headers:
            with contextlib.suppress(ValueError):
                parsed = (int(headers["x-ratelimit-limit"]), self.window)
        if parsed is not None:
            self.tighten(*parsed)
        remaining = headers.get("x-ratelimit-remaining")
        if remaining is not None and remaining.strip() in {"0", "0.0"}:
            seconds = quota_wait(headers, now_epoch)
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
