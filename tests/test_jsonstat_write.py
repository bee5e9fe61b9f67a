"""The JSON-stat 2.0 writer: the document it produces, its dense/sparse choice and its errors."""

from __future__ import annotations

from typing import Any

import msgspec
import polars as pl
import pytest

from navdata.dataset import Dataset, Dimension, Metadata, Unit
from navdata.errors import JsonStatError
from navdata.jsonstat import read_jsonstat, write_jsonstat
from navdata.key_figures import key_figure
from shared_files import shared_path

META = Metadata(
    label="synthetic",
    source="synthetic test data",
    updated="2026-01-01",
    roles={"time": ["year"]},
    dimensions=[
        Dimension(id="sex", label="Sex", codes=["0", "2", "1"], labels={"0": "All"}),
        Dimension(
            id="year",
            label="Year",
            codes=["2023", "2024"],
            role="time",
            units={"2023": Unit(base="persons", decimals=0, multiplier=3, extension={"type": "c"})},
        ),
    ],
)


def frame(**columns: list[Any]) -> pl.DataFrame:
    schema = {"sex": pl.String, "year": pl.String, "value": pl.Float64, "status": pl.String}
    return pl.DataFrame(columns, schema={k: schema.get(k, pl.String) for k in columns})


def decoded(ds: Dataset) -> dict[str, Any]:
    out: dict[str, Any] = msgspec.json.decode(write_jsonstat(ds))
    return out


def test_document_shape() -> None:
    ds = Dataset(
        frame(
            sex=["0", "0", "2", "2", "1", "1"],
            year=["2023", "2024"] * 3,
            value=[1.5, 2.0, None, 4.0, 5.0, 6.0],
            status=[None, None, "..", None, None, "p"],
        ),
        META,
    )
    doc = decoded(ds)
    assert doc["version"] == "2.0"
    assert doc["class"] == "dataset"
    assert (doc["label"], doc["source"], doc["updated"]) == (
        "synthetic",
        "synthetic test data",
        "2026-01-01",
    )
    assert doc["id"] == ["sex", "year"]
    assert doc["size"] == [3, 2]
    assert doc["role"] == {"time": ["year"]}
    assert doc["dimension"]["sex"] == {
        "label": "Sex",
        "category": {"index": {"0": 0, "2": 1, "1": 2}, "label": {"0": "All"}},
    }
    assert doc["dimension"]["year"]["category"]["unit"] == {
        "2023": {"type": "c", "decimals": 0, "base": "persons", "multiplier": 3}
    }
    assert doc["value"] == [1.5, 2.0, None, 4.0, 5.0, 6.0]
    assert doc["status"] == {"2": "..", "5": "p"}
    assert read_jsonstat(write_jsonstat(ds)).meta == META


def test_mostly_missing_values_are_written_sparse() -> None:
    ds = Dataset(frame(sex=["1"], year=["2024"], value=[7.0], status=[None]), META)
    doc = decoded(ds)
    assert doc["value"] == {"5": 7.0}
    assert "status" not in doc
    back = read_jsonstat(write_jsonstat(ds)).frame
    assert back.get_column("value").to_list() == [None, None, None, None, None, 7.0]


def test_rows_in_any_order() -> None:
    ds = Dataset(
        frame(sex=["1", "0"], year=["2023", "2024"], value=[3.0, 1.0], status=[None, "e"]), META
    )
    back = read_jsonstat(write_jsonstat(ds)).frame
    assert back.get_column("value").to_list() == [None, 1.0, None, None, 3.0, None]
    assert back.get_column("status").to_list() == [None, "e", None, None, None, None]


def test_text_values_and_real_files_round_trip() -> None:
    for name in ("order.json", "oecd.json", "canada.json", "hierarchy.json"):
        ds = read_jsonstat(shared_path("fixtures", "jsonstat-samples", name), labels=True)
        again = read_jsonstat(write_jsonstat(ds), labels=True)
        assert again.frame.equals(ds.frame), name
        assert again.meta == ds.meta, name
    order = decoded(read_jsonstat(shared_path("fixtures", "jsonstat-samples", "order.json")))
    assert order["value"][:2] == ["A1B1C1", "A1B1C2"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            frame(sex=["9"], year=["2024"], value=[1.0]),
            r"column 'sex' holds codes not in .*\['9'\]",
        ),
        (frame(sex=["1", "1"], year=["2024", "2024"], value=[1.0, 2.0]), "same dimension codes"),
        (frame(sex=["1"], year=["2024"], value=[float("nan")]), "NaN or infinity"),
        (frame(sex=["1"], value=[1.0]), r"lacks columns \['year'\]"),
        (pl.DataFrame({"sex": ["1"], "year": ["2024"], "value": ["x"]}), "must be numeric"),
        (
            pl.DataFrame({"sex": ["1"], "year": ["2024"], "value": [1.0], "value_text": ["x"]}),
            "both a number",
        ),
    ],
)
def test_write_errors(data: pl.DataFrame, message: str) -> None:
    with pytest.raises(JsonStatError, match=message):
        write_jsonstat(Dataset(data, META))


def test_duplicate_codes_in_metadata_are_refused() -> None:
    meta = Metadata(dimensions=[Dimension(id="d", label="d", codes=["a", "a"])])
    with pytest.raises(JsonStatError, match="more than once"):
        write_jsonstat(Dataset(pl.DataFrame({"d": ["a"], "value": [1.0]}), meta))


def test_observation_columns_go_to_the_extension_keyed_by_cell() -> None:
    meta = Metadata(
        label="with quotes",
        dimensions=[Dimension(id="year", label="Year", codes=["2023", "2024"], role="time")],
        roles={"time": ["year"]},
        extension={"observation_columns": ["quote", "flags", "absent"], "flags": {"pos": "p"}},
    )
    data = pl.DataFrame(
        {
            "year": ["2024", "2023"],
            "value": [2.0, 1.0],
            "quote": ["«2,0»", None],
            "flags": ["pos", None],
        }
    )
    doc = decoded(Dataset(data, meta))
    assert doc["value"] == [1.0, 2.0]
    assert doc["extension"]["observations"] == {"1": {"quote": "«2,0»", "flags": "pos"}}
    assert doc["extension"]["flags"] == {"pos": "p"}
    # read back, the texts stay in the extension and are written again unchanged
    again = read_jsonstat(write_jsonstat(Dataset(data, meta)))
    assert "quote" not in again.frame.columns
    assert decoded(again)["extension"] == doc["extension"]


def test_a_key_figure_keeps_its_quotes_in_json_stat() -> None:
    ds = key_figure("keyfig.aku_unemployment_rate_annual")
    doc = decoded(ds)
    observations = doc["extension"]["observations"]
    assert len(observations) == ds.frame.height
    first = ds.frame.row(0, named=True)
    assert observations["0"]["quote"] == first["quote"]
    assert observations["0"]["source_url"].startswith("https://")
    assert set(doc["extension"]["flags"]) >= {"pos", "sec", "yr?"}
