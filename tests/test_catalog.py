"""The bundled series catalogue: its rules, its queries and the dimension normalisation."""

from __future__ import annotations

import json
import re
import tomllib
from datetime import date

import msgspec
import polars as pl
import pytest

import navdata
from navdata import series_catalog as cat_mod
from navdata._resources import datasets_dir
from navdata.dataset import Break, Dataset, Dimension, Metadata, Unit
from navdata.errors import DatasetValidationError, InvalidArgumentError, UnknownSeriesError
from navdata.jsonstat import read_jsonstat
from navdata.series_catalog import (
    CONFIRMED_SSB_TABLES,
    DIMENSION_NAMES,
    NavRecipe,
    SsbRecipe,
    catalog,
    describe,
    load_catalog,
    normalise,
    parse_catalog,
)
from navdata.sources.nav.tables import TABLES
from shared_files import shared_path

# SSB table ids marked confirmed [V] in reference/ssb-api.md §4 (AKU 13760, 14483, 13618; sickness
# absence 12441; KOSTRA social services 12210, 14019; population 07459). Ids marked [?] there
# (10540, 13563, 13536, 12442 ...) must not appear.
REFERENCE_CONFIRMED_SSB_TABLES = {"13760", "14483", "13618", "12441", "12210", "14019", "07459"}
UNCONFIRMED_SSB_TABLES = {"10540", "13563", "13536", "12442"}

REQUIRED_IDS = {
    "nav.helt_ledige",
    "nav.aap.recipients",
    "nav.uforetrygd.recipients",
    "ssb.aku.unemployment_rate",
    "ssb.sickness_absence",
    "ssb.social_assistance",
    "ssb.population",
}

SERIES = load_catalog().series


# --- the bundled catalogue keeps its rules -------------------------------------------------------


def test_catalogue_has_at_least_a_dozen_series_and_the_required_ids() -> None:
    ids = {s.id for s in SERIES}
    assert len(SERIES) >= 12
    assert ids >= REQUIRED_IDS


def test_ids_are_unique_and_well_formed() -> None:
    ids = [s.id for s in SERIES]
    assert len(ids) == len(set(ids))
    for series_id in ids:
        assert re.fullmatch(r"(ssb|nav)\.[a-z0-9_.]+", series_id), series_id


def test_every_ssb_table_is_confirmed_in_the_reference() -> None:
    assert CONFIRMED_SSB_TABLES == REFERENCE_CONFIRMED_SSB_TABLES
    ssb_tables = {s.recipe.table for s in SERIES if isinstance(s.recipe, SsbRecipe)}
    assert ssb_tables <= REFERENCE_CONFIRMED_SSB_TABLES
    assert not ssb_tables & UNCONFIRMED_SSB_TABLES
    assert ssb_tables == {"13760", "12441", "14019", "07459"}


def test_nav_series_use_the_known_workbooks() -> None:
    nav = {
        s.id: (s.recipe.table, s.recipe.measure) for s in SERIES if isinstance(s.recipe, NavRecipe)
    }
    assert nav["nav.helt_ledige"] == ("HL060", "count")
    assert nav["nav.aap.recipients"] == ("AAP155", "count")
    assert nav["nav.uforetrygd.recipients"] == ("PST302", "count")
    assert nav["nav.uforetrygd.share"] == ("PST302", "share")


def test_every_series_has_both_languages() -> None:
    for s in SERIES:
        texts: list[tuple[str | None, str]] = [
            (t.nb, t.en) for t in (s.title, s.description, *s.notes)
        ]
        texts += [(s.unit.nb, s.unit.en)] + [(b.nb, b.en) for b in s.breaks]
        for nb, en in texts:
            assert nb is not None, s.id
            assert nb.strip(), s.id
            assert en.strip(), s.id
        assert s.title.nb != s.title.en, s.id


def test_one_break_type_serves_the_catalogue_and_the_nav_tables() -> None:
    # issue 11: a break is one type wherever navdata keeps one (it was three)
    nav_breaks = [b for table in TABLES.values() for b in table.info.breaks]
    assert cat_mod.Break is Break
    assert navdata.Break is Break
    assert {type(b) for s in SERIES for b in s.breaks} == {Break}
    assert {type(b) for b in nav_breaks} == {Break}
    helt_ledige = describe("nav.helt_ledige").breaks[0]
    assert helt_ledige.in_lang("nb").startswith("Ny registreringsløsning for arbeidssøkere")
    assert helt_ledige.in_lang("en").startswith("New job-seeker registration in November 2018")
    # NAV's own table notes are in English only: Norwegian readers get the English text
    nav_2018 = next(b for b in nav_breaks if b.date == date(2018, 11, 1))
    assert (nav_2018.nb, nav_2018.precision) == (None, "month")
    assert nav_2018.in_lang("nb") == nav_2018.in_lang("en") == nav_2018.en
    assert nav_2018.source == "SSB 2019-01-25; https://www.ssb.no/statbank/table/08931"


def test_frequencies_topics_and_geographies_are_from_the_vocabularies() -> None:
    for s in SERIES:
        assert s.frequency in {"year", "quarter", "month"}
        assert s.topic in cat_mod.TOPICS
        assert set(s.geography) <= {"landet", "fylke", "kommune", "bydel"}
    topics = {s.topic for s in SERIES}
    assert {"unemployment", "employment", "disability", "sickness_absence"} <= topics
    assert {"social_assistance", "population", "work_assessment"} <= topics


def test_licence_publisher_and_source_url() -> None:
    for s in SERIES:
        assert s.licence == "CC BY 4.0"
        assert s.licence_url == "https://creativecommons.org/licenses/by/4.0/"
        assert s.source_url.startswith("https://")
        expected = (
            "Statistisk sentralbyrå (SSB)"
            if s.source == "ssb"
            else "Arbeids- og velferdsetaten (NAV)"
        )
        assert s.publisher == expected
        if isinstance(s.recipe, SsbRecipe):
            assert s.source_url == f"https://www.ssb.no/statbank/table/{s.recipe.table}"


def test_ssb_selections_are_well_formed_and_fully_mapped() -> None:
    for s in SERIES:
        if not isinstance(s.recipe, SsbRecipe):
            assert s.dimension_map == {}
            continue
        sel = s.recipe.selection
        assert "ContentsCode" in sel
        assert "Tid" in sel
        for values in sel.values():
            assert values
            assert len(values) == len(set(values))
        assert set(s.dimension_map.values()) == set(sel)
        assert s.dimension_map["period"] == "Tid"
        assert s.dimension_map["measure"] == "ContentsCode"
        if s.recipe.measure is not None:
            assert sel["ContentsCode"] == [s.recipe.measure]


def test_headline_unemployment_recipe_is_exact() -> None:
    s = describe("ssb.aku.unemployment_rate")
    assert s.recipe == SsbRecipe(
        table="13760",
        selection={
            "Kjonn": ["0"],
            "Alder": ["15-74"],
            "Justering": ["S"],
            "ContentsCode": ["ArbledProsArbstyrk"],
            "Tid": ["*"],
        },
        measure="ArbledProsArbstyrk",
    )
    assert s.dimension_map == {
        "sex": "Kjonn",
        "age": "Alder",
        "adjustment": "Justering",
        "measure": "ContentsCode",
        "period": "Tid",
    }
    assert s.unit.decimals == 1
    assert s.frequency == "month"


def test_population_series_use_the_documented_codelists() -> None:
    fylke = describe("ssb.population.fylke").recipe
    kommune = describe("ssb.population.kommune").recipe
    assert isinstance(fylke, SsbRecipe)
    assert isinstance(kommune, SsbRecipe)
    assert fylke.codelists == {"Region": "agg_KommFylker"}
    assert kommune.codelists == {"Region": "agg_KommSummer"}


def test_breaks_are_dated_and_sorted() -> None:
    helt_ledige = describe("nav.helt_ledige")
    assert [b.date for b in helt_ledige.breaks] == [
        date(2018, 11, 1),
        date(2024, 1, 1),
        date(2025, 4, 1),
    ]
    for s in SERIES:
        assert [b.date for b in s.breaks] == sorted(b.date for b in s.breaks)


def test_milestone_ids_exist_in_the_timeline() -> None:
    path = datasets_dir() / "timeline" / "milestones.toml"
    if not path.exists():
        pytest.skip("timeline dataset not present")
    timeline_ids = {m["id"] for m in tomllib.loads(path.read_text("utf-8"))["milestone"]}
    used = {b.milestone for s in SERIES for b in s.breaks if b.milestone}
    assert used, "no break links to a milestone"
    assert used <= timeline_ids, used - timeline_ids


def test_codes_match_real_ssb_responses() -> None:
    """Codes the catalogue uses are present in the real SSB responses kept beside the project."""
    fixtures = shared_path("fixtures", "ssb-real")
    aku = json.loads((fixtures / "13760_data_no.json").read_text("utf-8"))
    aku_codes = {dim: set(aku["dimension"][dim]["category"]["index"]) for dim in aku["id"]}
    headline = describe("ssb.aku.unemployment_rate").recipe
    assert isinstance(headline, SsbRecipe)
    for var in ("Kjonn", "Alder", "Justering", "ContentsCode"):
        assert set(headline.selection[var]) <= aku_codes[var], var
    labour_force = describe("ssb.aku.labour_force").recipe
    assert isinstance(labour_force, SsbRecipe)
    assert labour_force.measure in aku_codes["ContentsCode"]

    pop = json.loads((fixtures / "population-age.json").read_text("utf-8"))["dataset"]
    assert pop["label"].startswith("07459")
    population = describe("ssb.population").recipe
    assert isinstance(population, SsbRecipe)
    assert set(population.selection) == set(pop["dimension"]["id"])
    assert population.selection["Region"] == ["0"]
    assert "0" in pop["dimension"]["Region"]["category"]["index"]
    assert population.measure in pop["dimension"]["ContentsCode"]["category"]["index"]


# --- queries -------------------------------------------------------------------------------------


def test_describe_unknown_id_suggests_close_matches() -> None:
    with pytest.raises(UnknownSeriesError) as info:
        describe("nav.helt_ledig")
    assert str(info.value) == (
        "no series 'nav.helt_ledig' in the catalogue; "
        "did you mean nav.helt_ledige, nav.helt_ledige.share?"
    )
    assert isinstance(info.value, LookupError)


def test_describe_unknown_id_without_close_match() -> None:
    with pytest.raises(UnknownSeriesError, match=r"see navdata\.catalog\(\) for every id"):
        describe("zzz")


def test_catalog_frame_filters() -> None:
    full = catalog()
    assert full.height == len(SERIES)
    assert full.columns == [
        "id",
        "source",
        "topic",
        "frequency",
        "geography",
        "title",
        "unit",
        "publisher",
        "table",
        "source_url",
        "breaks",
    ]
    disability = catalog(topic="disability")
    assert disability["id"].to_list() == ["nav.uforetrygd.recipients", "nav.uforetrygd.share"]
    assert disability["geography"].to_list()[0] == ["fylke", "kommune", "bydel"]
    assert catalog(source="nav").height == 6
    assert set(catalog(source="ssb", frequency="month")["table"].to_list()) == {"13760"}
    empty = catalog(frequency="quarter")
    assert empty.height == 0
    assert empty.schema == full.schema


def test_catalog_language() -> None:
    row = catalog(topic="population", lang="en").filter(pl.col("id") == "ssb.population")
    assert row["title"].item() == "Population by age, Norway"
    assert row["unit"].item() == "persons"
    row_nb = catalog(topic="population").filter(pl.col("id") == "ssb.population")
    assert row_nb["title"].item() == "Befolkning, etter alder, hele landet"


def test_catalog_rejects_unknown_filter_values() -> None:
    # navdata errors, so that `except NavdataError` in a user's script catches a typo too
    with pytest.raises(InvalidArgumentError, match="unknown topic 'jobs'; choose one of unem"):
        catalog(topic="jobs")
    with pytest.raises(InvalidArgumentError, match="unknown source 'scb'"):
        catalog(source="scb")
    with pytest.raises(InvalidArgumentError, match="unknown frequency 'daily'"):
        catalog(frequency="daily")


def test_describe_rejects_a_series_id_that_is_not_text() -> None:
    with pytest.raises(InvalidArgumentError, match="a series id is a string"):
        describe(None)  # type: ignore[arg-type]


# --- validation of broken catalogues -------------------------------------------------------------

_GOOD = """
schema_version = 1
[[series]]
id = "ssb.test"
topic = "population"
frequency = "year"
geography = ["landet"]
title = { nb = "Tittel", en = "Title" }
description = { nb = "Beskrivelse", en = "Description" }
unit = { nb = "personer", en = "persons" }
publisher = "Statistisk sentralbyrå (SSB)"
licence = "CC BY 4.0"
licence_url = "https://creativecommons.org/licenses/by/4.0/"
source_url = "https://www.ssb.no/statbank/table/07459"
recipe = { source = "ssb", table = "07459", selection = { Region = ["0"], \
ContentsCode = ["Personer1"], Tid = ["*"] } }
"""


def test_minimal_catalogue_parses() -> None:
    parsed = parse_catalog(_GOOD.encode())
    assert parsed.ids == ["ssb.test"]
    assert parsed.series[0].dimension_map == {
        "region": "Region",
        "measure": "ContentsCode",
        "period": "Tid",
    }


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'table = "07459"',
            'table = "10540"',
            (
                "catalogue series 'ssb.test' breaks rule 'confirmed-ssb-table': "
                "table '10540' is not confirmed"
            ),
        ),
        (
            'title = { nb = "Tittel", en = "Title" }',
            'title = { nb = "Tittel", en = " " }',
            "catalogue series 'ssb.test' breaks rule 'both-languages': title.en is empty",
        ),
        (
            'frequency = "year"',
            'frequency = "weekly"',
            (
                "catalogue series 'ssb.test' in <catalogue> breaks rule 'schema': "
                "Invalid enum value 'weekly' - at `$.series[0].frequency`"
            ),
        ),
        (
            'Region = ["0"]',
            'Region = ["0", "0"]',
            (
                "catalogue series 'ssb.test' breaks rule 'ssb-selection': "
                "variable 'Region' repeats a code"
            ),
        ),
        (
            ', Tid = ["*"]',
            "",
            "catalogue series 'ssb.test' breaks rule 'ssb-selection': selection lacks 'Tid'",
        ),
        (
            'Region = ["0"]',
            'Region = ["0"], Fylke = ["03"]',
            (
                "catalogue series 'ssb.test' breaks rule 'dimension-mapping': "
                "variable 'Fylke' has no entry"
            ),
        ),
        (
            'Region = ["0"]',
            'Region = ["0"], KOKkommuneregion0000 = ["EAK"]',
            (
                "breaks rule 'dimension-mapping': "
                "variables 'Region' and 'KOKkommuneregion0000' both map"
            ),
        ),
        (
            'table = "07459",',
            'table = "07459", measure = "Personer2",',
            "breaks rule 'ssb-measure': measure 'Personer2' must be the only ContentsCode selected",
        ),
        (
            'id = "ssb.test"',
            'id = "nav.test"',
            "catalogue series 'nav.test' breaks rule 'id-source'",
        ),
        (
            'id = "ssb.test"',
            'id = "ssb.Test-1"',
            "catalogue series 'ssb.Test-1' breaks rule 'id-format'",
        ),
        (
            'licence = "CC BY 4.0"',
            'licence = "NLOD"',
            "catalogue series 'ssb.test' breaks rule 'licence'",
        ),
        (
            'source_url = "https://',
            'source_url = "http://',
            "catalogue series 'ssb.test' breaks rule 'source-url'",
        ),
        (
            'geography = ["landet"]',
            (
                'geography = ["landet"]\nbreaks = [{ date = 2024-01-01, nb = "a", en = "b", '
                'milestone = "Not A Slug" }]'
            ),
            "breaks rule 'milestone-id': 'Not A Slug' is not a milestone slug",
        ),
        (
            'geography = ["landet"]',
            (
                'geography = ["landet"]\nbreaks = [{ date = 2024-01-01, nb = "a", en = "b" }, '
                '{ date = 2020-01-01, nb = "a", en = "b" }]'
            ),
            "breaks rule 'breaks-sorted'",
        ),
        (
            'geography = ["landet"]',
            'geography = ["landet"]\nbreaks = [{ date = 2024-01-01, en = "b" }]',
            "breaks rule 'both-languages': break 2024-01-01 lacks its nb or en text",
        ),
        (
            'source = "ssb", table = "07459", selection',
            'source = "ssb", table = "07459", codelists = { Alder = "agg_X" }, selection',
            "breaks rule 'ssb-codelist': codelist for 'Alder', which is not selected",
        ),
    ],
)
def test_validation_names_series_and_rule(old: str, new: str, message: str) -> None:
    assert old in _GOOD
    with pytest.raises(DatasetValidationError) as info:
        parse_catalog(_GOOD.replace(old, new, 1).encode())
    assert message in str(info.value)


def test_duplicate_ids_are_rejected() -> None:
    body = _GOOD.split("[[series]]", 1)[1]
    doubled = _GOOD + "[[series]]" + body
    with pytest.raises(DatasetValidationError, match=r"'ssb\.test' breaks rule 'unique-id'"):
        parse_catalog(doubled.encode())


def test_nav_table_must_be_known() -> None:
    nav = (
        _GOOD.replace('id = "ssb.test"', 'id = "nav.test"')
        .split("recipe =")[0]
        .replace("\n", "\n", 1)
    ) + 'recipe = { source = "nav", table = "HL999", measure = "count" }\n'
    with pytest.raises(DatasetValidationError, match=r"'nav\.test' breaks rule 'nav-table'"):
        parse_catalog(nav.encode())


def test_invalid_toml_names_the_origin() -> None:
    with pytest.raises(DatasetValidationError, match=r"^broken\.toml is not valid TOML"):
        parse_catalog(b"[[series]\n", origin="broken.toml")


def test_unsupported_schema_version() -> None:
    with pytest.raises(DatasetValidationError, match="schema_version 2 is not supported"):
        parse_catalog(_GOOD.replace("schema_version = 1", "schema_version = 2").encode())


def test_unknown_fields_are_rejected() -> None:
    with pytest.raises(
        DatasetValidationError, match="breaks rule 'schema': Object contains unknown field `colour`"
    ):
        parse_catalog(
            _GOOD.replace('topic = "population"', 'topic = "population"\ncolour = "red"').encode()
        )


def test_every_mapped_dimension_has_a_distinct_purpose() -> None:
    assert DIMENSION_NAMES["Kjonn"] == "sex"
    assert DIMENSION_NAMES["Alder"] == "age"
    assert DIMENSION_NAMES["Region"] == "region"
    assert DIMENSION_NAMES["Tid"] == "period"
    assert DIMENSION_NAMES["ContentsCode"] == "measure"
    assert DIMENSION_NAMES["NACE2007"] == "industry"
    assert DIMENSION_NAMES["Justering"] == "adjustment"
    assert DIMENSION_NAMES["Sykefraver2"] == "absence_type"
    assert cat_mod.normalised_name("kjonn") == "sex"  # SSB codes are case-insensitive
    assert cat_mod.normalised_name("Ukjent") == "Ukjent"


# --- normalise -----------------------------------------------------------------------------------


def _aku_dataset() -> Dataset:
    """Synthetic 13760-shaped dataset: two contents, two months (values invented for the test)."""
    frame = pl.DataFrame(
        {
            "Kjonn": ["0", "0", "0", "0"],
            "Alder": ["15-74"] * 4,
            "Justering": ["S"] * 4,
            "ContentsCode": [
                "Arbeidsstyrken",
                "Arbeidsstyrken",
                "ArbledProsArbstyrk",
                "ArbledProsArbstyrk",
            ],
            "ContentsCode_label": ["Arbeidsstyrken (1000 personer)"] * 2
            + ["Arbeidsledige i prosent"] * 2,
            "period": ["2026M06", "2026M07", "2026M06", "2026M07"],
            "date": [date(2026, 6, 1), date(2026, 7, 1)] * 2,
            "value": [1000.0, 1001.0, 4.5, 4.25],
            "status": [None, None, None, ".."],
        },
        schema_overrides={"status": pl.String},
    )
    meta = Metadata(
        dimensions=[
            Dimension(id="Kjonn", label="kjønn", codes=["0"]),
            Dimension(id="Alder", label="alder", codes=["15-74"]),
            Dimension(id="Justering", label="type justering", codes=["S"]),
            Dimension(
                id="ContentsCode",
                label="statistikkvariabel",
                codes=["Arbeidsstyrken", "ArbledProsArbstyrk"],
                labels={"ArbledProsArbstyrk": "Arbeidsledige i prosent av arbeidsstyrken"},
                units={"ArbledProsArbstyrk": Unit(base="prosent", decimals=1)},
            ),
            Dimension(id="Tid", label="måned", codes=["2026M06", "2026M07"]),
        ],
        label="13760: synthetic",
        roles={"time": ["Tid"], "metric": ["ContentsCode"]},
        extension={"px": {"tableid": "13760"}},
    )
    return Dataset(frame, meta)


def test_normalise_renames_and_selects_the_measure() -> None:
    out = normalise(_aku_dataset(), describe("ssb.aku.unemployment_rate"))
    assert out.frame.columns == ["sex", "age", "adjustment", "period", "date", "value", "status"]
    assert out.frame.to_dicts() == [
        {
            "sex": "0",
            "age": "15-74",
            "adjustment": "S",
            "period": "2026M06",
            "date": date(2026, 6, 1),
            "value": 4.5,
            "status": None,
        },
        {
            "sex": "0",
            "age": "15-74",
            "adjustment": "S",
            "period": "2026M07",
            "date": date(2026, 7, 1),
            "value": 4.25,
            "status": "..",
        },
    ]
    assert out.meta.dimension_ids == ["sex", "age", "adjustment", "period"]
    assert out.meta.dimension("sex").extension == {"source_id": "Kjonn"}
    assert out.meta.roles == {"time": ["period"]}
    assert out.meta.label == "Arbeidsledige i prosent av arbeidsstyrken (AKU), sesongjustert"
    assert out.meta.extension == {
        "px": {"tableid": "13760"},
        "series": "ssb.aku.unemployment_rate",
        "dimension_map": {
            "sex": "Kjonn",
            "age": "Alder",
            "adjustment": "Justering",
            "measure": "ContentsCode",
            "period": "Tid",
        },
        "measure": {
            "code": "ArbledProsArbstyrk",
            "label": "Arbeidsledige i prosent av arbeidsstyrken",
            "unit": {"base": "prosent", "decimals": 1},
        },
    }


def test_normalise_keeps_the_measure_column_without_a_recipe_measure() -> None:
    ds = _aku_dataset()
    out = normalise(ds, describe("ssb.sickness_absence"))
    assert out.frame.columns == [
        "sex",
        "age",
        "adjustment",
        "measure",
        "measure_label",
        "period",
        "date",
        "value",
        "status",
    ]
    assert out.frame.height == 4
    assert out.meta.dimension_ids == ["sex", "age", "adjustment", "measure", "period"]
    assert out.meta.roles == {"time": ["period"], "metric": ["measure"]}
    assert "measure" not in out.meta.extension


def test_normalise_renames_a_time_column_and_drops_a_duplicate() -> None:
    ds = _aku_dataset()
    with_tid = Dataset(ds.frame.rename({"period": "Tid"}), ds.meta)
    out = normalise(with_tid, describe("ssb.aku.labour_force"))
    assert out.frame.columns == ["sex", "age", "adjustment", "period", "date", "value", "status"]
    assert out.frame["value"].to_list() == [1000.0, 1001.0]
    both = Dataset(ds.frame.with_columns(pl.col("period").alias("Tid")), ds.meta)
    out_both = normalise(both, describe("ssb.aku.labour_force"))
    assert out_both.frame.columns == [
        "sex",
        "age",
        "adjustment",
        "period",
        "date",
        "value",
        "status",
    ]


def test_normalise_rejects_a_missing_measure() -> None:
    ds = _aku_dataset()
    only_labour_force = Dataset(
        ds.frame.filter(pl.col("ContentsCode") == "Arbeidsstyrken"), ds.meta
    )
    with pytest.raises(DatasetValidationError) as info:
        normalise(only_labour_force, describe("ssb.aku.unemployment_rate"))
    assert str(info.value) == (
        "series 'ssb.aku.unemployment_rate' expects measure 'ArbledProsArbstyrk', but the fetched "
        "data holds ['Arbeidsstyrken']; the source table may have changed"
    )


def test_normalise_nav_frame_with_measure_column() -> None:
    frame = pl.DataFrame(
        {
            "region": ["1101", "1101"],
            "measure": ["count", "share"],
            "period": ["2026M01", "2026M01"],
            "value": [197.0, 2.5],
            "status": [None, None],
        },
        schema_overrides={"status": pl.String},
    )
    meta = Metadata(
        dimensions=[
            Dimension(id="region", label="region", codes=["1101"]),
            Dimension(id="measure", label="measure", codes=["count", "share"]),
            Dimension(id="period", label="month", codes=["2026M01"]),
        ]
    )
    out = normalise(Dataset(frame, meta), describe("nav.helt_ledige.share"))
    assert out.frame.columns == ["region", "period", "value", "status"]
    assert out.frame["value"].to_list() == [2.5]
    assert out.meta.extension["dimension_map"] == {
        "region": "region",
        "measure": "measure",
        "period": "period",
    }
    assert out.meta.extension["measure"] == {"code": "share", "label": "share"}


def test_series_roundtrip_through_json() -> None:
    """Series are msgspec Structs: the API can serve them as they are."""
    s = describe("nav.aap.recipients")
    encoded = msgspec.json.encode(s)
    decoded = msgspec.json.decode(encoded, type=cat_mod.Series)
    assert decoded == s
    assert json.loads(encoded)["recipe"] == {"source": "nav", "table": "AAP155", "measure": "count"}


def test_normalise_real_13760_response() -> None:
    """The real SSB 13760 response (recorded 2026-10-03) normalises to the headline series."""
    raw = shared_path("fixtures", "ssb-real", "13760_data_no.json").read_bytes()
    out = normalise(read_jsonstat(raw), describe("ssb.aku.unemployment_rate"))
    assert out.frame.columns == ["sex", "age", "adjustment", "period", "value", "status"]
    assert out.frame.select("sex", "age", "adjustment", "period", "value").rows() == [
        ("0", "15-74", "S", "2026M06", 4.6),
        ("0", "15-74", "S", "2026M07", 4.2),
        ("0", "15-74", "S", "2026M08", 4.5),
    ]
    assert out.meta.extension["measure"] == {
        "code": "ArbledProsArbstyrk",
        "label": "Arbeidsledige i prosent av arbeidsstyrken",
        "unit": {"decimals": 1, "base": "prosent"},
    }
    assert out.meta.dimension("period").extension["source_id"] == "Tid"
