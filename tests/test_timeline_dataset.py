"""The bundled timeline dataset: its rules, and that it transcribes the reference faithfully."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest

import navdata
from navdata._resources import datasets_dir
from navdata.milestones import CATEGORIES, PRECISIONS, TAGS, Milestone, load_milestones

# Every series navdata knows: fetched (SSB, NAV) and bundled (key figures).
KNOWN_SERIES = frozenset(navdata.catalog()["id"].to_list())

# Section 3 of nav-data-and-timeline.md has 45 sourced rows; every one is transcribed.
EXPECTED_COUNT = 45


@pytest.fixture(scope="module")
def milestones() -> tuple[Milestone, ...]:
    return load_milestones()


def test_every_sourced_row_is_transcribed(milestones: tuple[Milestone, ...]) -> None:
    assert len(milestones) == EXPECTED_COUNT


def test_ids_are_unique(milestones: tuple[Milestone, ...]) -> None:
    counts = Counter(m.id for m in milestones)
    assert [i for i, n in counts.items() if n > 1] == []


def test_dates_are_valid_and_ascending(milestones: tuple[Milestone, ...]) -> None:
    dates = [m.date for m in milestones]
    assert all(isinstance(d, dt.date) for d in dates)
    assert dates == sorted(dates)
    assert dates[0] == dt.date(2005, 5, 1)
    assert dates[-1] == dt.date(2025, 10, 1)


def test_precision_is_known_and_matches_the_stored_day(milestones: tuple[Milestone, ...]) -> None:
    for m in milestones:
        assert m.precision in PRECISIONS, m.id
        if m.precision == "month":
            assert m.date.day == 1, m.id
        if m.precision == "year":
            assert (m.date.month, m.date.day) == (1, 1), m.id
    # The reference: "35 carry an exact day or month ...; 10 are year/session-only or unverified".
    assert Counter(m.precision for m in milestones) == {
        "day": 29,
        "month": 6,
        "year": 9,
        "session": 1,
    }


def test_every_milestone_has_an_https_source(milestones: tuple[Milestone, ...]) -> None:
    for m in milestones:
        assert any(s.url.startswith("https://") for s in m.sources), m.id
        assert all(s.publisher.strip() and s.title.strip() for s in m.sources), m.id


def test_only_the_two_documented_sources_are_plain_http(
    milestones: tuple[Milestone, ...],
) -> None:
    plain = sorted(s.url for m in milestones for s in m.sources if not s.url.startswith("https"))
    assert plain == [
        "http://blogg.smn.no/2011/05/ny-uf%C3%B8rereform-%E2%80%93-men-ikke-med-det-f%C3%B8rste/",
        "http://fayllar.org/a-rb-e-i-d-s-l-i-v-e-t.html",
    ]


def test_both_languages_are_present(milestones: tuple[Milestone, ...]) -> None:
    for m in milestones:
        for text in (m.title_nb, m.title_en, m.summary_nb, m.summary_en):
            assert text.strip(), m.id
        assert m.summary_nb != m.summary_en, m.id


def test_categories_and_tags_come_from_the_vocabularies(
    milestones: tuple[Milestone, ...],
) -> None:
    for m in milestones:
        assert m.category in CATEGORIES, m.id
        assert m.tags, m.id
        assert set(m.tags) <= TAGS.keys(), m.id
    used = {t for m in milestones for t in m.tags}
    assert used == set(TAGS), "every tag in the vocabulary is used at least once"


def test_affects_names_catalogued_series_or_families(milestones: tuple[Milestone, ...]) -> None:
    for m in milestones:
        for name in m.affects:
            family = [s for s in KNOWN_SERIES if s == name or s.startswith(f"{name}.")]
            assert family, f"{m.id}: {name} is neither a catalogued series nor a family of them"
        assert bool(m.affects) == m.is_break, m.id


def test_a_break_in_a_family_is_a_break_in_each_member() -> None:
    reform = next(m for m in load_milestones() if m.id == "disability-benefit-reform-in-force")
    assert reform.breaks_series("nav.uforetrygd.recipients")
    assert reform.breaks_series("nav.uforetrygd.share")
    assert reform.breaks_series("keyfig.uforetrygd_share")
    assert not reform.breaks_series("nav.uforetrygdx")
    assert not reform.breaks_series("nav.helt_ledige")


def test_the_statistics_breaks_are_the_sourced_ones(milestones: tuple[Milestone, ...]) -> None:
    breaks = {m.id: m.affects for m in milestones if m.is_break}
    assert breaks == {
        "aap-introduced": ("nav.aap",),
        "disability-benefit-reform-in-force": (
            "nav.uforetrygd",
            "keyfig.uforetrygd_share",
            "keyfig.uforepensjon_recipients",
        ),
        "job-seeker-registration-break-2018": ("nav.helt_ledige",),
        "county-reform-2024-in-force": (
            "nav.helt_ledige",
            "nav.aap",
            "nav.uforetrygd",
            "ssb.population",
            "ssb.social_assistance",
            "ssb.sickness_absence",
        ),
        "job-seeker-register-2025": ("nav.helt_ledige",),
    }


def test_key_milestones_keep_the_reference_dates(milestones: tuple[Milestone, ...]) -> None:
    by_id = {m.id: m for m in milestones}
    expected = {
        "nav-reform-adopted": (dt.date(2005, 5, 1), "month"),
        "nav-established": (dt.date(2006, 7, 1), "day"),
        "aap-introduced": (dt.date(2010, 3, 1), "day"),
        "disability-benefit-reform-in-force": (dt.date(2015, 1, 1), "day"),
        "eea-case-disclosed": (dt.date(2019, 10, 28), "day"),
        "hurdal-platform": (dt.date(2021, 10, 13), "day"),
        "trust-reform-nav-start": (dt.date(2022, 1, 30), "day"),
        "kai-op-ed-nav-trust-reform": (dt.date(2022, 1, 1), "year"),
        "lo-innlandet-op-ed": (dt.date(2022, 9, 1), "month"),
        "county-reform-2024-in-force": (dt.date(2024, 1, 1), "day"),
        "youth-guarantee-in-force": (dt.date(2023, 7, 1), "day"),
        "job-seeker-register-2025": (dt.date(2025, 4, 1), "month"),
        "proposal-split-nav": (dt.date(2025, 10, 1), "session"),
    }
    assert {k: (by_id[k].date, by_id[k].precision) for k in expected} == expected


def test_readme_documents_every_vocabulary_value() -> None:
    readme = (datasets_dir() / "timeline" / "README.md").read_text(encoding="utf-8")
    affected = {name for m in load_milestones() for name in m.affects}
    for value in [*CATEGORIES, *TAGS, *PRECISIONS, *sorted(affected)]:
        assert f"`{value}`" in readme, value


# --- against the reference notes (skipped when ../shared is absent) ----------------------------

# Not `from conftest import shared_path`: tests/api has its own conftest, and whichever is
# imported first under that module name wins, so the import breaks in a full run.
_REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"

_URL = re.compile(r"https?://[^\s;|]+")


def _reference_rows(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="utf-8")
    section = text.split("## 3. Timeline", 1)[1].split("\n## 4.", 1)[0]
    rows = [line for line in section.splitlines() if re.match(r"^\| \d{4}", line)]
    return [[cell.strip() for cell in row.strip("|").split(" | ")] for row in rows]


def _expected_date(cell: str) -> tuple[dt.date, str]:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell):
        return dt.date.fromisoformat(cell), "day"
    month = re.match(r"(\d{4})-(\d{2}) \(month", cell)
    if month:
        return dt.date(int(month[1]), int(month[2]), 1), "month"
    if "session" in cell:
        return dt.date(int(cell[:4]), 10, 1), "session"
    return dt.date(int(cell[:4]), 1, 1), "year"


def test_each_reference_row_has_its_milestone_with_its_sources(
    milestones: tuple[Milestone, ...],
) -> None:
    path = _REFERENCE / "nav-data-and-timeline.md"
    if not path.exists():
        pytest.skip(f"reference notes not available: {path}")
    rows = _reference_rows(path)
    assert len(rows) == EXPECTED_COUNT
    unmatched = list(milestones)
    for row in rows:
        when, precision = _expected_date(row[0])
        urls = {url.rstrip(".,") for url in _URL.findall(row[-1])}
        match = next(
            (
                m
                for m in unmatched
                if (m.date, m.precision) == (when, precision)
                and urls <= {s.url for s in m.sources}
                and m.category == row[3].split(" /")[0]
            ),
            None,
        )
        assert match is not None, f"no milestone for reference row {row[:3]}"
        unmatched.remove(match)
    assert unmatched == []
