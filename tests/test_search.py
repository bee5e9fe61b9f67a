"""Catalogue search: one ranking (series_catalog.search) behind catalog(search=), `navdata list
--search` and /v1/series?q= (tests/api/test_series_search.py), checked on the real catalogue."""

from __future__ import annotations

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

import navdata
from navdata.series_catalog import Text, all_series, fold, search, search_scores

UFORE = [
    "keyfig.uforepensjon_recipients",
    "nav.uforetrygd.recipients",
    "nav.uforetrygd.share",
    "keyfig.uforetrygd_share",
    "ssb.population",  # its notes say the uføretrygd shares divide by this population
]


def ids(query: str) -> list[str]:
    return [s.id for s in search(query, all_series())]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("uføre", "ufore"),
        ("UFØRE", "ufore"),
        ("Uføretrygd", "uforetrygd"),
        ("Næring", "naering"),
        ("ÆRE", "aere"),
        ("Ålesund", "alesund"),
        ("Tromsø", "tromso"),
        ("Sámi", "sami"),
        ("Crème brûlée", "creme brulee"),
        ("Straße", "strasse"),
    ],
)
def test_fold_ignores_case_and_accents_and_spells_out_norwegian_letters(
    text: str, folded: str
) -> None:
    assert fold(text) == folded


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøåéüABCÆØÅÉÜ -.,", max_size=30))
def test_fold_is_case_blind_and_idempotent(text: str) -> None:
    assert fold(text.upper()) == fold(text.lower()) == fold(fold(text))


@pytest.mark.parametrize("query", ["uføre", "ufore", "UFØRE", "Uføre"])
def test_ufore_finds_the_disability_series_spelt_any_way(query: str) -> None:
    assert ids(query) == UFORE


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # English finds the same series as the Norwegian word, the recipients series first
        ("disability", ["nav.uforetrygd.recipients", *UFORE[:1], *UFORE[2:]]),
        ("AAP", ["nav.aap.recipients", "nav.aap.share", "ssb.population"]),
        ("arbeidsavklaringspenger", ["nav.aap.recipients", "nav.aap.share"]),
        (
            "sykefravær",
            [
                "ssb.sickness_absence",
                "ssb.sickness_absence.doctor_certified",
                "ssb.sickness_absence.by_industry",
                "keyfig.sickness_absence_quarterly_2006_2011",
            ],
        ),
        ("social assistance", ["ssb.social_assistance", "ssb.social_assistance.fylke"]),
        ("tillit", ["keyfig.nav_user_trust"]),
        # the whole id first, then the ids that contain it, then a mention in a note
        (
            "nav.helt_ledige",
            ["nav.helt_ledige", "nav.helt_ledige.share", "ssb.aku.unemployment_rate"],
        ),
        # the word in a title beats the word in the notes of series divided by the population
        (
            "befolkning",
            [
                "ssb.population",
                "ssb.population.kommune",
                "ssb.population.fylke",
                "ssb.aku.employment_rate",
                "nav.aap.share",
                "nav.uforetrygd.share",
                "keyfig.uforetrygd_share",
            ],
        ),
        (
            "unemployment rate",
            [
                "ssb.aku.unemployment_rate",
                "keyfig.aku_unemployment_rate_annual",
                "ssb.aku.unemployment_rate.by_sex_age",
                "ssb.aku.unemployed",
                "nav.helt_ledige",
                "ssb.aku.labour_force",
            ],
        ),
    ],
)
def test_ranking_on_the_real_catalogue(query: str, expected: list[str]) -> None:
    assert ids(query) == expected


def test_every_word_must_match_and_nothing_is_not_everything() -> None:
    assert ids("uføre AAP") == ["ssb.population"]  # the one series that mentions both
    assert ids("zzz") == []
    assert ids("trust reform") == []  # the trust series says nothing of a reform
    assert ids("") == ids("  ") == ids("--") == [s.id for s in all_series()]


def test_scores_fall_and_ties_keep_catalogue_order() -> None:
    scores = [score for _, score in search_scores("ledige", all_series())]
    assert scores == sorted(scores, reverse=True)
    assert len(scores) >= 5
    pair = [s for s in all_series() if s.id in {"ssb.aku.employed", "ssb.aku.labour_force"}]
    assert search("", list(reversed(pair))) == list(reversed(pair))


def test_a_single_letter_matches_whole_words_only_and_two_letters_no_inside() -> None:
    base = navdata.describe("nav.aap.recipients").series
    aap, plan_a = (
        msgspec.structs.replace(
            base,
            id=f"test.{name}",
            title=Text(nb=title, en=title),
            description=Text(nb="Test", en="Test"),
            notes=[],
        )
        for name, title in (("aap", "AAP"), ("plan_a", "Plan A"))
    )
    assert search("a", [aap, plan_a]) == [plan_a]  # "a" is not the start of "aap" here
    assert search("aa", [aap, plan_a]) == [aap]  # two letters may start a word
    assert search("ap", [aap, plan_a]) == []  # but not sit inside one


def test_catalog_search_orders_rows_and_keeps_the_filters() -> None:
    frame = navdata.catalog(search="uføre")
    assert frame["id"].to_list() == UFORE
    assert frame.columns[-1] == "availability"
    assert navdata.catalog(search="ufore", source="nav")["id"].to_list() == [
        "nav.uforetrygd.recipients",
        "nav.uforetrygd.share",
    ]
    assert navdata.catalog(search="uføre", lang="en")["title"][1] == (
        "Recipients of disability benefit (uføretrygd)"
    )
    assert navdata.catalog(search="zzz").height == 0
    assert navdata.catalog(search="").height == navdata.catalog().height == len(all_series())
