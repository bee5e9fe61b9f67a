"""``GET /v1/series/{id}/observations``: the numbers, filtered and paged, as JSON, CSV or JSON-stat.

The order of work is chosen for speed: validate the cheap things, compute the ETag from the
manifest and the query, answer 304 or a cached body when possible, and only then filter the
stored frame (held in memory by :class:`navdata_api.local_data.LocalData`). Rows are encoded by
polars in one call, never row by row in Python.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
from typing import Annotated, Any, Final, Literal
from urllib.parse import urlencode

import msgspec
import polars as pl
from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.openapi.spec import Operation, Schema
from litestar.params import FromQuery, PathParameter, QueryParameter

from navdata import series_catalog as cat
from navdata.cut import PeriodRange, cut
from navdata.dataset import Dataset, Metadata
from navdata.jsonstat import write_jsonstat
from navdata.language import Language
from navdata_api.caching import (
    CachedBody,
    Validators,
    body_response,
    cached_body_in_thread,
    max_age_for,
    not_modified,
    query_key,
    revalidation_specs,
)
from navdata_api.local_data import LocalData, StoreEntry, version_etag
from navdata_api.problems import ApiProblem, problem_specs
from navdata_api.query_guard import OPEN_QUERY
from navdata_api.routes.series import provenance_info
from navdata_api.schemas import Observations, Page, ProvenanceInfo
from navdata_api.series_cut import (
    AsOfParameter,
    FromBound,
    ToBound,
    requested_codes,
    requested_periods,
    requested_rows,
)

Format = Literal["json", "csv", "jsonstat"]
JSON: Final = "application/json"
CSV: Final = "text/csv"  # Litestar appends "; charset=utf-8"
RESERVED: Final = frozenset({"from", "to", "labels", "lang", "limit", "cursor", "format", "as_of"})
_CURSOR_MAX: Final = 200
#: Hidden copy of ``date`` in the JSON-ready frame: the period filter compares real dates.
_FILTER_DATE: Final = "__date"


class _Cursor(msgspec.Struct, frozen=True):
    o: int
    q: str


def _query_hash(series_id: str, request: Request[Any, Any, Any], fmt: str) -> str:
    """Hash of everything that defines the selection, so a cursor cannot move to another query."""
    pairs = sorted((k, v) for k, v in request.query_params.multi_items() if k != "cursor")
    return hashlib.sha256(f"{series_id}|{fmt}|{pairs}".encode()).hexdigest()[:16]


def encode_cursor(offset: int, query_hash: str) -> str:
    """Opaque page token: base64url of the offset and the query hash."""
    raw = msgspec.json.encode(_Cursor(o=offset, q=query_hash))
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(token: str, query_hash: str) -> int:
    """The offset in a token made by :func:`encode_cursor` for this very query."""
    try:
        padded = token + "=" * (-len(token) % 4)
        cursor = msgspec.json.decode(base64.urlsafe_b64decode(padded), type=_Cursor)
    except (binascii.Error, ValueError, msgspec.DecodeError):
        raise ApiProblem(
            400,
            "invalid-cursor",
            "The cursor is not one this service made. Use the `next` link of the previous page, "
            "or leave `cursor` out to start at the first page.",
        ) from None
    if cursor.q != query_hash or cursor.o < 0:
        raise ApiProblem(
            400,
            "invalid-cursor",
            "The cursor belongs to another query: cursors only work with the same filters, "
            "format and limit. Leave `cursor` out to start at the first page.",
        )
    return cursor.o


def negotiate(request: Request[Any, Any, Any], fmt: Format | None) -> Format:
    """``format`` wins; otherwise ``Accept: text/csv`` picks CSV; anything JSON-ish picks JSON."""
    if fmt is not None:
        return fmt
    accept = request.headers.get("accept")
    if not accept:
        return "json"
    kinds = [part.split(";")[0].strip().lower() for part in accept.split(",")]
    for kind in kinds:
        if kind == "text/csv":
            return "csv"
        if kind in {"application/json", "application/*", "*/*", "application/problem+json"}:
            return "json"
        if kind.endswith("+json"):
            return "json"
    raise ApiProblem(
        406,
        "not-acceptable",
        f"Cannot produce any of {accept!r}. This resource is available as application/json "
        "(also JSON-stat 2.0 with format=jsonstat) and text/csv (or use the `format` parameter).",
    )


def _json_ready(dataset: Dataset, *, labels: bool, lang: str) -> pl.DataFrame:
    """The whole series as JSON rows need it, built once per series version, labels and lang.

    Dates become ISO text and NaN null here rather than per request; a hidden real-date
    column keeps the period filter exact. Polars' fixed cost per query dominates on the small
    selections requests make, so the request itself then runs a single eager ``filter``.
    """
    return (
        requested_rows(dataset, None, None, labels=labels, lang=lang)
        .with_columns(
            pl.col("date").alias(_FILTER_DATE),
            pl.col(pl.Date).cast(pl.String),
            pl.col("value").fill_nan(None),
        )
        .collect()
    )


def _json_rows(
    local_data: LocalData,
    entry: StoreEntry,
    codes: dict[str, list[str]],
    periods: PeriodRange,
    options: _Options,
) -> pl.DataFrame:
    """:func:`requested_rows` for JSON: the same rows, from the prepared frame, one eager cut."""
    prepared = local_data.derived(
        entry,
        ("json", options.labels, options.lang),
        functools.partial(_json_ready, labels=options.labels, lang=options.lang),
    )
    # With nothing to cut, cut() hands back the kept frame itself: drop from a (shallow) clone.
    # In place, as DataFrame.drop costs about 0.1 ms, a third of the whole request.
    rows = cut(prepared, periods, codes, date_column=_FILTER_DATE).clone()
    rows.drop_in_place(_FILTER_DATE)
    return rows


def _page(
    request: Request[Any, Any, Any],
    total: int,
    offset: int,
    limit: int,
    query_hash: str,
) -> Page:
    end = offset + limit
    if end >= total:
        return Page(limit=limit, returned=max(0, total - offset), total=total)
    token = encode_cursor(end, query_hash)
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"]
    params.append(("cursor", token))
    return Page(
        limit=limit,
        returned=limit,
        total=total,
        next_cursor=token,
        next=f"{request.url.path}?{urlencode(params)}",
    )


def _json_body(
    series_id: str,
    frame: pl.DataFrame,
    page: Page,
    provenance: ProvenanceInfo,
    flags: dict[str, str] | None = None,
) -> bytes:
    """Envelope encoded by msgspec around rows encoded by polars (no per-row Python).

    ``frame`` comes from :func:`_json_rows` (dates as ISO text, NaN as null).
    """
    envelope = msgspec.json.encode(
        Observations(
            series=series_id,
            columns=frame.columns,
            observations=[],
            page=page,
            provenance=provenance,
            flags=flags or {},
        )
    )
    marker = b'"observations":[]'
    head, tail = envelope.split(marker, 1)
    body = frame.write_json().encode() if frame.height else b"[]"
    return head + b'"observations":' + body + tail


def _jsonstat_body(dataset: Dataset, frame: pl.DataFrame) -> bytes:
    """The selection as one JSON-stat 2.0 cube, its categories cut to the selected codes."""
    dims = []
    for dim in dataset.meta.dimensions:
        if dim.id not in frame.columns:
            continue
        present = set(frame.get_column(dim.id).cast(pl.String).unique().to_list())
        dims.append(
            msgspec.structs.replace(
                dim,
                codes=[c for c in dim.codes if c in present],
                labels={c: v for c, v in dim.labels.items() if c in present},
                units={c: v for c, v in dim.units.items() if c in present},
                category_notes={c: v for c, v in dim.category_notes.items() if c in present},
                children={},
            )
        )
    meta: Metadata = msgspec.structs.replace(dataset.meta, dimensions=dims)
    return write_jsonstat(Dataset(frame, meta))


class ObservationsOperation(Operation):
    """Documents the three representations of the 200 response (JSON, JSON-stat, CSV)."""

    def __post_init__(self) -> None:
        """Add ``text/csv`` and the JSON-stat alternative to the generated 200 response."""
        ok = (self.responses or {}).get("200")
        content = getattr(ok, "content", None)
        if not content or JSON not in content:
            return
        observations = content[JSON].schema
        jsonstat = Schema(
            description="A JSON-stat 2.0 dataset (format=jsonstat)",
            required=["version", "class", "id", "size", "dimension", "value"],
        )
        content[JSON].schema = Schema(one_of=[observations, jsonstat]) if observations else None
        content["text/csv"] = type(content[JSON])(
            schema=Schema(description="The tidy frame as CSV (format=csv or Accept: text/csv)")
        )


@get(
    "/series/{series_id:str}/observations",
    summary="Observations of one series",
    description=(
        "The tidy rows of a series: one column per dimension (category codes), `period`, `date`, "
        "`value` (null when not published) and `status` (the publisher's symbol).\n\n"
        "Filter by any dimension with its code, repeatable or comma-separated: "
        "`region=03&region=11` or `region=03,11` (GET /v1/series/{id} lists the codes). "
        "`from`/`to` take a period code (2020, 2020K1, 2020M03) or a date (2020-03); `to` "
        "includes the whole period.\n\n"
        "JSON is paged: `limit` rows (default NAVDATA_API_DEFAULT_PAGE, 1000; at most "
        "NAVDATA_API_MAX_PAGE, 10000) and `page.next` to continue; the cursor is opaque and only "
        "valid for the same query. CSV (`format=csv` or `Accept: text/csv`) and JSON-stat 2.0 "
        "(`format=jsonstat`) return the whole selection unless `limit` is given (CSV) and answer "
        "413 above NAVDATA_API_MAX_ROWS rows (1,000,000).\n\n"
        "`as_of` serves an earlier version (a date, a time or a version number); the ETag "
        'names the version (`"v3-..."`). 503: the stored data file is damaged.'
    ),
    responses={**revalidation_specs(), **problem_specs([400, 404, 406, 413, 429, 500, 503])},
    tags=["observations"],
    operation_class=ObservationsOperation,
    opt={OPEN_QUERY: True},
)
async def get_observations(  # noqa: PLR0917 - Litestar maps each query parameter to one argument
    request: Request[Any, Any, Any],
    local_data: NamedDependency[LocalData],
    series_id: Annotated[str, PathParameter(max_length=200, description="Series id")],
    start: FromBound = None,
    end: ToBound = None,
    labels: Annotated[
        bool, QueryParameter(description="Add a `<dimension>_label` column after each code column")
    ] = False,
    lang: FromQuery[Language] = "nb",
    limit: Annotated[int | None, QueryParameter(ge=1, description="Rows per page")] = None,
    cursor: Annotated[
        str | None,
        QueryParameter(max_length=_CURSOR_MAX, description="`page.next_cursor` of the last page"),
    ] = None,
    fmt: Annotated[
        Format | None, QueryParameter(name="format", description="json (default), csv or jsonstat")
    ] = None,
    as_of: AsOfParameter = None,
) -> Response[Observations]:
    """See the route description; every error is a problem+json naming what to change."""
    settings = local_data.settings
    series = local_data.series(series_id)
    chosen = negotiate(request, fmt)
    if limit is not None and limit > settings.max_page:
        raise ApiProblem(
            400,
            "limit-too-large",
            f"limit={limit} is above the largest page, {settings.max_page}. Ask for at most "
            f"{settings.max_page} rows and follow `page.next`.",
            limit=settings.max_page,
        )
    if chosen == "jsonstat" and (limit is not None or cursor is not None):
        raise ApiProblem(
            400,
            "paging-not-supported",
            "A JSON-stat cube is never paged; drop `limit` and `cursor`, and narrow the "
            "selection with filters instead.",
        )
    entry = local_data.require_entry(series_id, as_of)
    validators = Validators(
        etag=version_etag(entry, request.url.path, query_key(request), chosen, settings.max_page),
        last_modified=entry.retrieved,
        max_age=max_age_for(series.frequency),
    )
    cached = not_modified(request, validators)
    if cached is not None:
        return cached
    options = _Options(
        fmt=chosen, limit=limit, cursor=cursor, start=start, end=end, labels=labels, lang=lang
    )
    render = functools.partial(_render, request, local_data, series, entry, options)
    return body_response(
        await cached_body_in_thread(local_data.bodies, validators.etag, render), validators
    )


class _Options(msgspec.Struct, frozen=True, kw_only=True):
    """The query parameters that shape a rendered body."""

    fmt: Format
    limit: int | None
    cursor: str | None
    start: str | None
    end: str | None
    labels: bool
    lang: str


def _render(
    request: Request[Any, Any, Any],
    local_data: LocalData,
    series: cat.Series,
    entry: StoreEntry,
    options: _Options,
) -> CachedBody:
    settings = local_data.settings
    chosen, limit = options.fmt, options.limit
    periods = requested_periods(series, options.start, options.end)
    dataset = local_data.dataset(entry)
    codes = requested_codes(request, dataset, RESERVED)
    if chosen == "json":
        frame = _json_rows(local_data, entry, codes, periods, options)
    else:
        lazy = requested_rows(dataset, periods, codes, labels=options.labels, lang=options.lang)
        frame = lazy.collect()
    total = frame.height
    query_hash = _query_hash(series.id, request, chosen)
    offset = decode_cursor(options.cursor, query_hash) if options.cursor is not None else 0
    paged = chosen == "json" or limit is not None
    if not paged and total > settings.max_rows:
        raise ApiProblem(
            413,
            "selection-too-large",
            f"The selection has {total} rows; one request may produce at most "
            f"{settings.max_rows}. Filter by dimension or period, or page with `limit`.",
            limit=settings.max_rows,
        )
    if chosen == "jsonstat":
        return CachedBody(_jsonstat_body(dataset, frame), JSON, {})
    size = limit or settings.default_page
    page = _page(request, total, offset, size, query_hash)
    rows = frame.slice(offset, size) if paged else frame
    extra: dict[str, str] = {}
    if page.next is not None:
        extra["Link"] = f'<{page.next}>; rel="next"'
    if chosen == "csv":
        extra["Content-Disposition"] = f'inline; filename="{series.id}.csv"'
        return CachedBody(rows.write_csv().encode(), CSV, extra)
    body = _json_body(
        series.id, rows, page, provenance_info(series, entry), _flag_meanings(dataset)
    )
    return CachedBody(body, JSON, extra)


def _flag_meanings(dataset: Dataset) -> dict[str, str]:
    """What the codes of a ``flags`` column mean, from the dataset's metadata (key figures)."""
    meanings = dataset.meta.extension.get("flags")
    if not isinstance(meanings, dict):
        return {}
    return {str(code): str(text) for code, text in meanings.items()}


HANDLERS: Final = [get_observations]
