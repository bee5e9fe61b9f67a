"""The interactive API documentation at ``/docs``, served entirely by this app (no CDN).

Litestar's render plugins point at a CDN by default, which breaks the docs page offline and
leaks every visitor to a third party. Swagger UI's static files come from the
``swagger_ui_bundle`` package (installed with the ``api`` extra) and are served under
``/docs/static/``; the page loads the schema from ``/docs/openapi.json`` instead of inlining it,
so the HTML stays small and names no other host.
"""

from __future__ import annotations

import importlib
from html import escape
from pathlib import Path
from typing import Any, Final

from litestar import Request, Router
from litestar.datastructures import CacheControlHeader
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.static_files import create_static_files_router

DOCS_STATIC_PATH: Final = "/docs/static"
OWN_STATIC_PATH: Final = "/static"
OWN_STATIC_DIR: Final = Path(__file__).resolve().parent.parent / "static"
# A day: the files change only with a new release of the package (or of navdata).
_STATIC_CACHE: Final = CacheControlHeader(max_age=86_400, public=True)
# An empty data: icon stops browsers asking for /favicon.ico (a 404 in every console).
NO_FAVICON: Final = '<link rel="icon" href="data:,">'


def swagger_ui_dir() -> Path:
    """Folder of Swagger UI's distribution files inside the ``swagger_ui_bundle`` package."""
    try:
        bundle = importlib.import_module("swagger_ui_bundle")  # optional: the api extra
    except ImportError as exc:
        msg = (
            "the /docs page needs Swagger UI's files from the swagger_ui_bundle package; "
            'install the service with pip install "navdata[api]" or set NAVDATA_API_DOCS=0'
        )
        raise RuntimeError(msg) from exc
    return Path(str(bundle.swagger_ui_path))


class OfflineSwaggerPlugin(SwaggerRenderPlugin):
    """Swagger UI from our own static routes, the schema fetched from ``openapi.json``."""

    def __init__(self, *, js_url: str, css_url: str, init_url: str, spec_url: str) -> None:
        super().__init__(js_url=js_url, css_url=css_url, path="/", favicon=NO_FAVICON)
        self.init_url = init_url
        self.spec_url = spec_url

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        """A small page: stylesheet, bundle, and our initialiser naming the schema URL."""
        title = escape(str(openapi_schema.get("info", {}).get("title", "API")))
        page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{self.favicon}
<link rel="stylesheet" href="{escape(self.css_url)}">
</head>
<body>
<main id="swagger-ui" aria-label="{title} reference"></main>
<script src="{escape(self.js_url)}"></script>
<script src="{escape(self.init_url)}" data-spec="{escape(self.spec_url)}"></script>
</body>
</html>
"""
        return page.encode()


def docs_plugin(docs_path: str, js_url: str | None, css_url: str | None) -> OfflineSwaggerPlugin:
    """The render plugin for ``docs_path``; ``js_url``/``css_url`` override the local files."""
    return OfflineSwaggerPlugin(
        js_url=js_url or f"{DOCS_STATIC_PATH}/swagger-ui-bundle.js",
        css_url=css_url or f"{DOCS_STATIC_PATH}/swagger-ui.css",
        init_url=f"{OWN_STATIC_PATH}/swagger-init.js",
        spec_url=f"{docs_path}/openapi.json",
    )


def static_routers(*, docs: bool) -> list[Router]:
    """Routers for our own CSS/JS and, when the docs page is on, Swagger UI's files."""
    routers = [
        create_static_files_router(
            path=OWN_STATIC_PATH,
            directories=[OWN_STATIC_DIR],
            name="own-static",
            cache_control=_STATIC_CACHE,
        )
    ]
    if docs:
        routers.append(
            create_static_files_router(
                path=DOCS_STATIC_PATH,
                directories=[swagger_ui_dir()],
                name="docs-static",
                cache_control=_STATIC_CACHE,
            )
        )
    return routers
