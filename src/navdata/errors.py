"""One hierarchy of errors, rooted at :class:`NavdataError`.

Every message says what was wrong and what to do about it. Catch ``NavdataError`` to handle
anything navdata raises on purpose; the subclasses let a caller react to one kind of failure.
Several also derive from a built-in (in brackets) so that generic code that already catches
``ValueError``, ``LookupError`` or ``ImportError`` keeps working. The tree
(``tests/test_exported_members.py`` checks it against the classes):

    NavdataError
    ├── JsonStatError [ValueError]
    ├── PeriodError [ValueError]
    ├── RegionError [LookupError]
    ├── LayoutError [ValueError]
    ├── UpstreamError                       .status and .url of the failed request
    │   ├── UpstreamUnavailableError
    │   │   └── UpstreamUnreachableError        .host and .reason: no connection at all
    │   ├── RateLimitedError
    │   ├── TooManyCellsError
    │   ├── UrlTooLongError
    │   ├── UnknownTableError [LookupError]
    │   ├── UnknownVariableError [LookupError]
    │   ├── UnknownValueError [LookupError]
    │   ├── UnknownCodelistError [LookupError]
    │   └── UnknownClassificationError [LookupError]
    ├── OfflineError [LookupError]
    ├── SelectionError [ValueError]
    ├── LinkNotFoundError [LookupError]
    ├── UnknownSeriesError [LookupError]
    ├── UnknownMilestoneError [LookupError]
    ├── DatasetValidationError [ValueError]
    ├── StoreError
    │   ├── MissingDataError [LookupError]
    │   └── StoreLockedError
    ├── InvalidArgumentError [ValueError]
    └── MissingDependencyError [ImportError]
"""

from __future__ import annotations

__all__ = [
    "DatasetValidationError",
    "InvalidArgumentError",
    "JsonStatError",
    "LayoutError",
    "LinkNotFoundError",
    "MissingDataError",
    "MissingDependencyError",
    "NavdataError",
    "OfflineError",
    "PeriodError",
    "RateLimitedError",
    "RegionError",
    "SelectionError",
    "StoreError",
    "StoreLockedError",
    "TooManyCellsError",
    "UnknownClassificationError",
    "UnknownCodelistError",
    "UnknownMilestoneError",
    "UnknownSeriesError",
    "UnknownTableError",
    "UnknownValueError",
    "UnknownVariableError",
    "UpstreamError",
    "UpstreamUnavailableError",
    "UpstreamUnreachableError",
    "UrlTooLongError",
]


class NavdataError(Exception):
    """Base class of every error navdata raises on purpose."""


# --- parsing and data formats -------------------------------------------------------------------


class JsonStatError(NavdataError, ValueError):
    """A JSON-stat document is malformed or not JSON-stat at all."""


class PeriodError(NavdataError, ValueError):
    """A period code (``2024M03``, ``2024K1`` ...) could not be understood."""


class RegionError(NavdataError, LookupError):
    """A region code is unknown or cannot be mapped to the requested vintage."""


class LayoutError(NavdataError, ValueError):
    """A published file does not match the layout navdata knows; nothing was guessed."""


# --- fetching -------------------------------------------------------------------------------------


class UpstreamError(NavdataError):
    """An upstream service (SSB, KLASS, nav.no) answered with an error."""

    def __init__(self, message: str, *, status: int | None = None, url: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.url = url


class UpstreamUnavailableError(UpstreamError):
    """The service could not be reached or kept failing after every retry."""


class UpstreamUnreachableError(UpstreamUnavailableError):
    """No connection to the service at all: its name did not resolve, or it refused or timed out.

    ``host`` is the host (and port) tried, ``reason`` the failure in plain words. Not retried
    like a slow answer: without a network, retrying only makes the user wait.
    """

    def __init__(
        self, message: str, *, url: str | None = None, host: str = "", reason: str = ""
    ) -> None:
        super().__init__(message, url=url)
        self.host = host
        self.reason = reason


class RateLimitedError(UpstreamError):
    """The service kept answering 429 Too Many Requests after every retry."""


class OfflineError(NavdataError, LookupError):
    """Offline mode was asked for and the answer is not in the cache or store."""


class TooManyCellsError(UpstreamError):
    """A query selects more cells than the service allows in one request."""


class UrlTooLongError(UpstreamError):
    """A GET URL was longer than the service accepts (SSB answers 404 past ~2,100 characters)."""


class UnknownTableError(UpstreamError, LookupError):
    """The table id does not exist at the source."""


class UnknownVariableError(UpstreamError, LookupError):
    """A variable (dimension) named in a selection does not exist in the table."""


class UnknownValueError(UpstreamError, LookupError):
    """A value code named in a selection does not exist for its variable."""


class UnknownCodelistError(UpstreamError, LookupError):
    """A codelist id does not exist (SSB codelist ids are case-sensitive)."""


class UnknownClassificationError(UpstreamError, LookupError):
    """A KLASS classification or correspondence does not exist (KLASS answered 404)."""


class SelectionError(NavdataError, ValueError):
    """A selection expression is malformed or cannot be expanded against the metadata."""


class LinkNotFoundError(NavdataError, LookupError):
    """A NAV statistics page does not link the expected table or file."""


# --- the library's own data ---------------------------------------------------------------------


class UnknownSeriesError(NavdataError, LookupError):
    """A series id is not in the catalogue."""


class UnknownMilestoneError(NavdataError, LookupError):
    """A milestone id is not in the timeline."""


class DatasetValidationError(NavdataError, ValueError):
    """A bundled dataset (timeline, catalogue) breaks its schema or its rules."""


class StoreError(NavdataError):
    """The local store is unreadable, or a sync could not be completed."""


class MissingDataError(StoreError, LookupError):
    """A series is not in the local store and could not be fetched."""


class InvalidArgumentError(NavdataError, ValueError):
    """An argument has a value or type navdata cannot use; the message says what it accepts."""


class StoreLockedError(StoreError):
    """Another process holds the local store's lock (a sync is running); the message names it."""


class MissingDependencyError(NavdataError, ImportError):
    """An optional dependency is not installed; the message names the extra that provides it."""
