"""Paths to the read-only reference files in ``../shared`` (never copied into the repository)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = REPO_ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """Path under ``../shared``; skips the calling test when that file or folder is absent."""
    path = SHARED_DIR.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference files not available: {path}")
    return path
