"""Let ``navdata.catalog(...)`` and ``navdata.timeline(...)`` be calls while staying modules.

The public surface promises the calls ``navdata.catalog(topic=...)`` and
``navdata.timeline(tag=...)``, but ``navdata.catalog`` and ``navdata.timeline`` are also modules
that other code imports (``from navdata import catalog as cat; cat.load_catalog()``). Binding
the function names in ``navdata/__init__`` would hide those modules from such imports, so
instead each module's class is swapped for a subclass of ``ModuleType`` whose ``__call__``
runs the function: the module keeps every attribute, and calling it calls the function.
Type checkers see a module, so typed code should call ``navdata.access.catalog`` /
``navdata.timeline.timeline`` directly.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import Any

__all__ = ["make_callable"]


def make_callable(module_name: str, function: Callable[..., Any]) -> None:
    """Make the loaded module ``module_name`` callable as ``function``."""
    module = sys.modules[module_name]

    class CallableModule(types.ModuleType):
        __doc__ = module.__doc__

        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            return function(*args, **kwargs)

    CallableModule.__call__.__doc__ = function.__doc__
    module.__class__ = CallableModule
