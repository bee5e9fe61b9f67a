"""Find the current attachment for a NAV table on a statistics page (stdlib ``html.parser``).

nav.no serves files as ``/_/attachment/download/<uuid>:<hash>/<name>`` or ``.../inline/...``
(only a content-disposition hint); the hash changes with every release, so the link must be read
from the page each time. Links may be relative or absolute and file names may carry a release
prefix (``202608_HL060 Helt ledige.xlsx``). nav.no pages are Next.js pages, and some (PST302's)
carry their attachment links only in the page data embedded as JSON (``<script
id="__NEXT_DATA__" type="application/json">``), not in an ``<a href>``: links are read from
both, with the same selection rules. A page without the link raises
:class:`~navdata.errors.LinkNotFoundError` naming the page, the table and what was there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any, NamedTuple
from urllib.parse import unquote, urljoin, urlsplit

from navdata.errors import LinkNotFoundError
from navdata.sources.nav.cells import MONTHS, file_name_period, normalise_label, table_code

__all__ = ["Link", "find_csv_link", "find_table_link", "link_period", "page_links"]

ATTACHMENT_PATH = re.compile(r"/_/attachment/(?:download|inline)/")
CSV_PHRASE = "helt ledige etter fylke og kommune"
NEXT_DATA = "__NEXT_DATA__"
_TEXT_KEYS = ("text", "linkText", "title", "displayName", "name", "label")
"""Fields that may hold a link's visible text beside its URL in embedded page data."""
_MONTH_YEAR = re.compile(r"\b(" + "|".join(MONTHS) + r")\s+(\d{4})\b")


class Link(NamedTuple):
    """One ``<a href>`` on a page: absolute URL, decoded file name, and visible text."""

    url: str
    file_name: str
    text: str

    @property
    def is_attachment(self) -> bool:
        """Whether the link points at a CMS attachment (download or inline form)."""
        return ATTACHMENT_PATH.search(urlsplit(self.url).path) is not None

    @property
    def identity(self) -> str:
        """The attachment independent of its download/inline form, for de-duplication."""
        return ATTACHMENT_PATH.sub("/_/attachment/", urlsplit(self.url).path)


class _AnchorParser(HTMLParser):
    """Every ``<a href>`` with its text, and the bodies of JSON ``<script>`` elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: list[tuple[str, str]] = []
        self.scripts: list[str] = []
        self._href: str | None = None
        self._text: list[str] = []
        self._script: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a":
            self._href = found.get("href")
            self._text = []
        elif tag == "script" and (
            found.get("id") == NEXT_DATA or "json" in (found.get("type") or "").lower()
        ):
            self._script = []

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)
        elif self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.anchors.append((self._href, "".join(self._text)))
            self._href = None
        elif tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None


def _parsed(html: str) -> _AnchorParser:
    parser = _AnchorParser()
    parser.feed(html)
    parser.close()
    return parser


def _json_links(value: Any, text: str = "") -> Iterator[tuple[str, str]]:
    """``(href, text)`` pairs in embedded page data.

    An attachment URL takes its text from a text field of the object holding it (or of the
    nearest enclosing one); rich-text HTML strings are searched for anchors.
    """
    if isinstance(value, dict):
        text = next((value[k] for k in _TEXT_KEYS if isinstance(value.get(k), str)), text)
        for item in value.values():
            yield from _json_links(item, text)
    elif isinstance(value, list):
        for item in value:
            yield from _json_links(item, text)
    elif isinstance(value, str):
        if "<a" in value:
            yield from _parsed(value).anchors
        elif ATTACHMENT_PATH.search(value) and not any(c.isspace() for c in value):
            yield value, text


def page_links(html: str, page_url: str) -> list[Link]:
    """Every link on the page, in anchors and in embedded JSON, resolved against ``page_url``."""
    parser = _parsed(html)
    found = list(parser.anchors)
    for script in parser.scripts:
        try:
            data = json.loads(script)
        except ValueError:
            continue  # a JSON-typed script that is not JSON holds no links we could read
        found.extend(_json_links(data))
    links = []
    for href, text in found:
        url = urljoin(page_url, href.strip())
        name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
        links.append(Link(url, name, normalise_label(text)))
    return links


def _not_found(page_url: str, code: str, links: list[Link], why: str) -> LinkNotFoundError:
    seen = sorted({link.file_name for link in links if link.is_attachment})
    listing = ", ".join(repr(name) for name in seen) if seen else "none"
    msg = (
        f"{page_url} {why} for NAV table {code} (attachments on the page: {listing}). "
        "NAV may have moved or renamed the file; check the page and the table's page path."
    )
    return LinkNotFoundError(msg)


def _unique(links: list[Link]) -> list[Link]:
    by_identity: dict[str, Link] = {}
    for link in links:
        by_identity.setdefault(link.identity, link)
    return list(by_identity.values())


def _latest(candidates: list[tuple[tuple[int, int] | None, Link]]) -> list[Link]:
    """The candidates of the latest dated release (all of them when none is dated)."""
    dated = [period for period, _ in candidates if period is not None]
    if not dated:
        return [link for _, link in candidates]
    newest = max(dated)
    return [link for period, link in candidates if period == newest]


def find_table_link(html: str, page_url: str, code: str, *, extension: str = ".xlsx") -> Link:
    """The attachment whose file name names ``code`` (``HL060``, ``AAP155``, ``PST302``)."""
    token = table_code(code)
    links = page_links(html, page_url)
    matches = _unique(
        [
            link
            for link in links
            if link.is_attachment
            and token.search(link.file_name)
            and link.file_name.lower().endswith(extension)
        ]
    )
    if not matches:
        raise _not_found(page_url, code, links, f"has no {extension} attachment link")
    latest = _latest([(file_name_period(link.file_name), link) for link in matches])
    if len(latest) > 1:
        names = ", ".join(repr(link.file_name) for link in latest)
        raise _not_found(page_url, code, links, f"has {len(latest)} candidate links ({names})")
    return latest[0]


def link_period(link: Link) -> tuple[int, int] | None:
    """``(year, month)`` from the link text ("... august 2026") or the file name."""
    match = _MONTH_YEAR.search(link.text.lower())
    if match is not None:
        return int(match.group(2)), MONTHS.index(match.group(1)) + 1
    return file_name_period(link.file_name)


def find_csv_link(html: str, page_url: str, code: str) -> tuple[Link, tuple[int, int]]:
    """The latest «helt ledige etter fylke og kommune» CSV link and the month it covers."""
    links = page_links(html, page_url)
    candidates = [
        (link_period(link), link)
        for link in links
        if CSV_PHRASE in link.text.lower() and link.file_name.lower().endswith(".csv")
    ]
    if not candidates:
        raise _not_found(page_url, code, links, f"has no CSV link titled {CSV_PHRASE!r}")
    latest = _unique(_latest(candidates))
    if len(latest) > 1:
        names = ", ".join(repr(link.text) for link in latest)
        raise _not_found(page_url, code, links, f"has {len(latest)} candidate CSV links ({names})")
    period = link_period(latest[0])
    if period is None:
        raise _not_found(page_url, code, links, "names no month (e.g. 'august 2026') in the link")
    return latest[0], period
