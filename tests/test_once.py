"""``navdata.once``: a load runs once however many threads ask, and a failed load is retried."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import msgspec
import pytest

from navdata.once import LoadOnce, load_once, warm_struct_types


def test_sixteen_threads_asking_at_once_share_one_load() -> None:
    calls: list[int] = []
    barrier = threading.Barrier(16)

    @load_once
    def slow() -> dict[str, int]:
        calls.append(1)
        time.sleep(0.05)  # long enough for every other thread to arrive meanwhile
        return {"answer": 42}

    def ask(_: int) -> dict[str, int]:
        barrier.wait()
        return slow()

    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(ask, range(16)))
    assert len(calls) == 1
    assert all(answer is answers[0] for answer in answers)
    assert slow.loaded
    assert slow.__doc__ is None  # wraps the function (update_wrapper)
    assert getattr(slow, "__name__", None) == "slow"


def test_a_failed_load_is_not_remembered() -> None:
    attempts: list[int] = []

    def flaky() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("file not there yet")
        return "read"

    once = LoadOnce(flaky)
    with pytest.raises(OSError, match="not there yet"):
        once()
    assert not once.loaded
    assert once() == "read"
    assert once() == "read"
    assert len(attempts) == 2


class _Decodable(msgspec.Struct):
    name: str


class _NotDecodable(msgspec.Struct):
    where: str | Path | None = None  # msgspec builds no decoder for such a union


def test_warming_skips_struct_types_msgspec_cannot_decode() -> None:
    # The service's Settings holds ``str | Path | None`` (a folder or an s3:// URL); warming
    # the service's types at start-up must not stop it (it did once Settings took an s3 URL).
    with pytest.raises(TypeError):
        msgspec.json.Decoder(_NotDecodable)
    assert warm_struct_types(__name__) == 1  # _Decodable only
