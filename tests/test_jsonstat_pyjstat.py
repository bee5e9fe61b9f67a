"""Differential test: wherever pyjstat reads a file, navdata gives the same cells.

pyjstat fails on several official samples (canada, galicia, oecd, the collections); for those we
assert that pyjstat really fails (so this list stays honest) and that navdata still reads them.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path
from typing import Any

import pytest

from navdata.jsonstat import read_jsonstat, read_jsonstat_collection
from shared_files import shared_path

pyjstat = pytest.importorskip("pyjstat.pyjstat")

HERE = Path(__file__).parent / "fixtures" / "jsonstat"
PYJSTAT_READS = [
    ("jsonstat-samples", "dataset.json"),
    ("jsonstat-samples", "dataset2.json"),
    ("jsonstat-samples", "hierarchy.json"),
    ("jsonstat-samples", "order.json"),
    ("jsonstat-samples", "us-gsp.json"),
    ("ssb-real", "13760_data_no.json"),
    ("ssb-real", "crime-rate.json"),
    ("ssb-real", "population-age.json"),
    ("ssb-real", "wage.json"),
]
PYJSTAT_FAILS = [
    "canada.json",
    "galicia.json",
    "oecd.json",
    "collection.json",
    "oecd-canada-col.json",
]

Record = tuple[Any, ...]


def _cell(value: Any) -> Any:
    """One value as a comparable item: NaN and None are both 'missing'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value if isinstance(value, str) else float(value)


def pyjstat_records(path: Path) -> list[Record]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = pyjstat.Dataset.read(path.read_text(encoding="utf-8")).write(
            "dataframe", naming="id"
        )
    dims = [c for c in frame.columns if c != "value"]
    rows = zip(*(frame[c].tolist() for c in dims), frame["value"].tolist(), strict=True)
    return sorted((*(str(x) for x in row[:-1]), _cell(row[-1])) for row in rows)


def navdata_records(path: Path) -> list[Record]:
    ds = read_jsonstat(path)
    frame = ds.frame
    dims = ds.meta.dimension_ids
    values = frame.get_column("value").to_list()
    if "value_text" in frame.columns:
        texts = frame.get_column("value_text").to_list()
        values = [t if t is not None else v for v, t in zip(values, texts, strict=True)]
    rows = zip(*(frame.get_column(d).to_list() for d in dims), values, strict=True)
    return sorted((*row[:-1], _cell(row[-1])) for row in rows)


def _key(record: Record) -> tuple[str, ...]:
    return tuple(str(x) for x in record)


@pytest.mark.parametrize(("folder", "name"), PYJSTAT_READS)
def test_same_cells_as_pyjstat(folder: str, name: str) -> None:
    path = shared_path("fixtures", folder, name)
    ours = sorted(navdata_records(path), key=_key)
    theirs = sorted(pyjstat_records(path), key=_key)
    assert len(ours) == len(theirs)
    assert ours == theirs


def test_same_cells_as_pyjstat_on_synthetic_position_order() -> None:
    path = HERE / "ssb_v1_bundle_synthetic.json"
    assert sorted(navdata_records(path), key=_key) == sorted(pyjstat_records(path), key=_key)


@pytest.mark.parametrize("name", PYJSTAT_FAILS)
def test_files_pyjstat_cannot_read_still_read(name: str) -> None:
    path = shared_path("fixtures", "jsonstat-samples", name)
    text = path.read_text(encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises((KeyError, IndexError)):
            pyjstat.Dataset.read(text).write("dataframe")
    datasets = read_jsonstat_collection(path)
    assert datasets
    for ds in datasets:
        assert ds.frame.height == math.prod(len(d.codes) for d in ds.meta.dimensions)
        assert ds.frame.get_column("value").is_not_null().any()
