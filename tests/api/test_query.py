"""The query string parsed once per distinct string (navdata_api.query): the same pairs and the
same cache key as Litestar's own parsing gives, for any query a client can send."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

from hypothesis import given
from hypothesis import strategies as st
from litestar import Request
from litestar._parsers import parse_query_string  # the parser the routes' parameters come from

from navdata_api.query import query_key, query_pairs


def _request(raw: bytes) -> Request[Any, Any, Any]:
    scope = {"type": "http", "method": "GET", "path": "/", "query_string": raw, "headers": []}
    return Request(scope)  # type: ignore[arg-type]


def test_pairs_keep_order_repeats_blanks_and_decode_escapes() -> None:
    request = _request(b"a=1&b=%C3%A6&a=2&c=&d+e=f+g")
    assert query_pairs(request) == (("a", "1"), ("b", "æ"), ("a", "2"), ("c", ""), ("d e", "f g"))
    assert query_key(request) == "a=1&a=2&b=æ&c=&d e=f g"


_TEXT = st.text(st.characters(codec="utf-8"), max_size=8)


@given(st.lists(st.tuples(_TEXT, _TEXT), max_size=6), st.booleans())
def test_pairs_and_key_equal_litestars_parsing(pairs: list[tuple[str, str]], plus: bool) -> None:
    encode = quote_plus if plus else (lambda text: quote_plus(text).replace("+", "%20"))
    raw = "&".join(f"{encode(k)}={encode(v)}" for k, v in pairs).encode()
    request = _request(raw)
    assert query_pairs(request) == parse_query_string(raw)
    # the key the routes used before: Litestar's multi-dict, sorted
    before = "&".join(f"{k}={v}" for k, v in sorted(request.query_params.multi_items()))
    assert query_key(request) == before


@given(st.binary(max_size=40))
def test_any_raw_bytes_parse_as_litestar_parses_them(raw: bytes) -> None:
    assert query_pairs(_request(raw)) == parse_query_string(raw)
