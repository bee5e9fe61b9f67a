"""The drawn chart users hold: render it as SVG or PNG, or save it."""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from navdata._files import write_atomic
from navdata.charts._style import BASE_DPI, rendering
from navdata.charts._svg import accessible_svg
from navdata.errors import InvalidArgumentError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["Chart"]


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
        """The chart as a standalone, accessible SVG document (same bytes on every call).

        Returns
        -------
        bytes
            UTF-8 SVG sized in pixels, with a title, a description and a tooltip on each marker.
        """
        with rendering():
            buffer = io.BytesIO()
            self.figure.savefig(buffer, format="svg", metadata={"Date": None})
        return accessible_svg(
            buffer.getvalue().decode("utf-8"),
            title=self._title,
            description=self._description,
            tooltips=self._tooltips,
            size=(self._width, self._height),
        ).encode("utf-8")

    def png(self, *, dpi: float = BASE_DPI) -> bytes:
        """The chart as PNG; ``width`` x ``height`` pixels at the default ``dpi`` (100).

        Parameters
        ----------
        dpi
            Dots per inch from 10 to 1000; a higher ``dpi`` scales the pixel size in proportion
            (200 gives a sharp image for high-density screens at twice the size).

        Returns
        -------
        bytes
            The PNG file.

        Raises
        ------
        InvalidArgumentError
            ``dpi`` is not a number from 10 to 1000.
        """
        if not (isinstance(dpi, int | float) and 10 <= dpi <= 1000):
            raise InvalidArgumentError(f"dpi must be a number from 10 to 1000, not {dpi!r}")
        with rendering():
            buffer = io.BytesIO()
            self.figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        return buffer.getvalue()

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the chart to a file, all or nothing.

        Parameters
        ----------
        path
            The file; its suffix (``.svg`` or ``.png``) picks the format.

        Returns
        -------
        pathlib.Path
            The path written.

        Raises
        ------
        InvalidArgumentError
            The suffix is neither ``.svg`` nor ``.png``.
        """
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
