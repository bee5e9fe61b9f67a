"""Result.plot: the series' own title, unit and breaks, one line per varying dimension."""

from __future__ import annotations

import polars as pl
import pytest

import navdata
from navdata.access import Result
from navdata.errors import InvalidArgumentError


def test_a_bundled_series_plots_with_its_title_and_its_breaks() -> None:
    result = navdata.get("keyfig.uforetrygd_share")
    chart = result.plot(lang="en", milestones="nav-reform")
    svg = chart.svg().decode()
    assert result.series.title.en in svg
    # the disability reform (2015) breaks this series: drawn as a shaded break, not a marker
    assert "disability-benefit-reform-in-force" in chart.breaks


def test_one_line_per_region_when_region_varies() -> None:
    base = navdata.get("keyfig.uforetrygd_share")
    # synthetic: two regions with the bundled series' shape, to exercise the grouping
    frame = pl.concat(
        [base.frame.with_columns(pl.lit(code).alias("region")) for code in ("03", "11")]
    )
    meta = navdata.Metadata(
        dimensions=[
            navdata.Dimension(id="region", label="region", codes=["03", "11"]),
            *base.meta.dimensions,
        ]
    )
    two = Result(frame, meta, base.series)
    assert two._varying_dimension() == "region"
    assert two.plot().svg().count(b"<path") > base.plot().svg().count(b"<path")


def test_several_varying_dimensions_ask_for_by() -> None:
    base = navdata.get("keyfig.uforetrygd_share")
    frame = base.frame.with_columns(
        pl.Series("region", ["03", "11"] * (base.frame.height // 2)),
        pl.Series("sex", ["1", "2"] * (base.frame.height // 2)),
    )
    meta = navdata.Metadata(
        dimensions=[
            navdata.Dimension(id="region", label="region", codes=["03", "11"]),
            navdata.Dimension(id="sex", label="sex", codes=["1", "2"]),
            *base.meta.dimensions,
        ]
    )
    with pytest.raises(InvalidArgumentError, match="region, sex"):
        Result(frame, meta, base.series).plot()
