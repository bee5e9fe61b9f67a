"""The reader's paths that tests/test_jsonstat_read.py meets in real files, on SYNTHETIC documents.

The real files (../shared) are absent in a bare clone, and then those tests skip; these always
run. Each document below is made up for the test (codes, labels and numbers are not statistics)
and shaped like the published file named in its comment, so every path of the reader has a
test without the shared folder: units with multipliers, a one-element status array, a
dimension with a label but no index, children and notes, roles, extension and links,
collections, SSB's elimination extension, label columns, and the four kinds of input.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import msgspec
import polars as pl
import pytest

from navdata.dataset import Unit
from navdata.errors import JsonStatError
from navdata.jsonstat import read_jsonstat, read_jsonstat_collection

# SYNTHETIC, shaped like the canada.json sample: a one-element status array, a dimension with a
# label and no index, units with multiplier, position and an extra key (type).
POPULATION: dict[str, Any] = {
    "version": "2.0",
    "class": "dataset",
    "href": "https://example.org/synthetic/population.json",
    "label": "SYNTHETIC population by sex",
    "source": "SYNTHETIC source",
    "updated": "2020-01-01",
    "status": ["a"],
    "id": ["country", "year", "concept", "sex"],
    "size": [1, 1, 2, 2],
    "role": {"time": ["year"], "geo": ["country"], "metric": ["concept"]},
    "note": ["synthetic dataset note"],
    "extension": {"contact": "nobody@example.org"},
    "dimension": {
        "country": {"label": "country", "category": {"label": {"XX": "Syntheticland"}}},
        "year": {"label": "year", "category": {"index": {"2020": 0}}},
        "concept": {
            "label": "concepts",
            "category": {
                "index": {"POP": 0, "PERCENT": 1},
                "label": {"POP": "population", "PERCENT": "share"},
                "unit": {
                    "POP": {
                        "label": "thousands of persons",
                        "symbol": "k",
                        "decimals": 1,
                        "position": "end",
                        "type": "count",
                        "base": "people",
                        "multiplier": 3,
                    },
                    "PERCENT": {"label": "%", "decimals": 2, "position": "start"},
                },
            },
        },
        "sex": {
            "label": "sex",
            "note": ["synthetic dimension note"],
            "category": {
                "index": ["T", "F"],
                "label": {"T": "total", "F": "female"},
                "child": {"T": ["F"]},
                "note": {"F": ["synthetic category note"]},
            },
            "link": {"describedby": [{"extension": {"sex": "urn:example:synthetic"}}]},
        },
    },
    "value": [11.5, 5.25, 100.0, 45.5],
}

# SYNTHETIC, shaped like SSB's answers (13760): elimination extension, metric units by base.
SSB_SHAPED: dict[str, Any] = {
    "version": "2.0",
    "class": "dataset",
    "label": "99999: SYNTHETIC SSB-shaped table",
    "source": "Statistisk sentralbyrå",
    "updated": "2026-01-01T06:00:00Z",
    "id": ["Kjonn", "ContentsCode", "Tid"],
    "size": [1, 2, 2],
    "role": {"time": ["Tid"], "metric": ["ContentsCode"]},
    "dimension": {
        "Kjonn": {
            "label": "kjønn",
            "category": {"index": {"0": 0}, "label": {"0": "Begge kjønn"}},
            "extension": {"elimination": True, "eliminationValueCode": "0", "show": "value"},
        },
        "ContentsCode": {
            "label": "statistikkvariabel",
            "category": {
                "index": {"Antall": 0, "Prosent": 1},
                "label": {"Antall": "Antall (1000 personer)", "Prosent": "Andel i prosent"},
                "unit": {
                    "Antall": {"base": "1000 personer", "decimals": 0},
                    "Prosent": {"base": "prosent", "decimals": 1},
                },
            },
        },
        "Tid": {
            "label": "måned",
            "category": {"index": {"2026M01": 0, "2026M02": 1}},
        },
    },
    "value": [1000, 1001, 9.5, 9.75],
    "extension": {"px": {"tableid": "99999"}},
}


def cell(frame: pl.DataFrame, **coords: str) -> dict[str, Any]:
    rows = frame.filter(*(pl.col(k) == v for k, v in coords.items()))
    assert rows.height == 1, coords
    return rows.row(0, named=True)


def test_a_one_element_status_array_applies_to_every_cell() -> None:
    frame = read_jsonstat(POPULATION).frame
    assert frame["status"].to_list() == ["a"] * 4
    assert frame.row(0) == ("XX", "2020", "POP", "T", 11.5, "a")


def test_a_dimension_with_a_label_and_no_index_has_that_one_code() -> None:
    ds = read_jsonstat(POPULATION)
    assert ds.frame["country"].unique().to_list() == ["XX"]
    assert ds.meta.dimension("country").labels == {"XX": "Syntheticland"}


def test_units_keep_multiplier_symbol_position_and_other_keys() -> None:
    units = read_jsonstat(POPULATION).meta.dimension("concept").units
    assert units == {
        "POP": Unit(
            label="thousands of persons",
            symbol="k",
            position="end",
            decimals=1,
            base="people",
            multiplier=3,
            extension={"type": "count"},
        ),
        "PERCENT": Unit(label="%", position="start", decimals=2),
    }


def test_children_notes_roles_extension_href_and_links() -> None:
    meta = read_jsonstat(POPULATION).meta
    sex = meta.dimension("sex")
    assert sex.children == {"T": ["F"]}
    assert sex.notes == ["synthetic dimension note"]
    assert sex.category_notes == {"F": ["synthetic category note"]}
    assert sex.link["describedby"][0]["extension"]["sex"] == "urn:example:synthetic"
    assert meta.notes == ["synthetic dataset note"]
    assert meta.roles == {"time": ["year"], "geo": ["country"], "metric": ["concept"]}
    assert meta.dimension("concept").role == "metric"
    assert meta.dimension("sex").role is None
    assert meta.extension["contact"] == "nobody@example.org"
    assert meta.href == "https://example.org/synthetic/population.json"
    assert (meta.label, meta.source, meta.updated) == (
        "SYNTHETIC population by sex",
        "SYNTHETIC source",
        "2020-01-01",
    )


def test_ssb_shaped_values_metadata_and_label_columns() -> None:
    ds = read_jsonstat(SSB_SHAPED)
    assert ds.frame.columns == ["Kjonn", "ContentsCode", "Tid", "value", "status"]
    assert ds.frame["value"].to_list() == [1000.0, 1001.0, 9.5, 9.75]
    assert ds.frame.schema["value"] == pl.Float64
    assert ds.frame["status"].null_count() == 4
    kjonn = ds.meta.dimension("Kjonn")
    assert kjonn.extension["eliminationValueCode"] == "0"
    assert ds.meta.dimension("ContentsCode").units["Prosent"] == Unit(base="prosent", decimals=1)
    assert ds.meta.extension["px"]["tableid"] == "99999"
    labelled = read_jsonstat(SSB_SHAPED, labels=True).frame
    assert labelled.columns[:4] == ["Kjonn", "Kjonn_label", "ContentsCode", "ContentsCode_label"]
    row = cell(labelled, ContentsCode="Prosent", Tid="2026M02")
    assert (row["ContentsCode_label"], row["Kjonn_label"], row["value"]) == (
        "Andel i prosent",
        "Begge kjønn",
        9.75,
    )
    assert row["Tid_label"] == "2026M02"  # no labels published: the codes


def test_bytes_text_path_and_mapping_give_one_frame(tmp_path: Path) -> None:
    raw = json.dumps(SSB_SHAPED, ensure_ascii=False).encode()
    path = tmp_path / "synthetic.json"
    path.write_bytes(raw)
    expected = read_jsonstat(path).frame
    assert read_jsonstat(raw).frame.equals(expected)
    assert read_jsonstat("\n  " + raw.decode()).frame.equals(expected)
    assert read_jsonstat(str(path)).frame.equals(expected)
    assert read_jsonstat(msgspec.json.decode(raw)).frame.equals(expected)


def _collection() -> dict[str, Any]:
    """SYNTHETIC, shaped like oecd-canada-col.json: a 2.0 collection embedding two datasets."""
    first = {k: v for k, v in copy.deepcopy(POPULATION).items() if k != "version"}
    second = {k: v for k, v in copy.deepcopy(SSB_SHAPED).items() if k != "version"}
    return {
        "version": "2.0",
        "class": "collection",
        "label": "SYNTHETIC collection",
        "link": {"item": [first, second]},
    }


def test_a_collection_gives_every_dataset_and_read_jsonstat_points_to_it() -> None:
    population, ssb_shaped = read_jsonstat_collection(_collection())
    assert (population.frame.height, ssb_shaped.frame.height) == (4, 4)
    assert population.meta.label == "SYNTHETIC population by sex"
    assert ssb_shaped.frame["value"].to_list() == [1000.0, 1001.0, 9.5, 9.75]
    assert len(read_jsonstat_collection(SSB_SHAPED)) == 1  # one dataset is a collection of one
    with pytest.raises(JsonStatError, match="read_jsonstat_collection"):
        read_jsonstat(_collection())
