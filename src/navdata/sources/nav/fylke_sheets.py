"""NAV's own national and fylke totals, read from a workbook's fylke sheets.

The kommune sheets carry an «I alt <fylke>» row per block but no national total, and their
«Øvrige områder» block names no code. NAV's fylke sheets carry both: HL060's «1. Fylke Antall»
and «2. Fylke Prosent av arbeidsstyr» (real file, ``../shared/fixtures/nav-real``) have the
period in B6, one row of month names (Januar in D, merged over D:E, then Februar in F ...), the
national row (B empty, C «I alt»; January 2022: 74 143), one row per fylke with its code as a
number in B and its name in C, «99 Øvrige områder» and «Ukjent» (B and C «Ukjent»).

So navdata takes the fylke-level rows from here (national ``0``, fylker, ``99``, ``Ukjent``) and
checks every kommune-sheet total against them: a value that differs where neither side is
suppressed, a block with no row here or a row with no block there is a
:class:`~navdata.errors.LayoutError` (:meth:`FylkeTotals.check`,
:meth:`FylkeTotals.check_complete`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from navdata.regions import level_of
from navdata.sources.nav.cells import (
    MONTHS,
    NON_GEOGRAPHIC,
    STATUS_SYMBOLS,
    RegionLevel,
    month_number,
    normalise_label,
)
from navdata.sources.nav.frame import Observations
from navdata.sources.nav.sheets import (
    LABEL_COLUMN,
    Cell,
    Grid,
    SheetPeriod,
    cell_value,
    find_period,
)

__all__ = ["COUNTRY", "COUNTRY_NAME", "FylkeSheet", "FylkeTotals", "TotalRow", "parse_fylke_sheet"]

NAME_COLUMN = 2  # column C; the code is in B
COUNTRY = "0"
"""Region code of NAV's national «I alt» row (the code the CSV uses for it, Fylkenr 0)."""
COUNTRY_NAME = "Hele landet"
COUNTRY_LABEL = "I alt"
_MAX_CODE = 99

Value = tuple[float | None, str | None]


@dataclass(frozen=True)
class TotalRow:
    """One row of a fylke sheet: the region, where it is, and its value per month."""

    code: str
    level: RegionLevel
    name: str
    row: int
    values: dict[int, Value]  # month -> (value, status)


@dataclass
class FylkeSheet:
    """A parsed fylke sheet: its period, month columns and rows by region code."""

    grid: Grid
    period: SheetPeriod
    months: list[int]
    columns: list[int]
    rows: dict[str, TotalRow] = field(default_factory=dict)


def _header(grid: Grid, r: int) -> list[tuple[int, int]] | None:
    """``(column, month)`` of a month-name row, or ``None`` when the row has no month name."""
    found = [
        (c, number)
        for c, cell in enumerate(grid.rows[r])
        if isinstance(cell, str) and (number := month_number(cell)) is not None
    ]
    if not found:
        return None
    columns = {c for c, _ in found}
    for c, cell in enumerate(grid.rows[r]):
        if cell is not None and c not in columns:
            raise grid.error(r, c, f"unexpected {cell!r} on the row of month names")
    for i, (c, month) in enumerate(found):
        if month != i + 1:
            expected = MONTHS[i] if i < len(MONTHS) else "nothing"
            raise grid.error(r, c, f"expected month {expected!r}, found {grid.rows[r][c]!r}")
    if found[0][0] <= NAME_COLUMN:
        raise grid.error(r, found[0][0], "month names start left of column D")
    return found


def _code(grid: Grid, r: int, name: str) -> tuple[str, RegionLevel, str]:
    """Region code, level and name of a data row from its B (code) and C (name) cells."""
    raw = grid.rows[r][LABEL_COLUMN] if len(grid.rows[r]) > LABEL_COLUMN else None
    if raw is None:
        if name != COUNTRY_LABEL:
            raise grid.error(r, LABEL_COLUMN, f"{name!r} has no code (only «I alt» has none)")
        return COUNTRY, "country", COUNTRY_NAME
    text = normalise_label(raw) if isinstance(raw, str) else None
    if text in NON_GEOGRAPHIC:
        return text, "unknown", name
    number = raw if isinstance(raw, float) else float(text) if text and text.isdigit() else None
    if number is None or not number.is_integer() or not 1 <= number <= _MAX_CODE:
        raise grid.error(
            r, LABEL_COLUMN, f"{raw!r} is not a two-digit fylke code or a known bucket"
        )
    code = f"{int(number):02d}"
    return code, "fylke" if level_of(code) == "fylke" else "unknown", name


def parse_fylke_sheet(grid: Grid, period_pattern: re.Pattern[str]) -> FylkeSheet:
    """Read one fylke sheet; any row the layout does not know raises a LayoutError."""
    period = find_period(grid, period_pattern)
    sheet: FylkeSheet | None = None
    ended_at: int | None = None
    for r, cells in enumerate(grid.rows):
        if all(cell is None for cell in cells):
            continue
        header = _header(grid, r)
        if header is not None:
            if sheet is not None:
                raise grid.error(r, None, "a second row of month names; one table expected")
            columns = [c for c, _ in header]
            sheet = FylkeSheet(grid, period, [m for _, m in header], columns)
            continue
        if sheet is None:
            continue  # titles and notes above the table
        values = [cells[c] if c < len(cells) else None for c in sheet.columns]
        if all(v is None for v in values):
            ended_at = r  # a note under the table
            continue
        if ended_at is not None:
            raise grid.error(r, None, f"a row with values after the note in row {ended_at + 1}")
        sheet.rows.update([_data_row(grid, sheet, r, values)])
    if sheet is None:
        raise grid.error(0, None, "no row of month names (Januar, Februar, ...) was found")
    if COUNTRY not in sheet.rows:
        raise grid.error(0, NAME_COLUMN, "no national «I alt» row under the month names")
    if period.end_month is not None and sheet.months[-1] != period.end_month:
        raise grid.error(
            period.row, LABEL_COLUMN, f"the period ends in {MONTHS[period.end_month - 1]} "
            f"but the month columns end in {MONTHS[sheet.months[-1] - 1]}",
        )  # fmt: skip
    return sheet


def _data_row(grid: Grid, sheet: FylkeSheet, r: int, values: list[Cell]) -> tuple[str, TotalRow]:
    cells = grid.rows[r]
    allowed = {LABEL_COLUMN, NAME_COLUMN, *sheet.columns}
    for c, cell in enumerate(cells):
        if cell is not None and c not in allowed:
            raise grid.error(r, c, f"unexpected value {cell!r} outside the month columns")
    name = grid.text(r, NAME_COLUMN)
    if name is None:
        raise grid.error(r, NAME_COLUMN, "a row with values but no name in column C")
    code, level, label = _code(grid, r, name)
    if code in sheet.rows:
        raise grid.error(r, LABEL_COLUMN, f"region {code!r} ({name}) appears twice")
    parsed: dict[int, Value] = {}
    for month, column, raw in zip(sheet.months, sheet.columns, values, strict=True):
        parsed[month] = cell_value(grid, r, column, raw, f"{MONTHS[month - 1]} cell for {name!r}")
    return code, TotalRow(code, level, label, r, parsed)


def _suppressed(value: Value) -> bool:
    return value[1] in STATUS_SYMBOLS


class FylkeTotals:
    """The fylke sheets of one workbook by measure.

    They give the fylke-level rows and are the yardstick for every total the kommune sheets
    repeat.
    """

    def __init__(self, sheets: dict[str, FylkeSheet]) -> None:
        self.sheets = sheets
        self._checked: set[tuple[str, str]] = set()

    def emit(self, out: Observations) -> None:
        """Record every row of every fylke sheet (national, fylker, 99, Ukjent)."""
        for measure, sheet in self.sheets.items():
            for row in sheet.rows.values():
                for month, column in zip(sheet.months, sheet.columns, strict=True):
                    value, status = row.values[month]
                    where = sheet.grid.where(row.row, column)
                    out.add(
                        row.code, row.level, row.name, measure, sheet.period.year, month,
                        value, status, where,
                    )  # fmt: skip

    def knows(self, code: str) -> bool:
        """Whether the fylke sheets carry a row for ``code``."""
        return any(code in sheet.rows for sheet in self.sheets.values())

    def check(  # noqa: PLR0917 - one caller, every argument named there
        self,
        grid: Grid,
        r: int,
        measure: str,
        code: str,
        months: list[int],
        values: list[Cell],
    ) -> None:
        """Check a kommune-sheet total (row ``r`` of ``grid``) against the fylke sheet's row.

        They must agree month by month wherever neither side is suppressed.
        """
        sheet = self.sheets[measure]
        label = grid.text(r, LABEL_COLUMN)
        row = sheet.rows.get(code)
        if row is None:
            raise grid.error(r, LABEL_COLUMN, f"{label!r} (region {code}) has no row in sheet "
                             f"{sheet.grid.sheet!r}")  # fmt: skip
        if months != sheet.months:
            raise grid.error(r, None, f"{len(months)} month columns, but sheet "
                             f"{sheet.grid.sheet!r} has {len(sheet.months)}")  # fmt: skip
        for offset, (month, raw) in enumerate(zip(months, values, strict=True)):
            column = LABEL_COLUMN + 1 + offset
            here = cell_value(grid, r, column, raw, f"{MONTHS[month - 1]} cell for {label!r}")
            there = row.values[month]
            if _suppressed(here) or _suppressed(there):
                continue
            if here[0] is None or there[0] is None or not math.isclose(here[0], there[0]):
                raise grid.error(
                    r, column,
                    f"{label!r} says {here[0]!r} for {MONTHS[month - 1]} but "
                    f"{sheet.grid.where(row.row)} ({row.name}) says {there[0]!r}; NAV's kommune "
                    "and fylke sheets disagree",
                )  # fmt: skip
        self._checked.add((measure, code))

    def check_complete(self, kommune_sheets: dict[str, str]) -> None:
        """Every fylke-level row except the national one must have had its kommune-sheet block."""
        for measure, sheet in self.sheets.items():
            for code, row in sheet.rows.items():
                if code != COUNTRY and (measure, code) not in self._checked:
                    raise sheet.grid.error(
                        row.row,
                        None,
                        f"{row.name!r} (region {code}) has no block in sheet "
                        f"{kommune_sheets[measure]!r}",
                    )
