"""Where navdata talks to and where it keeps things, read from the environment at call time.

One place for every knob a user or a test sets from outside, with its default:

- ``NAVDATA_SSB_URL``: SSB PxWebApi v2 base URL (default ``https://data.ssb.no/api/pxwebapi/v2``)
- ``NAVDATA_NAV_URL``: nav.no base URL, statistics pages and files (default ``https://www.nav.no``)
- ``NAVDATA_KLASS_URL``: SSB KLASS base URL (default ``https://data.ssb.no/api/klass/v1``)
- ``NAVDATA_STORE_DIR``: the local store of synced series (default: the user data folder)
- ``NAVDATA_CACHE_DIR``: the HTTP cache of raw upstream answers (default: the user cache folder)
- ``NAVDATA_OFFLINE``: ``1``/``true``/``yes`` never touches the network (default ``0``)

The values are read on every call, never cached at import, so that a test (or a notebook) can
change the environment and the next call follows it.
"""

from __future__ import annotations

import os
from pathlib import Path

from navdata.errors import InvalidArgumentError
from navdata.http import default_cache_dir
from navdata.sources.klass import DEFAULT_BASE_URL as KLASS_BASE_URL
from navdata.sources.nav import NAV_BASE_URL
from navdata.sources.ssb import SSB_BASE_URL
from navdata.store import default_store_dir

__all__ = [
    "ENVIRONMENT",
    "KLASS_BASE_URL",
    "NAV_BASE_URL",
    "SSB_BASE_URL",
    "cache_dir",
    "klass_url",
    "nav_url",
    "offline",
    "ssb_url",
    "store_dir",
]

#: Every environment variable navdata reads, with a one-line meaning (``navdata --help`` shows it).
ENVIRONMENT: dict[str, str] = {
    "NAVDATA_SSB_URL": f"SSB PxWebApi v2 base URL (default {SSB_BASE_URL})",
    "NAVDATA_NAV_URL": f"nav.no base URL (default {NAV_BASE_URL})",
    "NAVDATA_KLASS_URL": f"SSB KLASS base URL (default {KLASS_BASE_URL})",
    "NAVDATA_STORE_DIR": "folder of the local store (default: the user data folder)",
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


def store_dir() -> Path:
    """The store folder: ``NAVDATA_STORE_DIR`` or the platform's user data folder."""
    return default_store_dir()


def cache_dir() -> Path:
    """The HTTP cache folder: ``NAVDATA_CACHE_DIR`` or the platform's user cache folder."""
    return default_cache_dir()


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
