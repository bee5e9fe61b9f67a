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
from dataclasses import dataclass
from typing import Annotated, Any, Final, Literal
from urllib.parse import urlencode

import msgspec
import numpy as np
import polars as pl
from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.openapi.spec import Operation, Schema
from litestar.params import FromQuery, QueryParameter

from navdata import series_catalog as cat
from navdata.cut import CutIndex, PeriodRange
from navdata.dataset import Dataset, Metadata
from navdata.jsonstat import write_jsonstat
from navdata.language import Language
from navdata_api.caching import (
    CachedBody,
    Validators,
    body_response,
    cached_body,
    max_age_for,
    not_modified,
    revalidation_specs,
)
from navdata_api.local_data import LocalData, StoreEntry, version_etag
from navdata_api.parameters import AsOfParameter, FromBound, SeriesId, ToBound
from navdata_api.problems import ApiProblem, problem_specs
from navdata_api.query import query_key, query_pairs, request_path
from navdata_api.query_guard import OPEN_QUERY
from navdata_api.routes.series import provenance_info
from navdata_api.schemas import Observations, Page, ProvenanceInfo
from navdata_api.series_cut import (
    CODES_VARIANT,
    DimensionCodes,
    labels_in,
    requested_codes,
    requested_periods,
    requested_rows,
)
from navdata_api.settings import MAX_PAGE_LIMIT

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
    pairs = sorted((k, v) for k, v in query_pairs(request) if k != "cursor")
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


#: A page no real one equals (negative counts): where the page goes in an encoded envelope.
_PAGE_MARK: Final = Page(limit=-1, returned=-1, total=-1)
_ROWS_MARK: Final = b'"observations":[]'


class _Envelope(msgspec.Struct, frozen=True):
    """An observations page as JSON around the two parts that change per request.

    ``head + rows + middle + page + tail`` is what msgspec encodes for the whole
    :class:`~navdata_api.schemas.Observations`: the series, columns, provenance and flags are
    encoded once per series version, and a request encodes only its page.
    """

    head: bytes
    middle: bytes
    tail: bytes

    @classmethod
    def of(
        cls, series_id: str, columns: list[str], provenance: ProvenanceInfo, flags: dict[str, str]
    ) -> _Envelope:
        """Split the encoding of an empty page at its rows and its page."""
        whole = msgspec.json.encode(
            Observations(
                series=series_id,
                columns=columns,
                observations=[],
                page=_PAGE_MARK,
                provenance=provenance,
                flags=flags,
            )
        )
        # Neither mark can occur inside the JSON strings around them: quotes there are escaped.
        head, rest = whole.split(_ROWS_MARK, 1)
        middle, tail = rest.split(msgspec.json.encode(_PAGE_MARK), 1)
        return cls(head + b'"observations":', middle, tail)

    def body(self, rows: list[bytes], page: Page) -> bytes:
        """The page's JSON: ``rows`` are encoded row objects, joined into the list here."""
        page_json = msgspec.json.encode(page)
        return b"".join((self.head, b"[", b",".join(rows), b"]", self.middle, page_json, self.tail))


class _JsonRows(msgspec.Struct, frozen=True):
    """One series version as JSON rows, each encoded once, and what cuts and wraps them.

    A request then costs a few microseconds of numpy (:class:`~navdata.cut.CutIndex`, the same
    rule as :func:`~navdata.cut.cut`), set lookups for its filters and a join of the rows it
    keeps, instead of polars' fixed cost of a query (0.2-0.5 ms, most of an uncached request).
    """

    texts: np.ndarray[Any, np.dtype[np.object_]]
    """Each row's JSON object as bytes, in stored order: numpy takes a page's in one call."""
    index: CutIndex
    filters: DimensionCodes
    envelope: _Envelope


def _json_ready(
    dataset: Dataset, *, labels: bool, lang: str, series: cat.Series, entry: StoreEntry
) -> _JsonRows:
    """The whole series as JSON rows need it, built once per series version, labels and lang.

    Dates become ISO text and NaN null; each row is encoded by polars exactly as
    ``DataFrame.write_json`` would write it within the list.
    """
    frame = (
        requested_rows(dataset, None, None, labels=labels, lang=lang)
        .with_columns(pl.col(pl.Date).cast(pl.String), pl.col("value").fill_nan(None))
        .collect()
    )
    dimensions = [d.id for d in dataset.meta.dimensions if d.id in frame.columns]
    texts = frame.select(pl.struct(pl.all()).struct.json_encode()).to_series().to_list()
    return _JsonRows(
        texts=np.array([t.encode() for t in texts], dtype=np.object_),
        index=CutIndex(dataset.frame, dimensions, name=dataset.meta.label or "the series"),
        filters=DimensionCodes(dataset),
        envelope=_Envelope.of(
            series.id, frame.columns, provenance_info(series, entry), _flag_meanings(dataset)
        ),
    )


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
    params = [(k, v) for k, v in query_pairs(request) if k != "cursor"]
    params.append(("cursor", token))
    return Page(
        limit=limit,
        returned=limit,
        total=total,
        next_cursor=token,
        next=f"{request_path(request)}?{urlencode(params)}",
    )


#: Dimension ids that name places: JSON-stat's ``role.geo`` (as ``period`` is ``role.time``).
_GEO_DIMENSIONS: Final = frozenset({"region", "fylke", "kommune", "bydel"})


def _jsonstat_body(
    dataset: Dataset, frame: pl.DataFrame, series: cat.Series, entry: StoreEntry, lang: str
) -> bytes:
    """The selection as one JSON-stat 2.0 cube in ``lang``, its categories cut to the selection.

    The title and category labels follow ``lang`` where the store kept them; ``updated`` is the
    publisher's date (from the data, else the store's manifest); a region dimension gets
    ``role.geo``. A key figure's per-value provenance travels in ``extension.observations``.
    """
    dims = []
    for dim in dataset.meta.dimensions:
        if dim.id not in frame.columns:
            continue
        present = set(frame.get_column(dim.id).cast(pl.String).unique().to_list())
        labels = labels_in(dim, lang)
        dims.append(
            msgspec.structs.replace(
                dim,
                codes=[c for c in dim.codes if c in present],
                labels={c: v for c, v in labels.items() if c in present},
                units={c: v for c, v in dim.units.items() if c in present},
                category_notes={c: v for c, v in dim.category_notes.items() if c in present},
                children={},
                role=dim.role or ("geo" if dim.id in _GEO_DIMENSIONS else None),
            )
        )
    meta: Metadata = msgspec.structs.replace(
        dataset.meta,
        dimensions=dims,
        label=series.title.in_lang(lang),
        updated=dataset.meta.updated or entry.updated,
    )
    return write_jsonstat(Dataset(frame, meta))


@dataclass
class ObservationsOperation(Operation):
    """Documents the three representations of the 200 response (JSON, JSON-stat, CSV).

    A dataclass itself: the ``__init__`` Litestar calls is generated per dataclass, and only
    one generated for this class calls ``__post_init__`` (the inherited one did not, so CSV
    and JSON-stat were missing from the schema).
    """

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
    series_id: SeriesId,
    start: FromBound = None,
    end: ToBound = None,
    labels: Annotated[
        bool, QueryParameter(description="Add a `<dimension>_label` column after each code column")
    ] = False,
    lang: FromQuery[Language] = "nb",
    limit: Annotated[
        int | None,
        QueryParameter(
            ge=1,
            le=MAX_PAGE_LIMIT,
            description="Rows per page, at most NAVDATA_API_MAX_PAGE (10000 unless lowered)",
        ),
    ] = None,
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
    entry = await local_data.served_entry(series_id, as_of)
    validators = Validators(
        etag=version_etag(
            entry, request_path(request), query_key(request), chosen, settings.max_page
        ),
        last_modified=entry.retrieved,
        max_age=max_age_for(series.frequency),
    )
    cached = not_modified(request, validators)
    if cached is not None:
        return cached
    options = _Options(
        fmt=chosen, limit=limit, cursor=cursor, start=start, end=end, labels=labels, lang=lang
    )
    kept = local_data.kept(entry, options.variant, _JsonRows) if chosen == "json" else None
    render = functools.partial(_render, request, local_data, series, entry, options, kept)
    # A JSON page of a kept version is a cut of its index and a join: cheaper than a hop to a
    # thread. The first request for a series version builds the index, and CSV and JSON-stat
    # encode the whole selection: those go to a worker thread.
    body = await cached_body(local_data.bodies, validators.etag, render, in_thread=kept is None)
    return body_response(body, validators)


class _Options(msgspec.Struct, frozen=True, kw_only=True):
    """The query parameters that shape a rendered body."""

    fmt: Format
    limit: int | None
    cursor: str | None
    start: str | None
    end: str | None
    labels: bool
    lang: str

    @property
    def variant(self) -> tuple[str, bool, str]:
        """What a JSON page's kept rows depend on besides the series version."""
        return ("json", self.labels, self.lang)


def _render(  # noqa: PLR0917 - the parts of one request, checked by the caller
    request: Request[Any, Any, Any],
    local_data: LocalData,
    series: cat.Series,
    entry: StoreEntry,
    options: _Options,
    kept: _JsonRows | None,
) -> CachedBody:
    settings = local_data.settings
    chosen, limit = options.fmt, options.limit
    periods = requested_periods(series, options.start, options.end)
    if chosen == "json":
        if kept is None:  # the first page of this version, labels and lang: built here, kept
            build = functools.partial(
                _json_ready, labels=options.labels, lang=options.lang, series=series, entry=entry
            )
            kept = local_data.derived(entry, options.variant, build)
        return _render_json(request, local_data, series, kept, options, periods)
    dataset = local_data.dataset(entry)
    codes = requested_codes(
        request, local_data.derived(entry, CODES_VARIANT, DimensionCodes), RESERVED
    )
    lazy = requested_rows(dataset, periods, codes, labels=options.labels, lang=options.lang)
    frame = lazy.collect()
    total = frame.height
    query_hash = _query_hash(series.id, request, chosen)
    offset = decode_cursor(options.cursor, query_hash) if options.cursor is not None else 0
    paged = limit is not None
    if not paged and total > settings.max_rows:
        raise ApiProblem(
            413,
            "selection-too-large",
            f"The selection has {total} rows; one request may produce at most "
            f"{settings.max_rows}. Filter by dimension or period, or page with `limit`.",
            limit=settings.max_rows,
        )
    if chosen == "jsonstat":
        body = _jsonstat_body(dataset, frame, series, entry, options.lang)
        return CachedBody(body, JSON, {})
    size = limit or settings.default_page
    page = _page(request, total, offset, size, query_hash)
    rows = frame.slice(offset, size) if paged else frame
    extra: dict[str, str] = {}
    if page.next is not None:
        extra["Link"] = f'<{page.next}>; rel="next"'
    extra["Content-Disposition"] = f'inline; filename="{series.id}.csv"'
    return CachedBody(rows.write_csv().encode(), CSV, extra)


def _render_json(  # noqa: PLR0917 - the parts of one request, checked by the caller
    request: Request[Any, Any, Any],
    local_data: LocalData,
    series: cat.Series,
    prepared: _JsonRows,
    options: _Options,
    periods: PeriodRange,
) -> CachedBody:
    """One page of JSON rows: cut by the kept index, joined from rows encoded once."""
    codes = requested_codes(request, prepared.filters, RESERVED)
    positions = prepared.index.rows(periods, codes)
    total = len(positions)
    size = options.limit or local_data.settings.default_page
    # the hash binds a cursor to its query: needed to read one, or to make the next page's
    paged = options.cursor is not None or size < total
    query_hash = _query_hash(series.id, request, "json") if paged else ""
    offset = decode_cursor(options.cursor, query_hash) if options.cursor is not None else 0
    page = _page(request, total, offset, size, query_hash)
    body = prepared.envelope.body(prepared.texts[positions[offset : offset + size]].tolist(), page)
    extra = {"Link": f'<{page.next}>; rel="next"'} if page.next is not None else {}
    return CachedBody(body, JSON, extra)


def _flag_meanings(dataset: Dataset) -> dict[str, str]:
    """What the codes of a ``flags`` column mean, from the dataset's metadata (key figures)."""
    meanings = dataset.meta.extension.get("flags")
    if not isinstance(meanings, dict):
        return {}
    return {str(code): str(text) for code, text in meanings.items()}


HANDLERS: Final = [get_observations]
