"""Optional checks against the real SSB (``pytest -m live``; deselected by default)."""

from __future__ import annotations

from pathlib import Path

import pytest

from navdata.sources.ssb import SSBClient

pytestmark = pytest.mark.live


def test_metadata_of_13760(tmp_path: Path) -> None:
    with SSBClient(cache_dir=tmp_path) as ssb:
        meta = ssb.metadata("13760", lang="en")
    assert meta.dimension_ids == ["Kjonn", "Alder", "Justering", "ContentsCode", "Tid"]
    assert meta.dimension("Kjonn").codes == ["0", "2", "1"]


def test_latest_unemployment_rate(tmp_path: Path) -> None:
    with SSBClient(cache_dir=tmp_path) as ssb:
        ds = ssb.data(
            "13760",
            {"Justering": "S", "ContentsCode": "ArbledProsArbstyrk", "Tid": "top(3)"},
        )
    assert ds.frame.height == 3
    assert ds.frame["value"].is_not_null().all()
