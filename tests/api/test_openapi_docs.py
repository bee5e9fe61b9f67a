"""The OpenAPI schema and the /docs page, and switching them off."""

from __future__ import annotations

from pathlib import Path

from litestar.testing import TestClient

from navdata_api.app import create_app
from navdata_api.settings import Settings

from .conftest import PROBLEM, Client


def test_openapi_has_our_title_version_and_problem_responses(empty_api: Client) -> None:
    schema = empty_api.get("/docs/openapi.json").json()
    assert schema["info"]["title"] == "navdata API"
    assert schema["info"]["version"] == "1.0.0"
    sources = schema["paths"]["/v1/sources"]["get"]
    assert "304" in sources["responses"]
    assert PROBLEM in sources["responses"]["429"]["content"]
    docs = empty_api.get("/docs")
    assert docs.status_code == 200
    assert "text/html" in docs.headers["content-type"]
    assert "/docs/openapi.json" in docs.text


def test_docs_can_be_switched_off(tmp_path: Path) -> None:
    settings = Settings(store_dir=tmp_path, access_log=False, docs=False)
    with TestClient(create_app(settings)) as client:
        assert client.get("/docs").status_code == 404


def test_the_document_lists_every_representation_and_the_home_page(api: Client) -> None:
    document = api.get("/docs/openapi.json").json()
    observations = document["paths"]["/v1/series/{series_id}/observations"]["get"]
    content = observations["responses"]["200"]["content"]
    assert set(content) == {"application/json", "text/csv"}
    alternatives = content["application/json"]["schema"]["oneOf"]
    assert any("JSON-stat" in str(a.get("description", "")) for a in alternatives)
    home = document["paths"]["/"]["get"]
    assert "text/html" in home["responses"]["200"]["content"]
    assert "304" in home["responses"]
