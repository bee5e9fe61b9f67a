"""``navdata-api``: its options and the refusals that stop it before it serves."""

from __future__ import annotations

from pathlib import Path

import pytest

from navdata_api.cli import build_parser, main


def test_cli_options_and_refusals(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    args = build_parser().parse_args(["--port", "9000", "--workers", "2", "--store", "/tmp/s"])
    assert (args.host, args.port, args.workers, str(args.store)) == ("127.0.0.1", 9000, 2, "/tmp/s")
    assert main(["--workers", "0"]) == 2
    assert "--workers must be at least 1" in capsys.readouterr().err
    monkeypatch.setenv("NAVDATA_API_RATE_LIMIT", "lots")
    assert main([]) == 2
    assert "NAVDATA_API_RATE_LIMIT='lots'" in capsys.readouterr().err


def test_the_server_refuses_to_start_on_a_store_it_cannot_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NAVDATA_STORE_DIR", str(tmp_path))  # main() sets it: restored after
    not_a_folder = tmp_path / "store"
    not_a_folder.write_text("synthetic: a file, not a store", "utf-8")
    assert main(["--store", str(not_a_folder)]) == 2
    assert capsys.readouterr().err == (
        f"navdata-api: the store location {not_a_folder} is a file, not a folder; set "
        "NAVDATA_STORE_DIR to a folder navdata can read\n"
    )
