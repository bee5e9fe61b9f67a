"""The per-client rate limit, counted in this process or in Redis for every worker and instance.

Same contract as Litestar's ``RateLimitConfig`` middleware, which it replaces: ``RateLimit-Policy``,
``RateLimit-Limit``, ``RateLimit-Remaining`` and ``RateLimit-Reset`` on every limited response
(IETF draft-06 names), a 429 problem with ``Retry-After`` over the limit. The window starts at a
client's first request. Counting goes through a :class:`~navdata_api.shared_state.WindowCounter`,
one atomic step per request, so a limit of 20 holds across any number of processes.
"""

from __future__ import annotations

import functools
from typing import Final

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.exceptions import TooManyRequestsException
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from navdata_api.shared_state import WindowCounter

WINDOW_SECONDS: Final = {"second": 1, "minute": 60, "hour": 3_600, "day": 86_400}


class RateLimitMiddleware(ASGIMiddleware):
    """Counts each request against its client address; 429 past ``limit`` in the window."""

    scopes = (ScopeType.HTTP,)

    def __init__(
        self, counter: WindowCounter, *, limit: int, window: str, exclude: tuple[str, ...]
    ) -> None:
        """``exclude``: paths (and everything under them) that are never counted."""
        self.should_bypass_for_scope = functools.partial(_under_any, prefixes=exclude)
        self.counter = counter
        self.limit = limit
        self.window = WINDOW_SECONDS[window]
        self.policy = f"{limit}; w={self.window}"

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        """Count, refuse past the limit, else add the headers to the response."""
        client = scope.get("client")
        address = client[0] if client else "unknown"
        count, reset = await self.counter.hit(address, self.window)
        headers = {
            "RateLimit-Policy": self.policy,
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(max(0, self.limit - count)),
            "RateLimit-Reset": str(reset),
        }
        if count > self.limit:
            raise TooManyRequestsException(headers=headers)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                mutable = MutableScopeHeaders(message)
                for name, value in headers.items():
                    mutable[name] = value
            await send(message)

        await next_app(scope, receive, with_headers)


def _under_any(scope: Scope, *, prefixes: tuple[str, ...]) -> bool:
    path = scope["path"]
    return any(path == p or path.startswith(f"{p}/") for p in prefixes)
