"""Warnings that point at the caller's line, not at navdata's own.

``warnings.warn(..., stacklevel=2)`` names the line that called the function that warned, which
is navdata's own code whenever the warning is raised a call or two deep (``navdata.around``
calls ``navdata.events.around``, which warns). A user needs the line in *their* code, so
:func:`warn` walks up the stack past every frame inside the navdata package. (Python 3.12's
``skip_file_prefixes`` does the same; navdata supports 3.11.)
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

__all__ = ["warn"]

_HERE = Path(__file__).parent
#: The package folder as frames may name it: as imported, and with links resolved.
_PACKAGE_DIRS = tuple({f"{_HERE}{os.sep}", f"{_HERE.resolve()}{os.sep}"})


def _inside_navdata(filename: str) -> bool:
    return filename.startswith(_PACKAGE_DIRS)


def warn(message: str, category: type[Warning]) -> None:
    """Emit ``message`` attributed to the first caller outside the navdata package."""
    level = 1  # this function
    frame = sys._getframe(0)
    while frame.f_back is not None and _inside_navdata(frame.f_code.co_filename):
        frame = frame.f_back
        level += 1
    warnings.warn(message, category, stacklevel=level)
