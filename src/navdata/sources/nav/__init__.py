"""NAV statistics from nav.no: page -> current attachment link -> parsed tidy Dataset.

The family's rooms, one job each:

- :mod:`~navdata.sources.nav.client`: :class:`NavClient`, discovery and download over HTTP
- :mod:`~navdata.sources.nav.reader`: :func:`read_file`, a file downloaded by hand -> Dataset
- :mod:`~navdata.sources.nav.links`: which link on a nav.no page is the current file
- :mod:`~navdata.sources.nav.tables`: the registry of supported tables (HL060, AAP155, PST302)
- :mod:`~navdata.sources.nav.workbooks` and :mod:`~navdata.sources.nav.csv`: the file layouts,
  :mod:`~navdata.sources.nav.fylke_sheets`: NAV's national and fylke totals,
  :mod:`~navdata.sources.nav.sheets`: cells of one sheet and its period
- :mod:`~navdata.sources.nav.cells`: cell values, suppression symbols, labels and months
- :mod:`~navdata.sources.nav.frame`: parsed observations -> a tidy :class:`~navdata.Dataset`
"""

from __future__ import annotations

from navdata.sources.nav.client import NAV_BASE_URL, NavClient
from navdata.sources.nav.reader import read_file
from navdata.sources.nav.tables import TABLES, NavTable, nav_table

__all__ = ["NAV_BASE_URL", "TABLES", "NavClient", "NavTable", "nav_table", "read_file"]
