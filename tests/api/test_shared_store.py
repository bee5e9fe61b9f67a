"""One shared store (issue 16): API processes pick up a new version without a restart.

Real processes throughout: the fake SSB (SYNTHETIC table 13760) on 127.0.0.1, ``navdata sync``
as the scheduled job, and ``navdata-api`` serving. After the sync commits a new version, the
very next request serves it, under a new ETag. On a folder the service checks for a newer
commit on every request; on S3 (moto's server) ``NAVDATA_API_STORE_POLL=0`` makes it ask on
every request too, and two instances share the bucket.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest

from fakes.server import free_port, serve
from fakes.ssb import FakeSSB
from moto_s3 import moto_server
from navdata.errors import StoreError
from navdata_api.app import create_app
from navdata_api.settings import Settings
from synthetic_ssb import synthetic_13760

AKU = "ssb.aku.unemployment_rate"
OBSERVATIONS = f"/v1/series/{AKU}/observations"
REPO = Path(__file__).resolve().parent.parent.parent
FIRST = {"2026M01": 4.0, "2026M02": 4.1}
REVISED = {"2026M01": 4.0, "2026M02": 4.3}


@contextmanager
def api_process(env: dict[str, str]) -> Iterator[str]:
    """``navdata-api`` on a free loopback port; yields its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "navdata_api", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                _, err = proc.communicate(timeout=5)
                pytest.fail(f"navdata-api did not start: {err}")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _sync(env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "navdata", "sync", "-q", AKU],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def _values(response: httpx.Response) -> list[float]:
    assert response.status_code == 200, response.text
    return [row["value"] for row in response.json()["observations"]]


def _scenario(env: dict[str, str], ssb: FakeSSB, instances: int) -> None:
    _sync(env)
    with ExitStack() as stack:
        urls = [stack.enter_context(api_process(env)) for _ in range(instances)]
        before = [httpx.get(url + OBSERVATIONS, timeout=10) for url in urls]
        assert [_values(r) for r in before] == [[4.0, 4.1]] * instances
        etags = {r.headers["etag"] for r in before}
        assert len(etags) == 1  # every instance names the same version the same way
        assert etags.pop().startswith('"v0-')
        ssb.tables["13760"] = synthetic_13760(REVISED, updated="2026-05-01T06:00:00Z")
        _sync({**env, "NAVDATA_CACHE_DIR": env["NAVDATA_CACHE_DIR"] + "-fresh"})
        for url in urls:  # the next request, no restart
            after = httpx.get(url + OBSERVATIONS, timeout=10)
            assert _values(after) == [4.0, 4.3]
            assert after.headers["etag"].startswith('"v1-')
            assert after.headers["etag"] != before[0].headers["etag"]
            stale = httpx.get(
                url + OBSERVATIONS, headers={"If-None-Match": before[0].headers["etag"]}, timeout=10
            )
            assert stale.status_code == 200  # the old tag no longer matches
            versions = httpx.get(f"{url}/v1/series/{AKU}/versions", timeout=10).json()
            assert [v["version"] for v in versions["versions"]] == [0, 1]


@pytest.fixture
def fake_ssb() -> Iterator[tuple[FakeSSB, str]]:
    ssb = FakeSSB([synthetic_13760(FIRST, updated="2026-04-01T06:00:00Z")])
    with serve(ssb) as url:
        yield ssb, url


def _base_env(ssb_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "NAVDATA_SSB_URL": ssb_url,
        "NAVDATA_NAV_URL": "http://127.0.0.1:9",
        "NAVDATA_KLASS_URL": "http://127.0.0.1:9",
        "NAVDATA_CACHE_DIR": str(tmp_path / "cache"),
        "NAVDATA_OFFLINE": "0",
        "NAVDATA_API_ACCESS_LOG": "0",
        "NAVDATA_API_RATE_LIMIT": "0",
    }


def test_an_instance_on_a_shared_folder_serves_a_new_version_at_the_next_request(
    fake_ssb: tuple[FakeSSB, str], tmp_path: Path
) -> None:
    ssb, url = fake_ssb
    env = {**_base_env(url, tmp_path), "NAVDATA_STORE_DIR": str(tmp_path / "store")}
    _scenario(env, ssb, instances=1)


def test_two_instances_on_s3_serve_a_new_version_at_the_next_request(
    fake_ssb: tuple[FakeSSB, str], tmp_path: Path
) -> None:
    ssb, url = fake_ssb
    with moto_server() as s3:
        env = {
            **_base_env(url, tmp_path),
            **s3.env(),
            "NAVDATA_STORE_DIR": f"s3://{s3.new_bucket()}/navdata",
            "NAVDATA_API_STORE_POLL": "0",
        }
        _scenario(env, ssb, instances=2)


def test_the_service_refuses_to_start_on_a_bucket_it_cannot_reach(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with moto_server() as s3:
        for name, value in s3.env().items():
            monkeypatch.setenv(name, value)
        with pytest.raises(StoreError, match=r"^cannot reach the store s3://no-such-bucket/x \("):
            create_app(Settings(store_dir="s3://no-such-bucket/x", access_log=False))
