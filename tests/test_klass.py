"""KlassClient end to end over real sockets against the fake KLASS, and the regions refresh."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from fakes.klass import FakeKlass
from fakes.server import serve
from navdata import regions
from navdata.errors import OfflineError, RegionError, UnknownClassificationError, UpstreamError
from navdata.http import RATE_LIMITERS, HttpClient
from navdata.sources.klass import CodeChange, Correspondence, KlassClient


@pytest.fixture
def fake() -> Iterator[tuple[FakeKlass, str]]:
    app = FakeKlass()
    with serve(app) as base_url:
        yield app, base_url


@pytest.fixture
def client(fake: tuple[FakeKlass, str], tmp_path: Path) -> Iterator[KlassClient]:
    RATE_LIMITERS.clear()
    with KlassClient(fake[1], cache_dir=tmp_path, rate=None, max_attempts=2) as klass:
        yield klass


@pytest.fixture(autouse=True)
def _restore_default_table() -> Iterator[None]:
    yield
    regions.set_default_table(None)


def test_codes_at_sends_accept_json(client: KlassClient, fake: tuple[FakeKlass, str]) -> None:
    codes = client.codes_at(104, date(2022, 6, 1))
    assert [(c.code, c.name) for c in codes] == [("03", "Oslo"), ("30", "Viken")]
    assert codes[1].valid_from == date(2020, 1, 1)
    assert codes[1].valid_to == date(2024, 1, 1)
    path, query, headers = fake[0].requests[-1]
    assert path == "/classifications/104/codesAt"
    assert query == {"date": "2022-06-01", "language": "nb"}
    assert headers["accept"] == "application/json"
    assert headers["user-agent"].startswith("navdata/")


def test_fake_answers_xml_without_the_header(fake: tuple[FakeKlass, str]) -> None:
    # the proof that the header matters: the same URL without it is XML, which the client refuses
    with HttpClient(rate=None, cache_dir=False) as http:
        raw = http.get(f"{fake[1]}/classifications/104/codesAt", params={"date": "2022-06-01"})
    assert raw.headers["content-type"].startswith("application/xml")


def test_changes_per_hop(client: KlassClient) -> None:
    changes = client.changes(131, date(2019, 12, 31), date(2024, 1, 2))
    assert changes == [
        CodeChange("0105", "3003", date(2020, 1, 1), "Sarpsborg", "Sarpsborg"),
        CodeChange("3003", "3105", date(2024, 1, 1), "Sarpsborg", "Sarpsborg"),
        CodeChange("0301", "0301", date(2020, 1, 1), "Oslo", "Oslo - Oslove"),
        CodeChange("", "9999", date(2024, 1, 1), "", "Ny kommune"),
    ]
    assert client.changes(131, date(2021, 1, 1), date(2023, 1, 1)) == []
    with pytest.raises(ValueError, match="before from_date"):
        client.changes(131, date(2024, 1, 1), date(2020, 1, 1))


def test_corresponds_at(client: KlassClient) -> None:
    items = client.corresponds_at(104, 131, date(2024, 1, 1))
    assert Correspondence("30", "3003", "Viken", "Sarpsborg") in items
    assert len(items) == 4


def test_errors_are_mapped(client: KlassClient) -> None:
    with pytest.raises(
        UnknownClassificationError, match="Classification not found with id = 7777"
    ) as info:
        client.codes_at(7777, date(2024, 1, 1))
    assert info.value.status == 404
    with pytest.raises(UnknownClassificationError, match="no correspondence 131 -> 104"):
        client.corresponds_at(131, 104, date(2024, 1, 1))
    with pytest.raises(UpstreamError, match="400") as bad:
        client._get("classifications/104/codesAt", {"date": "not-a-date"})
    assert bad.value.status == 400


def test_cache_then_offline(fake: tuple[FakeKlass, str], tmp_path: Path) -> None:
    with KlassClient(fake[1], cache_dir=tmp_path, rate=None) as online:
        first = online.codes_at(131, date(2024, 6, 1))
    sent = len(fake[0].requests)
    with KlassClient(fake[1], cache_dir=tmp_path, offline=True) as offline:
        assert offline.codes_at(131, date(2024, 6, 1)) == first
        with pytest.raises(OfflineError):
            offline.codes_at(131, date(2020, 6, 1))
    assert len(fake[0].requests) == sent


def test_refresh_from_klass_fills_the_gap(client: KlassClient) -> None:
    with pytest.raises(RegionError, match="refresh_from_klass"):
        regions.current_code("0105", date(2025, 1, 1))
    table = regions.refresh_from_klass(client, since=date(2017, 12, 31), until=date(2025, 1, 1))
    assert regions.default_table() is table
    assert regions.current_code("0105", date(2025, 1, 1)) == ["3105"]
    assert regions.current_code("3105", date(2021, 1, 1)) == ["3003"]
    # bundled rows are still there; the rename and the started code were not turned into hops
    assert regions.current_code("0111", date(2025, 1, 1)) == ["3110"]
    assert regions.current_code("0301", date(2025, 1, 1)) == ["0301"]
    assert not [c for c in table.changes if c.new_code == "9999"]
    assert any(c.source.startswith("KLASS 131") for c in table.changes)
    regions.set_default_table(None)
    with pytest.raises(RegionError):
        regions.current_code("0105", date(2025, 1, 1))


def test_refresh_without_install(client: KlassClient) -> None:
    table = regions.refresh_from_klass(client, install=False)
    assert regions.default_table() is regions.bundled_table()
    assert regions.current_code("0105", date(2025, 1, 1), table=table) == ["3105"]
