"""``navdata-api``: its options and the refusals that stop it before it serves."""

from __future__ import annotations

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
