"""``GET /v1/series/{id}/chart.svg``: the library's chart of a series, with timeline markers.

The numbers are selected exactly as ``/observations`` selects them (the parameter checks and
rows of :mod:`navdata_api.series_cut`), then drawn by :func:`navdata.charts.plot`.
Drawing takes tens of milliseconds, so it runs in a worker thread and a drawn SVG is
kept in the body cache under its ETag: repeated requests cost a lookup, revalidations a 304.
Bundled key figures (``keyfig.*``) are charted from the package, so a fresh server with an
empty store still has charts to show.
"""

from __future__ import annotations

import difflib
from typing import Annotated, Any, Final

import polars as pl
from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter

from navdata import __version__ as navdata_version
from navdata import milestones as tl
from navdata.charts import PALETTE, plot
from navdata.dataset import Dataset
from navdata.language import Language
from navdata_api.caching import (
    CachedBody,
    Validators,
    body_response,
    cached_body,
    latest,
    max_age_for,
    not_modified,
    revalidation_specs,
)
from navdata_api.local_data import LocalData, version_etag
from navdata_api.parameters import AsOfParameter, FromBound, SeriesId, ToBound, array_of
from navdata_api.problems import ApiProblem, problem_specs
from navdata_api.query import query_key, request_path
from navdata_api.query_guard import OPEN_QUERY
from navdata_api.series_cut import (
    CODES_VARIANT,
    TIDY_COLUMNS,
    DimensionCodes,
    requested_codes,
    requested_periods,
    requested_rows,
)

SVG: Final = "image/svg+xml"
MAX_LINES: Final = len(PALETTE)
#: The chart route's own parameters; every other name (``region`` too) filters a dimension.
RESERVED: Final = frozenset(
    {"from", "to", "lang", "milestones", "breaks", "width", "height", "as_of"}
)
# An SVG opened on its own must not run anything, whatever a label contains.
_SVG_HEADERS: Final = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
}


def _milestones_pattern() -> str:
    """Exactly the values ``milestones`` takes: known names, comma-separated."""
    names = sorted({"all", *tl.TAGS, *(m.id for m in tl.load_milestones())}, key=len, reverse=True)
    one = "(?:" + "|".join(names) + ")"  # ids and tags are [a-z0-9-]: nothing to escape
    return f"^{one}(?:,{one})*$"


def _milestone_names(values: list[str] | None) -> list[str]:
    """Tags, milestone ids or ``all``, comma-separated or repeated; unknown names are a 400."""
    names = [n.strip() for v in values or [] for n in v.split(",") if n.strip()]
    ids = [m.id for m in tl.load_milestones()]
    known = {"all", *tl.TAGS, *ids}
    for name in names:
        if name not in known:
            close = difflib.get_close_matches(name, [*tl.TAGS, *ids], n=3, cutoff=0.5)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            raise ApiProblem(
                400,
                "unknown-milestone",
                f"milestones={name!r} is neither a timeline tag nor a milestone id.{hint} "
                f"Tags: {', '.join(tl.TAGS)}; `all` draws every milestone; GET /v1/timeline "
                "lists the ids.",
                valid=["all", *tl.TAGS],
            )
    return names


def _line_dimension(frame: pl.DataFrame, dataset: Dataset, series_id: str) -> str | None:
    """The one dimension whose codes vary in the selection (one line per code), if any."""
    varying = [
        d.id
        for d in dataset.meta.dimensions
        if d.id not in TIDY_COLUMNS
        and d.id in frame.columns
        and frame.get_column(d.id).n_unique() > 1
    ]
    if len(varying) > 1:
        shown = ", ".join(f"{name}=CODE" for name in varying[1:])
        raise ApiProblem(
            400,
            "too-many-dimensions",
            f"The selection varies in {', '.join(varying)}; a chart draws one line per code of "
            f"one dimension. Fix the others to one code each (e.g. {shown}); GET "
            f"/v1/series/{series_id} lists the codes.",
        )
    if not varying:
        return None
    name = varying[0]
    count = frame.get_column(name).n_unique()
    if count > MAX_LINES:
        raise ApiProblem(
            400,
            "too-many-lines",
            f"The selection has {count} codes of {name!r}, which would draw {count} lines; a "
            f"chart shows at most {MAX_LINES}. Choose up to {MAX_LINES} with "
            f"{name}=CODE,CODE,...",
            limit=MAX_LINES,
        )
    return name


@get(
    "/series/{series_id:str}/chart.svg",
    summary="A line chart of one series, as SVG",
    description=(
        "The series drawn by `navdata.charts.plot`: one line, or one line per code when the "
        "selection varies in one dimension (e.g. `region=03,11`, at most 8 lines). "
        "`milestones` marks timeline milestones as labelled vertical lines: a tag "
        "(`trust-reform`, `nav-reform` ...), milestone ids, or `all`, comma-separated or "
        "repeated. Statistics breaks of the series are shaded (`breaks=false` turns that off). "
        "`from`/`to` and dimension filters work as for observations. Bundled key figures "
        "(`keyfig.*`) are always available. `as_of` draws the series as the store held it "
        "then, so a reform's before/after reads as it looked at that time."
    ),
    responses={**revalidation_specs(), **problem_specs([400, 404, 429, 500, 503])},
    tags=["series"],
    media_type=SVG,
    opt={OPEN_QUERY: True},
)
async def get_chart(  # noqa: PLR0917 - Litestar maps each query parameter to one argument
    request: Request[Any, Any, Any],
    local_data: NamedDependency[LocalData],
    series_id: SeriesId,
    start: FromBound = None,
    end: ToBound = None,
    milestones: Annotated[
        list[str] | None,
        QueryParameter(
            max_items=20,
            description="Timeline tags, milestone ids, or `all`; comma-separated or repeated",
            schema_extra=array_of({"type": "string", "pattern": _milestones_pattern()}),
        ),
    ] = None,
    breaks: Annotated[
        bool, QueryParameter(description="Shade the series' statistics breaks")
    ] = True,
    width: Annotated[int, QueryParameter(ge=320, le=2400, description="Pixels")] = 960,
    height: Annotated[int, QueryParameter(ge=200, le=1600, description="Pixels")] = 540,
    lang: FromQuery[Language] = "nb",
    as_of: AsOfParameter = None,
) -> Response[bytes]:
    """Checks come before the 304 so that a bad request is never answered 'not modified'."""
    series = local_data.series(series_id)
    names = _milestone_names(milestones)
    periods = requested_periods(series, start, end)
    entry = await local_data.served_entry(series.id, as_of)
    validators = Validators(
        etag=version_etag(
            entry,
            "chart",
            navdata_version,
            local_data.catalogue_hash,
            local_data.timeline_hash,
            request_path(request),
            query_key(request),
        ),
        last_modified=latest([entry.retrieved, local_data.timeline_modified]),
        max_age=max_age_for(series.frequency),
    )
    cached = not_modified(request, validators)
    if cached is not None:
        return cached

    def render() -> CachedBody:
        dataset = local_data.dataset(entry)
        filters = local_data.derived(entry, CODES_VARIANT, DimensionCodes)
        codes = requested_codes(request, filters, RESERVED)
        frame = requested_rows(dataset, periods, codes, labels=True, lang=lang).collect()
        if frame.height == 0 or frame.get_column("value").drop_nulls().len() == 0:
            raise ApiProblem(  # a valid request for a chart that does not exist: 404
                404,
                "empty-selection",
                f"No published values of {series.id!r} in this selection; widen `from`/`to` or "
                f"the filters. GET /v1/series/{series.id}/observations shows what there is.",
            )
        chart = plot(
            Dataset(frame, dataset.meta),
            title=series.title.in_lang(lang),
            by=_line_dimension(frame, dataset, series.id),
            milestones=names or None,
            breaks=breaks,
            series_id=series.id,
            lang=lang,
            unit=series.unit.in_lang(lang),
            width=width,
            height=height,
            max_lines=MAX_LINES,
        )
        return CachedBody(chart.svg(), SVG, {})

    chart = await cached_body(local_data.bodies, validators.etag, render, in_thread=True)
    return body_response(chart, validators, _SVG_HEADERS)


HANDLERS: Final = [get_chart]
