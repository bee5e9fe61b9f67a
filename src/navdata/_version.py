"""navdata's version: the one place that asks the installed distribution for it.

A module of its own, importing nothing from navdata, so that any module (the user agent in
``http``, the manifest in ``store``) can read it without depending on ``navdata/__init__``'s
import order; ``navdata.__version__`` is this value.

The distribution is asked on first use of ``__version__``, not at import: ``importlib.metadata``
costs a tenth of a second (it imports ``email``, ``zipfile`` ...), which ``navdata --help`` and
``navdata list`` need not pay.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

__all__ = ["__version__"]

if TYPE_CHECKING:
    __version__: str


@cache
def _installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415 - see above

    try:
        return version("navdata")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0+unknown"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return _installed_version()
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
