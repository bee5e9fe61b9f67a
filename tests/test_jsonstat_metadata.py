"""Metadata-only reading: SSB's ``/metadata`` answers carry ``value: []`` (synthetic documents)."""

from __future__ import annotations

import pytest

from navdata.errors import JsonStatError
from navdata.jsonstat import read_jsonstat, read_jsonstat_metadata

# Synthetic: shaped like an SSB metadata answer, with the index order SSB really sends for Kjonn.
METADATA_DOC = {
    "version": "2.0",
    "class": "dataset",
    "label": "synthetic metadata",
    "id": ["Kjonn", "Tid"],
    "size": [3, 2],
    "role": {"time": ["Tid"]},
    "dimension": {
        "Kjonn": {
            "label": "kjønn",
            "category": {
                "index": {"0": 0, "2": 1, "1": 2},
                "label": {"0": "Begge kjønn", "1": "Menn", "2": "Kvinner"},
            },
        },
        "Tid": {"label": "måned", "category": {"index": ["2026M01", "2026M02"]}},
    },
    "value": [],
}


def test_metadata_reads_dimensions_in_position_order_without_values() -> None:
    meta = read_jsonstat_metadata(METADATA_DOC)
    assert meta.dimension_ids == ["Kjonn", "Tid"]
    assert meta.dimension("Kjonn").codes == ["0", "2", "1"]
    assert meta.dimension("Kjonn").label_of("2") == "Kvinner"
    assert meta.roles == {"time": ["Tid"]}


def test_metadata_equals_what_the_full_reader_gives() -> None:
    full = dict(METADATA_DOC, value=[1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    assert read_jsonstat_metadata(full) == read_jsonstat(full).meta


def test_the_full_reader_still_refuses_an_empty_value_array() -> None:
    with pytest.raises(JsonStatError, match="value"):
        read_jsonstat(METADATA_DOC)


def test_metadata_reader_still_checks_the_structure() -> None:
    broken = dict(METADATA_DOC, size=[3])
    with pytest.raises(JsonStatError, match="size"):
        read_jsonstat_metadata(broken)
