"""Service configuration, read once from environment variables with documented defaults.

Every knob an operator may need is an environment variable, so the same image runs on a laptop
and behind a proxy without code changes. Invalid values fail at start-up with a message naming
the variable, never silently fall back.

=============================  =========  ======================================================
variable                       default    meaning
=============================  =========  ======================================================
NAVDATA_STORE_DIR              (library)  the store the service reads: a folder or s3://bucket/prefix
NAVDATA_API_STORE_POLL         (auto)     seconds a found version is trusted before the store is
                                          asked again: 0 for a folder (a stat per request), 2
                                          for object storage (a HEAD at most every 2 s)
NAVDATA_API_RATE_LIMIT         600        requests per client address per window; 0 turns it off
NAVDATA_API_RATE_WINDOW        minute     window of the rate limit: second, minute, hour or day
NAVDATA_API_DEFAULT_PAGE       1000       rows per page when ``limit`` is not given
NAVDATA_API_MAX_PAGE           10000      largest ``limit`` accepted (larger -> 400); at most 10000
NAVDATA_API_MAX_ROWS           1000000    most rows one request may select before paging (-> 413)
NAVDATA_API_CORS_ORIGINS       *          comma-separated origins allowed by CORS
NAVDATA_API_GZIP_MIN_BYTES     1024       bodies at least this large are gzip-compressed
NAVDATA_API_CACHE_MB           64         memory for encoded observation bodies (0: no cache)
NAVDATA_API_ACCESS_LOG         1          1: one JSON line per request on logger navdata_api.access
NAVDATA_API_DOCS               1          1: serve the OpenAPI schema and the /docs page
NAVDATA_API_DOCS_JS_URL        (bundled)  Swagger UI's script from elsewhere (default: local)
NAVDATA_API_DOCS_CSS_URL       (bundled)  Swagger UI's stylesheet from elsewhere (default: local)
NAVDATA_API_DEBUG              0          1: Litestar debug mode (tracebacks in logs, never bodies)
NAVDATA_API_REDIS_URL          (none)     redis://host:6379/0 shares rate limits and cached bodies
                                          among all workers and instances (unset: per process)
NAVDATA_API_TRUSTED_PROXIES    (none)     comma-separated proxy addresses or networks whose
                                          X-Forwarded-For names the client (unset: trust none)
NAVDATA_API_MAX_CONNECTIONS    4096       open connections per worker; more are closed at once
                                          and requests at the cap are answered 503
NAVDATA_API_HEADER_TIMEOUT     10         seconds a connection has to send a request's headers
NAVDATA_API_KEEP_ALIVE         5          seconds an idle keep-alive connection is kept open
NAVDATA_API_SHUTDOWN_TIMEOUT   25         seconds requests in flight get to finish on SIGTERM
                                          (keep it below the orchestrator's grace period)
=============================  =========  ======================================================
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Final, Literal, cast, get_args

import msgspec

from navdata import config

RateWindow = Literal["second", "minute", "hour", "day"]
_WINDOWS: Final[tuple[str, ...]] = get_args(RateWindow)
_TRUE: Final = {"1", "true", "yes", "on"}
_FALSE: Final = {"0", "false", "no", "off", ""}
#: The largest page any configuration may allow (the OpenAPI document's ``limit`` maximum).
MAX_PAGE_LIMIT: Final = 10_000
_REDIS_SCHEMES: Final = ("redis://", "rediss://", "unix://")


class SettingsError(ValueError):
    """An environment variable holds a value the service cannot use."""


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """Everything the service can be configured with; see the module docstring for the table."""

    store_dir: str | Path | None = None
    store_poll: float | None = None
    rate_limit: int = 600
    rate_window: RateWindow = "minute"
    default_page: int = 1000
    max_page: int = 10_000
    max_rows: int = 1_000_000
    cors_origins: tuple[str, ...] = ("*",)
    gzip_min_bytes: int = 1024
    cache_mb: int = 64
    access_log: bool = True
    docs: bool = True
    docs_js_url: str | None = None
    docs_css_url: str | None = None
    debug: bool = False
    redis_url: str | None = None
    trusted_proxies: tuple[str, ...] = ()
    max_connections: int = 4096
    header_timeout: int = 10
    keep_alive: int = 5
    shutdown_timeout: int = 25

    @property
    def body_cache_bytes(self) -> int:
        """Three quarters of ``NAVDATA_API_CACHE_MB``: encoded bodies by ETag."""
        return (self.cache_mb << 20) - self.response_cache_bytes

    @property
    def response_cache_bytes(self) -> int:
        """A quarter of ``NAVDATA_API_CACHE_MB``: whole responses kept in front of the app."""
        return self.cache_mb << 18

    def __post_init__(self) -> None:
        """Reject combinations that would make the limits meaningless."""
        if self.rate_limit < 0:
            raise SettingsError("NAVDATA_API_RATE_LIMIT must be >= 0 (0 turns the limit off)")
        if not 1 <= self.default_page <= self.max_page:
            msg = (
                f"NAVDATA_API_DEFAULT_PAGE ({self.default_page}) must be between 1 and "
                f"NAVDATA_API_MAX_PAGE ({self.max_page})"
            )
            raise SettingsError(msg)
        if self.max_page > MAX_PAGE_LIMIT:
            msg = f"NAVDATA_API_MAX_PAGE ({self.max_page}) may be at most {MAX_PAGE_LIMIT}"
            raise SettingsError(msg)
        if self.max_rows < self.max_page:
            msg = (
                f"NAVDATA_API_MAX_ROWS ({self.max_rows}) must be at least "
                f"NAVDATA_API_MAX_PAGE ({self.max_page})"
            )
            raise SettingsError(msg)
        for name, value in (
            ("NAVDATA_API_MAX_CONNECTIONS", self.max_connections),
            ("NAVDATA_API_HEADER_TIMEOUT", self.header_timeout),
            ("NAVDATA_API_KEEP_ALIVE", self.keep_alive),
        ):
            if value < 1:
                raise SettingsError(f"{name} must be at least 1")
        if self.redis_url is not None and not self.redis_url.startswith(_REDIS_SCHEMES):
            msg = (
                f"NAVDATA_API_REDIS_URL must start with {' or '.join(_REDIS_SCHEMES)} "
                "(e.g. redis://redis:6379/0); unset it to keep limits per process"
            )
            raise SettingsError(msg)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read the settings from ``environ`` (default: ``os.environ``)."""
        env = os.environ if environ is None else environ
        window = env.get("NAVDATA_API_RATE_WINDOW", "minute").strip().lower()
        if window not in _WINDOWS:
            msg = f"NAVDATA_API_RATE_WINDOW={window!r} is not one of {', '.join(_WINDOWS)}"
            raise SettingsError(msg)
        try:
            store_dir = config.chosen_store_location(env)
        except ValueError as err:  # an unsupported URL scheme
            raise SettingsError(str(err)) from None
        origins = tuple(
            o.strip() for o in env.get("NAVDATA_API_CORS_ORIGINS", "*").split(",") if o.strip()
        )
        return cls(
            store_dir=store_dir,
            store_poll=_seconds(env, "NAVDATA_API_STORE_POLL"),
            rate_limit=_int(env, "NAVDATA_API_RATE_LIMIT", 600),
            rate_window=cast("RateWindow", window),
            default_page=_int(env, "NAVDATA_API_DEFAULT_PAGE", 1000),
            max_page=_int(env, "NAVDATA_API_MAX_PAGE", 10_000),
            max_rows=_int(env, "NAVDATA_API_MAX_ROWS", 1_000_000),
            cors_origins=origins or ("*",),
            gzip_min_bytes=_int(env, "NAVDATA_API_GZIP_MIN_BYTES", 1024),
            cache_mb=_int(env, "NAVDATA_API_CACHE_MB", 64),
            access_log=_bool(env, "NAVDATA_API_ACCESS_LOG", default=True),
            docs=_bool(env, "NAVDATA_API_DOCS", default=True),
            docs_js_url=env.get("NAVDATA_API_DOCS_JS_URL") or None,
            docs_css_url=env.get("NAVDATA_API_DOCS_CSS_URL") or None,
            debug=_bool(env, "NAVDATA_API_DEBUG", default=False),
            redis_url=env.get("NAVDATA_API_REDIS_URL", "").strip() or None,
            trusted_proxies=_proxies(env.get("NAVDATA_API_TRUSTED_PROXIES", "")),
            max_connections=_int(env, "NAVDATA_API_MAX_CONNECTIONS", 4096),
            header_timeout=_int(env, "NAVDATA_API_HEADER_TIMEOUT", 10),
            keep_alive=_int(env, "NAVDATA_API_KEEP_ALIVE", 5),
            shutdown_timeout=_int(env, "NAVDATA_API_SHUTDOWN_TIMEOUT", 25),
        )


def _proxies(raw: str) -> tuple[str, ...]:
    """Trusted proxy addresses or networks, each checked (a typo must not trust the world)."""
    found = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            msg = (
                f"NAVDATA_API_TRUSTED_PROXIES: {item!r} is not an IP address or network "
                "(e.g. 10.0.0.5 or 10.0.0.0/8)"
            )
            raise SettingsError(msg) from None
        found.append(item)
    return tuple(found)


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip().replace("_", ""))
    except ValueError:
        msg = f"{name}={raw!r} is not a whole number; unset it to use the default {default}"
        raise SettingsError(msg) from None
    if value < 0:
        msg = f"{name}={raw!r} must not be negative"
        raise SettingsError(msg)
    return value


def _seconds(env: Mapping[str, str], name: str) -> float | None:
    raw = env.get(name)
    if raw is None or not raw.strip():
        return None
    try:
        value = float(raw.strip())
    except ValueError:
        msg = f"{name}={raw!r} is not a number of seconds; unset it for the default"
        raise SettingsError(msg) from None
    if not 0 <= value <= 3600:
        msg = f"{name}={raw!r} must be between 0 and 3600 seconds"
        raise SettingsError(msg)
    return value


def _bool(env: Mapping[str, str], name: str, *, default: bool) -> bool:
    raw = env.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    msg = f"{name}={raw!r} is not a yes/no value; use 1 or 0"
    raise SettingsError(msg)
