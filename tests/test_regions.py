"""Region codes: levels, chains and splits across the reforms, harmonising to one vintage."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from navdata.errors import RegionError
from navdata.regions import (
    NAV_OTHER_AREAS,
    NAV_OTHER_AREAS_NAMES,
    Change,
    ChangeTable,
    bundled_table,
    current_code,
    fylke_of,
    harmonise,
    level_of,
    levels,
    nav_fylke_of,
)

TODAY = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("0", "country"),
        ("00", "country"),
        ("Landet", "country"),
        ("03", "fylke"),
        ("31", "fylke"),
        ("99", "unknown"),
        ("0301", "kommune"),
        ("2100", "kommune"),  # Svalbard
        ("0399", "unknown"),  # "Uoppgitt kommune" in Oslo
        ("3099", "unknown"),
        ("Ukjent", "unknown"),
        ("030101", "bydel"),
        ("030101a", "bydel"),
        ("110301", "bydel"),
        ("abc", "unknown"),
        ("123", "unknown"),
        (" 1101 ", "kommune"),
    ],
)
def test_level_of(code: str, level: str) -> None:
    assert level_of(code) == level


def test_levels_vectorised_matches_scalar() -> None:
    codes = ["0", "03", "0301", "0399", "030101", "Ukjent", None, "xyz", "2100"]
    out = levels(pl.Series("region", codes))
    assert out.name == "region"
    assert out.to_list() == [None if c is None else level_of(c) for c in codes]
    assert out.to_list()[:4] == ["country", "fylke", "kommune", "unknown"]


def test_fylke_of() -> None:
    assert fylke_of("1101") == "11"
    assert fylke_of("030101") == "03"
    assert fylke_of("46") == "46"
    with pytest.raises(RegionError, match="country code"):
        fylke_of("0")


def test_bundled_table_is_sourced_and_complete_for_fylker() -> None:
    table = bundled_table()
    assert all(change.source for change in table.changes)
    fylke_hops = {(c.old_code, c.new_code) for c in table.changes if c.level == "fylke"}
    assert {("30", "31"), ("30", "32"), ("30", "33"), ("38", "39"), ("38", "40")} <= fylke_hops
    assert {("54", "55"), ("54", "56"), ("01", "30"), ("02", "30"), ("06", "30")} <= fylke_hops
    assert len(fylke_hops) == 2 + 13 + 7  # 2018, 2020 and 2024 hops


def test_chains_and_splits_today() -> None:
    assert current_code("0111", TODAY) == ["3110"]
    assert current_code("3011", TODAY) == ["3110"]
    assert current_code("0104", TODAY) == ["3103"]
    assert current_code("0136", TODAY) == ["3103"]
    assert current_code("0101", TODAY) == ["3101"]
    assert current_code("1507", TODAY) == ["1508", "1580"]
    assert current_code("30", TODAY) == ["31", "32", "33"]
    assert current_code("01", TODAY) == ["31", "32", "33"]  # via 30: territory, not code
    assert current_code("16", TODAY) == ["50"]
    assert current_code("0301", TODAY) == ["0301"]
    assert current_code("1101", TODAY) == ["1101"]


def test_codes_at_an_earlier_date() -> None:
    assert current_code("0111", date(2021, 5, 1)) == ["3011"]
    assert current_code("3110", date(2021, 5, 1)) == ["3011"]
    assert current_code("3110", date(2019, 12, 31)) == ["0111"]
    assert current_code("3103", date(2019, 1, 1)) == ["0104", "0136"]
    assert current_code("31", date(2022, 1, 1)) == ["30"]
    assert current_code("31", date(2019, 1, 1)) == ["01", "02", "06"]
    assert current_code("1508", date(2023, 12, 31)) == ["1507"]
    # the day of the change already belongs to the new codes
    assert current_code("0111", date(2020, 1, 1)) == ["3011"]


def test_special_codes_pass_through() -> None:
    for code in ("0", "Landet", "0399", "99", "030101", "Ukjent"):
        assert current_code(code, TODAY) == [code]


def test_gap_in_bundled_table_is_refused_not_guessed() -> None:
    # 0105 Sarpsborg was renumbered in 2020, but the bundled table does not source that row.
    with pytest.raises(RegionError, match="fylke 01 did not exist") as info:
        current_code("0105", TODAY)
    assert "refresh_from_klass" in str(info.value)
    with pytest.raises(RegionError, match="fylke 31 did not exist"):
        current_code("3105", date(2019, 6, 1))


def test_walk_respects_dates_when_a_code_comes_back() -> None:
    reused = ChangeTable(
        [
            Change("kommune", "1111", "1112", date(2020, 1, 1)),
            Change("kommune", "1112", "1111", date(2021, 1, 1)),
        ],
        origin="synthetic reuse",
    )
    assert current_code("1111", TODAY, table=reused) == ["1111"]
    assert current_code("1111", date(2020, 6, 1), table=reused) == ["1112"]
    assert current_code("1112", date(2019, 6, 1), table=reused) == ["1111"]


def frame(rows: list[tuple[str, str, float | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows, schema={"region": pl.String, "period": pl.String, "value": pl.Float64}, orient="row"
    )


def test_harmonise_sums_merged_units_and_recodes_chains() -> None:
    data = frame(
        [
            ("0104", "2019", 10.0),
            ("0136", "2019", 5.0),
            ("3002", "2021", 16.0),
            ("3103", "2024", 17.0),
            ("0111", "2019", 1.0),
            ("0301", "2019", 100.0),
        ]
    )
    out = harmonise(data, vintage="2024")
    assert out.columns == ["region", "period", "value"]
    assert out.rows() == [
        ("3103", "2019", 15.0),
        ("3103", "2021", 16.0),
        ("3103", "2024", 17.0),
        ("3110", "2019", 1.0),
        ("0301", "2019", 100.0),
    ]


def test_harmonise_null_in_a_merge_gives_null_and_keeps_status() -> None:
    data = pl.DataFrame(
        {
            "region": ["0104", "0136", "0301"],
            "region_label": ["Moss", "Rygge", "Oslo"],
            "period": ["2019", "2019", "2019"],
            "value": [10.0, None, 3.0],
            "status": [None, ":", None],
        }
    )
    out = harmonise(data, vintage=date(2024, 1, 1))
    assert out.columns == ["region", "period", "value", "status"]
    assert out.rows() == [("3103", "2019", None, ":"), ("0301", "2019", 3.0, None)]


def test_harmonise_refuses_splits_unless_told() -> None:
    data = frame([("1507", "2023", 100.0), ("1101", "2023", 7.0)])
    with pytest.raises(RegionError, match=r"1507 -> 1508\+1580.*weights"):
        harmonise(data, vintage="2024")
    dropped = harmonise(data, vintage="2024", on_split="drop")
    assert dropped.rows() == [("1101", "2023", 7.0)]
    weighted = harmonise(data, vintage="2024", weights={"1507": {"1508": 0.75, "1580": 0.25}})
    assert weighted.rows() == [
        ("1508", "2023", 75.0),
        ("1580", "2023", 25.0),
        ("1101", "2023", 7.0),
    ]
    with pytest.raises(RegionError, match="summing to 1"):
        harmonise(data, vintage="2024", weights={"1507": {"1508": 0.5, "1580": 0.25}})
    with pytest.raises(RegionError, match="summing to 1"):
        harmonise(data, vintage="2024", weights={"1507": {"1508": 1.0}})


def test_harmonise_backwards_to_an_older_vintage() -> None:
    data = frame(
        [("31", "2024", 1.0), ("32", "2024", 2.0), ("33", "2024", 3.0), ("03", "2024", 9.0)]
    )
    out = harmonise(data, vintage="2020")
    assert out.rows() == [("30", "2024", 6.0), ("03", "2024", 9.0)]


def test_harmonise_names_missing_columns() -> None:
    with pytest.raises(RegionError, match="no column 'region'"):
        harmonise(pl.DataFrame({"kommune": ["0301"], "value": [1.0]}))
    with pytest.raises(RegionError, match="no column 'antall'"):
        harmonise(frame([("0301", "2020", 1.0)]), value="antall")


def test_nav_files_svalbard_under_99_and_99_stays_outside_the_fylker() -> None:
    """NAV's «Øvrige områder» is 99 in its fylke sheets and holds 2100 Svalbard; no fylke 21."""
    assert NAV_OTHER_AREAS == "99"
    assert {"Øvrige områder", "Svalbard og øvrige områder"} == NAV_OTHER_AREAS_NAMES
    assert nav_fylke_of("2100") == "99"
    assert nav_fylke_of("1101") == fylke_of("1101") == "11"
    assert nav_fylke_of("030101") == "03"
    assert fylke_of("2100") == "21"  # the digits, for other publishers' codes
    assert level_of(NAV_OTHER_AREAS) == "unknown"
    with pytest.raises(RegionError, match="has no fylke"):
        nav_fylke_of("Ukjent")
