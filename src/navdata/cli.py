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

Each command imports what it uses when it runs (polars, the store, httpx for a sync), so that
``navdata --help`` answers before polars could have loaded and ``navdata list`` never imports
the HTTP client; ``tests/test_lazy_imports.py`` keeps it so.
"""

from __future__ import annotations

import json
import re
import sys
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

import click

from navdata import config
from navdata._surface import command_line
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
    UpstreamUnreachableError,
)

if TYPE_CHECKING:
    import polars as pl

    from navdata.store import Store
    from navdata.sync import SyncEvent

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


def _show_warning(  # noqa: PLR0917 - the signature warnings.showwarning calls
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    click.echo(f"navdata: warning: {message}", err=True)


@contextmanager
def _command_line_voice() -> Iterator[None]:
    """Messages in the command line's words, and warnings as one ``navdata: warning:`` line."""
    with command_line(), warnings.catch_warnings():
        warnings.showwarning = _show_warning
        yield


class _Navdata(click.Group):
    """A group that turns navdata errors into one line on stderr and a documented exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        with _command_line_voice():
            try:
                return super().invoke(ctx)
            except NavdataError as err:
                _fail(str(err), exit_code(err))
            except ValueError as err:  # catalogue filters raise plain ValueError naming values
                _fail(str(err), EXIT_CODES["usage"])


def _store() -> Store:
    from navdata.store import Store  # noqa: PLC0415 - commands import what they use

    return Store()


#: The formats ``get -o FILE`` writes, by the file's extension (anything else is refused).
_OUTPUT_FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".parquet": "parquet",
    ".json": "json",
    ".ndjson": "ndjson",
}


def _output_format(fmt: str | None, output: Path | None) -> str:
    """The format to write: a file's extension decides, and ``--format`` must agree with it.

    Checked before anything is read or fetched, so a wrong name costs nothing and writes
    nothing (``-o out.xlsx`` used to get CSV text under that name).
    """
    if output is None:
        return fmt or "csv"
    inferred = _OUTPUT_FORMATS.get(output.suffix.lower())
    if inferred is None:
        _fail(
            f"cannot tell which format to write to {output} from its extension; name the file "
            f"{', '.join(_OUTPUT_FORMATS)}",
            EXIT_CODES["usage"],
        )
    if fmt is not None and fmt != inferred:
        _fail(
            f"--format {fmt} does not match {output}, whose extension says {inferred}; leave "
            "out --format or make the two agree",
            EXIT_CODES["usage"],
        )
    return inferred


def _emit_frame(frame: pl.DataFrame, fmt: str, output: Path | None) -> None:
    """Write a frame as csv/json/ndjson/parquet/table to ``output`` (atomically) or stdout."""
    from navdata import _cli_output  # noqa: PLC0415 - commands import what they use
    from navdata._files import write_atomic  # noqa: PLC0415

    if fmt == "table":
        click.echo(_cli_output.table_text(frame))
        return
    if fmt == "parquet" and output is None and sys.stdout.isatty():
        _fail("parquet is binary: write it to a file with -o FILE", EXIT_CODES["usage"])
    data = _cli_output.encoded(frame, fmt)
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


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``--version``: asks the distribution only when asked (see :mod:`navdata._version`)."""
    if not value or ctx.resilient_parsing:
        return
    from navdata._version import __version__  # noqa: PLC0415

    click.echo(f"navdata, version {__version__}")
    ctx.exit()


@click.group(cls=_Navdata, epilog=_EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
    help="Show the version and exit.",
)  # fmt: skip
def cli() -> None:
    """Norwegian welfare statistics (SSB, NAV) as tidy tables with provenance."""


@cli.command("list", epilog=_EPILOG)
@click.option("--topic", help="Only this topic (unemployment, disability, ...).")
@click.option("--source", help="Only this source: ssb, nav or bundled.")
@click.option("--frequency", help="Only this frequency: year, quarter or month.")
@click.option("--search", help="Words in ids, titles, notes (nb or en, any case and accents).")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
    show_default=True,
)  # fmt: skip
def list_command(  # noqa: PLR0917 - one parameter per documented option
    topic: str | None,
    source: str | None,
    frequency: str | None,
    search: str | None,
    lang: str,
    fmt: str,
) -> None:
    """List the catalogued series (best match first with --search), and which work offline.

    The availability column says, for each series, ``bundled`` (ships with navdata),
    ``stored <date>`` (in the local store since that day) or ``needs sync``.
    """
    from navdata._cli_output import joined_lists  # noqa: PLC0415 - commands import what they use
    from navdata.listing import catalog  # noqa: PLC0415

    frame = catalog(
        topic=topic,
        source=source,
        frequency=frequency,
        search=search,
        lang="en" if lang == "en" else "nb",
        store=_store(),
    )
    if fmt == "csv":
        frame = joined_lists(frame)
    if fmt == "table":
        frame = frame.select("id", "source", "frequency", "availability", "title")
    _emit_frame(frame, fmt, None)


@cli.command("describe", epilog=_EPILOG)
@click.argument("series_id")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def describe_command(series_id: str, lang: str, fmt: str) -> None:
    """Everything about one series: definition, breaks, recipe and, when synced, provenance."""
    from navdata._cli_output import json_text  # noqa: PLC0415 - commands import what they use
    from navdata.access import describe  # noqa: PLC0415

    info = describe(series_id, store=_store())
    if fmt == "json":
        click.echo(json_text(info))
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
    elif info.retrieved is not None:
        lines.append(
            f"bundled with navdata: retrieved {info.retrieved.date()} (the day the figures were "
            "read in their sources); each value cites its own source (source_url, quote)"
        )
    else:
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
@click.argument("series_ids", nargs=-1, required=True)
@click.option("--from", "start", help="First period or date (2020, 2020K1, 2020M03, 2020-03-01).")
@click.option("--to", "end", help="Last period or date, inclusive.")
@click.option("--region", multiple=True, help="Region code or level (fylke, kommune); repeatable.")
@click.option("--filter", "filters", multiple=True, help="dim=code[,code] filter; repeatable.")
@click.option("--labels", is_flag=True, help="Add <dim>_label columns.")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True)
@click.option("--harmonise", help="Re-code regions to this structure (e.g. 2024).")
@click.option("--offline", is_flag=True, help="Never fetch; read only the store.")
@click.option("--wide", is_flag=True, help="One column per series (and code), a row per period.")
@click.option("--as-of", "as_of", help="The series as the store held it then: date or version.")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json", "ndjson", "parquet"]),
    help="Output format (default csv; with -o the file's extension decides).",
)  # fmt: skip
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
    help="File to write: .csv, .parquet, .json or .ndjson.",
)  # fmt: skip
def get_command(  # noqa: PLR0917 - one parameter per documented option
    series_ids: tuple[str, ...],
    start: str | None,
    end: str | None,
    region: tuple[str, ...],
    filters: tuple[str, ...],
    labels: bool,
    lang: str,
    harmonise: str | None,
    offline: bool,
    wide: bool,
    as_of: str | None,
    fmt: str | None,
    output: Path | None,
) -> None:
    """Print or write series as a tidy table (CSV to stdout by default).

    Several ids give one long table with a series_id column, or with --wide one column per
    series (and per code of a dimension that varies), a row per period.
    """
    chosen = _output_format(fmt, output)
    from navdata.access import get  # noqa: PLC0415 - commands import what they use

    dimension_filters: dict[str, Any] = _parse_filters(filters)
    result = get(
        list(series_ids) if len(series_ids) > 1 else series_ids[0],
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
    _emit_frame(result.wide() if wide else result.frame, chosen, output)


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
    from navdata.sync import outcome_summary, sync  # noqa: PLC0415 - commands import what they use

    store = _store()
    report = sync(list(ids) or None, all=every, store=store, progress=_SyncDisplay(quiet))
    if as_json:
        click.echo(json.dumps(outcome_summary(report), ensure_ascii=False))
    for failed in report.failed:
        click.echo(f"navdata: error: {failed.series_id}: {failed.error}", err=True)
    if any(o.error_type == UpstreamUnreachableError.__name__ for o in report.failed):
        click.echo(
            "navdata: hint: without a connection, work offline on what the store at "
            f"{store.location} holds and on the bundled key figures: NAVDATA_OFFLINE=1, or "
            "`navdata get --offline`",
            err=True,
        )
    if not report.ok:
        raise click.exceptions.Exit(EXIT_CODES["sync_failed"])


@cli.command("export", epilog=_EPILOG)
@click.argument("ids", nargs=-1, required=True)
@click.option("--to", "folder", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet"]), default="csv")
@click.option("--offline", is_flag=True, help="Never fetch; export only what the store holds.")
@click.option(
    "--replace", is_flag=True,
    help="Replace the package already in the folder (only the files it lists; others stay).",
)  # fmt: skip
def export_command(
    ids: tuple[str, ...], folder: Path, fmt: str, offline: bool, replace: bool
) -> None:
    """Write series as a Frictionless Data Package (datapackage.json + data files).

    The folder must be new or empty, or hold an earlier package and --replace be given; no
    file navdata did not write is ever deleted (exit 2 otherwise).
    """
    from navdata.datapackage import export_datapackage  # noqa: PLC0415 - imported when used

    path = export_datapackage(
        list(ids),
        folder,
        format="parquet" if fmt == "parquet" else "csv",
        offline=offline or None,
        replace=replace,
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
    from navdata._cli_output import joined_lists  # noqa: PLC0415 - commands import what they use
    from navdata.milestones import timeline  # noqa: PLC0415

    frame = timeline(start, end, category=list(category) or None, tag=list(tag) or None, lang=lang)
    if fmt == "table":
        frame = frame.select("id", "date", "title")
    elif fmt == "csv":
        frame = joined_lists(frame)
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
