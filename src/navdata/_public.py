"""How a package's public functions present themselves under the path users import them from.

``navdata.get`` is defined in :mod:`navdata.access`; after :func:`present_as` its ``__module__``
says ``navdata``, so ``help()``, reprs, pickling and tracebacks show the name users type (httpx
does the same in its ``__init__``). Classes keep the module that defines them: dataclasses,
msgspec Structs and ``typing.get_type_hints`` resolve a class's annotations in the namespace of
its ``__module__``, and the public package does not hold every name those annotations use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["present_as"]


def present_as(module: str, namespace: Mapping[str, object], names: Iterable[str]) -> None:
    """Set ``__module__`` to ``module`` on every function among ``names`` in ``namespace``.

    Parameters
    ----------
    module
        The public module name, e.g. ``"navdata"``.
    namespace
        The public module's globals, where the names are looked up.
    names
        Usually the module's ``__all__``; classes and constants are left alone.
    """
    for name in names:
        value = namespace[name]
        if callable(value) and not isinstance(value, type):
            value.__module__ = module
