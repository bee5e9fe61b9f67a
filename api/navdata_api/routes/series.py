"""``GET /v1/series`` (the catalogue) and ``GET /v1/series/{id}`` (one series' metadata)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Final, Literal

import msgspec
from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter

from navdata import series_catalog as cat
from navdata.dataset import Dataset
from navdata.language import Language
from navdata_api.caching import (
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
from navdata_api.local_data import LocalData, StoreEntry
from navdata_api.parameters import SeriesId
from navdata_api.problems import problem_specs
from navdata_api.query import query_key, request_path
from navdata_api.schemas import (
    Break,
    Category,
    DimensionInfo,
    ProvenanceInfo,
    SeriesDetail,
    SeriesList,
    SeriesSummary,
)

# Dimension columns of the tidy frame that are not category dimensions of their own.
_NOT_DIMENSIONS: Final = frozenset({"date", "value", "status"})


def links(series_id: str) -> dict[str, str]:
    """Where a client goes next from a series."""
    base = f"/v1/series/{series_id}"
    return {
        "self": base,
        "observations": f"{base}/observations",
        "versions": f"{base}/versions",
        "revisions": f"{base}/revisions",
    }


def _summary(series: cat.Series, lang: Language, *, available: bool) -> SeriesSummary:
    return SeriesSummary(
        id=series.id,
        title=series.title.in_lang(lang),
        source=series.source,
        topic=series.topic,
        frequency=series.frequency,
        unit=series.unit.in_lang(lang),
        available=available,
        links=links(series.id),
    )


def _store_version(stored: Mapping[str, Any], ids: list[str]) -> str:
    """What changes the ``available`` flags: which of these series the store holds, and how."""
    return ",".join(
        f"{i}:{stored[i].version}:{stored[i].content_hash}" if i in stored else f"{i}:-"
        for i in ids
    )


@get(
    "/series",
    summary="The catalogue of series",
    description=(
        "Every named series with its title, unit and frequency in `lang`. `available` says "
        "whether this server's store holds its numbers. `q` keeps the series matching every "
        "word (ids, titles, descriptions and notes in both languages, ignoring case and "
        "accents), best match first: the ranking of `navdata.catalog(search=...)`."
    ),
    responses={**revalidation_specs(), **problem_specs([400, 429, 500])},
    tags=["series"],
)
async def list_series(  # noqa: PLR0917 - Litestar maps each query parameter to one argument
    request: Request[Any, Any, Any],
    local_data: NamedDependency[LocalData],
    topic: FromQuery[cat.Topic | None] = None,
    source: FromQuery[Literal["ssb", "nav", "bundled"] | None] = None,
    frequency: FromQuery[cat.Frequency | None] = None,
    lang: FromQuery[Language] = "nb",
    q: Annotated[
        str | None, QueryParameter(max_length=200, description="Search words, e.g. `uføre`")
    ] = None,
) -> Response[SeriesList]:
    """Filters are closed vocabularies, so a typo is a 400 naming the valid values."""
    chosen = [
        s
        for s in local_data.all_series
        if (topic is None or s.topic == topic)
        and (source is None or s.source == source)
        and (frequency is None or s.frequency == frequency)
    ]
    if q is not None:
        chosen = cat.search(q, chosen)
    ids = [s.id for s in chosen]
    stored = local_data.manifest()
    validators = Validators(
        etag=strong_etag(
            local_data.catalogue_hash,
            _store_version(stored, ids),
            request_path(request),
            query_key(request),
        ),
        last_modified=local_data.catalogue_modified,
    )
    cached = not_modified(request, validators)
    if cached is not None:
        return cached

    def render() -> CachedBody:
        items = [
            _summary(s, lang, available=s.id in stored or s.source == "bundled") for s in chosen
        ]
        content = msgspec.json.encode(SeriesList(count=len(items), series=items))
        return CachedBody(content, "application/json", {})

    return body_response(await cached_body(local_data.bodies, validators.etag, render), validators)


def provenance_info(series: cat.Series, entry: StoreEntry | None) -> ProvenanceInfo:
    """Who published the numbers, under which licence, and when this server fetched them."""
    return ProvenanceInfo(
        publisher=series.publisher,
        url=series.source_url,
        table=series.table,
        licence=series.licence,
        licence_url=series.licence_url,
        retrieved=entry.retrieved.isoformat() if entry and entry.retrieved else None,
        updated=entry.updated if entry else None,
        content_hash=entry.content_hash if entry else None,
        version=entry.version if entry else None,
    )


def dimension_infos(dataset: Dataset) -> list[DimensionInfo]:
    """Every dimension of a stored series with each category's code and label."""
    return [
        DimensionInfo(
            id=dim.id,
            label=dim.label,
            categories=[Category(code=c, label=dim.label_of(c)) for c in dim.codes],
        )
        for dim in dataset.meta.dimensions
        if dim.id not in _NOT_DIMENSIONS
    ]


@get(
    "/series/{series_id:str}",
    summary="One series: metadata, dimensions, provenance, breaks",
    description=(
        "Title, description, unit, frequency, the dimensions with every category code and label "
        "(when the series is in the store), where the numbers come from, and known statistical "
        "breaks. An unknown id answers 404 with the closest ids."
    ),
    responses={**revalidation_specs(), **problem_specs([400, 404, 429, 500, 503])},
    tags=["series"],
    sync_to_thread=True,
)
def get_series(
    request: Request[Any, Any, Any],
    local_data: NamedDependency[LocalData],
    series_id: SeriesId,
    lang: FromQuery[Language] = "nb",
) -> Response[SeriesDetail]:
    """Metadata comes from the catalogue; codes and labels from the stored data."""
    series = local_data.series(series_id)
    entry = local_data.entry(series_id)
    validators = Validators(
        etag=strong_etag(
            local_data.catalogue_hash,
            f"{entry.tag}:{entry.content_hash}" if entry else "-",
            request_path(request),
            query_key(request),
        ),
        last_modified=latest([local_data.catalogue_modified, entry.retrieved if entry else None]),
        max_age=max_age_for(series.frequency),
    )
    cached = not_modified(request, validators)
    if cached is not None:
        return cached
    dimensions = dimension_infos(local_data.dataset(entry)) if entry else []
    body = SeriesDetail(
        id=series.id,
        title=series.title.in_lang(lang),
        description=series.description.in_lang(lang),
        source=series.source,
        topic=series.topic,
        frequency=series.frequency,
        unit=series.unit.in_lang(lang),
        available=entry is not None,
        dimensions=dimensions,
        provenance=provenance_info(series, entry),
        breaks=[
            Break(
                date=b.date.isoformat(),
                precision=b.precision,
                note=b.in_lang(lang),
                milestone=b.milestone,
            )
            for b in series.breaks
        ],
        notes=[n.in_lang(lang) for n in series.notes],
        links=links(series.id),
    )
    return Response(body, headers=cache_headers(validators))


HANDLERS: Final = [list_series, get_series]
