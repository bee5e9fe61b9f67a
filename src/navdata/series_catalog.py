"""The series catalogue: what each named series is, where it comes from, and how it is normalised.

A *series* is a stable name (``ssb.aku.unemployment_rate``, ``nav.helt_ledige``) for one
well-defined statistic: its title and description in Norwegian (nb) and English, unit, frequency,
geography, definition notes, known statistical breaks, publisher and licence, and a *recipe* that
says how to fetch it:

- SSB series name a PxWebApi v2 table, a selection (variable code -> list of value codes or
  expressions such as ``*`` and ``top(12)``), optional codelists and optionally the one
  ``ContentsCode`` value the series is about (``measure``).
- NAV series name a published workbook (``HL060``, ``AAP155``, ``PST302``) and the measure on it
  (``count`` or ``share``).
- Bundled series (``keyfig.*``) are the sourced national key figures shipped in
  ``datasets/key_figures/``: they need no fetch and work offline. Their catalogue entries live in
  ``datasets/catalog/bundled.toml`` (topic, geography, description, source page) and take their
  title, unit, frequency, publisher and notes from ``datasets/key_figures/series.toml``, so the two
  files cannot drift apart. :func:`load_bundled` reads them; :func:`find` and :func:`describe`
  look in both lists. :func:`load_catalog` stays the list of *fetched* (SSB and NAV) series.

The catalogue lives in ``datasets/catalog/series.toml`` so that it is reviewable as text and
ships with the package. :func:`load_catalog` reads it once, checks every rule (see
:func:`validate`) and raises :class:`~navdata.errors.DatasetValidationError` naming the series
and the rule it breaks, so a bad edit fails at import of the catalogue, never as a wrong number.

Sources name their dimensions in their own words (SSB: ``Kjonn``, ``Alder``, ``Region``, ``Tid``).
:data:`DIMENSION_NAMES` is the one mapping to navdata's shared names (``sex``, ``age``,
``region``, ``period``); :func:`normalise` applies it to a fetched :class:`~navdata.dataset.Dataset`
and keeps the original codes in the metadata (``extension["dimension_map"]``), so that a user
can always go back to the publisher's own vocabulary.
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

import msgspec
import polars as pl

from navdata._resources import datasets_dir
from navdata.dataset import CC_BY_4, CC_BY_4_URL, Dataset, Dimension, Unit
from navdata.errors import DatasetValidationError, InvalidArgumentError, UnknownSeriesError
from navdata.language import Language

__all__ = [
    "CONFIRMED_SSB_TABLES",
    "DIMENSION_NAMES",
    "NAV_TABLES",
    "SOURCES",
    "Break",
    "BundledRecipe",
    "Catalog",
    "NavRecipe",
    "Series",
    "SeriesUnit",
    "SsbRecipe",
    "Text",
    "all_series",
    "bundled_path",
    "catalog",
    "catalog_path",
    "describe",
    "find",
    "load_bundled",
    "load_catalog",
    "normalise",
    "normalised_name",
    "parse_bundled",
    "parse_catalog",
]

# --- vocabularies ---------------------------------------------------------------------------------

Topic = Literal[
    "unemployment",
    "employment",
    "work_assessment",
    "disability",
    "sickness_absence",
    "social_assistance",
    "population",
    "user_survey",
]
Frequency = Literal["year", "quarter", "month"]
Geography = Literal["landet", "fylke", "kommune", "bydel"]
Precision = Literal["day", "month", "quarter", "year"]
NavMeasure = Literal["count", "share"]

TOPICS: tuple[str, ...] = get_args(Topic)
FREQUENCIES: tuple[str, ...] = get_args(Frequency)
GEOGRAPHIES: tuple[str, ...] = get_args(Geography)
#: Who a series comes from: fetched from SSB or NAV, or bundled with the package.
SOURCES: tuple[str, ...] = ("ssb", "nav", "bundled")

#: SSB tables marked confirmed ([V]) in ``reference/ssb-api.md`` §4 (and its §1 table list).
#: A table id marked unconfirmed there ([?]) stays out until it is confirmed.
CONFIRMED_SSB_TABLES: frozenset[str] = frozenset(
    {"13760", "14483", "13618", "12441", "12210", "14019", "07459"}
)

#: NAV workbooks the NAV source finds and parses (``reference/nav-data-and-timeline.md`` §1).
NAV_TABLES: frozenset[str] = frozenset({"HL060", "AAP155", "PST302"})

#: Source dimension code -> navdata's shared dimension name. Looked up case-insensitively, because
#: SSB treats variable codes case-insensitively. A dimension not listed keeps its own name.
DIMENSION_NAMES: dict[str, str] = {
    "Kjonn": "sex",
    "Alder": "age",
    "Region": "region",
    "KOKkommuneregion0000": "region",
    "Tid": "period",
    "ContentsCode": "measure",
    "NACE2007": "industry",
    "Justering": "adjustment",
    "Sykefraver2": "absence_type",
}
_NAMES_BY_FOLDED = {code.casefold(): name for code, name in DIMENSION_NAMES.items()}

SERIES_ID = re.compile(r"^(ssb|nav|keyfig)\.[a-z0-9_.]+$")
#: The id prefix each recipe kind requires.
_ID_PREFIX = {"ssb": "ssb.", "nav": "nav.", "bundled": "keyfig."}
MILESTONE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: SSB's time and contents variables are never eliminable in PxWebApi v2: a selection needs both.
_REQUIRED_SSB_VARIABLES = ("ContentsCode", "Tid")


def normalised_name(code: str) -> str:
    """The shared name of a source dimension code (``Kjonn`` -> ``sex``); others unchanged."""
    return _NAMES_BY_FOLDED.get(code.casefold(), code)


# --- schema ---------------------------------------------------------------------------------------


class Text(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A text in Norwegian Bokmål (``nb``) and English (``en``)."""

    nb: str
    en: str

    def in_lang(self, lang: str) -> str:
        """The text in ``lang`` (``nb``/``no`` or ``en``)."""
        return self.en if lang == "en" else self.nb


class SeriesUnit(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """Unit of a series in both languages, with the published number of decimals when known."""

    nb: str
    en: str
    decimals: int | None = None

    def in_lang(self, lang: str) -> str:
        """The unit in ``lang`` (``nb``/``no`` or ``en``), as :meth:`Text.in_lang` picks."""
        return self.en if lang == "en" else self.nb


class Break(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """A known statistical break: from ``date`` (at ``precision``) the numbers change meaning."""

    date: date
    nb: str
    en: str
    precision: Precision = "day"
    milestone: str | None = None

    def in_lang(self, lang: str) -> str:
        """The note in ``lang`` (``nb``/``no`` or ``en``), as :meth:`Text.in_lang` picks."""
        return self.en if lang == "en" else self.nb


class SsbRecipe(
    msgspec.Struct,
    frozen=True,
    forbid_unknown_fields=True,
    omit_defaults=True,
    tag_field="source",
    tag="ssb",
):
    """How to fetch a series from SSB's PxWebApi v2."""

    table: str
    selection: dict[str, list[str]]
    codelists: dict[str, str] = msgspec.field(default_factory=dict)
    measure: str | None = None


class NavRecipe(
    msgspec.Struct,
    frozen=True,
    forbid_unknown_fields=True,
    omit_defaults=True,
    tag_field="source",
    tag="nav",
):
    """How to fetch a series from a NAV statistics workbook."""

    table: str
    measure: NavMeasure


class BundledRecipe(
    msgspec.Struct,
    frozen=True,
    forbid_unknown_fields=True,
    omit_defaults=True,
    tag_field="source",
    tag="bundled",
):
    """A series shipped with the package: ``table`` is its id in ``datasets/<dataset>/``."""

    table: str
    dataset: Literal["key_figures"] = "key_figures"
    measure: None = None


Recipe = SsbRecipe | NavRecipe | BundledRecipe


class Series(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """One named series: what it is, where it comes from and how it is fetched.

    ``dimension_map`` (navdata name -> source code) is derived from the recipe when the catalogue
    is loaded; it is not written in the catalogue file.
    """

    id: str
    topic: Topic
    frequency: Frequency
    geography: list[Geography]
    title: Text
    description: Text
    unit: SeriesUnit
    publisher: str
    licence: str
    licence_url: str
    source_url: str
    recipe: Recipe
    notes: list[Text] = msgspec.field(default_factory=list)
    breaks: list[Break] = msgspec.field(default_factory=list)
    dimension_map: dict[str, str] = msgspec.field(default_factory=dict)

    @property
    def source(self) -> Literal["ssb", "nav", "bundled"]:
        """``ssb`` or ``nav`` (fetched from that publisher) or ``bundled`` (shipped, offline)."""
        if isinstance(self.recipe, SsbRecipe):
            return "ssb"
        return "nav" if isinstance(self.recipe, NavRecipe) else "bundled"

    @property
    def table(self) -> str:
        """The publisher's table id or workbook code."""
        return self.recipe.table


class Catalog(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The whole catalogue file."""

    schema_version: int
    series: list[Series]

    def get(self, series_id: str) -> Series | None:
        """The series with this id, or ``None``."""
        return next((s for s in self.series if s.id == series_id), None)

    @property
    def ids(self) -> list[str]:
        """Series ids in catalogue order."""
        return [s.id for s in self.series]


# --- loading and validation -----------------------------------------------------------------------


def catalog_path() -> Path:
    """Path of the bundled catalogue file."""
    return datasets_dir() / "catalog" / "series.toml"


def _fail(series_id: str, rule: str, detail: str) -> DatasetValidationError:
    return DatasetValidationError(f"catalogue series {series_id!r} breaks rule {rule!r}: {detail}")


def _derived_dimension_map(recipe: Recipe) -> dict[str, str]:
    if isinstance(recipe, SsbRecipe):
        return {normalised_name(code): code for code in recipe.selection}
    return {}


def _validate_ssb(s: Series, recipe: SsbRecipe) -> None:
    if recipe.table not in CONFIRMED_SSB_TABLES:
        known = ", ".join(sorted(CONFIRMED_SSB_TABLES))
        raise _fail(
            s.id,
            "confirmed-ssb-table",
            f"table {recipe.table!r} is not confirmed (use one of {known})",
        )
    for required in _REQUIRED_SSB_VARIABLES:
        if required not in recipe.selection:
            raise _fail(
                s.id, "ssb-selection", f"selection lacks {required!r} (never eliminable in v2)"
            )
    names: dict[str, str] = {}
    for variable, values in recipe.selection.items():
        if not values or any(not v.strip() for v in values):
            raise _fail(s.id, "ssb-selection", f"variable {variable!r} has an empty value")
        if len(set(values)) != len(values):
            raise _fail(
                s.id, "ssb-selection", f"variable {variable!r} repeats a code (SSB answers 500)"
            )
        if variable.casefold() not in _NAMES_BY_FOLDED:
            raise _fail(
                s.id, "dimension-mapping", f"variable {variable!r} has no entry in DIMENSION_NAMES"
            )
        name = normalised_name(variable)
        if name in names:
            raise _fail(
                s.id,
                "dimension-mapping",
                f"variables {names[name]!r} and {variable!r} both map to {name!r}",
            )
        names[name] = variable
    for variable in recipe.codelists:
        if variable not in recipe.selection:
            raise _fail(s.id, "ssb-codelist", f"codelist for {variable!r}, which is not selected")
    if recipe.measure is not None and recipe.selection["ContentsCode"] != [recipe.measure]:
        raise _fail(
            s.id,
            "ssb-measure",
            f"measure {recipe.measure!r} must be the only ContentsCode selected, "
            f"not {recipe.selection['ContentsCode']!r}",
        )


def _validate_series(s: Series) -> None:
    if not SERIES_ID.match(s.id):
        raise _fail(s.id, "id-format", f"id must match {SERIES_ID.pattern}")
    if not s.id.startswith(_ID_PREFIX[s.source]):
        raise _fail(
            s.id,
            "id-source",
            f"id must start with {_ID_PREFIX[s.source]!r} for a {s.source} recipe",
        )
    texts = {"title": s.title, "description": s.description, "unit": s.unit}
    for field, text in texts.items():
        for lang in ("nb", "en"):
            if not getattr(text, lang).strip():
                raise _fail(s.id, "both-languages", f"{field}.{lang} is empty")
    for note in s.notes:
        if not note.nb.strip() or not note.en.strip():
            raise _fail(s.id, "both-languages", "a note lacks its nb or en text")
    if not s.geography or len(set(s.geography)) != len(s.geography):
        raise _fail(s.id, "geography", "geography must list each level once, at least one")
    if s.licence != CC_BY_4 or s.licence_url != CC_BY_4_URL:
        raise _fail(s.id, "licence", f"SSB and NAV publish under {CC_BY_4} ({CC_BY_4_URL})")
    if not s.source_url.startswith("https://"):
        raise _fail(s.id, "source-url", "source_url must be an https URL")
    for brk in s.breaks:
        if not brk.nb.strip() or not brk.en.strip():
            raise _fail(s.id, "both-languages", f"break {brk.date} lacks its nb or en text")
        if brk.milestone is not None and not MILESTONE_ID.match(brk.milestone):
            raise _fail(s.id, "milestone-id", f"{brk.milestone!r} is not a milestone slug")
    if [b.date for b in s.breaks] != sorted(b.date for b in s.breaks):
        raise _fail(s.id, "breaks-sorted", "breaks must be in date order")
    if isinstance(s.recipe, SsbRecipe):
        _validate_ssb(s, s.recipe)
    elif isinstance(s.recipe, BundledRecipe):
        if s.recipe.table != s.id:
            raise _fail(s.id, "bundled-table", f"table {s.recipe.table!r} must be the series id")
    elif s.recipe.table not in NAV_TABLES:
        known = ", ".join(sorted(NAV_TABLES))
        raise _fail(s.id, "nav-table", f"table {s.recipe.table!r} is not one of {known}")
    if s.dimension_map and s.dimension_map != _derived_dimension_map(s.recipe):
        raise _fail(s.id, "dimension-map", "dimension_map is derived from the recipe; leave it out")


def validate(cat: Catalog) -> None:
    """Check every rule of the catalogue; raise ``DatasetValidationError`` at the first breach."""
    if any(isinstance(s.recipe, BundledRecipe) for s in cat.series):
        msg = "bundled series belong in datasets/catalog/bundled.toml, not in series.toml"
        raise DatasetValidationError(msg)
    if cat.schema_version != 1:
        msg = f"catalogue schema_version {cat.schema_version} is not supported (expected 1)"
        raise DatasetValidationError(msg)
    seen: set[str] = set()
    for s in cat.series:
        if s.id in seen:
            raise _fail(s.id, "unique-id", "the id is used twice")
        seen.add(s.id)
        _validate_series(s)


def _locate_error(raw: Any, err: msgspec.ValidationError) -> str:
    """Name the series a schema error is in, from the ``$.series[N]`` path msgspec reports."""
    match = re.search(r"\$\.series\[(\d+)\]", str(err))
    if match and isinstance(raw, dict):
        entries = raw.get("series")
        index = int(match.group(1))
        if isinstance(entries, list) and index < len(entries) and isinstance(entries[index], dict):
            return f"catalogue series {entries[index].get('id', f'#{index}')!r}"
    return "the catalogue"


def parse_catalog(data: bytes, *, origin: str = "<catalogue>") -> Catalog:
    """Decode and validate catalogue TOML; errors name the file, the series and the rule."""
    try:
        raw = msgspec.toml.decode(data)
    except msgspec.DecodeError as err:
        msg = f"{origin} is not valid TOML: {err}"
        raise DatasetValidationError(msg) from err
    try:
        cat = msgspec.convert(raw, Catalog)
    except msgspec.ValidationError as err:
        msg = f"{_locate_error(raw, err)} in {origin} breaks rule 'schema': {err}"
        raise DatasetValidationError(msg) from err
    validate(cat)
    series = [
        msgspec.structs.replace(s, dimension_map=_derived_dimension_map(s.recipe))
        for s in cat.series
    ]
    return msgspec.structs.replace(cat, series=series)


@cache
def load_catalog() -> Catalog:
    """The bundled catalogue, read and validated once per process."""
    path = catalog_path()
    return parse_catalog(path.read_bytes(), origin=str(path))


# --- bundled series -------------------------------------------------------------------------------

#: Key-figure units (``datasets/key_figures/series.toml``) in both languages.
_KEY_FIGURE_UNITS: dict[str, SeriesUnit] = {
    "percent": SeriesUnit(nb="prosent", en="per cent"),
    "persons": SeriesUnit(nb="personer", en="persons"),
}


class _BundledEntry(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What ``bundled.toml`` adds to a key figure: where it sits in the catalogue."""

    id: str
    topic: Topic
    geography: list[Geography]
    description: Text
    source_url: str


class _BundledFile(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    schema_version: int
    series: list[_BundledEntry]


def bundled_path() -> Path:
    """Path of the catalogue file of bundled series."""
    return datasets_dir() / "catalog" / "bundled.toml"


def _bundled_series(entry: _BundledEntry) -> Series:
    # Imported here: key_figures reads its own files, which only bundled series need.
    from navdata.key_figures import key_figure, key_figure_series  # noqa: PLC0415

    figure = key_figure_series().get(entry.id)
    if figure is None:
        raise _fail(entry.id, "bundled-known", "no such series in datasets/key_figures")
    unit = _KEY_FIGURE_UNITS.get(figure.unit)
    if unit is None:
        known = ", ".join(sorted(_KEY_FIGURE_UNITS))
        raise _fail(entry.id, "bundled-unit", f"unit {figure.unit!r} is not one of {known}")
    if len(figure.notes_nb) != len(figure.notes_en):
        raise _fail(entry.id, "both-languages", "notes_nb and notes_en differ in length")
    if figure.frequency not in FREQUENCIES:
        raise _fail(entry.id, "schema", f"frequency {figure.frequency!r} is not known")
    cited = set(key_figure(entry.id).frame["source_url"].drop_nulls().to_list())
    if entry.source_url not in cited:
        raise _fail(
            entry.id, "bundled-source-url", "source_url must be one the values themselves cite"
        )
    return Series(
        id=entry.id,
        topic=entry.topic,
        frequency=figure.frequency,  # type: ignore[arg-type]  # checked just above
        geography=entry.geography,
        title=Text(nb=figure.title_nb, en=figure.title_en),
        description=entry.description,
        unit=unit,
        publisher=figure.publisher,
        licence=CC_BY_4,
        licence_url=CC_BY_4_URL,
        source_url=entry.source_url,
        recipe=BundledRecipe(table=entry.id),
        notes=[Text(nb=nb, en=en) for nb, en in zip(figure.notes_nb, figure.notes_en, strict=True)],
    )


def parse_bundled(data: bytes, *, origin: str = "<bundled catalogue>") -> list[Series]:
    """Decode ``bundled.toml``, join each entry with its key figure and check every rule."""
    from navdata.key_figures import key_figure_series  # noqa: PLC0415

    try:
        parsed = msgspec.toml.decode(data, type=_BundledFile)
    except (msgspec.DecodeError, msgspec.ValidationError) as err:
        msg = f"{origin} breaks rule 'schema': {err}"
        raise DatasetValidationError(msg) from err
    if parsed.schema_version != 1:
        msg = f"{origin}: schema_version {parsed.schema_version} is not supported (expected 1)"
        raise DatasetValidationError(msg)
    series = [_bundled_series(entry) for entry in parsed.series]
    ids = [s.id for s in series]
    if len(set(ids)) != len(ids):
        raise DatasetValidationError(f"{origin}: a bundled series is listed twice")
    missing = sorted(set(key_figure_series()) - set(ids))
    if missing:
        msg = f"{origin} breaks rule 'bundled-complete': key figures without an entry: {missing}"
        raise DatasetValidationError(msg)
    for s in series:
        _validate_series(s)
    return series


@cache
def load_bundled() -> tuple[Series, ...]:
    """The bundled (offline) series, read and validated once per process."""
    path = bundled_path()
    return tuple(parse_bundled(path.read_bytes(), origin=str(path)))


def find(series_id: str) -> Series | None:
    """The catalogued series with this id, fetched or bundled; ``None`` when there is none."""
    found = load_catalog().get(series_id)
    if found is not None:
        return found
    return next((s for s in load_bundled() if s.id == series_id), None)


def all_series() -> list[Series]:
    """Every series: the fetched ones (catalogue order), then the bundled ones."""
    return [*load_catalog().series, *load_bundled()]


# --- queries --------------------------------------------------------------------------------------


def describe(series_id: str) -> Series:
    """Everything the catalogue says about one series; unknown ids suggest close matches."""
    if not isinstance(series_id, str):  # callers without a type checker pass None, ints ...
        msg = f"a series id is a string such as 'nav.helt_ledige', not {series_id!r}"  # type: ignore[unreachable]
        raise InvalidArgumentError(msg)
    found = find(series_id)
    if found is not None:
        return found
    ids = [s.id for s in all_series()]
    close = difflib.get_close_matches(series_id, ids, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}?" if close else "see navdata.catalog() for every id"
    msg = f"no series {series_id!r} in the catalogue; {hint}"
    raise UnknownSeriesError(msg)


_CATALOG_SCHEMA: dict[str, Any] = {
    "id": pl.String,
    "source": pl.String,
    "topic": pl.String,
    "frequency": pl.String,
    "geography": pl.List(pl.String),
    "title": pl.String,
    "unit": pl.String,
    "publisher": pl.String,
    "table": pl.String,
    "source_url": pl.String,
    "breaks": pl.UInt32,
}


def catalog(
    topic: str | None = None,
    source: str | None = None,
    frequency: str | None = None,
    *,
    lang: Language = "nb",
    bundled: bool = False,
) -> pl.DataFrame:
    """One row per series, optionally filtered by topic, source (``ssb``/``nav``) and frequency.

    ``bundled=True`` adds the bundled key figures (source ``bundled``) after the fetched series;
    ``navdata.catalog()`` does. Unknown filter values raise :class:`InvalidArgumentError` (a
    ``ValueError``) listing the valid ones, so a typo is not mistaken for an empty result.
    """
    for name, value, valid in (
        ("topic", topic, TOPICS),
        ("source", source, SOURCES if bundled else ("ssb", "nav")),
        ("frequency", frequency, FREQUENCIES),
    ):
        if value is not None and value not in valid:
            msg = f"unknown {name} {value!r}; choose one of {', '.join(valid)}"
            raise InvalidArgumentError(msg)
    rows = [
        {
            "id": s.id,
            "source": s.source,
            "topic": s.topic,
            "frequency": s.frequency,
            "geography": list(s.geography),
            "title": s.title.in_lang(lang),
            "unit": s.unit.in_lang(lang),
            "publisher": s.publisher,
            "table": s.table,
            "source_url": s.source_url,
            "breaks": len(s.breaks),
        }
        for s in (all_series() if bundled else load_catalog().series)
        if (topic is None or s.topic == topic)
        and (source is None or s.source == source)
        and (frequency is None or s.frequency == frequency)
    ]
    return pl.DataFrame(rows, schema=_CATALOG_SCHEMA)


# --- normalisation --------------------------------------------------------------------------------


def _rename_plan(columns: list[str], dimension_ids: list[str]) -> tuple[dict[str, str], list[str]]:
    """Source column -> navdata column for dimension and ``_label`` columns, plus columns to drop.

    A source column whose navdata name is already a column (a source that emitted both ``Tid``
    and ``period``) is dropped rather than renamed onto it.
    """
    plan: dict[str, str] = {}
    drop: list[str] = []
    for dim in dimension_ids:
        new = normalised_name(dim)
        if new == dim:
            continue
        for old_col, new_col in ((dim, new), (f"{dim}_label", f"{new}_label")):
            if old_col not in columns:
                continue
            if new_col in columns:
                drop.append(old_col)
            else:
                plan[old_col] = new_col
    return plan, drop


def _select_measure(frame: pl.DataFrame, code: str, series_id: str) -> pl.DataFrame:
    if "measure" not in frame.columns:
        return frame
    present = frame.get_column("measure").cast(pl.String).unique().to_list()
    if code not in present:
        msg = (
            f"series {series_id!r} expects measure {code!r}, but the fetched data holds "
            f"{sorted(str(p) for p in present)}; the source table may have changed"
        )
        raise DatasetValidationError(msg)
    kept = frame.filter(pl.col("measure").cast(pl.String) == code)
    return kept.drop([c for c in ("measure", "measure_label") if c in frame.columns])


def _renamed_dimension(dim: Dimension) -> Dimension:
    new = normalised_name(dim.id)
    if new == dim.id:
        return dim
    return msgspec.structs.replace(dim, id=new, extension={**dim.extension, "source_id": dim.id})


def _measure_info(code: str, dimensions: list[Dimension]) -> dict[str, Any]:
    info: dict[str, Any] = {"code": code}
    measure_dim = next((d for d in dimensions if d.id == "measure"), None)
    if measure_dim is not None:
        info["label"] = measure_dim.label_of(code)
        unit: Unit | None = measure_dim.units.get(code)
        if unit is not None:
            info["unit"] = msgspec.to_builtins(unit)
    return info


def normalise(dataset: Dataset, series: Series) -> Dataset:
    """Give a fetched dataset navdata's dimension names and the series' single measure.

    - Dimension columns (and ``<dim>_label`` columns) are renamed by :data:`DIMENSION_NAMES`;
      the metadata's dimensions and roles follow, each renamed dimension keeps its source code in
      ``Dimension.extension["source_id"]`` and the whole mapping is in
      ``Metadata.extension["dimension_map"]`` (navdata name -> source code).
    - When the recipe names one measure (an SSB ``ContentsCode`` or a NAV ``count``/``share``),
      only its rows are kept and the ``measure`` column is dropped: the series *is* that measure.
      Its code, label and unit go to ``Metadata.extension["measure"]``. A recipe without a measure
      keeps the ``measure`` column.
    - The label becomes the series title (nb); the series id is ``Metadata.extension["series"]``.
    """
    meta = dataset.meta
    plan, drop = _rename_plan(dataset.frame.columns, meta.dimension_ids)
    frame = dataset.frame.drop(drop).rename(plan)
    dimensions = [_renamed_dimension(d) for d in meta.dimensions]
    roles = {role: [normalised_name(d) for d in ids] for role, ids in meta.roles.items()}
    extension: dict[str, Any] = {
        **meta.extension,
        "series": series.id,
        "dimension_map": {normalised_name(d): d for d in meta.dimension_ids},
    }
    measure = series.recipe.measure
    if measure is not None:
        frame = _select_measure(frame, measure, series.id)
        extension["measure"] = _measure_info(measure, dimensions)
        dimensions = [d for d in dimensions if d.id != "measure"]
        roles = {r: [d for d in ids if d != "measure"] for r, ids in roles.items()}
    new_meta = msgspec.structs.replace(
        meta,
        dimensions=dimensions,
        roles={r: ids for r, ids in roles.items() if ids},
        label=series.title.nb,
        extension=extension,
    )
    return Dataset(frame, new_meta)
