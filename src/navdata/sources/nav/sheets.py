"""One NAV workbook sheet as cells at their Excel positions, and the period cell above its table.

Every NAV layout (kommune sheets, fylke sheets) starts from the same two facts: where each cell
is, so that an error can name file, sheet, row and column, and which year (and last month) the
period cell in column B says the sheet covers.

Cells are read with fastexcel (calamine) directly rather than through ``polars.read_excel``:
fastexcel reports the sheet's absolute column offset (NAV leaves column A empty, and calamine
starts the range at the first used column), which error messages and the "label in column B"
check need, and reading the sheet once as float and once as text keeps full float precision
(the text read renders floats with ten significant digits only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

import polars as pl

from navdata._dependencies import import_optional
from navdata.errors import LayoutError
from navdata.sources.nav.cells import month_number, normalise_label, parse_value

if TYPE_CHECKING:
    import fastexcel

__all__ = [
    "LABEL_COLUMN",
    "Cell",
    "Grid",
    "SheetPeriod",
    "cell_value",
    "column_letter",
    "find_period",
    "open_workbook",
    "read_grid",
]

Cell = float | str | None
LABEL_COLUMN = 1  # column B; column A is empty throughout NAV's reports


def column_letter(index: int) -> str:
    """Excel column letters for a 0-based column index (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class Grid:
    """One sheet's cells at their absolute positions: ``rows[r][c]`` is Excel row r+1, column c."""

    file_name: str
    sheet: str
    rows: list[list[Cell]]

    def where(self, row: int, column: int | None = None) -> str:
        """Human location of a cell or row, for error messages."""
        place = f"{self.file_name!r}, sheet {self.sheet!r}, row {row + 1}"
        if column is not None:
            place += f", column {column_letter(column)}"
        return place

    def error(self, row: int, column: int | None, problem: str) -> LayoutError:
        """A LayoutError that says where, what, and that nothing was guessed."""
        msg = (
            f"{self.where(row, column)}: {problem}. The file does not match the layout navdata "
            "knows, so nothing was guessed; check whether NAV changed the table and report it."
        )
        return LayoutError(msg)

    def text(self, row: int, column: int) -> str | None:
        """The cell as normalised text; ``None`` when it is blank or a number."""
        cells = self.rows[row]
        cell = cells[column] if len(cells) > column else None
        return normalise_label(cell) if isinstance(cell, str) else None


def _fastexcel() -> ModuleType:
    """fastexcel, imported when a workbook is read, so that importing navdata stays fast."""
    return import_optional("fastexcel", needed_for="reading NAV workbooks")


def open_workbook(content: bytes, file_name: str) -> fastexcel.ExcelReader:
    """Open xlsx bytes, turning a broken or non-xlsx file into a clear LayoutError."""
    reader = _fastexcel()
    try:
        opened: fastexcel.ExcelReader = reader.read_excel(content)
    except reader.FastExcelError as exc:  # calamine's errors all mean "not a workbook"
        msg = f"{file_name!r} is not a readable xlsx workbook ({exc}); was the download complete?"
        raise LayoutError(msg) from exc
    return opened


def read_grid(
    reader: fastexcel.ExcelReader, file_name: str, sheet: str, *, n_rows: int | None = None
) -> Grid:
    """All cells of ``sheet`` (or of its first ``n_rows`` rows).

    Numbers come as floats (full precision), text as str, blanks as None.
    """
    if sheet not in reader.sheet_names:
        names = ", ".join(repr(s) for s in reader.sheet_names)
        msg = (
            f"{file_name!r} has no sheet {sheet!r} (sheets: {names}). The file does not match "
            "the layout navdata knows, so nothing was guessed; NAV may have renamed the sheet."
        )
        raise LayoutError(msg)
    as_float = reader.load_sheet_by_name(
        sheet, header_row=None, skip_rows=0, n_rows=n_rows, dtypes="float"
    )
    as_text = reader.load_sheet_by_name(
        sheet, header_row=None, skip_rows=0, n_rows=n_rows, dtypes="string"
    )
    offset = min((c.absolute_index for c in as_text.available_columns()), default=0)
    numbers: pl.DataFrame = as_float.to_polars()
    texts: pl.DataFrame = as_text.to_polars()
    rows: list[list[Cell]] = []
    for number_row, text_row in zip(numbers.iter_rows(), texts.iter_rows(), strict=True):
        cells: list[Cell] = [None] * offset
        for number, text in zip(number_row, text_row, strict=True):
            if number is not None:
                cells.append(float(number))
            elif text is not None and text.strip():
                cells.append(text)
            else:
                cells.append(None)
        rows.append(cells)
    return Grid(file_name, sheet, rows)


@dataclass(frozen=True)
class SheetPeriod:
    """The year a sheet covers and, when the period cell says it, its last month."""

    year: int
    end_month: int | None
    row: int


def find_period(grid: Grid, pattern: re.Pattern[str]) -> SheetPeriod:
    """The period cell in column B (e.g. ``Januar - august 2026``); exactly one is expected.

    Only text cells are read: a number in column B (a fylke code, a stray year) is not a period.
    """
    found: list[SheetPeriod] = []
    for r in range(len(grid.rows)):
        label = grid.text(r, LABEL_COLUMN)
        match = pattern.fullmatch(label) if label else None
        if match is None:
            continue
        year = int(match.group("year"))
        groups = match.groupdict()
        end: int | None = None
        if groups.get("end"):
            end = month_number(groups["end"])
            if end is None:
                raise grid.error(r, LABEL_COLUMN, f"{label!r} does not end in a month name")
        if groups.get("endnum"):
            end = int(groups["endnum"])
            if groups.get("year2") and int(groups["year2"]) != year:
                raise grid.error(r, LABEL_COLUMN, f"{label!r} spans two years; NAV files hold one")
        found.append(SheetPeriod(year, end, r))
    if len(found) != 1:
        what = "no period cell" if not found else f"{len(found)} period cells"
        raise grid.error(
            found[1].row if found else 0,
            LABEL_COLUMN,
            f"{what} like {pattern.pattern!r} in column B",
        )
    return found[0]


def cell_value(
    grid: Grid, row: int, column: int, raw: Cell, what: str
) -> tuple[float | None, str | None]:
    """A data cell as ``(value, status)``; unreadable or empty (``what``) is a LayoutError."""
    try:
        value, status = parse_value(raw)
    except (ValueError, TypeError) as exc:
        raise grid.error(row, column, str(exc)) from exc
    if value is None and status is None:
        raise grid.error(row, column, f"empty {what}")
    return value, status
