"""Line charts of a series with timeline milestones and statistics breaks, as SVG or PNG.

A chart is drawn with matplotlib's object API on the Agg canvas only (never ``pyplot``), so it
needs no display, no browser and no network, and several threads of a web server can draw at
once. matplotlib keeps some settings process-wide (``rcParams``), so drawing and rendering take
one lock and set the few settings a chart depends on (bundled DejaVu fonts, a fixed SVG hash
salt, text kept as text) only for their duration; two renders of one chart are byte-identical.

matplotlib is an optional dependency (``pip install "navdata[plot]"``) imported on first use.
"""

from __future__ import annotations

import datetime as dt
import difflib
import importlib
import io
import math
import os
import re
import textwrap
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from xml.sax.saxutils import escape, quoteattr

import polars as pl

from navdata._files import write_atomic
from navdata.dataset import Dataset, Metadata
from navdata.errors import InvalidArgumentError, MissingDependencyError, UnknownMilestoneError
from navdata.language import Language, check_language
from navdata.milestones import TAGS, Milestone, load_milestones
from navdata.periods import frequencies, ordinals, parse_period, with_dates

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.figure import Figure

__all__ = ["Chart", "plot"]

# Okabe & Ito (2008): eight colours told apart with every common colour-vision deficiency.
# Yellow is last because it is faint on white; beyond eight lines the dash pattern changes too.
PALETTE: Final = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#000000",
    "#F0E442",
)
_DASHES: Final = ("-", "--", "-.", ":")
MAX_LINES_LIMIT: Final = len(PALETTE) * len(_DASHES)

BASE_DPI: Final = 100  # ``width`` and ``height`` are pixels at this resolution
_FONT: Final = "DejaVu Sans"  # bundled with matplotlib: no system fonts needed
_RC: Final[Mapping[str, Any]] = {
    "svg.hashsalt": "navdata",  # clip-path and pattern ids from a fixed salt, not a random one
    "svg.fonttype": "none",  # text stays text: searchable, selectable, read by screen readers
    "font.family": [_FONT],
    "font.sans-serif": [_FONT],
    "axes.unicode_minus": True,
}
_LOCK: Final = threading.RLock()

_TITLE_PT: Final = 13.0
_TEXT_PT: Final = 9.0
_LABEL_PT: Final = 8.0
_MARK_COLOUR: Final = "#4d4d4d"
_BREAK_FACE: Final = (0.55, 0.55, 0.55, 0.28)
_BREAK_EDGE: Final = (0.35, 0.35, 0.35, 0.55)

_WORDS: Final[Mapping[str, Mapping[Language, str]]] = {
    "period": {"nb": "Periode", "en": "Period"},
    "value": {"nb": "Verdi", "en": "Value"},
    "milestone": {"nb": "Milepæl", "en": "Milestone"},
    "break": {"nb": "Brudd i statistikken", "en": "Statistics break"},
    "source": {"nb": "Kilde", "en": "Source"},
    "licence": {"nb": "lisens", "en": "licence"},
    "unlabelled": {
        "nb": "{n} milepæler uten etikett (se navdata.timeline())",
        "en": "{n} milestones not labelled (see navdata.timeline())",
    },
    "chart": {"nb": "Linjediagram", "en": "Line chart"},
    "markers": {"nb": "Milepæler", "en": "Milestones"},
    "breaks": {"nb": "Brudd", "en": "Breaks"},
}
_UNITS: Final[Mapping[str, Mapping[Language, str]]] = {
    "percent": {"nb": "Prosent", "en": "Per cent"},
    "persons": {"nb": "Personer", "en": "Persons"},
    "nok": {"nb": "Kroner", "en": "NOK"},
}
_PRECISION_WORDS: Final[Mapping[str, Mapping[Language, str]]] = {
    "day": {"nb": "", "en": ""},
    "month": {"nb": " (kjent til måneden)", "en": " (known to the month)"},
    "year": {"nb": " (kjent til året)", "en": " (known to the year)"},
    "session": {"nb": " (kjent til stortingssesjonen)", "en": " (known to the session)"},
}


# --- the result ----------------------------------------------------------------------------------


class Chart:
    """A drawn chart: render it as SVG or PNG, or save it; ``figure`` is the matplotlib Figure."""

    __slots__ = (
        "_description",
        "_height",
        "_title",
        "_tooltips",
        "_width",
        "breaks",
        "figure",
        "milestones",
        "unlabelled",
    )

    def __init__(
        self,
        figure: Figure,
        *,
        title: str,
        description: str,
        tooltips: Mapping[str, str],
        size: tuple[int, int],
        milestones: tuple[str, ...],
        breaks: tuple[str, ...],
        unlabelled: tuple[str, ...],
    ) -> None:
        self.figure = figure
        #: Ids of the milestones drawn as vertical markers, oldest first.
        self.milestones = milestones
        #: Ids of the statistics breaks drawn as shaded spans, oldest first.
        self.breaks = breaks
        #: Ids of drawn milestones whose label did not fit (their tooltip still names them).
        self.unlabelled = unlabelled
        self._title = title
        self._description = description
        self._tooltips = dict(tooltips)
        self._width, self._height = size

    def __repr__(self) -> str:
        return f"<navdata.Chart {self._title!r} {self._width}x{self._height}px>"

    def svg(self) -> bytes:
        """The chart as a standalone, accessible SVG document (same bytes on every call)."""
        with _rendering():
            buffer = io.BytesIO()
            self.figure.savefig(buffer, format="svg", metadata={"Date": None})
        return _accessible_svg(
            buffer.getvalue().decode("utf-8"),
            title=self._title,
            description=self._description,
            tooltips=self._tooltips,
            size=(self._width, self._height),
        ).encode("utf-8")

    def png(self, dpi: float = BASE_DPI) -> bytes:
        """The chart as PNG; ``width`` x ``height`` pixels at the default ``dpi`` (100).

        A higher ``dpi`` scales the pixel size in proportion (200 gives a sharp image for
        high-density screens at twice the size).
        """
        if not (isinstance(dpi, int | float) and 10 <= dpi <= 1000):
            raise InvalidArgumentError(f"dpi must be a number from 10 to 1000, not {dpi!r}")
        with _rendering():
            buffer = io.BytesIO()
            self.figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        return buffer.getvalue()

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the chart to ``path`` (``.svg`` or ``.png``) atomically; return the path."""
        target = Path(path)
        suffix = target.suffix.lower()
        if suffix == ".svg":
            payload = self.svg()
        elif suffix == ".png":
            payload = self.png()
        else:
            msg = f"cannot tell the format of {str(target)!r}; end the file name in .svg or .png"
            raise InvalidArgumentError(msg)
        return write_atomic(target, payload, fsync=False)

    def _repr_svg_(self) -> str:
        """Show the chart inline in Jupyter."""
        return self.svg().decode("utf-8")


# --- the entry point -----------------------------------------------------------------------------


def plot(
    data: Dataset | pl.DataFrame,
    *,
    title: str | None = None,
    by: str | None = None,
    value: str = "value",
    date: str = "date",
    milestones: str | Sequence[str] | None = None,
    breaks: bool | Sequence[str] = True,
    series_id: str | None = None,
    lang: str = "nb",
    unit: str | None = None,
    source_note: str | None = None,
    width: int = 960,
    height: int = 540,
    max_lines: int = len(PALETTE),
) -> Chart:
    """Draw ``data`` as a line chart with timeline milestones and statistics breaks.

    ``by`` names a column to draw one line per group (legend labels come from a ``<by>_label``
    column or the dataset's dimension labels); more than ``max_lines`` groups is an error rather
    than an unreadable chart. ``date`` is derived from a ``period`` column when missing.

    Each point is drawn at the first day of its period (the ``date`` column), so a point sits on
    the tick that names its period and matches the frame a reader inspects; the point stands for
    the whole period that begins there. With a ``period`` column the x-axis therefore runs to
    the END of the last period, so that a milestone dated later in the last year (or quarter,
    month ...) is drawn; without one it runs to the last date. A line is broken rather than
    drawn across missing data: where two consecutive observations of a group are not adjacent
    periods of one frequency (``2007`` then ``2009``), and at null values. A point with no
    neighbour on either side keeps a marker so that it does not vanish.

    ``milestones`` takes a timeline tag (``"trust-reform"``), milestone ids, a mix of both, or
    ``"all"``; those dated inside the data's range are drawn as labelled vertical markers
    (dotted when the date is known only to the month, year or session). ``breaks=True`` shades
    the statistics breaks that affect ``series_id`` (taken from the dataset when not given);
    a sequence of milestone ids shades exactly those. A break known to the month or year
    shades that whole span. ``width`` and ``height`` are pixels; ``lang`` is ``"nb"`` or
    ``"en"``. An attribution line is added whenever the data names its publisher.
    """
    _require_matplotlib()
    language = check_language(lang)
    _check_size(width, height)
    _check_max_lines(max_lines)
    frame: object = data.frame if isinstance(data, Dataset) else data
    meta = data.meta if isinstance(data, Dataset) else None
    if not isinstance(frame, pl.DataFrame):
        msg = f"plot() takes a navdata Dataset or a polars DataFrame, not {type(data).__name__}"
        raise InvalidArgumentError(msg)
    lines = _lines(frame, meta, value=value, date=date, by=by, max_lines=max_lines)
    first, last = _date_range(lines)
    series = series_id if series_id is not None else _series_id_of(meta)
    shaded = _breaks(breaks, series, first, last)
    shaded_ids = {record.id for record in shaded}
    marked = [m for m in _milestones(milestones, first, last) if m.id not in shaded_ids]
    spec = _Spec(
        title=title if title is not None else _default_title(meta, language, series, value),
        y_label=unit if unit is not None else _default_unit(meta, language),
        note=source_note if source_note is not None else _default_note(frame, meta, language),
        lang=language,
        width=width,
        height=height,
        grouped=by is not None,
    )
    with _rendering():
        return _draw(spec, lines, marked, shaded, (first, last))


# --- checking and preparing the data -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Line:
    label: str
    dates: list[dt.date]  # where each point is drawn: the first day of its period
    values: list[float | None]
    ends: list[dt.date]  # the last day each point stands for (its date without a period column)
    follows: list[bool]  # whether each point continues from the one before (no gap between)


@dataclass(frozen=True, slots=True)
class _Spec:
    title: str
    y_label: str
    note: str | None
    lang: Language
    width: int
    height: int
    grouped: bool


def _require_matplotlib() -> None:
    try:
        importlib.import_module("matplotlib")
    except ImportError as exc:
        msg = 'charts need matplotlib, which is not installed; run: pip install "navdata[plot]"'
        raise MissingDependencyError(msg) from exc


def _check_size(width: object, height: object) -> None:
    for name, size in (("width", width), ("height", height)):
        if not isinstance(size, int) or isinstance(size, bool) or not 200 <= size <= 4000:
            msg = f"{name} must be a whole number of pixels from 200 to 4000, not {size!r}"
            raise InvalidArgumentError(msg)


def _check_max_lines(max_lines: object) -> None:
    if not isinstance(max_lines, int) or not 1 <= max_lines <= MAX_LINES_LIMIT:
        msg = f"max_lines must be a whole number from 1 to {MAX_LINES_LIMIT}, not {max_lines!r}"
        raise InvalidArgumentError(msg)


def _lines(
    frame: pl.DataFrame,
    meta: Metadata | None,
    *,
    value: str,
    date: str,
    by: str | None,
    max_lines: int,
) -> list[_Line]:
    if frame.height == 0:
        raise InvalidArgumentError("nothing to plot: the frame has no rows")
    if value not in frame.columns:
        msg = f"no value column {value!r}; the frame has {frame.columns} (pass value=...)"
        raise InvalidArgumentError(msg)
    if not frame.schema[value].is_numeric():
        msg = f"column {value!r} holds {frame.schema[value]}, not numbers; pass value=..."
        raise InvalidArgumentError(msg)
    if date not in frame.columns:
        if "period" not in frame.columns:
            msg = f"no {date!r} column and no 'period' column to derive dates from; pass date=..."
            raise InvalidArgumentError(msg)
        frame = with_dates(frame, period="period", date=date)
    if not isinstance(frame.schema[date], pl.Date | pl.Datetime):
        msg = f"column {date!r} holds {frame.schema[date]}, not dates; pass date=..."
        raise InvalidArgumentError(msg)
    if by is not None and by not in frame.columns:
        msg = f"no column {by!r} to group lines by; the frame has {frame.columns}"
        raise InvalidArgumentError(msg)
    frame = _with_period_steps(frame.filter(pl.col(date).is_not_null()), date)
    if frame[value].drop_nulls().len() == 0:
        raise InvalidArgumentError(f"nothing to plot: every value in {value!r} is null")
    keys = [date] if by is None else [by, date]
    repeated = frame.group_by(keys).len().filter(pl.col("len") > 1)
    if repeated.height:
        example = repeated.row(0, named=True)
        hint = "pass by=... to draw one line per group, or filter" if by is None else "filter"
        msg = (
            f"{repeated.height} dates have more than one row (e.g. {example}); "
            f"{hint} the frame down to one value per date"
        )
        raise InvalidArgumentError(msg)
    if by is None:
        return [_line("", frame, value, date)]
    codes = sorted(str(code) for code in frame[by].unique().to_list())
    if len(codes) > max_lines:
        msg = (
            f"{len(codes)} groups in column {by!r} would give {len(codes)} lines, more than "
            f"max_lines={max_lines}; filter the frame to fewer groups "
            f"(e.g. frame.filter(pl.col({by!r}).is_in([...]))) or raise max_lines "
            f"(at most {MAX_LINES_LIMIT})"
        )
        raise InvalidArgumentError(msg)
    labels = _group_labels(frame, meta, by)
    keyed = frame.with_columns(pl.col(by).cast(pl.String).alias("__group"))
    return [
        _line(labels.get(code, code), keyed.filter(pl.col("__group") == code), value, date)
        for code in codes
    ]


_FREQUENCY: Final = "__navdata_frequency"
_ORDINAL: Final = "__navdata_ordinal"
_END: Final = "__navdata_end"


def _with_period_steps(frame: pl.DataFrame, date: str) -> pl.DataFrame:
    """``frame`` with each row's period frequency, ordinal and last day, to find gaps and ends.

    Without a ``period`` column the frequency and ordinal are null and the end is the date.
    """
    if "period" not in frame.columns:
        return frame.with_columns(
            pl.lit(None, dtype=pl.String).alias(_FREQUENCY),
            pl.lit(None, dtype=pl.Int64).alias(_ORDINAL),
            pl.col(date).cast(pl.Date).alias(_END),
        )
    codes = frame["period"].cast(pl.String)
    distinct = codes.drop_nulls().unique()
    last_days = [parse_period(code).end for code in distinct.to_list()]
    return frame.with_columns(
        frequencies(codes).alias(_FREQUENCY),
        ordinals(codes).alias(_ORDINAL),
        codes.replace_strict(distinct, last_days, default=None, return_dtype=pl.Date)
        .fill_null(frame[date].cast(pl.Date))
        .alias(_END),
    )


def _line(label: str, frame: pl.DataFrame, value: str, date: str) -> _Line:
    ordered = frame.sort(date)
    days = [d.date() if isinstance(d, dt.datetime) else d for d in ordered[date].to_list()]
    steps = list(zip(ordered[_FREQUENCY], ordered[_ORDINAL], ordered[_END], days, strict=True))
    follows = [index > 0 and _adjacent(steps[index - 1], step) for index, step in enumerate(steps)]
    return _Line(
        label, days, ordered[value].cast(pl.Float64).to_list(), ordered[_END].to_list(), follows
    )


def _adjacent(
    before: tuple[str | None, int | None, dt.date, dt.date],
    after: tuple[str | None, int | None, dt.date, dt.date],
) -> bool:
    """Whether nothing is missing between two consecutive observations of one line.

    Periods of one frequency are adjacent when their ordinals differ by one (intervals, whose
    ordinal is their first year, when one starts the day after the other ends). Dates without
    periods have no known step, so only a null value breaks such a line.
    """
    frequency, ordinal, end, _ = before
    next_frequency, next_ordinal, _, start = after
    if frequency is None and next_frequency is None:
        return True
    if frequency != next_frequency or ordinal is None or next_ordinal is None:
        return False
    if frequency == "interval":
        return start == end + dt.timedelta(days=1)
    return next_ordinal == ordinal + 1


def _group_labels(frame: pl.DataFrame, meta: Metadata | None, by: str) -> dict[str, str]:
    label_column = f"{by}_label"
    if label_column in frame.columns:
        pairs = frame.select(pl.col(by).cast(pl.String), pl.col(label_column)).unique(by)
        return {code: str(label) for code, label in pairs.rows() if label is not None}
    if meta is not None and by in meta.dimension_ids:
        dimension = meta.dimension(by)
        return {code: dimension.label_of(code) for code in dimension.codes}
    return {}


def _date_range(lines: Sequence[_Line]) -> tuple[dt.date, dt.date]:
    """From the first observed point to the last day its last observed period covers."""
    observed = [
        (day, end)
        for line in lines
        for day, end, number in zip(line.dates, line.ends, line.values, strict=True)
        if number is not None
    ]
    return min(day for day, _ in observed), max(end for _, end in observed)


def _series_id_of(meta: Metadata | None) -> str | None:
    if meta is None:
        return None
    named = meta.extension.get("series_id")
    if isinstance(named, str):
        return named
    return meta.provenance.table if meta.provenance is not None else None


# --- choosing milestones and breaks --------------------------------------------------------------


def _milestones(
    wanted: str | Sequence[str] | None, first: dt.date, last: dt.date
) -> list[Milestone]:
    """The milestones ``wanted`` names (tags, ids or "all"), dated inside the data's range."""
    if wanted is None:
        return []
    names: list[object] = [wanted] if isinstance(wanted, str) else list(wanted)
    records = load_milestones()
    known_ids = {record.id for record in records}
    chosen: set[str] = set()
    for name in names:
        if not isinstance(name, str):
            msg = f"milestones takes tags or milestone ids as text, not {name!r}"
            raise InvalidArgumentError(msg)
        if name == "all":
            chosen.update(known_ids)
        elif name in TAGS:
            chosen.update(record.id for record in records if name in record.tags)
        elif name in known_ids:
            chosen.add(name)
        else:
            raise _unknown_name(name, [*TAGS, *sorted(known_ids)])
    return [r for r in records if r.id in chosen and first <= r.date <= last]


def _unknown_name(name: str, candidates: list[str]) -> UnknownMilestoneError:
    close = difflib.get_close_matches(name, candidates, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(repr(c) for c in close)}? " if close else ""
    msg = (
        f"{name!r} is neither a timeline tag nor a milestone id; {hint}"
        f"tags are {', '.join(TAGS)}; navdata.timeline() lists every milestone id"
    )
    return UnknownMilestoneError(msg)


def _breaks(
    wanted: bool | Sequence[str], series_id: str | None, first: dt.date, last: dt.date
) -> list[Milestone]:
    """Statistics breaks whose span overlaps the data's range, oldest first."""
    records = load_milestones()
    if isinstance(wanted, bool):
        if not wanted or series_id is None:
            return []
        chosen = [r for r in records if r.breaks_series(series_id)]
    elif isinstance(wanted, str):
        msg = f"breaks takes True, False or a list of milestone ids, not the text {wanted!r}"
        raise InvalidArgumentError(msg)
    else:
        by_id = {record.id: record for record in records}
        for name in wanted:
            if name not in by_id:
                raise _unknown_name(name, sorted(by_id))
            if not by_id[name].is_break:
                msg = f"milestone {name!r} is not tagged statistics-break; pass it in milestones="
                raise InvalidArgumentError(msg)
        chosen = [r for r in records if r.id in set(wanted)]
    return [r for r in chosen if r.span[1] >= first and r.span[0] <= last]


# --- words ---------------------------------------------------------------------------------------


def _default_title(meta: Metadata | None, lang: Language, series: str | None, value: str) -> str:
    if meta is not None:
        english = meta.extension.get("title_en")
        if lang == "en" and isinstance(english, str):
            return english
        if meta.label:
            return meta.label
    return series or value


def _default_unit(meta: Metadata | None, lang: Language) -> str:
    named = meta.extension.get("unit") if meta is not None else None
    if isinstance(named, str):
        return _UNITS.get(named, {}).get(lang, named)
    return _WORDS["value"][lang]


def _default_note(frame: pl.DataFrame, meta: Metadata | None, lang: Language) -> str | None:
    """An attribution line from the metadata (or a ``publisher`` column); None if none is known."""
    publishers: list[str] = []
    licence: str | None = None
    if meta is not None:
        provenance = meta.provenance
        for name in (provenance.publisher if provenance else None, meta.source):
            if name and name not in publishers:
                publishers.append(name)
        licence = provenance.licence if provenance else None
    if not publishers and "publisher" in frame.columns:
        published = frame["publisher"].drop_nulls().cast(pl.String).unique(maintain_order=True)
        publishers.extend(published.to_list())
    if not publishers:
        return None
    note = f"{_WORDS['source'][lang]}: {'; '.join(publishers)}"
    return f"{note}, {_WORDS['licence'][lang]} {licence}" if licence else note


def _tooltip(record: Milestone, lang: Language) -> str:
    return (
        f"{record.date.isoformat()}{_PRECISION_WORDS[record.precision][lang]}: {record.title(lang)}"
    )


# --- drawing -------------------------------------------------------------------------------------


@contextmanager
def _rendering() -> Iterator[None]:
    """Hold the chart lock with the chart's matplotlib settings in force."""
    import matplotlib as mpl  # noqa: PLC0415 - optional dependency, imported on use

    settings: Any = dict(_RC)  # the stubs list every key; ours are a few known ones
    with _LOCK, mpl.rc_context(settings):
        yield


@dataclass(frozen=True, slots=True)
class _Mark:
    record: Milestone
    shaded: bool
    lane: int | None  # None: drawn without a label (no room)
    text: str
    left_aligned: bool


class _Geometry:
    """Pixel layout of the figure: where the plot, the label lanes and the footer go."""

    def __init__(self, spec: _Spec, measure: _Measure) -> None:
        self.spec = spec
        self.pad = 10.0
        self.title_lines = measure.wrap(spec.title, _TITLE_PT, spec.width - 2 * self.pad, "bold")
        self.title_h = len(self.title_lines) * _px(_TITLE_PT) * 1.3
        self.lane_h = _px(_LABEL_PT) * 1.5
        self.left = 0.0
        self.right = 20.0
        self.tick_h = _px(_TEXT_PT) * 1.4 + 6
        self.x_label_h = _px(_TEXT_PT) * 1.5

    def plot_width(self) -> float:
        return self.spec.width - self.left - self.right

    def bottom(self, legend_rows: int, note_lines: int) -> float:
        legend_h = legend_rows * _px(_TEXT_PT) * 1.6 + (6 if legend_rows else 0)
        note_h = note_lines * _px(_LABEL_PT) * 1.45 + 6
        return self.pad + note_h + legend_h + self.x_label_h + self.tick_h

    def max_lanes(self, bottom: float) -> int:
        fixed = self.pad + self.title_h + 8 + bottom
        room = self.spec.height - fixed - 0.4 * self.spec.height
        return max(0, min(16, int(room // self.lane_h)))


class _Measure:
    """Text sizes in pixels, measured with the same font engine that draws the PNG."""

    def __init__(self) -> None:
        from matplotlib.backends.backend_agg import RendererAgg  # noqa: PLC0415

        self._renderer: RendererAgg = RendererAgg(1, 1, BASE_DPI)  # type: ignore[no-untyped-call]

    def width(self, text: str, size: float, weight: str = "normal") -> float:
        from matplotlib.font_manager import FontProperties  # noqa: PLC0415

        font = FontProperties(family=_FONT, size=size, weight=weight)
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


def _day_number(day: dt.date) -> float:
    """``day`` on matplotlib's date axis (days since its epoch)."""
    import matplotlib.dates as mdates  # noqa: PLC0415

    return float(mdates.date2num(day))  # type: ignore[no-untyped-call]


def _px(points: float) -> float:
    return points * BASE_DPI / 72


def _draw(
    spec: _Spec,
    lines: Sequence[_Line],
    marked: Sequence[Milestone],
    shaded: Sequence[Milestone],
    data_range: tuple[dt.date, dt.date],
) -> Chart:
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415
    from matplotlib.figure import Figure  # noqa: PLC0415

    measure = _Measure()
    geometry = _Geometry(spec, measure)
    figure = Figure(figsize=(spec.width / BASE_DPI, spec.height / BASE_DPI), dpi=BASE_DPI)
    FigureCanvasAgg(figure)
    figure.patch.set_facecolor("white")
    axes = figure.add_axes((0.1, 0.1, 0.8, 0.8))
    handles = _draw_lines(axes, lines, spec)
    x_limits = _x_limits(data_range)
    axes.set_xlim(*x_limits)
    _style_axes(axes, spec)
    geometry.left = _y_tick_width(axes, measure) + _px(_TEXT_PT) * 1.6 + 16

    labels = [line.label for line in lines] if spec.grouped else []
    if shaded:
        labels.append(_WORDS["break"][spec.lang])
    if marked:
        labels.append(_WORDS["milestone"][spec.lang])
    legend_columns, legend_rows = _legend_shape(labels, measure, geometry.plot_width())
    note_lines = [spec.note] if spec.note else []
    plan = _plan_marks(
        records=[*marked, *shaded],
        shaded_ids={r.id for r in shaded},
        x_limits=x_limits,
        geometry=geometry,
        measure=measure,
        note_lines=len(note_lines),
    )
    unlabelled = tuple(m.record.id for m in plan if m.lane is None)
    if unlabelled:
        note_lines.append(_WORDS["unlabelled"][spec.lang].format(n=len(unlabelled)))
    bottom = geometry.bottom(legend_rows, len(note_lines))
    lanes = max((m.lane + 1 for m in plan if m.lane is not None), default=0)
    lanes_h = lanes * geometry.lane_h + (4 if lanes else 0)
    top = geometry.pad + geometry.title_h + 8 + lanes_h
    plot_h = spec.height - top - bottom
    axes.set_position(_fraction(geometry.left, bottom, geometry.plot_width(), plot_h, spec))

    tooltips: dict[str, str] = {}
    _draw_marks_on_plot(axes, plan, x_limits, tooltips, spec.lang)
    if lanes:
        lane_axes = figure.add_axes(
            _fraction(geometry.left, bottom + plot_h, geometry.plot_width(), lanes_h, spec),
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
            fontsize=_TEXT_PT,
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
        fontsize=_TITLE_PT,
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
            fontsize=_LABEL_PT,
            color="#333333",
        )
    return Chart(
        figure,
        title=spec.title,
        description=_description(spec, lines, data_range, plan),
        tooltips=tooltips,
        size=(spec.width, spec.height),
        milestones=tuple(m.record.id for m in plan if not m.shaded),
        breaks=tuple(m.record.id for m in plan if m.shaded),
        unlabelled=unlabelled,
    )


def _fraction(
    left: float, bottom: float, width: float, height: float, spec: _Spec
) -> tuple[float, float, float, float]:
    return (left / spec.width, bottom / spec.height, width / spec.width, height / spec.height)


def _draw_lines(axes: Axes, lines: Sequence[_Line], spec: _Spec) -> list[Any]:
    import numpy as np  # noqa: PLC0415

    handles: list[Any] = []
    for index, line in enumerate(lines):
        xs, ys, single = _pen_path(line)
        dots = len(line.dates) <= 40
        (handle,) = axes.plot(
            np.array(xs, dtype=float),
            np.array(ys, dtype=float),
            color=PALETTE[index % len(PALETTE)],
            linestyle=_DASHES[index // len(PALETTE)],
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


def _pen_path(line: _Line) -> tuple[list[float], list[float], list[int]]:
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
        xs.append(_day_number(day))
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

    first, last = (_day_number(day) for day in data_range)
    margin = max((last - first) * 0.02, 15.0) if last > first else 183.0
    return first - margin, last + margin


def _style_axes(axes: Axes, spec: _Spec) -> None:
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
    axes.tick_params(labelsize=_TEXT_PT, colors="#333333")
    axes.set_xlabel(_WORDS["period"][spec.lang], fontsize=_TEXT_PT, color="#333333")
    axes.set_ylabel(spec.y_label, fontsize=_TEXT_PT, color="#333333")
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


def _y_tick_width(axes: Axes, measure: _Measure) -> float:
    low, high = axes.get_ylim()
    locs = [loc for loc in axes.yaxis.get_majorticklocs() if low <= loc <= high]
    formatter = axes.yaxis.get_major_formatter()
    texts = formatter.format_ticks(locs) if locs else ["0"]
    return max(measure.width(text, _TEXT_PT) for text in texts)


def _legend_shape(labels: Sequence[str], measure: _Measure, room: float) -> tuple[int, int]:
    if not labels:
        return 1, 0
    widest = max(measure.width(label, _TEXT_PT) for label in labels) + _px(_TEXT_PT) * 4.2
    columns = max(1, min(len(labels), int(room // widest)))
    return columns, math.ceil(len(labels) / columns)


def _legend_keys(shaded: bool, marked: bool) -> list[Any]:
    from matplotlib.lines import Line2D  # noqa: PLC0415
    from matplotlib.patches import Patch  # noqa: PLC0415

    keys: list[Any] = []
    if shaded:
        keys.append(Patch(facecolor=_BREAK_FACE, edgecolor=_BREAK_EDGE, hatch="///", linewidth=0))
    if marked:
        keys.append(Line2D([], [], color=_MARK_COLOUR, linewidth=1.0))
    return keys


# --- milestone labels in lanes -------------------------------------------------------------------


def _plan_marks(
    *,
    records: Sequence[Milestone],
    shaded_ids: set[str],
    x_limits: tuple[float, float],
    geometry: _Geometry,
    measure: _Measure,
    note_lines: int,
) -> list[_Mark]:
    """Give every label a lane above the plot so that no label overlaps another or a connector.

    A label sits beside its marker (to the right, or to the left near the right edge) and its
    connector rises from the plot through every lower lane. Placing the newest marker first in
    the lowest lane that is free gives a staircase in which no connector crosses a label. A label
    longer than 35 % of the plot is shortened with an ellipsis, and shortened further when no
    lane has room for it (the SVG tooltip keeps the whole title); when even that fails, the
    marker is drawn without a label and the footer says so.
    """
    # Reserve room for the "not labelled" footer line in case it is needed.
    lanes = _Lanes(geometry.max_lanes(geometry.bottom(2, note_lines + 1)), _px(_LABEL_PT) * 0.8)
    width = geometry.plot_width()
    low, high = x_limits

    def to_px(day: dt.date) -> float:
        return (_day_number(day) - low) / (high - low) * width

    longest = max(0.35 * width, 80.0)
    plan: list[_Mark] = []
    for record in sorted(records, key=lambda r: (r.date, r.id), reverse=True):
        x = to_px(record.date)
        whisker_end = min(to_px(record.span[1] + dt.timedelta(days=1)), width)
        left_aligned = width - x - 4 >= 100.0
        room = min(longest, width - x - 4) if left_aligned else longest
        lane: int | None = None
        text = ""
        # When no lane is free for the label, try it shorter before leaving it out.
        for share in (1.0, 0.6, 0.35):
            text = measure.fit(record.title(geometry.spec.lang), _LABEL_PT, max(room * share, 60))
            text_w = measure.width(text, _LABEL_PT) + 4
            words = (x, x + text_w) if left_aligned else (x - text_w, x)
            lane = lanes.place(x, words, max(words[1], whisker_end))
            if lane is not None:
                break
        plan.append(_Mark(record, record.id in shaded_ids, lane, text, left_aligned))
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


def _draw_marks_on_plot(
    axes: Axes,
    plan: Sequence[_Mark],
    x_limits: tuple[float, float],
    tooltips: dict[str, str],
    lang: Language,
) -> None:

    thin = max((x_limits[1] - x_limits[0]) * 0.004, 1.0)
    for mark in plan:
        record = mark.record
        start = _day_number(record.span[0])
        gid = f"navdata-{'break' if mark.shaded else 'milestone'}-{record.id}"
        if mark.shaded:
            end = _day_number(record.span[1] + dt.timedelta(days=1))
            if record.precision == "day":
                end = start + thin
            artist: Any = axes.axvspan(
                start,
                end,
                facecolor=_BREAK_FACE,
                edgecolor=_BREAK_EDGE,
                hatch="///",
                linewidth=0,
                zorder=1,
            )
        else:
            style = "-" if record.precision == "day" else (0, (2, 2))
            artist = axes.axvline(
                start, color=_MARK_COLOUR, linewidth=1.0, linestyle=style, zorder=2
            )
        artist.set_gid(gid)
        tooltips[gid] = _tooltip(record, lang)


def _draw_lanes(
    axes: Axes,
    *,
    plan: Sequence[_Mark],
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
        x = _day_number(record.date)
        style = "-" if record.precision == "day" else (0, (2, 2))
        axes.plot([x, x], [0, mark.lane + 0.85], color=_MARK_COLOUR, linewidth=0.8, linestyle=style)
        if record.precision != "day":
            end = min(_day_number(record.span[1] + dt.timedelta(days=1)), x_limits[1])
            axes.plot([x, end], [mark.lane + 0.12] * 2, color=_MARK_COLOUR, linewidth=0.8)
        label = axes.text(
            x + (1 if mark.left_aligned else -1) * (x_limits[1] - x_limits[0]) * 0.004,
            mark.lane + 0.25,
            mark.text,
            ha="left" if mark.left_aligned else "right",
            va="baseline",
            fontsize=_LABEL_PT,
            fontstyle="italic" if mark.shaded else "normal",
            color="#222222",
        )
        gid = f"navdata-label-{record.id}"
        label.set_gid(gid)
        tooltips[gid] = _tooltip(record, lang)


# --- SVG accessibility ---------------------------------------------------------------------------


def _description(
    spec: _Spec, lines: Sequence[_Line], data_range: tuple[dt.date, dt.date], plan: Sequence[_Mark]
) -> str:
    first, last = data_range
    parts = [
        f"{_WORDS['chart'][spec.lang]}: {spec.title}, {first.isoformat()}\u2013{last.isoformat()}."
    ]
    if spec.grouped:
        parts.append(", ".join(line.label for line in lines) + ".")
    markers = [_tooltip(m.record, spec.lang) for m in plan if not m.shaded]
    breaks = [_tooltip(m.record, spec.lang) for m in plan if m.shaded]
    if markers:
        parts.append(f"{_WORDS['markers'][spec.lang]}: " + "; ".join(markers) + ".")
    if breaks:
        parts.append(f"{_WORDS['breaks'][spec.lang]}: " + "; ".join(breaks) + ".")
    if spec.note:
        parts.append(spec.note)
    return " ".join(parts)


_SVG_OPEN: Final = re.compile(r"<svg\b[^>]*>")
_SVG_SIZE: Final = re.compile(r'width="[0-9.]+pt" height="[0-9.]+pt"')


def _accessible_svg(
    svg: str, *, title: str, description: str, tooltips: Mapping[str, str], size: tuple[int, int]
) -> str:
    """Size the SVG in pixels, give it a title and description, and tooltips on the markers."""
    width, height = size
    svg = _SVG_SIZE.sub(f'width="{width}px" height="{height}px"', svg, count=1)
    opening = _SVG_OPEN.search(svg)
    if opening is None:  # pragma: no cover - matplotlib always writes one
        raise InvalidArgumentError("matplotlib produced an SVG without an <svg> element")
    head = opening.group(0)[:-1] + ' role="img" aria-labelledby="navdata-title navdata-desc">'
    summary = (
        f'\n <title id="navdata-title">{escape(title)}</title>'
        f'\n <desc id="navdata-desc">{escape(textwrap.shorten(description, 4000))}</desc>'
    )
    svg = svg[: opening.start()] + head + summary + svg[opening.end() :]
    for gid, text in tooltips.items():
        group = f"<g id={quoteattr(gid)}>"
        svg = svg.replace(group, f"{group}\n   <title>{escape(text)}</title>", 1)
    return svg
