"""The entry point: :func:`plot` checks its arguments, prepares the lines and draws the chart."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from navdata._dependencies import import_optional
from navdata.charts._chart import Chart
from navdata.charts._choose import chosen_breaks, chosen_milestones
from navdata.charts._data import (
    check_max_lines,
    check_size,
    date_range,
    prepare_lines,
    series_id_of,
)
from navdata.charts._draw import draw
from navdata.charts._model import Spec
from navdata.charts._style import PALETTE, rendering
from navdata.charts._words import default_note, default_title, default_unit
from navdata.dataset import Dataset
from navdata.errors import InvalidArgumentError
from navdata.language import check_language

__all__ = ["plot"]


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

    Each point is drawn at the first day of its period (the ``date`` column), so a point sits on
    the tick that names its period and matches the frame a reader inspects; the point stands for
    the whole period that begins there. With a ``period`` column the x-axis therefore runs to
    the END of the last period, so that a milestone dated later in the last year (or quarter,
    month ...) is drawn; without one it runs to the last date. A line is broken rather than
    drawn across missing data: where two consecutive observations of a group are not adjacent
    periods of one frequency (``2007`` then ``2009``), and at null values. A point with no
    neighbour on either side keeps a marker so that it does not vanish. An attribution line is
    added whenever the data names its publisher.

    Parameters
    ----------
    data
        A :class:`navdata.Dataset` or a tidy polars DataFrame.
    title
        The title; by default the dataset's label (its English title with ``lang="en"``).
    by
        A column to draw one line per group of; legend labels come from a ``<by>_label``
        column or the dataset's dimension labels.
    value
        The column of numbers.
    date
        The column of dates; derived from a ``period`` column when missing.
    milestones
        A timeline tag (``"trust-reform"``), milestone ids, a mix of both, or ``"all"``; those
        dated inside the data's range are drawn as labelled vertical markers (dotted when the
        date is known only to the month, year or session).
    breaks
        ``True`` shades the statistics breaks that affect ``series_id``; a sequence of
        milestone ids shades exactly those. A break known to the month or year shades that
        whole span.
    series_id
        The series whose breaks ``breaks=True`` shades; taken from the dataset when not given.
    lang
        ``"nb"`` or ``"en"``: axis words, number format, milestone titles.
    unit
        The y-axis label; by default the dataset's unit.
    source_note
        The attribution line; by default built from the data's publisher and licence.
    width
        Pixels, from 200 to 4000.
    height
        Pixels, from 200 to 4000.
    max_lines
        More groups than this is an error rather than an unreadable chart (at most
        :data:`MAX_LINES_LIMIT`).

    Returns
    -------
    Chart
        Render it with ``.svg()`` or ``.png()``, or ``.save(path)``.

    Raises
    ------
    MissingDependencyError
        matplotlib is not installed (``pip install "navdata[plot]"``).
    InvalidArgumentError
        The frame has nothing to plot, lacks a column, holds more than one value per date and
        group, or an option is out of range.
    UnknownMilestoneError
        A milestone tag or id is not in the timeline (the message suggests close ones).
    """
    # the one gate: past it, the drawing modules import matplotlib where they use it
    import_optional("matplotlib", needed_for="drawing a chart")
    language = check_language(lang)
    check_size(width, height)
    check_max_lines(max_lines)
    frame: object = data.frame if isinstance(data, Dataset) else data
    meta = data.meta if isinstance(data, Dataset) else None
    if not isinstance(frame, pl.DataFrame):
        msg = f"plot() takes a navdata Dataset or a polars DataFrame, not {type(data).__name__}"
        raise InvalidArgumentError(msg)
    lines = prepare_lines(frame, meta, value=value, date=date, by=by, max_lines=max_lines)
    first, last = date_range(lines)
    series = series_id if series_id is not None else series_id_of(meta)
    shaded = chosen_breaks(breaks, series, first, last)
    shaded_ids = {record.id for record in shaded}
    marked = [m for m in chosen_milestones(milestones, first, last) if m.id not in shaded_ids]
    spec = Spec(
        title=title if title is not None else default_title(meta, language, series, value),
        y_label=unit if unit is not None else default_unit(meta, language),
        note=source_note if source_note is not None else default_note(frame, meta, language),
        lang=language,
        width=width,
        height=height,
        grouped=by is not None,
    )
    with rendering():
        return draw(spec, lines, marked, shaded, (first, last))
