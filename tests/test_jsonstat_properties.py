"""Property tests: random valid cubes read exactly, round-trip through the writer, and fuzzed
documents only ever raise JsonStatError.

The generator builds a cube in plain Python (codes per dimension, one expected value / text /
status per cell) and then publishes it in a random JSON-stat form: 2.0 or 1.x, index as array or
object (keys shuffled), labels present or not, value dense or sparse, status absent, as a string,
an array or an object. The expected frame is computed independently with itertools.product.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import msgspec
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from navdata.errors import JsonStatError
from navdata.jsonstat import read_jsonstat, read_jsonstat_collection, write_jsonstat

CODE = st.text(alphabet="abcXY019-_.æ", min_size=1, max_size=5)
DIM_ID = st.text(alphabet="abcdXYZ", min_size=1, max_size=6)
NUMBER = st.one_of(
    st.integers(-(10**9), 10**9), st.floats(allow_nan=False, allow_infinity=False, width=64)
)
SYMBOL = st.sampled_from([".", "..", ":", "*", "e"])


class Cube(msgspec.Struct):
    ids: list[str]
    codes: list[list[str]]
    values: list[Any]  # float | int | str | None per cell
    statuses: list[str | None]
    document: dict[str, Any]


@st.composite
def cubes(draw: st.DrawFn, *, allow_text: bool = True) -> Cube:
    ids = draw(st.lists(DIM_ID, min_size=0, max_size=4, unique=True))
    sizes = [
        draw(st.integers(0, 4) if draw(st.integers(0, 9)) == 0 else st.integers(1, 4)) for _ in ids
    ]
    codes = [draw(st.lists(CODE, min_size=s, max_size=s, unique=True)) for s in sizes]
    n_cells = math.prod(sizes)
    cell_value = st.one_of(st.none(), NUMBER, CODE) if allow_text else st.one_of(st.none(), NUMBER)
    values = draw(st.lists(cell_value, min_size=n_cells, max_size=n_cells))
    status_form = draw(st.sampled_from(["none", "string", "array", "object"]))
    if status_form == "none":
        statuses: list[str | None] = [None] * n_cells
    elif status_form == "string":
        statuses = [draw(SYMBOL)] * n_cells
    else:
        statuses = draw(st.lists(st.one_of(st.none(), SYMBOL), min_size=n_cells, max_size=n_cells))
    dims: dict[str, Any] = {}
    for dim_id, dim_codes in zip(ids, codes, strict=True):
        category: dict[str, Any] = {}
        if draw(st.booleans()):
            category["index"] = dim_codes
        else:
            pairs = list(enumerate(dim_codes))
            shuffled = draw(st.permutations(pairs))
            category["index"] = {code: pos for pos, code in shuffled}
        if draw(st.booleans()) or not dim_codes:
            category["label"] = {c: f"Label {c}" for c in dim_codes}
        dims[dim_id] = {"label": f"dim {dim_id}", "category": category}
    if draw(st.booleans()):
        value: Any = values
    else:
        value = {str(i): v for i, v in enumerate(values) if v is not None or draw(st.booleans())}
    doc: dict[str, Any] = {"label": "synthetic", "value": value}
    if status_form == "string" and n_cells:
        doc["status"] = statuses[0]
    elif status_form == "array":
        doc["status"] = statuses
    elif status_form == "object":
        doc["status"] = {str(i): s for i, s in enumerate(statuses) if s is not None}
    if draw(st.booleans()) and ids:
        doc["role"] = {"time": [ids[-1]]}
    if draw(st.booleans()):
        doc.update({"version": "2.0", "class": "dataset", "id": ids, "size": sizes})
        doc["dimension"] = dims
        document = doc
    else:  # 1.x bundle: id, size and role live under dimension
        dims.update({"id": ids, "size": sizes})
        if "role" in doc:
            dims["role"] = doc.pop("role")
        doc["dimension"] = dims
        document = {"dataset": doc}
    if status_form == "string" and not n_cells:
        statuses = []
    return Cube(ids=ids, codes=codes, values=values, statuses=statuses, document=document)


def expected_frame(cube: Cube) -> pl.DataFrame:
    rows = list(itertools.product(*cube.codes)) if cube.ids else [()]
    columns: dict[str, pl.Series] = {
        dim_id: pl.Series(dim_id, [r[k] for r in rows], dtype=pl.String)
        for k, dim_id in enumerate(cube.ids)
    }
    numbers = [None if v is None or isinstance(v, str) else float(v) for v in cube.values]
    columns["value"] = pl.Series("value", numbers, dtype=pl.Float64)
    texts = [v if isinstance(v, str) else None for v in cube.values]
    if any(t is not None for t in texts):
        columns["value_text"] = pl.Series("value_text", texts, dtype=pl.String)
    columns["status"] = pl.Series("status", cube.statuses, dtype=pl.String)
    return pl.DataFrame(list(columns.values()))


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(cubes())
def test_random_cubes_read_exactly(cube: Cube) -> None:
    ds = read_jsonstat(cube.document)
    assert ds.meta.dimension_ids == cube.ids
    assert [d.codes for d in ds.meta.dimensions] == cube.codes
    assert ds.frame.equals(expected_frame(cube))
    # bytes and the mapping give the same result
    assert read_jsonstat(msgspec.json.encode(cube.document)).frame.equals(ds.frame)


@FAST
@given(cubes(), st.booleans())
def test_write_then_read_round_trips(cube: Cube, labels: bool) -> None:
    ds = read_jsonstat(cube.document, labels=labels)
    again = read_jsonstat(write_jsonstat(ds), labels=labels)
    assert again.frame.equals(ds.frame)
    assert again.meta == ds.meta


@FAST
@given(cubes(), st.randoms(use_true_random=False))
def test_writer_accepts_shuffled_and_missing_rows(cube: Cube, rnd: Any) -> None:
    ds = read_jsonstat(cube.document)
    frame = ds.frame
    informative = pl.any_horizontal(
        [pl.col(c).is_not_null() for c in ("value", "value_text", "status") if c in frame.columns]
    )
    kept = frame.filter(informative)
    order = list(range(kept.height))
    rnd.shuffle(order)
    shuffled = type(ds)(kept[order], ds.meta)
    assert read_jsonstat(write_jsonstat(shuffled)).frame.equals(frame)


# --- fuzzing: anything JSON-ish in, only JsonStatError out ---------------------------------------

KEYS = st.sampled_from(
    ["version", "class", "id", "size", "role", "dimension", "category", "index", "label", "value",
     "status", "unit", "child", "note", "link", "item", "dataset", "time", "a", "0", "1"]
)  # fmt: skip
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 6), st.floats(allow_nan=False), st.text(max_size=3),
    st.sampled_from(["dataset", "collection", "bundle", "dimension", "a", "0"]),
)  # fmt: skip
JSONISH = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(KEYS, inner, max_size=6)),
    max_leaves=40,
)


def paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(obj, dict):
        for key, value in obj.items():
            found += paths(value, (*prefix, key))
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            found += paths(value, (*prefix, i))
    return found


def replace_at(obj: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(obj, dict):
        return {**obj, head: replace_at(obj[head], rest, new)}
    copy = list(obj)
    copy[head] = replace_at(obj[head], rest, new)
    return copy


def only_jsonstat_errors(document: Any) -> None:
    try:
        datasets = read_jsonstat_collection(document)
    except JsonStatError:
        return
    for ds in datasets:
        assert ds.frame.height == math.prod(len(d.codes) for d in ds.meta.dimensions)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, JSONISH, max_size=8))
def test_fuzz_random_mappings_only_raise_jsonstat_error(document: dict[str, Any]) -> None:
    only_jsonstat_errors(document)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cubes(), st.data())
def test_fuzz_mutated_valid_documents_only_raise_jsonstat_error(cube: Cube, data: Any) -> None:
    document = cube.document
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths(document)))
        document = replace_at(document, path, data.draw(JSONISH))
    only_jsonstat_errors(document)
    try:
        encoded = msgspec.json.encode(document)
    except (TypeError, OverflowError):
        return
    try:
        read_jsonstat_collection(encoded)
    except JsonStatError:
        return
