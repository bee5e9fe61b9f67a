"""Fake SSB and fake nav.no on 127.0.0.1 with navdata's environment pointed at them (e2e tests).

The SSB fake serves the REAL 13760 response (../shared, never copied): ContentsCode
``ArbledProsArbstyrk`` 2026M06-08 = 4.6, 4.2, 4.5 and ``Arbeidsstyrken`` = 3057, 3071, 3064.
The nav.no fake serves the SYNTHETIC HL060 workbook of tests/nav_workbooks.py (Eigersund 1101
as quoted in the reference). Tables the fake does not hold (07459, 12441 ...) answer 404.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from fakes.nav import FakeNav
from fakes.server import serve
from fakes.ssb import FakeSSB, table_from_data_response
from nav_workbooks import hl060_spec, to_xlsx
from navdata.sources.nav.tables import TABLES
from shared_files import shared_path

REAL_13760 = ("fixtures", "ssb-real", "13760_data_no.json")
HL060_FILE = "202608_HL060 Helt ledige.xlsx"


@dataclass
class Upstreams:
    ssb: FakeSSB
    nav: FakeNav
    ssb_url: str
    nav_url: str
    store_dir: Path
    cache_dir: Path

    def env(self, *, offline: bool = False) -> dict[str, str]:
        return {
            "NAVDATA_SSB_URL": self.ssb_url,
            "NAVDATA_NAV_URL": self.nav_url,
            "NAVDATA_KLASS_URL": "http://127.0.0.1:9",  # never used by these tests
            "NAVDATA_STORE_DIR": str(self.store_dir),
            "NAVDATA_CACHE_DIR": str(self.cache_dir),
            "NAVDATA_OFFLINE": "1" if offline else "0",
        }

    def publish_hl060(self) -> None:
        page = TABLES["HL060"].page_path
        self.nav.publish(page, [(HL060_FILE, to_xlsx(hl060_spec()), "HL060 Helt ledige")])


@contextmanager
def running(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Upstreams]:
    """Start both fakes, publish HL060, point navdata's environment at them and at tmp dirs."""
    ssb = FakeSSB([table_from_data_response(shared_path(*REAL_13760))])
    nav = FakeNav()
    with serve(ssb) as ssb_url, serve(nav) as nav_url:
        ups = Upstreams(ssb, nav, ssb_url, nav_url, tmp_path / "store", tmp_path / "cache")
        ups.publish_hl060()
        for name, value in ups.env().items():
            monkeypatch.setenv(name, value)
        yield ups
