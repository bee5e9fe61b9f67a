"""navdata._files: the one way navdata writes a file all or nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from navdata._files import TEMP_PREFIX, write_atomic, write_atomic_with


def test_write_atomic_replaces_the_target_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "a.bin"
    target.write_bytes(b"old")
    assert write_atomic(target, b"new") == target
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.bin"]


def test_failed_writer_keeps_the_old_file_and_removes_the_temp(tmp_path: Path) -> None:
    target = tmp_path / "a.csv"
    target.write_bytes(b"old")
    seen: list[str] = []

    def half_then_fail(tmp: Path) -> None:
        seen.append(tmp.name)
        tmp.write_bytes(b"half")
        msg = "disk full"
        raise OSError(msg)

    with pytest.raises(OSError, match="disk full"):
        write_atomic_with(target, half_then_fail)
    assert seen[0].startswith(TEMP_PREFIX)
    assert seen[0].endswith("-a.csv")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]


def test_fsync_of_file_and_folder_only_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fsync = os.fsync
    calls: list[int] = []

    def counting(fd: int) -> None:
        calls.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", counting)
    write_atomic(tmp_path / "none", b"x", fsync=False)
    assert len(calls) == 0
    write_atomic(tmp_path / "file", b"x")
    assert len(calls) == 1
    write_atomic(tmp_path / "both", b"x", sync_folder=True)
    assert len(calls) == (2 if os.name == "nt" else 3)
