"""A :class:`navdata.dataset.Dataset` -> JSON-stat 2.0 dataset bytes.

Each row's cell position is computed from its dimension codes with polars (codes -> category
positions -> ``sum(position * stride)``), so rows may come in any order and missing rows are
simply missing cells. The value member is dense when at least half the cells hold a value and
sparse (only those cells) otherwise; statuses are an object keyed by position.

Per-value text that JSON-stat has no member for (a key figure's source quote, unit and flags) is
written when the metadata names its columns in ``extension["observation_columns"]``: it goes to
``extension["observations"]``, an object keyed by cell position like ``status``.
"""

from __future__ import annotations

import math
from typing import Any

import msgspec
import polars as pl

from navdata.dataset import Dataset, Dimension, Metadata, Unit
from navdata.errors import JsonStatError

__all__ = ["write_dataset"]


def write_dataset(dataset: Dataset) -> bytes:
    """Encode a Dataset as a JSON-stat 2.0 dataset."""
    meta, frame = dataset.meta, dataset.frame
    _check_columns(meta, frame)
    sizes = [len(dim.codes) for dim in meta.dimensions]
    n_cells = math.prod(sizes)
    extra = _observation_columns(meta, frame)
    cells = _cells(meta, frame, sizes, extra)
    doc: dict[str, Any] = {"version": "2.0", "class": "dataset"}
    for key in ("label", "source", "updated", "href"):
        if getattr(meta, key) is not None:
            doc[key] = getattr(meta, key)
    if meta.notes:
        doc["note"] = meta.notes
    if meta.link:
        doc["link"] = meta.link
    if meta.extension:
        doc["extension"] = meta.extension
    if extra:
        doc["extension"] = {**meta.extension, "observations": _observations(cells, extra)}
    doc["id"] = meta.dimension_ids
    doc["size"] = sizes
    roles = _roles(meta)
    if roles:
        doc["role"] = roles
    doc["dimension"] = {dim.id: _dimension(dim) for dim in meta.dimensions}
    doc["value"] = _values(cells, n_cells)
    statuses = cells.filter(pl.col("status").is_not_null())
    if statuses.height:
        keys = statuses.get_column("cell").cast(pl.String).to_list()
        doc["status"] = dict(zip(keys, statuses.get_column("status").to_list(), strict=True))
    return msgspec.json.encode(doc)


def _fail(what: str) -> JsonStatError:
    return JsonStatError(f"cannot write JSON-stat: {what}")


def _check_columns(meta: Metadata, frame: pl.DataFrame) -> None:
    needed = [*meta.dimension_ids, "value"]
    missing = [name for name in needed if name not in frame.columns]
    if missing:
        raise _fail(f"the frame lacks columns {missing} (it has {frame.columns})")
    for dim in meta.dimensions:
        if len(set(dim.codes)) != len(dim.codes):
            raise _fail(f"dimension {dim.id!r} lists a category code more than once")
    if not frame.schema["value"].is_numeric():
        raise _fail(f"column 'value' must be numeric, found {frame.schema['value']}")


def _observation_columns(meta: Metadata, frame: pl.DataFrame) -> list[str]:
    """The per-value columns the metadata asks to keep (``extension["observation_columns"]``).

    Only those the frame has: a frame read back from JSON-stat has none of them, and its
    extension already holds the ``observations`` written before, which are kept as they are.
    """
    named = meta.extension.get("observation_columns")
    if not isinstance(named, list):
        return []
    return [c for c in named if isinstance(c, str) and c in frame.columns]


def _observations(cells: pl.DataFrame, columns: list[str]) -> dict[str, dict[str, str]]:
    """``{cell: {column: text}}`` for the cells that have any of ``columns`` (nulls left out)."""
    out: dict[str, dict[str, str]] = {}
    for row in cells.select("cell", *columns).iter_rows(named=True):
        texts = {c: row[c] for c in columns if row[c] is not None}
        if texts:
            out[str(row["cell"])] = texts
    return out


def _cells(
    meta: Metadata, frame: pl.DataFrame, sizes: list[int], extra: list[str] | None = None
) -> pl.DataFrame:
    """Frame -> (cell, value, value_text, status, *extra) sorted by cell, with every check done."""
    strides = [math.prod(sizes[k + 1 :]) for k in range(len(sizes))]
    position_exprs = [
        pl.col(dim.id)
        .cast(pl.String)
        .replace_strict(dim.codes, list(range(len(dim.codes))), default=None, return_dtype=pl.Int64)
        .alias(dim.id)
        for dim in meta.dimensions
    ]
    positions = frame.select(position_exprs)
    for dim in meta.dimensions:
        unknown = frame.filter(positions.get_column(dim.id).is_null()).get_column(dim.id)
        if unknown.len():
            shown = unknown.cast(pl.String).unique(maintain_order=True).head(5).to_list()
            raise _fail(f"column {dim.id!r} holds codes not in its dimension's codes: {shown}")
    cell = (
        pl.sum_horizontal(
            [pl.col(d.id) * stride for d, stride in zip(meta.dimensions, strides, strict=True)]
        )
        if meta.dimensions
        else pl.repeat(0, frame.height, dtype=pl.Int64)
    )
    text = pl.col("value_text") if "value_text" in frame.columns else pl.lit(None, pl.String)
    status = pl.col("status") if "status" in frame.columns else pl.lit(None, pl.String)
    table = pl.concat(
        [
            positions.select(cell.cast(pl.Int64).alias("cell")),
            frame.select(
                pl.col("value").cast(pl.Float64),
                text.cast(pl.String).alias("value_text"),
                status.cast(pl.String).alias("status"),
                *(pl.col(c).cast(pl.String).alias(c) for c in extra or []),
            ),
        ],
        how="horizontal",
    )
    if table.get_column("cell").n_unique() != table.height:
        raise _fail("two rows have the same dimension codes; each cell may appear once")
    value = table.get_column("value")
    if (value.is_nan() | value.is_infinite()).any():
        raise _fail("'value' holds NaN or infinity, which JSON cannot carry; use null")
    both = value.is_not_null() & table.get_column("value_text").is_not_null()
    if both.any():
        raise _fail("a cell has both a number in 'value' and a string in 'value_text'")
    return table.sort("cell")


def _values(cells: pl.DataFrame, n_cells: int) -> list[Any] | dict[str, Any]:
    filled = cells.filter(pl.col("value").is_not_null() | pl.col("value_text").is_not_null())
    texts = filled.filter(pl.col("value_text").is_not_null())
    if 2 * filled.height >= n_cells:
        full = pl.repeat(None, n_cells, dtype=pl.Float64, eager=True)
        full.scatter(filled.get_column("cell"), filled.get_column("value"))
        dense: list[Any] = full.to_list()
        for cell, text in texts.select("cell", "value_text").iter_rows():
            dense[cell] = text
        return dense
    keys = filled.get_column("cell").cast(pl.String).to_list()
    sparse: dict[str, Any] = dict(zip(keys, filled.get_column("value").to_list(), strict=True))
    for cell, text in texts.select("cell", "value_text").iter_rows():
        sparse[str(cell)] = text
    return sparse


def _roles(meta: Metadata) -> dict[str, list[str]]:
    """The published roles, plus any role given only on a Dimension."""
    roles = {role: list(members) for role, members in meta.roles.items()}
    for dim in meta.dimensions:
        if dim.role is not None and dim.id not in roles.get(dim.role, []):
            roles.setdefault(dim.role, []).append(dim.id)
    return roles


def _dimension(dim: Dimension) -> dict[str, Any]:
    category: dict[str, Any] = {"index": {code: i for i, code in enumerate(dim.codes)}}
    if dim.labels:
        category["label"] = dim.labels
    if dim.units:
        category["unit"] = {code: _unit(unit) for code, unit in dim.units.items()}
    if dim.children:
        category["child"] = dim.children
    if dim.category_notes:
        category["note"] = dim.category_notes
    out: dict[str, Any] = {"label": dim.label, "category": category}
    if dim.notes:
        out["note"] = dim.notes
    if dim.extension:
        out["extension"] = dim.extension
    if dim.link:
        out["link"] = dim.link
    return out


def _unit(unit: Unit) -> dict[str, Any]:
    known = {
        key: getattr(unit, key)
        for key in ("label", "symbol", "position", "decimals", "base", "multiplier")
        if getattr(unit, key) is not None
    }
    return {**unit.extension, **known}
