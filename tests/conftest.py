"""Shared fixtures. Helpers importable from any test: ``shared_files``, ``fakes.*``."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from shared_files import shared_path

# Property tests check what is generated, not how fast: on a loaded CI machine (2 cores shared with
# servers the tests start) hypothesis' 200 ms deadline and too_slow checks fail tests at random.
settings.register_profile("navdata", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("navdata")


@pytest.fixture
def shared_fixtures() -> Path:
    """The ``../shared/fixtures`` folder of real published files (read-only, never copied)."""
    return shared_path("fixtures")
