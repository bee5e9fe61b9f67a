"""Shared fixtures. Helpers importable from any test: ``shared_files``, ``fakes.*``."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared_files import shared_path


@pytest.fixture
def shared_fixtures() -> Path:
    """The ``../shared/fixtures`` folder of real published files (read-only, never copied)."""
    return shared_path("fixtures")
