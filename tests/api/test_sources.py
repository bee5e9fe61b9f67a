"""``/v1/sources``: publishers, licences and attribution."""

from __future__ import annotations

from .conftest import Client


def test_sources_lists_ssb_and_nav_with_licence_and_attribution(empty_api: Client) -> None:
    response = empty_api.get("/v1/sources")
    assert response.status_code == 200
    sources = {s["id"]: s for s in response.json()["sources"]}
    assert set(sources) == {"ssb", "nav"}
    assert sources["ssb"]["attribution"] == "Kilde: Statistisk sentralbyrå"
    assert sources["nav"]["attribution"] == "Kilde: NAV"
    assert {s["licence"] for s in sources.values()} == {"CC BY 4.0"}
    assert sources["ssb"]["licence_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert response.headers["cache-control"].startswith("public, max-age=86400")
    assert response.headers["vary"] == "Accept, Accept-Encoding"
