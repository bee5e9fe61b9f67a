"""Property-based fuzzing of the whole API against its own OpenAPI schema (schemathesis).

Every operation gets generated requests, valid and invalid; every check runs, positive-data
acceptance included: no 5xx, only declared status codes, content types, headers and bodies,
every schema-invalid request refused and every schema-valid one answered. The app reads a
SYNTHETIC store, built at import because schemathesis collects the operations at import time.

OpenAPI 3.1 describes each parameter on its own; the API has five rules that relate them, each
stated in its operation's description. :func:`obey_cross_parameter_rules` makes generated
*valid* requests keep them (reordering or dropping values, never adding any), so they stay
valid requests; invalid ones are sent as generated.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from navdata import milestones as tl
from navdata import series_catalog as cat
from navdata.periods import parse_bound, period_of
from navdata.store import Store
from navdata_api.app import create_app
from navdata_api.settings import Settings

from .conftest import synthetic_aku, synthetic_helt_ledige

_STORE = Path(tempfile.mkdtemp(prefix="navdata-api-fuzz-"))
Store(_STORE).write("nav.helt_ledige", synthetic_helt_ledige())
Store(_STORE).write("ssb.aku.unemployment_rate", synthetic_aku())
_APP = create_app(Settings(store_dir=_STORE, access_log=False, rate_limit=0))
schema = schemathesis.openapi.from_asgi("/docs/openapi.json", _APP)


@pytest.fixture(scope="module", autouse=True)
def _remove_store() -> Iterator[None]:
    yield
    shutil.rmtree(_STORE, ignore_errors=True)


@schema.hook
def map_case(context: Any, case: schemathesis.Case[Any]) -> schemathesis.Case[Any]:
    """Keep the cross-parameter rules in generated valid requests (see the module docstring)."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return case
    return obey_cross_parameter_rules(case)


def obey_cross_parameter_rules(case: schemathesis.Case[Any]) -> schemathesis.Case[Any]:
    """The rules OpenAPI cannot state, as the operations' descriptions state them."""
    query = dict(case.query or {})
    start, end = query.get("from"), query.get("to")
    reversed_range = (
        isinstance(start, str)
        and isinstance(end, str)
        and parse_bound(start) > parse_bound(end, end=True)
    )
    if reversed_range:  # 1. `from` is not after `to`
        query["from"], query["to"] = end, start
    if query.get("format") == "jsonstat":  # 2. a JSON-stat cube is never paged
        query.pop("limit", None)
        query.pop("cursor", None)
    query.pop("cursor", None)  # 3. a cursor is one the service made (page.next_cursor)
    path = dict(case.path_parameters or {})
    milestone_id, series_id = path.get("milestone_id"), query.get("series")
    if case.operation.path.endswith("/window") and milestone_id and series_id:
        # 4. the milestone falls in one period of the series (its span fits one period)
        series = cat.find(series_id)
        if milestone_id in _MILESTONES and series is not None:
            if not _fits(milestone_id, series.frequency):
                query["series"] = _YEARLY
            if not _fits(milestone_id, "year"):  # dated to a session: two years
                path["milestone_id"] = _DAY_PRECISE
    if _bundled(path.get("series_id") or query.get("series")):  # 5. as_of: stored series only
        query.pop("as_of", None)
    case.query = query
    case.path_parameters = path
    return case


def _bundled(series_id: object) -> bool:
    found = cat.find(series_id) if isinstance(series_id, str) else None
    return found is not None and found.source == "bundled"


def _fits(milestone_id: str, frequency: str) -> bool:
    first, last = (period_of(day, frequency).code for day in tl.milestone(milestone_id).span)
    return first == last


_MILESTONES = {m.id for m in tl.load_milestones()}
_YEARLY = "keyfig.aku_unemployment_rate_annual"
_DAY_PRECISE = next(m.id for m in tl.load_milestones() if m.precision == "day")


@schema.parametrize()
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_conforms_to_its_schema(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate()
