"""The home page and /docs in a real headless Chromium, against the service on 127.0.0.1.

The store is an empty folder: the page must still show the bundled key-figure chart. Chromium
runs with every background network feature off, so a request to any other host would fail and
show up as a console error. The page's own script records the chart's state and any error as
attributes on <html>, which ``--dump-dom`` returns; console messages come from Chromium's log.
A screenshot is written to test-artifacts/home.png for a person to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fakes.server import serve
from navdata_api.app import create_app
from navdata_api.settings import Settings

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--enable-logging=stderr",
    "--v=0",
    "--virtual-time-budget=10000",
    "--window-size=1280,1600",
)
_CONSOLE = re.compile(r":INFO:CONSOLE[^\]]*\] (.*)")


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip(
        "no chromium binary on PATH; install it with: apt-get install -y chromium "
        "(the CI script does)"
    )


BROKEN_PAGE = (
    b"<!DOCTYPE html><html lang='en'><head><title>t</title><link rel='icon' href='data:,'>"
    b"<script src='/static/home.js' defer></script></head><body>"
    b"<img id='chart-image' alt='x' data-failed='x' "
    b"src='/v1/series/nav.aap.recipients/chart.svg'>"
    b"<script>console.error('probe: console capture works')</script></body></html>"
)


def with_broken_page(app: Any) -> Any:
    """The service plus ``/broken``: the home page's script with a chart that answers 404."""

    async def wrapped(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] == "/broken":
            headers = [(b"content-type", b"text/html; charset=utf-8")]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": BROKEN_PAGE})
            return
        await app(scope, receive, send)

    return wrapped


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("empty-store")
    settings = Settings(store_dir=store, access_log=False, rate_limit=0)
    with serve(with_broken_page(create_app(settings))) as url:
        yield url


def run_chromium(url: str, *action: str, profile: Path) -> tuple[str, list[str]]:
    """Chromium's stdout and the console messages it logged for ``url``."""
    env = {**os.environ, "HOME": str(profile)}
    done = subprocess.run(
        [chromium(), *_FLAGS, f"--user-data-dir={profile}", *action, url],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, _CONSOLE.findall(done.stderr)


def root_attributes(dom: str) -> dict[str, str]:
    match = re.search(r"<html([^>]*)>", dom)
    assert match, dom[:500]
    return dict(re.findall(r'([\w-]+)="([^"]*)"', match.group(1)))


def test_home_page_renders_chart_without_errors(base_url: str, tmp_path: Path) -> None:
    dom, console = run_chromium(f"{base_url}/", "--dump-dom", profile=tmp_path / "dom")
    attributes = root_attributes(dom)
    assert console == []
    assert attributes["lang"] == "nb"
    assert attributes["data-errors"] == "[]"
    assert attributes["data-chart"] == "loaded"
    assert int(attributes["data-chart-width"]) == 960
    assert "keyfig.aku_unemployment_rate_annual" in dom

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "home.png"
    shot.unlink(missing_ok=True)
    _, console = run_chromium(
        f"{base_url}/?lang=en", f"--screenshot={shot}", profile=tmp_path / "shot"
    )
    assert console == []
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000  # a blank 1280x1600 page is far smaller


def test_missing_chart_is_reported_on_the_page(base_url: str, tmp_path: Path) -> None:
    """Both channels can fail: a 404 chart is recorded on the page, console.error is logged."""
    dom, console = run_chromium(f"{base_url}/broken", "--dump-dom", profile=tmp_path / "p")
    attributes = root_attributes(dom)
    assert attributes["data-chart"] == "failed"
    assert "failed to load" in attributes["data-errors"]
    assert any("probe: console capture works" in line for line in console), console


def test_docs_page_renders_every_route_offline(base_url: str, tmp_path: Path) -> None:
    dom, console = run_chromium(f"{base_url}/docs", "--dump-dom", profile=tmp_path / "docs")
    assert console == []
    assert "Unable to render" not in dom
    paths = set(re.findall(r'data-path="([^"]+)"', dom))
    assert {
        "/v1/series",
        "/v1/series/{series_id}/observations",
        "/v1/series/{series_id}/chart.svg",
        "/v1/timeline/{milestone_id}/window",
    } <= paths
