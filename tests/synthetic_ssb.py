"""A SYNTHETIC SSB table 13760 for the fake SSB: the shape of the real one, made-up numbers.

``ssb.aku.unemployment_rate`` selects Kjonn=0, Alder=15-74, Justering=S and
ContentsCode=ArbledProsArbstyrk from table 13760 for every month; this table holds exactly
those codes, so the catalogue's recipe runs unchanged against it. ``values`` maps a month to
its (made-up) rate; a test changes it between two syncs to play a revision by SSB.
"""

from __future__ import annotations

from fakes.ssb_tables import Cell, FakeTable, FakeVar

MONTHS = ["2026M01", "2026M02", "2026M03"]


def synthetic_13760(values: dict[str, float], *, updated: str) -> FakeTable:
    """Table 13760 with one cell per month in ``values`` (SYNTHETIC numbers)."""
    months = list(values)

    def value(pos: tuple[int, ...]) -> Cell:
        return values[months[pos[-1]]], None

    variables = [
        FakeVar("Kjonn", "kjønn", ["0"], {"0": "Begge kjønn"}),
        FakeVar("Alder", "alder", ["15-74"], {"15-74": "15-74 år"}),
        FakeVar("Justering", "justering", ["S"], {"S": "Sesongjustert"}),
        FakeVar(
            "ContentsCode",
            "statistikkvariabel",
            ["ArbledProsArbstyrk"],
            {"ArbledProsArbstyrk": "Arbeidsledige i prosent av arbeidsstyrken"},
        ),
        FakeVar("Tid", "måned", months, {m: m for m in months}, time=True),
    ]
    return FakeTable("13760", "SYNTHETIC 13760", variables, value, updated)
