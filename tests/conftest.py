"""Shared fixtures: where the read-only reference files live, and skipping when they are absent."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = REPO_ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """Path under ``../shared``; skips the calling test when that folder is absent."""
    path = SHARED_DIR.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference files not available: {path}")
    return path


@pytest.fixture
def shared_fixtures() -> Path:
    """The ``../shared/fixtures`` folder of real published files (read-only, never copied)."""
    return shared_path("fixtures")
