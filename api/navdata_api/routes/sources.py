"""``GET /v1/sources``: who publishes the numbers, under which licence, and how to credit them."""

from __future__ import annotations

from typing import Any, Final

from litestar import Request, Response, get

from navdata.dataset import CC_BY_4, CC_BY_4_URL
from navdata_api.caching import (
    STATIC_MAX_AGE,
    Validators,
    cache_headers,
    not_modified,
    revalidation_specs,
    strong_etag,
)
from navdata_api.problems import problem_specs
from navdata_api.schemas import Source, SourceList

SOURCES: Final = SourceList(
    sources=[
        Source(
            id="ssb",
            name="Statistisk sentralbyrå",
            name_en="Statistics Norway",
            url="https://www.ssb.no",
            licence=CC_BY_4,
            licence_url=CC_BY_4_URL,
            attribution="Kilde: Statistisk sentralbyrå",
            attribution_en="Source: Statistics Norway",
        ),
        Source(
            id="nav",
            name="Arbeids- og velferdsetaten (NAV)",
            name_en="Norwegian Labour and Welfare Administration (NAV)",
            url="https://www.nav.no",
            licence=CC_BY_4,
            licence_url=CC_BY_4_URL,
            attribution="Kilde: NAV",
            attribution_en="Source: NAV",
        ),
    ]
)
_VALIDATORS: Final = Validators(etag=strong_etag("sources", SOURCES), max_age=STATIC_MAX_AGE)


@get(
    "/sources",
    summary="Publishers, licences and attribution text",
    description=(
        "Every publisher whose numbers this service serves. All are published under CC BY 4.0: "
        "credit them with the `attribution` text when you reuse the data."
    ),
    responses={**revalidation_specs(), **problem_specs([400, 429, 500])},
    tags=["sources"],
    sync_to_thread=False,
)
def list_sources(request: Request[Any, Any, Any]) -> Response[SourceList]:
    """Publishers never change between releases; the response is cached for a day."""
    cached = not_modified(request, _VALIDATORS)
    if cached is not None:
        return cached
    return Response(SOURCES, headers=cache_headers(_VALIDATORS))
