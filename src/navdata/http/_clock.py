"""The time source every client reads and sleeps on; injectable so tests never wait for real."""

from __future__ import annotations

import time
from typing import Protocol

__all__ = ["Clock", "SystemClock"]


class Clock(Protocol):
    """Time source and sleeper; injectable so tests never wait for real."""

    def monotonic(self) -> float:
        """Seconds on a monotonic clock (for intervals)."""
        ...

    def time(self) -> float:
        """Seconds since the epoch (for HTTP dates and cache ages)."""
        ...

    def sleep(self, seconds: float) -> None:
        """Block for ``seconds``."""
        ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        """Seconds on the monotonic clock."""
        return time.monotonic()

    def time(self) -> float:
        """Seconds since the epoch."""
        return time.time()

    def sleep(self, seconds: float) -> None:
        """Sleep for real."""
        if seconds > 0:
            time.sleep(seconds)
