"""Property tests: mapping is idempotent, chains end in valid codes, harmonise keeps the total."""

from __future__ import annotations

from datetime import date

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from navdata.errors import RegionError
from navdata.regions import bundled_table, current_code, harmonise

TABLE = bundled_table()
OLD_CODES = sorted({c.old_code for c in TABLE.changes} | {c.new_code for c in TABLE.changes})
STABLE = ["0301", "1101", "1103", "03", "11", "15", "18", "2100"]  # unchanged 2015-2030
DATES = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31))


@settings(max_examples=200)
@given(st.sampled_from(OLD_CODES + STABLE), DATES)
def test_mapping_is_idempotent_and_ends_in_valid_codes(code: str, at: date) -> None:
    try:
        mapped = current_code(code, at)
    except RegionError:
        return  # a documented gap of the bundled table (kommune of a fylke not yet/no longer there)
    assert mapped
    for result in mapped:
        assert TABLE.valid_at(result, at)
        assert current_code(result, at) == [result]


@settings(max_examples=100)
@given(DATES)
def test_stable_codes_map_to_themselves(at: date) -> None:
    for code in STABLE:
        assert current_code(code, at) == [code]


MERGEABLE = ["0104", "0136", "3002", "3103", "0111", "3011", "3110", "0101", "3001", "3101", "0301"]
MERGEABLE_FYLKER = ["01", "02", "06", "30", "16", "17", "50", "03", "04", "05", "34"]


@settings(max_examples=150)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(MERGEABLE + MERGEABLE_FYLKER),
            st.sampled_from(["2019", "2021", "2024"]),
            st.integers(0, 10_000).map(float),
        ),
        min_size=1,
        max_size=30,
        unique_by=lambda row: (row[0], row[1]),
    )
)
def test_harmonise_preserves_the_total(rows: list[tuple[str, str, float]]) -> None:
    frame = pl.DataFrame(
        rows, schema={"region": pl.String, "period": pl.String, "value": pl.Float64}, orient="row"
    )
    # Fylke 30 splits in 2024, so harmonise those to 2022 and the rest to 2024.
    out = (
        harmonise(frame, vintage="2022")
        if any(r[0] in MERGEABLE_FYLKER for r in rows)
        else (harmonise(frame, vintage="2024"))
    )
    assert out["value"].sum() == frame["value"].sum()
    per_period_in = frame.group_by("period").agg(pl.col("value").sum()).sort("period")
    per_period_out = out.group_by("period").agg(pl.col("value").sum()).sort("period")
    assert per_period_in.equals(per_period_out)
    assert out.select("region", "period").is_duplicated().sum() == 0


@settings(max_examples=100)
@given(st.lists(st.floats(0, 1000, allow_nan=False), min_size=1, max_size=5), st.floats(0.01, 0.99))
def test_weighted_split_preserves_the_total(values: list[float], share: float) -> None:
    frame = pl.DataFrame(
        {
            "region": ["1507"] * len(values),
            "period": [f"20{i:02d}" for i in range(len(values))],
            "value": values,
        }
    )
    out = harmonise(frame, weights={"1507": {"1508": share, "1580": 1 - share}})
    total_in = float(frame["value"].sum())
    total_out = float(out["value"].sum())
    assert abs(total_out - total_in) < 1e-6 * (1 + total_in)
    assert out["region"].unique().sort().to_list() == ["1508", "1580"]
