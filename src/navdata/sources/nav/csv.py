"""Parse NAV's «helt ledige etter fylke og kommune» CSV (from «Hovedtall om arbeidsmarkedet»).

The file is ``;``-separated, UTF-8 with a BOM or Latin-1/cp1252, with a decimal comma and spaces
(often non-breaking) between thousands. One row per kommune plus fylke totals (``Kommunenr``
equal to ``Fylkenr``) and a national row (``Fylkenr`` 0). The month is not in the file; it comes
from the link text on the page ("... august 2026") or the file name. Layout facts:
``../shared/reference/nav-data-and-timeline.md`` §1.3.

Only the columns the parser needs are required (fylke number and name, kommune number and name,
the count); the percent column is read when present, and any other column is left out with an
:class:`IgnoredColumnWarning` rather than refusing the file.
"""

from __future__ import annotations

import csv
import io

from navdata._warn import warn
from navdata.errors import LayoutError
from navdata.regions import level_of, nav_fylke_of
from navdata.sources.nav.cells import RegionLevel, normalise_label, parse_value
from navdata.sources.nav.frame import Observations

__all__ = ["IgnoredColumnWarning", "decode", "parse_csv"]

REQUIRED_COLUMNS = ("Fylkenr", "Fylkenavn", "Kommunenr", "Kommunenavn", "Antall helt ledige")
"""What the parser needs: where a row belongs, its name, and the count."""
OPTIONAL_COLUMNS = ("Helt ledige i prosent av arbeidsstyrken",)
MEASURE_COLUMNS = {
    "count": "Antall helt ledige",
    "share": "Helt ledige i prosent av arbeidsstyrken",
}
COUNTRY_CODE = "0"
BOM = b"\xef\xbb\xbf"


class IgnoredColumnWarning(UserWarning):
    """A NAV CSV column navdata does not read was left out of the frame."""


def decode(content: bytes) -> str:
    """Text of the file: UTF-8 when it has a BOM or is valid UTF-8, else cp1252/Latin-1."""
    if content.startswith(BOM):
        return content[len(BOM) :].decode("utf-8")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        return content.decode("latin-1")  # every byte is a Latin-1 character


def _error(file_name: str, line: int, column: str | None, problem: str) -> LayoutError:
    place = f"{file_name!r}, line {line}" + (f", column {column!r}" if column else "")
    msg = (
        f"{place}: {problem}. The file does not match the layout navdata knows, so nothing was "
        "guessed; check whether NAV changed the file and report it."
    )
    return LayoutError(msg)


def _check_header(file_name: str, header: list[str]) -> list[str]:
    names = [normalise_label(name) for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        raise _error(file_name, 1, None, f"missing columns {missing} (found: {', '.join(names)})")
    if len(set(names)) != len(names):
        raise _error(file_name, 1, None, "a column name appears twice")
    extra = [name for name in names if name not in {*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS}]
    if extra:
        warn(
            f"{file_name!r}: column(s) {', '.join(repr(e) for e in extra)} are not read "
            f"(navdata reads {', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}); left out",
            IgnoredColumnWarning,
        )
    return names


def _region(file_name: str, line: int, fields: dict[str, str]) -> tuple[str, RegionLevel, str]:
    fylke_raw, kommune_raw = fields["Fylkenr"].strip(), fields["Kommunenr"].strip()
    if not (fylke_raw.isdigit() and kommune_raw.isdigit()):
        problem = f"Fylkenr {fylke_raw!r} and Kommunenr {kommune_raw!r} must be digits"
        raise _error(file_name, line, None, problem)
    fylke_name = normalise_label(fields["Fylkenavn"])
    if int(fylke_raw) == 0:
        return COUNTRY_CODE, "country", fylke_name or "Hele landet"
    fylke = fylke_raw.zfill(2)
    if kommune_raw == fylke_raw or kommune_raw.zfill(2) == fylke:
        # NAV's 99 «Øvrige områder» is a fylke-level row but no fylke, as in the workbooks
        return fylke, "fylke" if level_of(fylke) == "fylke" else "unknown", fylke_name
    kommune = kommune_raw.zfill(4)
    if len(kommune) != 4 or fylke not in {kommune[:2], nav_fylke_of(kommune)}:
        problem = f"Kommunenr {kommune_raw!r} is not a kommune in fylke {fylke}"
        raise _error(file_name, line, "Kommunenr", problem)
    name = normalise_label(fields["Kommunenavn"])
    if not name:
        raise _error(file_name, line, "Kommunenavn", f"kommune {kommune} has no name")
    return kommune, "kommune", name


def parse_csv(content: bytes, file_name: str, year: int, month: int) -> Observations:
    """All rows of the CSV as count and share observations for ``year``-``month``."""
    reader = csv.reader(io.StringIO(decode(content), newline=""), delimiter=";", strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise _error(file_name, reader.line_num, None, f"not valid CSV ({exc})") from exc
    if not rows:
        raise _error(file_name, 1, None, "the file is empty")
    names = _check_header(file_name, rows[0])
    out = Observations()
    for line, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(names):
            problem = f"{len(cells)} fields where the header has {len(names)}"
            raise _error(file_name, line, None, problem)
        fields = dict(zip(names, cells, strict=True))
        region = _region(file_name, line, fields)
        for measure, column in MEASURE_COLUMNS.items():
            if column not in fields:
                continue  # the share column is optional
            try:
                value, status = parse_value(fields[column])
            except ValueError as exc:
                raise _error(file_name, line, column, str(exc)) from exc
            if value is None and status is None:
                raise _error(file_name, line, column, "empty cell")
            where = f"{file_name!r}, line {line}, column {column!r}"
            out.add(*region, measure, year, month, value, status, where)
    if not len(out):
        raise _error(file_name, 2, None, "no data rows")
    return out
