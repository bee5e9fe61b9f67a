"""``GET /``: a small page that shows what the service holds, with a chart and the timeline.

The page is built from the same sources as the API (catalogue, store manifest, timeline) and
loads nothing from other hosts: its stylesheet and script are the service's own (``/static``),
the chart is this service's ``chart.svg``. It is cached and revalidated like the data routes.
"""

from __future__ import annotations

from html import escape
from typing import Any, Final
from urllib.parse import urlencode

from litestar import MediaType, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromQuery

from navdata import milestones as tl
from navdata import series_catalog as cat
from navdata.key_figures import key_figure
from navdata.language import Language
from navdata_api.caching import (
    CachedBody,
    Validators,
    body_response,
    cached_body,
    latest,
    not_modified,
    revalidation_specs,
    strong_etag,
)
from navdata_api.local_data import LocalData
from navdata_api.problems import problem_specs
from navdata_api.routes.sources import SOURCES

HOME_MAX_AGE: Final = 300
_HTML: Final = "text/html"  # Litestar adds "; charset=utf-8"
#: The chart on the page: a bundled key figure, so it shows even when the store is empty.
CHART_SERIES: Final = "keyfig.aku_unemployment_rate_annual"
CHART_MILESTONES: Final = (
    "nav-established",
    "nav-office-rollout-completed",
    "disability-benefit-reform-in-force",
)
#: The trust-reform chart linked from the page: a key figure that covers the trust reform's years.
TRUST_CHART_SERIES: Final = "keyfig.nav_user_satisfaction"
CHART_SIZE: Final = (960, 540)

_TEXT: Final[dict[str, dict[Language, str]]] = {
    "tagline": {
        "nb": "Velferdsstatistikk fra SSB og NAV som ryddige tabeller, med kilde, og en "
        "kildebelagt tidslinje for NAV og tillitsreformen.",
        "en": "Norwegian welfare statistics from SSB and NAV as tidy tables with provenance, "
        "and a sourced timeline of NAV and the trust reform.",
    },
    "switch": {"nb": "English", "en": "Norsk"},
    "chart": {"nb": "Diagram", "en": "Chart"},
    "chart_caption": {
        "nb": "Markeringer: NAV-reformen og uførereformen. Diagrammet som SVG:",
        "en": "Markers: the NAV reform and the disability benefit reform. The chart as SVG:",
    },
    "chart_alt": {
        "nb": "Linjediagram: arbeidsledige (AKU) i prosent av arbeidsstyrken, årsgjennomsnitt "
        "{first}-{last}, med loddrette markeringer for {marks}.",
        "en": "Line chart: unemployment rate (Labour Force Survey), annual average "
        "{first}-{last}, with vertical markers for {marks}.",
    },
    "chart_failed": {
        "nb": "Diagrammet kunne ikke lastes.",
        "en": "The chart could not be loaded.",
    },
    "series": {"nb": "Serier", "en": "Series"},
    "series_intro": {
        "nb": "{available} av {total} serier har tall på denne serveren. Nøkkeltall følger med "
        "pakken; de andre hentes med <code>navdata sync</code>.",
        "en": "{available} of {total} series have numbers on this server. Key figures ship "
        "with the package; the others are fetched with <code>navdata sync</code>.",
    },
    "id": {"nb": "Id", "en": "Id"},
    "title": {"nb": "Tittel", "en": "Title"},
    "source": {"nb": "Kilde", "en": "Source"},
    "frequency": {"nb": "Frekvens", "en": "Frequency"},
    "status": {"nb": "Tall", "en": "Numbers"},
    "stored": {"nb": "i lageret", "en": "in the store"},
    "bundled": {"nb": "følger med", "en": "bundled"},
    "missing": {"nb": "ikke hentet", "en": "not synced"},
    "timeline": {"nb": "Tidslinje", "en": "Timeline"},
    "api": {"nb": "API", "en": "API"},
    "api_intro": {
        "nb": "Alle svar er JSON (observasjoner også CSV og JSON-stat), med ETag for billig "
        "revalidering.",
        "en": "Every answer is JSON (observations also CSV and JSON-stat), with an ETag for "
        "cheap revalidation.",
    },
    "docs": {"nb": "Interaktiv API-dokumentasjon", "en": "Interactive API documentation"},
    "licence": {"nb": "Lisens og kreditering", "en": "Licence and attribution"},
    "licence_text": {
        "nb": "Tallene er publisert under {licence}. Oppgi kilden når du bruker dem:",
        "en": "The numbers are published under {licence}. Credit the source when you use them:",
    },
}

_API_LINKS: Final = (
    "/v1/series",
    f"/v1/series/{CHART_SERIES}",
    f"/v1/series/{TRUST_CHART_SERIES}/chart.svg?milestones=trust-reform",
    "/v1/timeline?tag=trust-reform",
    "/v1/timeline/trust-reform-nav-start",
    "/v1/sources",
    "/health",
    "/ready",
)


def _t(key: str, lang: Language, **values: object) -> str:
    text = _TEXT[key][lang]
    return text.format(**values) if values else text


def _availability(series: cat.Series, stored: set[str], lang: Language) -> tuple[str, str]:
    if isinstance(series.recipe, cat.BundledRecipe):
        return "bundled", _t("bundled", lang)
    if series.id in stored:
        return "stored", _t("stored", lang)
    return "missing", _t("missing", lang)


def _series_section(all_series: list[cat.Series], stored: set[str], lang: Language) -> str:
    rows = []
    available = 0
    for series in all_series:
        kind, word = _availability(series, stored, lang)
        name = f"<code>{escape(series.id)}</code>"
        if kind != "missing":
            available += 1
            name = f'<a href="/v1/series/{escape(series.id)}/observations">{name}</a>'
        rows.append(
            f'<tr class="{kind}"><td>{name}</td><td>{escape(series.title.in_lang(lang))}</td>'
            f"<td>{escape(series.publisher)}</td><td>{escape(series.frequency)}</td>"
            f"<td>{escape(word)}</td></tr>"
        )
    head = "".join(
        f'<th scope="col">{_t(key, lang)}</th>'
        for key in ("id", "title", "source", "frequency", "status")
    )
    intro = _t("series_intro", lang, available=available, total=len(all_series))
    return (
        f'<section aria-labelledby="series"><h2 id="series">{_t("series", lang)}</h2>'
        f"<p>{intro}</p>"
        f'<div class="scroll"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div></section>"
    )


def _chart_section(lang: Language) -> str:
    series = cat.describe(CHART_SERIES)
    marks = ", ".join(tl.milestone(m).title(lang) for m in CHART_MILESTONES)
    query = urlencode({"milestones": ",".join(CHART_MILESTONES), "lang": lang})
    src = f"/v1/series/{CHART_SERIES}/chart.svg?{query}"
    periods = key_figure(CHART_SERIES).frame.get_column("period")
    alt = _t("chart_alt", lang, first=periods.min(), last=periods.max(), marks=marks)
    width, height = CHART_SIZE
    return (
        f'<section aria-labelledby="chart"><h2 id="chart">{_t("chart", lang)}</h2>'
        f'<figure><img id="chart-image" src="{escape(src)}" width="{width}" height="{height}" '
        f'alt="{escape(alt)}" data-failed="{escape(_t("chart_failed", lang))}">'
        f"<figcaption>{escape(series.title.in_lang(lang))}. {_t('chart_caption', lang)} "
        f'<a href="{escape(src)}"><code>{escape(src)}</code></a></figcaption></figure></section>'
    )


def _timeline_section(lang: Language) -> str:
    items = []
    for record in tl.load_milestones():
        tags = " ".join(f'<span class="tag">{escape(t)}</span>' for t in record.tags)
        items.append(
            f"<li>{_time(record)} "
            f'<a href="/v1/timeline/{escape(record.id)}?lang={lang}">'
            f"{escape(record.title(lang))}</a> {tags}</li>"
        )
    return (
        f'<section aria-labelledby="timeline"><h2 id="timeline">{_t("timeline", lang)}</h2>'
        f'<ol class="timeline">{"".join(items)}</ol></section>'
    )


def _time(record: tl.Milestone) -> str:
    """``<time>`` whose machine-readable date is only as precise as the milestone's date.

    A month or a year has an HTML form (``2022-01``, ``2014``); a quarter gets its year; a
    Storting session spans two years and has none, so it gets no ``datetime`` at all rather
    than an invented day.
    """
    if record.precision == "day":
        machine: str | None = record.date.isoformat()
    elif record.precision in {"month", "year"}:
        machine = record.date_text
    elif record.precision == "quarter":
        machine = str(record.date.year)
    else:
        machine = None
    attribute = f' datetime="{machine}"' if machine is not None else ""
    return f"<time{attribute}>{escape(record.date_text)}</time>"


def _api_section(lang: Language) -> str:
    links = "".join(
        f'<li><a href="{escape(u)}"><code>{escape(u)}</code></a></li>' for u in _API_LINKS
    )
    return (
        f'<section aria-labelledby="api"><h2 id="api">{_t("api", lang)}</h2>'
        f'<p>{_t("api_intro", lang)} <a href="/docs">{_t("docs", lang)}</a>.</p>'
        f"<ul>{links}</ul></section>"
    )


def _licence_section(lang: Language) -> str:
    credit_lines = "".join(
        f'<li><a href="{escape(s.url)}">{escape(s.name_en if lang == "en" else s.name)}</a>: '
        f"«{escape(s.attribution_en if lang == 'en' else s.attribution)}»</li>"
        for s in SOURCES.sources
    )
    first = SOURCES.sources[0]
    licence = f'<a href="{escape(first.licence_url)}" rel="license">{escape(first.licence)}</a>'
    return (
        f'<footer aria-labelledby="licence"><h2 id="licence">{_t("licence", lang)}</h2>'
        f"<p>{_t('licence_text', lang, licence=licence)}</p><ul>{credit_lines}</ul></footer>"
    )


def render_home(local_data: LocalData, stored: set[str], lang: Language) -> str:
    """The whole page as HTML text; ``stored`` are the ids of the manifest its ETag was made of."""
    other: Language = "en" if lang == "nb" else "nb"
    body = "".join(
        [
            _chart_section(lang),
            _series_section(local_data.all_series, stored, lang),
            _timeline_section(lang),
            _api_section(lang),
        ]
    )
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>navdata</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/home.css">
<script src="/static/home.js" defer></script>
</head>
<body>
<header><h1>navdata</h1><p>{_t("tagline", lang)}</p>
<nav aria-label="navdata"><a href="/docs">/docs</a> · <a href="/v1/series">/v1/series</a> ·
<a href="/v1/timeline">/v1/timeline</a> ·
<a href="/?lang={other}" hreflang="{other}" lang="{other}">{_t("switch", lang)}</a></nav>
</header>
<main>{body}</main>
{_licence_section(lang)}
</body>
</html>
"""


@get(
    "/",
    summary="Home page",
    description="A small HTML page: the series, a chart, the timeline and links to the API.",
    media_type=MediaType.HTML,
    tags=["pages"],
    responses={**revalidation_specs(), **problem_specs([400, 429, 500])},
)
async def home(
    request: Request[Any, Any, Any],
    local_data: NamedDependency[LocalData],
    lang: FromQuery[Language] = "nb",
) -> Response[str]:
    """Revalidated like the data: the page changes when the catalogue, store or timeline do."""
    stored = local_data.manifest()
    validators = Validators(
        etag=strong_etag(
            "home",
            local_data.catalogue_hash,
            local_data.timeline_hash,
            ",".join(f"{k}:{v.content_hash}" for k, v in sorted(stored.items())),
            lang,
        ),
        last_modified=latest([local_data.catalogue_modified, local_data.timeline_modified]),
        max_age=HOME_MAX_AGE,
    )
    cached = not_modified(request, validators)
    if cached is not None:
        return cached

    def render() -> CachedBody:
        page = render_home(local_data, set(stored), lang).encode()
        return CachedBody(page, _HTML, {"Content-Language": lang})

    return body_response(await cached_body(local_data.bodies, validators.etag, render), validators)


HANDLERS: Final = [home]
