"""The small text rules every NAV file shares: month names, numbers, status symbols, region labels.

NAV writes Norwegian month names as column headers, region codes inside labels ("0301 Oslo -
Oslove", "030101 Gamle Oslo"), ``*`` for cells under four persons, and, in CSV and HTML, numbers
with a decimal comma and spaces (often non-breaking) between thousands. These helpers turn such
text into values or raise ``ValueError``; the layout parsers turn that into a ``LayoutError``
that names the file, sheet, row and column.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

__all__ = [
    "MONTHS",
    "RegionLabel",
    "RegionLevel",
    "file_name_period",
    "month_number",
    "normalise_label",
    "parse_number",
    "parse_value",
    "split_region_label",
    "table_code",
]

RegionLevel = Literal["country", "fylke", "kommune", "bydel", "unknown"]

MONTHS: tuple[str, ...] = (
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
)
"""Norwegian month names in calendar order. NAV's workbooks spell them out in full ("Januar");
no abbreviations were observed in the published files, so none are accepted."""

STATUS_SYMBOLS: frozenset[str] = frozenset({"*", ":", "..", ".", "-"})
"""Symbols that stand in for a number: kept as ``status``, with the value null."""

NON_GEOGRAPHIC: frozenset[str] = frozenset(
    {"Ukjent", "Uoppgitt", "Bosatt i utlandet", "NAV Utland", "Øvrige områder og ukjent"}
)
"""Region rows NAV publishes that are not places; kept as level ``unknown`` under their label."""

_SPACES = re.compile(r"[\s\u00a0\u202f\u2007\u2009]+")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:,\d+)?")
_GROUPED_NUMBER = re.compile(r"[+-]?\d{1,3}(?: \d{3})+(?:,\d+)?")
_CODE_LABEL = re.compile(r"(\d+)\s+(\S.*)")
_LEVEL_BY_DIGITS: dict[int, RegionLevel] = {2: "fylke", 4: "kommune", 6: "bydel"}


def month_number(text: str) -> int | None:
    """1-12 for a Norwegian month name (any case, surrounding spaces ignored), else ``None``."""
    name = text.strip().lower()
    return MONTHS.index(name) + 1 if name in MONTHS else None


def parse_number(text: str) -> float:
    """Read a number written the Norwegian way: ``"317 705"``, ``"1\u00a0400"``, ``"-2,5"``.

    Thousands groups must be exactly three digits and the decimal mark is a comma, so ``"1.234"``
    (dot thousands or dot decimals?) is refused rather than guessed.
    """
    compact = _SPACES.sub(" ", text.strip()).replace("\u2212", "-")
    if _PLAIN_NUMBER.fullmatch(compact) or _GROUPED_NUMBER.fullmatch(compact):
        return float(compact.replace(" ", "").replace(",", "."))
    msg = f"{text!r} is not a number in Norwegian notation (digits, space-grouped, decimal comma)"
    raise ValueError(msg)


def parse_value(raw: object) -> tuple[float | None, str | None]:
    """A cell as ``(value, status)``: numbers pass, symbols become ``(None, symbol)``.

    ``None`` and empty text are ``(None, None)``. Text that is neither a number nor a known symbol
    raises ``ValueError``: an unknown marker must never turn into a number or silently vanish.
    """
    if raw is None:
        return None, None
    if isinstance(raw, bool):
        msg = f"{raw!r} is a boolean, not a statistic"
        raise TypeError(msg)
    if isinstance(raw, int | float):
        return float(raw), None
    if not isinstance(raw, str):
        msg = f"{raw!r} ({type(raw).__name__}) is not a number or a status symbol"
        raise TypeError(msg)
    text = raw.strip()
    if not text:
        return None, None
    if text in STATUS_SYMBOLS:
        return None, text
    return parse_number(text), None


class RegionLabel(NamedTuple):
    """A region code read from a label, its level and the name that followed it."""

    code: str
    level: RegionLevel
    name: str


def split_region_label(label: str) -> RegionLabel | None:
    """Split ``"0301 Oslo - Oslove"`` into code, level and name; ``None`` when there is no code.

    The number of leading digits gives the level (2 fylke, 4 kommune, 6 bydel); a label whose
    leading number has any other length is not a region label and gives ``None``. Known
    non-geographic rows ("Ukjent", ...) come back as level ``unknown`` with the label as code.
    """
    text = normalise_label(label)
    if text in NON_GEOGRAPHIC:
        return RegionLabel(text, "unknown", text)
    match = _CODE_LABEL.fullmatch(text)
    if match is None:
        return None
    code, name = match.groups()
    level = _LEVEL_BY_DIGITS.get(len(code))
    if level is None:
        return None
    return RegionLabel(code, level, name)


def normalise_label(label: str) -> str:
    """Collapse runs of (non-breaking) spaces and strip the ends: NAV pads some labels."""
    return _SPACES.sub(" ", label).strip()


_PREFIX_DATE = re.compile(r"(?:^|/)(20\d{2})(0[1-9]|1[0-2])_")
_SUFFIX_DATE = re.compile(r"_(20\d{2})_(0[1-9]|1[0-2])(?:\.[A-Za-z]+)?$")


def file_name_period(file_name: str) -> tuple[int, int] | None:
    """``(year, month)`` from a release prefix ``202608_`` or suffix ``_2023_08``, else ``None``."""
    match = _PREFIX_DATE.search(file_name) or _SUFFIX_DATE.search(file_name)
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2))


def table_code(code: str) -> re.Pattern[str]:
    """A NAV table code as a whole token, in any case (file names and title cells name it so).

    ``HL060`` matches in ``202608_HL060 Helt ledige.xlsx``, not in ``HL0601``.
    """
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(code)}(?![0-9])", re.IGNORECASE)
