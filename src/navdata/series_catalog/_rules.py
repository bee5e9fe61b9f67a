"""The catalogue's rules, checked when it is loaded so a bad edit never becomes a wrong number.

Each breach raises :class:`~navdata.errors.DatasetValidationError` naming the series and the rule.
"""

from __future__ import annotations

import re

from navdata.dataset import CC_BY_4, CC_BY_4_URL
from navdata.errors import DatasetValidationError
from navdata.series_catalog._normalise import has_shared_name, normalised_name
from navdata.series_catalog._schema import BundledRecipe, Catalog, Recipe, Series, SsbRecipe

__all__ = [
    "CONFIRMED_SSB_TABLES",
    "MILESTONE_ID",
    "NAV_TABLES",
    "SERIES_ID",
    "broken_rule",
    "check_series",
    "derived_dimension_map",
    "validate",
]

#: SSB tables marked confirmed ([V]) in ``reference/ssb-api.md`` §4 (and its §1 table list).
#: A table id marked unconfirmed there ([?]) stays out until it is confirmed.
CONFIRMED_SSB_TABLES: frozenset[str] = frozenset(
    {"13760", "14483", "13618", "12441", "12210", "14019", "07459"}
)

#: NAV workbooks the NAV source finds and parses (``reference/nav-data-and-timeline.md`` §1).
NAV_TABLES: frozenset[str] = frozenset({"HL060", "AAP155", "PST302"})

SERIES_ID = re.compile(r"^(ssb|nav|keyfig)\.[a-z0-9_.]+$")
#: The id prefix each recipe kind requires.
_ID_PREFIX = {"ssb": "ssb.", "nav": "nav.", "bundled": "keyfig."}
MILESTONE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: SSB's time and contents variables are never eliminable in PxWebApi v2: a selection needs both.
_REQUIRED_SSB_VARIABLES = ("ContentsCode", "Tid")


def broken_rule(series_id: str, rule: str, detail: str) -> DatasetValidationError:
    """The error for a catalogue entry that breaks ``rule``; the caller raises it."""
    return DatasetValidationError(f"catalogue series {series_id!r} breaks rule {rule!r}: {detail}")


def derived_dimension_map(recipe: Recipe) -> dict[str, str]:
    """The dimension map of a recipe (navdata name -> source code), from what SSB selects."""
    if isinstance(recipe, SsbRecipe):
        return {normalised_name(code): code for code in recipe.selection}
    return {}


def _validate_ssb(s: Series, recipe: SsbRecipe) -> None:
    if recipe.table not in CONFIRMED_SSB_TABLES:
        known = ", ".join(sorted(CONFIRMED_SSB_TABLES))
        raise broken_rule(
            s.id,
            "confirmed-ssb-table",
            f"table {recipe.table!r} is not confirmed (use one of {known})",
        )
    for required in _REQUIRED_SSB_VARIABLES:
        if required not in recipe.selection:
            raise broken_rule(
                s.id, "ssb-selection", f"selection lacks {required!r} (never eliminable in v2)"
            )
    names: dict[str, str] = {}
    for variable, values in recipe.selection.items():
        if not values or any(not v.strip() for v in values):
            raise broken_rule(s.id, "ssb-selection", f"variable {variable!r} has an empty value")
        if len(set(values)) != len(values):
            raise broken_rule(
                s.id, "ssb-selection", f"variable {variable!r} repeats a code (SSB answers 500)"
            )
        if not has_shared_name(variable):
            raise broken_rule(
                s.id, "dimension-mapping", f"variable {variable!r} has no entry in DIMENSION_NAMES"
            )
        name = normalised_name(variable)
        if name in names:
            raise broken_rule(
                s.id,
                "dimension-mapping",
                f"variables {names[name]!r} and {variable!r} both map to {name!r}",
            )
        names[name] = variable
    for variable in recipe.codelists:
        if variable not in recipe.selection:
            raise broken_rule(
                s.id, "ssb-codelist", f"codelist for {variable!r}, which is not selected"
            )
    if recipe.measure is not None and recipe.selection["ContentsCode"] != [recipe.measure]:
        raise broken_rule(
            s.id,
            "ssb-measure",
            f"measure {recipe.measure!r} must be the only ContentsCode selected, "
            f"not {recipe.selection['ContentsCode']!r}",
        )


def check_series(s: Series) -> None:
    """Check the rules of one series, fetched or bundled."""
    if not SERIES_ID.match(s.id):
        raise broken_rule(s.id, "id-format", f"id must match {SERIES_ID.pattern}")
    if not s.id.startswith(_ID_PREFIX[s.source]):
        raise broken_rule(
            s.id,
            "id-source",
            f"id must start with {_ID_PREFIX[s.source]!r} for a {s.source} recipe",
        )
    texts = {"title": s.title, "description": s.description, "unit": s.unit}
    for field, text in texts.items():
        for lang in ("nb", "en"):
            if not getattr(text, lang).strip():
                raise broken_rule(s.id, "both-languages", f"{field}.{lang} is empty")
    for note in s.notes:
        if not note.nb.strip() or not note.en.strip():
            raise broken_rule(s.id, "both-languages", "a note lacks its nb or en text")
    if not s.geography or len(set(s.geography)) != len(s.geography):
        raise broken_rule(s.id, "geography", "geography must list each level once, at least one")
    if s.licence != CC_BY_4 or s.licence_url != CC_BY_4_URL:
        raise broken_rule(s.id, "licence", f"SSB and NAV publish under {CC_BY_4} ({CC_BY_4_URL})")
    if not s.source_url.startswith("https://"):
        raise broken_rule(s.id, "source-url", "source_url must be an https URL")
    for brk in s.breaks:
        if not (brk.nb or "").strip() or not brk.en.strip():
            raise broken_rule(s.id, "both-languages", f"break {brk.date} lacks its nb or en text")
        if brk.milestone is not None and not MILESTONE_ID.match(brk.milestone):
            raise broken_rule(s.id, "milestone-id", f"{brk.milestone!r} is not a milestone slug")
    if [b.date for b in s.breaks] != sorted(b.date for b in s.breaks):
        raise broken_rule(s.id, "breaks-sorted", "breaks must be in date order")
    if isinstance(s.recipe, SsbRecipe):
        _validate_ssb(s, s.recipe)
    elif isinstance(s.recipe, BundledRecipe):
        if s.recipe.table != s.id:
            raise broken_rule(
                s.id, "bundled-table", f"table {s.recipe.table!r} must be the series id"
            )
    elif s.recipe.table not in NAV_TABLES:
        known = ", ".join(sorted(NAV_TABLES))
        raise broken_rule(s.id, "nav-table", f"table {s.recipe.table!r} is not one of {known}")
    if s.dimension_map and s.dimension_map != derived_dimension_map(s.recipe):
        raise broken_rule(
            s.id, "dimension-map", "dimension_map is derived from the recipe; leave it out"
        )


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
            raise broken_rule(s.id, "unique-id", "the id is used twice")
        seen.add(s.id)
        check_series(s)
