"""Placeholder until the library module lands."""

from __future__ import annotations

from typing import Any

HANDLERS: list[Any] = []
