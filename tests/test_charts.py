"""Charts: milestones, breaks, groups, formats, determinism and errors.

Series built here are synthetic (made-up values on real period codes); the key figures and the
milestone titles are the real bundled ones, quoted exactly as in datasets/timeline/milestones.toml.
"""

from __future__ import annotations

import datetime as dt
import math
import struct
import sys
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from navdata.charts import Chart, _choose, plot
from navdata.errors import (
    InvalidArgumentError,
    MissingDependencyError,
    NavdataError,
    UnknownMilestoneError,
)
from navdata.key_figures import key_figure
from navdata.milestones import parse_milestones
from navdata.periods import with_dates

SVG = "{http://www.w3.org/2000/svg}"

# Every trust-reform milestone dated 2019-01-01 .. 2025-12-31, oldest first (hand-checked).
TRUST_REFORM_2019_2025 = (
    "hurdal-platform",
    "government-note-on-trust-reform",
    "kai-op-ed-nav-trust-reform",
    "trust-reform-nav-start",
    "op-ed-lets-talk-about-distrust",
    "lo-innlandet-op-ed",
    "dfo-note-trust-reform",
    "nationen-editorial-trust-reform",
    "nav-outlook-2023",
    "user-survey-2024",
)


def _monthly(start_year: int, end_year: int) -> list[str]:
    return [f"{y}M{m:02d}" for y in range(start_year, end_year + 1) for m in range(1, 13)]


def _quarters(year: int) -> list[str]:
    return [f"{year}K{q}" for q in range(1, 5)]


def _helt_ledige() -> pl.DataFrame:
    """Synthetic monthly series 2023M01-2025M12 (values are made up)."""
    periods = _monthly(2023, 2025)
    return pl.DataFrame(
        {"period": periods, "value": [50_000.0 + 100 * i for i in range(len(periods))]}
    )


def _svg_tree(chart: Chart) -> ET.Element:
    return ET.fromstring(chart.svg())


def _group(root: ET.Element, gid: str) -> ET.Element | None:
    return next((g for g in root.iter(f"{SVG}g") if g.get("id") == gid), None)


def _tooltip(root: ET.Element, gid: str) -> str:
    group = _group(root, gid)
    assert group is not None, gid
    title = group.find(f"{SVG}title")
    assert title is not None, gid
    return title.text or ""


def _visible(root: ET.Element, gid: str) -> str:
    group = _group(root, gid)
    assert group is not None, gid
    return "".join(t.text or "" for t in group.iter(f"{SVG}text"))


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


# --- milestones ----------------------------------------------------------------------------------


def test_trust_reform_markers_carry_their_english_titles() -> None:
    chart = plot(
        key_figure("keyfig.nav_user_satisfaction"), milestones="trust-reform", lang="en", height=800
    )
    assert chart.milestones == TRUST_REFORM_2019_2025
    assert chart.unlabelled == ()
    root = _svg_tree(chart)
    assert _visible(root, "navdata-label-nationen-editorial-trust-reform") == (
        "Editorial: trust reform and NAV"
    )
    assert _visible(root, "navdata-label-hurdal-platform") == (
        "Hurdal platform launches the trust reform"
    )
    assert _tooltip(root, "navdata-milestone-trust-reform-nav-start") == (
        "2022-01-01 (known to the month): Trust reform starts in NAV via the 2022 allocation letter"
    )
    assert _tooltip(root, "navdata-milestone-user-survey-2024") == (
        "2024-01-01 (known to the year): User survey 2024"
    )
    title = root.find(f"{SVG}title")
    assert title is not None
    assert title.text == "NAV users satisfied with NAV (percent), user survey"


def test_norwegian_labels_are_the_nb_titles_shortened_only_with_an_ellipsis() -> None:
    chart = plot(key_figure("keyfig.nav_user_satisfaction"), milestones="trust-reform", height=800)
    root = _svg_tree(chart)
    assert _visible(root, "navdata-label-nationen-editorial-trust-reform") == (
        "Leder «Tillitsreform og Nav»"
    )
    full = (
        "Tillitsreformen starter i NAV: tildelingsbrevet for 2022 ber NAV gjennomgå mål og "
        "rapporteringskrav og lage en plan"
    )
    assert _tooltip(root, "navdata-label-trust-reform-nav-start") == (
        f"2022-01-01 (kjent til måneden): {full}"
    )
    shown = _visible(root, "navdata-label-trust-reform-nav-start")
    assert shown.endswith("…")
    assert full.startswith(shown[:-1])
    assert len(shown) > 20
    desc = root.find(f"{SVG}desc")
    assert desc is not None
    assert f"2022-01-01 (kjent til måneden): {full}" in (desc.text or "")


def test_markers_outside_the_data_range_are_not_drawn() -> None:
    # nav_user_trust starts in 2023: the Hurdal platform (2021-10-13) and everything dated
    # 2022 are outside; the trust reform's start in NAV is not drawn at all.
    chart = plot(key_figure("keyfig.nav_user_trust"), milestones="trust-reform")
    assert "hurdal-platform" not in chart.milestones
    assert chart.milestones == TRUST_REFORM_2019_2025[6:]
    root = _svg_tree(chart)
    assert _group(root, "navdata-milestone-hurdal-platform") is None
    assert _group(root, "navdata-milestone-trust-reform-nav-start") is None
    assert _group(root, "navdata-milestone-dfo-note-trust-reform") is not None


def test_explicit_ids_and_tags_mix() -> None:
    chart = plot(
        key_figure("keyfig.aku_unemployment_rate_annual"),
        milestones=["nav-established", "county-reform"],
    )
    # The periods run 2006 .. 2020, i.e. to 2020-12-31: neither the county split decision
    # (2022-06-14) nor the 2024 county reform falls inside.
    assert chart.milestones == ("nav-established",)
    later = plot(
        key_figure("keyfig.nav_user_satisfaction"), milestones=["hurdal-platform", "county-reform"]
    )
    assert later.milestones == (
        "hurdal-platform",
        "county-split-decided",
        "county-reform-2024-in-force",
    )


def test_crowded_markers_stay_drawn_and_the_footer_says_how_many_lost_their_label() -> None:
    chart = plot(key_figure("keyfig.nav_user_trust"), milestones="trust-reform", height=300)
    assert chart.unlabelled
    root = _svg_tree(chart)
    for milestone_id in chart.unlabelled:
        assert _group(root, f"navdata-milestone-{milestone_id}") is not None
        assert _group(root, f"navdata-label-{milestone_id}") is None
    texts = "".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert f"{len(chart.unlabelled)} milepæler uten etikett" in texts


def _milestone_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dates: list[str]) -> None:
    """Point the timeline at a synthetic file with one milestone per date (ids ``m-<date>``)."""
    records = "".join(
        f"""
[[milestone]]
id = "m-{day}"
date = {day}
precision = "day"
title_nb = "Syntetisk milepæl {day}"
title_en = "Synthetic milestone {day}"
summary_nb = "Syntetisk."
summary_en = "Synthetic."
category = "policy"
actors = ["Test"]
tags = ["nav-reform"]
sources = [
  {{ url = "https://example.org/{day}", title = "Synthetic", publisher = "Test", quote = "{day}" }},
]
"""
        for day in dates
    )
    path = tmp_path / "milestones.toml"
    path.write_text("# synthetic milestones for the chart range test\n" + records)
    # _choose picks the milestones a chart draws: it owns the load_milestones the test replaces
    monkeypatch.setattr(_choose, "load_milestones", lambda: parse_milestones(path.read_bytes()))


def test_a_yearly_series_reaches_the_end_of_its_last_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _milestone_file(tmp_path, monkeypatch, ["2021-12-31", "2022-06-14", "2022-12-31", "2023-01-02"])
    yearly = pl.DataFrame({"period": ["2020", "2021", "2022"], "value": [1.0, 2.0, 3.0]})
    chart = plot(yearly, milestones="nav-reform")
    assert chart.milestones == ("m-2021-12-31", "m-2022-06-14", "m-2022-12-31")
    low, high = chart.figure.axes[0].get_xlim()
    assert low < _day(dt.date(2020, 1, 1))
    assert high > _day(dt.date(2023, 1, 1))  # the end of 2022 plus a margin
    # The points stay at the first day of their period.
    (line,) = _data_lines(chart)
    assert [x for x, _ in _points(line)] == [
        _day(dt.date(year, 1, 1)) for year in (2020, 2021, 2022)
    ]
    # Without a period column the range ends at the last date.
    dated = yearly.with_columns(pl.col("period").str.to_date("%Y").alias("date")).drop("period")
    assert plot(dated, milestones="nav-reform").milestones == ("m-2021-12-31",)


def test_the_aku_key_figure_shows_a_milestone_late_in_its_last_year() -> None:
    # The AKU figures end with 2020 (plotted at 2020-01-01); the statement of 2020-10-13 falls
    # inside the last year, the questionnaire break of January 2021 does not.
    eea = plot(key_figure("keyfig.aku_unemployment_rate_annual"), milestones="eea-case")
    assert "eea-case-statement-on-nou-2020-9" in eea.milestones
    labour = plot(key_figure("keyfig.aku_unemployment_rate_annual"), milestones="labour-market")
    assert "aku-questionnaire-2021" not in labour.milestones


# --- gaps ----------------------------------------------------------------------------------------


def _data_lines(chart: Chart) -> list[Line2D]:
    return [
        line
        for line in chart.figure.axes[0].lines
        if (line.get_gid() or "").startswith("navdata-line-")
    ]


def _points(line: Line2D) -> list[tuple[float, float]]:
    """The line's (x, y) data as plain floats; NaN where the pen lifts."""
    return [(float(x), float(y)) for x, y in np.asarray(line.get_xydata(), dtype=float)]


def _segments(line: Line2D) -> list[list[dt.date]]:
    """The runs of points the line joins (matplotlib lifts the pen at every NaN)."""
    runs: list[list[dt.date]] = [[]]
    for x, y in _points(line):
        if math.isnan(y):
            runs.append([])
        else:
            runs[-1].append(dt.date(1970, 1, 1) + dt.timedelta(days=round(x)))
    return [run for run in runs if run]


def _years(runs: list[list[dt.date]]) -> list[list[int]]:
    return [[day.year for day in run] for run in runs]


def test_the_aku_line_breaks_exactly_at_its_missing_years() -> None:
    chart = plot(key_figure("keyfig.aku_unemployment_rate_annual"))
    (line,) = _data_lines(chart)
    assert _years(_segments(line)) == [
        [2006, 2007],
        [2009, 2010, 2011, 2012, 2013, 2014],
        [2019, 2020],
    ]
    svg = chart.svg().decode("utf-8")
    group = _group(ET.fromstring(svg), "navdata-line-1")
    assert group is not None
    stroke = group.find(f"{SVG}path")  # the line itself; the markers follow in <defs>/<use>
    assert stroke is not None
    assert (stroke.get("d") or "").count("M ") == 3  # three pen-down runs in the SVG too


def test_gaps_break_each_group_by_its_own_periods_and_null_values_break_too() -> None:
    frame = pl.DataFrame(
        {
            "region": ["03"] * 4 + ["11"] * 4,
            # region 03 lacks 2024K3; region 11 has every quarter but a null 2024K2
            "period": [*("2024K1", "2024K2", "2024K4", "2025K1"), *_quarters(2024)],
            "value": [1.0, 2.0, 3.0, 4.0, 5.0, None, 7.0, 8.0],
        }
    )
    first, second = _data_lines(plot(frame, by="region"))
    quarters = [[(d.year, (d.month - 1) // 3 + 1) for d in run] for run in _segments(first)]
    assert quarters == [[(2024, 1), (2024, 2)], [(2024, 4), (2025, 1)]]
    quarters = [[(d.year, (d.month - 1) // 3 + 1) for d in run] for run in _segments(second)]
    assert quarters == [[(2024, 1)], [(2024, 3), (2024, 4)]]


def test_without_a_period_column_only_null_values_break_the_line() -> None:
    days = [dt.date(2024, 1, 1), dt.date(2024, 3, 1), dt.date(2024, 9, 1), dt.date(2024, 10, 1)]
    frame = pl.DataFrame({"date": days, "value": [1.0, 2.0, None, 4.0]})
    (line,) = _data_lines(plot(frame))
    assert _segments(line) == [days[:2], days[3:]]


def test_an_isolated_point_in_a_long_series_keeps_a_marker() -> None:
    periods = _monthly(2020, 2024)  # 60 months: too many to mark every point
    values: list[float | None] = [float(i) for i in range(len(periods))]
    values[29] = values[31] = None  # 2022M07 stands alone
    del periods[40], values[40]  # 2023M05 missing: 2023M04 and 2023M06 are no single points
    (line,) = _data_lines(plot(pl.DataFrame({"period": periods, "value": values})))
    runs = _segments(line)
    assert [len(run) for run in runs] == [29, 1, 8, 19]
    assert runs[1] == [dt.date(2022, 7, 1)]
    assert line.get_marker() == "o"
    every = line.get_markevery()
    assert isinstance(every, list)
    assert [_points(line)[i] for i in every] == [(_day(dt.date(2022, 7, 1)), 30.0)]


# --- statistics breaks ---------------------------------------------------------------------------


def _day(day: dt.date) -> float:
    """``day`` on matplotlib's date axis: days since its default epoch, 1970-01-01."""
    return float((day - dt.date(1970, 1, 1)).days)


def _break_span(chart: Chart, milestone_id: str) -> tuple[float, float]:
    axes = chart.figure.axes[0]
    (patch,) = [p for p in axes.patches if p.get_gid() == f"navdata-break-{milestone_id}"]
    assert isinstance(patch, Rectangle)
    return patch.get_x(), patch.get_x() + patch.get_width()


def test_breaks_affecting_the_series_are_shaded() -> None:
    chart = plot(_helt_ledige(), series_id="nav.helt_ledige", lang="en")
    # The November 2018 registration break is outside 2023-2025.
    assert chart.breaks == ("county-reform-2024-in-force", "job-seeker-register-2025")
    start, end = _break_span(chart, "job-seeker-register-2025")  # month precision: all April
    assert start == pytest.approx(_day(dt.date(2025, 4, 1)))
    assert end == pytest.approx(_day(dt.date(2025, 5, 1)))
    start, end = _break_span(chart, "county-reform-2024-in-force")  # a day: a thin band
    assert start == pytest.approx(_day(dt.date(2024, 1, 1)))
    assert 1 <= end - start < 10
    root = _svg_tree(chart)
    assert _tooltip(root, "navdata-break-job-seeker-register-2025") == (
        "2025-04-01 (known to the month): New job-seeker register; statistics break"
    )
    legend = [t.get_text() for t in chart.figure.legends[0].get_texts()]
    assert legend == ["Statistics break"]


def test_breaks_can_be_switched_off_or_named() -> None:
    assert plot(_helt_ledige(), series_id="nav.helt_ledige", breaks=False).breaks == ()
    assert plot(_helt_ledige()).breaks == ()  # no series id: nothing to match
    named = plot(_helt_ledige(), breaks=["job-seeker-register-2025"])
    assert named.breaks == ("job-seeker-register-2025",)
    with pytest.raises(InvalidArgumentError, match="not tagged statistics-break"):
        plot(_helt_ledige(), breaks=["hurdal-platform"])


def test_a_break_asked_for_as_a_milestone_is_shaded_not_doubled() -> None:
    chart = plot(
        _helt_ledige(), series_id="nav.helt_ledige", milestones=["job-seeker-register-2025"]
    )
    assert chart.milestones == ()
    assert "job-seeker-register-2025" in chart.breaks


# --- groups --------------------------------------------------------------------------------------


def _regions(codes: list[str]) -> pl.DataFrame:
    periods = _monthly(2024, 2024)
    return pl.DataFrame(
        {
            "region": [code for code in codes for _ in periods],
            "region_label": [f"Fylke {code}" for code in codes for _ in periods],
            "period": periods * len(codes),
            "value": [float(i) for i in range(len(codes) * len(periods))],
        }
    )


def test_one_line_per_region_with_a_legend_entry_each() -> None:
    chart = plot(_regions(["46", "03", "11"]), by="region", milestones="county-reform")
    legend = [t.get_text() for t in chart.figure.legends[0].get_texts()]
    assert legend == ["Fylke 03", "Fylke 11", "Fylke 46", "Milepæl"]
    lines = [
        line
        for line in chart.figure.axes[0].lines
        if (line.get_gid() or "").startswith("navdata-line-")
    ]
    colours = {line.get_color() for line in lines}
    assert len(lines) == 3
    assert len(colours) == 3
    root = _svg_tree(chart)
    assert all(_group(root, f"navdata-line-{n}") is not None for n in (1, 2, 3))


def test_too_many_groups_is_a_clear_error_and_max_lines_raises_the_cap() -> None:
    codes = [f"{n:02d}" for n in range(1, 10)]
    with pytest.raises(InvalidArgumentError, match=r"9 groups .* max_lines=8"):
        plot(_regions(codes), by="region")
    chart = plot(_regions(codes), by="region", max_lines=9)
    assert len(chart.figure.legends[0].get_texts()) == 9


# --- output --------------------------------------------------------------------------------------


def test_png_has_the_signature_and_the_requested_size() -> None:
    chart = plot(key_figure("keyfig.uforetrygd_share"), width=640, height=400)
    assert _png_size(chart.png()) == (640, 400)
    assert _png_size(chart.png(dpi=200)) == (1280, 800)
    assert _png_size(plot(key_figure("keyfig.uforetrygd_share")).png()) == (960, 540)


def test_svg_is_byte_identical_across_renders_and_threads() -> None:
    def draw() -> bytes:
        return plot(key_figure("keyfig.nav_user_trust"), milestones="trust-reform", lang="en").svg()

    first = draw()
    assert first == draw()
    results: list[bytes] = []
    threads = [threading.Thread(target=lambda: results.append(draw())) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [first] * 3
    assert b'width="960px" height="540px"' in first


def test_save_picks_the_format_from_the_suffix_and_leaves_no_temporary_files(
    tmp_path: Path,
) -> None:
    chart = plot(key_figure("keyfig.uforetrygd_share"))
    svg, png = chart.save(tmp_path / "chart.svg"), chart.save(tmp_path / "chart.PNG")
    assert svg.read_bytes() == chart.svg()
    assert _png_size(png.read_bytes()) == (960, 540)
    with pytest.raises(InvalidArgumentError, match=r"\.svg or \.png"):
        chart.save(tmp_path / "chart.jpg")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.PNG", "chart.svg"]


# --- words around the chart ----------------------------------------------------------------------


def test_titles_units_and_attribution_come_from_the_metadata() -> None:
    chart = plot(key_figure("keyfig.uforetrygd_share"))
    axes = chart.figure.axes[0]
    assert axes.get_ylabel() == "Prosent"
    assert axes.get_xlabel() == "Periode"
    texts = [t.get_text() for t in chart.figure.texts]
    assert texts[0] == key_figure("keyfig.uforetrygd_share").meta.label
    note = texts[1]
    assert note.startswith("Kilde: ")
    assert note.endswith(", lisens CC BY 4.0")
    english = plot(key_figure("keyfig.uforetrygd_share"), lang="en", unit="% of population")
    assert english.figure.axes[0].get_ylabel() == "% of population"
    assert english.figure.texts[1].get_text().startswith("Source: ")


def test_a_bare_frame_gets_a_note_only_when_given_one() -> None:
    bare = plot(_helt_ledige(), title="Helt ledige (syntetisk)")
    assert [t.get_text() for t in bare.figure.texts] == ["Helt ledige (syntetisk)"]
    noted = plot(_helt_ledige(), source_note="Kilde: NAV, CC BY 4.0")
    assert noted.figure.texts[1].get_text() == "Kilde: NAV, CC BY 4.0"


def test_norwegian_tick_labels_use_a_decimal_comma_and_spaced_thousands() -> None:
    chart = plot(_helt_ledige())
    axes = chart.figure.axes[0]
    formatter = axes.yaxis.get_major_formatter()
    labels = formatter.format_ticks([50_000.0, 52_500.0, 55_000.0])
    assert labels == ["50\u00a0000", "52\u00a0500", "55\u00a0000"]
    assert formatter.format_ticks([1.0, 1.5, 2.0]) == ["1,0", "1,5", "2,0"]


# --- errors --------------------------------------------------------------------------------------


def test_clear_errors() -> None:
    frame = _helt_ledige()
    with pytest.raises(InvalidArgumentError, match="no value column 'antall'"):
        plot(frame, value="antall")
    with pytest.raises(InvalidArgumentError, match="no rows"):
        plot(frame.clear())
    with pytest.raises(InvalidArgumentError, match="every value in 'value' is null"):
        plot(frame.with_columns(pl.lit(None, dtype=pl.Float64).alias("value")))
    with pytest.raises(InvalidArgumentError, match="not numbers"):
        plot(frame.with_columns(pl.col("value").cast(pl.String)))
    with pytest.raises(InvalidArgumentError, match="more than one row"):
        plot(pl.concat([frame, frame]))
    with pytest.raises(InvalidArgumentError, match="no 'date' column and no 'period'"):
        plot(frame.drop("period"))
    with pytest.raises(InvalidArgumentError, match="column 'date' holds String, not dates"):
        plot(frame.with_columns(pl.col("period").alias("date")))
    timestamps = with_dates(frame).with_columns(pl.col("date").cast(pl.Datetime("ms", "UTC")))
    assert isinstance(plot(timestamps), Chart)  # a datetime column is dates too
    with pytest.raises(InvalidArgumentError, match="lang must be"):
        plot(frame, lang="nn")
    with pytest.raises(InvalidArgumentError, match="width"):
        plot(frame, width=10)


def test_unknown_milestone_tag_or_id_suggests_the_right_one() -> None:
    with pytest.raises(UnknownMilestoneError, match="did you mean 'trust-reform'"):
        plot(_helt_ledige(), milestones="trust-reforms")
    with pytest.raises(UnknownMilestoneError, match="'no-such-milestone' is neither"):
        plot(_helt_ledige(), milestones=["trust-reform", "no-such-milestone"])
    with pytest.raises(UnknownMilestoneError, match="did you mean 'job-seeker-register-2025'"):
        plot(_helt_ledige(), breaks=["job-seeker-register-2024"])


def test_missing_matplotlib_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(MissingDependencyError, match=r'pip install "navdata\[plot\]"') as info:
        plot(_helt_ledige())
    assert isinstance(info.value, NavdataError)
    assert isinstance(info.value, ImportError)
