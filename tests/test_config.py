"""navdata.config: the one place that reads the environment and owns the defaults."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from navdata import config
from navdata.errors import InvalidArgumentError
from navdata.http import HttpClient
from navdata.sources.klass import DEFAULT_BASE_URL
from navdata.sources.nav import NAV_BASE_URL
from navdata.sources.ssb import SSB_BASE_URL
from navdata.store import Store


def test_store_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NAVDATA_STORE_DIR", str(tmp_path / "explicit"))
    assert config.store_dir() == tmp_path / "explicit"
    assert Store().path == tmp_path / "explicit"
    monkeypatch.delenv("NAVDATA_STORE_DIR")
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert config.store_dir() == tmp_path / "xdg" / "navdata"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")
    assert config.store_dir() == Path.home() / ".local" / "share" / "navdata"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert config.store_dir() == Path.home() / "Library" / "Application Support" / "navdata"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    assert config.store_dir() == tmp_path / "local" / "navdata"


def test_store_dir_refuses_an_s3_location_it_could_only_mangle(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NAVDATA_STORE_DIR", "s3://statistics/navdata")
    assert config.store_location() == "s3://statistics/navdata"
    with pytest.raises(
        InvalidArgumentError, match=r"is an S3 location, not a folder; .*store_location\(\)"
    ):
        config.store_dir()  # was Path("s3:/statistics/navdata"): one slash lost, a folder


def test_cache_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NAVDATA_CACHE_DIR", str(tmp_path / "nd"))
    assert config.cache_dir() == tmp_path / "nd"
    monkeypatch.delenv("NAVDATA_CACHE_DIR")
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert config.cache_dir() == tmp_path / "xdg" / "navdata"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert config.cache_dir() == tmp_path / ".cache" / "navdata"
    monkeypatch.setattr("sys.platform", "darwin")
    assert config.cache_dir() == tmp_path / "Library" / "Caches" / "navdata"
    monkeypatch.setattr("sys.platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    assert config.cache_dir() == tmp_path / "Local" / "navdata" / "Cache"


def test_the_http_client_caches_where_config_says(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NAVDATA_CACHE_DIR", str(tmp_path / "answers"))
    with HttpClient(rate=None) as http:
        assert http.cache is not None
        assert http.cache.root == tmp_path / "answers"


def test_a_given_environment_is_read_instead_of_the_process_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The service reads its settings from a mapping; the store folder follows the same rule."""
    monkeypatch.setenv("NAVDATA_STORE_DIR", str(tmp_path / "process"))
    assert config.chosen_store_location() == tmp_path / "process"
    assert config.chosen_store_location({}) is None
    assert config.chosen_store_location({"NAVDATA_STORE_DIR": ""}) is None
    assert config.chosen_store_location({"NAVDATA_STORE_DIR": "~/s"}) == Path.home() / "s"
    assert config.chosen_store_location({"NAVDATA_STORE_DIR": "s3://b/p/"}) == "s3://b/p"
    assert config.store_dir({"NAVDATA_STORE_DIR": str(tmp_path / "given")}) == tmp_path / "given"
    monkeypatch.setattr(sys, "platform", "linux")
    given = {"XDG_DATA_HOME": str(tmp_path / "xdg")}
    assert config.store_dir(given) == tmp_path / "xdg" / "navdata"


def test_the_sources_take_their_default_addresses_from_config() -> None:
    assert (SSB_BASE_URL, NAV_BASE_URL, DEFAULT_BASE_URL) == (
        "https://data.ssb.no/api/pxwebapi/v2",
        "https://www.nav.no",
        "https://data.ssb.no/api/klass/v1",
    )
    assert SSB_BASE_URL is config.SSB_BASE_URL
    assert NAV_BASE_URL is config.NAV_BASE_URL
    assert DEFAULT_BASE_URL is config.KLASS_BASE_URL
