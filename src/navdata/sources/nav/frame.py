"""Collect parsed NAV cells and turn them into a tidy :class:`~navdata.dataset.Dataset`.

Every NAV parser (workbook layouts, CSV) feeds one :class:`Observations`; it refuses a second
value for the same region, measure and month, so a file that repeats a region can never add up
to a wrong number. :func:`build_dataset` then writes the frame and the metadata (what the table
counts, its breaks, where the file came from) in one place for every NAV table.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime

import msgspec
import polars as pl

from navdata.dataset import (
    CC_BY_4,
    CC_BY_4_URL,
    Break,
    Dataset,
    Dimension,
    Metadata,
    Provenance,
    Unit,
)
from navdata.errors import LayoutError
from navdata.periods import period_of
from navdata.sources.nav.cells import RegionLevel

__all__ = ["Measure", "Observations", "SourceFile", "Sourced", "TableInfo", "build_dataset"]

PUBLISHER = "Arbeids- og velferdsdirektoratet (NAV)"
SOURCE = "NAV"

FRAME_SCHEMA: dict[str, pl.DataType] = {
    "region": pl.Utf8(),
    "region_level": pl.Utf8(),
    "measure": pl.Utf8(),
    "period": pl.Utf8(),
    "date": pl.Date(),
    "value": pl.Float64(),
    "status": pl.Utf8(),
}


class Sourced(msgspec.Struct, frozen=True):
    """A statement with the public source it was read in."""

    text: str
    source: str


class Measure(msgspec.Struct, frozen=True):
    """One measure a table publishes (a count, a share) and its unit."""

    id: str
    label: str
    unit: str
    decimals: int | None = None


class TableInfo(msgspec.Struct, frozen=True):
    """What a NAV table is: enough to label, cite and caveat its numbers."""

    code: str
    label: str
    frequency: str
    measures: list[Measure]
    definition: Sourced
    breaks: list[Break] = msgspec.field(default_factory=list)
    notes: list[Sourced] = msgspec.field(default_factory=list)


class SourceFile(msgspec.Struct, frozen=True):
    """The published file a dataset was parsed from."""

    file_name: str
    content: bytes
    url: str | None = None
    page_url: str | None = None
    retrieved: datetime | None = None

    @property
    def content_hash(self) -> str:
        """``sha256:<hex>`` of the bytes, recorded so a later run can tell a changed file."""
        return "sha256:" + hashlib.sha256(self.content).hexdigest()


class Observations:
    """Tidy rows collected cell by cell, with region names and levels on the side."""

    def __init__(self) -> None:
        self._rows: dict[tuple[str, str, str], tuple[str, date, float | None, str | None]] = {}
        self._where: dict[tuple[str, str, str], str] = {}
        self.labels: dict[str, str] = {}
        self.levels: dict[str, RegionLevel] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def add(  # noqa: PLR0917 - one call site per parser, all arguments named there
        self,
        region: str,
        level: RegionLevel,
        name: str,
        measure: str,
        year: int,
        month: int,
        value: float | None,
        status: str | None,
        where: str,
    ) -> None:
        """Record one cell; ``where`` says where it was read, for the duplicate error."""
        period = f"{year}M{month:02d}"
        key = (region, measure, period)
        if key in self._rows:
            msg = (
                f"{where}: region {region!r} ({name}) has a second {measure} value for {period} "
                f"(first at {self._where[key]}); the layout is not the one navdata knows, "
                "so nothing was guessed. Report the file to the navdata maintainers."
            )
            raise LayoutError(msg)
        known_level = self.levels.setdefault(region, level)
        if known_level != level:
            msg = f"{where}: region {region!r} is {level} here but {known_level} elsewhere"
            raise LayoutError(msg)
        self.labels.setdefault(region, name)
        self._rows[key] = (period, date(year, month, 1), value, status)
        self._where[key] = where

    def frame(self) -> pl.DataFrame:
        """The rows as a tidy frame in the order they were read."""
        keys = list(self._rows)
        rows = list(self._rows.values())
        return pl.DataFrame(
            {
                "region": [k[0] for k in keys],
                "region_level": [self.levels[k[0]] for k in keys],
                "measure": [k[1] for k in keys],
                "period": [r[0] for r in rows],
                "date": [r[1] for r in rows],
                "value": [r[2] for r in rows],
                "status": [r[3] for r in rows],
            },
            schema=FRAME_SCHEMA,
        )


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def build_dataset(observations: Observations, info: TableInfo, source: SourceFile) -> Dataset:
    """The tidy frame plus metadata: dimensions, definition, breaks and provenance."""
    frame = observations.frame()
    regions = _unique(frame["region"].to_list())
    measures_seen = set(frame["measure"].to_list())
    measures = [m for m in info.measures if m.id in measures_seen]
    periods = sorted(set(frame["period"].to_list()))
    dimensions = [
        Dimension(
            id="region",
            label="region",
            codes=regions,
            labels={code: observations.labels[code] for code in regions},
            role="geo",
            extension={"levels": {code: observations.levels[code] for code in regions}},
        ),
        Dimension(
            id="measure",
            label="statistikkvariabel",
            codes=[m.id for m in measures],
            labels={m.id: m.label for m in measures},
            role="metric",
            units={m.id: Unit(label=m.unit, decimals=m.decimals) for m in measures},
        ),
        Dimension(id="period", label="måned", codes=periods, role="time"),
    ]
    notes = [f"{info.definition.text} (kilde: {info.definition.source})"]
    notes += [f"{note.text} (kilde: {note.source})" for note in info.notes]
    # a break is cited by the table's period it starts in (2018M11), as the stored notes always were
    starts = [period_of(b.date, info.frequency).code for b in info.breaks]
    notes += [
        f"Brudd {start}: {b.en} (kilde: {b.source})"
        for start, b in zip(starts, info.breaks, strict=True)
    ]
    provenance = Provenance(
        publisher=PUBLISHER,
        url=source.url,
        table=info.code,
        query={"file_name": source.file_name, "page_url": source.page_url},
        retrieved=source.retrieved,
        licence=CC_BY_4,
        licence_url=CC_BY_4_URL,
        content_hash=source.content_hash,
    )
    nav_extension = {
        "table": info.code,
        "file_name": source.file_name,
        "page_url": source.page_url,
        "frequency": info.frequency,
        "definition": msgspec.to_builtins(info.definition),
        "breaks": [
            {"period": start, "text": b.en, "source": b.source}
            for start, b in zip(starts, info.breaks, strict=True)
        ],
    }
    meta = Metadata(
        dimensions=dimensions,
        label=info.label,
        source=SOURCE,
        roles={"geo": ["region"], "metric": ["measure"], "time": ["period"]},
        notes=notes,
        extension={"nav": nav_extension},
        provenance=provenance,
    )
    return Dataset(frame, meta)
