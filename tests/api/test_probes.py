"""``/health`` and ``/ready``: the probes an orchestrator calls."""

from __future__ import annotations

from pathlib import Path

import pytest
from litestar.testing import TestClient

from navdata.errors import StoreError
from navdata_api.app import create_app
from navdata_api.settings import Settings

from .conftest import PROBLEM


def test_ready_before_any_sync_serves_the_bundled_series(tmp_path: Path) -> None:
    settings = Settings(store_dir=tmp_path / "not-created-yet", access_log=False)
    with TestClient(create_app(settings)) as client:
        response = client.get("/ready")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "store": "folder",  # the kind of store: a public probe never shows where it is
        "series": 0,
        "bundled": 6,
        "damaged": {},
    }


def test_a_store_of_the_old_format_that_cannot_be_migrated_stops_the_service(
    tmp_path: Path,
) -> None:
    store = tmp_path / "store"
    store.mkdir()
    (store / "manifest.json").write_text("{ not json", encoding="utf-8")
    with pytest.raises(StoreError) as info:
        create_app(Settings(store_dir=store, access_log=False))
    assert str(info.value).startswith(
        f"the store at {store} is in navdata's old format and its manifest.json cannot be read"
    )


def test_a_store_path_that_is_a_file_stops_the_service_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "a-file"
    path.write_text("", encoding="utf-8")
    with pytest.raises(StoreError) as info:
        create_app(Settings(store_dir=path, access_log=False))
    assert str(info.value) == (
        f"the store location {path} is a file, not a folder; set NAVDATA_STORE_DIR to a folder "
        "navdata can read"
    )


def test_ready_is_503_problem_when_the_store_goes_bad_while_serving(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    settings = Settings(store_dir=store, access_log=False)
    with TestClient(create_app(settings)) as client:
        assert client.get("/ready").status_code == 200
        store.rmdir()
        store.write_text("synthetic: the volume was replaced by a file", encoding="utf-8")
        response = client.get("/ready")
    assert response.status_code == 503
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["type"] == "urn:navdata:problem:store-unavailable"
    assert str(store) not in body["detail"]  # where the store is stays in the log
    assert body["detail"] == (
        "the store location <store> is a file, not a folder; set NAVDATA_STORE_DIR to a folder "
        "navdata can read"
    )


def test_health_answers_without_a_store(tmp_path: Path) -> None:
    settings = Settings(store_dir=tmp_path / "absent", access_log=False)
    with TestClient(create_app(settings)) as client:
        response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.headers["cache-control"] == "no-store"
