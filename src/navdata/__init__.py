"""navdata: Norwegian welfare statistics (SSB, NAV) as tidy polars frames with provenance.

The surface most people need::

    import navdata
    navdata.catalog(topic="unemployment")              # which series exist
    navdata.describe("ssb.aku.unemployment_rate")       # what one is, where it comes from
    r = navdata.get("nav.helt_ledige", region="fylke", start="2024")   # Result: .frame, .meta
    navdata.sync(["nav.helt_ledige"])                    # refresh the local store
    navdata.timeline(tag="trust-reform")                # reform milestones
    navdata.around("ssb.aku.unemployment_rate", "trust-reform-nav-start", 24, 24)

The modules behind these calls are ``navdata.series_catalog`` (the catalogue's schema and
rules) and ``navdata.milestones`` (the reform timeline), so that ``navdata.catalog`` and
``navdata.timeline`` are plain functions for callers and type checkers alike.
"""

from __future__ import annotations

from navdata._version import __version__
from navdata.access import Description, Result, around, catalog, describe, get
from navdata.datapackage import export_datapackage
from navdata.dataset import Dataset, Dimension, Metadata, Provenance, Unit
from navdata.errors import (
    DatasetValidationError,
    InvalidArgumentError,
    JsonStatError,
    LayoutError,
    LinkNotFoundError,
    MissingDataError,
    NavdataError,
    OfflineError,
    PeriodError,
    RateLimitedError,
    RegionError,
    SelectionError,
    StoreError,
    StoreLockedError,
    TooManyCellsError,
    UnknownMilestoneError,
    UnknownSeriesError,
    UnknownTableError,
    UpstreamError,
    UpstreamUnavailableError,
)
from navdata.events import StatisticsBreakWarning
from navdata.jsonstat import read_jsonstat, read_jsonstat_collection, write_jsonstat
from navdata.milestones import milestone, timeline
from navdata.store import Store
from navdata.sync import SyncReport, sync

__all__ = [
    "Dataset",
    "DatasetValidationError",
    "Description",
    "Dimension",
    "InvalidArgumentError",
    "JsonStatError",
    "LayoutError",
    "LinkNotFoundError",
    "Metadata",
    "MissingDataError",
    "NavdataError",
    "OfflineError",
    "PeriodError",
    "Provenance",
    "RateLimitedError",
    "RegionError",
    "Result",
    "SelectionError",
    "StatisticsBreakWarning",
    "Store",
    "StoreError",
    "StoreLockedError",
    "SyncReport",
    "TooManyCellsError",
    "Unit",
    "UnknownMilestoneError",
    "UnknownSeriesError",
    "UnknownTableError",
    "UpstreamError",
    "UpstreamUnavailableError",
    "__version__",
    "around",
    "catalog",
    "describe",
    "export_datapackage",
    "get",
    "milestone",
    "read_jsonstat",
    "read_jsonstat_collection",
    "sync",
    "timeline",
    "write_jsonstat",
]
