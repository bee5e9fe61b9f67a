"""``as_of``: which version of a series the store held at a moment, or a version by number.

One rule for the library, the command line and the service: a version number picks that
version; a datetime picks the newest version written at or before it (a naive one is UTC); a
date means the end of that day in UTC, so ``as_of=2026-03-01`` includes a sync made that day.
Text is read the same way (``"3"`` or ``"v3"``, ``"2026-03-01"``, ``"2026-03-01T12:00:00Z"``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

from navdata.errors import InvalidArgumentError, MissingDataError
from navdata.store._record import ManifestEntry, utc

__all__ = ["AsOf", "parse_as_of", "pick_version"]

#: What ``as_of`` accepts: a version number, a date, a datetime, or text of one of them.
AsOf = int | date | datetime | str
_VERSION: Final = re.compile(r"^v?(\d{1,9})$")


def parse_as_of(value: AsOf) -> int | date | datetime:
    """``value`` as a version number, a date or an aware datetime; text is parsed."""
    if isinstance(value, bool):
        msg = f"as_of takes a version number, a date or a datetime, not {value!r}"
        raise InvalidArgumentError(msg)
    if isinstance(value, datetime):
        return utc(value)
    if isinstance(value, date | int):
        if isinstance(value, int) and value < 0:
            msg = f"as_of={value}: version numbers start at 0"
            raise InvalidArgumentError(msg)
        return value
    if not isinstance(value, str):  # callers may not be typed
        msg = f"as_of takes a version number, a date or a datetime, not {value!r}"  # type: ignore[unreachable]
        raise InvalidArgumentError(msg)
    text = value.strip()
    found = _VERSION.match(text)
    if found:
        return int(found.group(1))
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return utc(datetime.fromisoformat(text))
    except ValueError:
        msg = (
            f"as_of={value!r} is not a version (3 or v3), a date (2026-03-01) or a time "
            "(2026-03-01T12:00:00Z)"
        )
        raise InvalidArgumentError(msg) from None


def _moment(as_of: date | datetime) -> datetime:
    """The exclusive upper bound of what counts as written by ``as_of``."""
    if isinstance(as_of, datetime):
        return as_of + timedelta(microseconds=1)
    return datetime.combine(as_of + timedelta(days=1), time(), tzinfo=UTC)


def pick_version(versions: Sequence[ManifestEntry], as_of: AsOf, series_id: str) -> ManifestEntry:
    """The version ``as_of`` names among ``versions`` (oldest first)."""
    wanted = parse_as_of(as_of)
    if isinstance(wanted, int):
        for entry in versions:
            if entry.version == wanted:
                return entry
        known = ", ".join(str(e.version) for e in versions) or "none"
        msg = f"series {series_id!r} has no version {wanted} in the store; its versions: {known}"
        raise MissingDataError(msg)
    bound = _moment(wanted)
    held = [e for e in versions if utc(e.written) < bound]
    if not held:
        first = (
            f"; its first version was written {versions[0].written.isoformat()}" if versions else ""
        )
        msg = f"the store held no version of {series_id!r} as of {wanted.isoformat()}{first}"
        raise MissingDataError(msg)
    return held[-1]
