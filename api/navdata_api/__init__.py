"""navdata's HTTP service: a versioned, cacheable JSON API over the local navdata store.

Start it with ``navdata-api`` (see :mod:`navdata_api.cli`) or build the ASGI app with
:func:`navdata_api.app.create_app`. The library ``navdata`` never imports this package.
"""

from __future__ import annotations

from navdata import __version__  # one distribution: the service reports the library's version

API_VERSION = "1.0.0"

__all__ = ["API_VERSION", "__version__"]
