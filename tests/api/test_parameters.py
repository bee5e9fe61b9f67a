"""The documented parameter patterns say exactly what the service accepts (property tests)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from navdata.periods import parse_bound
from navdata_api.parameters import BOUND_PATTERN, ID_PATTERN

from .conftest import Client

BOUND = re.compile(BOUND_PATTERN)


@given(st.from_regex(BOUND, fullmatch=True))
def test_every_bound_the_pattern_admits_is_a_real_period_or_day(bound: str) -> None:
    parse_bound(bound)  # raises for 2024M13, 2023-02-29, 2021U53 ...


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(8999, 12, 31)))
def test_every_day_and_its_month_and_year_fit_the_pattern(day: date) -> None:
    month = f"{day.year}M{day.month:02d}"
    for text in (day.isoformat(), day.isoformat()[:7], str(day.year), month):
        assert BOUND.match(text), text
    quarter = (day.month - 1) // 3 + 1
    assert BOUND.match(f"{day.year}K{quarter}")
    assert BOUND.match(f"{day.year}Q{quarter}")


def test_leap_days_are_admitted_exactly_in_leap_years() -> None:
    for year in range(1000, 9000):
        leap = (date(year, 3, 1) - timedelta(days=1)).day == 29
        assert bool(BOUND.match(f"{year}-02-29")) is leap, year
    refused = ["2024M13", "2024M00", "2024K5", "2024H3", "2024T4", "2024U53", "0999", "2024-13"]
    assert not [text for text in refused if BOUND.match(text)]


def test_a_bound_outside_the_pattern_is_refused_before_the_route(api: Client) -> None:
    response = api.get("/v1/series/nav.helt_ledige/observations?from=2020M13")
    assert response.status_code == 400
    problem = response.json()
    assert problem["errors"][0]["name"] == "from"


def test_catalogue_ids_fit_the_id_pattern(api: Client) -> None:
    ids = [s["id"] for s in api.get("/v1/series").json()["series"]]
    assert ids
    assert all(re.match(ID_PATTERN, i) for i in ids)
