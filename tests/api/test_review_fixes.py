"""What a user saw before these fixes: parameter errors naming Python arguments, silently ignored
misspelt parameters, library hints in HTTP errors, an empty 200 for an inverted range. The last
test guards the prepared-frame path of JSON observations against drifting from CSV's."""

from __future__ import annotations

import csv
import gc
import io
from typing import Annotated

import pytest
from litestar import get
from litestar.params import QueryParameter

from navdata_api.query_guard import _query_names

from .conftest import Client


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


@pytest.mark.parametrize(
    ("path", "bad", "valid"),
    [
        ("/v1/timeline", "tags=trust-reform", "tag"),
        ("/v1/series", "topics=unemployment", "topic"),
        ("/v1/series/nav.helt_ledige", "region=03", "lang"),
        ("/v1/sources", "lang=en", None),
        ("/v1/timeline/hurdal-platform/window", "series=nav.helt_ledige&befor=3", "before"),
    ],
)
def test_misspelt_parameters_are_400_not_an_unfiltered_200(
    api: Client, path: str, bad: str, valid: str | None
) -> None:
    response = api.get(f"{path}?{bad}")
    assert response.status_code == 400, response.text
    problem = response.json()
    assert problem["type"] == "urn:navdata:problem:unknown-parameter"
    assert response.headers["content-type"] == "application/problem+json"
    if valid is not None:
        assert valid in problem["valid"]
        assert repr(bad.rsplit("&", maxsplit=1)[-1].split("=", maxsplit=1)[0]) in problem["detail"]
    else:
        assert problem["valid"] == []


def test_known_parameters_still_pass_the_guard(api: Client) -> None:
    assert api.get("/v1/timeline?tag=trust-reform&from=2022-01&lang=en").status_code == 200
    assert api.get("/v1/series?topic=unemployment&lang=en").status_code == 200
    assert api.get("/v1/series/nav.helt_ledige?lang=en").status_code == 200


def test_options_requests_pass_through_the_guard(api: Client) -> None:
    """Litestar's generated OPTIONS handlers go through the guard too (and refuse weakrefs)."""
    assert api.options("/v1/series").status_code == 204
    assert api.options("/v1/series?topics=x").status_code == 400


def test_not_found_details_point_at_routes_not_library_calls(api: Client) -> None:
    series = api.get("/v1/series/zzz").json()
    milestone = api.get("/v1/timeline/zzz").json()
    assert "GET /v1/series lists every id" in series["detail"]
    assert "GET /v1/timeline lists every milestone" in milestone["detail"]
    assert "navdata." not in series["detail"] + milestone["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/v1/series/nav.helt_ledige/observations?from=2021&to=2020",
        "/v1/series/nav.helt_ledige/chart.svg?from=2021M02&to=2021M01",
    ],
)
def test_from_after_to_is_a_400_not_an_empty_answer(api: Client, path: str) -> None:
    response = api.get(path)
    assert response.status_code == 400
    assert response.json()["type"] == "urn:navdata:problem:invalid-period"
    assert "is after `to`" in response.json()["detail"]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "region=50&from=2020M03&to=2020M06",
        "region=03,50&labels=true&lang=en&from=2021",
        "to=2019M02&labels=true",
    ],
)
def test_json_rows_equal_the_csv_rows_of_the_same_query(api: Client, query: str) -> None:
    base = f"/v1/series/nav.helt_ledige/observations?{query}&limit=10000"
    page = api.get(base).json()
    table = list(csv.DictReader(io.StringIO(api.get(base + "&format=csv").text)))
    assert page["columns"] == list(table[0])
    as_text = [
        {k: "" if v is None else str(v) for k, v in row.items()} for row in page["observations"]
    ]
    assert as_text == table
    assert page["page"]["total"] == len(table)


def test_guard_reads_each_handlers_own_parameters_when_handlers_come_and_go() -> None:
    """CI once saw ``/v1/series?topic=...`` refused: the guard's cache was keyed by ``id()``, and a
    handler of a later app, built at a freed handler's address, inherited its parameter list."""
    for n in range(20):
        name = f"p{n}"

        async def handler(value: str) -> str:
            return value

        # A real object, not the string the module's postponed annotations would leave.
        alias = Annotated[str, QueryParameter(name=name)]
        handler.__annotations__ = {"value": alias, "return": str}
        route = get(f"/r{n}")(handler)
        assert _query_names(route) == {name}
        del route, handler
        gc.collect()
