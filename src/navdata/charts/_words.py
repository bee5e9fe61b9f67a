"""The words on a chart: default title, unit and attribution, tooltips, the SVG description."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Final

import polars as pl

from navdata.charts._model import Line, Mark, Spec
from navdata.dataset import Metadata
from navdata.language import Language
from navdata.milestones import Milestone

__all__ = ["WORDS", "default_note", "default_title", "default_unit", "description", "tooltip"]

WORDS: Final[Mapping[str, Mapping[Language, str]]] = {
    "period": {"nb": "Periode", "en": "Period"},
    "value": {"nb": "Verdi", "en": "Value"},
    "milestone": {"nb": "Milepæl", "en": "Milestone"},
    "break": {"nb": "Brudd i statistikken", "en": "Statistics break"},
    "source": {"nb": "Kilde", "en": "Source"},
    "licence": {"nb": "lisens", "en": "licence"},
    "unlabelled": {
        "nb": "{n} milepæler uten etikett (se navdata.timeline())",
        "en": "{n} milestones not labelled (see navdata.timeline())",
    },
    "chart": {"nb": "Linjediagram", "en": "Line chart"},
    "markers": {"nb": "Milepæler", "en": "Milestones"},
    "breaks": {"nb": "Brudd", "en": "Breaks"},
}
_UNITS: Final[Mapping[str, Mapping[Language, str]]] = {
    "percent": {"nb": "Prosent", "en": "Per cent"},
    "persons": {"nb": "Personer", "en": "Persons"},
    "nok": {"nb": "Kroner", "en": "NOK"},
}
_PRECISION_WORDS: Final[Mapping[str, Mapping[Language, str]]] = {
    "day": {"nb": "", "en": ""},
    "month": {"nb": " (kjent til måneden)", "en": " (known to the month)"},
    "quarter": {"nb": " (kjent til kvartalet)", "en": " (known to the quarter)"},
    "year": {"nb": " (kjent til året)", "en": " (known to the year)"},
    "session": {"nb": " (kjent til stortingssesjonen)", "en": " (known to the session)"},
}


def default_title(meta: Metadata | None, lang: Language, series: str | None, value: str) -> str:
    if meta is not None:
        english = meta.extension.get("title_en")
        if lang == "en" and isinstance(english, str):
            return english
        if meta.label:
            return meta.label
    return series or value


def default_unit(meta: Metadata | None, lang: Language) -> str:
    named = meta.extension.get("unit") if meta is not None else None
    if isinstance(named, str):
        return _UNITS.get(named, {}).get(lang, named)
    return WORDS["value"][lang]


def default_note(frame: pl.DataFrame, meta: Metadata | None, lang: Language) -> str | None:
    """An attribution line from the metadata (or a ``publisher`` column); None if none is known."""
    publishers: list[str] = []
    licence: str | None = None
    if meta is not None:
        provenance = meta.provenance
        for name in (provenance.publisher if provenance else None, meta.source):
            if name and name not in publishers:
                publishers.append(name)
        licence = provenance.licence if provenance else None
    if not publishers and "publisher" in frame.columns:
        published = frame["publisher"].drop_nulls().cast(pl.String).unique(maintain_order=True)
        publishers.extend(published.to_list())
    if not publishers:
        return None
    note = f"{WORDS['source'][lang]}: {'; '.join(publishers)}"
    return f"{note}, {WORDS['licence'][lang]} {licence}" if licence else note


def tooltip(record: Milestone, lang: Language) -> str:
    return (
        f"{record.date.isoformat()}{_PRECISION_WORDS[record.precision][lang]}: {record.title(lang)}"
    )


def description(
    spec: Spec, lines: Sequence[Line], data_range: tuple[dt.date, dt.date], plan: Sequence[Mark]
) -> str:
    first, last = data_range
    parts = [
        f"{WORDS['chart'][spec.lang]}: {spec.title}, {first.isoformat()}\u2013{last.isoformat()}."
    ]
    if spec.grouped:
        parts.append(", ".join(line.label for line in lines) + ".")
    markers = [tooltip(m.record, spec.lang) for m in plan if not m.shaded]
    breaks = [tooltip(m.record, spec.lang) for m in plan if m.shaded]
    if markers:
        parts.append(f"{WORDS['markers'][spec.lang]}: " + "; ".join(markers) + ".")
    if breaks:
        parts.append(f"{WORDS['breaks'][spec.lang]}: " + "; ".join(breaks) + ".")
    if spec.note:
        parts.append(spec.note)
    return " ".join(parts)
