"""The per-client rate limit, counted in this process or in Redis for every worker and instance.

Same contract as Litestar's ``RateLimitConfig`` middleware, which it replaces: ``RateLimit-Policy``,
``RateLimit-Limit``, ``RateLimit-Remaining`` and ``RateLimit-Reset`` on every limited response
(IETF draft-06 names), a 429 problem with ``Retry-After`` over the limit. The window starts at a
client's first request. Counting goes through a :class:`~navdata_api.shared_state.WindowCounter`,
one atomic step per request, so a limit of 20 holds across any number of processes.

An ASGI layer outside the app rather than a Litestar middleware, so that it also counts the
requests the response cache (:mod:`navdata_api.response_cache`) answers without the app.
"""

from __future__ import annotations

from typing import Final

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from navdata_api.asgi_parts import is_under
from navdata_api.problems import send_problem
from navdata_api.shared_state import WindowCounter

WINDOW_SECONDS: Final = {"second": 1, "minute": 60, "hour": 3_600, "day": 86_400}


def limit_rate(
    app: ASGIApp,
    counter: WindowCounter,
    *,
    limit: int,
    window: str,
    exclude: tuple[str, ...],
) -> ASGIApp:
    """Wrap ``app``: count each request against its client address; 429 past ``limit``.

    ``exclude``: paths (and everything under them) that are never counted (probes, docs).
    """
    seconds = WINDOW_SECONDS[window]
    policy = f"{limit}; w={seconds}".encode()
    limit_text = str(limit).encode()

    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or is_under(scope["path"], exclude):
            await app(scope, receive, send)
            return
        client = scope.get("client")
        count, reset = await counter.hit(client[0] if client else "unknown", seconds)
        headers = [
            (b"ratelimit-policy", policy),
            (b"ratelimit-limit", limit_text),
            (b"ratelimit-remaining", str(max(0, limit - count)).encode()),
            (b"ratelimit-reset", str(reset).encode()),
        ]
        if count > limit:
            await _too_many(send, headers, reset, scope["path"])
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *headers]
            await send(message)

        await app(scope, receive, with_headers)

    return handle


async def _too_many(send: Send, headers: list[tuple[bytes, bytes]], reset: int, path: str) -> None:
    await send_problem(
        send,
        429,
        "rate-limited",
        f"Too many requests from this address; retry after {reset} s. Cache responses and "
        "revalidate with If-None-Match: a 304 costs little.",
        instance=path,
        headers=[*headers, (b"retry-after", str(reset).encode())],
    )
