"""A micro-cache of whole responses in front of the app, checked against the store's version.

Most traffic repeats the same few URLs (a chart on a page, a series a dashboard polls). The body
cache spares such a request the filtering and encoding, but it still went through routing,
parameter parsing, the ETag and the Response object: about three times the cost of a bare
handler. Here a repeated GET is answered from the exact response sent last time, keyed by
everything the response depends on: path and raw query, ``Accept``, whether gzip is accepted,
``Origin`` (CORS headers), and the version of the data (:meth:`LocalData.data_version`, one
read of the store's change stamp, at most every ``NAVDATA_API_STORE_POLL`` seconds: on a folder
every request, so a sync is picked up on the very next one; on S3 within 2 s by default).

Only 200 responses with an ``ETag`` and a public ``Cache-Control`` are kept: never problems,
never ``no-store`` probes. The layers outside still run for every request: the rate limit,
``If-None-Match`` (a 304 from the kept 200), HEAD and the access log.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, Final, Protocol, cast

import anyio
import msgspec
from litestar.enums import ScopeType
from litestar.types import ASGIApp, HTTPScope, Message, Receive, Scope, Send

from navdata_api.asgi_parts import is_under
from navdata_api.caching import ByteLRU

#: Request headers whose value a cached response may depend on (besides gzip or not).
_KEYED_HEADERS: Final = (b"accept", b"origin")
#: Request headers that make a response personal or partial, or a date revalidation the
#: routes answer (If-None-Match is answered outside, from the kept 200): these pass through.
_PASS_HEADERS: Final = frozenset({b"authorization", b"cookie", b"range", b"if-modified-since"})


class KeptResponse(msgspec.Struct, frozen=True):
    """Everything needed to send a response again."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class ResponseCache(ByteLRU[Hashable, KeptResponse]):
    """Whole responses by request key, bounded by their bytes."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(max_bytes, _response_size)


def _response_size(response: KeptResponse) -> int:
    return len(response.body) + 64 * len(response.headers)


class DataVersions(Protocol):
    """Where the data version comes from (:class:`navdata_api.local_data.LocalData`)."""

    #: Whether asking the store is a network call (S3): then it is asked in a worker thread.
    remote_store: bool

    def remembered_data_version(self) -> Hashable | None:
        """The version read less than the poll interval ago, else ``None``."""

    def data_version(self) -> Hashable | None:
        """The version now (``None``: unknown, the store cannot be read)."""


def serve_kept_responses(
    app: ASGIApp, cache: ResponseCache, versions: DataVersions, *, skip: tuple[str, ...] = ()
) -> ASGIApp:
    """Wrap ``app``: answer a repeated GET from ``cache``, keep cacheable 200s.

    ``skip``: paths (and everything under them) never kept, so that they never wait on the
    store either (the probes: ``/health`` must answer while the store does not).
    """

    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        key = _request_key(cast("HTTPScope", scope), skip)
        version = None if key is None else versions.remembered_data_version()
        if key is not None and version is None:
            if versions.remote_store:  # a GET to the bucket: never on the event loop
                version = await anyio.to_thread.run_sync(versions.data_version)
            else:  # one small local read: cheaper than a thread hop
                version = versions.data_version()
        if key is None or version is None:
            await app(scope, receive, send)
            return
        key = (*key, version)
        kept = cache.get(key)
        if kept is not None:
            await send(
                {"type": "http.response.start", "status": kept.status, "headers": kept.headers}
            )
            await send({"type": "http.response.body", "body": kept.body, "more_body": False})
            return
        first: dict[str, Any] | None = None
        chunks: list[bytes] = []

        async def keeping(message: Message) -> None:
            nonlocal first
            event = cast("dict[str, Any]", message)
            if event["type"] == "http.response.start":
                first = event if _cacheable(event) else None
            elif event["type"] == "http.response.body" and first is not None:
                chunks.append(bytes(event.get("body", b"")))
                if not event.get("more_body", False):
                    headers = [(bytes(k), bytes(v)) for k, v in first.get("headers", [])]
                    cache.put(key, KeptResponse(first["status"], headers, b"".join(chunks)))
            await send(message)

        await app(scope, receive, keeping)

    return handle


def _request_key(scope: HTTPScope, skip: tuple[str, ...]) -> tuple[Hashable, ...] | None:
    """What the response to this request depends on but the data; ``None``: never cached."""
    if scope["type"] != ScopeType.HTTP or scope["method"] != "GET" or is_under(scope["path"], skip):
        return None
    keyed: list[bytes] = [b""] * len(_KEYED_HEADERS)
    gzip = False
    for name, value in scope["headers"]:
        lowered = name.lower()
        if lowered in _PASS_HEADERS:
            return None
        if lowered == b"accept-encoding":
            gzip = b"gzip" in value  # exactly the test Litestar's gzip middleware makes
        elif lowered in _KEYED_HEADERS:
            keyed[_KEYED_HEADERS.index(lowered)] = bytes(value)
    return (scope["path"], scope["query_string"], gzip, *keyed)


def _cacheable(message: dict[str, Any]) -> bool:
    if message.get("status") != 200:
        return False
    headers = {bytes(k).lower(): bytes(v) for k, v in message.get("headers", [])}
    control = headers.get(b"cache-control", b"")
    return b"etag" in headers and b"public" in control and b"no-store" not in control
