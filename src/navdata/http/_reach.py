"""Telling a host that cannot be reached from a server that is slow or failing.

A timeout or a 503 may pass, so the client retries it with backoff. A name that does not resolve
or a connection that is refused will not pass in the next seconds: without a network, retrying
them made every series cost 11-15 s and a full sync minutes. So a connect failure is not retried,
and :class:`HostFailures` counts them per host: once a host has failed
:data:`SKIP_AFTER` times in a row, later requests to it fail at once instead of trying again
(one client, so one sync, remembers; a new client tries afresh). A connect *timeout* is retried
like any timeout, but it counts towards the same limit.
"""

from __future__ import annotations

import socket
import threading
from typing import Final

import httpx

__all__ = ["SKIP_AFTER", "HostFailures", "connect_failure", "host_of"]

SKIP_AFTER: Final = 2
"""Connect failures in a row after which a client stops trying a host."""


def host_of(url: str) -> str:
    """``host`` or ``host:port`` of a URL: the unit connect failures are counted by."""
    parsed = httpx.URL(url)
    return parsed.host if parsed.port is None else f"{parsed.host}:{parsed.port}"


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def connect_failure(exc: httpx.TransportError, host: str) -> str | None:
    """Why the connection to ``host`` failed, or None when ``exc`` is not a connect failure.

    Name resolution, a refused connection and an unreachable network each get plain words;
    the system's own message follows in brackets.
    """
    if isinstance(exc, httpx.ConnectTimeout):
        return f"connecting to {host} timed out"
    if not isinstance(exc, httpx.ConnectError):
        return None
    causes = _causes(exc)
    if any(isinstance(c, socket.gaierror) for c in causes):
        return f"the name {host.partition(':')[0]!r} could not be resolved ({exc})"
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return f"{host} refused the connection ({exc})"
    return f"could not connect to {host} ({exc})"


class HostFailures:
    """Connect failures in a row per host, and the last reason for each; thread-safe."""

    def __init__(self, skip_after: int = SKIP_AFTER) -> None:
        self.skip_after = skip_after
        self._count: dict[str, int] = {}
        self._reason: dict[str, str] = {}
        self._lock = threading.Lock()

    def failed(self, host: str, reason: str) -> None:
        """Record one connect failure."""
        with self._lock:
            self._count[host] = self._count.get(host, 0) + 1
            self._reason[host] = reason

    def succeeded(self, host: str) -> None:
        """The host answered: its count starts again."""
        with self._lock:
            self._count.pop(host, None)
            self._reason.pop(host, None)

    def given_up(self, host: str) -> str | None:
        """The last reason when ``host`` failed too often to try again, else None."""
        with self._lock:
            if self._count.get(host, 0) >= self.skip_after:
                return self._reason[host]
            return None
