"""End to end over real sockets: a fake nav.no (tests/fakes/nav.py) serving SYNTHETIC files."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from fakes.nav import FakeNav
from fakes.server import serve
from nav_workbooks import EIGERSUND_HL060, aap155_spec, hl060_spec, pst302_spec, to_xlsx
from navdata.errors import LinkNotFoundError, MissingDataError, OfflineError, UpstreamError
from navdata.sources.nav import NavClient
from navdata.sources.nav.tables import TABLES
from test_nav_csv_links import CSV_TEXT


@pytest.fixture
def fake() -> Iterator[tuple[FakeNav, str]]:
    app = FakeNav()
    with serve(app) as base_url:
        yield app, base_url


def client(base_url: str, cache: Path, *, offline: bool = False) -> NavClient:
    return NavClient(base_url, cache_dir=cache, offline=offline, rate=None, max_attempts=1)


def values(frame: pl.DataFrame, region: str, measure: str = "count") -> list[float | None]:
    rows = frame.filter((pl.col("region") == region) & (pl.col("measure") == measure))
    return rows["value"].to_list()


def test_hl060_page_link_file_and_provenance(fake: tuple[FakeNav, str], tmp_path: Path) -> None:
    app, base = fake
    content = to_xlsx(hl060_spec())
    page = TABLES["HL060"].page_path
    (path,) = app.publish(page, [("202608_HL060 Helt ledige.xlsx", content, "HL060 Helt ledige")])
    with client(base, tmp_path) as nav:
        ds = nav.table("HL060", year=2026)
    assert values(ds.frame, "1101") == [float(v) for v in EIGERSUND_HL060]
    prov = ds.meta.provenance
    assert prov is not None
    assert prov.url == base + path
    assert prov.content_hash == "sha256:" + hashlib.sha256(content).hexdigest()
    assert prov.query == {"file_name": "202608_HL060 Helt ledige.xlsx", "page_url": base + page}
    assert prov.retrieved is not None
    assert app.requests == [page, path]


def test_new_release_is_followed_and_not_served_stale(
    fake: tuple[FakeNav, str], tmp_path: Path
) -> None:
    app, base = fake
    page = TABLES["HL060"].page_path
    july = to_xlsx(hl060_spec(months=7))
    august = to_xlsx(hl060_spec())
    (old_path,) = app.publish(page, [("202607_HL060 Helt ledige.xlsx", july, "HL060")])
    with client(base, tmp_path) as nav:
        before = nav.table("HL060")
        (new_path,) = app.publish(page, [("202608_HL060 Helt ledige.xlsx", august, "HL060")])
        after = nav.table("HL060")
    assert before.meta.dimension("period").codes[-1] == "2026M07"
    assert after.meta.dimension("period").codes[-1] == "2026M08"
    assert values(after.frame, "1101")[-1] == 182.0
    assert before.meta.provenance
    assert after.meta.provenance
    assert before.meta.provenance.content_hash != after.meta.provenance.content_hash
    assert app.requests == [page, old_path, page, new_path]  # page asked again, new file fetched


def test_offline_serves_the_cached_release_and_says_when_missing(
    fake: tuple[FakeNav, str], tmp_path: Path
) -> None:
    app, base = fake
    app.publish(
        TABLES["AAP155"].page_path,
        [("AAP155 Mottakere.xlsx", to_xlsx(aap155_spec()), "AAP")],
        form="inline",
    )
    with client(base, tmp_path) as nav:
        online = nav.table("AAP155")
    served = len(app.requests)
    with client(base, tmp_path, offline=True) as nav:
        offline = nav.table("AAP155")
    assert len(app.requests) == served  # nothing asked of the server
    assert offline.frame.equals(online.frame)
    with client(base, tmp_path / "empty", offline=True) as nav, pytest.raises(OfflineError):
        nav.table("AAP155")


def test_page_without_the_link(fake: tuple[FakeNav, str], tmp_path: Path) -> None:
    app, base = fake
    page = TABLES["PST302"].page_path
    app.publish(page, [("PST311 Nye mottakere.xlsx", b"x", "PST311")])
    with client(base, tmp_path) as nav, pytest.raises(LinkNotFoundError) as caught:
        nav.table("PST302")
    assert base + page in str(caught.value)
    assert "PST302" in str(caught.value)
    assert "'PST311 Nye mottakere.xlsx'" in str(caught.value)


def test_missing_page_is_an_upstream_error(fake: tuple[FakeNav, str], tmp_path: Path) -> None:
    _, base = fake
    with client(base, tmp_path) as nav, pytest.raises(UpstreamError, match="HTTP 404") as caught:
        nav.table("PST302")
    assert caught.value.status == 404


def test_pst302_and_year_check(fake: tuple[FakeNav, str], tmp_path: Path) -> None:
    app, base = fake
    app.publish(
        TABLES["PST302"].page_path, [("PST302 Mottakere.xlsx", to_xlsx(pst302_spec()), "PST302")]
    )
    with client(base, tmp_path) as nav:
        ds = nav.table("PST302")
        assert values(ds.frame, "030101", "share")[0] == 6.306333321699
        with pytest.raises(MissingDataError, match=r"covering \[2026\], not 2025"):
            nav.table("PST302", year=2025)


def test_helt_ledige_csv_month_from_link_text(fake: tuple[FakeNav, str], tmp_path: Path) -> None:
    app, base = fake
    text = "Helt ledige etter fylke og kommune august 2026"
    content = b"\xef\xbb\xbf" + CSV_TEXT.encode()
    app.publish(TABLES["HL-CSV"].page_path, [("helt_ledige_fylke_kommune.csv", content, text)])
    with client(base, tmp_path) as nav:
        ds = nav.table("hl-csv")
    assert set(ds.frame["period"]) == {"2026M08"}
    assert values(ds.frame, "1101") == [197.0]
    assert values(ds.frame, "0") == [61234.0]


def test_pst302_page_with_its_link_only_in_next_data(
    fake: tuple[FakeNav, str], tmp_path: Path
) -> None:
    app, base = fake
    page = TABLES["PST302"].page_path
    content = to_xlsx(pst302_spec())
    (path,) = app.publish(page, [("PST302 Mottakere.xlsx", content, "PST302")], next_data=True)
    assert '<a href="/_/attachment' not in app.pages[page]
    with client(base, tmp_path) as nav:
        ds = nav.table("PST302")
    assert values(ds.frame, "03")[0] == 32100.0
    assert ds.meta.provenance is not None
    assert ds.meta.provenance.url == base + path
