"""NAV statistics from nav.no: page -> current attachment link -> parsed tidy Dataset.

NAV has no query API. It publishes pages whose attachment links change with every release, so
:class:`NavClient` reads the page each time (never trusting a cached page without asking the
server), follows the link it finds, and parses the file with the table's documented layout.
Everything goes through the shared :class:`navdata.http.HttpClient` (retries, rate limit, disk
cache, offline mode)::

    with NavClient() as nav:
        ds = nav.table("HL060")          # helt ledige by fylke and kommune, current year
        ds.frame, ds.meta.provenance
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Self

from navdata.config import NAV_BASE_URL
from navdata.dataset import Dataset
from navdata.errors import MissingDataError, UpstreamError
from navdata.http import HostFailures, HttpClient, Response
from navdata.sources.nav.frame import SourceFile, build_dataset
from navdata.sources.nav.links import Link, find_csv_link, find_table_link
from navdata.sources.nav.tables import nav_table

__all__ = ["FILE_FRESH_FOR", "NAV_BASE_URL", "NAV_RATE", "NavClient"]

NAV_RATE = (30, 60.0)
"""nav.no documents no limit; 30 requests a minute keeps a full sync polite."""
FILE_FRESH_FOR = 12 * 3600.0
"""Attachment URLs carry a content hash, so a cached file at the same URL is the same file."""


class NavClient:
    """Discover, download and parse NAV's published statistics tables."""

    def __init__(
        self,
        base_url: str = NAV_BASE_URL,
        *,
        cache_dir: Path | str | bool | None = None,
        offline: bool = False,
        rate: tuple[int, float] | None = NAV_RATE,
        max_attempts: int = 5,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        # Pages are always revalidated (fresh_for=0): a cached page would point at last
        # month's file. Offline, the cached page is served as it is. Both clients talk to one
        # host, so they share its record of connect failures.
        hosts = HostFailures()
        self.pages = HttpClient(
            rate=rate, cache_dir=cache_dir, offline=offline, fresh_for=0.0,
            max_attempts=max_attempts, hosts=hosts,
        )  # fmt: skip
        self.files = HttpClient(
            rate=rate, cache_dir=cache_dir, offline=offline, fresh_for=FILE_FRESH_FOR,
            max_attempts=max_attempts, hosts=hosts,
        )  # fmt: skip

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close both HTTP clients."""
        self.pages.close()
        self.files.close()

    def page_url(self, code: str) -> str:
        """Absolute URL of the statistics page that links the table."""
        return self.base_url + nav_table(code).page_path

    def discover(self, code: str) -> tuple[Link, tuple[int, int] | None]:
        """The current attachment link for ``code`` and, for the CSV, the month it covers."""
        table = nav_table(code)
        url = self.page_url(code)
        page = _checked(self.pages.get(url), f"the statistics page of NAV table {table.code}")
        html = page.content.decode("utf-8", errors="replace")
        if table.kind == "csv":
            return find_csv_link(html, url, table.code)
        return find_table_link(html, url, table.code), None

    def fetch(self, code: str) -> tuple[SourceFile, tuple[int, int] | None]:
        """Download the table's current file (with its page URL and retrieval time)."""
        table = nav_table(code)
        link, period = self.discover(code)
        answer = _checked(self.files.get(link.url), f"the {table.code} file {link.file_name!r}")
        source = SourceFile(
            file_name=link.file_name,
            content=answer.content,
            url=link.url,
            page_url=self.page_url(code),
            retrieved=datetime.now(UTC),
        )
        return source, period

    def table(self, code: str, *, year: int | None = None) -> Dataset:
        """The table as a tidy Dataset; ``year`` checks that the linked file covers that year.

        The pages link only the current year's file (replaced in place every month), so a past
        year raises :class:`~navdata.errors.MissingDataError` rather than returning other data.
        """
        table = nav_table(code)
        source, period = self.fetch(code)
        observations = table.parse(source.content, source.file_name, period)
        dataset = build_dataset(observations, table.info, source)
        if year is not None:
            years = {int(p[:4]) for p in dataset.frame["period"].unique().to_list()}
            if years != {year}:
                msg = (
                    f"NAV table {table.code}: the page links {source.file_name!r} covering "
                    f"{sorted(years)}, not {year}; only the current year's file is published "
                    "on the page (archived years are not supported yet)"
                )
                raise MissingDataError(msg)
        return dataset


def _checked(response: Response, what: str) -> Response:
    if response.ok:
        return response
    hint = "NAV may have moved it" if response.status == 404 else "try again later"
    msg = f"{what} answered HTTP {response.status} at {response.url}; {hint}"
    raise UpstreamError(msg, status=response.status, url=response.url)
