"""The ``navdata`` command: list, describe, get, sync and export series; the cache, store, timeline.

Exit codes (scripts may rely on them):

- 0: success
- 1: some series failed to sync (the others were written), or another navdata error
- 2: usage error (unknown option, bad value, bad period or filter)
- 3: not found (unknown series or milestone)
- 4: data missing offline (not in the store and ``NAVDATA_OFFLINE=1`` / ``--offline``)
- 5: upstream error (SSB or nav.no answered with an error or could not be reached)
- 6: the store cannot be used: a damaged or missing data file (the message names it and the
  repair, ``navdata sync ID``), a store location that is a file or cannot be written, or
  ``navdata store verify`` found a damaged file

Errors are one line on stderr, ``navdata: error: <what was wrong and what to do>``, never a
traceback for a navdata error. Base URLs and folders come from the environment (see
:mod:`navdata.config`).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import click
import msgspec
import polars as pl

from navdata import __version__, config
from navdata._files import write_atomic
from navdata.access import Result, catalog, describe, get
from navdata.datapackage import export_datapackage
from navdata.errors import (
    InvalidArgumentError,
    MissingDataError,
    NavdataError,
    OfflineError,
    PeriodError,
    RegionError,
    SelectionError,
    StoreError,
    StoreLockedError,
    UnknownMilestoneError,
    UnknownSeriesError,
    UpstreamError,
)
from navdata.milestones import timeline
from navdata.store import Store
from navdata.sync import SyncEvent, outcome_summary, sync

__all__ = ["EXIT_CODES", "cli", "exit_code", "main"]

EXIT_CODES: dict[str, int] = {
    "ok": 0,
    "sync_failed": 1,
    "usage": 2,
    "not_found": 3,
    "missing_offline": 4,
    "upstream": 5,
    "store": 6,
}

_EPILOG = (
    "\b\nExit codes: 0 ok; 1 some series failed to sync; 2 usage error; 3 not found (unknown "
    "series or milestone); 4 data missing offline; 5 upstream error; 6 store damaged or "
    "unusable.\n"
    "\b\nEnvironment:\n"
    + "\n".join(f"  {name:<18} {text}" for name, text in config.ENVIRONMENT.items())
)


def exit_code(error: NavdataError) -> int:
    """The documented exit code for a navdata error."""
    if isinstance(error, UnknownSeriesError | UnknownMilestoneError):
        return EXIT_CODES["not_found"]
    if isinstance(error, MissingDataError | OfflineError):
        return EXIT_CODES["missing_offline"]
    if isinstance(error, UpstreamError):
        return EXIT_CODES["upstream"]
    if isinstance(error, StoreError) and not isinstance(error, StoreLockedError):
        return EXIT_CODES["store"]
    if isinstance(error, InvalidArgumentError | SelectionError | PeriodError | RegionError):
        return EXIT_CODES["usage"]
    return EXIT_CODES["sync_failed"]


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"navdata: error: {message}", err=True)
    raise click.exceptions.Exit(code)


class _Navdata(click.Group):
    """A group that turns navdata errors into one line on stderr and a documented exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NavdataError as err:
            _fail(str(err), exit_code(err))
        except ValueError as err:  # catalogue filters raise plain ValueError naming valid values
            _fail(str(err), EXIT_CODES["usage"])


def _store() -> Store:
    return Store()


def _emit_frame(frame: pl.DataFrame, fmt: str, output: Path | None) -> None:
    """Write a frame as csv/json/parquet/table to ``output`` (atomically) or stdout."""
    if fmt == "table":
        with pl.Config(tbl_rows=-1, tbl_cols=-1, fmt_str_lengths=80, tbl_width_chars=200):
            click.echo(str(frame))
        return
    if fmt == "csv":
        data = frame.write_csv().encode("utf-8")
    elif fmt == "json":
        rows = frame.with_columns(pl.col(pl.Date).cast(pl.String)).to_dicts()
        data = msgspec.json.encode(rows) + b"\n"
    else:
        if output is None and sys.stdout.isatty():
            _fail("parquet is binary: write it to a file with -o FILE", EXIT_CODES["usage"])
        import io  # noqa: PLC0415

        buffer = io.BytesIO()
        frame.write_parquet(buffer, compression="zstd")
        data = buffer.getvalue()
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        write_atomic(output, data, fsync=False)
    except OSError as err:  # no such folder, no permission, disk full: say so, no traceback
        _fail(
            f"cannot write {output} ({err.strerror}); check that its folder exists and is writable",
            EXIT_CODES["usage"],
        )


@click.group(cls=_Navdata, epilog=_EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="navdata")
def cli() -> None:
    """Norwegian welfare statistics (SSB, NAV) as tidy tables with provenance."""


@cli.command("list", epilog=_EPILOG)
@click.option("--topic", help="Only this topic (unemployment, disability, ...).")
@click.option("--source", help="Only this source: ssb, nav or bundled.")
@click.option("--frequency", help="Only this frequency: year, quarter or month.")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
    show_default=True,
)  # fmt: skip
def list_command(
    topic: str | None, source: str | None, frequency: str | None, lang: str, fmt: str
) -> None:
    """List the catalogued series."""
    frame = catalog(
        topic=topic, source=source, frequency=frequency, lang="en" if lang == "en" else "nb"
    )
    if fmt == "csv":
        frame = frame.with_columns(pl.col("geography").list.join(" "))
    if fmt == "table":
        frame = frame.select("id", "source", "frequency", "title")
    _emit_frame(frame, fmt, None)


@cli.command("describe", epilog=_EPILOG)
@click.argument("series_id")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def describe_command(series_id: str, lang: str, fmt: str) -> None:
    """Everything about one series: definition, breaks, recipe and, when synced, provenance."""
    info = describe(series_id, store=_store())
    if fmt == "json":
        click.echo(msgspec.json.format(msgspec.json.encode(info), indent=2))
        return
    s = info.series
    unit = s.unit.in_lang(lang)
    lines = [
        f"{s.id}: {s.title.in_lang(lang)}",
        s.description.in_lang(lang),
        f"source: {s.source} {s.table} ({s.publisher}), {s.source_url}",
        f"unit: {unit}; frequency: {s.frequency}; geography: {', '.join(s.geography)}",
        f"licence: {s.licence} ({s.licence_url})",
        *(f"note: {n.in_lang(lang)}" for n in s.notes),
        *(f"break {b.date}: {b.in_lang(lang)}" for b in s.breaks),
    ]
    if info.stored is not None:
        e = info.stored
        lines.append(
            f"stored: {e.rows} rows, retrieved {e.retrieved}, updated at source {e.updated}, "
            f"sha256 {e.content_hash[:12]}, from {e.url}"
        )
    elif s.source != "bundled":
        lines.append(f"stored: no (run `navdata sync {s.id}`)")
    click.echo("\n".join(lines))


def _parse_filters(pairs: Sequence[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for pair in pairs:
        name, sep, code = pair.partition("=")
        if not sep or not name.strip() or not code.strip():
            msg = f"--filter takes dim=code (e.g. sex=2), not {pair!r}"
            raise InvalidArgumentError(msg)
        out.setdefault(name.strip(), []).extend(c.strip() for c in code.split(","))
    return out


@cli.command("get", epilog=_EPILOG)
@click.argument("series_id")
@click.option("--from", "start", help="First period or date (2020, 2020K1, 2020M03, 2020-03-01).")
@click.option("--to", "end", help="Last period or date, inclusive.")
@click.option("--region", multiple=True, help="Region code or level (fylke, kommune); repeatable.")
@click.option("--filter", "filters", multiple=True, help="dim=code[,code] filter; repeatable.")
@click.option("--labels", is_flag=True, help="Add <dim>_label columns.")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True)
@click.option("--harmonise", help="Re-code regions to this structure (e.g. 2024).")
@click.option("--offline", is_flag=True, help="Never fetch; read only the store.")
@click.option("--as-of", "as_of", help="The series as the store held it then: date or version.")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json", "parquet"]), default="csv",
    show_default=True,
)  # fmt: skip
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File.")
def get_command(  # noqa: PLR0917 - one parameter per documented option
    series_id: str,
    start: str | None,
    end: str | None,
    region: tuple[str, ...],
    filters: tuple[str, ...],
    labels: bool,
    lang: str,
    harmonise: str | None,
    offline: bool,
    as_of: str | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Print or write one series as a tidy table (CSV to stdout by default)."""
    dimension_filters: dict[str, Any] = _parse_filters(filters)
    result: Result = get(
        series_id,
        start,
        end,
        region=list(region) or None,
        labels=labels,
        lang="en" if lang == "en" else "nb",
        harmonise=harmonise,
        offline=True if offline else None,
        as_of=as_of,
        **dimension_filters,
    )
    _emit_frame(result.frame, fmt, output)


class _SyncDisplay:
    """A progress bar per series (its SSB requests, or one step for NAV) on stderr."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar: Any = None

    def __call__(self, event: SyncEvent) -> None:
        if self.quiet:
            return
        label = f"[{event.index}/{event.total}] {event.series_id}"
        if event.kind == "start":
            self.bar = click.progressbar(length=max(event.chunks, 1), label=label, file=sys.stderr)
            self.bar.__enter__()
        elif event.kind == "chunk" and self.bar is not None:
            self.bar.update(1)
        else:
            if self.bar is not None:
                self.bar.update(self.bar.length - self.bar.pos)
                self.bar.__exit__(None, None, None)
                self.bar = None
            status = "ok" if event.kind == "done" else "FAILED"
            click.echo(f"{label}: {status} {event.message}", err=True)


@cli.command("sync", epilog=_EPILOG)
@click.argument("ids", nargs=-1)
@click.option("--all", "every", is_flag=True, help="Every fetched series in the catalogue.")
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON on stdout.")
def sync_command(ids: tuple[str, ...], every: bool, quiet: bool, as_json: bool) -> None:
    """Fetch series from SSB and nav.no into the local store (exit 1 if any failed)."""
    report = sync(list(ids) or None, all=every, store=_store(), progress=_SyncDisplay(quiet))
    if as_json:
        click.echo(json.dumps(outcome_summary(report), ensure_ascii=False))
    for failed in report.failed:
        click.echo(f"navdata: error: {failed.series_id}: {failed.error}", err=True)
    if not report.ok:
        raise click.exceptions.Exit(EXIT_CODES["sync_failed"])


@cli.command("export", epilog=_EPILOG)
@click.argument("ids", nargs=-1, required=True)
@click.option("--to", "folder", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet"]), default="csv")
@click.option("--offline", is_flag=True, help="Never fetch; export only what the store holds.")
def export_command(ids: tuple[str, ...], folder: Path, fmt: str, offline: bool) -> None:
    """Write series as a Frictionless Data Package (datapackage.json + data files)."""
    path = export_datapackage(
        list(ids),
        folder,
        format="parquet" if fmt == "parquet" else "csv",
        offline=offline or None,
    )
    click.echo(str(path))


# --- cache and store -----------------------------------------------------------------------------

_CACHE_ENTRY = re.compile(r"^[0-9a-f]{64}$")


def _cache_files(root: Path) -> list[Path]:
    """Files in the HTTP cache layout (``<2 hex>/<sha256>``): nothing else is ever touched."""
    if not root.is_dir():
        return []
    return [
        path
        for folder in root.iterdir()
        if folder.is_dir() and re.fullmatch(r"[0-9a-f]{2}", folder.name)
        for path in folder.iterdir()
        if path.is_file() and _CACHE_ENTRY.match(path.name)
    ]


@cli.group("cache")
def cache_group() -> None:
    """The HTTP cache of raw answers from SSB and nav.no (NAVDATA_CACHE_DIR)."""


@cache_group.command("info")
def cache_info() -> None:
    """Where the cache is, how many answers it holds and their size."""
    root = config.cache_dir()
    files = _cache_files(root)
    size = sum(p.stat().st_size for p in files)
    click.echo(f"cache: {root}\nentries: {len(files)}\nbytes: {size}")


@cache_group.command("clear")
def cache_clear() -> None:
    """Delete every cached answer (the store of synced series is kept)."""
    files = _cache_files(config.cache_dir())
    for path in files:
        path.unlink(missing_ok=True)
    click.echo(f"removed {len(files)} cached answers from {config.cache_dir()}")


@cli.command("timeline", epilog=_EPILOG)
@click.option("--tag", multiple=True, help="Only milestones with this tag; repeatable.")
@click.option("--category", multiple=True, help="Only this category; repeatable.")
@click.option("--from", "start", help="From this date or year.")
@click.option("--to", "end", help="Up to this date or year, inclusive.")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
def timeline_command(  # noqa: PLR0917 - one parameter per documented option
    tag: tuple[str, ...],
    category: tuple[str, ...],
    start: str | None,
    end: str | None,
    lang: str,
    fmt: str,
) -> None:
    """The NAV and trust-reform milestones, oldest first."""
    frame = timeline(start, end, category=list(category) or None, tag=list(tag) or None, lang=lang)
    if fmt == "table":
        frame = frame.select("id", "date", "title")
    elif fmt == "csv":
        frame = frame.with_columns(pl.col(pl.List(pl.String)).list.join(" "))
    _emit_frame(frame, fmt, None)


# The store's commands (versions, revisions, store info/verify/vacuum) live in their own module.
from navdata._cli_store import register  # noqa: E402 - needs the group and helpers above

register(cli)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit code (the console script exits with it)."""
    try:
        result = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="navdata",
            standalone_mode=False,
        )
    except click.ClickException as err:
        err.show()
        return err.exit_code
    except click.Abort:
        click.echo("navdata: error: aborted", err=True)
        return 1
    return result if isinstance(result, int) else 0
