"""The helt-ledige CSV parser and page link discovery (all inputs SYNTHETIC)."""

from __future__ import annotations

import json

import polars as pl
import pytest

from navdata.errors import LayoutError, LinkNotFoundError
from navdata.sources.nav.csv import IgnoredColumnWarning, parse_csv
from navdata.sources.nav.links import find_csv_link, find_table_link, page_links

# SYNTHETIC CSV in the documented layout (values invented).
CSV_TEXT = (
    "Fylkenr;Fylkenavn;Kommunenr;Kommunenavn;Antall helt ledige;"
    "Helt ledige i prosent av arbeidsstyrken\r\n"
    '0;Hele landet;0;;"61 234";2,1\r\n'
    "3;Oslo - Oslove;3;;12\u00a0125;2,9\r\n"
    "3;Oslo - Oslove;301;Oslo - Oslove;12\u00a0125;2,9\r\n"
    "11;Rogaland;11;;5 410;2,0\r\n"
    "11;Rogaland;1101;Eigersund;197;2,5\r\n"
    "11;Rogaland;1151;Utsira;*;*\r\n"
    "\r\n"
)
PAGE = "https://www.nav.no/no/nav-og-samfunn/statistikk/x/helt-ledige"


def frame_of(content: bytes) -> pl.DataFrame:
    return parse_csv(content, "helt_ledige.csv", 2026, 8).frame()


@pytest.mark.parametrize(
    "content",
    [b"\xef\xbb\xbf" + CSV_TEXT.encode(), CSV_TEXT.encode("cp1252")],
    ids=["utf8-bom", "latin1"],
)
def test_csv_both_encodings(content: bytes) -> None:
    frame = frame_of(content)
    rows = {
        (r, m): (v, s)
        for r, m, v, s in frame.select("region", "measure", "value", "status").iter_rows()
    }
    assert rows[("0", "count")] == (61234.0, None)
    assert rows[("03", "count")] == (12125.0, None)
    assert rows[("0301", "share")] == (2.9, None)
    assert rows[("1101", "count")] == (197.0, None)
    assert rows[("1151", "count")] == (None, "*")
    levels = dict(frame.select("region", "region_level").unique().iter_rows())
    assert levels == {
        "0": "country",
        "03": "fylke",
        "0301": "kommune",
        "11": "fylke",
        "1101": "kommune",
        "1151": "kommune",
    }
    assert set(frame["period"]) == {"2026M08"}
    assert frame.height == 6 * 2


def test_csv_extra_column_is_left_out_with_a_warning() -> None:
    text = CSV_TEXT.replace("arbeidsstyrken\r\n", "arbeidsstyrken;Endring\r\n", 1)
    text = text.replace("2,9\r\n", "2,9;+3\r\n").replace("2,5\r\n", "2,5;-1\r\n")
    text = text.replace("*;*\r\n", "*;*;0\r\n").replace(";2,1\r\n", ";2,1;4\r\n")
    text = text.replace(";2,0\r\n", ";2,0;7\r\n")
    with pytest.warns(IgnoredColumnWarning, match=r"column\(s\) 'Endring' are not read"):
        frame = frame_of(text.encode())
    assert frame.equals(frame_of(CSV_TEXT.encode()))


def test_csv_share_column_is_optional() -> None:
    lines = CSV_TEXT.split("\r\n")
    without = "\r\n".join(line.rsplit(";", 1)[0] if line else line for line in lines)
    frame = frame_of(without.encode())
    assert set(frame["measure"]) == {"count"}
    assert frame.height == 6
    assert frame.filter(pl.col("region") == "1101")["value"].to_list() == [197.0]


def test_csv_needs_the_kommune_name_column() -> None:
    text = CSV_TEXT.replace("Kommunenr;Kommunenavn;", "Kommunenr;", 1)
    with pytest.raises(LayoutError, match=r"line 1: missing columns \['Kommunenavn'\]"):
        frame_of(text.encode())


def test_csv_other_areas_keep_navs_99_with_svalbard_under_it() -> None:
    text = CSV_TEXT.replace("\r\n\r\n", "\r\n99;Øvrige områder;99;;30;*\r\n"
                            "99;Øvrige områder;2100;Svalbard;30;*\r\n")  # fmt: skip
    frame = frame_of(text.encode())
    levels = dict(frame.select("region", "region_level").unique().iter_rows())
    assert (levels["99"], levels["2100"]) == ("unknown", "kommune")
    assert "21" not in levels
    assert frame.filter(pl.col("region") == "2100")["value"].to_list() == [30.0, None]


def test_csv_bad_number_is_refused() -> None:
    text = CSV_TEXT.replace("197;2,5", "197;2.5")
    with pytest.raises(
        LayoutError, match=r"line 6, column 'Helt ledige i prosent av arbeidsstyrken': '2.5'"
    ):
        frame_of(text.encode())


def test_csv_kommune_outside_its_fylke_is_refused() -> None:
    text = CSV_TEXT.replace("11;Rogaland;1101", "11;Rogaland;4601")
    with pytest.raises(
        LayoutError,
        match=r"line 6, column 'Kommunenr': Kommunenr '4601' is not a kommune in fylke 11",
    ):
        frame_of(text.encode())


# --- links ---------------------------------------------------------------------------------------

HL060_HREF = (
    "/_/attachment/download/9d4a48b2-3f8a-4bff-aee6-f18e8ed459e0:"
    "a833323681bf8e44c0536c619511f2a93534afe6/202608_HL060%20Helt%20ledige.xlsx"
)


def test_relative_download_link_with_prefix() -> None:
    pdf = HL060_HREF[:-4] + "pdf"
    html = f'<p><a class="aksel-link" href="{HL060_HREF}">Last ned</a> <a href="{pdf}">PDF</a></p>'
    link = find_table_link(html, PAGE, "HL060")
    assert link.url == "https://www.nav.no" + HL060_HREF
    assert link.file_name == "202608_HL060 Helt ledige.xlsx"


def test_absolute_inline_link() -> None:
    href = (
        "https://www.nav.no/_/attachment/inline/61c2e2a5-7464-428f-b499-e5bd7a1115bd:"
        "56d40eb3efb70d24cec9a8d193f149456f42041d/AAP155%20Mottakere.xlsx"
    )
    html = f"<ul><li><a href='{href}'>AAP155 <b>Mottakere</b></a></li></ul>"
    link = find_table_link(html, PAGE, "AAP155")
    assert (link.url, link.file_name, link.text) == (
        href,
        "AAP155 Mottakere.xlsx",
        "AAP155 Mottakere",
    )


def test_download_and_inline_forms_of_one_file_are_one_link() -> None:
    inline = HL060_HREF.replace("/download/", "/inline/")
    link = find_table_link(f'<a href="{HL060_HREF}">a</a><a href="{inline}">b</a>', PAGE, "HL060")
    assert link.file_name == "202608_HL060 Helt ledige.xlsx"


def test_latest_release_prefix_wins() -> None:
    older = HL060_HREF.replace("202608_", "202607_").replace("a8333", "b8333")
    link = find_table_link(f'<a href="{older}">x</a><a href="{HL060_HREF}">y</a>', PAGE, "HL060")
    assert link.file_name.startswith("202608_")


def test_code_must_be_a_whole_token() -> None:
    html = '<a href="/_/attachment/download/u:h/HL0601%20Annet.xlsx">x</a>'
    with pytest.raises(LinkNotFoundError):
        find_table_link(html, PAGE, "HL060")


def test_missing_link_names_page_table_and_what_was_seen() -> None:
    html = f'<a href="{HL060_HREF[:-4]}pdf">PDF</a><a href="/om-oss">Om oss</a>'
    with pytest.raises(LinkNotFoundError) as caught:
        find_table_link(html, PAGE, "PST302")
    message = str(caught.value)
    assert PAGE in message
    assert "PST302" in message
    assert "'202608_HL060 Helt ledige.pdf'" in message


def test_two_undated_candidates_are_ambiguous() -> None:
    html = (
        '<a href="/_/attachment/download/a:1/PST302%20Mottakere.xlsx">a</a>'
        '<a href="/_/attachment/download/b:2/PST302%20Mottakere%20kopi.xlsx">b</a>'
    )
    with pytest.raises(LinkNotFoundError, match="2 candidate links"):
        find_table_link(html, PAGE, "PST302")


def test_csv_link_and_its_month() -> None:
    html = (
        '<a href="/_/attachment/download/a:1/helt_ledige_juli.csv">'
        "Helt ledige etter fylke og kommune juli 2026</a>"
        '<a href="/_/attachment/download/b:2/helt_ledige.csv">'
        "Helt ledige etter fylke og\n kommune August 2026 (CSV)</a>"
        '<a href="/_/attachment/download/c:3/hovedtall.xlsx">Hovedtall august 2026</a>'
    )
    link, period = find_csv_link(html, PAGE, "HL-CSV")
    assert period == (2026, 8)
    assert link.file_name == "helt_ledige.csv"


def test_page_links_resolve_relative_paths() -> None:
    links = page_links('<a href="../fil.csv">f</a><a>no href</a>', PAGE)
    assert [link.url for link in links] == [
        "https://www.nav.no/no/nav-og-samfunn/statistikk/fil.csv"
    ]


# --- links in a Next.js page's embedded data (SYNTHETIC page shape) ------------------------------

PST302_HREF = (
    "/_/attachment/download/855412db-d0fd-43a0-b95a-6bcc8ebce452:"
    "1f8698cabefce49111bb7128294027e0f28eca13/PST302%20Mottakere.xlsx"
)


def next_page(data: object) -> str:
    """A page with no ``<a>`` to the file: the link is only in ``__NEXT_DATA__``."""
    script = json.dumps(data)
    return (
        '<html><body><div id="__next"><a href="/no/person">Person</a></div>'
        f'<script id="__NEXT_DATA__" type="application/json">{script}</script></body></html>'
    )


def test_link_only_in_next_data_is_found() -> None:
    html = next_page(
        {"props": {"pageProps": {"content": {"data": {"fileLinks": [
            {"title": "PST302 Mottakere", "mediaUrl": PST302_HREF},
            {"title": "PDF", "mediaUrl": PST302_HREF[:-4] + "pdf"},
        ]}}}}}
    )  # fmt: skip
    link = find_table_link(html, PAGE, "PST302")
    assert link.url == "https://www.nav.no" + PST302_HREF
    assert (link.file_name, link.text) == ("PST302 Mottakere.xlsx", "PST302 Mottakere")


def test_anchors_in_rich_text_of_the_page_data_are_found() -> None:
    html = next_page(
        {"props": {"pageProps": {"content": {"data": {"text": {
            "processedHtml": f'<p>Tabell: <a href="{HL060_HREF}">HL060 Helt ledige</a></p>'
        }}}}}}
    )  # fmt: skip
    assert find_table_link(html, PAGE, "HL060").file_name == "202608_HL060 Helt ledige.xlsx"


def test_csv_link_in_page_data_takes_its_month_from_the_text_beside_it() -> None:
    html = next_page(
        [
            {"text": "Helt ledige etter fylke og kommune juli 2026",
             "url": "/_/attachment/download/a:1/helt_ledige_juli.csv"},
            {"text": "Helt ledige etter fylke og kommune august 2026",
             "url": "/_/attachment/download/b:2/helt_ledige.csv"},
        ]
    )  # fmt: skip
    link, period = find_csv_link(html, PAGE, "HL-CSV")
    assert (link.file_name, period) == ("helt_ledige.csv", (2026, 8))


def test_same_file_in_anchor_and_page_data_is_one_candidate() -> None:
    html = next_page({"url": HL060_HREF, "text": "HL060"}).replace(
        "<body>", f'<body><a href="{HL060_HREF}">HL060</a>'
    )
    assert find_table_link(html, PAGE, "HL060").file_name.startswith("202608_")


def test_a_script_that_is_not_json_is_passed_over() -> None:
    html = (
        '<script id="__NEXT_DATA__" type="application/json">{not json</script>'
        f'<a href="{HL060_HREF}">x</a>'
    )
    assert find_table_link(html, PAGE, "HL060").file_name.startswith("202608_")
