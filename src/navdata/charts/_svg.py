"""Making matplotlib's SVG accessible: pixel size, a title and description, tooltips."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from typing import Final
from xml.sax.saxutils import escape, quoteattr

from navdata.errors import InvalidArgumentError

__all__ = ["accessible_svg"]

_SVG_OPEN: Final = re.compile(r"<svg\b[^>]*>")
_SVG_SIZE: Final = re.compile(r'width="[0-9.]+pt" height="[0-9.]+pt"')


def accessible_svg(
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
