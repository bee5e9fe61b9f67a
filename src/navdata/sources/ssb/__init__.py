"""SSB's PxWebApi v2 (https://data.ssb.no/api/pxwebapi/v2): search, metadata, codelists, data.

The family's rooms, one job each:

- :mod:`~navdata.sources.ssb.client`: :class:`SSBClient`, the requests and the stitching
- :mod:`~navdata.sources.ssb.selection`: selection expressions, cell counts and chunk plans
- :mod:`~navdata.sources.ssb.errors`: SSB's Problem bodies -> navdata errors
"""

from __future__ import annotations

from navdata.sources.ssb.client import (
    PUBLISHER,
    SSB_BASE_URL,
    SSB_LANGUAGES,
    SSBClient,
    variables_of,
)

__all__ = ["PUBLISHER", "SSB_BASE_URL", "SSB_LANGUAGES", "SSBClient", "variables_of"]
