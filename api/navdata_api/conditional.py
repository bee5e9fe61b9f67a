"""An ASGI layer around the app: entity tags per content coding, and 304s for every route.

The data routes answer ``If-None-Match`` themselves before reading any data
(:func:`navdata_api.caching.not_modified`). Two things only the whole response shows are done
here, outside Litestar's gzip middleware:

- a gzip body gets its own entity tag (``"abc"`` -> ``"abc-gzip"``), as RFC 9110 8.8.3 asks of
  strong tags: the gzip and identity bodies are different representations;
- responses that no route revalidated (static files, the docs page and ``openapi.json``) still
  answer a matching ``If-None-Match`` with 304. Static files carry Litestar's file ETag; the
  docs responses, which carry none, get one hashed from their body, which is fixed per app.
"""

from __future__ import annotations

import gzip
import hashlib
from typing import Any, Final, cast

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from navdata_api.asgi_parts import header, is_under
from navdata_api.caching import coded_etag, matching_tag

#: Headers a 304 keeps from the 200 it stands for (RFC 9110 15.4.5).
_KEPT_ON_304: Final = frozenset(
    {b"etag", b"cache-control", b"vary", b"last-modified", b"expires", b"content-location"}
)
_DOCS_CACHE_CONTROL: Final = b"public, max-age=300"
#: ASGI messages as the plain dicts they are (Litestar's TypedDict union is not indexable).
_Message = dict[str, Any]


def revalidate_everything(app: ASGIApp, *, docs_path: str | None) -> ASGIApp:
    """Wrap ``app``: coding-specific ETags and 304s (see the module docstring)."""
    docs_prefix = docs_path.rstrip("/") if docs_path else None

    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["method"] not in {"GET", "HEAD"}:
            await app(scope, receive, send)
            return
        if_none_match = header(scope["headers"], b"if-none-match")
        hash_body = docs_prefix is not None and is_under(scope["path"], (docs_prefix,))
        start: _Message | None = None
        chunks: list[bytes] = []
        answered_304 = False

        async def wrapped(asgi_message: Message) -> None:
            nonlocal start, answered_304
            message = cast("_Message", asgi_message)
            if message["type"] == "http.response.start":
                message = _tag_coding(message)
                etag = header(message.get("headers", []), b"etag")
                if message["status"] == 200 and etag is None and hash_body:
                    start = message  # held until the body is complete and hashed
                    return
                if message["status"] == 200 and etag is not None and if_none_match:
                    matched = matching_tag(if_none_match.decode("latin-1"), etag.decode("latin-1"))
                    if matched is not None:
                        answered_304 = True
                        message = _not_modified(message, matched.encode("latin-1"))
                await send(cast("Message", message))
                return
            if message["type"] != "http.response.body":
                await send(asgi_message)
                return
            if answered_304:  # the body of the 200 is dropped: one empty body ends the 304
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            if start is None:
                await send(asgi_message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await _send_hashed(send, start, b"".join(chunks), if_none_match)

        await app(scope, receive, wrapped)

    return handle


def _replace_header(message: _Message, name: bytes, value: bytes) -> _Message:
    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != name]
    headers.append((name, value))
    return {**message, "headers": headers}


def _tag_coding(message: _Message) -> _Message:
    """Give a content-coded body its own entity tag."""
    headers = message.get("headers", [])
    coding = header(headers, b"content-encoding")
    etag = header(headers, b"etag")
    if coding is None or etag is None:
        return message
    coded = coded_etag(etag.decode("latin-1"), coding.decode("latin-1"))
    return _replace_header(message, b"etag", coded.encode("latin-1"))


def _not_modified(message: _Message, etag: bytes) -> _Message:
    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() in _KEPT_ON_304]
    return _replace_header({**message, "status": 304, "headers": headers}, b"etag", etag)


async def _send_hashed(
    send: Send, start: _Message, body: bytes, if_none_match: bytes | None
) -> None:
    """Send a held docs response with an ETag of its body, or a 304 when the client has it."""
    coding = header(start.get("headers", []), b"content-encoding")
    # Hash what the route produced: a gzip stream carries its own time stamp, so the same
    # content compressed a second later would otherwise get another tag.
    plain = gzip.decompress(body) if coding == b"gzip" else body
    etag = f'"{hashlib.sha256(plain).hexdigest()[:32]}"'
    if coding is not None:
        etag = coded_etag(etag, coding.decode("latin-1"))
    start = _replace_header(start, b"etag", etag.encode("latin-1"))
    start = _replace_header(start, b"cache-control", _DOCS_CACHE_CONTROL)
    matched = matching_tag(if_none_match.decode("latin-1"), etag) if if_none_match else None
    if matched is not None:
        await send(cast("Message", _not_modified(start, matched.encode("latin-1"))))
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        return
    await send(cast("Message", start))
    await send({"type": "http.response.body", "body": body, "more_body": False})
