"""An S3-compatible server (moto's standalone server) on 127.0.0.1 for the store's S3 path.

The server is a real HTTP process: delta-rs and obstore talk to it as to S3, including the
conditional puts (``If-None-Match``) Delta's commits rely on. Tests skip with the reason when
moto is not installed (it comes with the dev extra).
"""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from fakes.server import free_port

MOTO_SERVER = Path(sys.executable).parent / "moto_server"


@dataclass(frozen=True)
class S3:
    endpoint: str

    def env(self) -> dict[str, str]:
        """The AWS_* variables navdata.config reads for an S3 store."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": "synthetic-test-key",
            "AWS_SECRET_ACCESS_KEY": "synthetic-test-secret",
            "AWS_REGION": "us-east-1",
            "AWS_ALLOW_HTTP": "true",
        }

    def new_bucket(self) -> str:
        """A fresh bucket; returns its name."""
        name = f"navdata-{uuid.uuid4().hex[:12]}"
        response = httpx.put(f"{self.endpoint}/{name}", timeout=10)
        response.raise_for_status()
        return name


@contextmanager
def moto_server() -> Iterator[S3]:
    """Start ``moto_server`` on a free loopback port; stop it on exit."""
    if not MOTO_SERVER.exists():
        pytest.skip("moto[server] is not installed (pip install -e '.[dev]' installs it)")
    port = free_port()
    proc = subprocess.Popen(
        [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(endpoint, timeout=1)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    msg = f"moto_server did not start on 127.0.0.1:{port}"
                    raise RuntimeError(msg) from None
                time.sleep(0.1)
        yield S3(endpoint)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
