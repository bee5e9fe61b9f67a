"""Parse NAV's statistics workbooks (HL060, AAP155, PST302) by their documented layouts.

Each kommune sheet is a pivot report, one block per fylke: an optional block title, a row of
Norwegian month names, the fylke total, then kommune (and, in PST302, bydel) rows whose labels
carry the region code. The parser checks every row against that layout and raises
:class:`~navdata.errors.LayoutError` naming file, sheet, row and column at the first surprise,
so a changed NAV file never turns into wrong numbers. Layout facts:
``../shared/reference/nav-data-and-timeline.md`` §1.4-1.5.

Cells are read with fastexcel (calamine) directly rather than through ``polars.read_excel``:
fastexcel reports the sheet's absolute column offset (NAV leaves column A empty, and calamine
starts the range at the first used column), which error messages and the "label in column B"
check need, and reading the sheet once as float and once as text keeps full float precision
(the text read renders floats with ten significant digits only).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Literal

import polars as pl

from navdata._dependencies import import_optional
from navdata.errors import LayoutError
from navdata.sources.nav.cells import (
    MONTHS,
    RegionLevel,
    file_name_period,
    month_number,
    normalise_label,
    parse_value,
    split_region_label,
)
from navdata.sources.nav.frame import Observations

__all__ = [
    "AAP155",
    "HL060",
    "PST302",
    "Cell",
    "Grid",
    "SheetPeriod",
    "WorkbookLayout",
    "column_letter",
    "find_period",
    "open_workbook",
    "parse_sheet",
    "parse_workbook",
    "read_grid",
]

if TYPE_CHECKING:
    import fastexcel

Cell = float | str | None
LABEL_COLUMN = 1  # column B; column A is empty throughout NAV's reports
FIRST_VALUE_COLUMN = 2  # column C holds January

TitleRule = Literal["name", "coded"]
TotalRule = Literal["i_alt_name", "i_alt_code", "code_i_alt"]


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


def read_grid(reader: fastexcel.ExcelReader, file_name: str, sheet: str) -> Grid:
    """All cells of ``sheet``: numbers as floats (full precision), text as str, blanks as None."""
    if sheet not in reader.sheet_names:
        names = ", ".join(repr(s) for s in reader.sheet_names)
        msg = (
            f"{file_name!r} has no sheet {sheet!r} (sheets: {names}). The file does not match "
            "the layout navdata knows, so nothing was guessed; NAV may have renamed the sheet."
        )
        raise LayoutError(msg)
    as_float = reader.load_sheet_by_name(sheet, header_row=None, skip_rows=0, dtypes="float")
    as_text = reader.load_sheet_by_name(sheet, header_row=None, skip_rows=0, dtypes="string")
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
class WorkbookLayout:
    """One documented workbook layout: which sheets, how blocks, totals and period look."""

    table: str
    sheets: dict[str, str]  # measure id -> sheet name
    period_pattern: re.Pattern[str]
    title_rule: TitleRule | None
    total_rule: TotalRule
    leaf_levels: frozenset[RegionLevel]
    kommune_total_suffix: bool = False


_I_ALT_NAME = re.compile(r"I alt (?P<name>.+)")
_I_ALT_CODE = re.compile(r"I alt (?:(?P<code>\d{2}) )?(?P<name>.+)")
_CODE_I_ALT = re.compile(r"(?P<code>\d{2}) (?P<name>.+?) i alt")
_I_ALT_SUFFIX = re.compile(r"\s+i alt$")

HL060 = WorkbookLayout(
    table="HL060",
    sheets={"count": "3. Kommune Antall", "share": "4. Kommune Prosent av arbeidsst"},
    period_pattern=re.compile(r"januar\s*-\s*(?P<end>[a-zæøå]+)\s+(?P<year>\d{4})", re.IGNORECASE),
    title_rule="name",
    total_rule="i_alt_name",
    leaf_levels=frozenset({"kommune", "unknown"}),
)
AAP155 = WorkbookLayout(
    table="AAP155",
    sheets={"count": "1. Kommune. Antall", "share": "2. Kommune. Andel"},
    period_pattern=re.compile(
        r"Periode:\s*(?P<year>\d{4})\s*01\s*-\s*(?P<year2>\d{4})\s*(?P<endnum>\d{2})",
        re.IGNORECASE,
    ),
    title_rule=None,
    total_rule="i_alt_code",
    leaf_levels=frozenset({"kommune", "unknown"}),
)
PST302 = WorkbookLayout(
    table="PST302",
    sheets={"count": "Kommune-bydel. Antall", "share": "Kommune-bydel. Andel"},
    period_pattern=re.compile(r"(?P<year>\d{4})\s*:"),
    title_rule="coded",
    total_rule="code_i_alt",
    leaf_levels=frozenset({"kommune", "bydel", "unknown"}),
    kommune_total_suffix=True,
)


@dataclass
class _Block:
    """One fylke block while it is read: title, total row, and leaf rows."""

    header_row: int
    title: tuple[int, str] | None
    total: tuple[int, str, list[Cell]] | None = None
    leaves: list[tuple[int, str, list[Cell]]] = field(default_factory=list)


@dataclass(frozen=True)
class SheetPeriod:
    """The year a sheet covers and, when the period cell says it, its last month."""

    year: int
    end_month: int | None
    row: int


def _label(grid: Grid, r: int) -> str | None:
    row = grid.rows[r]
    raw = row[LABEL_COLUMN] if len(row) > LABEL_COLUMN else None
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise grid.error(r, LABEL_COLUMN, f"expected a text label, found the number {raw!r}")
    return normalise_label(raw)


def find_period(grid: Grid, layout: WorkbookLayout) -> SheetPeriod:
    """The period cell above the table (e.g. ``Januar - august 2026``); exactly one is expected."""
    found: list[SheetPeriod] = []
    for r in range(len(grid.rows)):
        label = _label(grid, r)
        match = layout.period_pattern.fullmatch(label) if label else None
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
            f"{what} like {layout.period_pattern.pattern!r} in column B",
        )
    return found[0]


def _month_header(grid: Grid, r: int) -> bool:
    return any(
        isinstance(cell, str) and month_number(cell) is not None
        for cell in grid.rows[r][FIRST_VALUE_COLUMN:]
    )


def _check_month_header(grid: Grid, r: int, expected: list[int] | None) -> list[int]:
    """Validate a month-name row: January onwards in C, D, ...; nothing else on the row."""
    row = grid.rows[r]
    if _label(grid, r) is not None or row[0] is not None:
        raise grid.error(r, LABEL_COLUMN, "the month-name row has a label; expected A and B empty")
    months: list[int] = []
    for c in range(FIRST_VALUE_COLUMN, len(row)):
        cell = row[c]
        if cell is None:
            stray = next((x for x in range(c, len(row)) if row[x] is not None), None)
            if stray is not None:
                raise grid.error(r, stray, f"{row[stray]!r} after a gap in the month columns")
            break
        number = month_number(cell) if isinstance(cell, str) else None
        want = len(months) + 1
        if want > len(MONTHS) or number != want:
            expected_name = MONTHS[want - 1] if want <= len(MONTHS) else "nothing"
            raise grid.error(r, c, f"expected month {expected_name!r}, found {cell!r}")
        months.append(want)
    if expected is not None and months != expected:
        raise grid.error(
            r,
            None,
            f"month columns {len(months)} differ from the first header's {len(expected)}",
        )
    return months


def _check_row_bounds(grid: Grid, r: int, n_months: int) -> None:
    row = grid.rows[r]
    if row and row[0] is not None:
        raise grid.error(r, 0, f"unexpected value {row[0]!r} in column A (expected empty)")
    last = FIRST_VALUE_COLUMN + n_months
    for c in range(last, len(row)):
        if row[c] is not None:
            raise grid.error(r, c, f"unexpected value {row[c]!r} right of the last month column")


def _blocks(grid: Grid, layout: WorkbookLayout) -> Iterator[tuple[_Block, list[int]]]:
    """Walk the sheet and yield each fylke block with the month numbers of its columns."""
    months: list[int] | None = None
    block: _Block | None = None
    pending: tuple[int, str] | None = None
    for r, row in enumerate(grid.rows):
        if all(cell is None for cell in row):
            continue
        if _month_header(grid, r):
            months = _check_month_header(grid, r, months)
            if block is not None:
                yield block, months
            block = _Block(header_row=r, title=pending)
            pending = None
            continue
        if months is None or block is None:
            label = _label(grid, r)  # title and period rows above the first table
            pending = (r, label) if label is not None else pending
            continue
        _check_row_bounds(grid, r, len(months))
        label = _label(grid, r)
        values = row[FIRST_VALUE_COLUMN : FIRST_VALUE_COLUMN + len(months)]
        values += [None] * (len(months) - len(values))
        if all(v is None for v in values):
            if label is not None:
                pending = (r, label)  # the next block's title, or a footnote under the table
            continue
        if pending is not None:
            raise grid.error(
                pending[0],
                LABEL_COLUMN,
                f"{pending[1]!r} has no values but rows with values follow it without a "
                "month-name row",
            )
        if label is None:
            raise grid.error(r, LABEL_COLUMN, "a row with values but no label")
        if block.total is None:
            block.total = (r, label, values)
        else:
            block.leaves.append((r, label, values))
    if block is not None and months is not None:
        yield block, months
    if months is None:
        raise grid.error(0, None, "no row of month names (Januar, Februar, ...) was found")


@dataclass(frozen=True)
class _Total:
    code: str | None  # None: derive from the kommune rows (HL060 totals carry no code)
    name: str
    level: RegionLevel


def _read_total(
    grid: Grid, layout: WorkbookLayout, block: _Block, total_row: tuple[int, str, list[Cell]]
) -> _Total:
    r, label, _ = total_row
    rule = layout.total_rule
    pattern = {"i_alt_name": _I_ALT_NAME, "i_alt_code": _I_ALT_CODE, "code_i_alt": _CODE_I_ALT}
    match = pattern[rule].fullmatch(label)
    if match is None:
        raise grid.error(
            r, LABEL_COLUMN, f"expected the fylke total row ('I alt ...'), found {label!r}"
        )
    name = match.group("name")
    code = match.groupdict().get("code")
    unknown = split_region_label(name)
    if unknown is not None and unknown.level == "unknown":
        return _Total(unknown.code, name, "unknown")
    if rule == "i_alt_code" and code is None:
        raise grid.error(r, LABEL_COLUMN, f"the fylke total {label!r} carries no 2-digit code")
    _check_title(grid, layout, block, code, name)
    return _Total(code, name, "fylke")


def _check_title(
    grid: Grid, layout: WorkbookLayout, block: _Block, code: str | None, name: str
) -> None:
    if layout.title_rule is None:
        return
    if block.title is None:
        raise grid.error(block.header_row, LABEL_COLUMN, "no fylke title row above the month names")
    row, title = block.title
    expected = name if layout.title_rule == "name" else f"{code} {name}"
    if title != expected:
        raise grid.error(
            row, LABEL_COLUMN, f"block title {title!r} does not match total {expected!r}"
        )


def _leaf_region(
    grid: Grid, layout: WorkbookLayout, r: int, label: str
) -> tuple[str, RegionLevel, str]:
    text = label
    if layout.kommune_total_suffix:
        text = _I_ALT_SUFFIX.sub("", label)
    region = split_region_label(text)
    if region is None or region.level not in layout.leaf_levels:
        raise grid.error(
            r, LABEL_COLUMN, f"{label!r} is not a kommune, bydel or known non-region row"
        )
    if text != label and region.level != "kommune":
        raise grid.error(r, LABEL_COLUMN, f"only kommune rows carry 'i alt', found {label!r}")
    return region.code, region.level, region.name


def _emit(  # noqa: PLR0917 - private helper with one caller
    grid: Grid,
    out: Observations,
    measure: str,
    year: int,
    months: list[int],
    r: int,
    region: tuple[str, RegionLevel, str],
    values: list[Cell],
) -> None:
    code, level, name = region
    for offset, (month, raw) in enumerate(zip(months, values, strict=True)):
        column = FIRST_VALUE_COLUMN + offset
        try:
            value, status = parse_value(raw)
        except (ValueError, TypeError) as exc:
            raise grid.error(r, column, str(exc)) from exc
        if value is None and status is None:
            raise grid.error(r, column, f"empty {MONTHS[month - 1]} cell for {name!r}")
        out.add(code, level, name, measure, year, month, value, status, grid.where(r, column))


def _emit_block(
    grid: Grid,
    layout: WorkbookLayout,
    block: _Block,
    *,
    months: list[int],
    year: int,
    measure: str,
    out: Observations,
) -> None:
    """Check one block's total and leaf rows against each other, then record them."""
    if block.total is None:
        raise grid.error(block.header_row, None, "a month-name row with no total row under it")
    r_total, _, total_values = block.total
    total = _read_total(grid, layout, block, block.total)
    leaves = [
        (r, _leaf_region(grid, layout, r, label), values) for r, label, values in block.leaves
    ]
    kommuner = {code for _, (code, level, _), _ in leaves if level == "kommune"}
    for r, (code, level, _), _ in leaves:
        if level == "bydel" and code[:4] not in kommuner:
            raise grid.error(
                r, LABEL_COLUMN, f"bydel {code} has no kommune {code[:4]} in its block"
            )
    if total.level == "fylke":
        prefixes = {code[:2] for _, (code, level, _), _ in leaves if level != "unknown"}
        fylke = total.code if total.code is not None else min(prefixes, default=None)
        if fylke is None or prefixes - {fylke}:
            raise grid.error(
                r_total,
                LABEL_COLUMN,
                f"the kommune codes under {total.name!r} do not share one fylke code "
                f"({sorted(prefixes)})",
            )
        fylke_region: tuple[str, RegionLevel, str] = (fylke, "fylke", total.name)
        _emit(grid, out, measure, year, months, r_total, fylke_region, total_values)
    elif not leaves:  # an unknown-region total with no leaf row under it
        unknown_region: tuple[str, RegionLevel, str] = (
            total.code or total.name,
            "unknown",
            total.name,
        )
        _emit(grid, out, measure, year, months, r_total, unknown_region, total_values)
    for r, region, values in leaves:
        _emit(grid, out, measure, year, months, r, region, values)


def parse_sheet(grid: Grid, layout: WorkbookLayout, measure: str, out: Observations) -> SheetPeriod:
    """Parse one kommune sheet into ``out``; returns the sheet's period for cross-checks."""
    period = find_period(grid, layout)
    for block, months in _blocks(grid, layout):
        if period.end_month is not None and months[-1] != period.end_month:
            raise grid.error(
                block.header_row,
                None,
                f"month columns end in {MONTHS[months[-1] - 1]} but the period cell "
                f"(row {period.row + 1}) says {MONTHS[period.end_month - 1]}",
            )
        _emit_block(grid, layout, block, months=months, year=period.year, measure=measure, out=out)
    return period


def parse_workbook(content: bytes, file_name: str, layout: WorkbookLayout) -> Observations:
    """Every measure sheet of a workbook into one set of observations.

    The year is read from each sheet's period cell; a release prefix in the file name
    (``202608_``) must agree with it, as must the sheets with one another.
    """
    reader = open_workbook(content, file_name)
    out = Observations()
    periods: list[SheetPeriod] = []
    for measure, sheet in layout.sheets.items():
        grid = read_grid(reader, file_name, sheet)
        periods.append(parse_sheet(grid, layout, measure, out))
    years = {p.year for p in periods}
    if len(years) != 1:
        msg = f"{file_name!r}: the sheets cover different years {sorted(years)}; NAV files hold one"
        raise LayoutError(msg)
    named = file_name_period(file_name)
    if named is not None and named[0] != periods[0].year:
        msg = (
            f"{file_name!r}: the file name says {named[0]} but the sheets say {periods[0].year}; "
            "refusing to guess which is right"
        )
        raise LayoutError(msg)
    return out
