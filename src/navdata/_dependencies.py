"""One way to import a package navdata does not always need, with the install hint it lacks.

As polars' ``_dependencies.py``: optional packages (matplotlib for charts, pandas and pyarrow for
``Result.to_pandas``) and the ones imported late to keep ``import navdata`` fast (fastexcel) go
through :func:`import_optional`, so a missing one always raises
:class:`~navdata.errors.MissingDependencyError` (an ``ImportError``) saying what needed it and
the command that installs it. :func:`is_installed` answers without importing.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

from navdata.errors import MissingDependencyError

__all__ = ["INSTALL_HINTS", "import_optional", "is_installed"]

#: What installs each package navdata imports on demand (the extra that provides it, if any).
INSTALL_HINTS: dict[str, str] = {
    "matplotlib": 'pip install "navdata[plot]"',
    "numpy": 'pip install "navdata[plot]"',  # comes with matplotlib; the charts draw with it
    "pandas": 'pip install "navdata[pandas]"',  # with pyarrow, which to_pandas() converts through
    "pyarrow": 'pip install "navdata[pandas]"',
    "fastexcel": "pip install fastexcel",  # a navdata dependency, imported when a workbook is read
    # navdata dependencies imported when the store is used (delta-rs takes ~0.1 s to import)
    "deltalake": "pip install deltalake",
    "arro3": "pip install deltalake",  # arro3-core comes with deltalake
    "obstore": "pip install obstore",
    "polars": "pip install polars",  # a navdata dependency, imported late by CLI commands
}


def import_optional(name: str, *, needed_for: str) -> ModuleType:
    """Import ``name`` or say what needed it and how to install it.

    Parameters
    ----------
    name
        The module to import (``"matplotlib"``, ``"matplotlib.dates"`` ...); its top-level
        package must be in :data:`INSTALL_HINTS`.
    needed_for
        What the caller was doing, as the message's subject: ``"charts"``, ``"to_pandas()"``.

    Returns
    -------
    ModuleType
        The imported module.

    Raises
    ------
    MissingDependencyError
        The package is not installed (or fails to import); the message ends in the install
        command.
    """
    package = name.partition(".")[0]
    hint = INSTALL_HINTS[package]
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        msg = f"{needed_for} needs {package}, which is not installed; run: {hint}"
        raise MissingDependencyError(msg) from exc


def is_installed(name: str) -> bool:
    """Whether ``name`` can be imported, without importing it (a blocked import counts as no)."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # ValueError: sys.modules[name] is None (import blocked)
        return False
