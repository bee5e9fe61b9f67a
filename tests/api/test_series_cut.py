"""The part of a series a request asks for (navdata_api.series_cut), as observations and charts
take it: a reversed range is a 400, and JSON and CSV give the same rows."""

from __future__ import annotations

import csv
import io

import pytest

from navdata_api.problems import ApiProblem
from navdata_api.series_cut import DimensionCodes

from .conftest import Client, synthetic_helt_ledige


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


def test_checked_filters_are_kept_read_only_and_a_refusal_is_never_kept() -> None:
    filters = DimensionCodes(synthetic_helt_ledige())
    reserved = frozenset({"from"})
    pairs = (("region", "03, 50"), ("from", "2020"), ("region", "11"))
    first = filters.checked(pairs, reserved)
    assert dict(first) == {"region": ("03", "50", "11")}
    assert filters.checked(pairs, reserved) is first  # the same query is not checked again
    with pytest.raises(TypeError):
        first["region"] = ("46",)  # type: ignore[index]
    for _ in range(2):  # a refused query is refused every time, not remembered as valid
        with pytest.raises(ApiProblem) as refused:
            filters.checked((("region", "99"),), reserved)
        assert (refused.value.status, refused.value.kind) == (400, "unknown-code")
