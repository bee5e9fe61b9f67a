"""One decoded JSON-stat dataset (2.0 or 1.x) -> :class:`navdata.dataset.Dataset`.

Two halves: the metadata walk (a Python loop over dimensions and categories, never over cells)
checks every member and builds :class:`Metadata`; the frame build turns the cube into the tidy
frame with polars expressions only. A cell's dimension positions follow from its row number
(row-major order: the last dimension varies fastest), so a dimension column is
``codes.gather((row // stride) % size)``; values and statuses become polars Series straight from the
decoded lists, and sparse objects are scattered into a full-length column.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import msgspec
import polars as pl

from navdata.dataset import Dataset, Dimension, Metadata, Unit
from navdata.jsonstat._check import (
    describe_json,
    expect_array,
    expect_integer,
    expect_object,
    expect_string,
    expect_string_list,
    fail_at,
    jsonstat_error,
    optional_object,
    optional_string,
    read_notes,
)

__all__ = ["MAX_CELLS", "parse_dataset", "parse_metadata"]

# Refuse cubes larger than this before allocating anything: a hostile or broken `size` must not
# exhaust memory. SSB serves at most 800,000 cells per request; Eurostat's largest are ~10^8.
MAX_CELLS = 200_000_000

_UNIT_STRINGS = ("label", "symbol", "position", "base")
_UNIT_INTS = ("decimals", "multiplier")


def parse_dataset(doc: Mapping[str, Any], where: str, *, labels: bool) -> Dataset:
    """Check one JSON-stat dataset object and build its tidy frame and metadata."""
    meta, sizes = _metadata_and_sizes(doc, where)
    frame = _frame(doc, meta.dimensions, sizes, math.prod(sizes), where, labels=labels)
    return Dataset(frame, meta)


def parse_metadata(doc: Mapping[str, Any], where: str) -> Metadata:
    """Check and read everything but the values (SSB's metadata answers carry ``value: []``)."""
    return _metadata_and_sizes(doc, where)[0]


def _metadata_and_sizes(doc: Mapping[str, Any], where: str) -> tuple[Metadata, list[int]]:
    dims_obj = expect_object(doc.get("dimension"), f"{where}.dimension")
    ids = _ids(doc, dims_obj, where)
    sizes = _sizes(doc, dims_obj, where, len(ids))
    n_cells = math.prod(sizes)
    if n_cells > MAX_CELLS:
        too_many = f"{sizes} gives {n_cells:,} cells, more than the {MAX_CELLS:,} read"
        fail_at(f"{where}.size", too_many)
    roles = _roles(doc, dims_obj, where, ids)
    dimensions = [
        _dimension(dim_id, dims_obj, size, f"{where}.dimension", roles)
        for dim_id, size in zip(ids, sizes, strict=True)
    ]
    meta = Metadata(
        dimensions=dimensions,
        label=optional_string(doc, "label", where),
        source=optional_string(doc, "source", where),
        updated=optional_string(doc, "updated", where),
        roles=roles,
        notes=read_notes(doc.get("note"), f"{where}.note"),
        extension=optional_object(doc, "extension", where),
        href=optional_string(doc, "href", where),
        link=optional_object(doc, "link", where),
    )
    return meta, sizes


# --- structure ------------------------------------------------------------------------------------


def _ids(doc: Mapping[str, Any], dims_obj: Mapping[str, Any], where: str) -> list[str]:
    """Dimension ids: top-level ``id`` (2.0) or ``dimension.id`` (1.x)."""
    if "id" in doc:
        ids = expect_string_list(doc["id"], f"{where}.id")
    elif "id" in dims_obj:
        ids = expect_string_list(dims_obj["id"], f"{where}.dimension.id")
    else:
        fail_at(where, "no 'id' (2.0) nor 'dimension.id' (1.x): the dimension order is unknown")
    seen: set[str] = set()
    for dim_id in ids:
        if dim_id in seen:
            fail_at(f"{where}.id", f"dimension {dim_id!r} is listed twice in {ids}")
        seen.add(dim_id)
    return ids


def _sizes(
    doc: Mapping[str, Any], dims_obj: Mapping[str, Any], where: str, n_ids: int
) -> list[int]:
    """Category counts per dimension, same length as ``id``."""
    if "id" in doc:
        path, raw = f"{where}.size", doc.get("size")
    else:
        path, raw = f"{where}.dimension.size", dims_obj.get("size")
    sizes = [expect_integer(s, f"{path}[{i}]") for i, s in enumerate(expect_array(raw, path))]
    if len(sizes) != n_ids:
        fail_at(path, f"id lists {n_ids} dimensions but size has {len(sizes)} entries")
    for i, size in enumerate(sizes):
        if size < 0:
            fail_at(f"{path}[{i}]", f"a size cannot be negative, found {size}")
    return sizes


def _roles(
    doc: Mapping[str, Any], dims_obj: Mapping[str, Any], where: str, ids: list[str]
) -> dict[str, list[str]]:
    """``role`` (2.0) or ``dimension.role`` (1.x): role name -> dimension ids, all known."""
    if "role" in doc:
        path, raw = f"{where}.role", doc["role"]
    elif "id" not in doc and "role" in dims_obj:
        path, raw = f"{where}.dimension.role", dims_obj["role"]
    else:
        return {}
    if raw is None:
        return {}
    roles: dict[str, list[str]] = {}
    known = set(ids)
    for role, members in expect_object(raw, path).items():
        if members is None:
            continue
        names = expect_string_list(members, f"{path}.{role}")
        for name in names:
            if name not in known:
                fail_at(f"{path}.{role}", f"names dimension {name!r}, which is not in id {ids}")
        roles[role] = names
    return roles


def _dimension(
    dim_id: str,
    dims_obj: Mapping[str, Any],
    size: int,
    parent: str,
    roles: dict[str, list[str]],
) -> Dimension:
    where = f"{parent}.{dim_id}"
    if dim_id not in dims_obj:
        present = [k for k in dims_obj if k not in ("id", "size", "role")]
        fail_at(parent, f"dimension {dim_id!r} is listed in id but missing here (found {present})")
    obj = expect_object(dims_obj[dim_id], where)
    category = expect_object(obj.get("category"), f"{where}.category")
    cat_where = f"{where}.category"
    codes = _codes(category, size, cat_where)
    cat_labels = {
        code: expect_string(text, f"{cat_where}.label.{code}")
        for code, text in optional_object(category, "label", cat_where).items()
    }
    return Dimension(
        id=dim_id,
        label=optional_string(obj, "label", where) or dim_id,
        codes=codes,
        labels=cat_labels,
        role=next((role for role, members in roles.items() if dim_id in members), None),
        units={
            code: _unit(raw, f"{cat_where}.unit.{code}")
            for code, raw in optional_object(category, "unit", cat_where).items()
        },
        children={
            parent_code: expect_string_list(kids, f"{cat_where}.child.{parent_code}")
            for parent_code, kids in optional_object(category, "child", cat_where).items()
        },
        notes=read_notes(obj.get("note"), f"{where}.note"),
        category_notes={
            code: read_notes(text, f"{cat_where}.note.{code}")
            for code, text in optional_object(category, "note", cat_where).items()
        },
        extension=optional_object(obj, "extension", where),
        link=optional_object(obj, "link", where),
    )


def _codes(category: Mapping[str, Any], size: int, where: str) -> list[str]:
    """Category codes in POSITION order, from an index array, an index object or the labels."""
    index = category.get("index")
    if index is None:
        # Allowed by the spec for a single-category dimension; for longer ones we follow the
        # JSON-stat toolkit and take the label object's published key order.
        if category.get("label") is None:
            fail_at(where, "has neither 'index' nor 'label': its categories are unknown")
        codes = list(expect_object(category["label"], f"{where}.label"))
    elif isinstance(index, list):
        codes = expect_string_list(index, f"{where}.index")
        if len(set(codes)) != len(codes):
            dupes = sorted({c for c in codes if codes.count(c) > 1})
            fail_at(f"{where}.index", f"category codes listed more than once: {dupes}")
    else:
        codes = _codes_from_positions(expect_object(index, f"{where}.index"), f"{where}.index")
    if len(codes) != size:
        fail_at(where, f"has {len(codes)} categories but size says {size}")
    return codes


def _codes_from_positions(index: Mapping[str, Any], where: str) -> list[str]:
    """``{"code": position}`` -> codes sorted by position; positions must be 0..k-1 exactly once."""
    by_position: dict[int, str] = {}
    for code, raw in index.items():
        position = expect_integer(raw, f"{where}.{code}")
        if position in by_position:
            fail_at(
                where, f"position {position} is used by both {by_position[position]!r} and {code!r}"
            )
        by_position[position] = code
    expected = range(len(index))
    if set(by_position) != set(expected):
        missing = sorted(set(expected) - set(by_position))[:5]
        extra = sorted(set(by_position) - set(expected))[:5]
        fail_at(
            where,
            f"positions must run 0..{len(index) - 1} without gaps; "
            f"missing {missing}, out of range {extra}",
        )
    return [by_position[i] for i in expected]


def _unit(raw: Any, where: str) -> Unit:
    obj = expect_object(raw, where)
    strings = {key: optional_string(obj, key, where) for key in _UNIT_STRINGS}
    ints = {
        key: None if obj.get(key) is None else expect_integer(obj[key], f"{where}.{key}")
        for key in _UNIT_INTS
    }
    extension = {k: v for k, v in obj.items() if k not in _UNIT_STRINGS and k not in _UNIT_INTS}
    return Unit(
        label=strings["label"],
        symbol=strings["symbol"],
        position=strings["position"],
        base=strings["base"],
        decimals=ints["decimals"],
        multiplier=ints["multiplier"],
        extension=extension,
    )


# --- the frame ------------------------------------------------------------------------------------


def _frame(
    doc: Mapping[str, Any],
    dimensions: list[Dimension],
    sizes: list[int],
    n_cells: int,
    where: str,
    *,
    labels: bool,
) -> pl.DataFrame:
    if "value" not in doc:
        fail_at(where, "has no 'value': a JSON-stat dataset must carry its values")
    value, text = _values(doc["value"], n_cells, f"{where}.value")
    status = _status(doc.get("status"), n_cells, f"{where}.status")
    names = []
    for dim in dimensions:
        names.append(dim.id)
        if labels:
            names.append(f"{dim.id}_label")
    names += ["value", "status"] if text is None else ["value", "value_text", "status"]
    if len(set(names)) != len(names):
        clash = sorted({n for n in names if names.count(n) > 1})
        fail_at(f"{where}.id", f"dimension ids clash with tidy-frame column names: {clash}")

    row = pl.int_range(n_cells, dtype=pl.UInt32 if n_cells < 2**32 else pl.UInt64)
    exprs: list[pl.Expr] = []
    stride = n_cells
    for dim, size in zip(dimensions, sizes, strict=True):
        stride = stride // size if size else 0
        position = (row // stride) % size if stride else row
        exprs.append(pl.lit(pl.Series(dim.codes, dtype=pl.String)).gather(position).alias(dim.id))
        if labels:
            shown = pl.Series([dim.label_of(c) for c in dim.codes], dtype=pl.String)
            exprs.append(pl.lit(shown).gather(position).alias(f"{dim.id}_label"))
    tail = [value] if text is None else [value, text]
    tail.append(status)
    if not exprs:
        return pl.DataFrame(tail)
    return pl.select(exprs).hstack(tail)


def _values(raw: Any, n_cells: int, where: str) -> tuple[pl.Series, pl.Series | None]:
    """``value`` as a Float64 Series, plus a text Series when some cells hold strings."""
    if isinstance(raw, list):
        if len(raw) != n_cells:
            hint = ""
            if not raw:
                hint = " (an empty value array is a metadata-only response; fetch the data)"
            fail_at(where, f"has {len(raw)} values but size multiplies to {n_cells} cells{hint}")
        return _numbers(raw, where, keys=None)
    if isinstance(raw, Mapping):
        keys = list(expect_object(raw, where))
        positions = _positions(keys, n_cells, where)
        numbers, texts = _numbers(list(raw.values()), where, keys=keys)
        full = pl.repeat(None, n_cells, dtype=pl.Float64, eager=True).alias("value")
        full.scatter(positions, numbers)
        if texts is None:
            return full, None
        full_text = pl.repeat(None, n_cells, dtype=pl.String, eager=True).alias("value_text")
        full_text.scatter(positions, texts)
        return full, full_text
    found = describe_json(raw)
    raise jsonstat_error(where, f"must be an array or an object of position: value, found {found}")


def _numbers(
    items: list[Any], where: str, keys: list[str] | None
) -> tuple[pl.Series, pl.Series | None]:
    """Numbers and nulls as Float64; strings (rare, e.g. order.json) go to a text Series."""
    try:
        numbers = msgspec.convert(items, list[float | None])
    except msgspec.ValidationError:
        pass
    else:
        return pl.Series("value", numbers, dtype=pl.Float64), None
    # Slow path, only for files that publish text in `value`: one pass to split text from numbers.
    floats: list[float | None] = []
    texts: list[str | None] = []
    for i, item in enumerate(items):
        if item is None or isinstance(item, str):
            floats.append(None)
            texts.append(item)
        elif isinstance(item, int | float) and not isinstance(item, bool):
            try:
                floats.append(float(item))
            except OverflowError:
                fail_at(_item_where(where, keys, i), f"number {item} is too large for a float")
            texts.append(None)
        else:
            fail_at(
                _item_where(where, keys, i),
                f"expected a number, null or string, found {describe_json(item)}",
            )
    return (
        pl.Series("value", floats, dtype=pl.Float64),
        pl.Series("value_text", texts, dtype=pl.String),
    )


def _item_where(where: str, keys: list[str] | None, i: int) -> str:
    return f"{where}[{i}]" if keys is None else f"{where}.{keys[i]}"


def _positions(keys: list[str], n_cells: int, where: str) -> pl.Series:
    """Sparse-object keys -> cell positions; each must be a decimal integer in 0..n-1."""
    as_text = pl.Series(keys, dtype=pl.String)
    positions = as_text.cast(pl.Int64, strict=False)
    not_canonical = positions.is_null() | (positions.cast(pl.String) != as_text).fill_null(True)
    if not_canonical.any():
        bad = as_text.filter(not_canonical).head(3).to_list()
        fail_at(where, f"keys must be cell positions (0, 1, 2 ...), found {bad}")
    out_of_range = (positions < 0) | (positions >= n_cells)
    if out_of_range.any():
        bad = as_text.filter(out_of_range).head(3).to_list()
        fail_at(where, f"keys {bad} are outside the {n_cells} cells (positions 0..{n_cells - 1})")
    return positions


def _status(raw: Any, n_cells: int, where: str) -> pl.Series:
    """``status`` as a String Series of length n.

    A string applies to every cell; an array has one entry per cell, except that a one-element
    array applies to every cell (as in the official canada.json sample and the JSON-stat
    toolkit) and an empty array means no statuses; an object maps cell positions to symbols.
    """
    if raw is None or (isinstance(raw, list) and not raw):
        return pl.repeat(None, n_cells, dtype=pl.String, eager=True).alias("status")
    if isinstance(raw, str):
        return pl.repeat(raw, n_cells, dtype=pl.String, eager=True).alias("status")
    if isinstance(raw, list):
        symbols = _symbols(raw, where, keys=None)
        if len(raw) == n_cells:
            return symbols
        if len(raw) == 1:
            return pl.repeat(raw[0], n_cells, dtype=pl.String, eager=True).alias("status")
        fail_at(where, f"has {len(raw)} entries but there are {n_cells} cells (or give 1 for all)")
    if isinstance(raw, Mapping):
        keys = list(expect_object(raw, where))
        positions = _positions(keys, n_cells, where)
        full = pl.repeat(None, n_cells, dtype=pl.String, eager=True).alias("status")
        full.scatter(positions, _symbols(list(raw.values()), where, keys=keys))
        return full
    found = describe_json(raw)
    raise jsonstat_error(where, f"must be a string, an array or an object, found {found}")


def _symbols(items: list[Any], where: str, keys: list[str] | None) -> pl.Series:
    try:
        symbols = msgspec.convert(items, list[str | None])
    except msgspec.ValidationError as exc:
        for i, item in enumerate(items):
            if item is not None and not isinstance(item, str):
                fail_at(
                    _item_where(where, keys, i),
                    f"a status must be a string, found {describe_json(item)}",
                )
        fail_at(where, f"statuses must be strings or null: {exc}")
    return pl.Series("status", symbols, dtype=pl.String)
