"""``GET /v1/series/{id}/chart.svg`` over the SYNTHETIC store of conftest.py and the bundled key
figures (real, sourced values shipped in datasets/key_figures)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import polars as pl
import pytest

from navdata.dataset import Dataset, Dimension, Metadata
from navdata.periods import with_dates
from navdata.store import Store

from .conftest import Client, make_client
from .test_data_routes import assert_problem

SVG = "image/svg+xml"
KEYFIG = "/v1/series/keyfig.aku_unemployment_rate_annual/chart.svg"
HELT = "/v1/series/nav.helt_ledige/chart.svg"


def texts(svg: str) -> list[str]:
    """Every text run of the SVG (matplotlib keeps text as text: svg.fonttype none)."""
    root = ET.fromstring(svg)
    return [t.strip() for el in root.iter() for t in [el.text or ""] if t.strip()]


def test_key_figure_chart_is_svg_with_milestones_and_cache_headers(api: Client) -> None:
    response = api.get(f"{KEYFIG}?milestones=eea-case-disclosed,nav-established&lang=en")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == SVG
    assert response.headers["cache-control"].startswith("public, max-age=86400")
    assert response.headers["etag"].startswith('"')
    assert "default-src 'none'" in response.headers["content-security-policy"]
    words = texts(response.text)
    # The catalogue's English title, both milestones' labels and the bundled source's credit.
    title = "Unemployment rate (Labour Force Survey), annual average, ages 15\N{EN DASH}74"
    assert title in words
    assert '"NAV scandal" (EEA case) disclosed' in words
    assert "Labour and Welfare Administration established" in words
    assert any(w.startswith("Source: Statistisk sentralbyrå") for w in words)
    # Year ticks of the data's span: 2006 ... 2020 (values from datasets/key_figures).
    assert "2006" in words
    assert "2020" in words


def test_same_query_gives_same_bytes_and_304_on_revalidation(api: Client) -> None:
    first = api.get(f"{KEYFIG}?milestones=trust-reform")
    again = api.get(f"{KEYFIG}?milestones=trust-reform")
    assert first.content == again.content
    etag = first.headers["etag"]
    revalidated = api.get(f"{KEYFIG}?milestones=trust-reform", headers={"If-None-Match": etag})
    assert revalidated.status_code == 304
    assert revalidated.content == b""
    assert revalidated.headers["etag"] == etag
    other = api.get(f"{KEYFIG}?milestones=nav-reform", headers={"If-None-Match": etag})
    assert other.status_code == 200
    assert other.headers["etag"] != etag


def test_stored_series_one_line_per_region_with_labels_in_language(api: Client) -> None:
    response = api.get(f"{HELT}?region=03,50&lang=en&from=2020M01&to=2020M12")
    assert response.status_code == 200, response.text
    words = texts(response.text)
    # Legend labels: nb label of 03, the stored English label of 50 (see conftest REGIONS_EN).
    assert "Oslo" in words
    assert "Trøndelag (en)" in words
    assert "Rogaland" not in words
    assert "Registered fully unemployed (NAV)" in words


def test_repeated_region_parameters_equal_comma_separated(api: Client) -> None:
    a = api.get(f"{HELT}?region=03&region=11")
    b = api.get(f"{HELT}?region=03,11")
    assert a.status_code == b.status_code == 200
    assert "Rogaland" in texts(a.text)
    assert "Rogaland" in texts(b.text)


@pytest.mark.parametrize(
    ("query", "status", "kind"),
    [
        ("milestones=trust-refrom", 400, "unknown-milestone"),
        ("region=99", 400, "unknown-code"),
        ("sex=1", 400, "unknown-dimension"),
        ("from=2030M01", 404, "empty-selection"),  # a valid request for a chart of nothing
        ("from=spring", 400, "invalid-period"),
        ("width=10", 400, "invalid-parameter"),
        ("lang=de", 400, "invalid-parameter"),
    ],
)
def test_bad_parameters_are_problems(api: Client, query: str, status: int, kind: str) -> None:
    assert_problem(api.get(f"{HELT}?{query}"), status, kind)


def test_unknown_milestone_suggests_the_tag(api: Client) -> None:
    body = assert_problem(api.get(f"{KEYFIG}?milestones=trust-refrom"), 400, "unknown-milestone")
    assert "Did you mean trust-reform" in str(body["detail"])
    assert "trust-reform" in body["valid"]  # type: ignore[operator]


def test_unknown_and_unsynced_series(api: Client) -> None:
    body = assert_problem(api.get("/v1/series/nav.helt_ledig/chart.svg"), 404, "unknown-series")
    assert "nav.helt_ledige" in str(body["detail"])
    body = assert_problem(api.get("/v1/series/nav.aap.recipients/chart.svg"), 404, "not-in-store")
    assert "navdata sync nav.aap.recipients" in str(body["detail"])


def _regions_frame(codes: list[str], extra: dict[str, list[str]] | None = None) -> Dataset:
    """SYNTHETIC: one value per code and month (value = index), optionally a second dimension."""
    months = ["2021M01", "2021M02", "2021M03"]
    second = extra or {}
    rows: list[dict[str, object]] = [
        {
            "region": code,
            **{name: values[i % len(values)] for name, values in second.items()},
            "period": month,
            "value": float(i),
            "status": None,
        }
        for i, code in enumerate(codes)
        for month in months
    ]
    frame = with_dates(pl.DataFrame(rows, schema_overrides={"status": pl.String}))
    dims = [Dimension(id="region", label="Fylke", codes=codes, labels={c: c for c in codes})]
    dims += [Dimension(id=k, label=k, codes=sorted(set(vs))) for k, vs in second.items()]
    dims.append(Dimension(id="period", label="Måned", codes=months, role="time"))
    return Dataset(frame, Metadata(label="SYNTHETIC", dimensions=dims))


def test_too_many_lines_and_too_many_dimensions(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.write("nav.helt_ledige", _regions_frame([f"{n:02d}" for n in range(1, 11)]))
    store.write("nav.aap.recipients", _regions_frame(["03", "11"], {"sex": ["1", "2"]}))
    with make_client(tmp_path) as client:
        body = assert_problem(client.get(HELT), 400, "too-many-lines")
        assert body["limit"] == 8
        assert "10 codes of 'region'" in str(body["detail"])
        ok = client.get(f"{HELT}?region=01,02,03")
        assert ok.status_code == 200
        assert {"01", "02", "03"} <= set(texts(ok.text))
        body = assert_problem(
            client.get("/v1/series/nav.aap.recipients/chart.svg"), 400, "too-many-dimensions"
        )
        assert "region, sex" in str(body["detail"])
        fixed = client.get("/v1/series/nav.aap.recipients/chart.svg?region=03")
        assert fixed.status_code == 200, fixed.text


def test_chart_route_is_in_the_openapi_schema(api: Client) -> None:
    schema = api.get("/docs/openapi.json").json()
    operation = schema["paths"]["/v1/series/{series_id}/chart.svg"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"from", "to", "milestones", "breaks", "width", "height", "lang"} <= names
    assert "region" not in names  # a dimension filter like any other, as the description says
    assert SVG in operation["responses"]["200"]["content"]
    assert re.fullmatch(r"\d{3}", next(iter(operation["responses"])))


def test_a_milestone_known_to_the_quarter_is_drawn(api: Client) -> None:
    # Found by the schemathesis run once milestones listed its values: a 500 (KeyError).
    path = "/v1/series/keyfig.aku_unemployment_rate_annual/chart.svg"
    response = api.get(path, params={"milestones": "sickness-absence-basis-2018", "lang": "en"})
    assert response.status_code == 200
    assert "(known to the quarter)" in response.text
