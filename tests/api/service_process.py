"""Run the real ``navdata-api`` command in a child process on 127.0.0.1, for end-to-end tests.

What only a real server shows (start-up order, worker processes, sockets, signals, shared state
between processes) is tested through this; everything else uses Litestar's in-process client.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from fakes.server import free_port

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Service:
    """A running service: where it answers and its process."""

    url: str
    port: int
    process: subprocess.Popen[str]

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        """Send ``sig`` and wait for the process to end; its return code."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout=timeout)


@contextmanager
def running_service(
    store: Path,
    *,
    args: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    startup_timeout: float = 60,
) -> Iterator[Service]:
    """Start ``python -m navdata_api`` on a free port and yield once ``/health`` answers.

    The access log is off and the rate limit off unless ``env`` says otherwise; stderr is
    kept in a pipe only when asked for (``env`` with ``NAVDATA_TEST_STDERR=pipe``).
    """
    port = free_port()
    environ = {
        **os.environ,
        "NAVDATA_STORE_DIR": str(store),
        "NAVDATA_API_ACCESS_LOG": "0",
        "NAVDATA_API_RATE_LIMIT": "0",
        **(env or {}),
    }
    pipe = environ.pop("NAVDATA_TEST_STDERR", "") == "pipe"
    command = [sys.executable, "-m", "navdata_api", "--port", str(port), "--log-level", "warning"]
    process = subprocess.Popen(
        [*command, *args],
        env=environ,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE if pipe else subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # its own process group: the workers go with it
    )
    service = Service(f"http://127.0.0.1:{port}", port, process)
    try:
        _wait_until_healthy(service, startup_timeout)
        yield service
    finally:
        _kill_group(process)


def _kill_group(process: subprocess.Popen[str]) -> None:
    """Kill the service and every worker it started (killing the supervisor alone orphans them)."""
    with contextlib.suppress(ProcessLookupError):  # the group is gone: nothing left behind
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def _wait_until_healthy(service: Service, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if service.process.poll() is not None:
            msg = f"navdata-api exited with {service.process.returncode} before it served"
            raise RuntimeError(msg)
        try:
            if httpx.get(f"{service.url}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    msg = f"navdata-api did not answer on {service.url} within {timeout} s"
    raise RuntimeError(msg)
