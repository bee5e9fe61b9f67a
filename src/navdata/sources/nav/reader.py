"""Read a NAV statistics file someone downloaded by hand into a tidy :class:`~navdata.Dataset`.

NAV publishes its tables as xlsx workbooks (and one CSV) with no query API, so a researcher
often already has the file. :func:`read_file` parses it with the same layouts, checks and
metadata as :class:`~navdata.sources.nav.NavClient`, which downloads it::

    from navdata.sources.nav import read_file

    ds = read_file("202210_HL060 Helt ledige. Fylke og kommune. Tidsserie maaned.xlsx")
    ds.frame          # region, region_level, measure, period, date, value, status

The table is the one passed as ``table=``, else the one the file name names (``HL060``,
``AAP155``, ``PST302``), else the one the workbook's title cells name; a file none of them
identifies is refused with the list of supported tables rather than guessed.
"""

from __future__ import annotations

import os
from pathlib import Path

from navdata._files import read_failure
from navdata.dataset import Dataset
from navdata.errors import InvalidArgumentError, PeriodError, UnknownTableError
from navdata.periods import parse_period
from navdata.sources.nav.cells import file_name_period, normalise_label, table_code
from navdata.sources.nav.csv import REQUIRED_COLUMNS, decode
from navdata.sources.nav.frame import SourceFile, build_dataset
from navdata.sources.nav.sheets import open_workbook, read_grid
from navdata.sources.nav.tables import TABLES, NavTable, nav_table

__all__ = ["read_file"]

CSV_TABLE = "HL-CSV"
_ZIP_MAGIC = b"PK\x03\x04"  # an xlsx workbook is a zip archive
_TITLE_ROWS = 6  # NAV's title, subtitle and period sit in rows 1-6


def read_file(
    source: str | os.PathLike[str] | bytes,
    table: str | None = None,
    *,
    period: str | None = None,
) -> Dataset:
    """Parse a NAV file (a path, or its bytes) into a tidy Dataset with NAV's metadata.

    :param source: the downloaded file, as a path or as its bytes.
    :param table: the NAV table code (``HL060``, ``AAP155``, ``PST302`` or ``HL-CSV``); when
        omitted it is read from the file name, then from the workbook's title cells.
    :param period: the month a helt-ledige CSV covers (``"2026M08"``); the CSV does not say it,
        so it comes from here or from the file name (``..._2026_08.csv``, ``202608_...``).
    :raises UnknownTableError: the table is not one navdata knows, or the file names none.
    :raises LayoutError: the file does not match the table's documented layout.
    """
    name, content = _load(source)
    chosen = nav_table(table) if table is not None else _identify(name, content)
    month = _csv_month(chosen, name, period)
    observations = chosen.parse(content, name or "(bytes)", month)
    return build_dataset(observations, chosen.info, SourceFile(file_name=name, content=content))


def _load(source: str | os.PathLike[str] | bytes) -> tuple[str, bytes]:
    if isinstance(source, bytes):
        return "", source
    path = Path(source)
    try:
        return path.name, path.read_bytes()
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte, never in a path
        msg = f"cannot read the NAV file {str(path)!r}: {read_failure(exc)}"
        raise InvalidArgumentError(msg) from exc


def _supported() -> str:
    return ", ".join(TABLES)


def _identify(name: str, content: bytes) -> NavTable:
    """The table a file holds, from its name, else its title cells; refused when unclear."""
    named = [t for t in TABLES.values() if t.layout is not None and table_code(t.code).search(name)]
    if len(named) == 1:
        return named[0]
    if content.startswith(_ZIP_MAGIC):
        titled = _from_titles(name or "the workbook", content)
        if len(titled) == 1:
            return titled[0]
    elif _looks_like_the_csv(content):
        return TABLES[CSV_TABLE]
    what = repr(name) if name else "the file"
    msg = (
        f"cannot tell which NAV table {what} holds: neither its name nor its title names one of "
        f"the tables navdata reads ({_supported()}); pass table=, e.g. read_file(path, "
        "table='HL060')"
    )
    raise UnknownTableError(msg)


def _from_titles(name: str, content: bytes) -> list[NavTable]:
    """Tables whose code or title appears in the first rows of their own kommune sheet."""
    reader = open_workbook(content, name)
    found = []
    for table in TABLES.values():
        if table.layout is None:
            continue
        sheet = next(iter(table.layout.sheets.values()))
        if sheet not in reader.sheet_names:
            continue
        grid = read_grid(reader, name, sheet, n_rows=_TITLE_ROWS)
        texts = [normalise_label(c).lower() for row in grid.rows for c in row if isinstance(c, str)]
        label = table.info.label.lower()
        if any(label in text or table_code(table.code).search(text) for text in texts):
            found.append(table)
    return found


def _looks_like_the_csv(content: bytes) -> bool:
    first_line = decode(content[:4096]).splitlines()[:1]
    columns = {normalise_label(c) for c in first_line[0].split(";")} if first_line else set()
    return REQUIRED_COLUMNS[0] in columns


def _csv_month(table: NavTable, name: str, period: str | None) -> tuple[int, int] | None:
    """``(year, month)`` for the CSV (from ``period`` or the file name); ``None`` otherwise."""
    if table.layout is not None:
        if period is not None:
            msg = f"period= is only for the CSV ({CSV_TABLE}); {table.code} says its own period"
            raise InvalidArgumentError(msg)
        return None
    if period is None:
        named = file_name_period(name)
        if named is None:
            msg = (
                f"the {CSV_TABLE} file {name or '(bytes)'} does not say which month it covers; "
                "pass period='2026M08' (NAV's CSV holds one month and names it only in the link)"
            )
            raise InvalidArgumentError(msg)
        return named
    try:
        parsed = parse_period(period)
    except PeriodError as exc:
        raise InvalidArgumentError(f"period={period!r}: {exc}") from exc
    if parsed.frequency != "month":
        msg = f"period={period!r} is a {parsed.frequency}; the CSV holds one month, e.g. '2026M08'"
        raise InvalidArgumentError(msg)
    return parsed.start.year, parsed.start.month
