"""The real server: Nagle off with workers, idle connections, graceful shutdown, proxies.

These run ``navdata-api`` in child processes (see service_process.py); what can be checked
without a server (the options handed to uvicorn, the proxy rule) is checked in-process.
"""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from navdata_api import cli, serving
from navdata_api.head_and_access_log import TrustedProxies

from .service_process import running_service

CHART = "/v1/series/keyfig.nav_user_satisfaction/chart.svg?milestones=trust-reform&width=2000"


def test_the_cli_hands_uvicorn_a_nodelay_socket_and_the_limits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: dict[str, Any] = {}

    def fake_run(app: str, **options: Any) -> None:
        seen.update(options, app=app)
        listener = socket.socket(fileno=os.dup(options["fd"]))
        seen["nodelay"] = listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        with socket.create_connection(listener.getsockname()) as client:
            accepted, _ = listener.accept()
            with accepted:
                seen["accepted_nodelay"] = accepted.getsockopt(
                    socket.IPPROTO_TCP, socket.TCP_NODELAY
                )
            client.close()
        listener.close()
        os.close(options["fd"])

    monkeypatch.setattr("uvicorn.run", fake_run)
    monkeypatch.setenv("NAVDATA_API_SHUTDOWN_TIMEOUT", "17")
    monkeypatch.setenv("NAVDATA_API_KEEP_ALIVE", "3")
    monkeypatch.setenv("NAVDATA_API_MAX_CONNECTIONS", "300")
    assert cli.main(["--port", "0", "--workers", "2"]) == 0
    assert seen["nodelay"] == 1
    assert seen["accepted_nodelay"] == 1  # every connection inherits it: no 40 ms ACK wait
    assert seen["http"] is serving.GuardedHttpProtocol
    assert (seen["workers"], seen["timeout_graceful_shutdown"], seen["timeout_keep_alive"]) == (
        2,
        17,
        3,
    )
    assert seen["limit_concurrency"] == 300
    assert seen["proxy_headers"] is False


def test_two_workers_answer_without_a_delayed_ack_floor(tmp_path: Path) -> None:
    with (
        running_service(tmp_path, args=["--workers", "2"]) as service,
        httpx.Client(base_url=service.url) as client,  # one keep-alive connection
    ):
        client.get("/v1/sources")
        times = []
        for _ in range(30):
            began = time.perf_counter()
            assert client.get("/v1/sources").status_code == 200
            times.append(time.perf_counter() - began)
    # Nagle plus the client's delayed ACK cost about 40 ms a response before (p50 44 ms).
    assert statistics.median(times) < 0.030, times
    # the workers went with the service: none is left holding the socket (they were, once)
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{service.url}/health", timeout=2)


_IDLE_CLIENT = """
import resource, socket, sys, time
_, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
port, count = int(sys.argv[1]), int(sys.argv[2])
held = []
for _ in range(count):
    try:
        held.append(socket.create_connection(("127.0.0.1", port), timeout=5))
    except OSError:
        pass
print(len(held), flush=True)
time.sleep(float(sys.argv[3]))
"""


def test_20000_idle_connections_do_not_stop_the_server(tmp_path: Path) -> None:
    env = {"NAVDATA_API_HEADER_TIMEOUT": "2", "NAVDATA_API_MAX_CONNECTIONS": "4000"}
    with running_service(tmp_path, env=env) as service:
        idle = [sys.executable, "-c", textwrap.dedent(_IDLE_CLIENT), str(service.port)]
        helpers = [  # 4 x 5,000 connections that never send a byte, held for 30 s
            subprocess.Popen([*idle, "5000", "30"], stdout=subprocess.PIPE, text=True)
            for _ in range(4)
        ]
        try:
            opened = [int(helper.stdout.readline()) for helper in helpers if helper.stdout]
            flood_done = time.monotonic()
            answered_after = _first_answer(service.url, deadline=flood_done + 15)
        finally:
            for helper in helpers:
                helper.kill()
                helper.wait()
        assert sum(opened) >= 15_000  # the flood really happened
        assert answered_after is not None, "the server stopped answering"
        assert answered_after < 2 + 5  # within the header timeout and some slack
        assert service.process.poll() is None


def _first_answer(url: str, *, deadline: float) -> float | None:
    started = time.monotonic()
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return time.monotonic() - started
        except httpx.TransportError:
            time.sleep(0.2)
    return None


def test_a_slow_header_sender_is_cut_off(tmp_path: Path) -> None:
    with (
        running_service(tmp_path, env={"NAVDATA_API_HEADER_TIMEOUT": "1"}) as service,
        socket.create_connection(("127.0.0.1", service.port), timeout=5) as slow,
    ):
        slow.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # never finishes its headers
        began = time.monotonic()
        assert slow.recv(100) == b""  # closed by the server
        assert 0.5 < time.monotonic() - began < 4


def test_sigterm_lets_the_request_in_flight_finish(tmp_path: Path) -> None:
    env = {"NAVDATA_API_SHUTDOWN_TIMEOUT": "20"}
    with running_service(tmp_path, env=env) as service:
        result: dict[str, httpx.Response] = {}
        request = threading.Thread(
            target=lambda: result.setdefault("r", httpx.get(service.url + CHART, timeout=30))
        )
        request.start()
        time.sleep(0.15)  # the chart is being drawn (a first draw takes a good part of a second)
        began = time.monotonic()
        code = service.stop(signal.SIGTERM, timeout=30)
        request.join(timeout=30)
    assert result["r"].status_code == 200
    assert result["r"].headers["content-type"].startswith("image/svg+xml")
    assert code in {0, -signal.SIGTERM}  # uvicorn re-raises the signal once it has finished
    assert time.monotonic() - began < 20


def test_forwarded_for_is_believed_only_from_trusted_proxies(tmp_path: Path) -> None:
    limited = {"NAVDATA_API_RATE_LIMIT": "2", "NAVDATA_API_RATE_WINDOW": "hour"}

    def statuses(url: str) -> list[int]:
        return [
            httpx.get(
                f"{url}/v1/sources", headers={"X-Forwarded-For": f"203.0.113.{i}"}
            ).status_code
            for i in range(3)
        ]

    with running_service(tmp_path, env=limited) as service:
        assert statuses(service.url) == [200, 200, 429]  # one client, however it names itself
    trusted = {**limited, "NAVDATA_API_TRUSTED_PROXIES": "127.0.0.1"}
    with running_service(tmp_path, env=trusted) as service:
        assert statuses(service.url) == [200, 200, 200]  # three clients behind our proxy


def test_the_client_is_the_nearest_hop_no_trusted_proxy_vouches_for() -> None:
    proxies = TrustedProxies(("10.0.0.0/8", "192.0.2.7"))

    def scope(peer: str, forwarded: str) -> Any:
        return {"client": (peer, 5000), "headers": [(b"x-forwarded-for", forwarded.encode())]}

    assert proxies.client(scope("10.1.2.3", "198.51.100.1, 192.0.2.7")) == ("198.51.100.1", 0)
    assert proxies.client(scope("10.1.2.3", "6.6.6.6, 198.51.100.1")) == ("198.51.100.1", 0)
    assert proxies.client(scope("198.51.100.9", "6.6.6.6")) == ("198.51.100.9", 5000)
    assert proxies.client(scope("10.1.2.3", "")) == ("10.1.2.3", 5000)
    assert not TrustedProxies(())
