"""ETags per content coding, and 304s for static files and the docs (navdata_api.conditional)."""

from __future__ import annotations

import pytest

from navdata_api.caching import coded_etag, matching_tag

from .conftest import Client

GZIP = {"Accept-Encoding": "gzip"}
IDENTITY = {"Accept-Encoding": "identity"}


def test_a_coded_tag_differs_and_both_forms_match_the_route_tag() -> None:
    assert coded_etag('"abc"', "gzip") == '"abc-gzip"'
    assert coded_etag('W/"abc"', "gzip") == 'W/"abc-gzip"'
    assert coded_etag('"abc-gzip"', "gzip") == '"abc-gzip"'
    assert coded_etag('"abc"', "zstd") == '"abc"'
    assert matching_tag('"abc-gzip"', '"abc"') == '"abc-gzip"'
    assert matching_tag('W/"abc"', '"abc"') == '"abc"'
    assert matching_tag('"abd-gzip"', '"abc"') is None


def test_gzip_and_identity_bodies_of_one_resource_have_different_etags(api: Client) -> None:
    path = "/v1/series/nav.helt_ledige/observations?region=03"
    plain = api.get(path, headers=IDENTITY)
    gzipped = api.get(path, headers=GZIP)
    assert "content-encoding" not in plain.headers
    assert gzipped.headers["content-encoding"] == "gzip"
    assert gzipped.json() == plain.json()
    assert gzipped.headers["etag"] == plain.headers["etag"][:-1] + '-gzip"'
    for etag, headers in ((gzipped.headers["etag"], GZIP), (plain.headers["etag"], IDENTITY)):
        again = api.get(path, headers={**headers, "If-None-Match": etag})
        assert again.status_code == 304
        assert again.headers["etag"] == etag  # the client keeps the tag of the copy it holds


@pytest.mark.parametrize("path", ["/static/home.css", "/docs/openapi.json", "/docs"])
def test_static_files_and_the_docs_answer_304(api: Client, path: str) -> None:
    first = api.get(path, headers=IDENTITY)
    assert first.status_code == 200
    etag = first.headers["etag"]
    again = api.get(path, headers={**IDENTITY, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert "content-length" not in again.headers or again.headers["content-length"] == "0"
    changed = api.get(path, headers={**IDENTITY, "If-None-Match": '"old"'})
    assert changed.status_code == 200
    assert changed.content == first.content
    zipped = api.get(path, headers=GZIP)
    if zipped.headers.get("content-encoding") == "gzip":
        assert zipped.headers["etag"] == etag[:-1] + '-gzip"'
        head = api.head(path, headers={**GZIP, "If-None-Match": zipped.headers["etag"]})
        assert head.status_code == 304
