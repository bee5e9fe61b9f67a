"""The ``navdata`` commands about the store and its history.

``versions ID`` and ``revisions ID`` read a series' vintages; ``store info``, ``store verify``
and ``store vacuum`` look after the store itself. Registered on the main group by
:mod:`navdata.cli` (whose output helpers and exit codes they share). polars and the store are
imported when a command runs, so that ``navdata --help`` stays quick.
"""

from __future__ import annotations

import re
from datetime import timedelta

import click

__all__ = ["parse_age", "register"]

_AGE = re.compile(r"^(\d{1,5})([hdw])$")
_HOURS = {"h": 1, "d": 24, "w": 24 * 7}


def parse_age(text: str) -> timedelta:
    """``365d``, ``52w`` or ``12h`` as a time span (click's parameter error otherwise)."""
    found = _AGE.match(text.strip().lower())
    if not found:
        msg = f"--older-than takes a number and a unit, e.g. 365d, 52w or 12h; not {text!r}"
        raise click.BadParameter(msg)
    return timedelta(hours=int(found.group(1)) * _HOURS[found.group(2)])


def register(cli: click.Group) -> None:
    """Add the store's commands to the ``navdata`` group."""
    from navdata.cli import _EPILOG, EXIT_CODES, _emit_frame  # noqa: PLC0415 - no import cycle

    formats = click.Choice(["table", "csv", "json"])

    @cli.command("versions", epilog=_EPILOG)
    @click.argument("series_id")
    @click.option("--format", "fmt", type=formats, default="table", show_default=True)
    def versions_command(series_id: str, fmt: str) -> None:
        """Every version of a series the store kept (pass one to `get --as-of`)."""
        import polars as pl  # noqa: PLC0415 - see the module docstring

        from navdata.vintages import versions  # noqa: PLC0415

        frame = versions(series_id)
        if fmt != "json":
            frame = frame.with_columns(pl.col("content_hash").str.slice(0, 12))
        _emit_frame(frame, fmt, None)

    @cli.command("revisions", epilog=_EPILOG)
    @click.argument("series_id")
    @click.option("--old", help="Earlier version: number or date (default: the one before --new).")
    @click.option("--new", help="Later version: number or date (default: the current one).")
    @click.option("--format", "fmt", type=formats, default="table", show_default=True)
    def revisions_command(series_id: str, old: str | None, new: str | None, fmt: str) -> None:
        """The cells that changed between two versions (default: the last two)."""
        from navdata.vintages import revisions  # noqa: PLC0415

        _emit_frame(revisions(series_id, old, new), fmt, None)

    @cli.group("store")
    def store_group() -> None:
        """The store of synced series (NAVDATA_STORE_DIR: a folder or s3://bucket/prefix)."""

    @store_group.command("info")
    @click.option("--format", "fmt", type=formats, default="table")
    def store_info(fmt: str) -> None:
        """Every stored series: current version, rows, times, content hash, last check."""
        from navdata._cli_output import store_frame  # noqa: PLC0415
        from navdata.store import Store  # noqa: PLC0415

        store = Store()
        entries = store.entries()
        frame = store_frame(entries, {i: store.checked(i) for i in entries})
        if fmt == "table":
            click.echo(f"store: {store.location} ({len(entries)} series)")
        _emit_frame(frame, fmt, None)

    @store_group.command("verify")
    def store_verify() -> None:
        """Check every version's data file against its recorded SHA-256 (exit 6 if damaged)."""
        from navdata.store import Store  # noqa: PLC0415

        store = Store()
        checks = store.verify_files()
        bad = [c for c in checks if not c.ok]
        for check in bad:
            click.echo(
                f"navdata: error: {check.series_id} version {check.version}: {check.file}: "
                f"{check.problem}; run `navdata sync {check.series_id}` for a fresh version",
                err=True,
            )
        click.echo(
            f"store: {store.location}: {len(checks)} files checked, {len(bad)} damaged or missing"
        )
        if bad:
            raise click.exceptions.Exit(EXIT_CODES["store"])

    @store_group.command("vacuum")
    @click.option(
        "--older-than", "older_than", required=True, help="e.g. 365d: versions replaced before."
    )
    @click.option("--dry-run", is_flag=True, help="Only list what would be removed.")
    def store_vacuum(older_than: str, dry_run: bool) -> None:
        """Remove data files of versions replaced longer ago than --older-than (Delta vacuum)."""
        from navdata.store import Store  # noqa: PLC0415

        age = parse_age(older_than)
        store = Store()
        removed = store.vacuum(age, dry_run=dry_run)
        verb = "would remove" if dry_run else "removed"
        for item in removed:
            held = f"version {item.version}" if item.version is not None else "no version"
            click.echo(f"{verb} {item.series_id}/{item.file} ({held})")
        after = (
            "nothing was removed (--dry-run)"
            if dry_run
            else "those versions stay listed but can no longer be read"
        )
        click.echo(
            f"store: {store.location}: {verb} {len(removed)} files of versions replaced more "
            f"than {older_than} ago; {after}"
        )
