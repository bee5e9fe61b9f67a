"""Property-based fuzzing of the whole API against its own OpenAPI schema (schemathesis).

Every operation gets a bounded number of generated requests (valid and invalid); each response
must not be a 5xx, must use a status code and content type the schema declares for that
operation, and must match the declared response schema. The app reads a SYNTHETIC store, built
at import because schemathesis collects the operations from the schema at import time.
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


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_conforms_to_its_schema(case: schemathesis.Case[Any]) -> None:
    # positive_data_acceptance is left out on purpose: OpenAPI cannot express that a period
    # code must exist (2024M13 fits any pattern), that a cursor belongs to its query, or the
    # configurable page limit, so schema-valid requests may rightly get a documented 400.
    # The checks that matter here all run: no 5xx, declared status codes, content types,
    # response schemas and headers, and rejection of schema-invalid input.
    case.call_and_validate(excluded_checks=[schemathesis.checks.positive_data_acceptance])
