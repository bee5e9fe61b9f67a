"""How ``navdata-api`` runs uvicorn: the listening socket, connection limits and timeouts.

Three things uvicorn does not do by itself, each found by a probe (issue 16):

- **TCP_NODELAY with several workers.** With ``--workers 2`` uvicorn binds the shared socket
  itself with protocol 0, and asyncio then leaves Nagle's algorithm on for every accepted
  connection: a response written as headers then body waited for the client's delayed ACK,
  about 40 ms each. The socket is bound here with ``TCP_NODELAY``, which Linux hands down to
  every accepted connection, and passed to uvicorn by file descriptor.
- **A header timeout.** uvicorn arms no timer on a new connection until its first response,
  so connections that never send a request (or send it a byte at a time) stayed open for
  ever; 20,000 of them used up the file descriptors and the server stopped answering.
  :class:`GuardedHttpProtocol` closes a connection whose request headers are not complete
  within ``NAVDATA_API_HEADER_TIMEOUT`` seconds.
- **A connection cap below the file descriptor limit.** Past ``NAVDATA_API_MAX_CONNECTIONS``
  per worker a new connection is closed at once, so descriptors never run out (the soft
  ``RLIMIT_NOFILE`` is raised to the hard one at start, and the cap kept below it).
"""

from __future__ import annotations

import asyncio
import logging
import resource
import socket
from typing import Any, Final

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from navdata.once import load_once
from navdata_api.settings import Settings

_log = logging.getLogger("navdata_api.serving")
#: Descriptors kept free for files, Redis and the event loop beside the connections.
_SPARE_FDS: Final = 64


class GuardedHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a header timeout and a connection cap.

    uvicorn makes one per connection, in each worker process, from the class (so it can be
    pickled for the workers); the limits are read once per process from the environment.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header_timeout, self.max_connections = _limits()
        self._header_timer: asyncio.TimerHandle | None = None
        self._reading_headers = True

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Refuse past the cap; otherwise give the client ``header_timeout`` to send a request."""
        super().connection_made(transport)
        if len(self.connections) > self.max_connections:
            transport.close()
            return
        self._arm_header_timer()

    def on_message_begin(self) -> None:
        """A request starts: its headers must be complete within ``header_timeout``."""
        super().on_message_begin()
        self._reading_headers = True
        self._arm_header_timer()

    def on_headers_complete(self) -> None:
        """The headers are in: the request itself may take as long as it takes."""
        self._reading_headers = False
        self._cancel_header_timer()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        """Forget the timer with the connection."""
        self._cancel_header_timer()
        super().connection_lost(exc)

    def _arm_header_timer(self) -> None:
        self._cancel_header_timer()
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self._reading_headers and not self.transport.is_closing():
            self.transport.close()


@load_once
def _limits() -> tuple[float, int]:
    """Header timeout and connection cap of this process (its settings and descriptor limit)."""
    settings = Settings.from_env()
    return float(settings.header_timeout), connection_cap(settings.max_connections)


def connection_cap(wanted: int) -> int:
    """``wanted``, or less when the descriptor limit would not leave room for it."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return wanted
    return max(1, min(wanted, soft - _SPARE_FDS))


def raise_fd_limit(wanted_connections: int) -> None:
    """Raise the soft descriptor limit to the hard one (workers inherit it); warn if short."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    fits = connection_cap(wanted_connections)
    if fits < wanted_connections:
        _log.warning(
            "NAVDATA_API_MAX_CONNECTIONS=%d does not fit the file descriptor limit %d; "
            "each worker takes at most %d connections (raise `ulimit -n` to allow more)",
            wanted_connections,
            hard,
            fits,
        )


def listening_socket(host: str, port: int, backlog: int = 2048) -> socket.socket:
    """A TCP socket bound and listening with ``TCP_NODELAY`` (inherited by every connection)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(backlog)
    sock.set_inheritable(True)
    return sock
