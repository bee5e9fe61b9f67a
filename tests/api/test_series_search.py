"""``GET /v1/series?q=``: the library's one catalogue ranking, over HTTP."""

from __future__ import annotations

from api.conftest import Client
from navdata import series_catalog as cat


def _ids(api: Client, query: str) -> list[str]:
    response = api.get(f"/v1/series?{query}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] == len(body["series"])
    return [item["id"] for item in body["series"]]


def test_q_ranks_as_the_library_does(api: Client) -> None:
    expected = [s.id for s in cat.search("uføre", cat.all_series())]
    assert expected[:2] == ["keyfig.uforepensjon_recipients", "nav.uforetrygd.recipients"]
    assert _ids(api, "q=uf%C3%B8re") == expected
    assert _ids(api, "q=ufore") == expected  # no ø on the keyboard: same answer
    assert _ids(api, "q=UF%C3%98RE") == expected


def test_q_combines_with_the_filters(api: Client) -> None:
    assert _ids(api, "q=disability&source=bundled") == [
        "keyfig.uforepensjon_recipients",
        "keyfig.uforetrygd_share",
    ]
    assert _ids(api, "q=AAP&topic=work_assessment") == ["nav.aap.recipients", "nav.aap.share"]


def test_q_without_a_match_or_a_word(api: Client) -> None:
    assert _ids(api, "q=zzz") == []
    assert _ids(api, "q=") == [s.id for s in cat.all_series()]
    too_long = api.get("/v1/series?q=" + "a" * 201)
    assert too_long.status_code == 400


def test_availability_stays_beside_the_ranking(api: Client) -> None:
    body = api.get("/v1/series?q=helt%20ledige").json()
    assert [(s["id"], s["available"]) for s in body["series"]] == [
        ("nav.helt_ledige", True),  # in the synthetic store
        ("nav.helt_ledige.share", False),
        ("ssb.aku.unemployment_rate", True),
    ]
