"""``/health`` and ``/ready``: the probes an orchestrator calls."""

from __future__ import annotations

from pathlib import Path

from litestar.testing import TestClient

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
    }


def test_ready_with_an_unreadable_store_is_503_problem(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    (store / "manifest.json").write_text("{ not json", encoding="utf-8")
    settings = Settings(store_dir=store, access_log=False)
    with TestClient(create_app(settings)) as client:
        response = client.get("/ready")
    assert response.status_code == 503
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["type"] == "urn:navdata:problem:store-unavailable"
    assert str(store) not in body["detail"]  # where the store is stays in the log
    assert "manifest" in body["detail"]


def test_ready_when_the_store_path_is_a_file_is_503_problem(tmp_path: Path) -> None:
    path = tmp_path / "a-file"
    path.write_text("", encoding="utf-8")
    settings = Settings(store_dir=path, access_log=False)
    with TestClient(create_app(settings)) as client:
        response = client.get("/ready")
    assert response.status_code == 503
    assert "NAVDATA_STORE_DIR" in response.json()["detail"]
    assert str(path) not in response.json()["detail"]


def test_health_answers_without_a_store(tmp_path: Path) -> None:
    settings = Settings(store_dir=tmp_path / "absent", access_log=False)
    with TestClient(create_app(settings)) as client:
        response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.headers["cache-control"] == "no-store"
