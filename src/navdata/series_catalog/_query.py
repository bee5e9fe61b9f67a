"""Questions users ask of the catalogue: one series described, or a table of all of them."""

from __future__ import annotations

import difflib
from typing import Any

import polars as pl

from navdata._surface import words
from navdata.errors import InvalidArgumentError, UnknownSeriesError
from navdata.language import Language
from navdata.series_catalog._load import all_series, find, load_catalog
from navdata.series_catalog._schema import FREQUENCIES, SOURCES, TOPICS, Series

__all__ = ["catalog", "describe"]


def describe(series_id: str) -> Series:
    """Everything the catalogue says about one series; unknown ids suggest close matches."""
    if not isinstance(series_id, str):  # callers without a type checker pass None, ints ...
        msg = f"a series id is a string such as 'nav.helt_ledige', not {series_id!r}"  # type: ignore[unreachable]
        raise InvalidArgumentError(msg)
    found = find(series_id)
    if found is not None:
        return found
    ids = [s.id for s in all_series()]
    close = difflib.get_close_matches(series_id, ids, n=3, cutoff=0.5)
    every = words("see navdata.catalog() for every id", "see `navdata list` for every id")
    hint = f"did you mean {', '.join(close)}?" if close else every
    msg = f"no series {series_id!r} in the catalogue; {hint}"
    raise UnknownSeriesError(msg)


_CATALOG_SCHEMA: dict[str, Any] = {
    "id": pl.String,
    "source": pl.String,
    "topic": pl.String,
    "frequency": pl.String,
    "geography": pl.List(pl.String),
    "title": pl.String,
    "unit": pl.String,
    "publisher": pl.String,
    "table": pl.String,
    "source_url": pl.String,
    "breaks": pl.UInt32,
}


def catalog(
    *,
    topic: str | None = None,
    source: str | None = None,
    frequency: str | None = None,
    lang: Language = "nb",
    bundled: bool = False,
) -> pl.DataFrame:
    """One row per series, optionally filtered by topic, source (``ssb``/``nav``) and frequency.

    ``bundled=True`` adds the bundled key figures (source ``bundled``) after the fetched series;
    ``navdata.catalog()`` does. Unknown filter values raise :class:`InvalidArgumentError` (a
    ``ValueError``) listing the valid ones, so a typo is not mistaken for an empty result.
    """
    for name, value, valid in (
        ("topic", topic, TOPICS),
        ("source", source, SOURCES if bundled else ("ssb", "nav")),
        ("frequency", frequency, FREQUENCIES),
    ):
        if value is not None and value not in valid:
            msg = f"unknown {name} {value!r}; choose one of {', '.join(valid)}"
            raise InvalidArgumentError(msg)
    rows = [
        {
            "id": s.id,
            "source": s.source,
            "topic": s.topic,
            "frequency": s.frequency,
            "geography": list(s.geography),
            "title": s.title.in_lang(lang),
            "unit": s.unit.in_lang(lang),
            "publisher": s.publisher,
            "table": s.table,
            "source_url": s.source_url,
            "breaks": len(s.breaks),
        }
        for s in (all_series() if bundled else load_catalog().series)
        if (topic is None or s.topic == topic)
        and (source is None or s.source == source)
        and (frequency is None or s.frequency == frequency)
    ]
    return pl.DataFrame(rows, schema=_CATALOG_SCHEMA)
