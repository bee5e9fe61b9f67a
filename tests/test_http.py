"""End-to-end tests of navdata.http over real sockets against a scripted fake server."""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fakes.clock import ManualClock
from fakes.server import free_port, read_body, serve
from navdata.errors import (
    OfflineError,
    RateLimitedError,
    UpstreamUnavailableError,
    UpstreamUnreachableError,
)
from navdata.http import (
    USER_AGENT,
    CacheEntry,
    CacheUnavailableWarning,
    DiskCache,
    HostFailures,
    HttpClient,
    RateLimiter,
    RateLimiterRegistry,
    Response,
    SystemClock,
    cache_key,
    parse_retry_after,
)
from navdata.http._reach import connect_failure


@dataclass
class Reply:
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b'{"ok": true}'
    delay: float = 0.0
    drop: bool = False


@dataclass
class Seen:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    at: float


class ScriptedApp:
    """Answers each path from a queue of replies (or a function of the request), recording all."""

    def __init__(self, clock: ManualClock | None = None) -> None:
        self.clock = clock
        self.script: dict[str, list[Reply | Callable[[Seen], Reply]]] = {}
        self.requests: list[Seen] = []

    def on(self, path: str, *replies: Reply | Callable[[Seen], Reply]) -> None:
        self.script.setdefault(path, []).extend(replies)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = await read_body(receive)
        seen = Seen(
            scope["method"],
            scope["path"],
            scope["query_string"].decode(),
            {k.decode().lower(): v.decode() for k, v in scope["headers"]},
            body,
            self.clock.monotonic() if self.clock else time.monotonic(),
        )
        self.requests.append(seen)
        queue = self.script.get(scope["path"], [])
        item = queue.pop(0) if queue else Reply()
        reply = item(seen) if callable(item) else item
        if reply.delay:
            await asyncio.sleep(reply.delay)
        headers = [(k.encode(), v.encode()) for k, v in reply.headers]
        length = len(reply.body) + (1000 if reply.drop else 0)
        headers.append((b"content-length", str(length).encode()))
        await send({"type": "http.response.start", "status": reply.status, "headers": headers})
        if reply.drop:
            await send({"type": "http.response.body", "body": reply.body, "more_body": True})
            msg = "fake drops the connection mid-body"
            raise ConnectionAbortedError(msg)
        await send({"type": "http.response.body", "body": reply.body})


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def app(clock: ManualClock) -> ScriptedApp:
    return ScriptedApp(clock)


@pytest.fixture
def base(app: ScriptedApp) -> Iterator[str]:
    with serve(app) as url:
        yield url


def make_client(clock: ManualClock, **kw: Any) -> HttpClient:
    kw.setdefault("cache_dir", False)
    kw.setdefault("max_attempts", 4)
    kw.setdefault("timeout", 2.0)
    return HttpClient(clock=clock, limiters=RateLimiterRegistry(), **kw)


# --- basics -----------------------------------------------------------------------------------


def test_get_sends_user_agent_and_returns_frozen_response(
    base: str, app: ScriptedApp, clock: ManualClock
) -> None:
    app.on("/x", Reply(headers=[("X-Thing", "1")], body=b'{"a": [1, 2]}'))
    with make_client(clock) as http:
        r = http.get(f"{base}/x", params={"lang": "no", "n": 3})
    assert r.status == 200
    assert r.json() == {"a": [1, 2]}
    assert r.headers["x-thing"] == "1"
    assert r.url == f"{base}/x?lang=no&n=3"
    assert r.from_cache is False
    assert app.requests[0].headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("navdata/")
    assert USER_AGENT.endswith("(+https://github.com/navdata/navdata)")
    with pytest.raises(AttributeError):
        r.status = 500  # type: ignore[misc]


def test_post_sends_json_body(base: str, app: ScriptedApp, clock: ManualClock) -> None:
    with make_client(clock) as http:
        http.post(f"{base}/p", json={"selection": [1]}, params={"lang": "en"})
    seen = app.requests[0]
    assert (seen.method, seen.query, seen.body) == ("POST", "lang=en", b'{"selection":[1]}')
    assert seen.headers["content-type"] == "application/json"


def test_non_retryable_status_is_returned_once(
    base: str, app: ScriptedApp, clock: ManualClock
) -> None:
    app.on("/missing", Reply(status=404, body=b'{"title":"Non-existent table"}'))
    with make_client(clock) as http:
        r = http.get(f"{base}/missing")
    assert (r.status, len(app.requests), clock.sleeps) == (404, 1, [])


# --- retries ----------------------------------------------------------------------------------


def test_retries_503_with_exponential_backoff_and_jitter(
    base: str, app: ScriptedApp, clock: ManualClock
) -> None:
    app.on("/f", Reply(503), Reply(502), Reply(504), Reply(200))
    with make_client(clock, backoff_base=2.0) as http:
        r = http.get(f"{base}/f")
        assert http.retries == 3
    assert r.status == 200
    assert len(app.requests) == 4
    assert len(clock.sleeps) == 3
    for attempt, slept in enumerate(clock.sleeps, start=1):
        full = 2.0 * 2 ** (attempt - 1)
        assert full / 2 <= slept <= full


def test_retry_after_seconds_and_http_date_are_honoured(
    base: str, app: ScriptedApp, clock: ManualClock
) -> None:
    when = datetime.fromtimestamp(clock.time() + 42, tz=UTC)
    app.on(
        "/r",
        Reply(503, headers=[("Retry-After", "7")]),
        Reply(503, headers=[("Retry-After", format_datetime(when, usegmt=True))]),
        Reply(200),
    )
    with make_client(clock) as http:
        assert http.get(f"{base}/r").status == 200
    assert clock.sleeps[0] == 7.0
    assert clock.sleeps[1] == pytest.approx(42.0 - 7.0, abs=1.0)


def test_exhausted_503_raises_unavailable_naming_url_and_attempts(
    base: str, app: ScriptedApp, clock: ManualClock
) -> None:
    app.on("/down", *[Reply(503)] * 10)
    with (
        make_client(clock, max_attempts=3) as http,
        pytest.raises(UpstreamUnavailableError) as info,
    ):
        http.get(f"{base}/down")
    assert len(app.requests) == 3
    assert f"GET {base}/down failed after 3 attempt(s), last: HTTP 503" in str(info.value)
    assert info.value.status == 503
    assert info.value.url == f"{base}/down"


def test_exhausted_429_raises_rate_limited(base: str, app: ScriptedApp, clock: ManualClock) -> None:
    app.on("/busy", *[Reply(429, headers=[("Retry-After", "5")])] * 5)
    with (
        make_client(clock, max_attempts=3, rate=(30, 60.0)) as http,
        pytest.raises(RateLimitedError) as info,
    ):
        http.get(f"{base}/busy")
    assert "3 attempt(s), last: HTTP 429" in str(info.value)
    assert "lower the request rate" in str(info.value)
    # the limiter held the next two requests back for the asked 5 s each
    gaps = [b.at - a.at for a, b in zip(app.requests, app.requests[1:], strict=False)]
    assert gaps == [pytest.approx(5.0), pytest.approx(5.0)]


def test_retry_after_beyond_the_cap_fails_fast(
    base: str, app: ScriptedApp, clock: ManualClock
) -> None:
    app.on("/later", Reply(503, headers=[("Retry-After", "3600")]))
    with (
        make_client(clock, max_retry_wait=120.0) as http,
        pytest.raises(UpstreamUnavailableError, match="asked to wait 3600s"),
    ):
        http.get(f"{base}/later")
    assert len(app.requests) == 1


def test_dropped_connection_and_read_timeout_are_retried(
    base: str, app: ScriptedApp, clock: ManualClock
) -> None:
    app.on("/flaky", Reply(body=b'{"partial', drop=True), Reply(delay=1.0), Reply(body=b"[1]"))
    with make_client(clock, timeout=0.3) as http:
        r = http.get(f"{base}/flaky")
    assert r.json() == [1]
    assert len(app.requests) == 3


def test_invalid_body_is_retried_and_never_cached(
    base: str, app: ScriptedApp, clock: ManualClock, tmp_path: Path
) -> None:
    app.on("/j", Reply(body=b"<html>oops</html>"), Reply(body=b'{"fine": 1}'))
    with make_client(clock, cache_dir=tmp_path) as http:
        r = http.get(f"{base}/j", validate=Response.json)
        assert r.json() == {"fine": 1}
        again = http.get(f"{base}/j", validate=Response.json)
    assert again.from_cache
    assert again.content == b'{"fine": 1}'
    assert len(app.requests) == 2


def test_the_body_checks_result_rides_on_the_response_and_a_cache_hit_has_none(
    base: str, app: ScriptedApp, clock: ManualClock, tmp_path: Path
) -> None:
    app.on("/j", Reply(body=b'{"fine": 1}'))
    with make_client(clock, cache_dir=tmp_path) as http:
        assert http.get(f"{base}/j", validate=Response.json).checked == {"fine": 1}
        assert http.get(f"{base}/j", validate=Response.json).checked is None  # not re-checked
        assert http.get(f"{base}/j").checked is None
    assert len(app.requests) == 1


def test_invalid_body_every_time_names_the_problem(
    base: str, app: ScriptedApp, clock: ManualClock
) -> None:
    app.on("/bad", *[Reply(body=b"not json")] * 3)
    with (
        make_client(clock, max_attempts=3) as http,
        pytest.raises(UpstreamUnavailableError, match=r"last: invalid body \(8 bytes\)"),
    ):
        http.get(f"{base}/bad", validate=Response.json)


def test_a_refused_connection_is_not_retried(clock: ManualClock) -> None:
    """Issue 13: without a network every attempt failed the same way, five times, with backoff."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/nothing"
    with (
        make_client(clock, max_attempts=5) as http,
        pytest.raises(UpstreamUnreachableError) as info,
    ):
        http.get(url)
    assert http.requests_sent == 1
    assert clock.sleeps == []
    assert info.value.host == f"127.0.0.1:{port}"
    assert info.value.reason.startswith(f"127.0.0.1:{port} refused the connection")
    assert str(info.value).startswith(f"GET {url} failed after 1 attempt(s): 127.0.0.1:{port}")
    assert "try again later" not in str(info.value)


def _unresolvable(monkeypatch: pytest.MonkeyPatch, host: str) -> None:
    """Make ``host`` fail name resolution as a missing network does, without asking any DNS."""
    real = socket.getaddrinfo

    def lookup(name: Any, *args: Any, **kwargs: Any) -> Any:
        if name == host:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", lookup)


def test_a_name_that_does_not_resolve_is_not_retried(
    clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    _unresolvable(monkeypatch, "ssb.invalid")
    with (
        make_client(clock, max_attempts=5) as http,
        pytest.raises(UpstreamUnreachableError) as info,
    ):
        http.get("https://ssb.invalid/api/config")
    assert (http.requests_sent, clock.sleeps) == (1, [])
    assert info.value.reason == (
        "the name 'ssb.invalid' could not be resolved ([Errno -2] Name or service not known)"
    )


def test_after_repeated_connect_failures_a_host_is_skipped_at_once(
    base: str, app: ScriptedApp, clock: ManualClock
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    app.on("/up", *[Reply()] * 2)
    with make_client(clock) as http:
        for path in ("/a", "/b"):
            with pytest.raises(UpstreamUnreachableError, match="failed after 1 attempt"):
                http.get(dead + path)
        with pytest.raises(UpstreamUnreachableError, match=r"not sent: .* failed 2 times in a"):
            http.get(dead + "/c")
        assert http.requests_sent == 2  # the third was never sent
        assert http.get(f"{base}/up").status == 200  # another host is still asked
    with make_client(clock) as fresh, pytest.raises(UpstreamUnreachableError, match="1 attempt"):
        fresh.get(dead + "/d")  # a new client (a new sync) tries again


def test_a_host_that_answers_again_is_no_longer_skipped(
    base: str, app: ScriptedApp, clock: ManualClock
) -> None:
    hosts = HostFailures()
    hosts.failed("h:1", "refused")
    assert hosts.given_up("h:1") is None
    hosts.succeeded("h:1")
    hosts.failed("h:1", "refused")
    assert hosts.given_up("h:1") is None  # the success started the count again
    hosts.failed("h:1", "refused again")
    assert hosts.given_up("h:1") == "refused again"


def test_connect_timeouts_are_retried_but_count_towards_skipping(
    clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    with make_client(clock, max_attempts=5) as http:
        calls: list[str] = []

        def blackholed(method: str, url: str, **kwargs: Any) -> Any:
            calls.append(url)
            raise httpx.ConnectTimeout("timed out")

        monkeypatch.setattr(http._client, "request", blackholed)
        with pytest.raises(UpstreamUnreachableError, match=r"connecting to 192\.0\.2\.1 timed out"):
            http.get("http://192.0.2.1/x")
        assert len(calls) == 2  # one retry after backoff, then the host counts as unreachable
        assert len(clock.sleeps) == 1
        with pytest.raises(UpstreamUnreachableError, match="not sent"):
            http.get("http://192.0.2.1/y")
        assert len(calls) == 2


def test_connect_failure_names_each_kind() -> None:
    refused = httpx.ConnectError("[Errno 111] Connection refused")
    refused.__cause__ = ConnectionRefusedError(111, "Connection refused")
    assert connect_failure(refused, "h:9") == (
        "h:9 refused the connection ([Errno 111] Connection refused)"
    )
    unreachable = httpx.ConnectError("[Errno 101] Network is unreachable")
    unreachable.__cause__ = OSError(101, "Network is unreachable")
    assert connect_failure(unreachable, "h") == (
        "could not connect to h ([Errno 101] Network is unreachable)"
    )
    assert connect_failure(httpx.ReadTimeout("slow"), "h") is None  # a slow answer: retried
    assert connect_failure(httpx.RemoteProtocolError("dropped"), "h") is None


# --- rate limiting ----------------------------------------------------------------------------


def max_in_window(times: list[float], window: float) -> int:
    times = sorted(times)
    best = 0
    for i, start in enumerate(times):
        best = max(best, sum(1 for t in times[i:] if t < start + window))
    return best


def test_rate_limiter_spaces_a_loop_of_requests(
    base: str, app: ScriptedApp, clock: ManualClock
) -> None:
    with make_client(clock, rate=(3, 60.0)) as http:
        for _ in range(10):
            http.get(f"{base}/loop")
    times = [r.at for r in app.requests]
    assert max_in_window(times, 60.0) == 3
    assert times[-1] - times[0] == pytest.approx(180.0)  # 10 requests = 3 full windows + 1


def test_limiter_is_shared_by_clients_of_one_host(
    base: str, app: ScriptedApp, clock: ManualClock
) -> None:
    registry = RateLimiterRegistry()
    a = HttpClient(rate=(2, 10.0), cache_dir=False, clock=clock, limiters=registry)
    b = HttpClient(rate=(2, 10.0), cache_dir=False, clock=clock, limiters=registry)
    with a, b:
        for _ in range(3):
            a.get(f"{base}/a")
            b.get(f"{base}/b")
    assert max_in_window([r.at for r in app.requests], 10.0) == 2


def test_server_policy_header_tightens_the_limiter(
    base: str, app: ScriptedApp, clock: ManualClock
) -> None:
    policy = [("x-ratelimit-policy", "2;w=60s"), ("x-ratelimit-limit", "2")]
    app.on("/p", *[Reply(headers=policy)] * 6)
    with make_client(clock, rate=(30, 60.0)) as http:
        for _ in range(6):
            http.get(f"{base}/p")
    assert max_in_window([r.at for r in app.requests], 60.0) == 2


def test_remaining_zero_waits_for_reset(base: str, app: ScriptedApp, clock: ManualClock) -> None:
    app.on("/q", Reply(headers=[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "25")]))
    with make_client(clock, rate=(30, 60.0)) as http:
        http.get(f"{base}/q")
        http.get(f"{base}/q")
    assert app.requests[1].at - app.requests[0].at == pytest.approx(25.0)


def test_429_with_remaining_zero_waits_retry_after_not_the_whole_window(
    base: str, app: ScriptedApp, clock: ManualClock
) -> None:
    """No reset header, but Retry-After: 1: the honest wait is 1 s, not the 60 s window."""
    spent = [("x-ratelimit-remaining", "0"), ("x-ratelimit-limit", "30")]
    app.on("/s", Reply(429, headers=[*spent, ("Retry-After", "1")]), Reply(200))
    with make_client(clock, rate=(30, 60.0)) as http:
        assert http.get(f"{base}/s").status == 200
    assert app.requests[1].at - app.requests[0].at == pytest.approx(1.0)


def test_a_429_with_both_headers_waits_retry_after_in_the_limiter_and_the_retry(
    base: str, app: ScriptedApp, clock: ManualClock
) -> None:
    """Retry-After answers this request; the reset is when the whole window renews.

    The limiter used to block for the reset (30 s) while the retry waited Retry-After (2 s),
    so the request went out after 30 s: both now follow one rule, ``quota_wait``.
    """
    spent = [("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "30")]
    app.on("/b", Reply(429, headers=[*spent, ("Retry-After", "2")]), Reply(200))
    with make_client(clock, rate=(30, 60.0)) as http:
        assert http.get(f"{base}/b").status == 200
    assert app.requests[1].at - app.requests[0].at == pytest.approx(2.0)


def test_remaining_zero_without_reset_or_retry_after_waits_a_window(
    base: str, app: ScriptedApp, clock: ManualClock
) -> None:
    app.on("/w", Reply(headers=[("x-ratelimit-remaining", "0")]))
    with make_client(clock, rate=(30, 60.0)) as http:
        http.get(f"{base}/w")
        http.get(f"{base}/w")
    assert app.requests[1].at - app.requests[0].at == pytest.approx(60.0)


@settings(max_examples=60, deadline=None)
@given(
    limit=st.integers(1, 6),
    window=st.floats(1.0, 100.0),
    gaps=st.lists(st.floats(0.0, 50.0), min_size=1, max_size=40),
)
def test_limiter_never_exceeds_its_window(limit: int, window: float, gaps: list[float]) -> None:
    clock = ManualClock()
    limiter = RateLimiter(limit, window, clock)
    starts = []
    for gap in gaps:
        clock.advance(gap)
        limiter.acquire()
        starts.append(clock.monotonic())
    assert max_in_window(starts, window - 1e-6) <= limit


def test_limiter_is_thread_safe_with_real_time() -> None:
    limiter = RateLimiter(5, 0.3, SystemClock())
    starts: list[float] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(4):
            limiter.acquire()
            with lock:
                starts.append(time.monotonic())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(starts) == 16
    assert max_in_window(starts, 0.29) <= 5


def test_parse_retry_after() -> None:
    now = 1_790_000_000.0
    assert parse_retry_after("12", now) == 12.0
    assert parse_retry_after("-3", now) == 0.0
    assert parse_retry_after(None, now) is None
    assert parse_retry_after("soon", now) is None
    date = format_datetime(datetime.fromtimestamp(now + 90, tz=UTC), usegmt=True)
    assert parse_retry_after(date, now) == pytest.approx(90.0)


# --- cache ------------------------------------------------------------------------------------


def test_fresh_cache_answers_without_a_request(
    base: str, app: ScriptedApp, clock: ManualClock, tmp_path: Path
) -> None:
    with make_client(clock, cache_dir=tmp_path, fresh_for=100.0) as http:
        first = http.get(f"{base}/c", params={"a": 1})
        clock.advance(50)
        second = http.get(f"{base}/c", params={"a": 1})
        other = http.get(f"{base}/c", params={"a": 2})
    assert (first.from_cache, second.from_cache, other.from_cache) == (False, True, False)
    assert second.content == first.content
    assert len(app.requests) == 2


def test_stale_entry_is_revalidated_with_etag_and_304_refreshes_it(
    base: str, app: ScriptedApp, clock: ManualClock, tmp_path: Path
) -> None:
    def conditional(seen: Seen) -> Reply:
        if seen.headers.get("if-none-match") == '"v1"':
            return Reply(304, headers=[("ETag", '"v1"')], body=b"")
        return Reply(headers=[("ETag", '"v1"'), ("Last-Modified", "Tue, 01 Sep 2026 06:00:00 GMT")])

    app.on("/e", conditional, conditional, conditional)
    with make_client(clock, cache_dir=tmp_path, fresh_for=10.0) as http:
        http.get(f"{base}/e")
        clock.advance(11)
        revalidated = http.get(f"{base}/e")
        clock.advance(5)
        fresh = http.get(f"{base}/e")  # the 304 restarted the freshness window
    assert revalidated.from_cache
    assert revalidated.status == 200
    assert revalidated.json() == {"ok": True}
    assert fresh.from_cache
    assert len(app.requests) == 2
    assert app.requests[1].headers["if-none-match"] == '"v1"'
    assert app.requests[1].headers["if-modified-since"] == "Tue, 01 Sep 2026 06:00:00 GMT"
    assert "if-none-match" not in app.requests[0].headers


def test_stale_entry_without_validators_is_fetched_again(
    base: str, app: ScriptedApp, clock: ManualClock, tmp_path: Path
) -> None:
    app.on("/n", Reply(body=b"[1]"), Reply(body=b"[2]"))
    with make_client(clock, cache_dir=tmp_path, fresh_for=10.0) as http:
        http.get(f"{base}/n")
        clock.advance(11)
        r = http.get(f"{base}/n")
    assert (r.json(), r.from_cache) == ([2], False)
    assert "if-none-match" not in app.requests[1].headers


CACHED_HINT = " A cached copy exists: use offline=True or NAVDATA_OFFLINE=1 to read it."


def test_a_failure_with_a_stale_cached_answer_says_how_to_read_it(
    clock: ManualClock, tmp_path: Path
) -> None:
    """Unavailable or unreachable alike: the message points at the cached copy."""
    app = ScriptedApp(clock)
    app.on("/n", Reply(body=b"[1]"), *[Reply(503)] * 3)
    with (
        serve(app) as base,
        make_client(clock, cache_dir=tmp_path, fresh_for=10.0, max_attempts=3) as http,
    ):
        http.get(f"{base}/n")
        clock.advance(11)
        with pytest.raises(UpstreamUnavailableError) as down:
            http.get(f"{base}/n")
    assert str(down.value).endswith(f"try again later.{CACHED_HINT}")
    with make_client(clock, cache_dir=tmp_path, fresh_for=10.0) as http:  # the server is gone
        with pytest.raises(UpstreamUnreachableError) as gone:
            http.get(f"{base}/n")
        with pytest.raises(UpstreamUnreachableError) as fresh:
            http.get(f"{base}/never-asked")
    assert str(gone.value).endswith(f"Check the network connection and the address.{CACHED_HINT}")
    assert str(fresh.value).endswith("Check the network connection and the address.")


def test_offline_serves_any_age_from_cache_and_names_url_on_miss(
    base: str, app: ScriptedApp, clock: ManualClock, tmp_path: Path
) -> None:
    with make_client(clock, cache_dir=tmp_path, fresh_for=1.0) as http:
        http.get(f"{base}/o")
    clock.advance(10_000)
    with make_client(clock, cache_dir=tmp_path, offline=True) as off:
        assert off.get(f"{base}/o").from_cache
        with pytest.raises(OfflineError) as info:
            off.get(f"{base}/other", params={"q": "x"})
    assert f"GET {base}/other?q=x" in str(info.value)
    assert len(app.requests) == 1


def test_errors_are_not_cached(
    base: str, app: ScriptedApp, clock: ManualClock, tmp_path: Path
) -> None:
    app.on("/404", Reply(404), Reply(404))
    with make_client(clock, cache_dir=tmp_path) as http:
        http.get(f"{base}/404")
        http.get(f"{base}/404")
    assert len(app.requests) == 2


def test_post_cache_key_includes_body(
    base: str, app: ScriptedApp, clock: ManualClock, tmp_path: Path
) -> None:
    with make_client(clock, cache_dir=tmp_path) as http:
        http.post(f"{base}/d", json={"a": 1})
        http.post(f"{base}/d", json={"a": 2})
        assert http.post(f"{base}/d", json={"a": 1}).from_cache
    assert len(app.requests) == 2
    assert cache_key("POST", "u", b"1") != cache_key("POST", "u", b"2")
    assert cache_key("GET", "u", b"") != cache_key("POST", "u", b"")


def test_crash_mid_write_leaves_old_entry_and_no_half_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = DiskCache(tmp_path)
    key = cache_key("GET", "http://x/y", b"")
    old = CacheEntry("GET", "http://x/y", 200, {}, b"old body", 1.0)
    cache.put(key, old)

    def crash(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", crash)
    new = CacheEntry("GET", "http://x/y", 200, {}, b"new body " * 10_000, 2.0)
    with pytest.warns(CacheUnavailableWarning, match="No space left on device"):
        cache.put(key, new)  # a cache that cannot be written is given up, not a failure
    monkeypatch.undo()
    assert DiskCache(tmp_path).get(key) == old
    assert sorted(p.name for p in cache.path(key).parent.iterdir()) == [key]


def test_an_unusable_cache_folder_warns_once_and_the_request_goes_on(
    base: str, app: ScriptedApp, clock: ManualClock, tmp_path: Path
) -> None:
    """Issue 13: NAVDATA_CACHE_DIR naming a file crashed every fetch with [Errno 20]."""
    in_the_way = tmp_path / "cache-is-a-file"
    in_the_way.write_text("not a folder")
    app.on("/x", *[Reply(body=b'{"n": 1}')] * 3)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with (
            make_client(clock, cache_dir=in_the_way) as http,
            make_client(clock, cache_dir=in_the_way) as other,
        ):
            answers = [http.get(f"{base}/x").json(), http.get(f"{base}/x").json()]
            answers.append(other.get(f"{base}/x").json())
    assert answers == [{"n": 1}] * 3
    assert [str(w.message) for w in caught] == [
        (
            f"the HTTP cache at {in_the_way} cannot be used (Not a directory); navdata goes on "
            "without a cache, so answers are fetched again each time. Set NAVDATA_CACHE_DIR to "
            "a folder you can write"
        )
    ]
    assert caught[0].category is CacheUnavailableWarning
    assert caught[0].filename == __file__  # the caller's line, not navdata's
    assert in_the_way.read_text() == "not a folder"


def test_unreadable_entry_counts_as_a_miss(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path)
    key = cache_key("GET", "http://x/z", b"")
    cache.path(key).parent.mkdir(parents=True)
    cache.path(key).write_bytes(b"\x00garbage")
    assert cache.get(key) is None
    assert not cache.path(key).exists()
