"""Property tests for the NAV text rules: Norwegian numbers, codes in labels, months, file names."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from navdata.sources.nav.cells import (
    MONTHS,
    file_name_period,
    month_number,
    parse_number,
    parse_value,
    split_region_label,
)

SPACES = st.sampled_from([" ", "\u00a0", "\u202f"])
NAMES = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzæøåÆØÅ -"), min_size=1, max_size=30
).map(lambda s: "X" + s.strip())


def norwegian(n: int, decimals: str, space: str) -> str:
    """Format like NAV's CSV/HTML: space-grouped thousands, decimal comma."""
    sign = "-" if n < 0 else ""
    grouped = f"{abs(n):,}".replace(",", space)
    return sign + grouped + ("," + decimals if decimals else "")


@settings(max_examples=300)
@given(
    n=st.integers(-10_000_000, 10_000_000),
    decimals=st.text(alphabet="0123456789", max_size=3),
    space=SPACES,
)
def test_norwegian_numbers_round_trip(n: int, decimals: str, space: str) -> None:
    text = norwegian(n, decimals, space)
    expected = float(f"{n}.{decimals}") if decimals else float(n)
    if n == 0 and text.startswith("-"):
        expected = -0.0
    assert parse_number(text) == expected
    assert parse_value(f"  {text} ") == (expected, None)


@given(st.integers(1000, 10**9))
def test_wrong_grouping_or_dot_decimal_is_refused(n: int) -> None:
    with pytest.raises(ValueError, match="not a number in Norwegian notation"):
        parse_number(f"{n:,}".replace(",", "."))  # "1.234" is ambiguous: refused
    with pytest.raises(ValueError, match="not a number"):
        parse_number(f"{n // 10} {n % 10}")  # a one-digit group is not a thousands group


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_native_numbers_pass_unchanged(x: float) -> None:
    assert parse_value(x) == (x, None)


@pytest.mark.parametrize("symbol", ["*", "..", ".", ":", "-"])
def test_status_symbols(symbol: str) -> None:
    assert parse_value(symbol) == (None, symbol)


@given(
    digits=st.sampled_from([2, 4, 6]),
    number=st.integers(0, 999_999),
    name=NAMES,
    space=SPACES,
)
def test_code_in_label(digits: int, number: int, name: str, space: str) -> None:
    code = str(number % 10**digits).zfill(digits)
    region = split_region_label(f"{code}{space}{name}  ")
    level = {2: "fylke", 4: "kommune", 6: "bydel"}[digits]
    assert region is not None
    assert (region.code, region.level) == (code, level)
    assert region.name == " ".join(name.split())


@given(digits=st.integers(1, 9).filter(lambda d: d not in {2, 4, 6}), name=NAMES)
def test_other_code_lengths_are_not_regions(digits: int, name: str) -> None:
    assert split_region_label("1" * digits + " " + name) is None


@given(NAMES)
def test_labels_without_code_are_not_regions(name: str) -> None:
    assert split_region_label(name) is None


def test_known_non_geographic_rows() -> None:
    region = split_region_label("Ukjent")
    assert region is not None
    assert (region.code, region.level) == ("Ukjent", "unknown")


@given(st.integers(0, 11), st.sampled_from([str.lower, str.upper, str.capitalize]))
def test_month_names_any_case(index: int, case: object) -> None:
    assert callable(case)
    assert month_number(f" {case(MONTHS[index])} ") == index + 1


def test_no_abbreviations() -> None:
    assert month_number("jan") is None
    assert month_number("okt.") is None


@given(st.integers(2000, 2099), st.integers(1, 12))
def test_file_name_periods(year: int, month: int) -> None:
    assert file_name_period(f"{year}{month:02d}_HL060 Helt ledige.xlsx") == (year, month)
    assert file_name_period(f"PST311 Nye mottakere_{year}_{month:02d}.xlsx") == (year, month)
    assert file_name_period("AAP155 Mottakere.xlsx") is None
