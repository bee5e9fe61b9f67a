"""One answer to a request, from the network or the disk cache: what every source reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import msgspec

__all__ = ["Response"]


@dataclass(frozen=True, slots=True)
class Response:
    """An answer, from the network or the cache; headers have lower-case names."""

    status: int
    headers: Mapping[str, str]
    content: bytes
    url: str
    from_cache: bool = False
    checked: Any = None
    """What the request's ``validate`` returned for this body; ``None`` when it did not run."""

    @property
    def ok(self) -> bool:
        """True for a 2xx status."""
        return 200 <= self.status < 300

    @property
    def text(self) -> str:
        """The body decoded as UTF-8 (SSB and KLASS answer in UTF-8)."""
        return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """The body parsed as JSON (raises ``msgspec.DecodeError``, a ``ValueError``, if not)."""
        return msgspec.json.decode(self.content)
