"""Reading the bundled catalogue files: the fetched series and the bundled (offline) ones."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import msgspec

from navdata._resources import datasets_dir
from navdata.dataset import CC_BY_4, CC_BY_4_URL
from navdata.errors import DatasetValidationError
from navdata.once import load_once
from navdata.series_catalog._rules import broken_rule, check_series, derived_dimension_map, validate
from navdata.series_catalog._schema import (
    FREQUENCIES,
    BundledRecipe,
    Catalog,
    Geography,
    Series,
    SeriesUnit,
    Text,
    Topic,
)

__all__ = [
    "all_series",
    "bundled_path",
    "catalog_path",
    "find",
    "load_bundled",
    "load_catalog",
    "parse_bundled",
    "parse_catalog",
]


def catalog_path() -> Path:
    """Path of the bundled catalogue file."""
    return datasets_dir() / "catalog" / "series.toml"


def _locate_error(raw: Any, err: msgspec.ValidationError) -> str:
    """Name the series a schema error is in, from the ``$.series[N]`` path msgspec reports."""
    match = re.search(r"\$\.series\[(\d+)\]", str(err))
    if match and isinstance(raw, dict):
        entries = raw.get("series")
        index = int(match.group(1))
        if isinstance(entries, list) and index < len(entries) and isinstance(entries[index], dict):
            return f"catalogue series {entries[index].get('id', f'#{index}')!r}"
    return "the catalogue"


def parse_catalog(data: bytes, *, origin: str = "<catalogue>") -> Catalog:
    """Decode and validate catalogue TOML; errors name the file, the series and the rule."""
    try:
        raw = msgspec.toml.decode(data)
    except msgspec.DecodeError as err:
        msg = f"{origin} is not valid TOML: {err}"
        raise DatasetValidationError(msg) from err
    try:
        cat = msgspec.convert(raw, Catalog)
    except msgspec.ValidationError as err:
        msg = f"{_locate_error(raw, err)} in {origin} breaks rule 'schema': {err}"
        raise DatasetValidationError(msg) from err
    validate(cat)
    series = [
        msgspec.structs.replace(s, dimension_map=derived_dimension_map(s.recipe))
        for s in cat.series
    ]
    return msgspec.structs.replace(cat, series=series)


@load_once
def load_catalog() -> Catalog:
    """The bundled catalogue, read and validated once per process."""
    path = catalog_path()
    return parse_catalog(path.read_bytes(), origin=str(path))


# --- bundled series -------------------------------------------------------------------------------

#: Key-figure units (``datasets/key_figures/series.toml``) in both languages.
_KEY_FIGURE_UNITS: dict[str, SeriesUnit] = {
    "percent": SeriesUnit(nb="prosent", en="per cent"),
    "persons": SeriesUnit(nb="personer", en="persons"),
}


class _BundledEntry(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What ``bundled.toml`` adds to a key figure: where it sits in the catalogue."""

    id: str
    topic: Topic
    geography: list[Geography]
    description: Text
    source_url: str


class _BundledFile(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    schema_version: int
    series: list[_BundledEntry]


def bundled_path() -> Path:
    """Path of the catalogue file of bundled series."""
    return datasets_dir() / "catalog" / "bundled.toml"


def _bundled_series(entry: _BundledEntry) -> Series:
    # Imported here: key_figures reads its own files, which only bundled series need.
    from navdata.key_figures import cited_urls, key_figure_series  # noqa: PLC0415

    figure = key_figure_series().get(entry.id)
    if figure is None:
        raise broken_rule(entry.id, "bundled-known", "no such series in datasets/key_figures")
    unit = _KEY_FIGURE_UNITS.get(figure.unit)
    if unit is None:
        known = ", ".join(sorted(_KEY_FIGURE_UNITS))
        raise broken_rule(entry.id, "bundled-unit", f"unit {figure.unit!r} is not one of {known}")
    if len(figure.notes_nb) != len(figure.notes_en):
        raise broken_rule(entry.id, "both-languages", "notes_nb and notes_en differ in length")
    if figure.frequency not in FREQUENCIES:
        raise broken_rule(entry.id, "schema", f"frequency {figure.frequency!r} is not known")
    if entry.source_url not in cited_urls(entry.id):
        raise broken_rule(
            entry.id, "bundled-source-url", "source_url must be one the values themselves cite"
        )
    return Series(
        id=entry.id,
        topic=entry.topic,
        frequency=figure.frequency,  # type: ignore[arg-type]  # checked just above
        geography=entry.geography,
        title=Text(nb=figure.title_nb, en=figure.title_en),
        description=entry.description,
        unit=unit,
        publisher=figure.publisher,
        licence=CC_BY_4,
        licence_url=CC_BY_4_URL,
        source_url=entry.source_url,
        recipe=BundledRecipe(table=entry.id),
        notes=[Text(nb=nb, en=en) for nb, en in zip(figure.notes_nb, figure.notes_en, strict=True)],
    )


def parse_bundled(data: bytes, *, origin: str = "<bundled catalogue>") -> list[Series]:
    """Decode ``bundled.toml``, join each entry with its key figure and check every rule."""
    from navdata.key_figures import key_figure_series  # noqa: PLC0415

    try:
        parsed = msgspec.toml.decode(data, type=_BundledFile)
    except (msgspec.DecodeError, msgspec.ValidationError) as err:
        msg = f"{origin} breaks rule 'schema': {err}"
        raise DatasetValidationError(msg) from err
    if parsed.schema_version != 1:
        msg = f"{origin}: schema_version {parsed.schema_version} is not supported (expected 1)"
        raise DatasetValidationError(msg)
    series = [_bundled_series(entry) for entry in parsed.series]
    ids = [s.id for s in series]
    if len(set(ids)) != len(ids):
        raise DatasetValidationError(f"{origin}: a bundled series is listed twice")
    missing = sorted(set(key_figure_series()) - set(ids))
    if missing:
        msg = f"{origin} breaks rule 'bundled-complete': key figures without an entry: {missing}"
        raise DatasetValidationError(msg)
    for s in series:
        check_series(s)
    return series


@load_once
def load_bundled() -> tuple[Series, ...]:
    """The bundled (offline) series, read and validated once per process."""
    path = bundled_path()
    return tuple(parse_bundled(path.read_bytes(), origin=str(path)))


def find(series_id: str) -> Series | None:
    """The catalogued series with this id, fetched or bundled; ``None`` when there is none."""
    return _by_id().get(series_id)


@load_once
def _by_id() -> dict[str, Series]:
    """Every series by id, a fetched one before a bundled one: the API looks one up per request."""
    found = {s.id: s for s in load_bundled()}
    found.update((s.id, s) for s in load_catalog().series)
    return found


def all_series() -> list[Series]:
    """Every series: the fetched ones (catalogue order), then the bundled ones."""
    return [*load_catalog().series, *load_bundled()]
