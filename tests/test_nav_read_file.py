"""navdata.sources.nav.read_file: a NAV file on disk -> tidy Dataset.

Against NAV's REAL HL060 workbook (January-October 2022) in ``../shared/fixtures/nav-real`` when
that folder exists (the figures are the ones its README lists, read cell by cell), and against
SYNTHETIC workbooks and CSV text otherwise.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import shutil
from pathlib import Path

import polars as pl
import pytest

from nav_workbooks import EIGERSUND_AAP, aap155_spec, hl060_spec, pst302_spec, to_xlsx
from navdata.errors import InvalidArgumentError, LayoutError, UnknownTableError
from navdata.sources.nav import read_file
from shared_files import shared_path
from test_docs_examples import DOCS, blocks
from test_nav_csv_links import CSV_TEXT

REAL_SHA256 = "5b559a30be73b396dba7b55f753fe1fa03ead2a805bc186d8053b42f82fa3958"
MONTHS_2022 = [f"2022M{m:02d}" for m in range(1, 11)]
S = "*"


@pytest.fixture(scope="module")
def real_path() -> Path:
    (path,) = shared_path("fixtures", "nav-real").glob("*.xlsx")
    return path


@pytest.fixture(scope="module")
def real(real_path: Path) -> pl.DataFrame:
    return read_file(real_path).frame


def cells(frame: pl.DataFrame, region: str, measure: str = "count") -> list[float | str | None]:
    """The row as NAV shows it: numbers, or the status symbol where the value is suppressed."""
    rows = frame.filter((pl.col("region") == region) & (pl.col("measure") == measure))
    assert rows["period"].to_list() == MONTHS_2022
    return [s if v is None else v for v, s in rows.select("value", "status").iter_rows()]


# --- the real HL060 workbook ---------------------------------------------------------------------


def test_real_hl060_kommune_figures(real: pl.DataFrame) -> None:
    assert cells(real, "1101") == [172, 164, 161, 163, 108, 110, 136, 92, 85, 99]
    assert cells(real, "1151") == [4, *[S] * 9]
    assert cells(real, "1144") == [4, 4, *[S] * 8]
    assert cells(real, "0301")[0] == 13_613
    assert cells(real, "2100")[0] == 30
    assert cells(real, "1101", "share") == [2.3, 2.2, 2.1, 2.2, 1.4, 1.5, 1.8, 1.2, 1.1, 1.3]
    assert cells(real, "2100", "share") == [S] * 10
    kommuner = real.filter(pl.col("region_level") == "kommune")["region"].unique()
    assert kommuner.len() == 357
    assert "2100" in kommuner.to_list()


def test_real_hl060_totals_come_from_navs_fylke_sheets(real: pl.DataFrame) -> None:
    assert cells(real, "0")[0] == 74_143  # NAV's national «I alt» row
    assert cells(real, "0", "share")[0] == 2.6
    assert cells(real, "03")[0] == 13_613  # = «I alt Oslo» in the kommune sheet
    assert cells(real, "11")[0] == 6_146
    assert cells(real, "Ukjent")[0] == 9
    assert cells(real, "Ukjent", "share") == [S] * 10
    levels = dict(real.select("region", "region_level").unique().iter_rows())
    assert levels["0"] == "country"
    assert sorted(c for c, level in levels.items() if level == "fylke") == [
        "03", "11", "15", "18", "30", "34", "38", "42", "46", "50", "54",
    ]  # fmt: skip


def test_real_hl060_other_areas_keep_navs_code_99(real_path: Path) -> None:
    ds = read_file(real_path)
    labels = ds.meta.dimension("region").labels
    assert labels["99"] == "Øvrige områder"
    assert "21" not in labels
    assert cells(ds.frame, "99") == [30, 21, 10, 10, 8, 5, 10, 13, 9, 11]  # = 2100 Svalbard
    assert cells(ds.frame, "99", "share") == [S] * 10


def test_real_hl060_national_total_is_the_sum_of_its_fylke_level_rows(real: pl.DataFrame) -> None:
    """Fylker + 99 «Øvrige områder» + «Ukjent» = NAV's «I alt», every month (no count is
    suppressed at that level)."""
    counts = real.filter(pl.col("measure") == "count")
    parts = counts.filter(pl.col("region_level").is_in(["fylke", "unknown"]))
    summed = parts.group_by("period").agg(pl.col("value").sum()).sort("period")
    national = counts.filter(pl.col("region") == "0").sort("period")
    assert summed["value"].to_list() == national["value"].to_list()
    assert national["value"][1] == 64_439


def test_real_hl060_suppressed_cells_and_shape(real: pl.DataFrame) -> None:
    stars = real.filter(pl.col("status") == "*").group_by("measure").len().sort("measure")
    # README: 144 «*» in the count sheet; 184 in the share sheet, 174 without «I alt Ukjent»
    assert stars.rows() == [("count", 144), ("share", 174)]
    assert real.filter(pl.col("status").is_null())["value"].null_count() == 0
    assert real.height == (357 + 11 + 3) * 10 * 2  # kommuner, fylker, 0 + 99 + Ukjent


def test_real_hl060_identified_by_title_when_given_bytes(real_path: Path) -> None:
    content = real_path.read_bytes()
    ds = read_file(content)
    assert ds.meta.provenance is not None
    assert ds.meta.provenance.table == "HL060"
    assert ds.meta.provenance.content_hash == f"sha256:{REAL_SHA256}"
    assert hashlib.sha256(content).hexdigest() == REAL_SHA256
    assert ds.frame.equals(read_file(real_path, table="hl060").frame)


def test_real_hl060_read_as_another_table_is_refused(real_path: Path) -> None:
    with pytest.raises(LayoutError, match=r"has no sheet '1. Kommune. Antall'"):
        read_file(real_path, table="AAP155")


def test_the_real_file_example_in_the_docs_prints_what_the_page_says(
    real_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/nav-files.md shows a block the offline docs test skips (it needs NAV's workbook):
    run it here, on the real file under NAV's own file name, and compare with the page."""
    found = blocks((DOCS / "nav-files.md").read_text(encoding="utf-8"))
    at = next(i for i, b in enumerate(found) if b.skip and "test_nav_read_file" in b.skip)
    code, shown = found[at], found[at + 1]
    assert (code.language, shown.language, shown.follows_previous) == ("python", "text", True)
    name = "202210_HL060 Helt ledige. Fylke og kommune. Tidsserie maaned.xlsx"
    shutil.copyfile(real_path, tmp_path / name)  # a temporary copy, never in the repository
    monkeypatch.chdir(tmp_path)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code.body, "docs/nav-files.md", "exec"), {"__name__": "docs_nav_files"})
    assert printed.getvalue().rstrip() == shown.body.rstrip()


# --- synthetic files ----------------------------------------------------------------------------


def test_table_from_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "AAP155 Mottakere.xlsx"
    path.write_bytes(to_xlsx(aap155_spec()))
    ds = read_file(path)
    assert ds.meta.provenance is not None
    assert ds.meta.provenance.table == "AAP155"
    assert ds.meta.provenance.query == {"file_name": "AAP155 Mottakere.xlsx", "page_url": None}
    rows = ds.frame.filter((pl.col("region") == "1101") & (pl.col("measure") == "count"))
    assert rows["value"].to_list() == [float(v) for v in EIGERSUND_AAP]


def test_table_from_the_title_when_the_name_says_nothing(tmp_path: Path) -> None:
    path = tmp_path / "download (3).xlsx"
    path.write_bytes(to_xlsx(pst302_spec()))
    assert read_file(path).meta.label == "Mottakere av uføretrygd. Kommune og bydel. Måned"
    assert read_file(to_xlsx(hl060_spec())).meta.label == (
        "Helt ledige. Fylke og kommune. Tidsserie måned"
    )


def test_bytes_are_identified_by_title_and_hashed(tmp_path: Path) -> None:
    """The synthetic twin of test_real_hl060_identified_by_title_when_given_bytes."""
    content = to_xlsx(hl060_spec())
    ds = read_file(content)
    assert ds.meta.provenance is not None
    assert ds.meta.provenance.table == "HL060"
    assert ds.meta.provenance.content_hash == f"sha256:{hashlib.sha256(content).hexdigest()}"
    assert ds.frame.equals(read_file(content, table="hl060").frame)


def test_a_file_read_as_another_table_is_refused() -> None:
    """The synthetic twin of test_real_hl060_read_as_another_table_is_refused."""
    with pytest.raises(LayoutError, match=r"has no sheet '1. Kommune. Antall'"):
        read_file(to_xlsx(hl060_spec()), table="AAP155")


def test_a_file_naming_no_table_is_refused_with_the_supported_ones() -> None:
    spec = hl060_spec()
    spec["3. Kommune Antall"][1][2] = "Noe annet"
    with pytest.raises(UnknownTableError) as caught:
        read_file(to_xlsx(spec))
    assert str(caught.value) == (
        "cannot tell which NAV table the file holds: neither its name nor its title names one of "
        "the tables navdata reads (HL060, AAP155, PST302, HL-CSV); pass table=, e.g. "
        "read_file(path, table='HL060')"
    )
    with pytest.raises(UnknownTableError, match="known tables: HL060, AAP155, PST302, HL-CSV"):
        read_file(to_xlsx(spec), table="HL070")


def test_the_csv_with_its_month_from_the_name_or_given(tmp_path: Path) -> None:
    path = tmp_path / "helt_ledige_2026_08.csv"
    path.write_bytes(CSV_TEXT.encode("cp1252"))
    named = read_file(path)
    assert set(named.frame["period"]) == {"2026M08"}
    given = read_file(CSV_TEXT.encode(), period="2026M07")
    assert set(given.frame["period"]) == {"2026M07"}
    assert given.meta.provenance is not None
    assert given.meta.provenance.table == "HL-CSV"
    with pytest.raises(InvalidArgumentError, match=r"pass period='2026M08'"):
        read_file(CSV_TEXT.encode())
    with pytest.raises(InvalidArgumentError, match=r"is a quarter"):
        read_file(CSV_TEXT.encode(), period="2026K3")


def test_period_is_only_for_the_csv_and_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InvalidArgumentError, match="period= is only for the CSV"):
        read_file(to_xlsx(hl060_spec()), period="2026M08")
    with pytest.raises(InvalidArgumentError, match=r"cannot read the NAV file .*nope.xlsx"):
        read_file(tmp_path / "nope.xlsx")
    with pytest.raises(InvalidArgumentError, match=r"cannot read the NAV file .*null byte"):
        read_file("hl060\x00.xlsx")  # was a bare ValueError from the file system call
