"""End-to-end tests of navdata.sources.ssb against the fake SSB (tests/fakes/ssb.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from fakes.clock import ManualClock
from fakes.server import serve
from fakes.ssb import (
    SYNTHETIC_13760_VALUES,
    FakeSSB,
    Fault,
    synthetic_13760,
    synthetic_big_table,
    synthetic_value,
    table_from_data_response,
)
from navdata.dataset import CC_BY_4, CC_BY_4_URL, Dataset
from navdata.errors import (
    InvalidArgumentError,
    RateLimitedError,
    SelectionError,
    TooManyCellsError,
    UnknownCodelistError,
    UnknownTableError,
    UnknownValueError,
    UnknownVariableError,
    UpstreamError,
    UpstreamUnavailableError,
    UrlTooLongError,
)
from navdata.http import HttpClient, RateLimiterRegistry, Response
from navdata.jsonstat import read_jsonstat
from navdata.sources.ssb import PUBLISHER, SSBClient
from navdata.sources.ssb import client as ssb_module
from navdata.sources.ssb.selection import Plan, Selected
from shared_files import shared_path

REAL_13760 = ("fixtures", "ssb-real", "13760_data_no.json")
#: Table 13760 as the fake serves it: the real answer (../shared) or its synthetic twin.
KINDS = ("real", "synthetic")
#: Its cells in row-major order: Arbeidsstyrken 2026M06-08, then ArbledProsArbstyrk.
VALUES_13760 = {
    "real": [3057.0, 3071.0, 3064.0, 4.6, 4.2, 4.5],
    "synthetic": list(SYNTHETIC_13760_VALUES),
}


def expected_frame(regions: int, contents: int, months: int) -> pl.DataFrame:
    """The frame of table 99001 for Region=*, ContentsCode=*, Tid=*, in row-major order.

    Kjonn is left out, so SSB answers its total ('0') and no Kjonn dimension.
    """
    grid = (
        pl.DataFrame({"ir": range(regions)})
        .join(pl.DataFrame({"ic": range(contents)}), how="cross")
        .join(pl.DataFrame({"it": range(months)}), how="cross")
    )
    ir, ic, it = pl.col("ir"), pl.col("ic"), pl.col("it")
    missing = (ir * 7 + ic * 3 + it) % 101 == 0
    suppressed = (ir * 13 + it) % 97 == 0
    return grid.select(
        Region=pl.format("K{}", ir.cast(pl.Utf8).str.zfill(4)),
        ContentsCode=pl.format("C{}", ic.cast(pl.Utf8).str.zfill(2)),
        Tid=pl.format(
            "{}M{}", (1996 + it // 12).cast(pl.Utf8), (it % 12 + 1).cast(pl.Utf8).str.zfill(2)
        ),
        value=pl.when(missing | suppressed)
        .then(None)
        .otherwise((ir * 1_000_000 + ic * 1000 + it).cast(pl.Float64)),
        status=pl.when(missing)
        .then(pl.lit(".."))
        .when(suppressed)
        .then(pl.lit(":"))
        .otherwise(None),
    )


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


def small_tables(kind: str = "synthetic") -> list[Any]:
    """Table 13760 (real only when asked: it skips without ../shared) and SYNTHETIC 99001."""
    if kind == "real":
        return [table_from_data_response(shared_path(*REAL_13760)), synthetic_big_table(40, 36, 5)]
    return [synthetic_13760(), synthetic_big_table(40, 36, 5)]


@pytest.fixture
def kind() -> str:
    """Which 13760 the fake serves; the tests about 13760 itself parametrize it over KINDS."""
    return "synthetic"


@pytest.fixture
def fake(clock: ManualClock, kind: str) -> FakeSSB:
    return FakeSSB(small_tables(kind), clock=clock, max_cells=2_000)


@pytest.fixture
def base(fake: FakeSSB) -> Iterator[str]:
    with serve(fake) as url:
        yield url


def client(base: str, clock: ManualClock, cache: Path | bool = False, **kw: Any) -> SSBClient:
    http = HttpClient(
        rate=kw.pop("rate", (30, 60.0)),
        cache_dir=cache,
        offline=kw.pop("offline", False),
        clock=clock,
        limiters=RateLimiterRegistry(),
        timeout=kw.pop("timeout", 5.0),
        max_attempts=kw.pop("max_attempts", 4),
    )
    return SSBClient(base, http=http, **kw)


# --- the real 13760 response ----------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_data_of_real_13760_equals_the_published_response(
    base: str, clock: ManualClock, kind: str
) -> None:
    """The query as it was recorded (tests/fixtures/README.md of egil10/riksdata): Kjonn=0,
    Alder=15-74, Justering=S, both contents, three months."""
    sel = {"Kjonn": "0", "Alder": "15-74", "Justering": "s", "contentscode": "*", "Tid": "top(3)"}
    with client(base, clock) as ssb:
        ds = ssb.data("13760", sel)
    if kind == "real":
        assert_frame_equal(ds.frame, read_jsonstat(shared_path(*REAL_13760)).frame)
    assert ds.frame.columns == [
        "Kjonn",
        "Alder",
        "Justering",
        "ContentsCode",
        "Tid",
        "value",
        "status",
    ]
    assert ds.frame["Tid"].to_list() == ["2026M06", "2026M07", "2026M08"] * 2
    assert ds.frame["value"].to_list() == VALUES_13760[kind]
    assert ds.meta.updated == "2026-09-23T06:00:00Z"
    prov = ds.meta.provenance
    assert prov is not None
    assert (prov.publisher, prov.table, prov.licence, prov.licence_url) == (
        PUBLISHER,
        "13760",
        CC_BY_4,
        CC_BY_4_URL,
    )
    assert prov.url == f"{base}/tables/13760/data?lang=no"
    assert prov.query is not None
    assert prov.query["selection"]["Tid"] == ["top(3)"]
    assert prov.query["cells"] == 6
    assert prov.retrieved is not None
    assert prov.retrieved.timestamp() == clock.time()


@pytest.mark.parametrize("kind", KINDS)
def test_an_eliminated_variable_is_absent_from_the_frame(
    base: str, clock: ManualClock, kind: str
) -> None:
    """PxWebApi drops a variable the query leaves out (SelectionHandler.AddVariables gives it no
    values; the user guide's "Elimination"): its elimination value's cells, no column."""
    with client(base, clock) as ssb:
        ds = ssb.data("13760", {"Justering": "S", "ContentsCode": "*", "Tid": "top(3)"})
    assert ds.frame.columns == ["Justering", "ContentsCode", "Tid", "value", "status"]
    assert ds.meta.dimension_ids == ["Justering", "ContentsCode", "Tid"]
    assert ds.frame["value"].to_list() == VALUES_13760[kind]


def test_eliminating_a_variable_without_a_total_sums_its_values(
    base: str, clock: ManualClock
) -> None:
    sel = {"ContentsCode": "C01", "Tid": ["1996M01", "1996M02"]}  # Region and Kjonn left out
    with client(base, clock) as ssb:
        ds = ssb.data("99001", sel)
    assert ds.frame.columns == ["ContentsCode", "Tid", "value", "status"]
    sums = [
        sum(v for ir in range(40) if (v := synthetic_value(ir, 0, 1, it)[0]) is not None)
        for it in (0, 1)
    ]
    assert ds.frame["value"].to_list() == sums
    assert sums[0] == sum(
        ir * 1_000_000 + 1000 for ir in range(40) if ir % 97 and (ir * 7 + 3) % 101
    )


@pytest.mark.parametrize("kind", KINDS)
def test_time_names_the_time_variable(
    base: str, clock: ManualClock, fake: FakeSSB, kind: str
) -> None:
    sel = {"Kjonn": "0", "Alder": "15-74", "Justering": "S", "ContentsCode": "*"}
    with client(base, clock) as ssb:
        aliased = ssb.data("13760", {**sel, "TIME": "top(2)"})
        with pytest.raises(SelectionError, match="names variable 'Tid' twice"):
            ssb.data("13760", {**sel, "time": "top(2)", "Tid": "*"})
        # the server takes the alias too, as PxWebApi's ReplaceTimeAlias does
        raw = ssb.http.get(
            f"{base}/tables/13760/data",
            params={"valueCodes[ContentsCode]": "*", "valueCodes[Justering]": "S",
                    "valueCodes[time]": "2026M08"},
        )  # fmt: skip
    assert aliased.frame["Tid"].to_list() == ["2026M07", "2026M08"] * 2
    values = VALUES_13760[kind]
    assert aliased.frame["value"].to_list() == [values[1], values[2], values[4], values[5]]
    assert raw.ok
    assert raw.json()["value"] == [values[2], values[5]]
    assert fake.data_requests()[0].status == 200


@pytest.mark.parametrize("kind", KINDS)
def test_metadata_and_table_info(base: str, clock: ManualClock, kind: str) -> None:
    with client(base, clock) as ssb:
        meta = ssb.metadata("13760", lang="en")
        info = ssb.table("13760")
    assert meta.dimension_ids == ["Kjonn", "Alder", "Justering", "ContentsCode", "Tid"]
    assert meta.dimension("Tid").codes == ["2026M06", "2026M07", "2026M08"]
    assert meta.provenance is not None
    assert meta.provenance.url == f"{base}/tables/13760/metadata?lang=en"
    assert (info["firstPeriod"], info["lastPeriod"]) == ("2026M06", "2026M08")


def test_tables_pages_through_every_page(base: str, clock: ManualClock, fake: FakeSSB) -> None:
    with client(base, clock) as ssb:
        found = ssb.tables(page_size=1)
        only = ssb.tables(query="test table", page_size=1)
    assert [t["id"] for t in found] == ["13760", "99001"]
    assert [t["id"] for t in only] == ["99001"]
    assert sum(1 for r in fake.requests if r.path == "/tables") == 3


def test_codelist_values_and_aggregated_data(base: str, clock: ManualClock) -> None:
    with client(base, clock) as ssb:
        codelist = ssb.codelist("agg_SynthFylker")
        ds = ssb.data(
            "99001",
            {"Region": ["F-01", "f-02"], "ContentsCode": "C01", "Tid": "1996M02"},
            codelists={"Region": "agg_SynthFylker"},
        )
    assert codelist["values"][1] == {
        "code": "F-01",
        "label": "F-01",
        "valueMap": ["K0001", "K0021"],
    }
    # F-01 sums K0001 and K0021: (1e6 + 1000 + 1) + (21e6 + 1000 + 1)
    assert ds.frame.select("Region", "value").rows() == [
        ("F-01", 22_002_002.0),
        ("F-02", 24_002_002.0),
    ]


def test_plan_then_data_ask_for_metadata_and_a_codelist_once(
    base: str, clock: ManualClock, fake: FakeSSB
) -> None:
    """A sync counts the chunks with plan(), then fetches with data(); without a disk cache the
    second planning must not ask SSB again for the same metadata and codelist."""
    sel = {"Region": ["F-01", "f-02"], "ContentsCode": "C01", "Tid": "1996M02"}
    lists = {"Region": "agg_SynthFylker"}
    with client(base, clock) as ssb:
        assert len(ssb.plan("99001", sel, codelists=lists)) == 1
        ds = ssb.data("99001", sel, codelists=lists)
        assert ssb.codelist("agg_SynthFylker")["values"][1]["code"] == "F-01"
    assert ds.frame["value"].to_list() == [22_002_002.0, 24_002_002.0]
    assert [r.path for r in fake.requests] == [
        "/tables/99001/metadata",
        "/codelists/agg_SynthFylker",
        "/config",
        "/tables/99001/data",
    ]


# --- errors -------------------------------------------------------------------------------------


def test_unknown_table(base: str, clock: ManualClock) -> None:
    with client(base, clock) as ssb, pytest.raises(UnknownTableError) as info:
        ssb.metadata("99999")
    assert str(info.value) == (
        "SSB answered 404 'Non-existent table' for table 99999: no such table; check the id "
        "(5 digits, e.g. '13760') or search with SSBClient.tables(query=...)"
    )
    assert info.value.status == 404


def test_unknown_codelist_from_the_server_and_locally(base: str, clock: ManualClock) -> None:
    with client(base, clock) as ssb:
        with pytest.raises(UnknownCodelistError, match="ids are case-sensitive"):
            ssb.codelist("agg_synthfylker")
        with pytest.raises(UnknownCodelistError, match="offers: agg_SynthFylker, vs_SynthKommuner"):
            ssb.data(
                "99001",
                {"Region": "*", "ContentsCode": "*", "Tid": "*"},
                codelists={"Region": "agg_Nope"},
            )


def test_local_checks_before_any_data_request(base: str, clock: ManualClock, fake: FakeSSB) -> None:
    with client(base, clock) as ssb:
        with pytest.raises(UnknownVariableError, match="has no variable 'Alder'"):
            ssb.data("99001", {"Alder": "*", "ContentsCode": "*", "Tid": "*"})
        with pytest.raises(UnknownValueError, match="variable 'ContentsCode' has no value 'C99'"):
            ssb.data("99001", {"ContentsCode": "C99", "Tid": "*"})
        with pytest.raises(SelectionError, match="needs a selection for 'ContentsCode'"):
            ssb.data("99001", {"Tid": "*"})
        with pytest.raises(InvalidArgumentError, match="lang must be one of no, en"):
            ssb.data("99001", {"Tid": "*"}, lang="nb")
    assert fake.data_requests() == []


def fetch(ssb: SSBClient, *selections: Selected) -> Any:
    return ssb._fetch(Plan("99001", selections), "no")


def test_server_problems_map_to_exact_errors(base: str, clock: ManualClock) -> None:
    tid = Selected("Tid", ("1996M01",))
    cc = Selected("ContentsCode", ("C00",))
    with client(base, clock) as ssb:
        with pytest.raises(UnknownValueError, match="400 'Non-existent value'"):
            fetch(ssb, Selected("Region", ("K9999",)), cc, tid)
        with pytest.raises(UnknownVariableError, match="400 'Non-existent variable'"):
            fetch(ssb, Selected("Alder", ("1",)), cc, tid)
        with pytest.raises(SelectionError, match="Missing selection for mandantory variable"):
            fetch(ssb, tid)
        with pytest.raises(
            UpstreamError, match="empty 500 is SSB's answer to a value code selected twice"
        ):
            fetch(ssb, Selected("Region", ("K0001", "k0001")), cc, tid)
        everything = Selected("Tid", ("*",))
        with pytest.raises(TooManyCellsError) as info:
            fetch(ssb, Selected("Region", ("*",)), Selected("ContentsCode", ("*",)), everything)
        assert "Too many cells selected; narrow the selection or lower max_cells" in str(info.value)


def test_long_selection_goes_by_post_and_forced_get_is_url_too_long(
    base: str, clock: ManualClock, fake: FakeSSB
) -> None:
    sel = {"Region": "*", "ContentsCode": "C00", "Tid": ["1996M01", "1996M02"]}
    fake.max_url = 300
    with client(base, clock, max_get_url=250) as ssb:
        ds = ssb.data("99001", sel)
    assert ds.frame.height == 80
    assert fake.data_requests()[-1].method == "POST"
    with client(base, clock, max_get_url=10_000) as ssb, pytest.raises(UrlTooLongError) as info:
        ssb.data("99001", sel)
    assert "past SSB's ~2,100 limit" in str(info.value)
    assert fake.data_requests()[-1].status == 404


def test_a_get_as_long_as_the_limit_measured_on_path_and_query_is_sent(
    base: str, clock: ManualClock, fake: FakeSSB
) -> None:
    """The server limits the request target it receives (path and query), not scheme and host:
    a GET whose target just fits goes as GET even though the full URL is longer."""
    sel = {"Region": "K000*", "ContentsCode": "C00", "Tid": ["1996M01", "1996M02"]}
    with client(base, clock) as ssb:
        ssb.data("99001", sel)
        target = fake.data_requests()[-1].url_length
        fake.max_url = target
        with client(base, clock, max_get_url=target) as exact:
            ds = exact.data("99001", sel)
    assert [(r.method, r.status) for r in fake.data_requests()] == [("GET", 200), ("GET", 200)]
    assert len(base) + target > target  # the full URL is longer than what the server measures
    assert ds.frame.height == 20


# --- the server's cell limit --------------------------------------------------------------------


def test_the_cell_limit_is_read_from_the_servers_config(
    base: str, clock: ManualClock, fake: FakeSSB
) -> None:
    sel = {"Region": "*", "ContentsCode": "*", "Tid": "*"}  # 7,200 cells; the fake allows 2,000
    with client(base, clock) as ssb:  # no max_cells given
        ds = ssb.data("99001", sel)
        assert ssb.cell_limit() == 2_000
    assert_frame_equal(ds.frame, expected_frame(40, 5, 36))
    assert [r.cells for r in fake.data_requests()] == [1_800] * 4  # even pieces under 2,000
    fake.max_cells = 10_000  # a server that allows more is used to the full
    with client(base, clock) as ssb:
        assert len(ssb.plan("99001", sel)) == 1
        assert ssb.cell_limit() == 10_000
    with client(base, clock, max_cells=3_000) as ssb:  # the caller may ask for less
        assert ssb.cell_limit() == 3_000
    assert sum(r.path == "/config" for r in fake.requests) == 3  # once per client


@pytest.mark.parametrize(
    ("answer", "status"),
    [(None, 404), (b'{"maxDataCells": "many"}', 200), (b"<html>", 200)],
    ids=["no-config", "not-a-number", "not-json"],
)
def test_without_a_usable_config_the_limit_is_800000(
    clock: ManualClock, answer: bytes | None, status: int
) -> None:
    app = ScriptedConfig(answer, status)
    with serve(app) as url, client(url, clock, max_attempts=1) as ssb:
        assert ssb.cell_limit() == 800_000
    assert app.calls == 1


class ScriptedConfig:
    """A server whose /config answers one fixed way (404 when ``body`` is None)."""

    def __init__(self, body: bytes | None, status: int) -> None:
        self.body, self.status, self.calls = body, status, 0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        assert scope["type"] == "http"
        assert scope["path"] == "/config"
        self.calls += 1
        body = b"" if self.body is None else self.body
        head = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
        await send({"type": "http.response.start", "status": self.status, "headers": head})
        await send({"type": "http.response.body", "body": body})


# --- chunking, faults, resume ---------------------------------------------------------------------


def test_split_query_equals_single_request_and_respects_limits(
    base: str, clock: ManualClock, fake: FakeSSB
) -> None:
    sel = {"Region": "*", "ContentsCode": "*", "Tid": "*"}  # 40 x 5 x 36 = 7,200 cells
    with client(base, clock, max_cells=2_000) as ssb:
        ds = ssb.data("99001", sel)
        assert len(ssb.plan("99001", sel)) == 4
    assert_frame_equal(ds.frame, expected_frame(40, 5, 36))
    data = fake.data_requests()
    assert len(data) == 4
    assert all(r.cells is not None and r.cells <= 2_000 for r in data)
    assert ds.meta.dimension("Region").codes == [f"K{i:04d}" for i in range(40)]
    # one big request (the fake's limit lifted) gives the very same frame
    fake.max_cells = 10_000
    with client(base, clock, max_cells=10_000) as ssb:
        single = ssb.data("99001", sel)
    assert len(fake.data_requests()) == 5
    assert_frame_equal(ds.frame, single.frame)
    assert ds.meta.dimensions == single.meta.dimensions


def test_chunks_split_on_a_later_dimension_come_back_in_row_major_order(
    base: str, clock: ManualClock, fake: FakeSSB
) -> None:
    """Tid is the largest variable here, so the chunks split time: each chunk holds every
    region for a third of the months, and only the stitcher's re-sort restores row-major
    order. Compared as is, without sorting either side."""
    sel = {"Region": "K000*", "ContentsCode": "*", "Tid": "*"}  # 10 x 5 x 36 = 1,800 cells
    with client(base, clock, max_cells=600) as ssb:
        chunks = ssb.plan("99001", sel)
        ds = ssb.data("99001", sel)
    assert [len(c.selected("Tid").values) for c in chunks] == [12, 12, 12]
    assert [len(c.selected("Region").values) for c in chunks] == [10, 10, 10]
    expected = expected_frame(40, 5, 36).filter(pl.col("Region") < "K0010")
    assert ds.frame["Region"].to_list() == expected["Region"].to_list()
    assert ds.frame["Tid"].to_list()[:3] == ["1996M01", "1996M02", "1996M03"]
    assert_frame_equal(ds.frame, expected)
    assert ds.meta.dimension("Tid").codes == expected["Tid"].unique(maintain_order=True).to_list()


def test_each_fetched_chunk_is_parsed_once(
    base: str, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The HTTP layer's body check parses the JSON; the reader gets that parse, not the bytes."""
    parses: list[int] = []

    def counting(response: Response) -> Any:
        parses.append(len(response.content))
        return msgspec.json.decode(response.content)

    given: list[type] = []

    def reading(data: Any, *, labels: bool = False) -> Dataset:
        given.append(type(data))
        return read_jsonstat(data, labels=labels)

    monkeypatch.setattr(ssb_module, "_json", counting)
    monkeypatch.setattr(ssb_module, "read_jsonstat", reading)
    sel = {"Region": "*", "ContentsCode": "*", "Tid": "*"}
    with client(base, clock, max_cells=2_000) as ssb:
        ds = ssb.data("99001", sel)
    assert_frame_equal(ds.frame, expected_frame(40, 5, 36))
    assert len(parses) == 1 + 1 + 4  # the metadata and /config once, each of the 4 chunks once
    assert given == [dict] * 4  # the reader gets the parsed body, not bytes to parse again


@pytest.mark.parametrize("kind", ["503", "drop", "truncate", "nonjson", "slow"])
def test_a_fault_in_the_middle_is_survived(
    base: str, clock: ManualClock, fake: FakeSSB, kind: str
) -> None:
    fake.slow_seconds = 1.0
    fake.faults.append(Fault(kind, times=2, skip=2))
    with client(base, clock, max_cells=2_000, timeout=0.4) as ssb:
        ds = ssb.data("99001", {"Region": "*", "ContentsCode": "*", "Tid": "*"})
        assert ssb.http.retries == 2
    assert_frame_equal(ds.frame, expected_frame(40, 5, 36))
    assert len(fake.data_requests()) == 6


def test_a_failed_run_resumes_without_refetching_finished_chunks(
    base: str, clock: ManualClock, fake: FakeSSB, tmp_path: Path
) -> None:
    sel = {"Region": "*", "ContentsCode": "*", "Tid": "*"}
    fake.fail_after_data = 2
    with (
        client(base, clock, tmp_path, max_cells=2_000, max_attempts=3) as ssb,
        pytest.raises(UpstreamUnavailableError, match="3 attempt\\(s\\), last: HTTP 503"),
    ):
        ssb.data("99001", sel)
    assert [r.status for r in fake.data_requests()] == [200, 200, 503, 503, 503]
    fake.fail_after_data = None
    before = len(fake.data_requests())
    with client(base, clock, tmp_path, max_cells=2_000) as ssb:
        ds = ssb.data("99001", sel)
    assert len(fake.data_requests()) - before == 2  # only the two missing chunks
    assert_frame_equal(ds.frame, expected_frame(40, 5, 36))
    with client(base, clock, tmp_path, max_cells=2_000, offline=True) as ssb:
        again = ssb.data("99001", sel)
    assert_frame_equal(again.frame, ds.frame)


def test_multi_million_cell_query(clock: ManualClock) -> None:
    """400 x 20 x 360 = 2,880,000 cells: four requests of 720,000, stitched, within limits."""
    fake = FakeSSB([synthetic_big_table()], clock=clock, rate_limit=(30, 60.0), rate_headers=True)
    with serve(fake) as base, client(base, clock) as ssb:
        ds = ssb.data("99001", {"Region": "*", "ContentsCode": "*", "Tid": "*"})
    data = fake.data_requests()
    assert [r.cells for r in data] == [720_000] * 4
    assert all(r.status == 200 for r in fake.requests)
    assert all(r.url_length <= 2_000 for r in fake.requests)
    assert ds.frame.height == 2_880_000
    assert_frame_equal(ds.frame, expected_frame(400, 20, 360))


# --- rate limits ----------------------------------------------------------------------------------


def test_server_rate_headers_keep_a_loop_below_429(clock: ManualClock) -> None:
    fake = FakeSSB(small_tables(), clock=clock, rate_limit=(5, 60.0), rate_headers=True)
    with serve(fake) as base, client(base, clock, rate=(30, 60.0)) as ssb:
        for _ in range(12):
            ssb.table("99001")
    assert [r.status for r in fake.requests] == [200] * 12


def test_429_with_retry_after_is_waited_out(clock: ManualClock) -> None:
    fake = FakeSSB(small_tables(), clock=clock, rate_limit=(3, 60.0), retry_after=True)
    with serve(fake) as base, client(base, clock, rate=(30, 60.0)) as ssb:
        for _ in range(5):
            ssb.table("99001")
    statuses = [r.status for r in fake.requests]
    assert statuses.count(200) == 5
    assert statuses.count(429) == 1


def test_429_with_remaining_zero_and_retry_after_1_is_recovered_after_1_second(
    clock: ManualClock,
) -> None:
    """SSB's gateway sends x-ratelimit-remaining but no reset: Retry-After is the honest wait."""
    fake = FakeSSB(small_tables(), clock=clock, rate_limit=(30, 60.0), rate_headers=True)
    fake.reset_header = False
    fake.faults.append(Fault("429", retry_after=1))
    with serve(fake) as base, client(base, clock) as ssb:
        ds = ssb.data("99001", {"Region": "K0001", "ContentsCode": "C00", "Tid": "1996M01"})
    data = fake.data_requests()
    assert [r.status for r in data] == [429, 200]
    assert data[1].at - data[0].at == pytest.approx(1.0)
    assert ds.frame["value"].to_list() == [1_000_000.0]


def test_429_without_any_header_ends_in_rate_limited_error(clock: ManualClock) -> None:
    fake = FakeSSB(small_tables(), clock=clock, rate_limit=(1, 600.0))
    with serve(fake) as base, client(base, clock, rate=(30, 60.0)) as ssb:
        ssb.table("99001")
        with pytest.raises(RateLimitedError, match="4 attempt\\(s\\), last: HTTP 429"):
            ssb.table("99001")
