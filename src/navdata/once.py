"""Loads that happen once per process, safely across threads, and warming of msgspec types.

``functools.cache`` lets every thread that misses at the same moment run the function; a
service answering its first burst of requests in worker threads then parsed the catalogue 16
times at once. That is wasted work, and with msgspec 0.22 on CPython 3.11 it can crash the
process (SIGSEGV): msgspec builds a Struct type's decoding information lazily, on the first
decode or ``msgspec.convert`` to it, and several threads doing that first conversion of one
type at the same moment can read it half-built. :class:`LoadOnce` runs a load exactly once
under a lock; :func:`warm_struct_types` builds that information for every Struct type of the
given packages up front, so a long-running process (the service) can do so before it serves.
The fault is msgspec's: ``tests/reproducers/msgspec_first_convert_race.py`` shows it with
msgspec alone (a crash in about one process in six).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from functools import update_wrapper
from typing import Generic, TypeVar

import msgspec

__all__ = ["LoadOnce", "load_once", "warm_struct_types"]

T = TypeVar("T")


class LoadOnce(Generic[T]):
    """A zero-argument load run once per process; callers that arrive meanwhile wait for it.

    A load that raises is not remembered: the next call tries again (a file fixed on disk is
    then picked up), and every caller sees the error of its own attempt.
    """

    def __init__(self, load: Callable[[], T]) -> None:
        self._load = load
        self._lock = threading.Lock()
        self._value: T
        self._loaded = False
        update_wrapper(self, load)

    @property
    def loaded(self) -> bool:
        """Whether the load has run (and succeeded) in this process."""
        return self._loaded

    def __call__(self) -> T:
        """The loaded value, loading it first when no call has yet."""
        if self._loaded:
            return self._value
        with self._lock:
            if not self._loaded:
                self._value = self._load()
                self._loaded = True
        return self._value


def load_once(load: Callable[[], T]) -> LoadOnce[T]:
    """Decorator form of :class:`LoadOnce` (in place of ``functools.cache`` for file loads)."""
    return LoadOnce(load)


def _subclasses(cls: type) -> Iterator[type]:
    subclasses: list[type] = cls.__subclasses__()
    for sub in subclasses:
        yield sub
        yield from _subclasses(sub)


def warm_struct_types(*packages: str) -> int:
    """Build msgspec's decoding information of every imported Struct type of ``packages``.

    Building a decoder for a type does it for the type and every type nested in it, once per
    type and process; later decodes and conversions, from any thread, only read it. Returns how
    many types were warmed. Call it from one thread, before starting others.
    """
    prefixes = tuple(f"{p}." for p in packages)
    warmed = 0
    for struct_type in set(_subclasses(msgspec.Struct)):
        module = struct_type.__module__
        if module in packages or module.startswith(prefixes):
            try:
                msgspec.json.Decoder(struct_type)
            except TypeError:  # a field msgspec cannot decode (``str | Path``): never converted
                continue
            warmed += 1
    return warmed
