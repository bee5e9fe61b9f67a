"""navdata: Norwegian welfare statistics (SSB, NAV) as tidy polars frames with provenance.

The surface most people need::

    import navdata
    navdata.catalog(search="uføre")                     # which series exist, best match first
    navdata.describe("ssb.aku.unemployment_rate")       # what one is, where it comes from
    r = navdata.get("nav.helt_ledige", region="fylke", start="2024")   # Result: .frame, .meta
    both = navdata.get(["nav.aap.recipients", "nav.uforetrygd.recipients"], region="03")
    both.wide()                                         # one column per series, by period
    navdata.ssb_table("13760", Kjonn="0", Tid="top(12)")  # any SSB table, not only catalogued
    navdata.sync(["nav.helt_ledige"])                    # refresh the local store
    navdata.versions("nav.helt_ledige")                  # every version the store kept
    navdata.revisions("nav.helt_ledige")                 # cells the last release revised
    navdata.get("nav.helt_ledige", as_of="2026-03-01")   # the series as the store held it then
    navdata.timeline(tag="trust-reform")                # reform milestones
    navdata.around("ssb.aku.unemployment_rate", "trust-reform-nav-start", 24, 24)

The modules behind these calls are ``navdata.series_catalog`` (the catalogue's schema and
rules) and ``navdata.milestones`` (the reform timeline), so that ``navdata.catalog`` and
``navdata.timeline`` are plain functions for callers and type checkers alike.

``import navdata`` is cheap: the errors are imported at once, every other name on first use
(module ``__getattr__``, PEP 562), so that ``navdata --help`` does not pay for polars and httpx.
Type checkers and the documentation see the plain imports under ``TYPE_CHECKING``.
"""

import importlib as _importlib
import sys as _sys
import types as _types
import typing as _typing

from navdata import _public
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

if _typing.TYPE_CHECKING:
    from navdata._version import __version__
    from navdata.access import around, describe, get
    from navdata.charts import Chart
    from navdata.datapackage import export_datapackage
    from navdata.dataset import Break, Dataset, Dimension, Metadata, Provenance, Unit
    from navdata.events import EventWindow, StatisticsBreakWarning
    from navdata.jsonstat import read_jsonstat, read_jsonstat_collection, write_jsonstat
    from navdata.listing import catalog
    from navdata.milestones import Milestone, milestone, timeline
    from navdata.result import Description, Result, ResultSet, TableResult
    from navdata.series_catalog import Series
    from navdata.statbank import ssb_search, ssb_table
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
    "ResultSet",
    "SelectionError",
    "Series",
    "StatisticsBreakWarning",
    "Store",
    "StoreError",
    "StoreLockedError",
    "SyncEvent",
    "SyncOutcome",
    "SyncReport",
    "TableResult",
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
    "ssb_search",
    "ssb_table",
    "sync",
    "timeline",
    "versions",
    "write_jsonstat",
]

#: Where each name that is imported on first use lives.
_LAZY: dict[str, str] = {
    "__version__": "navdata._version",
    **dict.fromkeys(["around", "describe", "get"], "navdata.access"),
    "Chart": "navdata.charts",
    "export_datapackage": "navdata.datapackage",
    **dict.fromkeys(
        ["Break", "Dataset", "Dimension", "Metadata", "Provenance", "Unit"], "navdata.dataset"
    ),
    **dict.fromkeys(["EventWindow", "StatisticsBreakWarning"], "navdata.events"),
    **dict.fromkeys(
        ["read_jsonstat", "read_jsonstat_collection", "write_jsonstat"], "navdata.jsonstat"
    ),
    "catalog": "navdata.listing",
    **dict.fromkeys(["Milestone", "milestone", "timeline"], "navdata.milestones"),
    **dict.fromkeys(["Description", "Result", "ResultSet", "TableResult"], "navdata.result"),
    "Series": "navdata.series_catalog",
    **dict.fromkeys(["ssb_search", "ssb_table"], "navdata.statbank"),
    **dict.fromkeys(["ManifestEntry", "Store"], "navdata.store"),
    **dict.fromkeys(["SyncEvent", "SyncOutcome", "SyncReport", "sync"], "navdata.sync"),
    **dict.fromkeys(["revisions", "versions"], "navdata.vintages"),
}


if not _typing.TYPE_CHECKING:  # type checkers see the imports above, and flag a misspelt name

    def __getattr__(name: str) -> object:
        """Import a public name on first use and keep it, presented as ``navdata.<name>``."""
        home = _LAZY.get(name)
        if home is None:
            msg = f"module {__name__!r} has no attribute {name!r}"
            raise AttributeError(msg)
        value: object = getattr(_importlib.import_module(home), name)
        _public.present_as(__name__, {name: value}, [name])
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(_types.ModuleType):
    """navdata's module type: importing a submodule never hides the function it is named after.

    ``import navdata.sync`` sets the package attribute ``sync`` to the module, as every submodule
    import does; the package's ``sync`` is the function, loaded on first use instead.
    """

    def __setattr__(self, name: str, value: object) -> None:
        if name in _LAZY and isinstance(value, _types.ModuleType):
            return
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package
