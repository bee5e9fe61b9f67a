"""The series catalogue: what each named series is, where it comes from, and how it is normalised.

A *series* is a stable name (``ssb.aku.unemployment_rate``, ``nav.helt_ledige``) for one
well-defined statistic: its title and description in Norwegian (nb) and English, unit, frequency,
geography, definition notes, known statistical breaks, publisher and licence, and a *recipe* that
says how to fetch it:

- SSB series name a PxWebApi v2 table, a selection (variable code -> list of value codes or
  expressions such as ``*`` and ``top(12)``), optional codelists and optionally the one
  ``ContentsCode`` value the series is about (``measure``).
- NAV series name a published workbook (``HL060``, ``AAP155``, ``PST302``) and the measure on it
  (``count`` or ``share``).
- Bundled series (``keyfig.*``) are the sourced national key figures shipped in
  ``datasets/key_figures/``: they need no fetch and work offline. Their catalogue entries live in
  ``datasets/catalog/bundled.toml`` (topic, geography, description, source page) and take their
  title, unit, frequency, publisher and notes from ``datasets/key_figures/series.toml``, so the two
  files cannot drift apart. :func:`load_bundled` reads them; :func:`find` and :func:`describe`
  look in both lists. :func:`load_catalog` stays the list of *fetched* (SSB and NAV) series.

The catalogue lives in ``datasets/catalog/series.toml`` so that it is reviewable as text and
ships with the package. :func:`load_catalog` reads it once, checks every rule (see
:func:`validate`) and raises :class:`~navdata.errors.DatasetValidationError` naming the series
and the rule it breaks, so a bad edit fails at import of the catalogue, never as a wrong number.

Sources name their dimensions in their own words (SSB: ``Kjonn``, ``Alder``, ``Region``, ``Tid``).
:data:`DIMENSION_NAMES` is the one mapping to navdata's shared names (``sex``, ``age``,
``region``, ``period``); :func:`normalise` applies it to a fetched :class:`~navdata.dataset.Dataset`
and keeps the original codes in the metadata (``extension["dimension_map"]``), so that a user
can always go back to the publisher's own vocabulary.
"""

from __future__ import annotations

from navdata._public import present_as
from navdata.series_catalog._load import (
    all_series,
    bundled_path,
    catalog_path,
    find,
    load_bundled,
    load_catalog,
    parse_bundled,
    parse_catalog,
)
from navdata.series_catalog._normalise import DIMENSION_NAMES, normalise, normalised_name
from navdata.series_catalog._query import catalog, describe
from navdata.series_catalog._rules import (
    CONFIRMED_SSB_TABLES,
    MILESTONE_ID,
    NAV_TABLES,
    SERIES_ID,
    validate,
)
from navdata.series_catalog._schema import (
    FREQUENCIES,
    GEOGRAPHIES,
    SOURCES,
    TOPICS,
    Break,
    BundledRecipe,
    Catalog,
    Frequency,
    Geography,
    NavMeasure,
    NavRecipe,
    Precision,
    Recipe,
    Series,
    SeriesUnit,
    SsbRecipe,
    Text,
    Topic,
)
from navdata.series_catalog._search import fold, search, search_scores

__all__ = [
    "CONFIRMED_SSB_TABLES",
    "DIMENSION_NAMES",
    "FREQUENCIES",
    "GEOGRAPHIES",
    "MILESTONE_ID",
    "NAV_TABLES",
    "SERIES_ID",
    "SOURCES",
    "TOPICS",
    "Break",
    "BundledRecipe",
    "Catalog",
    "Frequency",
    "Geography",
    "NavMeasure",
    "NavRecipe",
    "Precision",
    "Recipe",
    "Series",
    "SeriesUnit",
    "SsbRecipe",
    "Text",
    "Topic",
    "all_series",
    "bundled_path",
    "catalog",
    "catalog_path",
    "describe",
    "find",
    "fold",
    "load_bundled",
    "load_catalog",
    "normalise",
    "normalised_name",
    "parse_bundled",
    "parse_catalog",
    "search",
    "search_scores",
    "validate",
]

present_as(__name__, globals(), __all__)
