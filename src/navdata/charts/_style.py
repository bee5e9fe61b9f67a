"""How every chart looks and measures, and the matplotlib settings it is drawn under.

matplotlib keeps some settings process-wide (``rcParams``), so drawing and rendering take one
lock and set the few settings a chart depends on (bundled DejaVu fonts, a fixed SVG hash salt,
text kept as text) only for their duration: two renders of one chart are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Final

__all__ = [
    "BASE_DPI",
    "BREAK_EDGE",
    "BREAK_FACE",
    "DASHES",
    "FONT",
    "LABEL_PT",
    "MARK_COLOUR",
    "MAX_LINES_LIMIT",
    "PALETTE",
    "TEXT_PT",
    "TITLE_PT",
    "day_number",
    "px",
    "rendering",
]

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
DASHES: Final = ("-", "--", "-.", ":")
MAX_LINES_LIMIT: Final = len(PALETTE) * len(DASHES)

BASE_DPI: Final = 100  # ``width`` and ``height`` are pixels at this resolution
FONT: Final = "DejaVu Sans"  # bundled with matplotlib: no system fonts needed
RC: Final[Mapping[str, Any]] = {
    "svg.hashsalt": "navdata",  # clip-path and pattern ids from a fixed salt, not a random one
    "svg.fonttype": "none",  # text stays text: searchable, selectable, read by screen readers
    "font.family": [FONT],
    "font.sans-serif": [FONT],
    "axes.unicode_minus": True,
}
LOCK: Final = threading.RLock()

TITLE_PT: Final = 13.0
TEXT_PT: Final = 9.0
LABEL_PT: Final = 8.0
MARK_COLOUR: Final = "#4d4d4d"
BREAK_FACE: Final = (0.55, 0.55, 0.55, 0.28)
BREAK_EDGE: Final = (0.35, 0.35, 0.35, 0.55)


@contextmanager
def rendering() -> Iterator[None]:
    """Hold the chart lock with the chart's matplotlib settings in force."""
    import matplotlib as mpl  # noqa: PLC0415 - optional dependency, imported on use

    settings: Any = dict(RC)  # the stubs list every key; ours are a few known ones
    with LOCK, mpl.rc_context(settings):
        yield


def day_number(day: dt.date) -> float:
    """``day`` on matplotlib's date axis (days since its epoch)."""
    import matplotlib.dates as mdates  # noqa: PLC0415

    return float(mdates.date2num(day))  # type: ignore[no-untyped-call]


def px(points: float) -> float:
    """A size in points (fonts) as pixels at :data:`BASE_DPI`."""
    return points * BASE_DPI / 72
