"""Event windows around milestones: hand-computed values, alignment rules, breaks and errors.

All series here are synthetic: invented numbers shaped like the tidy frame.
"""

from __future__ import annotations

import datetime as dt
import inspect
import warnings

import polars as pl
import pytest

import navdata
from navdata.dataset import Dataset, Metadata
from navdata.errors import InvalidArgumentError, UnknownMilestoneError
from navdata.events import StatisticsBreakWarning, around
from navdata.key_figures import key_figure
from navdata.milestones import Milestone, Source
from navdata.periods import shift


def _two_regions() -> pl.DataFrame:
    # synthetic; trust-reform-nav-start is 2022-01-30, so period 0 is 2022M01
    return pl.DataFrame(
        {
            "region": ["03"] * 6 + ["11"] * 5,
            "period": [
                *("2021M10", "2021M11", "2021M12", "2022M01", "2022M02", "2022M03"),
                *("2021M09", "2021M11", "2021M12", "2022M01", "2022M02"),
            ],
            "value": [10.0, 12.0, 14.0, 20.0, 22.0, 99.0, 1000.0, 5.0, None, 6.0, 8.0],
        }
    )


def _monthly(first: str, values: list[float | None], **columns: str) -> pl.DataFrame:
    periods = [shift(first, i) for i in range(len(values))]
    extra = {name: [v] * len(values) for name, v in columns.items()}
    return pl.DataFrame({**extra, "period": periods, "value": values})


def test_hand_computed_window_per_region() -> None:
    result = around(_two_regions(), "trust-reform-nav-start", before=3, after=2)
    # 03: before 10, 12, 14 -> 12; after 20, 22 -> 21; 99 (2022M03) is outside.
    # 11: before 5 and a null -> 5 from one value; after 6, 8 -> 7; 1000 (2021M09) is outside.
    assert result.summary.rows() == [
        ("03", 3, 2, 12.0, 21.0, 9.0, 0.75),
        ("11", 1, 2, 5.0, 7.0, 2.0, 0.4),
    ]
    assert result.summary.columns == [
        "region",
        "n_before",
        "n_after",
        "mean_before",
        "mean_after",
        "change",
        "relative_change",
    ]
    assert (result.period_zero, result.first_period, result.last_period) == (
        "2022M01",
        "2021M10",
        "2022M02",
    )
    assert result.by == ("region",)
    assert result.frequency == "month"
    assert result.warnings == ()


def test_aligned_frame_numbers_periods_relative_to_the_milestone() -> None:
    frame = around(_two_regions(), "trust-reform-nav-start", before=3, after=2).frame
    assert frame.columns == ["region", "period", "value", "relative", "side"]
    assert frame.filter(pl.col("region") == "03").select("period", "relative", "side").rows() == [
        ("2021M10", -3, "before"),
        ("2021M11", -2, "before"),
        ("2021M12", -1, "before"),
        ("2022M01", 0, "after"),
        ("2022M02", 1, "after"),
    ]


def test_ungrouped_series_gives_one_summary_row() -> None:
    single = _two_regions().filter(pl.col("region") == "03").drop("region")
    result = around(single, "trust-reform-nav-start", before=3, after=2)
    assert result.by == ()
    assert result.summary.rows() == [(3, 2, 12.0, 21.0, 9.0, 0.75)]
    assert "region" not in result.frame.columns


def test_by_default_skips_date_status_and_label_columns() -> None:
    frame = _two_regions().with_columns(
        pl.lit(None, dtype=pl.String).alias("status"),
        pl.lit("Oslo").alias("region_label"),
        pl.lit(dt.date(2020, 1, 1)).alias("date"),
    )
    assert around(frame, "trust-reform-nav-start", 3, 2).by == ("region",)
    one_region = frame.filter(pl.col("region") == "03")
    by_hand = around(one_region, "trust-reform-nav-start", 3, 2, by=[])
    assert by_hand.by == ()
    assert by_hand.summary.rows() == [(3, 2, 12.0, 21.0, 9.0, 0.75)]


def test_group_without_rows_in_the_window_is_reported_with_zero_counts() -> None:
    frame = pl.concat([_two_regions(), _monthly("2010M01", [1.0, 2.0], region="50")])
    summary = around(frame, "trust-reform-nav-start", before=3, after=2).summary
    assert summary.filter(pl.col("region") == "50").rows() == [("50", 0, 0, None, None, None, None)]


def test_zero_mean_before_gives_null_relative_change() -> None:
    frame = _monthly("2021M11", [0.0, 0.0, 4.0, 6.0])
    row = around(frame, "trust-reform-nav-start", before=2, after=2).summary.row(0, named=True)
    assert (row["change"], row["relative_change"]) == (5.0, None)


def test_quarterly_series_places_a_month_precision_milestone() -> None:
    # job-seeker-registration-break-2018 is November 2018 -> 2018K4
    frame = pl.DataFrame(
        {"period": ["2018K2", "2018K3", "2018K4", "2019K1"], "value": [1.0, 3.0, 10.0, 20.0]}
    )
    with pytest.warns(StatisticsBreakWarning, match=r"the milestone itself"):
        result = around(frame, "job-seeker-registration-break-2018", before=2, after=2)
    assert result.period_zero == "2018K4"
    assert result.summary.rows() == [(2, 2, 2.0, 15.0, 13.0, 6.5)]


def test_yearly_series_places_a_year_precision_milestone() -> None:
    frame = pl.DataFrame(
        {"period": ["2020", "2021", "2022", "2023"], "value": [1.0, 2.0, 3.0, 5.0]}
    )
    # a bare frame names no series, so every break in 2020..2023 is reported (AKU, January 2021)
    with pytest.warns(StatisticsBreakWarning, match="aku-questionnaire-2021"):
        result = around(frame, "kai-op-ed-nav-trust-reform", before=2, after=2)
    assert result.period_zero == "2022"
    assert result.summary.rows() == [(2, 2, 1.5, 4.0, 2.5, 2.5 / 1.5)]


@pytest.mark.parametrize(
    ("milestone_id", "codes", "spans"),
    [
        ("kai-op-ed-nav-trust-reform", ["2021M12", "2022M01"], "2022M01 to 2022M12"),
        ("proposal-split-nav", ["2024", "2025"], "2025 to 2026"),
        ("lo-innlandet-op-ed", ["2022U35", "2022U36"], "2022U35 to 2022U39"),
    ],
)
def test_milestone_coarser_than_the_series_is_refused(
    milestone_id: str, codes: list[str], spans: str
) -> None:
    frame = pl.DataFrame({"period": codes, "value": [1.0, 2.0]})
    with pytest.raises(InvalidArgumentError, match=rf"spans periods {spans}"):
        around(frame, milestone_id)


def test_breaks_for_the_named_series_only() -> None:
    frame = _monthly("2023M01", [1.0] * 24)  # 2023M01 .. 2024M12
    with pytest.warns(StatisticsBreakWarning) as caught:
        result = around(
            frame, "county-reform-2024-in-force", before=12, after=12, series_id="nav.helt_ledige"
        )
    assert [m.id for m in result.warnings] == ["county-reform-2024-in-force"]
    assert len(caught) == 1
    assert "falls inside the window 2023M01..2024M12" in str(caught[0].message)

    with warnings.catch_warnings():
        warnings.simplefilter("error", StatisticsBreakWarning)
        quiet = around(frame, "county-reform-2024-in-force", series_id="ssb.aku.unemployment_rate")
    assert quiet.warnings == ()


def test_every_break_counts_when_the_series_is_unknown() -> None:
    frame = _monthly("2023M05", [1.0] * 30)
    with pytest.warns(StatisticsBreakWarning):
        result = around(frame, "job-seeker-register-2025", before=20, after=3)
    # window 2023M08 .. 2025M06 holds the 2024 county reform, the 2024 change in how SSB
    # estimates self-certified sickness absence, and the 2025 register itself
    assert result.first_period == "2023M08"
    assert [m.id for m in result.warnings] == [
        "county-reform-2024-in-force",
        "sickness-absence-self-certified-method-2024",
        "job-seeker-register-2025",
    ]


def test_dataset_input_and_its_series_id() -> None:
    class _Result:
        series_id = "ssb.aku.unemployment_rate"
        frame = _monthly("2023M01", [1.0] * 24)

    with warnings.catch_warnings():
        warnings.simplefilter("error", StatisticsBreakWarning)
        assert around(_Result(), "county-reform-2024-in-force").warnings == ()
    dataset = Dataset(_two_regions(), Metadata(dimensions=[]))
    assert around(dataset, "trust-reform-nav-start", 3, 2).summary.height == 2


def test_a_milestone_object_can_be_passed() -> None:
    event = Milestone(
        id="local-event",
        date=dt.date(2022, 1, 15),
        precision="day",
        title_nb="t",
        title_en="t",
        summary_nb="s",
        summary_en="s",
        category="policy",
        actors=("x",),
        tags=("labour-market",),
        sources=(Source(url="https://example.org", publisher="p", title="t", quote="q"),),
    )
    assert around(_two_regions(), event, 3, 2).period_zero == "2022M01"


def test_series_id_string_is_refused_with_a_hint() -> None:
    with pytest.raises(InvalidArgumentError, match=r"not the series id 'nav\.helt_ledige'"):
        around("nav.helt_ledige", "trust-reform-nav-start")
    with pytest.raises(InvalidArgumentError, match=r"not LazyFrame; call \.collect\(\)"):
        around(_two_regions().lazy(), "trust-reform-nav-start")


@pytest.mark.parametrize(
    ("frame", "kwargs", "message"),
    [
        (_two_regions(), {"before": 0}, r"before must be a whole number"),
        (_two_regions(), {"after": True}, r"after must be a whole number"),
        (_two_regions(), {"value": "antall"}, r"no value column 'antall'"),
        (_two_regions(), {"by": "sex"}, r"cannot group by \['sex'\]"),
        (_two_regions(), {"by": []}, r"more than one row for the same period"),
        (_two_regions().head(0), {}, r"the frame has no rows"),
        (_two_regions().with_columns(pl.col("value").cast(pl.String)), {}, r"not numbers"),
        (
            pl.DataFrame({"period": ["2021M12", "2022K1"], "value": [1.0, 2.0]}),
            {},
            r"one regular frequency",
        ),
        (pl.DataFrame({"period": ["2019-2022"], "value": [1.0]}), {}, r"one regular frequency"),
        (pl.DataFrame({"period": [None, "2022M01"], "value": [1.0, 2.0]}), {}, r"has nulls"),
    ],
)
def test_bad_input_is_a_clear_error(
    frame: pl.DataFrame, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidArgumentError, match=message):
        around(frame, "trust-reform-nav-start", **kwargs)  # type: ignore[arg-type]


def test_unknown_milestone() -> None:
    with pytest.raises(UnknownMilestoneError, match=r"did you mean 'trust-reform-nav-start'"):
        around(_two_regions(), "trust-reform-nav")


def test_a_dataset_groups_by_its_published_dimensions_not_per_value_columns() -> None:
    # the bundled key figure carries publisher/source_url/flags per value: not groups
    share = key_figure("keyfig.uforetrygd_share")
    with pytest.warns(StatisticsBreakWarning, match="disability-benefit-reform-in-force"):
        window = around(share, "disability-benefit-reform-in-force", before=3, after=3)
    assert window.by == ()
    row = window.summary.row(0, named=True)
    assert (row["n_before"], row["n_after"]) == (3, 3)
    assert row["mean_before"] == pytest.approx((9.5 + 9.3 + 9.4) / 3)  # 2012-2014
    assert row["mean_after"] == pytest.approx((9.4 + 9.5 + 9.6) / 3)  # 2015-2017
    # the bare frame still groups by every other text column, as documented
    with pytest.warns(StatisticsBreakWarning):
        bare = around(share.frame, "disability-benefit-reform-in-force", before=3, after=3)
    assert "source_url" in bare.by


def test_the_aku_questionnaire_break_warns_on_the_aku_series() -> None:
    """January 2021: SSB's new Labour Force Survey questionnaire breaks every AKU series."""
    frame = _monthly("2020M01", [4.0] * 36)
    with pytest.warns(StatisticsBreakWarning, match="aku-questionnaire-2021"):
        result = around(
            frame, "hurdal-platform", before=12, after=3, series_id="ssb.aku.unemployment_rate"
        )
    # window 2020M10 .. 2022M01 holds January 2021
    assert [m.id for m in result.warnings] == ["aku-questionnaire-2021"]
    # the same window on NAV's register counts no AKU break
    with warnings.catch_warnings():
        warnings.simplefilter("error", StatisticsBreakWarning)
        quiet = around(frame, "hurdal-platform", before=12, after=3, series_id="nav.helt_ledige")
    assert quiet.warnings == ()


def test_the_aku_break_warns_on_the_bundled_annual_aku_figures() -> None:
    figures = key_figure("keyfig.aku_unemployment_rate_annual")
    with pytest.warns(StatisticsBreakWarning, match="aku-questionnaire-2021"):
        result = around(
            figures,
            "hurdal-platform",
            before=3,
            after=1,
            series_id="keyfig.aku_unemployment_rate_annual",
        )
    assert result.period_zero == "2021"
    assert [m.id for m in result.warnings] == ["aku-questionnaire-2021"]


def test_a_break_warning_points_at_the_callers_line() -> None:
    """Issue 13: the warning named navdata's own line (access.py), not the user's."""
    frame = pl.DataFrame({"period": ["2020", "2021", "2022"], "value": [1.0, 2.0, 3.0]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = _line_after()
        navdata.around("keyfig.aku_unemployment_rate_annual", "aku-questionnaire-2021", 2, 2)
        around(frame, "aku-questionnaire-2021", 1, 1)
    assert [(w.category, w.filename, w.lineno) for w in caught] == [
        (StatisticsBreakWarning, __file__, line),
        (StatisticsBreakWarning, __file__, line + 1),
    ]


def _line_after() -> int:
    """The number of the line after the caller's."""
    frame = inspect.currentframe()
    assert frame is not None
    assert frame.f_back is not None
    return frame.f_back.f_lineno + 1
