"""Where navdata talks to and where it keeps things, read from the environment at call time.

One place for every knob a user or a test sets from outside, with its default:

- ``NAVDATA_SSB_URL``: SSB PxWebApi v2 base URL (default ``https://data.ssb.no/api/pxwebapi/v2``)
- ``NAVDATA_NAV_URL``: nav.no base URL, statistics pages and files (default ``https://www.nav.no``)
- ``NAVDATA_KLASS_URL``: SSB KLASS base URL (default ``https://data.ssb.no/api/klass/v1``)
- ``NAVDATA_STORE_DIR``: the store of synced series, a folder or ``s3://bucket/prefix`` (default:
  the user data folder); an object store takes its credentials and endpoint from the usual
  ``AWS_*`` variables (:func:`object_store_settings`)
- ``NAVDATA_CACHE_DIR``: the HTTP cache of raw upstream answers (default: the user cache folder)
- ``NAVDATA_OFFLINE``: ``1``/``true``/``yes`` never touches the network (default ``0``)

The values are read on every call, never cached at import, so that a test (or a notebook) can
change the environment and the next call follows it.

This module is read by the rest of navdata and imports none of it (errors aside): the store,
the HTTP client and the sources ask it for their defaults, not the other way round.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal, NamedTuple

from navdata.errors import InvalidArgumentError

__all__ = [
    "ENVIRONMENT",
    "KLASS_BASE_URL",
    "NAV_BASE_URL",
    "SSB_BASE_URL",
    "ObjectStoreSettings",
    "cache_dir",
    "chosen_store_location",
    "klass_url",
    "nav_url",
    "object_store_settings",
    "offline",
    "ssb_url",
    "store_dir",
    "store_location",
]

#: SSB's PxWebApi v2, the statistics bank's query API.
SSB_BASE_URL: Final = "https://data.ssb.no/api/pxwebapi/v2"
#: nav.no, whose statistics pages link the current workbooks.
NAV_BASE_URL: Final = "https://www.nav.no"
#: SSB's classification API (region codes and their changes).
KLASS_BASE_URL: Final = "https://data.ssb.no/api/klass/v1"

#: Every environment variable navdata reads, with a one-line meaning (``navdata --help`` shows it).
ENVIRONMENT: dict[str, str] = {
    "NAVDATA_SSB_URL": f"SSB PxWebApi v2 base URL (default {SSB_BASE_URL})",
    "NAVDATA_NAV_URL": f"nav.no base URL (default {NAV_BASE_URL})",
    "NAVDATA_KLASS_URL": f"SSB KLASS base URL (default {KLASS_BASE_URL})",
    "NAVDATA_STORE_DIR": "store folder or s3://bucket/prefix (default: the user data folder)",
    "NAVDATA_CACHE_DIR": "folder of the HTTP cache (default: the user cache folder)",
    "NAVDATA_OFFLINE": "1 to never touch the network (default 0)",
}

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"", "0", "false", "no", "off"})


def _url(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return (value or default).rstrip("/")


def ssb_url() -> str:
    """SSB PxWebApi v2 base URL: ``NAVDATA_SSB_URL`` or SSB's public address."""
    return _url("NAVDATA_SSB_URL", SSB_BASE_URL)


def nav_url() -> str:
    """nav.no base URL: ``NAVDATA_NAV_URL`` or ``https://www.nav.no``."""
    return _url("NAVDATA_NAV_URL", NAV_BASE_URL)


def klass_url() -> str:
    """KLASS base URL: ``NAVDATA_KLASS_URL`` or SSB's public address."""
    return _url("NAVDATA_KLASS_URL", KLASS_BASE_URL)


# --- folders -------------------------------------------------------------------------------------


class _Places(NamedTuple):
    """Where one kind of user folder goes: the override, then each platform's place."""

    override: str  # navdata's own environment variable, which wins when set
    xdg: str  # Linux and other Unix: the XDG variable, else ``unix`` below home
    unix: tuple[str, ...]
    macos: tuple[str, ...]  # below home
    windows: tuple[str, ...]  # below %LOCALAPPDATA%


_USER_DIRS: Final = {
    "cache": _Places(
        override="NAVDATA_CACHE_DIR",
        xdg="XDG_CACHE_HOME",
        unix=(".cache", "navdata"),
        macos=("Library", "Caches", "navdata"),
        windows=("navdata", "Cache"),
    ),
    "data": _Places(
        override="NAVDATA_STORE_DIR",
        xdg="XDG_DATA_HOME",
        unix=(".local", "share", "navdata"),
        macos=("Library", "Application Support", "navdata"),
        windows=("navdata",),
    ),
}


def _chosen(kind: Literal["cache", "data"], environ: Mapping[str, str] | None) -> Path | None:
    explicit = (os.environ if environ is None else environ).get(_USER_DIRS[kind].override)
    return Path(explicit).expanduser() if explicit else None


def _user_dir(kind: Literal["cache", "data"], environ: Mapping[str, str] | None) -> Path:
    chosen = _chosen(kind, environ)
    if chosen is not None:
        return chosen
    env = os.environ if environ is None else environ
    places = _USER_DIRS[kind]
    home = Path.home()
    if sys.platform == "win32":
        local = env.get("LOCALAPPDATA")
        return (Path(local) if local else home / "AppData" / "Local").joinpath(*places.windows)
    if sys.platform == "darwin":
        return home.joinpath(*places.macos)
    xdg = env.get(places.xdg)
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "navdata"
    return home.joinpath(*places.unix)


def store_dir(environ: Mapping[str, str] | None = None) -> Path:
    r"""The store folder: ``NAVDATA_STORE_DIR``, else the platform's user data folder.

    Linux and other Unix: ``$XDG_DATA_HOME/navdata`` or ``~/.local/share/navdata``; macOS:
    ``~/Library/Application Support/navdata``; Windows: ``%LOCALAPPDATA%\navdata``. A relative
    XDG variable is ignored, as the XDG spec asks. ``environ`` defaults to ``os.environ``.

    Raises
    ------
    InvalidArgumentError
        ``NAVDATA_STORE_DIR`` is an ``s3://`` URL, which is no folder: :func:`store_location`
        gives either.
    """
    chosen = chosen_store_location(environ)
    if isinstance(chosen, str):
        msg = (
            f"NAVDATA_STORE_DIR={chosen!r} is an S3 location, not a folder; "
            "navdata.config.store_location() gives the store's location of either kind"
        )
        raise InvalidArgumentError(msg)
    return _user_dir("data", environ)


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    r"""The HTTP cache folder: ``NAVDATA_CACHE_DIR``, else the platform's user cache folder.

    Linux and other Unix: ``$XDG_CACHE_HOME/navdata`` or ``~/.cache/navdata``; macOS:
    ``~/Library/Caches/navdata``; Windows: ``%LOCALAPPDATA%\navdata\Cache``.
    """
    return _user_dir("cache", environ)


#: The URL schemes a store location may have; anything else with ``://`` is refused.
STORE_URL_SCHEMES: Final = ("s3",)


def _as_location(text: str) -> str | Path:
    """An object-store URL as text, anything else as a folder path."""
    scheme, sep, _ = text.partition("://")
    if sep and scheme.isalnum():
        if scheme.lower() not in STORE_URL_SCHEMES:
            msg = (
                f"NAVDATA_STORE_DIR={text!r}: navdata keeps its store in a folder or on S3 "
                f"(s3://bucket/prefix), not on {scheme}://"
            )
            raise InvalidArgumentError(msg)
        return text.rstrip("/")
    return Path(text).expanduser()


def chosen_store_location(environ: Mapping[str, str] | None = None) -> str | Path | None:
    """``NAVDATA_STORE_DIR`` as a folder or an ``s3://`` URL, or ``None`` when it is unset.

    For a caller that keeps "the default" as a value of its own (the service's settings);
    everyone else wants :func:`store_location`.
    """
    explicit = (os.environ if environ is None else environ).get("NAVDATA_STORE_DIR")
    return _as_location(explicit) if explicit else None


def store_location(environ: Mapping[str, str] | None = None) -> str | Path:
    """Where the store is: ``NAVDATA_STORE_DIR`` (a folder or ``s3://...``), else the default.

    The default is the platform's user data folder (:func:`store_dir`).
    """
    chosen = chosen_store_location(environ)
    return chosen if chosen is not None else _user_dir("data", environ)  # store_dir's default


@dataclass(frozen=True, kw_only=True)
class ObjectStoreSettings:
    """How to reach an S3 store, from the variables the AWS tools read.

    A dataclass, not a msgspec Struct: ``navdata --help`` imports this module and must not pay
    for msgspec (``tests/test_lazy_imports.py``).
    """

    access_key_id: str | None = None
    secret_access_key: str | None = None
    session_token: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    allow_http: bool = False


def object_store_settings(environ: Mapping[str, str] | None = None) -> ObjectStoreSettings:
    """Credentials, region and endpoint of an S3 store, from the usual ``AWS_*`` variables.

    ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_SESSION_TOKEN``, ``AWS_REGION`` (or
    ``AWS_DEFAULT_REGION``), ``AWS_ENDPOINT_URL`` (an S3-compatible server) and
    ``AWS_ALLOW_HTTP`` (``true`` for a plain-HTTP endpoint, e.g. a test server).
    """
    env = os.environ if environ is None else environ

    def value(*names: str) -> str | None:
        for name in names:
            found = env.get(name, "").strip()
            if found:
                return found
        return None

    allow = (value("AWS_ALLOW_HTTP") or "").lower()
    if allow not in _TRUE | _FALSE:
        msg = f"AWS_ALLOW_HTTP={allow!r} is not understood; use true or false"
        raise InvalidArgumentError(msg)
    return ObjectStoreSettings(
        access_key_id=value("AWS_ACCESS_KEY_ID"),
        secret_access_key=value("AWS_SECRET_ACCESS_KEY"),
        session_token=value("AWS_SESSION_TOKEN"),
        region=value("AWS_REGION", "AWS_DEFAULT_REGION"),
        endpoint_url=value("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"),
        allow_http=allow in _TRUE,
    )


# --- network -------------------------------------------------------------------------------------


def offline() -> bool:
    """Whether ``NAVDATA_OFFLINE`` asks for no network at all.

    An unreadable value is an error rather than a guess: ``NAVDATA_OFFLINE=maybe`` must not
    silently go online.
    """
    raw = os.environ.get("NAVDATA_OFFLINE", "").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    msg = f"NAVDATA_OFFLINE={raw!r} is not understood; use 1 (offline) or 0 (online)"
    raise InvalidArgumentError(msg)
