"""``navdata.catalog()``: which series exist, which match a search, and which work offline here.

A module of its own, apart from :mod:`navdata.access`, so that ``navdata list`` imports the
catalogue and the store's manifest and nothing that fetches (httpx, the NAV workbook readers).

What a row says about the local copy (:func:`availability`) is read through the store's public
methods only (:meth:`navdata.store.Store.entries`, as :func:`navdata.describe` reads it).
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from navdata import series_catalog as _catalog
from navdata.language import Language, check_language
from navdata.series_catalog import Series
from navdata.store import ManifestEntry, Store

__all__ = ["availability", "catalog"]


def availability(series: Series, stored: Mapping[str, ManifestEntry]) -> str:
    """Whether ``series`` can be read offline: ``bundled``, ``stored <date>`` or ``needs sync``.

    Parameters
    ----------
    series
        A catalogued series.
    stored
        What the store holds, by id (:meth:`navdata.store.Store.entries`).

    Returns
    -------
    str
        ``bundled`` (ships with navdata), ``stored 2026-09-30`` (in the store, written that
        day, UTC) or ``needs sync`` (``navdata sync <id>`` fetches it).
    """
    if series.source == "bundled":
        return "bundled"
    entry = stored.get(series.id)
    if entry is None:
        return "needs sync"
    return f"stored {entry.written.date().isoformat()}"


def catalog(
    *,
    topic: str | None = None,
    source: str | None = None,
    frequency: str | None = None,
    search: str | None = None,
    lang: Language = "nb",
    store: Store | None = None,
) -> pl.DataFrame:
    """One row per series, fetched and bundled, optionally filtered and searched.

    Parameters
    ----------
    topic
        Keep one topic (``"unemployment"``, ``"disability"`` ...).
    source
        Keep one source: ``"ssb"``, ``"nav"`` or ``"bundled"``.
    frequency
        Keep one frequency: ``"year"``, ``"quarter"`` or ``"month"``.
    search
        Words to look for in ids, titles, topics, units, descriptions and notes, in Norwegian
        and English, ignoring case and accents (``"uføre"``, ``"ufore"``, ``"disability"``,
        ``"AAP"``). Only series that match every word are kept, best match first.
    lang
        ``"nb"`` or ``"en"``, for titles and units.
    store
        The store whose contents ``availability`` reports (default: ``NAVDATA_STORE_DIR`` or
        the user data folder).

    Returns
    -------
    polars.DataFrame
        ``id``, ``source``, ``topic``, ``frequency``, ``geography``, ``title``, ``unit``,
        ``publisher``, ``table``, ``source_url``, the number of ``breaks``, and
        ``availability``: ``bundled``, ``stored <date>`` or ``needs sync``.

    Raises
    ------
    InvalidArgumentError
        An unknown filter value (the message lists the valid ones, so a typo is not mistaken
        for an empty result).
    StoreError
        The store's manifest cannot be read (the message says what to do).
    """
    frame = _catalog.catalog(
        topic=topic,
        source=source,
        frequency=frequency,
        lang=check_language(lang, ssb_codes=True),
        bundled=True,
    )
    kept = set(frame["id"].to_list())
    chosen = [s for s in _catalog.all_series() if s.id in kept]
    if search is not None:
        chosen = _catalog.search(search, chosen)
        order = pl.DataFrame({"id": [s.id for s in chosen]}, schema={"id": pl.String})
        frame = order.join(frame, on="id", how="left", maintain_order="left")
    stored = (store if store is not None else Store()).entries()
    column = pl.Series("availability", [availability(s, stored) for s in chosen], pl.String)
    return frame.with_columns(column)
