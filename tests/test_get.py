"""navdata.get / describe / catalog / around end to end: fake SSB and nav.no over real sockets."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import msgspec
import polars as pl
import pytest

import navdata
from e2e_upstreams import HL060_FILE, KINDS, Upstreams, running
from nav_workbooks import EIGERSUND_HL060, OSLO_HL060
from navdata.access import Result, catalog, describe, get
from navdata.dataset import Dataset, Metadata
from navdata.errors import (
    InvalidArgumentError,
    MissingDataError,
    PeriodError,
    SelectionError,
    UnknownSeriesError,
)
from navdata.periods import with_dates
from navdata.store import ManifestEntry, Store

AKU = "ssb.aku.unemployment_rate"


@pytest.fixture(params=KINDS)
def ups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[Upstreams]:
    """The fakes with the real 13760 answer (skipped without ../shared) and its synthetic twin."""
    with running(tmp_path, monkeypatch, request.param) as started:
        yield started


def test_get_syncs_a_missing_series_once_then_reads_the_store(ups: Upstreams) -> None:
    result = get(AKU)
    assert result.frame.columns == ["sex", "age", "adjustment", "period", "date", "value", "status"]
    assert result.frame["period"].to_list() == ["2026M06", "2026M07", "2026M08"]
    assert result.frame["value"].to_list() == ups.rates  # as the fake SSB serves 13760
    assert result.frame["date"].to_list() == [date(2026, 6, 1), date(2026, 7, 1), date(2026, 8, 1)]
    assert result.frame["status"].null_count() == 3
    data_requests = len(ups.ssb.data_requests())
    assert data_requests == 1
    again = get(AKU, start="2026M07")
    assert again.frame["value"].to_list() == ups.rates[1:]
    assert len(ups.ssb.data_requests()) == data_requests  # read from the store, no new fetch
    assert result.provenance is not None
    assert result.provenance.table == "13760"
    assert result.provenance.url == f"{ups.ssb_url}/tables/13760/data?lang=no"
    assert result.series.id == AKU
    assert result.meta.updated == "2026-09-23T06:00:00Z"
    assert Store(ups.store_dir).has(AKU)


def test_period_bounds_are_inclusive_codes_or_dates(ups: Upstreams) -> None:
    assert get(AKU, end="2026M07").frame["value"].to_list() == ups.rates[:2]
    # a range that starts mid-July keeps July: every period overlapping the range is kept
    july_on = get(AKU, start="2026-07-15", end=date(2026, 8, 1))
    assert july_on.frame["value"].to_list() == ups.rates[1:]
    assert get(AKU, start="2026-08-02").frame["value"].to_list() == ups.rates[2:]
    assert get(AKU, start="2026", end="2026K3").frame.height == 3
    with pytest.raises(PeriodError):
        get(AKU, start="2026M13")


def test_labels_and_dimension_filters(ups: Upstreams) -> None:
    result = get(AKU, labels=True, sex="0")
    assert result.frame.columns[:6] == ["sex", "age", "adjustment", "sex_label", "age_label",
                                        "adjustment_label"]  # fmt: skip
    assert result.frame["sex_label"].to_list() == ["Begge kjønn"] * 3
    # the stored series holds both sexes only: a code it lacks is named, not an empty frame
    with pytest.raises(SelectionError, match=r"holds no sex '1'; its sex codes: 0 \(Begge kjønn\)"):
        get(AKU, sex="1")
    with pytest.raises(SelectionError, match=r"no dimension 'kjonn'.*valid names: sex, age"):
        get(AKU, kjonn="0")
    with pytest.raises(SelectionError, match="has no region dimension"):
        get(AKU, region="03")
    no = get(AKU, labels=True, sex="0", lang="no")  # type: ignore[call-overload]
    assert no.frame["sex_label"].to_list() == ["Begge kjønn"] * 3  # SSB's "no" means bokmål
    with pytest.raises(InvalidArgumentError, match="lang must be"):
        get(AKU, lang="de")  # type: ignore[call-overload]


def test_nav_regions_by_code_and_by_level(ups: Upstreams) -> None:
    eigersund = get("nav.helt_ledige", region="1101")
    assert eigersund.frame["value"].to_list() == [float(v) for v in EIGERSUND_HL060]
    assert eigersund.frame["period"].to_list()[0] == "2026M01"
    assert eigersund.provenance is not None
    assert eigersund.provenance.query == {
        "file_name": HL060_FILE,
        "page_url": ups.nav_url
        + navdata.series_catalog.describe("nav.helt_ledige").source_url[
            len("https://www.nav.no") :
        ],
    }
    fylker = get("nav.helt_ledige", region="fylke", start="2026M08", labels=True)
    # NAV's 99 «Svalbard og øvrige områder» is no fylke (and navdata invents no fylke 21)
    assert set(fylker.frame["region"].to_list()) == {"03", "11"}
    landet = get("nav.helt_ledige", region="landet", start="2026M08", labels=True)
    assert landet.frame.select("region", "region_label", "value").rows() == [
        ("0", "Hele landet", 14_665.0)
    ]  # the fylke sheet's national row: Oslo 12300 + Rogaland 2333 + 99 12 + Ukjent 20
    oslo = fylker.frame.filter(pl.col("region") == "03")
    assert oslo["value"].to_list() == [float(OSLO_HL060[-1])]
    assert oslo["region_label"].to_list() == ["Oslo - Oslove"]
    both = get("nav.helt_ledige", region=["1101", "0301"], end="2026M01")
    assert sorted(both.frame["value"].to_list()) == [197.0, 12125.0]
    with pytest.raises(InvalidArgumentError, match="not both"):
        get("nav.helt_ledige", region=["fylke", "0301"])


def test_offline_reads_the_store_and_names_what_is_missing(
    ups: Upstreams, monkeypatch: pytest.MonkeyPatch
) -> None:
    get(AKU)
    served = len(ups.ssb.requests)
    monkeypatch.setenv("NAVDATA_OFFLINE", "1")
    assert get(AKU).frame["value"].to_list() == ups.rates
    assert len(ups.ssb.requests) == served
    with pytest.raises(MissingDataError) as caught:
        get("ssb.aku.labour_force")
    assert str(caught.value) == (
        f"series 'ssb.aku.labour_force' is not in the local store at {ups.store_dir} and navdata "
        "is offline (offline=True or NAVDATA_OFFLINE=1); run "
        "navdata.sync('ssb.aku.labour_force') while online to fetch it from Statistisk "
        "sentralbyrå (SSB) "
        "(https://www.ssb.no/statbank/table/13760)"
    )
    assert len(ups.ssb.requests) == served  # nothing was asked upstream
    monkeypatch.setenv("NAVDATA_OFFLINE", "0")
    with pytest.raises(MissingDataError):
        get("ssb.aku.labour_force", offline=True)


def test_get_takes_metadata_and_rows_from_one_stored_version(
    ups: Upstreams, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sync by another process landing between get's metadata read and its row scan does not
    pair one version's metadata with the next version's numbers."""
    get(AKU)
    store = Store(ups.store_dir)
    stored = store.read(AKU)
    newer = Dataset(
        stored.frame.with_columns(pl.col("value") * 10),
        msgspec.structs.replace(stored.meta, updated="2026-10-23T06:00:00Z"),
    )
    read_metadata = Store.metadata

    def then_a_sync(self: Store, series: str | ManifestEntry) -> Metadata:
        meta = read_metadata(self, series)
        monkeypatch.setattr(Store, "metadata", read_metadata)
        store.write(AKU, newer)
        return meta

    monkeypatch.setattr(Store, "metadata", then_a_sync)
    result = get(AKU)
    assert result.meta.updated == "2026-09-23T06:00:00Z"
    assert result.frame["value"].to_list() == ups.rates
    latest = get(AKU)
    assert latest.meta.updated == "2026-10-23T06:00:00Z"
    assert latest.frame["value"].to_list() == [v * 10 for v in ups.rates]


def test_bundled_key_figures_work_offline_without_a_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NAVDATA_OFFLINE", "1")
    monkeypatch.setenv("NAVDATA_STORE_DIR", str(tmp_path / "nothing"))
    trust = get("keyfig.nav_user_trust")
    # datasets/key_figures/values.csv: 2023 = 71 (Dagsavisen citing NAV), 2025 = 76 (NAV)
    assert trust.frame.select("period", "value").rows() == [("2023", 71.0), ("2025", 76.0)]
    assert trust.frame.get_column("flags").to_list() == ["sec;yr?", None]
    assert trust.frame.get_column("quote")[1] == "76 prosent opplever å ha tillit til Nav."
    assert get("keyfig.nav_user_trust", start="2023", end="2024").frame["value"].to_list() == [71.0]
    assert trust.series.source == "bundled"
    assert not (tmp_path / "nothing").exists()
    assert describe("keyfig.nav_user_trust").stored is None


def test_describe_adds_the_stores_provenance(ups: Upstreams) -> None:
    before = describe(AKU)
    assert before.series.title.en.startswith("Unemployment rate")
    assert before.stored is None
    get(AKU)
    after = describe(AKU)
    assert after.stored is not None
    assert after.stored.rows == 3
    assert after.stored.table == "13760"
    assert after.store == str(ups.store_dir)
    with pytest.raises(UnknownSeriesError, match=r"did you mean ssb\.aku\.unemployment_rate"):
        describe("ssb.aku.unemployment_rat")


def test_catalog_lists_fetched_and_bundled_series() -> None:
    frame = catalog()
    assert frame.filter(pl.col("source") == "bundled")["id"].to_list() == [
        "keyfig.aku_unemployment_rate_annual",
        "keyfig.uforetrygd_share",
        "keyfig.uforepensjon_recipients",
        "keyfig.sickness_absence_quarterly_2006_2011",
        "keyfig.nav_user_trust",
        "keyfig.nav_user_satisfaction",
    ]
    assert catalog(topic="user_survey", lang="en")["title"].to_list()[0] == (
        "NAV users who trust NAV (percent), user survey"
    )
    assert catalog(frequency="quarter")["id"].to_list() == [
        "keyfig.sickness_absence_quarterly_2006_2011"
    ]
    # the documented top-level calls are plain functions (typed, no module tricks)
    assert navdata.catalog(source="bundled").height == 6
    assert navdata.series_catalog.load_catalog().ids[0] == AKU
    assert navdata.timeline(tag="trust-reform").height > 0


def test_result_files_are_written_whole(ups: Upstreams, tmp_path: Path) -> None:
    result = get(AKU)
    csv = result.write_csv(tmp_path / "aku.csv")
    assert csv.read_text("utf-8").splitlines()[:2] == [
        "sex,age,adjustment,period,date,value,status",
        f"0,15-74,S,2026M06,2026-06-01,{ups.rates[0]},",
    ]
    parquet = result.write_parquet(tmp_path / "aku.parquet")
    assert pl.read_parquet(parquet).equals(result.frame)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".tmp")) == []
    pandas = result.to_pandas()
    assert list(pandas["value"]) == ups.rates
    assert "3 rows x 7 columns" in repr(result)
    assert "periods 2026M06..2026M08" in repr(result)
    assert isinstance(result, Result)


def test_around_accepts_a_series_id(ups: Upstreams) -> None:
    with pytest.warns(navdata.StatisticsBreakWarning, match="county-reform-2024-in-force"):
        window = navdata.around("nav.helt_ledige", "county-reform-2024-in-force", 1, 1)
    assert [m.id for m in window.warnings] == ["county-reform-2024-in-force"]
    assert window.period_zero == "2024M01"
    assert window.frame.height == 0  # the synthetic workbook holds 2026 only


def _synthetic_halden(tmp_path: Path) -> Store:
    """Synthetic: Halden as published in each era (0101 to 2019, 3001 2020-23, 3101 from 2024)."""
    store = Store(tmp_path / "store")
    frame = pl.DataFrame(
        {
            "region": ["0101", "3001", "3101", "0301"],
            "period": ["2019", "2020", "2024", "2024"],
            "value": [1.0, 2.0, 3.0, 9.0],
            "status": [None, None, None, None],
        },
        schema_overrides={"status": pl.String},
    )
    store.write("nav.helt_ledige", Dataset(with_dates(frame), Metadata(dimensions=[])))
    return store


def test_region_codes_with_harmonise_keep_the_history_published_under_old_codes(
    tmp_path: Path,
) -> None:
    store = _synthetic_halden(tmp_path)
    halden = get("nav.helt_ledige", region="3101", harmonise="2024", store=store, offline=True)
    assert halden.frame["region"].to_list() == ["3101", "3101", "3101"]
    assert halden.frame["period"].to_list() == ["2019", "2020", "2024"]
    assert halden.frame["value"].to_list() == [1.0, 2.0, 3.0]
    plain = get("nav.helt_ledige", region="3101", store=store, offline=True)
    assert plain.frame["period"].to_list() == ["2024"]  # without harmonise: codes as published


def test_region_codes_given_as_numbers_are_refused_not_matched_to_nothing(
    tmp_path: Path,
) -> None:
    store = _synthetic_halden(tmp_path)
    with pytest.raises(InvalidArgumentError, match=r"not the number\(s\) 301"):
        get("nav.helt_ledige", region=301, store=store, offline=True)
    with pytest.raises(InvalidArgumentError, match=r"number\(s\) 101"):
        get("nav.helt_ledige", region=["0301", 101], store=store, offline=True)
    assert get("nav.helt_ledige", region="0301", store=store, offline=True).frame.height == 1


def test_a_code_argument_that_is_no_code_nor_list_is_a_clear_error(tmp_path: Path) -> None:
    # region=3.5 used to end in a bare TypeError from list(value), and bytes in a list of ints
    store = _synthetic_halden(tmp_path)
    with pytest.raises(InvalidArgumentError, match=r"region= takes a code or a list of codes"):
        get("nav.helt_ledige", region=3.5, store=store, offline=True)  # type: ignore[call-overload]
    with pytest.raises(InvalidArgumentError, match=r"region= takes a code or a list of codes"):
        get("nav.helt_ledige", region=b"0301", store=store, offline=True)
    assert get("nav.helt_ledige", region={"0301"}, store=store, offline=True).frame.height == 1


def test_a_start_after_the_end_is_refused_not_answered_with_no_rows() -> None:
    with pytest.raises(InvalidArgumentError, match="start=2020 comes after end=2015; swap them"):
        get("keyfig.uforetrygd_share", start="2020", end="2015")
    with pytest.raises(InvalidArgumentError, match="comes after"):
        get("keyfig.uforetrygd_share", start=date(2016, 1, 1), end="2015")
    same = get("keyfig.uforetrygd_share", start="2015", end="2015-12-31")
    assert same.frame["period"].to_list() == ["2015"]


def test_a_key_figures_per_value_sources_are_not_dimensions() -> None:
    # publisher, source_url and flags describe each value; filtering on them is a mistake
    with pytest.raises(SelectionError, match=r"no dimension 'flags'.*none \(use start/end"):
        get("keyfig.uforetrygd_share", flags="pos")


def test_a_start_inside_a_year_keeps_that_year() -> None:
    # NAV's uføretrygd share, yearly at 31.12: a range from mid-2019 overlaps 2019
    frame = get("keyfig.uforetrygd_share", start="2019-06-30").frame
    assert frame["period"].to_list() == ["2019"]
    frame = get("keyfig.uforetrygd_share", start="2018M12", end="2019M01").frame
    assert frame["period"].to_list() == ["2018", "2019"]


def test_a_year_may_be_given_as_an_int() -> None:
    """Issue 13: ``get(start=2015)`` was refused; an int is a year, as ``"2015"`` is."""
    as_int = get("keyfig.uforetrygd_share", start=2015, end=2016)
    as_text = get("keyfig.uforetrygd_share", start="2015", end="2016")
    assert as_int.frame.equals(as_text.frame)
    assert as_int.frame["period"].to_list() == ["2015", "2016"]
    with pytest.raises(
        InvalidArgumentError, match=r"a year \(2020\), an ISO date or a date, not True"
    ):
        get("keyfig.uforetrygd_share", start=True)
    with pytest.raises(PeriodError, match="20155 is not a year"):
        get("keyfig.uforetrygd_share", end=20155)
    with pytest.raises(InvalidArgumentError, match="start=2016 comes after end=2015"):
        get("keyfig.uforetrygd_share", start=2016, end=2015)


def test_a_code_of_another_vintage_with_harmonise_names_what_it_became(tmp_path: Path) -> None:
    """Without harmonise 0101 is a published code; harmonised to 2024 it is 3101, so ask that."""
    store = _synthetic_halden(tmp_path)
    with pytest.raises(SelectionError) as caught:
        get("nav.helt_ledige", region="0101", harmonise="2024", store=store, offline=True)
    assert str(caught.value) == (
        "region '0101' is not a code of the structure of 2024-01-01 that harmonise=2024 "
        "re-codes to; there it is 3101: ask for that"
    )
    assert get("nav.helt_ledige", region="0101", store=store, offline=True).frame.height == 1


def test_bundled_provenance_names_the_publisher_page_and_research_date() -> None:
    """Issue 13: the URL was 'navdata bundled dataset ...' and retrieved None."""
    result = get("keyfig.uforetrygd_share")
    prov = result.provenance
    assert prov is not None
    assert prov.publisher == "Arbeids- og velferdsdirektoratet (NAV)"
    assert prov.url == result.series.source_url
    assert prov.url is not None
    assert prov.url.startswith("https://www.nav.no/no/nav-og-samfunn/statistikk/")
    assert prov.url in result.frame["source_url"].to_list()  # a page its values cite
    # datasets/key_figures/series.toml: retrieved = 2026-11-28 (re-read in issue 15)
    assert prov.retrieved == datetime(2026, 11, 28, tzinfo=UTC)
    assert describe("keyfig.uforetrygd_share").retrieved == prov.retrieved
    assert "retrieved 2026-11-28T00:00:00+00:00>" in repr(result)
    for series_id in catalog(source="bundled")["id"]:
        cited = get(series_id).provenance
        assert cited is not None
        assert cited.url is not None
        assert cited.url.startswith("https://"), series_id
