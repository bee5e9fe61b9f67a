"""timeline(), milestone(), Milestone helpers, and the validation of timeline files."""

from __future__ import annotations

import datetime as dt

import msgspec
import polars as pl
import pytest

from navdata.errors import (
    DatasetValidationError,
    InvalidArgumentError,
    NavdataError,
    PeriodError,
    UnknownMilestoneError,
)
from navdata.milestones import Milestone, Source, milestone, parse_milestones, timeline

BREAK_IDS = [
    "aap-introduced",
    "disability-benefit-reform-in-force",
    "job-seeker-registration-break-2018",
    "aku-questionnaire-2021",
    "county-reform-2024-in-force",
    "sickness-absence-self-certified-method-2024",
    "job-seeker-register-2025",
]


def test_timeline_frame_has_the_documented_columns_and_types() -> None:
    frame = timeline()
    assert frame.height == 47
    assert frame.schema == pl.Schema(
        {
            "id": pl.String(),
            "date": pl.Date(),
            "precision": pl.String(),
            "date_note": pl.String(),
            "title": pl.String(),
            "summary": pl.String(),
            "category": pl.String(),
            "tags": pl.List(pl.String()),
            "actors": pl.List(pl.String()),
            "affects": pl.List(pl.String()),
            "sources": pl.List(pl.String()),
        }
    )
    first = frame.row(0, named=True)
    assert first["id"] == "nav-reform-adopted"
    assert first["precision"] == "year"
    assert first["sources"][1].startswith("https://www.statsbudsjettet.no/")


def test_language_selects_titles_and_summaries() -> None:
    nb = timeline(tag="eea-case").filter(pl.col("id") == "eea-case-disclosed")
    en = timeline(tag="eea-case", lang="en").filter(pl.col("id") == "eea-case-disclosed")
    assert nb["title"].item().startswith("EØS-saken")
    assert en["title"].item() == '"NAV scandal" (EEA case) disclosed'
    assert (
        milestone("nav-established").title("en") == "Labour and Welfare Administration established"
    )


@pytest.mark.parametrize("lang", ["no", "NB", "de", ""])
def test_unknown_language_is_a_clear_error(lang: str) -> None:
    with pytest.raises(InvalidArgumentError, match=r"lang must be 'nb'.*or 'en'"):
        timeline(lang=lang)


def test_tag_filter_finds_exactly_the_statistics_breaks() -> None:
    assert timeline(tag="statistics-break")["id"].to_list() == BREAK_IDS


def test_several_tags_match_any_of_them() -> None:
    ids = timeline(tag=["appeals", "leadership"])["id"].to_list()
    assert ids == [
        "holte-nav-director",
        "appeals-committee-appointed",
        "nou-2023-11-appeals",
    ]


def test_category_filter() -> None:
    frame = timeline(category="data")
    assert frame["id"].to_list() == [
        "sickness-absence-basis-2018",
        "job-seeker-registration-break-2018",
        "aku-questionnaire-2021",
        "sickness-absence-self-certified-method-2024",
        "user-survey-2024",
        "job-seeker-register-2025",
    ]
    assert timeline(category=["data", "opinion"]).height == 6 + 4
    assert timeline(category="disclosure")["id"].to_list() == ["eea-case-disclosed"]


def test_range_keeps_imprecise_milestones_whose_span_overlaps() -> None:
    # The three year-precision 2022 records may have happened after March; the January
    # (month) and February (day) ones cannot have.
    frame = timeline(start="2022-03", end="2022")
    assert frame["id"].to_list() == [
        "kai-op-ed-nav-trust-reform",
        "youth-guarantee-proposed",
        "government-note-on-trust-reform",
        "county-split-decided",
        "lo-innlandet-op-ed",
    ]
    # A quarter-precision record is kept by a range that touches any month of its quarter.
    assert "sickness-absence-basis-2018" in timeline(start="2018-12", end="2018-12")["id"]
    assert "sickness-absence-basis-2018" not in timeline(start="2019-01", end="2019")["id"]


def test_range_bounds_are_inclusive_and_accept_dates() -> None:
    frame = timeline(start=dt.date(2019, 11, 5), end=dt.datetime(2019, 11, 8, 12, 0))
    assert frame["id"].to_list() == [
        "eea-case-statement-to-parliament",
        "eea-case-inquiry-appointed",
    ]
    # the 2025-26 session runs into 2026, and the 2026 expert group
    assert timeline(start="2026")["id"].to_list() == [
        "proposal-split-nav",
        "nav-review-expert-group-2026",
    ]
    # the 2005 reform decision is known only to the year, so it may fall before May
    assert timeline(end="2005-04-30")["id"].to_list() == ["nav-reform-adopted"]
    assert timeline(end="2004-12-31").height == 0
    assert timeline(start="2030").schema == timeline().schema


def test_bad_bound_and_unknown_vocabulary_are_clear_errors() -> None:
    with pytest.raises(PeriodError):
        timeline(start="last spring")
    with pytest.raises(InvalidArgumentError, match=r"unknown tag 'trust'.*'trust-reform'"):
        timeline(tag="trust")
    with pytest.raises(InvalidArgumentError, match=r"unknown category 'law'"):
        timeline(category="law")


def test_milestone_lookup_and_close_matches() -> None:
    record = milestone("trust-reform-nav-start")
    assert (record.date, record.precision) == (dt.date(2022, 1, 1), "month")
    assert record.actors[0] == "Hadia Tajik"
    with pytest.raises(UnknownMilestoneError, match=r"did you mean 'nav-established'") as info:
        milestone("nav-establshed")
    assert isinstance(info.value, LookupError)
    assert isinstance(info.value, NavdataError)
    with pytest.raises(UnknownMilestoneError, match=r"^unknown milestone 'zzz'; navdata\.timeline"):
        milestone("zzz")


def _record(day: dt.date, precision: str) -> Milestone:
    return Milestone(
        id="x",
        date=day,
        precision=precision,
        title_nb="t",
        title_en="t",
        summary_nb="s",
        summary_en="s",
        category="data",
        actors=("NAV",),
        tags=("labour-market",),
        sources=(Source(url="https://example.org", publisher="p", title="t", quote="q"),),
    )


@pytest.mark.parametrize(
    ("day", "precision", "last"),
    [
        (dt.date(2022, 1, 30), "day", dt.date(2022, 1, 30)),
        (dt.date(2024, 2, 1), "month", dt.date(2024, 2, 29)),
        (dt.date(2023, 12, 1), "month", dt.date(2023, 12, 31)),
        (dt.date(2018, 10, 1), "quarter", dt.date(2018, 12, 31)),
        (dt.date(2024, 1, 1), "quarter", dt.date(2024, 3, 31)),
        (dt.date(2022, 1, 1), "year", dt.date(2022, 12, 31)),
        (dt.date(2025, 10, 1), "session", dt.date(2026, 9, 30)),
    ],
)
def test_span_covers_the_whole_uncertain_period(
    day: dt.date, precision: str, last: dt.date
) -> None:
    assert _record(day, precision).span == (day, last)


# --- validation --------------------------------------------------------------------------------

VALID = """
[[milestone]]
id = "first-one"
date = 2020-05-01
precision = "month"
title_nb = "Tittel"
title_en = "Title"
summary_nb = "Sammendrag"
summary_en = "Summary"
category = "data"
actors = ["NAV"]
tags = ["statistics-break"]
affects = ["nav.helt_ledige"]

[[milestone.sources]]
url = "https://www.nav.no/x"
publisher = "NAV"
title = "Page"
quote = "Fra mai 2020 gjelder ny registrering."

[[milestone]]
id = "second-one"
date = 2021-01-01
precision = "year"
title_nb = "Tittel"
title_en = "Title"
summary_nb = "Sammendrag"
summary_en = "Summary"
category = "policy"
actors = ["Stortinget"]
tags = ["nav-reform"]

[[milestone.sources]]
url = "https://www.stortinget.no/y"
publisher = "Stortinget"
title = "Page"
quote = "Stortinget vedtok saken i 2021."

[[milestone]]
id = "third-one"
date = 2021-03-15
precision = "day"
title_nb = "Tittel"
title_en = "Title"
summary_nb = "Sammendrag"
summary_en = "Summary"
category = "report"
actors = ["Regjeringen"]
tags = ["labour-market"]

[[milestone.sources]]
url = "https://www.regjeringen.no/z"
publisher = "Regjeringen"
title = "Page"
quote = "Utvalget leverte sin utredning 15. mars 2021."
"""


def test_valid_text_parses() -> None:
    records = parse_milestones(VALID)
    assert [r.id for r in records] == ["first-one", "second-one", "third-one"]
    assert records[2].sources[0].quote == "Utvalget leverte sin utredning 15. mars 2021."
    assert records[0].span == (dt.date(2020, 5, 1), dt.date(2020, 5, 31))


@pytest.mark.parametrize(
    ("old", "new", "record", "rule"),
    [
        ('id = "second-one"', 'id = "first-one"', "first-one", "unique-id"),
        ('id = "second-one"', 'id = "Second One"', "Second One", "id-format"),
        ("date = 2021-01-01", "date = 2019-01-01", "second-one", "ascending-dates"),
        ('precision = "year"', 'precision = "decade"', "second-one", "precision"),
        ("date = 2020-05-01", "date = 2020-05-14", "first-one", "precision-date"),
        (
            'title_en = "Title"\nsummary_nb',
            'title_en = "  "\nsummary_nb',
            "first-one",
            "both-languages",
        ),
        ('category = "policy"', 'category = "gossip"', "second-one", "category"),
        ('tags = ["nav-reform"]', 'tags = ["nav"]', "second-one", "tags"),
        ('tags = ["nav-reform"]', "tags = []", "second-one", "tags"),
        ('actors = ["NAV"]', "actors = []", "first-one", "actors"),
        ('affects = ["nav.helt_ledige"]\n', "", "first-one", "break-affects"),
        (
            'tags = ["nav-reform"]',
            'tags = ["nav-reform"]\naffects = ["nav.helt_ledige"]',
            "second-one",
            "break-affects",
        ),
        ('affects = ["nav.helt_ledige"]', 'affects = ["Helt ledige"]', "first-one", "affects"),
        ("https://www.nav.no/x", "http://www.nav.no/x", "first-one", "source-url"),
        ("https://www.nav.no/x", "www.nav.no/x", "first-one", "source-url"),
        (
            'quote = "Fra mai 2020 gjelder ny registrering."',
            'quote = " "',
            "first-one",
            "source-quote",
        ),
        ('quote = "Fra mai 2020 gjelder ny registrering."', "", "first-one", "schema"),
        ("15. mars 2021.", "midten av mars 2021.", "third-one", "day-in-source"),
        ("15. mars 2021.", "15. mars.", "third-one", "day-in-source"),
        ('precision = "month"', 'precision = "quarter"', "first-one", "precision-date"),
        ('publisher = "NAV"', 'publisher = ""', "first-one", "source-fields"),
        ('category = "data"', 'category = "data"\nmood = "happy"', "first-one", "schema"),
        ("date = 2021-01-01", 'date = "sometime"', "second-one", "schema"),
    ],
)
def test_each_rule_names_the_record_and_the_rule(
    old: str, new: str, record: str, rule: str
) -> None:
    assert old in VALID
    broken = VALID.replace(old, new, 1)
    with pytest.raises(DatasetValidationError) as info:
        parse_milestones(broken, origin="test.toml")
    message = str(info.value)
    assert message.startswith(f"test.toml: milestone {record!r} breaks rule {rule!r}"), message


def test_a_record_without_an_id_is_named_by_position() -> None:
    broken = VALID.replace('id = "second-one"\n', "", 1)
    with pytest.raises(DatasetValidationError, match=r"milestone '#2' breaks rule 'schema'"):
        parse_milestones(broken)


def test_malformed_toml_is_a_validation_error() -> None:
    with pytest.raises(DatasetValidationError, match=r"^x\.toml: not a valid timeline file"):
        parse_milestones("[[milestone]\nid = 1", origin="x.toml")
    with pytest.raises(DatasetValidationError, match=r"not a valid timeline file"):
        parse_milestones('[[event]]\nid = "a"')


@pytest.mark.parametrize(
    ("precision", "expected"),
    [
        ("day", "2006-07-01"),
        ("month", "2006-07"),
        ("quarter", "2006-Q3"),
        ("session", "2006\N{EN DASH}2007"),
        ("year", "2006"),
    ],
)
def test_date_text_shows_only_what_is_known(precision: str, expected: str) -> None:
    record = msgspec.structs.replace(
        milestone("nav-established"), date=dt.date(2006, 7, 1), precision=precision
    )
    assert record.date_text == expected


def test_a_dated_address_shows_the_day() -> None:
    dated = VALID.replace("https://www.regjeringen.no/z", "https://www.dagsavisen.no/2021/03/15/x/")
    dated = dated.replace("15. mars 2021.", "i vår.")
    assert parse_milestones(dated)[2].date == dt.date(2021, 3, 15)
    undated = dated.replace("/2021/03/15/", "/2021/03/")
    with pytest.raises(DatasetValidationError, match=r"'third-one' breaks rule 'day-in-source'"):
        parse_milestones(undated)


def test_a_quarter_is_stored_as_its_first_day() -> None:
    quarter = VALID.replace('precision = "month"', 'precision = "quarter"').replace(
        "date = 2020-05-01", "date = 2020-04-01"
    )
    record = parse_milestones(quarter)[0]
    assert record.span == (dt.date(2020, 4, 1), dt.date(2020, 6, 30))
    assert record.date_text == "2020-Q2"
