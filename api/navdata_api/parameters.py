"""Parameters several routes share, with patterns that say exactly what the service accepts.

The OpenAPI document is a contract a client (or schemathesis) can generate requests from: a value
that fits a parameter's schema must be answered, one that does not must be refused. So the
patterns here are exact: a period bound matches only periods and days that exist (no 2024M13,
no 2023-02-29), and Litestar refuses anything else with a 400 before a route runs.
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from litestar.params import PathParameter, QueryParameter

from navdata import milestones as tl
from navdata import series_catalog as cat

__all__ = [
    "AS_OF_PATTERN",
    "BOUND_PATTERN",
    "ID_PATTERN",
    "PATTERN_HELP",
    "AsOfParameter",
    "FromBound",
    "MilestoneId",
    "SeriesId",
    "SeriesIdQuery",
    "StoredSeriesId",
    "ToBound",
    "array_of",
]

_YEAR: Final = "[1-8][0-9]{3}"  # 1000-8999: no statistics before, and no week past 9999
_LEAP_YEAR: Final = (
    "(?:[1-8][0-9](?:0[48]|[2468][048]|[13579][26])|(?:1[26]|[2468][048]|[357][26])00)"
)
_PERIOD: Final = "H[12]|[KQ][1-4]|T[1-3]|M(?:0?[1-9]|1[0-2])|[UW](?:0?[1-9]|[1-4][0-9]|5[0-2])"
_MONTH_DAY: Final = (
    "(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"  # every month has days 1-28
    "|(?:0[13-9]|1[0-2])-(?:29|30)"  # all but February have 29 and 30
    "|(?:0[13578]|1[02])-31"
)
#: A period code (2024, 2024H1, 2024K1/Q1, 2024T2, 2024M03, 2024U05/W05) or a date (2024-03,
#: 2024-03-15) that exists, in the years 1000-8999. Week 53, which only some years have, is
#: given as a date instead.
BOUND_PATTERN: Final = (
    f"^(?:{_YEAR}(?:{_PERIOD})?|{_YEAR}-(?:0[1-9]|1[0-2])|{_YEAR}-(?:{_MONTH_DAY})"
    f"|{_LEAP_YEAR}-02-29)$"
)
_DAY: Final = f"(?:{_YEAR}-(?:{_MONTH_DAY})|{_LEAP_YEAR}-02-29)"
_TIME: Final = (
    "T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\\.[0-9]{1,6})?)?"
    "(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?"
)
#: What ``as_of`` (and ``old``/``new`` of revisions) accept: a version (3, v3), a day that
#: exists (2026-03-01) or a time on it (2026-03-01T12:00:00Z), as the library reads them.
AS_OF_PATTERN: Final = f"^(?:v?[0-9]{{1,9}}|{_DAY}(?:{_TIME})?)$"
#: Series and milestone ids: lower-case words joined by dots, underscores and hyphens.
ID_PATTERN: Final = "^[a-z0-9]+(?:[._-][a-z0-9]+)*$"
_BOUND_HELP: Final = (
    "a period code (2024, 2024H1, 2024K1 or 2024Q1, 2024T2, 2024M03, 2024U05) or a date "
    "(2024-03, 2024-03-15), years 1000-8999; weeks 1-52 (week 53 as a date)"
)
#: What each pattern means in words, for the 400 a value that does not fit it gets.
PATTERN_HELP: Final = {
    BOUND_PATTERN: f"must be {_BOUND_HELP}, and exist (no 2024M13, no 2023-02-29)",
    AS_OF_PATTERN: (
        "must be a version (3 or v3), a date that exists (2026-03-01) or a time on it "
        "(2026-03-01T12:00:00Z), years 1000-8999"
    ),
    ID_PATTERN: "must be an id: lower-case letters and digits joined by '.', '_' or '-'",
}

FromBound = Annotated[
    str | None,
    QueryParameter(
        name="from",
        max_length=10,
        pattern=BOUND_PATTERN,
        description=f"First period or date, inclusive: {_BOUND_HELP}. Not after `to`.",
    ),
]
ToBound = Annotated[
    str | None,
    QueryParameter(
        name="to",
        max_length=10,
        pattern=BOUND_PATTERN,
        description=f"Last period or date, inclusive (all of it): {_BOUND_HELP}.",
    ),
]
#: ``as_of`` of a request: the version the store held then, as the library reads it.
AsOfParameter = Annotated[
    str | None,
    QueryParameter(
        name="as_of",
        max_length=40,
        pattern=AS_OF_PATTERN,
        description=(
            "Serve the series as the store held it then: a date (2026-03-01, the end of that "
            "day UTC), a time (2026-03-01T12:00:00Z) or a version number (3 or v3, see "
            "`/v1/series/{id}/versions`). The ETag names the version served. Not for the "
            "bundled key figures (`keyfig.*`): they change with navdata releases, not in the "
            "store (400)."
        ),
    ),
]
#: Every catalogued series and every milestone of this release: the document lists them, so a
#: client (or schemathesis) asks for series that exist; any other id is a 404 problem.
_SERIES_IDS: Final = sorted(s.id for s in cat.all_series())
_MILESTONE_IDS: Final = sorted(m.id for m in tl.load_milestones())
_SERIES_ID: Final = {
    "max_length": 200,
    "pattern": ID_PATTERN,
    "description": "Series id (GET /v1/series lists them)",
    "schema_extra": {"enum": _SERIES_IDS},
}
SeriesId = Annotated[str, PathParameter(**_SERIES_ID)]
#: A series the store keeps versions of: any catalogued one but the bundled key figures.
StoredSeriesId = Annotated[
    str,
    PathParameter(
        max_length=200,
        pattern=ID_PATTERN,
        description="Id of a series a sync stores (bundled key figures have no versions)",
        schema_extra={"enum": sorted(s.id for s in cat.all_series() if s.source != "bundled")},
    ),
]
SeriesIdQuery = Annotated[str, QueryParameter(**_SERIES_ID)]
MilestoneId = Annotated[
    str,
    PathParameter(
        max_length=100,
        pattern=ID_PATTERN,
        description="Milestone id (GET /v1/timeline lists them)",
        schema_extra={"enum": _MILESTONE_IDS},
    ),
]


def array_of(items: dict[str, Any]) -> dict[str, Any]:
    """``schema_extra`` for an optional repeatable parameter whose values are ``items``.

    The route checks the values itself (with a message listing close matches); this only
    makes the document say what it accepts.
    """
    return {"oneOf": [{"type": "array", "items": items}, {"type": "null"}]}
