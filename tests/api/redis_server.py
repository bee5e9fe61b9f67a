"""A real ``redis-server`` on 127.0.0.1 for the tests of shared state (Debian package).

Started on a free port with no persistence (no RDB snapshot, no append-only file), so nothing
is written outside its temporary folder; stopped and started again to test an outage.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from fakes.server import free_port

REDIS_SERVER = shutil.which("redis-server")


@dataclass
class RedisServer:
    """One redis-server process; :meth:`stop` and :meth:`start` simulate an outage."""

    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The URL a service is given (NAVDATA_API_REDIS_URL)."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        if REDIS_SERVER is None:
            pytest.skip("redis-server is not installed (.ci/run installs the Debian package)")
        command = [
            REDIS_SERVER,
            "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.folder),
            "--save", "", "--appendonly", "no", "--protected-mode", "yes",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        msg = f"redis-server did not start on port {self.port}"
        raise RuntimeError(msg)

    def stop(self) -> None:
        """Stop the server (an outage, as far as the services can tell)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None
