"""Cross-cutting behaviour: problem+json, caching, HEAD, CORS, gzip, rate limits, logs, docs.

These tests need no data: they use /health, /ready, /v1/sources and routes that do not exist.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from navdata_api.app import create_app
from navdata_api.caching import (
    Validators,
    cache_headers,
    etag_matches,
    http_date,
    max_age_for,
    parse_http_date,
    strong_etag,
)
from navdata_api.cli import build_parser, main
from navdata_api.settings import Settings, SettingsError

PROBLEM = "application/problem+json"
Client = TestClient[Litestar]


@pytest.fixture
def client(tmp_path: Path) -> Iterator[Client]:
    settings = Settings(store_dir=tmp_path, access_log=False)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


# --- settings ------------------------------------------------------------------------------------


def test_settings_defaults_are_the_documented_ones() -> None:
    settings = Settings.from_env({})
    assert settings.rate_limit == 600
    assert settings.rate_window == "minute"
    assert settings.default_page == 1000
    assert settings.max_page == 10_000
    assert settings.max_rows == 1_000_000
    assert settings.cors_origins == ("*",)
    assert settings.store_dir is None
    assert settings.access_log is True


def test_settings_read_every_variable(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "NAVDATA_STORE_DIR": str(tmp_path),
            "NAVDATA_API_RATE_LIMIT": "5",
            "NAVDATA_API_RATE_WINDOW": "Second",
            "NAVDATA_API_MAX_PAGE": "50",
            "NAVDATA_API_DEFAULT_PAGE": "10",
            "NAVDATA_API_MAX_ROWS": "1_000",
            "NAVDATA_API_CORS_ORIGINS": "https://a.no, https://b.no",
            "NAVDATA_API_ACCESS_LOG": "off",
        }
    )
    assert settings.store_dir == tmp_path
    assert (settings.rate_limit, settings.rate_window) == (5, "second")
    assert (settings.default_page, settings.max_page, settings.max_rows) == (10, 50, 1000)
    assert settings.cors_origins == ("https://a.no", "https://b.no")
    assert settings.access_log is False


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"NAVDATA_API_RATE_LIMIT": "many"}, "NAVDATA_API_RATE_LIMIT='many' is not a whole number"),
        ({"NAVDATA_API_RATE_WINDOW": "week"}, "NAVDATA_API_RATE_WINDOW='week' is not one of"),
        ({"NAVDATA_API_ACCESS_LOG": "maybe"}, "NAVDATA_API_ACCESS_LOG='maybe' is not a yes/no"),
        ({"NAVDATA_API_MAX_PAGE": "10"}, "NAVDATA_API_DEFAULT_PAGE (1000) must be between 1"),
        ({"NAVDATA_API_MAX_PAGE": "-1"}, "must not be negative"),
    ],
)
def test_settings_reject_bad_values_naming_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Settings.from_env(env)


# --- caching helpers -----------------------------------------------------------------------------


def test_strong_etag_is_quoted_stable_and_sensitive_to_every_part() -> None:
    tag = strong_etag("abc", "region=03")
    assert tag[0] == tag[-1] == '"'
    assert len(tag) == 34
    assert tag == strong_etag("abc", "region=03")
    assert tag != strong_etag("abc", "region=11")
    assert strong_etag("ab", "c") != strong_etag("a", "bc")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ('"x1"', True),
        ('W/"x1"', True),
        ('"zz", W/"x1"', True),
        ("*", True),
        ('"x2"', False),
        ("x1", False),
        ("", False),
    ],
)
def test_if_none_match_uses_weak_comparison(header: str, expected: bool) -> None:
    assert etag_matches(header, '"x1"') is expected


def test_http_dates_round_trip_and_garbage_is_ignored() -> None:
    moment = datetime(2024, 3, 5, 10, 0, 7, 999, tzinfo=UTC)
    text = http_date(moment)
    assert text == "Tue, 05 Mar 2024 10:00:07 GMT"
    assert parse_http_date(text) == moment.replace(microsecond=0)
    assert parse_http_date("yesterday") is None


def test_max_age_follows_the_publication_rhythm() -> None:
    assert max_age_for("month") == 6 * 3600
    assert max_age_for("year") == 24 * 3600
    assert max_age_for(None) == 3600
    headers = cache_headers(Validators(etag='"e"', max_age=60))
    assert headers["Cache-Control"] == "public, max-age=60, stale-while-revalidate=30"
    assert headers["Vary"] == "Accept, Accept-Encoding"
    assert "Last-Modified" not in headers


# --- problem+json --------------------------------------------------------------------------------


def test_unknown_route_is_problem_json(client: Client) -> None:
    response = client.get("/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["type"] == "about:blank"
    assert body["title"] == "Not Found"
    assert body["status"] == 404
    assert body["instance"] == "/v1/nothing-here"
    assert "GET /v1/series" in body["detail"]


def test_wrong_method_is_405_problem_with_allow_including_head(client: Client) -> None:
    response = client.delete("/v1/sources")
    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM
    allowed = {m.strip() for m in response.headers["allow"].split(",")}
    assert {"GET", "HEAD"} <= allowed
    assert response.json()["detail"] == "This resource is read-only; use GET (or HEAD)."


def test_ready_before_any_sync_serves_the_bundled_series(tmp_path: Path) -> None:
    settings = Settings(store_dir=tmp_path / "not-created-yet", access_log=False)
    with TestClient(create_app(settings)) as client:
        response = client.get("/ready")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "store": str(tmp_path / "not-created-yet"),
        "series": 0,
        "bundled": 6,
    }


def test_ready_with_an_unreadable_store_is_503_problem(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    (store / "manifest.json").write_text("{ not json", encoding="utf-8")
    settings = Settings(store_dir=store, access_log=False)
    with TestClient(create_app(settings)) as client:
        response = client.get("/ready")
    assert response.status_code == 503
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["type"] == "urn:navdata:problem:store-unavailable"
    assert str(store) in body["detail"]


def test_ready_when_the_store_path_is_a_file_is_503_problem(tmp_path: Path) -> None:
    path = tmp_path / "a-file"
    path.write_text("", encoding="utf-8")
    settings = Settings(store_dir=path, access_log=False)
    with TestClient(create_app(settings)) as client:
        response = client.get("/ready")
    assert response.status_code == 503
    assert "NAVDATA_STORE_DIR" in response.json()["detail"]


def test_health_answers_without_a_store(tmp_path: Path) -> None:
    settings = Settings(store_dir=tmp_path / "absent", access_log=False)
    with TestClient(create_app(settings)) as client:
        response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.headers["cache-control"] == "no-store"


# --- sources, caching, HEAD ----------------------------------------------------------------------


def test_sources_lists_ssb_and_nav_with_licence_and_attribution(client: Client) -> None:
    response = client.get("/v1/sources")
    assert response.status_code == 200
    sources = {s["id"]: s for s in response.json()["sources"]}
    assert set(sources) == {"ssb", "nav"}
    assert sources["ssb"]["attribution"] == "Kilde: Statistisk sentralbyrå"
    assert sources["nav"]["attribution"] == "Kilde: NAV"
    assert {s["licence"] for s in sources.values()} == {"CC BY 4.0"}
    assert sources["ssb"]["licence_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert response.headers["cache-control"].startswith("public, max-age=86400")
    assert response.headers["vary"] == "Accept, Accept-Encoding"


def test_if_none_match_gives_304_with_the_same_validators(client: Client) -> None:
    first = client.get("/v1/sources")
    etag = first.headers["etag"]
    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        again = client.get("/v1/sources", headers={"If-None-Match": header})
        assert again.status_code == 304, header
        assert again.content == b""
        assert again.headers["etag"] == etag
        assert again.headers["cache-control"] == first.headers["cache-control"]
    changed = client.get("/v1/sources", headers={"If-None-Match": '"stale"'})
    assert changed.status_code == 200
    assert changed.json() == first.json()


def test_head_mirrors_get_without_a_body(client: Client) -> None:
    get = client.get("/v1/sources")
    head = client.head("/v1/sources")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["etag"] == get.headers["etag"]
    assert head.headers["content-length"] == str(len(get.content))
    revalidated = client.head("/v1/sources", headers={"If-None-Match": get.headers["etag"]})
    assert revalidated.status_code == 304
    assert client.head("/health").status_code == 200


# --- CORS, gzip, rate limit ----------------------------------------------------------------------


def test_cors_is_open_for_get_and_exposes_the_cache_headers(client: Client) -> None:
    response = client.get("/v1/sources", headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
    exposed_header = response.headers["access-control-expose-headers"]
    exposed = {h.strip().lower() for h in exposed_header.split(",")}
    assert {"etag", "last-modified", "retry-after", "ratelimit-remaining"} <= exposed
    preflight = client.options(
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


# --- logs and docs -------------------------------------------------------------------------------


def test_access_log_is_one_json_line_per_request(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(store_dir=tmp_path, access_log=True)
    app = create_app(settings)
    logger = logging.getLogger("navdata_api.access")
    logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO, logger="navdata_api.access"), TestClient(app) as client:
            client.get("/v1/sources?x=1")  # unknown parameter: 400 since the query guard
            client.head("/v1/nothing")
    finally:
        logger.removeHandler(caplog.handler)
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "navdata_api.access"]
    assert [(x["method"], x["path"], x["query"], x["status"]) for x in lines] == [
        ("GET", "/v1/sources", "x=1", 400),
        ("HEAD", "/v1/nothing", "", 404),
    ]
    assert lines[0]["bytes"] > 100  # the problem document
    assert lines[0]["ms"] >= 0
    assert lines[1]["bytes"] == 0


def test_openapi_has_our_title_version_and_problem_responses(client: Client) -> None:
    schema = client.get("/docs/openapi.json").json()
    assert schema["info"]["title"] == "navdata API"
    assert schema["info"]["version"] == "1.0.0"
    sources = schema["paths"]["/v1/sources"]["get"]
    assert "304" in sources["responses"]
    assert PROBLEM in sources["responses"]["429"]["content"]
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "text/html" in docs.headers["content-type"]
    assert "/docs/openapi.json" in docs.text


def test_docs_can_be_switched_off(tmp_path: Path) -> None:
    settings = Settings(store_dir=tmp_path, access_log=False, docs=False)
    with TestClient(create_app(settings)) as client:
        assert client.get("/docs").status_code == 404


# --- command line --------------------------------------------------------------------------------


def test_cli_options_and_refusals(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    args = build_parser().parse_args(["--port", "9000", "--workers", "2", "--store", "/tmp/s"])
    assert (args.host, args.port, args.workers, str(args.store)) == ("127.0.0.1", 9000, 2, "/tmp/s")
    assert main(["--workers", "0"]) == 2
    assert "--workers must be at least 1" in capsys.readouterr().err
    monkeypatch.setenv("NAVDATA_API_RATE_LIMIT", "lots")
    assert main([]) == 2
    assert "NAVDATA_API_RATE_LIMIT='lots'" in capsys.readouterr().err
