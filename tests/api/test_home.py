"""``GET /`` (home page) and ``/docs`` (Swagger UI) over the SYNTHETIC store of conftest.py:
served by the app itself, naming no other host to load anything from."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from navdata import milestones as tl
from navdata import series_catalog as cat
from navdata_api.routes.docs_ui import swagger_ui_dir
from navdata_api.routes.home import CHART_SERIES

from .conftest import Client, make_client

URL = re.compile(r"""https?://[^\s"'<>)]+""")
# Hosts the page may *link to* (a click), never load from: the publishers and the licence.
CITED = ("https://www.ssb.no", "https://www.nav.no", "https://creativecommons.org/")


class Loads(HTMLParser):
    """Collects what a browser would fetch on its own: src of scripts/images, stylesheet links."""

    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[str] = []
        self.images: list[dict[str, str | None]] = []
        self.html_lang: str | None = None
        self.headings: list[str] = []
        self._tag: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self._tag = tag
        if tag == "html":
            self.html_lang = found.get("lang")
        if tag in {"script", "img", "iframe", "source"} and found.get("src"):
            self.fetched.append(str(found["src"]))
        if tag == "img":
            self.images.append(found)
        if tag == "link" and found.get("rel") in {"stylesheet", "icon", "preload"}:
            self.fetched.append(str(found.get("href")))

    def handle_data(self, data: str) -> None:
        if self._tag in {"h1", "h2"} and data.strip():
            self.headings.append(data.strip())
            self._tag = None


def parse(html: str) -> Loads:
    parser = Loads()
    parser.feed(html)
    return parser


def test_home_page_is_html_in_norwegian_by_default(api: Client) -> None:
    response = api.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["content-language"] == "nb"
    page = parse(response.text)
    assert page.html_lang == "nb"
    assert page.headings[:4] == ["navdata", "Diagram", "Serier", "Tidslinje"]


def test_home_page_loads_nothing_from_other_hosts(api: Client) -> None:
    html = api.get("/").text
    page = parse(html)
    assert page.fetched  # the stylesheet, the script and the chart
    for url in page.fetched:
        assert url.startswith(("/", "data:")), url
    for url in URL.findall(html):
        assert url.startswith(CITED), f"unexpected absolute URL {url}"
    for url in page.fetched:
        if url.startswith("/"):
            assert api.get(url).status_code == 200, url


def test_home_page_lists_every_series_and_flags_availability(api: Client) -> None:
    html = api.get("/").text
    every = cat.all_series()
    for series in every:
        assert f"<code>{series.id}</code>" in html
    rows = re.findall(r'<tr class="(\w+)"><td>(?:<a [^>]*>)?<code>([^<]+)</code>', html)
    kinds = {series_id: kind for kind, series_id in rows}
    assert len(kinds) == len(every)
    assert kinds["nav.helt_ledige"] == "stored"
    assert kinds["ssb.aku.unemployment_rate"] == "stored"
    assert kinds["nav.aap.recipients"] == "missing"
    assert kinds[CHART_SERIES] == "bundled"
    bundled = sum(1 for s in every if isinstance(s.recipe, cat.BundledRecipe))
    assert f"{bundled + 2} av {len(every)} serier har tall" in html


def test_home_chart_is_an_image_of_a_bundled_series_with_alt_text(api: Client) -> None:
    page = parse(api.get("/?lang=en").text)
    (image,) = page.images
    src = str(image["src"])
    assert src.startswith(f"/v1/series/{CHART_SERIES}/chart.svg?")
    alt = str(image["alt"])
    assert "Disability reform in force" in alt
    # the years in the text are the key figure's own first and last
    assert "annual average 2006-2020" in alt
    chart = api.get(src.replace("&amp;", "&"))
    assert chart.status_code == 200
    assert chart.headers["content-type"] == "image/svg+xml"


def test_timeline_in_both_languages_with_dates(api: Client) -> None:
    nb = api.get("/").text
    en = api.get("/?lang=en").text
    assert parse(en).html_lang == "en"
    record = tl.milestone("trust-reform-nav-start")
    # Known to the month: shown and machine-readable as the month, not an invented day.
    assert '<time datetime="2022-01">2022-01</time>' in nb
    assert record.title("nb") in nb
    assert record.title("en") in en
    assert '<time datetime="2006-07-01">2006-07-01</time>' in nb
    # A milestone known only to the year shows the year, not an invented day.
    assert '<time datetime="2014">2014</time>' in nb
    assert '<time datetime="2018">2018-Q4</time>' in nb
    # A Storting session spans two years: no machine-readable date rather than a made-up one.
    assert "<time>2025\N{EN DASH}2026</time>" in nb
    assert nb.count("<li><time") == en.count("<li><time") == len(tl.load_milestones())


def test_home_page_links_docs_api_and_licence(api: Client) -> None:
    html = api.get("/?lang=en").text
    assert 'href="/docs"' in html
    assert 'href="/v1/series"' in html
    assert 'href="/v1/sources"' in html
    assert 'rel="license"' in html
    assert "«Source: Statistics Norway»" in html
    assert "«Source: NAV»" in html
    assert 'href="/?lang=nb"' in html


def test_home_page_revalidates(api: Client) -> None:
    first = api.get("/")
    etag = first.headers["etag"]
    assert api.get("/", headers={"If-None-Match": etag}).status_code == 304
    assert api.get("/?lang=en", headers={"If-None-Match": etag}).status_code == 200


def test_bad_language_is_a_problem(api: Client) -> None:
    response = api.get("/?lang=de")
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"


# --- /docs -------------------------------------------------------------------------------------


def test_docs_page_is_swagger_ui_served_by_us(api: Client) -> None:
    response = api.get("/docs")
    assert response.status_code == 200
    html = response.text
    assert URL.findall(html) == []  # no absolute URL at all, so no other host
    page = parse(html)
    assert sorted(page.fetched) == [
        "/docs/static/swagger-ui-bundle.js",
        "/docs/static/swagger-ui.css",
        "/static/swagger-init.js",
        "data:,",
    ]
    assert 'data-spec="/docs/openapi.json"' in html
    for url in (u for u in page.fetched if u.startswith("/")):
        asset = api.get(url)
        assert asset.status_code == 200, url
        assert "max-age=86400" in asset.headers["cache-control"]
    bundle = api.get("/docs/static/swagger-ui-bundle.js")
    assert bundle.headers["content-type"].startswith("text/javascript")
    assert b"SwaggerUIBundle" in bundle.content


def test_swagger_ui_is_version_5_which_renders_openapi_3_1(api: Client) -> None:
    """Swagger UI 4 refuses OpenAPI 3.1 ("Unable to render this definition"); Litestar emits 3.1."""
    assert api.get("/docs/openapi.json").json()["openapi"].startswith("3.1")
    major = int(swagger_ui_dir().name.removeprefix("swagger-ui-").split(".")[0])
    assert major >= 5


@pytest.mark.parametrize("path", ["/docs/openapi.json", "/docs/static/swagger-ui.css"])
def test_docs_assets_are_not_rate_limited(synthetic_store: Path, path: str) -> None:
    with make_client(synthetic_store, rate_limit=1) as client:
        statuses = {client.get(path).status_code for _ in range(3)}
    assert statuses == {200}
