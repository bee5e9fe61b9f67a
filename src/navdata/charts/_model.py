"""The values passed between a chart's stages: a prepared line, what the chart shows, a label."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from navdata.language import Language
from navdata.milestones import Milestone

__all__ = ["Line", "Mark", "Spec"]


@dataclass(frozen=True, slots=True)
class Line:
    label: str
    dates: list[dt.date]  # where each point is drawn: the first day of its period
    values: list[float | None]
    ends: list[dt.date]  # the last day each point stands for (its date without a period column)
    follows: list[bool]  # whether each point continues from the one before (no gap between)


@dataclass(frozen=True, slots=True)
class Spec:
    title: str
    y_label: str
    note: str | None
    lang: Language
    width: int
    height: int
    grouped: bool


@dataclass(frozen=True, slots=True)
class Mark:
    record: Milestone
    shaded: bool
    lane: int | None  # None: drawn without a label (no room)
    text: str
    left_aligned: bool
