"""The NAV tables navdata knows: page, file kind, layout, definition and breaks, by table code.

The catalogue refers to NAV tables by these codes. Every statement carries the public source it
was read in (``../shared/reference/nav-data-and-timeline.md`` §1 and §4).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from navdata.dataset import Break
from navdata.errors import InvalidArgumentError, UnknownTableError
from navdata.sources.nav.csv import parse_csv
from navdata.sources.nav.frame import Measure, Observations, Sourced, TableInfo
from navdata.sources.nav.workbooks import AAP155, HL060, PST302, WorkbookLayout, parse_workbook

__all__ = ["TABLES", "NavTable", "nav_table"]

STATISTICS = "/no/nav-og-samfunn/statistikk"
ARBEID = f"{STATISTICS}/arbeidssokere-og-stillinger-statistikk"
AAP_UFORE = f"{STATISTICS}/aap-nedsatt-arbeidsevne-og-uforetrygd-statistikk"
NAV_STATS_PRACTICE = (
    "https://www.nav.no/no/nav-og-samfunn/kunnskap/data-og-forskning-pa-nav/"
    "praksis-rutiner-og-retningslinjer-rundt-offisiell-og-offentlig-statistikk-fra-nav"
)
JOB_SEEKER_CONCEPTS = (
    "nav.no statistikk, om-statistikken-arbeidssokere/4.begreper-kjennemerker-og-grupperinger"
)

BREAK_2018_11 = Break(
    date=date(2018, 11, 1),
    precision="month",
    en=(
        "New registration solution: job seekers enter the register faster; NAV estimated about "
        "2,500 more helt ledige in November 2018 because of the break (2018 also: AAP recipients "
        "may be registered as unemployed for 6 months instead of 3)"
    ),
    source="SSB 2019-01-25; https://www.ssb.no/statbank/table/08931",
)
BREAK_2024_01 = Break(
    date=date(2024, 1, 1),
    precision="month",
    en=(
        "County reform: 15 fylker with new codes (31 Østfold, 32 Akershus, 33 Buskerud, 39 "
        "Vestfold, 40 Telemark, 55 Troms, 56 Finnmark); NAV's files show every month in the "
        "current structure, so earlier months are restated"
    ),
    source=(
        "https://www.regjeringen.no/no/tema/kommuner-og-regioner/kommunestruktur/"
        "fylkesinndelingen-fra-2024/id2922222/; HL060 workbook note"
    ),
)
BREAK_2025_04 = Break(
    date=date(2025, 4, 1),
    precision="month",
    en=(
        "New job-seeker register (arbeidssøkerregister): people state themselves whether they "
        "want to be registered; April 2025 is not comparable with earlier months and NAV "
        "published no seasonally adjusted figures for it"
    ),
    source=(
        "https://www.finansavisen.no/makro/2025/05/02/8261333/nav-ledighet-pa-2-prosent ; "
        "https://www.dagsavisen.no/nyheter/innenriks/2025/05/02/"
        "arbeidsledigheten-var-pa-2-prosent-i-april/"
    ),
)
BREAK_AAP_2019_10 = Break(
    date=date(2019, 10, 1),
    precision="month",
    en=(
        "AAP tables follow the recipient's fylke of residence (previously the NAV office's), "
        "restated back to March 2010"
    ),
    source="nav.no AAP statistics (new recipients table note), per the navdata reference notes",
)
BREAK_UFORE_2015_01 = Break(
    date=date(2015, 1, 1),
    precision="month",
    en=(
        "Uførepensjon converted to uføretrygd on 1 January 2015 (higher gross level, taxed as "
        "wage); break in the population base in December 2014"
    ),
    source="nav.no om-statistikken-uforetrygd, per the navdata reference notes",
)

SUPPRESSION_7_1 = Sourced(
    "* = fewer than 4 persons, suppressed (Statistikkloven § 7-1); kept as status '*', value null",
    "HL060 workbook methodology sheet",
)
SUPPRESSION_2_6 = Sourced(
    "* = fewer than 4 persons, suppressed (Statistikkloven § 2-6); kept as status '*', value null",
    "AAP155 workbook methodology sheet; nav.no om-statistikken-arbeidssokere",
)
LICENCE = Sourced("Licence CC BY 4.0, NAV as publisher", NAV_STATS_PRACTICE)

HELT_LEDIGE_DEFINITION = Sourced(
    "Helt ledige: registered job seekers who have had no work in the last two weeks, seek "
    "paid work and are available; fully laid-off (helt permitterte) are included. Stock at the "
    "end of the month; the share is a percentage of the labour force (arbeidsstyrken)",
    JOB_SEEKER_CONCEPTS,
)
COUNT = Measure("count", "Antall personer", "persons", 0)
SHARE_LABOUR_FORCE = Measure("share", "Prosent av arbeidsstyrken", "percent", 1)


@dataclass(frozen=True)
class NavTable:
    """A NAV table: where its page is, what file to take from it, and how to read it."""

    code: str
    page_path: str
    info: TableInfo
    layout: WorkbookLayout | None = None

    @property
    def kind(self) -> Literal["xlsx", "csv"]:
        """A table with a workbook layout is an xlsx; the one without is the one-month CSV."""
        return "xlsx" if self.layout is not None else "csv"

    def parse(self, content: bytes, file_name: str, period: tuple[int, int] | None) -> Observations:
        """Parse the table's file; the CSV needs the ``(year, month)`` from its link."""
        if self.layout is not None:
            return parse_workbook(content, file_name, self.layout)
        if period is None:
            msg = f"NAV table {self.code}: the CSV carries no month; pass (year, month)"
            raise InvalidArgumentError(msg)
        return parse_csv(content, file_name, *period)


TABLES: dict[str, NavTable] = {
    table.code: table
    for table in (
        NavTable(
            code="HL060",
            page_path=f"{ARBEID}/helt-ledige",
            layout=HL060,
            info=TableInfo(
                code="HL060",
                label="Helt ledige. Fylke og kommune. Tidsserie måned",
                frequency="month",
                measures=[COUNT, SHARE_LABOUR_FORCE],
                definition=HELT_LEDIGE_DEFINITION,
                breaks=[BREAK_2018_11, BREAK_2024_01, BREAK_2025_04],
                notes=[SUPPRESSION_7_1, LICENCE],
            ),
        ),
        NavTable(
            code="AAP155",
            page_path=f"{AAP_UFORE}/arbeidsavklaringspenger",
            layout=AAP155,
            info=TableInfo(
                code="AAP155",
                label="Mottakere av arbeidsavklaringspenger (AAP). Kommune. Måned",
                frequency="month",
                measures=[COUNT, Measure("share", "Andel av befolkningen 18-66 år", "percent", 1)],
                definition=Sourced(
                    "AAP recipients: everyone paid arbeidsavklaringspenger during the month (paid "
                    "in the month, not an end-of-month stock); shares of the population 18-66",
                    "nav.no om-statistikken-mottakere-av-arbeidsavklaringspenger",
                ),
                breaks=[BREAK_AAP_2019_10, BREAK_2024_01],
                notes=[SUPPRESSION_2_6, LICENCE],
            ),
        ),
        NavTable(
            code="PST302",
            page_path=f"{AAP_UFORE}/uforetrygd/uforetrygd-manedsstatistikk",
            layout=PST302,
            info=TableInfo(
                code="PST302",
                label="Mottakere av uføretrygd. Kommune og bydel. Måned",
                frequency="month",
                measures=[COUNT, Measure("share", "Andel av befolkningen 18-66 år", "percent")],
                definition=Sourced(
                    "Uføretrygd recipients aged 18-66: a stock at a date (the end of the month); "
                    "shares of the population 18-66 (some notes say 18-67)",
                    "nav.no om-statistikken-uforetrygd",
                ),
                breaks=[BREAK_UFORE_2015_01, BREAK_2024_01],
                notes=[
                    Sourced(
                        "Oslo's kommune row (0301) is suppressed every month in the file; its "
                        "bydeler and the fylke total (03) carry the numbers",
                        "PST302 workbook (third-party golden-file tests)",
                    ),
                    LICENCE,
                ],
            ),
        ),
        NavTable(
            code="HL-CSV",
            page_path=f"{ARBEID}/hovedtall-om-arbeidsmarkedet",
            info=TableInfo(
                code="HL-CSV",
                label="Helt ledige etter fylke og kommune (CSV, én måned)",
                frequency="month",
                measures=[COUNT, SHARE_LABOUR_FORCE],
                definition=HELT_LEDIGE_DEFINITION,
                breaks=[BREAK_2018_11, BREAK_2024_01, BREAK_2025_04],
                notes=[LICENCE],
            ),
        ),
    )
}


def nav_table(code: str) -> NavTable:
    """The registered table for ``code`` (case-insensitive), or UnknownTableError."""
    table = TABLES.get(code.upper())
    if table is None:
        known = ", ".join(TABLES)
        msg = f"NAV table {code!r} is not known to navdata; known tables: {known}"
        raise UnknownTableError(msg)
    return table
