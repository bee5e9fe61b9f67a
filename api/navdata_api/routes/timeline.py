"""``GET /v1/timeline``, ``/v1/timeline/{id}``: the sourced NAV and trust-reform milestones."""

from __future__ import annotations

import warnings
from typing import Annotated, Any, Final

import msgspec
import polars as pl
from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter

from navdata import milestones as tl
from navdata.cut import PeriodRange
from navdata.errors import PeriodError
from navdata.events import StatisticsBreakWarning, around
from navdata.language import Language
from navdata_api.caching import (
    STATIC_MAX_AGE,
    CachedBody,
    Validators,
    body_response,
    cache_headers,
    cached_body,
    latest,
    max_age_for,
    not_modified,
    revalidation_specs,
    strong_etag,
)
from navdata_api.local_data import LocalData, version_etag
from navdata_api.parameters import (
    AsOfParameter,
    FromBound,
    MilestoneId,
    SeriesIdQuery,
    ToBound,
    array_of,
)
from navdata_api.problems import ApiProblem, problem_specs
from navdata_api.query import query_key, request_path
from navdata_api.schemas import BreakWarning, Milestone, MilestoneSource, Timeline, Window

_JSON: Final = "application/json"
_MAX_FILTER_VALUES: Final = 20
_MAX_WINDOW: Final = 600
# The window endpoint reports breaks in its body; the library's warning would only reach logs.
warnings.filterwarnings("ignore", category=StatisticsBreakWarning)


def milestone_body(record: tl.Milestone, lang: Language) -> Milestone:
    """The API shape of one library milestone."""
    first, last = record.span
    return Milestone(
        id=record.id,
        date=record.date.isoformat(),
        precision=record.precision,
        date_text=record.date_text,
        span=[first.isoformat(), last.isoformat()],
        title=record.title(lang),
        summary=record.summary(lang),
        category=record.category,
        tags=list(record.tags),
        actors=list(record.actors),
        sources=[
            MilestoneSource(
                url=s.url,
                publisher=s.publisher,
                title=s.title,
                quote=s.quote,
                accessed=s.accessed.isoformat() if s.accessed else None,
            )
            for s in record.sources
        ],
        affects=list(record.affects),
        date_note=record.date_note,
        is_break=record.is_break,
    )


def _check_order(start: str | None, end: str | None) -> None:
    """``from`` after ``to`` is a 400 in the API's words (the library would say ``start=``).

    A malformed bound is left to the library, whose :class:`PeriodError` is a 400 already.
    """
    try:
        reversed_range = PeriodRange.parse(start, end).reversed
    except PeriodError:
        return
    if reversed_range:
        raise ApiProblem(
            400,
            "invalid-period",
            f"`from`={start!r} is after `to`={end!r}, so nothing can match. Swap them, or "
            "leave one out for an open range.",
        )


def _validators(request: Request[Any, Any, Any], local_data: LocalData) -> Validators:
    return Validators(
        etag=strong_etag(local_data.timeline_hash, request_path(request), query_key(request)),
        last_modified=local_data.timeline_modified,
        max_age=STATIC_MAX_AGE,
    )


@get(
    "/timeline",
    summary="Milestones of NAV and the trust reform",
    description=(
        "Milestones in date order. A milestone known only to the month or year is included "
        "when the span it may fall in overlaps the range. `category` and `tag` repeat "
        "(`tag=trust-reform&tag=nav-reform`); a milestone matching any value is returned."
    ),
    responses={**revalidation_specs(), **problem_specs([400, 429, 500])},
    tags=["timeline"],
)
async def list_milestones(  # noqa: PLR0917 - Litestar maps each query parameter to one argument
    request: Request[Any, Any, Any],
    local_data: NamedDependency[LocalData],
    start: FromBound = None,
    end: ToBound = None,
    category: Annotated[
        list[str] | None,
        QueryParameter(
            description="; ".join(tl.CATEGORIES),
            max_items=_MAX_FILTER_VALUES,
            schema_extra=array_of({"type": "string", "enum": sorted(tl.CATEGORIES)}),
        ),
    ] = None,
    tag: Annotated[
        list[str] | None,
        QueryParameter(
            description=", ".join(tl.TAGS),
            max_items=_MAX_FILTER_VALUES,
            schema_extra=array_of({"type": "string", "enum": sorted(tl.TAGS)}),
        ),
    ] = None,
    lang: FromQuery[Language] = "nb",
) -> Response[Timeline]:
    """Filtering is the library's; this only shapes the answer and keeps it encoded."""
    _check_order(start, end)
    validators = _validators(request, local_data)
    cached = not_modified(request, validators)
    if cached is not None:
        return cached

    def render() -> CachedBody:
        frame = tl.timeline(start=start, end=end, category=category, tag=tag, lang=lang)
        milestones = [milestone_body(tl.milestone(i), lang) for i in frame.get_column("id")]
        body = Timeline(count=len(milestones), milestones=milestones)
        return CachedBody(msgspec.json.encode(body), _JSON, {})

    return body_response(await cached_body(local_data.bodies, validators.etag, render), validators)


@get(
    "/timeline/{milestone_id:str}",
    summary="One milestone",
    description="An unknown id answers 404 with the closest ids in `detail`.",
    responses={**revalidation_specs(), **problem_specs([400, 404, 429, 500])},
    tags=["timeline"],
)
async def get_milestone(
    request: Request[Any, Any, Any],
    local_data: NamedDependency[LocalData],
    milestone_id: MilestoneId,
    lang: FromQuery[Language] = "nb",
) -> Response[Milestone]:
    """The record is looked up before the 304 check, so an unknown id is a 404, not a 304."""
    record = tl.milestone(milestone_id)
    validators = _validators(request, local_data)
    cached = not_modified(request, validators)
    if cached is not None:
        return cached

    def render() -> CachedBody:
        return CachedBody(msgspec.json.encode(milestone_body(record, lang)), _JSON, {})

    return body_response(await cached_body(local_data.bodies, validators.etag, render), validators)


def _rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts (dates as ISO text, NaN as null)."""
    ready = frame.with_columns(
        [pl.col(c).cast(pl.String) for c, t in frame.schema.items() if t == pl.Date]
        + [pl.col(c).fill_nan(None) for c, t in frame.schema.items() if t.is_float()]
    )
    return ready.to_dicts()


@get(
    "/timeline/{milestone_id:str}/window",
    summary="A series before and after a milestone",
    description=(
        "The periods of `series` from `before` periods before the milestone to `after` periods "
        "from it (period 0, the one containing the milestone, counts as after), and the mean "
        "level on each side per group. A milestone known only to the year cannot be placed in "
        "a monthly series: that is a 400, not a guess. Statistics breaks inside the window are "
        "listed in `warnings`. `as_of` reads the series as the store held it then."
    ),
    responses={**revalidation_specs(), **problem_specs([400, 404, 429, 500, 503])},
    tags=["timeline"],
    sync_to_thread=True,
)
def get_window(  # noqa: PLR0917 - Litestar maps each query parameter to one argument
    request: Request[Any, Any, Any],
    local_data: NamedDependency[LocalData],
    milestone_id: MilestoneId,
    series: SeriesIdQuery,
    before: Annotated[int, QueryParameter(ge=1, le=_MAX_WINDOW, description="Periods before")] = 12,
    after: Annotated[int, QueryParameter(ge=1, le=_MAX_WINDOW, description="Periods from")] = 12,
    lang: FromQuery[Language] = "nb",
    as_of: AsOfParameter = None,
) -> Response[Window]:
    """The library's ``around`` on the stored series; breaks become ``warnings``."""
    record = tl.milestone(milestone_id)
    info = local_data.series(series)
    entry = local_data.require_entry(series, as_of)
    validators = Validators(
        etag=version_etag(
            entry, local_data.timeline_hash, request_path(request), query_key(request)
        ),
        last_modified=latest([local_data.timeline_modified, entry.retrieved]),
        max_age=max_age_for(info.frequency),
    )
    cached = not_modified(request, validators)
    if cached is not None:
        return cached
    window = around(local_data.dataset(entry), record, before, after, series_id=series)
    body = Window(
        series=series,
        milestone=milestone_body(record, lang),
        frequency=window.frequency,
        period_zero=window.period_zero,
        first_period=window.first_period,
        last_period=window.last_period,
        before=window.before,
        after=window.after,
        by=list(window.by),
        columns=window.frame.columns,
        observations=_rows(window.frame),
        summary=_rows(window.summary),
        warnings=[
            BreakWarning(milestone=w.id, date=w.date.isoformat(), title=w.title(lang))
            for w in window.warnings
        ],
    )
    return Response(body, headers=cache_headers(validators))


HANDLERS: Final = [list_milestones, get_milestone, get_window]
