"""A JSON page is assembled from parts encoded once per series version (the envelope) and per
request (rows, page): the bytes must be exactly what msgspec encodes for the whole page.

The strings below are SYNTHETIC, chosen to contain the marks the envelope is split at.
"""

from __future__ import annotations

from typing import Any

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from navdata_api.routes.observations import _Envelope
from navdata_api.schemas import Observations, Page, ProvenanceInfo

_TEXT = st.text(max_size=30) | st.sampled_from(
    ['"observations":[]', '{"limit":-1,"returned":-1,"total":-1,"next_cursor":null,"next":null}']
)
_ROW = st.dictionaries(
    st.text(max_size=6), st.none() | st.integers() | st.floats(allow_nan=False) | _TEXT, max_size=4
)
_PAGE = st.builds(
    Page,
    limit=st.integers(1, 10_000),
    returned=st.integers(0, 10_000),
    total=st.integers(0, 10**7),
    next_cursor=st.none() | _TEXT,
    next=st.none() | _TEXT,
)
_PROVENANCE = st.builds(
    ProvenanceInfo,
    publisher=st.none() | _TEXT,
    url=st.none() | _TEXT,
    updated=st.none() | _TEXT,
    content_hash=st.none() | _TEXT,
    version=st.none() | st.integers(0, 10**6),
)


@given(
    series=_TEXT,
    columns=st.lists(_TEXT, max_size=5),
    rows=st.lists(_ROW, max_size=5),
    page=_PAGE,
    provenance=_PROVENANCE,
    flags=st.dictionaries(_TEXT, _TEXT, max_size=3),
)
def test_a_page_from_the_envelope_is_byte_for_byte_the_whole_encoding(
    series: str,
    columns: list[str],
    rows: list[dict[str, Any]],
    page: Page,
    provenance: ProvenanceInfo,
    flags: dict[str, str],
) -> None:
    envelope = _Envelope.of(series, columns, provenance, flags)
    body = envelope.body([msgspec.json.encode(row) for row in rows], page)
    whole = Observations(
        series=series,
        columns=columns,
        observations=rows,
        page=page,
        provenance=provenance,
        flags=flags,
    )
    assert body == msgspec.json.encode(whole)


def test_an_empty_page_is_an_empty_list() -> None:
    envelope = _Envelope.of("nav.helt_ledige", ["region"], ProvenanceInfo(), {})
    decoded = msgspec.json.decode(envelope.body([], Page(limit=10, returned=0, total=0)))
    assert decoded["observations"] == []
    assert decoded["page"] == {
        "limit": 10,
        "returned": 0,
        "total": 0,
        "next_cursor": None,
        "next": None,
    }
