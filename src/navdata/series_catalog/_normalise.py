"""Sources' dimension codes and navdata's shared names for them, and renaming a fetched dataset.

Sources name their dimensions in their own words (SSB: ``Kjonn``, ``Alder``, ``Region``, ``Tid``).
:data:`DIMENSION_NAMES` is the one mapping to navdata's shared names; :func:`normalise` applies
it to a fetched dataset and keeps the original codes in the metadata.
"""

from __future__ import annotations

from typing import Any

import msgspec
import polars as pl

from navdata.dataset import Dataset, Dimension, Unit
from navdata.errors import DatasetValidationError
from navdata.series_catalog._schema import Series

__all__ = ["DIMENSION_NAMES", "has_shared_name", "normalise", "normalised_name"]

#: Source dimension code -> navdata's shared dimension name. Looked up case-insensitively, because
#: SSB treats variable codes case-insensitively. A dimension not listed keeps its own name.
DIMENSION_NAMES: dict[str, str] = {
    "Kjonn": "sex",
    "Alder": "age",
    "Region": "region",
    "KOKkommuneregion0000": "region",
    "Tid": "period",
    "ContentsCode": "measure",
    "NACE2007": "industry",
    "Justering": "adjustment",
    "Sykefraver2": "absence_type",
}
_NAMES_BY_FOLDED = {code.casefold(): name for code, name in DIMENSION_NAMES.items()}


def normalised_name(code: str) -> str:
    """The shared name of a source dimension code (``Kjonn`` -> ``sex``); others unchanged."""
    return _NAMES_BY_FOLDED.get(code.casefold(), code)


def has_shared_name(code: str) -> bool:
    """Whether :data:`DIMENSION_NAMES` maps the source dimension ``code`` (case-insensitively)."""
    return code.casefold() in _NAMES_BY_FOLDED


def _rename_plan(columns: list[str], dimension_ids: list[str]) -> tuple[dict[str, str], list[str]]:
    """Source column -> navdata column for dimension and ``_label`` columns, plus columns to drop.

    A source column whose navdata name is already a column (a source that emitted both ``Tid``
    and ``period``) is dropped rather than renamed onto it.
    """
    plan: dict[str, str] = {}
    drop: list[str] = []
    for dim in dimension_ids:
        new = normalised_name(dim)
        if new == dim:
            continue
        for old_col, new_col in ((dim, new), (f"{dim}_label", f"{new}_label")):
            if old_col not in columns:
                continue
            if new_col in columns:
                drop.append(old_col)
            else:
                plan[old_col] = new_col
    return plan, drop


def _select_measure(frame: pl.DataFrame, code: str, series_id: str) -> pl.DataFrame:
    if "measure" not in frame.columns:
        return frame
    present = frame.get_column("measure").cast(pl.String).unique().to_list()
    if code not in present:
        msg = (
            f"series {series_id!r} expects measure {code!r}, but the fetched data holds "
            f"{sorted(str(p) for p in present)}; the source table may have changed"
        )
        raise DatasetValidationError(msg)
    kept = frame.filter(pl.col("measure").cast(pl.String) == code)
    return kept.drop([c for c in ("measure", "measure_label") if c in frame.columns])


def _renamed_dimension(dim: Dimension) -> Dimension:
    new = normalised_name(dim.id)
    if new == dim.id:
        return dim
    return msgspec.structs.replace(dim, id=new, extension={**dim.extension, "source_id": dim.id})


def _measure_info(code: str, dimensions: list[Dimension]) -> dict[str, Any]:
    info: dict[str, Any] = {"code": code}
    measure_dim = next((d for d in dimensions if d.id == "measure"), None)
    if measure_dim is not None:
        info["label"] = measure_dim.label_of(code)
        unit: Unit | None = measure_dim.units.get(code)
        if unit is not None:
            info["unit"] = msgspec.to_builtins(unit)
    return info


def normalise(dataset: Dataset, series: Series) -> Dataset:
    """Give a fetched dataset navdata's dimension names and the series' single measure.

    - Dimension columns (and ``<dim>_label`` columns) are renamed by :data:`DIMENSION_NAMES`;
      the metadata's dimensions and roles follow, each renamed dimension keeps its source code in
      ``Dimension.extension["source_id"]`` and the whole mapping is in
      ``Metadata.extension["dimension_map"]`` (navdata name -> source code).
    - When the recipe names one measure (an SSB ``ContentsCode`` or a NAV ``count``/``share``),
      only its rows are kept and the ``measure`` column is dropped: the series *is* that measure.
      Its code, label and unit go to ``Metadata.extension["measure"]``. A recipe without a measure
      keeps the ``measure`` column.
    - The label becomes the series title (nb); the series id is ``Metadata.extension["series"]``.
    """
    meta = dataset.meta
    plan, drop = _rename_plan(dataset.frame.columns, meta.dimension_ids)
    frame = dataset.frame.drop(drop).rename(plan)
    dimensions = [_renamed_dimension(d) for d in meta.dimensions]
    roles = {role: [normalised_name(d) for d in ids] for role, ids in meta.roles.items()}
    extension: dict[str, Any] = {
        **meta.extension,
        "series": series.id,
        "dimension_map": {normalised_name(d): d for d in meta.dimension_ids},
    }
    measure = series.recipe.measure
    if measure is not None:
        frame = _select_measure(frame, measure, series.id)
        extension["measure"] = _measure_info(measure, dimensions)
        dimensions = [d for d in dimensions if d.id != "measure"]
        roles = {r: [d for d in ids if d != "measure"] for r, ids in roles.items()}
    new_meta = msgspec.structs.replace(
        meta,
        dimensions=dimensions,
        roles={r: ids for r, ids in roles.items() if ids},
        label=series.title.nb,
        extension=extension,
    )
    return Dataset(frame, new_meta)
