"""The outermost layer (navdata_api.head_and_access_log): HEAD on every GET route, one JSON
access-log line per request."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from litestar.testing import TestClient

from navdata_api.app import create_app
from navdata_api.settings import Settings

from .conftest import Client


def test_head_mirrors_get_without_a_body(empty_api: Client) -> None:
    get = empty_api.get("/v1/sources")
    head = empty_api.head("/v1/sources")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["etag"] == get.headers["etag"]
    assert head.headers["content-length"] == str(len(get.content))
    revalidated = empty_api.head("/v1/sources", headers={"If-None-Match": get.headers["etag"]})
    assert revalidated.status_code == 304
    assert empty_api.head("/health").status_code == 200


def test_access_log_is_one_json_line_per_request(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(store_dir=tmp_path, access_log=True)
    app = create_app(settings)
    logger = logging.getLogger("navdata_api.access")
    logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO, logger="navdata_api.access"), TestClient(app) as client:
            client.get("/v1/sources?x=1")  # unknown parameter: 400 since the query guard
            client.head("/v1/nothing")
    finally:
        logger.removeHandler(caplog.handler)
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "navdata_api.access"]
    assert [(x["method"], x["path"], x["query"], x["status"]) for x in lines] == [
        ("GET", "/v1/sources", "x=1", 400),
        ("HEAD", "/v1/nothing", "", 404),
    ]
    assert lines[0]["bytes"] > 100  # the problem document
    assert lines[0]["ms"] >= 0
    assert lines[1]["bytes"] == 0
