"""navdata's version: the one place that asks the installed distribution for it.

A module of its own, importing nothing from navdata, so that any module (the user agent in
``http``, the manifest in ``store``) can read it without depending on ``navdata/__init__``'s
import order; ``navdata.__version__`` is this value.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__ = version("navdata")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
