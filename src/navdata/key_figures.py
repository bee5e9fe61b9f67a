"""Curated national key figures bundled with the package (``datasets/key_figures/``).

They give the library and the API real, sourced numbers offline. Each value keeps its own source
(publisher, https address, the quoted text it was read from, its unit and flags), because the
figures come from several publications. The file is checked on load: every value must stand in
its own quote as the source prints it (decimal comma, thousands separators), every address must be
https, every flag must be a known one, so a wrong figure fails loudly instead of shipping.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Final

import msgspec
import polars as pl

from navdata._resources import datasets_dir
from navdata.dataset import CC_BY_4, CC_BY_4_URL, Dataset, Dimension, Metadata, Provenance
from navdata.errors import DatasetValidationError, UnknownSeriesError
from navdata.once import load_once
from navdata.periods import with_dates

__all__ = [
    "FLAGS",
    "OBSERVATION_COLUMNS",
    "KeyFigureSeries",
    "cited_urls",
    "key_figure",
    "key_figure_files",
    "key_figure_series",
    "key_figures_retrieved",
    "parse_key_figure_values",
    "printed_forms",
    "value_in_quote",
]

#: What a flag on a value means. A value may carry several, separated by ``;``.
FLAGS: Final[Mapping[str, str]] = {
    "pos": (
        "read by column position: the source prints a table whose cells run together or need "
        "the header to place them; the quote holds the header and the row"
    ),
    "sec": "a secondary source (a newspaper) restating NAV or SSB, not the publisher itself",
    "yr?": (
        "the year is not printed next to the number; it comes from the page's wording "
        "('i fjor', 'i år') or its date"
    ),
}

#: Per-value columns of a key-figure frame, after the tidy ``period, date, value, status``.
OBSERVATION_COLUMNS: Final = ("unit", "flags", "quote", "publisher", "source_url")

_VALUE_SCHEMA: Final = {
    "series_id": pl.Utf8,
    "period": pl.Utf8,
    "value": pl.Float64,
    "unit": pl.Utf8,
    "publisher": pl.Utf8,
    "source_url": pl.Utf8,
    "quote": pl.Utf8,
    "flags": pl.Utf8,
}
_MAX_DECIMALS: Final = 3
_THOUSANDS_SEPARATORS: Final = (" ", "\u00a0", ".", "")


class KeyFigureSeries(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Description of one bundled key-figure series."""

    id: str
    title_nb: str
    title_en: str
    unit: str
    frequency: str
    publisher: str
    notes_nb: list[str] = msgspec.field(default_factory=list)
    notes_en: list[str] = msgspec.field(default_factory=list)

    def title(self, lang: str = "nb") -> str:
        """Title in Norwegian (``nb``) or English (``en``)."""
        return self.title_en if lang == "en" else self.title_nb


class _SeriesFile(msgspec.Struct, frozen=True):
    retrieved: dt.date
    series: list[KeyFigureSeries]


def key_figure_files() -> tuple[Path, Path]:
    """The bundled files every key figure is read from: its description and its values.

    Public so that a reader can tell one edition of the bundled data from the next (the
    service hashes them into its ETags).
    """
    folder = datasets_dir() / "key_figures"
    return folder / "series.toml", folder / "values.csv"


@load_once
def _series_file() -> _SeriesFile:
    path = key_figure_files()[0]
    try:
        parsed = msgspec.toml.decode(path.read_bytes(), type=_SeriesFile)
    except msgspec.ValidationError as exc:
        raise DatasetValidationError(f"{path}: {exc}") from exc
    if len({s.id for s in parsed.series}) != len(parsed.series):
        raise DatasetValidationError(f"{path}: duplicate series ids")
    return parsed


@load_once
def key_figure_series() -> dict[str, KeyFigureSeries]:
    """All bundled key-figure series by id, validated once per process."""
    return {s.id: s for s in _series_file().series}


def key_figures_retrieved() -> dt.datetime:
    """When the bundled figures were read in their sources (``retrieved`` in ``series.toml``).

    The file records the day; the provenance type holds a time, so it is the day's start in
    UTC. Python, the CLI and the API all report this, never when the files were copied.
    """
    return dt.datetime.combine(_series_file().retrieved, dt.time(), tzinfo=dt.UTC)


# --- the rules of values.csv ---------------------------------------------------------------------


def _grouped(digits: str, separator: str) -> str:
    """``"297485"`` -> ``"297 485"`` with ``separator`` between groups of three digits."""
    head = len(digits) % 3 or 3
    groups = [digits[:head], *(digits[i : i + 3] for i in range(head, len(digits), 3))]
    return separator.join(groups)


def printed_forms(value: float) -> list[str]:
    """The ways a Norwegian source may print ``value``: decimal comma, thousands separators.

    ``3.4`` -> ``3,4``; ``10.0`` -> ``10``, ``10,0``; ``297485`` -> ``297 485``, ``297.485``,
    ``297485``. Only as many decimals as the value has (up to three) are tried.
    """
    forms: list[str] = []
    for decimals in range(_MAX_DECIMALS + 1):
        if not math.isclose(round(value, decimals), value, rel_tol=0.0, abs_tol=1e-9):
            continue
        whole, _, fraction = f"{abs(value):.{decimals}f}".partition(".")
        sign = "-" if value < 0 else ""
        tail = f",{fraction}" if fraction else ""
        separators = _THOUSANDS_SEPARATORS if len(whole) > 3 else ("",)
        forms.extend(f"{sign}{_grouped(whole, sep)}{tail}" for sep in separators)
    return list(dict.fromkeys(forms))


def value_in_quote(value: float, quote: str, *, by_position: bool) -> bool:
    """Whether ``quote`` prints ``value``.

    A value read from running text must stand as a number of its own (not inside a longer one).
    A value read by column position (flag ``pos``) may run into its neighbours, because the
    stored tables print cells without separators (``Begge kjønn3,74,6``).
    """
    text = quote.replace("\u00a0", " ")
    for form in printed_forms(value):
        if by_position and form in text:
            return True
        pattern = rf"(?<![\d,.]){re.escape(form)}(?![\d]|[,.]\d)"
        if re.search(pattern, text):
            return True
    return False


def _breach(origin: str, row: Mapping[str, object], rule: str, detail: str) -> str:
    where = f"{row.get('series_id')} {row.get('period')}"
    return (
        f"{origin}: key figure {where} breaks rule {rule!r}: {detail}; fix the row "
        "(datasets/key_figures/README.md describes the rules)"
    )


def _row_problems(
    row: Mapping[str, object], series: Mapping[str, KeyFigureSeries]
) -> Iterable[tuple[str, str]]:
    described = series.get(str(row["series_id"]))
    if described is None:
        yield "described-series", f"no series {row['series_id']!r} in series.toml"
    url = row["source_url"]
    if not isinstance(url, str) or not url.startswith("https://") or " " in url:
        yield "https-source", f"source_url {url!r} is not an https address"
    flags = str(row["flags"] or "")
    unknown = [f for f in flags.split(";") if f and f not in FLAGS] if flags else []
    if unknown or flags.startswith(";") or flags.endswith(";") or ";;" in flags:
        yield "known-flags", f"flags {flags!r}: use {sorted(FLAGS)} separated by ';'"
    quote = row["quote"]
    value = row["value"]
    if not isinstance(quote, str) or not quote.strip():
        yield "quote", "give the text the value was read from"
    elif not isinstance(value, float) or not value_in_quote(
        value, quote, by_position="pos" in flags.split(";")
    ):
        forms = printed_forms(value) if isinstance(value, float) else []
        yield "value-in-quote", f"the quote does not print {value!r} (as {forms})"
    if described is not None and row["unit"] != described.unit:
        yield "unit", f"unit {row['unit']!r} differs from the series' {described.unit!r}"


def parse_key_figure_values(
    data: bytes | str,
    *,
    series: Mapping[str, KeyFigureSeries],
    origin: str = "<values>",
) -> pl.DataFrame:
    """Read ``values.csv`` text and check every row against its rules.

    Raises :class:`DatasetValidationError` naming the series, the period and the rule broken.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        frame = pl.read_csv(io.BytesIO(raw), schema=_VALUE_SCHEMA, encoding="utf8")
    except pl.exceptions.PolarsError as exc:
        msg = f"{origin}: not a valid key-figure file ({exc}); fix the CSV layout"
        raise DatasetValidationError(msg) from exc
    for row in frame.iter_rows(named=True):
        for rule, detail in _row_problems(row, series):
            raise DatasetValidationError(_breach(origin, row, rule, detail))
    duplicated = frame.filter(frame.select("series_id", "period").is_duplicated())
    if duplicated.height:
        row = duplicated.row(0, named=True)
        raise DatasetValidationError(_breach(origin, row, "unique-period", "listed twice"))
    return frame


@load_once
def _all_values() -> pl.DataFrame:
    path = key_figure_files()[1]
    return parse_key_figure_values(path.read_bytes(), series=key_figure_series(), origin=str(path))


def cited_urls(series_id: str) -> set[str]:
    """The source pages a bundled series' values cite (no frame is built: the catalogue asks)."""
    values = _all_values().filter(pl.col("series_id") == series_id)
    return set(values["source_url"].drop_nulls().to_list())


# --- the series as a Dataset ---------------------------------------------------------------------


def key_figure(series_id: str) -> Dataset:
    """One bundled key-figure series as a tidy :class:`~navdata.Dataset`.

    The frame has ``period``, ``date``, ``value``, ``status`` and, per value, ``unit``,
    ``flags`` (codes separated by ``;``), ``quote`` (the source text the value was read from),
    ``publisher`` and ``source_url``. ``meta.extension["flags"]`` says what each flag means.
    """
    series = key_figure_series().get(series_id)
    if series is None:
        known = ", ".join(sorted(key_figure_series()))
        raise UnknownSeriesError(f"no bundled key figure {series_id!r}; known: {known}")
    values = (
        _all_values()
        .filter(pl.col("series_id") == series_id)
        .select(
            "period",
            "value",
            pl.lit(None, dtype=pl.Utf8).alias("status"),
            *OBSERVATION_COLUMNS,
        )
    )
    frame = with_dates(values, period="period", date="date").sort("date")
    frame = frame.select("period", "date", "value", "status", *OBSERVATION_COLUMNS)
    periods = frame["period"].to_list()
    meta = Metadata(
        dimensions=[Dimension(id="period", label="period", codes=periods, role="time")],
        label=series.title_nb,
        source=series.publisher,
        roles={"time": ["period"]},
        notes=list(series.notes_nb),
        extension={
            "unit": series.unit,
            "frequency": series.frequency,
            "title_en": series.title_en,
            "flags": dict(FLAGS),
            "observation_columns": list(OBSERVATION_COLUMNS),
        },
        # No one address for the series: every value cites its own (``source_url``), and the
        # catalogue names the page to cite for the whole (navdata.get puts it here).
        provenance=Provenance(
            publisher=series.publisher,
            table=series_id,
            retrieved=key_figures_retrieved(),
            licence=CC_BY_4,
            licence_url=CC_BY_4_URL,
        ),
    )
    return Dataset(frame, meta)
