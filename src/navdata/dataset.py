"""The result type every source returns: a tidy polars frame plus the metadata beside it.

The frame has one column per dimension (named by the dimension id, holding category codes),
optional ``<dimension>_label`` columns, ``value`` (Float64, null when not published) and
``status`` (the publisher's symbol, nullable). The metadata says what the numbers are and where
they came from, so that a data user can always cite them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Final, Literal

import msgspec
import polars as pl

__all__ = [
    "CC_BY_4",
    "CC_BY_4_URL",
    "NOT_DIMENSIONS",
    "Break",
    "Dataset",
    "Dimension",
    "Metadata",
    "Precision",
    "Provenance",
    "Unit",
]

CC_BY_4 = "CC BY 4.0"
CC_BY_4_URL = "https://creativecommons.org/licenses/by/4.0/"

#: Columns of a tidy frame that hold an observation rather than name a category.
NOT_DIMENSIONS: Final = frozenset({"period", "date", "value", "status"})

#: How exactly a date is known: to the day, or only to its month, quarter or year.
Precision = Literal["day", "month", "quarter", "year"]


class Unit(msgspec.Struct, frozen=True, omit_defaults=True):
    """Unit of a metric category, as JSON-stat ``category.unit`` describes it."""

    label: str | None = None
    symbol: str | None = None
    position: str | None = None
    decimals: int | None = None
    base: str | None = None
    # Power of ten the published numbers are scaled by (3 = thousands), as JSON-stat allows.
    multiplier: int | None = None
    # Any other unit keys the publisher sent (``type``, ``adjustment`` ...), kept for the writer.
    extension: dict[str, Any] = msgspec.field(default_factory=dict)


class Dimension(msgspec.Struct, frozen=True, omit_defaults=True):
    """One dimension: its categories in published order, their labels, units and hierarchy."""

    id: str
    label: str
    codes: list[str]
    labels: dict[str, str] = msgspec.field(default_factory=dict)
    role: str | None = None
    units: dict[str, Unit] = msgspec.field(default_factory=dict)
    children: dict[str, list[str]] = msgspec.field(default_factory=dict)
    notes: list[str] = msgspec.field(default_factory=list)
    category_notes: dict[str, list[str]] = msgspec.field(default_factory=dict)
    extension: dict[str, Any] = msgspec.field(default_factory=dict)
    # JSON-stat ``link`` of the dimension (SSB puts KLASS classification URNs in ``describedby``).
    link: dict[str, Any] = msgspec.field(default_factory=dict)

    def label_of(self, code: str) -> str:
        """Label of a category code, falling back to the code when none was published."""
        return self.labels.get(code, code)


class Break(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """A known statistical break: from ``date`` (known to ``precision``) the numbers change meaning.

    The one type for every break navdata knows. The catalogue gives each in Norwegian (``nb``)
    and English (``en``) and may name the timeline ``milestone`` behind it; a source's own table
    notes (NAV) give the English text and the ``source`` it was read in.
    """

    date: date
    en: str
    nb: str | None = None
    precision: Precision = "day"
    milestone: str | None = None
    source: str | None = None

    def in_lang(self, lang: str) -> str:
        """The note in ``lang`` (``nb``/``no`` or ``en``); English when there is no ``nb`` text."""
        return self.en if lang == "en" or self.nb is None else self.nb


class Provenance(msgspec.Struct, frozen=True, omit_defaults=True):
    """Where a dataset came from and when: enough to cite it and to fetch it again."""

    publisher: str | None = None
    url: str | None = None
    table: str | None = None
    query: dict[str, Any] | None = None
    retrieved: datetime | None = None
    licence: str | None = None
    licence_url: str | None = None
    content_hash: str | None = None


class Metadata(msgspec.Struct, frozen=True, omit_defaults=True):
    """Everything about a dataset except its numbers."""

    dimensions: list[Dimension]
    label: str | None = None
    source: str | None = None
    updated: str | None = None
    roles: dict[str, list[str]] = msgspec.field(default_factory=dict)
    notes: list[str] = msgspec.field(default_factory=list)
    extension: dict[str, Any] = msgspec.field(default_factory=dict)
    provenance: Provenance | None = None
    # JSON-stat ``href`` (where the publisher serves this dataset) and ``link`` (related resources).
    href: str | None = None
    link: dict[str, Any] = msgspec.field(default_factory=dict)

    @property
    def dimension_ids(self) -> list[str]:
        """Dimension ids in the published order."""
        return [d.id for d in self.dimensions]

    def dimension_columns(self, columns: Sequence[str]) -> list[str]:
        """The published dimensions among a frame's ``columns``, in published order.

        Per-value columns such as a key figure's ``source_url`` are not dimensions, so they are
        neither filters nor groups. Metadata that lists no dimensions (a frame stored without
        them) falls back to every column but the observation's own and the labels.
        """
        if not self.dimensions:
            return [c for c in columns if c not in NOT_DIMENSIONS and not c.endswith("_label")]
        return [d for d in self.dimension_ids if d in columns and d not in NOT_DIMENSIONS]

    def dimension(self, dimension_id: str) -> Dimension:
        """Return one dimension by id, or raise ``KeyError`` naming the known ids."""
        for dim in self.dimensions:
            if dim.id == dimension_id:
                return dim
        known = ", ".join(self.dimension_ids)
        msg = f"no dimension {dimension_id!r}; this dataset has: {known}"
        raise KeyError(msg)


class Dataset:
    """A tidy frame and its metadata."""

    __slots__ = ("frame", "meta")

    def __init__(self, frame: pl.DataFrame, meta: Metadata) -> None:
        self.frame = frame
        self.meta = meta

    def __repr__(self) -> str:
        label = self.meta.label or "untitled"
        return (
            f"<navdata.Dataset {label!r}: {self.frame.height} rows, dims {self.meta.dimension_ids}>"
        )

    def with_provenance(self, provenance: Provenance) -> Dataset:
        """Return the same data with provenance attached."""
        return Dataset(self.frame, msgspec.structs.replace(self.meta, provenance=provenance))
