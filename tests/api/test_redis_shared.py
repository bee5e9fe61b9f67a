"""Rate limits and cached bodies shared through Redis by separate service processes.

Real ``redis-server`` and real ``navdata-api`` processes on 127.0.0.1: two processes are two
instances as far as sharing goes (workers of one instance share exactly the same way).
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import msgspec
import pytest
from litestar.testing import TestClient
from redis import Redis

from navdata_api.app import create_app
from navdata_api.caching import CachedBody
from navdata_api.settings import Settings
from navdata_api.shared_state import RedisUnavailable, body_namespace, redis_location

from .redis_server import RedisServer
from .service_process import Service, running_service

OBSERVATIONS = "/v1/series/nav.helt_ledige/observations?region=03&from=2021"


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _limited(redis: RedisServer, limit: int) -> dict[str, str]:
    return {
        "NAVDATA_API_REDIS_URL": redis.url,
        "NAVDATA_API_RATE_LIMIT": str(limit),
        "NAVDATA_API_RATE_WINDOW": "hour",
    }


def test_a_limit_of_20_holds_across_two_processes(
    synthetic_store: Path, redis_server: RedisServer
) -> None:
    env = {**_limited(redis_server, 20), "NAVDATA_TEST_STDERR": "pipe"}
    with (
        running_service(synthetic_store, env=env) as first,
        running_service(synthetic_store, env=env) as second,
    ):
        urls = [f"{s.url}/v1/sources" for s in (first, second)] * 20

        def fetch(url: str) -> int:
            return httpx.get(url, timeout=10).status_code

        with ThreadPoolExecutor(16) as pool:
            statuses = list(pool.map(fetch, urls))  # 40 requests, interleaved, concurrent
        if sorted(statuses) != [200] * 20 + [429] * 20:
            first.stop()
            second.stop()
            logs = [s.process.stderr.read() for s in (first, second) if s.process.stderr]
            pytest.fail(f"{statuses}\n{logs}")
        for service in (first, second):
            refused = httpx.get(f"{service.url}/v1/sources", timeout=10)
            assert refused.status_code == 429
            assert refused.headers["ratelimit-remaining"] == "0"
            assert refused.headers["ratelimit-policy"] == "20; w=3600"
            assert 1 <= int(refused.headers["retry-after"]) <= 3600


def test_a_body_rendered_by_one_process_is_kept_in_redis_for_the_others(
    synthetic_store: Path, redis_server: RedisServer
) -> None:
    env = {"NAVDATA_API_REDIS_URL": redis_server.url}
    identity = {"Accept-Encoding": "identity"}
    with (
        running_service(synthetic_store, env=env) as first,
        running_service(synthetic_store, env=env) as second,
    ):
        rendered = httpx.get(first.url + OBSERVATIONS, headers=identity, timeout=10)
        assert rendered.status_code == 200
        client = Redis(port=redis_server.port)
        namespace = body_namespace(Settings())
        key = f"navdata:body:{namespace}:{rendered.headers['etag']}"
        raw = client.get(key)
        assert isinstance(raw, bytes)
        kept = msgspec.msgpack.decode(raw, type=CachedBody)
        assert kept.content == rendered.content
        client.close()
        reused = httpx.get(second.url + OBSERVATIONS, headers=identity, timeout=10)
        assert (reused.content, reused.headers["etag"]) == (
            rendered.content,
            rendered.headers["etag"],
        )


def test_a_redis_outage_degrades_to_local_limits_with_a_warning(
    synthetic_store: Path, redis_server: RedisServer
) -> None:
    env = {**_limited(redis_server, 5), "NAVDATA_TEST_STDERR": "pipe"}
    with running_service(synthetic_store, env=env) as service:
        assert [_status(service, "/v1/sources") for _ in range(2)] == [200, 200]
        redis_server.stop()
        during = [_status(service, path) for path in ("/v1/sources", OBSERVATIONS) * 3]
        assert during == [200, 200, 200, 200, 200, 429]  # counted again, in this process
        assert service.stop(signal.SIGTERM) in {0, -signal.SIGTERM}  # uvicorn re-raises it
        assert service.process.stderr is not None
        log = service.process.stderr.read()
    assert "does not answer" in log
    assert "local to each process" in log
    assert "Traceback" not in log


def _status(service: Service, path: str) -> int:
    return httpx.get(service.url + path, timeout=10).status_code


def test_an_unreachable_redis_at_start_serves_with_local_limits(
    synthetic_store: Path, caplog: pytest.LogCaptureFixture
) -> None:
    unreachable = RedisServer(synthetic_store)  # never started: nothing listens on its port
    settings = Settings(
        store_dir=synthetic_store,
        access_log=False,
        rate_limit=2,
        rate_window="hour",
        redis_url=unreachable.url,
    )
    shared_log = logging.getLogger("navdata_api.shared")
    shared_log.addHandler(caplog.handler)  # Litestar's logging set-up drops caplog's root one
    try:
        with TestClient(create_app(settings)) as client:
            statuses = [client.get(OBSERVATIONS).status_code for _ in range(3)]
    finally:
        shared_log.removeHandler(caplog.handler)
    assert statuses == [200, 200, 429]
    warnings = [r for r in caplog.records if r.name == "navdata_api.shared"]
    assert len(warnings) == 1  # once per outage, not once per request
    assert f"127.0.0.1:{unreachable.port}" in warnings[0].getMessage()


def test_the_warning_never_shows_a_redis_password() -> None:
    where = redis_location("redis://:s3cret@cache.internal:6380/2")
    assert where == "redis://cache.internal:6380/2"
    health = RedisUnavailable(where)
    assert health.usable()
    health.failed(ConnectionError("refused"))
    assert not health.usable()  # paused: requests meanwhile do not wait on a dead Redis
