"""The outermost ASGI layer: the client's address, HEAD for every GET route, one access-log line.

Both must see *every* request, including those Litestar answers before any route runs (unknown
path, 405, CORS preflight), which its per-route middleware never sees; hence a wrapper around
the app's ASGI handler rather than a Litestar middleware. Litestar routes HEAD only to explicit
``@head`` handlers, so a HEAD request is served as the GET it mirrors and its body is dropped
(headers, including ``Content-Length``, stay those of the GET, as RFC 9110 9.3.2 asks).

The client's address (what the rate limit counts and the log shows) is the connection's peer,
unless the peer is one of ``NAVDATA_API_TRUSTED_PROXIES``: then it is the right-most address
in ``X-Forwarded-For`` that is not itself a trusted proxy. None is trusted by default, since
anyone can send the header; the server's own proxy-header handling is off for the same reason.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import time
from datetime import UTC, datetime
from typing import Final

import msgspec
from litestar.enums import ScopeType
from litestar.types import ASGIApp, HTTPScope, Message, Receive, Scope, Send

from navdata_api.asgi_parts import header
from navdata_api.problems import send_problem

ACCESS_LOGGER: Final = "navdata_api.access"
_access = logging.getLogger(ACCESS_LOGGER)
_encode = msgspec.json.Encoder().encode


class AccessRecord(msgspec.Struct, kw_only=True):
    """One access-log line."""

    ts: str
    method: str
    path: str
    query: str
    status: int
    bytes: int
    ms: float
    client: str | None
    user_agent: str | None


def serve_head_and_log(
    app: ASGIApp, *, access_log: bool, trusted_proxies: tuple[str, ...] = ()
) -> ASGIApp:
    """Wrap ``app``: the client behind trusted proxies, HEAD on GET routes, the access log."""
    proxies = TrustedProxies(trusted_proxies)

    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        if proxies:
            scope["client"] = proxies.client(scope)
        if _CONTROL.search(scope["path"]):
            await _refuse_control_characters(send)
            return
        if scope["method"] == "OPTIONS" and header(
            scope["headers"], b"access-control-request-method"
        ):
            send = _preflight_as_problem(send)
        is_head = scope["method"] == "HEAD"
        if is_head:
            scope["method"] = "GET"
        if not access_log and not is_head:
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0
        sent = 0

        async def wrapped(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                if is_head:
                    message = {**message, "body": b""}
                sent += len(message.get("body", b""))
            await send(message)

        try:
            await app(scope, receive, wrapped)
        finally:
            if access_log:
                _log_request(scope, "HEAD" if is_head else scope["method"], status, sent, started)

    return handle


#: C0 controls and DEL: no route has them, and echoed into a log they could forge lines.
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f]")


async def _refuse_control_characters(send: Send) -> None:
    """400 for a path with control characters (a NUL made the static files route fail: 500)."""
    await send_problem(
        send,
        400,
        "invalid-path",
        "The path contains control characters (such as %00), which no resource has. Check "
        "the URL; /docs lists every route.",
    )


def _preflight_as_problem(send: Send) -> Send:
    """Litestar refuses a CORS preflight in text/plain; every error here is problem+json."""
    refused = False

    async def wrapped(message: Message) -> None:
        nonlocal refused
        if message["type"] == "http.response.start" and message["status"] == 400:
            refused = True
            return
        if refused and message["type"] == "http.response.body":
            reason = bytes(message.get("body", b"")).decode("latin-1")  # "Disallowed CORS method"
            await send_problem(
                send,
                400,
                "cors-refused",
                f"{reason}: this API allows GET, HEAD and OPTIONS requests, with the request "
                "headers Accept, Accept-Encoding, If-None-Match and If-Modified-Since, from the "
                "origins NAVDATA_API_CORS_ORIGINS allows (every origin by default).",
            )
            return
        await send(message)

    return wrapped


class TrustedProxies:
    """The proxies whose ``X-Forwarded-For`` is believed, and the client address it gives."""

    def __init__(self, networks: tuple[str, ...]) -> None:
        self.networks = [ipaddress.ip_network(n, strict=False) for n in networks]

    def __bool__(self) -> bool:
        return bool(self.networks)

    def trusts(self, address: str) -> bool:
        """Whether ``address`` is one of the trusted proxies."""
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def client(self, scope: HTTPScope) -> tuple[str, int] | None:
        """The address of the client, as the nearest untrusted hop."""
        peer = scope.get("client")
        if peer is None or not self.trusts(peer[0]):
            return peer
        forwarded = b",".join(v for k, v in scope["headers"] if k.lower() == b"x-forwarded-for")
        hops = [h.strip() for h in forwarded.decode("latin-1").split(",") if h.strip()]
        for hop in reversed(hops):
            if not self.trusts(hop):
                return (hop, 0)
        return (hops[0], 0) if hops else peer


def _log_request(scope: HTTPScope, method: str, status: int, sent: int, started: float) -> None:
    headers: dict[bytes, bytes] = dict(scope.get("headers", []))
    client = scope.get("client")
    user_agent = headers.get(b"user-agent")
    record = AccessRecord(
        ts=datetime.now(UTC).isoformat(timespec="milliseconds"),
        method=method,
        path=scope.get("path", ""),
        query=scope.get("query_string", b"").decode("latin-1"),
        status=status,
        bytes=sent,
        ms=round((time.perf_counter() - started) * 1000, 3),
        client=client[0] if client else None,
        user_agent=user_agent.decode("latin-1") if user_agent else None,
    )
    _access.info(_encode(record).decode())


def configure_access_logger() -> None:
    """Send access lines as bare JSON to stderr, unless the host application configured them."""
    if _access.handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    _access.addHandler(handler)
    _access.setLevel(logging.INFO)
    _access.propagate = False
