"""navdata: Norwegian welfare statistics (SSB, NAV) as tidy polars frames with provenance.

The surface most people need::

    import navdata
    navdata.catalog(topic="unemployment")              # which series exist
    navdata.describe("ssb.aku.unemployment_rate")       # what one is, where it comes from
    r = navdata.get("nav.helt_ledige", region="fylke", start="2024")   # Result: .frame, .meta
    navdata.sync(["nav.helt_ledige"])                    # refresh the local store
    navdata.versions("nav.helt_ledige")                  # every version the store kept
    navdata.revisions("nav.helt_ledige")                 # cells the last release revised
    navdata.get("nav.helt_ledige", as_of="2026-03-01")   # the series as the store held it then
    navdata.timeline(tag="trust-reform")                # reform milestones
    navdata.around("ssb.aku.unemployment_rate", "trust-reform-nav-start", 24, 24)

The modules behind these calls are ``navdata.series_catalog`` (the catalogue's schema and
rules) and ``navdata.milestones`` (the reform timeline), so that ``navdata.catalog`` and
``navdata.timeline`` are plain functions for callers and type checkers alike.
"""

from navdata import _public
from navdata._version import __version__
from navdata.access import around, catalog, describe, get
from navdata.charts import Chart
from navdata.datapackage import export_datapackage
from navdata.dataset import Break, Dataset, Dimension, Metadata, Provenance, Unit
from navdata.errors import (
    DatasetValidationError,
    InvalidArgumentError,
    JsonStatError,
    LayoutError,
    LinkNotFoundError,
    MissingDataError,
    MissingDependencyError,
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
from navdata.events import EventWindow, StatisticsBreakWarning
from navdata.jsonstat import read_jsonstat, read_jsonstat_collection, write_jsonstat
from navdata.milestones import Milestone, milestone, timeline
from navdata.result import Description, Result
from navdata.series_catalog import Series
from navdata.store import ManifestEntry, Store
from navdata.sync import SyncEvent, SyncOutcome, SyncReport, sync
from navdata.vintages import revisions, versions

__all__ = [
    "Break",
    "Chart",
    "Dataset",
    "DatasetValidationError",
    "Description",
    "Dimension",
    "EventWindow",
    "InvalidArgumentError",
    "JsonStatError",
    "LayoutError",
    "LinkNotFoundError",
    "ManifestEntry",
    "Metadata",
    "Milestone",
    "MissingDataError",
    "MissingDependencyError",
    "NavdataError",
    "OfflineError",
    "PeriodError",
    "Provenance",
    "RateLimitedError",
    "RegionError",
    "Result",
    "SelectionError",
    "Series",
    "StatisticsBreakWarning",
    "Store",
    "StoreError",
    "StoreLockedError",
    "SyncEvent",
    "SyncOutcome",
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
    "revisions",
    "sync",
    "timeline",
    "versions",
    "write_jsonstat",
]

_public.present_as(__name__, globals(), __all__)
