"""Issue 13 in the service: a reversed timeline range, and the bundled series' retrieval date."""

from __future__ import annotations

from datetime import UTC, datetime

import navdata

from .conftest import Client
from .test_data_routes import assert_problem

#: datasets/key_figures/series.toml: ``retrieved = 2026-11-28``, the day the figures were read.
RESEARCHED = "2026-11-28"


def test_a_reversed_timeline_range_is_a_400_not_an_empty_200(api: Client) -> None:
    body = assert_problem(api.get("/v1/timeline?from=2025&to=2020"), 400, "invalid-period")
    assert body["detail"] == (
        "`from`='2025' is after `to`='2020', so nothing can match. Swap them, or leave one out "
        "for an open range."
    )
    assert api.get("/v1/timeline?from=2020&to=2025").json()["count"] > 0
    assert api.get("/v1/timeline?from=2025-06&to=2025-06").status_code == 200  # one month


def test_a_bundled_series_was_retrieved_when_researched_not_when_cloned(api: Client) -> None:
    """The API gave the files' modification time (the clone's) as retrieved and Last-Modified."""
    detail = api.get("/v1/series/keyfig.uforetrygd_share").json()
    assert detail["provenance"]["retrieved"] == f"{RESEARCHED}T00:00:00+00:00"
    assert (
        detail["provenance"]["url"] == navdata.describe("keyfig.uforetrygd_share").series.source_url
    )
    observations = api.get("/v1/series/keyfig.uforetrygd_share/observations")
    assert observations.headers["last-modified"] == "Sat, 28 Nov 2026 00:00:00 GMT"
    python = navdata.get("keyfig.uforetrygd_share").provenance
    assert python is not None
    assert python.retrieved == datetime(2026, 11, 28, tzinfo=UTC)
