"""Where things go on a chart, in pixels: plot, legend, footer and the milestone label lanes."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from navdata.charts._model import Mark, Spec
from navdata.charts._style import BASE_DPI, FONT, LABEL_PT, TEXT_PT, TITLE_PT, day_number, px
from navdata.milestones import Milestone

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backends.backend_agg import RendererAgg

__all__ = ["Geometry", "Measure", "fraction", "legend_shape", "plan_marks", "y_tick_width"]


class Geometry:
    """Pixel layout of the figure: where the plot, the label lanes and the footer go."""

    def __init__(self, spec: Spec, measure: Measure) -> None:
        self.spec = spec
        self.pad = 10.0
        self.title_lines = measure.wrap(spec.title, TITLE_PT, spec.width - 2 * self.pad, "bold")
        self.title_h = len(self.title_lines) * px(TITLE_PT) * 1.3
        self.lane_h = px(LABEL_PT) * 1.5
        self.left = 0.0
        self.right = 20.0
        self.tick_h = px(TEXT_PT) * 1.4 + 6
        self.x_label_h = px(TEXT_PT) * 1.5

    def plot_width(self) -> float:
        return self.spec.width - self.left - self.right

    def bottom(self, legend_rows: int, note_lines: int) -> float:
        legend_h = legend_rows * px(TEXT_PT) * 1.6 + (6 if legend_rows else 0)
        note_h = note_lines * px(LABEL_PT) * 1.45 + 6
        return self.pad + note_h + legend_h + self.x_label_h + self.tick_h

    def max_lanes(self, bottom: float) -> int:
        fixed = self.pad + self.title_h + 8 + bottom
        room = self.spec.height - fixed - 0.4 * self.spec.height
        return max(0, min(16, int(room // self.lane_h)))


class Measure:
    """Text sizes in pixels, measured with the same font engine that draws the PNG."""

    def __init__(self) -> None:
        from matplotlib.backends.backend_agg import RendererAgg  # noqa: PLC0415

        self._renderer: RendererAgg = RendererAgg(1, 1, BASE_DPI)  # type: ignore[no-untyped-call]

    def width(self, text: str, size: float, weight: str = "normal") -> float:
        from matplotlib.font_manager import FontProperties  # noqa: PLC0415

        font = FontProperties(family=FONT, size=size, weight=weight)
        extent = self._renderer.get_text_width_height_descent(text, font, ismath=False)  # type: ignore[no-untyped-call]
        return float(extent[0])

    def wrap(self, text: str, size: float, room: float, weight: str = "normal") -> list[str]:
        lines: list[str] = []
        for word in text.split():
            candidate = f"{lines[-1]} {word}" if lines else word
            if lines and self.width(candidate, size, weight) <= room:
                lines[-1] = candidate
            else:
                lines.append(word)
        return lines or [""]

    def fit(self, text: str, size: float, room: float) -> str:
        """``text``, shortened with an ellipsis to fit ``room`` pixels."""
        if self.width(text, size) <= room:
            return text
        low, high = 1, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            if self.width(text[:middle].rstrip() + "…", size) <= room:
                low = middle
            else:
                high = middle - 1
        return text[:low].rstrip() + "…"


def fraction(
    left: float, bottom: float, width: float, height: float, spec: Spec
) -> tuple[float, float, float, float]:
    return (left / spec.width, bottom / spec.height, width / spec.width, height / spec.height)


def y_tick_width(axes: Axes, measure: Measure) -> float:
    low, high = axes.get_ylim()
    locs = [loc for loc in axes.yaxis.get_majorticklocs() if low <= loc <= high]
    formatter = axes.yaxis.get_major_formatter()
    texts = formatter.format_ticks(locs) if locs else ["0"]
    return max(measure.width(text, TEXT_PT) for text in texts)


def legend_shape(labels: Sequence[str], measure: Measure, room: float) -> tuple[int, int]:
    if not labels:
        return 1, 0
    widest = max(measure.width(label, TEXT_PT) for label in labels) + px(TEXT_PT) * 4.2
    columns = max(1, min(len(labels), int(room // widest)))
    return columns, math.ceil(len(labels) / columns)


def plan_marks(
    *,
    records: Sequence[Milestone],
    shaded_ids: set[str],
    x_limits: tuple[float, float],
    geometry: Geometry,
    measure: Measure,
    note_lines: int,
) -> list[Mark]:
    """Give every label a lane above the plot so that no label overlaps another or a connector.

    A label sits beside its marker (to the right, or to the left near the right edge) and its
    connector rises from the plot through every lower lane. Placing the newest marker first in
    the lowest lane that is free gives a staircase in which no connector crosses a label. A label
    longer than 35 % of the plot is shortened with an ellipsis, and shortened further when no
    lane has room for it (the SVG tooltip keeps the whole title); when even that fails, the
    marker is drawn without a label and the footer says so.
    """
    # Reserve room for the "not labelled" footer line in case it is needed.
    lanes = _Lanes(geometry.max_lanes(geometry.bottom(2, note_lines + 1)), px(LABEL_PT) * 0.8)
    width = geometry.plot_width()
    low, high = x_limits

    def to_px(day: dt.date) -> float:
        return (day_number(day) - low) / (high - low) * width

    longest = max(0.35 * width, 80.0)
    plan: list[Mark] = []
    for record in sorted(records, key=lambda r: (r.date, r.id), reverse=True):
        x = to_px(record.date)
        whisker_end = min(to_px(record.span[1] + dt.timedelta(days=1)), width)
        left_aligned = width - x - 4 >= 100.0
        room = min(longest, width - x - 4) if left_aligned else longest
        lane: int | None = None
        text = ""
        # When no lane is free for the label, try it shorter before leaving it out.
        for share in (1.0, 0.6, 0.35):
            text = measure.fit(record.title(geometry.spec.lang), LABEL_PT, max(room * share, 60))
            text_w = measure.width(text, LABEL_PT) + 4
            words = (x, x + text_w) if left_aligned else (x - text_w, x)
            lane = lanes.place(x, words, max(words[1], whisker_end))
            if lane is not None:
                break
        plan.append(Mark(record, record.id in shaded_ids, lane, text, left_aligned))
    return plan[::-1]


class _Lanes:
    """Rows of labels above the plot, each remembering its labels and the connectors through it."""

    def __init__(self, limit: int, gap: float) -> None:
        self.limit = limit
        self.gap = gap
        self.words: list[list[tuple[float, float]]] = []  # text extents: connectors avoid them
        self.taken: list[list[tuple[float, float]]] = []  # text and precision whisker
        self.connectors: list[list[float]] = []

    def place(self, x: float, words: tuple[float, float], reach: float) -> int | None:
        """The lowest free lane for a label whose connector at ``x`` crosses no text below it.

        ``words`` is the text's extent and ``reach`` where its precision whisker ends.
        """
        start, end = words[0] - self.gap, max(words[1], reach) + self.gap
        for lane in range(self.limit):
            if lane == len(self.taken):
                self.words.append([])
                self.taken.append([])
                self.connectors.append([])
            if any(a + 2 < x < b - 2 for a, b in self.words[lane]):
                return None  # the connector would cross this text, and so any higher lane too
            row_clear = all(end <= a or start >= b for a, b in self.taken[lane]) and all(
                not start + self.gap + 2 < c < end for c in self.connectors[lane]
            )
            if row_clear:
                self.words[lane].append(words)
                self.taken[lane].append((words[0], max(words[1], reach)))
                for row in self.connectors[: lane + 1]:
                    row.append(x)
                return lane
        return None
