"""navdata: Norwegian welfare statistics (SSB, NAV) as tidy polars frames with provenance."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from navdata.dataset import Dataset, Dimension, Metadata, Provenance, Unit
from navdata.errors import (
    JsonStatError,
    NavdataError,
    PeriodError,
)

try:
    __version__ = version("navdata")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = [
    "Dataset",
    "Dimension",
    "JsonStatError",
    "Metadata",
    "NavdataError",
    "PeriodError",
    "Provenance",
    "Unit",
    "__version__",
]
