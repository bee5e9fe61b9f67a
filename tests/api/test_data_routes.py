"""The data endpoints over a SYNTHETIC store (see conftest.py): series, observations, timeline.

Expected numbers follow from the synthetic formula: helt_ledige value = 100 * region index +
month index + 0.5 (regions 03, 11, 46, 50; months 2019M01 .. 2021M12), with 2020M04 and 2020M05
suppressed ("*", null) for region 50.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import pandas as pd
import polars as pl
import pytest
from polars.testing import assert_frame_equal
from pyjstat import pyjstat

from navdata.dataset import Dataset
from navdata.jsonstat import read_jsonstat
from navdata.store import Store
from navdata_api.local_data import _DATASETS_KEPT, LocalData
from navdata_api.routes.observations import decode_cursor, encode_cursor
from navdata_api.settings import Settings

from .conftest import RETRIEVED, Client, make_client, synthetic_helt_ledige

PROBLEM = "application/problem+json"
OBS = "/v1/series/nav.helt_ledige/observations"


def value_of(region_index: int, period: str) -> float:
    year, month = int(period[:4]), int(period[5:])
    return 100 * region_index + (year - 2019) * 12 + month - 1 + 0.5


def assert_problem(response: object, status: int, kind: str) -> dict[str, object]:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"] == PROBLEM  # type: ignore[attr-defined]
    body: dict[str, object] = response.json()  # type: ignore[attr-defined]
    assert body["type"] == f"urn:navdata:problem:{kind}"
    assert body["status"] == status
    return body


# --- catalogue and metadata ----------------------------------------------------------------------


def test_catalogue_lists_every_series_and_flags_the_stored_ones(api: Client) -> None:
    body = api.get("/v1/series").json()
    ids = [s["id"] for s in body["series"]]
    assert body["count"] == len(ids) == 26
    available = {s["id"] for s in body["series"] if s.get("available")}
    bundled = {s["id"] for s in body["series"] if s["source"] == "bundled"}
    assert len(bundled) == 6  # the key figures ship with the package: always available
    assert available == {"nav.helt_ledige", "ssb.aku.unemployment_rate"} | bundled
    first = body["series"][0]
    assert first["links"]["observations"] == f"/v1/series/{first['id']}/observations"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("source=nav", 6),
        ("topic=unemployment&source=ssb", 3),
        ("frequency=year", 13),
        ("source=bundled", 6),
        ("topic=population&frequency=month", 0),
    ],
)
def test_catalogue_filters(api: Client, query: str, expected: int) -> None:
    body = api.get(f"/v1/series?{query}").json()
    assert body["count"] == expected
    for item in body["series"]:
        for pair in query.split("&"):
            key, value = pair.split("=")
            assert item[key] == value


def test_catalogue_language_and_bad_filter(api: Client) -> None:
    en = api.get("/v1/series?source=nav&lang=en").json()["series"][0]
    nb = api.get("/v1/series?source=nav").json()["series"][0]
    assert en["title"] != nb["title"]
    body = assert_problem(api.get("/v1/series?topic=weather"), 400, "invalid-parameter")
    assert "topic" in str(body["detail"])
    assert body["errors"][0]["name"] == "topic"  # type: ignore[index]


def test_series_metadata_has_codes_labels_provenance_and_breaks(api: Client) -> None:
    response = api.get("/v1/series/nav.helt_ledige")
    assert response.status_code == 200
    body = response.json()
    assert body["available"] is True
    region = next(d for d in body["dimensions"] if d["id"] == "region")
    assert region["categories"][0] == {"code": "03", "label": "Oslo"}
    assert [c["code"] for c in region["categories"]] == ["03", "11", "46", "50"]
    assert body["provenance"]["licence"] == "CC BY 4.0"
    assert body["provenance"]["retrieved"] == RETRIEVED.isoformat()
    assert len(body["provenance"]["content_hash"]) == 64
    assert response.headers["last-modified"]
    assert response.headers["cache-control"].startswith("public, max-age=21600")  # monthly
    aku = api.get("/v1/series/ssb.aku.unemployment_rate?lang=en").json()
    assert aku["breaks"][0]["date"] == "2021-01-01"
    assert aku["breaks"][0]["note"].startswith("New AKU questionnaire")


def test_series_not_in_store_still_has_catalogue_metadata(api: Client) -> None:
    body = api.get("/v1/series/nav.aap.recipients").json()
    assert body["available"] is False
    assert body["dimensions"] == []
    assert body["provenance"]["table"] == "AAP155"


def test_unknown_series_is_404_with_close_matches(api: Client) -> None:
    body = assert_problem(api.get("/v1/series/nav.helt_ledig"), 404, "unknown-series")
    assert "nav.helt_ledige" in str(body["detail"])
    body = assert_problem(api.get(f"{OBS.replace('ledige', 'ledig')}"), 404, "unknown-series")
    assert "did you mean" in str(body["detail"])


# --- observations: JSON --------------------------------------------------------------------------


def test_observations_filter_by_region_and_period(api: Client) -> None:
    body = api.get(f"{OBS}?region=11&from=2020-01&to=2020M03").json()
    assert body["columns"] == ["region", "period", "date", "value", "status"]
    rows = body["observations"]
    assert [(r["region"], r["period"], r["date"]) for r in rows] == [
        ("11", "2020M01", "2020-01-01"),
        ("11", "2020M02", "2020-02-01"),
        ("11", "2020M03", "2020-03-01"),
    ]
    assert [r["value"] for r in rows] == [value_of(1, p) for p in ("2020M01", "2020M02", "2020M03")]
    assert body["page"] == {
        "limit": 1000,
        "returned": 3,
        "total": 3,
        "next": None,
        "next_cursor": None,
    }
    assert body["provenance"]["publisher"].startswith("Arbeids- og velferdsetaten")


def test_repeated_and_comma_separated_codes_are_the_same_query(api: Client) -> None:
    repeated = api.get(f"{OBS}?region=03&region=50&to=2019M02").json()
    commas = api.get(f"{OBS}?region=03,50&to=2019").json()
    assert [r["region"] for r in repeated["observations"]] == ["03", "03", "50", "50"]
    assert commas["page"]["total"] == 24


def test_year_bounds_include_the_whole_year(api: Client) -> None:
    body = api.get(f"{OBS}?region=03&from=2020&to=2020").json()
    periods = [r["period"] for r in body["observations"]]
    assert periods == [f"2020M{m:02d}" for m in range(1, 13)]


def test_suppressed_cells_are_null_with_their_status(api: Client) -> None:
    rows = api.get(f"{OBS}?region=50&from=2020M04&to=2020M05").json()["observations"]
    assert [(r["value"], r["status"]) for r in rows] == [(None, "*"), (None, "*")]


def test_labels_follow_each_code_column_and_lang(api: Client) -> None:
    nb = api.get(f"{OBS}?region=50&to=2019M01&labels=true").json()
    assert nb["columns"][:2] == ["region", "region_label"]
    assert nb["observations"][0]["region_label"] == "Trøndelag"
    en = api.get(f"{OBS}?region=50&to=2019M01&labels=true&lang=en").json()
    assert en["observations"][0]["region_label"] == "Trøndelag (en)"


def test_pagination_walks_every_row_exactly_once(api: Client) -> None:
    seen: list[tuple[str, str]] = []
    url: str | None = f"{OBS}?region=03&region=11&limit=25"
    pages = 0
    while url is not None:
        response = api.get(url)
        assert response.status_code == 200, response.text
        body = response.json()
        seen += [(r["region"], r["period"]) for r in body["observations"]]
        url = body["page"].get("next")
        if url is not None:
            assert response.headers["link"] == f'<{url}>; rel="next"'
        pages += 1
    assert pages == 3
    assert len(seen) == len(set(seen)) == 72


def test_cursor_is_bound_to_its_query(api: Client) -> None:
    first = api.get(f"{OBS}?region=03&limit=5").json()
    token = first["page"]["next_cursor"]
    moved = api.get(f"{OBS}?region=11&limit=5&cursor={token}")
    assert "another query" in str(assert_problem(moved, 400, "invalid-cursor")["detail"])
    assert_problem(api.get(f"{OBS}?cursor=not-a-cursor!"), 400, "invalid-cursor")
    assert decode_cursor(encode_cursor(40, "abc"), "abc") == 40


def test_unknown_dimension_code_names_the_valid_ones(api: Client) -> None:
    body = assert_problem(api.get(f"{OBS}?region=03&region=99"), 400, "unknown-code")
    assert "'99'" in str(body["detail"])
    assert "03 (Oslo)" in str(body["detail"])
    assert body["valid"] == ["03", "11", "46", "50"]


def test_unknown_parameter_names_the_dimensions(api: Client) -> None:
    body = assert_problem(api.get(f"{OBS}?regoin=03"), 400, "unknown-dimension")
    assert "Dimensions: region." in str(body["detail"])
    assert body["valid"] == ["region"]


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("from=2020M13", "invalid-period"),
        ("to=yesterday", "invalid-period"),
        ("limit=0", "invalid-parameter"),
        ("limit=abc", "invalid-parameter"),
        ("limit=10001", "invalid-parameter"),  # above the documented maximum
        ("format=xml", "invalid-parameter"),
        ("format=jsonstat&limit=5", "paging-not-supported"),
        ("labels=perhaps", "invalid-parameter"),
    ],
)
def test_bad_parameters_are_400_problems(api: Client, query: str, kind: str) -> None:
    assert_problem(api.get(f"{OBS}?{query}"), 400, kind)


def test_series_not_in_store_is_404_saying_how_to_sync(api: Client) -> None:
    body = assert_problem(api.get("/v1/series/nav.aap.share/observations"), 404, "not-in-store")
    assert "navdata sync nav.aap.share" in str(body["detail"])


def test_selection_over_the_row_limit_is_413(synthetic_store: Path) -> None:
    with make_client(synthetic_store, max_rows=100, max_page=50, default_page=50) as client:
        body = assert_problem(client.get(f"{OBS}?format=csv"), 413, "selection-too-large")
        assert "144 rows" in str(body["detail"])
        assert body["limit"] == 100
        assert client.get(f"{OBS}?format=csv&region=03").status_code == 200
        assert client.get(f"{OBS}?format=csv&limit=50").status_code == 200  # paged is fine


# --- observations: caching -----------------------------------------------------------------------


def test_observations_etag_304_and_query_sensitivity(api: Client) -> None:
    first = api.get(f"{OBS}?region=03")
    etag = first.headers["etag"]
    assert first.headers["vary"] == "Accept, Accept-Encoding"
    assert first.headers["last-modified"] == "Tue, 05 Mar 2024 10:00:00 GMT"
    again = api.get(f"{OBS}?region=03", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["etag"] == etag
    assert api.get(f"{OBS}?region=11").headers["etag"] != etag
    assert api.get(f"{OBS}?region=03&format=csv").headers["etag"] != etag
    assert api.get(OBS + "?region=03", headers={"Accept": "text/csv"}).headers["etag"] != etag
    since = api.get(
        f"{OBS}?region=03", headers={"If-Modified-Since": first.headers["last-modified"]}
    )
    assert since.status_code == 304


def test_etag_changes_when_the_store_is_resynced(tmp_path: Path) -> None:
    store = Store(tmp_path)
    dataset = synthetic_helt_ledige()
    store.write("nav.helt_ledige", dataset)
    with make_client(tmp_path) as client:
        before = client.get(OBS)
        changed = dataset.frame.with_columns(pl.col("value") * 2)
        store.write("nav.helt_ledige", type(dataset)(changed, dataset.meta))
        after = client.get(OBS, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]
    assert after.json()["observations"][1]["value"] == 2 * before.json()["observations"][1]["value"]


def test_large_observation_bodies_are_gzipped(api: Client) -> None:
    response = api.get(OBS, headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert response.json()["page"]["total"] == 144


# --- observations: CSV and JSON-stat -------------------------------------------------------------


def test_csv_round_trips_to_the_selected_frame(api: Client) -> None:
    response = api.get(f"{OBS}?format=csv&region=50&region=03")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="nav.helt_ledige.csv"' in response.headers["content-disposition"]
    parsed = pl.read_csv(
        io.BytesIO(response.content),
        schema_overrides={"region": pl.String, "status": pl.String},
        try_parse_dates=True,
    )
    expected = synthetic_helt_ledige().frame.filter(pl.col("region").is_in(["03", "50"]))
    assert_frame_equal(parsed, expected)


def test_accept_text_csv_negotiates_csv_and_unacceptable_is_406(api: Client) -> None:
    response = api.get(f"{OBS}?region=03", headers={"Accept": "text/csv, */*;q=0.1"})
    assert response.text.startswith("region,period,date,value,status\n03,2019M01,2019-01-01,0.5,")
    assert_problem(api.get(OBS, headers={"Accept": "image/png"}), 406, "not-acceptable")


def test_jsonstat_reads_back_identically_with_navdata_and_pyjstat(api: Client) -> None:
    response = api.get(f"{OBS}?format=jsonstat&region=03&region=50&from=2020M03&to=2020M06")
    assert response.status_code == 200
    ours = read_jsonstat(response.content)
    assert ours.meta.dimension("region").codes == ["03", "50"]
    frame = ours.frame.sort("region", "period")
    assert frame.get_column("period").to_list() == ["2020M03", "2020M04", "2020M05", "2020M06"] * 2
    expected = [value_of(0, p) for p in ("2020M03", "2020M04", "2020M05", "2020M06")] + [
        value_of(3, "2020M03"),
        None,
        None,
        value_of(3, "2020M06"),
    ]
    assert frame.get_column("value").to_list() == expected
    assert frame.get_column("status").to_list() == [None] * 5 + ["*", "*", None]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = pyjstat.Dataset.read(response.text).write("dataframe", naming="id")
    assert isinstance(theirs, pd.DataFrame)
    theirs = theirs.sort_values(["region", "period"])
    values = [None if pd.isna(v) else float(v) for v in theirs["value"]]
    assert values == expected
    assert list(theirs["region"]) == frame.get_column("region").to_list()


# --- timeline ------------------------------------------------------------------------------------


def test_timeline_filters_by_range_tag_and_category(api: Client) -> None:
    body = api.get("/v1/timeline?from=2019-06&to=2021-06").json()
    assert body["count"] == 8
    assert body["milestones"][0]["id"] == "eea-case-disclosed"
    assert all(m["span"][1] >= "2019-06" and m["date"] <= "2021-06-30" for m in body["milestones"])
    tagged = api.get("/v1/timeline?tag=trust-reform&tag=eea-case").json()["milestones"]
    assert all({"trust-reform", "eea-case"} & set(m["tags"]) for m in tagged)
    reports = api.get("/v1/timeline?category=report").json()["milestones"]
    assert reports
    assert {m["category"] for m in reports} == {"report"}


def test_timeline_errors_and_language(api: Client) -> None:
    body = assert_problem(api.get("/v1/timeline?tag=trust"), 400, "invalid-parameter")
    assert "trust-reform" in str(body["detail"])
    assert_problem(api.get("/v1/timeline?from=2019M13"), 400, "invalid-period")
    assert_problem(api.get("/v1/timeline?lang=de"), 400, "invalid-parameter")
    en = api.get("/v1/timeline/trust-reform-nav-start?lang=en").json()
    nb = api.get("/v1/timeline/trust-reform-nav-start").json()
    assert en["id"] == nb["id"] == "trust-reform-nav-start"
    assert en["title"] != nb["title"]
    assert en["sources"][0]["url"].startswith("https://")


def test_a_milestone_carries_its_sources_quotes_and_its_date_as_precisely_as_known(
    api: Client,
) -> None:
    body = api.get("/v1/timeline/trust-reform-nav-start?lang=en").json()
    assert (body["date"], body["precision"], body["date_text"]) == (
        "2022-01-01",
        "month",
        "2022-01",
    )
    assert body["span"] == ["2022-01-01", "2022-01-31"]
    assert all(source["quote"] for source in body["sources"])
    assert "startskuddet for tillitsreformen" in body["sources"][0]["quote"]
    listed = api.get("/v1/timeline?category=disclosure").json()["milestones"]
    assert [m["id"] for m in listed] == ["eea-case-disclosed"]


def test_unknown_milestone_is_404_with_suggestions(api: Client) -> None:
    body = assert_problem(api.get("/v1/timeline/trust-reform-nav-star"), 404, "unknown-milestone")
    assert "trust-reform-nav-start" in str(body["detail"])


def test_timeline_is_cacheable(api: Client) -> None:
    first = api.get("/v1/timeline?tag=trust-reform")
    assert first.headers["cache-control"].startswith("public, max-age=86400")
    again = api.get(
        "/v1/timeline?tag=trust-reform", headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304


def test_window_around_a_milestone(api: Client) -> None:
    url = "/v1/timeline/trust-reform-nav-start/window?series=nav.helt_ledige&before=2&after=2"
    # The synthetic store ends at 2021M12, so a 2022M01 milestone has only "before" rows.
    body = api.get(url).json()
    assert body["period_zero"] == "2022M01"
    assert (body["first_period"], body["last_period"]) == ("2021M11", "2022M02")
    assert body["by"] == ["region"]
    oslo = [r for r in body["observations"] if r["region"] == "03"]
    assert [(r["period"], r["relative"], r["side"]) for r in oslo] == [
        ("2021M11", -2, "before"),
        ("2021M12", -1, "before"),
    ]
    summary = {row["region"]: row for row in body["summary"]}
    assert summary["03"]["n_before"] == 2
    assert summary["03"]["mean_before"] == (value_of(0, "2021M11") + value_of(0, "2021M12")) / 2
    assert summary["03"]["n_after"] == 0
    assert summary["03"]["mean_after"] is None


def test_window_errors(api: Client) -> None:
    base = "/v1/timeline/trust-reform-nav-start/window"
    assert_problem(api.get(f"{base}?series=nav.helt_ledig"), 404, "unknown-series")
    assert_problem(api.get(f"{base}?series=nav.aap.share"), 404, "not-in-store")
    assert_problem(api.get(f"{base}?series=nav.helt_ledige&before=0"), 400, "invalid-parameter")
    assert_problem(api.get(base), 400, "invalid-parameter")  # series is required
    assert_problem(
        api.get("/v1/timeline/nope/window?series=nav.helt_ledige"), 404, "unknown-milestone"
    )


def test_bundled_key_figures_are_served_without_a_sync(api: Client) -> None:
    # NAV's table of uføretrygd recipients as a share of the population, 31.12.2010-2019
    r = api.get("/v1/series/keyfig.uforetrygd_share/observations?from=2017&to=2019")
    assert r.status_code == 200
    rows = r.json()["observations"]
    assert [(o["period"], o["value"]) for o in rows] == [
        ("2017", 9.6),
        ("2018", 10.0),
        ("2019", 10.3),
    ]
    etag = r.headers["etag"]
    again = api.get(
        "/v1/series/keyfig.uforetrygd_share/observations?from=2017&to=2019",
        headers={"If-None-Match": etag},
    )
    assert again.status_code == 304
    detail = api.get("/v1/series/keyfig.uforetrygd_share").json()
    assert detail["available"] is True
    assert detail["source"] == "bundled"


KEYFIG_OBS = "/v1/series/keyfig.nav_user_trust/observations"


def test_key_figure_values_carry_unit_flags_and_quote_in_json(api: Client) -> None:
    body = api.get(KEYFIG_OBS).json()
    assert body["columns"][4:] == ["unit", "flags", "quote", "publisher", "source_url"]
    first, last = body["observations"]
    assert (first["period"], first["value"], first["unit"]) == ("2023", 71.0, "percent")
    assert first["flags"] == "sec;yr?"
    assert "71 prosent svarer at de har tillit til Nav" in first["quote"]
    assert last["flags"] is None
    assert last["quote"] == "76 prosent opplever å ha tillit til Nav."
    # the meaning of every flag is in the envelope, not only in a README
    assert set(body["flags"]) == {"pos", "sec", "yr?"}
    assert body["flags"]["sec"].startswith("a secondary source")
    # a series without flags has an empty object
    assert api.get(OBS + "?region=03&limit=1").json()["flags"] == {}


def test_key_figure_values_carry_unit_flags_and_quote_in_csv(api: Client) -> None:
    r = api.get(KEYFIG_OBS + "?format=csv")
    assert r.status_code == 200
    frame = pl.read_csv(io.StringIO(r.text))
    assert frame.columns == [
        "period",
        "date",
        "value",
        "status",
        "unit",
        "flags",
        "quote",
        "publisher",
        "source_url",
    ]
    assert frame.get_column("flags").to_list() == ["sec;yr?", None]
    assert frame.get_column("quote")[1] == "76 prosent opplever å ha tillit til Nav."


def test_key_figure_values_carry_unit_flags_and_quote_in_json_stat(api: Client) -> None:
    doc = api.get(KEYFIG_OBS + "?format=jsonstat").json()
    assert doc["class"] == "dataset"
    extension = doc["extension"]
    assert set(extension["flags"]) == {"pos", "sec", "yr?"}
    observations = extension["observations"]
    assert observations["0"]["flags"] == "sec;yr?"
    assert observations["1"]["quote"] == "76 prosent opplever å ha tillit til Nav."
    assert "flags" not in observations["1"]
    # a period filter cuts the cube; the per-value texts follow the cells that remain
    cut = api.get(KEYFIG_OBS + "?format=jsonstat&from=2025").json()
    assert cut["size"][-1] == 1
    assert list(cut["extension"]["observations"]) == ["0"]
    assert cut["extension"]["observations"]["0"]["unit"] == "percent"


def test_from_inside_a_year_keeps_that_year(api: Client) -> None:
    r = api.get("/v1/series/keyfig.uforetrygd_share/observations?from=2019-06&to=2030")
    assert [(o["period"], o["value"]) for o in r.json()["observations"]] == [("2019", 10.3)]


def test_a_cached_dataset_is_the_version_its_entry_names(tmp_path: Path) -> None:
    """A sync landing between reading an entry (whose hash makes the ETag) and loading its rows
    must not put the new rows under the old hash, in the cache or in an answer."""
    store = Store(tmp_path)
    first = synthetic_helt_ledige()
    store.write("nav.helt_ledige", first)
    data = LocalData(Settings(store_dir=tmp_path))
    entry = data.require_entry("nav.helt_ledige")
    newer = first.frame.with_columns(pl.col("value") + 1000)
    store.write("nav.helt_ledige", Dataset(newer, first.meta))
    assert_frame_equal(data.dataset(entry).frame, first.frame)
    latest = data.require_entry("nav.helt_ledige")
    assert latest.content_hash != entry.content_hash
    assert_frame_equal(data.dataset(latest).frame, newer)


def test_jsonstat_follows_lang_and_carries_updated_and_geo_role(api: Client) -> None:
    base = "/v1/series/nav.helt_ledige/observations?format=jsonstat&region=50,03&from=2021M12"
    english = api.get(f"{base}&lang=en").json()
    norwegian = api.get(base).json()
    labels_en = english["dimension"]["region"]["category"]["label"]
    labels_nb = norwegian["dimension"]["region"]["category"]["label"]
    assert labels_en == {"03": "Oslo", "50": "Trøndelag (en)"}  # the store's English label
    assert labels_nb == {"03": "Oslo", "50": "Trøndelag"}
    assert english["label"] == "Registered fully unemployed (NAV)"  # the catalogue in English
    assert norwegian["label"] != english["label"]
    assert english["updated"] == "2024-03-01T00:00:00Z"
    assert english["role"] == {"time": ["period"], "geo": ["region"]}


def test_jsonstat_of_a_key_figure_keeps_each_values_provenance(api: Client) -> None:
    path = "/v1/series/keyfig.aku_unemployment_rate_annual/observations?format=jsonstat&lang=en"
    cube = api.get(path).json()
    provenance = cube["extension"]["observations"]
    assert len(provenance) == len(cube["value"])  # one record per value
    first = provenance["0"]
    assert first["publisher"] == "Statistisk sentralbyrå"
    assert first["source_url"] == "https://ssb.no/a/static/aku/tab-2008-04-30-13.html"
    assert first["quote"]


def test_a_lowered_page_limit_is_enforced_and_documented(synthetic_store: Path) -> None:
    with make_client(synthetic_store, max_page=50, default_page=50) as client:
        body = assert_problem(client.get(f"{OBS}?limit=60"), 400, "limit-too-large")
        assert body["limit"] == 50
        document = client.get("/docs/openapi.json").json()
    operation = document["paths"]["/v1/series/{series_id}/observations"]["get"]
    limit = next(p for p in operation["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 50


def test_a_malformed_bound_is_explained_in_words_not_by_the_pattern(api: Client) -> None:
    body = assert_problem(api.get(f"{OBS}?from=2020M13"), 400, "invalid-period")
    assert "regex" not in str(body["detail"])
    assert "'from': must be a period code (2024, 2024H1" in str(body["detail"])


def test_what_is_kept_for_a_version_is_found_without_a_build_and_stays_recently_used(
    tmp_path: Path,
) -> None:
    """``kept`` is how a JSON page skips the hop to a worker thread: it must find what
    ``derived`` built, nothing else, and count as a use so a busy series is not evicted."""
    Store(tmp_path).write("nav.helt_ledige", synthetic_helt_ledige())
    data = LocalData(Settings(store_dir=tmp_path))
    entry = data.require_entry("nav.helt_ledige")
    assert data.kept(entry, "rows", list) is None  # nothing built yet, and nothing built now
    built = data.derived(entry, "rows", lambda dataset: [dataset.frame.height])
    assert data.kept(entry, "rows", list) is built
    assert data.kept(entry, "rows", dict) is None  # another kind under the key is not it
    for n in range(_DATASETS_KEPT - 1):  # fill the LRU: "rows" is now its oldest entry
        data.derived(entry, n, lambda dataset: [])
    assert data.kept(entry, "rows", list) is built
    data.derived(entry, "one more", lambda dataset: [])
    assert data.kept(entry, "rows", list) is built  # the oldest other entry went instead
    assert data.kept(entry, 0, list) is None
