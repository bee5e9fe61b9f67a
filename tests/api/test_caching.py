"""Conditional GET: strong ETags, weak If-None-Match comparison, HTTP dates, max-age, 304."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from navdata_api.caching import (
    Validators,
    cache_headers,
    http_date,
    matching_tag,
    max_age_for,
    parse_http_date,
    strong_etag,
)

from .conftest import Client


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
    assert (matching_tag(header, '"x1"') is not None) is expected


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


def test_if_none_match_gives_304_with_the_same_validators(empty_api: Client) -> None:
    first = empty_api.get("/v1/sources")
    etag = first.headers["etag"]
    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        again = empty_api.get("/v1/sources", headers={"If-None-Match": header})
        assert again.status_code == 304, header
        assert again.content == b""
        assert again.headers["etag"] == etag
        assert again.headers["cache-control"] == first.headers["cache-control"]
    changed = empty_api.get("/v1/sources", headers={"If-None-Match": '"stale"'})
    assert changed.status_code == 200
    assert changed.json() == first.json()
