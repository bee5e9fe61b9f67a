"""The application factory: what every route is handed, and how."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar
from litestar.di import Provide
from litestar.testing import TestClient

from navdata_api.app import create_app
from navdata_api.caching import BodyCache
from navdata_api.local_data import LocalData
from navdata_api.settings import Settings


def _injected(app: Litestar, name: str) -> object:
    provider = app.dependencies[name]
    assert isinstance(provider, Provide)
    return provider.dependency()


def test_routes_are_handed_their_local_data_by_injection(tmp_path: Path) -> None:
    app = create_app(Settings(store_dir=tmp_path, access_log=False, cache_mb=2))
    assert dict(app.state) == {}  # nothing for a route to look up by a string key
    assert list(app.dependencies) == ["local_data"]  # one: two would be resolved in a task group
    local_data = _injected(app, "local_data")
    assert isinstance(local_data, LocalData)
    assert local_data.store.location == str(tmp_path)
    bodies = local_data.bodies
    assert isinstance(bodies, BodyCache)
    assert bodies.max_bytes == (2 << 20) * 3 // 4  # a quarter goes to whole responses
    assert _injected(app, "local_data") is local_data  # one per app
    with TestClient(app) as client:
        assert client.get("/ready").json()["store"] == "folder"
        etag = client.get("/v1/series", headers={"Accept-Encoding": "identity"}).headers["etag"]
    assert bodies.get(etag) is not None  # the catalogue body went into this app's cache


def test_timeline_milestone_and_home_bodies_are_kept_encoded(tmp_path: Path) -> None:
    app = create_app(Settings(store_dir=tmp_path, access_log=False, rate_limit=0))
    local_data = _injected(app, "local_data")
    assert isinstance(local_data, LocalData)
    identity = {"Accept-Encoding": "identity"}
    with TestClient(app) as client:
        for path in ("/v1/timeline?tag=trust-reform", "/v1/timeline/nav-established", "/?lang=en"):
            first = client.get(path, headers=identity)
            assert first.status_code == 200, path
            kept = local_data.bodies.get(first.headers["etag"])
            assert kept is not None, path
            assert kept.content == first.content
            assert client.get(path, headers=identity).content == first.content
