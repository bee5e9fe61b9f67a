"""Drawing a chart with matplotlib's object API on the Agg canvas (never ``pyplot``).

No display, browser or network is needed, and several threads of a web server can draw at once
(under the lock :func:`~navdata.charts._style.rendering` holds).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from navdata.charts._chart import Chart
from navdata.charts._layout import (
    Geometry,
    Measure,
    fraction,
    legend_shape,
    plan_marks,
    y_tick_width,
)
from navdata.charts._model import Line, Mark, Spec
from navdata.charts._style import (
    BASE_DPI,
    BREAK_EDGE,
    BREAK_FACE,
    DASHES,
    LABEL_PT,
    MARK_COLOUR,
    PALETTE,
    TEXT_PT,
    TITLE_PT,
    day_number,
    px,
)
from navdata.charts._words import WORDS, description, tooltip
from navdata.language import Language
from navdata.milestones import Milestone

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["draw"]


def draw(
    spec: Spec,
    lines: Sequence[Line],
    marked: Sequence[Milestone],
    shaded: Sequence[Milestone],
    data_range: tuple[dt.date, dt.date],
) -> Chart:
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415
    from matplotlib.figure import Figure  # noqa: PLC0415

    measure = Measure()
    geometry = Geometry(spec, measure)
    figure = Figure(figsize=(spec.width / BASE_DPI, spec.height / BASE_DPI), dpi=BASE_DPI)
    FigureCanvasAgg(figure)
    figure.patch.set_facecolor("white")
    axes = figure.add_axes((0.1, 0.1, 0.8, 0.8))
    handles = _draw_lines(axes, lines, spec)
    x_limits = _x_limits(data_range)
    axes.set_xlim(*x_limits)
    _style_axes(axes, spec)
    geometry.left = y_tick_width(axes, measure) + px(TEXT_PT) * 1.6 + 16

    labels = [line.label for line in lines] if spec.grouped else []
    if shaded:
        labels.append(WORDS["break"][spec.lang])
    if marked:
        labels.append(WORDS["milestone"][spec.lang])
    legend_columns, legend_rows = legend_shape(labels, measure, geometry.plot_width())
    note_lines = [spec.note] if spec.note else []
    plan = plan_marks(
        records=[*marked, *shaded],
        shaded_ids={r.id for r in shaded},
        x_limits=x_limits,
        geometry=geometry,
        measure=measure,
        note_lines=len(note_lines),
    )
    unlabelled = tuple(m.record.id for m in plan if m.lane is None)
    if unlabelled:
        note_lines.append(WORDS["unlabelled"][spec.lang].format(n=len(unlabelled)))
    bottom = geometry.bottom(legend_rows, len(note_lines))
    lanes = max((m.lane + 1 for m in plan if m.lane is not None), default=0)
    lanes_h = lanes * geometry.lane_h + (4 if lanes else 0)
    top = geometry.pad + geometry.title_h + 8 + lanes_h
    plot_h = spec.height - top - bottom
    axes.set_position(fraction(geometry.left, bottom, geometry.plot_width(), plot_h, spec))

    tooltips: dict[str, str] = {}
    _draw_marks_on_plot(axes, plan, x_limits, tooltips, spec.lang)
    if lanes:
        lane_axes = figure.add_axes(
            fraction(geometry.left, bottom + plot_h, geometry.plot_width(), lanes_h, spec),
            sharex=axes,
        )
        _draw_lanes(
            lane_axes, plan=plan, lanes=lanes, x_limits=x_limits, tooltips=tooltips, lang=spec.lang
        )
    legend_handles = handles if spec.grouped else []
    legend_handles.extend(_legend_keys(bool(shaded), bool(marked)))
    if legend_handles:
        figure.legend(
            handles=legend_handles,
            labels=labels,
            loc="upper left",
            bbox_to_anchor=(
                geometry.left / spec.width,
                (bottom - geometry.tick_h - geometry.x_label_h) / spec.height,
            ),
            ncols=legend_columns,
            frameon=False,
            fontsize=TEXT_PT,
            borderaxespad=0,
            borderpad=0,
            handlelength=2.4,
            columnspacing=1.6,
        )
    figure.text(
        0.5,
        1 - (geometry.pad / spec.height),
        "\n".join(geometry.title_lines),
        ha="center",
        va="top",
        fontsize=TITLE_PT,
        fontweight="bold",
        linespacing=1.2,
    )
    if note_lines:
        figure.text(
            geometry.pad / spec.width,
            geometry.pad / spec.height,
            "\n".join(note_lines),
            ha="left",
            va="bottom",
            fontsize=LABEL_PT,
            color="#333333",
        )
    return Chart(
        figure,
        title=spec.title,
        description=description(spec, lines, data_range, plan),
        tooltips=tooltips,
        size=(spec.width, spec.height),
        milestones=tuple(m.record.id for m in plan if not m.shaded),
        breaks=tuple(m.record.id for m in plan if m.shaded),
        unlabelled=unlabelled,
    )


def _draw_lines(axes: Axes, lines: Sequence[Line], spec: Spec) -> list[Any]:
    import numpy as np  # noqa: PLC0415

    handles: list[Any] = []
    for index, line in enumerate(lines):
        xs, ys, single = _pen_path(line)
        dots = len(line.dates) <= 40
        (handle,) = axes.plot(
            np.array(xs, dtype=float),
            np.array(ys, dtype=float),
            color=PALETTE[index % len(PALETTE)],
            linestyle=DASHES[index // len(PALETTE)],
            linewidth=2.0,
            marker="o" if dots or single else None,
            markevery=None if dots else single,
            markersize=3.5,
            label=line.label or spec.title,
            zorder=3,
        )
        handle.set_gid(f"navdata-line-{index + 1}")
        handles.append(handle)
    return handles


def _pen_path(line: Line) -> tuple[list[float], list[float], list[int]]:
    """Points with a NaN wherever the pen lifts (a gap or a null), and the lone points' indices.

    matplotlib draws no segment to or from a NaN, so one Line2D per group keeps one colour,
    one legend entry and one SVG group while showing every gap.
    """
    xs: list[float] = []
    ys: list[float] = []
    for day, number, follows in zip(line.dates, line.values, line.follows, strict=True):
        if xs and not follows:
            xs.append(xs[-1])
            ys.append(math.nan)
        xs.append(day_number(day))
        ys.append(math.nan if number is None else number)
    single = [
        i
        for i, y in enumerate(ys)
        if not math.isnan(y)
        and (i == 0 or math.isnan(ys[i - 1]))
        and (i == len(ys) - 1 or math.isnan(ys[i + 1]))
    ]
    return xs, ys, single


def _x_limits(data_range: tuple[dt.date, dt.date]) -> tuple[float, float]:

    first, last = (day_number(day) for day in data_range)
    margin = max((last - first) * 0.02, 15.0) if last > first else 183.0
    return first - margin, last + margin


def _style_axes(axes: Axes, spec: Spec) -> None:
    import matplotlib.dates as mdates  # noqa: PLC0415

    # Up to 10 ticks: a yearly series of 17 years (2006 .. end of 2022) keeps 2-year steps.
    locator = mdates.AutoDateLocator(minticks=3, maxticks=10)  # type: ignore[no-untyped-call]
    formatter = mdates.ConciseDateFormatter(  # type: ignore[no-untyped-call]
        locator,
        formats=["%Y", "%Y-%m", "%Y-%m-%d", "%H:%M", "%H:%M", "%S.%f"],
        zero_formats=["", "%Y", "%Y-%m", "%Y-%m-%d", "%H:%M", "%H:%M"],
        show_offset=False,
    )
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(formatter)
    axes.yaxis.set_major_formatter(_number_formatter(spec.lang))
    axes.tick_params(labelsize=TEXT_PT, colors="#333333")
    axes.set_xlabel(WORDS["period"][spec.lang], fontsize=TEXT_PT, color="#333333")
    axes.set_ylabel(spec.y_label, fontsize=TEXT_PT, color="#333333")
    axes.grid(axis="y", color="#dddddd", linewidth=0.8, zorder=0)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def _number_formatter(lang: Language) -> Any:
    from matplotlib.ticker import Formatter  # noqa: PLC0415

    class NumberFormatter(Formatter):
        """Tick labels with the language's separators (nb: ``12 345,5``; en: ``12,345.5``)."""

        decimals = 0

        def set_locs(self, locs: Sequence[float]) -> None:
            # As few decimals as show every tick exactly (0.25 steps need two), at most six.
            self.decimals = next(
                (
                    d
                    for d in range(7)
                    if all(abs(round(loc, d) - loc) <= 1e-9 * max(1.0, abs(loc)) for loc in locs)
                ),
                6,
            )

        def __call__(self, x: float, pos: int | None = None) -> str:
            return _format_number(x, self.decimals, lang)

    return NumberFormatter()


def _format_number(number: float, decimals: int, lang: Language) -> str:
    text = f"{number:,.{decimals}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]
    if lang == "nb":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text.replace("-", "\u2212")


def _legend_keys(shaded: bool, marked: bool) -> list[Any]:
    from matplotlib.lines import Line2D  # noqa: PLC0415
    from matplotlib.patches import Patch  # noqa: PLC0415

    keys: list[Any] = []
    if shaded:
        keys.append(Patch(facecolor=BREAK_FACE, edgecolor=BREAK_EDGE, hatch="///", linewidth=0))
    if marked:
        keys.append(Line2D([], [], color=MARK_COLOUR, linewidth=1.0))
    return keys


def _draw_marks_on_plot(
    axes: Axes,
    plan: Sequence[Mark],
    x_limits: tuple[float, float],
    tooltips: dict[str, str],
    lang: Language,
) -> None:

    thin = max((x_limits[1] - x_limits[0]) * 0.004, 1.0)
    for mark in plan:
        record = mark.record
        start = day_number(record.span[0])
        gid = f"navdata-{'break' if mark.shaded else 'milestone'}-{record.id}"
        if mark.shaded:
            end = day_number(record.span[1] + dt.timedelta(days=1))
            if record.precision == "day":
                end = start + thin
            artist: Any = axes.axvspan(
                start,
                end,
                facecolor=BREAK_FACE,
                edgecolor=BREAK_EDGE,
                hatch="///",
                linewidth=0,
                zorder=1,
            )
        else:
            style = "-" if record.precision == "day" else (0, (2, 2))
            artist = axes.axvline(
                start, color=MARK_COLOUR, linewidth=1.0, linestyle=style, zorder=2
            )
        artist.set_gid(gid)
        tooltips[gid] = tooltip(record, lang)


def _draw_lanes(
    axes: Axes,
    *,
    plan: Sequence[Mark],
    lanes: int,
    x_limits: tuple[float, float],
    tooltips: dict[str, str],
    lang: Language,
) -> None:

    axes.set_axis_off()
    axes.set_ylim(0, lanes)
    axes.set_xlim(*x_limits)
    for mark in plan:
        if mark.lane is None:
            continue
        record = mark.record
        x = day_number(record.date)
        style = "-" if record.precision == "day" else (0, (2, 2))
        axes.plot([x, x], [0, mark.lane + 0.85], color=MARK_COLOUR, linewidth=0.8, linestyle=style)
        if record.precision != "day":
            end = min(day_number(record.span[1] + dt.timedelta(days=1)), x_limits[1])
            axes.plot([x, end], [mark.lane + 0.12] * 2, color=MARK_COLOUR, linewidth=0.8)
        label = axes.text(
            x + (1 if mark.left_aligned else -1) * (x_limits[1] - x_limits[0]) * 0.004,
            mark.lane + 0.25,
            mark.text,
            ha="left" if mark.left_aligned else "right",
            va="baseline",
            fontsize=LABEL_PT,
            fontstyle="italic" if mark.shaded else "normal",
            color="#222222",
        )
        gid = f"navdata-label-{record.id}"
        label.set_gid(gid)
        tooltips[gid] = tooltip(record, lang)
