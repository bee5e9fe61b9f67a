"""Fake SSB and fake nav.no on 127.0.0.1 with navdata's environment pointed at them (e2e tests).

The SSB fake serves table 13760 in one of two kinds (:data:`KINDS`; a test module's ``ups``
fixture runs every test with each):

- ``real``: the REAL 13760 response (../shared, never copied): ContentsCode
  ``ArbledProsArbstyrk`` 2026M06-08 = 4.6, 4.2, 4.5 and ``Arbeidsstyrken`` = 3057, 3071, 3064.
  Skipped when ../shared is absent.
- ``synthetic``: its SYNTHETIC twin (tests/fakes/ssb_tables.py): the same codes and labels,
  made-up values 9.1, 9.2, 9.3 and 1001, 1002, 1003. Always runs, so the core path is tested in
  a bare clone too.

:attr:`Upstreams.rates` holds the three ``ArbledProsArbstyrk`` values of the kind running.
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
from fakes.ssb import SYNTHETIC_13760_VALUES, FakeSSB, synthetic_13760, table_from_data_response
from nav_workbooks import hl060_spec, to_xlsx
from navdata.sources.nav.tables import TABLES
from shared_files import shared_path

REAL_13760 = ("fixtures", "ssb-real", "13760_data_no.json")
HL060_FILE = "202608_HL060 Helt ledige.xlsx"
#: The kinds of table 13760 the fake SSB serves: the real answer, and its synthetic twin.
KINDS = ("real", "synthetic")
#: ``ArbledProsArbstyrk`` for 2026M06-08 in each kind.
RATES = {"real": (4.6, 4.2, 4.5), "synthetic": SYNTHETIC_13760_VALUES[3:]}


@dataclass
class Upstreams:
    ssb: FakeSSB
    nav: FakeNav
    ssb_url: str
    nav_url: str
    store_dir: Path
    cache_dir: Path
    kind: str = "real"

    @property
    def rates(self) -> list[float]:
        """The unemployment rates 2026M06-08 the fake SSB serves (ssb.aku.unemployment_rate)."""
        return list(RATES[self.kind])

    def aku_csv(self) -> str:
        """``navdata get ssb.aku.unemployment_rate`` as CSV, for the kind running."""
        rows = [
            f"0,15-74,S,2026M0{month},2026-0{month}-01,{rate},"
            for month, rate in zip((6, 7, 8), self.rates, strict=True)
        ]
        return "\n".join(["sex,age,adjustment,period,date,value,status", *rows, ""])

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
def running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str = "real"
) -> Iterator[Upstreams]:
    """Start both fakes, publish HL060, point navdata's environment at them and at tmp dirs.

    ``kind="real"`` skips the test when ../shared is absent; ``"synthetic"`` always runs.
    """
    table = (
        table_from_data_response(shared_path(*REAL_13760)) if kind == "real" else synthetic_13760()
    )
    ssb = FakeSSB([table])
    nav = FakeNav()
    with serve(ssb) as ssb_url, serve(nav) as nav_url:
        ups = Upstreams(
            ssb, nav, ssb_url, nav_url, tmp_path / "store", tmp_path / "cache", kind=kind
        )
        ups.publish_hl060()
        for name, value in ups.env().items():
            monkeypatch.setenv(name, value)
        yield ups
