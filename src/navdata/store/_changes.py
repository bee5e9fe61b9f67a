"""How a reader learns cheaply that the store changed: a stamp, and the writes still open.

A service keeps whole responses and must drop them as soon as any series gets a new current
version (a sync, a repair, a series added or removed). Asking every series' table whether a
commit followed costs a ``stat`` (an S3 ``HEAD``) per series and request. Instead, every change
of a series' current version is made inside :func:`changing`, which keeps two things::

    changes/open/<token>.<series id>   exists from before the change until after it
    changes/stamp                      a new random token after every marker made or removed

A reader reads the stamp (one small read, or one ``GET``). The stamp it read last, with no write
open then, means nothing changed. A new stamp means listing ``changes/open/``: the series named
there may change at any moment, so until the stamp moves on the reader asks their tables directly
(:attr:`ChangeMark.writing`). A writer killed mid-change leaves its marker behind, so its series
is asked about on every read instead of missed. A store without a stamp (written before there was
one) promises nothing: :attr:`ChangeMark.stamp` is ``None`` and a reader asks every table.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final, NamedTuple

from navdata.errors import StoreError
from navdata.store._data import first_line
from navdata.store._location import Location

__all__ = ["ChangeMark", "changing", "read_mark"]

_STAMP: Final = "changes/stamp"
_OPEN: Final = "changes/open"


class ChangeMark(NamedTuple):
    """What a reader knows of the store's changes: the stamp, and the series being written."""

    stamp: str | None
    """The stamp (``None``: the store keeps none, so any series may change at any time)."""
    writing: tuple[str, ...]
    """Series whose change was open when the stamp was read (a killed writer's stay listed)."""


def read_mark(location: Location, seen: ChangeMark | None = None) -> ChangeMark:
    """The store's change mark; the open changes are listed only when the stamp moved.

    The stamp is read before the list: a marker made after the list is followed by a stamp
    the next read sees, and a marker the list misses was removed after its change landed.
    """
    try:
        try:
            stamp: str | None = location.read(_STAMP).decode("ascii", "replace")
        except FileNotFoundError:
            stamp = None
        if seen is not None and stamp == seen.stamp:
            return seen
        if stamp is None:
            return ChangeMark(None, ())
        names = location.names(_OPEN)
    except Exception as err:  # OSError on a folder, obstore's own error types on S3
        msg = (
            f"the store at {location.display} cannot be read ({first_line(err)}); "
            "check NAVDATA_STORE_DIR and that the folder or bucket is there"
        )
        raise StoreError(msg) from err
    return ChangeMark(stamp, tuple(sorted({name.partition(".")[2] for name in names})))


@contextmanager
def changing(location: Location, series_id: str) -> Iterator[None]:
    """Wrap a change of ``series_id``'s current version so that readers notice it at once."""
    marker = f"{_OPEN}/{uuid.uuid4().hex}.{series_id}"
    location.write(marker, b"")
    try:  # a stamp that cannot be written takes its marker away again
        _new_stamp(location)
        yield
    finally:
        location.delete(marker)
        _new_stamp(location)


def _new_stamp(location: Location) -> None:
    location.write(_STAMP, uuid.uuid4().hex.encode("ascii"))
