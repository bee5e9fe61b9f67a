"""A manual clock for tests: ``sleep`` advances time instantly and is recorded."""

from __future__ import annotations

import threading


class ManualClock:
    """Implements navdata.http.Clock; nothing ever really waits."""

    def __init__(self, start: float = 1_000.0, epoch: float = 1_790_000_000.0) -> None:
        self._mono = start
        self._offset = epoch - start
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        with self._lock:
            return self._mono

    def time(self) -> float:
        with self._lock:
            return self._mono + self._offset

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            if seconds > 0:
                self._mono += seconds

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._mono += seconds
