"""Tables of the fake SSB (tests/fakes/ssb.py): SYNTHETIC ones and one made of a real answer.

The SYNTHETIC table 99001's values are a deterministic function of the coordinates
(:func:`synthetic_value`), so a test can compute the expected frame of any query; the real
table is cut from a recorded data response (read from ../shared, never copied), nothing
invented.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import msgspec
import polars as pl

# --- tables ---------------------------------------------------------------------------------------


@dataclass
class FakeVar:
    code: str
    label: str
    values: list[str]
    labels: dict[str, str] = field(default_factory=dict)
    elimination: bool = False
    elimination_value: str | None = None
    time: bool = False
    codelists: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # id -> group -> codes
    units: dict[str, dict[str, Any]] = field(default_factory=dict)


Cell = tuple[float | None, str | None]


@dataclass
class FakeTable:
    id: str
    label: str
    variables: list[FakeVar]
    value: Callable[[tuple[int, ...]], Cell]  # positions in each variable's full value list
    updated: str = "2026-09-23T06:00:00Z"
    # optional fast path: positions per variable -> (values, status) of their row-major product
    block: Callable[[list[list[int]]], tuple[list[float | None], dict[str, str]]] | None = None
    time_unit: str = "Monthly"


def synthetic_value(ir: int, ik: int, ic: int, it: int) -> Cell:
    """SYNTHETIC cell of table 99001: exact in float, some missing with SSB status symbols."""
    if (ir * 7 + ic * 3 + it) % 101 == 0:
        return None, ".."
    if (ir * 13 + it) % 97 == 0:
        return None, ":"
    return float(ir * 1_000_000 + ik * 100_000 + ic * 1000 + it), None


def synthetic_big_table(regions: int = 400, months: int = 360, contents: int = 20) -> FakeTable:
    """SYNTHETIC table 99001: Region x Kjonn x ContentsCode x Tid (400*3*20*360 = 8.64M cells)."""
    region_codes = [f"K{i:04d}" for i in range(regions)]
    groups: dict[str, list[str]] = {}
    for i, code in enumerate(region_codes):
        groups.setdefault(f"F-{i % 20:02d}", []).append(code)
    tid = [f"{1996 + m // 12}M{m % 12 + 1:02d}" for m in range(months)]
    cc = [f"C{i:02d}" for i in range(contents)]
    variables = [
        FakeVar(
            "Region",
            "region",
            region_codes,
            {c: f"Kommune {c}" for c in region_codes},
            elimination=True,  # no total code: eliminating Region sums the regions
            codelists={
                "agg_SynthFylker": groups,
                "vs_SynthKommuner": {c: [c] for c in region_codes},
            },
        ),
        FakeVar(
            "Kjonn",
            "kjønn",
            ["0", "1", "2"],
            {"0": "Begge kjønn", "1": "Menn", "2": "Kvinner"},
            elimination=True,
            elimination_value="0",
        ),
        FakeVar(
            "ContentsCode",
            "statistikkvariabel",
            cc,
            {c: f"Innhold {c}" for c in cc},
            units={c: {"base": "personer", "decimals": 0} for c in cc},
        ),
        FakeVar("Tid", "måned", tid, {t: t for t in tid}, time=True),
    ]

    def value(pos: tuple[int, ...]) -> Cell:
        return synthetic_value(*pos)

    return FakeTable(
        "99001",
        "99001: SYNTHETIC test table, not real statistics",
        variables,
        value,
        block=_synthetic_block,
    )


def _synthetic_block(positions: list[list[int]]) -> tuple[list[float | None], dict[str, str]]:
    """:func:`synthetic_value` over a whole sub-cube, vectorised with polars (same numbers)."""
    grid = pl.DataFrame({"ir": positions[0]})
    for name, pos in zip(("ik", "ic", "it"), positions[1:], strict=True):
        grid = grid.join(pl.DataFrame({name: pos}), how="cross", maintain_order="left_right")
    ir, ik, ic, it = pl.col("ir"), pl.col("ik"), pl.col("ic"), pl.col("it")
    missing = (ir * 7 + ic * 3 + it) % 101 == 0
    suppressed = (ir * 13 + it) % 97 == 0
    out = grid.select(
        value=pl.when(missing | suppressed)
        .then(None)
        .otherwise((ir * 1_000_000 + ik * 100_000 + ic * 1000 + it).cast(pl.Float64)),
        status=pl.when(missing).then(pl.lit("..")).when(suppressed).then(pl.lit(":")),
    ).with_row_index("flat")
    flagged = out.filter(pl.col("status").is_not_null())
    status = dict(
        zip(flagged["flat"].cast(pl.Utf8).to_list(), flagged["status"].to_list(), strict=True)
    )
    return out["value"].to_list(), status


#: SYNTHETIC values of :func:`synthetic_13760`, in row-major order: ``Arbeidsstyrken`` for
#: 2026M06-08, then ``ArbledProsArbstyrk`` for the same months. Made up, not statistics.
SYNTHETIC_13760_VALUES: Final = (1001.0, 1002.0, 1003.0, 9.1, 9.2, 9.3)


def synthetic_13760() -> FakeTable:
    """SYNTHETIC twin of the real 13760 answer in ../shared: its variables, codes and labels,
    made-up values (:data:`SYNTHETIC_13760_VALUES`).

    The catalogue's AKU series select from table 13760 by these codes, so the twin lets every
    test of the sync -> store -> get path run when ../shared is absent (a bare clone, CI).
    """
    elimination = {"Kjonn": "0", "Alder": "15-74"}
    variables = [
        FakeVar(
            code,
            label,
            [value],
            {value: text},
            elimination=code in elimination,
            elimination_value=elimination.get(code),
        )
        for code, label, value, text in (
            ("Kjonn", "kjønn", "0", "Begge kjønn"),
            ("Alder", "alder", "15-74", "15-74 år"),
            ("Justering", "type justering", "S", "Sesongjustert"),
        )
    ]
    contents = {
        "Arbeidsstyrken": "Arbeidsstyrken (1000 personer)",
        "ArbledProsArbstyrk": "Arbeidsledige i prosent av arbeidsstyrken",
    }
    months = ["2026M06", "2026M07", "2026M08"]
    variables += [
        FakeVar("ContentsCode", "statistikkvariabel", list(contents), contents),
        FakeVar("Tid", "måned", months, {m: m for m in months}, time=True),
    ]

    def value(pos: tuple[int, ...]) -> Cell:
        return SYNTHETIC_13760_VALUES[pos[3] * len(months) + pos[4]], None

    return FakeTable(
        "13760",
        "13760: Arbeidsstyrken og arbeidsledige (SYNTHETIC twin of the real table, made-up values)",
        variables,
        value,
    )


def table_from_data_response(path: Path) -> FakeTable:
    """A table made of a real data response: its dimensions and its cells, nothing invented."""
    doc = msgspec.json.decode(path.read_bytes())
    ids: list[str] = doc["id"]
    variables = []
    for dim_id in ids:
        dim = doc["dimension"][dim_id]
        index = dim["category"]["index"]
        codes = sorted(index, key=index.__getitem__) if isinstance(index, dict) else list(index)
        ext = dim.get("extension", {})
        variables.append(
            FakeVar(
                dim_id,
                dim["label"],
                codes,
                dim["category"].get("label", {}),
                elimination=bool(ext.get("elimination")),
                elimination_value=ext.get("eliminationValueCode"),
                time=dim_id in doc.get("role", {}).get("time", []),
                units=dim["category"].get("unit", {}),
            )
        )
    sizes = [len(v.values) for v in variables]
    values: list[float | None] = doc["value"]
    status = doc.get("status") or {}

    def value(pos: tuple[int, ...]) -> Cell:
        flat = 0
        for p, n in zip(pos, sizes, strict=True):
            flat = flat * n + p
        raw = values[flat]
        return (None if raw is None else float(raw)), status.get(str(flat))

    return FakeTable(
        doc["extension"]["px"]["tableid"], doc["label"], variables, value, doc["updated"]
    )
