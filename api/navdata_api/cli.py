"""``navdata-api``: run the service with uvicorn, with its socket, limits and timeouts.

Options are passed to the app through the same environment variables an operator would set (see
:mod:`navdata_api.settings`), so every uvicorn worker process builds an identical app.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from navdata.errors import StoreError
from navdata.store import Store
from navdata_api.settings import Settings, SettingsError

APP_FACTORY = "navdata_api.app:create_app"


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface (kept separate so tests can check it without a server)."""
    parser = argparse.ArgumentParser(
        prog="navdata-api",
        description="Serve navdata's local store as a versioned JSON API (docs at /docs).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="TCP port (default 8000)")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes (default 1); they share rate limits and cached bodies only "
        "through NAVDATA_API_REDIS_URL, else each counts its own",
    )
    parser.add_argument(
        "--store",
        default=None,
        help="store folder or s3://bucket/prefix (default: $NAVDATA_STORE_DIR)",
    )
    parser.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"]
    )
    parser.add_argument(
        "--no-access-log", action="store_true", help="do not write JSON access-log lines"
    )
    parser.add_argument(
        "--app",
        default=APP_FACTORY,
        help=f"import string of the app factory (default {APP_FACTORY}; benchmarks add a route)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse options, validate the settings, then hand over to uvicorn."""
    args = build_parser().parse_args(argv)
    if args.workers < 1:
        print("navdata-api: --workers must be at least 1", file=sys.stderr)  # noqa: T201
        return 2
    if args.store is not None:
        where = args.store if "://" in args.store else str(Path(args.store).expanduser().resolve())
        os.environ["NAVDATA_STORE_DIR"] = where
    if args.no_access_log:
        os.environ["NAVDATA_API_ACCESS_LOG"] = "0"
    try:
        settings = Settings.from_env()
        Store(settings.store_dir).check()  # a store it cannot read: say why, do not start
    except (SettingsError, StoreError) as exc:
        print(f"navdata-api: {exc}", file=sys.stderr)  # noqa: T201
        return 2

    serve(
        settings,
        app=args.app,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
    )
    return 0


def serve(
    settings: Settings, *, app: str, host: str, port: int, workers: int, log_level: str
) -> None:
    """Run uvicorn with the service's socket, limits and timeouts (see :mod:`.serving`)."""
    import uvicorn  # noqa: PLC0415 - only the server command needs it

    from navdata_api import serving  # noqa: PLC0415 - imports uvicorn's protocols

    serving.raise_fd_limit(settings.max_connections)
    sock = serving.listening_socket(host, port)
    uvicorn.run(
        app,
        factory=True,
        fd=sock.fileno(),
        workers=workers,
        http=serving.GuardedHttpProtocol,
        log_level=log_level,
        access_log=False,  # our own JSON access log replaces uvicorn's text one
        server_header=False,
        proxy_headers=False,  # NAVDATA_API_TRUSTED_PROXIES decides whom to believe
        limit_concurrency=serving.connection_cap(settings.max_connections),
        timeout_keep_alive=settings.keep_alive,
        timeout_graceful_shutdown=settings.shutdown_timeout,
    )
