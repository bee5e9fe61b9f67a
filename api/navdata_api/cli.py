"""``navdata-api``: run the service with uvicorn.

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
        help="worker processes (default 1; each has its own "
        "rate-limit counters, so the effective limit is workers x NAVDATA_API_RATE_LIMIT)",
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

    import uvicorn  # noqa: PLC0415 - only the server command needs it

    uvicorn.run(
        "navdata_api.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        access_log=False,  # our own JSON access log replaces uvicorn's text one
        server_header=False,
    )
    return 0
