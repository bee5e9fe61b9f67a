"""Parse NAV's statistics workbooks (HL060, AAP155, PST302) by their documented layouts.

Each kommune sheet is a pivot report, one block per fylke: an optional block title, a row of
Norwegian month names, the fylke total, then kommune (and, in PST302, bydel) rows whose labels
carry the region code. The parser checks every row against that layout and raises
:class:`~navdata.errors.LayoutError` naming file, sheet, row and column at the first surprise,
so a changed NAV file never turns into wrong numbers. Rows above the first table (titles,
source, notes) are passed over. Layout facts: ``../shared/reference/nav-data-and-timeline.md``
§1.4-1.5 and the real HL060 file in ``../shared/fixtures/nav-real``.

Where a layout names fylke sheets (HL060), the national, fylke, «Øvrige områder» (99) and
«Ukjent» rows come from those (:mod:`~navdata.sources.nav.fylke_sheets`) and each kommune-sheet
total is checked against them instead of being recorded a second time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from navdata.errors import LayoutError
from navdata.regions import NAV_OTHER_AREAS, NAV_OTHER_AREAS_NAMES, level_of, nav_fylke_of
from navdata.sources.nav.cells import (
    MONTHS,
    RegionLevel,
    file_name_period,
    month_number,
    split_region_label,
)
from navdata.sources.nav.frame import Observations
from navdata.sources.nav.fylke_sheets import FylkeTotals, parse_fylke_sheet
from navdata.sources.nav.sheets import (
    LABEL_COLUMN,
    Cell,
    Grid,
    SheetPeriod,
    cell_value,
    find_period,
    open_workbook,
    read_grid,
)

if TYPE_CHECKING:
    import fastexcel

__all__ = [
    "AAP155",
    "HL060",
    "PST302",
    "WorkbookLayout",
    "open_workbook",
    "parse_sheet",
    "parse_workbook",
]

FIRST_VALUE_COLUMN = 2  # column C holds January

TitleRule = Literal["name", "coded"]
TotalRule = Literal["i_alt_name", "i_alt_code", "code_i_alt"]


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
    fylke_sheets: dict[str, str] | None = None  # measure id -> sheet with NAV's fylke totals


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
    fylke_sheets={"count": "1. Fylke Antall", "share": "2. Fylke Prosent av arbeidsstyr"},
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


def _label(grid: Grid, r: int) -> str | None:
    row = grid.rows[r]
    raw = row[LABEL_COLUMN] if len(row) > LABEL_COLUMN else None
    if raw is not None and not isinstance(raw, str):
        raise grid.error(r, LABEL_COLUMN, f"expected a text label, found the number {raw!r}")
    return grid.text(r, LABEL_COLUMN)


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
            # above the first table: titles, source, period and notes, in whatever cells; only
            # the text in column B matters (the first block's title)
            label = grid.text(r, LABEL_COLUMN)
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


TotalKind = Literal["fylke", "other_areas", "bucket"]


@dataclass(frozen=True)
class _Total:
    code: str | None  # None: derive from the kommune rows (HL060 totals carry no code)
    name: str
    kind: TotalKind  # a fylke, NAV's 99 «Øvrige områder», or a bucket such as «Ukjent»


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
        return _Total(unknown.code, name, "bucket")
    if name in NAV_OTHER_AREAS_NAMES and code in {None, NAV_OTHER_AREAS}:
        _check_title(grid, layout, block, NAV_OTHER_AREAS, name)
        return _Total(NAV_OTHER_AREAS, name, "other_areas")
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


@dataclass(frozen=True)
class _Sink:
    """Where a sheet's rows go: into ``out``.

    With NAV's fylke sheets (``totals``) the fylke-level rows are checked against those instead
    of being recorded twice.
    """

    out: Observations
    measure: str
    year: int
    totals: FylkeTotals | None


def _emit(  # noqa: PLR0917 - private helper with one caller
    grid: Grid,
    sink: _Sink,
    months: list[int],
    r: int,
    region: tuple[str, RegionLevel, str],
    values: list[Cell],
) -> None:
    code, level, name = region
    for offset, (month, raw) in enumerate(zip(months, values, strict=True)):
        column = FIRST_VALUE_COLUMN + offset
        value, status = cell_value(grid, r, column, raw, f"{MONTHS[month - 1]} cell for {name!r}")
        where = grid.where(r, column)
        sink.out.add(code, level, name, sink.measure, sink.year, month, value, status, where)


def _record_total(  # noqa: PLR0917 - private helper, arguments named at the call sites
    grid: Grid,
    sink: _Sink,
    months: list[int],
    r: int,
    region: tuple[str, RegionLevel, str],
    values: list[Cell],
) -> None:
    """A fylke-level row: checked against NAV's fylke sheets when there are any, else recorded."""
    if sink.totals is None:
        _emit(grid, sink, months, r, region, values)
    else:
        sink.totals.check(grid, r, sink.measure, region[0], months, values)


def _total_region(
    grid: Grid,
    total: _Total,
    r_total: int,
    leaves: list[tuple[int, tuple[str, RegionLevel, str], list[Cell]]],
) -> tuple[str, RegionLevel, str]:
    """The region a block's total row stands for, after checking its leaves belong to it."""
    if total.kind == "bucket":
        return total.code or total.name, "unknown", total.name
    if total.kind == "other_areas":
        parents = {nav_fylke_of(code) for _, (code, level, _), _ in leaves if level != "unknown"}
    else:
        parents = {code[:2] for _, (code, level, _), _ in leaves if level != "unknown"}
    fylke = total.code if total.code is not None else min(parents, default=None)
    if fylke is None or parents - {fylke}:
        raise grid.error(
            r_total,
            LABEL_COLUMN,
            f"the kommune codes under {total.name!r} do not share one fylke code "
            f"({sorted(parents)})",
        )
    return fylke, "fylke" if level_of(fylke) == "fylke" else "unknown", total.name


def _emit_block(
    grid: Grid, layout: WorkbookLayout, block: _Block, *, months: list[int], sink: _Sink
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
    region = _total_region(grid, total, r_total, leaves)
    if total.kind != "bucket" or not leaves or sink.totals is not None:
        # a bucket's total repeats its only leaf row ("I alt Ukjent" over "Ukjent")
        _record_total(grid, sink, months, r_total, region, total_values)
    for r, leaf, values in leaves:
        if leaf[1] == "unknown" and sink.totals is not None and sink.totals.knows(leaf[0]):
            sink.totals.check(grid, r, sink.measure, leaf[0], months, values)
        else:
            _emit(grid, sink, months, r, leaf, values)


def parse_sheet(
    grid: Grid,
    layout: WorkbookLayout,
    measure: str,
    out: Observations,
    totals: FylkeTotals | None = None,
) -> SheetPeriod:
    """Parse one kommune sheet into ``out``; returns the sheet's period for cross-checks.

    With ``totals`` (NAV's fylke sheets) the fylke-level rows are checked against them.
    """
    period = find_period(grid, layout.period_pattern)
    sink = _Sink(out, measure, period.year, totals)
    for block, months in _blocks(grid, layout):
        if period.end_month is not None and months[-1] != period.end_month:
            raise grid.error(
                block.header_row,
                None,
                f"month columns end in {MONTHS[months[-1] - 1]} but the period cell "
                f"(row {period.row + 1}) says {MONTHS[period.end_month - 1]}",
            )
        _emit_block(grid, layout, block, months=months, sink=sink)
    return period


def _fylke_totals(
    reader: fastexcel.ExcelReader, file_name: str, layout: WorkbookLayout
) -> FylkeTotals | None:
    if layout.fylke_sheets is None:
        return None
    sheets = {
        measure: parse_fylke_sheet(read_grid(reader, file_name, sheet), layout.period_pattern)
        for measure, sheet in layout.fylke_sheets.items()
    }
    return FylkeTotals(sheets)


def parse_workbook(content: bytes, file_name: str, layout: WorkbookLayout) -> Observations:
    """Every measure sheet of a workbook, and its fylke sheets if any, as one set of rows.

    The year is read from each sheet's period cell; a release prefix in the file name
    (``202608_``) must agree with it, as must the sheets with one another.
    """
    reader = open_workbook(content, file_name)
    out = Observations()
    totals = _fylke_totals(reader, file_name, layout)
    periods: list[SheetPeriod] = []
    if totals is not None:
        totals.emit(out)
        periods += [sheet.period for sheet in totals.sheets.values()]
    for measure, sheet in layout.sheets.items():
        grid = read_grid(reader, file_name, sheet)
        periods.append(parse_sheet(grid, layout, measure, out, totals))
    if totals is not None:
        totals.check_complete(layout.sheets)
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
