"""Curated national key figures bundled with the package (``datasets/key_figures/``).

They give the library and the API real, sourced numbers offline. Each value keeps its own source
(publisher, URL, the quoted text and flags), because the figures come from several publications.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import msgspec
import polars as pl

from navdata._resources import datasets_dir
from navdata.dataset import CC_BY_4, CC_BY_4_URL, Dataset, Dimension, Metadata, Provenance
from navdata.errors import DatasetValidationError, UnknownSeriesError
from navdata.periods import with_dates

_VALUE_SCHEMA = {
    "series_id": pl.Utf8,
    "period": pl.Utf8,
    "value": pl.Float64,
    "unit": pl.Utf8,
    "publisher": pl.Utf8,
    "source_url": pl.Utf8,
    "quote": pl.Utf8,
    "flags": pl.Utf8,
}


class KeyFigureSeries(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Description of one bundled key-figure series."""

    id: str
    title_nb: str
    title_en: str
    unit: str
    frequency: str
    publisher: str
    notes_nb: list[str] = msgspec.field(default_factory=list)
    notes_en: list[str] = msgspec.field(default_factory=list)

    def title(self, lang: str = "nb") -> str:
        """Title in Norwegian (``nb``) or English (``en``)."""
        return self.title_en if lang == "en" else self.title_nb


class _SeriesFile(msgspec.Struct, frozen=True):
    series: list[KeyFigureSeries]


def key_figure_files() -> tuple[Path, Path]:
    """The bundled files every key figure is read from: its description and its values.

    Public so that a reader can tell one edition of the bundled data from the next (the
    service hashes them into its ETags).
    """
    folder = datasets_dir() / "key_figures"
    return folder / "series.toml", folder / "values.csv"


@cache
def key_figure_series() -> dict[str, KeyFigureSeries]:
    """All bundled key-figure series by id, validated once per process."""
    path = key_figure_files()[0]
    try:
        parsed = msgspec.toml.decode(path.read_bytes(), type=_SeriesFile)
    except msgspec.ValidationError as exc:
        raise DatasetValidationError(f"{path}: {exc}") from exc
    by_id = {s.id: s for s in parsed.series}
    if len(by_id) != len(parsed.series):
        raise DatasetValidationError(f"{path}: duplicate series ids")
    return by_id


@cache
def _all_values() -> pl.DataFrame:
    path = key_figure_files()[1]
    frame = pl.read_csv(path, schema=_VALUE_SCHEMA, encoding="utf8")
    unknown = set(frame["series_id"].unique().to_list()) - set(key_figure_series())
    if unknown:
        raise DatasetValidationError(f"{path}: values for undescribed series {sorted(unknown)}")
    missing_source = frame.filter(
        pl.col("source_url").is_null() | ~pl.col("source_url").str.starts_with("http")
    )
    if missing_source.height:
        rows = missing_source.select("series_id", "period").rows()
        raise DatasetValidationError(f"{path}: values without a source URL: {rows}")
    return frame


def key_figure(series_id: str) -> Dataset:
    """One bundled key-figure series as a tidy :class:`~navdata.Dataset`.

    The frame has ``period``, ``date``, ``value``, ``status`` and, per value, ``publisher``,
    ``source_url`` and ``flags`` (see ``datasets/key_figures/README.md``).
    """
    series = key_figure_series().get(series_id)
    if series is None:
        known = ", ".join(sorted(key_figure_series()))
        raise UnknownSeriesError(f"no bundled key figure {series_id!r}; known: {known}")
    values = (
        _all_values()
        .filter(pl.col("series_id") == series_id)
        .select(
            "period",
            "value",
            pl.lit(None, dtype=pl.Utf8).alias("status"),
            "publisher",
            "source_url",
            "flags",
        )
    )
    frame = with_dates(values, period="period", date="date").sort("date")
    frame = frame.select("period", "date", "value", "status", "publisher", "source_url", "flags")
    periods = frame["period"].to_list()
    meta = Metadata(
        dimensions=[Dimension(id="period", label="period", codes=periods, role="time")],
        label=series.title_nb,
        source=series.publisher,
        roles={"time": ["period"]},
        notes=list(series.notes_nb),
        extension={"unit": series.unit, "frequency": series.frequency, "title_en": series.title_en},
        provenance=Provenance(
            publisher=series.publisher,
            url=f"navdata bundled dataset datasets/key_figures ({series_id})",
            table=series_id,
            licence=CC_BY_4,
            licence_url=CC_BY_4_URL,
        ),
    )
    return Dataset(frame, meta)
