"""The service's settings: documented defaults, every variable read, bad values named."""

from __future__ import annotations

from pathlib import Path

import pytest

from navdata_api.local_data import LocalData
from navdata_api.settings import Settings, SettingsError


def test_settings_defaults_are_the_documented_ones() -> None:
    settings = Settings.from_env({})
    assert settings.rate_limit == 600
    assert settings.rate_window == "minute"
    assert settings.default_page == 1000
    assert settings.max_page == 10_000
    assert settings.max_rows == 1_000_000
    assert settings.cors_origins == ("*",)
    assert settings.store_dir is None
    assert settings.access_log is True


def test_settings_read_every_variable(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "NAVDATA_STORE_DIR": str(tmp_path),
            "NAVDATA_API_RATE_LIMIT": "5",
            "NAVDATA_API_RATE_WINDOW": "Second",
            "NAVDATA_API_MAX_PAGE": "50",
            "NAVDATA_API_DEFAULT_PAGE": "10",
            "NAVDATA_API_MAX_ROWS": "1_000",
            "NAVDATA_API_CORS_ORIGINS": "https://a.no, https://b.no",
            "NAVDATA_API_ACCESS_LOG": "off",
        }
    )
    assert settings.store_dir == tmp_path
    assert (settings.rate_limit, settings.rate_window) == (5, "second")
    assert (settings.default_page, settings.max_page, settings.max_rows) == (10, 50, 1000)
    assert settings.cors_origins == ("https://a.no", "https://b.no")
    assert settings.access_log is False


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"NAVDATA_API_RATE_LIMIT": "many"}, "NAVDATA_API_RATE_LIMIT='many' is not a whole number"),
        ({"NAVDATA_API_RATE_WINDOW": "week"}, "NAVDATA_API_RATE_WINDOW='week' is not one of"),
        ({"NAVDATA_API_ACCESS_LOG": "maybe"}, "NAVDATA_API_ACCESS_LOG='maybe' is not a yes/no"),
        ({"NAVDATA_API_MAX_PAGE": "10"}, "NAVDATA_API_DEFAULT_PAGE (1000) must be between 1"),
        ({"NAVDATA_API_MAX_PAGE": "-1"}, "must not be negative"),
        ({"NAVDATA_API_STORE_POLL": "soon"}, "NAVDATA_API_STORE_POLL='soon' is not a number"),
        ({"NAVDATA_API_STORE_POLL": "-1"}, "must be between 0 and 3600 seconds"),
        ({"NAVDATA_STORE_DIR": "gs://bucket/x"}, "not on gs://"),
    ],
)
def test_settings_reject_bad_values_naming_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Settings.from_env(env)


def test_the_store_may_be_on_s3_and_its_poll_interval_is_a_setting() -> None:
    settings = Settings.from_env(
        {"NAVDATA_STORE_DIR": "s3://bucket/navdata/", "NAVDATA_API_STORE_POLL": "0.5"}
    )
    assert (settings.store_dir, settings.store_poll) == ("s3://bucket/navdata", 0.5)
    assert Settings.from_env({}).store_poll is None  # auto: 0 on a folder, 2 s on S3


def test_a_folder_store_is_checked_on_every_request(tmp_path: Path) -> None:
    assert LocalData(Settings(store_dir=tmp_path)).poll == 0.0
    assert LocalData(Settings(store_dir=tmp_path, store_poll=3.0)).poll == 3.0
