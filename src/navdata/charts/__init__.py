"""Line charts of a series with timeline milestones and statistics breaks, as SVG or PNG.

A chart is drawn with matplotlib's object API on the Agg canvas only (never ``pyplot``), so it
needs no display, no browser and no network, and several threads of a web server can draw at
once. matplotlib keeps some settings process-wide (``rcParams``), so drawing and rendering take
one lock and set the few settings a chart depends on (bundled DejaVu fonts, a fixed SVG hash
salt, text kept as text) only for their duration; two renders of one chart are byte-identical.

matplotlib is an optional dependency (``pip install "navdata[plot]"``) imported on first use.

The rooms: ``_plot`` (the entry point), ``_data`` (checking the frame, lines and gaps),
``_choose`` (which milestones and breaks), ``_layout`` (pixels: plot, legend, label lanes),
``_draw`` (matplotlib), ``_words`` (titles, tooltips, descriptions), ``_svg`` (accessibility),
``_chart`` (the result), ``_style`` (palette, fonts, sizes, the rendering lock), ``_model``.
"""

from __future__ import annotations

from navdata._public import present_as
from navdata.charts._chart import Chart
from navdata.charts._plot import plot
from navdata.charts._style import BASE_DPI, MAX_LINES_LIMIT, PALETTE

__all__ = ["BASE_DPI", "MAX_LINES_LIMIT", "PALETTE", "Chart", "plot"]

present_as(__name__, globals(), __all__)
