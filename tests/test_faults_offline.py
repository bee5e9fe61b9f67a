"""Issue 13: no network. A name that does not resolve, a port that refuses: fail fast and say why.

Without a network, ``navdata get`` took 11-15 s per series (five attempts with backoff, even on
a DNS failure), ``sync --all`` 230 s, and the message said only "try again later". Here no
attempt waits, each host is tried at most :data:`~navdata.http.SKIP_AFTER` times per sync, and
the message says what is missing, where the store is, and how to work offline. The seconds
measured on a real run are in docs/what-happens-when.md (benchmarks/offline_failures.py).

No test asks a real DNS server: the unresolvable name fails in a patched ``getaddrinfo``, the
refused connection is a closed port on 127.0.0.1.
"""

from __future__ import annotations

import socket
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fakes.server import free_port
from navdata.access import get
from navdata.cli import cli
from navdata.errors import UpstreamUnreachableError
from navdata.http import SKIP_AFTER, SystemClock
from navdata.series_catalog import load_catalog
from navdata.sync import sync

AKU = "ssb.aku.unemployment_rate"
NO_NAME = "ssb.invalid"


class Network:
    """Connection attempts per host, with ``ssb.invalid`` failing name resolution."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.attempts: Counter[str] = Counter()
        self.sleeps: list[float] = []
        real_lookup, real_connect = socket.getaddrinfo, socket.create_connection

        def lookup(host: Any, *args: Any, **kwargs: Any) -> Any:
            if host == NO_NAME:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            return real_lookup(host, *args, **kwargs)

        def connect(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
            self.attempts[address[0]] += 1
            return real_connect(address, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", lookup)
        monkeypatch.setattr(socket, "create_connection", connect)
        monkeypatch.setattr(
            SystemClock, "sleep", lambda _self, seconds: self.sleeps.append(seconds)
        )


@pytest.fixture
def network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Network:
    """SSB's name does not resolve; nav.no's port refuses; store and cache are empty."""
    monkeypatch.setenv("NAVDATA_SSB_URL", f"https://{NO_NAME}/api/pxwebapi/v2")
    monkeypatch.setenv("NAVDATA_NAV_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("NAVDATA_STORE_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("NAVDATA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NAVDATA_OFFLINE", "0")
    return Network(monkeypatch)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_get_without_a_network_fails_at_once_and_says_how_to_work_offline(
    network: Network, tmp_path: Path
) -> None:
    code, out, err = run("get", AKU)
    assert (code, out) == (5, "")
    assert err == (
        f"navdata: error: series '{AKU}' is not in the local store at {tmp_path / 'store'}, and "
        "Statistisk sentralbyrå (SSB) could not be reached to fetch it: the name 'ssb.invalid' "
        "could not be resolved ([Errno -2] Name or service not known). Check the network (and "
        f"NAVDATA_SSB_URL), then run `navdata sync {AKU}`; to work offline with the store and "
        "the bundled key figures, use --offline or NAVDATA_OFFLINE=1\n"
    )
    assert network.attempts[NO_NAME] == 1
    assert network.sleeps == []


def test_a_refused_connection_in_python_names_the_python_way(
    network: Network, tmp_path: Path
) -> None:
    with pytest.raises(UpstreamUnreachableError) as caught:
        get("nav.helt_ledige")
    message = str(caught.value)
    assert message.startswith(
        f"series 'nav.helt_ledige' is not in the local store at {tmp_path / 'store'}, and "
        "Arbeids- og velferdsetaten (NAV) could not be reached to fetch it: 127.0.0.1:"
    )
    assert "refused the connection" in message
    assert message.endswith(
        "then run navdata.sync('nav.helt_ledige'); to work offline with the store and the "
        "bundled key figures, use offline=True or NAVDATA_OFFLINE=1"
    )
    assert caught.value.host.startswith("127.0.0.1:")
    assert network.attempts["127.0.0.1"] == 1
    assert network.sleeps == []


def test_sync_all_tries_each_unreachable_host_at_most_twice(
    network: Network, tmp_path: Path
) -> None:
    report = sync(all=True)
    fetched = list(load_catalog().ids)
    assert [o.series_id for o in report.failed] == fetched
    assert {o.error_type for o in report.failed} == {"UpstreamUnreachableError"}
    assert network.attempts[NO_NAME] == network.attempts["127.0.0.1"] == SKIP_AFTER == 2
    assert network.sleeps == []
    ssb = report.failed[0]
    assert ssb.error is not None
    assert ssb.error.startswith(
        "Statistisk sentralbyrå (SSB) could not be reached (the name 'ssb.invalid' could not be "
        "resolved"
    )
    assert ssb.error.endswith(f"; it is not in the local store at {tmp_path / 'store'}")


def test_cli_sync_all_without_a_network_reports_every_series_and_one_hint(
    network: Network, tmp_path: Path
) -> None:
    code, out, err = run("sync", "--all", "-q")
    lines = err.splitlines()
    fetched = list(load_catalog().ids)
    assert (code, out) == (1, "")
    assert len(lines) == len(fetched) + 1
    assert all(
        line.startswith(f"navdata: error: {series_id}: ")
        and "could not be reached" in line
        and line.endswith(f"it is not in the local store at {tmp_path / 'store'}")
        for line, series_id in zip(lines, fetched, strict=False)
    )
    assert "try again later" not in err
    assert lines[-1] == (
        "navdata: hint: without a connection, work offline on what the store at "
        f"{tmp_path / 'store'} holds and on the bundled key figures: NAVDATA_OFFLINE=1, or "
        "`navdata get --offline`"
    )
    assert sum(network.attempts.values()) == 4
    assert network.sleeps == []
