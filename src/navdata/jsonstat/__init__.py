"""JSON-stat reader (1.x and 2.0) into tidy polars frames, and a JSON-stat 2.0 writer.

JSON-stat is the wire format of SSB's PxWebApi and of many statistics offices; it is also one
of the formats navdata's own API serves.

Reading
-------
:func:`read_jsonstat` takes bytes, JSON text (a ``str`` starting with ``{``), a path, or an
already-decoded mapping, and returns a :class:`navdata.dataset.Dataset`:

- ``frame``: one Utf8 column per dimension, named by the dimension id exactly as published and
  holding category codes, in row-major order (the last dimension in ``id`` varies fastest); with
  ``labels=True`` a ``<dim>_label`` column follows each dimension column; then ``value``
  (Float64, null when missing) and ``status`` (Utf8, null where the publisher gave none). When a
  file publishes strings as values (the official ``order.json`` sample does), those cells get a
  null ``value`` and the string in an extra ``value_text`` column, present only then.
- ``meta``: :class:`navdata.dataset.Metadata` with the dataset label, source, updated, notes,
  roles, extension, href and link, and per dimension its codes in *position* order, labels,
  role, units (label, symbol, position, decimals, base, multiplier, other keys in
  ``Unit.extension``), child hierarchy, notes, category notes, extension and link.

Forms understood:

- 2.0 ``dataset``; 2.0 ``collection`` whose ``link.item`` embeds datasets (nested collections are
  followed; an item that only links elsewhere is an error naming its ``href``); 1.x bundles
  ``{"name": {dataset}, ...}`` with ``dimension.id``/``dimension.size``/``dimension.role``
  (SSB's older API still sends ``{"dataset": ...}``), and datasets without a ``class``.
- ``category.index`` as an array or as an object ordered by *position value*, not key order
  (SSB sends ``{"0":0,"2":1,"1":2}``); no ``index`` (the spec allows it for one category; for
  more we take the ``label`` object's key order, as the JSON-stat toolkit does); missing labels
  fall back to codes.
- ``value`` as a dense array or a sparse object ``{"position": value}``; numbers, nulls and
  strings. ``status`` as a string (every cell), an array with one entry per cell, a one-element
  array (every cell: used by the official ``canada.json``; the JSON-stat toolkit reads it the
  same way), an empty array (no statuses), or an object keyed by position.
- ``note`` as an array (a lone string is taken as one note); category notes as an object.

:func:`read_jsonstat` refuses collections and multi-dataset bundles with a message pointing to
:func:`read_jsonstat_collection`, which returns every dataset (a single dataset gives a list of
one). Anything malformed raises :class:`navdata.errors.JsonStatError` naming what is wrong and
where (``$.dimension.Tid.category.index``), including inputs that are not JSON-stat at all (an
HTML page, an RFC 9457 problem body, an SSB ``{"error": ...}`` body).

Speed: decoding is msgspec; dimension columns are polars expressions over the row number
(``codes.gather((row // stride) % size)``); values become one Float64 Series from the decoded
list. There is no Python loop per cell, except the one pass that separates strings from numbers
in the rare files that publish text values.

Writing
-------
:func:`write_jsonstat` turns a Dataset back into a JSON-stat 2.0 dataset (``bytes``): version,
class, label, source, updated, href, link, note, extension, id, size, role, dimension (category
``index`` as an object, label, unit, child, note; dimension note, extension, link), value and
status. ``value`` is a dense array when at least half of the cells hold a value (text values
included), otherwise a sparse object listing only those cells, which is then the smaller of the
two. ``status`` is an object keyed by position, only for cells with a status. Rows may come in
any order and cells may be missing (they are written as missing); reading what was written gives
back the same frame and metadata. ``<dim>_label`` columns are ignored (labels come from the
metadata).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import msgspec

from navdata._files import read_failure
from navdata.dataset import Dataset, Metadata
from navdata.errors import JsonStatError
from navdata.jsonstat._check import describe_json, fail_at
from navdata.jsonstat._read import MAX_CELLS, parse_dataset, parse_metadata
from navdata.jsonstat._write import write_dataset

__all__ = [
    "MAX_CELLS",
    "read_jsonstat",
    "read_jsonstat_collection",
    "read_jsonstat_metadata",
    "write_jsonstat",
]

JsonStatInput = bytes | bytearray | memoryview | str | os.PathLike[str] | Mapping[str, Any]


def read_jsonstat(data: JsonStatInput, *, labels: bool = False) -> Dataset:
    """Read one JSON-stat dataset (2.0, 1.x bundle of one, or class-less) into a tidy Dataset.

    Parameters
    ----------
    data
        The document: bytes or text of JSON, a path to a file, or an already decoded mapping.
    labels
        Add a ``<dimension>_label`` column beside each dimension.

    Returns
    -------
    Dataset
        The tidy frame (one column per dimension, ``value``, ``status``) and its metadata.

    Raises
    ------
    JsonStatError
        The document is not JSON-stat, is malformed (the message names where), or holds several
        datasets (read those with :func:`read_jsonstat_collection`).
    """
    kind, documents = _documents(_decode(data))
    if kind == "collection" or len(documents) != 1:
        fail_at(
            "$",
            f"this is a JSON-stat {kind} of {len(documents)} datasets; "
            "call navdata.read_jsonstat_collection to get them all as a list",
        )
    where, document = documents[0]
    return parse_dataset(document, where, labels=labels)


def read_jsonstat_metadata(data: JsonStatInput) -> Metadata:
    """Read only the metadata of one dataset; ``value`` is not read (it may be empty).

    SSB answers ``/tables/{id}/metadata`` with a JSON-stat dataset whose ``value`` is ``[]``;
    this reads its dimensions, labels, units and notes without building a frame of every cell.
    """
    kind, documents = _documents(_decode(data))
    if kind == "collection" or len(documents) != 1:
        fail_at("$", f"this is a JSON-stat {kind} of {len(documents)} datasets, not one dataset")
    where, document = documents[0]
    return parse_metadata(document, where)


def read_jsonstat_collection(data: JsonStatInput, *, labels: bool = False) -> list[Dataset]:
    """Read every dataset of a 2.0 collection or a 1.x bundle (a lone dataset gives one).

    Parameters
    ----------
    data
        The document: bytes or text of JSON, a path to a file, or an already decoded mapping.
    labels
        Add a ``<dimension>_label`` column beside each dimension.

    Returns
    -------
    list[Dataset]
        The datasets in document order.

    Raises
    ------
    JsonStatError
        The document is not JSON-stat or is malformed (the message names where).
    """
    _, documents = _documents(_decode(data))
    return [parse_dataset(doc, where, labels=labels) for where, doc in documents]


def write_jsonstat(dataset: Dataset) -> bytes:
    """Write a Dataset as a JSON-stat 2.0 dataset.

    Parameters
    ----------
    dataset
        A tidy dataset, as :func:`read_jsonstat` or :func:`navdata.get` give.

    Returns
    -------
    bytes
        UTF-8 JSON; dense or sparse ``value``, whichever is smaller.

    Raises
    ------
    JsonStatError
        The frame does not fit its metadata: a missing column, a code not in its dimension,
        a repeated cell, or a value JSON cannot carry (NaN, infinity).
    """
    return write_dataset(dataset)


# --- input ----------------------------------------------------------------------------------------


def _is_text(data: str) -> bool:
    """JSON, an HTML error page or nothing at all: a body, not a path (``response.text``)."""
    stripped = data.lstrip("\ufeff \t\r\n")
    return not stripped or stripped.startswith(("{", "[", "<"))


def _decode(data: JsonStatInput) -> Any:
    """Bytes, JSON text, a path or a mapping -> decoded JSON."""
    if isinstance(data, Mapping):
        return data
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
        origin = "the input bytes"
    elif isinstance(data, str) and _is_text(data):
        raw = data.encode("utf-8")
        origin = "the input text"
    elif isinstance(data, str | os.PathLike):
        path = Path(data)
        try:
            raw = path.read_bytes()
        except (OSError, ValueError) as exc:  # ValueError: a NUL byte, never in a path
            msg = (
                f"cannot read JSON-stat file {str(path)!r}: {read_failure(exc)}"
                " (a str that does not start with '{' is taken as a path)"
            )
            raise JsonStatError(msg) from exc
        origin = f"file {str(path)!r}"
    else:  # untyped callers can pass anything
        msg = (  # type: ignore[unreachable]
            f"read_jsonstat takes bytes, JSON text, a path or a mapping, not {type(data).__name__}"
        )
        raise JsonStatError(msg)
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        return msgspec.json.decode(raw)
    except msgspec.DecodeError as exc:
        start = raw.lstrip()[:60].decode("utf-8", errors="replace")
        if not start:
            what = "is empty"
        elif start.startswith("<"):
            what = f"is HTML or XML, not JSON (starts {start!r}); was an error page returned?"
        else:
            what = f"is not valid JSON ({exc}); it starts {start!r}"
        raise JsonStatError(f"JSON-stat input: {origin} {what}") from exc


def _documents(obj: Any) -> tuple[str, list[tuple[str, Mapping[str, Any]]]]:
    """Classify decoded JSON and list its datasets as (where, object) pairs."""
    if not isinstance(obj, Mapping):
        fail_at("$", f"expected a JSON-stat object, found {describe_json(obj)}")
    cls = obj.get("class")
    if cls == "dataset":
        return "dataset", [("$", obj)]
    if cls == "collection":
        return "collection", _collection_items(obj, "$")
    if cls == "dimension":
        fail_at("$", "this is a JSON-stat dimension document, not a dataset: it holds no values")
    if cls not in (None, "bundle"):
        fail_at("$.class", f"unknown class {describe_json(cls)}; expected dataset or collection")
    if "dimension" in obj:
        return "dataset", [("$", obj)]
    _refuse_error_bodies(obj)
    datasets = []
    for name, entry in obj.items():
        if isinstance(entry, Mapping) and "dimension" in entry:
            datasets.append((f"$.{name}", entry))
        elif isinstance(entry, Mapping):
            fail_at(f"$.{name}", f"bundle entry is not a dataset: {describe_json(entry)}")
    if not datasets:
        fail_at("$", f"not JSON-stat: no dataset, collection or bundle in {describe_json(obj)}")
    return "bundle", datasets


def _collection_items(obj: Mapping[str, Any], where: str) -> list[tuple[str, Mapping[str, Any]]]:
    link = obj.get("link")
    if not isinstance(link, Mapping) or not isinstance(link.get("item"), list):
        fail_at(where, "a collection needs link.item, an array of datasets")
    found: list[tuple[str, Mapping[str, Any]]] = []
    for i, item in enumerate(link["item"]):
        item_where = f"{where}.link.item[{i}]"
        if not isinstance(item, Mapping):
            fail_at(item_where, f"expected a dataset object, found {describe_json(item)}")
        if item.get("class") == "collection":
            found += _collection_items(item, item_where)
        elif "dimension" in item:
            found.append((item_where, item))
        else:
            href = item.get("href")
            fail_at(
                item_where,
                f"is only a link ({href!r}), not an embedded dataset; fetch it and read it",
            )
    return found


def _refuse_error_bodies(obj: Mapping[str, Any]) -> None:
    """Say clearly when the JSON (holding no ``dimension``) is an error answer, not JSON-stat."""
    if "title" in obj and ("status" in obj or "type" in obj or "detail" in obj):
        detail = f": {obj.get('detail')}" if obj.get("detail") else ""
        fail_at(
            "$",
            f"not JSON-stat but an RFC 9457 problem body (status {obj.get('status')!r}, "
            f"title {obj.get('title')!r}){detail}",
        )
    error = obj.get("error")
    if error is not None and not (isinstance(error, Mapping) and "dimension" in error):
        fail_at("$", f"not JSON-stat but an error body: {error!r:.300}")
