"""CORS open for GET, gzip above a size, and the per-client rate limit with its 429 problem."""

from __future__ import annotations

from pathlib import Path

from litestar.testing import TestClient

from navdata_api.app import create_app
from navdata_api.settings import Settings

from .conftest import PROBLEM, Client


def test_cors_is_open_for_get_and_exposes_the_cache_headers(empty_api: Client) -> None:
    response = empty_api.get("/v1/sources", headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
    exposed_header = response.headers["access-control-expose-headers"]
    exposed = {h.strip().lower() for h in exposed_header.split(",")}
    assert {"etag", "last-modified", "retry-after", "ratelimit-remaining"} <= exposed
    preflight = empty_api.options(
        "/v1/sources",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 204
    assert "GET" in preflight.headers["access-control-allow-methods"]
    assert "POST" not in preflight.headers["access-control-allow-methods"]


def test_large_bodies_are_gzipped_small_ones_not(tmp_path: Path) -> None:
    settings = Settings(store_dir=tmp_path, access_log=False, gzip_min_bytes=200)
    with TestClient(create_app(settings)) as client:
        big = client.get("/v1/sources", headers={"Accept-Encoding": "gzip"})
        small = client.get("/health", headers={"Accept-Encoding": "gzip"})
    assert big.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in big.headers["vary"]
    assert big.json()["sources"][0]["id"] == "ssb"  # httpx decodes it
    assert "content-encoding" not in small.headers


def test_rate_limit_gives_429_problem_with_retry_after(tmp_path: Path) -> None:
    settings = Settings(store_dir=tmp_path, access_log=False, rate_limit=3, rate_window="minute")
    with TestClient(create_app(settings)) as client:
        statuses = [client.get("/v1/sources").status_code for _ in range(3)]
        limited = client.get("/v1/sources")
        health = client.get("/health")
    assert statuses == [200, 200, 200]
    assert limited.status_code == 429
    assert limited.headers["content-type"] == PROBLEM
    retry_after = int(limited.headers["retry-after"])
    assert 1 <= retry_after <= 60
    assert limited.headers["ratelimit-remaining"] == "0"
    assert limited.json()["type"] == "urn:navdata:problem:rate-limited"
    assert health.status_code == 200  # probes are never limited


def test_rate_limit_zero_turns_it_off(tmp_path: Path) -> None:
    settings = Settings(store_dir=tmp_path, access_log=False, rate_limit=0)
    with TestClient(create_app(settings)) as client:
        response = client.get("/v1/sources")
    assert "ratelimit-limit" not in response.headers
