"""The response bodies of the service, as msgspec Structs.

These are the public contract (and the source of the OpenAPI schema): documented keys keep their
name and type within ``/v1``; new keys may be added, so clients must ignore keys they do not know.
They are deliberately separate from the library's own types, so that a refactor inside
``navdata`` cannot change what the API promises.
"""

from __future__ import annotations

from typing import Any

import msgspec


class ParamError(msgspec.Struct, frozen=True, kw_only=True):
    """One invalid parameter of a request."""

    name: str
    source: str
    message: str


class Problem(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """An RFC 9457 problem document, served as ``application/problem+json``."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[ParamError] | None = None
    valid: list[str] | None = None
    suggestions: list[str] | None = None
    limit: int | None = None
    reference: str | None = None


class Health(msgspec.Struct, frozen=True, kw_only=True):
    """Liveness: the process answers."""

    status: str
    version: str


class Readiness(msgspec.Struct, frozen=True, kw_only=True):
    """Readiness: the store can be read, how many series it holds and how many are bundled.

    ``store`` names the kind of store (``folder`` or ``s3``), never where it is. ``status`` is
    ``degraded`` while ``damaged`` names series whose current data file could not be read
    (each answers 503 until ``navdata sync ID`` replaces it).
    """

    status: str
    store: str
    series: int
    bundled: int
    damaged: dict[str, str] = msgspec.field(default_factory=dict)


class Source(msgspec.Struct, frozen=True, kw_only=True):
    """A publisher whose numbers the service serves, with the licence and how to credit it."""

    id: str
    name: str
    name_en: str
    url: str
    licence: str
    licence_url: str
    attribution: str
    attribution_en: str


class SourceList(msgspec.Struct, frozen=True, kw_only=True):
    """Every publisher the service serves data from."""

    sources: list[Source]


class SeriesSummary(msgspec.Struct, frozen=True, kw_only=True):
    """One row of the catalogue."""

    id: str
    title: str
    source: str
    topic: str | None = None
    frequency: str | None = None
    unit: str | None = None
    available: bool
    links: dict[str, str] = msgspec.field(default_factory=dict)


class SeriesList(msgspec.Struct, frozen=True, kw_only=True):
    """The catalogue, filtered as asked."""

    count: int
    series: list[SeriesSummary]


class Category(msgspec.Struct, frozen=True, kw_only=True):
    """One category of a dimension: its code and label."""

    code: str
    label: str


class DimensionInfo(msgspec.Struct, frozen=True, kw_only=True):
    """One dimension of a series with every category code and label."""

    id: str
    label: str
    categories: list[Category]


class ProvenanceInfo(msgspec.Struct, frozen=True, kw_only=True):
    """Where the stored numbers came from and when."""

    publisher: str | None = None
    url: str | None = None
    table: str | None = None
    licence: str | None = None
    licence_url: str | None = None
    retrieved: str | None = None
    updated: str | None = None
    content_hash: str | None = None
    version: int | None = None
    """The store version served (``/v1/series/{id}/versions``); none for bundled series."""


class Break(msgspec.Struct, frozen=True, kw_only=True):
    """A known statistical break: from ``date`` the numbers change meaning."""

    date: str
    precision: str
    note: str
    milestone: str | None = None


class SeriesDetail(msgspec.Struct, frozen=True, kw_only=True):
    """Everything about one series except its numbers."""

    id: str
    title: str
    source: str
    description: str | None = None
    topic: str | None = None
    frequency: str | None = None
    unit: str | None = None
    available: bool
    dimensions: list[DimensionInfo] = msgspec.field(default_factory=list)
    provenance: ProvenanceInfo | None = None
    breaks: list[Break] = msgspec.field(default_factory=list)
    notes: list[str] = msgspec.field(default_factory=list)
    links: dict[str, str] = msgspec.field(default_factory=dict)


class Page(msgspec.Struct, frozen=True, kw_only=True):
    """Where this page sits in the whole selection and how to get the next one."""

    limit: int
    returned: int
    total: int
    next_cursor: str | None = None
    next: str | None = None


class Observations(msgspec.Struct, frozen=True, kw_only=True):
    """One page of observations: one object per row of the tidy frame, keys as in ``columns``.

    ``flags`` says what each code in a ``flags`` column means (a bundled key figure's values
    carry ``unit``, ``flags`` and the ``quote`` they were read from); it is empty for series
    without flags.
    """

    series: str
    columns: list[str]
    observations: list[dict[str, Any]]
    page: Page
    provenance: ProvenanceInfo | None = None
    flags: dict[str, str] = msgspec.field(default_factory=dict)


class MilestoneSource(msgspec.Struct, frozen=True, kw_only=True):
    """A public page that backs a milestone, with the words on it the milestone rests on."""

    url: str
    publisher: str
    title: str
    quote: str
    accessed: str | None = None


class Milestone(msgspec.Struct, frozen=True, kw_only=True):
    """One dated event of the NAV and trust-reform timeline, with its sources.

    ``date`` is the first day the event can have fallen on; ``precision`` says how exactly it
    is known (day, month, quarter, year, session), ``date_text`` shows the date only that
    precisely (``2022-01``, ``2018-Q4``, ``2014``) and ``span`` gives the first and last
    possible day.
    """

    id: str
    date: str
    precision: str
    date_text: str
    span: list[str]
    title: str
    summary: str
    category: str
    tags: list[str]
    actors: list[str]
    sources: list[MilestoneSource]
    affects: list[str] = msgspec.field(default_factory=list)
    date_note: str | None = None
    is_break: bool = False


class Timeline(msgspec.Struct, frozen=True, kw_only=True):
    """The milestones that match a query, in date order."""

    count: int
    milestones: list[Milestone]


class BreakWarning(msgspec.Struct, frozen=True, kw_only=True):
    """A statistics break inside an event window: a before/after change may be the break."""

    milestone: str
    date: str
    title: str


class Window(msgspec.Struct, frozen=True, kw_only=True):
    """A series around one milestone: aligned rows, a before/after summary per group, warnings.

    ``observations`` carry ``relative`` (period number relative to the milestone; 0 is the
    period that contains it and counts as after) and ``side``. ``summary`` has one row per group
    with ``n_before``, ``n_after``, ``mean_before``, ``mean_after``, ``change`` and
    ``relative_change``.
    """

    series: str
    milestone: Milestone
    frequency: str
    period_zero: str
    first_period: str
    last_period: str
    before: int
    after: int
    by: list[str]
    columns: list[str]
    observations: list[dict[str, Any]]
    summary: list[dict[str, Any]]
    warnings: list[BreakWarning]
