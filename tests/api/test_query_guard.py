"""Unknown query parameters are a 400 on every /v1 route (navdata_api.query_guard)."""

from __future__ import annotations

import gc
from typing import Annotated

import pytest
from litestar import get
from litestar.params import QueryParameter

from navdata_api.query_guard import _query_names

from .conftest import Client


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


def test_injected_dependencies_are_not_query_parameters(api: Client) -> None:
    """Routes take ``local_data`` by injection; a query may not name it."""
    for path in ("/v1/timeline", "/v1/series", "/v1/timeline/hurdal-platform"):
        response = api.get(f"{path}?local_data=1")
        assert response.status_code == 400, path
        assert "local_data" not in response.json()["valid"]


@pytest.mark.parametrize(
    ("path", "repeated"),
    [
        ("/v1/series/nav.helt_ledige/observations?from=2020&from=2015", "from"),
        ("/v1/series/nav.helt_ledige/observations?region=03&format=csv&format=json", "format"),
        ("/v1/series/keyfig.aku_unemployment_rate_annual/chart.svg?width=400&width=500", "width"),
        ("/v1/timeline?to=2020&to=2010", "to"),
        ("/v1/series?lang=en&lang=nb", "lang"),
        ("/?lang=en&lang=nb", "lang"),
    ],
)
def test_a_repeated_one_value_parameter_is_a_400_naming_it(
    api: Client, path: str, repeated: str
) -> None:
    response = api.get(path)
    assert response.status_code == 400, response.text
    problem = response.json()
    assert problem["type"] == "urn:navdata:problem:repeated-parameter"
    assert problem["valid"] == [repeated]
    assert f"{repeated!r} takes one value" in problem["detail"]


def test_the_two_orders_of_a_repeated_parameter_no_longer_share_a_body(api: Client) -> None:
    base = "/v1/series/nav.helt_ledige/observations?region=03"
    first = api.get(f"{base}&from=2020&from=2019")
    second = api.get(f"{base}&from=2019&from=2020")
    assert (first.status_code, second.status_code) == (400, 400)
    assert "etag" not in first.headers


def test_repeatable_parameters_still_repeat(api: Client) -> None:
    filters = api.get("/v1/series/nav.helt_ledige/observations?region=03&region=11&from=2021M12")
    assert filters.status_code == 200
    assert {row["region"] for row in filters.json()["observations"]} == {"03", "11"}
    tags = api.get("/v1/timeline?tag=trust-reform&tag=nav-reform")
    assert tags.status_code == 200
