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
