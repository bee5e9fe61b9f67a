"""The NAV and trust-reform timeline: a curated, sourced list of milestones, validated and queried.

The records live in ``datasets/timeline/milestones.toml`` so that a change is one readable diff.
Every record keeps the uncertainty of its sources in ``precision``: a milestone known only to the
month or year stores the first day of that month or year, and that day is a storage convention,
never a claim. Code that needs "when could this have happened" uses :attr:`Milestone.span`.

Validation runs on every load, so a bad edit fails loudly with the record and the rule it broke
rather than producing a quietly wrong timeline. Every source carries the passage it was read for
(``quote``), so the rules can check what the sources say: a milestone dated to the day needs a
source whose passage or address shows that day.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

import msgspec
import polars as pl

from navdata._date_mentions import mentions_day
from navdata._resources import datasets_dir
from navdata._surface import words
from navdata.cut import PeriodRange
from navdata.errors import DatasetValidationError, InvalidArgumentError, UnknownMilestoneError
from navdata.language import LANGUAGES, Language, check_language
from navdata.once import load_once

__all__ = [
    "CATEGORIES",
    "LANGUAGES",
    "PRECISIONS",
    "TAGS",
    "Milestone",
    "Source",
    "load_milestones",
    "milestone",
    "parse_milestones",
    "timeline",
    "timeline_path",
]

CATEGORIES: Final[Mapping[str, str]] = {
    "legislation": "a bill, an act or a parliamentary decision on one",
    "organisation": "an agency or office is created, merged, restructured or gets a new head",
    "policy": "a government or party platform, budget measure, ministerial statement or proposal",
    "disclosure": "an authority makes public an error or failure in its own practice",
    "report": "an official report, green paper, committee appointment or analysis",
    "opinion": "an op-ed, editorial or public statement by a participant in the debate",
    "data": "a change in how statistics are collected or published, or a survey",
}

TAGS: Final[Mapping[str, str]] = {
    "nav-reform": "creating NAV (2005-2011) and later reviews of how NAV is organised",
    "trust-reform": "tillitsreformen: steering public services by trust rather than targets",
    "statistics-break": "a break in a statistical series; `affects` names the series",
    "county-reform": "changes to the county structure and county codes",
    "benefit-reform": "a benefit is introduced, replaced or redesigned (AAP, uføretrygd)",
    "eea-case": "the 2019 EEA case (trygdeskandalen) and its inquiry",
    "labour-market": "employment policy, job seekers and the employment committee",
    "youth": "follow-up of young people: youth guarantee, youth employment pledge",
    "appeals": "the complaints and appeals system for NAV decisions",
    "leadership": "NAV's directors",
    "outlook": "NAV's own analyses of future trends (omverdensanalyse)",
    "sickness-absence": "sickness absence and how it is measured",
}

PRECISIONS: Final[Mapping[str, str]] = {
    "day": "the exact day is known",
    "month": "only the month is known; `date` is its first day",
    "quarter": "only the quarter is known; `date` is its first day",
    "year": "only the year is known; `date` is 1 January",
    "session": "only the Storting session is known; `date` is 1 October, the session's start",
}

_ID: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SERIES_ID: Final = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+$")
_FILE_NAME: Final = "milestones.toml"
_CLOSE_MATCHES: Final = 3


class Source(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """A public page that backs a milestone.

    Where it is, who published it, what it is called, and the passage it was read for
    (``quote``, verbatim; ``…`` marks left-out text).
    """

    url: str
    publisher: str
    title: str
    quote: str
    accessed: dt.date | None = None


class Milestone(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """One dated event in the timeline, in Norwegian and English, with its sources."""

    id: str
    date: dt.date
    precision: str
    title_nb: str
    title_en: str
    summary_nb: str
    summary_en: str
    category: str
    actors: tuple[str, ...]
    tags: tuple[str, ...]
    sources: tuple[Source, ...]
    affects: tuple[str, ...] = ()
    date_note: str | None = None

    def title(self, lang: str = "nb") -> str:
        """The title in ``lang`` (``"nb"`` or ``"en"``)."""
        return self.title_en if check_language(lang) == "en" else self.title_nb

    def summary(self, lang: str = "nb") -> str:
        """The summary in ``lang`` (``"nb"`` or ``"en"``)."""
        return self.summary_en if check_language(lang) == "en" else self.summary_nb

    @property
    def date_text(self) -> str:
        """The date only as precisely as it is known (2014 rather than a made-up 2014-01-01).

        ``2006-07-01`` (day), ``2006-07`` (month), ``2006-Q3`` (quarter), ``2006`` (year), and
        for the Storting session that starts on 1 October 2025 both its years joined by an en
        dash.
        """
        if self.precision == "year":
            return str(self.date.year)
        if self.precision == "month":
            return self.date.strftime("%Y-%m")
        if self.precision == "session":  # a Storting session runs 1 October to 30 September
            return f"{self.date.year}\N{EN DASH}{self.date.year + 1}"
        if self.precision == "quarter":
            return f"{self.date.year}-Q{(self.date.month - 1) // 3 + 1}"
        return self.date.isoformat()

    @property
    def span(self) -> tuple[dt.date, dt.date]:
        """First and last day the milestone can have fallen on, given its precision."""
        first = self.date
        if self.precision in {"month", "quarter"}:
            months = 1 if self.precision == "month" else 3
            index = first.month - 1 + months
            following = dt.date(first.year + index // 12, index % 12 + 1, 1)
            return first, following - dt.timedelta(days=1)
        if self.precision == "year":
            return first, dt.date(first.year, 12, 31)
        if self.precision == "session":
            return first, dt.date(first.year + 1, 9, 30)
        return first, first

    @property
    def is_break(self) -> bool:
        """Whether the milestone is a break in the statistics (tagged ``statistics-break``)."""
        return "statistics-break" in self.tags

    def breaks_series(self, series_id: str) -> bool:
        """Whether this is a break in ``series_id`` or in a series of its family.

        Series ids are hierarchical: a break in ``nav.helt_ledige`` is also a break in its
        variants ``nav.helt_ledige.share`` and ``nav.helt_ledige.by_age``, so ``affects`` names
        the family once instead of every variant.
        """
        return self.is_break and any(
            series_id == name or series_id.startswith(f"{name}.") for name in self.affects
        )


class _RawFile(msgspec.Struct, forbid_unknown_fields=True):
    milestone: list[dict[str, Any]] = msgspec.field(default_factory=list)


# --- loading and validation ------------------------------------------------------------------


def parse_milestones(text: str | bytes, *, origin: str = "<text>") -> tuple[Milestone, ...]:
    """Decode and validate timeline TOML; raise :class:`DatasetValidationError` on any breach.

    Each record is converted on its own so that an error names the record (by id, or by its
    position when the id itself is missing) and the rule it broke.
    """
    try:
        raw = msgspec.toml.decode(text, type=_RawFile)
    except msgspec.DecodeError as exc:
        msg = f"{origin}: not a valid timeline file ({exc}); fix the TOML syntax or layout"
        raise DatasetValidationError(msg) from exc
    records: list[Milestone] = []
    seen: set[str] = set()
    for position, fields in enumerate(raw.milestone, start=1):
        name = fields.get("id") if isinstance(fields.get("id"), str) else f"#{position}"
        try:
            record = msgspec.convert(fields, Milestone)
        except msgspec.ValidationError as exc:
            raise _breach(origin, str(name), "schema", str(exc)) from exc
        _check(record, origin)
        if record.id in seen:
            raise _breach(origin, record.id, "unique-id", "another milestone already has this id")
        if records and record.date < records[-1].date:
            detail = f"dated {record.date}, before the previous record ({records[-1].date})"
            raise _breach(origin, record.id, "ascending-dates", detail)
        seen.add(record.id)
        records.append(record)
    return tuple(records)


def timeline_path() -> Path:
    """The bundled timeline file (public so that a reader can tell one edition from the next)."""
    return datasets_dir() / "timeline" / _FILE_NAME


@load_once
def load_milestones() -> tuple[Milestone, ...]:
    """The bundled timeline, validated, in ascending date order (read once per process)."""
    path = timeline_path()
    return parse_milestones(path.read_bytes(), origin=str(path))


@load_once
def _by_id() -> dict[str, Milestone]:
    return {record.id: record for record in load_milestones()}


def _breach(origin: str, record: str, rule: str, detail: str) -> DatasetValidationError:
    return DatasetValidationError(
        f"{origin}: milestone {record!r} breaks rule {rule!r}: {detail}; "
        "fix the record (datasets/timeline/README.md describes the rules)"
    )


def _check(record: Milestone, origin: str) -> None:
    """Apply every rule that the schema alone cannot express."""
    for rule, detail in _problems(record):
        raise _breach(origin, record.id, rule, detail)


def _problems(record: Milestone) -> Iterable[tuple[str, str]]:
    if not _ID.match(record.id):
        yield "id-format", "use lower-case letters, digits and single hyphens (a stable slug)"
    yield from _date_problems(record)
    for field in ("title_nb", "title_en", "summary_nb", "summary_en"):
        if not getattr(record, field).strip():
            yield "both-languages", f"{field} is empty"
    if record.category not in CATEGORIES:
        yield "category", f"{record.category!r} is not one of {sorted(CATEGORIES)}"
    if not record.actors or any(not actor.strip() for actor in record.actors):
        yield "actors", "list at least one actor and no empty names"
    unknown_tags = [tag for tag in record.tags if tag not in TAGS]
    if not record.tags or unknown_tags or len(set(record.tags)) != len(record.tags):
        yield "tags", f"give distinct tags from {sorted(TAGS)} (unknown: {unknown_tags})"
    yield from _affects_problems(record)
    yield from _source_problems(record)


def _date_problems(record: Milestone) -> Iterable[tuple[str, str]]:
    day = record.date
    if record.precision not in PRECISIONS:
        yield "precision", f"{record.precision!r} is not one of {sorted(PRECISIONS)}"
    elif record.precision == "month" and day.day != 1:
        yield "precision-date", "a month-precision date is stored as the 1st of the month"
    elif record.precision == "quarter" and (day.day != 1 or day.month not in {1, 4, 7, 10}):
        yield "precision-date", "a quarter-precision date is stored as the quarter's first day"
    elif record.precision == "year" and (day.month, day.day) != (1, 1):
        yield "precision-date", "a year-precision date is stored as 1 January"
    elif record.precision == "session" and (day.month, day.day) != (10, 1):
        yield "precision-date", "a session-precision date is stored as 1 October"
    if record.date_note is not None and not record.date_note.strip():
        yield "date-note", "date_note is empty; leave it out instead"
    if record.precision == "day" and not any(
        mentions_day(day, s.quote, s.url) for s in record.sources
    ):
        detail = (
            f"no source's quote or address shows {day.isoformat()}; quote the passage that "
            "gives the day, or lower the precision to what the sources show"
        )
        yield "day-in-source", detail


def _affects_problems(record: Milestone) -> Iterable[tuple[str, str]]:
    if record.is_break and not record.affects:
        yield "break-affects", "a statistics-break must name the series it affects in `affects`"
    if record.affects and not record.is_break:
        yield "break-affects", "`affects` is only for milestones tagged statistics-break"
    bad = [series for series in record.affects if not _SERIES_ID.match(series)]
    if bad or len(set(record.affects)) != len(record.affects):
        yield "affects", f"give distinct series ids like 'nav.helt_ledige' (malformed: {bad})"


def _source_problems(record: Milestone) -> Iterable[tuple[str, str]]:
    if not record.sources:
        yield "sources", "cite at least one public source"
    for source in record.sources:
        parts = urlsplit(source.url)
        if parts.scheme != "https" or not parts.netloc or " " in source.url:
            yield "source-url", f"{source.url!r} is not an absolute https address"
        if not source.publisher.strip() or not source.title.strip():
            yield "source-fields", f"{source.url!r} needs a publisher and a title"
        if not source.quote.strip():
            yield "source-quote", f"{source.url!r} needs the passage it was read for in `quote`"


# --- queries -----------------------------------------------------------------------------------


def milestone(milestone_id: str) -> Milestone:
    """One milestone of the bundled timeline.

    Parameters
    ----------
    milestone_id
        Its id, such as ``"trust-reform-nav-start"`` (:func:`timeline` lists them).

    Returns
    -------
    Milestone
        Its date and the precision the sources give it, titles and summaries in nb and en,
        category, tags and sources.

    Raises
    ------
    UnknownMilestoneError
        No milestone has this id (the message suggests close ones).
    """
    found = _by_id().get(milestone_id)
    if found is not None:
        return found
    close = difflib.get_close_matches(milestone_id, list(_by_id()), n=_CLOSE_MATCHES, cutoff=0.5)
    hint = f"did you mean {', '.join(repr(c) for c in close)}? " if close else ""
    every = words("navdata.timeline()", "`navdata timeline`")
    msg = f"unknown milestone {milestone_id!r}; {hint}{every} lists every milestone"
    raise UnknownMilestoneError(msg)


def timeline(
    start: str | int | dt.date | None = None,
    end: str | int | dt.date | None = None,
    *,
    category: str | Iterable[str] | None = None,
    tag: str | Iterable[str] | None = None,
    lang: str = "nb",
) -> pl.DataFrame:
    """The milestones as a frame, oldest first, with titles and summaries in ``lang``.

    A milestone known only to the month or year is kept when the span it may fall in overlaps
    the range, so no candidate is silently lost.

    Parameters
    ----------
    start
        A date, a year (``2015``) or text like ``"2015"``, ``"2015-06"`` or ``"2015-06-03"``.
    end
        The same forms, inclusive (``end="2015"`` includes all of 2015); not before ``start``.
    category
        One category or several (``"reform"``, ``"policy"`` ...); a milestone matches any.
    tag
        One tag or several (``"trust-reform"``, ``"statistics-break"`` ...); a milestone
        matches any.
    lang
        ``"nb"`` or ``"en"``, for titles and summaries.

    Returns
    -------
    polars.DataFrame
        One row per milestone: id, date, precision, title, summary, category, tags, sources.

    Raises
    ------
    InvalidArgumentError
        An unknown category, tag or language, or ``start`` after ``end``.
    PeriodError
        A malformed date.
    """
    language = check_language(lang)
    first, last = PeriodRange.asked(start, end)
    categories = _vocabulary_filter(category, CATEGORIES, "category")
    tags = _vocabulary_filter(tag, TAGS, "tag")
    rows = [
        record
        for record in load_milestones()
        if (first is None or record.span[1] >= first)
        and (last is None or record.span[0] <= last)
        and (categories is None or record.category in categories)
        and (tags is None or not tags.isdisjoint(record.tags))
    ]
    return _frame(rows, language)


_FRAME_SCHEMA: Final = {
    "id": pl.String(),
    "date": pl.Date(),
    "precision": pl.String(),
    "date_note": pl.String(),
    "title": pl.String(),
    "summary": pl.String(),
    "category": pl.String(),
    "tags": pl.List(pl.String()),
    "actors": pl.List(pl.String()),
    "affects": pl.List(pl.String()),
    "sources": pl.List(pl.String()),
}


def _frame(rows: list[Milestone], lang: Language) -> pl.DataFrame:
    columns: dict[str, list[Any]] = {
        "id": [r.id for r in rows],
        "date": [r.date for r in rows],
        "precision": [r.precision for r in rows],
        "date_note": [r.date_note for r in rows],
        "title": [r.title(lang) for r in rows],
        "summary": [r.summary(lang) for r in rows],
        "category": [r.category for r in rows],
        "tags": [list(r.tags) for r in rows],
        "actors": [list(r.actors) for r in rows],
        "affects": [list(r.affects) for r in rows],
        "sources": [[s.url for s in r.sources] for r in rows],
    }
    return pl.DataFrame(columns, schema=_FRAME_SCHEMA)


def _vocabulary_filter(
    value: str | Iterable[str] | None, vocabulary: Mapping[str, str], name: str
) -> frozenset[str] | None:
    if value is None:
        return None
    wanted = frozenset([value] if isinstance(value, str) else value)
    unknown = sorted(wanted - vocabulary.keys())
    if unknown:
        close = difflib.get_close_matches(
            unknown[0], list(vocabulary), n=_CLOSE_MATCHES, cutoff=0.5
        )
        hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
        msg = f"unknown {name} {unknown[0]!r}{hint}; known values: {', '.join(vocabulary)}"
        raise InvalidArgumentError(msg)
    return wanted
