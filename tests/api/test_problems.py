"""Errors as RFC 9457 problem+json: unknown routes, wrong methods, bad parameters, 404 details."""

from __future__ import annotations

import pytest

from .conftest import PROBLEM, Client


def test_unknown_route_is_problem_json(empty_api: Client) -> None:
    response = empty_api.get("/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["type"] == "about:blank"
    assert body["title"] == "Not Found"
    assert body["status"] == 404
    assert body["instance"] == "/v1/nothing-here"
    assert "GET /v1/series" in body["detail"]


def test_wrong_method_is_405_problem_with_allow_including_head(empty_api: Client) -> None:
    response = empty_api.delete("/v1/sources")
    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM
    allowed = {m.strip() for m in response.headers["allow"].split(",")}
    assert {"GET", "HEAD"} <= allowed
    assert response.json()["detail"] == "This resource is read-only; use GET (or HEAD)."


@pytest.mark.parametrize(
    ("query", "name", "hint"),
    [
        ("format=xml", "format", "use one of json, csv, jsonstat"),
        ("lang=de", "lang", "use one of nb, en"),
        ("from=2020-01-01-extra", "from", "length <= 10"),
        ("limit=0", "limit", ">= 1"),
    ],
)
def test_invalid_parameter_is_reported_under_the_name_the_client_used(
    api: Client, query: str, name: str, hint: str
) -> None:
    response = api.get(f"/v1/series/nav.helt_ledige/observations?{query}")
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert (error["name"], error["source"]) == (name, "query")
    assert hint in error["message"]
    assert f"query parameter '{name}'" in response.json()["detail"]
    assert "ParamType" not in response.text


def test_not_found_details_point_at_routes_not_library_calls(api: Client) -> None:
    series = api.get("/v1/series/zzz").json()
    milestone = api.get("/v1/timeline/zzz").json()
    assert "GET /v1/series lists every id" in series["detail"]
    assert "GET /v1/timeline lists every milestone" in milestone["detail"]
    assert "navdata." not in series["detail"] + milestone["detail"]


def test_a_nul_byte_in_a_path_is_a_400_and_cannot_forge_log_lines(
    api: Client, caplog: pytest.LogCaptureFixture
) -> None:
    for path in ("/static/home%00.css", "/static/a%0aFORGED%20line.css", "/v1/series/x%00y"):
        response = api.get(path)
        assert response.status_code == 400, path
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["type"] == "urn:navdata:problem:invalid-path"
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


def test_a_refused_cors_preflight_is_a_problem(api: Client) -> None:
    refused = api.options(
        "/v1/sources",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "DELETE"},
    )
    assert refused.status_code == 400
    assert refused.headers["content-type"] == PROBLEM
    problem = refused.json()
    assert problem["type"] == "urn:navdata:problem:cors-refused"
    assert problem["detail"].startswith("Disallowed CORS method: this API allows GET, HEAD")
    allowed = api.options(
        "/v1/sources",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )
    assert allowed.status_code == 204
