"""The application factory: routes, limits, caching, CORS, gzip, problem+json and the docs page."""

from __future__ import annotations

import logging
from typing import Final

from litestar import Litestar, Router
from litestar.config.compression import CompressionConfig
from litestar.config.cors import CORSConfig
from litestar.di import Provide
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.spec import Contact, License, Parameter, Schema, Tag
from litestar.types import ASGIApp

from navdata_api import API_VERSION
from navdata_api.caching import dedupe_vary
from navdata_api.conditional import revalidate_everything
from navdata_api.head_and_access_log import configure_access_logger, serve_head_and_log
from navdata_api.local_data import LocalData
from navdata_api.problems import exception_handlers
from navdata_api.query_guard import reject_repeated_parameters, reject_unknown_parameters
from navdata_api.rate_limit import limit_rate
from navdata_api.response_cache import ResponseCache, serve_kept_responses
from navdata_api.routes import (
    charts,
    home,
    meta,
    observations,
    series,
    sources,
    timeline,
    vintages,
)
from navdata_api.routes.docs_ui import docs_plugin, static_routers
from navdata_api.settings import MAX_PAGE_LIMIT, Settings
from navdata_api.shared_state import SharedState

DOCS_PATH: Final = "/docs"
#: The probes: never rate limited, never kept, never waiting on the store's change stamp.
_PROBES: Final = ("/health", "/ready")
EXPOSED_HEADERS: Final = [
    "ETag",
    "Last-Modified",
    "Link",
    "Retry-After",
    "RateLimit-Policy",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
]
_DESCRIPTION: Final = """\
Norwegian welfare statistics from SSB and NAV as tidy observations, with provenance, and a sourced
timeline of NAV and the trust reform. Read-only and cacheable: every data response has an `ETag`;
send it back in `If-None-Match` and a current copy costs a `304`. Errors are RFC 9457
`application/problem+json`. Within `/v1` documented keys keep their names and types; new keys may
appear, so ignore keys you do not know. Pagination cursors are opaque. Data: CC BY 4.0, credit the
publisher (`GET /v1/sources`).
"""


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the ASGI app; ``settings`` default to :meth:`Settings.from_env`."""
    settings = settings or Settings.from_env()
    shared = SharedState(settings)
    local_data = LocalData(settings, shared_bodies=shared.body_store)
    v1 = Router(
        path="/v1",
        route_handlers=[
            sources.list_sources,
            *series.HANDLERS,
            *observations.HANDLERS,
            *timeline.HANDLERS,
            *charts.HANDLERS,
            *vintages.HANDLERS,
        ],
        before_request=reject_unknown_parameters,
    )
    app = Litestar(
        route_handlers=[
            *home.HANDLERS,
            meta.health,
            meta.ready,
            v1,
            *static_routers(docs=settings.docs),
        ],
        exception_handlers=exception_handlers(),
        compression_config=CompressionConfig(
            backend="gzip", minimum_size=settings.gzip_min_bytes, gzip_compress_level=6
        ),
        cors_config=CORSConfig(
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "HEAD", "OPTIONS"],
            allow_headers=["Accept", "Accept-Encoding", "If-None-Match", "If-Modified-Since"],
            expose_headers=EXPOSED_HEADERS,
            allow_credentials=False,
            max_age=86_400,
        ),
        openapi_config=_openapi(settings) if settings.docs else None,
        before_send=[dedupe_vary],
        debug=settings.debug,
        request_max_body_size=1024,
        dependencies={"local_data": _given(local_data)},
        on_startup=[local_data.warm_up],
        on_shutdown=[shared.close],
        before_request=reject_repeated_parameters,  # /v1 has its own, which does this too
    )
    if settings.docs and settings.max_page < MAX_PAGE_LIMIT:
        _document_page_limit(app, settings.max_page)
    if settings.access_log:
        configure_access_logger()
    logging.getLogger("navdata_api.errors").setLevel(logging.ERROR)
    app.asgi_handler = _outer_layers(app.asgi_handler, settings, shared, local_data)
    return app


def _outer_layers(
    app: ASGIApp, settings: Settings, shared: SharedState, local_data: LocalData
) -> ASGIApp:
    """The ASGI layers around Litestar, outermost first.

    The client's address, HEAD and the access log; then ETags per coding and 304s; then the
    rate limit; then the response cache, which answers repeated requests without the app.
    """
    handler = app
    if settings.cache_mb > 0:
        kept = ResponseCache(settings.response_cache_bytes)
        handler = serve_kept_responses(handler, kept, local_data, skip=_PROBES)
    if settings.rate_limit > 0:
        handler = limit_rate(
            handler,
            shared.counter,
            limit=settings.rate_limit,
            window=settings.rate_window,
            exclude=(*_PROBES, DOCS_PATH, "/static"),
        )
    handler = revalidate_everything(handler, docs_path=DOCS_PATH if settings.docs else None)
    return serve_head_and_log(
        handler, access_log=settings.access_log, trusted_proxies=settings.trusted_proxies
    )


def _document_page_limit(app: Litestar, max_page: int) -> None:
    """Write a lowered NAVDATA_API_MAX_PAGE into the OpenAPI document as ``limit``'s maximum.

    The route refuses a larger ``limit``; the document must say so, or a client generating
    requests from it (schemathesis does) would send values the service then refuses.
    """
    path = app.openapi_schema.paths or {}
    operation = path["/v1/series/{series_id}/observations"].get
    for parameter in (operation.parameters if operation else None) or []:
        if (
            isinstance(parameter, Parameter)
            and parameter.name == "limit"
            and isinstance(parameter.schema, Schema)
        ):
            parameter.schema.maximum = max_page


def _given(value: object) -> Provide:
    """A dependency that is ``value`` itself: built once per app, shared by every request.

    Routes name it as a parameter (``local_data: NamedDependency[LocalData]``) instead of reaching
    into the app's state; ``use_cache`` skips even the call after the first request. One
    dependency per route on purpose: Litestar resolves two independent ones concurrently in a
    task group, which cost the observations route about 200 µs a request.
    """

    def provide() -> object:
        return value

    return Provide(provide, use_cache=True, sync_to_thread=False)


def _openapi(settings: Settings) -> OpenAPIConfig:
    return OpenAPIConfig(
        title="navdata API",
        version=API_VERSION,
        description=_DESCRIPTION,
        license=License(name="Data: CC BY 4.0", url="https://creativecommons.org/licenses/by/4.0/"),
        contact=Contact(name="navdata", url="https://github.com/navdata/navdata"),
        tags=[
            Tag(name="series", description="The catalogue and each series' metadata"),
            Tag(name="observations", description="The numbers, as JSON, CSV or JSON-stat 2.0"),
            Tag(name="timeline", description="Milestones of NAV and the trust reform"),
            Tag(name="sources", description="Publishers, licences, attribution"),
            Tag(name="health", description="Probes for orchestrators"),
            Tag(name="pages", description="HTML pages for people"),
        ],
        path=DOCS_PATH,
        render_plugins=[docs_plugin(DOCS_PATH, settings.docs_js_url, settings.docs_css_url)],
        use_handler_docstrings=False,
    )
