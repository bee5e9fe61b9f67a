"""Reading real published JSON-stat files: exact values at hand-checked coordinates.

The files live in ../shared/fixtures (never copied here); each test skips when they are absent.
Coordinates and values below were read off the raw files by hand (flat index = sum of
position * stride, last dimension fastest).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import msgspec
import polars as pl
import pytest

from navdata.dataset import Unit
from navdata.errors import JsonStatError
from navdata.jsonstat import read_jsonstat, read_jsonstat_collection
from shared_files import shared_path

HERE = Path(__file__).parent / "fixtures" / "jsonstat"


def sample(name: str) -> Path:
    return shared_path("fixtures", "jsonstat-samples", name)


def ssb(name: str) -> Path:
    return shared_path("fixtures", "ssb-real", name)


def cell(frame: pl.DataFrame, **coords: str) -> dict[str, Any]:
    rows = frame.filter(*(pl.col(k) == v for k, v in coords.items()))
    assert rows.height == 1, coords
    return rows.row(0, named=True)


def test_ssb_13760_values_in_published_order() -> None:
    ds = read_jsonstat(ssb("13760_data_no.json"))
    frame = ds.frame
    assert frame.columns == [
        "Kjonn", "Alder", "Justering", "ContentsCode", "Tid", "value", "status",
    ]  # fmt: skip
    assert frame.schema["value"] == pl.Float64
    assert frame.schema["status"] == pl.String
    assert frame.get_column("value").to_list() == [3057, 3071, 3064, 4.6, 4.2, 4.5]
    assert cell(frame, ContentsCode="ArbledProsArbstyrk", Tid="2026M06")["value"] == 4.6
    assert cell(frame, ContentsCode="Arbeidsstyrken", Tid="2026M08")["value"] == 3064
    assert frame.get_column("Kjonn").unique().to_list() == ["0"]
    assert frame.get_column("status").null_count() == 6


def test_ssb_13760_metadata() -> None:
    meta = read_jsonstat(ssb("13760_data_no.json")).meta
    assert meta.label is not None
    assert meta.label.startswith("13760: Arbeidsstyrken")
    assert meta.source == "Statistisk sentralbyrå"
    assert meta.updated == "2026-09-23T06:00:00Z"
    assert len(meta.notes) == 2
    assert meta.roles == {"time": ["Tid"], "metric": ["ContentsCode"]}
    assert meta.extension["px"]["tableid"] == "13760"
    contents = meta.dimension("ContentsCode")
    assert contents.role == "metric"
    assert contents.codes == ["Arbeidsstyrken", "ArbledProsArbstyrk"]
    assert contents.units == {
        "Arbeidsstyrken": Unit(base="1000 personer", decimals=0),
        "ArbledProsArbstyrk": Unit(base="prosent", decimals=1),
    }
    kjonn = meta.dimension("Kjonn")
    assert kjonn.label == "kjønn"
    assert kjonn.labels == {"0": "Begge kjønn"}
    assert kjonn.extension["eliminationValueCode"] == "0"
    assert kjonn.link["describedby"][0]["extension"]["Kjonn"] == "urn:ssb:classification:klass:2"
    assert meta.dimension("Tid").role == "time"
    assert meta.dimension("Alder").role is None


def test_labels_columns_follow_each_dimension() -> None:
    frame = read_jsonstat(ssb("13760_data_no.json"), labels=True).frame
    assert frame.columns[:4] == ["Kjonn", "Kjonn_label", "Alder", "Alder_label"]
    assert frame.columns[-2:] == ["value", "status"]
    row = cell(frame, ContentsCode="ArbledProsArbstyrk", Tid="2026M07")
    assert row["ContentsCode_label"] == "Arbeidsledige i prosent av arbeidsstyrken"
    assert row["Kjonn_label"] == "Begge kjønn"
    assert row["value"] == 4.2


def test_index_object_is_ordered_by_position_not_key() -> None:
    ds = read_jsonstat(HERE / "ssb_v1_bundle_synthetic.json", labels=True)
    assert ds.meta.dimension("Kjonn").codes == ["0", "2", "1"]
    frame = ds.frame
    assert frame.get_column("Kjonn").to_list() == ["0", "0", "2", "2", "1", "1"]
    assert cell(frame, Kjonn="2", Tid="2024M01")["value"] == 20
    assert cell(frame, Kjonn="1", Tid="2024M02")["value"] == 31
    missing = cell(frame, Kjonn="2", Tid="2024M02")
    assert missing["value"] is None
    assert missing["status"] == ".."
    assert missing["Kjonn_label"] == "Kvinner"
    assert cell(frame, Kjonn="1", Tid="2024M01")["Tid_label"] == "2024M01"  # no labels: codes
    assert ds.meta.roles == {"time": ["Tid"], "metric": ["ContentsCode"]}


def test_sparse_values_status_array_child_and_notes() -> None:
    ds = read_jsonstat(HERE / "sparse_status_synthetic.json")
    frame = ds.frame
    assert frame.get_column("value").to_list() == [5.5, None, None, 1.25, None, 0.0]
    assert frame.get_column("status").to_list() == [None, ":", None, None, ":", "*"]
    region = ds.meta.dimension("region")
    assert region.children == {"0": ["03", "11"]}
    assert region.notes == ["synthetic dimension note"]
    assert region.category_notes == {"03": ["synthetic category note"]}
    assert ds.meta.notes == ["synthetic dataset note"]


def test_canada_status_one_element_array_applies_to_all_and_missing_index() -> None:
    ds = read_jsonstat(sample("canada.json"))
    frame = ds.frame
    assert frame.height == 120
    assert frame.get_column("status").unique().to_list() == ["a"]
    assert frame.get_column("country").unique().to_list() == ["CA"]  # no index: the single label
    assert frame.row(0) == ("CA", "2012", "T", "POP", "T", 34880.5, "a")
    assert cell(frame, age="T", concept="POP", sex="F")["value"] == 17571.3
    assert cell(frame, age="T", concept="PERCENT", sex="T")["value"] == 100.0
    pop = ds.meta.dimension("concept").units["POP"]
    assert pop == Unit(
        label="thousands of persons",
        position="end",
        decimals=1,
        base="people",
        multiplier=3,
        extension={"type": "count"},
    )
    assert ds.meta.dimension("country").labels == {"CA": "Canada"}


def test_galicia_six_dimensions() -> None:
    ds = read_jsonstat(sample("galicia.json"))
    sizes = [(d.id, len(d.codes)) for d in ds.meta.dimensions]
    assert sizes == [
        ("birth", 6), ("age", 22), ("gender", 3), ("time", 2), ("residence", 5), ("concept", 1),
    ]  # fmt: skip
    assert ds.frame.height == 3960
    assert ds.frame.row(0) == ("T", "T", "T", "2001", "T", "pop", 2695880.0, None)
    assert ds.frame.row(3959) == ("F", "100", "F", "2011", "36", "pop", 11.0, None)
    assert ds.meta.roles["geo"] == ["residence", "birth"]
    assert ds.meta.dimension("concept").units == {"pop": Unit(label="persons", decimals=0)}


def test_oecd_status_object_hierarchy_and_notes() -> None:
    ds = read_jsonstat(sample("oecd.json"))
    frame = ds.frame
    assert cell(frame, area="NO", year="2012")["value"] == 3.098584692
    assert cell(frame, area="AU", year="2013")["status"] == "e"
    assert cell(frame, area="AU", year="2003") == {
        "concept": "UNR", "area": "AU", "year": "2003", "value": 5.943826289, "status": None,
    }  # fmt: skip
    area = ds.meta.dimension("area")
    assert area.children["EU15"][:3] == ["AT", "BE", "DE"]
    assert area.category_notes["DE"][0].startswith("Germany (code DE) was created")
    assert ds.meta.extension["contact"] == "EcoOutlook@oecd.org"
    assert ds.meta.href == "https://json-stat.org/samples/oecd.json"
    assert ds.meta.dimension("concept").units["UNR"].decimals == 9


def test_hierarchy_sparse_null_and_children() -> None:
    ds = read_jsonstat(sample("hierarchy.json"))
    commodity = ds.meta.dimension("commodity")
    assert len(commodity.codes) == 132
    assert commodity.codes[:4] == ["T", "1", "1.1", "1.1.1"]
    assert len(commodity.children["T"]) == 11
    assert commodity.children["1"] == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7"]
    assert ds.frame.height == 132
    assert ds.frame.get_column("value").null_count() == 132


def test_order_sample_keeps_text_values_in_row_major_order() -> None:
    frame = read_jsonstat(sample("order.json")).frame
    assert frame.columns == ["A", "B", "C", "value", "value_text", "status"]
    assert frame.get_column("value").null_count() == 24
    texts = frame.get_column("value_text").to_list()
    assert texts[:5] == ["A1B1C1", "A1B1C2", "A1B1C3", "A1B1C4", "A1B2C1"]
    assert texts[-1] == "A3B2C4"
    # The official sample itself publishes "A1B1C4" at A2 B1 C4: we keep what was published.
    assert cell(frame, A="2", B="1", C="4")["value_text"] == "A1B1C4"
    assert cell(frame, A="3", B="1", C="2")["value_text"] == "A3B1C2"


def test_us_gsp_units() -> None:
    ds = read_jsonstat(sample("us-gsp.json"))
    assert cell(ds.frame, state="01", concept="gsp")["value"] == 174400
    assert cell(ds.frame, state="02", concept="gsp")["value"] == 45600
    units = ds.meta.dimension("concept").units
    assert units["gsp"] == Unit(
        label="million", symbol="$", position="start", decimals=0, multiplier=6
    )
    assert units["perc"].decimals == 2
    assert ds.meta.dimension("state").labels["01"] == "Alabama"


def test_ssb_v1_bundles() -> None:
    crime = read_jsonstat(ssb("crime-rate.json"))
    assert crime.frame.height == 2 * 7 * 17 * 2
    assert crime.frame.get_column("value").head(3).to_list() == [392225, 82.8, 391916]
    assert crime.meta.roles == {
        "geo": ["Gjerningssted"], "time": ["Tid"], "metric": ["ContentsCode"],
    }  # fmt: skip
    assert crime.meta.dimension("ContentsCode").units["AnmLovbrPer1000"] == Unit(
        base="per 1000", decimals=1
    )
    population = read_jsonstat(ssb("population-age.json"))
    assert cell(population.frame, Alder="105+")["value"] == 97
    assert cell(population.frame, Alder="000")["value"] == 54168
    wage = read_jsonstat(ssb("wage.json"))
    assert wage.frame.height == 1998
    assert wage.frame.get_column("status").value_counts().filter(pl.col("status") == ":")[
        "count"
    ].to_list() == [285]
    # flat 1369 = Region IFNorge (2) * 666 + NACE 01-03 (1) * 37 + 2016K1 (0)
    row = wage.frame.row(1369, named=True)
    assert (row["Region"], row["NACE2007"], row["Tid"]) == ("IFNorge", "01-03", "2016K1")
    assert (row["value"], row["status"]) == (None, ":")
    assert cell(wage.frame, Region="Ialt", NACE2007="00-99", Tid="2016K3")["value"] == 72.8


def test_collections_give_every_dataset() -> None:
    assert len(read_jsonstat_collection(sample("collection.json"))) == 1
    oecd, canada = read_jsonstat_collection(sample("oecd-canada-col.json"))
    assert (oecd.frame.height, canada.frame.height) == (432, 120)
    assert oecd.meta.label == "Unemployment rate in the OECD countries 2003-2014"
    assert canada.frame.get_column("status").unique().to_list() == ["a"]
    first, second = read_jsonstat_collection(HERE / "bundle_two_synthetic.json")
    assert first.frame.get_column("value").to_list() == [1, 2]
    assert second.frame.rows() == [("x", 3.0, "p")]
    assert len(read_jsonstat_collection(sample("dataset.json"))) == 1


def test_read_jsonstat_refuses_collections_and_points_to_the_right_call() -> None:
    with pytest.raises(JsonStatError, match="read_jsonstat_collection"):
        read_jsonstat(sample("oecd-canada-col.json"))
    with pytest.raises(JsonStatError, match="bundle of 2 datasets"):
        read_jsonstat(HERE / "bundle_two_synthetic.json")


def test_every_shared_file_reads() -> None:
    files = sorted(sample(".").glob("*.json")) + sorted(ssb(".").glob("*.json"))
    assert len(files) >= 14
    for path in files:
        for ds in read_jsonstat_collection(path, labels=True):
            sizes = [len(d.codes) for d in ds.meta.dimensions]
            assert ds.frame.height == math.prod(sizes), path
            assert ds.frame.columns[-1] == "status", path


def test_inputs_bytes_text_path_and_mapping_agree() -> None:
    path = ssb("13760_data_no.json")
    raw = path.read_bytes()
    expected = read_jsonstat(path).frame
    assert read_jsonstat(raw).frame.equals(expected)
    assert read_jsonstat("\n  " + raw.decode()).frame.equals(expected)
    assert read_jsonstat(str(path)).frame.equals(expected)
    assert read_jsonstat(msgspec.json.decode(raw)).frame.equals(expected)
