"""NAV workbook parsers against SYNTHETIC workbooks that follow each documented layout exactly."""

from __future__ import annotations

import re
import sys

import polars as pl
import pytest

from nav_workbooks import (
    EIGERSUND_AAP,
    EIGERSUND_HL060,
    HL060_SHARES,
    MONTH_HEADER,
    UKJENT_AAP,
    UKJENT_HL060,
    Spec,
    aap155_spec,
    find_row,
    hl060_spec,
    pst302_spec,
    to_xlsx,
)
from navdata.errors import LayoutError, MissingDependencyError
from navdata.sources.nav.frame import SourceFile, build_dataset
from navdata.sources.nav.tables import TABLES
from navdata.sources.nav.workbooks import (
    AAP155,
    HL060,
    PST302,
    WorkbookLayout,
    open_workbook,
    parse_workbook,
)

PERIODS = [f"2026M{m:02d}" for m in range(1, 9)]


def parse(spec: Spec, layout: WorkbookLayout, name: str = "202608_TEST.xlsx") -> pl.DataFrame:
    return parse_workbook(to_xlsx(spec), name, layout).frame()


def series(frame: pl.DataFrame, region: str, measure: str, column: str = "value") -> list[object]:
    rows = frame.filter((pl.col("region") == region) & (pl.col("measure") == measure))
    assert rows["period"].to_list() == PERIODS
    return rows[column].to_list()


# --- HL060 ---------------------------------------------------------------------------------------


def test_hl060_counts_shares_and_levels() -> None:
    frame = parse(hl060_spec(), HL060, "202608_HL060 Helt ledige.xlsx")
    assert frame.columns == [
        "region",
        "region_level",
        "measure",
        "period",
        "date",
        "value",
        "status",
    ]
    assert series(frame, "1101", "count") == [float(v) for v in EIGERSUND_HL060]
    assert series(frame, "1101", "share")[0] == 2.5
    assert series(frame, "0301", "count")[0] == 12125.0
    assert series(frame, "03", "count")[0] == 12125.0  # "I alt Oslo - Oslove", code from 0301
    assert series(frame, "2100", "count")[0] == 13.0
    # «Svalbard og øvrige områder» keeps NAV's code 99 (no invented fylke 21)
    assert series(frame, "99", "count")[0] == 13.0
    assert series(frame, "Ukjent", "count") == [float(v) for v in UKJENT_HL060]
    # Rogaland total = sum of its synthetic kommuner: 197 + 2101 + 3 in January.
    assert series(frame, "11", "count")[0] == 2301.0
    # the national row of the fylke sheet: 12125 + 2301 + 13 + 13
    assert series(frame, "0", "count")[0] == 14452.0
    assert series(frame, "0", "share") == HL060_SHARES["0"]
    levels = dict(frame.select("region", "region_level").unique().iter_rows())
    assert levels == {
        "0": "country", "03": "fylke", "0301": "kommune", "11": "fylke", "1101": "kommune",
        "1103": "kommune", "1151": "kommune", "99": "unknown", "2100": "kommune",
        "Ukjent": "unknown",
    }  # fmt: skip
    assert "21" not in levels
    assert frame.height == 10 * 8 * 2


def test_hl060_suppressed_cells_keep_status_and_null_value() -> None:
    frame = parse(hl060_spec(), HL060)
    assert series(frame, "1151", "count") == [None, None, None, None, 4.0, None, 4.0, None]
    assert series(frame, "1151", "count", "status") == ["*", "*", "*", "*", None, "*", None, "*"]
    assert series(frame, "Ukjent", "share") == [None] * 8
    assert series(frame, "Ukjent", "share", "status") == ["*"] * 8
    assert frame.filter(pl.col("status").is_null())["value"].null_count() == 0


def test_hl060_dataset_metadata_and_provenance() -> None:
    content = to_xlsx(hl060_spec())
    table = TABLES["HL060"]
    observations = table.parse(content, "202608_HL060 Helt ledige.xlsx", None)
    source = SourceFile("202608_HL060 Helt ledige.xlsx", content, url="https://example.invalid/f")
    ds = build_dataset(observations, table.info, source)
    meta = ds.meta
    assert meta.source == "NAV"
    assert meta.provenance is not None
    assert meta.provenance.publisher == "Arbeids- og velferdsdirektoratet (NAV)"
    assert meta.provenance.licence == "CC BY 4.0"
    assert meta.provenance.table == "HL060"
    assert meta.provenance.query == {"file_name": "202608_HL060 Helt ledige.xlsx", "page_url": None}
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", meta.provenance.content_hash or "")
    assert meta.dimension("period").codes == PERIODS
    assert meta.dimension("region").labels["1101"] == "Eigersund"
    assert meta.dimension("region").labels["03"] == "Oslo - Oslove"
    assert meta.dimension("region").labels["99"] == "Svalbard og øvrige områder"
    assert meta.dimension("region").labels["0"] == "Hele landet"
    assert meta.dimension("measure").codes == ["count", "share"]
    breaks = [b["period"] for b in meta.extension["nav"]["breaks"]]
    assert breaks == ["2018M11", "2024M01", "2025M04"]
    assert (
        "Brudd 2018M11: New registration solution: job seekers enter the register faster; NAV "
        "estimated about 2,500 more helt ledige in November 2018 because of the break (2018 also: "
        "AAP recipients may be registered as unemployed for 6 months instead of 3) "
        "(kilde: SSB 2019-01-25; https://www.ssb.no/statbank/table/08931)"
    ) in meta.notes
    assert any("helt permitterte" in note for note in meta.notes)


# --- AAP155 --------------------------------------------------------------------------------------


def test_aap155_values_and_ukjent_only_in_counts() -> None:
    frame = parse(aap155_spec(), AAP155, "AAP155 Mottakere.xlsx")
    assert series(frame, "1101", "count") == [float(v) for v in EIGERSUND_AAP]
    assert series(frame, "1101", "share")[0] == 4.6
    assert series(frame, "11", "count")[0] == 14140.0
    assert series(frame, "0301", "count")[0] == 22311.0
    assert series(frame, "Ukjent", "count") == [float(v) for v in UKJENT_AAP]
    assert frame.filter((pl.col("region") == "Ukjent") & (pl.col("measure") == "share")).is_empty()
    assert series(frame, "1151", "share", "status") == ["*"] * 8
    assert frame.height == 7 * 8 + 6 * 8


# --- PST302 --------------------------------------------------------------------------------------


def test_pst302_bydeler_and_oslo_suppressed_kommune_row() -> None:
    frame = parse(pst302_spec(), PST302, "PST302 Mottakere.xlsx")
    levels = dict(frame.select("region", "region_level").unique().iter_rows())
    assert levels == {
        "03": "fylke", "030101": "bydel", "030102": "bydel", "0301": "kommune",
        "11": "fylke", "1101": "kommune", "1103": "kommune", "110301": "bydel", "110302": "bydel",
    }  # fmt: skip
    assert series(frame, "0301", "count", "status") == ["*"] * 8
    assert series(frame, "0301", "count") == [None] * 8
    assert series(frame, "1103", "count")[0] == 8120.0  # "1103 Stavanger i alt", before bydeler
    assert series(frame, "030101", "share")[0] == 6.306333321699  # full float precision
    assert series(frame, "03", "count")[0] == 32100.0


# --- layout drift: each gives the precise error ---------------------------------------------------


def drift(spec: Spec, layout: WorkbookLayout, pattern: str) -> None:
    with pytest.raises(LayoutError, match=pattern):
        parse_workbook(to_xlsx(spec), "drift.xlsx", layout)


def test_renamed_sheet_names_file_sheet_and_what_is_there() -> None:
    spec = hl060_spec()
    spec["3. Kommune antall (ny)"] = spec.pop("3. Kommune Antall")
    drift(
        spec,
        HL060,
        r"'drift.xlsx' has no sheet '3. Kommune Antall' \(sheets: .*'3. Kommune antall \(ny\)'",
    )


def test_moved_header_one_column_right() -> None:
    spec = aap155_spec()
    r = find_row(spec, "1. Kommune. Antall", "I alt 11 Rogaland") - 1
    spec["1. Kommune. Antall"][r] = [None, *MONTH_HEADER]
    drift(
        spec,
        AAP155,
        rf"'drift.xlsx', sheet '1. Kommune. Antall', row {r + 1}, column D: "
        r"'Januar' after a gap in the month columns",
    )


def test_moved_header_down_past_the_total_row() -> None:
    spec = hl060_spec()
    sheet = spec["3. Kommune Antall"]
    r = find_row(spec, "3. Kommune Antall", "I alt Rogaland")
    sheet[r - 1], sheet[r] = sheet[r], sheet[r - 1]  # total above its month-name row
    drift(
        spec, HL060, rf"sheet '3. Kommune Antall', row {r - 1}, column B: 'Rogaland' has no values"
    )


def test_extra_column_right_of_the_months() -> None:
    spec = pst302_spec()
    r = find_row(spec, "Kommune-bydel. Andel", "1101 Eigersund")
    spec["Kommune-bydel. Andel"][r].append(99.0)
    drift(
        spec,
        PST302,
        rf"sheet 'Kommune-bydel. Andel', row {r + 1}, column K: "
        r"unexpected value 99.0 right of the last month",
    )


def test_extra_month_in_one_block_header() -> None:
    spec = hl060_spec()
    r = find_row(spec, "3. Kommune Antall", "I alt Rogaland") - 1
    spec["3. Kommune Antall"][r] = [*MONTH_HEADER, "September"]
    drift(spec, HL060, rf"row {r + 1}: month columns 9 differ from the first header's 8")


def test_label_moved_to_column_a() -> None:
    spec = aap155_spec()
    r = find_row(spec, "2. Kommune. Andel", "1101 Eigersund")
    spec["2. Kommune. Andel"][r][0] = "1101"
    drift(spec, AAP155, rf"sheet '2. Kommune. Andel', row {r + 1}, column A: unexpected value")


def test_unknown_row_label_is_refused() -> None:
    spec = hl060_spec()
    r = find_row(spec, "3. Kommune Antall", "1151 Utsira")
    spec["3. Kommune Antall"][r][1] = "Bosatt på månen"  # an unknown row inside a data block
    drift(
        spec,
        HL060,
        rf"sheet '3. Kommune Antall', row {r + 1}, column B: 'Bosatt på månen' is not a kommune",
    )


def test_unknown_cell_marker_is_refused() -> None:
    spec = hl060_spec()
    r = find_row(spec, "4. Kommune Prosent av arbeidsst", "1101 Eigersund")
    spec["4. Kommune Prosent av arbeidsst"][r][4] = "n/a"
    drift(
        spec,
        HL060,
        rf"sheet '4. Kommune Prosent av arbeidsst', row {r + 1}, column E: 'n/a' is not a number",
    )


def test_empty_cell_in_a_data_row_is_refused() -> None:
    spec = aap155_spec()
    r = find_row(spec, "1. Kommune. Antall", "1103 Stavanger")
    spec["1. Kommune. Antall"][r][9] = None
    drift(spec, AAP155, rf"row {r + 1}, column J: empty august cell for 'Stavanger'")


def test_kommune_in_the_wrong_fylke_block() -> None:
    spec = aap155_spec()
    r = find_row(spec, "1. Kommune. Antall", "1103 Stavanger")
    spec["1. Kommune. Antall"][r][1] = "4601 Bergen"
    drift(spec, AAP155, r"the kommune codes under 'Rogaland' do not share one fylke code")


def test_duplicate_region_is_refused() -> None:
    spec = aap155_spec()
    r = find_row(spec, "1. Kommune. Antall", "1103 Stavanger")
    spec["1. Kommune. Antall"][r][1] = "1101 Eigersund"
    drift(spec, AAP155, rf"row {r + 1}, column C: region '1101' \(Eigersund\) has a second count")


def test_period_cell_and_months_disagree() -> None:
    spec = hl060_spec()
    r = find_row(spec, "3. Kommune Antall", "Januar - august 2026")
    spec["3. Kommune Antall"][r][1] = "Januar - juli 2026"
    drift(spec, HL060, r"month columns end in august but the period cell \(row 6\) says juli")


def test_missing_period_cell() -> None:
    spec = pst302_spec()
    r = find_row(spec, "Kommune-bydel. Antall", "2026 : ")
    spec["Kommune-bydel. Antall"][r][1] = "Året 2026"
    drift(spec, PST302, r"sheet 'Kommune-bydel. Antall', row 1, column B: no period cell")


def test_file_name_year_must_match_sheets() -> None:
    with pytest.raises(LayoutError, match=r"the file name says 2025 but the sheets say 2026"):
        parse_workbook(to_xlsx(hl060_spec()), "202508_HL060 Helt ledige.xlsx", HL060)


def test_fylke_title_must_match_its_total() -> None:
    spec = pst302_spec()
    r = find_row(spec, "Kommune-bydel. Antall", "11 Rogaland")
    spec["Kommune-bydel. Antall"][r][1] = "12 Rogaland"
    drift(
        spec,
        PST302,
        rf"row {r + 1}, column B: block title '12 Rogaland' does not match total '11 Rogaland'",
    )


def test_not_a_workbook() -> None:
    with pytest.raises(LayoutError, match=r"'broken.xlsx' is not a readable xlsx workbook"):
        parse_workbook(b"<html>error page</html>", "broken.xlsx", HL060)


def test_a_missing_xlsx_reader_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fastexcel", None)  # makes `import fastexcel` fail
    with pytest.raises(MissingDependencyError, match=r"pip install"):
        open_workbook(b"PK", "202608_HL060.xlsx")


# --- NAV's fylke sheets: the fylke-level rows, checked against the kommune sheets ----------------

FYLKE_COUNT = "1. Fylke Antall"
FYLKE_SHARE = "2. Fylke Prosent av arbeidsstyr"


def fylke_row(spec: Spec, sheet: str, name: str) -> int:
    """0-based row of a fylke-sheet row by its name in column C."""
    return next(r for r, cells in enumerate(spec[sheet]) if len(cells) > 2 and cells[2] == name)


def test_fylke_sheet_rows_follow_nav_layout_row_by_row() -> None:
    spec = hl060_spec()
    assert fylke_row(spec, FYLKE_COUNT, "I alt") == 8  # row 9, as in NAV's October 2022 file
    assert spec[FYLKE_COUNT][9][:5] == [None, 3, "Oslo - Oslove", 12125, None]  # D:E merged


def test_fylke_total_that_disagrees_with_the_kommune_sheet_is_refused() -> None:
    spec = hl060_spec()
    spec[FYLKE_COUNT][fylke_row(spec, FYLKE_COUNT, "Oslo - Oslove")][3] = 12126
    r = find_row(spec, "3. Kommune Antall", "I alt Oslo - Oslove")
    drift(
        spec,
        HL060,
        rf"sheet '3. Kommune Antall', row {r + 1}, column C: 'I alt Oslo - Oslove' says 12125.0 "
        r"for januar but 'drift.xlsx', sheet '1. Fylke Antall', row 10 \(Oslo - Oslove\) says "
        r"12126.0; NAV's kommune and fylke sheets disagree",
    )


def test_a_suppressed_cell_on_either_side_is_no_disagreement() -> None:
    spec = hl060_spec()
    spec[FYLKE_SHARE][fylke_row(spec, FYLKE_SHARE, "Rogaland")][3] = "*"
    frame = parse(spec, HL060)
    assert series(frame, "11", "share", "status")[:2] == ["*", None]  # the fylke sheet's cell
    assert series(frame, "11", "share")[1] == 2.1


def test_fylke_row_without_a_kommune_block_is_refused() -> None:
    spec = hl060_spec()
    spec[FYLKE_COUNT].append([None, 15, "Møre og Romsdal", 50, None, *[50] * 7])
    drift(
        spec,
        HL060,
        r"sheet '1. Fylke Antall', row 14: 'Møre og Romsdal' \(region 15\) has no block in sheet "
        r"'3. Kommune Antall'",
    )


def test_kommune_block_without_a_fylke_row_is_refused() -> None:
    spec = hl060_spec()
    del spec[FYLKE_COUNT][fylke_row(spec, FYLKE_COUNT, "Rogaland")]
    r = find_row(spec, "3. Kommune Antall", "I alt Rogaland")
    drift(
        spec,
        HL060,
        rf"row {r + 1}, column B: 'I alt Rogaland' \(region 11\) has no row in sheet "
        r"'1. Fylke Antall'",
    )


def test_fylke_sheet_value_in_the_merged_column_is_refused() -> None:
    spec = hl060_spec()
    spec[FYLKE_COUNT][fylke_row(spec, FYLKE_COUNT, "Rogaland")][4] = 7
    drift(spec, HL060, r"sheet '1. Fylke Antall', row 11, column E: unexpected value 7.0")


def test_fylke_sheet_without_the_national_row_is_refused() -> None:
    spec = hl060_spec()
    del spec[FYLKE_SHARE][fylke_row(spec, FYLKE_SHARE, "I alt")]
    drift(spec, HL060, r"sheet '2. Fylke Prosent av arbeidsstyr'.*no national «I alt» row")


def test_unknown_code_in_the_fylke_sheet_is_refused() -> None:
    spec = hl060_spec()
    spec[FYLKE_COUNT][fylke_row(spec, FYLKE_COUNT, "Rogaland")][1] = "Vestlandet"
    drift(spec, HL060, r"row 11, column B: 'Vestlandet' is not a two-digit fylke code")


# --- rows above the table ---------------------------------------------------------------------


def test_unknown_rows_above_the_table_are_passed_over() -> None:
    spec = hl060_spec()
    sheet = spec["3. Kommune Antall"]
    sheet[3] = [None, 2026, None, None, "Publisert 2. september"]  # a number in B, text in E
    sheet[4] = [None, "Tallene er foreløpige", "¹ Se merknader"]
    frame = parse(spec, HL060)
    assert series(frame, "1101", "count") == [float(v) for v in EIGERSUND_HL060]
