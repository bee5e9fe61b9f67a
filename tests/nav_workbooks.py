"""SYNTHETIC NAV workbooks for tests, built with xlsxwriter — NOT real NAV statistics.

Each builder follows one documented layout (HL060, AAP155, PST302; reference
``../shared/reference/nav-data-and-timeline.md`` §1.4) cell for cell: the preamble of NAV's real
HL060 file (``../shared/fixtures/nav-real``: ``Kilde: NAV`` in B2, the title in C2, the subtitle
in C3, the period in B6), column A empty, labels in column B, January in column C, one block per
fylke with a row of month names, the "I alt" total, then kommune and bydel rows; ``*`` for
suppressed cells; a short year (January to August 2026). HL060's fylke sheets follow the real
file too: code in B, name in C, January in D (merged over D:E in NAV's file), February in F.
Where the reference quotes a real figure (Eigersund, Utsira, Oslo, Svalbard, Ukjent) the same
figure is used so a reader can check it against the reference; every other number is made up.
Every workbook says "SYNTETISK TESTFIL (synthetic test file)" in cell B1, which NAV leaves empty.

A workbook is built from a :data:`Spec` (sheet name -> rows of cells from column A), so the
layout-drift tests can rename a sheet, move a header or add a column before writing it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import xlsxwriter

Cell = str | int | float | None
Row = list[Cell]
Spec = dict[str, list[Row]]

SYNTHETIC = "SYNTETISK TESTFIL (synthetic test file) — not NAV statistics"
MONTH_HEADER: Row = [
    None,
    None,
    "Januar",
    "Februar",
    "Mars",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
]
S = "*"
MONTHS_NO = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august"]

# Figures quoted in the reference (§1.4); the rest below is invented.
EIGERSUND_HL060 = [197, 198, 256, 247, 211, 166, 215, 182]
UTSIRA_HL060: list[Cell] = [S, S, S, S, 4, S, 4, S]
UKJENT_HL060 = [13, 14, 15, 15, 13, 13, 15, 20]
OSLO_HL060 = [12125, 12010, 11980, 11850, 11790, 12400, 12650, 12300]
SVALBARD_HL060 = [13, 12, 11, 12, 10, 9, 11, 12]
STAVANGER_HL060 = [2101, 2087, 2050, 1990, 1975, 2120, 2230, 2150]
EIGERSUND_AAP = [436, 438, 439, 430, 431, 436, 437, 437]
OSLO_AAP = [22311, 22290, 22305, 22280, 22250, 22230, 22270, 22290]
ROGALAND_AAP = [14140, 14120, 14135, 14110, 14090, 14080, 14100, 14115]
UKJENT_AAP = [1528, 1530, 1525, 1519, 1522, 1510, 1515, 1520]


def row(label: str | None, values: Sequence[Cell]) -> Row:
    """A table row: column A empty, the label in B, values from C."""
    return [None, label, *values]


def total(values: Sequence[Sequence[Cell]]) -> list[Cell]:
    """Month-wise sum of unsuppressed numbers (synthetic totals only)."""
    return [sum(v for v in col if isinstance(v, int | float)) for col in zip(*values, strict=True)]


def preamble(title: str, subtitle: str, period: str, *, title_column: int = 2) -> list[Row]:
    """Rows 1-6 as in NAV's file: source in B2, title and subtitle from ``title_column``, period
    in B6 (B1, empty in NAV's file, says that the workbook is synthetic)."""
    pad: Row = [None] * (title_column - 2)
    return [
        row(SYNTHETIC, []),
        row("Kilde: NAV", [*pad, title]),
        row(None, [*pad, subtitle]),
        [],
        [],
        row(period, []),
    ]


FylkeRow = tuple[Cell, str, Sequence[Cell]]


def fylke_sheet(subtitle: str, period: str, rows: Sequence[FylkeRow]) -> list[Row]:
    """A fylke sheet laid out as HL060's: code in B, name in C, January in D (NAV merges D:E),
    February onwards from F; the national «I alt» row has no code."""

    def months_from_d(values: Sequence[Cell]) -> list[Cell]:
        return [values[0], None, *values[1:]]

    header = months_from_d(MONTH_HEADER[2 : 2 + len(rows[0][2])])
    return [
        *preamble(HL060_TITLE, subtitle, period, title_column=4),
        [],
        [None, None, None, *header],
        *[[None, code, name, *months_from_d(values)] for code, name, values in rows],
    ]


HL060_TITLE = "Helt ledige. Fylke og kommune. Tidsserie måned"
HL060_SHARES: dict[str, list[Cell]] = {
    "0": [2.1, 2.1, 2.0, 2.0, 1.9, 2.1, 2.2, 2.1],
    "03": [2.9, 2.9, 2.8, 2.8, 2.8, 2.9, 3.0, 2.9],
    "11": [2.1, 2.1, 2.2, 2.1, 2.0, 2.2, 2.3, 2.2],
    "99": [0.7, 0.6, 0.6, 0.6, 0.5, 0.5, 0.6, 0.6],
}


def hl060_spec(months: int = 8) -> Spec:
    """HL060 «Helt ledige. Fylke og kommune. Tidsserie måned», January to ``months`` 2026."""
    spec = _hl060_full()
    if months == len(MONTH_HEADER) - 2:
        return spec
    period = f"Januar - {MONTHS_NO[months - 1]} 2026"
    for name, rows in spec.items():
        fylke = name.startswith(("1.", "2."))
        keep = 3 + months + 1 if fylke else 2 + months  # the fylke sheets skip column E
        for r, cells in enumerate(rows):
            if len(cells) > 1 and cells[1] == "Januar - august 2026":
                cells[1] = period
            rows[r] = cells[:keep]
    return spec


def _hl060_full() -> Spec:
    rogaland = [EIGERSUND_HL060, STAVANGER_HL060, [3, 2, 1, 2, 4, 2, 4, 1]]
    national = total([OSLO_HL060, total(rogaland), SVALBARD_HL060, UKJENT_HL060])
    count = [
        *preamble(HL060_TITLE, "Kommune¹. Antall²", "Januar - august 2026"),
        row("Oslo - Oslove", []),
        MONTH_HEADER,
        row("I alt Oslo - Oslove", OSLO_HL060),
        row("0301 Oslo - Oslove", OSLO_HL060),
        row("Rogaland", []),  # the Antall sheet has no blank row between blocks
        MONTH_HEADER,
        row("I alt Rogaland", total(rogaland)),
        row("1101 Eigersund", EIGERSUND_HL060),
        row("1103 Stavanger", STAVANGER_HL060),
        row("1151 Utsira", UTSIRA_HL060),
        row("Svalbard og øvrige områder", []),
        MONTH_HEADER,
        row("I alt Svalbard og øvrige områder", SVALBARD_HL060),
        row("2100 Svalbard", SVALBARD_HL060),
        row("Ukjent", []),
        MONTH_HEADER,
        row("I alt Ukjent", UKJENT_HL060),
        row("Ukjent", UKJENT_HL060),
        [],
        row("Kilde: NAV. * Færre enn 4 personer (Statistikkloven § 7-1).", []),
    ]
    share = [
        *preamble(HL060_TITLE, "Kommune¹. Prosent av arbeidsstyrken²", "Januar - august 2026"),
        row("Oslo - Oslove", []),
        MONTH_HEADER,
        row("I alt Oslo - Oslove", HL060_SHARES["03"]),
        row("0301 Oslo - Oslove", HL060_SHARES["03"]),
        [],  # the Prosent sheet has a blank row between blocks
        row("Rogaland", []),
        MONTH_HEADER,
        row("I alt Rogaland", HL060_SHARES["11"]),
        row("1101 Eigersund", [2.5, 2.5, 3.2, 3.1, 2.7, 2.1, 2.7, 2.3]),
        row("1103 Stavanger", [2.0, 2.0, 1.9, 1.9, 1.9, 2.0, 2.1, 2.0]),
        row("1151 Utsira", [S, S, S, S, 3.1, S, 3.1, S]),
        [],
        row("Svalbard og øvrige områder", []),
        MONTH_HEADER,
        row("I alt Svalbard og øvrige områder", HL060_SHARES["99"]),
        row("2100 Svalbard", HL060_SHARES["99"]),
        [],
        row("Ukjent", []),
        MONTH_HEADER,
        row("I alt Ukjent", [S] * 8),
        row("Ukjent", [S] * 8),
    ]
    fylke_count: list[FylkeRow] = [
        (None, "I alt", national),
        (3, "Oslo - Oslove", OSLO_HL060),
        (11, "Rogaland", total(rogaland)),
        (99, "Svalbard og øvrige områder", SVALBARD_HL060),
        ("Ukjent", "Ukjent", UKJENT_HL060),
    ]
    fylke_share: list[FylkeRow] = [
        (None, "I alt", HL060_SHARES["0"]),
        (3, "Oslo - Oslove", HL060_SHARES["03"]),
        (11, "Rogaland", HL060_SHARES["11"]),
        (99, "Svalbard og øvrige områder", HL060_SHARES["99"]),
        ("Ukjent", "Ukjent", [S] * 8),
    ]
    period = "Januar - august 2026"
    return {
        "0. Om tabellene": [row(f"{SYNTHETIC}. Om tabellene", [])],
        "1. Fylke Antall": fylke_sheet("Fylke. Antall²", period, fylke_count),
        "2. Fylke Prosent av arbeidsstyr": fylke_sheet(
            "Fylke. Prosent av arbeidsstyrken²", period, fylke_share
        ),
        "3. Kommune Antall": count,
        "4. Kommune Prosent av arbeidsst": share,
    }


AAP155_TITLE = "Mottakere av arbeidsavklaringspenger (AAP). Kommune. Måned"
PST302_TITLE = "Mottakere av uføretrygd. Kommune og bydel. Måned"


def aap155_spec() -> Spec:
    """AAP155 «Mottakere av arbeidsavklaringspenger. Kommune», January-August 2026."""
    count = [
        *preamble(AAP155_TITLE, "Kommune. Antall", "Periode: 2026 01 - 2026 08"),
        MONTH_HEADER,
        row("I alt 03 Oslo - Oslove", OSLO_AAP),
        row("0301 Oslo - Oslove", OSLO_AAP),
        [],
        [],
        MONTH_HEADER,
        row("I alt 11 Rogaland", ROGALAND_AAP),
        row("1101 Eigersund", EIGERSUND_AAP),
        row("1103 Stavanger", [3847, 3850, 3861, 3840, 3832, 3829, 3844, 3851]),
        row("1151 Utsira", [S] * 8),
        [],
        MONTH_HEADER,
        row("I alt Ukjent", UKJENT_AAP),
        row("Ukjent", UKJENT_AAP),
    ]
    share = [
        *preamble(AAP155_TITLE, "Kommune. Andel", "Periode: 2026 01 - 2026 08"),
        MONTH_HEADER,
        row("I alt 03 Oslo - Oslove", [4.0, 4.0, 4.0, 4.0, 4.0, 3.9, 4.0, 4.0]),
        row("0301 Oslo - Oslove", [4.0, 4.0, 4.0, 4.0, 4.0, 3.9, 4.0, 4.0]),
        [],
        MONTH_HEADER,
        row("I alt 11 Rogaland", [4.1, 4.1, 4.1, 4.1, 4.1, 4.1, 4.1, 4.1]),
        row("1101 Eigersund", [4.6, 4.6, 4.6, 4.5, 4.5, 4.6, 4.6, 4.6]),
        row("1103 Stavanger", [4.2, 4.2, 4.2, 4.2, 4.2, 4.2, 4.2, 4.2]),
        row("1151 Utsira", [S] * 8),
    ]
    return {"1. Kommune. Antall": count, "2. Kommune. Andel": share}


OSLO_BYDEL_COUNT = {
    "030101 Gamle Oslo": [2410, 2415, 2420, 2418, 2422, 2425, 2430, 2433],
    "030102 Grünerløkka": [1980, 1979, 1983, 1985, 1990, 1992, 1994, 1999],
}
OSLO_BYDEL_SHARE = {
    "030101 Gamle Oslo": [6.306333321699, 6.31, 6.32, 6.3, 6.31, 6.33, 6.34, 6.35],
    "030102 Grünerløkka": [4.1, 4.1, 4.11, 4.12, 4.13, 4.13, 4.14, 4.15],
}


def pst302_spec() -> Spec:
    """PST302 «Mottakere av uføretrygd. Kommune og bydel», January-August 2026."""

    def sheet(
        kind: str, oslo: Mapping[str, Sequence[Cell]], numbers: Mapping[str, Sequence[Cell]]
    ) -> list[Row]:
        return [
            *preamble(PST302_TITLE, f"Kommune-bydel. {kind}", "2026 : "),
            row("03 Oslo - Oslove", []),
            [],
            MONTH_HEADER,
            row("03 Oslo - Oslove i alt  ", numbers["03"]),
            *[row(label, values) for label, values in oslo.items()],
            row("0301 Oslo - Oslove", [S] * 8),  # after its bydeler, suppressed every month
            [],
            row("11 Rogaland", []),
            [],
            MONTH_HEADER,
            row("11 Rogaland i alt  ", numbers["11"]),
            row("1101 Eigersund", numbers["1101"]),
            row("1103 Stavanger i alt  ", numbers["1103"]),  # before its bydeler, with "i alt"
            row("110301 Hundvåg", numbers["110301"]),
            row("110302 Tasta", numbers["110302"]),
        ]

    count = {
        "03": [32100, 32150, 32190, 32230, 32260, 32300, 32340, 32390],
        "11": [25010, 25040, 25080, 25100, 25150, 25170, 25200, 25240],
        "1101": [1012, 1013, 1015, 1016, 1016, 1018, 1019, 1021],
        "1103": [8120, 8130, 8142, 8150, 8161, 8170, 8181, 8190],
        "110301": [1320, 1322, 1321, 1325, 1327, 1330, 1331, 1334],
        "110302": [1101, 1102, 1104, 1105, 1103, 1106, 1108, 1110],
    }
    share = {
        "03": [6.9, 6.9, 6.91, 6.92, 6.93, 6.94, 6.95, 6.96],
        "11": [7.4, 7.41, 7.42, 7.42, 7.43, 7.44, 7.45, 7.46],
        "1101": [10.2, 10.21, 10.22, 10.23, 10.24, 10.25, 10.26, 10.27],
        "1103": [6.5, 6.51, 6.52, 6.53, 6.54, 6.55, 6.56, 6.57],
        "110301": [7.8, 7.81, 7.82, 7.83, 7.84, 7.85, 7.86, 7.87],
        "110302": [6.1, 6.11, 6.12, 6.13, 6.14, 6.15, 6.16, 6.17],
    }
    return {
        " Om statistikken": [row(f"{SYNTHETIC}. Om statistikken", [])],
        "Fylke. Antall": [row(f"{SYNTHETIC}. Fylke (not parsed)", [])],
        "Fylke. Andel": [row(f"{SYNTHETIC}. Fylke (not parsed)", [])],
        "Kommune-bydel. Antall": sheet("Antall", OSLO_BYDEL_COUNT, count),
        "Kommune-bydel. Andel": sheet("Andel", OSLO_BYDEL_SHARE, share),
    }


def to_xlsx(spec: Spec) -> bytes:
    """Write a spec as an xlsx workbook: numbers as numbers, text as text, None left empty."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for name, rows in spec.items():
        sheet = workbook.add_worksheet(name)
        for r, cells in enumerate(rows):
            for c, cell in enumerate(cells):
                if isinstance(cell, str):
                    sheet.write_string(r, c, cell)
                elif cell is not None:
                    sheet.write_number(r, c, cell)
    workbook.close()
    return buffer.getvalue()


def find_row(spec: Spec, sheet: str, label: str) -> int:
    """0-based index of the first row in ``sheet`` whose column B is ``label``."""
    for r, cells in enumerate(spec[sheet]):
        if len(cells) > 1 and cells[1] == label:
            return r
    raise KeyError(label)
