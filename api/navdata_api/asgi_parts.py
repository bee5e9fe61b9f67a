"""Two small readings of an ASGI request that several middlewares make: path prefixes, headers."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["header", "is_under"]


def is_under(path: str, prefixes: tuple[str, ...]) -> bool:
    """Whether ``path`` is one of ``prefixes`` or below one (``/docs`` holds ``/docs/x``)."""
    return any(path == p or path.startswith(f"{p}/") for p in prefixes)


def header(headers: Iterable[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    """The first value of header ``name`` (lower-case) in ASGI ``headers``; ``None``: absent."""
    return next((bytes(v) for k, v in headers if k.lower() == name), None)
