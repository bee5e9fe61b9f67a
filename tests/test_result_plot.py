"""Result.plot: the series' own title, unit and breaks, one line per varying dimension."""

from __future__ import annotations

import polars as pl
import pytest

import navdata
from navdata.access import Result
from navdata.errors import InvalidArgumentError


def test_a_bundled_series_plots_with_its_title_and_its_milestones() -> None:
    result = navdata.get("keyfig.uforetrygd_share")
    chart = result.plot(lang="en", milestones="benefit-reform")
    svg = chart.svg().decode()
    assert result.series.title.en in svg
    # NAV's table carries on through the 2015 disability reform (every uførepensjon was converted
    # to uføretrygd): the reform is a marker on this series, not a shaded break
    assert "disability-benefit-reform-in-force" in chart.milestones
    assert chart.breaks == ()


def test_a_bundled_series_draws_its_own_breaks() -> None:
    base = navdata.get("keyfig.aku_unemployment_rate_annual")
    # synthetic: two made-up years after the bundled 2020, to reach the 2021 questionnaire break
    later = pl.DataFrame({"period": ["2021", "2022"], "value": [1.0, 2.0]})
    frame = pl.concat([base.frame.select("period", "value"), later])
    chart = Result(frame, base.meta, base.series).plot()
    assert chart.breaks == ("aku-questionnaire-2021",)
    assert base.plot().breaks == ()


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
