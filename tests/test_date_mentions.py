"""mentions_day: the check that a cited passage (or address) shows the day a milestone claims."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from navdata._date_mentions import mentions_day

NB_MONTHS = (
    *("januar", "februar", "mars", "april", "mai", "juni", "juli", "august"),
    *("september", "oktober", "november", "desember"),
)
EN_MONTHS = tuple(dt.date(2000, m, 1).strftime("%B") for m in range(1, 13))

# Years whose two-digit form cannot stand for another year in the range.
days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2089, 12, 31))


def _renderings(day: dt.date) -> list[str]:
    d, m, y = day.day, day.month, day.year
    return [
        f"Utvalget leverte sin utredning {d}. {NB_MONTHS[m - 1]} {y}.",
        f"Dato: {d:02d}.{m:02d}.{y}",
        f"innført {d}.{m}.{y}, og",
        f"Publisert {d}. {EN_MONTHS[m - 1]} {y}, kl. 18.49",
        f"Publisert {m}/{d}/{y} (Oppdatert: …)",
        f"Dok-ID: NL/lov/{day.isoformat()}-20",
        f"trådte i kraft {d}. {NB_MONTHS[m - 1]}. … bevilget til dette i {y}.",
    ]


@given(days, st.integers(min_value=0, max_value=6))
def test_every_way_the_sources_write_a_day_is_recognised(day: dt.date, form: int) -> None:
    assert mentions_day(day, _renderings(day)[form])


@given(days, days, st.integers(min_value=0, max_value=6))
def test_another_day_is_never_recognised(day: dt.date, other: dt.date, form: int) -> None:
    if other != day:
        assert not mentions_day(other, _renderings(day)[form])


@given(days)
def test_a_dated_address_shows_the_day(day: dt.date) -> None:
    url = f"https://www.dagsavisen.no/debatt/{day.year}/{day.month:02d}/{day.day:02d}/tittel/"
    assert mentions_day(day, "Ingen dato i teksten.", url)
    assert not mentions_day(day, "Ingen dato i teksten.", url.replace(f"/{day.day:02d}/", "/"))


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("13. okt. 2021 16:46", dt.date(2021, 10, 13)),  # Aftenposten's abbreviated month
        ("trådte resten av loven ikr. 1 jan 2015.", dt.date(2015, 1, 1)),  # Lovdata's note
        ("Dato: 25.02.2026 | Arbeids- og inkluderingsdepartementet", dt.date(2026, 2, 25)),
        ("Innsettelse av ny NAV sjef … 03.08.20", dt.date(2020, 8, 3)),
    ],
)
def test_the_forms_met_in_the_real_sources(text: str, day: dt.date) -> None:
    assert mentions_day(day, text)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Tirsdag 12. april foretok Bjurstrøm den offisielle åpningen", dt.date(2011, 4, 12)),
        ("Leserinnlegg sendt til avisene september 2022.", dt.date(2022, 9, 1)),
        ("Ordningen trådte i kraft 11. juli 2023.", dt.date(2023, 7, 1)),
        ("Dato: 12.10.2006", dt.date(2006, 10, 2)),
    ],
)
def test_a_day_without_its_year_or_a_near_miss_is_not_enough(text: str, day: dt.date) -> None:
    assert not mentions_day(day, text)
