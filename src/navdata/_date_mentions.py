"""Whether a quoted passage (or a page address) shows a given day.

This is the check behind "exact day only when a cited source gives it".
A timeline record may claim a day only when one of its sources shows it. The sources are Norwegian
and English pages, so a day can be written many ways: ``2. oktober 2006``, ``02.10.2006``,
``1.3.2010``, ``13. okt. 2021``, ``1 jan 2015``, ``28. March 2019``, ``4/25/2023`` (data.nav.no),
``2006-06-16`` (a law's identifier), or only in the address (``/2022/02/07/``). Some passages give
the day and month in one sentence and the year in another ("trådte i kraft 1. juli … i 2023"), so
a day-and-month counts when the year appears elsewhere in the passage or in the address.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

__all__ = ["mentions_day"]

_MONTHS: Final[tuple[tuple[str, ...], ...]] = (
    ("januar", "jan", "january"),
    ("februar", "feb", "february"),
    ("mars", "mar", "march"),
    ("april", "apr"),
    ("mai", "may"),
    ("juni", "jun", "june"),
    ("juli", "jul", "july"),
    ("august", "aug"),
    ("september", "sep", "sept"),
    ("oktober", "okt", "oct", "october"),
    ("november", "nov"),
    ("desember", "des", "dec", "december"),
)
_NOT_DIGIT_BEFORE: Final = r"(?<![\d])"
_NOT_DIGIT_AFTER: Final = r"(?![\d])"


def _textual_patterns(day: dt.date) -> list[str]:
    """Day and month written with the month's name; the year is checked separately."""
    names = "|".join(_MONTHS[day.month - 1])
    days = f"0?{day.day}"
    return [
        # 2. oktober, 13. okt., 1 jan, 28. March, 2 October
        rf"{_NOT_DIGIT_BEFORE}{days}\.?\s+(?:{names})\.?\b",
        # October 2, March 28
        rf"\b(?:{names})\.?\s+{days}{_NOT_DIGIT_AFTER}",
    ]


def _complete_patterns(day: dt.date) -> list[str]:
    """Ways that carry the year themselves: numeric dates and dated addresses."""
    d, m, y = f"0?{day.day}", f"0?{day.month}", day.year
    years = f"(?:{y}|{y % 100:02d})"
    return [
        rf"{_NOT_DIGIT_BEFORE}{day.isoformat()}{_NOT_DIGIT_AFTER}",
        # 02.10.2006, 1.3.2010, 03.08.20
        rf"{_NOT_DIGIT_BEFORE}{d}\.{m}\.{years}{_NOT_DIGIT_AFTER}",
        # 4/25/2023 (month first, as data.nav.no prints it)
        rf"{_NOT_DIGIT_BEFORE}{m}/{d}/{y}{_NOT_DIGIT_AFTER}",
        rf"/{y}/{day.month:02d}/{day.day:02d}(?:/|$|[^\d])",
    ]


def mentions_day(day: dt.date, *texts: str) -> bool:
    """Whether ``texts`` (a quoted passage, a page address …) together show ``day``.

    True when one text holds a complete date (``2006-06-16``, ``02.10.2006``, ``/2022/02/07/``),
    or when one text writes the day and month and the year appears in any of the texts.
    """
    joined = "\n".join(t.replace("\u00a0", " ") for t in texts)
    if any(re.search(p, joined) for p in _complete_patterns(day)):
        return True
    if not re.search(rf"{_NOT_DIGIT_BEFORE}{day.year}{_NOT_DIGIT_AFTER}", joined):
        return False
    return any(re.search(p, joined, re.IGNORECASE) for p in _textual_patterns(day))
