"""The bundled timeline dataset: its rules, and that what it says stands in its sources."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest

import navdata
from navdata._date_mentions import mentions_day
from navdata._resources import datasets_dir
from navdata.milestones import CATEGORIES, PRECISIONS, TAGS, Milestone, load_milestones
from navdata.series_catalog import all_series

# Every series navdata knows: fetched (SSB, NAV) and bundled (key figures).
KNOWN_SERIES = frozenset(navdata.catalog()["id"].to_list())

# Section 3 of nav-data-and-timeline.md has 45 rows. Checked against their sources (issue 15),
# three could not be read anywhere and were left out (a Dagens Perspektiv op-ed by the NAV
# director, a Klassekampen debate piece, a Tankesmien Agenda note) and five were added, each on
# a primary source: Stortinget's vote on uføretrygd (2011), the sickness-absence basis change
# (Q4 2018), the AKU questionnaire break (2021), the self-certified absence method (Q1 2024) and
# the 2026 expert group on NAV.
EXPECTED_COUNT = 47
LEFT_OUT = (
    "holte-three-nuts-for-nav",
    "op-ed-trust-reform-democracy",
    "think-tank-trust-reform-status-2024",
)

# Hosts the review found weak: document dumps, aggregator and AMP copies, an edition page that
# does not name the claim, a paywalled op-ed, sites over plain http. None may be cited.
WEAK_SOURCES = (
    "fayllar.org",
    "9pdf.net",
    "docplayer.me",
    "blogg.smn.no",
    "offentligservice.no",
    "altaposten.no",
    "abcnyheter.no/amp/",
    "klassekampen.no/utgave/",
    "dn.no/pa-innsiden/",
)


@pytest.fixture(scope="module")
def milestones() -> tuple[Milestone, ...]:
    return load_milestones()


def test_every_checked_milestone_is_there(milestones: tuple[Milestone, ...]) -> None:
    assert len(milestones) == EXPECTED_COUNT
    assert {m.id for m in milestones}.isdisjoint(LEFT_OUT)


def test_ids_are_unique(milestones: tuple[Milestone, ...]) -> None:
    counts = Counter(m.id for m in milestones)
    assert [i for i, n in counts.items() if n > 1] == []


def test_dates_are_valid_and_ascending(milestones: tuple[Milestone, ...]) -> None:
    dates = [m.date for m in milestones]
    assert all(isinstance(d, dt.date) for d in dates)
    assert dates == sorted(dates)
    assert dates[0] == dt.date(2005, 1, 1)
    assert dates[-1] == dt.date(2026, 2, 25)


def test_precision_is_known_and_matches_the_stored_day(milestones: tuple[Milestone, ...]) -> None:
    for m in milestones:
        assert m.precision in PRECISIONS, m.id
        if m.precision in {"month", "quarter"}:
            assert m.date.day == 1, m.id
        if m.precision == "quarter":
            assert m.date.month in {1, 4, 7, 10}, m.id
        if m.precision == "year":
            assert (m.date.month, m.date.day) == (1, 1), m.id
    assert Counter(m.precision for m in milestones) == {
        "day": 27,
        "month": 7,
        "quarter": 2,
        "year": 10,
        "session": 1,
    }


def test_every_day_is_shown_by_a_source(milestones: tuple[Milestone, ...]) -> None:
    for m in milestones:
        if m.precision == "day":
            assert any(mentions_day(m.date, s.quote, s.url) for s in m.sources), m.id


def test_every_imprecise_date_says_why(milestones: tuple[Milestone, ...]) -> None:
    for m in milestones:
        if m.precision in {"year", "session"}:
            assert m.date_note, m.id


def test_every_source_is_https_quoted_and_not_a_weak_copy(
    milestones: tuple[Milestone, ...],
) -> None:
    for m in milestones:
        for s in m.sources:
            assert s.url.startswith("https://"), (m.id, s.url)
            assert s.publisher.strip(), (m.id, s.url)
            assert s.title.strip(), (m.id, s.url)
            assert s.quote.strip(), (m.id, s.url)
            assert not any(weak in s.url for weak in WEAK_SOURCES), (m.id, s.url)


_QUOTED = re.compile(r"«([^»]+)»")


def test_quotes_in_titles_and_summaries_are_verbatim(milestones: tuple[Milestone, ...]) -> None:
    """Text in «» is quoted: it must stand word for word in a source's passage (or, in a title,
    in a source's title)."""
    for m in milestones:
        passages = " ".join(s.quote for s in m.sources)
        titles = " ".join(s.title for s in m.sources).casefold()
        for text in (m.summary_nb, m.summary_en):
            for quoted in _QUOTED.findall(text):
                assert quoted in passages, (m.id, quoted)
        for text in (m.title_nb, m.title_en):
            for quoted in _QUOTED.findall(text):
                assert quoted in passages or quoted.casefold() in titles, (m.id, quoted)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", _QUOTED.sub(" ", text).casefold())


def test_summaries_are_our_own_words(milestones: tuple[Milestone, ...]) -> None:
    """Outside «», no summary repeats eight words in a row from its sources' passages."""
    run = 8
    for m in milestones:
        source_words = _words(" ".join(s.quote for s in m.sources))
        copied = {tuple(source_words[i : i + run]) for i in range(len(source_words) - run + 1)}
        for text in (m.summary_nb, m.summary_en):
            words = _words(text)
            shingles = {tuple(words[i : i + run]) for i in range(len(words) - run + 1)}
            assert not shingles & copied, (m.id, sorted(shingles & copied)[:1])


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
    assert {m.category for m in milestones} == set(CATEGORIES)
    # A disclosure is not policy (issue 15): the EEA case was made public, not decided.
    assert next(m for m in milestones if m.id == "eea-case-disclosed").category == "disclosure"


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
    assert not reform.breaks_series("nav.uforetrygdx")
    assert not reform.breaks_series("nav.helt_ledige")
    aku = next(m for m in load_milestones() if m.id == "aku-questionnaire-2021")
    assert aku.breaks_series("ssb.aku.unemployment_rate")
    assert aku.breaks_series("keyfig.aku_unemployment_rate_annual")


def test_the_uforetrygd_share_is_one_series_across_the_2015_reform() -> None:
    """Resolved contradiction (issue 15): NAV's table gives 2010-2019 as one series of
    uføretrygd recipients, and the reform converted every uførepensjon to uføretrygd, so the
    count carries on; the key-figure series is not listed as broken by the reform."""
    reform = next(m for m in load_milestones() if m.id == "disability-benefit-reform-in-force")
    assert not reform.breaks_series("keyfig.uforetrygd_share")
    assert not reform.breaks_series("keyfig.uforepensjon_recipients")
    assert any("omregnes til uføretrygd" in s.quote for s in reform.sources)


def test_the_statistics_breaks_are_the_sourced_ones(milestones: tuple[Milestone, ...]) -> None:
    breaks = {m.id: m.affects for m in milestones if m.is_break}
    assert breaks == {
        "aap-introduced": ("nav.aap",),
        "disability-benefit-reform-in-force": ("nav.uforetrygd",),
        "job-seeker-registration-break-2018": ("nav.helt_ledige",),
        "aku-questionnaire-2021": ("ssb.aku", "keyfig.aku_unemployment_rate_annual"),
        "county-reform-2024-in-force": (
            "nav.helt_ledige",
            "nav.aap",
            "nav.uforetrygd",
            "ssb.population",
            "ssb.social_assistance",
            "ssb.sickness_absence",
        ),
        "sickness-absence-self-certified-method-2024": ("ssb.sickness_absence",),
        "job-seeker-register-2025": ("nav.helt_ledige",),
    }


def test_key_milestones_keep_the_reference_dates(milestones: tuple[Milestone, ...]) -> None:
    by_id = {m.id: m for m in milestones}
    expected = {
        "nav-reform-adopted": (dt.date(2005, 1, 1), "year"),
        "nav-established": (dt.date(2006, 7, 1), "day"),
        "first-nav-offices-open": (dt.date(2006, 10, 2), "day"),
        "aap-introduced": (dt.date(2010, 3, 1), "day"),
        "disability-reform-bill": (dt.date(2011, 1, 1), "year"),
        "disability-benefit-act-adopted": (dt.date(2011, 12, 12), "day"),
        "disability-benefit-reform-in-force": (dt.date(2015, 1, 1), "day"),
        "sickness-absence-basis-2018": (dt.date(2018, 10, 1), "quarter"),
        "eea-case-disclosed": (dt.date(2019, 10, 28), "day"),
        "holte-nav-director": (dt.date(2020, 8, 3), "day"),
        "aku-questionnaire-2021": (dt.date(2021, 1, 1), "month"),
        "hurdal-platform": (dt.date(2021, 10, 13), "day"),
        "trust-reform-nav-start": (dt.date(2022, 1, 1), "month"),
        "kai-op-ed-nav-trust-reform": (dt.date(2022, 1, 1), "year"),
        "lo-innlandet-op-ed": (dt.date(2022, 9, 1), "month"),
        "county-reform-2024-in-force": (dt.date(2024, 1, 1), "day"),
        "sickness-absence-self-certified-method-2024": (dt.date(2024, 1, 1), "quarter"),
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


# --- what the op-eds argue (issue 15) ----------------------------------------------------------


def test_the_op_ed_summaries_carry_their_arguments() -> None:
    kai = next(m for m in load_milestones() if m.id == "kai-op-ed-nav-trust-reform")
    hurdal = (
        "«tilliten, tiden og makten tilbake til de som utgjør førstelinja og ryggraden i "
        "velferdsstaten»"
    )
    assert hurdal in kai.summary_nb
    assert hurdal in kai.summary_en
    assert "kunnskapsgrunnlag" in kai.summary_nb
    assert "knowledge base" in kai.summary_en
    lo = next(m for m in load_milestones() if m.id == "lo-innlandet-op-ed")
    assert "«balansert målstyring»" in lo.summary_nb
    assert "what can be measured" in lo.summary_en
    assert "professional judgement" in lo.summary_en
    assert "individually adapted" in lo.summary_en


def test_catalogue_breaks_agree_with_their_milestones() -> None:
    """A catalogued break that names a milestone is that milestone: same date, and the milestone
    says it breaks the series (so the catalogue and the event-window warnings cannot disagree)."""
    by_id = {m.id: m for m in load_milestones()}
    checked = 0
    for series in all_series():
        for brk in series.breaks:
            if brk.milestone is None:
                continue
            record = by_id[brk.milestone]
            assert record.date == brk.date, (series.id, brk.milestone)
            assert record.breaks_series(series.id), (series.id, brk.milestone)
            checked += 1
    assert checked > 20
