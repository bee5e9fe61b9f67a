"""``navdata.ssb_table`` and ``navdata.ssb_search`` end to end against the fake PxWebApi.

The fake (tests/fakes/ssb.py, on 127.0.0.1) serves the REAL 13760 answer (../shared, never
copied): ContentsCode ``Arbeidsstyrken`` 2026M06-08 = 3057, 3071, 3064 and
``ArbledProsArbstyrk`` = 4.6, 4.2, 4.5; Kjonn 0, Alder 15-74 and Justering S only.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

import navdata
from e2e_upstreams import REAL_13760, Upstreams, running
from fakes.server import serve
from fakes.ssb import FakeSSB, synthetic_big_table, table_from_data_response
from navdata.errors import (
    InvalidArgumentError,
    OfflineError,
    SelectionError,
    UnknownTableError,
    UnknownVariableError,
)
from navdata.result import TableResult
from shared_files import shared_path

RATE = "ArbledProsArbstyrk"
TITLE = (
    "13760: Arbeidsstyrken, sysselsatte, arbeidsledige  og utførte ukeverk for personer 15-74 "
    "år, etter kjønn, alder, type justering og måned"
)


@pytest.fixture
def ups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Upstreams]:
    with running(tmp_path, monkeypatch) as started:
        yield started


def test_a_selection_with_expressions_elimination_and_provenance(ups: Upstreams) -> None:
    result = navdata.ssb_table("13760", Justering="S", ContentsCode=RATE, time="top(2)")
    assert isinstance(result, TableResult)
    # Kjonn and Alder were left out: SSB eliminates them (their totals), so no column
    assert result.frame.columns == [
        "Justering",
        "ContentsCode",
        "period",
        "date",
        "value",
        "status",
    ]
    assert result.frame.select("period", "value").rows() == [("2026M07", 4.2), ("2026M08", 4.5)]
    assert result.frame["date"].to_list()[0].isoformat() == "2026-07-01"
    assert result.title == TITLE
    assert result.meta.dimension_ids == ["Justering", "ContentsCode", "period"]
    assert result.meta.dimension("period").extension["source_id"] == "Tid"
    prov = result.provenance
    assert prov is not None
    assert (prov.publisher, prov.table, prov.licence) == (
        "Statistisk sentralbyrå",
        "13760",
        "CC BY 4.0",
    )
    assert prov.url == f"{ups.ssb_url}/tables/13760/data?lang=no"
    assert prov.query is not None
    assert prov.query["selection"] == {
        "Justering": ["S"],
        "ContentsCode": [RATE],
        "time": ["top(2)"],
    }
    assert (prov.query["cells"], prov.query["requests"]) == (2, 1)
    assert len(prov.content_hash or "") == 64
    (data,) = ups.ssb.data_requests()
    assert data.cells == 2  # the expression was expanded before asking: exactly two months
    assert "13760" in repr(result)


def test_labels_on_request(ups: Upstreams) -> None:
    result = navdata.ssb_table(
        "13760", Kjonn="0", Alder="*", Justering="S", ContentsCode=["Arbeidsstyrken", RATE],
        Tid="from(2026M08)", labels=True,
    )  # fmt: skip
    assert result.frame.columns == [
        "Kjonn", "Alder", "Justering", "ContentsCode",
        "Kjonn_label", "Alder_label", "Justering_label", "ContentsCode_label",
        "period", "date", "value", "status",
    ]  # fmt: skip
    assert result.frame.select("Kjonn_label", "ContentsCode_label", "period", "value").rows() == [
        ("Begge kjønn", "Arbeidsstyrken (1000 personer)", "2026M08", 3064.0),
        ("Begge kjønn", "Arbeidsledige i prosent av arbeidsstyrken", "2026M08", 4.5),
    ]


def test_the_disk_cache_answers_a_second_call_and_offline(ups: Upstreams) -> None:
    first = navdata.ssb_table("13760", Justering="S", ContentsCode=RATE, Tid="*")
    asked = len(ups.ssb.requests)
    assert asked >= 2  # /config or the metadata, and the data
    again = navdata.ssb_table("13760", Justering="S", ContentsCode=RATE, Tid="*")
    assert len(ups.ssb.requests) == asked  # nothing sent: every answer came from the disk cache
    assert again.frame.equals(first.frame)
    offline = navdata.ssb_table("13760", Justering="S", ContentsCode=RATE, Tid="*", offline=True)
    assert offline.frame.equals(first.frame)
    with pytest.raises(OfflineError):
        navdata.ssb_table("13760", Justering="S", ContentsCode="*", Tid="*", offline=True)
    assert len(ups.ssb.requests) == asked


def test_a_query_over_the_cell_limit_is_split_and_stitched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeSSB([table_from_data_response(shared_path(*REAL_13760))], max_cells=2)
    with serve(fake) as base:
        monkeypatch.setenv("NAVDATA_SSB_URL", base)
        monkeypatch.setenv("NAVDATA_CACHE_DIR", str(tmp_path / "cache"))
        monkeypatch.setenv("NAVDATA_OFFLINE", "0")
        result = navdata.ssb_table("13760", Justering="S", ContentsCode="*", Tid="*")
    data = fake.data_requests()
    assert len(data) == 3
    assert all(r.cells is not None and r.cells <= 2 for r in data)
    assert result.frame.select("ContentsCode", "period", "value").rows() == [
        ("Arbeidsstyrken", "2026M06", 3057.0),
        ("Arbeidsstyrken", "2026M07", 3071.0),
        ("Arbeidsstyrken", "2026M08", 3064.0),
        (RATE, "2026M06", 4.6),
        (RATE, "2026M07", 4.2),
        (RATE, "2026M08", 4.5),
    ]
    wide = result.wide()
    assert wide.columns == [
        "period", "date", "13760[ContentsCode=Arbeidsstyrken]", f"13760[ContentsCode={RATE}]",
    ]  # fmt: skip
    assert wide.drop("date").rows()[0] == ("2026M06", 3057.0, 4.6)
    assert list(result.to_pandas()["value"]) == result.frame["value"].to_list()


def test_a_codelist_replaces_a_variables_codes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SYNTHETIC table 99001: value = 1,000,000 * region + 100,000 * sex + 1,000 * content + month
    fake = FakeSSB([synthetic_big_table(regions=40, months=12, contents=2)])
    with serve(fake) as base:
        monkeypatch.setenv("NAVDATA_SSB_URL", base)
        monkeypatch.setenv("NAVDATA_CACHE_DIR", str(tmp_path / "cache"))
        monkeypatch.setenv("NAVDATA_OFFLINE", "0")
        result = navdata.ssb_table(
            "99001",
            Region=["F-00", "F-01"],
            ContentsCode="C00",
            Tid="top(1)",
            codelists={"Region": "agg_SynthFylker"},
        )
    # F-00 sums K0000 and K0020, F-01 sums K0001 and K0021; Kjonn is eliminated to its total 0
    assert result.frame.select("Region", "period", "value").rows() == [
        ("F-00", "1996M12", 0 + 20_000_000 + 2 * 11.0),
        ("F-01", "1996M12", 1_000_000 + 21_000_000 + 2 * 11.0),
    ]
    (data,) = fake.data_requests()
    assert data.cells == 2


def test_bad_selections_say_what_is_wrong(ups: Upstreams) -> None:
    with pytest.raises(UnknownTableError):
        navdata.ssb_table("99999", Tid="*")
    with pytest.raises(UnknownVariableError, match="its variables are: Kjonn, Alder"):
        navdata.ssb_table("13760", Region="0301", ContentsCode=RATE, Tid="*", Justering="S")
    with pytest.raises(SelectionError, match="cannot be eliminated"):
        navdata.ssb_table("13760", Justering="S", Tid="*")
    with pytest.raises(InvalidArgumentError, match="selected twice"):
        navdata.ssb_table("13760", selection={"Tid": "*"}, tid="top(1)")
    with pytest.raises(InvalidArgumentError, match="codes as text"):
        navdata.ssb_table("13760", Tid=[2026.5])  # type: ignore[list-item]
    assert ups.ssb.data_requests() == []  # every one failed before asking for data


def test_ssb_search_lists_matching_tables(ups: Upstreams) -> None:
    found = navdata.ssb_search("arbeidsledige")
    assert found.schema["variables"] == pl.List(pl.String)
    assert found.to_dicts() == [
        {
            "id": "13760",
            "title": TITLE,
            "first_period": "2026M06",
            "last_period": "2026M08",
            "time_unit": "Monthly",
            "updated": "2026-09-23T06:00:00Z",
            "variables": ["kjønn", "alder", "type justering", "statistikkvariabel", "måned"],
            "discontinued": False,
        }
    ]
    asked = len(ups.ssb.requests)
    assert navdata.ssb_search("arbeidsledige").equals(found)
    assert len(ups.ssb.requests) == asked  # cached
    assert navdata.ssb_search("no such words").height == 0
    with pytest.raises(InvalidArgumentError, match="words to look for"):
        navdata.ssb_search()
